"""Random draws proportional to events, not to population, and tied to subscribers.

Most monthly events are rare (a few percent of subscribers), so drawing one
uniform per subscriber would dominate a step. Instead we draw the positions of
Bernoulli(p_max) successes directly (geometric gaps between successes, which is
exact for independent trials) and thin them to each row's own p <= p_max.
Every draw comes from the model's numpy Generator, so runs stay reproducible.

Common random numbers: each helper takes exactly one key from the generator, and
a row's uniform is a hash of (key, row). Two runs on the same seed (two strategies)
then give every subscriber the same draws even where the strategies change who
is drawing, and a difference in one call never shifts the draws of the next.
"""

from __future__ import annotations

import numpy as np

from sim.jit import njit


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
        pos = last + np.cumsum(geometric(rng, p, size))
        if pos[-1] >= n:
            out.append(pos[pos < n])
            break
        out.append(pos)
        last = int(pos[-1])
    return np.concatenate(out) if len(out) > 1 else out[0]


@njit
def _inversion(exponential, log_q, out):
    for k in range(exponential.size):
        out[k] = np.int64(np.ceil(-exponential[k] / log_q))


def geometric(rng: np.random.Generator, p: float, size: int) -> np.ndarray:
    """rng.geometric(p, size), the same numbers drawn twice as fast where numpy uses inversion.

    numpy's own method is inversion where p < 1/3: ceil(E / -ln(1 - p)) with E standard
    exponential is geometric(p), and numpy computes it from the same exponentials,
    dividing once per draw by ln(1 - p), which the compiled loop does too.
    """
    if not 1e-12 < p < 1.0 / 3.0:
        return rng.geometric(p, size=size)
    out = np.empty(size, dtype=np.int64)
    _inversion(rng.standard_exponential(size), np.log1p(-p), out)
    return out


def draw_key(rng: np.random.Generator) -> int:
    """One 63-bit key from the generator: every helper below takes exactly one."""
    return int(rng.integers(2**63))


def events(rng: np.random.Generator, p: np.ndarray | float, n: int | None = None) -> np.ndarray:
    """Indices of rows whose event happens, row i with probability p[i] (or scalar p).

    Cost is proportional to n * max(p), not n. Takes one key from `rng` whatever
    happens, so later draws do not shift when this call's outcome changes.
    """
    if np.isscalar(p):
        assert n is not None, "n is needed with a scalar probability"
        return bernoulli_positions(np.random.default_rng(draw_key(rng)), n, float(p))
    p = np.asarray(p)
    return _thinned(draw_key(rng), p.size, float(p.max()) if p.size else 0.0, p.__getitem__)


def events_by(rng: np.random.Generator, table: np.ndarray, *codes: np.ndarray) -> np.ndarray:
    """events(rng, table[codes]) without building the per-row probabilities.

    They are looked up only for the candidate rows (e.g. a rate per segment, codes =
    segment). One or two columns of one-byte codes, indexing a 1-d or 2-d table; the
    thinning is one compiled pass over the candidates.
    """
    assert len(codes) == table.ndim in (1, 2), "one code column per table dimension, 1 or 2"
    key = draw_key(rng)
    n = codes[0].size
    p_max = float(table.max()) if table.size else 0.0
    cand = _candidates(key, n, p_max)
    if cand.size == 0:
        return cand
    second = _byte_codes(codes[-1])
    first = _byte_codes(codes[0]) if len(codes) == 2 else np.broadcast_to(np.uint8(0), n)
    kept = np.empty(cand.size, dtype=np.int64)
    count = _keep_by_table(np.uint64(key), cand, np.float32(p_max),
                           table.reshape(-1, table.shape[-1]), first, second, kept)
    return kept[:count]


@njit
def _keep_by_table(key, cand, p_max, table, first, second, kept):
    """Keep each candidate row with probability table[first, second] / p_max."""
    count = 0
    for k in range(cand.size):  # branch-free: keeping is a coin flip the processor can't guess
        i = cand[k]
        kept[count] = i
        count += uniform_at(key, i) * p_max < table[first[i], second[i]]
    return count


def _byte_codes(codes: np.ndarray) -> np.ndarray:
    """Codes as uint8 (never negative), a view where they are one byte already."""
    return codes.view(np.uint8) if codes.dtype.itemsize == 1 else codes.astype(np.uint8)


def _candidates(key: int, n: int, p_max: float) -> np.ndarray:
    """Rows of Bernoulli(p_max) successes drawn from `key`: none when p_max is 0."""
    if p_max <= 0:
        return np.empty(0, dtype=np.int64)
    return bernoulli_positions(np.random.default_rng(key), n, min(p_max, 1.0))


def _thinned(key: int, n: int, p_max: float, p_of) -> np.ndarray:
    """Rows of Bernoulli(p_max) successes, each kept with probability p_of(row) / p_max."""
    cand = _candidates(key, n, p_max)
    if cand.size == 0:
        return cand
    keep = keyed_uniform(key, cand, 1)[:, 0] * np.float32(p_max) < p_of(cand)
    return cand[keep]


def chance(rng: np.random.Generator, rows: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Boolean per row of `rows`: True with probability p (scalar or one value per row).

    The draw of a row depends only on the key and the row, so a subscriber gets the
    same draw under any strategy run on the same seed (common random numbers).
    """
    key = draw_key(rng)
    out = np.empty(rows.size, dtype=bool)
    if rows.size:
        _chance(np.uint64(key), np.asarray(rows, dtype=np.int64), _per_row(p, rows.size), out)
    return out


def thin(rng: np.random.Generator, rows: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Keep each of `rows` with probability p (scalar or one value per row)."""
    return rows[chance(rng, rows, p)]


def _per_row(p: np.ndarray | float, m: int) -> np.ndarray:
    """The probability p as m values in the type numpy compares float32 uniforms with.

    A Python float becomes float32; arrays and numpy scalars keep their own type.
    """
    p = np.asarray(p, dtype=np.result_type(np.float32, p))
    return np.full(m, p) if p.ndim == 0 else p  # one compiled form: contiguous arrays


@njit
def _chance(key, rows, p, out):
    for k in range(rows.size):
        out[k] = uniform_at(key, rows[k]) < p[k]


def _gumbel_from_uniform(u: np.ndarray, scale: float) -> np.ndarray:
    np.clip(u, np.float32(1e-12), np.float32(1.0 - 1e-7), out=u)
    return (-np.log(-np.log(u))) * np.float32(scale)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@njit
def uniform_at(key, index):
    """The uniform in [0, 1) of (key, index): SplitMix64's finaliser, top 24 bits.

    Compiled loops that draw per row call this, so they give the same draws as
    keyed_uniform(key, rows, 1).
    """
    z = np.uint64(index) * _GOLDEN + key + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z ^= z >> np.uint64(31)
    return np.float32(z >> np.uint64(40)) * np.float32(2.0 ** -24)


@njit
def _keyed(key, rows, width, out):
    for k in range(rows.size):
        for j in range(width):
            out[k, j] = uniform_at(key, np.uint64(rows[k]) * np.uint64(width) + np.uint64(j))


def keyed_uniform(key: int, rows: np.ndarray, width: int) -> np.ndarray:
    """Uniforms (len(rows), width) in [0, 1) that depend only on (key, row, column).

    A row's draw does not depend on which other rows are drawn, so two runs that
    share the key (the same seed and month) give every subscriber the same draw even
    when a strategy changes who is drawing: common random numbers per subscriber.
    The key comes from the model's generator; the mixing is SplitMix64's finaliser.
    """
    out = np.empty((rows.size, width), dtype=np.float32)
    _keyed(np.uint64(key), np.asarray(rows, dtype=np.int64), width, out)
    return out


def gumbel(rng: np.random.Generator, rows: np.ndarray, width: int, scale: float) -> np.ndarray:
    """Gumbel(0, scale) taste shocks (len(rows), width) tied to (key, row, carrier).

    The noise of a multinomial logit choice, the same for a subscriber in every arm.
    """
    return _gumbel_from_uniform(keyed_uniform(draw_key(rng), rows, width), scale)
