"""Handset replacements prompt a review of the carrier (issue #19: growth after launch).

Subscribers replace their handset every `population.handsets.cycle_months` on average
(China Mobile Terminal Lab 2020: 25.3 months). One off contract who buys a new handset
compares plans and carriers with chance `behaviour.review_on_handset`, plus
`review_on_new_generation` when it is of a new network generation (China's 5G handsets,
sold with 5G packages from 2019-11, rising to 80% of shipments by 2022-01, CAICT), like a
contract ending does (sim/behaviour/consideration.py). A subscriber on a running contract
got the handset with it: the contract's end is that review already.

The reviews this adds grow while the new generation's share of handsets rises, so
porting keeps rising after MNP awareness saturates. One draw per month from the stream
`handset_cycle` (its own: the other mechanisms' draws are unchanged), proportional to
the reviews it prompts, not to the population.
"""

from __future__ import annotations

import numpy as np

from sim.draws import events
from sim.market import Behaviour, Handsets
from sim.population import Subscribers

STREAM = "handset_cycle"


def review_chance(handsets: Handsets, beh: Behaviour, month: str) -> float:
    """Monthly chance that a subscriber off contract replaces the handset and reviews."""
    p = beh.review_on_handset + beh.review_on_new_generation * handsets.new_generation_share(
        month)
    return min(1.0, p) / handsets.cycle_months


def active(beh: Behaviour) -> bool:
    """Whether the mechanism can prompt any review (off: no draw at all)."""
    return beh.review_on_handset > 0 or beh.review_on_new_generation > 0


def reviewers(rng: np.random.Generator, subs: Subscribers, handsets: Handsets, beh: Behaviour,
              month: str) -> np.ndarray:
    """Rows (ascending) that replace their handset off contract and review this month."""
    p = review_chance(handsets, beh, month)
    rows = events(rng, p, len(subs))
    return rows[subs.contract_left[rows] == 0]
