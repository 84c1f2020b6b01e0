"""Existing-customer parity: give existing customers the offers new ones get (seed 002).

Seed 002 warns that generous offers for newcomers while existing customers get
nothing erode satisfaction ("neglect"). With parity, the neglect penalty is gone,
and an existing customer who reviews the carrier can claim the current port-in
bonus to stay; each claim is paid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.levers.base import Action, Campaign, Offer, Usage

if TYPE_CHECKING:
    from sim.context import MonthContext


def claims(m: MonthContext) -> None:
    """Reviewers at a carrier where parity holds can claim its port-in bonus by staying."""
    market = m.market
    claimable = np.where(market.parity, market.port_in_bonus, 0).astype(np.float32)
    if claimable.any():
        m.add_stay(claimable[m.subs.carrier[m.rows]])


class ExistingCustomerParity(Action):
    """Existing customers who ask get the new-customer bonus; no neglect penalty."""

    ORDER = 170  # position in the documentation and the columns

    lever: Literal["existing_customer_parity"]

    def apply(self, offer: Offer, months_active: int) -> None:
        offer.parity = True

    def settle(self, run: Campaign, m: MonthContext) -> None:
        """Reviewers of the carrier who stayed claimed its current bonus."""
        if m.market.port_in_bonus[run.carrier] > 0:
            stayed = m.rows[~m.moved[m.rows]]
            run.count("taken", int((m.start_carrier[stayed] == run.carrier).sum()))

    def lever_cost(self, usage: Usage, index: int) -> float:
        return usage.port_in_bonus * usage.taken.get(index, 0.0)
