"""The teaching page's controls: a model whose keyword arguments are the sliders.

Mesa's SolaraViz re-creates the model from keyword arguments on Reset, so each
control is one keyword of `TeachingModel`; it turns them into scenario overrides
and loads the scenario through the same validation as `mnp run --set`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mesa.visualization import Slider

from sim.model import MNPModel
from sim.scenario import load_scenario
from sim.params import month_index, month_label
from sim.scenario.schema import Scenario

#: Subscribers shown in the sample view (a 20 x 15 grid).
SAMPLE_ROWS = 300
#: Population sizes the page offers: small enough that a month takes well under a second.
MIN_POPULATION, MAX_POPULATION = 2_000, 200_000


def mnp_month(scenario: Scenario) -> int:
    """The run month (1 = first) in which MNP opens; 0 when it never does. Opening
    before the run shows as month 1; after it, as the last month (the slider's range)."""
    start = scenario.policy.first_opening
    if start is None:
        return 0
    return min(max(month_index(start, scenario.start) + 1, 1), scenario.months)


def overrides(scenario: Scenario, *, mnp_opens: int, number_loss_cost: float,
              porting_hassle: float, contract_lock_in: float, population: int,
              prices: dict[str, float], service: dict[str, float]) -> list[str]:
    """The controls as `path=value` overrides of the scenario."""
    mnp = "null" if mnp_opens <= 0 else month_label(scenario.start, mnp_opens - 1)
    out = [f"policy.mnp_start={mnp}", f"policy.number_loss_cost={number_loss_cost}",
           f"policy.porting_hassle={porting_hassle}", f"population.size={population}"]
    for key, carrier in scenario.carriers.items():
        out += [f"carriers.{key}.price={prices[key]}",
                f"carriers.{key}.service_quality={service[key]}",
                f"carriers.{key}.contract_penalty={carrier.contract_penalty * contract_lock_in}"]
    return out


def parse_seed(text: Any, default: int) -> tuple[int, str | None]:
    """(seed, problem): a whole number >= 0, else the scenario's seed and why."""
    raw = str(text).strip()
    if raw == "":
        return default, None
    try:
        seed = int(raw)
    except ValueError:
        return default, f"seed {raw!r} is not a whole number; using the scenario's seed {default}"
    if seed < 0:
        return default, f"seed {seed} is negative; using the scenario's seed {default}"
    return seed, None


class TeachingModel(MNPModel):
    """MNPModel built from the page's controls; stops at the scenario's last month."""

    def __init__(self, scenario_file: str, mnp_opens: int = 0, number_loss_cost: float = 0.0,
                 porting_hassle: float = 0.0, contract_lock_in: float = 1.0,
                 population: int = 10_000, seed: str = "",
                 mobile_price: float = 50.0, unicom_price: float = 50.0,
                 telecom_price: float = 50.0, mobile_service: float = 0.6,
                 unicom_service: float = 0.6, telecom_service: float = 0.6):
        base = load_scenario(scenario_file)
        scenario = load_scenario(scenario_file, overrides(
            base, mnp_opens=mnp_opens, number_loss_cost=number_loss_cost,
            porting_hassle=porting_hassle, contract_lock_in=contract_lock_in,
            population=population,
            prices={"mobile": mobile_price, "unicom": unicom_price, "telecom": telecom_price},
            service={"mobile": mobile_service, "unicom": unicom_service,
                     "telecom": telecom_service}))
        chosen, self.seed_problem = parse_seed(seed, base.seed)
        super().__init__(scenario, rng=chosen, snapshot_rows=SAMPLE_ROWS)
        self.seed_used = chosen
        self.contract_lock_in = contract_lock_in
        self.initial_carrier = self.subs.carrier[self.snapshot_rows].copy()

    def step(self) -> None:
        super().step()
        self.running = self.month < self.spec.months


def controls(scenario_file: Path) -> dict[str, Any]:
    """Mesa `model_params` for the page: sliders start at the scenario's own values."""
    sc = load_scenario(scenario_file)
    carriers = dict(sc.carriers.items())
    params: dict[str, Any] = {
        "scenario_file": str(scenario_file),
        "mnp_opens": Slider(f"MNP opens in month (1 = {sc.start}; 0 = never)", mnp_month(sc),
                            0, sc.months, 1),
        "number_loss_cost": Slider("Number-loss cost (yuan, one-off)",
                                   sc.policy.number_loss_cost, 0.0,
                                   max(5000.0, 2 * sc.policy.number_loss_cost), 50.0),
        "porting_hassle": Slider("Porting hassle (yuan, one-off)", sc.policy.porting_hassle,
                                 0.0, max(1000.0, 2 * sc.policy.porting_hassle), 10.0),
        "contract_lock_in": Slider("Contract lock-in (x the scenario's penalties)", 1.0,
                                   0.0, 5.0, 0.25),
    }
    for key, carrier in carriers.items():
        name = sc.carrier_label(key)
        params[f"{key}_price"] = Slider(f"{name} price (yuan/month)", carrier.price,
                                        10.0, max(150.0, 2 * carrier.price), 1.0)
        params[f"{key}_service"] = Slider(f"{name} service quality (0-1)",
                                          carrier.service_quality, 0.0, 1.0, 0.05)
    params["population"] = Slider("Population (simulated subscribers)",
                                  min(max(sc.population.size, MIN_POPULATION), MAX_POPULATION),
                                  MIN_POPULATION, MAX_POPULATION, 1000)
    params["seed"] = {"type": "InputText", "value": str(sc.seed), "label": "Seed"}
    return params


def initial_values(params: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments the controls start at."""
    out = {}
    for name, p in params.items():
        out[name] = p.value if isinstance(p, Slider) else p["value"] if isinstance(p, dict) else p
    return out
