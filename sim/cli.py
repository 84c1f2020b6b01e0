"""The `mnp` command line: thin commands over the modules in `sim`.

Bad input never shows a traceback: it prints what is wrong and how to fix it,
and exits with status 2.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from sim.outputs import OutputError, prepare_out_dir, write_text
from sim.scenario import ScenarioError, load_scenario

app = typer.Typer(add_completion=False, no_args_is_help=False,
                  help="mnp-sim: agent-based model of mobile number portability (携号转网).")
err = Console(stderr=True, soft_wrap=True)  # one problem per line, never wrapped
out = Console()

DEFAULT_SCENARIO = "china_mnp_2019.yaml"
TEACHING_SCENARIO = "false_loyalty_demo.yaml"


def _opening_text(spec) -> str:
    """When MNP opens, in words: one month, never, or per carrier."""
    opening = spec.policy.mnp_start
    if isinstance(opening, dict):
        return ", ".join(f"{k} {opening.get(k) or 'never'}" for k in spec.carrier_keys)
    return opening or "never"


def default_scenario(name: str = DEFAULT_SCENARIO) -> Path:
    """scenarios/<name> in the working folder, else beside the package."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[1]):
        candidate = base / "scenarios" / name
        if candidate.is_file():
            return candidate
    return Path("scenarios") / name


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def _load(path: Path | None, overrides: list[str]):
    path = path or default_scenario()
    try:
        return path, load_scenario(path, overrides)
    except ScenarioError as exc:
        fail(exc.render())


class _LateProgress:
    """A progress bar that appears only once a run has taken more than a second."""

    def __init__(self, label: str):
        self.label = label
        self.t0 = time.perf_counter()
        self.progress: Progress | None = None
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None and time.perf_counter() - self.t0 > 1.0:
            self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                     TextColumn("{task.completed}/{task.total} months"),
                                     TimeRemainingColumn(), console=err, transient=True)
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=total)
        if self.progress is not None:
            self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


OverrideOpt = Annotated[list[str] | None, typer.Option(
    "--set", help="Override a scenario value: dotted.path=value (repeatable).")]


@app.command()
def run(
    scenario: Annotated[Path | None, typer.Argument(
        help="Scenario YAML file (default: scenarios/china_mnp_2019.yaml).")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the scenario's).")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Output folder (default: out/<scenario name>).")] = None,
    overrides: OverrideOpt = None,
    force: Annotated[bool, typer.Option(help="Overwrite files in an existing --out.")] = False,
    profile: Annotated[bool, typer.Option(help="Print time spent in each step phase.")] = False,
    snapshot: Annotated[int, typer.Option(
        help="Also write subscriber_sample.csv: this many subscribers, every month "
        "(carrier, loyalty quadrant, satisfaction, switching cost).", min=0)] = 0,
) -> None:
    """Run a scenario and write its tables, plots and report."""
    from sim.report import save_run
    from sim.runner import run as run_scenario

    path, spec = _load(scenario, overrides or [])
    target = out_dir or Path("out") / spec.name
    try:
        prepare_out_dir(target, force)
    except OutputError as exc:
        fail(str(exc))
    bar = _LateProgress(f"{spec.name}")
    try:
        result = run_scenario(spec, seed=seed, on_month=bar, snapshot_rows=snapshot)
    finally:
        bar.close()
    try:
        files = save_run(result, target, force=True)
    except OutputError as exc:
        fail(str(exc))
    s = result.summary
    out.print(f"[bold]{spec.name}[/] (seed {s['seed']}): {s['months']} months, "
              f"{spec.population.size:,} subscriber rows, {s['wall_seconds']:.2f} s")
    for key, net in s["cumulative_net_porting"].items():
        out.print(f"  {key:8s} cumulative net porting {net / 1e6:+10.2f} M   "
                  f"final share {100 * s['final_share'][key]:5.1f}%")
    out.print(f"Wrote {len(files)} files to {target}/ (open {target}/report.html)")
    if profile:
        total = sum(result.phase_seconds.values()) or 1.0
        out.print("Time per step phase:")
        for name, secs in sorted(result.phase_seconds.items(), key=lambda kv: -kv[1]):
            out.print(f"  {name:13s} {secs:7.3f} s  {100 * secs / total:5.1f}%")


@app.command()
def compare(
    scenario: Annotated[Path | None, typer.Argument(
        help="Scenario YAML file (default: scenarios/china_mnp_2019.yaml).")] = None,
    carrier: Annotated[str, typer.Option(
        help="The carrier whose strategies are compared: mobile, unicom or telecom.")] = "mobile",
    strategies: Annotated[list[str] | None, typer.Option(
        "--strategy", help="A named strategy (scenarios/strategies/NAME.yaml) or a path; "
        "repeat it; the first is the baseline.")] = None,
    replicates: Annotated[int, typer.Option(help="Runs per strategy.", min=1)] = 30,
    horizon: Annotated[str | None, typer.Option(
        help="Months covered: N from the scenario's start, mnp+N for N months from MNP's "
        "first opening, or a last month YYYY-MM (default: the scenario's months).")] = None,
    seed: Annotated[int | None, typer.Option(
        help="Base seed the replicate seeds derive from (default: the scenario's).")] = None,
    jobs: Annotated[int | None, typer.Option(
        help="Worker processes (default: all cores); results do not depend on it.", min=1)] = None,
    independent: Annotated[bool, typer.Option(
        help="Independent seeds per strategy instead of common random numbers.")] = False,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Output folder (default: out/compare_<scenario name>).")] = None,
    overrides: OverrideOpt = None,
    force: Annotated[bool, typer.Option(help="Overwrite files in an existing --out.")] = False,
    decompose: Annotated[list[str] | None, typer.Option(
        "--decompose", help="Split NAME's gain by lever: Shapley values over its actions, "
        "on common random numbers (repeatable, or 'all').")] = None,
    samples: Annotated[int | None, typer.Option(
        help="With --decompose over more than 8 actions: estimate from N random orders.",
        min=1)] = None,
    lang: Annotated[str, typer.Option(help="Report language: en or zh (Chinese).")] = "en",
) -> None:
    """Compare strategies for one carrier by net porting, with paired CIs and cost."""
    import os

    from rich.table import Table

    from sim.compare import compare as run_comparison
    from sim.compare import summarise_comparison
    from sim.compare import options as opt
    from sim.compare.report import ReportInputs, save_comparison
    path = scenario or default_scenario()
    try:
        opt.check_options(lang, decompose, samples, independent)
        extra = opt.horizon_overrides(path, list(overrides or []), horizon)
        keys = load_scenario(path, extra).carrier_keys
    except (ScenarioError, opt.OptionError) as exc:
        fail(exc.render())
    if carrier not in keys:
        fail(f"--carrier: unknown carrier {carrier!r}; use one of {', '.join(keys)}")
    names = list(dict.fromkeys(strategies or ["status_quo"]))
    if len(names) < 2:
        fail("--strategy: give at least two strategies, the baseline first, e.g. "
             "--strategy status_quo --strategy price_cut")
    specs = {}
    for name in names:
        try:
            specs[Path(name).stem if name.endswith((".yaml", ".yml")) else name] = load_scenario(
                path, extra, strategies={carrier: name})
        except ScenarioError as exc:
            fail(exc.render())
    try:
        chosen = opt.decompose_plan(specs, carrier, decompose, samples)
    except opt.OptionError as exc:
        fail(exc.render())
    first = next(iter(specs.values()))
    target = out_dir or Path("out") / f"compare_{first.name}"
    try:
        prepare_out_dir(target, force)
    except OutputError as exc:
        fail(str(exc))
    workers = jobs or min(os.cpu_count() or 1, len(specs) * replicates)
    total = len(specs) * replicates
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} runs"), TimeRemainingColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task(f"{len(specs)} strategies x {replicates}", total=total)
        cmp = run_comparison(specs, carrier, replicates,
                             first.seed if seed is None else seed, jobs=workers,
                             common_random_numbers=not independent,
                             on_run=lambda done, _: progress.update(task, completed=done))
        decs = opt.run_decompositions(cmp, chosen, samples, first.seed if seed is None else seed,
                                      workers, progress)
    table = summarise_comparison(cmp)
    inputs = ReportInputs(lang, decs, opt.strategy_descriptions(path, names))
    try:
        save_comparison(cmp, table, target, force=True, inputs=inputs)
    except OutputError as exc:
        fail(str(exc))
    view = Table(title=f"{first.name}: {carrier}, {cmp.replicates} replicates, "
                       f"{cmp.months[0]} to {cmp.months[-1]}")
    for col in ("strategy", "rank", "net ports M", "vs base M", "95% CI", "Δ cost M¥",
                "Δ profit M¥", "¥/extra port"):
        view.add_column(col, justify="left" if col == "strategy" else "right", no_wrap=True)
    m = lambda x: f"{x / 1e6:+,.2f}"  # noqa: E731
    for r in table.itertuples():
        per_port = r.cost_per_extra_net_port
        view.add_row(r.strategy, str(r.rank), m(r.net_porting_mean), m(r.diff_net_porting),
                     f"{m(r.diff_net_porting_ci_low)}..{m(r.diff_net_porting_ci_high)}",
                     f"{r.diff_cost / 1e6:,.1f}", f"{r.diff_profit / 1e6:+,.1f}",
                     f"{per_port:,.0f}" if per_port == per_port and per_port and r.diff_cost > 0
                     else "–")
    Console(width=max(out.width, 130)).print(view)  # wide enough that no figure is cut
    for line in opt.notes(cmp, decs, inputs, table):
        out.print(line, highlight=False, soft_wrap=True)
    out.print(f"{cmp.wall_seconds:.1f} s on {cmp.jobs} process(es). Wrote {target}/compare.csv, "
              f"compare.json, comparison.xlsx, plots, report.html and summary.pdf")


@app.command()
def sweep(
    study: Annotated[Path, typer.Argument(help="Study YAML file (experiments/*.yaml).")],
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Output folder (default: out/<study name>).")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Local worker processes (default: all cores).", min=1)] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786.")] = None,
    scheduler_file: Annotated[str | None, typer.Option(
        help="Scheduler file written by `dask scheduler --scheduler-file`.")] = None,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted sweep in --out.")] = False,
    force: Annotated[bool, typer.Option(help="Start over in a non-empty --out.")] = False,
    batch_size: Annotated[int | None, typer.Option(
        help="Runs per task (default: about 4 tasks per worker).", min=1)] = None,
) -> None:
    """Run a parameter sweep on Dask (a local cluster, or an existing one); resumable."""
    import os

    from sim.sweep import load_study, run_study

    try:
        spec = load_study(study)[0]
    except ScenarioError as exc:
        fail(exc.render())
    target = out_dir or Path("out") / spec.name
    report: list = []
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} runs"),
                  TextColumn("[red]{task.fields[failed]} failed"), TimeRemainingColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task(spec.name, total=None, failed=0)

        def on_progress(done: int, total: int, failed: int) -> None:
            progress.update(task, completed=done, total=total, failed=failed)

        try:
            runs = run_study(study, target, workers=workers or os.cpu_count() or 1,
                             scheduler=scheduler, scheduler_file=scheduler_file, resume=resume,
                             force=force, batch_size=batch_size, on_progress=on_progress,
                             report=report)
        except (ScenarioError, OutputError) as exc:
            fail(exc.render() if isinstance(exc, ScenarioError) else str(exc))
    r = report[0]
    out.print(f"[bold]{spec.name}[/]: {r.total} runs ({r.ran} now, {r.skipped} already done), "
              f"{len(r.failed)} failed; {r.wall_seconds:.1f} s on {r.workers} worker(s), "
              f"{r.tasks} tasks, about {r.overhead_per_task:.2f} s overhead per task.")
    for row in r.failed.head(20).itertuples():
        out.print(f"  run {row.run_id} failed: {row.error}", highlight=False)
    if len(runs) == r.total:
        out.print(f"Wrote {target}/runs.parquet (then: mnp analyze {target})")


@app.command()
def analyze(
    sweep_dir: Annotated[Path, typer.Argument(help="Folder written by `mnp sweep`.")],
) -> None:
    """Sensitivity indices, scenario discovery, tables and plots for a finished sweep."""
    import warnings

    from sim.sweep.analysis import AnalysisError, SensitivityWarning, analyse

    try:
        with warnings.catch_warnings():  # printed below, with the notes, as "warning: ..."
            warnings.simplefilter("ignore", SensitivityWarning)
            result = analyse(sweep_dir)
    except AnalysisError as exc:
        fail(str(exc))
    for note in result.notes:
        out.print(note, highlight=False)
    for name, table in result.tables.items():
        out.print(f"[bold]{name}[/]")
        Console(width=max(out.width, 160)).print(
            table.to_string(index=False, float_format=lambda v: f"{v:.4g}"), highlight=False)
    out.print(f"Wrote {sweep_dir}/analysis/ (open report.html)")


@app.command()
def game(
    scenario: Annotated[Path | None, typer.Argument(
        help="Scenario YAML file (default: scenarios/china_mnp_2019.yaml).")] = None,
    strategies: Annotated[list[str] | None, typer.Option(
        "--strategies", help="CARRIER=STRATEGY,STRATEGY,... (named strategies or paths); "
        "repeat per carrier; the first is the carrier's status quo. A carrier left out "
        "keeps the scenario's strategy.")] = None,
    payoff: Annotated[str, typer.Option(
        help="profit, net_porting, revenue, cost, or a weighted mix like "
             "net_porting=1,profit=0.5 (net porting in millions, money in billions of yuan)."
    )] = "net_porting",
    horizon: Annotated[int | None, typer.Option(
        help="Months simulated from the scenario's start (default: the scenario's months).",
        min=1)] = None,
    replicates: Annotated[int, typer.Option(help="Runs per profile (common seeds).", min=1)] = 10,
    max_profiles: Annotated[int, typer.Option(
        help="Simulate every profile up to this many; above it a stated sample.", min=1)] = 64,
    seed: Annotated[int | None, typer.Option(
        help="Base seed of the replicates (default: the scenario's).")] = None,
    workers: Annotated[int, typer.Option(help="Local Dask worker processes.", min=1)] = 2,
    scheduler: Annotated[str | None, typer.Option(
        help="Address of a running Dask scheduler (instead of local workers).")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Output folder (default: out/game_<scenario name>).")] = None,
    overrides: OverrideOpt = None,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted game in --out.")] = False,
    force: Annotated[bool, typer.Option(help="Start over in an existing --out.")] = False,
) -> None:
    """Best responses and equilibria among the carriers' strategies, from simulation."""
    from sim.game import (
        GameError,
        best_response_dynamics,
        best_response_table,
        mixed_equilibrium,
        parse_payoff,
        parse_strategies,
        payoff_table,
        play,
        pure_equilibria,
    )
    from sim.game.report import reading, save_game

    path, base = _load(scenario, overrides or [])
    extra = list(overrides or []) + ([f"months={horizon}"] if horizon else [])
    try:
        spec = parse_strategies(strategies or [], base.carrier_keys)
        measure = parse_payoff(payoff)
    except GameError as exc:
        fail(str(exc))
    target = out_dir or Path("out") / f"game_{base.name}"
    total = spec.size
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} runs"), TimeRemainingColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task(f"{min(total, max_profiles)} profiles x {replicates}",
                                 total=None)
        try:
            played = play(path, spec, replicates, target, extra, seed, max_profiles, workers,
                          scheduler, resume=resume, force=force,
                          on_progress=lambda done, all_, _: progress.update(
                              task, completed=done, total=all_))
        except (GameError, OutputError) as exc:
            fail(str(exc))
        except ScenarioError as exc:
            fail(exc.render())
    failed = played.runs[played.runs["status"] != "ok"] if len(played.runs) else played.runs
    if len(failed):
        err.print(f"[yellow]{len(failed)} run(s) failed[/]; first: {failed['error'].iloc[0]}")
    table = payoff_table(spec, played.profiles, played.runs, measure)
    equilibria = pure_equilibria(table)
    dynamics = best_response_dynamics(table)
    mixed = mixed_equilibrium(table)
    responses = best_response_table(table)
    save_game(played, table, equilibria, dynamics, mixed, responses, target)
    for sentence in reading(played, table, equilibria, dynamics, mixed):
        out.print(f"• {sentence}", highlight=False)
    out.print(f"{played.wall_seconds:.1f} s on {played.workers} worker(s); simulated "
              f"{played.method}. Wrote {target}/report.html, payoffs.csv, best_responses.csv, "
              "game.json and plots")


@app.command()
def calibrate(
    scenario: Annotated[Path | None, typer.Argument(
        help="Scenario YAML file (default: scenarios/china_mnp_2019.yaml).")] = None,
    targets: Annotated[Path, typer.Option(
        help="Observed figures: CSV with date,quantity,carrier,value[,weight] "
             "(e.g. ../shared/data/china_mnp_observed.csv).")] = ...,
    fit: Annotated[list[str] | None, typer.Option(
        help="Scenario path to fit, optionally =LOW:HIGH (repeatable); * fits one common "
             "multiplier on every value it matches, e.g. population.segments.*.review_rate.")
    ] = None,
    until: Annotated[str | None, typer.Option(
        help="Fit only targets dated on or before YYYY-MM-DD; later ones are predicted "
             "out of sample.")] = None,
    only: Annotated[list[str] | None, typer.Option(
        help="Use only this quantity of the targets file (repeatable), e.g. pilot_uptake.")
    ] = None,
    trials: Annotated[int, typer.Option(help="Candidates the optimiser evaluates.",
                                        min=1)] = 60,
    replicates: Annotated[int, typer.Option(help="Runs per candidate (common seeds).",
                                            min=1, max=999)] = 4,
    final_replicates: Annotated[int, typer.Option(
        help="Runs of the best candidate for the report's bands.", min=2, max=999)] = 10,
    profile_points: Annotated[int, typer.Option(
        help="Points of the slice through the optimum along each parameter.", min=0)] = 7,
    seed: Annotated[int, typer.Option(help="Seed of the optimiser and the replicates.")] = 2026,
    workers: Annotated[int, typer.Option(help="Local Dask worker processes.", min=1)] = 2,
    scheduler: Annotated[str | None, typer.Option(
        help="Address of a running Dask scheduler (instead of local workers).")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Output folder (default: out/calib_<scenario name>).")] = None,
    overrides: OverrideOpt = None,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted calibration in --out.")
                      ] = False,
    force: Annotated[bool, typer.Option(help="Start over in an existing --out.")] = False,
) -> None:
    """Fit scenario parameters to observed figures; writes the fitted scenario and a report."""
    from sim.calibrate import FitError, Settings, TargetsError, build_problem
    from sim.calibrate import calibrate as run_calibration
    from sim.calibrate.report import save_calibration

    path = scenario or default_scenario()
    sets = list(overrides or [])
    try:
        problem, base = build_problem(path, targets, list(fit or []), sets, until, only)
    except ScenarioError as exc:
        fail(exc.render())
    except TargetsError as exc:
        fail(f"--targets {exc}")
    except FitError as exc:
        fail(str(exc))
    target = out_dir or Path("out") / f"calib_{base.name}"
    settings = Settings(trials=trials, replicates=replicates, seed=seed, until=until,
                        profile_points=profile_points, final_replicates=final_replicates)
    command = " ".join(["mnp calibrate", str(path), "--targets", str(targets),
                        *[f"--fit {f}" for f in fit or []], *[f"--set {s}" for s in sets],
                        *([f"--until {until}"] if until else []),
                        *[f"--only {q}" for q in only or []],
                        f"--trials {trials} --replicates {replicates} --seed {seed}",
                        f"--out {target}"])
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeRemainingColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("search (candidates)", total=trials)

        def show(stage: str, done: int, total: int) -> None:
            progress.update(task, description=f"{stage} (candidates)", completed=done,
                            total=total)
        try:
            result = run_calibration(problem, settings, target,
                                     {"command": command, "scenario": str(path),
                                      "targets": str(targets)},
                                     workers, scheduler, resume=resume, force=force,
                                     on_progress=show)
        except OutputError as exc:
            fail(str(exc))
    lines = save_calibration(result, target, path, sets, command)
    for sentence in lines:
        out.print(f"• {sentence}", highlight=False)
    out.print(f"{result.wall_seconds:.1f} s on {result.workers} worker(s). Wrote "
              f"{target}/calibrated.yaml, report.html, targets_fit.csv, parameters.csv, "
              "fit.png, uncertainty.png")


@app.command()
def validate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file to check.")],
    overrides: OverrideOpt = None,
) -> None:
    """Check a scenario file and print every problem found."""
    path, spec = _load(scenario, overrides or [])
    out.print(f"{path}: OK ({spec.name}: {spec.months} months from {spec.start}, "
              f"{spec.population.size:,} subscribers, MNP from {_opening_text(spec)})")


@app.command()
def viz(
    scenario: Annotated[Path | None, typer.Argument(
        help=f"Scenario YAML file (default: scenarios/{TEACHING_SCENARIO}).")] = None,
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
    host: Annotated[str, typer.Option(
        help="Address to listen on; the default serves this computer only. "
             "0.0.0.0 lets a classroom reach it.")] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option(
        "--open/--no-open", help="Also open the page in this computer's browser.")] = False,
    lang: Annotated[str, typer.Option(
        help="Language the page starts in: en or zh (a button on the page switches).")] = "en",
    join_code: Annotated[str, typer.Option(
        help="Code students need in the address (?join=CODE): 'auto' makes one when the "
             "page is reachable from the network, 'off' never asks, anything else is the "
             "code.")] = "auto",
) -> None:
    """Open the interactive teaching page in the browser at http://HOST:PORT."""
    import socket

    from sim import i18n
    from sim.viz import server

    try:
        lang = i18n.check_lang(lang)
    except i18n.LanguageError:
        fail(i18n.t("cli.bad_lang", "en", lang=lang, choices=", ".join(i18n.LANGUAGES)))
    try:
        code = server.join_code_for(host, join_code)
    except ValueError as exc:
        fail(str(exc))
    path, _ = _load(scenario or default_scenario(TEACHING_SCENARIO), [])
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        fail(f"--port/--host: cannot listen on {host}:{port} ({exc.strerror or exc}); "
             "choose another port with --port, or a local address with --host")
    if server.is_loopback(host):
        suffix = f"?join={code}" if code else ""
        out.print(f"Teaching page for {path} at http://{host}:{port}/{suffix}  (Ctrl-C stops it)",
                  highlight=False, soft_wrap=True)
    else:
        for line in server.classroom_notice(host, port, code):
            (err if line.startswith("warning") else out).print(line, highlight=False,
                                                              soft_wrap=True)
        out.print(f"Teaching page for {path}  (Ctrl-C stops it)", highlight=False,
                  soft_wrap=True)
    server.serve(path, host, port, open_browser, lang, code)


@app.command()
def reference(
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the page.")] = Path(
        "docs/scenario-reference.md"),
) -> None:
    """Write the scenario reference page (every key, default, unit and source)."""
    from sim.reference import reference_markdown
    out_file.parent.mkdir(parents=True, exist_ok=True)
    write_text(out_file, reference_markdown())
    out.print(f"Wrote {out_file}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
