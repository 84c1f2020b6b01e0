"""Random draws proportional to events, not to population.

Most monthly events are rare (a few percent of subscribers), so drawing one
uniform per subscriber would dominate a step. Instead we draw the positions of
Bernoulli(p_max) successes directly (geometric gaps between successes, which is
exact for independent trials) and thin them to each row's own p <= p_max.
Every draw comes from the model's numpy Generator, so runs stay reproducible.
"""

from __future__ import annotations

import numpy as np


def bernoulli_positions(rng: np.random.Generator, n: int, p: float) -> np.ndarray:
    """Indices in [0, n) where independent Bernoulli(p) trials succeed, ascending."""
    if n <= 0 or p <= 0.0:
        return np.empty(0, dtype=np.int64)
    if p >= 0.5:
        return np.flatnonzero(rng.random(n) < p)
    expected = n * p
    out: list[np.ndarray] = []
    last = -1
    while True:
        size = int(expected + 5.0 * np.sqrt(expected) + 16)
        gaps = rng.geometric(p, size=size)
        pos = last + np.cumsum(gaps)
        if pos[-1] >= n:
            out.append(pos[pos < n])
            break
        out.append(pos)
        last = int(pos[-1])
    return np.concatenate(out) if len(out) > 1 else out[0]


def events(rng: np.random.Generator, p: np.ndarray | float, n: int | None = None) -> np.ndarray:
    """Indices of rows whose event happens, row i with probability p[i] (or scalar p).

    Cost is proportional to n * max(p), not n.
    """
    if np.isscalar(p):
        assert n is not None, "n is needed with a scalar probability"
        return bernoulli_positions(rng, n, float(p))
    p = np.asarray(p)
    p_max = float(p.max()) if p.size else 0.0
    cand = bernoulli_positions(rng, p.size, min(p_max, 1.0))
    if cand.size == 0 or p_max <= 0:
        return cand
    keep = rng.random(cand.size) * p_max < p[cand]
    return cand[keep]


def thin(rng: np.random.Generator, rows: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Keep each of `rows` with probability p (scalar or one value per row)."""
    if rows.size == 0:
        return rows
    return rows[rng.random(rows.size) < p]


def gumbel(rng: np.random.Generator, shape: tuple[int, ...], scale: float) -> np.ndarray:
    """Gumbel(0, scale) noise: the taste shock of a multinomial logit choice."""
    u = rng.random(shape, dtype=np.float32)
    np.clip(u, np.float32(1e-12), np.float32(1.0 - 1e-7), out=u)
    return (-np.log(-np.log(u))) * np.float32(scale)
