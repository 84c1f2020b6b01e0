"""Price lever: cheaper (or dearer) plans for every subscriber (seeds 001, 004)."""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer
from sim.scenario.params import SEED, param


class PriceChange(Action):
    """Change the carrier's price (ARPU) by a percentage. Revenue follows automatically."""

    lever: Literal["price_change"]
    percent: float = param(..., unit="%", source=SEED["004"], gt=-90, le=300,
                           description="Price change, e.g. -10 for a 10% cut.")

    def apply(self, offer: Offer, months_active: int) -> None:
        offer.price_factor *= 1.0 + self.percent / 100.0
