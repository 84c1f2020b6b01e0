"""Bill shock, plan fit and the plan migration lever (seed 004).

Paired runs on the same seeds (common random numbers): the difference is the mechanism's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import run
from sim.behaviour.bill_shock import bill_rises
from sim.behaviour.month_end import close_month
from sim.behaviour.plan_fit import draw_misfit
from sim.model import MNPModel

from .conftest import make_scenario

SEEDS = (1, 2, 3)
CUT = {"lever": "price_change", "start": "mnp", "percent": -20}  # mnp = 2019-07
ENDS = "2020-01"  # the first month at the full price again after CUT ends at mnp+5
OFF = {"behaviour.bill_shock_hit": 0.0, "behaviour.bill_shock_review": 0.0,
       "behaviour.plan_mismatch_weight": 0.0}
MIGRATION = {"lever": "plan_migration", "start": "mnp", "min_mismatch": 0.1,
             "cost_per_contact": 4.0}


def mobile(seed: int, **overrides) -> pd.DataFrame:
    """China Mobile's monthly figures in the test market, by month."""
    result = run(make_scenario(**{"population.size": 8000, **overrides}), seed=seed)
    return result.timeseries.query("carrier == 'mobile'").set_index("month")


def at(frames: list[pd.DataFrame], month: str, column: str) -> float:
    return float(np.mean([f.loc[month, column] for f in frames]))


@pytest.fixture(scope="module")
def cuts():
    """China Mobile under a 20% cut that ends, one that never ends, and one ending unshocked."""
    ending = [mobile(s, **{"strategies.mobile": [{**CUT, "end": "mnp+5"}]}) for s in SEEDS]
    lasting = [mobile(s, **{"strategies.mobile": [CUT]}) for s in SEEDS]
    unshocked = [mobile(s, **{"strategies.mobile": [{**CUT, "end": "mnp+5"}],
                              "behaviour.bill_shock_hit": 0.0,
                              "behaviour.bill_shock_review": 0.0}) for s in SEEDS]
    return ending, lasting, unshocked


# ---------------------------------------------------------------- bill shock

def test_expiring_cut_shocks_its_subscribers_in_the_month_it_ends(cuts):
    ending, lasting, _ = cuts
    subscribers = at(ending, ENDS, "subscribers")
    assert at(ending, ENDS, "bill_shocks") > 0.9 * subscribers  # nearly all: price +25%
    assert at(ending, "2019-12", "bill_shocks") == 0  # while the cut runs, no rise
    assert at(ending, "2020-02", "bill_shocks") == 0  # once, not every month after
    assert sum(f["bill_shocks"].sum() for f in lasting) == 0
    # the shock is a satisfaction hit: about bill_shock_hit x 0.25 below the month before
    drop = at(ending, "2019-12", "satisfaction_mean") - at(ending, ENDS, "satisfaction_mean")
    assert drop > 0.05


def test_expiring_cut_spikes_port_outs_compared_with_a_cut_that_lasts(cuts):
    ending, lasting, unshocked = cuts
    spike = at(ending, ENDS, "port_out")
    assert spike > 4 * at(lasting, ENDS, "port_out") + 0.5
    assert spike > 3 * at(ending, "2019-12", "port_out") + 0.5
    # the price rising back alone (no shock) moves far fewer in that month
    assert spike > 2 * at(unshocked, ENDS, "port_out") + 0.5


def test_a_discount_running_out_is_a_rise_of_its_size():
    model = MNPModel(make_scenario(months=1, burn_in_months=0))
    subs = model.subs
    close_month(subs, model.market)  # bills recorded: nothing changed, no rise
    assert bill_rises(subs, model.market, 0.0)[0].size == 0
    rows = np.arange(0, len(subs), 7)
    subs.discount[rows], subs.discount_left[rows] = 20, 1
    close_month(subs, model.market)  # the discounted bill paid, the discount runs out
    shocked, rise = bill_rises(subs, model.market, 0.05)
    assert np.array_equal(shocked, rows)
    assert np.allclose(rise, 1 / 0.8 - 1, rtol=1e-5)


# ---------------------------------------------------------------- strength 0

def test_at_strength_zero_plan_fit_and_misfit_change_no_outcome():
    base = mobile(1, **OFF)
    other = mobile(1, **OFF, **{"carriers.mobile.plan_fit": 0.1,
                                "behaviour.usage_misfit_mean": 0.6})
    outcome = [c for c in base.columns if c != "plan_mismatch_mean"]
    pd.testing.assert_frame_equal(base[outcome], other[outcome])
    assert (other["plan_mismatch_mean"] > base["plan_mismatch_mean"] + 0.2).all()


def test_at_strength_zero_an_expiring_cut_shocks_nobody(cuts):
    _, _, unshocked = cuts
    assert sum(f["bill_shocks"].sum() for f in unshocked) == 0


def test_no_misfit_without_a_mean():
    rng = np.random.default_rng(0)
    assert not draw_misfit(rng, 100, 0.0).any()
    draws = draw_misfit(rng, 200_000, 0.25)
    assert abs(draws.mean() - 0.25) < 0.005 and draws.min() >= 0 and draws.max() <= 1


# ---------------------------------------------------------------- plan fit

def test_better_fitted_plans_keep_satisfaction_and_subscribers():
    good = [mobile(s, **{"carriers.mobile.plan_fit": 0.95}) for s in SEEDS]
    poor = [mobile(s, **{"carriers.mobile.plan_fit": 0.2}) for s in SEEDS]
    last = good[0].index[-1]
    assert at(good, last, "plan_mismatch_mean") < at(poor, last, "plan_mismatch_mean") - 0.1
    assert at(good, last, "satisfaction_mean") > at(poor, last, "satisfaction_mean") + 0.02
    assert at(good, last, "subscribers") > at(poor, last, "subscribers")
    assert (sum(f["port_out"].sum() for f in good)
            < sum(f["port_out"].sum() for f in poor))


# ---------------------------------------------------------------- plan migration

def _step_to(model: MNPModel, label: str) -> None:
    """Step until `label` is the last month recorded."""
    while model.datacollector.model_vars["month"][-1:] != [label]:
        model.step()


def test_migration_lowers_mismatch_and_books_its_saving_once():
    """In its first month the carrier's revenue falls by exactly the savings; cost per contact."""
    plain = MNPModel(make_scenario(**{"population.size": 8000}))
    fitted = MNPModel(make_scenario(**{"population.size": 8000,
                                       "strategies.mobile": [MIGRATION]}))
    for model in (plain, fitted):
        _step_to(model, "2019-07")
    subs, market = fitted.subs, fitted.market
    saved = subs.plan_saving > 0
    assert saved.any() and (subs.carrier[saved] == 0).all()
    list_bill = market.list_price(subs.carrier, subs.segment) * subs.spend_factor
    assert not subs.discount.any()  # no discounts here: the saving is on the list bill
    saving = float((list_bill * subs.plan_saving)[saved].sum())
    mob_plain, mob_fitted = plain.carriers[0], fitted.carriers[0]
    addon = 1 + market.addon_share[0] * (1 - market.transparency[0])
    assert mob_plain.revenue - mob_fitted.revenue == pytest.approx(
        saving * fitted.scale * addon, rel=1e-4)
    for j in (1, 2):  # the rivals' books are untouched
        assert plain.carriers[j].revenue == fitted.carriers[j].revenue
    contacts = mob_fitted.plan_migration_contacts
    assert contacts > 0 and mob_fitted.plan_migrations == pytest.approx(
        0.6 * contacts, rel=0.15)
    assert mob_fitted.cost == pytest.approx(4.0 * contacts)
    assert mob_fitted.cost_plan_migration == mob_fitted.cost
    assert mob_fitted.plan_mismatch_mean < mob_plain.plan_mismatch_mean - 0.01


def test_migration_over_a_run_lowers_mismatch_and_saving_stays_with_its_carrier():
    plain = [mobile(s) for s in SEEDS]
    fitted = [mobile(s, **{"strategies.mobile": [MIGRATION]}) for s in SEEDS]
    last = plain[0].index[-1]
    assert at(fitted, last, "plan_mismatch_mean") < 0.6 * at(plain, last, "plan_mismatch_mean")
    assert at(fitted, last, "satisfaction_mean") > at(plain, last, "satisfaction_mean")
    assert sum(f["port_out"].sum() for f in fitted) < sum(f["port_out"].sum() for f in plain)
    assert (sum(f["revenue"].sum() for f in fitted) < sum(f["revenue"].sum() for f in plain))
    model = MNPModel(make_scenario(**{"population.size": 8000,
                                      "strategies.mobile": [MIGRATION]}))
    model.run_months()
    assert (model.subs.carrier[model.subs.plan_saving > 0] == 0).all()


def test_migration_that_targets_nobody_does_nothing():
    plain = mobile(1)
    idle = mobile(1, **{"strategies.mobile": [{**MIGRATION, "min_mismatch": 1.0}]})
    pd.testing.assert_frame_equal(plain, idle)
    assert idle["plan_migration_contacts"].sum() == 0 and idle["cost"].sum() == 0


def test_migration_capacity_contacts_the_worst_fitted_first():
    capped = {**MIGRATION, "capacity": 10.0}  # real subscribers a month: 80 of 8000 rows
    model = MNPModel(make_scenario(**{"population.size": 8000, "strategies.mobile": [capped]}))
    _step_to(model, "2019-06")
    before = model.subs.plan_mismatch.copy()
    _step_to(model, "2019-07")
    assert model.carriers[0].plan_migration_contacts == pytest.approx(10.0, abs=0.2)
    changed = np.flatnonzero(model.subs.plan_mismatch < before)
    worst = np.sort(before[model.subs.carrier == 0])[-100]  # (a few of the worst 80 moved)
    assert changed.size > 30 and (before[changed] >= worst).all()
