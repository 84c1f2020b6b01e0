"""The teaching page's controls: sliders as scenario overrides, and the model they build.

Each control has a name ("number_loss_cost", "mobile.price", ...), a range that suits
the lesson, and a unit. `TeachingModel(scenario_file, settings, seed)` turns the
settings into `path=value` overrides and loads the scenario through the same
validation as `mnp run --set`. Every control acts on Reset: the page rebuilds the
model from the settings then, so a run never mixes two settings.

Carriers are the scenario's own (any number, any keys): a price and a service-quality
control for each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim import i18n
from sim.model import MNPModel
from sim.scenario import load_scenario
from sim.params import month_index, month_label
from sim.scenario.schema import Scenario

#: Subscribers shown in the sample view (a 20 x 15 grid).
SAMPLE_ROWS = 300
#: Population sizes the page offers: small enough that a month takes well under a second.
MIN_POPULATION, MAX_POPULATION = 2_000, 200_000


@dataclass(frozen=True)
class Control:
    """One slider (with a number field beside it on the page)."""

    name: str            # settings key: "number_loss_cost", "<carrier>.price", ...
    label: str           # i18n key of the label
    value: float         # the scenario's own value: where the slider starts
    min: float
    max: float
    step: float
    unit: str = ""       # i18n key of the unit ("unit.yuan"), or "" for none
    carrier: str | None = None   # the carrier a per-carrier control is for
    integer: bool = False

    def clamp(self, value: float) -> float:
        """The value on the slider's grid and inside its range."""
        snapped = self.min + round((float(value) - self.min) / self.step) * self.step
        snapped = min(max(snapped, self.min), self.max)
        return round(snapped) if self.integer else round(snapped, 6)

    def label_text(self, lang: str, look: dict | None = None) -> str:
        """The control's label in `lang`, naming its carrier where it has one."""
        carrier = i18n.carrier_label(self.carrier, lang, look) if self.carrier else ""
        return i18n.t(self.label, lang, carrier=carrier)

    def value_text(self, value: float, lang: str, start: str = "") -> str:
        """The value as the page shows it beside the label ("3000 yuan", "month 13 (2020-01)")."""
        if self.name == "mnp_opens":
            n = int(value)
            if n <= 0:
                return i18n.t("unit.never", lang)
            return i18n.t("unit.month", lang, n=n, label=month_label(start, n - 1))
        number = f"{int(value):,}" if self.integer else f"{value:g}"
        if self.name == "contract_lock_in":
            number = f"×{value:g}"
        unit = i18n.t(self.unit, lang) if self.unit else ""
        return f"{number} {unit}".strip()


def mnp_month(scenario: Scenario) -> int:
    """The run month (1 = first) in which MNP opens; 0 when it never does.

    Opening before the run shows as month 1; after it, as the last month (the slider's
    range).
    """
    start = scenario.policy.first_opening
    if start is None:
        return 0
    return min(max(month_index(start, scenario.start) + 1, 1), scenario.months)


def controls(scenario: Scenario | str | Path) -> list[Control]:
    """The page's controls for a scenario, each starting at the scenario's own value."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    policy = sc.policy
    out = [
        Control("mnp_opens", "control.mnp_opens", mnp_month(sc), 0, sc.months, 1,
                integer=True),
        Control("number_loss_cost", "control.number_loss_cost", policy.number_loss_cost, 0.0,
                max(5000.0, 2 * policy.number_loss_cost), 100.0, "unit.yuan"),
        # a scenario with porting rules gets its hassle from them (behaviour.friction): no
        # single hassle to slide
        *([] if policy.porting_rules is not None else [
            Control("porting_hassle", "control.porting_hassle", policy.porting_hassle, 0.0,
                    max(1000.0, 2 * policy.porting_hassle), 10.0, "unit.yuan")]),
        Control("contract_lock_in", "control.contract_lock_in", 1.0, 0.0, 5.0, 0.25),
    ]
    for key, carrier in sc.carriers.items():
        out.append(Control(f"{key}.price", "control.price", carrier.price, 10.0,
                           max(150.0, 2 * carrier.price), 1.0, "unit.yuan_month", carrier=key))
        out.append(Control(f"{key}.service", "control.service", carrier.service_quality, 0.0,
                           1.0, 0.05, carrier=key))
    out.append(Control("population", "control.population",
                       min(max(sc.population.size, MIN_POPULATION), MAX_POPULATION),
                       MIN_POPULATION, MAX_POPULATION, 1000, integer=True))
    return out


def initial_settings(ctrls: list[Control]) -> dict[str, float]:
    """The settings the controls start at (the scenario's own values)."""
    return {c.name: c.value for c in ctrls}


def overrides(scenario: Scenario, settings: Mapping[str, float]) -> list[str]:
    """Settings as `path=value` overrides of the scenario.

    A missing setting keeps the scenario's value, and so does an MNP month left where the
    scenario has it (so a scenario that opens MNP carrier by carrier keeps its openings).
    """
    out: list[str] = []
    if "mnp_opens" in settings and int(settings["mnp_opens"]) != mnp_month(scenario):
        opens = int(settings["mnp_opens"])
        mnp = "null" if opens <= 0 else month_label(scenario.start, opens - 1)
        out.append(f"policy.mnp_start={mnp}")
    for name in ("number_loss_cost", "porting_hassle"):
        if name == "porting_hassle" and scenario.policy.porting_rules is not None:
            continue  # the rules set the hassle
        if name in settings:
            out.append(f"policy.{name}={float(settings[name])}")
    if "population" in settings:
        out.append(f"population.size={int(settings['population'])}")
    lock_in = float(settings.get("contract_lock_in", 1.0))
    for key, carrier in scenario.carriers.items():
        if f"{key}.price" in settings:
            out.append(f"carriers.{key}.price={float(settings[f'{key}.price'])}")
        if f"{key}.service" in settings:
            out.append(f"carriers.{key}.service_quality={float(settings[f'{key}.service'])}")
        if lock_in != 1.0:
            out.append(f"carriers.{key}.contract_penalty={carrier.contract_penalty * lock_in}")
    return out


def parse_seed(text: Any, default: int, lang: str = i18n.DEFAULT_LANG) -> tuple[int, str | None]:
    """(seed, problem): a whole number >= 0, else the scenario's seed and why."""
    raw = str(text).strip()
    if raw == "":
        return default, None
    try:
        seed = int(raw)
    except ValueError:
        return default, i18n.t("page.seed_bad", lang, raw=raw, default=default)
    if seed < 0:
        return default, i18n.t("page.seed_negative", lang, seed=seed, default=default)
    return seed, None


class TeachingModel(MNPModel):
    """MNPModel built from the page's settings; stops at the scenario's last month."""

    def __init__(self, scenario_file: str | Path, settings: Mapping[str, float] | None = None,
                 seed: str = "", lang: str = i18n.DEFAULT_LANG):
        """The scenario in `scenario_file` with `settings` applied, seeded by `seed` if valid."""
        base = load_scenario(scenario_file)
        settings = dict(settings or {})
        scenario = load_scenario(scenario_file, overrides(base, settings))
        chosen, self.seed_problem = parse_seed(seed, base.seed, lang)
        super().__init__(scenario, rng=chosen, snapshot_rows=SAMPLE_ROWS)
        self.settings = settings
        self.seed_used = chosen
        self.contract_lock_in = float(settings.get("contract_lock_in", 1.0))
        self.initial_carrier = self.subs.carrier[self.snapshot_rows].copy()
        self.running = self.spec.months > 0

    @property
    def finished(self) -> bool:
        """True once the scenario's last month has been simulated."""
        return self.month >= self.spec.months

    def step(self) -> None:
        """Simulate one month; after the last month, do nothing (the run has ended)."""
        if self.finished:
            self.running = False
            return
        super().step()
        self.running = not self.finished
