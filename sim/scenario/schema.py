"""The scenario schema: a market (`sim.market`) and each carrier's strategy.

Money is in yuan; every default names its source (see `sim.market`). The
cross-field checks here see the whole scenario: carriers named anywhere must exist,
launches fall inside the run, segment splits agree with the carriers' subscribers.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from pydantic import Field, model_validator

from sim.levers import AnyAction
from sim.params import (
    CHINA_CARRIERS,
    DATA,
    KNOWN_CARRIER_NAMES,
    MAX_CARRIERS,
    MIN_CARRIERS,
    Month,
    Strict,
    month_index,
    month_label,
    param,
)
from sim.market import (
    Behaviour,
    Carrier,
    CarrierKey,
    Policy,
    Population,
    Segment,
)

#: Default burn-in (months). From drawn traits the default scenario's pre-MNP churn falls
#: from 0.22% to 0.07% a month; it stays within 15% of that level from month 25 on
#: (10%: month 27), 1 M subscribers, seeds 1-3 (experiments/burn_in/settling.py).
BURN_IN_MONTHS = 24


class Scenario(Strict):
    """A complete scenario: market, population, policy, carriers and strategies."""

    name: str = param(..., unit="text", source="scenario", description="Scenario name.")
    description: str = param("", unit="text", source="scenario", description="What it shows.")
    seed: int = param(1, unit="integer", source="scenario", ge=0,
                      description="Default random seed (override with --seed).")
    start: Month = param("2019-01", unit="YYYY-MM", source="scenario",
                         description="First simulated month.")
    months: int = param(48, unit="months", source="scenario", ge=1, le=600,
                        description="Number of simulated months (one step each).")
    burn_in_months: int = param(
        BURN_IN_MONTHS, unit="months", ge=0, le=120,
        source="assumption, set from the measured settling time of the pre-MNP churn "
               "(experiments/burn_in/settling.py; docs/burn-in.md)",
        description="Months simulated before `start` under the start month's porting rules "
                    "(MNP closed unless already open) and no strategies, so "
                    "satisfaction, contracts and stars settle from their drawn values; they "
                    "are discarded from every output (0: start from the drawn population).")
    population: Population = Field(default_factory=Population)
    policy: Policy = Field(default_factory=Policy)
    behaviour: Behaviour = Field(default_factory=Behaviour)
    carriers: dict[CarrierKey, Carrier] = param(
        ..., unit="mapping key -> carrier", source=DATA,
        description=f"The market's carriers ({MIN_CARRIERS} to {MAX_CARRIERS}), keyed by free "
                    "lowercase names; their order is the order of every output.")
    strategies: dict[str, list[AnyAction]] = param(
        {}, unit="mapping carrier -> actions", source="scenario",
        description="Each carrier's scheduled actions (levers); carriers left out do nothing.")

    @model_validator(mode="before")
    @classmethod
    def _relative_months(cls, data: Any) -> Any:
        """Turn 'mnp+3' / 'start+6' in strategy actions into YYYY-MM months."""
        if isinstance(data, dict):
            resolve_relative_months(data)
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        problems = self._market_problems()
        if not problems:
            self._default_splits()
            problems = self._strategy_problems() + self._split_problems()
        if problems:
            raise ValueError("\n".join(problems))
        return self

    # ---------------------------------------------------------------- checks

    def _market_problems(self) -> list[str]:
        keys = list(self.carriers)
        if not MIN_CARRIERS <= len(keys) <= MAX_CARRIERS:
            return [f"carriers: {len(keys)} carrier(s) given; a market needs {MIN_CARRIERS} to "
                    f"{MAX_CARRIERS}"]
        problems = []
        last = month_label(self.start, self.months - 1)
        for key, c in self.carriers.items():
            if c.launch is not None and month_index(c.launch, last) > 0:
                problems.append(f"carriers.{key}.launch: {c.launch} is after the last simulated "
                                f"month {last}; launch earlier or run longer")
            if c.launch is not None and month_index(c.launch, self.start) > 0 and c.subscribers:
                problems.append(f"carriers.{key}.subscribers: a carrier launching in {c.launch}, "
                                f"after the start {self.start}, has no subscribers at the start; "
                                "set subscribers: 0")
        if not sum(c.subscribers for c in self.carriers.values()) > 0:
            problems.append("carriers: no carrier has subscribers at the start; give at least one "
                            "carrier subscribers > 0")
        if isinstance(self.policy.mnp_start, dict):
            for key in self.policy.mnp_start:
                if key not in self.carriers:
                    problems.append(f"policy.mnp_start.{key}: unknown carrier {key!r}; use one of "
                                    f"{', '.join(keys)}")
        for key in self.strategies:
            if key not in self.carriers:
                problems.append(f"strategies.{key}: unknown carrier {key!r}; use one of "
                                f"{', '.join(keys)}")
        return problems

    def _strategy_problems(self) -> list[str]:
        problems: list[str] = []
        segments = set(self.population.segments)
        for key, actions in self.strategies.items():
            for i, action in enumerate(actions):
                where = f"strategies.{key}.{i}"
                if action.end is not None and month_index(action.end, action.start) < 0:
                    problems.append(f"{where}.end: {action.end} is before start "
                                    f"{action.start}; make end the same month or later")
                named = [getattr(action, "segment", None), *(getattr(action, "segments", None)
                                                             or [])]
                for seg in [s for s in named if s is not None and s not in segments]:
                    problems.append(f"{where}.segment: unknown segment {seg!r}; use one of "
                                    f"{', '.join(sorted(segments))}")
                targets = getattr(action, "target_carriers", None)
                for target in targets or []:
                    if target not in self.carriers:
                        problems.append(f"{where}.target_carriers: unknown carrier {target!r}; "
                                        f"use one of {', '.join(self.carriers)}")
                if targets is not None and not set(targets) - {key}:
                    problems.append(f"{where}.target_carriers: {key} cannot poach its own "
                                    "customers; name a rival")
        return problems

    def _split_problems(self) -> list[str]:
        problems: list[str] = []
        for name, seg in self.population.segments.items():
            for key in seg.carrier_shares or {}:
                if key not in self.carriers:
                    problems.append(f"population.segments.{name}.carrier_shares.{key}: unknown "
                                    f"carrier {key!r}; use one of {', '.join(self.carriers)}")
        for name, seg in self.population.segments.items():
            for key, share in (seg.carrier_shares or {}).items():
                if share > 0 and self.launch_month(key) > 0:
                    problems.append(f"population.segments.{name}.carrier_shares.{key}: {key} "
                                    f"launches in {self.carriers[key].launch}, after the start, "
                                    "so it has no subscribers at the start; set its share to 0 "
                                    "or leave it out")
        if problems:
            return problems
        implied = self.implied_carrier_shares()
        target = self.carrier_shares()
        for j, key in enumerate(self.carriers):
            if abs(implied[j] - target[j]) > 0.02:
                problems.append(
                    f"population.segments: their carrier_shares give {key} {implied[j]:.3f} of "
                    f"subscribers but carriers.{key}.subscribers gives {target[j]:.3f}; "
                    "adjust the segments' carrier_shares (within 0.02)")
        return problems

    def _default_splits(self) -> None:
        """The default segments' carrier splits name China's incumbents.

        In any other market (one without all three) the default segments take the overall
        shares.
        """
        if "segments" in self.population.model_fields_set:
            return
        if not set(CHINA_CARRIERS) <= set(self.carriers):
            for seg in self.population.segments.values():
                seg.carrier_shares = None

    # ---------------------------------------------------------------- the market

    @property
    def carrier_keys(self) -> tuple[str, ...]:
        """The carriers' keys in the scenario's order (the order of every output)."""
        return tuple(self.carriers)

    def carrier_label(self, key: str) -> str:
        """A carrier's display name: its label, a known carrier's name, or its key."""
        c = self.carriers.get(key)
        if c is not None and c.label:
            return c.label
        return KNOWN_CARRIER_NAMES.get(key, key)

    def actions_of(self, key: str) -> list:
        """The carrier's scheduled actions (empty if it has none)."""
        return list(self.strategies.get(key, []))

    def launch_month(self, key: str) -> int:
        """Months from the start to the carrier's launch (0 or less: competing from the start)."""
        launch = self.carriers[key].launch
        return 0 if launch is None else month_index(launch, self.start)

    def carrier_shares(self) -> tuple[float, ...]:
        """Market shares implied by the carriers' starting subscribers."""
        subs = [c.subscribers for c in self.carriers.values()]
        total = sum(subs)
        return tuple(s / total for s in subs)

    def segment_split(self, segment: Segment) -> tuple[float, ...]:
        """A segment's split over the carriers in order (the overall shares if it has none)."""
        if segment.carrier_shares is None:
            return self.carrier_shares()
        return tuple(segment.carrier_shares.get(k, 0.0) for k in self.carriers)

    def segment_splits(self) -> np.ndarray:
        """(segments, carriers) each segment's split over the carriers, in order."""
        return np.array([self.segment_split(s) for s in self.population.segments.values()])

    def implied_carrier_shares(self) -> tuple[float, ...]:
        """Market shares implied by the segments' own carrier splits."""
        shares = [0.0] * len(self.carriers)
        for seg in self.population.segments.values():
            for j, share in enumerate(self.segment_split(seg)):
                shares[j] += seg.share * share
        return tuple(shares)

    def represents(self) -> float:
        """Real subscribers the population stands for."""
        if self.population.represents is not None:
            return self.population.represents
        return float(sum(c.subscribers for c in self.carriers.values()))


_RELATIVE = re.compile(r"^\s*(mnp|start)\s*(?:([+-])\s*(\d+))?\s*$")


def resolve_relative_months(data: dict[str, Any]) -> None:
    """Replace relative months in `data['strategies']` in place (mnp, mnp+N, start+N).

    Named strategies are reusable across scenarios because they can say "when MNP
    opens" rather than a calendar month. Unresolvable tokens are left for the Month
    validator to report.
    """
    start = data.get("start", Scenario.model_fields["start"].default)
    policy = data.get("policy") if isinstance(data.get("policy"), dict) else {}
    mnp = policy.get("mnp_start", Policy.model_fields["mnp_start"].default)
    if isinstance(mnp, dict):  # phased opening: 'mnp' is the first carrier's opening
        months = [m for m in (_as_month(v) for v in mnp.values()) if m is not None]
        mnp = min(months) if months else None
    anchors = {"start": _as_month(start), "mnp": _as_month(mnp)}
    strategies = data.get("strategies")
    if not isinstance(strategies, dict):
        return
    for actions in strategies.values():
        for action in actions if isinstance(actions, list) else []:
            if not isinstance(action, dict):
                continue
            for key in ("start", "end"):
                m = _RELATIVE.match(str(action.get(key, ""))) if isinstance(
                    action.get(key), str) else None
                if m and anchors[m.group(1)] is not None:
                    shift = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
                    action[key] = month_label(anchors[m.group(1)], shift)


def _as_month(value: Any) -> str | None:
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str) and re.match(r"^\d{4}-(0[1-9]|1[0-2])$", value):
        return value
    return None
