"""Sets of subscriber rows kept as ascending arrays of unique row indices.

Each month's events (network problems, billing surprises, reviewers...) are such
sets, a few percent of the population each. Their union by merging costs the size
of the sets; marking a population-sized mask and scanning it costs the population.
"""

from __future__ import annotations

import numpy as np

from sim.jit import njit


@njit
def _merge(a, b, out):
    """Merge two ascending unique arrays into out, dropping repeats; returns the count.

    Branch-free in the common part: which side advances is data, not a jump.
    """
    i = j = k = 0
    while i < a.size and j < b.size:
        x, y = a[i], b[j]
        out[k] = min(x, y)
        i += x <= y
        j += y <= x
        k += 1
    while i < a.size:
        out[k] = a[i]
        i += 1
        k += 1
    while j < b.size:
        out[k] = b[j]
        j += 1
        k += 1
    return k


def union(*row_sets: np.ndarray) -> np.ndarray:
    """The ascending unique rows in any of `row_sets`, each ascending and unique."""
    if not row_sets:
        return np.empty(0, dtype=np.int64)
    result = np.array(row_sets[0], dtype=np.int64)  # a new array, as from a merge
    for rows in row_sets[1:]:
        rows = np.asarray(rows, dtype=np.int64)
        out = np.empty(result.size + rows.size, dtype=np.int64)
        result = out[:_merge(result, rows, out)]
    return result
