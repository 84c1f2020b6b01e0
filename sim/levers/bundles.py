"""Bundles: home broadband and family plans (seed 002's "scientifically set switching costs").

A bundle raises the cost of leaving through value, not coercion. While the offer runs,
a share of the carrier's subscribers without a bundle are offered one each month and
take it if its `monthly_value` to them is worth its `fee` (their price sensitivity
times the fee). Buyers then enjoy the value and pay the fee every month (their value
of staying counts both; the fee is revenue), and lose `lock_in_value` on top of the
carrier's own `bundle_value` on leaving. Subscribers who held a bundle before the
offer keep what they had: they neither pay its fee nor get its extras.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.draws import events
from sim.levers.base import Action, Campaign, Column, Offer, Usage
from sim.params import ASSUMPTION, SEED, param

if TYPE_CHECKING:
    from sim.context import MonthContext


class BundleOffer(Action):
    """Sell home broadband / family bundles to the carrier's own subscribers."""

    ORDER = 160  # position in the documentation and the columns

    COLUMNS = (Column("bundles_sold", "real subscribers/month",
                      "Bundles bought under the carrier's bundle offers this month.", "taken"),)

    lever: Literal["bundle_offer"]
    take_up: float = param(0.02, unit="probability/month", source=ASSUMPTION, ge=0, le=1,
                           description="Chance a subscriber without a bundle takes one.")
    monthly_value: float = param(
        40.0, unit="yuan/month", source=SEED["002"] + "; " + ASSUMPTION + " (worth more than "
        "its fee to a typical buyer, or nobody would take it)", ge=0,
        description="Value a buyer enjoys each month (weighed against the fee by each "
                    "subscriber's price sensitivity).")
    lock_in_value: float = param(
        200.0, unit="yuan", source=SEED["002"] + "; " + ASSUMPTION, ge=0,
        description="Extra value lost on leaving, on top of the carrier's bundle_value.")
    fee: float = param(30.0, unit="yuan/month", source=ASSUMPTION, ge=0,
                       description="Revenue per bundle holder per month.")
    cost_per_bundle_month: float = param(20.0, unit="yuan/month", source=ASSUMPTION, ge=0,
                                         description="Cost of serving one bundle for a month.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Add the bundle's take-up, monthly and lock-in value and fee to the offer."""
        offer.bundle_take_up = max(offer.bundle_take_up, self.take_up)
        offer.bundle_monthly_value += self.monthly_value
        offer.bundle_value_extra += self.lock_in_value
        offer.bundle_fee += self.fee

    def settle(self, run: Campaign, m: MonthContext) -> None:
        """A share of the carrier's subscribers without a bundle are offered one.

        The share is the carrier's highest take-up among its bundle offers, sold once a month
        by the first; those who value it above its fee take it and pay the fee from then on.
        """
        if not m.first_for_carrier(self.kind, run.carrier):
            return
        subs, market, j = m.subs, m.market, run.carrier
        p = np.where(subs.carrier == j, market.bundle_take_up[j], np.float32(0))
        offered = events(m.action_rng(run), p)
        offered = offered[~subs.has_bundle[offered]]
        worth = market.bundle_monthly_value[j] >= subs.price_sensitivity[offered] \
            * market.bundle_fee[j]
        buyers = offered[worth]
        subs.has_bundle[buyers] = True
        subs.pays_bundle_fee[buyers] = True
        run.count("reached", offered.size)
        run.count("taken", buyers.size)

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: the cost per bundle month times the bundle holders."""
        return self.cost_per_bundle_month * usage.bundle_holders
