"""Existing-customer parity: give existing customers the offers new ones get (seed 002).

Seed 002 warns that generous offers for newcomers while existing customers get
nothing erode satisfaction ("neglect"). With parity the neglect penalty is gone,
and an existing customer who reviews the carrier can claim each of its port-in
bonuses to stay. Each claim is a bonus paid, so the bonus action books it (see
`PortInBonus`): every incentive is booked once, by the action that offers it.
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer


class ExistingCustomerParity(Action):
    """Existing customers who ask get the new-customer offers; no neglect penalty."""

    ORDER = 170  # position in the documentation and the columns

    lever: Literal["existing_customer_parity"]

    def apply(self, offer: Offer, months_active: int) -> None:
        """Extend every new-customer offer to existing customers."""
        offer.parity = True
