"""Joint calibration across markets: one behaviour for every market, only market facts apart.

A markets file (experiments/calibration/markets.yaml) declares, as data:

    markets:      each market's scenario and targets file, its weight in the loss, the
                  last date fitted (`until`; later figures are predicted out of sample)
    fit:          the behavioural parameters fitted in common (`--fit` specs): the same
                  value (or, with `*`, the same multiplier) in every market
    rows, trials, replicates, final_replicates, lomo_trials, seed

A candidate is run in every market (common random numbers: replicate r has the same
seed everywhere). Its loss is the markets' weighted mean of their own losses (each
the weighted mean squared log error of sim/calibrate/loss.py), so China's two dozen
figures do not drown Hong Kong's one.

Leave-one-market-out: for each market, the same search on all the *other* markets
(`lomo_trials` candidates, started from the joint optimum), then that market is
predicted from the result. A behaviour that transfers predicts the market it never
saw about as well as the joint fit does.

Everything goes to OUT: per fit a folder (joint/, lomo_<market>/) with optuna.db and
one run store per market (the sweep's part files), so a killed calibration resumes
with `--resume` without repeating a run; then joint_fit.csv (every figure, observed
and simulated, per market), lomo.csv, parameters.csv, report.md, fit.png and the
calibrated scenario of every market (calibrated/<market>.yaml).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, field_validator

from sim.calibrate.loss import log_errors
from sim.calibrate.parameters import FitParameter
from sim.calibrate.problem import build_problem
from sim.calibrate.search import (
    FINAL,
    Problem,
    Settings,
    _distributions,
    _Simulator,
    _study,
    candidate_loss,
)
from sim.outputs import OutputError, write_csv, write_json, write_text
from sim.params import Strict
from sim.scenario import ScenarioError
from sim.scenario.loading import apply_overrides, get_path, read_yaml, set_path
from sim.sweep.execution import SweepPaths, check_store_path, dask_executor, read_runs, utc_now

WITHIN = 0.30  # the in-sample tolerance: a fitted figure within +-30%


class MarketEntry(Strict):
    """One market of a joint calibration."""

    scenario: str = Field(description="Scenario YAML, relative to the markets file.")
    targets: str = Field(description="Targets CSV, relative to the markets file.")
    weight: float = Field(1.0, gt=0, description="The market's weight in the joint loss.")
    until: str | None = Field(None, description="Fit figures dated on or before YYYY-MM-DD; "
                                                "later ones are predicted out of sample.")
    only: list[str] | None = Field(None, description="Use only these quantities.")
    sets: list[str] = Field(default_factory=list,
                            description="--set overrides of this market's scenario.")

    @field_validator("until", mode="before")
    @classmethod
    def _day(cls, value: Any) -> Any:
        return None if value is None else str(value)  # YAML reads 2020-12-31 as a date


class MarketsFile(Strict):
    """A joint calibration, declared."""

    markets: dict[str, MarketEntry] = Field(min_length=1)
    fit: list[str] = Field(min_length=1, description="--fit specs shared by every market.")
    rows: int = Field(20_000, ge=500, le=10_000_000, description="Rows per run.")
    trials: int = Field(40, ge=1, description="Candidates of the joint search.")
    replicates: int = Field(3, ge=1, le=999, description="Runs per candidate and market.")
    final_replicates: int = Field(6, ge=2, le=999,
                                  description="Runs of the best candidate per market.")
    lomo_trials: int = Field(12, ge=0, description="Candidates per leave-one-market-out "
                                                   "fit (0: no leave-one-out check).")
    seed: int = Field(2026, ge=0)

    @field_validator("markets")
    @classmethod
    def _names(cls, value: dict[str, MarketEntry]) -> dict[str, MarketEntry]:
        for name in value:
            if not name.replace("_", "").isalnum():
                raise ValueError(f"market name {name!r}: use letters, digits and _")
        return value


@dataclass
class Market:
    """A market ready to run: its problem (scenario, fits, targets) and its weight."""

    name: str
    scenario_path: Path
    targets_path: Path
    weight: float
    problem: Problem
    sets: list[str] = dataclasses.field(default_factory=list)  # the entry's --set overrides


@dataclass
class JointProblem:
    """Every market, the shared parameters (named and ranged by the first market)."""

    markets: list[Market]
    spec: MarketsFile
    source: Path

    @property
    def fits(self) -> list[FitParameter]:
        """The shared parameters as the first market states them (names, ranges, start)."""
        return self.markets[0].problem.fits

    @property
    def names(self) -> list[str]:
        """The shared parameters' names."""
        return [p.name for p in self.fits]

    def without(self, name: str) -> JointProblem:
        """The same problem without market `name` (for leave-one-market-out)."""
        return JointProblem([m for m in self.markets if m.name != name], self.spec, self.source)


class MarketsError(ValueError):
    """A markets file that cannot be used; the message names the field and the fix."""


def load_markets(path: str | Path) -> JointProblem:
    """Read and check a markets file and every scenario and targets file it names.

    Raises MarketsError, ScenarioError, TargetsError or FitError (all with a message
    for the user) before anything runs.
    """
    path = Path(path)
    if not path.is_file():
        raise MarketsError(f"{path}: file not found; give the path of a markets file "
                           "(e.g. experiments/calibration/markets.yaml)")
    data, _ = _read(path)
    try:
        spec = MarketsFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(k) for k in first["loc"]) or "(top level)"
        raise MarketsError(f"{path}: {where}: {first['msg']}; see docs/calibration.md "
                           "(joint calibration)") from None
    markets = []
    for name, entry in spec.markets.items():
        scenario = (path.parent / entry.scenario).resolve()
        targets = (path.parent / entry.targets).resolve()
        for what, file in (("scenario", scenario), ("targets", targets)):
            if not file.is_file():
                raise MarketsError(f"{path}: markets.{name}.{what}: {file} is not a file; "
                                   "paths are relative to the markets file")
        sets = [*entry.sets, f"population.size={spec.rows}"]
        problem, _ = build_problem(scenario, targets, spec.fit, sets, entry.until, entry.only)
        markets.append(Market(name, scenario, targets, entry.weight, problem, entry.sets))
    first = markets[0].problem.fits
    for m in markets[1:]:  # one range per shared parameter: the first market's
        m.problem.fits = [dataclasses.replace(p, low=f.low, high=f.high)
                          for p, f in zip(m.problem.fits, first, strict=True)]
    return JointProblem(markets, spec, path)


def _read(path: Path) -> tuple[dict, Any]:
    try:
        data, lines = read_yaml(path)
    except ScenarioError as exc:  # unreadable, not YAML, a duplicate key: named with its line
        raise MarketsError(exc.render()) from None
    if not isinstance(data, dict):
        raise MarketsError(f"{path}: expected a mapping with markets: and fit:")
    return data, lines


# ---------------------------------------------------------------- one fit

@dataclass
class Fit:
    """One search over some markets: every candidate's loss, per market and joint."""

    label: str
    markets: list[str]
    table: pd.DataFrame        # candidate, <param>..., loss_<market>..., loss
    best: dict[str, float]
    best_loss: float


def _joint(per_market: dict[str, float], problem: JointProblem) -> float:
    weights = {m.name: m.weight for m in problem.markets}
    values = np.array([per_market[n] for n in weights])
    w = np.array(list(weights.values()))
    return float((w * values).sum() / w.sum()) if np.isfinite(values).all() else float("nan")


class _Runner:
    """Runs candidates in every market of a problem, each market in its own store."""

    def __init__(self, executor, n_workers: int, problem: JointProblem, settings: Settings,
                 folder: Path):
        self.problem, self.settings, self.folder = problem, settings, folder
        self.sims = {m.name: _Simulator(executor, n_workers, m.problem, settings)
                     for m in problem.markets}

    def store(self, market: str, final: bool = False) -> SweepPaths:
        """The run store of one market in this fit (final/: the best candidate's runs)."""
        out = self.folder / market / ("final" if final else "")
        out.mkdir(parents=True, exist_ok=True)
        return SweepPaths(out)

    def losses(self, candidates: list[tuple[int, str, list[float]]]) -> dict[int, dict]:
        """Per candidate id: each market's loss and the joint loss."""
        result: dict[int, dict] = {c[0]: {} for c in candidates}
        for m in self.problem.markets:
            runs = self.sims[m.name](candidates, self.settings.replicates, self.store(m.name))
            for cid in result:
                result[cid][m.name] = candidate_loss(runs[runs["candidate"] == cid], m.problem)
        for per in result.values():
            per["joint"] = _joint(per, self.problem)
        return result


def run_fit(problem: JointProblem, settings: Settings, folder: Path, executor, n_workers: int,
            trials: int, resume: bool, start: dict[str, float] | None = None,
            on_progress: Callable[[str, int, int], None] | None = None) -> Fit:
    """Search `trials` candidates on `problem`'s markets; resumable from `folder`."""
    from optuna.trial import TrialState

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "optuna.db"
    again = resume and db.is_file()
    study = _study(db, problem.fits, settings, again)
    if start is not None and not again:
        study.enqueue_trial(start, skip_if_exists=True)
    runner = _Runner(executor, n_workers, problem, settings, folder)
    dists = _distributions(problem.fits)
    per_round = settings.per_round or 2 * n_workers
    pending = study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))
    rows: dict[int, dict] = {}
    while True:
        finished = len(study.get_trials(deepcopy=False,
                                        states=(TrialState.COMPLETE, TrialState.FAIL)))
        wanted = max(0, trials - finished - len(pending))
        asked = list(pending) + [study.ask(dists) for _ in range(min(per_round, wanted))]
        pending = []
        if not asked:
            break
        scored = runner.losses([(t.number, "trial", [t.params[n] for n in problem.names])
                                for t in asked])
        for t in asked:
            value = scored[t.number]["joint"]
            if np.isfinite(value):
                study.tell(t.number, value)
            else:
                study.tell(t.number, state=TrialState.FAIL)
        if on_progress:
            on_progress(folder.name, min(finished + len(asked), trials), trials)
    for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE, TrialState.FAIL)):
        rows[t.number] = {"candidate": t.number, **t.params}
    # every market's loss of every candidate, from the stores (no run repeated)
    scored = runner.losses([(c, "trial", [row[n] for n in problem.names])
                            for c, row in sorted(rows.items())])
    table = pd.DataFrame([{**rows[c], **{f"loss_{k}": v for k, v in scored[c].items()
                                         if k != "joint"}, "loss": scored[c]["joint"]}
                          for c in sorted(rows)])
    write_csv(folder / "candidates.csv", table)
    ok = table[np.isfinite(table["loss"])]
    if ok.empty:
        raise OutputError(f"every candidate failed in {folder}; see the errors in its "
                          "parts/ (column 'error')")
    best = ok.loc[ok["loss"].idxmin()]
    return Fit(folder.name, [m.name for m in problem.markets], table,
               {n: float(best[n]) for n in problem.names}, float(best["loss"]))


def evaluate(problem: JointProblem, x: dict[str, float], settings: Settings, folder: Path,
             executor, n_workers: int, replicates: int) -> pd.DataFrame:
    """Every figure of every market at `x`: observed, simulated mean and 5-95% band."""
    runner = _Runner(executor, n_workers, problem, settings, folder)
    rows = []
    for m in problem.markets:
        runs = runner.sims[m.name]([(FINAL, "final", [x[n] for n in problem.names])],
                                   replicates, runner.store(m.name, final=True))
        targets = m.problem.targets.targets
        sims = runs[[f"sim_{i}" for i in range(len(targets))]].to_numpy()
        mean = sims.mean(0)
        for i, t in enumerate(targets):
            error = float(log_errors(mean[i:i + 1], [t.value])[0])
            rows.append({"market": m.name, "date": t.date, "quantity": t.quantity,
                         "carrier": t.carrier, "observed": t.value, "simulated": mean[i],
                         "simulated_p05": float(np.quantile(sims[:, i], 0.05)),
                         "simulated_p95": float(np.quantile(sims[:, i], 0.95)),
                         "relative_error": mean[i] / t.value - 1.0, "log_error": error,
                         "weight": t.weight,
                         "role": "fitted" if m.problem.fitted[i] else "held out",
                         "within_30pct": bool(abs(mean[i] / t.value - 1.0) <= WITHIN),
                         "unit": t.unit, "source": t.source})
    return pd.DataFrame(rows)


def market_losses(table: pd.DataFrame, problem: JointProblem) -> dict[str, float]:
    """Each market's loss on its fitted figures, from an evaluation table."""
    out = {}
    for m in problem.markets:
        part = table[(table["market"] == m.name) & (table["role"] == "fitted")]
        w = part["weight"].to_numpy()
        out[m.name] = (float((w * part["log_error"] ** 2).sum() / w.sum())
                       if w.sum() > 0 else float("nan"))
    return out


# ---------------------------------------------------------------- the whole calibration

@dataclass
class JointResult:
    """A finished joint calibration and its leave-one-market-out check."""

    problem: JointProblem
    fit: Fit
    start_loss: float
    table: pd.DataFrame        # joint_fit.csv
    lomo: pd.DataFrame         # lomo.csv
    wall_seconds: float
    runs: int


def _check_out(out: Path, resume: bool, force: bool) -> None:
    manifest = out / "manifest.json"
    if resume:
        if not manifest.is_file():
            raise OutputError(f"--resume: {out} holds no joint calibration (no manifest.json); "
                              "run without --resume first")
        return
    if out.exists() and any(out.iterdir()):
        if not force:
            raise OutputError(f"--out {out} already holds files; add --resume to finish that "
                              "calibration, --force to start over, or choose another folder")
        _remove_own(out)
    out.mkdir(parents=True, exist_ok=True)


def _remove_own(out: Path) -> None:
    """--force: remove what a joint calibration writes, never anything else."""
    from sim.sweep.execution import remove_store
    for fit in [p for p in out.iterdir() if p.is_dir() and (p / "optuna.db").is_file()]:
        (fit / "optuna.db").unlink()
        (fit / "candidates.csv").unlink(missing_ok=True)
        for store in [p for p in fit.iterdir() if p.is_dir()]:
            for sub in (store / "final", store):
                if sub.is_dir():
                    check_store_path(SweepPaths(sub))
                    remove_store(SweepPaths(sub))
                    if not any(sub.iterdir()):
                        sub.rmdir()
        if not any(fit.iterdir()):
            fit.rmdir()
    for name in ("manifest.json", "joint_fit.csv", "lomo.csv", "parameters.csv",
                 "report.md", "fit.png"):
        (out / name).unlink(missing_ok=True)


def calibrate_markets(problem: JointProblem, out: Path, workers: int = 2,
                      scheduler: str | None = None, resume: bool = False, force: bool = False,
                      on_progress: Callable[[str, int, int], None] | None = None
                      ) -> JointResult:
    """The joint fit, its evaluation, and the leave-one-market-out fits."""
    t0 = time.perf_counter()
    out = Path(out)
    spec = problem.spec
    _check_out(out, resume, force)
    settings = Settings(trials=spec.trials, replicates=spec.replicates, seed=spec.seed)
    write_json(out / "manifest.json", {"markets_file": str(problem.source),
                                       "spec": spec.model_dump(mode="json"),
                                       "started": utc_now(), "status": "running"})
    with dask_executor(workers, scheduler) as (executor, n_workers):
        joint = run_fit(problem, settings, out / "joint", executor, n_workers, spec.trials,
                        resume, on_progress=on_progress)
        table = evaluate(problem, joint.best, settings, out / "joint", executor, n_workers,
                         spec.final_replicates)
        start = joint.table[joint.table["candidate"] == 0]
        lomo_rows = []
        if spec.lomo_trials and len(problem.markets) > 1:
            for m in problem.markets:
                rest = problem.without(m.name)
                fit = run_fit(rest, settings, out / f"lomo_{m.name}", executor, n_workers,
                              spec.lomo_trials, resume, start=joint.best,
                              on_progress=on_progress)
                predicted = evaluate(problem, fit.best, settings, out / f"lomo_{m.name}",
                                     executor, n_workers, spec.replicates)
                mine = predicted[predicted["market"] == m.name]
                for _, row in mine.iterrows():
                    joint_row = table[(table["market"] == m.name) & (table["date"] == row["date"])
                                      & (table["quantity"] == row["quantity"])
                                      & (table["carrier"] == row["carrier"])].iloc[0]
                    lomo_rows.append({"held_out_market": m.name, "date": row["date"],
                                      "quantity": row["quantity"], "carrier": row["carrier"],
                                      "observed": row["observed"],
                                      "predicted_without_it": row["simulated"],
                                      "relative_error_without_it": row["relative_error"],
                                      "fitted_jointly": joint_row["simulated"],
                                      "relative_error_joint": joint_row["relative_error"],
                                      **{f"fit_{k}": v for k, v in fit.best.items()}})
    runs = sum(len(read_runs(SweepPaths(p))) for p in out.glob("*/*") if
               (p / "parts").is_dir())
    result = JointResult(problem, joint, float(start["loss"].iloc[0]) if len(start) else
                         float("nan"), table, pd.DataFrame(lomo_rows),
                         time.perf_counter() - t0, runs)
    return result


# ---------------------------------------------------------------- what it writes

def calibrated_market_yaml(market: Market, best: dict[str, float], header: list[str]) -> str:
    """A market's scenario file with the shared fitted values set, and a header."""
    import yaml
    data, _ = read_yaml(market.scenario_path)
    apply_overrides(data, market.sets)  # the entry's own settings (not the fit's row count)
    dump = market.problem.base
    for p in market.problem.fits:
        for path, value in p.values(best[p.name]).items():
            like = get_path(dump, path)
            if isinstance(like, int) and not isinstance(like, bool):
                value = int(round(value))
            else:
                value = float(f"{value:.4g}")
            set_path(data, path.split("."), value)
    source = []
    for line in market.scenario_path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if "mnp calibrate" not in line and not line.startswith("# Joint fit"):
            source.append(line)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join([*header, "#", f"# From {market.scenario_path.name}:", *source]) + "\n" + body


def save_joint(result: JointResult, out: Path, command: str) -> list[str]:
    """Write the tables, plot, report and calibrated scenarios; the report's key lines."""
    from sim.calibrate.markets_report import plot_joint, report_markdown
    problem = result.problem
    write_csv(out / "joint_fit.csv", result.table)
    write_csv(out / "lomo.csv", result.lomo)
    losses = market_losses(result.table, problem)
    params = pd.DataFrame([{"parameter": p.name, "best": result.fit.best[p.name],
                            "low": p.low, "high": p.high, "start": p.start}
                           for p in problem.fits])
    write_csv(out / "parameters.csv", params)
    plot_joint(result, out / "fit.png")
    lines, text = report_markdown(result, losses, command)
    write_text(out / "report.md", text)
    header = [f"# Joint fit (mnp calibrate-markets) of one behaviour to {len(problem.markets)} "
              f"markets ({', '.join(m.name for m in problem.markets)}):",
              f"#   {command}",
              f"# Joint loss {result.start_loss:.4f} as given, {result.fit.best_loss:.4f} fitted."
              " Shared values:",
              *[f"#   {n} = {v:.4g}" for n, v in result.fit.best.items()],
              f"# Every figure, observed and simulated: {out}/joint_fit.csv and report.md."]
    (out / "calibrated").mkdir(exist_ok=True)
    for m in problem.markets:
        write_text(out / "calibrated" / f"{m.name}.yaml",
                   calibrated_market_yaml(m, result.fit.best, header))
    manifest = out / "manifest.json"
    import json
    data = json.loads(manifest.read_text())
    data.update(status="complete", finished=utc_now(), wall_seconds=result.wall_seconds)
    write_json(manifest, data)
    return lines


__all__ = ["JointProblem", "JointResult", "Market", "MarketsError", "MarketsFile",
           "calibrate_markets", "calibrated_market_yaml", "evaluate", "load_markets",
           "market_losses", "run_fit", "save_joint"]
