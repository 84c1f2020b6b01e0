"""End-of-month totals per carrier over all subscribers, in one pass.

The books and the collected series need, per carrier: subscribers, bills paid,
bundle holders, and the sums of satisfaction, awareness and stars. Computing them
together reads each column once, and the data collector then stores only these
per-carrier figures, whatever the population size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.jit import njit
from sim.population import Subscribers

if TYPE_CHECKING:
    from sim.behaviour.market import MarketState


@njit
def _totals(carrier, segment, spend, discount, discount_left, has_bundle, satisfaction,
            aware, stars, price, out):
    for i in range(carrier.size):
        c = carrier[i]
        bill = price[c, segment[i]] * spend[i]
        if discount_left[i] > 0:
            bill *= 1.0 - discount[i] / 100.0
        out[0, c] += 1.0
        out[1, c] += bill
        out[2, c] += has_bundle[i]
        out[3, c] += satisfaction[i]
        out[4, c] += aware[i]
        out[5, c] += stars[i]


@dataclass
class Census:
    """Per-carrier totals (3,) over subscriber rows (multiply by the model's scale)."""

    subscribers: np.ndarray
    paid: np.ndarray            # yuan/month of bills after personal discounts
    bundle_holders: np.ndarray
    satisfaction: np.ndarray    # sums: divide by subscribers for means
    aware: np.ndarray
    stars: np.ndarray

    def mean(self, total: np.ndarray) -> np.ndarray:
        """Per-carrier mean of one of the sums."""
        return total / np.maximum(self.subscribers, 1)


def take_census(subs: Subscribers, market: MarketState) -> Census:
    """Count and sum the subscriber columns by carrier."""
    out = np.zeros((6, 3), dtype=np.float64)
    _totals(subs.carrier.view(np.uint8), subs.segment.view(np.uint8), subs.spend_factor, subs.discount, subs.discount_left,
            subs.has_bundle, subs.satisfaction, subs.aware, subs.stars, market.list_prices, out)
    return Census(*out)
