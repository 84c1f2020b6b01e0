"""Repeat porting: memory of past carriers, expectation shortfall, and a grudge in the choice."""

from __future__ import annotations

import numpy as np
import pytest

from sim import run
from sim.behaviour import memory
from sim.context import Streams
from sim.model import MNPModel

from .conftest import make_scenario

OFF = {"behaviour.port_shortfall_mean": 0.0, "behaviour.port_shortfall_sd": 0.0,
       "behaviour.disappointed_review": 0.0, "behaviour.former_carrier_grudge": 0.0}
SHORTFALL = {**OFF, "behaviour.port_shortfall_mean": 0.3, "behaviour.port_shortfall_sd": 0.2,
             "behaviour.disappointed_review": 0.5}
BIG = {"population.size": 12000, "months": 30}


def _run(**overrides):
    return run(make_scenario(**{**BIG, **overrides}), seed=5).timeseries


@pytest.fixture(scope="module")
def off():
    return _run(**OFF)


@pytest.fixture(scope="module")
def shortfall():
    return _run(**SHORTFALL)


def _repeat(ts):
    return ts["port_in_second"].sum() + ts["port_in_third_plus"].sum()


def _last_share(ts, column):
    last = ts[ts["month"] == ts["month"].max()]
    return (last[column] * last["subscribers"]).sum() / last["subscribers"].sum()


def test_ports_split_by_order_and_direction_add_up(off, shortfall):
    for ts in (off, shortfall):
        orders = ts["port_in_first"] + ts["port_in_second"] + ts["port_in_third_plus"]
        np.testing.assert_allclose(orders, ts["port_in"])
        np.testing.assert_allclose(ts["port_in_back"] + ts["port_in_onward"], ts["port_in"])
        assert (ts["port_in_onward"] >= 0).all()
        assert (ts["ported_share"] + 1e-12 >= ts["ported_twice_share"]
                + ts["ported_three_plus_share"]).all()
    assert off["port_in"].sum() > 0 and off["ported_share"].max() > 0


def test_expectation_shortfall_makes_porters_port_again(off, shortfall):
    assert _repeat(shortfall) > 2 * _repeat(off) > 0
    twice_plus = lambda ts: (_last_share(ts, "ported_twice_share")  # noqa: E731
                             + _last_share(ts, "ported_three_plus_share"))
    assert twice_plus(shortfall) > twice_plus(off)
    # porters only: the disappointed port again, they do not take a new number
    assert shortfall["switch_in_new_number"].sum() < 1.3 * off["switch_in_new_number"].sum()


def test_a_grudge_turns_returns_into_moves_onward(shortfall):
    grudge = _run(**{**SHORTFALL, "behaviour.former_carrier_grudge": 40.0})
    back = lambda ts: ts["port_in_back"].sum() / ts["port_in"].sum()  # noqa: E731
    assert back(grudge) < back(shortfall)
    assert grudge["port_in_onward"].sum() > 0


def test_strengths_at_zero_draw_nothing_and_change_nothing(off, monkeypatch):
    made = []
    original = Streams.__missing__

    def spy(self, name):
        made.append(name)
        return original(self, name)

    monkeypatch.setattr(Streams, "__missing__", spy)
    again = _run(**{**OFF, "behaviour.disappointment_months": 3})  # inert at strength 0
    assert "disappointment" not in made
    assert again.equals(off)


def test_memory_columns_follow_moves_and_reset_for_newcomers():
    model = MNPModel(make_scenario(**SHORTFALL))
    subs = model.subs
    assert (subs.times_ported == 0).all() and (subs.original_carrier == subs.carrier).all()
    seen_port = seen_new = False
    for _ in range(18):
        before = subs.times_ported.copy(), subs.carrier.copy()
        model.step()
        moved = before[1] != subs.carrier
        ported_now = subs.times_ported > before[0]
        seen_port |= bool(ported_now.any())
        # a port raises the count by one, and only for a row that changed carrier
        assert (subs.times_ported[ported_now] == before[0][ported_now] + 1).all()
        assert moved[ported_now].all()
        # whoever ported or switched remembers the carrier they left
        assert (subs.previous_carrier[ported_now] == before[1][ported_now]).all()
        fresh = subs.previous_carrier == -1
        seen_new |= bool((moved & fresh).any())
        assert (subs.times_ported[fresh & moved] == 0).all()
        assert (subs.original_carrier[fresh & moved] == subs.carrier[fresh & moved]).all()
    assert seen_port and seen_new


def test_grudge_lowers_only_carriers_left():
    model = MNPModel(make_scenario())
    subs = model.subs
    rows = np.arange(4)
    subs.carrier[rows] = [0, 1, 2, 0]
    subs.original_carrier[rows] = [1, 1, 0, 2]
    subs.previous_carrier[rows] = [1, -1, 1, 1]
    values = np.zeros((4, 3), dtype=np.float32)
    memory.add_grudge(values, subs, rows, 10.0)
    np.testing.assert_array_equal(values, [[0, -10, 0],     # original = previous: once
                                           [0, 0, 0],       # back on its original carrier
                                           [-10, -10, 0],   # two carriers left
                                           [0, -10, -10]])


def test_targets_read_the_ported_numbers(shortfall):
    from sim.calibrate.targets import Target, simulated

    scenario = make_scenario(**{**BIG, **SHORTFALL})
    last = shortfall[shortfall["month"] == "2021-06"]
    targets = [Target(2, "2021-06-30", q, "all", 1.0, 1.0) for q in (
        "numbers_ported_at_least_once_share", "numbers_ported_twice",
        "numbers_ported_three_times")]
    share, twice, three = simulated(shortfall, targets, scenario)
    subs = last["subscribers"].sum()
    assert share == pytest.approx((last["ported_share"] * last["subscribers"]).sum() / subs)
    assert twice == pytest.approx((last["ported_twice_share"] * last["subscribers"]).sum())
    assert three == pytest.approx((last["ported_three_plus_share"] * last["subscribers"]).sum())
    assert 0 < twice < share * subs
