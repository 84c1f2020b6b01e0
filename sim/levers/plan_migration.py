"""Usage-fitted plan migration (seed 004): move mismatched subscribers onto fitting plans.

Seed 004 names "plans that do not fit usage" as a cause of churn and answers it with
plans set from the analysis of customers' usage ("基于大数据分析客户消费行为和偏好,推出
更加灵活、透明、性价比高的套餐组合": flexible, transparent, good-value plans built
from usage data, so customers see that price matches value).

Each active month, after the moves, the carrier looks through its subscribers for
those whose share of the bill paid for unused allowance or overage
(`plan_mismatch`, sim/behaviour/plan_fit.py) is at least `min_mismatch`, and
contacts the worst-fitted first, up to `capacity` real subscribers a month. A
contacted subscriber accepts with chance `take_up`; the fitted plan removes
`effectiveness` of their mismatch, and their bill falls by `bill_reduction` of the
share removed (`plan_saving`). That lower bill is the carrier's revenue loss,
booked once, as lower revenue of the migrating carrier for as long as the
subscriber stays on the plan (never as a cost too; a subscriber who leaves takes the
new carrier's standard plan and the saving ends). What the campaign costs is
`cost_per_contact` per contact, plus the action's `cost` block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.draws import chance
from sim.levers.base import Action, Campaign, Column, Usage
from sim.params import ASSUMPTION, SEED, param

if TYPE_CHECKING:
    from sim.context import MonthContext


class PlanMigration(Action):
    """Move the carrier's worst-fitted subscribers onto plans that fit their usage."""

    ORDER = 25  # with the price and plan levers, in the documentation and the columns

    COLUMNS = (
        Column("plan_migration_contacts", "real subscribers/month",
               "Mismatched subscribers the plan migration contacted.", "reached"),
        Column("plan_migrations", "real subscribers/month",
               "Subscribers moved onto a plan fitted to their usage.", "taken"),
    )

    lever: Literal["plan_migration"]
    min_mismatch: float = param(
        0.15, unit="share of the bill wasted", source=ASSUMPTION + " (about the worst quarter "
        "at plan_fit 0.6)", ge=0, le=1,
        description="Only subscribers wasting at least this share of their bill on unused "
                    "allowance or overage are contacted.")
    capacity: float | None = param(
        None, unit="real subscribers/month", source=ASSUMPTION, gt=0,
        description="Contacts a month (worst-fitted first); omitted: every targeted "
                    "subscriber.")
    take_up: float = param(0.6, unit="probability", source=ASSUMPTION, ge=0, le=1,
                           description="Chance a contacted subscriber accepts the fitted plan.")
    effectiveness: float = param(
        0.8, unit="fraction of the mismatch", source=SEED["004"] + "; " + ASSUMPTION, ge=0,
        le=1, description="Share of the mismatch the fitted plan removes.")
    bill_reduction: float = param(
        1.0, unit="fraction of the mismatch removed", source=ASSUMPTION
        + " (the subscriber stops paying for what was wasted)", ge=0, le=1,
        description="The bill falls by this times the share of the mismatch removed.")
    cost_per_contact: float = param(
        3.0, unit="yuan/contact", source=ASSUMPTION + " (usage analysis, an outbound message "
        "or call, the plan change)", ge=0,
        description="Cost of each subscriber contacted.")

    def targets(self, run: Campaign, m: MonthContext) -> np.ndarray:
        """Rows of the carrier, not new this month, wasting at least `min_mismatch` (ascending)."""
        subs = m.subs
        mismatch = subs.plan_mismatch
        mask = ((subs.carrier == run.carrier) & (mismatch > 0)
                & (mismatch >= np.float32(self.min_mismatch)) & ~m.moved)
        if m.flows is not None and m.flows.replaced.size:
            mask[m.flows.replaced] = False  # newcomers have just chosen their plan
        return np.flatnonzero(mask)

    def settle(self, run: Campaign, m: MonthContext) -> None:
        """Contact the worst-fitted targets up to capacity; those who accept get fitted plans."""
        subs, rng = m.subs, m.action_rng(run)
        rows = self.targets(run, m)
        if self.capacity is not None:
            cap = int(self.capacity * m.rows_per_real + rng.random())  # unbiased rounding
            if rows.size > cap:
                worst = np.argsort(-subs.plan_mismatch[rows], kind="stable")[:cap]
                rows = np.sort(rows[worst])
        taken = rows[chance(rng, rows, np.float32(self.take_up))]
        removed = subs.plan_mismatch[taken] * np.float32(self.effectiveness)
        subs.plan_mismatch[taken] -= removed
        saving = subs.plan_saving[taken]
        cut = removed * np.float32(self.bill_reduction)
        subs.plan_saving[taken] = np.float32(1.0) - (np.float32(1.0) - saving) * (
            np.float32(1.0) - cut)
        run.count("reached", rows.size)
        run.count("taken", taken.size)

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: the cost per contact times the subscribers contacted."""
        return self.cost_per_contact * usage.reached.get(index, 0.0)
