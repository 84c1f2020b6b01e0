"""Persistent taste drift: each subscriber's taste for each carrier follows an AR(1) (issue #19).

The logit choice (sim/behaviour/choice.py) draws a fresh taste shock every month, so a
subscriber's preference for a rival never builds up: once the subscribers who prefer a
rival by more than porting costs have ported, porting can only fall. Tastes and needs
do change, and persistently (a move, a new job, new usage), so here each subscriber i's
taste for carrier j is

    d_ij(t) = rho * d_ij(t-1) + sd * sqrt(1 - rho**2) * e_ij(t),

with innovations e of mean 0 and variance 1 (triangular: cheaper than normal draws),
stationary with standard deviation `behaviour.taste_drift_sd` (yuan/month) and
persistence rho = `behaviour.taste_drift_persistence`, added to the value of carrier j.
Mismatches with the current carrier accumulate and refill the pool of those who would
gain by moving, so porting does not run down after awareness saturates.

Cheap by construction: the process is advanced only for the rows valued this month
(reviewers, newcomers, the report sample), by the exact k-month step
d(t) = rho**k d(t-k) + sd * sqrt(1 - rho**(2k)) * e (exact in mean and variance),
so the cost follows the reviews, not the population. A row first valued (or taken by a
newcomer) draws from the stationary distribution. State: one float32 per row and carrier
plus one int32 per row.
Draws come from the stream `taste_drift`, keyed by (row, carrier): a subscriber valued
in the same months gets the same drift under any strategy (a strategy that changes
when a row is valued changes only that row's path, not its distribution).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.draws import draw_key, uniform_at
from sim.jit import njit

STREAM = "taste_drift"
_NEVER = np.iinfo(np.int32).min


@dataclass
class TasteDrift:
    """Each row's drift per carrier and the month it was last advanced to."""

    drift: np.ndarray      # (n, N) float32, yuan/month
    last: np.ndarray       # (n,) int32, month last advanced to (_NEVER: not yet drawn)
    sd: float
    rho: float

    @classmethod
    def create(cls, n: int, n_carriers: int, sd: float, rho: float) -> TasteDrift:
        """No row drawn yet."""
        return cls(np.zeros((n, n_carriers), dtype=np.float32),
                   np.full(n, _NEVER, dtype=np.int32), float(sd), float(rho))

    def forget(self, rows: np.ndarray) -> None:
        """Rows taken by newcomers: their drift is drawn afresh when next valued."""
        self.last[rows] = _NEVER

    def add(self, key: int, values: np.ndarray, rows: np.ndarray, month: int) -> None:
        """Advance `rows` to `month` and add their drift to values (m, N) in place.

        `key`: this month's one key (month_key), the same for every call in the month.
        """
        rows = np.asarray(rows, dtype=np.int64)
        _advance(np.uint64(key), rows, np.int32(month), self.drift, self.last, np.float32(self.sd),
                 np.float32(self.rho), values)


def month_key(rng: np.random.Generator) -> int:
    """This month's key, from the stream `taste_drift`: one draw a month."""
    return draw_key(rng)


@njit
def _innovation_at(key, index):
    """A unit-variance innovation: triangular, from two keyed uniforms.

    Cheaper than a normal (no logarithm or cosine) with the same mean and variance; the
    drift is a sum of many of them, so its distribution is close to normal.
    """
    u1 = uniform_at(key, np.uint64(2) * index)
    u2 = uniform_at(key, np.uint64(2) * index + np.uint64(1))
    return (u1 + u2 - np.float32(1.0)) * np.float32(2.449489742783178)  # sqrt(6)


@njit
def _advance(key, rows, month, drift, last, sd, rho, values):
    width = drift.shape[1]
    for k in range(rows.size):
        i = rows[k]
        gap = month - last[i] if last[i] != -2147483648 else -1
        if gap != 0:
            if gap < 0:  # first time valued: the stationary distribution
                keep, fresh = np.float32(0.0), sd
            else:
                keep = rho ** gap
                fresh = sd * np.float32(np.sqrt(max(0.0, 1.0 - keep * keep)))
            for j in range(width):
                z = _innovation_at(key, np.uint64(i) * np.uint64(width) + np.uint64(j))
                drift[i, j] = keep * drift[i, j] + fresh * z
            last[i] = month
        for j in range(width):
            values[k, j] += drift[i, j]
