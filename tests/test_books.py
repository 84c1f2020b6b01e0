"""The strategy books: every incentive booked once, to the carrier that offers it, and an
action that does nothing changes nothing (issue: books you can trust)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.behaviour.month_end import close_month
from sim.model import MNPModel
from sim.runner import run

from .conftest import make_scenario

RIVALS = {  # rivals with strategies that draw at random: their draws must not leak
    "strategies.unicom": [{"lever": "bundle_offer", "start": "2019-03", "take_up": 0.05,
                           "fee": 10, "monthly_value": 30}],
    "strategies.telecom": [{"lever": "targeted_poaching", "start": "2019-07", "reach": 0.3}],
}


def _ts(**overrides) -> pd.DataFrame:
    return run(make_scenario(**overrides)).timeseries


def _lever_columns(ts: pd.DataFrame) -> list[str]:
    return [c for c in ts.columns if c.startswith("cost") or c in (
        "retention_offers", "retained", "poaching_contacts", "poaching_wins", "profit")]


def assert_same_outside_books(a: pd.DataFrame, b: pd.DataFrame) -> None:
    keep = [c for c in a.columns if c not in _lever_columns(a)]
    pd.testing.assert_frame_equal(a[keep], b[keep])


@pytest.fixture(scope="module")
def with_rivals() -> pd.DataFrame:
    return _ts(**RIVALS)


@pytest.mark.parametrize("action", [
    {"lever": "churn_early_warning", "start": "2019-07", "recall": 0.0},
    {"lever": "targeted_poaching", "start": "2019-07", "min_monthly_spend": 1e9},
    {"lever": "win_back", "start": "2019-07", "max_contacts_per_month": 1e-9},
], ids=["warning that flags nobody", "poaching that matches nobody", "idle win-back"])
def test_an_action_that_does_nothing_changes_nothing_with_rivals_active(with_rivals, action):
    ts = _ts(**RIVALS, **{"strategies.mobile": [action]})
    assert_same_outside_books(ts, with_rivals)


def test_a_zero_yuan_bonus_changes_nothing():
    base = _ts()
    zero = _ts(**{"strategies.unicom": [{"lever": "port_in_bonus", "start": "2019-03",
                                         "bonus": 0}]})
    assert_same_outside_books(zero, base)


def test_the_port_in_bonus_goes_to_ports_only():
    """With MNP never open nobody ports: a bonus (neglect aside) moves no new-number
    switcher and costs nothing, however large."""
    closed = {"policy.mnp_start": None, "behaviour.neglect_hit": 0.0}
    base = _ts(**closed)
    bonus = _ts(**closed, **{"strategies.unicom": [
        {"lever": "port_in_bonus", "start": "2019-03", "bonus": 300}]})
    assert bonus["port_in"].sum() == 0 and bonus["cost_port_in_bonus"].sum() == 0
    assert_same_outside_books(bonus, base)


def test_an_extended_bonus_books_what_parity_books():
    bonus = {"lever": "port_in_bonus", "start": "2019-03", "bonus": 120}
    own = _ts(**{"strategies.unicom": [{**bonus, "existing_customers_too": True}]})
    parity = _ts(**{"strategies.unicom": [bonus, {"lever": "existing_customer_parity",
                                                  "start": "2019-03"}]})
    pd.testing.assert_frame_equal(own.drop(columns="cost_existing_customer_parity"),
                                  parity.drop(columns="cost_existing_customer_parity"))
    assert parity["cost_existing_customer_parity"].sum() == 0  # booked once, by the bonus
    unicom = own[own["carrier"] == "unicom"]
    assert (unicom["cost_port_in_bonus"] >= 120 * unicom["port_in"] - 1e-6).all()
    assert unicom["cost_port_in_bonus"].sum() > 120 * unicom["port_in"].sum()  # claims paid


def test_neglect_grows_with_the_offer_and_vanishes_at_zero():
    closed = {"policy.mnp_start": None}  # no ports: satisfaction moves only by neglect
    sat = {}
    for bonus in (0, 100, 400):
        ts = _ts(**closed, **{"strategies.mobile": [
            {"lever": "port_in_bonus", "start": "2019-02", "bonus": bonus}]})
        sat[bonus] = ts[ts["carrier"] == "mobile"]["satisfaction_mean"].iloc[-1]
    base = _ts(**closed)
    assert sat[0] == base[base["carrier"] == "mobile"]["satisfaction_mean"].iloc[-1]
    assert sat[400] < sat[100] < sat[0]


def test_bundle_fees_are_paid_by_buyers_only_and_a_bundle_not_worth_its_fee_sells_nothing():
    offer = {"lever": "bundle_offer", "start": "2019-04", "take_up": 0.05, "fee": 30,
             "monthly_value": 60}
    ts = _ts(**{"strategies.mobile": [offer]})
    mobile = ts[ts["carrier"] == "mobile"].reset_index(drop=True)
    first = mobile.index[mobile["month"] == "2019-04"][0]
    assert mobile.loc[:first - 1, "bundle_revenue"].eq(0).all()
    # in its first month only that month's buyers pay, not the holders from before
    assert mobile.loc[first, "bundle_revenue"] == pytest.approx(30 * mobile.loc[first,
                                                                               "bundles_sold"])
    assert (mobile["bundle_revenue"] <= 30 * mobile["bundles_sold"].cumsum() + 1e-6).all()
    dear = _ts(**{"strategies.mobile": [{**offer, "fee": 500, "monthly_value": 5}]})
    assert dear["bundles_sold"].sum() == 0
    assert_same_outside_books(dear.drop(columns="bundles_sold"), _ts().drop(columns="bundles_sold"))


def test_poaching_has_a_call_centre():
    ts = _ts(**{"population.size": 20000, "population.represents": 1.6e9,
                "strategies.unicom": [{"lever": "targeted_poaching", "start": "2019-07",
                                       "reach": 1.0}]})
    unicom = ts[ts["carrier"] == "unicom"]
    assert unicom["poaching_contacts"].max() <= 1_000_000 * 1.0001
    assert unicom["poaching_contacts"].max() > 0.9e6  # the cap binds in a market this size


def test_stars_follow_the_average_bill_paid():
    """Seed 003 rates average monthly spend: under a long 60% discount a 100-yuan list bill
    falls below the 80-yuan band within the year; the list bill alone would not."""
    model = MNPModel(make_scenario(**{"population.size": 200}))
    subs = model.subs
    subs.tenure[:] = 30
    subs.spend_factor[:] = np.float32(100.0) / model.market.list_prices[subs.carrier,
                                                                         subs.segment]
    subs.avg_spend[:] = 100.0
    subs.discount[:], subs.discount_left[:] = 60, 200
    for _ in range(12):
        close_month(subs, model.market)
    assert np.all(subs.avg_spend < 80) and np.all(subs.avg_spend > 40)


def test_defaults_follow_the_seeds_and_the_porting_rule():
    from sim.market import Carrier, Eligibility
    assert Carrier(subscribers=1, price=1).star_programme is False  # China Mobile's programme
    assert Eligibility().contract_lockin == "block"  # no port with a contract running
