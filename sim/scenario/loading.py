"""Read a scenario file, apply `--set` overrides, validate, and explain every problem.

Each problem is reported as `path: message (file:line)` so a user can go straight
to the field; nothing here ever shows a traceback to the user.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where, what, and where in the file."""

    path: str
    message: str
    line: int | None = None
    source: str | None = None  # the file the line is in, when not the scenario itself

    def render(self, source: str | None) -> str:
        source = self.source or source
        where = f"  ({source}:{self.line})" if source and self.line is not None else ""
        head = f"{self.path}: " if self.path else ""
        return f"{head}{self.message}{where}"


class ScenarioError(Exception):
    """A scenario (or study) that cannot be used, with every problem found."""

    def __init__(self, problems: list[Problem], source: str | None = None):
        self.problems = problems
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        what = f"in {self.source}" if self.source else "in the scenario"
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} {what}:"]
        lines += [f"  - {p.render(self.source)}" for p in self.problems]
        return "\n".join(lines)


# ---------------------------------------------------------------- YAML reading

def read_yaml(path: Path) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    """Parse a YAML mapping safely and record the line of every key."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem("", f"file not found: {path}; check the path")]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem("", f"{path} is a directory; give a .yaml file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem("", f"cannot read {path}: {exc}; "
                                         "make it a readable UTF-8 text file")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([Problem("", f"not valid YAML: {problem}; fix the syntax", line)],
                            source) from None
    if not isinstance(data, dict):
        raise ScenarioError([Problem("", "the file must be a YAML mapping of keys "
                                         "(name, start, months, population, ...)", 1)], source)
    lines: dict[tuple[str, ...], int] = {}
    _record_lines(node, (), lines)
    return data, lines


def _record_lines(node: Any, path: tuple[str, ...], lines: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            sub = (*path, str(key_node.value))
            lines[sub] = key_node.start_mark.line + 1
            _record_lines(value_node, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = (*path, str(i))
            lines[sub] = item.start_mark.line + 1
            _record_lines(item, sub, lines)


# ---------------------------------------------------------------- overrides

def apply_overrides(data: dict[str, Any], overrides: list[str]) -> list[Problem]:
    """Apply `a.b.c=value` overrides in place; values are parsed as YAML scalars."""
    problems: list[Problem] = []
    for text in overrides:
        if "=" not in text:
            problems.append(Problem(text, "an override is written path=value, "
                                          "e.g. population.size=1000000"))
            continue
        dotted, raw = text.split("=", 1)
        keys = [k for k in dotted.strip().split(".") if k]
        if not keys:
            problems.append(Problem(text, "empty path; write e.g. policy.mnp_start=2020-06"))
            continue
        try:
            value = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            value = raw
        try:
            set_path(data, keys, value)
        except (KeyError, IndexError, TypeError) as exc:
            problems.append(Problem(".".join(keys), f"cannot set this path ({exc}); "
                                                    "check it against the scenario reference"))
    return problems


def get_path(data: Any, path: str) -> Any:
    """The value at a dotted path in nested dicts/lists (list items by index)."""
    for key in path.split("."):
        data = data[int(key)] if isinstance(data, list) else data[key]
    return data


def set_path(data: Any, keys: list[str], value: Any) -> None:
    """Set a dotted path in nested dicts/lists, creating missing mappings."""
    node = data
    for key in keys[:-1]:
        if isinstance(node, list):
            node = node[int(key)]
        else:
            if node.get(key) is None:
                node[key] = {}
            node = node[key]
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise TypeError(f"'{keys[-2] if len(keys) > 1 else last}' is not a mapping")


# ---------------------------------------------------------------- named strategies

STRATEGY_KEYS = ("name", "description", "actions")


@dataclass(frozen=True)
class Origin:
    """Where an action expanded from a strategy file came from (for error lines)."""

    source: str
    lines: dict
    prefix: tuple[str, ...]


def strategy_dirs(scenario_path: Path | None) -> list[Path]:
    """Where strategy names are looked up: next to the scenario, then ./scenarios/strategies."""
    dirs = [scenario_path.parent / "strategies"] if scenario_path is not None else []
    dirs.append(Path("scenarios") / "strategies")
    return dirs


def available_strategies(dirs: list[Path]) -> list[str]:
    """Names of the strategy files in `dirs`."""
    return sorted({p.stem for d in dirs if d.is_dir() for p in d.glob("*.yaml")})


def find_strategy(name: str, dirs: list[Path]) -> Path:
    """The file for a strategy name or path, or a ScenarioError listing the known names."""
    if name.endswith((".yaml", ".yml")) or "/" in name:
        if Path(name).is_file():
            return Path(name)
    else:
        for d in dirs:
            if (d / f"{name}.yaml").is_file():
                return d / f"{name}.yaml"
    known = available_strategies(dirs)
    hint = difflib.get_close_matches(name, known, n=1)
    fix = f"did you mean {hint[0]!r}?" if hint else (
        f"use one of {', '.join(known)}" if known else "give a path to a strategy .yaml file")
    raise ScenarioError([Problem("", f"unknown strategy {name!r}; {fix}")])


def read_strategy(path: Path) -> tuple[list, dict, str]:
    """Read a strategy file: (actions, line map, source). Checks its outer shape only."""
    data, lines = read_yaml(path)
    problems = [Problem(k, f"unknown key {k!r}; a strategy file has {', '.join(STRATEGY_KEYS)}",
                        lines.get((k,))) for k in data if k not in STRATEGY_KEYS]
    actions = data.get("actions", [])
    if actions is None:
        actions = []
    if not isinstance(actions, list):
        problems.append(Problem("actions", "must be a list of actions (use [] for none)",
                                lines.get(("actions",))))
    if problems:
        raise ScenarioError(problems, str(path))
    return actions, lines, str(path)


def expand_strategies(data: dict[str, Any], dirs: list[Path], lines: dict | None = None,
                      source: str | None = None) -> dict[tuple[str, ...], Origin]:
    """Replace strategy names in `data['strategies']` by their actions, in place.

    `strategies.mobile: name` or a list mixing names and inline actions. Returns, for
    each expanded action, the file and lines it came from.
    """
    origins: dict[tuple[str, ...], Origin] = {}
    strategies = data.get("strategies")
    if not isinstance(strategies, dict):
        return origins
    for carrier, spec in strategies.items():
        items = [spec] if isinstance(spec, str) else spec
        if not isinstance(items, list):
            continue
        expanded: list = []
        for item in items:
            if not isinstance(item, str):
                expanded.append(item)
                continue
            try:
                found = find_strategy(item, dirs)
            except ScenarioError as exc:
                where = ("strategies", str(carrier))
                raise ScenarioError([Problem(".".join(where), exc.problems[0].message,
                                             _line(lines or {}, where))], source) from None
            actions, file_lines, file_source = read_strategy(found)
            for j, action in enumerate(actions):
                origins[("strategies", str(carrier), str(len(expanded)))] = Origin(
                    file_source, file_lines, ("actions", str(j)))
                expanded.append(copy.deepcopy(action))
        strategies[carrier] = expanded
    return origins


# ---------------------------------------------------------------- validation

def validate_data(data: dict[str, Any], lines: dict | None = None,
                  source: str | None = None,
                  origins: dict[tuple[str, ...], Origin] | None = None) -> Scenario:
    """Validate a scenario mapping or raise a ScenarioError listing every problem."""
    return validate_model(Scenario, data, lines, source, origins)


def validate_model(model: type[BaseModel], data: dict[str, Any], lines: dict | None = None,
                   source: str | None = None,
                   origins: dict[tuple[str, ...], Origin] | None = None) -> Any:
    """Validate `data` as `model` (a scenario, a study...), explaining every problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [p for err in exc.errors() for p in _explain(err, data, lines or {}, model)]
        problems = [_relocate(p, origins or {}) for p in problems]
        raise ScenarioError(problems, source) from None


def _relocate(problem: Problem, origins: dict[tuple[str, ...], Origin]) -> Problem:
    """Point a problem in an expanded action at its line in the strategy file."""
    key = tuple(problem.path.split("."))
    origin = origins.get(key[:3])
    if origin is None:
        return problem
    line = _line(origin.lines, origin.prefix + key[3:])
    return Problem(problem.path, problem.message, line, origin.source)


def load_scenario(path: str | Path, overrides: list[str] | None = None,
                  strategies: dict[str, str] | None = None) -> Scenario:
    """Load and validate a scenario file (the Python API behind `mnp run`/`validate`).

    `strategies` replaces carriers' strategies by named ones, e.g. {"mobile": "price_cut"}.
    """
    path = Path(path)
    data, lines = read_yaml(path)
    problems = apply_overrides(data, list(overrides or []))
    if problems:
        raise ScenarioError(problems, str(path))
    keys = [str(k) for k in data.get("carriers") or {}] if isinstance(
        data.get("carriers"), dict) else []
    for carrier, name in (strategies or {}).items():
        if carrier not in keys:
            raise ScenarioError([Problem("", f"unknown carrier {carrier!r}; carriers are "
                                             f"{', '.join(keys)}")], str(path))
        if not isinstance(data.get("strategies"), dict):
            data["strategies"] = {}
        data["strategies"][carrier] = name
    origins = expand_strategies(data, strategy_dirs(path), lines, str(path))
    return validate_data(data, lines, str(path), origins)


def _explain(err: dict, data: dict, lines: dict, root: type[BaseModel]) -> list[Problem]:
    loc = _strip_tags(err["loc"], data)
    path = ".".join(str(p) for p in loc)
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error" and not loc:
        # cross-field checks report "path: message" lines of their own
        out = []
        for part in str(ctx.get("error", err["msg"])).split("\n"):
            sub, _, msg = part.partition(": ")
            out.append(Problem(sub, msg or part, _line(lines, tuple(sub.split(".")))))
        return out
    message = _message(kind, err, ctx, loc, data, root)
    return [Problem(path, message, _line(lines, tuple(str(p) for p in loc)))]


def _line(lines: dict, key: tuple[str, ...]) -> int | None:
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return None


def _strip_tags(loc: tuple, data: Any) -> tuple:
    """Drop the lever tag pydantic inserts into the path of a tagged union."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part not in node and node.get("lever") == part:
            continue
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def _message(kind: str, err: dict, ctx: dict, loc: tuple, data: dict,
             root: type[BaseModel]) -> str:
    if kind == "extra_forbidden":
        return _unknown_key(loc, data, root)
    if kind == "missing":
        return "required but missing; add it (see docs/scenario-reference.md)"
    if kind == "greater_than":
        return f"must be > {ctx['gt']:g}; got {err.get('input')!r}"
    if kind == "greater_than_equal":
        return f"must be >= {ctx['ge']:g}; got {err.get('input')!r}"
    if kind == "less_than":
        return f"must be < {ctx['lt']:g}; got {err.get('input')!r}"
    if kind == "less_than_equal":
        return f"must be <= {ctx['le']:g}; got {err.get('input')!r}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return f"must be a number; got {err.get('input')!r}"
    if kind in ("bool_parsing", "bool_type"):
        return f"must be true or false; got {err.get('input')!r}"
    if kind == "union_tag_invalid":
        return (f"unknown lever {ctx.get('tag')!r}; use one of {ctx.get('expected_tags')}")
    if kind == "union_tag_not_found":
        return "each action needs a 'lever' key naming what it does (e.g. lever: price_change)"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}; got {err.get('input')!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a mapping of keys to values"
    if kind == "list_type":
        return "must be a list"
    if kind == "string_type":
        return f"must be text; got {err.get('input')!r}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"]


def _unknown_key(loc: tuple, data: dict, root: type[BaseModel]) -> str:
    key = str(loc[-1])
    parent = loc[:-1]
    if parent in (("carriers",), ("strategies",)):
        keys = list(data.get("carriers") or {}) if isinstance(data, dict) else []
        return f"unknown carrier {key!r}; carriers are {', '.join(map(str, keys))}"
    allowed = _allowed_keys(parent, data, root)
    hint = difflib.get_close_matches(key, allowed, n=1)
    if hint:
        return f"unknown key {key!r}; did you mean {hint[0]!r}?"
    if allowed:
        return f"unknown key {key!r}; allowed here: {', '.join(sorted(allowed))}"
    return f"unknown key {key!r}; remove it"


def _allowed_keys(loc: tuple, data: Any, root: type[BaseModel] = Scenario) -> list[str]:
    """Field names of the schema block at `loc` (walks models, dicts, lists, unions)."""
    model: Any = root
    node = data
    for part in loc:
        model = _unwrap(model, node)
        if isinstance(model, type) and issubclass(model, BaseModel):
            field = model.model_fields.get(str(part))
            if field is None:
                return []
            model = field.annotation
        else:
            args = get_args(model)
            model = args[-1] if args else None
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int)
            and part < len(node) else None)
    model = _unwrap(model, node)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _unwrap(model: Any, node: Any) -> Any:
    """Reduce Optional/Annotated/union types to the model class matching `node`."""
    for _ in range(5):
        origin = get_origin(model)
        if origin is None:
            return model
        if origin in (list, dict):
            return model
        args = [a for a in get_args(model) if a is not type(None)]
        if not args:
            return None
        lever = node.get("lever") if isinstance(node, dict) else None
        match = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)
                 and "lever" in a.model_fields
                 and lever in get_args(a.model_fields["lever"].annotation)]
        model = match[0] if match else args[0]
    return model
