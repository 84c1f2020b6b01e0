"""Burn-in: months before the start with MNP closed and no strategies, discarded from outputs."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import MNPModel
from sim.plots import MARKET, _of, churn_percent
from sim.runner import run
from tests.conftest import make_scenario


def _drift(ts) -> float:
    churn = churn_percent(_of(ts, MARKET)).to_numpy()
    return float(churn[9:12].mean() / churn[0:3].mean() - 1)


def test_burn_in_shortens_the_start_up_transient():
    """Churn falls through the first year from drawn traits; a burn-in removes most of that."""
    common = {"population.size": 200_000, "months": 12, "policy.mnp_start": None}
    raw = [_drift(run(make_scenario(**common, burn_in_months=0), seed=s).timeseries)
           for s in (1, 2)]
    burned = [_drift(run(make_scenario(**common, burn_in_months=12), seed=s).timeseries)
              for s in (1, 2)]
    assert np.mean(raw) < -0.2                       # the artefact: churn falls by a fifth+
    assert abs(np.mean(burned)) < abs(np.mean(raw)) / 2


def test_burn_in_is_discarded_from_every_output():
    result = run(make_scenario(burn_in_months=6, months=4))
    ts = result.timeseries
    assert list(ts["month"].unique()) == ["2019-01", "2019-02", "2019-03", "2019-04"]
    assert np.isclose(ts.groupby("month")["net_porting"].sum(), 0).all()


def test_burn_in_ages_the_population_and_conserves_it():
    spec = make_scenario(burn_in_months=6)
    fresh, burned = MNPModel(make_scenario(burn_in_months=0)), MNPModel(spec)
    assert len(burned.subs) == len(fresh.subs)
    assert burned.subs.tenure.mean() > fresh.subs.tenure.mean() + 4  # six months, less churn
    assert burned.month == 0 and burned.burn_in_seconds > 0


def test_mnp_stays_closed_and_strategies_idle_during_burn_in():
    """MNP opening after the start: nobody learns of it in the burn-in; no action runs."""
    spec = make_scenario(**{"policy.mnp_start": "2019-07"}, burn_in_months=8)
    fresh, burned = MNPModel(make_scenario(**{"policy.mnp_start": "2019-07"},
                                           burn_in_months=0)), MNPModel(spec)
    assert burned.subs.aware.sum() == fresh.subs.aware.sum()  # no spread while closed
    assert all(not c.active for c in burned.carriers)


def test_a_market_open_before_the_start_burns_in_open():
    """MNP open since before the start: the burn-in keeps it open, so the first month
    releases no pent-up porting (its ports are like the next months')."""
    spec = make_scenario(**{"policy.mnp_start": "2017-01", "population.size": 40_000,
                            "months": 6}, burn_in_months=24)
    ports = run(spec).timeseries.groupby("month")["port_out"].sum().to_numpy()
    assert ports[0] < 1.5 * ports[1:].mean()
    assert MNPModel(spec).subs.aware.mean() > MNPModel(
        make_scenario(**{"policy.mnp_start": "2017-01"}, burn_in_months=0)).subs.aware.mean()


@pytest.mark.parametrize("months", [0, 3])
def test_burn_in_keeps_the_first_months_draws(months):
    """The burn-in draws from streams of its own: month 0's streams are the same."""
    a = MNPModel(make_scenario(burn_in_months=0)).month_streams(0)["choose"].random(4)
    b = MNPModel(make_scenario(burn_in_months=months)).month_streams(0)["choose"].random(4)
    assert np.array_equal(a, b)
