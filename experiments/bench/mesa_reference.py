"""The same monthly step written the plain-Mesa way: one Agent object per subscriber.

This is what a Mesa user would write without vectorising: each subscriber is a
`mesa.Agent` with its own attributes and methods, the model steps them phase by
phase with `AgentSet.shuffle_do`, and every draw is a scalar call to Mesa's
seeded `model.random`. It exists only to check the vectorised model (`sim`)
against, for equivalence and for speed; it is not part of the package.

Scope: the status-quo market with nationwide MNP (no carrier levers, no pilot
regions), which is what the equivalence and speed benchmarks run. The initial
population and the social graph are drawn by `sim.population` and `sim.network`
(so both models start from the same distribution); everything that happens in a
month is written here, per agent, from the mechanisms' docstrings in
`sim/behaviour/`.
"""

from __future__ import annotations

import math
from bisect import bisect_left

import mesa
import numpy as np

from sim.behaviour import porting_friction, stars
from sim.behaviour.offers import MarketState
from sim.behaviour.switching_cost import DAYS_PER_MONTH
from sim.carriers import CarrierAgent
from sim.network import build_social_graph
from sim.behaviour.stars import rate_initial_stars  # noqa: E402
from sim.population import create_subscribers
from sim.params import month_index, month_label
from sim.scenario.schema import Scenario

ARREARS_SETTLE_RATE = 0.5  # as sim.behaviour.experiences
LOYALIST, HOSTAGE, MERCENARY, DEFECTOR = range(4)
TENURE_EDGES = stars.TENURE_EDGES_MONTHS.tolist()
SPEND_EDGES = stars.SPEND_EDGES_YUAN.tolist()


def supported(scenario: Scenario) -> None:
    """Refuse scenarios outside the reference's scope."""
    if scenario.policy.pilots:
        raise ValueError("the Mesa reference does not model pilot regions")
    if any(scenario.strategies.values()):
        raise ValueError("the Mesa reference runs status-quo strategies only")


class Subscriber(mesa.Agent):
    """One subscriber: traits, state with the current carrier, and monthly decisions."""

    def __init__(self, model: ReferenceModel, row: dict):
        super().__init__(model)
        self.__dict__.update(row)
        self.contacts: list[Subscriber] = []
        self.moved = False
        self.bad = False
        self.reviewing = False

    # -- carrier-specific state reset on joining a carrier (sim.behaviour.moves)
    def start_with(self, carrier: int) -> None:
        m, r = self.model.market, self.model.random
        seg = self.model.segment_params[self.segment]
        self.carrier = carrier
        self.tenure = 0
        months = int(m.contract_months[carrier]) if r.random() < seg.contract_share else 0
        if r.random() < m.subsidy_take_up[carrier]:
            months = max(months, int(m.subsidy_contract_months[carrier]))
        self.contract_left = months
        self.has_bundle = r.random() < seg.bundle_share
        self.suspensions = 0
        self.in_arrears = False
        self.stars = 0
        self.satisfaction = min(self.satisfaction_target() + self.model.beh.honeymoon, 1.0)

    # -- phase 1: experiences (sim.behaviour.experiences)
    def live_experiences(self) -> None:
        m, beh, r = self.model.market, self.model.beh, self.model.random
        seg = self.model.segment_params[self.segment]
        c = self.carrier
        sat = self.satisfaction
        bad = False
        quality = m.network_quality_weak[c] if self.weak_coverage else m.network_quality[c]
        if r.random() < beh.network_problem_rate * (1.0 - quality):
            sat -= beh.network_problem_hit * seg.network_intolerance
            bad = True
        if r.random() < beh.billing_surprise_rate * (1.0 - m.transparency[c]):
            sat -= beh.billing_surprise_hit
            bad = True
        if self.in_arrears and r.random() < ARREARS_SETTLE_RATE:
            self.in_arrears = False
        if r.random() < seg.arrears_rate:
            self.in_arrears = True
            if r.random() < m.suspension_on_arrears[c]:
                self.suspensions = min(self.suspensions, 254) + 1
                sat -= beh.suspension_hit
                bad = True
        if bad and r.random() < beh.complaint_prob:
            if r.random() < m.service_quality[c] + beh.star_service_bonus * self.stars:
                sat += beh.complaint_recovery + m.complaint_recovery_extra[c]
            else:
                sat -= beh.complaint_bad_hit
        self.satisfaction = min(max(sat, 0.0), 1.0)
        self.bad = bad

    # -- phase 2: satisfaction drift (sim.behaviour.satisfaction)
    def satisfaction_target(self) -> float:
        m, beh = self.model.market, self.model.beh
        c = self.carrier
        network = m.network_quality_weak[c] if self.weak_coverage else m.network_quality[c]
        ns, ss = self.network_sensitivity, self.service_sensitivity
        quality = (ns * network + ss * m.service_quality[c]) / (ns + ss + 1e-6)
        price = m.price[c] * m.segment_price_factor[c, self.segment]
        value = beh.value_sensitivity * self.price_sensitivity * (price / self.model.mean_price - 1)
        return min(max(quality - value, 0.0), 1.0)

    def drift_satisfaction(self) -> None:
        target = self.satisfaction_target()
        self.satisfaction += self.model.beh.satisfaction_relax * (target - self.satisfaction)

    # -- phase 3: look at contacts (sim.behaviour.social)
    def look_around(self) -> None:
        threshold = self.model.beh.satisfied_threshold
        on = [0, 0, 0]
        happy = [0, 0, 0]
        aware = moved = 0
        for other in self.contacts:
            on[other.carrier] += 1
            if other.satisfaction >= threshold:
                happy[other.carrier] += 1
            aware += other.aware
            moved += other.moved
        self.on_carrier, self.happy_contacts = on, happy
        self.aware_contacts, self.moved_contacts = aware, moved

    # -- phase 4: MNP awareness
    def learn_about_mnp(self) -> None:
        model = self.model
        self.newly_aware = False
        if not model.mnp_open or self.aware:
            return
        aw = model.spec.policy.awareness
        stay_unaware = (1 - aw.media_rate) * (1 - aw.word_of_mouth) ** self.aware_contacts
        if model.mnp_opening:
            stay_unaware *= 1 - aw.launch_boost
        if self.model.random.random() < 1 - stay_unaware:
            self.aware = True
            self.newly_aware = True

    # -- phase 5: who reviews (sim.behaviour.consideration)
    def consider(self) -> None:
        beh, r = self.model.beh, self.model.random
        boost = self.model.spec.population.social.mover_review_boost
        seg = self.model.segment_params[self.segment]
        reviewing = r.random() < seg.review_rate
        if self.bad and r.random() < beh.review_after_bad_experience:
            reviewing = True
        if self.contract_left == 1 and r.random() < beh.review_at_contract_end:
            reviewing = True
        if self.newly_aware and r.random() < beh.review_on_awareness:
            reviewing = True
        if self.moved_contacts and r.random() < 1 - (1 - boost) ** self.moved_contacts:
            reviewing = True
        self.reviewing = reviewing

    # -- phase 6: values, switching cost and choice (sim.behaviour.choice, switching_cost)
    def carrier_values(self) -> list[float]:
        m, model = self.model.market, self.model
        social, beh = model.spec.population.social, model.beh
        degree = max(len(self.contacts), 1)
        values = []
        for j in range(3):
            count = self.on_carrier[j]
            network = m.network_quality_weak[j] if self.weak_coverage else m.network_quality[j]
            price = m.price[j] * m.segment_price_factor[j, self.segment]
            values.append(-self.price_sensitivity * self.spend_factor * price
                          + m.segment_value[j, self.segment]
                          + self.network_sensitivity * network
                          + self.service_sensitivity * m.service_quality[j] + m.brand[j]
                          + social.peer_pull * count / degree
                          + social.word_of_mouth * (self.happy_contacts[j] - 0.5 * count)
                          / max(count, 1))
        self.staying = (beh.satisfaction_weight * (self.satisfaction - 0.5)
                        + m.star_value[self.carrier] * self.stars
                        + m.bundle_monthly_value[self.carrier] * self.has_bundle)
        values[self.carrier] += self.staying
        return values

    def switching_cost(self) -> tuple[float, bool]:
        m, policy = self.model.market, self.model.spec.policy
        c = self.carrier
        rules = policy.eligibility
        eligible = self.tenure * DAYS_PER_MONTH >= rules.min_tenure_days
        if rules.contract_lockin == "block":
            eligible = eligible and self.contract_left == 0
        if rules.require_settled:
            eligible = eligible and not self.in_arrears
        can_port = self.model.mnp_open and self.aware and eligible
        number = self.attachment * policy.number_loss_cost
        fixed = (self.contract_left * m.contract_penalty[c] + self.has_bundle * m.bundle_value[c]
                 + self.stars * m.star_benefit[c])
        hassle = self.model.porting_hassle
        if can_port and hassle <= number + policy.new_number_hassle:
            return fixed + hassle, True
        return fixed + number + policy.new_number_hassle, False

    def choose(self) -> None:
        model, m, beh = self.model, self.model.market, self.model.beh
        r = model.random
        self.values = values = self.carrier_values()
        start = self.carrier
        satisfied = self.satisfaction >= beh.satisfied_threshold
        self.left = False
        if self.reviewing:
            cost, is_port = self.switching_cost()
            horizon = beh.planning_horizon_months
            best, best_u = start, -math.inf
            for j in range(3):
                u = values[j]
                if j != start:
                    u += (m.port_in_bonus[j] + m.handset_subsidy[j] * m.subsidy_take_up[j]
                          - cost) / horizon
                u += gumbel(r, beh.choice_noise)
                if u > best_u:
                    best, best_u = j, u
            if best != start:
                self.left = True
                model.flows["ports" if is_port else "switches"][start][best] += 1
                self.start_with(best)
        # loyalty quadrant of the start-of-month carrier (sim.behaviour.loyalty)
        if self.left:
            quadrant = MERCENARY if satisfied else DEFECTOR
        elif max(values) > values[start]:
            quadrant = MERCENARY if satisfied else HOSTAGE
        else:
            quadrant = LOYALIST
        model.quadrants[start][quadrant] += 1

    # -- phase 7: leaving the market; a newcomer takes the place (sim.behaviour.moves)
    def leave_or_stay(self) -> None:
        model = self.model
        self.moved = self.left
        if self.left or model.random.random() >= model.spec.population.leave_rate:
            return
        values = list(self.values)
        values[self.carrier] -= self.staying
        noise = model.spec.behaviour.choice_noise
        utilities = [v + gumbel(model.random, noise) for v in values]
        self.start_with(utilities.index(max(utilities)))

    # -- phase 8: the month closes (sim.behaviour.month_end)
    def close_month(self) -> None:
        m = self.model.market
        self.tenure = min(self.tenure + 1, 65535)
        if self.contract_left > 0:
            self.contract_left -= 1
        c = self.carrier
        if m.star_programme[c]:
            bill = m.price[c] * m.segment_price_factor[c, self.segment] * self.spend_factor
            self.stars = star_level(self.brand_tier, self.tenure, bill, self.suspensions)
        else:
            self.stars = 0


def star_level(brand: int, tenure: int, bill: float, suspensions: int) -> int:
    """Seed 003's stars from its tables (bands upper-inclusive, as sim.behaviour.stars)."""
    score = (int(stars.BRAND_POINTS[brand])
             + int(stars.TENURE_POINTS[bisect_left(TENURE_EDGES, tenure)])
             + int(stars.SPEND_POINTS[bisect_left(SPEND_EDGES, bill)]) - 100 * suspensions)
    return min(max(score // 100, 0), 5)


def gumbel(r, scale: float) -> float:
    """A Gumbel(0, scale) taste shock from a uniform of Python's Random."""
    return -math.log(-math.log(max(r.random(), 1e-12))) * scale


class ReferenceModel(mesa.Model):
    """The MNP market with one Mesa agent per subscriber."""

    def __init__(self, scenario: Scenario, rng: int):
        super().__init__(rng=rng)
        supported(scenario)
        self.spec = scenario
        self.beh = scenario.behaviour
        self.month = 0
        self.scale = scenario.represents() / scenario.population.size
        self.segment_params = list(scenario.population.segments.values())
        carriers = [CarrierAgent(self, k, scenario.carrier_label(k), p, [], scenario.start)
                    for k, p in scenario.carriers.items()]
        self.market = MarketState.from_offers(
            list(scenario.carriers.values()), scenario.population, scenario.behaviour,
            [c.offer for c in carriers], np.ones(len(carriers), dtype=bool))
        self.mean_price = float(self.market.price.mean())
        subs, _ = create_subscribers(self.rng, scenario.population,
                                     list(scenario.carriers.values()),
                                     scenario.segment_splits(), scenario.policy)
        rate_initial_stars(subs, self.market.list_prices)
        subs.stars[~self.market.star_programme[subs.carrier]] = 0
        graph = build_social_graph(self.rng, scenario.population.size, scenario.population.social)
        columns = {name: getattr(subs, name).tolist() for name in (
            "carrier", "segment", "tenure", "contract_left", "spend_factor", "brand_tier",
            "suspensions", "stars", "satisfaction", "price_sensitivity", "network_sensitivity",
            "service_sensitivity", "attachment", "has_bundle", "in_arrears", "aware",
            "weak_coverage")}
        people = [Subscriber(self, {k: v[i] for k, v in columns.items()})
                  for i in range(len(subs))]
        for i, person in enumerate(people):
            person.contacts = [people[j] for j in
                               graph.indices[graph.indptr[i]:graph.indptr[i + 1]]]
        self.subscribers_set = self.agents_by_type[Subscriber]
        self.mnp_month = (month_index(scenario.policy.first_opening, scenario.start)
                          if scenario.policy.first_opening else None)
        self.net_porting: list[list[float]] = []      # per month, per carrier (real)
        self.false_loyal_share: list[list[float]] = []
        self.total_ports: list[float] = []

    def step(self) -> None:
        """One month, phase by phase, each phase over all subscribers in random order."""
        self.mnp_open = self.mnp_month is not None and self.month >= self.mnp_month
        self.mnp_opening = self.mnp_month is not None and self.month == self.mnp_month
        spec = self.spec  # the hassle: from the porting rules (the friction mapping), if any
        self.porting_hassle = porting_friction.national_hassle(
            spec.policy, spec.behaviour.friction, month_label(spec.start, self.month))
        self.flows = {"ports": [[0] * 3 for _ in range(3)],
                      "switches": [[0] * 3 for _ in range(3)]}
        self.quadrants = [[0] * 4 for _ in range(3)]
        people = self.subscribers_set
        people.shuffle_do("live_experiences")
        people.shuffle_do("drift_satisfaction")
        people.shuffle_do("look_around")
        people.shuffle_do("learn_about_mnp")
        people.shuffle_do("consider")
        people.shuffle_do("choose")
        people.shuffle_do("leave_or_stay")
        people.shuffle_do("close_month")
        ports = self.flows["ports"]
        self.net_porting.append([(sum(ports[i][j] for i in range(3))
                                  - sum(ports[j][k] for k in range(3))) * self.scale
                                 for j in range(3)])
        self.total_ports.append(sum(map(sum, ports)) * self.scale)
        self.false_loyal_share.append([q[HOSTAGE] / max(sum(q), 1) for q in self.quadrants])
        self.month += 1


def run_reference(scenario: Scenario, seed: int) -> dict[str, np.ndarray]:
    """Run the reference for the scenario's months: net porting and false-loyal share
    per month and carrier, arrays (months, 3), and total ports per month."""
    model = ReferenceModel(scenario, rng=seed)
    for _ in range(scenario.months):
        model.step()
    return {"net_porting": np.array(model.net_porting),
            "total_ports": np.array(model.total_ports),
            "false_loyal_share": np.array(model.false_loyal_share)}
