"""Accounting invariants that must hold every month of every run."""

import numpy as np
import pytest

from sim import run
from sim.behaviour.loyalty import QUADRANTS
from sim.params import CHINA_CARRIERS as CARRIERS
from sim.scenario import month_index

from .conftest import make_scenario


@pytest.fixture(scope="module")
def result():
    return run(make_scenario(**{"months": 30}), seed=5)


def test_subscribers_conserved_given_flows(result):
    ts = result.timeseries
    subs = ts.pivot(index="month", columns="carrier", values="subscribers")[list(CARRIERS)]
    flow = ts.assign(change=ts.port_in - ts.port_out + ts.switch_in_new_number
                     - ts.switch_out_new_number + ts.joins - ts.leaves)
    change = flow.pivot(index="month", columns="carrier", values="change")[list(CARRIERS)]
    np.testing.assert_allclose(subs.diff().iloc[1:].to_numpy(), change.iloc[1:].to_numpy(),
                               atol=1e-3)
    total = subs.sum(axis=1)
    np.testing.assert_allclose(total, result.scenario.represents(), rtol=1e-9)


def test_net_porting_sums_to_zero_each_month(result):
    by_month = result.timeseries.groupby("month")["net_porting"].sum()
    assert (by_month.abs() < 1e-3).all()
    assert result.timeseries["port_in"].sum() > 0  # the invariant is not vacuous


def test_porting_matrix_matches_port_in_and_out(result):
    pm, ts = result.porting_matrix, result.timeseries.set_index(["month", "carrier"])
    ins = pm.groupby(["month", "to"])["ports"].sum()
    outs = pm.groupby(["month", "from"])["ports"].sum()
    for (month, carrier), row in ts.iterrows():
        assert ins.get((month, carrier), 0) == pytest.approx(row["port_in"])
        assert outs.get((month, carrier), 0) == pytest.approx(row["port_out"])


def test_no_port_before_mnp_opens(result):
    ts = result.timeseries
    opens = result.scenario.policy.mnp_start
    before = ts[ts["month"] < opens]
    assert len(before) > 0 and before[["port_in", "port_out"]].to_numpy().sum() == 0
    assert ts[ts["month"] >= opens]["port_in"].sum() > 0


def test_shares_in_unit_interval_and_quadrants_partition(result):
    ts = result.timeseries
    for col in ("false_loyal_share", "satisfaction_mean", "aware_share", *QUADRANTS):
        assert ts[col].between(0, 1).all(), col
    np.testing.assert_allclose(ts[list(QUADRANTS)].sum(axis=1), 1.0, atol=1e-9)
    assert (ts["false_loyal_share"] == ts["hostage"]).all()


def test_awareness_only_after_mnp_opens(result):
    ts = result.timeseries
    opens = result.scenario.policy.mnp_start
    assert ts[ts["month"] < opens]["aware_share"].max() == 0
    assert ts["aware_share"].iloc[-1] > 0.5


def test_month_labels_follow_calendar(result):
    months = result.timeseries["month"].unique()
    assert len(months) == result.scenario.months
    assert [month_index(m, result.scenario.start) for m in months] == list(range(len(months)))
