"""Handset cycles (sim/behaviour/handset_cycle.py): a new handset prompts a review."""

import numpy as np
import pytest

from sim import run
from sim.behaviour.handset_cycle import review_chance, reviewers
from sim.market import Behaviour, Handsets

from .conftest import make_scenario
from .growth_helpers import LONG, check_invariants, identical, ports

ON = {"behaviour.review_on_handset": 0.5, "behaviour.review_on_new_generation": 0.5}


def test_review_chance_follows_the_new_generations_ramp():
    h = Handsets(cycle_months=20, new_generation="2020-01", new_generation_ramp_months=10,
                 new_generation_peak=0.8)
    beh = Behaviour(review_on_handset=0.2, review_on_new_generation=0.5)
    assert review_chance(h, beh, "2019-12") == pytest.approx(0.2 / 20)
    assert review_chance(h, beh, "2020-05") == pytest.approx((0.2 + 0.5 * 0.8 * 0.5) / 20)
    assert review_chance(h, beh, "2020-10") == pytest.approx((0.2 + 0.5 * 0.8) / 20)
    assert review_chance(h, beh, "2025-01") == review_chance(h, beh, "2020-10")
    none = Handsets(new_generation=None)
    assert review_chance(none, beh, "2025-01") == pytest.approx(0.2 / none.cycle_months)


def test_reviewers_are_off_contract_and_as_many_as_the_chance_says():
    scenario = make_scenario(**{"population.size": 20000})
    from sim.model import MNPModel
    subs = MNPModel(scenario, rng=1).subs
    h, beh = Handsets(cycle_months=10, new_generation=None), Behaviour(review_on_handset=1.0)
    rows = reviewers(np.random.default_rng(4), subs, h, beh, "2019-05")
    assert (subs.contract_left[rows] == 0).all()
    expected = 0.1 * (subs.contract_left == 0).sum()
    assert abs(rows.size - expected) < 5 * np.sqrt(expected)
    assert (np.diff(rows) > 0).all()


def test_a_wave_that_never_comes_is_the_model_without_it():
    # the stream of its own: drawing nothing from it shifts no other draw
    assert identical({"behaviour.review_on_new_generation": 0.7,
                      "population.handsets.new_generation": None}, {})


def test_handset_reviews_raise_ports():
    assert ports(**ON) > 1.05 * ports()


def test_the_new_generations_wave_raises_ports_only_after_it_starts():
    def monthly(**o):
        scenario = make_scenario(**{**LONG, **o})
        return sum(run(scenario, seed=s).timeseries.groupby("month")["port_in"].sum()
                   for s in (1, 2, 3))
    wave = {"behaviour.review_on_new_generation": 0.8,
            "population.handsets.new_generation": "2020-07"}
    base, with_wave = monthly(), monthly(**wave)
    before = slice("2019-01", "2020-06")
    assert with_wave.loc[before].equals(base.loc[before])  # identical before the wave
    assert with_wave.loc["2020-07":].sum() > 1.05 * base.loc["2020-07":].sum()


def test_invariants_hold_with_handset_reviews():
    check_invariants(**ON)
