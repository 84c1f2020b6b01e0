"""What every strategy action shares: its schedule, its cost model, and the offer it changes.

A carrier's *offer* is what subscribers see this month (prices, plans, qualities,
promotions, rewards). Each active action edits the offer; the behaviour modules
read only the offer, so most levers never touch them. Levers that reach chosen
subscribers (poaching, early warning, renewal offers) also act on rows through the
model (see `sim/behaviour/targeting.py`).

Money: every action books its cost each active month from a `Usage` record of what
it touched (real subscribers, not rows). A price cut or discount is not a cost: it
shows as lower revenue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.scenario.params import ASSUMPTION, Month, Strict, param


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
class Offer:
    """A carrier's effective attributes in one month, after its active actions."""

    price_factor: float = 1.0
    segment_price_factor: dict[str, float] = field(default_factory=dict)
    segment_value: dict[str, float] = field(default_factory=dict)  # yuan/month
    network_quality: float = 0.0
    weak_coverage_gain: float = 0.0  # quality added only in weak-coverage areas
    service_quality: float = 0.0
    complaint_recovery_extra: float = 0.0  # satisfaction
    transparency: float = 0.0
    port_in_bonus: float = 0.0
    handset_subsidy: float = 0.0          # yuan to a new customer signing a contract
    subsidy_take_up: float = 0.0          # share of new customers who take it
    subsidy_contract_months: int = 0
    new_customer_only_offer: bool = False
    parity: bool = False                  # existing customers get new customers' offers
    star_programme: bool = False
    star_benefit_extra: float = 0.0       # yuan per star lost on leaving
    star_value: float = 0.0               # yuan/month per star, enjoyed while staying
    bundle_take_up: float = 0.0           # probability/month a non-holder takes a bundle
    bundle_value_extra: float = 0.0       # yuan lost on leaving, on top of the carrier's
    bundle_monthly_value: float = 0.0     # yuan/month a holder enjoys
    bundle_fee: float = 0.0               # yuan/month revenue per holder

    @property
    def neglect(self) -> bool:
        """Seed 002: new-customer-only offers, with existing customers left out."""
        return self.new_customer_only_offer and not self.parity

    def clip(self) -> None:
        """Keep qualities and shares in their documented ranges."""
        def unit(x: float) -> float:
            return min(max(x, 0.0), 1.0)
        self.network_quality = unit(self.network_quality)
        self.service_quality = unit(self.service_quality)
        self.transparency = unit(self.transparency)
        self.subsidy_take_up = unit(self.subsidy_take_up)
        self.bundle_take_up = unit(self.bundle_take_up)
        self.price_factor = max(self.price_factor, 0.01)
        for seg, f in self.segment_price_factor.items():
            self.segment_price_factor[seg] = max(f, 0.01)


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
    bundle_holders: float = 0.0
    port_in_bonus: float = 0.0
    segment_subscribers: dict[str, float] = field(default_factory=dict)
    reached: dict[int, float] = field(default_factory=dict)
    taken: dict[int, float] = field(default_factory=dict)


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

    def apply(self, offer: Offer, months_active: int) -> None:
        """Change this month's offer. `months_active` is 0 in the start month."""

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
        return self.lever

    @property
    def name(self) -> str:
        return self.label or self.kind
