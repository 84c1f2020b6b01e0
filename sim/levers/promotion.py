"""Acquisition lever: a port-in bonus paid to each subscriber who ports in (seeds 003, 004).

A new-customer-only offer is also what seed 002 calls neglect of existing
customers: unless `existing_customers_too` is set, the carrier's own
subscribers see it and their satisfaction suffers.
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer
from sim.scenario.params import SEED, param


class PortInBonus(Action):
    """One-off bonus (yuan) to every subscriber porting in; booked per port-in."""

    lever: Literal["port_in_bonus"]
    bonus: float = param(..., unit="yuan", source=SEED["004"], ge=0,
                         description="One-off value given to each porting-in subscriber.")
    existing_customers_too: bool = param(
        False, unit="flag", source=SEED["002"],
        description="Give existing customers the same offer (no neglect penalty).")

    def apply(self, offer: Offer, months_active: int) -> None:
        offer.port_in_bonus += self.bonus
        offer.new_customer_only_offer |= not self.existing_customers_too

    def per_port_in_cost(self) -> float:
        return self.cost.per_port_in + self.bonus
