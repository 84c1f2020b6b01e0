"""mnp-sim: an agent-based model of mobile number portability (携号转网).

Python API:
    from sim import load_scenario, run
    result = run(load_scenario("scenarios/china_mnp_2019.yaml"), seed=1)
    result.timeseries  # pandas DataFrame, one row per month and carrier

The names below are imported on first use, so `import sim` (and `mnp --help`) does
not pay for mesa, pandas, scipy and numba.
"""

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "run": ("sim.runner", "run"),
    "Scenario": ("sim.scenario", "Scenario"),
    "ScenarioError": ("sim.scenario", "ScenarioError"),
    "load_scenario": ("sim.scenario", "load_scenario"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


__all__ = ["Scenario", "ScenarioError", "__version__", "load_scenario", "run"]
