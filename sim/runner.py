"""Run a scenario: build the model, step it month by month, collect the results."""

from __future__ import annotations

import time
from collections.abc import Callable

from sim.model import MNPModel
from sim.results import RunResult, collect_results
from sim.scenario.schema import Scenario


def run(scenario: Scenario, seed: int | None = None,
        on_month: Callable[[int, int], None] | None = None,
        snapshot_rows: int = 0) -> RunResult:
    """Simulate `scenario` with `seed` (default: the scenario's seed) and return its results.

    snapshot_rows: also record this many subscribers every month (`subscriber_sample`).

    The same scenario and seed always give identical results: every draw comes from
    the model's numpy Generator.
    """
    seed = scenario.seed if seed is None else int(seed)
    t0 = time.perf_counter()
    model = MNPModel(scenario, rng=seed, snapshot_rows=snapshot_rows)
    model.run_months(on_month=on_month)
    return collect_results(model, seed, time.perf_counter() - t0)
