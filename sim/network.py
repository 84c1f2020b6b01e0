"""The social graph: households plus small-world acquaintances, as compact adjacency lists.

Households (everyone tied to everyone in the household) carry family influence;
a Watts-Strogatz ring with rewiring carries acquaintances.

Rows are exchangeable (every subscriber's traits are drawn independently of its
row number), so households can be runs of consecutive rows and the ring can join
rows a fixed stride apart without changing the model's distribution. That layout
keeps most contacts near each other in memory, so the monthly passes over
contacts (sim.behaviour.social) stream through memory instead of jumping at random.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sim.jit import njit
from sim.market import Social

MAX_HOUSEHOLD = 8


@dataclass
class SocialGraph:
    """Undirected simple graph: the contacts of row i are indices[indptr[i]:indptr[i + 1]]."""

    indptr: np.ndarray   # n + 1 offsets: int32 while the ties fit, else int64
    indices: np.ndarray  # int32, two entries per tie

    @property
    def size(self) -> int:
        """The number of subscribers (rows) in the graph."""
        return self.indptr.size - 1

    def degree(self) -> np.ndarray:
        """Each row's number of contacts."""
        return np.diff(self.indptr)

    @property
    def nbytes(self) -> int:
        """Memory the graph's arrays take, in bytes."""
        return self.indptr.nbytes + self.indices.nbytes

    def to_scipy(self) -> sp.csr_matrix:
        """The adjacency as a 0/1 scipy CSR matrix (for analysis and checks)."""
        data = np.ones(self.indices.size, dtype=np.float32)
        return sp.csr_matrix((data, self.indices, self.indptr), shape=(self.size, self.size))


def household_ids(rng: np.random.Generator, n: int, mean_size: float) -> np.ndarray:
    """Household id per row: sizes 1 + Poisson(mean - 1), capped, as runs of rows."""
    sizes = 1 + rng.poisson(max(mean_size - 1.0, 0.0), size=n)
    np.minimum(sizes, MAX_HOUSEHOLD, out=sizes)
    count = int(np.searchsorted(np.cumsum(sizes), n)) + 1
    return np.repeat(np.arange(count, dtype=np.int32), sizes[:count])[:n]


def _household_ties(households: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    src, dst = [], []
    for d in range(1, MAX_HOUSEHOLD):
        idx = np.flatnonzero(households[:-d] == households[d:])
        if idx.size == 0:
            break
        src.append(idx)
        dst.append(idx + d)
    if not src:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(src), np.concatenate(dst)


def ring_stride(n: int) -> int:
    """Rows between ring neighbours: at least a household apart, and coprime with n.

    Coprime, so the ring passes through every row once.
    """
    stride = MAX_HOUSEHOLD + 1
    while math.gcd(stride, n) != 1:
        stride += 1
    return stride


def _acquaintance_ties(rng: np.random.Generator, n: int, k: int,
                       rewire: float) -> tuple[np.ndarray, np.ndarray]:
    half = k // 2
    if half == 0 or n < 3:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    rows = np.arange(n)
    stride = ring_stride(n)
    src, dst = [], []
    for d in range(1, half + 1):
        t = (rows + d * stride) % n
        moved = rng.random(n) < rewire
        t[moved] = rng.integers(0, n, size=int(moved.sum()))
        src.append(rows)
        dst.append(t)
    return np.concatenate(src), np.concatenate(dst)


@njit
def _fill(a, b, indptr, indices):
    pos = indptr[:-1].copy()
    for e in range(a.size):
        indices[pos[a[e]]] = b[e]
        pos[a[e]] += 1
        indices[pos[b[e]]] = a[e]
        pos[b[e]] += 1


def build_social_graph(rng: np.random.Generator, n: int, social: Social) -> SocialGraph:
    """Households and rewired ring acquaintances, without self-ties or repeated ties."""
    hs, hd = _household_ties(household_ids(rng, n, social.household_size))
    as_, ad = _acquaintance_ties(rng, n, social.acquaintances, social.rewire)
    src, dst = np.concatenate([hs, as_]), np.concatenate([hd, ad])
    del hs, hd, as_, ad
    key = np.minimum(src, dst) * n + np.maximum(src, dst)  # one int64 per undirected tie
    key = key[src != dst]
    del src, dst
    key.sort()
    key = key[np.concatenate([[True], key[1:] != key[:-1]])] if key.size else key
    a, b = (key // n).astype(np.int32), (key % n).astype(np.int32)
    del key
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n) + np.bincount(b, minlength=n), out=indptr[1:])
    indices = np.empty(2 * a.size, dtype=np.int32)
    _fill(a, b, indptr, indices)
    if indptr[-1] <= np.iinfo(np.int32).max:  # half the bytes read per contact walk
        indptr = indptr.astype(np.int32)
    return SocialGraph(indptr, indices)
