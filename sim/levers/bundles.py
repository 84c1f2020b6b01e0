"""Bundles: home broadband and family plans (seed 002's "scientifically set switching costs").

A bundle raises the cost of leaving through value, not coercion: holders enjoy it
every month (`monthly_value` in their value of staying), pay a fee for it
(revenue), and lose it on leaving (`carriers.<key>.bundle_value` plus `lock_in_value`).
While the offer runs, a share of the carrier's subscribers without a bundle take one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.draws import events
from sim.levers.base import Action, Campaign, Offer, Usage
from sim.params import ASSUMPTION, SEED, param

if TYPE_CHECKING:
    from sim.context import MonthContext


class BundleOffer(Action):
    """Sell home broadband / family bundles to the carrier's own subscribers."""

    ORDER = 160  # position in the documentation and the columns

    lever: Literal["bundle_offer"]
    take_up: float = param(0.02, unit="probability/month", source=ASSUMPTION, ge=0, le=1,
                           description="Chance a subscriber without a bundle takes one.")
    monthly_value: float = param(10.0, unit="yuan/month", source=SEED["002"] + "; " + ASSUMPTION,
                                 ge=0, description="Value a holder enjoys each month.")
    lock_in_value: float = param(
        200.0, unit="yuan", source=SEED["002"] + "; " + ASSUMPTION, ge=0,
        description="Extra value lost on leaving, on top of the carrier's bundle_value.")
    fee: float = param(30.0, unit="yuan/month", source=ASSUMPTION, ge=0,
                       description="Revenue per bundle holder per month.")
    cost_per_bundle_month: float = param(20.0, unit="yuan/month", source=ASSUMPTION, ge=0,
                                         description="Cost of serving one bundle for a month.")

    def apply(self, offer: Offer, months_active: int) -> None:
        offer.bundle_take_up = max(offer.bundle_take_up, self.take_up)
        offer.bundle_monthly_value += self.monthly_value
        offer.bundle_value_extra += self.lock_in_value
        offer.bundle_fee += self.fee

    def settle(self, run: Campaign, m: MonthContext) -> None:
        """A share of the carrier's subscribers without a bundle take one (the carrier's
        highest take-up among its bundle offers, sold once a month by the first)."""
        if not m.first_for_carrier(self.kind, run.carrier):
            return
        subs, take_up = m.subs, m.market.bundle_take_up
        p = np.where(subs.carrier == run.carrier, take_up[run.carrier], np.float32(0))
        buyers = events(m.rng["levers"], p)
        buyers = buyers[~subs.has_bundle[buyers]]
        subs.has_bundle[buyers] = True
        run.count("taken", buyers.size)

    def lever_cost(self, usage: Usage, index: int) -> float:
        return self.cost_per_bundle_month * usage.bundle_holders
