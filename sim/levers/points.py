"""Loyalty points programme (seed 002: points handled well or badly; sim/behaviour/points.py).

`points_programme` starts a points programme or improves the carrier's own: while it
runs, the carrier's points accrue at `accrual_rate` (yuan of value per yuan billed),
are handled with quality `handling` (reminders before points lapse, easy redemption)
and clear every `expiry_months`; a term left out keeps the carrier's own
(`Carrier.points_*`). Points then add to what subscribers lose by leaving, and fewer
lapse unnoticed. What the programme costs is the value of the points redeemed while it
runs (all of the carrier's redemptions, points earned before it included), booked
once per carrier, on its first active `points_programme` action; without one, the
carrier's own programme's redemptions are booked to its `cost` (sim/books.py), so a
comparison's cost difference is what the programme adds.
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer, Usage
from sim.params import ASSUMPTION, SEED, param


class PointsProgramme(Action):
    """Start or improve a loyalty points programme: accrual rate, handling, expiry."""

    ORDER = 85  # after loyalty_rewards, in the documentation and the columns

    lever: Literal["points_programme"]
    accrual_rate: float | None = param(
        None, unit="yuan of points value per yuan billed",
        source=SEED["002"] + "; " + ASSUMPTION, ge=0, le=1,
        description="Points earned per yuan of bill while the programme runs (0.01: China "
                    "Mobile's 1 point per yuan at 0.01 yuan a point); omitted: the carrier's "
                    "points_accrual.")
    handling: float | None = param(
        None, unit="0..1", source=SEED["002"] + "; " + ASSUMPTION, ge=0, le=1,
        description="Handling quality while it runs: chance a subscriber is reminded and "
                    "redeems points before they lapse; omitted: the carrier's points_handling.")
    expiry_months: int | None = param(
        None, unit="months", source=ASSUMPTION, ge=1, le=120,
        description="Points earned in one period of this many months lapse at the end of the "
                    "next; omitted: the carrier's points_expiry_months.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Set the programme's terms on the offer (terms left out keep the carrier's)."""
        if self.accrual_rate is not None:
            offer.points_accrual = self.accrual_rate
        if self.handling is not None:
            offer.points_handling = self.handling
        if self.expiry_months is not None:
            offer.points_expiry_months = self.expiry_months

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: the points redeemed (on the carrier's first such action)."""
        return usage.points_redeemed.get(index, 0.0)
