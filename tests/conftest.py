"""Shared fixtures: small scenarios built in code, so tests run in well under a second each."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from sim.scenario import Scenario, validate_data
from sim.scenario.loading import set_path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

BASE: dict[str, Any] = {
    "name": "test_market",
    "seed": 3,
    "start": "2019-01",
    "months": 24,
    "population": {"size": 4000},
    "policy": {"mnp_start": "2019-07", "eligibility": {"contract_lockin": "penalty"}},
    "carriers": {
        "mobile": {"subscribers": 600, "price": 49.1, "network_quality": 0.8,
                   "service_quality": 0.55, "transparency": 0.45, "brand": 8,
                   "star_programme": True},
        "unicom": {"subscribers": 200, "price": 42.1, "network_quality": 0.7,
                   "service_quality": 0.55, "transparency": 0.5, "star_programme": True},
        "telecom": {"subscribers": 200, "price": 45.0, "network_quality": 0.75,
                    "service_quality": 0.65, "transparency": 0.55, "star_programme": True},
    },
}


def make_scenario(**overrides: Any) -> Scenario:
    """The base test market with dotted-path overrides, e.g. make_scenario(**{"months": 6})."""
    data = copy.deepcopy(BASE)
    for path, value in overrides.items():
        set_path(data, path.split("."), value)
    return validate_data(data)


@pytest.fixture
def scenario() -> Scenario:
    return make_scenario()
