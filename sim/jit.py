"""Compiled loops for the per-subscriber passes that numpy cannot fuse.

A month touches every subscriber a few times (satisfaction drift, the value of
each carrier, ageing, the books). Written as numpy expressions each of those is
a dozen passes over the columns with full-size temporaries; written as one loop
compiled by numba it is one pass with none. Only the model's own arithmetic is
compiled: every random draw still comes from numpy generators (sim.draws).

`cache=True` keeps the machine code next to the source, so only the first run on
a machine pays the compile time (a few seconds).
"""

from __future__ import annotations

from collections.abc import Callable

import numba


def njit[F: Callable](fn: F) -> F:
    """numba.njit with the project's settings: cached, no GIL, numpy's float errors."""
    return numba.njit(cache=True, nogil=True, error_model="numpy")(fn)


def inline[F: Callable](fn: F) -> F:
    """A compiled helper inlined into its callers (numba's IR inlining).

    A loop that calls it with a constant bound then unrolls as if the body were written out.
    """
    return numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")(fn)
