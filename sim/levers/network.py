"""Network lever: investment that raises network quality after a build delay (seeds 001, 004).

Weak-coverage areas (basements, high-rises, remote areas; DOMAIN.md) have network
quality below the carrier's average by `carriers.<key>.weak_coverage_gap`. An
investment can target only those areas (`weak_coverage_only`): cheaper, and it
closes the gap where complaints come from.
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer
from sim.params import SEED, param


class NetworkQualityChange(Action):
    """Raise (or lower) network quality by `delta`, `build_months` after the start (capex)."""

    ORDER = 140  # position in the documentation and the columns

    lever: Literal["network_quality_change"]
    delta: float = param(..., unit="quality 0..1", source=SEED["001"], ge=-1, le=1,
                         description="Change in network quality once built.")
    build_months: int = param(0, unit="months", source=SEED["004"], ge=0,
                              description="Delay between the start (capex) and the effect.")
    weak_coverage_only: bool = param(
        False, unit="flag", source=SEED["001"] + ", " + SEED["004"],
        description="Only raise quality in weak-coverage areas (up to the carrier's average).")

    def apply(self, offer: Offer, months_active: int) -> None:
        """After `build_months` active months, add `delta` to network quality (or weak coverage)."""
        if months_active < self.build_months:
            return
        if self.weak_coverage_only:
            offer.weak_coverage_gain += self.delta
        else:
            offer.network_quality += self.delta
