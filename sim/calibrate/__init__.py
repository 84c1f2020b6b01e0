"""Calibration: fit scenario parameters to observed figures, with their uncertainty.

build_problem     scenario + targets file + --fit options, all checked up front
calibrate         optuna search on Dask (common random numbers, resumable), a slice
                  through the optimum, and the best candidate re-run for bands
save_calibration  the fitted scenario, fit tables, plots and report
"""

from sim.calibrate.parameters import FitError, FitParameter, parse_fits
from sim.calibrate.problem import build_problem
from sim.calibrate.search import Calibrated, Problem, Settings, calibrate
from sim.calibrate.targets import Target, TargetsError, read_targets, simulated

__all__ = ["Calibrated", "FitError", "FitParameter", "Problem", "Settings", "Target",
           "TargetsError", "build_problem", "calibrate", "parse_fits", "read_targets",
           "simulated"]
