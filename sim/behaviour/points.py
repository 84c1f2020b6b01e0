"""Loyalty points (seed 002): earned with spend, lost on leaving, lapsing when badly handled.

Seed 002 lists "积分的处理方面" (how loyalty points are handled) among what lowers
satisfaction, and its "scientifically set switching costs" include benefits lost on
leaving. Each carrier with a programme (`Carrier.points_accrual` > 0) runs:

- accrual: every month a subscriber earns `points_accrual` x the list bill in points,
  counted in yuan of value (China Mobile's 1 point per yuan at about 0.01 yuan a point
  is 0.01);
- expiry: points earned in one period of `points_expiry_months` months (aligned to the
  calendar: 12 is a calendar year) lapse at the end of the next period. At each
  clearing a subscriber is reminded and redeems the lapsing points with probability
  `points_handling` (redeemed points are the carrier's cost, sim/books.py, or the
  `points_programme` action's while one runs); otherwise they lapse unnoticed or could
  not be redeemed, and a lapse worth `LAPSE_NOTICED_YUAN` or more costs
  `behaviour.points_lapse_hit` of satisfaction;
- forfeit: the whole balance is lost on leaving, so it adds to the loyalty part of the
  switching cost (as star benefits do, sim/behaviour/switching_cost.py); moving resets
  it (sim/behaviour/moves.py);
- value: a carrier's points are worth `points_accrual` x `points_handling` x the bill a
  month to anyone who would be its subscriber (badly handled points are worth less:
  hard to redeem).

Draws come from the stream "points" only; with no programme (every accrual 0 and no
points held) nothing is drawn or changed, so results are identical to the bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.draws import chance
from sim.jit import njit

if TYPE_CHECKING:
    from sim.behaviour.offers import MarketState
    from sim.market import Behaviour
    from sim.population import Subscribers

#: A lapse below this many yuan of points passes unnoticed (no satisfaction hit): assumption.
LAPSE_NOTICED_YUAN = 1.0
#: The random stream of the points mechanism (sim/context.py keys it by this name).
STREAM = "points"


@dataclass
class PointsMonth:
    """One month of points, per carrier (N,), in yuan per simulated row or rows."""

    redeemed: np.ndarray  # yuan of points redeemed at a clearing (the programme's cost)
    lapsed: np.ndarray    # yuan of points that lapsed unnoticed
    lapses: np.ndarray    # rows whose points lapsed (worth at least LAPSE_NOTICED_YUAN)

    @classmethod
    def none(cls, n_carriers: int) -> PointsMonth:
        """A month with no points redeemed or lapsed."""
        return cls(np.zeros(n_carriers), np.zeros(n_carriers), np.zeros(n_carriers))


def calendar_index(label: str) -> int:
    """Months since year 0 of a YYYY-MM label (clearings are aligned to the calendar)."""
    year, month = (int(x) for x in label.split("-"))
    return year * 12 + month - 1


def clearing(market: MarketState, label: str) -> np.ndarray:
    """(N,) bool: the carriers whose points period ends with month `label`."""
    return (calendar_index(label) + 1) % market.points_expiry.astype(np.int64) == 0


def in_use(subs: Subscribers, market: MarketState) -> bool:
    """Whether any carrier runs a programme or any subscriber still holds points."""
    return bool(market.points_accrual.any()) or bool(subs.points.any())


@njit
def _accrue(carrier, segment, spend, price, accrual, points):
    """points[i] += accrual_c x list bill, for every row (one pass, no temporaries)."""
    for i in range(carrier.size):
        c = carrier[i]
        rate = accrual[c]
        if rate > 0:
            points[i] += rate * (price[c, segment[i]] * spend[i])


def monthly(rng: np.random.Generator, subs: Subscribers, market: MarketState, beh: Behaviour,
            label: str) -> PointsMonth:
    """Accrue this month's points, clear the lapsing ones, and hit satisfaction on lapses."""
    k = len(market.price)
    out = PointsMonth.none(k)
    if not in_use(subs, market):
        return out
    carrier = subs.carrier
    if market.points_accrual.any():
        _accrue(carrier.view(np.uint8), subs.segment.view(np.uint8), subs.spend_factor,
                market.list_prices.astype(np.float32), market.points_accrual, subs.points)
    ends = clearing(market, label)
    if not ends.any():
        return out
    rows = np.flatnonzero(ends[carrier])
    lapsing = rows[subs.points_expiring[rows] > 0]
    value = subs.points_expiring[lapsing]
    noticed = chance(rng, lapsing, market.points_handling[carrier[lapsing]])
    code = carrier[lapsing].astype(np.int64)
    out.redeemed = np.bincount(code[noticed], weights=value[noticed], minlength=k)
    out.lapsed = np.bincount(code[~noticed], weights=value[~noticed], minlength=k)
    subs.points[lapsing] = np.maximum(subs.points[lapsing] - value, 0)
    felt = lapsing[~noticed & (value >= LAPSE_NOTICED_YUAN)]
    out.lapses = np.bincount(carrier[felt], minlength=k).astype(np.float64)
    if beh.points_lapse_hit and felt.size:
        sat = subs.satisfaction
        sat[felt] = np.clip(sat[felt] - np.float32(beh.points_lapse_hit), 0, 1)
    subs.points_expiring[rows] = subs.points[rows]  # this period's points lapse next time
    return out


def forfeit(subs: Subscribers, rows: np.ndarray) -> np.ndarray:
    """Yuan of points each of `rows` would lose by leaving (the whole balance)."""
    return subs.points[rows]


@njit
def _add_value(rows, segment, spend, price_sens, price, worth, values):
    """values[k, j] += sensitivity x list bill at j x worth_j for row rows[k]."""
    n = values.shape[1]
    for k in range(rows.size):
        i = rows[k]
        s = segment[i]
        weight = price_sens[i] * spend[i]
        for j in range(n):
            values[k, j] += np.float32(weight * price[j, s] * worth[j])


def add_points_value(values: np.ndarray, subs: Subscribers, market: MarketState,
                     rows: np.ndarray) -> None:
    """Add, in place, each carrier's points to `rows`' values (m, N) in yuan/month.

    price sensitivity x list bill at j x accrual_j x handling_j; nothing where no carrier
    runs a programme. One compiled pass (reviewers, newcomers and the report sample).
    """
    worth = (market.points_accrual * market.points_handling).astype(np.float32)
    if not worth.any() or rows.size == 0:
        return
    _add_value(np.asarray(rows, dtype=np.int64), subs.segment.view(np.uint8),
               subs.spend_factor, subs.price_sensitivity,
               market.list_prices.astype(np.float32), worth, values)


def balances(subs: Subscribers, n_carriers: int) -> np.ndarray:
    """(N,) yuan of points held by each carrier's subscribers (sum over rows)."""
    if not subs.points.any():
        return np.zeros(n_carriers)
    return np.bincount(subs.carrier, weights=subs.points, minlength=n_carriers)
