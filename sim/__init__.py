"""mnp-sim: an agent-based model of mobile number portability (携号转网).

Python API:
    from sim import load_scenario, run
    result = run(load_scenario("scenarios/china_mnp_2019.yaml"), seed=1)
    result.timeseries  # pandas DataFrame, one row per month and carrier
"""

__version__ = "0.1.0"

from sim.runner import run  # noqa: E402
from sim.scenario import Scenario, ScenarioError, load_scenario  # noqa: E402

__all__ = ["Scenario", "ScenarioError", "__version__", "load_scenario", "run"]
