"""Simulate strategy profiles on Dask, with common random numbers, into a resumable store.

Replicate r has the same seed in every profile, so profiles differ only by the
carriers' strategies (paired comparisons). The store is the sweep's (see
`sim.sweep.execution`): manifest, design, one part file per finished batch, and
`runs.parquet` once complete; `--resume` runs only what is missing. Every run is
fixed by (profile, seed), so results do not depend on the number of workers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim import __version__
from sim.game.profiles import SCENARIO_STRATEGY, Game, GameError, Profile, choose_profiles
from sim.outputs import write_json
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.schema import Scenario
from sim.sweep.design import replicate_seed
from sim.sweep.execution import (
    SweepPaths,
    check_scheduler,
    prepare_store,
    run_missing,
    utc_now,
    write_parquet,
)
from sim.sweep.study import fingerprint

#: Cumulative per-carrier figures kept from every run (real subscribers, yuan).
OUTCOMES = ("net_porting", "profit", "revenue", "cost")


@dataclass
class Played:
    """A finished (or partly finished) game: inputs and one row per run."""

    game: Game
    profiles: list[Profile]
    method: str
    replicates: int
    runs: pd.DataFrame        # run_id, profile_id, <carrier strategy>..., replicate, seed,
    # <carrier>_<outcome>..., status, error, wall_seconds
    scenario: Scenario
    wall_seconds: float = 0.0
    workers: int = 1


def strategy_actions(path: Path, game: Game, overrides: list[str]) -> tuple[Scenario, dict]:
    """The base scenario and each carrier's actions under each of its strategies."""
    base = load_scenario(path, overrides)
    actions: dict[str, dict[str, list]] = {c: {} for c in game.carriers}
    for carrier, names in game.strategies.items():
        for name in names:
            if name == SCENARIO_STRATEGY:
                actions[carrier][name] = base.actions_of(carrier)
                continue
            try:
                spec = load_scenario(path, overrides, strategies={carrier: name})
            except ScenarioError as exc:
                raise GameError(f"--strategies {carrier}={name}: {exc.render()}") from None
            actions[carrier][name] = spec.actions_of(carrier)
    return base, actions


def play_batch(base: Scenario, actions: dict, runs: list[dict]) -> pd.DataFrame:
    """Run a batch of planned profile runs (on a worker); a failed run is a row with its error."""
    from sim.runner import run

    rows = []
    for planned in runs:
        row = dict(planned)
        t0 = time.perf_counter()
        try:
            strategies = {c: actions[c][planned[c]] for c in base.carrier_keys}
            scenario = base.model_copy(update={"strategies": strategies})
            ts = run(scenario, seed=int(planned["seed"])).timeseries
            sums = ts.groupby("carrier")[list(OUTCOMES)].sum()
            row.update({f"{c}_{o}": float(sums.loc[c, o]) for c in base.carrier_keys
                        for o in OUTCOMES})
            row.update(status="ok", error="")
        except Exception as exc:  # recorded, not raised: one bad run must not stop a game
            row.update({f"{c}_{o}": float("nan") for c in base.carrier_keys for o in OUTCOMES})
            row.update(status="error", error=f"{type(exc).__name__}: {exc}"[:500])
        row["wall_seconds"] = time.perf_counter() - t0
        rows.append(row)
    return pd.DataFrame(rows)


def plan(game: Game, profiles: list[Profile], replicates: int, seed: int) -> pd.DataFrame:
    """One row per (profile, replicate); replicate r has the same seed in every profile."""
    rows = []
    for pid, profile in enumerate(profiles):
        names = game.names(profile)
        for r in range(replicates):
            rows.append({"run_id": len(rows), "profile_id": pid,
                         **dict(zip(game.carriers, names, strict=True)),
                         "replicate": r, "seed": replicate_seed(seed, r)})
    return pd.DataFrame(rows)


def play(path: str | Path, game: Game, replicates: int, out: str | Path,
         overrides: list[str] | None = None, seed: int | None = None, max_profiles: int = 64,
         workers: int = 2, scheduler: str | None = None, scheduler_file: str | None = None,
         resume: bool = False, force: bool = False,
         on_progress: Callable[[int, int, int], None] | None = None) -> Played:
    """Simulate the game's profiles (all, or a stated sample above max_profiles)."""
    t0 = time.perf_counter()
    path = Path(path)
    base, actions = strategy_actions(path, game, list(overrides or []))
    seed = base.seed if seed is None else seed
    profiles, method = choose_profiles(game, max_profiles, seed)
    design = plan(game, profiles, replicates, seed)
    paths = SweepPaths(Path(out))
    spec = {"scenario": base.model_dump(mode="json"), "strategies": game.strategies,
            "replicates": replicates, "seed": seed, "max_profiles": max_profiles}
    check_scheduler(scheduler, scheduler_file)
    prepare_store(paths, fingerprint(spec), fingerprint(spec["scenario"]), resume, force,
                  what="game")
    if not resume:
        write_parquet(design, paths.design)
        write_json(paths.manifest, {
            "game": str(path), "version": __version__, "study_hash": fingerprint(spec),
            "scenario_hash": fingerprint(spec["scenario"]), "strategies": game.strategies,
            "profiles": len(profiles), "sampling": method, "replicates": replicates,
            "runs": len(design), "seed": seed, "months": base.months,
            "seeds": "SeedSequence([seed, replicate]) per replicate, common to every profile",
            "started": utc_now(), "status": "running"})
    runs, stats, _ = run_missing(paths, design, play_batch, (base, actions), (), workers,
                                 scheduler, scheduler_file, None, on_progress)
    return Played(game, profiles, method, replicates, runs, base,
                  time.perf_counter() - t0, stats.workers)
