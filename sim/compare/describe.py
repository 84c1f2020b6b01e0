"""Strategies spelled out: every action's lever, months, magnitudes, targeting and cost rule.

Read from the actions themselves (their schema fields, with units), so a new lever is
described without a line here. Each strategy is also shown as its difference from
the baseline: the actions it adds and the baseline's actions it drops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from sim.compare.decompose import changes_between
from sim.compare.labels import Labels
from sim.levers.base import Action

_BASE_FIELDS = set(Action.model_fields) | {"lever"}
#: Fields that choose who an action reaches (the rest are magnitudes or cost).
TARGETING = frozenset({"segment", "segments", "target_carriers", "min_stars", "min_monthly_spend",
                       "contract_ending_within", "max_satisfaction", "weak_coverage_only",
                       "existing_customers_too", "reach", "max_contacts_per_month",
                       "max_offers_per_month", "within_months"})
_COST_PARTS = ("one_off", "per_month", "per_subscriber_month", "per_port_in")
#: What each lever books on top of its `cost` block (its `lever_cost`), in words, with
#: {field} standing for the field's value. A lever missing here is described by its
#: fields named *cost*; tests/test_compare_report.py checks that every lever is here.
COST_RULES: dict[str, tuple[str, str]] = {
    "price_change": ("", ""),
    "segment_plan": ("{cost_share_of_value} x {extra_value} per segment subscriber-month",
                     "每细分用户每月 {cost_share_of_value} x {extra_value}"),
    "plan_migration": ("{cost_per_contact} per contact (the saving shows as lower revenue)",
                       "每次联系 {cost_per_contact}(用户节省的话费计为收入减少)"),
    "port_in_bonus": ("{bonus} per port-in", "每携入 {bonus}"),
    "retention_desk": ("{cost_per_contact} per held request + {gift} per gift accepted",
                       "每个挽留的携出申请 {cost_per_contact} + 每份被接受的礼品 {gift}"),
    "handset_subsidy": ("{subsidy} per subsidised contract", "每份补贴合约 {subsidy}"),
    "targeted_poaching": ("{cost_per_contact} per contact + {offer_value} per customer won",
                          "每次联系 {cost_per_contact} + 每个争取到的用户 {offer_value}"),
    "churn_early_warning": ("{offer.cost_per_offer} per offer made",
                            "每次优惠 {offer.cost_per_offer}"),
    "renewal_offer": ("{offer.cost_per_offer} per offer made", "每次优惠 {offer.cost_per_offer}"),
    "win_back": ("{cost_per_contact} per contact + {offer_value} per customer won back",
                 "每次联系 {cost_per_contact} + 每个挽回的用户 {offer_value}"),
    "loyalty_rewards": ("{cost_share} x {value_per_star} per star held per month",
                        "每月每星 {cost_share} x {value_per_star}"),
    "service_quality_change": ("", ""),
    "first_contact_resolution": ("{cost_per_subscriber_month} per subscriber-month",
                                 "每用户每月 {cost_per_subscriber_month}"),
    "complaint_deadline": ("{cost_per_subscriber_month} per subscriber-month",
                           "每用户每月 {cost_per_subscriber_month}"),
    "complaint_follow_up": ("{cost_per_subscriber_month} per subscriber-month + {compensation} "
                            "per complaint", "每用户每月 {cost_per_subscriber_month} + 每件投诉 "
                            "{compensation}"),
    "ai_human_support": ("{cost_per_subscriber_month} per subscriber-month",
                         "每用户每月 {cost_per_subscriber_month}"),
    "network_quality_change": ("", ""),
    "transparency_change": ("", ""),
    "bundle_offer": ("{cost_per_bundle_month} per bundle-month",
                     "每套融合套餐每月 {cost_per_bundle_month}"),
    "existing_customer_parity": ("the port-in bonus per existing customer who claims it",
                                 "每位申领的老用户一份携入奖励"),
    "points_programme": ("the loyalty points redeemed while it runs", "运行期间兑换的积分价值"),
    "retire_sub_brands": ("{cost_per_brand} per brand retired, once",
                          "每撤销一个品牌 {cost_per_brand}(一次性)"),
}
_FIELD = re.compile(r"\{([\w.]+)\}")


@dataclass(frozen=True)
class ActionText:
    """One action in words: what, when, how much, for whom, at what cost."""

    lever: str                        # the lever key, or its Chinese name and key
    name: str                         # the action's label, else the lever
    when: str
    magnitudes: list[str]
    targeting: list[str]
    cost: list[str]
    after_horizon: bool = False

    def line(self, words: Labels) -> str:
        """The action in one line: name (lever): months; magnitudes; targeting; cost rule."""
        head = self.lever if self.name == self.lever else f"{self.name} ({self.lever})"
        parts = [f"{head}: {self.when}"]
        if self.magnitudes:
            parts.append(f"{words.t('magnitudes')}: {', '.join(self.magnitudes)}")
        if self.targeting:
            parts.append(f"{words.t('targeting')}: {', '.join(self.targeting)}")
        parts.append(f"{words.t('cost_rule')}: {', '.join(self.cost) or words.t('no_cost')}")
        return "; ".join(parts)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4g}"


def _value(value, unit: str, words: Labels, targeting: bool) -> str:
    if value is None:
        return words.t("any") if targeting else words.t("none")
    if isinstance(value, bool):
        return words.t("yes") if value else words.t("no")
    if isinstance(value, list | tuple):
        return "/".join(str(v) for v in value) if value else words.t("none")
    if isinstance(value, int | float):
        if unit == "yuan" and abs(value) >= 1e6:
            return words.yuan(value)
        text = _number(value)
        shown = words.unit(unit)
        if not _shown_unit(unit) or not shown:
            return text
        return f"{text}{shown}" if shown.startswith("%") else f"{text} {shown}"
    return str(value)


def _shown_unit(unit: str) -> bool:
    """Units worth printing after a number (money, time, counts), not scales like 0..1."""
    return bool(unit) and ".." not in unit and unit not in ("flag", "block") and not \
        unit.startswith(("fraction", "probability", "satisfaction"))


def _unrestricted(value) -> bool:
    return value is None or value is False or (not isinstance(value, bool) and value == 0)


def _fields(model: BaseModel, prefix: str = ""):
    """(dotted name, value, unit) of a model's fields, nested blocks flattened."""
    for name, info in type(model).model_fields.items():
        if not prefix and name in _BASE_FIELDS:
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _fields(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value, (info.json_schema_extra or {}).get("unit", "")


def describe_action(action: Action, words: Labels, last_month: str | None = None) -> ActionText:
    """Spell out one action (last_month: the horizon's end, to flag actions after it)."""
    kind = action.kind
    lever = kind if words.lang == "en" else f"{words.lever(kind)} {kind}"
    name = action.label or lever
    when = (words.t("from_to", start=action.start, end=action.end) if action.end
            else words.t("from_on", start=action.start))
    magnitudes, targeting, cost = [], [], []
    narrows = False  # whether the lever has targeting fields at all
    bare = {}  # values for the cost rule: money as yuan, other numbers without a unit
    for field, value, unit in _fields(action):
        target = field.split(".")[-1] in TARGETING
        narrows |= target
        number = isinstance(value, int | float) and not isinstance(value, bool)
        bare[field] = (words.yuan(value) if number and unit.startswith("yuan")
                       else _number(value) if number else str(value))
        text = f"{field} {_value(value, unit, words, target)}"
        if "cost" in field.split(".")[-1]:
            if kind not in COST_RULES:
                cost.append(text)
        elif target:
            if not _unrestricted(value):  # None, 0 and False mean "no restriction"
                targeting.append(text)
        else:
            magnitudes.append(text)
    if narrows and not targeting:
        targeting.append(words.t("any"))
    booked = [words.t(part, v=words.yuan(getattr(action.cost, part)))
              for part in _COST_PARTS if getattr(action.cost, part)]
    rule = COST_RULES.get(kind, ("", ""))[words.lang == "zh"]
    if rule:
        cost.append(_FIELD.sub(lambda m: bare.get(m.group(1), m.group(0)), rule))
    after = last_month is not None and action.start > last_month
    return ActionText(lever, name, when, magnitudes, targeting, booked + cost, after)


@dataclass(frozen=True)
class StrategyText:
    """A strategy in words: its description, its actions, and its difference from the baseline."""

    name: str
    description: str
    actions: list[ActionText]
    added: list[ActionText]
    dropped: list[ActionText]
    is_baseline: bool

    def difference(self, words: Labels) -> str:
        """What the strategy changes from the baseline, in words."""
        if self.is_baseline:
            return words.t("baseline_is")
        if not self.added and not self.dropped:
            return words.t("same_as_baseline")
        parts = []
        if self.added:
            parts.append(f"{words.t('adds')} " + ", ".join(a.name for a in self.added))
        if self.dropped:
            parts.append(f"{words.t('drops')} " + ", ".join(a.name for a in self.dropped))
        return "; ".join(parts)


def describe_strategies(cmp, words: Labels, descriptions: dict[str, str] | None = None
                        ) -> list[StrategyText]:
    """Every compared strategy of `cmp`, spelled out and set against the baseline."""
    last = cmp.months[-1] if len(cmp.series) else None
    base = cmp.scenarios[cmp.baseline].actions_of(cmp.carrier)
    out = []
    for name in cmp.strategies:
        actions = cmp.scenarios[name].actions_of(cmp.carrier)
        changes = changes_between(base, actions)
        out.append(StrategyText(
            name, (descriptions or {}).get(name, ""),
            [describe_action(a, words, last) for a in actions],
            [describe_action(c.action, words, last) for c in changes if c.sign == "+"],
            [describe_action(c.action, words, last) for c in changes if c.sign == "-"],
            name == cmp.baseline))
    return out


def rival_actions(cmp, words: Labels) -> dict[str, list[ActionText]]:
    """The other carriers' actions (the scenario's, the same under every strategy)."""
    spec = cmp.scenarios[cmp.baseline]
    last = cmp.months[-1] if len(cmp.series) else None
    return {key: [describe_action(a, words, last) for a in spec.actions_of(key)]
            for key in spec.carrier_keys if key != cmp.carrier and spec.actions_of(key)}


def strategy_descriptions(scenario_path: Path, names: list[str]) -> dict[str, str]:
    """Each named strategy file's `description` (empty for inline or missing ones)."""
    from sim.scenario.loading import ScenarioError, find_strategy, read_yaml, strategy_dirs
    out = {}
    for name in names:
        try:
            data, _ = read_yaml(find_strategy(name, strategy_dirs(Path(scenario_path))))
        except (ScenarioError, OSError):
            continue
        key = Path(name).stem if name.endswith((".yaml", ".yml")) else name
        out[key] = " ".join(str(data.get("description") or "").split())
    return out
