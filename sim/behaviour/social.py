"""Social influence and MNP awareness over the social graph (seeds 002, 004; DOMAIN.md).

One sparse product per month gives, for every subscriber, the share of contacts on
each carrier (the pull of family and friends: on-net calls, family plans), contacts'
mean satisfaction with each carrier (word of mouth), the number of aware contacts,
and the number of contacts who moved carrier last month (their stories and the
offers they got prompt a review).

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


@dataclass
class SocialSignals:
    """Per-subscriber sums over contacts."""

    contact_share: np.ndarray      # (n, 3) share of contacts on each carrier
    contact_mood: np.ndarray       # (n, 3) contacts' mean satisfaction - 0.5, by carrier
    aware_contacts: np.ndarray     # (n,) aware contacts
    moved_contacts: np.ndarray     # (n,) contacts who moved last month


def social_signals(graph: sp.csr_matrix, subs: Subscribers) -> SocialSignals:
    """Aggregate contacts' carriers, satisfaction, awareness and moves (one sparse product)."""
    n = len(subs)
    x = np.zeros((n, 8), dtype=np.float32)
    rows = np.arange(n)
    x[rows, subs.carrier] = 1.0
    x[rows, 3 + subs.carrier] = subs.satisfaction - np.float32(0.5)
    x[:, 6] = subs.aware
    x[:, 7] = subs.moved
    y = graph @ x
    counts = y[:, :3]
    degree = counts.sum(axis=1, keepdims=True)
    share = counts / np.maximum(degree, 1.0)
    mood = y[:, 3:6] / np.maximum(counts, 1.0)
    return SocialSignals(share, mood, y[:, 6], y[:, 7])


def spread_awareness(rng: np.random.Generator, subs: Subscribers, open_rows: np.ndarray,
                     opening_rows: np.ndarray, signals: SocialSignals,
                     params: Awareness) -> np.ndarray:
    """Make some unaware subscribers with MNP open to them aware; returns their rows."""
    candidates = open_rows & ~subs.aware
    rows = np.flatnonzero(candidates)
    if rows.size == 0:
        return rows
    contacts = signals.aware_contacts[rows]
    p = 1.0 - (1.0 - params.media_rate) * (1.0 - params.word_of_mouth) ** contacts
    p = np.where(opening_rows[rows], 1.0 - (1.0 - p) * (1.0 - params.launch_boost), p)
    learn = thin(rng, rows, p)
    subs.aware[learn] = True
    return learn
