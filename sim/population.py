"""Subscribers as columns: one row per subscriber, one numpy array per attribute.

A month for a million subscribers is then a handful of array operations. Columns
use the narrowest dtype that holds them. Segment-level parameters are kept in
small per-segment tables and looked up by each row's segment code.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
import numpy as np

from sim.market import Carrier, Policy, Population

BRAND_TIERS = ("premium", "youth", "basic")  # GoTone, M-Zone, Easy Own (seed 003)


@dataclass
class SegmentTables:
    """Per-segment parameters indexed by segment code (small arrays)."""

    names: tuple[str, ...]
    review_rate: np.ndarray
    network_intolerance: np.ndarray
    arrears_rate: np.ndarray
    contract_share: np.ndarray
    bundle_share: np.ndarray

    @classmethod
    def from_population(cls, population: Population) -> SegmentTables:
        """The tables of a population's segments, in their order."""
        segs = population.segments
        col = lambda attr: np.array([getattr(s, attr) for s in segs.values()],  # noqa: E731
                                    dtype=np.float32)
        return cls(tuple(segs), col("review_rate"), col("network_intolerance"),
                   col("arrears_rate"), col("contract_share"), col("bundle_share"))


@dataclass
class Subscribers:
    """The subscriber columns. All arrays have one row per simulated subscriber."""

    carrier: np.ndarray            # int8, index into the scenario's carriers
    segment: np.ndarray            # int8, index into SegmentTables.names
    region: np.ndarray             # int8, pilot region index or -1
    tenure: np.ndarray             # uint16, months with the current carrier
    contract_left: np.ndarray      # uint8, months left on a contract (0: none)
    spend_factor: np.ndarray       # float32, bill = carrier price x this
    brand_tier: np.ndarray         # int8, index into BRAND_TIERS
    suspensions: np.ndarray        # uint8, suspensions with the current carrier
    stars: np.ndarray              # int8, 0..5 by seed 003's rule
    satisfaction: np.ndarray       # float32, 0..1
    price_sensitivity: np.ndarray  # float32, utility per yuan billed
    network_sensitivity: np.ndarray  # float32, yuan/month per unit quality
    service_sensitivity: np.ndarray  # float32, yuan/month per unit quality
    attachment: np.ndarray         # float32, multiple of policy.number_loss_cost
    has_bundle: np.ndarray         # bool
    pays_bundle_fee: np.ndarray    # bool, bought a bundle under a carrier's offer (pays its fee)
    avg_spend: np.ndarray          # float32, average monthly bill paid (yuan; seed 003's 月均消费)
    in_arrears: np.ndarray         # bool, account not settled
    aware: np.ndarray              # bool, knows MNP exists and how to use it
    moved: np.ndarray              # bool, changed carrier in the last month
    weak_coverage: np.ndarray      # bool, lives/works where coverage is weak
    discount: np.ndarray           # uint8, personal discount in % (retention/renewal offers)
    discount_left: np.ndarray      # uint8, months the discount still runs
    last_bill: np.ndarray          # float32, bill paid last month (yuan; 0: none yet)
    usage_misfit: np.ndarray       # float32, share of the bill wasted on a plan fitting nobody
    plan_mismatch: np.ndarray      # float32, share of the bill paid for unused allowance or
    #                                overage on the current plan (sim/behaviour/plan_fit.py)
    plan_saving: np.ndarray        # float32, share of the list bill saved by a fitted plan
    points: np.ndarray             # float32, loyalty points held, in yuan of value (seed 002)
    points_expiring: np.ndarray    # float32, the part of them that lapses at the next clearing
    # --- memory of past carriers (sim/behaviour/memory.py): the number's and the person's
    times_ported: np.ndarray       # uint8, ports of the current number (saturates at 255)
    original_carrier: np.ndarray   # int8, carrier the number started on (before its first port)
    previous_carrier: np.ndarray   # int8, carrier left at the last move (-1: none)

    def __len__(self) -> int:
        """The number of rows."""
        return int(self.carrier.size)

    def nbytes(self) -> int:
        """Memory held by the columns."""
        return sum(getattr(self, f.name).nbytes for f in fields(self))



def _lognormal(rng: np.random.Generator, median: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    return (median * np.exp(sigma * rng.standard_normal(median.size))).astype(np.float32)


def _carrier_edges(split: np.ndarray) -> np.ndarray:
    """(S, N-1) cumulative split edges; a row's carrier is the number of edges it passes.

    Edges from the last carrier with a share on are infinite, so rounding can never
    place a row on a trailing carrier with no share (one that launches later).
    """
    cum = np.cumsum(split, axis=1)
    for s, shares in enumerate(split):
        last = int(np.flatnonzero(shares > 0)[-1])
        cum[s, last:] = np.inf
    return cum[:, :-1]


def create_subscribers(rng: np.random.Generator, pop: Population, carriers: list[Carrier],
                       splits: np.ndarray, policy: Policy) -> tuple[Subscribers, SegmentTables]:
    """Draw the initial population from the segments (vectorised).

    `splits` (S, N) is each segment's share on each carrier (Scenario.segment_splits).
    Stars are rated afterwards (sim.behaviour.stars.rate_initial_stars).
    """
    n = pop.size
    segs = list(pop.segments.values())
    tables = SegmentTables.from_population(pop)
    seg_col = lambda attr: np.array([getattr(s, attr) for s in segs])  # noqa: E731

    shares = seg_col("share")
    segment = rng.choice(len(segs), size=n, p=shares / shares.sum()).astype(np.int8)

    k = len(carriers)
    cum = _carrier_edges(splits)[segment]
    u = rng.random(n)
    carrier = (u[:, None] >= cum).sum(axis=1).astype(np.int8)

    tenure = (rng.random(n) * seg_col("max_tenure_years")[segment] * 12).astype(np.uint16)
    contract_months = np.array([c.contract_months for c in carriers])
    on_contract = rng.random(n) < seg_col("contract_share")[segment]
    contract_left = np.where(
        on_contract, rng.integers(1, contract_months[carrier] + 1), 0).astype(np.uint8)

    spread = seg_col("trait_spread")[segment]
    spend = _lognormal(rng, seg_col("spend_factor")[segment], np.full(n, 0.3))
    per_carrier = np.bincount(carrier, weights=spend, minlength=k) / np.maximum(
        np.bincount(carrier, minlength=k), 1)
    spend_factor = (spend / per_carrier[carrier]).astype(np.float32)

    u = rng.random(n)
    premium = seg_col("premium_brand_share")[segment]
    youth = seg_col("youth_brand_share")[segment]
    brand_tier = np.where(u < premium, 0, np.where(u < premium + youth, 1, 2)).astype(np.int8)

    satisfaction = np.clip(seg_col("initial_satisfaction")[segment]
                           + 0.15 * rng.standard_normal(n), 0, 1).astype(np.float32)

    pilot_shares = np.array([p.population_share for p in policy.pilots])
    region = np.full(n, -1, dtype=np.int8)
    if pilot_shares.size:
        u = rng.random(n)
        edges = np.cumsum(pilot_shares)
        in_pilot = u < edges[-1]
        region[in_pilot] = np.searchsorted(edges, u[in_pilot], side="right")

    subs = Subscribers(
        carrier=carrier,
        segment=segment,
        region=region,
        tenure=tenure,
        contract_left=contract_left,
        spend_factor=spend_factor,
        brand_tier=brand_tier,
        suspensions=np.zeros(n, dtype=np.uint8),
        stars=np.zeros(n, dtype=np.int8),
        satisfaction=satisfaction,
        price_sensitivity=_lognormal(rng, seg_col("price_sensitivity")[segment], spread),
        network_sensitivity=_lognormal(rng, seg_col("network_sensitivity")[segment], spread),
        service_sensitivity=_lognormal(rng, seg_col("service_sensitivity")[segment], spread),
        attachment=_lognormal(rng, seg_col("number_attachment")[segment],
                              seg_col("number_attachment_spread")[segment]),
        has_bundle=rng.random(n) < tables.bundle_share[segment],
        pays_bundle_fee=np.zeros(n, dtype=bool),
        avg_spend=np.zeros(n, dtype=np.float32),  # set with the first stars
        in_arrears=np.zeros(n, dtype=bool),
        aware=rng.random(n) < policy.awareness.initial_share,
        moved=np.zeros(n, dtype=bool),
        weak_coverage=rng.random(n) < pop.weak_coverage_share,
        discount=np.zeros(n, dtype=np.uint8),
        discount_left=np.zeros(n, dtype=np.uint8),
        last_bill=np.zeros(n, dtype=np.float32),
        usage_misfit=np.zeros(n, dtype=np.float32),  # drawn by sim.behaviour.plan_fit
        plan_mismatch=np.zeros(n, dtype=np.float32),
        plan_saving=np.zeros(n, dtype=np.float32),
        points=np.zeros(n, dtype=np.float32),
        points_expiring=np.zeros(n, dtype=np.float32),
        times_ported=np.zeros(n, dtype=np.uint8),
        original_carrier=carrier.copy(),
        previous_carrier=np.full(n, -1, dtype=np.int8),
    )
    return subs, tables
