"""The month closes: clocks advance, stars are re-rated, per-carrier totals are taken.

One pass over every subscriber does all three, because they read the same columns:
- tenure, contract months and personal-discount months advance;
- star levels follow tenure and the list bill (seed 003); carriers without a star
  programme give none;
- each row's bill paid is kept for next month's bill shock (sim/behaviour/bill_shock.py);
- per carrier: subscribers, bills paid (after personal discounts and fitted plans'
  savings), bundle holders, and the sums of satisfaction, awareness, stars and plan
  mismatch, and the numbers ported once or more, exactly twice, three times or more.
  The books and the collected
  series need only these, so what is stored per month does not grow with the
  population.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.behaviour.bill_shock import paid_bill
from sim.behaviour.stars import SPEND_WINDOW_MONTHS, _score, _stars
from sim.jit import njit
from sim.population import Subscribers

if TYPE_CHECKING:
    from sim.behaviour.offers import MarketState

TENURE_CAP = np.iinfo(np.uint16).max  # months; tenure stops counting here


@njit
def _close_month(carrier, segment, brand_tier, spend, suspensions, discount, has_bundle,
                 pays_fee, satisfaction, aware, saving, mismatch, times_ported, price, programme,
                 tenure, contract_left, discount_left, avg_spend, stars, last_bill, totals):
    for i in range(carrier.size):
        tenure[i] += tenure[i] < TENURE_CAP
        contract_left[i] -= contract_left[i] > 0
        c = carrier[i]
        bill = paid_bill(price[c, segment[i]], spend[i], saving[i], discount[i],
                         discount_left[i])  # bills paid this month
        discount_left[i] -= discount_left[i] > 0  # before the discount runs down
        last_bill[i] = bill  # what a rise next month is measured from (bill shock)
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
        totals[7, c] += mismatch[i]
        ported = times_ported[i]  # the number's ports (sim/behaviour/memory.py)
        totals[8, c] += ported >= 1
        totals[9, c] += ported == 2
        totals[10, c] += ported >= 3


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
    plan_mismatch: np.ndarray   # sum of the share of the bill wasted (plan fit)
    ported: np.ndarray          # numbers ported at least once (sim/behaviour/memory.py)
    ported_twice: np.ndarray    # numbers ported exactly twice
    ported_three_plus: np.ndarray  # numbers ported three times or more

    def mean(self, total: np.ndarray) -> np.ndarray:
        """Per-carrier mean of one of the sums."""
        return total / np.maximum(self.subscribers, 1)


def close_month(subs: Subscribers, market: MarketState) -> Census:
    """Advance every subscriber's clocks, re-rate stars and take the carriers' totals."""
    totals = np.zeros((11, len(market.price)), dtype=np.float64)
    # codes are never negative: unsigned views spare the compiled loop its index checks
    u8 = lambda column: column.view(np.uint8)  # noqa: E731
    _close_month(u8(subs.carrier), u8(subs.segment), u8(subs.brand_tier), subs.spend_factor,
                 subs.suspensions, subs.discount, subs.has_bundle, subs.pays_bundle_fee,
                 subs.satisfaction, subs.aware, subs.plan_saving, subs.plan_mismatch,
                 subs.times_ported, market.list_prices, market.star_programme, subs.tenure,
                 subs.contract_left, subs.discount_left, subs.avg_spend, subs.stars,
                 subs.last_bill, totals)
    return Census(*totals)
