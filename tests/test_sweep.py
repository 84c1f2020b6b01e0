"""Sweeps on Dask: designs, determinism, resuming after a real kill, losing a worker,
a real scheduler and worker, failed runs, and the analysis."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.scenario import ScenarioError
from sim.sweep import load_study, run_study
from sim.sweep.analysis import AnalysisError, analyse, sobol_indices
from sim.sweep.design import design_points, plan_runs

from .conftest import BASE

runner = CliRunner()
pytestmark = pytest.mark.slow
METRIC_COLUMNS = ["run_id", "point", "replicate", "seed", "mobile_net", "ports", "status"]


def write_study(folder: Path, **fields) -> Path:
    """A small study over the small test market, written with its scenario into `folder`."""
    scenario = {**BASE, "population": {"size": 1500}, "months": 10}
    (folder / "market.yaml").write_text(yaml.safe_dump(scenario))
    study = {
        "name": "tiny", "scenario": "market.yaml", "sampler": "grid", "replicates": 2,
        "seed": 5,
        "parameters": [{"path": "policy.porting_hassle", "levels": [100, 400]},
                       {"path": "carriers.unicom.price", "levels": [38, 44]}],
        "metrics": [{"name": "mobile_net", "kind": "net_porting", "carrier": "mobile"},
                    {"name": "ports", "kind": "total_ports"}],
        **fields,
    }
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(study, sort_keys=False))
    return path


def comparable(runs: pd.DataFrame) -> pd.DataFrame:
    return runs[METRIC_COLUMNS].sort_values("run_id").reset_index(drop=True)


# ---------------------------------------------------------------- designs and studies

@pytest.mark.parametrize("sampler, second, expected", [
    ("sobol", True, lambda n, k: n * (2 * k + 2)),
    ("sobol", False, lambda n, k: n * (k + 2)),
    ("morris", False, lambda n, k: n * (k + 1)),
    ("lhs", False, lambda n, k: n),
])
def test_designs_have_the_sizes_salib_requires(tmp_path, sampler, second, expected):
    params = [{"path": "policy.porting_hassle", "low": 100, "high": 800},
              {"path": "behaviour.choice_noise", "low": 3, "high": 8},
              {"path": "population.social.acquaintances", "low": 2, "high": 10}]
    study = load_study(write_study(tmp_path, sampler=sampler, samples=8, second_order=second,
                                   parameters=params))[0]
    points = design_points(study)
    assert points.shape == (expected(8, 3), 3)
    runs = plan_runs(study, {"population.social.acquaintances"})
    assert len(runs) == 2 * expected(8, 3)
    assert (runs["population.social.acquaintances"] % 1 == 0).all()  # integer field rounded
    # replicate r has one seed at every design point (common random numbers)
    assert runs.groupby("replicate")["seed"].nunique().eq(1).all()


def test_grid_is_the_product_of_levels(tmp_path):
    study = load_study(write_study(tmp_path))[0]
    points = design_points(study)
    assert sorted(map(tuple, points)) == [(100, 38), (100, 44), (400, 38), (400, 44)]


@pytest.mark.parametrize("fields, expected", [
    ({"parameters": [{"path": "policy.porting_hasle", "low": 1, "high": 2}]},
     "'policy.porting_hasle' does not exist in the scenario"),
    ({"sampler": "sobol"}, "levels are for the grid sampler"),
    ({"metrics": [{"name": "x", "kind": "nett_porting"}]}, "must be one of"),
    ({"discovery": {"metric": "nope", "below": 0}}, "'nope' is not a metric"),
    ({"sampler": "lhs", "replicates": 0}, "must be >= 1"),
])
def test_bad_studies_get_clear_errors(tmp_path, fields, expected):
    path = write_study(tmp_path, **fields)
    with pytest.raises(ScenarioError) as info:
        load_study(path)
    assert expected in info.value.render()
    result = runner.invoke(app, ["sweep", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and expected in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()


# ---------------------------------------------------------------- execution

@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tiny study, run once uninterrupted on one worker."""
    folder = tmp_path_factory.mktemp("ref")
    study = write_study(folder)
    return study, run_study(study, folder / "out", workers=1, batch_size=1)


def test_results_do_not_depend_on_the_number_of_workers(reference, tmp_path):
    study, one = reference
    two = run_study(study, tmp_path / "two", workers=2, batch_size=3)
    pd.testing.assert_frame_equal(comparable(one), comparable(two))
    assert (one["status"] == "ok").all() and len(one) == 8
    manifest = json.loads((tmp_path / "two" / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs"] == 8


def test_resume_after_killing_a_real_sweep_finishes_only_what_is_missing(reference, tmp_path):
    study, full = reference
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(study), "--out", str(out),
                             "--workers", "1", "--batch-size", "1"],
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    parts = out / "parts"
    while time.time() < deadline and len(list(parts.glob("part-*.parquet"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its Dask workers, mid-flight
    proc.wait()
    finished = len(list(parts.glob("part-*.parquet")))
    assert 2 <= finished < 8, "the kill should land mid-sweep"
    assert not (out / "runs.parquet").exists()
    with pytest.raises(AnalysisError, match="not finished"):
        analyse(out)
    report: list = []
    resumed = run_study(study, out, workers=1, batch_size=1, resume=True, report=report)
    assert report[0].skipped == finished and report[0].ran == 8 - finished
    assert resumed["run_id"].is_unique
    pd.testing.assert_frame_equal(comparable(resumed), comparable(full))


def test_a_lost_worker_costs_no_result(reference, tmp_path):
    from distributed import Client, LocalCluster

    study, full = reference
    slow = write_study(tmp_path, replicates=6)  # enough work to kill a worker mid-sweep
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_kwargs={"dashboard": False}) as cluster, Client(cluster) as client:
        killed = threading.Event()

        def kill_one(done, total, failed):
            if not killed.is_set():
                pid = next(iter(client.run(os.getpid).values()))
                os.kill(pid, signal.SIGKILL)
                killed.set()

        runs = run_study(slow, tmp_path / "out", scheduler=cluster.scheduler_address,
                         batch_size=2, on_progress=kill_one)
    assert killed.is_set()
    assert len(runs) == 24 and (runs["status"] == "ok").all() and runs["run_id"].is_unique
    first_two = comparable(runs[runs["replicate"] < 2].assign(
        run_id=lambda f: f["point"] * 2 + f["replicate"]))
    pd.testing.assert_frame_equal(first_two, comparable(full))


def test_a_real_scheduler_and_worker_run_a_sweep(reference, tmp_path):
    study, full = reference
    scheduler_file = tmp_path / "scheduler.json"
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not scheduler_file.exists():
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        worker = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
             "--nworkers", "1", "--no-dashboard"],
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result = runner.invoke(app, ["sweep", str(study), "--out", str(tmp_path / "out"),
                                     "--scheduler", address])
        assert result.exit_code == 0, result.output
        runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
        pd.testing.assert_frame_equal(comparable(runs), comparable(full))
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)


def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(tmp_path):
    # each level is valid alone (a level the schema rejects is refused before any run),
    # but premium + youth brand shares above 1 together fail in the run
    premium, youth = (f"population.segments.mass.{k}_brand_share" for k in ("premium", "youth"))
    study = write_study(tmp_path, replicates=1, parameters=[
        {"path": premium, "levels": [0.1, 0.6]}, {"path": youth, "levels": [0.1, 0.6]}])
    report: list = []
    runs = run_study(study, tmp_path / "out", workers=1, report=report)
    bad = runs[(runs[premium] == 0.6) & (runs[youth] == 0.6)].iloc[0]
    good = runs[runs[premium] == 0.1]
    assert bad["status"] == "error" and "brand_share" in bad["error"]
    assert np.isnan(bad["mobile_net"])
    assert (good["status"] == "ok").all() and len(good) == 2
    assert len(report[0].failed) == 1


def test_an_existing_out_needs_resume_or_force(reference, tmp_path):
    study, _ = reference
    run_study(study, tmp_path / "out", workers=1)
    result = runner.invoke(app, ["sweep", str(study), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--resume" in result.output


# ---------------------------------------------------------------- analysis

def test_sobol_analysis_finds_the_driving_parameter(tmp_path):
    study = write_study(tmp_path, sampler="sobol", samples=16, replicates=1, parameters=[
        {"path": "policy.porting_hassle", "low": 50, "high": 900},
        {"path": "carriers.telecom.transparency", "low": 0.5, "high": 0.51}])
    run_study(study, tmp_path / "out", workers=2)
    result = analyse(tmp_path / "out")
    table = result.tables["sobol_indices"].set_index(["metric", "parameter"])
    hassle = table.loc[("ports", "policy.porting_hassle")]
    other = table.loc[("ports", "carriers.telecom.transparency")]
    assert hassle["ST"] > 0.5 > other["ST"]
    for name in ("sobol_indices.csv", "sobol_indices.png", "scatter.png", "report.html"):
        assert (tmp_path / "out" / "analysis" / name).stat().st_size > 0


def test_sobol_indices_are_refused_on_other_designs(reference):
    study_path, runs = reference
    study = load_study(study_path)[0]
    with pytest.raises(AnalysisError, match="need a Sobol design"):
        sobol_indices(study, runs)


def test_grid_analysis_and_discovery(tmp_path):
    study = write_study(tmp_path, replicates=1,
                        discovery={"metric": "ports", "above": 10.0})
    run_study(study, tmp_path / "out", workers=1)
    result = runner.invoke(app, ["analyze", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    levels = pd.read_csv(tmp_path / "out" / "analysis" / "level_means.csv")
    ports = levels[(levels["metric"] == "ports") & (levels["parameter"] == "policy.porting_hassle")]
    assert ports.set_index("level").loc[100, "mean"] > ports.set_index("level").loc[400, "mean"]
    scores = pd.read_csv(tmp_path / "out" / "analysis" / "discovery_scores.csv")
    assert set(scores["parameter"]) == {"policy.porting_hassle", "carriers.unicom.price"}
