"""The teaching page without a browser: controls map onto the scenario, the model
stops at the scenario's end, the charts' inputs, and `mnp viz` refusing bad input."""

from __future__ import annotations

import socket

import numpy as np
from typer.testing import CliRunner

from sim.cli import app
from sim.viz.charts import market_status, sample_layout
from sim.viz.controls import TeachingModel, controls, initial_values, parse_seed

from .conftest import SCENARIOS

DEMO = SCENARIOS / "false_loyalty_demo.yaml"
runner = CliRunner()


def _model(**changes) -> TeachingModel:
    values = initial_values(controls(DEMO))
    values.update({"population": 2000, **changes})
    return TeachingModel(**values)


def test_controls_start_at_the_scenarios_values():
    model = _model()
    assert model.spec.policy.mnp_start == "2020-01"
    assert model.spec.policy.number_loss_cost == 3000
    assert model.spec.carriers['mobile'].price == 55 and model.seed_used == 7


def test_sliders_change_the_scenario():
    model = _model(mnp_opens=0, number_loss_cost=0.0, contract_lock_in=2.0, mobile_price=30.0,
                   telecom_service=0.1, seed="12")
    spec = model.spec
    assert spec.policy.mnp_start is None and spec.policy.number_loss_cost == 0
    assert spec.carriers['mobile'].price == 30 and spec.carriers['telecom'].service_quality == 0.1
    assert spec.carriers['mobile'].contract_penalty == 20 and model.seed_used == 12
    assert _model(mnp_opens=3).spec.policy.mnp_start == "2019-03"


def test_bad_seed_falls_back_with_a_message():
    assert parse_seed(" 42 ", 7) == (42, None)
    seed, problem = parse_seed("abc", 7)
    assert seed == 7 and "abc" in problem
    assert parse_seed("-1", 7)[0] == 7


def test_model_stops_at_the_last_month_and_status_reads_it():
    model = _model(population=2000)
    model.spec = model.spec.model_copy(update={"months": 3})
    while model.running:
        model.step()
    assert model.month == 3
    from sim.results import timeseries_of
    status = market_status(model, timeseries_of(model))
    assert status.startswith("Month 3 of 3 (2019-03)") and "MNP opens 2020-01" in status


def test_sample_grid_groups_subscribers_by_starting_carrier():
    start = np.array([2, 0, 1, 0, 2], dtype=np.int8)
    order = sample_layout(start)
    assert start[order].tolist() == [0, 0, 1, 2, 2]


def test_viz_unknown_scenario_exits_2(tmp_path):
    res = runner.invoke(app, ["viz", str(tmp_path / "nope.yaml")])
    assert res.exit_code == 2 and "nope.yaml" in res.output and "Traceback" not in res.output


def test_viz_port_in_use_exits_2():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = runner.invoke(app, ["viz", str(DEMO), "--port", str(port)])
    assert res.exit_code == 2 and "--port" in res.output and str(port) in res.output


def test_every_shipped_scenario_opens_on_the_page():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        params = controls(path)
        values = initial_values(params)
        for name, p in params.items():  # every slider starts inside its range
            if hasattr(p, "min"):
                assert p.min <= values[name] <= p.max, (path.name, name)
        values["population"] = 2000
        model = TeachingModel(**values)
        model.step()
        assert model.month == 1, path.name
