"""Peer learning: contacts who ported make the porting procedure look easier (issue #19).

A subscriber who has seen contacts port their number smoothly perceives a smaller
porting hassle: the hassle times (1 - `behaviour.peer_learning`) ** k, where k is the
number of the subscriber's contacts (sim/network.py) who ported and are still in the
market. Switching spreads over social ties (Ferreira, Telang and de Matos 2019: each
friend who churns raises one's churn rate), and as ports accumulate more subscribers
know a porter, so porting keeps growing after MNP awareness saturates.

State: one flag per row, set when the row's subscriber ports and cleared when a
newcomer takes the row (the subscriber left the market), and each row's count of
contacts who ported, updated only at the contacts of those rows (the cost follows the
ports). The discount is looked up only for the rows whose switching cost is needed
(reviewers, the report sample). No random draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.jit import njit


@dataclass
class PeerLearning:
    """Who ported (while in the market), and each row's count of contacts who did."""

    indptr: np.ndarray
    indices: np.ndarray
    ported: np.ndarray     # (n,) bool: this row's subscriber ported
    count: np.ndarray      # (n,) int16: contacts who ported
    factor: np.ndarray     # (max degree + 1,) float32: (1 - strength) ** k
    strength: float        # behaviour.peer_learning

    @classmethod
    def create(cls, graph, n: int, strength: float) -> PeerLearning:
        """No one ported yet."""
        top = int(graph.degree().max(initial=0))
        factor = (np.float32(1.0 - strength) ** np.arange(top + 1)).astype(np.float32)
        return cls(graph.indptr, graph.indices, np.zeros(n, dtype=bool),
                   np.zeros(n, dtype=np.int16), factor, float(strength))

    def record(self, ported_rows: np.ndarray, replaced_rows: np.ndarray) -> None:
        """Mark this month's porters; forget the rows newcomers took.

        Only those rows' contacts' counts change.
        """
        _mark(self.indptr, self.indices, self.ported, self.count,
              np.asarray(ported_rows, dtype=np.int64), np.asarray(replaced_rows, dtype=np.int64))

    @property
    def anyone(self) -> bool:
        """Whether any subscriber has a contact who ported (else nothing to discount)."""
        return bool(self.ported.any())

    def ported_contacts(self, rows: np.ndarray) -> np.ndarray:
        """(m,) number of each row's contacts who ported."""
        return self.count[rows]

    def perceived(self, hassle: np.ndarray, rows: np.ndarray, out: np.ndarray) -> None:
        """Write into out[rows] the perceived porting hassle of `rows` (hassle is per row)."""
        out[rows] = hassle[rows] * self.factor[self.count[rows]]


@njit
def _mark(indptr, indices, ported, count, ported_rows, replaced_rows):
    for k in range(ported_rows.size):
        i = ported_rows[k]
        if not ported[i]:
            ported[i] = True
            for e in range(indptr[i], indptr[i + 1]):
                count[indices[e]] += 1
    for k in range(replaced_rows.size):
        i = replaced_rows[k]
        if ported[i]:
            ported[i] = False
            for e in range(indptr[i], indptr[i + 1]):
                count[indices[e]] -= 1


def porters(rows: np.ndarray, chosen: np.ndarray, start_carrier: np.ndarray,
            is_port: np.ndarray) -> np.ndarray:
    """The reviewing rows that ported this month (moved, keeping the number)."""
    moved = chosen != start_carrier[rows]
    return rows[moved & is_port]
