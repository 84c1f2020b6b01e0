"""Scenario files: schema (with units and sources), YAML loading, clear errors.

The names are imported on first use, so `sim.market` (which the behaviour
modules import) can load without the schema, which imports the levers.
"""

from typing import Any

_LAZY = {
    "month_index": "sim.params", "month_label": "sim.params",
    "Problem": "sim.scenario.loading", "ScenarioError": "sim.scenario.loading",
    "load_scenario": "sim.scenario.loading", "validate_data": "sim.scenario.loading",
    "Scenario": "sim.scenario.schema",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim.scenario' has no attribute {name!r}")


__all__ = ["Problem", "Scenario", "ScenarioError", "load_scenario", "month_index",
           "month_label", "validate_data"]
