"""Bill shock: the bill rises over last month's (seed 004).

Seed 004: "部分运营商在推广初期可能推出优惠力度较大的套餐,但在合约到期后未能提供合理的续约方案"
(some carriers launch heavily discounted plans, then offer no reasonable renewal when the
contract ends): promotions that expire and poor renewal offers drive churn.

Each subscriber's bill paid is kept at the month's close (sim/behaviour/month_end.py).
In the next month's experiences, a subscriber with the same carrier whose bill this
month (the carrier's price and any segment plan, less a running personal discount and
a fitted plan's saving) is above last month's by more than `bill_shock_threshold`
(relative) suffers a bill shock: satisfaction falls by `bill_shock_hit` times the
relative rise (capped at a doubling), and they review their carrier this month with
chance `bill_shock_review` times the rise (at most 1). Rises come from a promotional
price cut or segment plan ending, a retention or renewal discount running out, or a
price rise. A move resets nothing here: the close after a move records the new
carrier's bill, so only a rise with the same carrier counts.

With `bill_shock_hit` and `bill_shock_review` both 0 the pass does not run. Its draws
come from a stream of its own (`bill_shock`), so it shifts no other draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.draws import chance
from sim.jit import inline, njit

if TYPE_CHECKING:
    from sim.behaviour.offers import MarketState
    from sim.market import Behaviour
    from sim.population import Subscribers

#: The relative rise counted in the satisfaction hit is capped here (a doubling).
MAX_RISE = 1.0


@inline
def paid_bill(list_price, spend, saving, discount, discount_left):
    """One row's bill paid this month (float32): list price x spend, less saving and discount."""
    bill = list_price * spend
    if saving > 0:
        bill *= np.float32(1.0) - saving
    if discount_left > 0:
        bill *= np.float32(1.0) - np.float32(discount) / np.float32(100.0)
    return bill


@njit
def _rises(carrier, segment, spend, saving, discount, discount_left, last_bill, price,
           threshold, rows, rise):
    """Rows whose bill rose by more than `threshold` (relative) into rows/rise; their count."""
    count = 0
    for i in range(carrier.size):
        last = last_bill[i]
        if last > 0:  # none before the first close
            bill = paid_bill(price[carrier[i], segment[i]], spend[i], saving[i], discount[i],
                             discount_left[i])
            r = bill / last - np.float32(1.0)
            if r > threshold:
                rows[count] = i
                rise[count] = r
                count += 1
    return count


@dataclass
class BillShocks:
    """This month's bill shocks: the rows hit, their relative rise, who reviews, per carrier."""

    rows: np.ndarray     # ascending rows whose bill rose
    rise: np.ndarray     # (rows,) relative rise
    review: np.ndarray   # ascending rows prompted to review
    per_carrier: np.ndarray  # (N,) rows shocked per carrier

    @classmethod
    def none(cls, n_carriers: int) -> BillShocks:
        """No shock this month."""
        empty = np.empty(0, dtype=np.int64)
        return cls(empty, np.empty(0, np.float32), empty, np.zeros(n_carriers, np.int64))


def bill_rises(subs: Subscribers, market: MarketState,
               threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """(rows, relative rise) of subscribers whose bill this month is above last month's."""
    n = len(subs)
    rows, rise = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.float32)
    u8 = lambda column: column.view(np.uint8)  # noqa: E731  codes, never negative
    count = _rises(u8(subs.carrier), u8(subs.segment), subs.spend_factor, subs.plan_saving,
                   subs.discount, subs.discount_left, subs.last_bill, market.list_prices,
                   np.float32(threshold), rows, rise)
    return rows[:count].copy(), rise[:count].copy()


def bill_shock(rng: np.random.Generator, subs: Subscribers, market: MarketState,
               beh: Behaviour) -> BillShocks:
    """Find this month's bill rises, apply their satisfaction hit, draw who reviews."""
    k = len(market.price)
    if beh.bill_shock_hit == 0 and beh.bill_shock_review == 0:
        return BillShocks.none(k)
    rows, rise = bill_rises(subs, market, beh.bill_shock_threshold)
    if rows.size == 0:
        return BillShocks.none(k)
    sat = subs.satisfaction
    hit = np.float32(beh.bill_shock_hit) * np.minimum(rise, np.float32(MAX_RISE))
    sat[rows] = np.clip(sat[rows] - hit, 0.0, 1.0)
    p = np.minimum(np.float32(beh.bill_shock_review) * rise, np.float32(1.0))
    review = rows[chance(rng, rows, p)]
    return BillShocks(rows, rise, review, np.bincount(subs.carrier[rows], minlength=k))
