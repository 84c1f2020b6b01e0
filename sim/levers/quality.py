"""Quality levers: network investment, service quality, billing transparency.

Network (seeds 001, 004): capex raises network quality after a build delay.
Service (seed 001): better complaint handling; the probability that a
complaint is resolved well is the service quality. Transparency (seed 000):
fewer hidden fees and silent plan changes, so fewer billing surprises.
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer
from sim.scenario.params import SEED, param


class NetworkQualityChange(Action):
    """Raise (or lower) network quality by `delta`, `build_months` after the start."""

    lever: Literal["network_quality_change"]
    delta: float = param(..., unit="quality 0..1", source=SEED["001"], ge=-1, le=1,
                         description="Change in network quality once built.")
    build_months: int = param(0, unit="months", source=SEED["004"], ge=0,
                              description="Delay between the start (capex) and the effect.")

    def apply(self, offer: Offer, months_active: int) -> None:
        if months_active >= self.build_months:
            offer.network_quality += self.delta


class ServiceQualityChange(Action):
    """Raise (or lower) service quality: the chance a complaint is resolved well."""

    lever: Literal["service_quality_change"]
    delta: float = param(..., unit="quality 0..1", source=SEED["001"], ge=-1, le=1,
                         description="Change in service quality.")

    def apply(self, offer: Offer, months_active: int) -> None:
        offer.service_quality += self.delta


class TransparencyChange(Action):
    """Raise (or lower) billing transparency: fewer surprises, less add-on revenue."""

    lever: Literal["transparency_change"]
    delta: float = param(..., unit="transparency 0..1", source=SEED["000"], ge=-1, le=1,
                         description="Change in billing transparency.")

    def apply(self, offer: Offer, months_active: int) -> None:
        offer.transparency += self.delta
