"""Study files: which scenario, which parameters over which ranges, which sampler, which metrics.

A study is validated with the same rules as a scenario (unknown keys, wrong types,
a parameter path that does not exist in the scenario: each a clear message with
its line). Parameters are dotted paths into the *validated* base scenario, so a
default that the scenario file does not spell out can still be varied.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from sim.scenario.loading import (
    Problem,
    ScenarioError,
    apply_overrides,
    expand_strategies,
    read_yaml,
    strategy_dirs,
    validate_data,
    validate_model,
)
from sim.scenario.params import CARRIERS, Month, Strict, month_label, param
from sim.scenario.schema import Scenario

SAMPLERS = ("grid", "lhs", "sobol", "morris")


class Parameter(Strict):
    """One input varied by the study: a range (low..high) or explicit levels."""

    path: str = param(..., unit="dotted path", source="study",
                      description="Path into the scenario, e.g. policy.porting_hassle.")
    low: float | None = param(None, unit="as the parameter", source="study",
                              description="Lower bound (with high).")
    high: float | None = param(None, unit="as the parameter", source="study",
                               description="Upper bound (with low).")
    levels: list[float] | None = param(None, unit="as the parameter", source="study",
                                       description="Explicit values (grid sampler only).")

    @model_validator(mode="after")
    def _range_or_levels(self) -> Parameter:
        if self.levels is None and (self.low is None or self.high is None):
            raise ValueError("give low and high, or levels")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        return self


class Metric(Strict):
    """An output recorded for every run."""

    name: str = param(..., unit="text", source="study", description="Column name in runs.parquet.")
    kind: Literal["net_porting", "port_in", "port_out", "total_ports", "subscribers", "share",
                  "false_loyal_share", "revenue", "cost", "profit"] = param(
        ..., unit="choice", source="study",
        description="Flows and money are cumulative to `month`; the rest are read at `month`.")
    carrier: Literal["mobile", "unicom", "telecom", "market"] = param(
        "market", unit="carrier key", source="study",
        description="Whose figure; 'market' sums (or subscriber-weights) the three.")
    month: Month | None = param(None, unit="YYYY-MM", source="study",
                                description="Month to read (inclusive); omitted: the last month.")


class Discovery(Strict):
    """Scenario discovery: which parameter region makes an outcome happen."""

    metric: str = param(..., unit="metric name", source="study",
                        description="The metric that defines a case of interest.")
    below: float | None = param(None, unit="as the metric", source="study",
                                description="A case is a run whose metric is below this...")
    above: float | None = param(None, unit="as the metric", source="study",
                                description="...or above this.")

    @model_validator(mode="after")
    def _one_threshold(self) -> Discovery:
        if (self.below is None) == (self.above is None):
            raise ValueError("give exactly one of below or above")
        return self


class Study(Strict):
    """A parameter sweep over one base scenario."""

    name: str = param(..., unit="text", source="study", description="Study name.")
    description: str = param("", unit="text", source="study", description="What it asks.")
    scenario: str = param(..., unit="path", source="study",
                          description="Base scenario file, relative to the study file.")
    set: list[str] = param([], unit="path=value", source="study",
                           description="Overrides applied to the base scenario first.")
    sampler: Literal["grid", "lhs", "sobol", "morris"] = param(
        ..., unit="choice", source="study", description="How design points are drawn.")
    samples: int = param(8, unit="count", source="study", ge=1, le=1_000_000,
                         description="grid: points per range; lhs: points; sobol: base samples N "
                                     "(runs N(2k+2), or N(k+2) without second order); morris: "
                                     "trajectories (runs N(k+1)).")
    second_order: bool = param(False, unit="flag", source="study",
                               description="sobol: also estimate second-order indices.")
    morris_levels: int = param(4, unit="levels", source="study", ge=2, le=20,
                               description="morris: grid levels of each parameter.")
    replicates: int = param(1, unit="runs per point", source="study", ge=1, le=1000,
                            description="Seeds per design point (common across points).")
    seed: int = param(2026, unit="integer", source="study", ge=0,
                      description="Study seed: design and run seeds derive from it.")
    parameters: list[Parameter] = Field(..., min_length=1, description="Inputs varied.")
    metrics: list[Metric] = Field(..., min_length=1, description="Outputs recorded.")
    discovery: Discovery | None = Field(None, description="Optional scenario discovery.")

    @model_validator(mode="after")
    def _consistent(self) -> Study:
        problems = []
        for i, p in enumerate(self.parameters):
            if p.levels is not None and self.sampler != "grid":
                problems.append(f"parameters.{i}.levels: levels are for the grid sampler; "
                                f"give low and high for {self.sampler}")
        names = [m.name for m in self.metrics]
        if len(set(names)) != len(names):
            problems.append("metrics: metric names must be unique")
        if self.discovery and self.discovery.metric not in names:
            problems.append(f"discovery.metric: {self.discovery.metric!r} is not a metric; "
                            f"use one of {', '.join(names)}")
        paths = [p.path for p in self.parameters]
        if len(set(paths)) != len(paths):
            problems.append("parameters: each path may appear once")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def names(self) -> list[str]:
        return [p.path for p in self.parameters]


def _has_path(data: Any, keys: list[str]) -> bool:
    for key in keys:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return False
    return not isinstance(data, (dict, list))


def base_scenario(study: Study, study_path: Path) -> tuple[Scenario, dict[str, Any]]:
    """The validated base scenario and its full dump (every default spelled out)."""
    path = (study_path.parent / study.scenario).resolve()
    data, lines = read_yaml(path)
    problems = apply_overrides(data, study.set)
    from_strategies: list[Problem] = []
    origins = expand_strategies(data, strategy_dirs(path), lines, str(path), from_strategies)
    scenario = validate_data(data, lines, str(path), origins, problems, from_strategies)
    return scenario, scenario.model_dump(mode="json")


#: The most runs (design points x replicates) a study may plan; the design is built in
#: memory, and a larger study would not finish in any case.
MAX_RUNS = 100_000
LEVELS_CHECKED = 50  # levels of one parameter checked against the schema (first ones)


def load_study(path: str | Path) -> tuple[Study, Scenario, dict[str, Any]]:
    """Read and check a study file; returns (study, base scenario, base scenario dump).

    Every parameter value the design can take (low, high, each level) is checked
    against the scenario schema, and every metric month against the run, so a study
    that cannot run is refused before the first run, not recorded as failed runs.
    """
    from sim.sweep.design import expected_points

    path = Path(path)
    data, lines = read_yaml(path)
    study = validate_model(Study, data, lines, str(path))
    scenario, dump = base_scenario(study, path)
    problems = []
    for i, p in enumerate(study.parameters):
        where = lines.get(("parameters", str(i)))
        if not _has_path(dump, p.path.split(".")):
            problems.append(Problem(f"parameters.{i}.path",
                                    f"{p.path!r} does not exist in the scenario "
                                    f"{study.scenario}; check it against "
                                    "docs/scenario-reference.md", where))
        else:
            problems += _check_values(i, p, dump, lines)
    end = _run_end(study, scenario)
    for i, m in enumerate(study.metrics):
        if m.month is not None and not scenario.start <= m.month:
            problems.append(Problem(f"metrics.{i}.month", f"{m.month} is before the scenario "
                                    f"starts ({scenario.start})", lines.get(("metrics", str(i)))))
        elif m.month is not None and m.month > end:
            problems.append(Problem(f"metrics.{i}.month", f"{m.month} is after the run ends "
                                    f"({end}); choose a month up to {end} or lengthen months",
                                    lines.get(("metrics", str(i), "month"))))
    runs = expected_points(study) * study.replicates
    if runs > MAX_RUNS:
        problems.append(Problem("samples", f"the design has {runs:,} runs (points x "
                                f"replicates); at most {MAX_RUNS:,}: lower samples, levels or "
                                "replicates", lines.get(("samples",))))
    if problems:
        raise ScenarioError(problems, str(path))
    return study, scenario, dump


def parameter_values(p: Parameter, integer: bool) -> list[float]:
    """The values of a parameter worth checking: its bounds, or its (first) levels."""
    values = list(p.levels[:LEVELS_CHECKED]) if p.levels is not None else [p.low, p.high]
    return [float(round(v)) if integer else float(v) for v in values]


def _check_values(i: int, p: Parameter, dump: dict[str, Any], lines: dict) -> list[Problem]:
    """Problems of setting parameter i to each of its values in the base scenario."""
    from pydantic import ValidationError

    from sim.scenario.loading import _explain, get_path, set_path

    keys = p.path.split(".")
    current = get_path(dump, p.path)
    field = "levels" if p.levels is not None else "low/high"
    where = lines.get(("parameters", str(i), "levels" if p.levels is not None else "low"),
                      lines.get(("parameters", str(i))))
    if isinstance(current, str) or current is None:
        return [Problem(f"parameters.{i}.path", f"{p.path} holds {current!r}, not a number; "
                        "a study varies numbers only (vary it with set: per study instead)",
                        where)]
    integer = isinstance(current, int) and not isinstance(current, bool)
    for value in parameter_values(p, integer):
        data = copy.deepcopy(dump)
        set_path(data, keys, value)
        try:
            Scenario.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
            own = [e for e in errors if ".".join(str(x) for x in e["loc"]) == p.path] or errors
            explained = _explain(own[0], data, {}, Scenario)[0]
            head = "" if explained.path == p.path else f"{explained.path}: "
            return [Problem(f"parameters.{i}.{field}", f"{value:g} for {p.path}: {head}"
                            f"{explained.message}; keep the range inside what the scenario "
                            "allows", where)]
    return []


def _run_end(study: Study, scenario: Scenario) -> str:
    """The last month of the shortest run the study can make."""
    months = scenario.months
    for p in study.parameters:
        if p.path == "months":
            months = round(min(parameter_values(p, True)))
    return month_label(scenario.start, max(months, 1) - 1)


def fingerprint(data: Any) -> str:
    """A short stable hash of a JSON-able object (study, base scenario)."""
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


__all__ = ["CARRIERS", "SAMPLERS", "Discovery", "Metric", "Parameter", "Study", "base_scenario",
           "fingerprint", "load_study"]
