"""Read a scenario file, apply `--set` overrides, validate, and explain every problem.

Each problem is reported as `path: message (file:line)` so a user can go straight
to the field; nothing here ever shows a traceback to the user.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sim.scenario.schema import Scenario
from sim.scenario.yamlsafe import YamlProblem, load_text, load_value


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where, what, and where in the file."""

    path: str
    message: str
    line: int | None = None
    source: str | None = None  # the file the line is in, when not the scenario itself

    def render(self, source: str | None) -> str:
        """The problem as "path: message  (source:line)", `source` where it names none."""
        source = self.source or source
        where = f"  ({source}:{self.line})" if source and self.line is not None else ""
        head = f"{self.path}: " if self.path else ""
        return f"{head}{self.message}{where}"


class ScenarioError(Exception):
    """A scenario (or study) that cannot be used, with every problem found."""

    def __init__(self, problems: list[Problem], source: str | None = None):
        """Every problem found in the scenario `source`, in one error."""
        self.problems = problems
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        """The problems as one message: a count, then one line each."""
        what = f"in {self.source}" if self.source else "in the scenario"
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} {what}:"]
        lines += [f"  - {p.render(self.source)}" for p in self.problems]
        return "\n".join(lines)


# ---------------------------------------------------------------- YAML reading

def read_yaml(path: Path) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    """Parse a YAML mapping safely (bounded, no duplicate keys) and record the line of every key."""
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
        data, lines, duplicates = load_text(text)
    except YamlProblem as exc:
        raise ScenarioError([Problem(".".join(exc.path), exc.message, exc.line)],
                            source) from None
    if duplicates:
        raise ScenarioError([Problem(".".join(d.path), d.message, d.line) for d in duplicates],
                            source)
    if not isinstance(data, dict):
        raise ScenarioError([Problem("", "the file must be a YAML mapping of keys "
                                         "(name, start, months, population, ...)", 1)], source)
    return data, lines


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
            value = load_value(raw) if raw.strip() else None
        except YamlProblem as exc:
            if not exc.message.startswith("not valid YAML"):
                problems.append(Problem(".".join(keys), f"--set value {raw!r}: {exc.message}"))
                continue
            value = raw
        try:
            set_path(data, keys, value)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
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
    for i, key in enumerate(keys[:-1]):
        if isinstance(node, list):
            node = node[_index(key, node)]
        elif isinstance(node, dict):
            if node.get(key) is None:
                node[key] = {}
            node = node[key]
        else:
            raise TypeError(f"'{keys[i - 1] if i else key}' holds {node!r}, not a mapping")
    last = keys[-1]
    if isinstance(node, list):
        node[_index(last, node)] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise TypeError(f"'{keys[-2] if len(keys) > 1 else last}' is not a mapping")


def _index(key: str, items: list) -> int:
    if not key.isdigit():
        raise ValueError(f"{key!r} is not a list position (0, 1, ...)")
    return int(key)


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
                      source: str | None = None,
                      problems: list[Problem] | None = None) -> dict[tuple[str, ...], Origin]:
    """Replace strategy names in `data['strategies']` by their actions, in place.

    `strategies.mobile: name` or a list mixing names and inline actions. Returns, for
    each expanded action, the file and lines it came from. With a `problems` list, an
    unknown or broken strategy file is added to it (and left out) instead of raised,
    so one pass reports every problem.
    """
    origins: dict[tuple[str, ...], Origin] = {}
    strategies = data.get("strategies")
    if not isinstance(strategies, dict):
        return origins
    found_problems: list[Problem] = []
    for carrier, spec in strategies.items():
        items = [spec] if isinstance(spec, str) else spec
        if not isinstance(items, list):
            continue
        expanded: list = []
        for item in items:
            if not isinstance(item, str):
                expanded.append(item)
                continue
            where = ("strategies", str(carrier))
            try:
                found = find_strategy(item, dirs)
                actions, file_lines, file_source = read_strategy(found)
            except ScenarioError as exc:
                if exc.source is None:  # an unknown name: point at the scenario's line
                    found_problems += [Problem(".".join(where), p.message,
                                               _line(lines or {}, where)) for p in exc.problems]
                else:                   # a broken strategy file: point at its own line
                    found_problems += [Problem(p.path, p.message, p.line, exc.source)
                                       for p in exc.problems]
                continue
            for j, action in enumerate(actions):
                origins[("strategies", str(carrier), str(len(expanded)))] = Origin(
                    file_source, file_lines, ("actions", str(j)))
                expanded.append(copy.deepcopy(action))
        strategies[carrier] = expanded
    if found_problems and problems is None:
        raise ScenarioError(found_problems, source)
    if problems is not None:
        problems += found_problems
    return origins


# ---------------------------------------------------------------- validation

def validate_data(data: dict[str, Any], lines: dict | None = None,
                  source: str | None = None,
                  origins: dict[tuple[str, ...], Origin] | None = None,
                  before: list[Problem] = (), after: list[Problem] = ()) -> Scenario:
    """Validate a scenario mapping or raise a ScenarioError listing every problem."""
    return validate_model(Scenario, data, lines, source, origins, before, after)


def validate_model(model: type[BaseModel], data: dict[str, Any], lines: dict | None = None,
                   source: str | None = None,
                   origins: dict[tuple[str, ...], Origin] | None = None,
                   before: list[Problem] = (), after: list[Problem] = ()) -> Any:
    """Validate `data` as `model` (a scenario, a study...), explaining every problem.

    Every problem of the file is found in one pass: the schema's (types, ranges, unknown
    keys), then the cross-field checks (which pydantic runs only once every field is
    valid, so they are run again on a copy with the broken fields left out), with
    `before` (e.g. --set problems) first and `after` (e.g. strategy files) last. Each
    problem is reported once.
    """
    lines = lines or {}
    try:
        result = model.model_validate(data)
        schema: list[Problem] = []
        cross: list[Problem] = []
    except ValidationError as exc:
        result = None
        errors = exc.errors()
        schema = [p for e in errors if not _is_cross(e) for p in _explain(e, data, lines, model)]
        cross = [p for e in errors if _is_cross(e) for p in _explain(e, data, lines, model)]
        if schema:
            cross += _cross_checks_without(model, data, errors, lines)
    problems = [_relocate(p, origins or {}) for p in [*before, *schema, *cross]] + list(after)
    if problems:
        raise ScenarioError(_unique(problems), source)
    return result


def _is_cross(err: dict) -> bool:
    """A model-level check (several fields together), not one field's type or range."""
    return err["type"] == "value_error" and not err["loc"]


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple] = set()
    out = []
    for p in problems:
        key = (p.path, p.message, p.source)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _cross_checks_without(model: type[BaseModel], data: dict, errors: list[dict],
                          lines: dict) -> list[Problem]:
    """The cross-field problems of `data` once the fields with errors are left out.

    A key with a bad value is removed (its default applies); a list item that cannot be
    repaired that way (an unknown lever) is removed, and the positions of the items
    after it are mapped back, so "strategies.mobile.1" still names the second action.
    """
    trial = copy.deepcopy(data)
    kept: dict[tuple, list[int]] = {}
    for _ in range(3):
        locs = [_strip_tags(e["loc"], trial) for e in errors if not _is_cross(e)]
        if not locs or not _prune(trial, locs, kept):
            return []
        try:
            model.model_validate(trial)
            return []
        except ValidationError as exc:
            errors = exc.errors()
        if not any(_is_cross(e) for e in errors):
            continue
        if any(not _is_cross(e) for e in errors):
            continue
        return [p for e in errors
                for p in _explain(e, trial, lines, model, lambda path: _remap(path, kept))]
    return []


def _prune(data: Any, locs: list[tuple], kept: dict[tuple, list[int]]) -> bool:
    """Remove the values at `locs` from `data` in place; False if nothing could go."""
    drop_items: dict[tuple, set[int]] = {}
    changed = False
    for loc in locs:
        parent = _node_at(data, loc[:-1]) if loc else None
        last = loc[-1] if loc else None
        if isinstance(parent, dict) and last in parent and not isinstance(last, int):
            del parent[last]
            changed = True
            continue
        # the deepest list item on the path goes instead
        for cut in range(len(loc), 0, -1):
            if isinstance(loc[cut - 1], int) and isinstance(_node_at(data, loc[:cut - 1]), list):
                drop_items.setdefault(tuple(loc[:cut - 1]), set()).add(loc[cut - 1])
                break
    for where, positions in drop_items.items():
        items = _node_at(data, where)
        if not isinstance(items, list):  # already gone with an outer key
            continue
        original = kept.get(tuple(str(k) for k in where), list(range(len(items))))
        keep = [i for i in range(len(items)) if i not in positions]
        items[:] = [items[i] for i in keep]
        kept[tuple(str(k) for k in where)] = [original[i] for i in keep]
        changed = changed or bool(positions)
    return changed


def _node_at(data: Any, loc: tuple) -> Any:
    for part in loc:
        if (isinstance(data, dict) and part in data) or (
                isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)):
            data = data[part]
        else:
            return None
    return data


def _remap(path: str, kept: dict[tuple, list[int]]) -> str:
    """A dotted path in pruned data as the same path in the original data."""
    parts = path.split(".")
    for i in range(len(parts) - 1):
        positions = kept.get(tuple(parts[:i + 1]))
        if positions is not None and parts[i + 1].isdigit() and int(parts[i + 1]) < len(
                positions):
            parts[i + 1] = str(positions[int(parts[i + 1])])
    return ".".join(parts)


def _relocate(problem: Problem, origins: dict[tuple[str, ...], Origin]) -> Problem:
    """Point a problem in an expanded action at its line in the strategy file."""
    if problem.source is not None:
        return problem
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
    Every problem (--set, schema, cross-field, strategy files) is reported at once.
    """
    path = Path(path)
    data, lines = read_yaml(path)
    problems = apply_overrides(data, list(overrides or []))
    keys = [str(k) for k in data.get("carriers") or {}] if isinstance(
        data.get("carriers"), dict) else []
    for carrier, name in (strategies or {}).items():
        if carrier not in keys:
            raise ScenarioError([Problem("", f"unknown carrier {carrier!r}; carriers are "
                                             f"{', '.join(keys)}")], str(path))
        if not isinstance(data.get("strategies"), dict):
            data["strategies"] = {}
        data["strategies"][carrier] = name
    strategy_problems: list[Problem] = []
    origins = expand_strategies(data, strategy_dirs(path), lines, str(path), strategy_problems)
    return validate_data(data, lines, str(path), origins, problems, strategy_problems)


_PATH_HEAD = re.compile(r"^[A-Za-z_][\w-]*(\.[\w-]+)*: ")


def _split_checks(text: str) -> list[str]:
    r"""Split a message into problems: 'a.b: msg; fix\nc: msg2' -> ['a.b: msg; fix', 'c: msg2'].

    A hint stays with its problem: only a new line, or a part that starts with a dotted
    path, starts a new one.
    """
    parts: list[str] = []
    for line in text.split("\n"):  # the schema puts one problem a line
        for part in line.split("; "):
            if parts and not _PATH_HEAD.match(part):
                parts[-1] += "; " + part
            else:
                parts.append(part)
    return parts


def _explain(err: dict, data: dict, lines: dict, root: type[BaseModel],
             remap=lambda path: path) -> list[Problem]:
    loc = _strip_tags(err["loc"], data)
    path = ".".join(str(p) for p in loc)
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error" and not loc:
        # cross-field checks report "path: message; fix" parts of their own
        out = []
        for part in _split_checks(str(ctx.get("error", err["msg"]))):
            sub, _, msg = part.partition(": ") if _PATH_HEAD.match(part) else ("", "", part)
            sub = remap(sub)
            out.append(Problem(sub, msg, _line(lines, tuple(sub.split("."))) if sub else None))
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


#: Messages that are the same whatever the input, by pydantic error type.
_FIXED_MESSAGES = {
    "missing": "required but missing; add it (see docs/scenario-reference.md)",
    "union_tag_not_found": "each action needs a 'lever' key naming what it does "
                           "(e.g. lever: price_change)",
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"),
                    "must be a mapping of keys to values"),
    "list_type": "must be a list",
}
#: Bounds: the comparison a message states and the pydantic context key of the bound.
_BOUND_MESSAGES = {"greater_than": (">", "gt"), "greater_than_equal": (">=", "ge"),
                   "less_than": ("<", "lt"), "less_than_equal": ("<=", "le")}
#: Wrong values whose message ends with the value given ("; got ...").
_GOT_MESSAGES = {
    "finite_number": "must be a finite number",
    **dict.fromkeys(("float_parsing", "float_type", "int_parsing", "int_type",
                     "int_from_float"), "must be a number"),
    **dict.fromkeys(("bool_parsing", "bool_type"), "must be true or false"),
    "string_type": "must be text",
}


def _message(kind: str, err: dict, ctx: dict, loc: tuple, data: dict,
             root: type[BaseModel]) -> str:
    if kind == "extra_forbidden":
        return _unknown_key(loc, data, root)
    if kind in _FIXED_MESSAGES:
        return _FIXED_MESSAGES[kind]
    if kind in _BOUND_MESSAGES:
        op, bound = _BOUND_MESSAGES[kind]
        return f"must be {op} {ctx[bound]:g}; got {err.get('input')!r}"
    if kind in _GOT_MESSAGES:
        return f"{_GOT_MESSAGES[kind]}; got {err.get('input')!r}"
    if kind == "union_tag_invalid":
        return (f"unknown lever {ctx.get('tag')!r}; use one of {ctx.get('expected_tags')}")
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}; got {err.get('input')!r}"
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
