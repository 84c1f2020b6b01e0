"""Shared helpers of the growth-after-launch mechanisms' tests (issue #19)."""

from __future__ import annotations

import numpy as np

from sim import run
from sim.params import CHINA_CARRIERS

from .conftest import make_scenario

SEEDS = (1, 2, 3)
#: A test market where MNP opens early enough to run past awareness saturating, with the
#: growth mechanisms off (each test switches on the one it is about).
LONG = {"months": 36, "population.size": 6000, "behaviour.peer_learning": 0.0,
        "behaviour.review_on_handset": 0.0, "behaviour.review_on_new_generation": 0.0,
        "behaviour.taste_drift_sd": 0.0}


def ports(seeds=SEEDS, **overrides) -> float:
    """Ports over the run, summed over `seeds` (real subscribers)."""
    scenario = make_scenario(**{**LONG, **overrides})
    return float(sum(run(scenario, seed=s).timeseries["port_in"].sum() for s in seeds))


def late_over_early(seeds=SEEDS, **overrides) -> float:
    """Ports in the last 12 months over ports in months 7-18 after the opening, summed."""
    scenario = make_scenario(**{**LONG, **overrides})
    late = early = 0.0
    for s in seeds:
        by_month = run(scenario, seed=s).timeseries.groupby("month")["port_in"].sum()
        early += by_month.iloc[12:24].sum()
        late += by_month.iloc[24:36].sum()
    return late / early


def check_invariants(**overrides) -> None:
    """Subscribers conserved by the flows; net porting sums to zero every month."""
    result = run(make_scenario(**{**LONG, **overrides}), seed=5)
    ts = result.timeseries
    carriers = list(CHINA_CARRIERS)
    subs = ts.pivot(index="month", columns="carrier", values="subscribers")[carriers]
    flow = ts.assign(change=ts.port_in - ts.port_out + ts.switch_in_new_number
                     - ts.switch_out_new_number + ts.joins - ts.leaves)
    change = flow.pivot(index="month", columns="carrier", values="change")[carriers]
    np.testing.assert_allclose(subs.diff().iloc[1:].to_numpy(), change.iloc[1:].to_numpy(),
                               atol=1e-3)
    np.testing.assert_allclose(subs.sum(axis=1), result.scenario.represents(), rtol=1e-9)
    assert (ts.groupby("month")["net_porting"].sum().abs() < 1e-3).all()
    assert ts["port_in"].sum() > 0


def identical(a: dict, b: dict) -> bool:
    """Two runs (overrides) give the same timeseries, to the bit."""
    ta = run(make_scenario(**{**LONG, **a}), seed=2).timeseries
    tb = run(make_scenario(**{**LONG, **b}), seed=2).timeseries
    return ta.equals(tb)
