"""The command line as a user runs it: outputs, overrides, determinism, bad input."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from sim.cli import app

from .conftest import SCENARIOS

runner = CliRunner()
SMALL = ["--set", "population.size=3000", "--set", "months=14"]
OUTPUTS = {"timeseries.csv", "porting_matrix.csv", "loyalty.csv", "segment_porting.csv",
           "summary.json", "report.html",
           "subscribers.png", "net_porting.png", "churn.png", "loyalty.png", "switching_cost.png"}


def test_run_writes_every_output(tmp_path):
    out = tmp_path / "run"
    res = runner.invoke(app, ["run", str(SCENARIOS / "china_mnp_2019.yaml"), "--out", str(out),
                              *SMALL])
    assert res.exit_code == 0, res.output
    assert {p.name for p in out.iterdir()} == OUTPUTS
    summary = json.loads((out / "summary.json").read_text())
    assert summary["population_rows"] == 3000 and summary["months"] == 14
    assert set(summary["cumulative_net_porting"]) == {"mobile", "unicom", "telecom"}
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64") == 5 and "Reading" in html
    header = (out / "timeseries.csv").read_text().splitlines()[0].split(",")
    for col in ("month", "carrier", "subscribers", "port_in", "port_out", "net_porting",
                "switch_in_new_number", "switch_out_new_number", "joins", "leaves", "revenue",
                "cost", "satisfaction_mean", "false_loyal_share"):
        assert col in header
    assert (out / "loyalty.csv").read_text().startswith(
        "month,carrier,loyalist,hostage,mercenary,defector")
    assert (out / "porting_matrix.csv").read_text().startswith("month,from,to,ports")


def test_same_seed_same_files_other_seed_differs(tmp_path):
    scenario = str(SCENARIOS / "false_loyalty_demo.yaml")
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        res = runner.invoke(app, ["run", scenario, "--seed", seed, "--out",
                                  str(tmp_path / name), *SMALL])
        assert res.exit_code == 0, res.output
    for f in ("timeseries.csv", "porting_matrix.csv", "loyalty.csv"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    assert (tmp_path / "a" / "timeseries.csv").read_bytes() != (
        tmp_path / "c" / "timeseries.csv").read_bytes()


def test_existing_out_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    keep = out / "notes.txt"
    keep.write_text("mine")
    res = runner.invoke(app, ["run", str(SCENARIOS / "price_war.yaml"), "--out", str(out),
                              *SMALL])
    assert res.exit_code == 2
    assert "--force" in res.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"] and keep.read_text() == "mine"
    res = runner.invoke(app, ["run", str(SCENARIOS / "price_war.yaml"), "--out", str(out),
                              "--force", *SMALL])
    assert res.exit_code == 0, res.output
    assert keep.read_text() == "mine" and (out / "timeseries.csv").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_set_overrides_are_applied_and_validated(tmp_path):
    res = runner.invoke(app, ["validate", str(SCENARIOS / "china_mnp_2019.yaml"),
                              "--set", "population.size=1000000", "--set",
                              "policy.mnp_start=2020-06"])
    assert res.exit_code == 0 and "1,000,000" in res.output and "2020-06" in res.output
    res = runner.invoke(app, ["validate", str(SCENARIOS / "china_mnp_2019.yaml"),
                              "--set", "population.size=-5"])
    assert res.exit_code == 2 and "population.size" in res.output and ">= 30" in res.output


@pytest.mark.parametrize("name", sorted(p.name for p in SCENARIOS.glob("*.yaml")))
def test_shipped_scenarios_validate(name):
    res = runner.invoke(app, ["validate", str(SCENARIOS / name)])
    assert res.exit_code == 0, res.output


def test_profile_prints_phases(tmp_path):
    res = runner.invoke(app, ["run", str(SCENARIOS / "price_war.yaml"), "--out",
                              str(tmp_path / "p"), "--profile", *SMALL])
    assert res.exit_code == 0 and "experiences" in res.output and "choose" in res.output


def test_real_process_bad_input_exit_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncarriers:\n  cmcc: {subscribers: 1, price: 1}\n")
    proc = subprocess.run([sys.executable, "-m", "sim", "run", str(bad), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "carriers: 1 carrier(s) given" in proc.stderr and "2 to 16" in proc.stderr
    assert not (tmp_path / "o").exists()
