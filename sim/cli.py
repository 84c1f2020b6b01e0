"""The `mnp` command line: thin commands over the modules in `sim`.

Bad input never shows a traceback: it prints what is wrong and how to fix it,
and exits with status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

# Only typer and rich are imported here, so `mnp --help` starts in a fraction of a
# second; each command imports what it needs (pydantic, pandas, mesa, numba, dask).

app = typer.Typer(add_completion=False, no_args_is_help=False,
                  help="mnp-sim: agent-based model of mobile number portability (携号转网).")
err = Console(stderr=True, soft_wrap=True)  # one problem per line, never wrapped
out = Console()

DEFAULT_SCENARIO = "china_mnp_2019.yaml"
TEACHING_SCENARIO = "false_loyalty_demo.yaml"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

#: Modules a command needs beyond what `make run` installs, and the extra that has them.
EXTRAS = {"distributed": "sweep", "SALib": "sweep", "pyarrow": "sweep", "sklearn": "sweep",
          "optuna": "sweep", "solara": "viz", "ema_workbench": "discovery"}


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
    """Print `message` as an error and exit with status 2."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def require(command: str, *modules: str) -> None:
    """Stop with how to install them when `modules` (an optional extra's) are missing."""
    import importlib.util
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        extras = sorted({EXTRAS.get(m, m) for m in missing})
        fail(f"`mnp {command}` needs {', '.join(missing)}, which `make run` does not install; "
             f"run `make extras` once (or: pip install -e '.[{','.join(extras)}]')")


def _load(path: Path | None, overrides: list[str], **kwargs):
    from sim.scenario import ScenarioError, load_scenario
    path = path or default_scenario()
    try:
        return path, load_scenario(path, overrides, **kwargs)
    except ScenarioError as exc:
        fail(exc.render())


def _target(out_dir: str | None, name: str, prefix: str = "") -> Path:
    """--out as given (never empty), else out/<prefix><name> with the name made safe."""
    from sim.outputs import default_out
    if out_dir is None:
        return default_out(name, prefix)
    if not out_dir.strip():
        fail("--out is empty; give a folder, e.g. --out out/my_run")
    return Path(out_dir)


def _check_memory(spec, parallel: int = 1, rows: int | None = None) -> None:
    """Refuse, with the estimate, runs that need more memory than the machine has."""
    from sim.resources import memory_problem
    social = spec.population.social
    message = memory_problem(rows or spec.population.size, social.acquaintances,
                             social.household_size, parallel)
    if message:
        fail(message)


def _horizon(horizon: int | None, spec) -> list[str]:
    """The --set that cuts runs to --horizon months, refused past the scenario's end."""
    if horizon is None:
        return []
    if horizon > spec.months:
        fail(f"--horizon {horizon} is past the scenario's end ({spec.months} months from "
             f"{spec.start}); give at most {spec.months}, or lengthen it with "
             f"--set months={horizon}")
    return [f"months={horizon}"]


def _progress(label: str, unit: str, total: int | None = None, **kwargs):
    from sim.progress import Progress
    return Progress(label, unit, total, stream=sys.stderr, **kwargs)


def _output_error():
    from sim.outputs import OutputError
    return OutputError


OverrideOpt = Annotated[list[str] | None, typer.Option(
    "--set", help="Override a scenario value: dotted.path=value (repeatable).")]
OutOpt = Annotated[str | None, typer.Option(
    "--out", help="Output folder (default: out/<name>).", show_default=False)]
SeedOpt = Annotated[int | None, typer.Option(
    help="Random seed (default: the scenario's).", min=0)]


@app.command()
def run(
    scenario: Annotated[Path | None, typer.Argument(
        help="Scenario YAML file (default: scenarios/china_mnp_2019.yaml).")] = None,
    seed: SeedOpt = None,
    out_dir: OutOpt = None,
    overrides: OverrideOpt = None,
    force: Annotated[bool, typer.Option(help="Overwrite files in an existing --out.")] = False,
    profile: Annotated[bool, typer.Option(help="Print time spent in each step phase.")] = False,
    snapshot: Annotated[int, typer.Option(
        help="Also write subscriber_sample.csv: this many subscribers, every month "
        "(carrier, loyalty quadrant, satisfaction, switching cost).", min=0)] = 0,
) -> None:
    """Run a scenario and write its tables, plots and report."""
    _, spec = _load(scenario, overrides or [])
    target = _target(out_dir, spec.name)
    _check_memory(spec)
    result, files = _run_and_save(spec, seed, snapshot, target, force)
    _print_run(result, spec, target, files, profile)


def _run_and_save(spec, seed: int | None, snapshot: int, target: Path, force: bool):
    """Check --out, simulate, write every output; (result, files written)."""
    from sim.outputs import OutputError, prepare_out_dir
    from sim.report import RUN_FILES, save_run
    from sim.runner import run as run_scenario

    try:
        prepare_out_dir(target, force, RUN_FILES)
    except OutputError as exc:
        fail(str(exc))
    with _progress(spec.name, "months", delay=1.0) as bar:
        result = run_scenario(spec, seed=seed, on_month=bar.update, snapshot_rows=snapshot)
    try:
        return result, save_run(result, target, force=True)
    except OutputError as exc:
        fail(str(exc))


def _print_run(result, spec, target: Path, files: list[Path], profile: bool) -> None:
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
        help="The carrier whose strategies are compared (a key of the scenario's "
             "carriers).")] = "mobile",
    strategies: Annotated[list[str] | None, typer.Option(
        "--strategy", help="A named strategy (scenarios/strategies/NAME.yaml) or a path; "
        "repeat it; the first is the baseline.")] = None,
    replicates: Annotated[int, typer.Option(help="Runs per strategy.", min=1)] = 30,
    horizon: Annotated[str | None, typer.Option(
        help="Months covered: N from the scenario's start, mnp+N for N months from MNP's "
        "first opening, or a last month YYYY-MM (default: the scenario's months).")] = None,
    seed: Annotated[int | None, typer.Option(
        help="Base seed the replicate seeds derive from (default: the scenario's).",
        min=0)] = None,
    jobs: Annotated[int | None, typer.Option(
        help="Worker processes (default: all cores); results do not depend on it.", min=1)] = None,
    independent: Annotated[bool, typer.Option(
        help="Independent seeds per strategy instead of common random numbers.")] = False,
    out_dir: OutOpt = None,
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

    from sim.compare import compare as run_comparison
    from sim.compare import summarise_comparison
    from sim.compare.report import ReportInputs
    from sim.compare.save import FILES, save_comparison
    from sim.outputs import OutputError, prepare_out_dir

    path, specs = _compare_specs(scenario, carrier, strategies, overrides, horizon,
                                 (lang, decompose, samples, independent))
    chosen = _decompose_plan(specs, carrier, decompose, samples)
    first = next(iter(specs.values()))
    target = _target(out_dir, first.name, "compare_")
    workers = jobs or min(os.cpu_count() or 1, len(specs) * replicates)
    _check_memory(first, parallel=min(workers, len(specs) * replicates))
    try:
        prepare_out_dir(target, force, FILES)
    except OutputError as exc:
        fail(str(exc))
    base_seed = first.seed if seed is None else seed
    with _progress(f"{len(specs)} strategies x {replicates}", "runs",
                   len(specs) * replicates) as bar:
        cmp = run_comparison(specs, carrier, replicates, base_seed, jobs=workers,
                             common_random_numbers=not independent,
                             on_run=lambda done, _: bar.update(done))
    decs = _decompositions(cmp, chosen, samples, base_seed, workers)
    table = summarise_comparison(cmp)
    inputs = ReportInputs(lang, decs, _descriptions(path, list(specs)))
    try:
        save_comparison(cmp, table, target, force=True, inputs=inputs)
    except OutputError as exc:
        fail(str(exc))
    _print_comparison(cmp, table, first, carrier, target, decs, inputs)


def _compare_specs(scenario: Path | None, carrier: str, strategies: list[str] | None,
                   overrides: list[str] | None, horizon: str | None,
                   report_options: tuple) -> tuple[Path, dict]:
    """The scenario file and the scenario under each strategy (baseline first).

    Every input (the report's options too) is checked before anything runs.
    """
    from sim.compare import options as opt
    from sim.scenario import ScenarioError

    path, base = _load(scenario, list(overrides or []))
    try:
        opt.check_options(*report_options)
        extra = opt.horizon_overrides(path, list(overrides or []), horizon)
    except (ScenarioError, opt.OptionError) as exc:
        fail(exc.render())
    if carrier not in base.carrier_keys:
        fail(f"--carrier: unknown carrier {carrier!r}; use one of "
             f"{', '.join(base.carrier_keys)}")
    names = list(dict.fromkeys(strategies or ["status_quo"]))
    if len(names) < 2:
        fail("--strategy: give at least two strategies, the baseline first, e.g. "
             "--strategy status_quo --strategy price_cut")
    return path, {Path(name).stem if name.endswith((".yaml", ".yml")) else name:
                  _load(path, extra, strategies={carrier: name})[1] for name in names}


def _decompose_plan(specs: dict, carrier: str, decompose: list[str] | None,
                    samples: int | None) -> list[str]:
    from sim.compare import options as opt
    try:
        return opt.decompose_plan(specs, carrier, decompose, samples)
    except opt.OptionError as exc:
        fail(exc.render())


def _decompositions(cmp, chosen: list[str], samples: int | None, base_seed: int,
                    workers: int) -> list:
    """Shapley decompositions of the chosen strategies (more runs on the same seeds)."""
    from sim.compare import options as opt
    if not chosen:
        return []
    with _progress("decomposition", "runs") as bar:
        return opt.run_decompositions(cmp, chosen, samples, base_seed, workers,
                                      on_run=lambda done, total: bar.update(done, total))


def _descriptions(path: Path, names: list[str]) -> dict[str, str]:
    from sim.compare import options as opt
    return opt.strategy_descriptions(path, names)


def _print_comparison(cmp, table, first, carrier: str, target: Path, decs: list,
                      inputs) -> None:
    from rich.table import Table

    from sim.compare import options as opt

    view = Table(title=f"{first.name}: {carrier}, {cmp.replicates} replicates, "
                       f"{cmp.months[0]} to {cmp.months[-1]}")
    for col in ("strategy", "rank", "net ports M", "vs base M", "95% CI", "Δ cost M¥",
                "Δ profit M¥", "¥/extra port"):
        view.add_column(col, justify="left" if col == "strategy" else "right", no_wrap=True)

    def m(x):
        return f"{x / 1e6:+,.2f}"

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
    out_dir: OutOpt = None,
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

    require("sweep", "distributed", "SALib", "pyarrow")
    from sim.scenario import ScenarioError
    from sim.sweep import load_study, run_study
    from sim.sweep.study import parameter_values

    try:
        spec, base, _ = load_study(study)
    except ScenarioError as exc:
        fail(exc.render())
    target = _target(out_dir, spec.name)
    n_workers = workers or os.cpu_count() or 1
    sizes = [base.population.size, *[v for p in spec.parameters if p.path == "population.size"
                                     for v in parameter_values(p, True)]]
    _check_memory(base, parallel=1 if scheduler or scheduler_file else n_workers,
                  rows=int(max(sizes)))
    report: list = []
    with _progress(spec.name, "runs", fields=("failed",)) as bar:
        try:
            runs = run_study(study, target, workers=n_workers, scheduler=scheduler,
                             scheduler_file=scheduler_file, resume=resume, force=force,
                             batch_size=batch_size, report=report,
                             on_progress=lambda done, total, failed: bar.update(
                                 done, total, failed=failed))
        except (ScenarioError, _output_error()) as exc:
            fail(exc.render() if isinstance(exc, ScenarioError) else str(exc))
    _print_sweep(spec, report[0], runs, target)


def _print_sweep(spec, r, runs, target: Path) -> None:
    out.print(f"[bold]{spec.name}[/]: {r.total} runs ({r.ran} now, {r.skipped} already done), "
              f"{len(r.failed)} failed; {r.wall_seconds:.1f} s on {r.workers} worker(s), "
              f"{r.tasks} tasks, about {r.overhead_per_task:.2f} s overhead per task.")
    for row in r.failed.head(20).itertuples():
        out.print(f"  run {row.run_id} failed: {row.error}", highlight=False)
    if len(runs) == r.total:
        out.print(f"Wrote {target}/runs.parquet (then: mnp analyze {target})")
    if r.total and len(r.failed) == len(runs) == r.total:
        err.print("[bold red]error:[/] every run failed; see the errors above", highlight=False)
        raise typer.Exit(1)


@app.command()
def analyze(
    sweep_dir: Annotated[Path, typer.Argument(help="Folder written by `mnp sweep`.")],
) -> None:
    """Sensitivity indices, scenario discovery, tables and plots for a finished sweep."""
    import warnings

    require("analyze", "SALib", "pyarrow", "sklearn")
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
        help="Base seed of the replicates (default: the scenario's).", min=0)] = None,
    workers: Annotated[int, typer.Option(help="Local Dask worker processes.", min=1)] = 2,
    scheduler: Annotated[str | None, typer.Option(
        help="Address of a running Dask scheduler (instead of local workers).")] = None,
    out_dir: OutOpt = None,
    overrides: OverrideOpt = None,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted game in --out.")] = False,
    force: Annotated[bool, typer.Option(help="Start over in an existing --out.")] = False,
) -> None:
    """Best responses and equilibria among the carriers' strategies, from simulation."""
    require("game", "distributed", "pyarrow")
    from sim.game import GameError, parse_payoff, parse_strategies

    path, base = _load(scenario, overrides or [])
    extra = list(overrides or []) + _horizon(horizon, base)
    try:
        spec = parse_strategies(strategies or [], base.carrier_keys)
        measure = parse_payoff(payoff)
    except GameError as exc:
        fail(str(exc))
    target = _target(out_dir, base.name, "game_")
    _check_memory(base, parallel=1 if scheduler else workers)
    played = _play(path, spec, replicates, target, extra, seed, max_profiles, workers,
                   scheduler, resume, force)
    _solve_and_save(played, spec, measure, target)


def _play(path, spec, replicates, target, extra, seed, max_profiles, workers, scheduler,
          resume, force):
    """Simulate the game's profiles, with progress; input problems exit 2."""
    from sim.game import GameError, play
    from sim.scenario import ScenarioError

    with _progress(f"{min(spec.size, max_profiles)} profiles x {replicates}", "runs") as bar:
        try:
            return play(path, spec, replicates, target, extra, seed, max_profiles, workers,
                        scheduler, resume=resume, force=force,
                        on_progress=lambda done, all_, _: bar.update(done, all_))
        except (GameError, _output_error()) as exc:
            fail(str(exc))
        except ScenarioError as exc:
            fail(exc.render())


def _solve_and_save(played, spec, measure, target: Path) -> None:
    """Payoffs, equilibria, dynamics and the mixed equilibrium; written and read out."""
    from sim.game import (
        best_response_dynamics,
        best_response_table,
        mixed_equilibrium,
        payoff_table,
        pure_equilibria,
    )
    from sim.game.report import reading, save_game

    failed = played.runs[played.runs["status"] != "ok"] if len(played.runs) else played.runs
    if len(failed):
        err.print(f"[yellow]{len(failed)} run(s) failed[/]; first: {failed['error'].iloc[0]}")
    table = payoff_table(spec, played.profiles, played.runs, measure)
    equilibria = pure_equilibria(table)
    dynamics = best_response_dynamics(table)
    mixed = mixed_equilibrium(table)
    responses = best_response_table(table)
    try:
        save_game(played, table, equilibria, dynamics, mixed, responses, target)
    except _output_error() as exc:
        fail(str(exc))
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
    seed: Annotated[int, typer.Option(help="Seed of the optimiser and the replicates.",
                                      min=0)] = 2026,
    workers: Annotated[int, typer.Option(help="Local Dask worker processes.", min=1)] = 2,
    scheduler: Annotated[str | None, typer.Option(
        help="Address of a running Dask scheduler (instead of local workers).")] = None,
    out_dir: OutOpt = None,
    overrides: OverrideOpt = None,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted calibration in --out.")
                      ] = False,
    force: Annotated[bool, typer.Option(help="Start over in an existing --out.")] = False,
) -> None:
    """Fit scenario parameters to observed figures; writes the fitted scenario and a report."""
    require("calibrate", "distributed", "optuna", "pyarrow")
    from sim.calibrate import Settings
    from sim.calibrate.report import save_calibration

    path = scenario or default_scenario()
    sets = list(overrides or [])
    problem, base = _calibration_problem(path, targets, fit, sets, until, only)
    target = _target(out_dir, base.name, "calib_")
    _check_memory(base, parallel=1 if scheduler else workers)
    settings = Settings(trials=trials, replicates=replicates, seed=seed, until=until,
                        profile_points=profile_points, final_replicates=final_replicates)
    command = " ".join(["mnp calibrate", str(path), "--targets", str(targets),
                        *[f"--fit {f}" for f in fit or []], *[f"--set {s}" for s in sets],
                        *([f"--until {until}"] if until else []),
                        *[f"--only {q}" for q in only or []],
                        f"--trials {trials} --replicates {replicates} --seed {seed}",
                        f"--out {target}"])
    result = _search(problem, settings, target, {"command": command, "scenario": str(path),
                                                 "targets": str(targets)},
                     workers, scheduler, resume, force)
    try:
        lines = save_calibration(result, target, path, sets, command)
    except _output_error() as exc:
        fail(str(exc))
    for sentence in lines:
        out.print(f"• {sentence}", highlight=False)
    out.print(f"{result.wall_seconds:.1f} s on {result.workers} worker(s). Wrote "
              f"{target}/calibrated.yaml, report.html, targets_fit.csv, parameters.csv, "
              "fit.png, uncertainty.png")


@app.command("calibrate-markets")
def calibrate_markets(
    markets: Annotated[Path, typer.Argument(
        help="Markets file: the markets, their targets and the shared --fit specs "
             "(e.g. experiments/calibration/markets.yaml).")],
    workers: Annotated[int, typer.Option(help="Local Dask worker processes.", min=1)] = 2,
    scheduler: Annotated[str | None, typer.Option(
        help="Address of a running Dask scheduler (instead of local workers).")] = None,
    out_dir: OutOpt = None,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted calibration in --out.")
                      ] = False,
    force: Annotated[bool, typer.Option(help="Start over in an existing --out.")] = False,
) -> None:
    """Fit one behaviour to several markets at once; check it by leaving each market out."""
    require("calibrate", "distributed", "optuna", "pyarrow")
    from sim.calibrate import FitError, TargetsError
    from sim.calibrate.markets import MarketsError, calibrate_markets as run_joint, \
        load_markets, save_joint
    from sim.scenario import ScenarioError

    try:
        problem = load_markets(markets)
    except ScenarioError as exc:
        fail(exc.render())
    except (MarketsError, FitError) as exc:
        fail(str(exc))
    except TargetsError as exc:
        fail(f"targets {exc}")
    target = _target(out_dir, markets.stem, "calib_")
    command = f"mnp calibrate-markets {markets} --out {target}"
    with _progress("joint", "candidates", problem.spec.trials) as bar:
        try:
            result = run_joint(problem, target, workers, scheduler, resume=resume, force=force,
                               on_progress=lambda stage, done, total: bar.update(
                                   done, total, description=stage))
            lines = save_joint(result, target, command)
        except _output_error() as exc:
            fail(str(exc))
    for sentence in lines:
        out.print(f"• {sentence}", highlight=False)
    out.print(f"{result.wall_seconds:.1f} s. Wrote {target}/report.md, joint_fit.csv, lomo.csv, "
              "parameters.csv, fit.png and calibrated/<market>.yaml")


def _calibration_problem(path, targets, fit, sets, until, only):
    """Scenario, targets and --fit options, all checked before a run starts."""
    from sim.calibrate import FitError, TargetsError, build_problem
    from sim.scenario import ScenarioError

    try:
        return build_problem(path, targets, list(fit or []), sets, until, only)
    except ScenarioError as exc:
        fail(exc.render())
    except TargetsError as exc:
        fail(f"--targets {exc}")
    except FitError as exc:
        fail(str(exc))


def _search(problem, settings, target: Path, manifest: dict, workers: int,
            scheduler: str | None, resume: bool, force: bool):
    """The calibration itself, with progress; an unusable --out or scheduler exits 2."""
    from sim.calibrate import calibrate as run_calibration

    with _progress("search", "candidates", settings.trials) as bar:
        try:
            return run_calibration(problem, settings, target, manifest, workers, scheduler,
                                   resume=resume, force=force,
                                   on_progress=lambda stage, done, total: bar.update(
                                       done, total, description=stage))
        except _output_error() as exc:
            fail(str(exc))


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

    require("viz", "solara")
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
    from sim.outputs import write_text
    from sim.reference import reference_markdown
    out_file.parent.mkdir(parents=True, exist_ok=True)
    write_text(out_file, reference_markdown())
    out.print(f"Wrote {out_file}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
