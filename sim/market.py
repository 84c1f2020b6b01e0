"""The blocks of a scenario (market, population, policy, carriers, behaviour).

Each with units and sources; `sim.scenario.schema` composes them with the strategies
into a Scenario.

Money is in yuan. Utilities are in yuan/month; one-off amounts (switching-cost
parts, bonuses) are spread over `behaviour.planning_horizon_months` when they
enter a choice. Qualities and satisfaction are on a 0..1 scale. Every default
names its source: a seed article, the published figures in `DATA`, or "assumption".
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from sim.params import (
    ASSUMPTION,
    CARRIER_KEY,
    DATA,
    SEED,
    Month,
    Strict,
    param,
)
from sim.params import check_month, coerce_month, month_index

SHARE_TOLERANCE = 1e-6


def _month(value: Any, where: str = "") -> str:
    """A YYYY-MM month from YAML (text or a date), or a ValueError saying how to write it."""
    value = coerce_month(value)
    if not isinstance(value, str):
        raise ValueError(f"{where}must be a month written YYYY-MM (e.g. 2019-11); got {value!r}")
    try:
        return check_month(value)
    except ValueError:
        raise ValueError(f"{where}must be a month written YYYY-MM (e.g. 2019-11); "
                         f"got {value!r}") from None


def _carrier_key(key: str) -> str:
    if not CARRIER_KEY.match(key):
        raise ValueError(f"carrier key {key!r} must be lowercase letters, digits and _, "
                         "starting with a letter (e.g. mobile, broadnet, kddi)")
    return key


#: A carrier's key: free lowercase text (mobile, unicom, docomo, jio...).
CarrierKey = Annotated[str, AfterValidator(_carrier_key)]
Fraction = Annotated[float, Field(ge=0, le=1)]
#: A split of subscribers over carriers (fractions summing to 1; carriers left out get 0).
CarrierShares = dict[CarrierKey, Fraction]


def _check_split(shares: dict[str, float] | None) -> dict[str, float] | None:
    if shares is not None:
        total = sum(shares.values())
        if abs(total - 1.0) > 1e-3:
            raise ValueError(f"carrier shares sum to {total:.4f}; they must sum to 1")
    return shares


class Segment(Strict):
    """A customer segment (seed 001): its size, carrier split and trait distributions.

    Field defaults describe a mass-market subscriber; the named default segments
    override them (see `default_segments`).
    """

    share: float = param(..., unit="fraction of population", source=ASSUMPTION, gt=0, le=1,
                         description="Fraction of all subscribers in this segment.")
    carrier_shares: Annotated[CarrierShares | None, AfterValidator(_check_split)] = param(
        None, unit="fractions", source=DATA,
        description="Split of this segment over carriers (carriers left out get none); "
                    "omitted: the carriers' overall shares.")
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
        description="Scales the satisfaction loss from a network problem (business, heavy "
                    "data >1).")
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
    def cs(**shares: float) -> dict[str, float]:
        return shares
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
        description="Ring-lattice acquaintances before rewiring (even number; odd is rounded "
                    "down).")
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


class Growth(Strict):
    """One entry of a dated schedule of net additions: the market grows (or shrinks).

    It applies from its month until the next entry's (sim/behaviour/growth.py).
    """

    from_: Month = Field(..., alias="from", description="First month (YYYY-MM) the rate applies.",
                         json_schema_extra={"unit": "YYYY-MM", "source": "scenario"})
    monthly_rate: float = param(
        ..., unit="net additions/month as a fraction of subscribers", source="scenario",
        ge=-0.05, le=0.1,
        description="Net additions per month as a fraction of the subscribers at the start of "
                    "the month (negative: the market shrinks).")
    source: str = param(..., unit="text", source="scenario", min_length=1,
                        description="Where the figure comes from.")

    model_config = {**Strict.model_config, "populate_by_name": True}


def _growth_order(entries: list[Growth] | None) -> list[Growth] | None:
    if entries is not None:
        months = [e.from_ for e in entries]
        if not months:
            raise ValueError("growth: give at least one entry, or leave growth out (a "
                             "saturated market)")
        if months != sorted(months) or len(set(months)) != len(months):
            raise ValueError("growth: entries must be in order of their `from` months, "
                             "each month once")
    return entries


class Handsets(Strict):
    """How often subscribers replace their handset, and a new generation's dated wave.

    Used by sim/behaviour/handset_cycle.py: a replacement (by a subscriber off contract)
    prompts a review of the carrier with chance behaviour.review_on_handset, more while a
    new network generation's handsets (China: 5G from 2019-11) are a rising share of
    those bought.
    """

    cycle_months: float = param(
        25.3, unit="months", ge=1, le=120,
        source="China Mobile Terminal Lab, 5G terminal consumption trend report 2020 (2): "
               "average replacement cycle 25.3 months "
               "(https://recordtrend.com/intelligent-mobile-phone/in-2020-the-second-phase-of-"
               "5g-terminal-consumption-trend-report-the-replacement-cycle-of-chinese-mobile-"
               "phone-users-has-reached-25-3-months-from-china-mobile-terminal-laboratory/)",
        description="Mean months between handset replacements (a replacement is a monthly "
                    "chance of 1 / this).")
    new_generation: Month | None = param(
        "2019-11", unit="YYYY-MM or null",
        source="CAICT shipment figures: 5G handsets 14 M in 2019, from 2019-11 about 5 M a "
               "month (https://fastnet.news/index.php/20-r/1018-china-5g-14-million-phones-"
               "in-2020)",
        description="First month a new network generation's handsets (5G in China; 3G "
                    "abroad in 2003-06) sell widely; null: no such wave.")
    new_generation_ramp_months: int = param(
        26, unit="months", ge=1, le=240,
        source="CAICT: 5G 47.5% of shipments in 2020-01..09 "
               "(https://onestoptrendingnews.com/2020/10/15/5g-phones-surpass-100m-shipments-"
               "in-2020-in-china), 79.7% in 2022-01 (http://en.people.cn/n3/2022/0220/"
               "c90000-9960556.html): a linear rise from 2019-11 to 2022-01",
        description="Months over which the new generation's share of handsets bought rises "
                    "linearly from 0 to new_generation_peak.")
    new_generation_peak: float = param(
        0.8, unit="fraction of handsets bought", ge=0, le=1,
        source="CAICT: 5G phones 79.7% of China's shipments in 2022-01 "
               "(http://en.people.cn/n3/2022/0220/c90000-9960556.html)",
        description="The new generation's share of handsets bought once the ramp is over.")

    def new_generation_share(self, month: str) -> float:
        """The new generation's share of handsets bought in `month` (YYYY-MM)."""
        if self.new_generation is None:
            return 0.0
        elapsed = month_index(month, self.new_generation)
        if elapsed < 0:
            return 0.0
        return self.new_generation_peak * min(1.0, (elapsed + 1) / self.new_generation_ramp_months)


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
    handsets: Handsets = Field(default_factory=Handsets,
                               description="Handset replacement cycle and a new generation's "
                                           "wave (sim/behaviour/handset_cycle.py).")
    weak_coverage_share: float = param(
        0.15, unit="fraction", source=SEED["004"] + " (basements, high-rises, remote areas); "
        + ASSUMPTION, ge=0, le=1,
        description="Share of subscribers living or working where coverage is weak.")
    growth: Annotated[list[Growth] | None, AfterValidator(_growth_order)] = Field(
        None, description="Dated schedule of net additions (market size not fixed); each entry "
                          "applies from its month until the next, none before the first. "
                          "Omitted: a saturated market (each leaver replaced by a newcomer).")

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
        "block", unit="choice", source="MIIT porting rules (DOMAIN.md: no contract lock-in "
        "still running)",
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


#: The porting steps a rule may name (the agreed schema; sim/behaviour/porting_friction.py).
PORTING_STEPS: tuple[str, ...] = ("sms_code", "losing_carrier_code", "in_person", "one_stop")
PortingStep = Literal["sms_code", "losing_carrier_code", "in_person", "one_stop"]


class PortingRule(Strict):
    """The porting FACTS from one month until the next rule (a dated schedule).

    The hassle the choice sees comes from them through one behavioural mapping
    (`behaviour.friction`, sim/behaviour/porting_friction.py), the same in every market.
    """

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True,
                              serialize_by_alias=True)

    from_: Month = param(..., alias="from", unit="YYYY-MM", source="scenario",
                         description="First month the rule applies; it holds until the next "
                                     "rule's month.")
    fee: float = param(0.0, unit="yuan (at purchasing-power parity) per port",
                       source="scenario (the regulator's or carriers' published fee)", ge=0,
                       description="What the subscriber pays per port.")
    days: float = param(0.0, unit="calendar days", source="scenario", ge=0, le=365,
                        description="Days from the request to a working number on the new "
                                    "carrier (0: within the day).")
    steps: list[PortingStep] = param(
        [], unit="list of step names", source="scenario",
        description="What the subscriber must do: sms_code (an authorisation or query code by "
                    "SMS), losing_carrier_code (obtain a code or number from the LOSING carrier "
                    "first, e.g. Japan's MNP reservation number, the UK PAC), in_person (a "
                    "visit to a shop with ID that the rules require), one_stop (the gaining "
                    "carrier handles the whole request, by phone, online or in a shop).")
    max_retention_share: Fraction = param(
        1.0, unit="fraction of port-out requests", source="scenario (the regulator's rule)",
        description="The share of port-out requests the losing carrier may hold for a "
                    "retention (挽留) contact (1: no limit; 0: banned); caps the "
                    "retention_desk lever.")
    source: str = param(..., unit="text", source="scenario", min_length=1,
                        description="Where the facts come from (required).")

    @field_validator("steps")
    @classmethod
    def _distinct(cls, steps: list[str]) -> list[str]:
        if len(set(steps)) != len(steps):
            raise ValueError(f"steps {steps} name a step twice; each step at most once")
        return steps


def _check_schedule(rules: list[PortingRule]) -> list[PortingRule]:
    months = [r.from_ for r in rules]
    for a, b in zip(months, months[1:], strict=False):
        if b <= a:
            raise ValueError(f"rules must be in ascending months, each after the last: "
                             f"{b} follows {a}")
    return rules


#: A dated schedule of porting rules (months ascending).
PortingRules = Annotated[list[PortingRule], AfterValidator(_check_schedule)]


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
    porting_rules: PortingRules | None = param(
        None, unit="dated schedule", source="scenario",
        description="The pilot region's porting facts (same shape as policy.porting_rules); "
                    "they override the national rules in the region for the whole run, "
                    "before and after a nationwide opening. Given: porting_hassle, "
                    "simplified and simplified_hassle must not be; omitted: those fields.")

    @model_validator(mode="after")
    def _rules_or_hassle(self) -> Pilot:
        if self.porting_rules is not None:
            given = [f for f in ("porting_hassle", "simplified", "simplified_hassle")
                     if f in self.model_fields_set]
            if given:
                raise ValueError(f"give either porting_rules or {' / '.join(given)}, not both: "
                                 "with porting_rules the hassle comes from the rules "
                                 "(behaviour.friction)")
            if not self.porting_rules:
                raise ValueError("porting_rules: give at least one rule, or leave it out")
            if self.porting_rules[0].from_ > self.start:
                raise ValueError(f"porting_rules: the first rule ({self.porting_rules[0].from_}) "
                                 f"is after the pilot's start {self.start}; the rules must "
                                 "cover its opening")
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """With rules, the fields they replace are left out (a dump validates again)."""
        data = handler(self)
        if self.porting_rules is not None:
            for f in ("porting_hassle", "simplified", "simplified_hassle"):
                data.pop(f, None)
        return data


class Policy(Strict):
    """Regulation: when MNP opens, what porting costs the subscriber, who is eligible."""

    mnp_start: str | None | dict[str, str | None] = param(
        "2019-11", unit="YYYY-MM, null, or carrier: YYYY-MM",
        source="MIIT: nationwide MNP from 2019-11-27 (" + DATA + ")",
        description="Month nationwide MNP opens (null: never), or per carrier the month from "
                    "which its subscribers may port out (phased or one-way opening; carriers "
                    "not named never open).")
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
    porting_rules: PortingRules | None = param(
        None, unit="dated schedule", source="scenario",
        description="Dated porting facts (fee, days, steps, the retention limit), each from "
                    "its month until the next; the hassle comes from them through "
                    "behaviour.friction (sim/behaviour/porting_friction.py). The first rule "
                    "may not start after MNP first opens (before its month, it applies too). "
                    "Given: porting_hassle must not be; omitted: porting_hassle as it is.")
    eligibility: Eligibility = Field(default_factory=Eligibility)
    awareness: Awareness = Field(default_factory=Awareness)
    pilots: list[Pilot] = Field(default_factory=list, description="Earlier regional pilots.")

    @field_validator("mnp_start", mode="before")
    @classmethod
    def _opening(cls, value: Any) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, month in value.items():
                _carrier_key(str(key))
                out[str(key)] = None if month is None else _month(month, f"{key}: ")
            return out
        return None if value is None else _month(value)

    def opens(self, carrier: str) -> str | None:
        """The month from which `carrier`'s subscribers may port out nationally (None: never)."""
        if isinstance(self.mnp_start, dict):
            return self.mnp_start.get(carrier)
        return self.mnp_start

    @property
    def first_opening(self) -> str | None:
        """The first month any carrier's subscribers may port nationally (None: never)."""
        if isinstance(self.mnp_start, dict):
            months = [m for m in self.mnp_start.values() if m is not None]
            return min(months) if months else None
        return self.mnp_start

    @model_validator(mode="after")
    def _pilot_shares(self) -> Policy:
        total = sum(p.population_share for p in self.pilots)
        if total > 1 + SHARE_TOLERANCE:
            raise ValueError(f"pilots: population shares sum to {total:.3f}; at most 1")
        return self

    @model_validator(mode="after")
    def _rules_or_hassle(self) -> Policy:
        if self.porting_rules is None:
            return self
        if "porting_hassle" in self.model_fields_set:
            raise ValueError("give either policy.porting_rules or policy.porting_hassle, not "
                             "both: with porting_rules the hassle comes from the rules "
                             "(behaviour.friction)")
        if not self.porting_rules:
            raise ValueError("porting_rules: give at least one rule, or leave it out")
        first, opening = self.porting_rules[0].from_, self.first_opening
        if opening is not None and first > opening:
            raise ValueError(f"porting_rules: the first rule ({first}) is after MNP opens "
                             f"({opening}); start the rules at or before the opening")
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """With rules, porting_hassle is left out (a dump validates again)."""
        data = handler(self)
        if self.porting_rules is not None:
            data.pop("porting_hassle", None)
        return data


class Carrier(Strict):
    """One carrier's starting position (seeds 000-004, 2019 figures)."""

    label: str | None = param(None, unit="text (any script)", source="scenario",
                              description="Display name, e.g. China Mobile or 中国移动; omitted: a "
                                          "known carrier's name, else the key.")
    colour: str | None = param(None, unit="#RRGGBB", source="scenario",
                               pattern=r"^#[0-9a-fA-F]{6}$",
                               description="Colour in every plot; omitted: a fixed colour for a "
                                           "known carrier, else the next free palette colour.")
    launch: Month | None = param(
        None, unit="YYYY-MM", source="scenario",
        description="First month the carrier competes; before it, it has no subscribers and "
                    "cannot be chosen. Omitted: from the start.")
    subscribers: float = param(..., unit="real subscribers", source=DATA, ge=0,
                               description="Subscribers at the start; sets the market shares "
                                           "(0 for a carrier that launches later).")
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
    star_programme: bool = param(
        False, unit="flag", source=SEED["003"] + " (China Mobile's programme)",
        description="Grants star levels by seed 003's rule (China Mobile's credit-score stars; "
                    "set it for a carrier known to run such a programme).")
    star_benefit: float = param(60.0, unit="yuan per star",
                                source=ASSUMPTION + " on " + SEED["003"],
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
    plan_fit: float = param(
        0.6, unit="0..1", source=SEED["004"] + " (plans that do not fit usage); " + ASSUMPTION
        + " (no published figure per carrier: all three alike)", ge=0, le=1,
        description="How well the carrier's plan range fits its subscribers' usage: a "
                    "subscriber's share of the bill paid for unused allowance or overage is "
                    "their usage misfit times (1 - plan_fit); 1 fits everyone.")
    # --- loyalty points and sub-brands (seed 002; sim/behaviour/points.py, sub_brands.py)
    points_accrual: float = param(
        0.0, unit="yuan of points value per yuan billed", source=SEED["002"] + " (loyalty "
        "points); " + ASSUMPTION + " (China Mobile's rule, 1 point per yuan spent at about "
        "0.01 yuan a point, is about 0.01)", ge=0, le=1,
        description="Points value a subscriber earns per yuan of bill each month (0: no points "
                    "programme); the balance is lost on leaving.")
    points_handling: float = param(
        0.5, unit="0..1", source=SEED["002"] + " (poorly handled points lower satisfaction); "
        + ASSUMPTION, ge=0, le=1,
        description="How well points are handled: the chance a subscriber is reminded and "
                    "redeems points before they lapse, and the share of the points' value a "
                    "subscriber counts on (hard to redeem: less).")
    points_expiry_months: int = param(
        12, unit="months", source=ASSUMPTION + " (a yearly clearing of the previous period's "
        "points; China Mobile's own rules changed: a three-year rolling clearing until 2011, "
        "none from 2012, 36 months from 2021-05)", ge=1, le=120,
        description="Points earned in one period of this many months (aligned to the "
                    "calendar: 12 is a calendar year) lapse at the end of the next period "
                    "unless redeemed.")
    sub_brands: int = param(
        1, unit="brands", source=SEED["002"] + "; " + SEED["003"] + " (China Mobile: GoTone, "
        "M-Zone, Easy Own)", ge=1, le=20,
        description="Tariff brands the carrier sells under (1: its own brand only); each one "
                    "beyond the first dilutes its image (behaviour.sub_brand_dilution, "
                    "sub_brand_price_pull).")


#: Where the friction defaults come from (docs/porting-friction.md has the reasoning).
_CHINA_2019 = ("MIIT 携号转网服务管理规定 (2019-11-11, in force 2019-12-01): SMS query "
               "CXXZ and authorisation code SQXZ to the losing carrier, then ID and code at "
               "the gaining carrier's shop, working by the next hour (news.fjsen.com/2019-11/"
               "11/content_30051976.htm; tjxz.cc/23556)")
_PILOT_OLD = ("the pilots' process before 2018-12-01: ID in person at the losing carrier's "
              "own shop for an eligibility check and a porting certificate, then the gaining "
              "carrier's, a new card after at least 24 hours (cfyys.com.cn/show-list-32032."
              "html; xazmhbgc.com/news/show/274)")


class StepCosts(Strict):
    """Yuan of one-off hassle each porting step adds (behaviour.friction.step_cost)."""

    sms_code: float = param(
        30.0, unit="yuan", ge=0, source=ASSUMPTION + " (two SMS to the losing carrier with "
        "name and ID number, a code valid for one hour: minutes, but timed to the shop visit; "
        + _CHINA_2019 + ")",
        description="An authorisation or query code by SMS.")
    losing_carrier_code: float = param(
        408.2, unit="yuan", ge=0, source="set so " + _PILOT_OLD + " gives the pilots' fitted "
        "840.6 yuan (scenarios/china_pilots_2010.yaml, fit of 2026) with in_person and "
        "day_cost as set: a separate contact with the carrier being left, which can pitch "
        "retention before it lets the number go (in China's pilots a shop visit)",
        description="Obtaining a code or number from the LOSING carrier before the port "
                    "(Japan's MNP reservation number, the UK PAC, China's pilot certificate).")
    in_person: float = param(
        392.4, unit="yuan", ge=0, source="set so " + _CHINA_2019 + " give the calibrated "
        "442.4 yuan (scenarios/china_mnp_2019_calibrated.yaml) with base and sms_code as "
        "set: half a day at the gaining carrier's own shop in the number's home city, with "
        "ID (at about 45 yuan an hour, China's 2019 urban wage, some 180 yuan of time), plus "
        "what the fit holds that no fact names",
        description="A shop visit with ID that the rules require (beyond buying a SIM).")
    one_stop: float = param(
        0.0, unit="yuan", ge=0, source=ASSUMPTION + " (the gaining carrier does the rest; "
        "e.g. Hong Kong from 1999: apply at the new operator's outlet, which deals with the "
        "old one, ofca.gov.hk/en/consumer_focus/galley/information_leaflets/index_id_21.html)",
        description="The gaining carrier handles the whole request, by phone, online or in a "
                    "shop: nothing beyond `base`.")


class Friction(Strict):
    """Porting facts to the one-off hassle the choice sees, the same in every market.

    hassle = base + fee_weight x fee + day_cost x days + the step costs of the rule's
    steps (sim/behaviour/porting_friction.py). Used where policy.porting_rules (or a
    pilot's) are given; otherwise policy.porting_hassle is the hassle as it stands.
    """

    base: float = param(
        20.0, unit="yuan", ge=0, source=ASSUMPTION + " (any port: choosing a plan, a new "
        "SIM, re-linking services that send codes to the number)",
        description="Hassle of any port, however simple the procedure.")
    fee_weight: float = param(
        1.0, unit="yuan of hassle per yuan of fee", ge=0, le=10,
        source=ASSUMPTION + " (money is money: fees are in yuan at purchasing-power parity)",
        description="Weight on the porting fee the subscriber pays.")
    day_cost: float = param(
        20.0, unit="yuan per day", ge=0, source=ASSUMPTION + " (waiting, a day without a "
        "sure working number; with losing_carrier_code it fits the pilots' hard process of "
        "at least 24 hours)",
        description="Hassle per calendar day from the request to a working number.")
    step_cost: StepCosts = Field(default_factory=StepCosts,
                                 description="Yuan each step of the procedure adds.")


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
        0.0025, unit="satisfaction/month per 100 yuan", source=SEED["002"] + "; " + ASSUMPTION
        + " (at satisfaction_relax 0.1 a 100-yuan offer shifts settled satisfaction by -0.025)",
        ge=0, le=1,
        description="Monthly loss of existing customers while their carrier runs offers only "
                    "newcomers get, per 100 yuan of those offers (port-in bonus, expected "
                    "handset subsidy); none at 0 yuan or under parity.")
    suspension_hit: float = param(0.1, unit="satisfaction", source=SEED["002"], ge=0, le=1,
                                  description="Satisfaction lost on a suspension after arrears.")
    review_after_bad_experience: float = param(
        0.1, unit="probability", source=SEED["004"], ge=0, le=1,
        description="Chance a bad experience this month triggers a review.")
    review_on_awareness: float = param(
        0.15, unit="probability",
        source=ASSUMPTION + " (MNP publicity prompts a review; DOMAIN.md)",
        ge=0, le=1, description="Chance a subscriber reviews in the month it learns of MNP.")
    review_at_contract_end: float = param(
        0.6, unit="probability", source=SEED["004"], ge=0, le=1,
        description="Chance a subscriber reviews in the month the contract ends.")
    honeymoon: float = param(0.1, unit="satisfaction", source=ASSUMPTION, ge=0, le=1,
                             description="Satisfaction bonus on joining a new carrier.")
    contract_renewal: float = param(
        1.0, unit="multiple of the stationary signing rate", ge=0, le=10,
        source=ASSUMPTION + " (1 holds each segment's contract_share stationary; "
               "sim/behaviour/contracts.py)",
        description="Subscribers off contract sign one with their carrier at this times "
                    "share / ((1 - share) x contract months) a month (0: nobody re-signs).")
    value_sensitivity: float = param(
        1.0, unit="satisfaction per relative price gap", source=SEED["004"], ge=0,
        description="Satisfaction target falls by this times (own bill / market mean - 1).")
    bill_shock_hit: float = param(
        0.3, unit="satisfaction per unit relative rise of the bill", ge=0, le=5,
        source=SEED["004"] + " (promotions that expire, poor renewal offers); " + ASSUMPTION
        + " (a 20% rise, e.g. a 20% retention discount ending, costs 0.06: less than a "
          "network problem's 0.08, as it is expected)",
        description="Satisfaction lost in a month the bill rises over last month's, times the "
                    "relative rise (capped at a doubling); 0 with bill_shock_review 0: no "
                    "bill shock.")
    bill_shock_review: float = param(
        1.0, unit="probability per unit relative rise of the bill", ge=0, le=20,
        source=SEED["004"] + "; " + ASSUMPTION + " (a 20% rise prompts a review with chance "
        "0.2, twice the chance after a bad experience)",
        description="Chance of reviewing the carrier in the month the bill rises, times the "
                    "relative rise (at most 1).")
    bill_shock_threshold: float = param(
        0.05, unit="relative rise", source=ASSUMPTION + " (rises of a few yuan pass unnoticed)",
        ge=0, le=1,
        description="A bill rise smaller than this share of last month's bill is no shock.")
    usage_misfit_mean: float = param(
        0.25, unit="share of the bill at plan_fit 0", ge=0, lt=1,
        source=SEED["004"] + " (plans that do not fit usage); " + ASSUMPTION
        + " (with plan_fit 0.6 a subscriber wastes 10% of the bill on average; kept modest: "
          "UK bill analyses report more, e.g. Billmonitor 2011, 76% on the wrong tariff "
          "wasting GBP 195 a year, https://www.mobilephone.co.uk/news/2011/apr/"
          "nearly-gbp195-billion-wasted-on-mobile-phone-bills-97991454.html)",
        description="Mean usage misfit, drawn per subscriber (beta, concentration 4) when the "
                    "population is created: the share of the bill paid for unused allowance "
                    "or overage on a carrier whose plans fit nobody.")
    plan_mismatch_weight: float = param(
        0.5, unit="satisfaction per unit share of the bill wasted", ge=0, le=5,
        source=SEED["004"] + " (feeling it is 'not worth it'); " + ASSUMPTION + " (half of "
        "value_sensitivity: a wasted share w is a price premium of about w, but less visible "
        "than the price)",
        description="Satisfaction target falls by this times price sensitivity times the "
                    "share of the bill paid for unused allowance or overage above the share "
                    "expected (usage_misfit_mean x (1 - the carriers' mean plan_fit)); below "
                    "it, the target rises (0: plan fit plays no part).")
    # --- loyalty points and sub-brands (seed 002; sim/behaviour/points.py, sub_brands.py)
    points_lapse_hit: float = param(
        0.02, unit="satisfaction", source=SEED["002"] + " (积分的处理: points handling "
        "lowers satisfaction); " + ASSUMPTION + " (a lapse of a few yuan of points hurts "
        "less than a billing surprise, 0.08; at 0.02 the mechanism moves China Mobile's "
        "port-outs by under 10% in the default scenario, as the other mechanisms' 4-6%)",
        ge=0, le=1,
        description="Satisfaction lost when a subscriber's points lapse unnoticed (the "
                    "subscriber was not reminded, or could not redeem them); 0: no hit.")
    sub_brand_dilution: float = param(
        0.02, unit="fraction of brand value per sub-brand beyond the first",
        source=SEED["002"] + " (many tariff brands dilute the carrier's image); " + ASSUMPTION
        + " (modest: China Mobile's 3 brands cost it 4% of its brand value; with "
        "sub_brand_price_pull the mechanism moves its port-outs by about 10%)",
        ge=0, le=1,
        description="A carrier's brand value (when positive) is scaled by 1 - this x "
                    "(sub_brands - 1), at least 0; 0: no dilution.")
    sub_brand_price_pull: float = param(
        0.03, unit="extra weight on a rival's lower bill per sub-brand beyond the first",
        source=SEED["002"] + " (subscribers tied to a tariff brand leave when a rival brand "
        "is cheaper); " + ASSUMPTION + " (modest: China Mobile's subscribers weigh a "
        "rival's saving 6% more with its 3 brands)", ge=0, le=2,
        description="A subscriber of a carrier with sub-brands weighs each rival's bill "
                    "saving (own bill - rival's bill, when positive) this x (sub_brands - 1) "
                    "times more; 0: no pull.")
    # --- porting friction from policy facts (sim/behaviour/porting_friction.py)
    friction: Friction = Field(
        default_factory=Friction,
        description="How porting facts (policy.porting_rules) become the porting hassle.")
    # --- repeat porting: expectation shortfall and memory of past carriers
    #     (sim/behaviour/disappointment.py, memory.py)
    port_shortfall_mean: float = param(
        0.0, unit="satisfaction", ge=-1, le=1,
        source=ASSUMPTION + "; post-purchase regret drives mobile switching (Sanchez Garcia & "
        "Curras-Perez 2020, https://doi.org/10.1108/EJMBE-02-2018-0035)",
        description="Mean shortfall of what a new carrier delivers against what the mover "
                    "expected, lost from the starting satisfaction of every porter; 0 with "
                    "port_shortfall_sd 0: none.")
    port_shortfall_sd: float = param(
        0.0, unit="satisfaction", ge=0, le=1, source=ASSUMPTION,
        description="Spread (normal sd) of the shortfall between porters; a draw below 0 is a "
                    "pleasant surprise.")
    disappointed_review: float = param(
        0.0, unit="probability/month", ge=0, le=1,
        source=ASSUMPTION + " (8.5% of Spanish mobile users regretted their operator choice: "
        "https://eurekalert.org/pub_releases/2011-11/f-sf-mpo111511.php)",
        description="Chance a disappointed recent porter (in their first "
                    "disappointment_months with the carrier, below satisfied_threshold) "
                    "reviews their carrier in a month; 0: no such review.")
    disappointment_months: int = param(
        12, unit="months", ge=1, le=120, source=ASSUMPTION,
        description="How long after a port a dissatisfied porter counts as disappointed.")
    former_carrier_grudge: float = param(
        0.0, unit="yuan/month", ge=0, le=1000,
        source=ASSUMPTION + " (sign: satisfaction resets on a move, so the grudge keeps the "
        "reason for leaving; recapture needs an offer: Thomas, Blattberg & Fox 2004, Journal of "
        "Marketing Research 41(1))",
        description="Value a subscriber takes off each carrier they left (the number's "
                    "original carrier and the one left at the last move); 0: no memory in the "
                    "choice.")
    # --- what keeps porting growing after launch (issue #19; sim/behaviour/peer_learning.py,
    # handset_cycle.py, taste_drift.py)
    peer_learning: float = param(
        0.0, unit="fraction of the porting hassle per contact who ported", ge=0, le=0.9,
        source=ASSUMPTION + " (contacts' switching spreads: Ferreira, Telang and de Matos 2019, "
        "each friend who churns raises the monthly churn rate by 0.06 points on 2.15%, "
        "https://www.jmis-web.org/articles/1429)",
        description="A subscriber perceives the porting hassle times (1 - this) ** (number of "
                    "contacts who ported and are still in the market): seeing contacts port "
                    "smoothly makes the procedure look easier; 0: no peer learning.")
    review_on_handset: float = param(
        0.0, unit="probability", ge=0, le=1,
        source=ASSUMPTION + " (a new handset is a moment to compare plans and carriers, like a "
        "contract ending: " + SEED["004"] + ")",
        description="Chance that a handset replacement by a subscriber off contract prompts a "
                    "review of the carrier (population.handsets sets how often); 0: none.")
    review_on_new_generation: float = param(
        0.0, unit="probability", ge=0, le=1,
        source=ASSUMPTION + " (a new generation's handset needs a new plan: China's carriers "
        "sold 5G packages with 5G phones from 2019-11)",
        description="Extra chance of a review when the new handset is of the new generation "
                    "(population.handsets.new_generation); 0: none.")
    taste_drift_sd: float = param(
        0.0, unit="yuan/month (stationary standard deviation)", ge=0, le=100,
        source=ASSUMPTION + " (tastes and needs change: a move, a new job, a new usage "
        "pattern; persistent, unlike the fresh taste noise of each month)",
        description="Each subscriber's taste for each carrier drifts as an AR(1) process "
                    "with this stationary spread, added to the carrier's value; 0: no drift.")
    taste_drift_persistence: float = param(
        0.95, unit="autocorrelation per month", ge=0, lt=1,
        source=ASSUMPTION + " (a half-life of about 14 months, half a handset cycle)",
        description="How much of last month's taste drift remains this month (rho of the "
                    "AR(1)).")
