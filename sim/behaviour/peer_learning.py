"""Peer learning: contacts who ported make the porting procedure look easier (issue #19).

A subscriber who has seen contacts port their number smoothly perceives a smaller
porting hassle: the hassle times (1 - `behaviour.peer_learning`) ** k, where k is the
number of the subscriber's contacts (sim/network.py) who ported and are still in the
market. Switching spreads over social ties (Ferreira, Telang and de Matos 2019: each
friend who churns raises one's churn rate), and as ports accumulate more subscribers
know a porter, so porting keeps growing after MNP awareness saturates.

State: one flag per row, set when the row's subscriber ports and cleared when a
newcomer takes the row (the subscriber left the market). The discount is counted only
for the rows whose switching cost is needed (reviewers, the report sample), in one
compiled pass over their contacts, so the cost follows the reviews. No random draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.jit import njit


@dataclass
class PeerLearning:
    """Who ported (while in the market), over the social graph's contacts."""

    indptr: np.ndarray
    indices: np.ndarray
    ported: np.ndarray     # (n,) bool: this row's subscriber ported
    strength: float        # behaviour.peer_learning

    @classmethod
    def create(cls, graph, n: int, strength: float) -> PeerLearning:
        """No one ported yet."""
        return cls(graph.indptr, graph.indices, np.zeros(n, dtype=bool), float(strength))

    def record(self, ported_rows: np.ndarray, replaced_rows: np.ndarray) -> None:
        """Mark this month's porters; forget the rows newcomers took."""
        self.ported[ported_rows] = True
        self.ported[replaced_rows] = False

    def ported_contacts(self, rows: np.ndarray) -> np.ndarray:
        """(m,) number of each row's contacts who ported."""
        out = np.empty(rows.size, dtype=np.int32)
        _count(self.indptr, self.indices, self.ported, np.asarray(rows, dtype=np.int64), out)
        return out

    def perceived(self, hassle: np.ndarray, rows: np.ndarray, out: np.ndarray) -> None:
        """Write into out[rows] the perceived porting hassle of `rows` (hassle is per row)."""
        k = self.ported_contacts(rows)
        factor = np.float32(1.0 - self.strength) ** k.astype(np.float32)
        out[rows] = hassle[rows] * factor


@njit
def _count(indptr, indices, ported, rows, out):
    for k in range(rows.size):
        i = rows[k]
        c = 0
        for e in range(indptr[i], indptr[i + 1]):
            c += ported[indices[e]]
        out[k] = c


def porters(rows: np.ndarray, chosen: np.ndarray, start_carrier: np.ndarray,
            is_port: np.ndarray) -> np.ndarray:
    """The reviewing rows that ported this month (moved, keeping the number)."""
    moved = chosen != start_carrier[rows]
    return rows[moved & is_port]
