"""Property-based tests (hypothesis): malformed scenarios, strategies, studies, targets and
--set overrides give exit status 2 with a message and no traceback, or a valid run.

The examples are derandomised so CI sees the same ones every time; run with
`--hypothesis-seed=N` and without derandomize to explore further.
"""

from __future__ import annotations

import copy
import math
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sim.cli import app
from sim.scenario import ScenarioError, load_scenario

runner = CliRunner()
SETTINGS = {"deadline": None, "derandomize": True,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

BASE = {
    "name": "prop", "start": "2019-01", "months": 2, "seed": 1,
    "population": {"size": 300},
    "policy": {"mnp_start": "2019-02", "porting_hassle": 400},
    "carriers": {"mobile": {"subscribers": 600, "price": 49.1, "brand": 5},
                 "unicom": {"subscribers": 200, "price": 42.1},
                 "telecom": {"subscribers": 200, "price": 45.0}},
    "strategies": {"unicom": [{"lever": "price_change", "start": "2019-02", "percent": -5}]},
}
PATHS = ["name", "start", "months", "seed", "population", "population.size",
         "population.represents", "population.leave_rate", "population.segments",
         "population.social.acquaintances", "policy.mnp_start", "policy.porting_hassle",
         "policy.number_loss_cost", "policy.pilots", "behaviour.choice_noise",
         "behaviour.planning_horizon_months", "carriers", "carriers.mobile",
         "carriers.mobile.price", "carriers.unicom.brand", "carriers.telecom.subscribers",
         "carriers.mobile.contract_months", "strategies", "strategies.unicom",
         "strategies.unicom.0", "strategies.unicom.0.lever", "strategies.unicom.0.start",
         "strategies.unicom.0.end", "strategies.unicom.0.percent", "strategies.mobile",
         "nonsense", "carriers.cmcc"]
LEVERS = ["price_change", "port_in_bonus", "segment_plan", "targeted_poaching",
          "churn_early_warning", "teleport", ""]

values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30),
    st.sampled_from([0, 1, -1, 1e300, 1e-300, 30, 600, 601, 50_000_001, True, None, "",
                     "2019-02-30", "0000-01", "9999-12", "2019-13", "mnp+3", "start-2",
                     "2019-02", "../../x", "/abs", "status_quo", "no_such_strategy"]),
    st.text(max_size=12), st.lists(st.integers(-5, 5), max_size=3),
    st.dictionaries(st.sampled_from(["share", "price", "x", "lever"]),
                    st.one_of(st.floats(), st.text(max_size=4)), max_size=2),
)
mutation = st.tuples(st.sampled_from(["set", "delete"]), st.sampled_from(PATHS), values)


def mutate(data: dict, changes) -> dict:
    data = copy.deepcopy(data)
    for kind, path, value in changes:
        keys = path.split(".")
        node = data
        for key in keys[:-1]:
            if isinstance(node, dict) and isinstance(node.get(key), (dict, list)):
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                node = None
                break
        if isinstance(node, dict):
            if kind == "delete":
                node.pop(keys[-1], None)
            else:
                node[keys[-1]] = value
        elif isinstance(node, list) and keys[-1].isdigit() and int(keys[-1]) < len(node):
            if kind == "delete":
                node.pop(int(keys[-1]))
            else:
                node[int(keys[-1])] = value
    return data


def check_cli(args: list[str]) -> int:
    res = runner.invoke(app, args)
    assert "Traceback" not in res.output, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code in (0, 2), (res.exit_code, res.output)
    if res.exit_code == 2:
        assert res.output.startswith("error:"), res.output
    return res.exit_code


def check_valid_run(path: Path, overrides: list[str] | None = None) -> None:
    """A scenario that validates also runs, with finite headline figures."""
    from sim.runner import run
    spec = load_scenario(path, overrides)
    spec.months = min(spec.months, 3)
    spec.population.size = min(spec.population.size, 2000)
    summary = run(spec).summary
    assert all(math.isfinite(v) for v in summary["cumulative_net_porting"].values())
    assert math.isfinite(summary["total_ports"])


@pytest.mark.slow
@settings(max_examples=60, **SETTINGS)
@given(st.lists(mutation, min_size=1, max_size=4))
def test_malformed_scenarios_exit_2_or_run(changes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        path.write_text(yaml.safe_dump(mutate(BASE, changes), allow_unicode=True))
        if check_cli(["validate", str(path)]) == 0:
            check_valid_run(path)


@pytest.mark.slow
@settings(max_examples=60, **SETTINGS)
@given(st.text(alphabet="{}[]:,&*!|>-'\"#% \n\tab01.", min_size=1, max_size=40),
       st.integers(0, 400))
def test_garbled_yaml_text_exits_2_or_validates(noise, position):
    text = yaml.safe_dump(BASE)
    position = min(position, len(text))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        path.write_text(text[:position] + noise + text[position:])
        check_cli(["validate", str(path)])


@pytest.mark.slow
@settings(max_examples=60, **SETTINGS)
@given(st.lists(st.tuples(st.sampled_from(PATHS + ["a..b", "", "carriers.mobile.price.x"]),
                          st.one_of(st.text(max_size=12), st.sampled_from(
                              [".inf", ".nan", "1e300", "[1, 2]", "{a: 1}", "&a [*a]", "2019-02-30",
                               "-1", "null", "'", "]"]))), min_size=1, max_size=3))
def test_malformed_overrides_exit_2_or_run(sets):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        path.write_text(yaml.safe_dump(BASE))
        args = ["validate", str(path)]
        overrides = [f"{k}={v}" for k, v in sets]
        for o in overrides:
            args += ["--set", o]
        if check_cli(args) == 0:
            check_valid_run(path, overrides)


actions = st.lists(st.fixed_dictionaries(
    {"lever": st.sampled_from(LEVERS)},
    optional={"start": st.sampled_from(["2019-02", "mnp", "mnp+1", "2019-02-30", "x", 3]),
              "end": st.sampled_from(["2019-01", "2019-03", None, "start+1"]),
              "percent": values, "bonus": values, "segment": st.sampled_from(["youth", "yuoth"]),
              "cost": st.one_of(values, st.fixed_dictionaries({"per_month": values}))}),
    max_size=3)


@pytest.mark.slow
@settings(max_examples=50, **SETTINGS)
@given(st.one_of(actions, values), st.sampled_from(["name", "description", "extra"]))
def test_malformed_strategy_files_exit_2_or_run(acts, other_key):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "strategies").mkdir()
        (Path(tmp) / "strategies" / "gen.yaml").write_text(
            yaml.safe_dump({other_key: "x", "actions": acts}))
        path = Path(tmp) / "s.yaml"
        path.write_text(yaml.safe_dump({**BASE, "strategies": {"mobile": "gen"}}))
        if check_cli(["validate", str(path)]) == 0:
            check_valid_run(path)


parameter = st.fixed_dictionaries(
    {"path": st.sampled_from(PATHS[:20] + ["policy.awareness.media_rate"])},
    optional={"low": values, "high": values,
              "levels": st.one_of(values, st.lists(values, max_size=3))})
metric = st.fixed_dictionaries(
    {"name": st.sampled_from(["m", "n"]),
     "kind": st.sampled_from(["net_porting", "total_ports", "share", "bogus"])},
    optional={"carrier": st.sampled_from(["mobile", "market", "cmcc"]),
              "month": st.sampled_from(["2019-01", "2019-02", "2020-06", "2018-12", "x"])})


@pytest.mark.slow
@settings(max_examples=80, **SETTINGS)
@given(st.fixed_dictionaries(
    {"name": st.just("gen"), "scenario": st.sampled_from(["s.yaml", "missing.yaml"]),
     "sampler": st.sampled_from(["grid", "lhs", "sobol", "morris", "bogus"]),
     "parameters": st.lists(parameter, min_size=0, max_size=3),
     "metrics": st.lists(metric, min_size=0, max_size=2)},
    optional={"samples": st.one_of(st.integers(-5, 2_000_000), values),
              "replicates": st.integers(-1, 2000), "seed": values,
              "set": st.lists(st.sampled_from(["months=1", "population.size=10", "x"]),
                              max_size=2)}))
def test_malformed_studies_are_refused_before_any_run(study):
    """load_study is what `mnp sweep` calls before anything runs or is written."""
    from sim.sweep import load_study
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "s.yaml").write_text(yaml.safe_dump(BASE))
        path = Path(tmp) / "study.yaml"
        path.write_text(yaml.safe_dump(study, allow_unicode=True))
        try:
            study_spec, base, _ = load_study(path)
        except ScenarioError as exc:
            assert exc.problems and "Traceback" not in exc.render()
            return
        # accepted: every design point is a valid scenario
        from sim.sweep.design import plan_runs
        from sim.sweep.execution import run_batch
        runs = plan_runs(study_spec, {p.path for p in study_spec.parameters
                                      if isinstance(_get(base, p.path), int)})
        frame = run_batch(base.model_dump(mode="json") | {"months": 1},
                          [m.model_dump(mode="json") for m in study_spec.metrics],
                          runs.head(2).to_dict("records"), study_spec.names)
        assert (frame["status"] == "ok").all(), frame["error"].tolist()


def _get(scenario, path):
    from sim.scenario.loading import get_path
    return get_path(scenario.model_dump(mode="json"), path)


row = st.tuples(
    st.sampled_from(["2019-06-30", "2020-02-30", "2019-1-1", "0001-01-01", "9999-12-31", "",
                     "2019-03-31", "x"]),
    st.sampled_from(["cumulative_ports", "monthly_ports", "share_of_port_outs", "subscribers",
                     "arpu", "mnp_nationwide_start", "pilot_uptake", "bogus", ""]),
    st.sampled_from(["all", "mobile", "cmcc", ""]),
    st.sampled_from(["100", "-1", "0", "inf", "nan", "1e400", "x", ""]),
    st.sampled_from(["", "1", "-1", "nan", "x"]))


@pytest.mark.slow
@settings(max_examples=80, **SETTINGS)
@given(st.lists(row, max_size=4), st.sampled_from(["date,quantity,carrier,value,weight",
                                                   "date,quantity,value", ""]),
       st.sampled_from([None, "2019-12-31", "2019-02-30", "x"]))
def test_malformed_targets_are_refused_before_any_run(rows, header, until):
    from sim.calibrate import FitError, TargetsError, build_problem
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "s.yaml").write_text(yaml.safe_dump({**BASE, "months": 12}))
        targets = Path(tmp) / "t.csv"
        targets.write_text("\n".join([header, *[",".join(r) for r in rows]]) + "\n"
                           if header else "")
        try:
            problem, _ = build_problem(Path(tmp) / "s.yaml", targets, ["policy.porting_hassle"],
                                       [], until, None)
        except (TargetsError, ScenarioError, FitError) as exc:
            assert str(exc)
            return
        assert problem.targets.targets and all(
            math.isfinite(t.value) and t.value > 0 for t in problem.targets.targets)
