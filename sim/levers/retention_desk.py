"""Retention desk (挽留): the LOSING carrier holds port-out requests for a retention contact.

When a subscriber asks to port out (China: the SMS for an authorisation code; Japan:
the reservation number; the UK: the PAC call), the carrier being left learns of it
first and can hold the request for a retention pitch. This lever holds a share of
this month's port-out requests (reviewers of the carrier who chose to port away),
capped by the regulator: the month's `max_retention_share` in the porting rules
(policy.porting_rules, or the pilot region's; no rules: no cap). A held porter is
offered `gift` yuan and chooses again with it (the same taste shocks); one who still
leaves is dissuaded, staying this month without the gift, with chance `dissuade`,
and then holds it against the carrier (`obstruction_hit`). Cost: each contact, plus
each gift taken, booked once to the carrier (sim/books.py). New-number switches are
not seen: the carrier learns of them only after the fact.

It acts in the `reconsider` hook (after the choice, before anyone moves) and draws
only from its own stream (seed 004's retention; DOMAIN.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.behaviour.porting_friction import retention_limits
from sim.draws import chance
from sim.levers.base import Action, Campaign, Column, Usage
from sim.params import ASSUMPTION, SEED, param

if TYPE_CHECKING:
    from sim.context import MonthContext


class RetentionDesk(Action):
    """Hold a share of port-out requests for a retention contact with a gift."""

    ORDER = 65  # with the retention levers, in the documentation and the columns

    COLUMNS = (
        Column("retention_desk_contacts", "real subscribers/month",
               "Port-out requests the retention desk held for a contact.", "reached"),
        Column("retained_at_desk", "real subscribers/month",
               "Held porters who stayed (took the gift, or were dissuaded).", "retained"),
    )

    lever: Literal["retention_desk"]
    hold_share: float = param(
        1.0, unit="fraction of port-out requests", source=SEED["004"] + "; " + ASSUMPTION,
        ge=0, le=1,
        description="Share of the month's port-out requests the desk holds for a contact, "
                    "at most the porting rules' max_retention_share (0: the desk does "
                    "nothing).")
    max_contacts_per_month: float | None = param(
        None, unit="real contacts/month", source=ASSUMPTION, gt=0,
        description="Desk capacity: held requests beyond it are let through; null: no cap.")
    gift: float = param(
        100.0, unit="yuan", source=SEED["004"] + "; " + ASSUMPTION, ge=0,
        description="One-off value offered to a held porter for staying (credit, a "
                    "discount's worth), paid when taken.")
    dissuade: float = param(
        0.1, unit="probability", source=ASSUMPTION + " (the pitch and the delay wear some "
        "down: the obstruction MIIT's 2019 rules forbid)", ge=0, le=1,
        description="Chance a held porter who would still leave gives up this month, "
                    "without the gift.")
    obstruction_hit: float = param(
        0.05, unit="satisfaction", source=SEED["002"] + " (obstruction breeds distrust); "
        + ASSUMPTION, ge=0, le=1,
        description="Satisfaction lost by a held porter who was dissuaded.")
    cost_per_contact: float = param(
        10.0, unit="yuan/contact", source=ASSUMPTION + " (a few minutes of a retention "
        "agent's call)", ge=0, description="Handling cost of each held request.")

    def reconsider(self, run: Campaign, m: MonthContext) -> None:
        """Hold port-out requests, offer the gift, let the held choose again."""
        subs, rows, chosen, utilities = m.subs, m.rows, m.chosen, m.utilities
        if self.hold_share <= 0 or rows.size == 0:
            return
        pos = np.flatnonzero((subs.carrier[rows] == run.carrier) & (chosen != run.carrier)
                             & m.costs.is_port)
        if pos.size == 0:
            return
        limits = retention_limits(m.spec.policy, m.spec.start, m.month)
        share = np.minimum(self.hold_share, limits[subs.region[rows[pos]]])
        rng = m.action_rng(run)
        pos = pos[chance(rng, rows[pos], share.astype(np.float32))]  # keyed by subscriber
        if self.max_contacts_per_month is not None:
            cap = int(self.max_contacts_per_month * m.rows_per_real)
            if pos.size > cap:
                pos = np.sort(rng.choice(pos, size=cap, replace=False))
        horizon = np.float32(m.spec.behaviour.planning_horizon_months)
        utilities[pos, run.carrier] += np.float32(self.gift) / horizon
        chosen[pos] = utilities[pos].argmax(axis=1)
        took = pos[chosen[pos] == run.carrier]
        still = pos[chosen[pos] != run.carrier]
        gave_up = still[chance(rng, rows[still], self.dissuade)]
        chosen[gave_up] = run.carrier
        held_rows = rows[gave_up]
        sat = subs.satisfaction
        sat[held_rows] = np.maximum(sat[held_rows] - np.float32(self.obstruction_hit), 0.0)
        run.count("reached", pos.size)
        run.count("taken", took.size)
        run.count("retained", took.size + gave_up.size)

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: contacts times their cost plus gifts taken times the gift."""
        return (self.cost_per_contact * usage.reached.get(index, 0.0)
                + self.gift * usage.taken.get(index, 0.0))
