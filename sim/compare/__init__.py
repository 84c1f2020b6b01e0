"""Compare strategies for one carrier by net porting, with uncertainty and cost.

`runs` simulates every (strategy, replicate) pair with common random numbers,
`stats` turns the replicates into paired differences with confidence intervals,
and `report` writes the tables, plots and page. `compare()` is the Python API
behind `mnp compare`.
"""

from sim.compare.runs import Comparison, compare, replicate_seeds
from sim.compare.stats import summarise_comparison

__all__ = ["Comparison", "compare", "replicate_seeds", "summarise_comparison"]
