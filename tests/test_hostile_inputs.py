"""Malformed and hostile inputs to every command: a one-line message naming the field or
flag (file:line where there is one), exit 2, no traceback, nothing written; and the
output folder rules (--force removes only what mnp wrote, paths stay inside --out,
the umask is respected, a killed run is visible and its temporary files cleaned)."""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app

from .conftest import BASE, SCENARIOS

runner = CliRunner()

GOOD = """\
name: ok
start: 2019-01
months: 2
population:
  size: 300
carriers:
  mobile: {subscribers: 600, price: 49.1}
  unicom: {subscribers: 200, price: 42.1}
  telecom: {subscribers: 200, price: 45.0}
"""


def laughs(levels: int = 6) -> str:
    """A 'billion laughs' block: each level repeats the one before ten times."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def invoke(args: list[str]):
    res = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in res.output, res.output
    return res


def assert_refused(res, *fragments: str) -> None:
    assert res.exit_code == 2, res.output
    assert "error:" in res.output
    for fragment in fragments:
        assert fragment in res.output, (fragment, res.output)


# ---------------------------------------------------------------- scenario files

SCENARIO_CASES = [
    ("impossible date", GOOD.replace("start: 2019-01", "start: 2019-02-30"),
     ["not a real date", "s.yaml:2"]),
    ("duplicate key", GOOD.replace("months: 2", "months: 2\nmonths: 24"),
     ["duplicate key 'months'", "line 3", "s.yaml:4"]),
    ("deep nesting", GOOD + "x: " + "[" * 300 + "]" * 300 + "\n", ["levels deep"]),
    ("self reference", GOOD + "x: &a [1, *a]\n", ["self-reference", "s.yaml:10"]),
    ("billion laughs", GOOD + laughs(), ["aliases expand to more than"]),
    ("infinite price", GOOD.replace("price: 42.1", "price: .inf"),
     ["carriers.unicom.price", "finite", "s.yaml:8"]),
    ("nan brand", GOOD.replace("price: 42.1", "price: 42.1, brand: .nan"),
     ["carriers.unicom.brand", "finite"]),
    ("nan hassle", GOOD + "policy: {porting_hassle: .nan}\n", ["policy.porting_hassle", "finite"]),
    ("infinite cost", GOOD + "strategies:\n  mobile:\n    - {lever: port_in_bonus, start: 2019-02,"
     " bonus: 10, cost: {per_month: .inf}}\n", ["strategies.mobile.0.cost.per_month", "finite"]),
    ("huge represents", GOOD.replace("size: 300", "size: 300\n  represents: 1e300"),
     ["population.represents", "<= 1e+11"]),
    ("tiny choice noise", GOOD + "behaviour: {choice_noise: 1e-300}\n",
     ["behaviour.choice_noise", ">= 0.01"]),
    ("year 0000", GOOD.replace("start: 2019-01", "start: 0000-01"), ["start", "year 0000"]),
    ("year 9999", GOOD.replace("start: 2019-01", "start: 9999-01"), ["start", "year 9999"]),
]


@pytest.mark.parametrize("what,text,expected", SCENARIO_CASES, ids=[c[0] for c in SCENARIO_CASES])
def test_hostile_scenario_is_refused_before_anything_is_written(tmp_path, what, text, expected):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    for command in ("validate", "run"):
        extra = ["--out", tmp_path / "o"] if command == "run" else []
        assert_refused(invoke([command, path, *extra]), *expected)
    assert not (tmp_path / "o").exists()


def test_billion_laughs_in_a_strategy_file_and_a_study(tmp_path):
    strategies = tmp_path / "strategies"
    strategies.mkdir()
    (strategies / "bomb.yaml").write_text("name: bomb\n" + laughs() + "actions: []\n")
    path = tmp_path / "s.yaml"
    path.write_text(GOOD + "strategies: {mobile: bomb}\n")
    assert_refused(invoke(["validate", path]), "bomb.yaml", "aliases expand")
    study = tmp_path / "study.yaml"
    study.write_text("name: x\nscenario: s.yaml\nsampler: grid\n" + laughs())
    assert_refused(invoke(["sweep", study, "--out", tmp_path / "o"]), "aliases expand")
    assert not (tmp_path / "o").exists()


def test_set_through_a_number_and_an_impossible_date(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD)
    assert_refused(invoke(["validate", path, "--set", "carriers.mobile.price.x=1"]),
                   "carriers.mobile.price.x", "not a mapping")
    assert_refused(invoke(["validate", path, "--set", "start=2019-02-30"]), "not a real date")
    assert_refused(invoke(["validate", path, "--set", "policy.pilots.x=1"]), "policy.pilots")


# ---------------------------------------------------------------- one pass, every problem (#24)

def test_three_independent_mistakes_are_all_reported_each_once(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD + """\
strategies:
  mobile:
    - {lever: teleport, start: 2019-02}
    - {lever: segment_plan, start: 2019-03, segment: yuoth, percent: -10}
  unicom: no_such_strategy
""")
    res = invoke(["validate", path])
    assert_refused(res, "3 problems", "strategies.mobile.0: unknown lever 'teleport'",
                   "strategies.mobile.1.segment: unknown segment 'yuoth'",
                   "strategies.unicom: unknown strategy 'no_such_strategy'")
    lines = [ln for ln in res.output.splitlines() if ln.strip().startswith("- ")]
    assert len(lines) == 3, res.output
    # schema first, then the cross-field check, then the strategy file, each with its line
    assert "teleport" in lines[0] and "yuoth" in lines[1] and "no_such_strategy" in lines[2]
    assert lines[0].endswith("s.yaml:12)") and lines[1].endswith("s.yaml:13)")


def test_a_cross_field_hint_is_printed_once(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD + "strategies:\n  mobile:\n    - {lever: price_change, start: 2019-05, "
                    "end: 2019-02, percent: -5}\n")
    res = invoke(["validate", path])
    assert_refused(res, "1 problem", "make end the same month or later")
    assert res.output.count("make end the same month or later") == 1


# ---------------------------------------------------------------- flags

def test_negative_seed_is_refused_on_every_command_before_the_out_folder(tmp_path):
    scenario = SCENARIOS / "china_mnp_2019.yaml"
    out = tmp_path / "o"
    for args in (["run", scenario], ["compare", scenario, "--strategy", "status_quo",
                                     "--strategy", "price_cut"],
                 ["game", scenario], ["calibrate", scenario, "--targets", "x.csv"]):
        res = invoke([*args, "--seed", "-1", "--out", out])
        assert res.exit_code == 2 and "--seed" in res.output, res.output
    assert not out.exists()


def test_empty_out_and_out_at_a_file_or_a_folder_named_like_an_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(GOOD)
    assert_refused(invoke(["run", scenario, "--out", ""]), "--out is empty")
    assert list(tmp_path.iterdir()) == [scenario]
    a_file = tmp_path / "file"
    a_file.write_text("mine")
    assert_refused(invoke(["run", scenario, "--out", a_file]), "not a folder")
    holder = tmp_path / "holder"
    (holder / "timeseries.csv").mkdir(parents=True)
    assert_refused(invoke(["run", scenario, "--out", holder, "--force"]),
                   "folder named timeseries.csv")
    assert [p.name for p in holder.iterdir()] == ["timeseries.csv"]


@pytest.mark.parametrize("command", ["sweep", "game", "calibrate"])
def test_store_commands_refuse_a_file_or_an_unwritable_out(tmp_path, command):
    study = write_study(tmp_path)
    targets = tmp_path / "t.csv"
    targets.write_text("date,quantity,carrier,value\n2019-03-31,cumulative_ports,all,1000\n")
    head = {"sweep": ["sweep", study],
            "game": ["game", tmp_path / "market.yaml", "--strategies",
                     "mobile=status_quo,price_cut"],
            "calibrate": ["calibrate", tmp_path / "market.yaml", "--targets", targets,
                          "--fit", "policy.porting_hassle"]}[command]
    a_file = tmp_path / "file"
    a_file.write_text("mine")
    assert_refused(invoke([*head, "--out", a_file]), "not a folder")
    assert a_file.read_text() == "mine"
    if os.geteuid() != 0:  # root can write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        assert_refused(invoke([*head, "--out", locked / "x"]), "--out")


def test_horizon_past_the_scenario_end_is_refused(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(GOOD)
    assert_refused(invoke(["compare", scenario, "--strategy", "status_quo", "--strategy",
                           "price_cut", "--horizon", "3", "--out", tmp_path / "o"]),
                   "--horizon 3", "--set months=3")
    assert_refused(invoke(["game", scenario, "--horizon", "30", "--out", tmp_path / "o"]),
                   "--horizon 30")
    assert not (tmp_path / "o").exists()


def test_population_beyond_the_machines_memory_is_refused_with_the_estimate(tmp_path,
                                                                          monkeypatch):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(GOOD)
    monkeypatch.setenv("MNP_MEMORY_BYTES", str(2**30))
    res = invoke(["run", scenario, "--set", "population.size=50000000", "--out", tmp_path / "o"])
    assert_refused(res, "population.size", "50,000,000 rows need about", "GiB")
    assert not (tmp_path / "o").exists()


def test_memory_estimate_grows_with_rows_and_ties():
    from sim.resources import estimate_bytes
    assert estimate_bytes(10_000_000) > 2 * estimate_bytes(1_000_000)
    assert estimate_bytes(10_000_000, acquaintances=20) > estimate_bytes(10_000_000)
    # at least what the scaling benchmark measured at 10 M rows (2.06 GB peak)
    assert estimate_bytes(10_000_000) > 2.06e9


# ---------------------------------------------------------------- schedulers

def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_and_bad_scheduler_files(tmp_path):
    study = write_study(tmp_path)
    out = tmp_path / "o"
    assert_refused(invoke(["sweep", study, "--out", out, "--scheduler",
                           f"tcp://127.0.0.1:{closed_port()}"]), "cannot reach the scheduler")
    assert_refused(invoke(["sweep", study, "--out", out, "--scheduler-file",
                           tmp_path / "missing.json"]), "no such file")
    empty = tmp_path / "empty.json"
    empty.write_text("{}")
    assert_refused(invoke(["sweep", study, "--out", out, "--scheduler-file", empty]),
                   "no scheduler address")
    assert_refused(invoke(["sweep", study, "--out", out, "--scheduler", "nonsense"]),
                   "not a scheduler address")
    assert not out.exists()


# ---------------------------------------------------------------- studies

def write_study(folder: Path, **fields) -> Path:
    scenario = {**BASE, "population": {"size": 300}, "months": 4}
    (folder / "market.yaml").write_text(yaml.safe_dump(scenario))
    study = {"name": "tiny", "scenario": "market.yaml", "sampler": "grid", "replicates": 1,
             "seed": 5, "parameters": [{"path": "policy.porting_hassle", "levels": [100, 400]}],
             "metrics": [{"name": "ports", "kind": "total_ports"}], **fields}
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(study, sort_keys=False))
    return path


STUDY_CASES = [
    ("text parameter", {"parameters": [{"path": "policy.mnp_start", "low": 1, "high": 2}]},
     ["parameters.0.path", "not a number"]),
    ("level the schema rejects", {"parameters": [{"path": "population.size", "levels": [10, 400]}]},
     ["parameters.0.levels", "10 for population.size", ">= 30"]),
    ("range the schema rejects", {"parameters": [{"path": "carriers.unicom.network_quality",
                                                  "low": 0.5, "high": 1.5}], "sampler": "lhs"},
     ["parameters.0.low/high", "1.5 for carriers.unicom.network_quality", "<= 1"]),
    ("metric month after the run", {"metrics": [{"name": "p", "kind": "total_ports",
                                                 "month": "2020-06"}]},
     ["metrics.0.month", "after the run ends (2019-04)"]),
    ("grid too large", {"parameters": [{"path": "policy.porting_hassle", "low": 1, "high": 2},
                                       {"path": "policy.number_loss_cost", "low": 1, "high": 2}],
                        "samples": 1000},
     ["samples", "1,000,000 runs", "at most 100,000"]),
    ("infinite bound", {"parameters": [{"path": "policy.porting_hassle", "low": 0,
                                        "high": float("inf")}], "sampler": "lhs"},
     ["parameters.0.high", "finite"]),
]


@pytest.mark.parametrize("what,fields,expected", STUDY_CASES, ids=[c[0] for c in STUDY_CASES])
def test_a_study_that_cannot_run_is_refused_before_any_run(tmp_path, what, fields, expected):
    study = write_study(tmp_path, **fields)
    assert_refused(invoke(["sweep", study, "--out", tmp_path / "o"]), *expected)
    assert not (tmp_path / "o").exists()


# ---------------------------------------------------------------- what --force may remove

def test_sweep_force_keeps_a_users_parts_folder(tmp_path):
    study = write_study(tmp_path)
    out = tmp_path / "o"
    (out / "parts").mkdir(parents=True)
    (out / "parts" / "notes.txt").write_text("mine")
    assert_refused(invoke(["sweep", study, "--out", out, "--force", "--workers", "1"]),
                   "parts/ holds notes.txt")
    assert (out / "parts" / "notes.txt").read_text() == "mine"


def test_remove_store_removes_only_its_own_files(tmp_path):
    from sim.sweep.execution import SweepPaths, remove_store
    paths = SweepPaths(tmp_path)
    (tmp_path / "parts").mkdir()
    for name in ("manifest.json", "design.parquet", "runs.parquet", "parts/part-00001.parquet",
                 "parts/.part-00002.parquet.tmp", "notes.txt", "final.csv"):
        (tmp_path / name).write_text("x")
    remove_store(paths)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["final.csv", "notes.txt"]


def test_calibrate_force_keeps_a_users_final_folder(tmp_path):
    targets = tmp_path / "t.csv"
    targets.write_text("date,quantity,carrier,value\n2019-03-31,cumulative_ports,all,1000\n")
    write_study(tmp_path)
    out = tmp_path / "o"
    (out / "final").mkdir(parents=True)
    (out / "final" / "draft.txt").write_text("mine")
    (out / "final" / "parts").mkdir()
    (out / "final" / "parts" / "notes.txt").write_text("mine")
    assert_refused(invoke(["calibrate", tmp_path / "market.yaml", "--targets", targets,
                           "--fit", "policy.porting_hassle", "--out", out, "--force"]),
                   "parts/ holds notes.txt")
    assert (out / "final" / "draft.txt").read_text() == "mine"
    assert (out / "final" / "parts" / "notes.txt").read_text() == "mine"


# ---------------------------------------------------------------- where outputs go

def test_a_scenario_name_never_leads_outside_the_out_folder(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for name, folder in (("../../escape", "escape"), ("/tmp/abs", "tmp_abs")):
        scenario = work / "s.yaml"
        scenario.write_text(GOOD.replace("name: ok", f"name: '{name}'"))
        res = invoke(["run", scenario])
        assert res.exit_code == 0, res.output
        assert (work / "out" / folder / "summary.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert not Path("/tmp/abs/summary.json").exists()


def test_outputs_respect_the_umask_and_a_killed_run_is_visible(tmp_path, monkeypatch):
    import sim.report
    scenario = tmp_path / "s.yaml"
    scenario.write_text(GOOD)
    out = tmp_path / "o"
    old = os.umask(0o022)
    try:
        assert invoke(["run", scenario, "--out", out]).exit_code == 0
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert set(modes.values()) == {0o644}, modes
    summary = json.loads((out / "summary.json").read_text())
    assert summary["complete"] and set(summary["files"]) == set(modes)
    # a rerun killed half-way (here: a plot that fails) leaves no summary.json behind
    (out / ".timeseries.csv.abcd1234.tmp").write_text("")  # a killed run's temporary file

    def boom(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(sim.report, "PLOTS", ((sim.report.PLOTS[0][0], "x", boom),))
    invoke(["run", scenario, "--out", out, "--force"])
    assert not (out / "summary.json").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_viz_warns_when_it_listens_on_every_interface(monkeypatch):
    pytest.importorskip("solara")
    import sim.viz.server
    monkeypatch.setattr(sim.viz.server, "serve", lambda *args: None)
    port = closed_port()
    res = invoke(["viz", "--host", "0.0.0.0", "--port", str(port)])
    assert res.exit_code == 0 and "warning:" in res.output and "0.0.0.0" in res.output
    res = invoke(["viz", "--port", str(port)])
    assert res.exit_code == 0 and "warning:" not in res.output


# ---------------------------------------------------------------- progress off a terminal

def test_progress_writes_plain_lines_every_tenth_when_not_a_terminal():
    import io

    from sim.progress import Progress
    stream = io.StringIO()
    with Progress("sweep", "runs", 200, terminal=False, stream=stream, fields=("failed",)) as bar:
        for done in range(1, 201):
            bar.update(done, failed=done // 100)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10, lines
    assert lines[0].startswith("sweep: 20/200 runs (10%), 0 failed")
    assert lines[-1].startswith("sweep: 200/200 runs (100%), 2 failed")


# ---------------------------------------------------------------- calibration resume

def test_a_resumed_calibration_search_draws_new_candidates(tmp_path):
    from sim.calibrate.search import Settings, _distributions, _study
    fits = [SimpleNamespace(name="a", start=0.5, low=0.0, high=1.0, log=False),
            SimpleNamespace(name="b", start=5.0, low=1.0, high=10.0, log=True)]
    settings = Settings(seed=7)
    db = tmp_path / "optuna.db"
    dists = _distributions(fits)

    def ask(study, n):
        trials = [study.ask(dists) for _ in range(n)]
        for t in trials:
            study.tell(t.number, sum(t.params.values()))
        return [tuple(t.params.values()) for t in trials]

    first = ask(_study(db, fits, settings, resume=False), 4)
    resumed = ask(_study(db, fits, settings, resume=True), 4)
    assert not set(first) & set(resumed), (first, resumed)
    # and resuming is itself reproducible
    db2 = tmp_path / "again.db"
    ask(_study(db2, fits, settings, resume=False), 4)
    assert ask(_study(db2, fits, settings, resume=True), 4) == resumed


def test_a_missing_extra_names_make_extras(capsys):
    import typer

    from sim.cli import require
    with pytest.raises(typer.Exit) as exc:
        require("sweep", "no_such_module_for_this_test", "json")
    assert exc.value.exit_code == 2
    err = capsys.readouterr().err
    assert "no_such_module_for_this_test" in err and "make extras" in err and "json," not in err


def test_the_command_line_starts_without_the_heavy_libraries():
    import subprocess
    import sys
    code = ("import sys, sim, sim.cli; heavy = {'pandas', 'mesa', 'numba', 'scipy', 'matplotlib',"
            " 'pydantic', 'dask'} & set(sys.modules); print(sorted(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]", done.stdout


@pytest.mark.slow
def test_a_sweep_whose_every_run_fails_exits_1(tmp_path):
    premium, youth = (f"population.segments.mass.{k}_brand_share" for k in ("premium", "youth"))
    study = write_study(tmp_path, parameters=[{"path": premium, "levels": [0.6]},
                                              {"path": youth, "levels": [0.6]}])
    res = invoke(["sweep", study, "--out", tmp_path / "o", "--workers", "1"])
    assert res.exit_code == 1 and "every run failed" in res.output, res.output
