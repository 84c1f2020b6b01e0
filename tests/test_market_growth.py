"""Markets that grow or shrink (population.growth): size follows the schedule, books balance."""

from __future__ import annotations

import numpy as np
import pytest

from sim import run
from sim.behaviour.growth import turnover
from sim.params import CHINA_CARRIERS as CARRIERS
from sim.params import month_index

from .conftest import make_scenario

SCHEDULE = [{"from": "2019-04", "monthly_rate": 0.02, "source": "test"},
            {"from": "2020-01", "monthly_rate": -0.01, "source": "test"}]


@pytest.fixture(scope="module")
def grown():
    return run(make_scenario(**{"population.growth": SCHEDULE}), seed=5)


@pytest.fixture(scope="module")
def saturated():
    return run(make_scenario(), seed=5)


def _expected_total(scenario) -> np.ndarray:
    total, out = scenario.represents(), []
    for i in range(scenario.months):
        label = f"{2019 + (i // 12)}-{i % 12 + 1:02d}"
        total *= 1 + turnover(scenario.population, label).growth
        out.append(total)
    return np.array(out)


def test_total_subscribers_follow_the_schedule(grown):
    ts = grown.timeseries
    total = ts.groupby("month")["subscribers"].sum().to_numpy()
    np.testing.assert_allclose(total, _expected_total(grown.scenario), rtol=1e-9)
    start = grown.scenario.represents()
    assert total[8] == pytest.approx(start * 1.02 ** 6)  # 2% a month, April to September
    assert total[-1] == pytest.approx(start * 1.02 ** 9 * 0.99 ** 12)  # shrinking from 2020


def test_subscribers_conserved_given_flows_carrier_by_carrier(grown):
    ts = grown.timeseries
    subs = ts.pivot(index="month", columns="carrier", values="subscribers")[list(CARRIERS)]
    flow = ts.assign(change=ts.port_in - ts.port_out + ts.switch_in_new_number
                     - ts.switch_out_new_number + ts.joins - ts.leaves)
    change = flow.pivot(index="month", columns="carrier", values="change")[list(CARRIERS)]
    np.testing.assert_allclose(subs.diff().iloc[1:].to_numpy(), change.iloc[1:].to_numpy(),
                               rtol=1e-9, atol=1e-3)
    by_month = ts.groupby("month")["net_porting"].sum()
    assert (by_month.abs() < 1e-3).all()


def test_growing_market_takes_more_newcomers_with_leavers_at_the_leave_rate(grown, saturated):
    g, s = (r.timeseries.groupby("month")[["joins", "leaves", "subscribers"]].sum()
            for r in (grown, saturated))
    growing = (g.index >= "2019-04") & (g.index < "2020-01")
    assert g.loc[growing, "joins"].sum() > 3 * s.loc[growing, "joins"].sum()
    # leavers are about leave_rate of the subscribers at the start of each month
    rate = grown.scenario.population.leave_rate
    start = g["subscribers"].shift(1).loc[growing]
    ratio = g.loc[growing, "leaves"].sum() / (rate * start.sum())
    assert 0.7 < ratio < 1.3
    shrinking = g.index >= "2020-01"  # fewer newcomers than leavers
    assert g.loc[shrinking, "joins"].sum() < g.loc[shrinking, "leaves"].sum()


def test_a_growing_market_ports_a_smaller_share(grown, saturated):
    def port_share(result):
        ts = result.timeseries
        end = ts["month"] < "2020-01"
        ports = ts.loc[end, "port_out"].sum()
        return ports / ts.loc[ts["month"] == "2019-12", "subscribers"].sum()
    assert port_share(grown) < port_share(saturated)


def test_a_zero_rate_schedule_changes_nothing(saturated):
    flat = run(make_scenario(**{"population.growth": [
        {"from": "2019-01", "monthly_rate": 0.0, "source": "test"}]}), seed=5).timeseries
    assert flat.equals(saturated.timeseries)


def test_turnover_before_the_first_entry_is_saturated():
    scenario = make_scenario(**{"population.growth": SCHEDULE})
    t = turnover(scenario.population, "2019-02")
    assert t.growth == 0 and t.replace == scenario.population.leave_rate
    fast = make_scenario(**{"population.growth": [
        {"from": "2019-01", "monthly_rate": -0.03, "source": "test"}]})
    t = turnover(fast.population, "2019-05")
    assert t.replace == 0 and t.leave == pytest.approx(0.03)  # nobody replaces the leavers
    assert month_index("2019-05", "2019-01") == 4
