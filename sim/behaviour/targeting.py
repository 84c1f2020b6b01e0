"""Levers that reach chosen subscribers rather than the whole market (seeds 002, 003, 004).

- poaching: a rival's targeted customers are called; they review their carrier this
  month with the poacher's gift and waived hassle in hand (003, 004);
- early warning: after this month's choices, the carrier's churn model flags
  subscribers (precision and recall against the real churners); flagged churners
  reconsider with the retention offer, with the same taste shocks (004);
- renewal offers: subscribers whose contract ends are offered a discount to stay (004);
- parity: existing customers who review can claim the new-customer bonus (002);
- bundle sales: a share of the carrier's subscribers without a bundle take one (002).
Each mechanism tallies, per action, how many subscribers it reached and how many
took the offer; the carriers book costs from those tallies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from sim.behaviour.market import MarketState
from sim.behaviour.money import list_bills
from sim.draws import events, thin
from sim.levers import (
    ChurnEarlyWarning,
    RenewalOffer,
    RetentionOffer,
    TargetedPoaching,
)
from sim.levers.base import Action
from sim.population import Subscribers


@dataclass
class Campaign:
    """One active action of one carrier: carrier index, its position in the list, the action."""

    carrier: int
    index: int
    action: Action


@dataclass
class Tally:
    """Rows reached and rows that took the offer, per (carrier, action index), this month."""

    reached: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    taken: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    retained: np.ndarray = field(default_factory=lambda: np.zeros(3, np.int64))

    def add(self, c: Campaign, reached: int = 0, taken: int = 0) -> None:
        self.reached[c.carrier, c.index] += int(reached)
        self.taken[c.carrier, c.index] += int(taken)

    def for_carrier(self, carrier: int) -> tuple[dict[int, float], dict[int, float]]:
        pick = lambda d: {k: float(v) for (j, k), v in d.items() if j == carrier}  # noqa: E731
        return pick(self.reached), pick(self.taken)


def campaigns(carriers: list, kind: type[Action]) -> list[Campaign]:
    """Active actions of a given lever class, over all carriers."""
    return [Campaign(j, k, a) for j, c in enumerate(carriers) for k, a in c.active
            if isinstance(a, kind)]


# ---------------------------------------------------------------- poaching

@dataclass
class Contacts:
    """Rows one poaching campaign called this month."""

    campaign: Campaign
    rows: np.ndarray


def poaching_contacts(rng: np.random.Generator, subs: Subscribers, market: MarketState,
                      poaching: list[Campaign], segment_codes: dict[str, int],
                      rows_per_real: float, tally: Tally) -> list[Contacts]:
    """Pick the rows each poaching campaign calls this month."""
    out = []
    for c in poaching:
        a: TargetedPoaching = c.action  # type: ignore[assignment]
        mask = a.targets(c.carrier, subs.carrier, subs.segment, subs.stars,
                         list_bills(subs, market), subs.contract_left, subs.satisfaction,
                         segment_codes)
        called = thin(rng, np.flatnonzero(mask), a.reach)
        if a.max_contacts_per_month is not None:
            cap = int(a.max_contacts_per_month * rows_per_real)
            if called.size > cap:
                called = np.sort(rng.choice(called, size=cap, replace=False))
        tally.add(c, reached=called.size)
        out.append(Contacts(c, called))
    return out


def add_poaching_incentives(incentive: np.ndarray, rows: np.ndarray, contacts: list[Contacts],
                            hassle: np.ndarray) -> None:
    """Add each poacher's gift and waived hassle to the incentive (m, 3) of called reviewers."""
    for ct in contacts:
        a: TargetedPoaching = ct.campaign.action  # type: ignore[assignment]
        pos = np.searchsorted(rows, ct.rows)
        incentive[pos, ct.campaign.carrier] += a.offer_value + a.hassle_waived * hassle[pos]


def count_poaching_wins(subs: Subscribers, contacts: list[Contacts], moved: np.ndarray,
                        tally: Tally) -> None:
    """Called customers who moved to the poacher this month took the offer."""
    for ct in contacts:
        won = moved[ct.rows] & (subs.carrier[ct.rows] == ct.campaign.carrier)
        tally.add(ct.campaign, taken=int(won.sum()))


# ---------------------------------------------------------------- retention offers

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


def early_warning(rng: np.random.Generator, subs: Subscribers, market: MarketState,
                  warnings: list[Campaign], rows: np.ndarray, utilities: np.ndarray,
                  chosen: np.ndarray, horizon: float, rows_per_real: float,
                  tally: Tally) -> None:
    """Flag churners and false alarms; flagged churners reconsider with the offer in hand.

    `utilities` (m, 3) are the reviewers' noisy utilities and `chosen` their choices;
    both are updated in place for the churners the offer keeps.
    """
    current = subs.carrier[rows]
    for c in warnings:
        a: ChurnEarlyWarning = c.action  # type: ignore[assignment]
        leaving = (current == c.carrier) & (chosen != c.carrier)
        churners = rows[leaving]
        staying = subs.carrier == c.carrier
        staying[churners] = False
        others = np.flatnonzero(staying)
        hits, false = a.flag(rng, churners, others, rows_per_real)
        pos = np.searchsorted(rows, hits)
        utilities[pos, c.carrier] += offer_value(subs, market, a.offer, hits) / np.float32(horizon)
        chosen[pos] = utilities[pos].argmax(axis=1)
        kept = hits[chosen[pos] == c.carrier]
        grant(subs, a.offer, np.concatenate([kept, false]))
        tally.add(c, reached=hits.size + false.size, taken=kept.size + false.size)
        tally.retained[c.carrier] += kept.size


def renewal_incentive(subs: Subscribers, market: MarketState, renewals: list[Campaign],
                      rows: np.ndarray, contract_ended: np.ndarray) -> np.ndarray | None:
    """(m,) one-off yuan to stay for reviewers whose contract ends and who get a renewal offer."""
    if not renewals:
        return None
    stay = np.zeros(rows.size, dtype=np.float32)
    ending = np.isin(rows, contract_ended, assume_unique=True)
    for c in renewals:
        a: RenewalOffer = c.action  # type: ignore[assignment]
        pos = np.flatnonzero(ending & (subs.carrier[rows] == c.carrier))
        stay[pos] += offer_value(subs, market, a.offer, rows[pos])
    return stay


def settle_renewals(subs: Subscribers, renewals: list[Campaign], contract_ended: np.ndarray,
                    start_carrier: np.ndarray, moved: np.ndarray, tally: Tally) -> None:
    """Everyone whose contract ended was offered a renewal; those who stayed took it."""
    for c in renewals:
        a: RenewalOffer = c.action  # type: ignore[assignment]
        offered = contract_ended[start_carrier[contract_ended] == c.carrier]
        stayed = offered[~moved[offered]]
        grant(subs, a.offer, stayed)
        if a.new_contract_months:
            # contract_left counts down at the month's end; +1 leaves the full term after it
            subs.contract_left[stayed] = np.uint8(min(a.new_contract_months + 1, 255))
        tally.add(c, reached=offered.size, taken=stayed.size)


# ---------------------------------------------------------------- parity, subsidies, bundles

def parity_incentive(subs: Subscribers, market: MarketState, rows: np.ndarray) -> np.ndarray | None:
    """(m,) the port-in bonus that existing customers of a parity carrier can claim by staying."""
    claimable = np.where(market.parity, market.port_in_bonus, 0).astype(np.float32)
    if not claimable.any():
        return None
    return claimable[subs.carrier[rows]]


def settle_parity_claims(rows: np.ndarray, start_carrier: np.ndarray, moved: np.ndarray,
                         market: MarketState, parity: list[Campaign], tally: Tally) -> None:
    """Reviewers of a parity carrier who stayed claimed its current bonus."""
    stayed = rows[~moved[rows]]
    for c in parity:
        if market.port_in_bonus[c.carrier] > 0:
            tally.add(c, taken=int((start_carrier[stayed] == c.carrier).sum()))


def _book_on_first(campaigns: list[Campaign], taken: np.ndarray, tally: Tally) -> None:
    """Per-carrier counts a carrier-wide lever produced, booked on its first such action."""
    seen: set[int] = set()
    for c in campaigns:
        if c.carrier not in seen:
            tally.add(c, taken=int(taken[c.carrier]))
            seen.add(c.carrier)


def count_subsidised(subsidies: list[Campaign], subsidised: np.ndarray, tally: Tally) -> None:
    """Contracts signed with a handset subsidy (`HandsetSubsidy` campaigns)."""
    _book_on_first(subsidies, subsidised, tally)


def sell_bundles(rng: np.random.Generator, subs: Subscribers, market: MarketState,
                 bundles: list[Campaign], tally: Tally) -> None:
    """Each month a share of subscribers without a bundle at a selling carrier take one
    (`BundleOffer` campaigns)."""
    if not market.bundle_take_up.any():
        return
    buyers = events(rng, market.bundle_take_up[subs.carrier])
    buyers = buyers[~subs.has_bundle[buyers]]
    subs.has_bundle[buyers] = True
    _book_on_first(bundles, np.bincount(subs.carrier[buyers], minlength=3), tally)
