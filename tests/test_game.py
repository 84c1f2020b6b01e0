"""The strategy game: equilibrium logic on payoff tables of known structure, and the
whole `mnp game` on the model (a price war where cutting prices is dominant)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.game import (
    Game,
    GameError,
    PayoffTable,
    best_response_dynamics,
    mixed_equilibrium,
    parse_payoff,
    parse_strategies,
    payoff_table,
    play,
    pure_equilibria,
)
from sim.game.profiles import choose_profiles
from sim.params import CHINA_CARRIERS as CARRIERS

from .conftest import SCENARIOS

runner = CliRunner()
TWO = ("status_quo", "price_cut")


def table_of(payoffs, shape=(2, 2, 2), replicates=5, noise=0.0, seed=0) -> PayoffTable:
    """A payoff table from payoffs(profile) -> 3 means, with optional replicate noise."""
    game = Game({c: tuple(f"s{i}" for i in range(n)) for c, n in zip(CARRIERS, shape)})
    rng = np.random.default_rng(seed)
    values = {}
    for profile in game.profiles():
        means = np.asarray(payoffs(profile), dtype=float)
        values[profile] = means[:, None] + noise * rng.standard_normal((3, replicates))
    return PayoffTable(game, parse_payoff("net_porting"), values)


def prisoners_dilemma(p):
    """Cutting (1) gains share from rivals who do not; all cutting leaves everyone worse."""
    cuts = sum(p)
    return [3 - cuts + 2 * p[c] for c in range(3)]


def test_prisoners_dilemma_has_the_dominant_strategy_equilibrium():
    table = table_of(prisoners_dilemma)
    found = pure_equilibria(table)
    assert [e.profile for e in found] == [(1, 1, 1)] and found[0].robust
    dynamics = best_response_dynamics(table)
    assert dynamics.ending == "equilibrium" and dynamics.path[-1][0] == (1, 1, 1)
    # the dilemma: everyone is worse off than if no one had cut
    assert all(table.mean((1, 1, 1), c) < table.mean((0, 0, 0), c) for c in range(3))


def test_matching_pennies_has_no_pure_equilibrium_and_cycles():
    def pennies(p):
        match = 1.0 if p[0] == p[1] else -1.0
        return [match, -match, 0.0]
    table = table_of(pennies, shape=(2, 2, 1))
    assert pure_equilibria(table) == []
    assert best_response_dynamics(table).ending == "cycle"
    mixed = mixed_equilibrium(table)
    if mixed is not None:  # pygambit installed
        assert mixed["mobile"]["s0"] == pytest.approx(0.5, abs=1e-3)
        assert mixed["unicom"]["s0"] == pytest.approx(0.5, abs=1e-3)


def test_coordination_game_has_two_equilibria():
    def coordinate(p):
        same = len(set(p)) == 1
        return [2.0 if same and p[0] == 0 else 1.0 if same else 0.0] * 3
    assert [e.profile for e in pure_equilibria(table_of(coordinate))] == [(0, 0, 0), (1, 1, 1)]


@pytest.mark.parametrize("seed", range(20))
def test_a_profitable_deviation_is_never_reported_as_an_equilibrium(seed):
    rng = np.random.default_rng(seed)
    means = {p: rng.normal(size=3) for p in itertools.product(range(3), range(2), range(3))}
    table = table_of(lambda p: means[p], shape=(3, 2, 3), noise=0.3, seed=seed)
    for e in pure_equilibria(table):
        for c in range(3):
            for other in table.game.deviations(e.profile, c):
                assert table.mean(other, c) <= table.mean(e.profile, c) + table.tolerance()


def test_noisy_small_margin_equilibrium_is_fragile():
    # deviating costs 0.01 on average but replicates vary by 1: not robust
    table = table_of(lambda p: [-0.01 * sum(p)] * 3, noise=1.0, replicates=4, seed=3)
    found = pure_equilibria(table)
    assert found and not all(e.robust for e in found)


def test_sampling_above_the_limit_keeps_the_status_quo_and_its_deviations():
    game = Game({c: tuple(f"s{i}" for i in range(4)) for c in CARRIERS})
    chosen, method = choose_profiles(game, 20, seed=1)
    assert len(chosen) == 20 and "of 64 profiles" in method
    assert (0, 0, 0) in chosen
    assert all(d in chosen for c in range(3) for d in game.deviations((0, 0, 0), c))
    assert choose_profiles(game, 20, seed=1) == (chosen, method)


def test_bad_options_are_named():
    with pytest.raises(GameError, match="unknown carrier 'vodafone'"):
        parse_strategies(["vodafone=a,b"], CARRIERS)
    with pytest.raises(GameError, match="CARRIER=STRATEGY"):
        parse_strategies(["mobile"], CARRIERS)
    with pytest.raises(GameError, match="unknown outcome 'market_cap'"):
        parse_payoff("market_cap")
    assert parse_payoff("net_porting=1,profit=0.5").weights == {"net_porting": 1.0,
                                                                "profit": 0.5}


SMALL = ["population.size=2000"]


@pytest.mark.slow
def test_model_price_war_equilibrium_and_identical_results_across_workers(tmp_path):
    game = parse_strategies([f"{c}={','.join(TWO)}" for c in CARRIERS], CARRIERS)
    args = dict(overrides=SMALL + ["months=24"], seed=5)
    one = play(SCENARIOS / "china_mnp_2019.yaml", game, 3, tmp_path / "w1", workers=1, **args)
    two = play(SCENARIOS / "china_mnp_2019.yaml", game, 3, tmp_path / "w2", workers=2, **args)
    cols = [f"{c}_{o}" for c in CARRIERS for o in ("net_porting", "profit")]
    pd.testing.assert_frame_equal(one.runs.sort_values("run_id")[cols].reset_index(drop=True),
                                  two.runs.sort_values("run_id")[cols].reset_index(drop=True))
    table = payoff_table(game, one.profiles, one.runs, parse_payoff("net_porting"))
    # a cheaper carrier wins subscribers: cutting prices is each carrier's best response
    assert [e.profile for e in pure_equilibria(table)] == [(1, 1, 1)]
    assert best_response_dynamics(table).path[-1][0] == (1, 1, 1)


@pytest.mark.slow
def test_mnp_game_command_writes_report_and_resumes(tmp_path):
    out = tmp_path / "game"
    argv = ["game", str(SCENARIOS / "china_mnp_2019.yaml"), "--strategies",
            "mobile=status_quo,price_cut", "--strategies", "unicom=status_quo,targeted_poaching",
            "--payoff", "net_porting=1,profit=0.1", "--horizon", "18", "--replicates", "2",
            "--workers", "1", "--set", "population.size=1500", "--out", str(out)]
    res = runner.invoke(app, argv)
    assert res.exit_code == 0, res.output
    for name in ("report.html", "payoffs.csv", "best_responses.csv", "game.json",
                 "payoff_heatmaps.png", "best_response_path.png", "runs.parquet"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "game.json").read_text())
    assert summary["profiles_simulated"] == 4 and summary["strategies"]["telecom"] == ["scenario"]
    assert "best response" in (out / "report.html").read_text()
    again = runner.invoke(app, argv)  # same --out without --resume/--force: refused
    assert again.exit_code == 2 and "--resume" in again.output
    resumed = runner.invoke(app, [*argv, "--resume"])
    assert resumed.exit_code == 0, resumed.output


def test_mnp_game_bad_input_exits_2(tmp_path):
    res = runner.invoke(app, ["game", str(SCENARIOS / "china_mnp_2019.yaml"), "--strategies",
                              "mobile=status_quo,no_such_strategy", "--out", str(tmp_path / "g")])
    assert res.exit_code == 2 and "no_such_strategy" in res.output
    res = runner.invoke(app, ["game", "--strategies", "mobile=status_quo,price_cut",
                              "--payoff", "happiness", "--out", str(tmp_path / "h")])
    assert res.exit_code == 2 and "--payoff" in res.output
