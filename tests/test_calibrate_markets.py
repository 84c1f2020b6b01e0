"""Joint calibration across markets (issue 19): the new target quantities' exact rules, the
mirrored loss of a negative figure, the markets file's errors, and `mnp calibrate-markets`
end to end (one behaviour, per-market losses, leave-one-market-out, resume repeats no run)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.calibrate.loss import log_errors, loss
from sim.calibrate.markets import MarketsError, load_markets
from sim.calibrate.targets import Target, applicable, read_targets, simulated
from sim.cli import app
from sim.scenario import load_scenario

from .conftest import SCENARIOS

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
CHINA_TARGETS = ROOT / "experiments" / "calibration" / "china_mnp_targets.csv"


def _series(months: list[str], ports: dict[str, list[float]], ins: dict[str, list[float]],
            subs: float = 100.0) -> pd.DataFrame:
    rows = []
    for i, month in enumerate(months):
        for carrier in ports:
            rows.append({"month": month, "carrier": carrier, "subscribers": subs,
                         "port_in": ins[carrier][i], "port_out": ports[carrier][i],
                         "revenue": 1.0})
    return pd.DataFrame(rows)


def test_quarterly_yearly_and_net_porting_read_the_right_months():
    months = [f"2020-{m:02d}" for m in range(1, 13)]
    out_a = [float(m) for m in range(1, 13)]          # 1, 2, ..., 12
    out_b = [2.0] * 12
    ts = _series(months, {"a": out_a, "b": out_b}, {"a": out_b, "b": out_a})
    scenario = load_scenario(SCENARIOS / "china_mnp_2019.yaml", ["start=2020-01", "months=12"])
    targets = [Target(2, "2020-06-30", "quarterly_ports", "all", 1, 1),
               Target(3, "2020-12-31", "yearly_ports", "a", 1, 1),
               Target(4, "2020-12-31", "cumulative_net_porting", "a", 1, 1),
               Target(5, "2020-12-31", "cumulative_ports_share", "all", 1, 1)]
    got = simulated(ts, targets, scenario)
    assert got[0] == (4 + 5 + 6) + 3 * 2          # April to June, both carriers
    assert got[1] == sum(out_a)                    # the whole year, carrier a
    assert got[2] == 12 * 2 - sum(out_a)           # ins 2 a month, outs 1..12
    assert got[3] == pytest.approx((sum(out_a) + 24) / 200)


def test_a_flow_whose_months_begin_before_the_run_is_skipped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("date,quantity,carrier,value\n2019-06-30,yearly_ports,all,100\n"
                    "2020-06-30,yearly_ports,all,100\n")
    scenario = load_scenario(SCENARIOS / "china_mnp_2019.yaml")
    found = applicable(read_targets(path), scenario)
    assert [t.date for t in found.targets] == ["2020-06-30"]
    assert "12 months begin before" in found.skipped[0].reason


def test_negative_figures_are_allowed_only_where_signed_and_mirrored_in_the_loss(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("date,quantity,carrier,value\n2020-06-30,cumulative_net_porting,mobile,-719\n")
    assert read_targets(path)[0].value == -719
    path.write_text("date,quantity,carrier,value\n2020-06-30,cumulative_ports,all,-719\n")
    with pytest.raises(Exception, match="positive"):
        read_targets(path)
    path.write_text("date,quantity,carrier,value\n2020-06-30,cumulative_net_porting,all,-719\n")
    with pytest.raises(Exception, match="needs a carrier"):
        read_targets(path)
    # -700 against -719 costs what 700 against 719 costs; the wrong sign sits at the floor
    assert log_errors([-700.0], [-719.0])[0] == pytest.approx(np.log(700 / 719))
    assert loss(np.array([50.0]), np.array([-719.0]), np.ones(1)) == pytest.approx(
        np.log(1e-3) ** 2)


def _markets_file(tmp_path: Path, extra: str = "", second_weight: float = 1.0) -> Path:
    path = tmp_path / "markets.yaml"
    path.write_text(f"""
markets:
  china:
    scenario: {SCENARIOS / 'china_mnp_2019_calibrated.yaml'}
    targets: {CHINA_TARGETS}
    until: 2020-06-30
    sets: [burn_in_months=0, carriers.mobile.brand=7.5]
  pilots:
    scenario: {SCENARIOS / 'china_pilots_2010.yaml'}
    targets: {CHINA_TARGETS}
    only: [pilot_uptake]
    weight: {second_weight}
    sets: [burn_in_months=0]
fit:
  - population.segments.*.review_rate=0.5:2
rows: 2000
trials: 2
replicates: 1
final_replicates: 2
lomo_trials: 1
{extra}
""")
    return path


@pytest.mark.parametrize("extra, expected", [
    ("seed: -1", "seed"), ("bogus: 1", "bogus"), ("trials: 0", "trials"),
    ("markets: 3", "markets")])
def test_markets_file_errors_name_the_field_and_exit_2(tmp_path, extra, expected):
    path = _markets_file(tmp_path, extra)
    with pytest.raises(MarketsError, match=expected):
        load_markets(path)
    result = runner.invoke(app, ["calibrate-markets", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert expected in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_missing_markets_file_and_scenario_exit_2(tmp_path):
    result = runner.invoke(app, ["calibrate-markets", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2 and "file not found" in result.output
    path = _markets_file(tmp_path)
    path.write_text(path.read_text().replace("china_pilots_2010.yaml", "nowhere.yaml"))
    result = runner.invoke(app, ["calibrate-markets", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "markets.pilots.scenario" in result.output


def test_shared_parameters_take_the_first_markets_range(tmp_path):
    problem = load_markets(_markets_file(tmp_path))
    assert [m.name for m in problem.markets] == ["china", "pilots"]
    ranges = {(p.low, p.high) for m in problem.markets for p in m.problem.fits}
    assert ranges == {(0.5, 2.0)}
    assert all(m.problem.base["population"]["size"] == 2000 for m in problem.markets)


def test_calibrate_markets_end_to_end_with_leave_one_out_and_resume(tmp_path):
    path = _markets_file(tmp_path, second_weight=3.0)
    out = tmp_path / "out"
    result = runner.invoke(app, ["calibrate-markets", str(path), "--out", str(out),
                                 "--workers", "1"])
    assert result.exit_code == 0, result.output
    for name in ("report.md", "joint_fit.csv", "lomo.csv", "parameters.csv", "fit.png",
                 "calibrated/china.yaml", "calibrated/pilots.yaml"):
        assert (out / name).is_file(), name
    fit = pd.read_csv(out / "joint_fit.csv")
    assert set(fit["market"]) == {"china", "pilots"}
    assert set(fit[fit["market"] == "pilots"]["quantity"]) == {"pilot_uptake"}
    assert (fit[(fit["market"] == "china") & (fit["date"] > "2020-06-30")]["role"]
            == "held out").all()
    lomo = pd.read_csv(out / "lomo.csv")
    assert set(lomo["held_out_market"]) == {"china", "pilots"}
    # the fitted value is written into both markets' scenarios
    best = float(pd.read_csv(out / "parameters.csv")["best"].iloc[0])
    for market in ("china", "pilots"):
        text = (out / "calibrated" / f"{market}.yaml").read_text()
        assert "Joint fit" in text and f"{best:.4g}" in text
        written = load_scenario(out / "calibrated" / f"{market}.yaml")  # a valid scenario
        assert written.burn_in_months == 0       # the entry's own settings are kept
    assert load_scenario(out / "calibrated" / "china.yaml").carriers["mobile"].brand == 7.5
    # the joint loss is the markets' weighted mean of their own losses (weights 1 and 3)
    candidates = pd.read_csv(out / "joint" / "candidates.csv")
    assert np.allclose(candidates["loss"],
                       (candidates["loss_china"] + 3 * candidates["loss_pilots"]) / 4)
    parts = sorted((out / "joint").rglob("part-*.parquet"))
    again = runner.invoke(app, ["calibrate-markets", str(path), "--out", str(out), "--resume",
                                "--workers", "1"])
    assert again.exit_code == 0, again.output
    assert sorted((out / "joint").rglob("part-*.parquet")) == parts   # no run repeated
    refused = runner.invoke(app, ["calibrate-markets", str(path), "--out", str(out)])
    assert refused.exit_code == 2 and "--resume" in refused.output
