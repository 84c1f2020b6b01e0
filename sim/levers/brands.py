"""Retiring sub-brands (seed 002: many tariff brands dilute the carrier's own image).

`retire_sub_brands` consolidates the carrier's tariff brands into `keep` from its start
month (for good, unless an `end` is given): the brand value is no longer diluted by the
retired ones and their subscribers feel less of a cheaper rival's pull
(sim/behaviour/sub_brands.py). Subscribers keep their star brand tier (seed 003's
points for GoTone, M-Zone, Easy Own): the carrier honours it under the one brand.
It costs `cost_per_brand` for each brand retired, booked once, in the action's first
month (a carrier with no more than `keep` brands retires none and pays nothing).
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer, Usage
from sim.params import ASSUMPTION, SEED, param


class RetireSubBrands(Action):
    """Consolidate the carrier's sub-brands into fewer brands, at a one-off cost per brand."""

    ORDER = 175  # after the bundle and parity levers, in the documentation and the columns

    lever: Literal["retire_sub_brands"]
    keep: int = param(1, unit="brands", source=SEED["002"], ge=1, le=20,
                      description="Brands left after the consolidation (1: the carrier's own).")
    cost_per_brand: float = param(
        500_000_000.0, unit="yuan per brand retired",
        source=ASSUMPTION + " (a national relaunch campaign and the migration of a brand's "
        "tariffs and billing to the carrier's own)",
        ge=0, description="One-off cost of retiring one brand, booked in the first month.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Sell under at most `keep` brands."""
        offer.sub_brands = min(offer.sub_brands, self.keep)

    def retired(self, usage: Usage) -> float:
        """Brands this action retires from the carrier's own (0 if it has no more than keep)."""
        return max(usage.sub_brands - self.keep, 0.0)

    def month_cost(self, usage: Usage, index: int, first_month: bool) -> float:
        """The action's cost model, plus `cost_per_brand` per brand retired in its first month."""
        total = super().month_cost(usage, index, first_month)
        return total + (self.cost_per_brand * self.retired(usage) if first_month else 0.0)
