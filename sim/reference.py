"""Generate docs/scenario-reference.md from the schema: every key, default, unit and source."""

from __future__ import annotations

from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from sim.columns import CARRIER_COLUMNS
from sim.levers import LEVERS, RetentionOffer
from sim.levers.base import Cost
from sim.market import (
    Awareness,
    Behaviour,
    Carrier,
    Eligibility,
    Friction,
    Growth,
    Handsets,
    Pilot,
    Policy,
    PortingRule,
    Population,
    Segment,
    Social,
    StepCosts,
    default_segments,
)
from sim.scenario.schema import Scenario

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("(top level)", Scenario), ("population", Population), ("population.segments.NAME", Segment),
    ("population.social", Social), ("population.growth[]", Growth),
    ("population.handsets", Handsets), ("policy", Policy),
    ("policy.eligibility", Eligibility),
    ("policy.awareness", Awareness), ("policy.porting_rules[] (and a pilot's)", PortingRule),
    ("policy.pilots[]", Pilot), ("behaviour", Behaviour), ("behaviour.friction", Friction),
    ("behaviour.friction.step_cost", StepCosts),
    ("carriers.KEY (mobile, unicom, broadnet, docomo...)", Carrier),
    ("strategies.CARRIER[].cost", Cost),
    ("strategies.CARRIER[].offer (early warning, renewal)", RetentionOffer),
]


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _type_name(get_args(annotation)[0])
    if origin is None:
        return getattr(annotation, "__name__", str(annotation))
    args = [a for a in get_args(annotation) if a is not type(None)]
    inner = " | ".join(_type_name(a) for a in args)
    return f"{origin.__name__}[{inner}]" if origin in (list, dict) else inner


def _default(field) -> str:
    if field.default is not PydanticUndefined:
        value = field.default
        if isinstance(value, BaseModel):
            return "(block)"
        return "null" if value is None else f"`{value}`"
    if field.default_factory is not None:
        return "(see below)"
    return "**required**"


def _table(model: type[BaseModel]) -> list[str]:
    lines = ["| key | type | default | unit | source | meaning |", "|---|---|---|---|---|---|"]
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra or {"unit": "(block)", "source": "see its section"}
        key = field.alias or name  # `from` (a Python keyword) is the field `from_`
        lines.append(f"| `{key}` | {_type_name(field.annotation)} | {_default(field)} | "
                     f"{extra.get('unit', '')} | {extra.get('source', '')} | "
                     f"{(field.description or '').replace('|', '/')} |")
    return lines


def reference_markdown() -> str:
    """The whole reference page as Markdown."""
    out = ["# Scenario file reference", "",
           "Generated from the schema by `mnp reference` (do not edit by hand). Money is in "
           "yuan; utilities in yuan/month; one-off amounts are divided by "
           "`behaviour.planning_horizon_months` when compared with monthly utility. "
           "Unknown keys are errors. Sources: *seed NNN* = `shared/seeds/NNN_*.txt`; "
           "*shared/data/...* = published figures; *assumption* = our choice, to be calibrated.",
           ""]
    for title, model in SECTIONS:
        out += [f"## `{title}`", "", (model.__doc__ or "").strip().splitlines()[0], ""]
        out += _table(model) + [""]
    out += ["## Default segments", "",
            "When `population.segments` is omitted these five are used (seed 001). Their "
            "carrier splits name China's three incumbents; in a market without all three "
            "they take the carriers' overall shares, and a carrier they leave out (such as "
            "Broadnet, launching later) starts with none.", "",
            "| segment | share | price sens. | network sens. | service sens. | attachment | "
            "review rate | spend factor | contract | bundle |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for name, s in default_segments().items():
        out.append(f"| {name} | {s.share} | {s.price_sensitivity} | {s.network_sensitivity} | "
                   f"{s.service_sensitivity} | {s.number_attachment} | {s.review_rate} | "
                   f"{s.spend_factor} | {s.contract_share} | {s.bundle_share} |")
    out += ["", "## Strategy actions (`strategies.CARRIER[]`)", "",
            "Every action has `lever`, `start`, optional `end`, optional `label` and a `cost` "
            "block (above). Months are `YYYY-MM`, or relative: `mnp` (the month nationwide MNP "
            "opens), `mnp+N`, `mnp-N`, `start+N`. Lever-specific unit costs (a bonus per "
            "port-in, a cost per contact...) are booked on top of the `cost` block.", "",
            "A carrier's strategy can also be a *named strategy*: `strategies.mobile: "
            "retention_early_warning` loads `strategies/retention_early_warning.yaml` next to "
            "the scenario (a mapping with `name`, `description` and `actions`), and a list may "
            "mix names and inline actions.", ""]
    for cls in LEVERS:
        lever = get_args(cls.model_fields["lever"].annotation)[0]
        out += [f"### `lever: {lever}`", "", (cls.__doc__ or "").strip().splitlines()[0], ""]
        own = {k: v for k, v in cls.model_fields.items()
               if k not in ("lever", "start", "end", "label", "cost")}
        lines = _table(cls)
        out += lines[:2] + [ln for ln in lines[2:] if ln.split("`")[1] in own] + [""]
    out += ["## Reported columns (`timeseries.csv`)", "",
            "One row per month and carrier (`month`, `carrier`), then these columns, declared "
            "once in `sim/columns.py` (levers declare their own):", "",
            "| column | unit | meaning |", "|---|---|---|"]
    out += [f"| `{c.name}` | {c.unit} | {c.description.replace('|', '/')} |"
            for c in CARRIER_COLUMNS]
    return "\n".join(out) + "\n"
