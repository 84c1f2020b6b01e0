"""The social graph: households plus small-world acquaintances, as a sparse matrix.

Households (everyone tied to everyone in the household) carry family influence;
a Watts-Strogatz ring with rewiring carries acquaintances. Built with vectorised
index arithmetic into a symmetric scipy.sparse CSR matrix of 0/1 ties.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from sim.scenario.schema import Social

MAX_HOUSEHOLD = 8


def household_ids(rng: np.random.Generator, n: int, mean_size: float) -> np.ndarray:
    """Household id per row: sizes 1 + Poisson(mean - 1), capped, over a random order."""
    sizes = 1 + rng.poisson(max(mean_size - 1.0, 0.0), size=n)
    np.minimum(sizes, MAX_HOUSEHOLD, out=sizes)
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, n)) + 1
    ids_in_order = np.repeat(np.arange(count, dtype=np.int32), sizes[:count])[:n]
    households = np.empty(n, dtype=np.int32)
    households[rng.permutation(n)] = ids_in_order
    return households


def _household_edges(households: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(households, kind="stable")
    hh = households[order]
    src, dst = [], []
    for d in range(1, MAX_HOUSEHOLD):
        same = hh[:-d] == hh[d:]
        if not same.any():
            break
        idx = np.flatnonzero(same)
        src.append(order[idx])
        dst.append(order[idx + d])
    if not src:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(src), np.concatenate(dst)


def _acquaintance_edges(rng: np.random.Generator, n: int, k: int,
                        rewire: float) -> tuple[np.ndarray, np.ndarray]:
    half = k // 2
    if half == 0 or n < 3:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ring = rng.permutation(n)
    src, dst = [], []
    for d in range(1, half + 1):
        s = ring
        t = np.roll(ring, -d)
        moved = rng.random(n) < rewire
        t = t.copy()
        t[moved] = rng.integers(0, n, size=int(moved.sum()))
        src.append(s)
        dst.append(t)
    return np.concatenate(src), np.concatenate(dst)


def build_social_graph(rng: np.random.Generator, n: int, social: Social) -> sp.csr_matrix:
    """Symmetric 0/1 CSR adjacency (float32) of households and acquaintances."""
    hs, hd = _household_edges(household_ids(rng, n, social.household_size))
    as_, ad = _acquaintance_edges(rng, n, social.acquaintances, social.rewire)
    src = np.concatenate([hs, as_, hd, ad]).astype(np.int32)
    dst = np.concatenate([hd, ad, hs, as_]).astype(np.int32)
    keep = src != dst
    data = np.ones(int(keep.sum()), dtype=np.float32)
    graph = sp.csr_matrix((data, (src[keep], dst[keep])), shape=(n, n), dtype=np.float32)
    graph.sum_duplicates()
    graph.data[:] = 1.0
    return graph
