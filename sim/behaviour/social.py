"""Social influence and MNP awareness over the social graph (seeds 002, 004; DOMAIN.md).

Every subscriber keeps running counts over its contacts: how many are on each
carrier (the pull of family and friends: on-net calls, family plans), how many of
those are satisfied (word of mouth: satisfied contacts recommend their carrier,
dissatisfied ones warn against it), and how many know about MNP. Counts are
updated only for the neighbours of subscribers whose carrier, satisfaction or
awareness changed since last month, so the cost follows the number of changes,
not the population. Contacts' news reaches a subscriber the month after it happens.

Awareness: a subscriber ports only once aware that MNP exists and how to use it. It
spreads by media and by word of mouth from aware contacts once MNP is open to the
subscriber, so porting builds over months (the pilots' uptake stayed near 0.1%
until the procedure was simplified, shared/data/).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sim.draws import thin
from sim.population import Subscribers
from sim.scenario.schema import Awareness


def neighbours(graph: sp.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All contacts of `rows`: (contact index, position in `rows` of whose contact it is)."""
    starts = graph.indptr[rows]
    lengths = graph.indptr[rows + 1] - starts
    owner = np.repeat(np.arange(rows.size), lengths)
    offset = np.arange(owner.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return graph.indices[starts[owner] + offset], owner


def _bump(flat: np.ndarray, index: np.ndarray, amount: int) -> None:
    """flat[index] += amount, counting repeats; bincount beats ufunc.at for big updates."""
    if index.size * 20 < flat.size:
        np.add.at(flat, index, amount)
    else:
        delta = np.bincount(index, minlength=flat.size).astype(flat.dtype)
        if amount < 0:
            flat -= delta
        else:
            flat += delta


@dataclass
class SocialSignals:
    """Per-subscriber views of their contacts this month."""

    contact_share: np.ndarray      # (n, 3) share of contacts on each carrier
    contact_mood: np.ndarray       # (n, 3) (satisfied - dissatisfied) / (2 x contacts), by carrier
    aware_contacts: np.ndarray     # (n,) aware contacts
    moved_contacts: np.ndarray     # (n,) contacts who moved last month


class SocialState:
    """Running counts over each subscriber's contacts, kept in step with the population."""

    def __init__(self, graph: sp.csr_matrix, subs: Subscribers, satisfied_threshold: float):
        n = len(subs)
        self.graph = graph
        self.threshold = np.float32(satisfied_threshold)
        self.inv_degree = (1.0 / np.maximum(np.diff(graph.indptr), 1)).astype(np.float32)[:, None]
        self.on_carrier = np.zeros((n, 3), dtype=np.int16)
        self.satisfied = np.zeros((n, 3), dtype=np.int16)
        self.aware = np.zeros(n, dtype=np.int16)
        self._state = np.full(n, -1, dtype=np.int8)  # carrier * 2 + satisfied, as counted
        self._aware = np.zeros(n, dtype=bool)
        self.refresh(subs)

    def _key(self, subs: Subscribers) -> np.ndarray:
        return (subs.carrier * 2 + (subs.satisfaction >= self.threshold)).astype(np.int8)

    def refresh(self, subs: Subscribers) -> None:
        """Bring the counts up to date with every change since the last refresh."""
        key = self._key(subs)
        changed = np.flatnonzero(key != self._state)
        if changed.size:
            contact, owner = neighbours(self.graph, changed)
            old, new = self._state[changed][owner], key[changed][owner]
            contact = contact.astype(np.int64)
            old, new = old.astype(np.int64), new.astype(np.int64)
            was = old >= 0
            carriers, satisfied = self.on_carrier.reshape(-1), self.satisfied.reshape(-1)
            _bump(carriers, contact[was] * 3 + old[was] // 2, -1)
            _bump(carriers, contact * 3 + new // 2, +1)
            was_happy = was & (old % 2 == 1)
            _bump(satisfied, contact[was_happy] * 3 + old[was_happy] // 2, -1)
            happy = new % 2 == 1
            _bump(satisfied, contact[happy] * 3 + new[happy] // 2, +1)
            self._state[changed] = key[changed]
        learned = np.flatnonzero(subs.aware & ~self._aware)
        if learned.size:
            contact, _ = neighbours(self.graph, learned)
            _bump(self.aware, contact, +1)
            self._aware[learned] = True

    def signals(self, subs: Subscribers) -> SocialSignals:
        """Refresh the counts and return this month's view of contacts."""
        self.refresh(subs)
        counts = self.on_carrier.astype(np.float32)
        share = counts * self.inv_degree
        mood = self.satisfied.astype(np.float32)
        mood -= np.float32(0.5) * counts
        np.maximum(counts, np.float32(1.0), out=counts)
        mood /= counts
        moved = np.zeros(len(subs), dtype=np.float32)
        movers = np.flatnonzero(subs.moved)
        if movers.size:
            contact, _ = neighbours(self.graph, movers)
            moved += np.bincount(contact, minlength=len(subs)).astype(np.float32)
        return SocialSignals(share, mood, self.aware, moved)


def spread_awareness(rng: np.random.Generator, subs: Subscribers, open_rows: np.ndarray,
                     opening_rows: np.ndarray, signals: SocialSignals,
                     params: Awareness) -> np.ndarray:
    """Make some unaware subscribers with MNP open to them aware; returns their rows."""
    rows = np.flatnonzero(open_rows & ~subs.aware)
    if rows.size == 0:
        return rows
    contacts = signals.aware_contacts[rows]
    p = 1.0 - (1.0 - params.media_rate) * (1.0 - params.word_of_mouth) ** contacts
    p = np.where(opening_rows[rows], 1.0 - (1.0 - p) * (1.0 - params.launch_boost), p)
    learn = thin(rng, rows, p)
    subs.aware[learn] = True
    return learn
