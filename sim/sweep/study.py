"""Study files: which scenario, which parameters over which ranges, which sampler, which metrics.

A study is validated with the same rules as a scenario (unknown keys, wrong types,
a parameter path that does not exist in the scenario: each a clear message with
its line). Parameters are dotted paths into the *validated* base scenario, so a
default that the scenario file does not spell out can still be varied.
"""

from __future__ import annotations

import copy
import hashlib
import math
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

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
from sim.params import Month, Strict, month_label, param
from sim.scenario.schema import Scenario

SAMPLERS = ("grid", "lhs", "sobol", "morris")
#: Formats `export` may ask for, besides the Parquet files that are always written.
EXPORT_FORMATS = ("csv",)


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
    carrier: str = param(
        "market", unit="carrier key", source="study",
        description="Whose figure: a carrier of the scenario, or 'market' for all of them "
                    "summed (or subscriber-weighted).")
    month: Month | None = param(None, unit="YYYY-MM", source="study",
                                description="Month to read (inclusive); omitted: the last month.")
    series: bool | list[str] = param(
        False, unit="flag or list of YYYY-MM", source="study",
        description="Also record the metric month by month (as if `month` were each month) "
                    "in series.parquet: true for every month up to `month` (or the last), "
                    "or a list of months.")

    @field_validator("series", mode="before")
    @classmethod
    def _series_months(cls, value: Any) -> Any:
        if isinstance(value, bool) or value is None:
            return bool(value)
        if not isinstance(value, list) or not value:
            raise ValueError(f"must be true, false or a list of months (YYYY-MM); got {value!r}")
        months = []
        for item in value:
            if hasattr(item, "year") and hasattr(item, "month"):  # YAML read 2019-11-27 as a date
                item = f"{item.year:04d}-{item.month:02d}"
            if not (isinstance(item, str) and len(item) == 7 and item[4] == "-"
                    and item[:4].isdigit() and item[5:].isdigit() and 1 <= int(item[5:]) <= 12):
                raise ValueError(f"months are written YYYY-MM (e.g. 2020-06); got {item!r}")
            months.append(item)
        if len(set(months)) != len(months):
            raise ValueError("each month may appear once")
        return sorted(months)

    def series_months(self, start: str, last: str) -> list[str]:
        """The months this metric's series covers, in a run from `start` to `last`."""
        if self.series is False:
            return []
        if self.series is True:
            end = self.month or last
            out, offset = [], 0
            while (label := month_label(start, offset)) <= end:
                out.append(label)
                offset += 1
            return out
        return list(self.series)


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
    export: list[str] = param([], unit="formats", source="study",
                              description="Also write the results in these formats beside the "
                                          "Parquet files (which are always written): csv gives "
                                          "runs.csv and, with series metrics, series.csv.")

    @field_validator("export", mode="before")
    @classmethod
    def _export_formats(cls, value: Any) -> Any:
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list):
            raise ValueError(f"must be a list of formats, e.g. [csv]; got {value!r}")  # noqa: TRY004 (pydantic wants ValueError)
        for item in value:
            if item not in EXPORT_FORMATS:
                raise ValueError(f"unknown export format {item!r}; use one of "
                                 f"{', '.join(EXPORT_FORMATS)} (Parquet is always written)")
        return list(dict.fromkeys(value))

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
        """The swept parameters' paths, in order."""
        return [p.path for p in self.parameters]


def parameter_unit(path: str) -> str:
    """The unit the scenario schema gives a dotted parameter path.

    For example "yuan, one-off" for policy.porting_hassle, or "" where the path leads
    nowhere the schema describes.
    """
    from typing import get_args

    from pydantic import BaseModel

    node: Any = Scenario
    field = None
    for key in path.split("."):
        while not (isinstance(node, type) and issubclass(node, BaseModel)):
            args = [a for a in get_args(node) if a is not type(None)]
            if not args:
                return ""
            node = args[-1]  # Optional[X] -> X, dict[str, X] -> X, list[X] -> X
        if key not in node.model_fields:
            field = None  # a dict key or list index: the next key is in the value type
            continue
        field = node.model_fields[key]
        node = field.annotation
    extra = field.json_schema_extra if field is not None else None
    return str(extra.get("unit", "")) if isinstance(extra, dict) else ""


def short_name(path: str) -> str:
    """The last two parts of a parameter path: unicom.price, business.number_attachment."""
    return ".".join(path.split(".")[-2:])


def parameter_label(path: str) -> tuple[str, str]:
    """(axis label with the unit, sim.axes kind) of a parameter path."""
    unit = parameter_unit(path)
    money = unit == "yuan" or unit.startswith(("yuan/", "yuan,", "yuan ("))
    kind = "yuan" if money else "number"  # not "yuan utility per yuan billed", a ratio
    label = short_name(path).replace("_", " ")
    if not unit:
        return label, kind
    return (f"{label}, {unit}" if "(" in unit else f"{label} ({unit})"), kind


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
    last = _run_end(study, scenario)
    span = f"the run covers {scenario.start} to {last}"
    for i, m in enumerate(study.metrics):
        line = lines.get(("metrics", str(i)))
        if m.carrier != "market" and m.carrier not in scenario.carriers:
            problems.append(Problem(f"metrics.{i}.carrier", f"unknown carrier {m.carrier!r}; "
                                    f"use one of {', '.join(scenario.carriers)} or market",
                                    lines.get(("metrics", str(i), "carrier"), line)))
        if m.month is not None and m.month < scenario.start:
            problems.append(Problem(f"metrics.{i}.month", f"{m.month} is before the scenario "
                                    f"starts ({scenario.start})", line))
        elif m.month is not None and m.month > last:
            problems.append(Problem(f"metrics.{i}.month", f"{m.month} is after the run ends "
                                    f"({last}); choose a month up to {last} or lengthen months",
                                    lines.get(("metrics", str(i), "month"), line)))
        if isinstance(m.series, list):
            outside = [x for x in m.series if not scenario.start <= x <= last]
            if outside:
                problems.append(Problem(f"metrics.{i}.series", f"{', '.join(outside)} "
                                        f"{'is' if len(outside) == 1 else 'are'} outside the "
                                        f"run ({span}); list months in it, or series: true "
                                        "for every month", lines.get(("metrics", str(i),
                                                                      "series"), line)))
    runs = expected_points(study) * study.replicates
    if runs > MAX_RUNS:
        problems.append(Problem("samples", f"the design has {runs:,} runs (points x "
                                f"replicates); at most {MAX_RUNS:,}: lower samples, levels or "
                                "replicates", lines.get(("samples",))))
    if problems:
        raise ScenarioError(problems, str(path))
    return study, scenario, dump


def expected_points(study: Study) -> int:
    """How many design points the sampler gives (SALib's sizes for sobol and morris)."""
    k = len(study.parameters)
    if study.sampler == "sobol":
        return study.samples * (2 * k + 2 if study.second_order else k + 2)
    if study.sampler == "morris":
        return study.samples * (k + 1)
    if study.sampler == "grid":
        sizes = [len(p.levels) if p.levels is not None else study.samples
                 for p in study.parameters]
        return math.prod(sizes)
    return study.samples


def study_fingerprint(study: Study) -> str:
    """The study's fingerprint, for resuming: what decides its results.

    `export` is left out (a format can be added to a finished sweep), and so is `series`
    where it is off, so a store started before series existed still resumes.
    """
    data = study.model_dump(mode="json")
    data.pop("export", None)
    for metric in data["metrics"]:
        if metric.get("series") is False:
            metric.pop("series")
    return fingerprint(data)


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


__all__ = ["EXPORT_FORMATS", "SAMPLERS", "Discovery", "Metric", "Parameter", "Study",
           "base_scenario", "expected_points", "fingerprint", "load_study", "parameter_label",
           "parameter_unit", "short_name", "study_fingerprint"]
