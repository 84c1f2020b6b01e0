"""Run a study on Dask: a local cluster by default, an existing cluster when given.

Work goes through the standard `concurrent.futures.Executor` interface that a Dask
`Client` offers (`client.get_executor()`), so the same code serves a laptop's
`LocalCluster` of processes and a cluster reached by address or scheduler file.

Resumable by construction:
  OUT/manifest.json        study and scenario fingerprints, sampler, seeds, times
  OUT/design.parquet       every planned run (id, point, replicate, seed, values),
                           written before any run starts
  OUT/parts/part-N.parquet the finished runs of one task, each written to a
                           dot-prefixed temporary file and renamed into place
  OUT/parts/series-N.parquet the monthly series of the same task's runs (when a metric
                           asks for `series`), written the same way just before part-N,
                           so a part file is the mark that its runs are done
  OUT/series.parquet       all series, tidy (run_id, month, metric, value), merged
                           just before runs.parquet
  OUT/runs.parquet         all runs, merged when every run is done
  OUT/runs.csv, series.csv the same tables as CSV, when the study says `export: [csv]`
Killing a sweep loses at most the tasks in flight; `resume` reads the ids already
in the parts and runs only the rest (a series part whose run part was never
written is discarded). A worker that dies costs no result: Dask reschedules its
task. A run that raises is recorded with its error.
"""

from __future__ import annotations

import concurrent.futures as cf
import copy
import json
import logging
import math
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim import __version__
from sim.outputs import OutputError, check_out_path, make_out_dir, write_csv, write_json
from sim.scenario.loading import ScenarioError, get_path, set_path
from sim.sweep.design import plan_runs
from sim.sweep.metrics import SERIES_COLUMNS, empty_series, metric_series, metric_value
from sim.sweep.study import Metric, expected_points, fingerprint, load_study, study_fingerprint

TASK_TARGET = 4  # aim for this many tasks per worker: progress and balance vs overhead


@dataclass
class SweepPaths:
    """Where a sweep keeps its files."""

    out: Path

    @property
    def manifest(self) -> Path:
        """OUT/manifest.json."""
        return self.out / "manifest.json"

    @property
    def design(self) -> Path:
        """OUT/design.parquet."""
        return self.out / "design.parquet"

    @property
    def parts(self) -> Path:
        """OUT/parts, the folder of part files."""
        return self.out / "parts"

    @property
    def runs(self) -> Path:
        """OUT/runs.parquet."""
        return self.out / "runs.parquet"

    @property
    def series(self) -> Path:
        """OUT/series.parquet."""
        return self.out / "series.parquet"

    def csv(self, table: str) -> Path:
        """runs.csv or series.csv, the CSV export of a table."""
        return self.out / f"{table}.csv"

    def part_files(self) -> list[Path]:
        """The part files written so far, sorted."""
        return sorted(self.parts.glob("part-*.parquet")) if self.parts.is_dir() else []

    def series_part(self, part: Path) -> Path:
        """The series file written with a part file (part-00003 -> series-00003)."""
        return part.with_name(part.name.replace("part-", "series-", 1))

    def stray_series_parts(self) -> list[Path]:
        """Series parts whose run part was never written (killed between the two)."""
        if not self.parts.is_dir():
            return []
        done = {self.series_part(p).name for p in self.part_files()}
        return [p for p in sorted(self.parts.glob("series-*.parquet")) if p.name not in done]


# ---------------------------------------------------------------- one batch (on a worker)

def run_batch(base: dict[str, Any], metrics: list[dict], runs: list[dict],
              paths: list[str]) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Run a batch of planned runs; every run gives a row, failed ones with their error.

    When a metric asks for a series, returns (runs, tidy series of the successful runs).
    """
    from sim.runner import run
    from sim.scenario.schema import Scenario

    specs = [Metric.model_validate(m) for m in metrics]
    with_series = [m for m in specs if m.series is not False]
    series: list[tuple[int, str, str, float]] = []
    rows = []
    for planned in runs:
        row = dict(planned)
        t0 = time.perf_counter()
        try:
            data = copy.deepcopy(base)
            for path in paths:
                set_path(data, path.split("."), planned[path])
            scenario = Scenario.model_validate(data)
            ts = run(scenario, seed=int(planned["seed"])).timeseries
            row.update({m.name: metric_value(ts, m) for m in specs})
            found = [(int(planned["run_id"]), month, m.name, value)
                     for m in with_series for month, value in metric_series(ts, m)]
            row.update(status="ok", error="")
            series.extend(found)
        except Exception as exc:  # a failed run is data, not a crash: record and go on
            message = _describe(exc)
            row.update({m.name: float("nan") for m in specs})
            row.update(status="error", error=f"{type(exc).__name__}: {message}"[:500])
        row["wall_seconds"] = time.perf_counter() - t0
        rows.append(row)
    if not with_series:
        return pd.DataFrame(rows)
    tidy = pd.DataFrame(series, columns=SERIES_COLUMNS) if series else empty_series()
    return pd.DataFrame(rows), tidy.astype({"run_id": "int64", "value": "float64"})


def _describe(exc: Exception) -> str:
    """One line saying what went wrong, with the scenario path for validation errors."""
    from pydantic import ValidationError
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                         for e in exc.errors())
    return str(exc).splitlines()[0] if str(exc) else ""


# ---------------------------------------------------------------- files

def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write to a dot-prefixed temporary file beside `path`, then rename into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def done_ids(paths: SweepPaths) -> set[int]:
    """Run ids already in finished part files (temporary files are ignored)."""
    ids: set[int] = set()
    for part in paths.part_files():
        ids.update(pd.read_parquet(part, columns=["run_id"])["run_id"].tolist())
    return ids


def read_series(paths: SweepPaths) -> pd.DataFrame | None:
    """All finished runs' series, tidy and in run-id order.

    Each run's rows are in metric, then month order; None when the store holds no series.
    """
    parts = [paths.series_part(p) for p in paths.part_files()]
    frames = [pd.read_parquet(p) for p in parts if p.is_file()]
    if not frames:
        return None
    series = pd.concat(frames, ignore_index=True)
    # a run found in two parts (re-run after a kill) has identical rows: keep one copy
    series = series.drop_duplicates(["run_id", "metric", "month"], keep="first")
    return series.sort_values("run_id", kind="stable").reset_index(drop=True)


def read_runs(paths: SweepPaths) -> pd.DataFrame:
    """All finished runs, one row each, in run-id order."""
    parts = [pd.read_parquet(p) for p in paths.part_files()]
    if not parts:
        return pd.DataFrame()
    runs = pd.concat(parts, ignore_index=True).drop_duplicates("run_id", keep="first")
    return runs.sort_values("run_id").reset_index(drop=True)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- the executor

class ClusterError(OutputError):
    """A Dask scheduler that cannot be used (reported like an unusable --out)."""


CONNECT_TIMEOUT = 10  # seconds to reach a scheduler given by address or file


def _scheduler_address(scheduler: str | None, scheduler_file: str | None) -> str | None:
    """The address to reach, read from the scheduler file when one is given."""
    if scheduler_file is None:
        return scheduler
    where = f"--scheduler-file {scheduler_file}"
    try:
        text = Path(scheduler_file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ClusterError(f"{where}: no such file; start the scheduler with `dask scheduler "
                           f"--scheduler-file {scheduler_file}` first") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ClusterError(f"{where}: cannot be read ({exc}); give the file "
                           "`dask scheduler --scheduler-file` wrote") from None
    try:
        address = json.loads(text).get("address")
    except (ValueError, AttributeError):
        address = None
    if not isinstance(address, str) or not address:
        raise ClusterError(f"{where}: holds no scheduler address (JSON with an \"address\"); "
                           "give the file `dask scheduler --scheduler-file` wrote")
    return address


def check_scheduler(scheduler: str | None = None, scheduler_file: str | None = None) -> None:
    """Refuse a scheduler that cannot be reached, quickly and before anything is written.

    A tcp:// address gets one TCP connection within CONNECT_TIMEOUT seconds; other
    protocols are left to Dask.
    """
    import socket

    address = _scheduler_address(scheduler, scheduler_file)
    if address is None:
        return
    flag = "--scheduler-file" if scheduler_file else "--scheduler"
    m = re.match(r"^(?:tcp://)?\[?([^\]]*?)\]?:(\d+)$", address.strip())
    if not m:
        if "://" in address and not address.startswith("tcp://"):
            return
        raise ClusterError(f"{flag}: {address!r} is not a scheduler address; write "
                           "tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786")
    host, port = m.group(1), int(m.group(2))
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            pass
    except OSError as exc:
        reason = "no answer" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise ClusterError(f"{flag}: cannot reach the scheduler at {address} ({reason} within "
                           f"{CONNECT_TIMEOUT} s); check that it runs and the address, or "
                           "leave the option out to use local workers") from None


@contextmanager
def dask_executor(workers: int, scheduler: str | None = None,
                  scheduler_file: str | None = None) -> Iterator[tuple[cf.Executor, int]]:
    """A Dask-backed concurrent.futures executor and the number of workers behind it."""
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler or scheduler_file:
        address = _scheduler_address(scheduler, scheduler_file)
        try:
            client = Client(address, timeout=f"{CONNECT_TIMEOUT}s")
        except (OSError, TimeoutError, ValueError) as exc:
            flag = "--scheduler-file" if scheduler_file else "--scheduler"
            raise ClusterError(f"{flag}: cannot connect to the scheduler at {address} "
                               f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                               "); check that it runs, or leave the option out") from None
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, scheduler_kwargs={"dashboard": False},
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        n = len(client.scheduler_info().get("workers", {})) or workers
        yield client.get_executor(pure=False), n
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------- planned runs on Dask

@dataclass
class Execution:
    """What one pass over planned runs did."""

    ran: int = 0
    failed: int = 0
    tasks: int = 0
    run_seconds: float = 0.0
    workers: int = 1


def execute_planned(paths: SweepPaths, todo: pd.DataFrame, batch: Callable[..., pd.DataFrame],
                    before: tuple, after: tuple, workers: int, scheduler: str | None = None,
                    scheduler_file: str | None = None, batch_size: int | None = None,
                    on_progress: Callable[[int, int], None] | None = None) -> Execution:
    """Run the planned rows of `todo` on Dask, in batches of `batch(*before, rows, *after)`.

    Each finished batch is written to its own part file as it arrives (so a kill loses at
    most the batches in flight). Each returned frame needs `status` and `wall_seconds`.
    on_progress(ran, failed) is called as batches finish.
    """
    if not len(todo):
        return Execution(workers=workers)
    with dask_executor(workers, scheduler, scheduler_file) as (executor, n_workers):
        return execute_on(executor, n_workers, paths, todo, batch, before, after, batch_size,
                          on_progress)


def execute_on(executor: cf.Executor, n_workers: int, paths: SweepPaths, todo: pd.DataFrame,
               batch: Callable[..., pd.DataFrame], before: tuple, after: tuple,
               batch_size: int | None = None,
               on_progress: Callable[[int, int], None] | None = None) -> Execution:
    """`execute_planned` on an executor already open.

    For callers that submit many rounds (a calibration asks for new candidates after each
    round) and keep one cluster.
    """
    stats = Execution(workers=n_workers)
    if not len(todo):
        return stats
    paths.parts.mkdir(parents=True, exist_ok=True)
    size = batch_size or max(1, min(50, math.ceil(len(todo) / (n_workers * TASK_TARGET))))
    batches = [todo.iloc[i:i + size] for i in range(0, len(todo), size)]
    next_part = 1 + max([int(p.stem.split("-")[1]) for p in paths.part_files()] or [0])
    futures = [executor.submit(batch, *before, b.to_dict("records"), *after) for b in batches]
    stats.tasks = len(futures)
    for future in cf.as_completed(futures):
        frame = future.result()
        if isinstance(frame, tuple):  # (runs, series): the series first, the part marks done
            frame, series = frame
            write_parquet(series, paths.parts / f"series-{next_part:05d}.parquet")
        write_parquet(frame, paths.parts / f"part-{next_part:05d}.parquet")
        next_part += 1
        stats.ran += len(frame)
        stats.failed += int((frame["status"] != "ok").sum())
        stats.run_seconds += float(frame["wall_seconds"].sum())
        if on_progress:
            on_progress(stats.ran, stats.failed)
    return stats


def run_missing(paths: SweepPaths, design: pd.DataFrame, batch: Callable[..., pd.DataFrame],
                before: tuple, after: tuple, workers: int, scheduler: str | None = None,
                scheduler_file: str | None = None, batch_size: int | None = None,
                on_progress: Callable[[int, int, int], None] | None = None,
                ) -> tuple[pd.DataFrame, Execution, int]:
    """Run the design's rows not yet in the store, merge every finished run, mark the manifest.

    The manifest is marked complete or incomplete. Returns (runs, what ran, runs found
    done). on_progress(done, total, failed) counts the runs found done too.
    """
    already = done_ids(paths)
    todo = design[~design["run_id"].isin(already)]
    stats = execute_planned(paths, todo, batch, before, after, workers, scheduler,
                            scheduler_file, batch_size,
                            None if on_progress is None else
                            lambda ran, failed: on_progress(len(already) + ran, len(design),
                                                            failed))
    runs = read_runs(paths)
    complete = len(runs) == len(design)
    if complete:
        series = read_series(paths)
        if series is not None:
            write_parquet(series, paths.series)
        write_parquet(runs, paths.runs)
    manifest = json.loads(paths.manifest.read_text())
    manifest.update(status="complete" if complete else "incomplete", finished=utc_now(),
                    failed_runs=int((runs.get("status", pd.Series(dtype=str)) != "ok").sum()))
    write_json(paths.manifest, manifest)
    return runs, stats, len(already)


# ---------------------------------------------------------------- CSV export

def export_csv(out: str | Path) -> list[Path]:
    """Write runs.csv (and series.csv, if the sweep has series) beside a finished sweep's Parquet.

    Returns the files written.
    """
    paths = SweepPaths(Path(out))
    if not paths.runs.is_file():
        raise OutputError(f"{out} holds no finished sweep (no runs.parquet); finish it first")
    written = []
    for table, source in (("runs", paths.runs), ("series", paths.series)):
        if source.is_file():
            write_csv(paths.csv(table), pd.read_parquet(source))
            written.append(paths.csv(table))
    return written


# ---------------------------------------------------------------- the sweep

@dataclass
class SweepReport:
    """What a sweep did: counts, times, and the failed runs."""

    total: int
    ran: int
    skipped: int
    failed: pd.DataFrame
    wall_seconds: float
    workers: int
    tasks: int
    overhead_per_task: float


STORE_FILES = ("manifest.json", "design.parquet", "runs.parquet", "series.parquet", "runs.csv",
               "series.csv")
_OWN_PART = re.compile(r"^((part|series)-\d+\.parquet|\.(part|series)-\d+\.parquet\.tmp)$")


def own_parts(paths: SweepPaths) -> tuple[list[Path], list[Path]]:
    """(files in parts/ this package wrote, other things in parts/)."""
    if not paths.parts.is_dir():
        return [], []
    mine, other = [], []
    for item in sorted(paths.parts.iterdir()):
        (mine if item.is_file() and _OWN_PART.match(item.name) else other).append(item)
    return mine, other


def remove_store(paths: SweepPaths) -> None:
    """Remove what a store holds that this package wrote, never anything else.

    What it wrote is listed in STORE_FILES and parts/part-N.parquet; parts/ goes only
    when left empty.
    """
    for name in STORE_FILES:
        (paths.out / name).unlink(missing_ok=True)
    mine, other = own_parts(paths)
    for item in mine:
        item.unlink(missing_ok=True)
    if paths.parts.is_dir() and not other:
        paths.parts.rmdir()


def check_store_path(paths: SweepPaths) -> None:
    """Refuse an --out that cannot hold a store, before anything is written or removed."""
    check_out_path(paths.out, STORE_FILES)
    if paths.parts.exists() and not paths.parts.is_dir():
        raise OutputError(f"--out {paths.out} holds a file named parts, where the run parts "
                          "go; move it or choose another folder")
    _, other = own_parts(paths)
    if other:
        raise OutputError(f"--out {paths.out}: parts/ holds {other[0].name}, which mnp did not "
                          "write; move it or choose another folder")


def prepare_store(paths: SweepPaths, study_hash: str, base_hash: str, resume: bool,
                  force: bool, what: str = "sweep") -> None:
    """Make `paths.out` ready: check a resumed store's fingerprints, or start a new one.

    --force removes only the store's own files (never a user's), and a folder that
    cannot hold the store is refused before anything is written.
    """
    out = paths.out
    check_store_path(paths)
    if resume:
        if not paths.manifest.is_file():
            raise OutputError(f"--resume: {out} holds no {what} (no manifest.json); "
                              "run without --resume first")
        try:
            manifest = json.loads(paths.manifest.read_text())
        except (OSError, ValueError):
            raise OutputError(f"--resume: {paths.manifest} cannot be read; use --force to "
                              "start over") from None
        if (manifest.get("study_hash"), manifest.get("scenario_hash")) != (study_hash, base_hash):
            raise OutputError(f"--resume: the {what} or its scenario changed since the {what} "
                              f"in {out} started; use a new --out, or --force to start over")
        for stray in [*paths.parts.glob(".part-*.tmp"), *paths.parts.glob(".series-*.tmp"),
                      *paths.stray_series_parts()]:
            stray.unlink()  # a write killed before its rename, or before its run part
        return
    if out.exists() and any(out.iterdir()):
        if not force:
            raise OutputError(f"--out {out} already holds files; add --resume to finish that "
                              f"{what}, --force to start over, or choose another folder")
        remove_store(paths)
    make_out_dir(out)


def run_study(study_path: str | Path, out: str | Path, workers: int = 2,
              scheduler: str | None = None, scheduler_file: str | None = None,
              resume: bool = False, force: bool = False, batch_size: int | None = None,
              on_progress: Callable[[int, int, int], None] | None = None,
              report: list | None = None) -> pd.DataFrame:
    """Run (or finish) a study; returns one row per run (parameters, seed, metrics, status).

    on_progress(done, total, failed) is called as tasks finish. If `report` is a list,
    a SweepReport is appended to it.
    """
    t0 = time.perf_counter()
    study_path = Path(study_path)
    study, _, base = load_study(study_path)
    study_hash, base_hash = study_fingerprint(study), fingerprint(base)
    paths = SweepPaths(Path(out))
    check_scheduler(scheduler, scheduler_file)
    prepare_store(paths, study_hash, base_hash, resume, force)

    metrics = [m.model_dump(mode="json") for m in study.metrics]
    integer_paths = {p for p in study.names if isinstance(get_path(base, p), int)
                     and not isinstance(get_path(base, p), bool)}
    design = plan_runs(study, integer_paths)
    if not resume:
        write_parquet(design, paths.design)
        write_json(paths.manifest, {
            "study": study.name, "study_file": str(study_path), "study_hash": study_hash,
            "scenario_hash": base_hash, "version": __version__, "sampler": study.sampler,
            "points": expected_points(study), "replicates": study.replicates,
            "runs": len(design), "study_seed": study.seed, "seeds": "SeedSequence([seed, "
            "replicate]) per replicate, common to every design point",
            "parameters": study.names, "metrics": [m.name for m in study.metrics],
            "study_spec": study.model_dump(mode="json"), "started": utc_now(), "status": "running",
            "outputs": [*STORE_FILES, "parts/part-N.parquet"],
        })
    runs, stats, already = run_missing(paths, design, run_batch, (base, metrics),
                                       (study.names,), workers, scheduler, scheduler_file,
                                       batch_size, on_progress)
    if len(runs) == len(design):
        if any(m.series is not False for m in study.metrics) and not paths.series.is_file():
            write_parquet(empty_series(), paths.series)  # every run failed: no series part
        if "csv" in study.export:
            export_csv(paths.out)
    wall = time.perf_counter() - t0
    if report is not None:
        overhead = (max(wall * stats.workers - stats.run_seconds, 0.0) / stats.tasks
                    if stats.tasks else 0.0)
        report.append(SweepReport(len(design), stats.ran, already,
                                  runs[runs["status"] != "ok"] if len(runs) else runs,
                                  wall, stats.workers, stats.tasks, overhead))
    return runs


__all__ = [
    "ClusterError",
    "Execution",
    "ScenarioError",
    "SweepPaths",
    "SweepReport",
    "check_scheduler",
    "dask_executor",
    "execute_on",
    "execute_planned",
    "export_csv",
    "prepare_store",
    "read_runs",
    "read_series",
    "remove_store",
    "run_batch",
    "run_missing",
    "run_study",
]
