"""`mnp compare`: paired comparisons with common random numbers, and named strategy files."""

import json
import shutil

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.compare import compare, replicate_seeds, summarise_comparison
from sim.compare.stats import paired_interval
from sim.scenario import ScenarioError, load_scenario

from .conftest import BASE, SCENARIOS, make_scenario

runner = CliRunner()
BONUS = [{"lever": "port_in_bonus", "start": "mnp", "bonus": 300}]


def scenarios(**strategies):
    return {name: make_scenario(**{"strategies.unicom": actions, "population.size": 3000,
                                   "months": 15})
            for name, actions in strategies.items()}


def test_a_strategy_identical_to_the_baseline_differs_by_exactly_zero():
    cmp = compare(scenarios(status_quo=[], same_again=[]), "unicom", replicates=4, base_seed=7)
    table = summarise_comparison(cmp).set_index("strategy")
    row = table.loc["same_again"]
    assert row["diff_net_porting"] == 0.0
    assert row["diff_net_porting_ci_low"] == 0.0 == row["diff_net_porting_ci_high"]
    assert row["diff_profit"] == 0.0


def test_common_random_numbers_narrow_the_confidence_interval():
    """Same strategies, same replicate count: paired seeds give a narrower CI than
    independent ones (pooled over two base seeds, so one lucky draw cannot decide it)."""
    small_bonus = [{**BONUS[0], "bonus": 50}]
    specs = {name: make_scenario(**{"strategies.unicom": actions, "population.size": 4000,
                                    "months": 15})
             for name, actions in (("status_quo", []), ("small_bonus", small_bonus))}

    def width(common, base_seed):
        cmp = compare(specs, "unicom", replicates=10, base_seed=base_seed,
                      common_random_numbers=common)
        row = summarise_comparison(cmp).set_index("strategy").loc["small_bonus"]
        return row["diff_net_porting_ci_high"] - row["diff_net_porting_ci_low"]

    crn = sum(width(True, s) for s in (11, 13))
    independent = sum(width(False, s) for s in (11, 13))
    assert crn < 0.75 * independent, (crn, independent)


def test_seeds_are_shared_under_crn_and_disjoint_otherwise():
    common = replicate_seeds(5, 6, ["a", "b"], common=True)
    assert common["a"] == common["b"] and len(set(common["a"])) == 6
    apart = replicate_seeds(5, 6, ["a", "b"], common=False)
    assert not set(apart["a"]) & set(apart["b"])


def test_results_do_not_depend_on_the_number_of_processes():
    specs = scenarios(status_quo=[], port_in_bonus=BONUS)
    one = compare(specs, "unicom", replicates=2, base_seed=3, jobs=1)
    two = compare(specs, "unicom", replicates=2, base_seed=3, jobs=2)
    assert one.series.equals(two.series)


def test_paired_interval_is_a_t_interval():
    mean, low, high = paired_interval(np.array([1.0, 2.0, 3.0, 4.0]))
    assert mean == 2.5
    # t(0.975, 3) = 3.182; sd = 1.291; half-width = 3.182 * 1.291 / 2
    assert high - mean == pytest.approx(3.182446 * 1.2909944 / 2, rel=1e-5)
    assert mean - low == pytest.approx(high - mean)


def test_bigger_bonus_ranks_higher_and_costs_more():
    specs = scenarios(status_quo=[], small=[{**BONUS[0], "bonus": 100}], big=BONUS)
    table = summarise_comparison(compare(specs, "unicom", replicates=3, base_seed=2))
    table = table.set_index("strategy")
    assert table.loc["big", "net_porting_mean"] > table.loc["status_quo", "net_porting_mean"]
    assert table.loc["big", "diff_cost"] > table.loc["small", "diff_cost"] > 0
    assert table.loc["big", "rank"] < table.loc["status_quo", "rank"]


# ---------------------------------------------------------------- strategy files

@pytest.fixture
def workdir(tmp_path):
    """A scenario file (the small test market) with a strategies/ folder beside it."""
    data = {**BASE, "population": {"size": 2000}, "months": 12}
    (tmp_path / "market.yaml").write_text(yaml.safe_dump(data))
    shutil.copytree(SCENARIOS / "strategies", tmp_path / "strategies")
    return tmp_path


def write_strategy(folder, name, text):
    (folder / "strategies" / f"{name}.yaml").write_text(text)


def test_every_shipped_strategy_loads_for_every_carrier():
    names = sorted(p.stem for p in (SCENARIOS / "strategies").glob("*.yaml"))
    assert {"status_quo", "price_cut", "port_in_bonus", "retention_early_warning",
            "service_overhaul", "network_investment", "transparency", "targeted_poaching",
            "loyalty_rewards", "bundles"} <= set(names)
    for name in names:
        for carrier in ("mobile", "unicom", "telecom"):
            spec = load_scenario(SCENARIOS / "china_mnp_2019.yaml", strategies={carrier: name})
            assert (len(spec.actions_of(carrier)) == 0) == (name == "status_quo")


def test_relative_months_follow_the_mnp_date(workdir):
    spec = load_scenario(workdir / "market.yaml", strategies={"mobile": "price_cut"})
    assert spec.strategies['mobile'][0].start == BASE["policy"]["mnp_start"]
    later = load_scenario(workdir / "market.yaml", ["policy.mnp_start=2019-09"],
                          strategies={"mobile": "price_cut"})
    assert later.strategies['mobile'][0].start == "2019-09"


def test_a_scenario_can_mix_names_and_inline_actions(workdir):
    spec = load_scenario(workdir / "market.yaml", [
        "strategies.unicom=[price_cut, {lever: port_in_bonus, start: mnp+1, bonus: 50}]"])
    assert [a.kind for a in spec.strategies['unicom']] == ["price_change", "port_in_bonus"]
    assert spec.strategies['unicom'][1].start == "2019-08"


@pytest.mark.parametrize("text, expected", [
    ("actions:\n  - lever: price_cutt\n    start: mnp\n", "unknown lever 'price_cutt'"),
    ("actions:\n  - lever: segment_plan\n    start: mnp\n    segment: students\n",
     "unknown segment 'students'"),
    ("actions:\n  - lever: price_change\n    start: 2020-03\n    end: 2020-01\n    percent: -5\n",
     "is before start"),
    ("actions:\n  - lever: targeted_poaching\n    start: mnp\n    target_carriers: [mobile]\n",
     "cannot poach its own customers"),
    ("name: x\nactons: []\n", "unknown key 'actons'"),
])
def test_bad_strategy_files_get_clear_errors(workdir, text, expected):
    write_strategy(workdir, "bad", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(workdir / "market.yaml", strategies={"mobile": "bad"})
    assert expected in info.value.render()
    result = runner.invoke(app, ["compare", str(workdir / "market.yaml"), "--strategy",
                                 "status_quo", "--strategy", "bad", "--replicates", "2",
                                 "--out", str(workdir / "out")])
    assert result.exit_code == 2
    assert expected in result.output and "Traceback" not in result.output
    assert not (workdir / "out").exists()


def test_an_error_in_a_strategy_file_points_at_its_line(workdir):
    write_strategy(workdir, "typo", "name: typo\nactions:\n  - lever: price_change\n"
                                    "    start: mnp\n    percent: -500\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(workdir / "market.yaml", strategies={"mobile": "typo"})
    assert "typo.yaml:5" in info.value.render()


def test_unknown_strategy_name_suggests_the_closest(workdir):
    with pytest.raises(ScenarioError) as info:
        load_scenario(workdir / "market.yaml", strategies={"mobile": "retention_warning"})
    assert "did you mean 'retention_early_warning'" in info.value.render()


# ---------------------------------------------------------------- the command

def test_compare_command_writes_tables_plots_and_report(workdir):
    out = workdir / "cmp"
    result = runner.invoke(app, [
        "compare", str(workdir / "market.yaml"), "--carrier", "unicom",
        "--strategy", "status_quo", "--strategy", "port_in_bonus", "--strategy", "price_cut",
        "--replicates", "3", "--horizon", "10", "--jobs", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("compare.csv", "compare.json", "replicates.csv", "net_porting_bands.csv",
                 "report.html", "net_porting_bands.png", "paired_differences.png",
                 "cost_vs_gain.png"):
        assert (out / name).stat().st_size > 0, name
    data = json.loads((out / "compare.json").read_text())
    assert data["strategies"] == ["status_quo", "port_in_bonus", "price_cut"]
    assert data["horizon_months"] == 10 and data["replicates"] == 3
    assert data["common_random_numbers"] is True
    assert "port_in_bonus" in data["reading"] and "95% CI" in data["reading"]
    assert "port_in_bonus" in result.output


@pytest.mark.parametrize("args, expected", [
    (["--carrier", "vodafone"], "unknown carrier 'vodafone'"),
    (["--strategy", "status_quo"], "at least two strategies"),
    (["--strategy", "status_quo", "--strategy", "nonesuch"], "unknown strategy 'nonesuch'"),
])
def test_compare_rejects_bad_options(workdir, args, expected):
    result = runner.invoke(app, ["compare", str(workdir / "market.yaml"), *args,
                                 "--out", str(workdir / "o")])
    assert result.exit_code == 2
    assert expected in result.output
