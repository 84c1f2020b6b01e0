"""The month closes: clocks advance, stars are re-rated, per-carrier totals are taken.

One pass over every subscriber does all three, because they read the same columns:
- tenure, contract months and personal-discount months advance;
- star levels follow tenure and the list bill (seed 003); carriers without a star
  programme give none;
- per carrier: subscribers, bills paid (after personal discounts), bundle holders,
  and the sums of satisfaction, awareness and stars. The books and the collected
  series need only these, so what is stored per month does not grow with the
  population.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.behaviour.stars import SPEND_WINDOW_MONTHS, _score, _stars
from sim.jit import njit
from sim.population import Subscribers

if TYPE_CHECKING:
    from sim.behaviour.offers import MarketState

TENURE_CAP = np.iinfo(np.uint16).max  # months; tenure stops counting here


@njit
def _close_month(carrier, segment, brand_tier, spend, suspensions, discount, has_bundle,
                 pays_fee, satisfaction, aware, price, programme, tenure, contract_left,
                 discount_left, avg_spend, stars, totals):
    for i in range(carrier.size):
        tenure[i] += tenure[i] < TENURE_CAP
        contract_left[i] -= contract_left[i] > 0
        c = carrier[i]
        bill = price[c, segment[i]] * spend[i]
        if discount_left[i] > 0:  # bills paid this month, before the discount runs down
            bill *= np.float32(1.0) - np.float32(discount[i]) / np.float32(100.0)
            discount_left[i] -= 1
        # the average monthly bill paid with this carrier (a running mean over the last
        # SPEND_WINDOW_MONTHS; the first month's bill exactly) earns stars, seed 003
        # (most bills equal their average: those rows skip the update, a predictable branch)
        avg = avg_spend[i]
        if bill != avg:
            window = min(np.int32(tenure[i]), SPEND_WINDOW_MONTHS)
            avg = bill if window <= 1 else avg + (bill - avg) / np.float32(window)
            avg_spend[i] = avg
        level = _stars(_score(brand_tier[i], tenure[i], avg, suspensions[i])) * programme[c]
        stars[i] = level
        totals[0, c] += 1.0
        totals[1, c] += bill
        totals[2, c] += has_bundle[i]
        totals[3, c] += satisfaction[i]
        totals[4, c] += aware[i]
        totals[5, c] += level
        totals[6, c] += pays_fee[i]


@dataclass
class Census:
    """Per-carrier totals (N,) over subscriber rows (multiply by the model's scale)."""

    subscribers: np.ndarray
    paid: np.ndarray            # yuan/month of bills after personal discounts
    bundle_holders: np.ndarray
    satisfaction: np.ndarray    # sums: divide by subscribers for means
    aware: np.ndarray
    stars: np.ndarray
    bundle_payers: np.ndarray   # holders paying a bundle fee (bought under an offer)

    def mean(self, total: np.ndarray) -> np.ndarray:
        """Per-carrier mean of one of the sums."""
        return total / np.maximum(self.subscribers, 1)


def close_month(subs: Subscribers, market: MarketState) -> Census:
    """Advance every subscriber's clocks, re-rate stars and take the carriers' totals."""
    totals = np.zeros((7, len(market.price)), dtype=np.float64)
    # codes are never negative: unsigned views spare the compiled loop its index checks
    u8 = lambda column: column.view(np.uint8)  # noqa: E731
    _close_month(u8(subs.carrier), u8(subs.segment), u8(subs.brand_tier), subs.spend_factor,
                 subs.suspensions, subs.discount, subs.has_bundle, subs.pays_bundle_fee,
                 subs.satisfaction, subs.aware, market.list_prices, market.star_programme,
                 subs.tenure, subs.contract_left, subs.discount_left, subs.avg_spend,
                 subs.stars, totals)
    return Census(*totals)
