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

LOYALIST, HOSTAGE, MERCENARY, DEFECTOR = range(4)
QUADRANTS = ("loyalist", "hostage", "mercenary", "defector")


def classify(values: np.ndarray, carrier: np.ndarray, satisfied: np.ndarray,
             left: np.ndarray) -> np.ndarray:
    """Quadrant code per subscriber. values: (n, 3) V; left: moved away this month."""
    own = np.take_along_axis(values, carrier[:, None].astype(np.intp), axis=1)[:, 0]
    # Ties count as preferring the current carrier.
    best = np.maximum(np.maximum(values[:, 0], values[:, 1]), values[:, 2])
    prefers_other = best > own
    code = np.full(carrier.size, LOYALIST, dtype=np.int8)
    code[prefers_other & ~satisfied] = HOSTAGE
    code[prefers_other & satisfied] = MERCENARY
    code[left & ~satisfied] = DEFECTOR
    code[left & satisfied] = MERCENARY
    return code


def quadrant_counts(code: np.ndarray, carrier: np.ndarray) -> np.ndarray:
    """(3, 4) counts of each quadrant by carrier."""
    return np.bincount(carrier.astype(np.int64) * 4 + code, minlength=12).reshape(3, 4)
