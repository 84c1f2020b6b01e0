"""Transparency lever: remove hidden fees and notify plan changes (seed 000, 002).

Fewer billing surprises (sim/behaviour/experiences.py), and less revenue from
add-ons and hidden fees (carriers' `addon_revenue_share` falls with transparency).
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer
from sim.params import SEED, param


class TransparencyChange(Action):
    """Raise (or lower) billing transparency: fewer surprises, less add-on revenue."""

    ORDER = 150  # position in the documentation and the columns

    lever: Literal["transparency_change"]
    delta: float = param(..., unit="transparency 0..1", source=SEED["000"], ge=-1, le=1,
                         description="Change in billing transparency.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Add `delta` to transparency."""
        offer.transparency += self.delta
