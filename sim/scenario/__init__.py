"""Scenario files: schema (with units and sources), YAML loading, clear errors."""

from sim.params import month_index, month_label
from sim.scenario.loading import Problem, ScenarioError, load_scenario, validate_data
from sim.scenario.schema import Scenario

__all__ = ["Problem", "Scenario", "ScenarioError", "load_scenario", "month_index",
           "month_label", "validate_data"]
