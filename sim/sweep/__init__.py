"""Parameter sweeps and sensitivity analysis, on Dask.

`study` reads and checks study files, `design` draws the design points (grid,
LHS, and SALib's Sobol and Morris designs) and the run seeds, `metrics` reads a
run's outputs (end points and monthly series), `execution` runs the study
resumably on a Dask cluster, and `analysis` computes sensitivity indices with
their bootstrap intervals and convergence, discovery boxes, tables and plots.
"""

from sim.sweep.execution import export_csv, read_series, run_study
from sim.sweep.study import Study, load_study

__all__ = ["Study", "export_csv", "load_study", "read_series", "run_study"]
