"""The carriers' offers this month as small per-carrier arrays the mechanisms read.

Everything a subscriber faces at carrier j is a lookup into these arrays by the
row's carrier (and, for segment plans and weak coverage, by its segment or area),
so the mechanisms never loop over carriers' actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.behaviour.sub_brands import diluted_brand, sub_brand_pull
from sim.market import Behaviour, Carrier, Population


@dataclass
class Offer:
    """A carrier's effective attributes in one month, after its active actions."""

    price_factor: float = 1.0
    segment_price_factor: dict[str, float] = field(default_factory=dict)
    segment_value: dict[str, float] = field(default_factory=dict)  # yuan/month
    network_quality: float = 0.0
    weak_coverage_gain: float = 0.0  # quality added only in weak-coverage areas
    service_quality: float = 0.0
    complaint_recovery_extra: float = 0.0  # satisfaction
    transparency: float = 0.0
    port_in_bonus: float = 0.0
    handset_subsidy: float = 0.0          # yuan to a new customer signing a contract
    subsidy_take_up: float = 0.0          # share of new customers who take it
    subsidy_contract_months: int = 0
    new_customer_value: float = 0.0       # yuan a newcomer gets that existing customers do not
    parity: bool = False                  # existing customers get new customers' offers
    star_programme: bool = False
    star_benefit_extra: float = 0.0       # yuan per star lost on leaving
    star_value: float = 0.0               # yuan/month per star, enjoyed while staying
    bundle_take_up: float = 0.0           # probability/month a non-holder takes a bundle
    bundle_value_extra: float = 0.0       # yuan lost on leaving, on top of the carrier's
    bundle_monthly_value: float = 0.0     # yuan/month a holder enjoys
    bundle_fee: float = 0.0               # yuan/month revenue per holder
    # loyalty points and sub-brands (seed 002): the carrier's own, as levers change them
    points_accrual: float = 0.0           # yuan of points value per yuan billed
    points_handling: float = 0.0          # 0..1
    points_expiry_months: int = 12        # a period's points lapse at the end of the next
    sub_brands: int = 1                   # tariff brands sold under (1: own brand only)

    @property
    def neglected_value(self) -> float:
        """Seed 002's neglect: yuan of new-customer-only offers existing customers watch.

        None where parity extends every offer to them.
        """
        return 0.0 if self.parity else self.new_customer_value

    def clip(self) -> None:
        """Keep qualities and shares in their documented ranges."""
        def unit(x: float) -> float:
            return min(max(x, 0.0), 1.0)
        self.network_quality = unit(self.network_quality)
        self.service_quality = unit(self.service_quality)
        self.transparency = unit(self.transparency)
        self.subsidy_take_up = unit(self.subsidy_take_up)
        self.bundle_take_up = unit(self.bundle_take_up)
        self.points_handling = unit(self.points_handling)
        self.points_accrual = unit(self.points_accrual)
        self.points_expiry_months = max(int(self.points_expiry_months), 1)
        self.sub_brands = max(int(self.sub_brands), 1)
        self.price_factor = max(self.price_factor, 0.01)
        for seg, f in self.segment_price_factor.items():
            self.segment_price_factor[seg] = max(f, 0.01)


#: The neglect penalty is stated per this many yuan of new-customer-only offers.
NEGLECT_PER_YUAN = 100.0


@dataclass
class MarketState:
    """Per-carrier arrays (length N, or N x segments) of what subscribers face this month."""

    price: np.ndarray            # yuan/month (ARPU after price actions)
    segment_price_factor: np.ndarray  # (N, S) multiplier from segment plans
    segment_value: np.ndarray    # (N, S) yuan/month extra value of segment plans
    network_quality: np.ndarray  # 0..1, outside weak-coverage areas
    network_quality_weak: np.ndarray  # 0..1, in weak-coverage areas
    service_quality: np.ndarray  # 0..1: chance a complaint is resolved well
    complaint_recovery_extra: np.ndarray  # satisfaction, follow-up programmes
    transparency: np.ndarray     # 0..1
    port_in_bonus: np.ndarray    # yuan, one-off
    handset_subsidy: np.ndarray  # yuan per subsidised contract
    subsidy_take_up: np.ndarray  # share of new customers taking the subsidy
    subsidy_contract_months: np.ndarray  # months
    neglect: np.ndarray          # satisfaction/month existing customers lose to neglect
    parity: np.ndarray           # bool: existing customers can claim the port-in bonus
    brand: np.ndarray            # yuan/month
    star_programme: np.ndarray   # bool
    star_benefit: np.ndarray     # yuan per star lost on leaving (0 without a programme)
    star_value: np.ndarray       # yuan/month per star while staying
    contract_penalty: np.ndarray  # yuan per remaining month
    contract_months: np.ndarray  # months of a new contract
    bundle_value: np.ndarray     # yuan lost on leaving with a bundle (the carrier's own)
    bundle_value_extra: np.ndarray  # yuan more lost with a bundle bought under an offer
    bundle_monthly_value: np.ndarray  # yuan/month a bundle holder enjoys
    bundle_fee: np.ndarray       # yuan/month revenue per bundle holder
    bundle_take_up: np.ndarray   # probability/month a non-holder takes a bundle
    addon_share: np.ndarray      # fraction of ARPU at transparency 0
    suspension_on_arrears: np.ndarray  # probability
    plan_fit: np.ndarray         # 0..1: how well the carrier's plans fit usage
    launched: np.ndarray         # bool: competing this month (others cannot be chosen)
    # loyalty points and sub-brands (seed 002; sim/behaviour/points.py, sub_brands.py)
    points_accrual: np.ndarray    # yuan of points value per yuan billed (0: none)
    points_handling: np.ndarray   # 0..1: reminded and able to redeem
    points_expiry: np.ndarray     # months in a points period (int16)
    sub_brands: np.ndarray        # tariff brands (int16); brand above is diluted
    sub_brand_pull: np.ndarray    # extra weight on a rival's lower bill (float32)

    @classmethod
    def from_offers(cls, carriers: list[Carrier], population: Population, behaviour: Behaviour,
                    offers: list[Offer], launched: np.ndarray) -> MarketState:
        """The month's arrays from each carrier's position and offer, in carrier order."""
        segments = list(population.segments)
        arr = lambda values, dtype=np.float32: np.array(values, dtype=dtype)  # noqa: E731
        per = lambda attr, dtype=np.float32: arr([getattr(o, attr) for o in offers], dtype)  # noqa: E731
        # `network_quality` is the carrier's average: weak areas sit `gap` below the rest
        average = per("network_quality")
        gap = arr([c.weak_coverage_gap for c in carriers])
        weak_share = np.float32(population.weak_coverage_share)
        network = np.clip(average + gap * weak_share, 0, 1)
        programme = arr([c.star_programme or o.star_programme
                         for c, o in zip(carriers, offers, strict=True)], bool)
        return cls(
            price=arr([c.price * o.price_factor for c, o in zip(carriers, offers, strict=True)]),
            segment_price_factor=arr([[o.segment_price_factor.get(s, 1.0) for s in segments]
                                      for o in offers]),
            segment_value=arr([[o.segment_value.get(s, 0.0) for s in segments] for o in offers]),
            network_quality=network,
            network_quality_weak=np.clip(network - gap + per("weak_coverage_gain"), 0, network),
            service_quality=per("service_quality"),
            complaint_recovery_extra=per("complaint_recovery_extra"),
            transparency=per("transparency"),
            port_in_bonus=per("port_in_bonus"),
            handset_subsidy=per("handset_subsidy"),
            subsidy_take_up=per("subsidy_take_up"),
            subsidy_contract_months=per("subsidy_contract_months", np.int16),
            neglect=arr([o.neglected_value for o in offers])
            * np.float32(behaviour.neglect_hit / NEGLECT_PER_YUAN),
            parity=per("parity", bool),
            brand=arr([c.brand for c in carriers]),
            star_programme=programme,
            star_benefit=np.where(programme, arr([c.star_benefit for c in carriers])
                                  + per("star_benefit_extra"), 0).astype(np.float32),
            star_value=np.where(programme, per("star_value"), 0).astype(np.float32),
            contract_penalty=arr([c.contract_penalty for c in carriers]),
            contract_months=arr([c.contract_months for c in carriers], np.int16),
            bundle_value=arr([c.bundle_value for c in carriers]),
            bundle_value_extra=per("bundle_value_extra"),
            bundle_monthly_value=per("bundle_monthly_value"),
            bundle_fee=per("bundle_fee"),
            bundle_take_up=per("bundle_take_up"),
            addon_share=arr([c.addon_revenue_share for c in carriers]),
            suspension_on_arrears=arr([c.suspension_on_arrears for c in carriers]),
            plan_fit=arr([c.plan_fit for c in carriers]),
            launched=np.asarray(launched, dtype=bool),
            points_accrual=per("points_accrual"),
            points_handling=per("points_handling"),
            points_expiry=per("points_expiry_months", np.int16),
            sub_brands=per("sub_brands", np.int16),
            sub_brand_pull=sub_brand_pull(per("sub_brands", np.int16), behaviour),
        ).with_diluted_brand(behaviour)

    def with_diluted_brand(self, behaviour: Behaviour) -> MarketState:
        """Scale each carrier's (positive) brand value down by its sub-brands (seed 002)."""
        self.brand = diluted_brand(self.brand, self.sub_brands, behaviour)
        return self

    @property
    def mean_price(self) -> float:
        """The mean price of the carriers competing this month (yuan/month)."""
        if self.launched.all():
            return float(self.price.mean())
        return float(self.price[self.launched].mean())

    @property
    def has_segment_plans(self) -> bool:
        """Whether any segment plan changes a price or adds value for some carrier and segment."""
        return bool((self.segment_price_factor != 1).any() or (self.segment_value != 0).any())

    @property
    def network_by_area(self) -> np.ndarray:
        """(2, N) network quality by area (0: elsewhere, 1: weak coverage) and carrier.

        For compiled loops to look up by a subscriber's area rather than branch on it.
        """
        return np.stack([self.network_quality, self.network_quality_weak])

    @property
    def list_prices(self) -> np.ndarray:
        """(N, S) monthly price of each carrier for each segment (ARPU x segment-plan factor)."""
        return self.price[:, None] * self.segment_price_factor

    def list_price(self, carrier: np.ndarray, segment: np.ndarray) -> np.ndarray:
        """Per-row monthly price at `carrier` (ARPU times any segment-plan factor)."""
        if not self.has_segment_plans:
            return self.price[carrier]
        return self.price[carrier] * self.segment_price_factor[carrier, segment]
