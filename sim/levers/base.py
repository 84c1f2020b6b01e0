"""What every strategy action shares: its schedule, its cost model, and the offer it changes.

A carrier's *offer* is what subscribers see this month (price, network, service,
transparency, promotions). Each active action edits the offer; the model then
reads only the offer, so a new lever never touches the behaviour modules.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.scenario.params import ASSUMPTION, Month, Strict, param


class Cost(Strict):
    """Money a carrier books for one action, in yuan (real subscribers, not rows)."""

    one_off: float = param(0.0, unit="yuan", source=ASSUMPTION, ge=0,
                           description="Booked once, in the action's start month.")
    per_month: float = param(0.0, unit="yuan/month", source=ASSUMPTION, ge=0,
                             description="Fixed cost for every month the action is active.")
    per_subscriber_month: float = param(
        0.0, unit="yuan/subscriber/month", source=ASSUMPTION, ge=0,
        description="Cost per real subscriber of the carrier per active month.")
    per_port_in: float = param(0.0, unit="yuan/port-in", source=ASSUMPTION, ge=0,
                               description="Cost per real subscriber ported in while active.")


@dataclass
class Offer:
    """A carrier's effective attributes in one month, after its active actions."""

    price_factor: float = 1.0
    network_quality: float = 0.0
    service_quality: float = 0.0
    transparency: float = 0.0
    port_in_bonus: float = 0.0
    new_customer_only_offer: bool = False

    def clip(self) -> None:
        """Keep qualities in their documented 0..1 range."""
        self.network_quality = min(max(self.network_quality, 0.0), 1.0)
        self.service_quality = min(max(self.service_quality, 0.0), 1.0)
        self.transparency = min(max(self.transparency, 0.0), 1.0)
        self.price_factor = max(self.price_factor, 0.01)


class Action(Strict):
    """A scheduled strategy action: active from `start` to `end` (inclusive)."""

    start: Month = param(..., unit="YYYY-MM", source="scenario",
                         description="First month the action is active.")
    end: Month | None = param(None, unit="YYYY-MM", source="scenario",
                              description="Last active month; omit to keep it to the end.")
    label: str | None = param(None, unit="text", source="scenario",
                              description="Name shown in reports; defaults to the lever.")
    cost: Cost = param(Cost(), unit="yuan", source=ASSUMPTION,
                       description="Cost model of the action.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Change this month's offer. `months_active` is 0 in the start month."""
        raise NotImplementedError

    def per_port_in_cost(self) -> float:
        """Yuan booked per real port-in while active (levers add their own, e.g. a bonus)."""
        return self.cost.per_port_in

    @property
    def name(self) -> str:
        return self.label or getattr(self, "lever")
