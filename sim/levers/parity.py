"""Existing-customer parity: give existing customers the offers new ones get (seed 002).

Seed 002 warns that generous offers for newcomers while existing customers get
nothing erode satisfaction ("neglect"). With parity, the neglect penalty is gone,
and an existing customer who reviews the carrier can claim the current port-in
bonus to stay; each claim is paid.
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer, Usage


class ExistingCustomerParity(Action):
    """Existing customers who ask get the new-customer bonus; no neglect penalty."""

    lever: Literal["existing_customer_parity"]

    def apply(self, offer: Offer, months_active: int) -> None:
        offer.parity = True

    def lever_cost(self, usage: Usage, index: int) -> float:
        return usage.port_in_bonus * usage.taken.get(index, 0.0)
