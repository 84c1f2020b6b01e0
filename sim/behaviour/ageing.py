"""A month passes for every subscriber: tenure, contract and discount months, stars.

Star levels follow tenure and spend (seed 003), so they are recomputed for every
subscriber each month; carriers without a star programme give none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.behaviour.stars import _score, _stars
from sim.jit import njit
from sim.population import Subscribers

if TYPE_CHECKING:
    from sim.behaviour.market import MarketState

TENURE_CAP = np.iinfo(np.uint16).max  # months; tenure stops counting here


@njit
def _age(tenure, contract_left, discount_left):
    for i in range(tenure.size):
        tenure[i] += tenure[i] < TENURE_CAP
        contract_left[i] -= contract_left[i] > 0
        discount_left[i] -= discount_left[i] > 0


@njit
def _star_levels(carrier, segment, brand_tier, spend, suspensions, tenure, price, programme,
                 stars):
    for i in range(carrier.size):
        c = carrier[i]
        # the list bill (before personal discounts) is the spend that earns stars
        bill = price[c, segment[i]] * spend[i]
        stars[i] = _stars(_score(brand_tier[i], tenure[i], bill, suspensions[i])) * programme[c]


def age_one_month(subs: Subscribers, market: MarketState) -> None:
    """Advance every subscriber's clocks by one month and update star levels."""
    _age(subs.tenure, subs.contract_left, subs.discount_left)
    # codes are never negative: unsigned views spare the compiled loop index checks
    _star_levels(subs.carrier.view(np.uint8), subs.segment.view(np.uint8),
                 subs.brand_tier.view(np.uint8), subs.spend_factor, subs.suspensions,
                 subs.tenure, market.list_prices, market.star_programme, subs.stars)
