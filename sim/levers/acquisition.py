"""Acquisition levers: port-in bonus, handset subsidy, targeted poaching (seeds 002, 003, 004).

A new-customer-only offer is also what seed 002 calls neglect of existing
customers: unless `existing_customers_too` is set (or the carrier runs
`existing_customer_parity`), its own subscribers see it and their satisfaction suffers.

Targeted poaching follows seed 003's account of Unicom in 2010: outbound calls to
a rival's mid/high-value customers, a free number delivered to the door; and seed
004's "contract about to end, mildly dissatisfied" customers. It reaches only the
targeted subscribers, who then review their carrier with the poacher's offer in hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.behaviour.money import list_bills
from sim.levers import calls
from sim.levers.base import Action, Campaign, Column, Offer, Usage
from sim.params import ASSUMPTION, SEED, param

if TYPE_CHECKING:
    from sim.context import MonthContext


class PortInBonus(Action):
    """One-off bonus (yuan) to every subscriber porting in; booked per port-in."""

    ORDER = 30  # position in the documentation and the columns

    lever: Literal["port_in_bonus"]
    bonus: float = param(..., unit="yuan", source=SEED["004"], ge=0,
                         description="One-off value given to each porting-in subscriber.")
    existing_customers_too: bool = param(
        False, unit="flag", source=SEED["002"],
        description="Give existing customers the same offer (no neglect penalty; see "
                    "existing_customer_parity).")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Add the bonus to the offer's port-in bonus (and new-customer value unless extended)."""
        offer.port_in_bonus += self.bonus
        if not self.existing_customers_too:
            offer.new_customer_value += self.bonus

    def extended(self, run: Campaign, m: MonthContext) -> bool:
        """Whether existing customers can claim the bonus too (its own flag, or parity)."""
        return self.existing_customers_too or bool(m.market.parity[run.carrier])

    def incentives(self, run: Campaign, m: MonthContext) -> None:
        """The bonus goes with a port into the carrier (not a new-number switch).

        Where it is extended, reviewers of the carrier can claim it by staying.
        """
        if not self.bonus:
            return
        incentive = m.per_row_incentive()
        incentive[m.costs.is_port, run.carrier] += np.float32(self.bonus)
        if self.extended(run, m):
            own = m.subs.carrier[m.rows] == run.carrier
            m.add_stay(np.where(own, np.float32(self.bonus), np.float32(0)))

    def settle(self, run: Campaign, m: MonthContext) -> None:
        """Claims paid: reviewers of the carrier who stayed, where the bonus is extended."""
        if self.bonus and self.extended(run, m):
            stayed = m.rows[~m.moved[m.rows]]
            run.count("taken", int((m.start_carrier[stayed] == run.carrier).sum()))

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Every port-in's bonus, and every existing customer's claim."""
        return self.bonus * (usage.port_ins + usage.taken.get(index, 0.0))


class HandsetSubsidy(Action):
    """A subsidised handset for new customers who sign a contract (raises their lock-in)."""

    ORDER = 40  # position in the documentation and the columns

    lever: Literal["handset_subsidy"]
    subsidy: float = param(..., unit="yuan", source=SEED["004"], ge=0,
                           description="Handset subsidy per contract signed.")
    take_up: float = param(0.3, unit="fraction of new customers", source=ASSUMPTION,
                           ge=0, le=1, description="Share of new customers who take the deal.")
    contract_months: int = param(24, unit="months", source=SEED["004"], ge=1, le=60,
                                 description="Contract signed with the handset.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Add the subsidy to the offer, with its take-up, contract months, new-customer value."""
        offer.handset_subsidy += self.subsidy
        offer.subsidy_take_up = max(offer.subsidy_take_up, self.take_up)
        offer.subsidy_contract_months = max(offer.subsidy_contract_months, self.contract_months)
        offer.new_customer_value += self.subsidy * self.take_up

    def settle(self, run: Campaign, m: MonthContext) -> None:
        """Contracts signed with the carrier's subsidy, counted on its first such action."""
        if m.first_for_carrier(self.kind, run.carrier):
            run.count("taken", m.flows.subsidised[run.carrier])

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan of subsidies paid this month: the subsidy times the handsets taken."""
        return self.subsidy * usage.taken.get(index, 0.0)


class TargetedPoaching(Action):
    """Contact a rival's chosen customers (outbound calls) with an offer to port in."""

    ORDER = 50  # position in the documentation and the columns

    lever: Literal["targeted_poaching"]
    COLUMNS = (
        Column("poaching_contacts", "real subscribers/month",
               "Rivals' customers called by targeted poaching.", "reached"),
        Column("poaching_wins", "real subscribers/month",
               "Called customers who moved to the poacher this month.", "taken"),
    )

    target_carriers: list[str] | None = param(
        None, unit="carrier keys", source=SEED["003"],
        description="Rivals whose customers are called; omitted: every rival.")
    segments: list[str] | None = param(
        None, unit="segment names", source=SEED["001"],
        description="Only these segments; omitted: all.")
    min_stars: int = param(0, unit="stars 0..5", source=SEED["003"], ge=0, le=5,
                           description="Only customers with at least this star level.")
    min_monthly_spend: float = param(0.0, unit="yuan/month", source=SEED["003"], ge=0,
                                     description="Only customers whose bill is at least this.")
    contract_ending_within: int | None = param(
        None, unit="months", source=SEED["004"], ge=0, le=60,
        description="Only customers with at most this many contract months left (0: out of "
                    "contract); omitted: any.")
    max_satisfaction: float | None = param(
        None, unit="0..1", source=SEED["004"], ge=0, le=1,
        description="Only customers below this satisfaction (e.g. 0.5: mildly dissatisfied).")
    reach: float = param(0.2, unit="fraction of targets per month", source=ASSUMPTION,
                         gt=0, le=1, description="Share of matching customers called each month.")
    max_contacts_per_month: float | None = param(
        1_000_000, unit="real contacts/month", source=ASSUMPTION + " (about 2,500 outbound "
        "agents at 400 calls a month each)", gt=0,
        description="Call-centre capacity: calls beyond it are not made; null: no cap.")
    offer_value: float = param(100.0, unit="yuan", source=SEED["003"] + "; " + ASSUMPTION,
                               ge=0, description="Gift (credit, free number) per customer won.")
    hassle_waived: float = param(
        0.5, unit="fraction of porting hassle", source=SEED["003"] + " (number delivered to the "
        "door)", ge=0, le=1, description="Share of the porting hassle the poacher takes away.")
    cost_per_contact: float = param(5.0, unit="yuan/contact", source=ASSUMPTION, ge=0,
                                    description="Outbound call and data work per customer called.")

    def targets(self, poacher: int, keys: tuple[str, ...], carrier: np.ndarray,
                segment: np.ndarray, stars: np.ndarray, bill: np.ndarray,
                contract_left: np.ndarray, satisfaction: np.ndarray,
                segment_codes: dict[str, int]) -> np.ndarray:
        """Boolean mask of the rows this campaign may call this month."""
        rivals = [keys.index(k) for k in (self.target_carriers or keys)]
        allowed = np.zeros(len(keys), dtype=bool)
        allowed[rivals] = True
        allowed[poacher] = False
        mask = allowed[carrier]
        if self.segments:
            seg_ok = np.zeros(len(segment_codes), dtype=bool)
            seg_ok[[segment_codes[s] for s in self.segments]] = True
            mask &= seg_ok[segment]
        if self.min_stars:
            mask &= stars >= self.min_stars
        if self.min_monthly_spend:
            mask &= bill >= self.min_monthly_spend
        if self.contract_ending_within is not None:
            mask &= contract_left <= self.contract_ending_within
        if self.max_satisfaction is not None:
            mask &= satisfaction < self.max_satisfaction
        return mask

    def segment_names(self) -> list[str]:
        """The targeted segments' names (empty: all)."""
        return list(self.segments or [])

    def contact(self, run: Campaign, m: MonthContext) -> np.ndarray:
        """Pick the rows the campaign calls this month (capped by the call centre)."""
        subs = m.subs
        mask = self.targets(run.carrier, m.spec.carrier_keys, subs.carrier, subs.segment,
                            subs.stars, list_bills(subs, m.market), subs.contract_left,
                            subs.satisfaction, m.segment_codes)
        return calls.place_calls(run, m, np.flatnonzero(mask), self.reach,
                                 self.max_contacts_per_month)

    def incentives(self, run: Campaign, m: MonthContext) -> None:
        """Called reviewers see the poacher's gift and the hassle it takes away."""
        calls.offer_to_called(run, m, self.offer_value, self.hassle_waived)

    def settle(self, run: Campaign, m: MonthContext) -> None:
        """Called customers who moved to the poacher this month took the offer."""
        calls.count_won(run, m)

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: contacts made times their cost plus offers taken times value."""
        return (self.cost_per_contact * usage.reached.get(index, 0.0)
                + self.offer_value * usage.taken.get(index, 0.0))
