"""Loyalty points and sub-brand dilution (seed 002): what each must do, paired on one seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.behaviour import money, points, sub_brands
from sim.columns import POINTS_AND_BRANDS
from sim.model import MNPModel
from sim.runner import run

from .conftest import make_scenario

NEW_COLUMNS = [c.name for c in POINTS_AND_BRANDS]
#: strong settings so the effects stand out of the noise at test size
POINTS_ON = {"carriers.mobile.points_accrual": 0.1, "carriers.mobile.points_handling": 1.0}


def series(overrides: dict, size: int = 4000) -> pd.DataFrame:
    """The timeseries of the test market with `overrides`."""
    return run(make_scenario(**{"population.size": size, **overrides})).timeseries


def mobile(ts: pd.DataFrame) -> pd.DataFrame:
    return ts[ts["carrier"] == "mobile"].reset_index(drop=True)


def assert_same_except_new_columns(a: pd.DataFrame, b: pd.DataFrame) -> None:
    keep = [c for c in a.columns if c not in NEW_COLUMNS]
    pd.testing.assert_frame_equal(a[keep], b[keep], check_exact=True)


# ---------------------------------------------------------------- strength 0 changes nothing

@pytest.mark.parametrize("overrides", [
    {"carriers.mobile.sub_brands": 3, "behaviour.sub_brand_dilution": 0,
     "behaviour.sub_brand_price_pull": 0},
    {"carriers.mobile.points_accrual": 0.0, "carriers.mobile.points_handling": 0.0},
    {"strategies.mobile": [{"lever": "points_programme", "start": "2019-03",
                            "accrual_rate": 0.0}]},
    {"strategies.mobile": [{"lever": "retire_sub_brands", "start": "2019-03"}]},
])
def test_strength_zero_or_no_programme_changes_nothing(overrides):
    base = series({})
    other = series(overrides)
    assert_same_except_new_columns(base, other)
    assert (mobile(other)["cost"] == 0).all()


def test_no_programme_reports_no_points_and_one_brand():
    ts = series({"months": 6})
    assert (ts["points_balance"] == 0).all() and (ts["points_lapses"] == 0).all()
    assert (ts["sub_brands"] == 1).all()


# ---------------------------------------------------------------- loyalty points

def test_points_raise_the_switching_cost_and_lower_port_outs_of_their_carrier():
    base, on = mobile(series({}, size=12000)), mobile(series(POINTS_ON, size=12000))
    assert (on["points_balance"] > 0).all()
    assert (on["sc_loyalty"] > base["sc_loyalty"]).all()
    after = base["month"] >= "2019-07"  # MNP open
    assert on["port_out"][after].sum() < 0.9 * base["port_out"][after].sum()


def _clearing_model(handling: float):
    spec = make_scenario(**{"months": 1, "burn_in_months": 0,
                            "carriers.mobile.points_accrual": 0.01,
                            "carriers.mobile.points_handling": handling})
    model = MNPModel(spec, rng=5)
    subs = model.subs
    subs.points[:] = 0
    subs.points_expiring[:] = 0
    on_mobile = subs.carrier == 0
    subs.points[on_mobile] = 30.0
    subs.points_expiring[on_mobile] = 10.0
    subs.satisfaction[:] = 0.6
    return model, on_mobile


@pytest.mark.parametrize("handling", [0.0, 0.4, 1.0])
def test_badly_handled_points_lapse_and_lower_satisfaction(handling):
    model, on_mobile = _clearing_model(handling)
    subs, market, beh = model.subs, model.market, model.spec.behaviour
    before_bill = money.list_bills(subs, market)
    month = points.monthly(np.random.default_rng(1), subs, market, beh, "2019-12")
    n = on_mobile.sum()
    lapsed_rows = (subs.satisfaction < 0.6)
    # only mobile's subscribers lapse, each by the lapse hit, and never when well handled
    assert not lapsed_rows[~on_mobile].any()
    assert np.allclose(subs.satisfaction[lapsed_rows], 0.6 - beh.points_lapse_hit)
    share = lapsed_rows.sum() / n
    assert abs(share - (1 - handling)) < 0.06
    assert month.lapses[0] == lapsed_rows.sum()
    assert month.redeemed[0] + month.lapsed[0] == pytest.approx(10.0 * n, rel=1e-5)
    # the period's points became the next clearing's; this month's accrual stayed
    expected = 20.0 + 0.01 * before_bill[on_mobile]
    assert np.allclose(subs.points[on_mobile], expected, rtol=1e-5)
    assert np.array_equal(subs.points_expiring, subs.points)


def test_no_clearing_outside_the_period_end():
    model, on_mobile = _clearing_model(0.0)
    month = points.monthly(np.random.default_rng(1), model.subs, model.market,
                           model.spec.behaviour, "2019-11")
    assert month.lapses.sum() == 0 and (model.subs.satisfaction == np.float32(0.6)).all()
    assert (model.subs.points_expiring[on_mobile] == 10).all()


def test_badly_handled_points_lower_satisfaction_in_a_run():
    good = mobile(series({**POINTS_ON, "carriers.mobile.points_handling": 1.0}))
    bad = mobile(series({**POINTS_ON, "carriers.mobile.points_handling": 0.0}))
    december = good["month"] == "2019-12"
    assert good["points_lapses"].sum() == 0 and bad["points_lapses"][december].iloc[0] > 0
    assert bad["satisfaction_mean"][december].iloc[0] < good["satisfaction_mean"][
        december].iloc[0] - 0.01


def test_the_points_programme_books_redemptions_once():
    one = [{"lever": "points_programme", "start": "2019-02", "accrual_rate": 0.05,
            "handling": 0.8}]
    two = one + [{"lever": "points_programme", "start": "2019-04", "handling": 0.8}]
    a, b = mobile(series({"strategies.mobile": one})), mobile(series({"strategies.mobile": two}))
    assert a["points_redeemed"].sum() > 0
    for ts in (a, b):
        assert np.allclose(ts["cost_points_programme"], ts["points_redeemed"])
    assert_same_except_new_columns(a.drop(columns=["cost", "profit", "cost_points_programme"]),
                                   b.drop(columns=["cost", "profit", "cost_points_programme"]))


def test_the_carriers_own_points_are_its_cost_once():
    """Points a carrier's subscribers redeem are its cost: booked to `cost` from its own
    programme, or to the points_programme action while one runs, never both."""
    own = {"carriers.mobile.points_accrual": 0.05, "carriers.mobile.points_handling": 0.8}
    base = mobile(series(own))
    assert base["points_redeemed"].sum() > 0
    assert np.allclose(base["cost"], base["points_redeemed"])  # the status quo: no action
    action = [{"lever": "points_programme", "start": "2019-06", "handling": 0.8}]
    ts = mobile(series({**own, "strategies.mobile": action}))
    assert np.allclose(ts["cost"], ts["points_redeemed"])
    running = ts["month"] >= "2019-06"
    assert np.allclose(ts.loc[running, "cost_points_programme"],
                       ts.loc[running, "points_redeemed"])
    assert (ts.loc[~running, "cost_points_programme"] == 0).all()
    # the same terms as the carrier's own: the action changes nothing, not even the books
    assert_same_except_new_columns(base.drop(columns=["cost_points_programme"],
                                             errors="ignore"),
                                   ts.drop(columns=["cost_points_programme"]))


# ---------------------------------------------------------------- sub-brands

def test_more_sub_brands_more_port_outs_to_a_cheaper_rival():
    """Unicom is cheaper than Mobile: Mobile's sub-brands pull its subscribers there."""
    def ports_to_unicom(n_brands: int) -> float:
        spec = make_scenario(**{"population.size": 12000, "carriers.mobile.sub_brands": n_brands,
                                "behaviour.sub_brand_dilution": 0,
                                "behaviour.sub_brand_price_pull": 0.4})
        pm = run(spec).porting_matrix
        return float(pm[(pm["from"] == "mobile") & (pm["to"] == "unicom")]["ports"].sum())
    one, four = ports_to_unicom(1), ports_to_unicom(4)
    assert four > 1.15 * one


def test_the_pull_goes_only_to_cheaper_rivals():
    model = MNPModel(make_scenario(**{"months": 1, "carriers.mobile.sub_brands": 3}), rng=2)
    subs, market = model.subs, model.market
    rows = np.flatnonzero(subs.carrier == 0)[:50]
    values = np.zeros((rows.size, 3), dtype=np.float32)
    sub_brands.add_price_pull(values, subs, market, rows)
    assert (values[:, 1] > 0).all() and (values[:, 2] > 0).all()  # both rivals are cheaper
    assert (values[:, 0] == 0).all()
    pull = 2 * model.spec.behaviour.sub_brand_price_pull
    gap = (49.1 - 42.1) * subs.spend_factor[rows] * subs.price_sensitivity[rows] * pull
    assert np.allclose(values[:, 1], gap, rtol=1e-4)
    others = np.flatnonzero(subs.carrier == 1)[:50]  # unicom has one brand: no pull
    values = np.zeros((others.size, 3), dtype=np.float32)
    sub_brands.add_price_pull(values, subs, market, others)
    assert (values == 0).all()


def test_sub_brands_dilute_the_brand_value():
    ts = mobile(series({"months": 3, "carriers.mobile.sub_brands": 3,
                        "behaviour.sub_brand_dilution": 0.1}))
    assert ts["brand_value"].iloc[0] == pytest.approx(8 * (1 - 2 * 0.1))
    assert (series({"months": 3})["brand_value"] == [8, 0, 0] * 3).all()


def test_retiring_sub_brands_books_its_cost_once():
    retire = [{"lever": "retire_sub_brands", "start": "2019-05", "cost_per_brand": 1e6}]
    # a market large enough, and a pull strong enough, that retiring shows in the ports
    brands = {"carriers.mobile.sub_brands": 3, "behaviour.sub_brand_price_pull": 0.4}
    kept = mobile(series(brands, size=12000))
    ts = mobile(series({**brands, "strategies.mobile": retire}, size=12000))
    assert ts["cost_retire_sub_brands"].sum() == 2e6
    assert (ts["cost_retire_sub_brands"] > 0).sum() == 1
    assert ts.loc[ts["month"] == "2019-05", "cost_retire_sub_brands"].iloc[0] == 2e6
    assert (ts.loc[ts["month"] < "2019-05", "sub_brands"] == 3).all()
    assert (ts.loc[ts["month"] >= "2019-05", "sub_brands"] == 1).all()
    assert (ts.loc[ts["month"] >= "2019-05", "brand_value"] == 8).all()
    assert ts["port_out"].sum() < kept["port_out"].sum()


def test_retiring_with_none_to_retire_costs_nothing_and_changes_nothing():
    retire = [{"lever": "retire_sub_brands", "start": "2019-05", "cost_per_brand": 1e6}]
    base = series({})
    ts = series({"strategies.mobile": retire})
    assert (mobile(ts)["cost_retire_sub_brands"] == 0).all()
    assert_same_except_new_columns(base, ts)


# ---------------------------------------------------------------- conservation

def test_subscribers_are_conserved_with_both_mechanisms_on():
    ts = series({**POINTS_ON, "carriers.mobile.points_handling": 0.3,
                 "carriers.mobile.sub_brands": 4, "carriers.unicom.points_accrual": 0.02})
    spec = make_scenario()
    total = ts.groupby("month")["subscribers"].sum()
    assert np.allclose(total, spec.represents())
    assert np.allclose(ts.groupby("month")["net_porting"].sum(), 0)
