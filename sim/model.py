"""The MNP model: a Mesa model whose step is one month, run as a list of phases.

Carriers are Mesa agents (sim/carriers.py), as many as the scenario names;
subscribers are columns, one row each (sim/population.py). The month's phases are
in sim/month.py, each calling the mechanisms of sim/behaviour/ and the hooks of
the carriers' active actions; the model times each phase in one place.
"""

from __future__ import annotations

import time
from collections import defaultdict

import mesa
import numpy as np

from sim.behaviour import (
    growth,
    loyalty,
    memory,
    peer_learning,
    plan_fit,
    social,
    sub_brands,
    taste_drift,
)
from sim.behaviour.offers import MarketState
from sim.behaviour.stars import rate_initial_stars
from sim.carriers import CarrierAgent
from sim.columns import STAT_FIELDS
from sim.context import MonthContext, Streams
from sim.month import PHASES, switching_costs_of
from sim.network import build_social_graph
from sim.params import month_label
from sim.population import create_subscribers
from sim.scenario.schema import Scenario

#: Rows used for the loyalty quadrants and the switching-cost means: all rows up to
#: this size, a fixed random sample above it (standard error of a carrier's quadrant
#: share under 0.3 points).
REPORT_SAMPLE = 200_000


class MNPModel(mesa.Model):
    """A market of named carriers and a column-wise population of subscribers under MNP."""

    def __init__(self, scenario: Scenario, rng: int | None = None, snapshot_rows: int = 0):
        """Build the market of `scenario`, seeded with `rng` (default: the scenario's seed).

        snapshot_rows: keep a monthly record of this many subscribers (evenly spaced rows;
        rows are exchangeable, so that is a fair sample and needs no draw).
        """
        super().__init__(rng=scenario.seed if rng is None else rng)
        self.spec = scenario
        self._entropy = int(self.rng.integers(2**63))
        self.month = 0  # months simulated so far; the current step simulates month `month`
        self.scale = scenario.represents() / scenario.population.size
        self.carriers = [
            CarrierAgent(self, key, scenario.carrier_label(key), params,
                         scenario.actions_of(key), scenario.start)
            for key, params in scenario.carriers.items()
        ]
        for c in self.carriers:
            c.apply_strategy(0)
        launched = np.array([c.launched(0) for c in self.carriers])
        self.market = MarketState.from_offers(
            list(scenario.carriers.values()), scenario.population, scenario.behaviour,
            [c.offer for c in self.carriers], launched)
        self.subs, self.segments = create_subscribers(
            self.rng, scenario.population, list(scenario.carriers.values()),
            scenario.segment_splits(), scenario.policy)
        # the usage misfit comes from a stream of its own: no other draw shifts
        plan_fit.init_plans(Streams(self._entropy, 0)[plan_fit.CREATION_STREAM], self.subs,
                            self.market, scenario.behaviour.usage_misfit_mean)
        rate_initial_stars(self.subs, self.market.list_prices)
        self.segment_codes = {name: i for i, name in enumerate(self.segments.names)}
        self.subs.stars[~self.market.star_programme[self.subs.carrier]] = 0
        # Quadrants and switching-cost parts are reported from a fixed sample of rows (all
        # rows up to REPORT_SAMPLE): exact for small runs and cheap for large ones.
        n = scenario.population.size
        self.report_rows = (np.arange(n) if n <= REPORT_SAMPLE
                            else np.sort(self.rng.choice(n, REPORT_SAMPLE, replace=False)))
        self.graph = build_social_graph(self.rng, scenario.population.size,
                                        scenario.population.social)
        self.social = social.SocialState(self.graph, self.subs, len(self.carriers),
                                         scenario.behaviour.satisfied_threshold)
        # mechanisms of growth after launch with state across months (None: switched off)
        beh = scenario.behaviour
        self.peer_learning = (peer_learning.PeerLearning.create(self.graph, n, beh.peer_learning)
                              if beh.peer_learning > 0 else None)
        self.taste_drift = (taste_drift.TasteDrift.create(
            n, len(self.carriers), beh.taste_drift_sd, beh.taste_drift_persistence)
            if beh.taste_drift_sd > 0 else None)
        self.snapshot_rows = (np.unique(np.linspace(0, n - 1, min(snapshot_rows, n)).astype(
            np.int64)) if snapshot_rows > 0 else None)
        self.snapshots: list[dict[str, np.ndarray]] = []
        self.phase_seconds: dict[str, float] = defaultdict(float)
        self.action_state: dict[tuple[int, int], dict] = {}  # per action, across months
        k = len(self.carriers)
        self.port_matrix: list[list[float]] = [[0.0] * k for _ in range(k)]
        self.segment_ports: list = []
        self.month_label = scenario.start
        reporters = {name: name for name in STAT_FIELDS}
        self.datacollector = mesa.DataCollector(
            model_reporters={"month": "month_label", "ports": "port_matrix",
                             "segment_ports": "segment_ports"},
            agenttype_reporters={CarrierAgent: reporters},
        )
        self.burn_in_seconds = 0.0
        self.burn_in(scenario.burn_in_months)
        memory.start_run(self.subs)  # numbers' ports count from the start

    @property
    def carrier_keys(self) -> tuple[str, ...]:
        """The carriers' keys, in scenario order."""
        return tuple(c.key for c in self.carriers)

    def month_streams(self, month: int) -> Streams:
        """This month's random streams by name, all derived from the model's generator."""
        return Streams(self._entropy, month)

    def _context(self, month: int) -> MonthContext:
        return MonthContext(month=month, label=month_label(self.spec.start, month),
                            rng=self.month_streams(month), spec=self.spec, subs=self.subs,
                            segments=self.segments, segment_codes=self.segment_codes,
                            scale=self.scale)

    def burn_in(self, months: int) -> None:
        """Simulate `months` months before the start, MNP closed and no strategies.

        Satisfaction, contracts, stars and the carriers' bases settle from their drawn
        values; nothing is recorded and the simulated months' draws are unchanged
        (the burn-in has random streams of its own). Counted in `burn_in_seconds`.
        """
        t0 = time.perf_counter()
        for month in range(-months, 0):
            m = self._context(month)
            for _, phase in PHASES:
                phase(self, m)
        self.burn_in_seconds += time.perf_counter() - t0

    def step(self) -> None:
        """Simulate one month: every phase in order, each timed."""
        self.month_label = month_label(self.spec.start, self.month)
        turnover = growth.turnover(self.spec.population, self.month_label)
        if turnover is not None:  # the real subscribers a row stands for follow the market
            self.scale *= 1.0 + turnover.growth
        m = self._context(self.month)
        for name, phase in PHASES:
            t0 = time.perf_counter()
            phase(self, m)
            self.phase_seconds[name] += time.perf_counter() - t0
        self.month += 1

    # ------------------------------------------------------------------ snapshots

    def before_moves(self, m: MonthContext) -> dict[str, np.ndarray]:
        """The sampled subscribers as the month's moves find them."""
        rows, subs = self.snapshot_rows, self.subs
        costs = switching_costs_of(m, rows)
        values, _ = m.values_of(rows)
        sub_brands.add_price_pull(values, subs, m.market, rows)
        return {"month": np.full(rows.size, self.month_label), "row": rows,
                "segment": np.array(self.segments.names)[subs.segment[rows]],
                "carrier_start": subs.carrier[rows].copy(), "values": values,
                "satisfaction": subs.satisfaction[rows].copy(),
                "aware": subs.aware[rows].copy(), "tenure_months": subs.tenure[rows].copy(),
                "switching_cost": costs.total}

    def snapshot(self, before: dict[str, np.ndarray], left: np.ndarray) -> None:
        """Record the sampled subscribers for this month.

        Carrier at the start and end of the month, whether they moved, loyalty quadrant,
        satisfaction, awareness, switching cost (yuan). A row whose subscriber left the market
        shows the newcomer's carrier.
        """
        rows = self.snapshot_rows
        satisfied = before["satisfaction"] >= self.spec.behaviour.satisfied_threshold
        quadrant = loyalty.classify(before.pop("values"), before["carrier_start"], satisfied,
                                    left[rows])
        keys = np.array(self.carrier_keys)
        before["carrier_start"] = keys[before["carrier_start"]]
        before["carrier"] = keys[self.subs.carrier[rows]]
        before["quadrant"] = np.array(loyalty.QUADRANTS)[quadrant]
        before["moved"] = left[rows]  # ported or switched (a newcomer taking the row is not)
        self.snapshots.append(before)

    def run_months(self, months: int | None = None, on_month=None) -> None:
        """Run `months` steps (default: the scenario's length), calling on_month(i) after each."""
        total = self.spec.months if months is None else months
        for i in range(total):
            self.step()
            if on_month is not None:
                on_month(i + 1, total)


__all__ = ["MNPModel"]
