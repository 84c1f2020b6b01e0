"""The calibration loop: optuna proposes candidates, Dask simulates them, the loss decides.

Each round asks optuna (TPE sampler, SQLite storage) for a few candidates, runs every
candidate `replicates` times on the sweep's Dask executor, and tells optuna each
candidate's loss. Replicate r has the same seed for every candidate (common random
numbers), so two candidates differ by their parameters, not by luck.

Resumable twice over: optuna's `optuna.db` keeps every finished trial, and the runs
go to the sweep's part files (`OUT/parts/`). After a kill, `--resume` finds the
trials optuna still has as running, runs only their missing replicates, tells their
loss, and goes on asking until `trials` have finished.

The first trial is always the scenario as given, so the report can say how much the
fit improved on it.
"""

from __future__ import annotations

import copy
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import __version__
from sim.calibrate.loss import loss as weighted_loss
from sim.calibrate.parameters import FitParameter
from sim.calibrate.targets import Target, TargetSet, simulated
from sim.outputs import OutputError, write_json
from sim.sweep.design import replicate_seed
from sim.sweep.execution import (
    SweepPaths,
    check_scheduler,
    check_store_path,
    dask_executor,
    done_ids,
    execute_on,
    prepare_store,
    read_runs,
    remove_store,
    utc_now,
    write_parquet,
)
from sim.sweep.study import fingerprint

PROFILE_BASE = 1_000_000   # candidate ids of profile points: PROFILE_BASE + 1000 j + g
FINAL = 2_000_000          # the candidate id of the final, many-replicate evaluation
RUNS_PER_CANDIDATE = 1000  # run_id = candidate * RUNS_PER_CANDIDATE + replicate
SERIES = ("subscribers", "port_in", "port_out", "revenue")


@dataclass
class Settings:
    """How a calibration searches (recorded in the manifest; resumed runs must match)."""

    trials: int = 60
    replicates: int = 4
    seed: int = 2026
    until: str | None = None        # fit only targets dated on or before this day
    per_round: int | None = None    # candidates per round (default: 2 per worker)
    profile_points: int = 7         # points of each parameter's slice through the optimum
    final_replicates: int = 10      # replicates of the best candidate, for the bands

    def fingerprinted(self) -> dict:
        """What a resumed calibration must share with the one it finishes."""
        return {"replicates": self.replicates, "seed": self.seed, "until": self.until,
                "profile_points": self.profile_points}


@dataclass
class Problem:
    """Everything a candidate is evaluated against: base scenario, parameters, targets."""

    base: dict[str, Any]            # full scenario dump, months cut to the last target
    fits: list[FitParameter]
    targets: TargetSet
    fitted: np.ndarray              # bool per target: in the loss (dated <= until)

    @property
    def names(self) -> list[str]:
        """The fitted parameters' names, in order."""
        return [p.name for p in self.fits]


@dataclass
class Calibrated:
    """A finished calibration: every candidate's loss and the best one's runs."""

    problem: Problem
    settings: Settings
    candidates: pd.DataFrame        # candidate, kind, <param>..., loss, status
    best: dict[str, float]
    best_loss: float
    start_loss: float
    final_runs: pd.DataFrame        # run_id, replicate, sim_<i>... of the best candidate
    final_series: pd.DataFrame      # replicate, month, carrier, subscribers, port_in, ...
    wall_seconds: float = 0.0
    workers: int = 1
    trial_runs: int = 0
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- on a worker

def scenario_for(base: dict[str, Any], fits: list[FitParameter], x: list[float]):
    """The validated scenario of one candidate."""
    from sim.scenario.schema import Scenario
    data = copy.deepcopy(base)
    for p, value in zip(fits, x, strict=True):
        p.apply(data, float(value))
    return Scenario.model_validate(data)


def run_candidates(base: dict[str, Any], fits: list[FitParameter], targets: list[Target],
                   rows: list[dict], keep_series: bool = False) -> pd.DataFrame:
    """Run planned rows (candidate, replicate, seed, x_0..); a row of sim_<i> per run.

    keep_series: also return each run's monthly series (JSON) for the report's bands.
    """
    from sim.runner import run
    from sim.sweep.execution import _describe

    out = []
    for planned in rows:
        row = dict(planned)
        t0 = time.perf_counter()
        try:
            scenario = scenario_for(base, fits, [planned[f"x_{j}"] for j in range(len(fits))])
            ts = run(scenario, seed=int(planned["seed"])).timeseries
            row.update({f"sim_{i}": v for i, v in enumerate(simulated(ts, targets, scenario))})
            if keep_series:
                row["series"] = ts[["month", "carrier", *SERIES]].to_json(orient="split")
            row.update(status="ok", error="")
        except Exception as exc:  # a failed run is data: recorded, and its candidate fails
            row.update({f"sim_{i}": float("nan") for i in range(len(targets))})
            row.update(status="error", error=f"{type(exc).__name__}: {_describe(exc)}"[:500])
        row["wall_seconds"] = time.perf_counter() - t0
        out.append(row)
    return pd.DataFrame(out)


# ---------------------------------------------------------------- planning

def plan(candidates: list[tuple[int, str, list[float]]], replicates: int,
         seed: int) -> pd.DataFrame:
    """Planned runs: every candidate (id, kind, x) times every replicate, common seeds."""
    rows = []
    for cid, kind, x in candidates:
        for r in range(replicates):
            row = {"run_id": cid * RUNS_PER_CANDIDATE + r, "candidate": cid, "kind": kind,
                   "replicate": r, "seed": replicate_seed(seed, r)}
            row.update({f"x_{j}": float(v) for j, v in enumerate(x)})
            rows.append(row)
    return pd.DataFrame(rows)


def candidate_loss(runs: pd.DataFrame, problem: Problem) -> float:
    """The loss of one candidate's runs: mean simulated value per target, then the loss."""
    if runs.empty or (runs["status"] != "ok").any():
        return float("nan")
    sims = runs[[f"sim_{i}" for i in range(len(problem.targets.targets))]].to_numpy().mean(0)
    t = problem.targets
    return weighted_loss(sims[problem.fitted], t.values[problem.fitted],
                         t.weights[problem.fitted])


def losses(runs: pd.DataFrame, problem: Problem) -> pd.DataFrame:
    """One row per candidate: id, kind, parameter values, loss."""
    rows = []
    for cid, group in runs.groupby("candidate", sort=True):
        row = {"candidate": int(cid), "kind": group["kind"].iloc[0]}
        row.update({name: float(group[f"x_{j}"].iloc[0])
                    for j, name in enumerate(problem.names)})
        row["loss"] = candidate_loss(group, problem)
        row["replicates"] = len(group)
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the loop

def _study(path: Path, fits: list[FitParameter], settings: Settings, resume: bool):
    """Optuna's study in SQLite.

    A resumed study gets a sampler seeded from the seed and the number of trials already
    run, so it goes on drawing new candidates instead of repeating the first ones (a TPE
    sampler re-made from the seed alone restarts its random startup draws).
    """
    import optuna
    optuna.logging.set_verbosity(logging.WARNING)
    storage = f"sqlite:///{path}"
    done = 0
    if resume:
        done = len(optuna.load_study(study_name="calibration", storage=storage).trials)
    seed = settings.seed if not done else int(
        np.random.SeedSequence([settings.seed, done]).generate_state(1)[0])
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True,
                                         n_startup_trials=max(8, 2 * len(fits) + 2))
    study = optuna.create_study(study_name="calibration", storage=storage,
                                direction="minimize", sampler=sampler, load_if_exists=resume)
    if not resume:
        study.enqueue_trial({p.name: p.start for p in fits}, skip_if_exists=True)
    return study


def _distributions(fits: list[FitParameter]) -> dict:
    from optuna.distributions import FloatDistribution
    return {p.name: FloatDistribution(p.low, p.high, log=p.log) for p in fits}


def _key(problem: Problem, settings: Settings) -> str:
    """The fingerprint a resumed calibration must share with the one it finishes."""
    return fingerprint({"base": problem.base, "fits": [p.as_dict() for p in problem.fits],
                        "targets": [t.as_dict() for t in problem.targets.targets],
                        "fitted": problem.fitted.tolist(), **settings.fingerprinted()})


def _prepare(out: Path, key: str, manifest: dict[str, Any], settings: Settings,
             resume: bool, force: bool) -> SweepPaths:
    """The store in `out`: checked and continued (resume), or started afresh.

    --force removes only what a calibration writes (its store, optuna.db, final/'s store).
    """
    paths = SweepPaths(out)
    final = SweepPaths(out / "final")
    check_store_path(final)
    prepare_store(paths, key, key, resume, force, what="calibration")
    db = out / "optuna.db"
    if resume:
        if not db.is_file():
            raise OutputError(f"--resume: {out} has no optuna.db; run without --resume first")
        return paths
    db.unlink(missing_ok=True)
    (out / "final_runs.parquet").unlink(missing_ok=True)
    remove_store(final)
    write_json(paths.manifest, {**manifest, "study_hash": key, "scenario_hash": key,
                                "version": __version__, "settings": settings.__dict__,
                                "started": utc_now(), "status": "running"})
    return paths


class _Simulator:
    """Runs candidates on an open Dask executor into a store; returns their runs."""

    def __init__(self, executor, n_workers: int, problem: Problem, settings: Settings):
        self.executor, self.n_workers = executor, n_workers
        self.args = (problem.base, problem.fits, problem.targets.targets)
        self.seed = settings.seed

    def __call__(self, candidates: list[tuple[int, str, list[float]]], replicates: int,
                 store: SweepPaths, keep_series: bool = False) -> pd.DataFrame:
        design = plan(candidates, replicates, self.seed)
        todo = design[~design["run_id"].isin(done_ids(store))]
        execute_on(self.executor, self.n_workers, store, todo, run_candidates, self.args,
                   (keep_series,))
        runs = read_runs(store)
        return runs[runs["candidate"].isin([c[0] for c in candidates])]


def _search(study, problem: Problem, settings: Settings, simulate: _Simulator,
            paths: SweepPaths, per_round: int,
            on_progress: Callable[[str, int, int], None] | None) -> None:
    """Ask optuna for candidates round by round until `trials` have finished.

    A resumed search first finishes the trials optuna still has as running.
    """
    from optuna.trial import TrialState

    dists = _distributions(problem.fits)
    pending = study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))
    while True:
        finished = len(study.get_trials(deepcopy=False,
                                        states=(TrialState.COMPLETE, TrialState.FAIL)))
        wanted = max(0, settings.trials - finished - len(pending))
        trials = list(pending) + [study.ask(dists) for _ in range(min(per_round, wanted))]
        pending = []
        if not trials:
            return
        runs = simulate([(t.number, "trial", [t.params[n] for n in problem.names])
                         for t in trials], settings.replicates, paths)
        for t in trials:
            value = candidate_loss(runs[runs["candidate"] == t.number], problem)
            if np.isfinite(value):
                study.tell(t.number, value)
            else:
                study.tell(t.number, state=TrialState.FAIL)
        if on_progress:
            on_progress("search", min(finished + len(trials), settings.trials), settings.trials)


def _best(paths: SweepPaths, problem: Problem) -> tuple[pd.DataFrame, pd.Series]:
    """Every candidate's loss so far, and the best one's row."""
    table = losses(read_runs(paths), problem)
    scored = table[np.isfinite(table["loss"])]
    if scored.empty:
        raise OutputError("every candidate failed; see the errors in "
                          f"{paths.parts}/ (column 'error')")
    return table, scored.loc[scored["loss"].idxmin()]


def _profile(best: list[float], problem: Problem, settings: Settings, simulate: _Simulator,
             paths: SweepPaths, on_progress: Callable[[str, int, int], None] | None) -> None:
    """A slice through the optimum along each parameter (for the uncertainty).

    Points spread over half the search range, centred on the best value.
    """
    slices = []
    for j, p in enumerate(problem.fits):
        for g, value in enumerate(slice_points(p, best[j], settings.profile_points)):
            x = list(best)
            x[j] = float(value)
            slices.append((PROFILE_BASE + 1000 * j + g, "profile", x))
    if slices:
        simulate(slices, settings.replicates, paths)
        if on_progress:
            on_progress("profile", len(slices), len(slices))


def calibrate(problem: Problem, settings: Settings, out: Path, manifest: dict[str, Any],
              workers: int = 2, scheduler: str | None = None, resume: bool = False,
              force: bool = False,
              on_progress: Callable[[str, int, int], None] | None = None) -> Calibrated:
    """Search, profile and evaluate the best candidate; every run kept in `out`.

    on_progress(stage, done, total) is called as rounds finish.
    """
    t0 = time.perf_counter()
    out = Path(out)
    check_scheduler(scheduler)
    paths = _prepare(out, _key(problem, settings), manifest, settings, resume, force)
    study = _study(out / "optuna.db", problem.fits, settings, resume)
    with dask_executor(workers, scheduler) as (executor, n_workers):
        simulate = _Simulator(executor, n_workers, problem, settings)
        # 1. the search, 2. a slice through its optimum
        _search(study, problem, settings, simulate, paths, settings.per_round or 2 * n_workers,
                on_progress)
        _, best_row = _best(paths, problem)
        _profile([float(best_row[n]) for n in problem.names], problem, settings, simulate,
                 paths, on_progress)
        # 3. the best candidate of all (search and slices), with more replicates and its
        #    monthly series kept
        table, best_row = _best(paths, problem)
        best = [float(best_row[n]) for n in problem.names]
        final_store = SweepPaths(out / "final")
        final_store.out.mkdir(parents=True, exist_ok=True)
        final = simulate([(FINAL, "final", best)],
                         max(settings.final_replicates, settings.replicates), final_store,
                         keep_series=True)
        if on_progress:
            on_progress("final", 1, 1)
    write_parquet(final.drop(columns=["series"]), out / "final_runs.parquet")
    start_row = table[table["candidate"] == 0]
    series = pd.concat([pd.read_json(_text(s), orient="split", dtype=False)
                        .assign(replicate=int(r))
                        for s, r in zip(final["series"], final["replicate"], strict=True)],
                       ignore_index=True)
    result = Calibrated(problem, settings, table, dict(zip(problem.names, best, strict=True)),
                        float(best_row["loss"]),
                        float(start_row["loss"].iloc[0]) if len(start_row) else float("nan"),
                        final.drop(columns=["series"]).reset_index(drop=True), series,
                        time.perf_counter() - t0, n_workers,
                        int((table["kind"] == "trial").sum()) * settings.replicates)
    manifest_now = json.loads(paths.manifest.read_text())
    manifest_now.update(status="complete", finished=utc_now())
    write_json(paths.manifest, manifest_now)
    return result


def slice_points(p: FitParameter, best: float, points: int) -> np.ndarray:
    """`points` values around `best` spanning half the search range (log or linear).

    Moved inside the range where `best` is near an end.
    """
    if points <= 0:
        return np.array([])
    if p.log:
        lo, hi, b = np.log(p.low), np.log(p.high), np.log(best)
    else:
        lo, hi, b = p.low, p.high, best
    half = (hi - lo) / 4
    centre = min(max(b, lo + half), hi - half)
    grid = np.linspace(centre - half, centre + half, points)
    return np.exp(grid) if p.log else grid


def _text(value: str):
    from io import StringIO
    return StringIO(value)


__all__ = ["FINAL", "PROFILE_BASE", "Calibrated", "Problem", "Settings", "calibrate",
           "candidate_loss", "losses", "plan", "run_candidates", "scenario_for", "slice_points"]
