"""The MNP model: one step is one month, run phase by phase.

Phases (each in its own module, each citing its seed):
  1. strategy     carriers apply this month's actions and set their offers
  2. experiences  network problems, billing surprises, complaints, neglect, arrears
  3. satisfaction drift toward perceived value for money
  4. social       contacts' carriers, word of mouth, MNP awareness
  5. consider     who reviews their carrier this month (incl. rivals' poaching calls)
  6. choose       logit choice with switching costs and incentives; early warning
  7. move         ports, new-number switches, leaving and joining the market;
                  renewals, parity claims, bundle sales
  8. update       tenure, contract, stars; loyalty quadrants; books; data collection
"""

from __future__ import annotations

import time
from collections import defaultdict

import mesa
import numpy as np

from sim.behaviour import (
    consideration,
    experiences,
    loyalty,
    money,
    month_end,
    moves,
    satisfaction,
    social,
    targeting,
)
from sim.behaviour.choice import carrier_values, choice_utilities
from sim.behaviour.market import MarketState
from sim.behaviour.month_end import Census
from sim.behaviour.switching_cost import PARTS, switching_cost
from sim.carriers import COST_FIELDS, STAT_FIELDS, CarrierAgent
from sim.levers import (
    LEVER_KINDS,
    BundleOffer,
    ChurnEarlyWarning,
    ExistingCustomerParity,
    HandsetSubsidy,
    RenewalOffer,
    SegmentPlan,
    TargetedPoaching,
    Usage,
)
from sim.network import build_social_graph
from sim.population import create_subscribers
from sim.scenario.params import CARRIERS, month_index, month_label
from sim.scenario.schema import Scenario

#: Rows used for the loyalty quadrants and the switching-cost means: all rows up to
#: this size, a fixed random sample above it (standard error of a carrier's quadrant
#: share under 0.3 points).
REPORT_SAMPLE = 200_000
#: Each phase draws from its own stream, re-derived every month from the model's
#: generator: a lever that changes how many draws one phase makes does not shift
#: any other phase or month, so strategies compared on one seed share their
#: randomness (common random numbers).
STREAMS = ("experiences", "social", "consider", "choose", "levers", "move")


class MNPModel(mesa.Model):
    """Three carriers and a column-wise population of subscribers under number portability."""

    def __init__(self, scenario: Scenario, rng: int | None = None, snapshot_rows: int = 0):
        """snapshot_rows: keep a monthly record of this many subscribers (evenly spaced
        rows; rows are exchangeable, so that is a fair sample and needs no draw)."""
        super().__init__(rng=scenario.seed if rng is None else rng)
        self.spec = scenario
        self._entropy = int(self.rng.integers(2**63))
        self.month = 0  # months simulated so far; the current step simulates month `month`
        self.scale = scenario.represents() / scenario.population.size
        self.carriers = [
            CarrierAgent(self, key, params, scenario.strategies.for_carrier(key), scenario.start)
            for key, params in scenario.carriers.items()
        ]
        for c in self.carriers:
            c.apply_strategy(0)
        self.market = MarketState.from_offers(scenario, [c.offer for c in self.carriers])
        self.subs, self.segments = create_subscribers(self.rng, scenario, self.market.price)
        self.segment_codes = {name: i for i, name in enumerate(self.segments.names)}
        self._apply_star_programmes()
        # Quadrants and switching-cost parts are reported from a fixed sample of rows (all
        # rows up to REPORT_SAMPLE): exact for small runs and cheap for large ones.
        n = scenario.population.size
        self.report_rows = (np.arange(n) if n <= REPORT_SAMPLE
                            else np.sort(self.rng.choice(n, REPORT_SAMPLE, replace=False)))
        self.graph = build_social_graph(self.rng, scenario.population.size,
                                        scenario.population.social)
        self.social = social.SocialState(self.graph, self.subs,
                                         scenario.behaviour.satisfied_threshold)
        self.snapshot_rows = (np.unique(np.linspace(0, n - 1, min(snapshot_rows, n)).astype(
            np.int64)) if snapshot_rows > 0 else None)
        self.snapshots: list[dict[str, np.ndarray]] = []
        self.phase_seconds: dict[str, float] = defaultdict(float)
        self.port_matrix: list[list[float]] = [[0.0] * 3 for _ in range(3)]
        self.segment_ports: list = []
        self.month_label = scenario.start
        reporters = {name: name for name in STAT_FIELDS}
        self.datacollector = mesa.DataCollector(
            model_reporters={"month": "month_label", "ports": "port_matrix",
                             "segment_ports": "segment_ports"},
            agenttype_reporters={CarrierAgent: reporters},
        )

    # ------------------------------------------------------------------ policy

    def mnp_open(self, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-row (open, opened this month, porting hassle) for the given month."""
        policy = self.spec.policy
        start = self.spec.start
        national = policy.mnp_start is not None and month >= month_index(policy.mnp_start, start)
        national_first = (policy.mnp_start is not None
                          and month == month_index(policy.mnp_start, start))
        # one entry per pilot region, then the "no pilot" entry (region -1 indexes it)
        is_open, opening, hassle = [], [], []
        for p in policy.pilots:
            first = month_index(p.start, start)
            simple = p.simplified is not None and month >= month_index(p.simplified, start)
            pilot_hassle = (p.simplified_hassle if p.simplified_hassle is not None
                            else policy.porting_hassle) if simple else p.porting_hassle
            is_open.append(national or month >= first)
            opening.append(month == first and not national)
            hassle.append(policy.porting_hassle if national else pilot_hassle)
        is_open.append(national)
        opening.append(national_first)
        hassle.append(policy.porting_hassle)
        if not policy.pilots:  # one value for everyone: broadcast views, no per-row copies
            n = len(self.subs)
            return (np.broadcast_to(np.array(is_open[0]), n),
                    np.broadcast_to(np.array(opening[0]), n),
                    np.broadcast_to(np.float32(hassle[0]), n))
        region = self.subs.region
        return (np.array(is_open)[region], np.array(opening)[region],
                np.array(hassle, dtype=np.float32)[region])

    def _apply_star_programmes(self) -> None:
        subs = self.subs
        subs.stars[~self.market.star_programme[subs.carrier]] = 0

    def month_streams(self, month: int) -> dict[str, np.random.Generator]:
        """This month's random streams, one per phase, all derived from the model's generator."""
        return {name: np.random.Generator(np.random.PCG64(np.random.SeedSequence(
            self._entropy, spawn_key=(month, i)))) for i, name in enumerate(STREAMS)}

    # ------------------------------------------------------------------ step

    def _phase(self, name: str, t0: float) -> float:
        t1 = time.perf_counter()
        self.phase_seconds[name] += t1 - t0
        return t1

    def step(self) -> None:
        """Simulate one month."""
        spec, subs, beh = self.spec, self.subs, self.spec.behaviour
        month = self.month
        rng = self.month_streams(month)
        self.month_label = month_label(spec.start, month)
        t = time.perf_counter()

        for c in self.carriers:
            c.apply_strategy(month)
        market = self.market = MarketState.from_offers(spec, [c.offer for c in self.carriers])
        tally = targeting.Tally()
        active = lambda kind: targeting.campaigns(self.carriers, kind)  # noqa: E731
        rows_per_real = 1.0 / self.scale
        t = self._phase("strategy", t)

        lived = experiences.live_experiences(rng["experiences"], subs, self.segments, market, beh)
        t = self._phase("experiences", t)

        satisfaction.update_satisfaction(subs, market, beh)
        t = self._phase("satisfaction", t)

        signals = self.social.signals(subs)
        is_open, opening, port_hassle = self.mnp_open(month)
        newly_aware = social.spread_awareness(rng["social"], subs, is_open, opening, signals,
                                              spec.policy.awareness)
        t = self._phase("social", t)

        contract_ended = np.flatnonzero(subs.contract_left == 1)
        contacts = targeting.poaching_contacts(rng["levers"], subs, market,
                                               active(TargetedPoaching), self.segment_codes,
                                               rows_per_real, tally)
        rows = consideration.reviewers(rng["consider"], subs, self.segments, lived.bad,
                                       contract_ended, newly_aware, signals, beh,
                                       spec.population.social, [ct.rows for ct in contacts])
        report_costs = self._switching_costs(self.report_rows, is_open, port_hassle)
        t = self._phase("consider", t)

        values_of = lambda r: carrier_values(subs, market, signals, beh,  # noqa: E731
                                             spec.population.social, r)
        values, _ = values_of(rows)
        sample_values, _ = values_of(self.report_rows)
        costs = self._switching_costs(rows, is_open, port_hassle)
        incentive = market.port_in_bonus + market.handset_subsidy * market.subsidy_take_up
        if contacts:
            incentive = np.tile(incentive, (rows.size, 1))
            targeting.add_poaching_incentives(incentive, rows, contacts, costs.hassle)
        stay = [x for x in (targeting.renewal_incentive(subs, market, active(RenewalOffer), rows,
                                                        contract_ended),
                            targeting.parity_incentive(subs, market, rows)) if x is not None]
        utilities = choice_utilities(rng["choose"], rows, values,
                                     subs.carrier[rows], costs.total, incentive,
                                     sum(stay) if stay else None, beh)
        chosen = utilities.argmax(axis=1).astype(np.int8)
        targeting.early_warning(rng["levers"], subs, market, active(ChurnEarlyWarning), rows,
                                utilities, chosen, beh.planning_horizon_months, rows_per_real,
                                tally)
        t = self._phase("choose", t)

        snapshot = (None if self.snapshot_rows is None else
                    self._before_moves(values_of, self._switching_costs(
                        self.snapshot_rows, is_open, port_hassle)))
        start_carrier = subs.carrier.copy()
        sample = self.report_rows
        satisfied = subs.satisfaction[sample] >= beh.satisfied_threshold
        flows = moves.apply_moves(rng["move"], subs, self.segments, market, beh, rows, chosen,
                                  costs.is_port)
        moves.replace_leavers(rng["move"], subs, self.segments, market, beh, values_of,
                              spec.population.leave_rate, flows)
        moved = start_carrier != subs.carrier
        targeting.count_poaching_wins(subs, contacts, flows.left, tally)
        targeting.settle_renewals(subs, active(RenewalOffer), contract_ended, start_carrier,
                                  moved, tally)
        targeting.settle_parity_claims(rows, start_carrier, moved, market,
                                       active(ExistingCustomerParity), tally)
        targeting.count_subsidised(active(HandsetSubsidy), flows.subsidised, tally)
        targeting.sell_bundles(rng["levers"], subs, market, active(BundleOffer), tally)
        t = self._phase("move", t)

        quad = loyalty.quadrant_counts(sample_values, start_carrier[sample], satisfied,
                                       flows.left[sample])
        if snapshot is not None:
            self._snapshot(snapshot, flows.left)
        census = month_end.close_month(subs, market)
        self._record(month, start_carrier, quad, census, report_costs, flows, lived, tally)
        self._phase("update", t)
        self.month += 1

    def _before_moves(self, values_of, costs) -> dict[str, np.ndarray]:
        """The sampled subscribers as the month's moves find them."""
        rows, subs = self.snapshot_rows, self.subs
        values, _ = values_of(rows)
        return {"month": np.full(rows.size, self.month_label), "row": rows,
                "segment": np.array(self.segments.names)[subs.segment[rows]],
                "carrier_start": subs.carrier[rows].copy(), "values": values,
                "satisfaction": subs.satisfaction[rows].copy(),
                "aware": subs.aware[rows].copy(), "tenure_months": subs.tenure[rows].copy(),
                "switching_cost": costs.total}

    def _snapshot(self, before: dict[str, np.ndarray], left: np.ndarray) -> None:
        """Record the sampled subscribers: carrier at the start and end of the month,
        whether they moved, loyalty quadrant, satisfaction, awareness, switching cost
        (yuan). A row whose subscriber left the market shows the newcomer's carrier."""
        rows = self.snapshot_rows
        satisfied = before["satisfaction"] >= self.spec.behaviour.satisfied_threshold
        quadrant = loyalty.classify(before.pop("values"), before["carrier_start"], satisfied,
                                    left[rows])
        before["carrier_start"] = np.array(CARRIERS)[before["carrier_start"]]
        before["carrier"] = np.array(CARRIERS)[self.subs.carrier[rows]]
        before["quadrant"] = np.array(loyalty.QUADRANTS)[quadrant]
        before["moved"] = left[rows]  # ported or switched (a newcomer taking the row is not)
        self.snapshots.append(before)

    def _switching_costs(self, rows: np.ndarray, is_open: np.ndarray,
                         port_hassle: np.ndarray):
        """Switching-cost parts of `rows`, porting where MNP is open, known and allowed."""
        return switching_cost(self.subs, self.market, self.spec.policy, is_open, port_hassle,
                              rows)

    # ------------------------------------------------------------------ books

    def _usage(self, j: int, census: Census, port_in, lived, tally) -> Usage:
        """What carrier j's actions touched this month, in real subscribers."""
        scale, subs = self.scale, self.subs
        reached, taken = tally.for_carrier(j)
        segment_subs = {}
        if any(isinstance(a, SegmentPlan) for _, a in self.carriers[j].active):
            per_seg = np.bincount(subs.segment[subs.carrier == j],
                                  minlength=len(self.segment_codes))
            segment_subs = {s: per_seg[i] * scale for s, i in self.segment_codes.items()}
        return Usage(
            subscribers=census.subscribers[j] * scale, port_ins=port_in[j] * scale,
            complaints=lived.complaints[j] * scale, stars=census.stars[j] * scale,
            bundle_holders=census.bundle_holders[j] * scale
            if self.market.bundle_fee[j] or self.market.bundle_monthly_value[j] else 0.0,
            port_in_bonus=float(self.market.port_in_bonus[j]),
            segment_subscribers=segment_subs,
            reached={k: v * scale for k, v in reached.items()},
            taken={k: v * scale for k, v in taken.items()})

    def _record(self, month, start_carrier, quad, census, costs, flows, lived,
                tally) -> None:
        market, scale = self.market, self.scale
        counts = census.subscribers
        quad_share = quad / np.maximum(quad.sum(axis=1), 1)[:, None]
        port_in, port_out = flows.ports.sum(axis=0), flows.ports.sum(axis=1)
        sw_in, sw_out = flows.switches.sum(axis=0), flows.switches.sum(axis=1)
        income = money.revenue(census.paid, census.bundle_holders, market)
        revenue = income.total * scale
        sampled = start_carrier[self.report_rows]
        parts = dict(zip(PARTS, costs.mean_by_carrier(sampled)))
        self.port_matrix = (flows.ports * scale).tolist()
        self.segment_ports = [(flows.port_in_by_segment * scale).tolist(),
                              (flows.port_out_by_segment * scale).tolist()]
        for j, c in enumerate(self.carriers):
            lever_costs = c.book_costs(month, self._usage(j, census, port_in, lived, tally))
            cost = sum(lever_costs.values())
            reached, taken = tally.for_carrier(j)

            def by_kind(kind: str, counts: dict[int, float], active=c.active) -> float:
                return sum(counts.get(k, 0.0) for k, a in active if a.kind == kind) * scale
            values = {
                "subscribers": counts[j] * scale,
                "port_in": port_in[j] * scale, "port_out": port_out[j] * scale,
                "net_porting": (int(port_in[j]) - int(port_out[j])) * scale,
                "switch_in_new_number": sw_in[j] * scale,
                "switch_out_new_number": sw_out[j] * scale,
                "joins": flows.joins[j] * scale, "leaves": flows.leaves[j] * scale,
                "revenue": revenue[j], "addon_revenue": income.addon[j] * scale,
                "bundle_revenue": income.bundle[j] * scale,
                "cost": cost, "profit": revenue[j] - cost,
                "satisfaction_mean": census.mean(census.satisfaction)[j],
                "false_loyal_share": quad_share[j, loyalty.HOSTAGE],
                "price": market.price[j], "network_quality": market.network_quality[j],
                "service_quality": market.service_quality[j],
                "transparency": market.transparency[j],
                "aware_share": census.mean(census.aware)[j],
                "stars_mean": census.mean(census.stars)[j],
                "sc_total": sum(parts[p][j] for p in PARTS),
                "network_problems": lived.network_problems[j] * scale,
                "billing_surprises": lived.billing_surprises[j] * scale,
                "complaints": lived.complaints[j] * scale,
                "complaints_resolved_well": lived.resolved_well[j] * scale,
                "bundle_share": census.mean(census.bundle_holders)[j],
                "poaching_contacts": by_kind("targeted_poaching", reached),
                "poaching_wins": by_kind("targeted_poaching", taken),
                "retention_offers": by_kind("churn_early_warning", reached),
                "retained": tally.retained[j] * scale,
                "renewals": by_kind("renewal_offer", taken),
                "subsidised_contracts": flows.subsidised[j] * scale,
            }
            values.update({f: lever_costs[k] for f, k in zip(COST_FIELDS, LEVER_KINDS)})
            values.update({q: quad_share[j, k] for k, q in enumerate(loyalty.QUADRANTS)})
            values.update({f"sc_{p}": parts[p][j] for p in PARTS})
            for name, value in values.items():
                setattr(c, name, float(value))
        self.datacollector.collect(self)

    def run_months(self, months: int | None = None, on_month=None) -> None:
        """Run `months` steps (default: the scenario's length), calling on_month(i) after each."""
        total = self.spec.months if months is None else months
        for i in range(total):
            self.step()
            if on_month is not None:
                on_month(i + 1, total)


__all__ = ["MNPModel"]
