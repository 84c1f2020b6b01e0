"""The page `mnp viz` serves: Mesa's SolaraViz with the MNP teaching charts.

Solara imports this module by name; the scenario comes from MNP_VIZ_SCENARIO
(set by `mnp viz`), else the false-loyalty demo beside the package.
"""

from __future__ import annotations

import os
from pathlib import Path

from mesa.visualization import SolaraViz

from sim.viz import charts
from sim.viz.controls import TeachingModel, controls, initial_values
from sim.viz.server import SCENARIO_ENV

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "false_loyalty_demo.yaml"

#: (component, page): one page, in the order the lesson uses them.
COMPONENTS = [
    (charts.MarketNow, 0),
    (charts.SharesChart, 0),
    (charts.PortingChart, 0),
    (charts.QuadrantChart, 0),
    (charts.ChurnChart, 0),
    (charts.SwitchingCostChart, 0),
]


def build_page(scenario_file: Path):
    """The SolaraViz element for one scenario file."""
    params = controls(scenario_file)
    model = TeachingModel(**initial_values(params))
    return SolaraViz(model, components=COMPONENTS, model_params=params,
                     name=f"mnp-sim: {model.spec.name}", play_interval=300)


page = build_page(Path(os.environ.get(SCENARIO_ENV, DEMO)))
