"""The scenario schema: every block a scenario file may hold, with units and sources.

Money is in yuan. Utilities are in yuan/month; one-off amounts (switching-cost
parts, bonuses) are spread over `behaviour.planning_horizon_months` when they
enter a choice. Qualities and satisfaction are on a 0..1 scale. Every default
names its source: a seed article, the published figures in `DATA`, or "assumption".
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, model_validator

from sim.levers import AnyAction
from sim.scenario.params import (
    ASSUMPTION,
    CARRIERS,
    DATA,
    SEED,
    Month,
    Strict,
    month_index,
    month_label,
    param,
)

SHARE_TOLERANCE = 1e-6


class CarrierShares(Strict):
    """A split of subscribers over the three carriers (fractions summing to 1)."""

    mobile: float = param(..., unit="fraction", source=DATA, ge=0, le=1,
                          description="Share on China Mobile.")
    unicom: float = param(..., unit="fraction", source=DATA, ge=0, le=1,
                          description="Share on China Unicom.")
    telecom: float = param(..., unit="fraction", source=DATA, ge=0, le=1,
                           description="Share on China Telecom.")

    @model_validator(mode="after")
    def _sums_to_one(self) -> CarrierShares:
        total = self.mobile + self.unicom + self.telecom
        if abs(total - 1.0) > 1e-3:
            raise ValueError(f"carrier shares sum to {total:.4f}; they must sum to 1")
        return self

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.mobile, self.unicom, self.telecom)


class Segment(Strict):
    """A customer segment (seed 001): its size, carrier split and trait distributions.

    Field defaults describe a mass-market subscriber; the named default segments
    override them (see `default_segments`).
    """

    share: float = param(..., unit="fraction of population", source=ASSUMPTION, gt=0, le=1,
                         description="Fraction of all subscribers in this segment.")
    carrier_shares: CarrierShares | None = param(
        None, unit="fractions", source=DATA,
        description="Split of this segment over carriers; omitted: the carriers' overall shares.")
    price_sensitivity: float = param(
        1.0, unit="yuan utility per yuan billed", source=ASSUMPTION, gt=0,
        description="Median weight on the monthly bill (1 = money is money).")
    network_sensitivity: float = param(
        25.0, unit="yuan/month per unit quality", source=SEED["004"], ge=0,
        description="Median value of network quality (business and gamers value it most).")
    service_sensitivity: float = param(
        15.0, unit="yuan/month per unit quality", source=SEED["004"], ge=0,
        description="Median value of service quality.")
    trait_spread: float = param(
        0.3, unit="lognormal sigma", source=ASSUMPTION, ge=0, le=2,
        description="Spread of the three sensitivities around their medians.")
    number_attachment: float = param(
        1.0, unit="multiple of policy.number_loss_cost", source=ASSUMPTION, ge=0,
        description="Median attachment to the number; business users lose most by changing it.")
    number_attachment_spread: float = param(
        0.8, unit="lognormal sigma", source=ASSUMPTION, ge=0, le=3,
        description="Spread of number attachment between subscribers.")
    review_rate: float = param(
        0.03, unit="probability/month", source=SEED["004"], ge=0, le=1,
        description="Chance a subscriber reviews the carrier in a month with no trigger.")
    network_intolerance: float = param(
        1.0, unit="multiplier", source=SEED["001"], ge=0,
        description="Scales the satisfaction loss from a network problem (business, heavy data >1).")
    spend_factor: float = param(
        1.0, unit="multiple of carrier ARPU", source=ASSUMPTION, gt=0,
        description="Relative monthly spend; rescaled so each carrier's mean equals its price.")
    contract_share: float = param(
        0.3, unit="fraction", source=SEED["004"], ge=0, le=1,
        description="Share on a contract (handset subsidy) at start and after each move.")
    bundle_share: float = param(
        0.3, unit="fraction", source=SEED["002"], ge=0, le=1,
        description="Share holding a bundle (home broadband, family plan) lost on leaving.")
    arrears_rate: float = param(
        0.005, unit="probability/month", source=SEED["002"], ge=0, le=1,
        description="Chance of falling into arrears in a month.")
    premium_brand_share: float = param(
        0.1, unit="fraction", source=SEED["003"], ge=0, le=1,
        description="Share on the premium brand (GoTone tier: +50 star points).")
    youth_brand_share: float = param(
        0.1, unit="fraction", source=SEED["003"], ge=0, le=1,
        description="Share on the youth brand (M-Zone tier: +30); the rest on basic (+20).")
    initial_satisfaction: float = param(
        0.55, unit="0..1", source=ASSUMPTION, ge=0, le=1,
        description="Mean satisfaction at the start.")
    max_tenure_years: float = param(
        10.0, unit="years", source=ASSUMPTION, gt=0,
        description="Initial tenure is uniform between 0 and this.")

    @model_validator(mode="after")
    def _brands_fit(self) -> Segment:
        if self.premium_brand_share + self.youth_brand_share > 1 + SHARE_TOLERANCE:
            raise ValueError("premium_brand_share + youth_brand_share must be at most 1")
        return self


def default_segments() -> dict[str, Segment]:
    """Seed 001's segments with assumed trait medians; carrier splits match 2019 within 1 pt."""
    cs = CarrierShares
    return {
        "youth": Segment(
            share=0.18, carrier_shares=cs(mobile=0.50, unicom=0.25, telecom=0.25),
            price_sensitivity=1.3, network_sensitivity=40, service_sensitivity=8,
            number_attachment=0.4, review_rate=0.05, network_intolerance=1.4,
            spend_factor=0.8, contract_share=0.15, bundle_share=0.1,
            premium_brand_share=0.02, youth_brand_share=0.8, max_tenure_years=5),
        "business": Segment(
            share=0.12, carrier_shares=cs(mobile=0.70, unicom=0.15, telecom=0.15),
            price_sensitivity=0.6, network_sensitivity=60, service_sensitivity=30,
            number_attachment=3.0, review_rate=0.02, network_intolerance=1.6,
            spend_factor=2.2, contract_share=0.5, bundle_share=0.3,
            premium_brand_share=0.7, youth_brand_share=0.0),
        "family": Segment(
            share=0.30, carrier_shares=cs(mobile=0.58, unicom=0.20, telecom=0.22),
            price_sensitivity=1.0, network_sensitivity=25, service_sensitivity=20,
            number_attachment=1.2, review_rate=0.025, spend_factor=1.0,
            contract_share=0.35, bundle_share=0.6, premium_brand_share=0.1),
        "elderly": Segment(
            share=0.15, carrier_shares=cs(mobile=0.68, unicom=0.16, telecom=0.16),
            price_sensitivity=1.2, network_sensitivity=12, service_sensitivity=30,
            number_attachment=1.0, review_rate=0.01, network_intolerance=0.7,
            spend_factor=0.5, contract_share=0.1, bundle_share=0.35,
            premium_brand_share=0.05, youth_brand_share=0.0, max_tenure_years=15),
        "mass": Segment(
            share=0.25, carrier_shares=cs(mobile=0.59, unicom=0.20, telecom=0.21)),
    }


class Social(Strict):
    """The social graph and what flows over it (households plus small-world acquaintances)."""

    household_size: float = param(
        2.62, unit="persons", source="China 7th population census (2020), mean household size",
        ge=1, le=10, description="Mean household size; household members are tied to each other.")
    acquaintances: int = param(
        6, unit="ties per subscriber", source=ASSUMPTION, ge=0, le=50,
        description="Ring-lattice acquaintances before rewiring (even number; odd is rounded down).")
    rewire: float = param(
        0.1, unit="probability", source=ASSUMPTION + " (Watts-Strogatz small world)", ge=0, le=1,
        description="Chance an acquaintance tie is rewired to a random subscriber.")
    peer_pull: float = param(
        12.0, unit="yuan/month at all contacts on one carrier", source=SEED["002"], ge=0,
        description="Value of having contacts/family on the same carrier (on-net, family plans).")
    word_of_mouth: float = param(
        20.0, unit="yuan/month per unit contacts' satisfaction", source=SEED["004"], ge=0,
        description="Appeal added when all of one's contacts on a carrier are satisfied with it, "
                    "times (satisfied share - 0.5).")
    mover_review_boost: float = param(
        0.05, unit="probability per moved contact", source=SEED["004"], ge=0, le=1,
        description="Extra review chance for each contact who moved carrier last month.")


class Population(Strict):
    """Who the subscribers are. Each row stands for `represents / size` real subscribers."""

    size: int = param(100_000, unit="agent rows", source=ASSUMPTION, ge=30, le=50_000_000,
                      description="Number of simulated subscriber rows.")
    represents: float | None = param(
        None, unit="real subscribers", source=DATA, gt=0, le=1e11,
        description="Real subscribers the rows stand for; omitted: sum of carriers' subscribers.")
    leave_rate: float = param(
        0.004, unit="probability/month", source=ASSUMPTION, ge=0, le=0.5,
        description="Chance a subscriber leaves the market in a month; a newcomer replaces each "
                    "leaver (saturated market).")
    segments: dict[str, Segment] = Field(
        default_factory=default_segments,
        description="Customer segments by name; shares must sum to 1.")
    social: Social = Field(default_factory=Social, description="Social graph parameters.")
    weak_coverage_share: float = param(
        0.15, unit="fraction", source=SEED["004"] + " (basements, high-rises, remote areas); "
        + ASSUMPTION, ge=0, le=1,
        description="Share of subscribers living or working where coverage is weak.")

    @model_validator(mode="after")
    def _segment_shares(self) -> Population:
        if not self.segments:
            raise ValueError("segments: at least one segment is needed")
        total = sum(s.share for s in self.segments.values())
        if abs(total - 1.0) > 1e-3:
            raise ValueError(f"segments: shares sum to {total:.4f}; they must sum to 1")
        return self


class Eligibility(Strict):
    """Who may port: China's rules (DOMAIN.md, MIIT)."""

    min_tenure_days: int = param(120, unit="days", source="MIIT porting rules (DOMAIN.md)",
                                 ge=0, description="Days with the current carrier before porting.")
    contract_lockin: Literal["penalty", "block"] = param(
        "penalty", unit="choice", source="MIIT porting rules (DOMAIN.md)",
        description="'penalty': a running contract can be ended by paying its penalty before "
                    "porting; 'block': no port until the contract ends.")
    require_settled: bool = param(True, unit="flag", source="MIIT porting rules (DOMAIN.md)",
                                  description="Subscribers in arrears cannot port.")


class Awareness(Strict):
    """How knowledge of MNP (and how to use it) spreads once it is open to a subscriber."""

    initial_share: float = param(0.0, unit="fraction", source=ASSUMPTION, ge=0, le=1,
                                 description="Aware of MNP before it opens.")
    media_rate: float = param(
        0.04, unit="probability/month", source=ASSUMPTION + "; see pilots' slow uptake in " + DATA,
        ge=0, le=1, description="Monthly chance to learn of MNP from media once it is open.")
    launch_boost: float = param(0.15, unit="probability", source=ASSUMPTION, ge=0, le=1,
                                description="Extra chance to learn of it in the opening month.")
    word_of_mouth: float = param(0.03, unit="probability per aware contact", source=ASSUMPTION,
                                 ge=0, le=1, description="Monthly chance per aware contact.")


class Pilot(Strict):
    """A regional pilot where MNP opens before the nationwide launch."""

    name: str = param(..., unit="text", source=DATA, description="Region name, e.g. Hainan.")
    population_share: float = param(..., unit="fraction", source=ASSUMPTION, gt=0, le=1,
                                    description="Share of subscribers living in the region.")
    start: Month = param(..., unit="YYYY-MM", source=DATA, description="Pilot opening month.")
    porting_hassle: float = param(
        2000.0, unit="yuan", source=DATA + " (0.1% uptake under the hard procedure)", ge=0,
        description="One-off hassle of porting in the pilot (harder procedure).")
    simplified: Month | None = param(
        None, unit="YYYY-MM", source=DATA + " (simpler application from 2018-12)",
        description="Month the procedure became simpler.")
    simplified_hassle: float | None = param(
        None, unit="yuan", source=ASSUMPTION, ge=0,
        description="Hassle after simplification; omitted: policy.porting_hassle.")


class Policy(Strict):
    """Regulation: when MNP opens, what porting costs the subscriber, who is eligible."""

    mnp_start: Month | None = param(
        "2019-11", unit="YYYY-MM", source="MIIT: nationwide MNP from 2019-11-27 (" + DATA + ")",
        description="Month nationwide MNP opens; null: never.")
    number_loss_cost: float = param(
        800.0, unit="yuan", source=ASSUMPTION, ge=0,
        description="One-off cost of giving up one's number for attachment 1 (MNP removes it).")
    porting_hassle: float = param(
        435.0, unit="yuan", source=ASSUMPTION + " (SMS request plus confirmation), hand-tuned "
        "so cumulative ports to 2020-12 match " + DATA, ge=0,
        description="One-off hassle of the porting procedure.")
    new_number_hassle: float = param(
        50.0, unit="yuan", source=ASSUMPTION, ge=0,
        description="One-off hassle of a new SIM with a new number (beyond losing the number).")
    eligibility: Eligibility = Field(default_factory=Eligibility)
    awareness: Awareness = Field(default_factory=Awareness)
    pilots: list[Pilot] = Field(default_factory=list, description="Earlier regional pilots.")

    @model_validator(mode="after")
    def _pilot_shares(self) -> Policy:
        total = sum(p.population_share for p in self.pilots)
        if total > 1 + SHARE_TOLERANCE:
            raise ValueError(f"pilots: population shares sum to {total:.3f}; at most 1")
        return self


class Carrier(Strict):
    """One carrier's starting position (seeds 000-004, 2019 figures)."""

    subscribers: float = param(..., unit="real subscribers", source=DATA, gt=0,
                               description="Subscribers at the start; sets the market shares.")
    price: float = param(..., unit="yuan/month (ARPU)", source=DATA, gt=0,
                         description="Average monthly bill (ARPU).")
    network_quality: float = param(0.7, unit="0..1", source=SEED["001"], ge=0, le=1,
                                   description="Coverage and speed; low quality, more problems.")
    service_quality: float = param(0.6, unit="0..1", source=SEED["000"], ge=0, le=1,
                                   description="Chance a complaint is resolved well.")
    transparency: float = param(0.5, unit="0..1", source=SEED["000"], ge=0, le=1,
                                description="Billing transparency; low, more hidden-fee surprises.")
    brand: float = param(0.0, unit="yuan/month", source=SEED["002"],
                         description="Brand and image value to every subscriber.")
    star_programme: bool = param(True, unit="flag", source=SEED["003"],
                                 description="Grants star levels by seed 003's rule.")
    star_benefit: float = param(60.0, unit="yuan per star", source=ASSUMPTION + " on " + SEED["003"],
                                ge=0, description="Star benefits lost on leaving (switching cost).")
    contract_penalty: float = param(
        30.0, unit="yuan per remaining contract month", source=SEED["004"], ge=0,
        description="Handset-subsidy payback when leaving a running contract.")
    contract_months: int = param(24, unit="months", source=ASSUMPTION, ge=1, le=60,
                                 description="Length of a new contract.")
    bundle_value: float = param(
        600.0, unit="yuan", source=SEED["002"], ge=0,
        description="Value lost by leaving with a bundle (home broadband, family plan).")
    addon_revenue_share: float = param(
        0.05, unit="fraction of ARPU at transparency 0", source=SEED["000"], ge=0, le=1,
        description="Revenue from add-ons and hidden fees, falling with transparency.")
    weak_coverage_gap: float = param(
        0.2, unit="quality 0..1", source=SEED["001"] + "; " + ASSUMPTION, ge=0, le=1,
        description="Network quality in weak-coverage areas is this much below the rest of the "
                    "carrier's network (network_quality is the average over both).")
    suspension_on_arrears: float = param(
        0.5, unit="probability", source=SEED["002"], ge=0, le=1,
        description="Chance arrears lead to a quick suspension.")


class Carriers(Strict):
    """The three carriers; other keys are errors."""

    mobile: Carrier
    unicom: Carrier
    telecom: Carrier

    def items(self) -> list[tuple[str, Carrier]]:
        return [(key, getattr(self, key)) for key in CARRIERS]


class Strategies(Strict):
    """Each carrier's scheduled actions (levers)."""

    mobile: list[AnyAction] = Field(default_factory=list)
    unicom: list[AnyAction] = Field(default_factory=list)
    telecom: list[AnyAction] = Field(default_factory=list)

    def for_carrier(self, key: str) -> list:
        return list(getattr(self, key))


class Behaviour(Strict):
    """Mechanism strengths shared by all subscribers (seeds 000-004)."""

    planning_horizon_months: float = param(
        24.0, unit="months", source=ASSUMPTION, gt=0,
        description="One-off yuan amounts are divided by this to compare with monthly utility.")
    choice_noise: float = param(
        5.0, unit="yuan/month (Gumbel scale)",
        source=ASSUMPTION + ", hand-tuned so 2019-20 porting volume matches " + DATA, ge=0.01,
        description="Idiosyncratic taste noise in the logit choice.")
    satisfaction_weight: float = param(
        80.0, unit="yuan/month per unit satisfaction", source=SEED["002"], ge=0,
        description="How much own satisfaction (vs 0.5) adds to the current carrier's appeal.")
    satisfied_threshold: float = param(
        0.5, unit="0..1", source=SEED["002"], ge=0, le=1,
        description="Satisfaction at or above which a subscriber counts as satisfied.")
    satisfaction_relax: float = param(
        0.1, unit="fraction/month", source=ASSUMPTION, ge=0, le=1,
        description="Monthly pull of satisfaction toward the carrier's perceived value.")
    network_problem_rate: float = param(
        0.3, unit="probability/month at quality 0", source=SEED["004"], ge=0, le=1,
        description="Chance of a network problem is this times (1 - network quality).")
    network_problem_hit: float = param(0.08, unit="satisfaction", source=SEED["004"], ge=0, le=1,
                                       description="Satisfaction lost per network problem.")
    billing_surprise_rate: float = param(
        0.19, unit="probability/month at transparency 0", source=SEED["002"] + ": 70% felt "
        "charged arbitrarily, i.e. ~70%/year at transparency 0.5", ge=0, le=1,
        description="Chance of a billing surprise is this times (1 - transparency).")
    billing_surprise_hit: float = param(0.08, unit="satisfaction", source=SEED["000"], ge=0, le=1,
                                        description="Satisfaction lost per billing surprise.")
    complaint_prob: float = param(0.4, unit="probability", source=SEED["000"], ge=0, le=1,
                                  description="Chance a bad experience becomes a complaint.")
    complaint_recovery: float = param(
        0.12, unit="satisfaction", source=SEED["001"], ge=0, le=1,
        description="Satisfaction restored when a complaint is resolved well.")
    complaint_bad_hit: float = param(0.06, unit="satisfaction", source=SEED["000"], ge=0, le=1,
                                     description="Extra loss when a complaint is handled badly.")
    star_service_bonus: float = param(
        0.03, unit="probability per star", source=SEED["003"], ge=0, le=0.2,
        description="Higher stars get better service: added chance of good resolution.")
    neglect_hit: float = param(
        0.01, unit="satisfaction/month", source=SEED["002"], ge=0, le=1,
        description="Loss while one's carrier runs new-customer-only offers.")
    suspension_hit: float = param(0.1, unit="satisfaction", source=SEED["002"], ge=0, le=1,
                                  description="Satisfaction lost on a suspension after arrears.")
    review_after_bad_experience: float = param(
        0.1, unit="probability", source=SEED["004"], ge=0, le=1,
        description="Chance a bad experience this month triggers a review.")
    review_on_awareness: float = param(
        0.15, unit="probability", source=ASSUMPTION + " (MNP publicity prompts a review; DOMAIN.md)",
        ge=0, le=1, description="Chance a subscriber reviews in the month it learns of MNP.")
    review_at_contract_end: float = param(
        0.6, unit="probability", source=SEED["004"], ge=0, le=1,
        description="Chance a subscriber reviews in the month the contract ends.")
    honeymoon: float = param(0.1, unit="satisfaction", source=ASSUMPTION, ge=0, le=1,
                             description="Satisfaction bonus on joining a new carrier.")
    value_sensitivity: float = param(
        1.0, unit="satisfaction per relative price gap", source=SEED["004"], ge=0,
        description="Satisfaction target falls by this times (own bill / market mean - 1).")


class Scenario(Strict):
    """A complete scenario: market, population, policy, carriers and strategies."""

    name: str = param(..., unit="text", source="scenario", description="Scenario name.")
    description: str = param("", unit="text", source="scenario", description="What it shows.")
    seed: int = param(1, unit="integer", source="scenario", ge=0,
                      description="Default random seed (override with --seed).")
    start: Month = param("2019-01", unit="YYYY-MM", source="scenario",
                         description="First simulated month.")
    months: int = param(48, unit="months", source="scenario", ge=1, le=600,
                        description="Number of simulated months (one step each).")
    population: Population = Field(default_factory=Population)
    policy: Policy = Field(default_factory=Policy)
    behaviour: Behaviour = Field(default_factory=Behaviour)
    carriers: Carriers
    strategies: Strategies = Field(default_factory=Strategies)

    @model_validator(mode="before")
    @classmethod
    def _relative_months(cls, data: Any) -> Any:
        """Turn 'mnp+3' / 'start+6' in strategy actions into YYYY-MM months."""
        if isinstance(data, dict):
            resolve_relative_months(data)
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        problems: list[str] = []
        segments = set(self.population.segments)
        for key in CARRIERS:
            for i, action in enumerate(self.strategies.for_carrier(key)):
                where = f"strategies.{key}.{i}"
                if action.end is not None and month_index(action.end, action.start) < 0:
                    problems.append(f"{where}.end: {action.end} is before start "
                                    f"{action.start}; make end the same month or later")
                named = [getattr(action, "segment", None), *(getattr(action, "segments", None)
                                                             or [])]
                for seg in [s for s in named if s is not None and s not in segments]:
                    problems.append(f"{where}.segment: unknown segment {seg!r}; use one of "
                                    f"{', '.join(sorted(segments))}")
                targets = getattr(action, "target_carriers", None)
                if targets is not None and not set(targets) - {key}:
                    problems.append(f"{where}.target_carriers: {key} cannot poach its own "
                                    "customers; name a rival")
        implied = self.implied_carrier_shares()
        target = self.carrier_shares()
        for j, key in enumerate(CARRIERS):
            if abs(implied[j] - target[j]) > 0.02:
                problems.append(
                    f"population.segments: their carrier_shares give {key} {implied[j]:.3f} of "
                    f"subscribers but carriers.{key}.subscribers gives {target[j]:.3f}; "
                    "adjust the segments' carrier_shares (within 0.02)")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def carrier_shares(self) -> tuple[float, ...]:
        """Market shares implied by the carriers' starting subscribers."""
        subs = [c.subscribers for _, c in self.carriers.items()]
        total = sum(subs)
        return tuple(s / total for s in subs)

    def implied_carrier_shares(self) -> tuple[float, ...]:
        """Market shares implied by the segments' own carrier splits."""
        overall = self.carrier_shares()
        shares = [0.0, 0.0, 0.0]
        for seg in self.population.segments.values():
            split = seg.carrier_shares.as_tuple() if seg.carrier_shares else overall
            for j in range(3):
                shares[j] += seg.share * split[j]
        return tuple(shares)

    def represents(self) -> float:
        """Real subscribers the population stands for."""
        if self.population.represents is not None:
            return self.population.represents
        return float(sum(c.subscribers for _, c in self.carriers.items()))


_RELATIVE = re.compile(r"^\s*(mnp|start)\s*(?:([+-])\s*(\d+))?\s*$")


def resolve_relative_months(data: dict[str, Any]) -> None:
    """Replace relative months in `data['strategies']` in place (mnp, mnp+N, start+N).

    Named strategies are reusable across scenarios because they can say "when MNP
    opens" rather than a calendar month. Unresolvable tokens are left for the Month
    validator to report.
    """
    start = data.get("start", Scenario.model_fields["start"].default)
    policy = data.get("policy") if isinstance(data.get("policy"), dict) else {}
    mnp = policy.get("mnp_start", Policy.model_fields["mnp_start"].default)
    anchors = {"start": _as_month(start), "mnp": _as_month(mnp)}
    strategies = data.get("strategies")
    if not isinstance(strategies, dict):
        return
    for actions in strategies.values():
        for action in actions if isinstance(actions, list) else []:
            if not isinstance(action, dict):
                continue
            for key in ("start", "end"):
                m = _RELATIVE.match(str(action.get(key, ""))) if isinstance(
                    action.get(key), str) else None
                if m and anchors[m.group(1)] is not None:
                    shift = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
                    action[key] = month_label(anchors[m.group(1)], shift)


def _as_month(value: Any) -> str | None:
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str) and re.match(r"^\d{4}-(0[1-9]|1[0-2])$", value):
        return value
    return None
