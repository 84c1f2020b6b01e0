"""Retention levers (seeds 003, 004): early warning, renewal offers, loyalty rewards.

- `churn_early_warning`: a churn model flags subscribers about to leave and each
  flagged one gets a retention offer. The model's quality is set by precision and
  recall against the simulation's own churners (those who, this month, have chosen
  to leave): a perfect model is precision = recall = 1. False alarms are spread
  over the carrier's other subscribers, who take the discount too (the cost of a
  poor model).
- `renewal_offer`: a discount (and optionally a new contract) offered to everyone
  whose contract ends this month (seed 004: "poor renewal offers" drive churn).
- `loyalty_rewards`: benefits by star level (seed 003's rule: tenure and spend), worth
  something every month and forfeited on leaving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.behaviour.money import list_bills
from sim.levers.base import Action, Campaign, Column, Offer, Usage
from sim.params import ASSUMPTION, SEED, Strict, param

if TYPE_CHECKING:
    from sim.behaviour.offers import MarketState
    from sim.context import MonthContext
    from sim.population import Subscribers


class RetentionOffer(Strict):
    """What a subscriber singled out for retention is offered."""

    discount_percent: float = param(20.0, unit="% of the bill", source=SEED["004"], ge=0, le=100,
                                    description="Discount on the monthly bill.")
    months: int = param(6, unit="months", source=SEED["004"], ge=1, le=60,
                        description="How long the discount lasts.")
    cost_per_offer: float = param(10.0, unit="yuan/offer", source=ASSUMPTION, ge=0,
                                  description="Contact and handling cost of each offer made.")
    satisfaction_boost: float = param(
        0.05, unit="satisfaction", source=SEED["002"] + " (feeling valued); " + ASSUMPTION,
        ge=0, le=1, description="Satisfaction gained by a subscriber who takes the offer.")


def offer_value(subs: Subscribers, market: MarketState, offer: RetentionOffer,
                rows: np.ndarray) -> np.ndarray:
    """One-off yuan a retention offer is worth to each row: discount x bill x months."""
    return list_bills(subs, market, rows) * np.float32(offer.discount_percent / 100 * offer.months)


def grant(subs: Subscribers, offer: RetentionOffer, rows: np.ndarray) -> None:
    """Rows accept a retention offer: the discount starts and they feel valued."""
    subs.discount[rows] = np.uint8(round(offer.discount_percent))
    subs.discount_left[rows] = np.uint8(offer.months)
    sat = subs.satisfaction
    sat[rows] = np.minimum(sat[rows] + np.float32(offer.satisfaction_boost), 1.0)


class ChurnEarlyWarning(Action):
    """Flag likely churners with a model of given precision and recall; offer each a discount."""

    ORDER = 60  # position in the documentation and the columns

    COLUMNS = (
        Column("retention_offers", "real subscribers/month",
               "Retention offers made by the churn early warning (hits and false alarms).",
               "reached"),
        Column("retained", "real subscribers/month",
               "Churners the early warning's offer kept this month.", "retained"),
    )

    lever: Literal["churn_early_warning"]
    precision: float = param(0.3, unit="fraction", source=SEED["004"] + "; " + ASSUMPTION,
                             gt=0, le=1, description="Share of flagged subscribers who are "
                                                     "real churners.")
    recall: float = param(0.5, unit="fraction", source=SEED["004"] + "; " + ASSUMPTION,
                          ge=0, le=1, description="Share of real churners the model flags.")
    max_offers_per_month: float | None = param(
        None, unit="real offers/month", source=ASSUMPTION, gt=0,
        description="Budget cap on offers; flagged subscribers are sampled down to it.")
    offer: RetentionOffer = param(RetentionOffer(), unit="block", source=SEED["004"],
                                  description="The retention offer made to each flagged one.")

    def flag(self, rng: np.random.Generator, churners: np.ndarray, others: np.ndarray,
             rows_per_real: float) -> tuple[np.ndarray, np.ndarray]:
        """(flagged churners, false alarms) this month, row indices."""
        hits = churners[rng.random(churners.size) < self.recall]
        expected_false = hits.size * (1.0 - self.precision) / self.precision
        n_false = min(int(expected_false + rng.random()), others.size)  # unbiased rounding
        false = rng.choice(others, size=n_false, replace=False) if n_false else others[:0]
        if self.max_offers_per_month is not None:
            cap = int(self.max_offers_per_month * rows_per_real)
            total = hits.size + false.size
            if total > cap:
                keep = np.sort(rng.choice(total, size=cap, replace=False))
                hits, false = hits[keep[keep < hits.size]], false[keep[keep >= hits.size]
                                                                  - hits.size]
        return hits, false

    def reconsider(self, run: Campaign, m: MonthContext) -> None:
        """Flag churners and false alarms; flagged churners reconsider with the offer in hand.

        They reconsider with the same taste shocks, and the utilities and choices are updated
        in place.
        """
        subs, rows, chosen, utilities = m.subs, m.rows, m.chosen, m.utilities
        current = subs.carrier[rows]
        leaving = (current == run.carrier) & (chosen != run.carrier)
        churners = rows[leaving]
        staying = subs.carrier == run.carrier
        staying[churners] = False
        others = np.flatnonzero(staying)
        hits, false = self.flag(m.action_rng(run), churners, others, m.rows_per_real)
        pos = np.searchsorted(rows, hits)
        horizon = np.float32(m.spec.behaviour.planning_horizon_months)
        utilities[pos, run.carrier] += offer_value(subs, m.market, self.offer, hits) / horizon
        chosen[pos] = utilities[pos].argmax(axis=1)
        kept = hits[chosen[pos] == run.carrier]
        grant(subs, self.offer, np.concatenate([kept, false]))
        run.count("reached", hits.size + false.size)
        run.count("taken", kept.size + false.size)
        run.count("retained", kept.size)

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: the cost per offer times the offers made."""
        return self.offer.cost_per_offer * usage.reached.get(index, 0.0)


class RenewalOffer(Action):
    """An offer to everyone whose contract ends this month, to stay (and perhaps re-sign)."""

    ORDER = 70  # position in the documentation and the columns

    COLUMNS = (Column("renewals", "real subscribers/month",
                      "Subscribers whose contract ended who stayed on a renewal offer.",
                      "taken"),)

    lever: Literal["renewal_offer"]
    offer: RetentionOffer = param(RetentionOffer(), unit="block", source=SEED["004"],
                                  description="The renewal offer.")
    new_contract_months: int = param(
        0, unit="months", source=SEED["004"], ge=0, le=60,
        description="Contract signed with the renewal (0: none, the subscriber stays free).")

    def incentives(self, run: Campaign, m: MonthContext) -> None:
        """Reviewers whose contract ends this month see the renewal offer's value to stay."""
        subs, rows = m.subs, m.rows
        stay = np.zeros(rows.size, dtype=np.float32)
        ending = np.isin(rows, m.contract_ended, assume_unique=True)
        pos = np.flatnonzero(ending & (subs.carrier[rows] == run.carrier))
        stay[pos] += offer_value(subs, m.market, self.offer, rows[pos])
        m.add_stay(stay)

    def settle(self, run: Campaign, m: MonthContext) -> None:
        """Everyone whose contract ended was offered a renewal; those who stayed took it."""
        subs, ended = m.subs, m.contract_ended
        offered = ended[m.start_carrier[ended] == run.carrier]
        stayed = offered[~m.moved[offered]]
        grant(subs, self.offer, stayed)
        if self.new_contract_months:
            # contract_left counts down at the month's end; +1 leaves the full term after it
            subs.contract_left[stayed] = np.uint8(min(self.new_contract_months + 1, 255))
        run.count("reached", offered.size)
        run.count("taken", stayed.size)

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: the cost per offer times the offers made."""
        return self.offer.cost_per_offer * usage.reached.get(index, 0.0)


class LoyaltyRewards(Action):
    """Benefits by star level (tenure and value, seed 003), enjoyed monthly, lost on leaving."""

    ORDER = 80  # position in the documentation and the columns

    lever: Literal["loyalty_rewards"]
    value_per_star: float = param(2.0, unit="yuan/month per star", source=SEED["003"] + "; "
                                  + ASSUMPTION, ge=0,
                                  description="Monthly value of the benefits per star level.")
    forfeit_per_star: float = param(
        60.0, unit="yuan per star", source=SEED["003"] + "; " + ASSUMPTION, ge=0,
        description="Accumulated benefits lost on leaving, added to the carrier's star_benefit.")
    cost_share: float = param(0.5, unit="fraction of value", source=ASSUMPTION, ge=0, le=5,
                              description="What the benefits cost the carrier per yuan of value.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Run a star programme: add the value and the forfeit per star to the offer."""
        offer.star_programme = True
        offer.star_value += self.value_per_star
        offer.star_benefit_extra += self.forfeit_per_star

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: the cost share of the value per star, times the stars held."""
        return self.cost_share * self.value_per_star * usage.stars
