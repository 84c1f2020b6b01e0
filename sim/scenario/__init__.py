"""Scenario files: schema (with units and sources), YAML loading, clear errors."""

from sim.scenario.loading import Problem, ScenarioError, load_scenario, validate_data
from sim.scenario.params import CARRIER_NAMES, CARRIERS, month_index, month_label
from sim.scenario.schema import Scenario

__all__ = ["CARRIERS", "CARRIER_NAMES", "Problem", "Scenario", "ScenarioError",
           "load_scenario", "month_index", "month_label", "validate_data"]
