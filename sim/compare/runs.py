"""Run every strategy for one carrier over many replicates, with common random numbers.

Replicate r gets the same seed under every strategy, so the population, the social
graph and every month's random streams are shared: differences between strategies
are paired, and their confidence intervals narrow (Law & Kelton's common random
numbers). Runs go to worker processes; each run is fully determined by its
(strategy, seed), so results do not depend on the number of processes.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.scenario.schema import Scenario

#: Per-carrier monthly figures kept from each run (real subscribers, yuan).
SERIES_FIELDS = ("subscribers", "port_in", "port_out", "net_porting", "revenue", "cost",
                 "profit")


@dataclass
class Comparison:
    """All runs of a comparison: inputs, per-run monthly series, timing."""

    scenarios: dict[str, Scenario]    # strategy name -> scenario with that strategy
    carrier: str
    strategies: list[str]             # the first is the baseline
    seeds: dict[str, list[int]]       # strategy -> seed of each replicate
    common_random_numbers: bool
    series: pd.DataFrame              # strategy, replicate, month, carrier, SERIES_FIELDS
    wall_seconds: float = 0.0
    jobs: int = 1
    meta: dict = field(default_factory=dict)

    @property
    def baseline(self) -> str:
        """The baseline strategy's name (the first one)."""
        return self.strategies[0]

    @property
    def replicates(self) -> int:
        """Replicates per strategy (seeds run for each)."""
        return len(next(iter(self.seeds.values())))

    @property
    def months(self) -> list[str]:
        """Every month in the series (YYYY-MM), in order."""
        return sorted(self.series["month"].unique())


def replicate_seeds(base_seed: int, replicates: int, strategies: list[str],
                    common: bool = True) -> dict[str, list[int]]:
    """Seeds per strategy: identical lists under CRN, disjoint ones otherwise."""
    streams = np.random.SeedSequence(base_seed).spawn(
        replicates * (1 if common else len(strategies)))
    seeds = [int(s.generate_state(1, np.uint64)[0] >> np.uint64(1)) for s in streams]
    if common:
        return {name: seeds for name in strategies}
    return {name: seeds[i * replicates:(i + 1) * replicates] for i, name in enumerate(strategies)}


def simulate(scenario: Scenario, seed: int) -> pd.DataFrame:
    """One run, reduced to the per-carrier monthly series a comparison needs."""
    from sim.runner import run
    ts = run(scenario, seed=seed).timeseries
    return ts[["month", "carrier", *SERIES_FIELDS]].copy()


def _task(args: tuple[str, int, Scenario, int]) -> tuple[str, int, pd.DataFrame]:
    name, replicate, scenario, seed = args
    return name, replicate, simulate(scenario, seed)


def compare(scenarios: dict[str, Scenario], carrier: str, replicates: int, base_seed: int,
            jobs: int = 1, common_random_numbers: bool = True,
            on_run: Callable[[int, int], None] | None = None) -> Comparison:
    """Simulate each strategy's scenario `replicates` times; `scenarios` is ordered, baseline first.

    on_run(done, total) is called after each run (for a progress bar).
    """
    keys = next(iter(scenarios.values())).carrier_keys
    if carrier not in keys:
        raise ValueError(f"unknown carrier {carrier!r}; carriers are {', '.join(keys)}")
    names = list(scenarios)
    seeds = replicate_seeds(base_seed, replicates, names, common_random_numbers)
    tasks = [(name, r, scenarios[name], seeds[name][r]) for name in names
             for r in range(replicates)]
    t0 = time.perf_counter()
    results: dict[tuple[str, int], pd.DataFrame] = {}
    if jobs <= 1:
        for i, task in enumerate(tasks):
            name, r, frame = _task(task)
            results[name, r] = frame
            if on_run:
                on_run(i + 1, len(tasks))
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(_task, task) for task in tasks]
            for i, future in enumerate(as_completed(futures)):
                name, r, frame = future.result()
                results[name, r] = frame
                if on_run:
                    on_run(i + 1, len(tasks))
    frames = []
    for name in names:  # fixed order, whatever order the workers finished in
        for r in range(replicates):
            frame = results[name, r]
            frame.insert(0, "replicate", r)
            frame.insert(0, "strategy", name)
            frames.append(frame)
    series = pd.concat(frames, ignore_index=True)
    return Comparison(scenarios, carrier, names, seeds, common_random_numbers, series,
                      time.perf_counter() - t0, jobs)
