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

from sim.draws import draw_key, uniform_at
from sim.jit import njit
from sim.network import SocialGraph
from sim.population import Subscribers
from sim.market import Awareness


@dataclass
class SocialSignals:
    """Per-subscriber counts over their contacts this month (views, not copies)."""

    on_carrier: np.ndarray       # (n, N) contacts on each carrier (int8, or int16 if needed)
    satisfied: np.ndarray        # (n, N) satisfied contacts on each carrier
    inv_degree: np.ndarray       # (n,) float32 1 / number of contacts
    aware_contacts: np.ndarray   # (n,) aware contacts
    moved_contacts: np.ndarray   # (n,) contacts who moved last month


# C901 does not fit here: a compiled loop kept in one piece on purpose (a helper for the
# update measured slower, see the docstring), so its branches stay inline.
@njit
def _refresh_counts(indptr, indices, carrier, satisfaction, threshold, aware, moved,  # noqa: C901
                    state, counted_aware, on_carrier, satisfied, aware_contacts,
                    moved_contacts, changed):
    """Re-count the contacts of every row whose state changed.

    The changed rows are listed first and their contacts updated after, in one dense
    run, so the processor overlaps the cache misses of far contacts (measured 25%
    faster than updating during the scan). Most changes are a subscriber crossing the
    satisfaction threshold while staying with the carrier; those touch only the
    satisfied counts of the contacts. Written inline: a helper function for the
    update measured slower.
    """
    m = 0
    for i in range(carrier.size):
        changed[m] = i
        m += carrier[i] * 2 + (1 if satisfaction[i] >= threshold else 0) != state[i]
    for k in range(m):
        i = changed[k]
        c = carrier[i]
        old = state[i]
        is_satisfied = satisfaction[i] >= threshold
        if old >= 0 and old // 2 == c:
            delta = 1 if is_satisfied else -1
            for e in range(indptr[i], indptr[i + 1]):
                satisfied[indices[e], c] += delta
        else:
            for e in range(indptr[i], indptr[i + 1]):
                j = indices[e]
                if old >= 0:
                    on_carrier[j, old // 2] -= 1
                    if old % 2 == 1:
                        satisfied[j, old // 2] -= 1
                on_carrier[j, c] += 1
                if is_satisfied:
                    satisfied[j, c] += 1
        state[i] = c * 2 + (1 if is_satisfied else 0)
    moved_contacts[:] = 0
    for i in range(carrier.size):
        if aware[i] and not counted_aware[i]:
            for e in range(indptr[i], indptr[i + 1]):
                aware_contacts[indices[e]] += 1
            counted_aware[i] = True
        if moved[i]:
            for e in range(indptr[i], indptr[i + 1]):
                moved_contacts[indices[e]] += 1


class SocialState:
    """Running counts over each subscriber's contacts, kept in step with the population."""

    def __init__(self, graph: SocialGraph, subs: Subscribers, n_carriers: int,
                 satisfied_threshold: float):
        """Zeroed counts for `subs` on `graph`; `satisfied_threshold` makes a contact satisfied."""
        n = len(subs)
        self.indptr, self.indices = graph.indptr, graph.indices
        self.threshold = np.float32(satisfied_threshold)
        self.inv_degree = (1.0 / np.maximum(np.diff(graph.indptr), 1)).astype(np.float32)
        # counts never exceed a subscriber's contacts: one byte each where that fits
        count = np.int8 if graph.degree().max(initial=0) <= np.iinfo(np.int8).max else np.int16
        self.on_carrier = np.zeros((n, n_carriers), dtype=count)
        self.satisfied = np.zeros((n, n_carriers), dtype=count)
        self.aware = np.zeros(n, dtype=count)
        self.moved = np.zeros(n, dtype=count)
        self._state = np.full(n, -1, dtype=np.int8)  # carrier * 2 + satisfied, as counted
        self._aware = np.zeros(n, dtype=bool)
        self._changed = np.empty(n, dtype=np.int32)  # scratch: rows changed since last refresh
        self.refresh(subs)

    def refresh(self, subs: Subscribers) -> None:
        """Bring the counts up to date with every change since the last refresh.

        Only the contacts of rows whose carrier, satisfaction side or awareness
        changed are touched, so the cost follows the number of changes.
        """
        _refresh_counts(self.indptr, self.indices, subs.carrier, subs.satisfaction,
                        self.threshold, subs.aware, subs.moved, self._state, self._aware,
                        self.on_carrier, self.satisfied, self.aware, self.moved,
                        self._changed)

    def signals(self, subs: Subscribers) -> SocialSignals:
        """Refresh the counts and return this month's view of contacts."""
        self.refresh(subs)
        return SocialSignals(self.on_carrier, self.satisfied, self.inv_degree, self.aware,
                             self.moved)


@njit
def _learn(key, is_open, opening, aware, aware_contacts, media, missed_by, launch_boost,
           learned):
    count = 0
    for i in range(aware.size):
        if is_open[i] and not aware[i]:
            stay_unaware = (1.0 - media) * missed_by[aware_contacts[i]]
            if opening[i]:
                stay_unaware *= 1.0 - launch_boost
            told = uniform_at(key, i) < 1.0 - stay_unaware  # a coin flip: no branch on it
            aware[i] = told
            learned[count] = i
            count += told
    return count


def spread_awareness(rng: np.random.Generator, subs: Subscribers, open_rows: np.ndarray,
                     opening_rows: np.ndarray, signals: SocialSignals,
                     params: Awareness) -> np.ndarray:
    """Make some unaware subscribers with MNP open to them aware; returns their rows.

    Each month a subscriber learns from the media, from each aware contact, or
    (in the month MNP opens) from the launch publicity, independently.
    """
    key = np.uint64(draw_key(rng))
    if not open_rows.any():
        return np.empty(0, dtype=np.int64)
    learned = np.empty(len(subs), dtype=np.int64)
    # chance that k aware contacts all fail to tell, for every k present
    missed_by = (1.0 - params.word_of_mouth) ** np.arange(int(signals.aware_contacts.max()) + 1)
    count = _learn(key, open_rows, opening_rows, subs.aware, signals.aware_contacts,
                   float(params.media_rate), missed_by, float(params.launch_boost), learned)
    return learned[:count].copy()
