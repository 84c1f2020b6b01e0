"""Loyalty quadrants (Jones & Sasser; seed 002's false loyalty, 虚假忠诚).

Each month every subscriber of a carrier (at the start of the month) is one of:
- loyalist: would stay even if switching were free (prefers the current carrier);
- hostage (false-loyal): stays, dissatisfied, and would prefer another carrier if
  switching were free; kept only by switching cost;
- mercenary: satisfied, yet prefers another carrier (and may leave for an offer);
- defector: dissatisfied, prefers another, and leaves this month.
"Prefers" compares values without switching cost or taste noise.
"""

from __future__ import annotations

import numpy as np

from sim.jit import njit

LOYALIST, HOSTAGE, MERCENARY, DEFECTOR = range(4)
QUADRANTS = ("loyalist", "hostage", "mercenary", "defector")


#: Quadrant by [moved away, satisfied, prefers another carrier]: a lookup, not branches,
#: because in a compiled loop over subscribers these flags are coin flips to the processor.
QUADRANT_OF = np.array([[[LOYALIST, HOSTAGE], [LOYALIST, MERCENARY]],
                        [[DEFECTOR, DEFECTOR], [MERCENARY, MERCENARY]]], dtype=np.int8)


@njit
def _quadrant(values, i, carrier, satisfied, left):
    """Quadrant code of row i. Ties count as preferring the current carrier."""
    best = values[i, 0]
    for j in range(1, values.shape[1]):
        best = max(best, values[i, j])
    return QUADRANT_OF[np.uint8(left), np.uint8(satisfied), np.uint8(best > values[i, carrier])]


@njit
def _classify(values, carrier, satisfied, left, out):
    for i in range(carrier.size):
        out[i] = _quadrant(values, i, carrier[i], satisfied[i], left[i])


@njit
def _count(values, carrier, satisfied, left, out):
    for i in range(carrier.size):
        out[carrier[i], _quadrant(values, i, carrier[i], satisfied[i], left[i])] += 1


def classify(values: np.ndarray, carrier: np.ndarray, satisfied: np.ndarray,
             left: np.ndarray) -> np.ndarray:
    """Quadrant code per subscriber. values: (n, N) V; left: moved away this month."""
    out = np.empty(carrier.size, dtype=np.int8)
    _classify(values, carrier, satisfied, left, out)
    return out


def quadrant_counts(values: np.ndarray, carrier: np.ndarray, satisfied: np.ndarray,
                    left: np.ndarray, n_carriers: int) -> np.ndarray:
    """(N, 4) count of each quadrant by carrier, in one pass without a code column."""
    out = np.zeros((n_carriers, 4), dtype=np.int64)
    _count(values, carrier, satisfied, left, out)
    return out
