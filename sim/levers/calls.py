"""Outbound calls, as campaigns that reach chosen subscribers make them (seeds 003, 004).

Targeted poaching (a rival's customers) and win-back (former customers) both call a
share of the rows they may reach, up to a call centre's capacity; the called review
their carrier this month with the caller's gift and the share of the porting hassle
it takes away; a called subscriber who moves to the caller took the offer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.draws import thin
from sim.levers.base import Campaign

if TYPE_CHECKING:
    from sim.context import MonthContext


def place_calls(run: Campaign, m: MonthContext, candidates: np.ndarray, reach: float,
                capacity: float | None) -> np.ndarray:
    """Rows called this month, ascending, counted as reached.

    A share `reach` of the `candidates` (ascending), sampled down to `capacity` real
    contacts a month.
    """
    rng = m.action_rng(run)
    called = thin(rng, candidates, reach)
    if capacity is not None:
        cap = int(capacity * m.rows_per_real)
        if called.size > cap:
            called = np.sort(rng.choice(called, size=cap, replace=False))
    run.count("reached", called.size)
    run.notes["called"] = called
    return called


def offer_to_called(run: Campaign, m: MonthContext, gift: float, hassle_waived: float) -> None:
    """The called reviewers see the gift and the waived hassle for moving to the caller."""
    called = run.notes["called"]
    pos = np.searchsorted(m.rows, called)
    incentive = m.per_row_incentive()
    incentive[pos, run.carrier] += gift + hassle_waived * m.costs.hassle[pos]


def count_won(run: Campaign, m: MonthContext) -> None:
    """Called subscribers who moved to the caller this month took the offer."""
    called = run.notes["called"]
    won = m.flows.left[called] & (m.subs.carrier[called] == run.carrier)
    run.count("taken", int(won.sum()))
