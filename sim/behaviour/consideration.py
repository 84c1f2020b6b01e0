"""Who reviews their carrier this month (seed 004).

Triggers: the contract ends, a bad experience, contacts who just moved, learning
that MNP is open (publicity prompts people to reconsider), or the segment's base
review rate, a bill shock (the bill rose over last month's), or a call from a
rival's poaching campaign (seeds 003, 004). Only
reviewers make a choice; everyone else stays.
"""

from __future__ import annotations

import numpy as np

from sim import rowsets
from sim.behaviour.social import SocialSignals
from sim.draws import events_by, thin
from sim.population import SegmentTables, Subscribers
from sim.market import Behaviour, Social


def reviewers(rng: np.random.Generator, subs: Subscribers, tables: SegmentTables,
              bad_experience: np.ndarray, contract_ended: np.ndarray,
              newly_aware: np.ndarray, signals: SocialSignals, beh: Behaviour, social: Social,
              contacted: list[np.ndarray] = ()) -> np.ndarray:
    """Row indices (ascending, unique) of subscribers reviewing their carrier.

    `contacted`: rows an action called this month (a rival's poaching campaign) or a bill
    shock prompted to review (sim/behaviour/bill_shock.py); all of them review.
    """
    told = np.flatnonzero(signals.moved_contacts > 0)
    p_told = 1.0 - (1.0 - social.mover_review_boost) ** signals.moved_contacts[told]
    return rowsets.union(
        *contacted,
        events_by(rng, tables.review_rate, subs.segment),
        thin(rng, bad_experience, beh.review_after_bad_experience),
        thin(rng, contract_ended, beh.review_at_contract_end),
        thin(rng, newly_aware, beh.review_on_awareness),
        thin(rng, told, p_told) if told.size else np.empty(0, dtype=np.int64))
