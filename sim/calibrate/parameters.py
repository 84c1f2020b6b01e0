"""Fitted parameters: `--fit PATH[=LOW:HIGH]`, with `*` standing for every key at that level.

A plain path (`policy.porting_hassle`) is fitted directly, between LOW and HIGH
(default: a quarter to four times the scenario's value). A path with `*`
(`population.segments.*.review_rate`) is fitted as one common *multiplier* on every
value it matches (default 0.25 to 4), so the segments keep the differences the
scenario gives them and one number moves them together: five free review rates
could not be told apart by a dozen national figures.

Positive ranges are searched on a log scale (a rate of 0.01 and 0.02 differ as
much as 0.1 and 0.2); a range that includes zero or negatives is searched linearly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.scenario.loading import set_path

DEFAULT_SPAN = 4.0  # default range: value / 4 .. value * 4 (or multiplier 0.25 .. 4)


class FitError(ValueError):
    """A --fit option that cannot be used; the message names it and the fix."""


@dataclass(frozen=True)
class FitParameter:
    """One fitted number and the scenario values it sets."""

    spec: str                 # as given: population.segments.*.review_rate
    paths: tuple[str, ...]    # what it sets: population.segments.youth.review_rate, ...
    base: tuple[float, ...]   # their values in the base scenario
    low: float
    high: float

    @property
    def multiplier(self) -> bool:
        """Whether the parameter multiplies the values it matches (a `*` in its spec)."""
        return "*" in self.spec

    @property
    def name(self) -> str:
        """The name shown in reports and used as the optimiser's parameter name."""
        return f"{self.spec} (x)" if self.multiplier else self.spec

    @property
    def log(self) -> bool:
        """Whether it is searched on a log scale (a range above 0)."""
        return self.low > 0

    @property
    def start(self) -> float:
        """The scenario's own value: multiplier 1, or the base value."""
        return 1.0 if self.multiplier else self.base[0]

    def values(self, x: float) -> dict[str, float]:
        """The scenario values this parameter sets when it is `x`."""
        if self.multiplier:
            return {p: b * x for p, b in zip(self.paths, self.base, strict=True)}
        return {self.paths[0]: x}

    def apply(self, data: dict[str, Any], x: float) -> None:
        """Set this parameter to `x` in a scenario dump (in place)."""
        for path, value in self.values(x).items():
            set_path(data, path.split("."), _typed(self.base[0], value))

    def as_dict(self) -> dict:
        """The parameter as a JSON-ready dict: spec, paths, base values, range, scale, meaning."""
        return {"name": self.name, "spec": self.spec, "paths": list(self.paths),
                "base": list(self.base), "low": self.low, "high": self.high,
                "scale": "log" if self.log else "linear",
                "meaning": "multiplier on every matched value" if self.multiplier
                else "the value itself"}


def _typed(like: float, value: float) -> float | int:
    return round(value) if isinstance(like, int) and not isinstance(like, bool) else value


def _matches(data: Any, keys: list[str], prefix: str = "") -> list[tuple[str, Any]]:
    """(path, value) for every leaf that `keys` (with `*` wildcards) reaches in `data`."""
    if not keys:
        return [(prefix.rstrip("."), data)]
    key, rest = keys[0], keys[1:]
    if isinstance(data, dict):
        children = list(data.items()) if key == "*" else (
            [(key, data[key])] if key in data else [])
    elif isinstance(data, list):
        children = list(enumerate(data)) if key == "*" else (
            [(int(key), data[int(key)])] if key.isdigit() and int(key) < len(data) else [])
    else:
        return []
    found = []
    for name, child in children:
        found.extend(_matches(child, rest, f"{prefix}{name}."))
    return found


def parse_fit(spec: str, dump: dict[str, Any]) -> FitParameter:
    """Read one --fit option against the base scenario's full dump (defaults spelled out)."""
    path, _, bounds = spec.partition("=")
    path = path.strip()
    if not path:
        raise FitError(f"--fit {spec!r}: give a dotted scenario path, e.g. "
                       "--fit policy.porting_hassle or --fit population.segments.*.review_rate")
    found = _matches(dump, path.split("."))
    numbers = [(p, v) for p, v in found if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numbers:
        what = "matches nothing" if not found else "is not a number"
        raise FitError(f"--fit {path}: the path {what} in the scenario; check it against "
                       "docs/scenario-reference.md (e.g. policy.porting_hassle)")
    if len(numbers) != len(found):
        bad = next(p for p, v in found if (p, v) not in numbers)
        raise FitError(f"--fit {path}: {bad} is not a number; narrow the path")
    multiplier = "*" in path
    if not multiplier and len(numbers) > 1:
        raise FitError(f"--fit {path}: matches {len(numbers)} values; use * to fit them together")
    base = tuple(float(v) for _, v in numbers)
    centre = 1.0 if multiplier else base[0]
    if bounds:
        try:
            low_text, high_text = bounds.split(":")
            low, high = float(low_text), float(high_text)
        except ValueError:
            raise FitError(f"--fit {spec}: bounds must be LOW:HIGH, e.g. "
                           f"--fit {path}=100:2000") from None
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise FitError(f"--fit {spec}: LOW must be below HIGH")
    elif centre > 0:
        low, high = centre / DEFAULT_SPAN, centre * DEFAULT_SPAN
    else:
        raise FitError(f"--fit {path}: its value is {centre:g}, so no default range can be "
                       f"made; give one, e.g. --fit {path}=0:1")
    if multiplier and low < 0:
        raise FitError(f"--fit {spec}: a multiplier cannot be negative")
    return FitParameter(path, tuple(p for p, _ in numbers), base, low, high)


def parse_fits(specs: list[str], dump: dict[str, Any]) -> list[FitParameter]:
    """All --fit options; a path may be fitted once."""
    if not specs:
        raise FitError("give at least one --fit PATH, e.g. --fit policy.porting_hassle")
    params = [parse_fit(s, dump) for s in specs]
    for p in params:
        _check_range(p, dump)
    seen: dict[str, str] = {}
    for p in params:
        for path in p.paths:
            if path in seen:
                raise FitError(f"--fit {p.spec}: {path} is already fitted by --fit {seen[path]}")
            seen[path] = p.spec
    return params


def _check_range(p: FitParameter, dump: dict[str, Any]) -> None:
    """Both ends of the range must give a valid scenario, or every candidate there fails."""
    import copy

    from pydantic import ValidationError

    from sim.scenario.schema import Scenario
    for end in (p.low, p.high):
        data = copy.deepcopy(dump)
        p.apply(data, end)
        try:
            Scenario.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(k) for k in first["loc"])
            raise FitError(f"--fit {p.spec}: at {end:g} the scenario is invalid ({where}: "
                           f"{first['msg']}); give a valid range, e.g. "
                           f"--fit {p.spec.split('=')[0]}=LOW:HIGH") from None


__all__ = ["DEFAULT_SPAN", "FitError", "FitParameter", "parse_fit", "parse_fits"]
