"""State kept by the compiled passes stays equal to what it summarises, and the
collected results do not grow with the population."""

import numpy as np
import pytest

from sim.model import MNPModel
from sim.runner import run
from sim.scenario import load_scenario


@pytest.fixture(scope="module")
def model():
    spec = load_scenario("scenarios/china_mnp_2019.yaml",
                         ["population.size=4000", "months=14"])
    m = MNPModel(spec, rng=3)
    m.run_months()
    return m


def test_running_contact_counts_equal_a_recount(model):
    """Counts updated only for changed rows match counting every contact afresh."""
    subs, graph = model.subs, model.graph.to_scipy()
    signals = model.social.signals(subs)
    on = np.stack([graph @ (subs.carrier == j).astype(float) for j in range(3)], axis=1)
    happy = subs.satisfaction >= model.spec.behaviour.satisfied_threshold
    sat = np.stack([graph @ ((subs.carrier == j) & happy).astype(float) for j in range(3)],
                   axis=1)
    assert (signals.on_carrier == on).all()
    assert (signals.satisfied == sat).all()
    assert (signals.aware_contacts == graph @ subs.aware.astype(float)).all()
    assert (signals.moved_contacts == graph @ subs.moved.astype(float)).all()


def test_stars_follow_the_rule_for_every_row(model):
    from sim.behaviour.stars import star_levels
    subs, market = model.subs, model.market
    bills = market.list_price(subs.carrier, subs.segment) * subs.spend_factor
    expected = star_levels(subs.brand_tier, subs.tenure, bills, subs.suspensions)
    expected[~market.star_programme[subs.carrier]] = 0
    assert (subs.stars == expected).all()


def test_collected_records_do_not_grow_with_population():
    def records(size):
        spec = load_scenario("scenarios/china_mnp_2019.yaml",
                             [f"population.size={size}", "months=3"])
        m = MNPModel(spec, rng=1)
        m.run_months()
        return len(m.datacollector.get_agenttype_vars_dataframe(type(m.carriers[0])))
    assert records(2000) == records(20000) == 3 * 3  # months x carriers


def test_subscriber_snapshots_on_request():
    spec = load_scenario("scenarios/china_mnp_2019.yaml", ["population.size=3000", "months=14"])
    plain = run(spec, seed=2)
    sampled = run(spec, seed=2, snapshot_rows=250)
    assert plain.subscriber_sample is None
    sample = sampled.subscriber_sample
    assert sample.groupby("month").size().eq(250).all()
    assert set(sample["quadrant"]) <= {"loyalist", "hostage", "mercenary", "defector"}
    moved = sample["moved"]
    assert moved.any()
    assert (sample.loc[moved, "carrier"] != sample.loc[moved, "carrier_start"]).all()
    # a subscriber who changed carrier this month is a mercenary or a defector
    assert sample.loc[moved, "quadrant"].isin(["mercenary", "defector"]).all()
    # taking snapshots draws nothing: the run itself is unchanged
    assert plain.timeseries.equals(sampled.timeseries)


def test_contact_counts_widen_for_a_subscriber_with_many_contacts():
    """Counts are one byte while every degree fits, two bytes for a 200-contact hub."""
    from sim.behaviour.social import SocialState
    from sim.network import SocialGraph
    n = 201  # row 0 is tied to every other row
    indptr = np.concatenate([[0, 200], 200 + np.arange(1, n)]).astype(np.int64)
    indices = np.concatenate([np.arange(1, n), np.zeros(n - 1)]).astype(np.int32)
    state = SocialState(SocialGraph(indptr, indices), _Columns(n), 3, 0.5)
    assert state.on_carrier.dtype == np.int16
    assert state.on_carrier[0, 0] == 200 and state.satisfied[0, 0] == 200
    assert state.aware[0] == 200 and (state.on_carrier[1:, 0] == 1).all()


class _Columns:
    """The subscriber columns SocialState reads: all on carrier 0, satisfied and aware."""

    def __init__(self, n: int):
        self.carrier = np.zeros(n, np.int8)
        self.satisfaction = np.ones(n, np.float32)
        self.aware = np.ones(n, bool)
        self.moved = np.zeros(n, bool)

    def __len__(self) -> int:
        return self.carrier.size
