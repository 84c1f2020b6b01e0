"""Every lever moves the outcome in its documented direction, and its cost adds up.

Each test runs the small test market with and without the lever on the same seeds
(common random numbers), so the difference is the lever's effect.
"""

import numpy as np
import pandas as pd
import pytest

from sim import run
from sim.columns import COST_COLUMNS
from sim.levers import ChurnEarlyWarning, ComplaintDeadline, TargetedPoaching
from sim.params import CHINA_CARRIERS as CARRIERS

from .conftest import make_scenario

SEEDS = (1, 2)


def runs(actions: dict | None = None, seeds=SEEDS, **overrides):
    """Results of the test market with `actions` per carrier (e.g. {"unicom": [...]})."""
    extra = {f"strategies.{k}": v for k, v in (actions or {}).items()}
    scenario = make_scenario(**extra, **overrides)
    return [run(scenario, seed=s) for s in seeds]


def carrier_total(results, column, carrier):
    return float(np.mean([r.timeseries.query("carrier == @carrier")[column].sum()
                          for r in results]))


def carrier_mean(results, column, carrier, since="2019-07"):
    return float(np.mean([r.timeseries.query("carrier == @carrier and month >= @since")[column]
                          .mean() for r in results]))


def act(lever, **fields):
    return [{"lever": lever, "start": "mnp", **fields}]


@pytest.fixture(scope="module")
def baseline():
    return runs()


# ---------------------------------------------------------------- price and plans

def test_segment_plan_wins_the_targeted_segment(baseline):
    plan = runs({"unicom": act("segment_plan", segment="youth", percent=-30, extra_value=10)})

    def port_in(results, segment):
        return np.mean([r.segment_porting.query("carrier == 'unicom' and segment == @segment")
                        ["port_in"].sum() for r in results])

    gain_youth = port_in(plan, "youth") - port_in(baseline, "youth")
    assert gain_youth > 0.5 * port_in(baseline, "youth")
    others = [s for s in ("business", "family", "elderly", "mass")]
    gain_others = sum(port_in(plan, s) - port_in(baseline, s) for s in others)
    assert abs(gain_others) < 0.25 * gain_youth


def test_segment_plan_cost_is_charged_on_the_segment_only():
    res = runs({"unicom": act("segment_plan", segment="elderly", extra_value=10,
                              cost_share_of_value=1.0)}, seeds=(1,))[0]
    ts = res.timeseries.query("carrier == 'unicom' and month >= '2019-07'")
    cost = ts["cost_segment_plan"].to_numpy()
    # at most the elderly share of the carrier's subscribers, never all of them
    assert (cost > 0).all()
    assert (cost < 10 * ts["subscribers"].to_numpy() * 0.5).all()


# ---------------------------------------------------------------- acquisition

def test_port_in_bonus_raises_port_ins_and_costs_bonus_per_port(baseline):
    bonus = runs({"telecom": act("port_in_bonus", bonus=400)})
    assert carrier_total(bonus, "port_in", "telecom") > 1.1 * carrier_total(
        baseline, "port_in", "telecom")
    ts = bonus[0].timeseries.query("carrier == 'telecom'")
    np.testing.assert_allclose(ts["cost_port_in_bonus"], 400 * ts["port_in"], rtol=1e-9)


def test_handset_subsidy_locks_new_customers_in(baseline):
    sub = runs({"unicom": act("handset_subsidy", subsidy=1000, take_up=0.8, contract_months=24)})
    assert carrier_total(sub, "subsidised_contracts", "unicom") > 0
    assert carrier_mean(sub, "sc_contract", "unicom", since="2020-06") > carrier_mean(
        baseline, "sc_contract", "unicom", since="2020-06")
    ts = sub[0].timeseries.query("carrier == 'unicom'")
    np.testing.assert_allclose(ts["cost_handset_subsidy"], 1000 * ts["subsidised_contracts"])


def test_poaching_targets_only_the_chosen_customers():
    lever = TargetedPoaching(lever="targeted_poaching", start="2019-01", min_stars=3,
                             contract_ending_within=2, max_satisfaction=0.5,
                             segments=["business"])
    carrier = np.array([0, 0, 0, 0, 1, 2, 0])
    segment = np.array([1, 1, 1, 0, 1, 1, 1])   # 1 = business
    stars = np.array([3, 2, 5, 4, 4, 4, 3])
    bill = np.full(7, 80.0)
    contract = np.array([0, 0, 3, 1, 0, 0, 2])
    sat = np.array([0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.6])
    mask = lever.targets(1, CARRIERS, carrier, segment, stars, bill, contract, sat,
                         {"youth": 0, "business": 1})
    # row 0 matches; 1: too few stars; 2: contract too long; 3: wrong segment;
    # 4: the poacher's own customer; 5: telecom's customer matches; 6: satisfied
    assert mask.tolist() == [True, False, False, False, False, True, False]


def test_poaching_raises_port_ins_from_the_targeted_segment_only(baseline):
    poach = runs({"unicom": act("targeted_poaching", segments=["business"], reach=0.5,
                                offer_value=600, hassle_waived=1.0)})

    def port_in(results, segment):
        return np.mean([r.segment_porting.query("carrier == 'unicom' and segment == @segment")
                        ["port_in"].sum() for r in results])

    gain = port_in(poach, "business") - port_in(baseline, "business")
    assert gain > 0.5 * port_in(baseline, "business")
    others = sum(port_in(poach, s) - port_in(baseline, s)
                 for s in ("youth", "family", "elderly", "mass"))
    assert abs(others) < 0.25 * gain
    ts = poach[0].timeseries.query("carrier == 'unicom'")
    assert (ts["poaching_wins"] <= ts["poaching_contacts"]).all()
    np.testing.assert_allclose(ts["cost_targeted_poaching"],
                               5 * ts["poaching_contacts"] + 600 * ts["poaching_wins"])


# ---------------------------------------------------------------- retention

def test_early_warning_flags_with_the_stated_precision_and_recall():
    lever = ChurnEarlyWarning(lever="churn_early_warning", start="2019-01", precision=0.25,
                              recall=0.6)
    rng = np.random.default_rng(0)
    churners, others = np.arange(0, 20_000), np.arange(20_000, 400_000)
    hits, false = lever.flag(rng, churners, others, rows_per_real=1.0)
    assert hits.size / churners.size == pytest.approx(0.6, abs=0.02)
    assert hits.size / (hits.size + false.size) == pytest.approx(0.25, abs=0.01)
    assert np.isin(hits, churners).all() and np.isin(false, others).all()


def test_perfect_early_warning_retains_more_than_a_random_one_at_equal_budget():
    budget = {"max_offers_per_month": 4.0, "offer": {"discount_percent": 40, "months": 12}}
    perfect = runs({"mobile": act("churn_early_warning", precision=1.0, recall=1.0, **budget)})
    # a model no better than chance: precision equal to the monthly churn rate (~1%)
    random = runs({"mobile": act("churn_early_warning", precision=0.01, recall=1.0, **budget)})
    assert carrier_total(perfect, "retained", "mobile") > 3 * carrier_total(
        random, "retained", "mobile")
    assert carrier_total(perfect, "port_out", "mobile") < carrier_total(
        random, "port_out", "mobile")
    offers = [carrier_total(r, "retention_offers", "mobile") for r in (perfect, random)]
    assert max(offers) <= 4.0 * 18 + 1e-9  # the budget cap holds in every month


def test_renewal_offer_keeps_contract_enders(baseline):
    renew = runs({"mobile": act("renewal_offer", offer={"discount_percent": 50, "months": 12},
                                new_contract_months=12)})
    assert carrier_total(renew, "renewals", "mobile") > 0
    assert carrier_total(renew, "port_out", "mobile") < carrier_total(
        baseline, "port_out", "mobile")


def test_loyalty_rewards_raise_the_loyalty_switching_cost(baseline):
    rewards = runs({"unicom": act("loyalty_rewards", value_per_star=5, forfeit_per_star=200)})
    assert carrier_mean(rewards, "sc_loyalty", "unicom") > carrier_mean(
        baseline, "sc_loyalty", "unicom")
    assert carrier_total(rewards, "port_out", "unicom") < carrier_total(
        baseline, "port_out", "unicom")
    ts = rewards[0].timeseries.query("carrier == 'unicom' and month >= '2019-07'")
    stars = ts["stars_mean"] * ts["subscribers"]
    np.testing.assert_allclose(ts["cost_loyalty_rewards"], 0.5 * 5 * stars, rtol=1e-6)


# ---------------------------------------------------------------- service, network, billing

def test_complaint_deadline_gain_follows_the_promised_days():
    lever = ComplaintDeadline(lever="complaint_deadline", start="2019-01", promised_days=15)
    assert lever.gain() == pytest.approx(0.003 * 15)
    res = runs({"mobile": act("complaint_deadline", promised_days=15)}, seeds=(1,))[0]
    ts = res.timeseries.query("carrier == 'mobile'")
    assert ts.query("month >= '2019-07'")["service_quality"].iloc[0] == pytest.approx(0.55 + 0.045)
    assert ts.query("month < '2019-07'")["service_quality"].iloc[0] == pytest.approx(0.55)


@pytest.mark.parametrize("lever", ["first_contact_resolution", "complaint_follow_up",
                                   "ai_human_support"])
def test_service_levers_resolve_more_complaints_and_keep_subscribers(baseline, lever):
    better = runs({"mobile": act(lever)})

    def resolved(results):
        return (carrier_total(results, "complaints_resolved_well", "mobile")
                / carrier_total(results, "complaints", "mobile"))

    assert resolved(better) > resolved(baseline) + 0.02
    assert carrier_mean(better, "satisfaction_mean", "mobile") > carrier_mean(
        baseline, "satisfaction_mean", "mobile")


def test_weak_coverage_investment_fixes_weak_areas_only(baseline):
    fix = runs({"unicom": [{"lever": "network_quality_change", "start": "2019-01", "delta": 0.3,
                            "build_months": 3, "weak_coverage_only": True}]})
    assert carrier_total(fix, "network_problems", "unicom") < 0.95 * carrier_total(
        baseline, "network_problems", "unicom")
    # the carrier's headline (average) quality is a property of the offer, unchanged
    assert carrier_mean(fix, "network_quality", "unicom") == pytest.approx(
        carrier_mean(baseline, "network_quality", "unicom"))


def test_transparency_lowers_billing_surprises_and_addon_revenue(baseline):
    clear = runs({"mobile": act("transparency_change", delta=0.4)})
    assert carrier_total(clear, "billing_surprises", "mobile") < 0.8 * carrier_total(
        baseline, "billing_surprises", "mobile")
    per_sub = lambda r: carrier_total(r, "addon_revenue", "mobile") / carrier_total(  # noqa: E731
        r, "subscribers", "mobile")
    assert per_sub(clear) < 0.8 * per_sub(baseline)


def test_bundles_raise_switching_cost_through_value(baseline):
    bundles = runs({"telecom": act("bundle_offer", take_up=0.05)})
    assert carrier_mean(bundles, "bundle_share", "telecom", since="2020-06") > carrier_mean(
        baseline, "bundle_share", "telecom", since="2020-06") + 0.1
    assert carrier_mean(bundles, "sc_bundle", "telecom", since="2020-06") > carrier_mean(
        baseline, "sc_bundle", "telecom", since="2020-06")
    assert carrier_total(bundles, "port_out", "telecom") < carrier_total(
        baseline, "port_out", "telecom")
    assert carrier_total(bundles, "bundle_revenue", "telecom") > 0


def test_parity_removes_neglect_and_pays_claims():
    bonus = [{"lever": "port_in_bonus", "start": "mnp", "bonus": 200}]
    neglect = runs({"mobile": bonus})
    parity = runs({"mobile": bonus + act("existing_customer_parity")})
    assert carrier_mean(parity, "satisfaction_mean", "mobile") > carrier_mean(
        neglect, "satisfaction_mean", "mobile")
    assert carrier_total(parity, "port_out", "mobile") < carrier_total(
        neglect, "port_out", "mobile")
    assert carrier_total(parity, "cost_existing_customer_parity", "mobile") > 0
    ts = parity[0].timeseries.query("carrier == 'mobile'")
    per_row = 200 * parity[0].scenario.represents() / parity[0].scenario.population.size
    claims = ts["cost_existing_customer_parity"] / per_row  # whole claims, each paying 200
    np.testing.assert_allclose(claims, np.round(claims), atol=1e-6)


# ---------------------------------------------------------------- money

def test_costs_add_up_by_lever_month_and_carrier():
    actions = {
        "mobile": [{"lever": "network_quality_change", "start": "2019-03", "end": "2019-08",
                    "delta": 0.1, "cost": {"one_off": 1000.0, "per_month": 10.0,
                                           "per_subscriber_month": 0.5}}],
        "unicom": act("port_in_bonus", bonus=50) + act("churn_early_warning"),
        "telecom": act("bundle_offer") + act("loyalty_rewards"),
    }
    ts = runs(actions, seeds=(4,))[0].timeseries
    np.testing.assert_allclose(ts["cost"], ts[[c.name for c in COST_COLUMNS]].sum(axis=1), rtol=1e-9)
    np.testing.assert_allclose(ts["profit"], ts["revenue"] - ts["cost"], rtol=1e-9)
    mobile = ts[ts["carrier"] == "mobile"].set_index("month")["cost_network_quality_change"]
    subs = ts[ts["carrier"] == "mobile"].set_index("month")["subscribers"]
    active = (mobile.index >= "2019-03") & (mobile.index <= "2019-08")
    expected = pd.Series(0.0, index=mobile.index)
    expected[active] = 10.0 + 0.5 * subs[active]
    expected["2019-03"] += 1000.0
    np.testing.assert_allclose(mobile, expected, rtol=1e-9)
    for key in CARRIERS:
        assert (ts[ts["carrier"] == key]["cost"] >= 0).all()
