"""Sweeps a referee can trust: warnings on under-sized Sobol designs, bootstrap intervals
and convergence, PRIM boxes that restrict nothing, monthly series stored tidy in
Parquet and CSV (resumable like the runs), and bad new options refused clearly."""

import warnings

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.scenario import ScenarioError
from sim.sweep import load_study, run_study
from sim.sweep.analysis import (
    SensitivityWarning,
    analyse,
    discovery,
    point_means,
    sobol_convergence,
    sobol_indices,
    sobol_reliability,
)
from sim.sweep.design import design_points
from sim.sweep.execution import SweepPaths, export_csv

from .test_sweep import write_study

runner = CliRunner()
pytestmark = pytest.mark.slow

SERIES_METRICS = [
    {"name": "mobile_net", "kind": "net_porting", "carrier": "mobile", "series": True},
    {"name": "ports", "kind": "total_ports", "series": ["2019-05", "2019-10"]},
    {"name": "mobile_share", "kind": "share", "carrier": "mobile"},
]


@pytest.fixture(scope="module")
def small_sobol(tmp_path_factory):
    """A deliberately too-small Sobol study (8 base samples, 2 inputs: 32 runs) that also
    records two series and exports CSV; run once on two workers."""
    folder = tmp_path_factory.mktemp("sobol")
    study = write_study(folder, sampler="sobol", samples=8, replicates=1, export=["csv"],
                        metrics=SERIES_METRICS, parameters=[
                            {"path": "policy.porting_hassle", "low": 100, "high": 800},
                            {"path": "carriers.unicom.price", "low": 38, "high": 46}])
    out = folder / "out"
    runs = run_study(study, out, workers=2)
    return study, out, runs


# ---------------------------------------------------------------- sensitivity you can trust

def test_a_too_small_sobol_study_warns(small_sobol):
    _, out, _ = small_sobol
    with pytest.warns(SensitivityWarning, match="too small"):
        result = analyse(out)
    assert result.warnings and any("too small" in w for w in result.warnings)
    report = (out / "analysis" / "report.html").read_text()
    assert "not reliable" in report and "too small" in report
    table = pd.read_csv(out / "analysis" / "sobol_indices.csv")
    # every index has its bootstrap interval beside it, and the interval holds the estimate
    for index in ("S1", "ST"):
        assert table[[f"{index}_conf", f"{index}_low", f"{index}_high"]].notna().all().all()
        assert (table[f"{index}_low"] <= table[f"{index}_high"]).all()
    cli = runner.invoke(app, ["analyze", str(out)])
    assert cli.exit_code == 0, cli.output
    assert "warning:" in cli.output and "Traceback" not in cli.output


def test_convergence_recomputes_the_indices_on_growing_designs(small_sobol):
    study_path, _, runs = small_sobol
    study = load_study(study_path)[0]
    means = point_means(study, runs)
    table = sobol_convergence(study, means)
    assert sorted(table["base_samples"].unique()) == [8]  # N = 8: nothing smaller to show
    full = sobol_indices(study, means)
    last = table[table["base_samples"] == 8].reset_index(drop=True)
    pd.testing.assert_series_equal(last["ST"], full["ST"], check_names=False)


def _linear_means(study, coefficients):
    """Point means of y = sum(c_j x_j) on the study's own Sobol design: the exact
    first-order indices are c_j^2 var(x_j) / var(y)."""
    x = design_points(study)
    frame = pd.DataFrame(x, columns=study.names)
    for metric in study.metrics:
        frame[metric.name] = x @ np.asarray(coefficients)
    return frame


def test_a_large_enough_design_does_not_warn_and_converges(tmp_path):
    study = load_study(write_study(tmp_path, sampler="sobol", samples=1024, replicates=1,
                                   metrics=[{"name": "y", "kind": "total_ports"}],
                                   parameters=[
                                       {"path": "policy.porting_hassle", "low": 0, "high": 1},
                                       {"path": "carriers.unicom.price", "low": 1, "high": 2}]))[0]
    means = _linear_means(study, [2.0, 1.0])  # S1 = 0.8 and 0.2 exactly
    table = sobol_indices(study, means)
    assert table["S1"].round(1).tolist() == [0.8, 0.2]
    assert sobol_reliability(study, table) == []
    convergence = sobol_convergence(study, means)
    assert sorted(convergence["base_samples"].unique()) == [8, 16, 32, 64, 128, 256, 512, 1024]
    widths = convergence.groupby("base_samples")["S1_conf"].max()
    assert widths.iloc[-1] < widths.iloc[0] / 4  # intervals shrink as runs are added


def test_a_negative_index_beyond_its_interval_is_flagged(tmp_path):
    study = load_study(write_study(tmp_path, sampler="sobol", samples=8, replicates=1,
                                   parameters=[{"path": "policy.porting_hassle", "low": 0,
                                                "high": 1}]))[0]
    table = pd.DataFrame([{"metric": "m", "parameter": "policy.porting_hassle", "S1": -0.3,
                           "S1_conf": 0.1, "ST": 0.5, "ST_conf": 0.04}])
    lines = sobol_reliability(study, table)
    assert any("negative beyond" in line for line in lines)


# ---------------------------------------------------------------- PRIM boxes

def _discovery_runs(tmp_path, y_rule):
    study = load_study(write_study(tmp_path, sampler="lhs", samples=400, replicates=1,
                                   discovery={"metric": "ports", "above": 0.5},
                                   parameters=[
                                       {"path": "policy.porting_hassle", "low": 0, "high": 1},
                                       {"path": "carriers.unicom.price", "low": 1, "high": 2}]))[0]
    rng = np.random.default_rng(1)
    x = rng.random((400, 2))
    runs = pd.DataFrame(x, columns=study.names)
    runs["ports"] = y_rule(x, rng).astype(float)
    runs["mobile_net"] = 0.0
    runs["status"] = "ok"
    return study, runs


def test_a_prim_box_that_restricts_nothing_is_called_no_finding(tmp_path):
    pytest.importorskip("ema_workbench")
    study, runs = _discovery_runs(tmp_path, lambda x, rng: rng.random(len(x)) < 0.9)
    _, box, note = discovery(study, runs)
    assert box is not None and not box["restricted"].any()
    assert "restricts little" in note and "no finding" in note


def test_a_prim_box_that_restricts_says_where(tmp_path):
    pytest.importorskip("ema_workbench")
    study, runs = _discovery_runs(tmp_path, lambda x, rng: x[:, 0] > 0.7)
    _, box, note = discovery(study, runs)
    restricted = box.set_index("parameter")["restricted"]
    assert restricted["policy.porting_hassle"] and not restricted["carriers.unicom.price"]
    assert "restricts little" not in note and "policy.porting_hassle to" in note


# ---------------------------------------------------------------- monthly series

def test_series_round_trip_through_parquet_and_csv(small_sobol):
    _, out, runs = small_sobol
    paths = SweepPaths(out)
    series = pd.read_parquet(paths.series)
    assert list(series.columns) == ["run_id", "month", "metric", "value"]
    ok = runs[runs["status"] == "ok"]
    # every month of the run for `series: true`, the two listed months for the other
    per_run = series.groupby(["metric", "run_id"]).size()
    assert (per_run.loc["mobile_net"] == 10).all() and (per_run.loc["ports"] == 2).all()
    assert set(series["run_id"]) == set(ok["run_id"])
    assert sorted(series.loc[series["metric"] == "ports", "month"].unique()) == [
        "2019-05", "2019-10"]
    # the series ends at the run's end-point value
    last = series[(series["metric"] == "mobile_net") & (series["month"] == "2019-10")]
    merged = last.merge(ok[["run_id", "mobile_net"]], on="run_id")
    np.testing.assert_array_equal(merged["value"], merged["mobile_net"])
    assert series[(series["metric"] == "mobile_net") & (series["month"] == "2019-01")][
        "value"].eq(0).all()  # no porting before MNP opens
    # CSV export of both tables reads back equal to the Parquet files
    back = pd.read_csv(paths.csv("series"), dtype={"month": str})
    pd.testing.assert_frame_equal(back, series, check_exact=True)
    runs_back = pd.read_csv(paths.csv("runs"))
    pd.testing.assert_frame_equal(runs_back[["run_id", "mobile_net", "ports"]],
                                  pd.read_parquet(paths.runs)[["run_id", "mobile_net", "ports"]],
                                  check_exact=True)
    # and the export can be asked for again on a finished sweep
    assert [p.name for p in export_csv(out)] == ["runs.csv", "series.csv"]


def test_series_resume_after_a_kill_between_the_two_writes(small_sobol, tmp_path):
    """A task's series part is written before its run part; a kill in between leaves a
    series part alone, which resume discards and re-runs: the result is identical,
    whatever the workers and batch sizes."""
    import shutil
    study, out, _ = small_sobol
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    paths = SweepPaths(copy)
    parts = paths.part_files()
    parts[0].unlink()                              # killed after its series, before its runs
    paths.series_part(parts[1]).unlink()           # and a whole task lost
    parts[1].unlink()
    paths.runs.unlink()
    paths.series.unlink()
    report: list = []
    run_study(study, copy, workers=1, batch_size=1, resume=True, report=report)
    assert report[0].ran > 0 and not paths.stray_series_parts()
    pd.testing.assert_frame_equal(pd.read_parquet(paths.series), pd.read_parquet(
        SweepPaths(out).series))
    pd.testing.assert_frame_equal(pd.read_csv(paths.csv("series"), dtype={"month": str}),
                                  pd.read_parquet(paths.series), check_exact=True)


def test_series_plot_and_bands_in_the_analysis(small_sobol):
    _, out, _ = small_sobol
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SensitivityWarning)
        result = analyse(out)
    bands = result.details["series_bands"]
    assert set(bands["metric"]) == {"mobile_net", "ports"}
    assert (bands["p05"] <= bands["mean"] + 1e-9).all() and (bands["mean"] <= bands["p95"]
                                                            + 1e-9).all()
    assert (out / "analysis" / "series.png").stat().st_size > 0


# ---------------------------------------------------------------- bad new options

@pytest.mark.parametrize("fields, where, expected", [
    ({"metrics": [{"name": "x", "kind": "total_ports", "series": ["2021-01"]}]},
     "metrics.0.series", "2021-01 is outside the run (the run covers 2019-01 to 2019-10)"),
    ({"metrics": [{"name": "x", "kind": "total_ports", "series": ["2019-13"]}]},
     "metrics.0.series", "months are written YYYY-MM"),
    ({"metrics": [{"name": "x", "kind": "total_ports", "series": "monthly"}]},
     "metrics.0.series", "must be true, false or a list of months"),
    ({"metrics": [{"name": "x", "kind": "total_ports", "month": "2020-06"}]},
     "metrics.0.month", "2020-06 is after the run ends"),
    ({"export": ["xlsx"]}, "export", "unknown export format 'xlsx'; use one of csv"),
])
def test_bad_new_options_get_one_clear_message(tmp_path, fields, where, expected):
    path = write_study(tmp_path, **fields)
    with pytest.raises(ScenarioError) as info:
        load_study(path)
    text = info.value.render()
    assert where in text and expected in text
    result = runner.invoke(app, ["sweep", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and expected in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()


@pytest.mark.parametrize("name", ["sobol_switching_cost", "morris_screening", "grid_mnp_hassle"])
def test_the_shipped_studies_load(name):
    from .conftest import ROOT
    study = load_study(ROOT / "experiments" / f"{name}.yaml")[0]
    assert study.name == name
    if name == "sobol_switching_cost":  # sized so its indices are resolved (docs/sweeps.md)
        assert study.samples >= 1024 and study.samples & (study.samples - 1) == 0
