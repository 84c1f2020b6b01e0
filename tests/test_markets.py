"""Any market: 2 to 16 named carriers, launches, phased openings, through every command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.params import month_index
from sim.runner import run
from sim.scenario import load_scenario
from sim.viz.controls import controls

from .conftest import SCENARIOS

runner = CliRunner()
MARKETS = {  # scenario, --set overrides keeping each run small
    "duopoly": (SCENARIOS / "examples" / "duopoly_one_way.yaml",
                ["population.size=6000", "months=30"]),
    "broadnet": (SCENARIOS / "china_broadnet_2022.yaml",
                 ["population.size=20000", "months=48"]),
    "six": (SCENARIOS / "examples" / "six_carriers.yaml", ["population.size=6000"]),
}


@pytest.fixture(scope="module", params=list(MARKETS))
def market(request):
    path, overrides = MARKETS[request.param]
    scenario = load_scenario(path, overrides)
    return scenario, run(scenario)


def test_carriers_follow_the_scenario(market):
    scenario, result = market
    ts = result.timeseries
    assert list(dict.fromkeys(ts["carrier"])) == list(scenario.carriers)
    assert len(ts) == scenario.months * len(scenario.carriers)
    ports = result.porting_matrix
    assert set(ports["from"]) | set(ports["to"]) == set(scenario.carriers)


def test_net_porting_sums_to_zero_and_subscribers_are_conserved(market):
    scenario, result = market
    ts = result.timeseries
    assert ts.groupby("month")["net_porting"].sum().abs().max() < 1e-6
    total = ts.groupby("month")["subscribers"].sum()
    assert np.allclose(total, scenario.represents())


def test_no_subscribers_or_ports_before_launch(market):
    scenario, result = market
    ts = result.timeseries
    for key in scenario.carriers:
        launch = scenario.launch_month(key)
        mine = ts[ts["carrier"] == key].reset_index(drop=True)
        before = mine.iloc[:max(launch, 0)]
        assert (before[["subscribers", "port_in", "port_out", "joins"]] == 0).all().all()
        if launch > 0:  # a launched carrier competes: it wins subscribers
            assert mine["subscribers"].iloc[-1] > 0


def test_no_port_leaves_a_carrier_before_its_own_opening(market):
    scenario, result = market
    ts = result.timeseries
    for key in scenario.carriers:
        opens = scenario.policy.opens(key)
        mine = ts[ts["carrier"] == key].reset_index(drop=True)
        cut = len(mine) if opens is None else max(month_index(opens, scenario.start), 0)
        assert (mine["port_out"].iloc[:cut] == 0).all(), key


def test_one_way_opening_ports_only_out_of_the_opened_carrier():
    path, overrides = MARKETS["duopoly"]
    scenario = load_scenario(path, overrides)
    ts = run(scenario).timeseries
    incumbent = ts[ts["carrier"] == "incumbent"].set_index("month")
    entrant = ts[ts["carrier"] == "entrant"].set_index("month")
    between = slice("2020-01", "2020-12")  # only the incumbent's subscribers may port
    assert incumbent.loc[between, "port_out"].sum() > 0
    assert entrant.loc[between, "port_out"].sum() == 0
    assert entrant.loc["2021-01":, "port_out"].sum() > 0


def test_a_launching_carrier_gets_a_colour_and_label_everywhere():
    path, overrides = MARKETS["six"]
    scenario = load_scenario(path, overrides)
    ts = run(scenario).timeseries
    look = ts.attrs["carriers"]
    assert look["zeta"]["label"] == "Zeta (new)" and look["epsilon"]["colour"] == "#444444"
    colours = [v["colour"] for v in look.values()]
    assert len(set(colours)) == len(colours)


def test_run_and_validate_commands(tmp_path):
    for name, (path, overrides) in MARKETS.items():
        sets = [a for o in overrides for a in ("--set", o)]
        res = runner.invoke(app, ["validate", str(path), *sets])
        assert res.exit_code == 0, res.output
        out = tmp_path / name
        res = runner.invoke(app, ["run", str(path), *sets, "--out", str(out)])
        assert res.exit_code == 0, res.output
        summary = json.loads((out / "summary.json").read_text())
        scenario = load_scenario(path, overrides)
        keys = list(scenario.carriers)
        assert list(summary["final_share"]) == keys
        matrix = pd.read_csv(out / "porting_matrix.csv")
        assert len(matrix) == scenario.months * len(keys) * (len(keys) - 1)


def test_compare_for_a_late_carrier(tmp_path):
    path, _ = MARKETS["six"]
    out = tmp_path / "cmp"
    res = runner.invoke(app, ["compare", str(path), "--carrier", "zeta", "--strategy",
                              "status_quo", "--strategy", "price_cut", "--replicates", "2",
                              "--set", "population.size=3000", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "report.html").is_file()


def test_game_in_a_duopoly(tmp_path):
    path, _ = MARKETS["duopoly"]
    out = tmp_path / "game"
    res = runner.invoke(app, ["game", str(path), "--strategies", "incumbent=status_quo,price_cut",
                              "--strategies", "entrant=status_quo,price_cut", "--replicates", "2",
                              "--set", "population.size=2000", "--set", "months=18",
                              "--workers", "1", "--out", str(out)])
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "game.json").read_text())
    assert summary["profiles_simulated"] == 4
    assert set(summary["strategies"]) == {"incumbent", "entrant"}


def test_sweep_over_six_carriers(tmp_path):
    study = tmp_path / "study.yaml"
    study.write_text(f"""name: six
scenario: {MARKETS['six'][0]}
set: [population.size=2000, months=14]
sampler: grid
replicates: 1
seed: 3
parameters:
  - {{path: carriers.zeta.price, levels: [30, 45]}}
metrics:
  - {{name: zeta_net, kind: net_porting, carrier: zeta}}
  - {{name: ports, kind: total_ports, carrier: market}}
""")
    res = runner.invoke(app, ["sweep", str(study), "--out", str(tmp_path / "out"),
                              "--workers", "1"])
    assert res.exit_code == 0, res.output
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    assert len(runs) == 2 and runs["status"].eq("ok").all()
    bad = tmp_path / "bad.yaml"
    bad.write_text(study.read_text().replace("carrier: zeta", "carrier: omega"))
    res = runner.invoke(app, ["sweep", str(bad), "--out", str(tmp_path / "o2")])
    assert res.exit_code == 2 and "unknown carrier 'omega'" in res.output


def test_calibrate_a_four_carrier_market(tmp_path):
    targets = tmp_path / "t.csv"
    targets.write_text("date,quantity,carrier,value\n"
                       "2020-06-30,cumulative_ports,all,5000000\n"
                       "2022-12-31,subscribers,broadnet,5000000\n")
    path, _ = MARKETS["broadnet"]
    res = runner.invoke(app, ["calibrate", str(path), "--targets", str(targets), "--fit",
                              "carriers.broadnet.brand=-30:10", "--trials", "2",
                              "--replicates", "1", "--profile-points", "2",
                              "--final-replicates", "2", "--workers", "1",
                              "--set", "population.size=4000", "--set", "months=48",
                              "--out", str(tmp_path / "cal")])
    assert res.exit_code == 0, res.output
    fit = json.loads((tmp_path / "cal" / "fit.json").read_text())
    assert {t["carrier"] for t in fit["targets"]} == {"all", "broadnet"}


def test_teaching_controls_cover_every_carrier():
    names = {c.name for c in controls(MARKETS["broadnet"][0])}
    for key in ("mobile", "unicom", "telecom", "broadnet"):
        assert f"{key}.price" in names and f"{key}.service" in names
