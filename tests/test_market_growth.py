"""Markets that grow or shrink (issue 19, item 4): the total follows the schedule, newcomers
make up the gross additions, ports stay balanced, and no schedule changes nothing."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.behaviour.market_growth import monthly_rate, replace_rate
from sim.cli import app
from sim.runner import run
from sim.scenario import load_scenario

from .conftest import SCENARIOS

SMALL = ["population.size=4000", "months=24", "burn_in_months=0"]


def _with_growth(tmp_path, rate: float, extra: str = ""):
    text = (SCENARIOS / "china_mnp_2019.yaml").read_text()
    text = text.replace("population:\n", "population:\n  growth:\n    - from: 2019-01\n"
                        f"      monthly_rate: {rate}\n      source: test\n{extra}", 1)
    path = tmp_path / f"growth_{rate}.yaml"
    path.write_text(text)
    return path


def _totals(result) -> np.ndarray:
    ts = result.timeseries
    return ts.groupby("month", sort=True)["subscribers"].sum().to_numpy()


@pytest.mark.parametrize("rate", [0.01, -0.01])
def test_total_subscribers_follow_the_schedule(tmp_path, rate):
    scenario = load_scenario(_with_growth(tmp_path, rate), SMALL)
    totals = _totals(run(scenario, seed=3))
    expected = scenario.represents() * (1 + rate) ** np.arange(1, 25)
    assert np.allclose(totals, expected, rtol=1e-9)
    ts = run(scenario, seed=3).timeseries
    net = ts.groupby("month")["net_porting"].sum().to_numpy()
    assert np.allclose(net, 0.0, atol=1e-6)           # porting still sums to zero


def test_a_growing_market_has_more_newcomers_and_ports_a_smaller_share(tmp_path):
    flat = run(load_scenario(SCENARIOS / "china_mnp_2019.yaml", SMALL), seed=5).timeseries
    grown = run(load_scenario(_with_growth(tmp_path, 0.03), SMALL), seed=5).timeseries
    joins = lambda ts: ts["joins"].sum() / ts["subscribers"].sum()    # noqa: E731
    ports = lambda ts: ts["port_out"].sum() / ts["subscribers"].sum()  # noqa: E731
    assert joins(grown) > 3 * joins(flat)
    assert ports(grown) < ports(flat)


def test_no_schedule_or_zero_rate_changes_nothing(tmp_path):
    base = run(load_scenario(SCENARIOS / "china_mnp_2019.yaml", SMALL), seed=7).timeseries
    zero = run(load_scenario(_with_growth(tmp_path, 0.0), SMALL), seed=7).timeseries
    assert base.equals(zero)
    assert replace_rate(0.004, 0.0) == 0.004


def test_rate_schedule_and_replace_rate_rules():
    scenario = load_scenario(SCENARIOS / "markets" / "india_2011.yaml")
    steps = scenario.population.growth
    assert monthly_rate(scenario.population, "1990-01") == 0.0
    assert monthly_rate(scenario.population, steps[-1].from_) == steps[-1].monthly_rate
    # growing: leavers plus net additions, over next month's subscribers
    assert replace_rate(0.004, 0.02) == pytest.approx(0.024 / 1.02)
    # shrinking: the newcomers only, over next month's subscribers
    assert replace_rate(0.004, -0.02) == pytest.approx(0.004 / 0.98)


@pytest.mark.parametrize("bad, expected", [
    ("monthly_rate: 0.5", "monthly_rate"), ("monthly_rate: .nan", "monthly_rate")])
def test_bad_growth_exits_2_naming_the_field(tmp_path, bad, expected):
    path = _with_growth(tmp_path, 0.01)
    path.write_text(path.read_text().replace("monthly_rate: 0.01", bad))
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and expected in result.output
    assert "Traceback" not in result.output


def test_growth_steps_must_ascend(tmp_path):
    extra = "    - from: 2018-06\n      monthly_rate: 0.01\n      source: test\n"
    result = CliRunner().invoke(app, ["validate", str(_with_growth(tmp_path, 0.01, extra))])
    assert result.exit_code == 2 and "ascending" in result.output
