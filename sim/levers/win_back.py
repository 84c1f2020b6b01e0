"""Win-back: court former customers who left for a rival (seed 004's retention, after the fact).

The carrier remembers who left it (ported or switched, not who left the market) and,
for `within_months` after they left, calls a share of them each month with an offer to
come back: they review their (new) carrier with the gift and a waived share of the
porting hassle in hand, as targeted poaching does for a rival's customers (seed 003).
A former customer who comes back, or whose row is taken by a newcomer, is forgotten.

This lever lives wholly in this module (with the calling helpers it shares with targeted
poaching, sim/levers/calls.py): the month calls its hooks (`contact`, `incentives`,
`settle`) and books its cost; it draws only from its own stream.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.levers import calls
from sim.levers.base import Action, Campaign, Column, Usage
from sim.params import ASSUMPTION, SEED, param

if TYPE_CHECKING:
    from sim.context import MonthContext


class WinBack(Action):
    """Call customers who left for a rival in the last months with an offer to come back."""

    ORDER = 75  # with the retention levers, in the documentation and the columns

    COLUMNS = (
        Column("win_back_contacts", "real subscribers/month",
               "Former customers called by a win-back campaign.", "reached"),
        Column("won_back", "real subscribers/month",
               "Called former customers who came back this month.", "taken"),
    )

    lever: Literal["win_back"]
    within_months: int = param(12, unit="months", source=ASSUMPTION, ge=1, le=120,
                               description="Former customers are courted for this long after "
                                           "they left.")
    reach: float = param(0.2, unit="fraction of former customers per month", source=ASSUMPTION,
                         gt=0, le=1, description="Share of the eligible former customers called "
                                                 "each month.")
    max_contacts_per_month: float | None = param(
        500_000, unit="real contacts/month", source=ASSUMPTION + " (about 1,250 outbound "
        "agents at 400 calls a month each)", gt=0,
        description="Call-centre capacity: calls beyond it are not made; null: no cap.")
    offer_value: float = param(100.0, unit="yuan", source=SEED["004"] + "; " + ASSUMPTION, ge=0,
                               description="Gift (credit, a discount's worth) per customer won "
                                           "back.")
    hassle_waived: float = param(
        0.5, unit="fraction of porting hassle", source=SEED["003"] + " (number delivered to the "
        "door)", ge=0, le=1, description="Share of the porting hassle the carrier takes away.")
    cost_per_contact: float = param(5.0, unit="yuan/contact", source=ASSUMPTION, ge=0,
                                    description="Outbound call and data work per former "
                                                "customer called.")

    def contact(self, run: Campaign, m: MonthContext) -> np.ndarray:
        """Former customers now with a rival, who left within `within_months`, called."""
        rows = run.state.get("rows", np.empty(0, np.int64))
        left = run.state.get("left", np.empty(0, np.int32))
        recent = m.month - left <= self.within_months
        eligible = rows[recent & (m.subs.carrier[rows] != run.carrier)]
        return calls.place_calls(run, m, np.sort(eligible), self.reach,
                                 self.max_contacts_per_month)

    def incentives(self, run: Campaign, m: MonthContext) -> None:
        """Called former customers see the gift and the hassle taken away, for coming back."""
        calls.offer_to_called(run, m, self.offer_value, self.hassle_waived)

    def settle(self, run: Campaign, m: MonthContext) -> None:
        """Count who came back.

        Remember this month's leavers, forget the returned and the rows newcomers took.
        """
        calls.count_won(run, m)
        rows = run.state.get("rows", np.empty(0, np.int64))
        left = run.state.get("left", np.empty(0, np.int32))
        keep = (m.subs.carrier[rows] != run.carrier) & ~np.isin(rows, m.flows.replaced)
        keep &= m.month - left < self.within_months  # not eligible from next month on
        leavers = np.flatnonzero(m.flows.left & (m.start_carrier == run.carrier))
        rows, left = rows[keep], left[keep]
        again = np.isin(rows, leavers)  # left once more: remember the latest departure
        run.state["rows"] = np.concatenate([rows[~again], leavers])
        run.state["left"] = np.concatenate([left[~again],
                                            np.full(leavers.size, m.month, np.int32)])

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: contacts made times their cost plus offers taken times value."""
        return (self.cost_per_contact * usage.reached.get(index, 0.0)
                + self.offer_value * usage.taken.get(index, 0.0))
