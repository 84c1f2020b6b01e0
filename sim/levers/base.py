"""What every strategy action shares: its schedule, its cost model, and its hooks.

An action's whole effect lives in its own class, through hooks the month calls at
fixed points (sim/month.py), each doing nothing unless the lever overrides it:

1. `apply(offer, months_active)`  strategy: edit the carrier's offer this month (prices,
                                   plans, qualities, promotions, rewards); the behaviour
                                   modules read only the offer;
2. `contact(run, m)`              consider: rows the action calls; they review this month;
3. `incentives(run, m)`           choose: add to what reviewers gain by moving or staying;
4. `reconsider(run, m)`           choose, after the choice: act on the choices made;
5. `settle(run, m)`               move, after the moves: grant, sell, count what was taken;
6. `month_cost(usage, ...)`       books: the yuan it costs this month, from `Usage`.

`run` is the action's `Campaign` this month (its carrier, position, counters and
state kept across months); `m` is the month's context (sim/context.py). Columns an
action reports (`COLUMNS`) are summed over a carrier's campaigns of that lever.

Money: every action books its cost each active month from a `Usage` record of what
it touched (real subscribers, not rows). A price cut or discount is not a cost: it
shows as lower revenue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from sim.behaviour.offers import Offer
from sim.params import ASSUMPTION, Month, Strict, param

if TYPE_CHECKING:
    from sim.context import MonthContext


@dataclass(frozen=True)
class Column:
    """A reported per-carrier monthly column: name, unit and what it means.

    For a lever's column, `counter` names the campaign counter it sums (rows, scaled
    to real subscribers).
    """

    name: str
    unit: str
    description: str
    counter: str = ""


class Cost(Strict):
    """Money a carrier books for one action, in yuan (real subscribers, not rows)."""

    one_off: float = param(0.0, unit="yuan", source=ASSUMPTION, ge=0,
                           description="Booked once, in the action's start month (e.g. capex).")
    per_month: float = param(0.0, unit="yuan/month", source=ASSUMPTION, ge=0,
                             description="Fixed cost for every month the action is active.")
    per_subscriber_month: float = param(
        0.0, unit="yuan/subscriber/month", source=ASSUMPTION, ge=0,
        description="Cost per real subscriber the action covers (the carrier's, or the targeted "
                    "segment's) per active month.")
    per_port_in: float = param(0.0, unit="yuan/port-in", source=ASSUMPTION, ge=0,
                               description="Cost per real subscriber ported in while active.")


@dataclass
class Usage:
    """What a carrier's actions touched in one month (real subscribers and events).

    `reached` and `taken` are per action (by its position in the carrier's list):
    contacts or offers made, and offers accepted (ports won, subscribers retained,
    contracts signed, claims paid).
    """

    subscribers: float = 0.0
    port_ins: float = 0.0
    complaints: float = 0.0
    stars: float = 0.0
    bundle_holders: float = 0.0  # holders of a bundle bought under an offer (paying its fee)
    port_in_bonus: float = 0.0
    segment_subscribers: dict[str, float] = field(default_factory=dict)
    reached: dict[int, float] = field(default_factory=dict)
    taken: dict[int, float] = field(default_factory=dict)
    # loyalty points and sub-brands (seed 002): yuan of points redeemed this month, booked
    # by the carrier's first active points_programme action (by position); the sub-brands
    # the carrier starts with (its scenario's `sub_brands`)
    points_redeemed: dict[int, float] = field(default_factory=dict)
    sub_brands: float = 1.0


class Action(Strict):
    """A scheduled strategy action: active from `start` to `end` (inclusive)."""

    start: Month = param(..., unit="YYYY-MM, or mnp[+/-N] / start[+N]", source="scenario",
                         description="First month the action is active. 'mnp+3' means three "
                                     "months after nationwide MNP opens.")
    end: Month | None = param(None, unit="YYYY-MM, or mnp[+/-N] / start[+N]", source="scenario",
                              description="Last active month; omit to keep it to the end.")
    label: str | None = param(None, unit="text", source="scenario",
                              description="Name shown in reports; defaults to the lever.")
    cost: Cost = param(Cost(), unit="yuan", source=ASSUMPTION,
                       description="Cost model of the action (on top of any lever-specific "
                                   "unit costs below).")

    #: Position in the documentation, the cost columns and the lever columns (a new lever
    #: without one comes last).
    ORDER: ClassVar[int] = 1000
    #: Columns this lever reports per carrier and month (see Column.counter).
    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    #: Whether its cost needs the carrier's subscribers per segment (`Usage`).
    NEEDS_SEGMENT_COUNTS: ClassVar[bool] = False

    def apply(self, offer: Offer, months_active: int) -> None:
        """Change this month's offer. `months_active` is 0 in the start month."""

    def contact(self, run: Campaign, m: MonthContext) -> np.ndarray | None:
        """Rows (ascending) this action calls this month; each reviews its carrier."""
        return None

    def incentives(self, run: Campaign, m: MonthContext) -> None:
        """Add to reviewers' one-off incentives to move (m.incentive) or stay (m.add_stay)."""

    def reconsider(self, run: Campaign, m: MonthContext) -> None:
        """Act on this month's choices (m.utilities, m.chosen) before anyone moves."""

    def settle(self, run: Campaign, m: MonthContext) -> None:
        """After the moves: grant offers, sell, and count what was reached and taken."""

    def covered(self, usage: Usage) -> float:
        """Real subscribers `cost.per_subscriber_month` is charged on (default: all)."""
        return usage.subscribers

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month by the lever's own unit costs (bonus, per contact...)."""
        return 0.0

    def month_cost(self, usage: Usage, index: int, first_month: bool) -> float:
        """Everything this action costs in one active month, in yuan."""
        c = self.cost
        total = c.one_off if first_month else 0.0
        total += c.per_month + c.per_subscriber_month * self.covered(usage)
        total += c.per_port_in * usage.port_ins
        return total + self.lever_cost(usage, index)

    @property
    def kind(self) -> str:
        """The lever's key (the `lever` field)."""
        return self.lever

    @property
    def name(self) -> str:
        """The name shown in reports: the label, else the lever's key."""
        return self.label or self.kind


@dataclass
class Campaign:
    """One active action of one carrier in one month: what the hooks act for.

    `counts` are this month's counters in rows (reached, taken, and any a lever
    names); `state` persists across months for the same action in the same run.
    """

    carrier: int
    index: int
    action: Action
    state: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    notes: dict[str, Any] = field(default_factory=dict)  # this month only (e.g. rows called)

    def count(self, name: str, rows: int) -> None:
        """Add `rows` to this month's counter `name`."""
        self.counts[name] += int(rows)
