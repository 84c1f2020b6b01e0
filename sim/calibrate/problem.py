"""Set a calibration up: the scenario, the fitted parameters and the targets, all checked.

All is checked before a single run starts (bad input fails in a second, not after an
hour).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibrate.parameters import parse_fits
from sim.calibrate.search import Problem
from sim.calibrate.targets import (
    QUANTITIES,
    TargetsError,
    applicable,
    month_and_fraction,
    read_targets,
)
from sim.scenario import load_scenario
from sim.params import month_index
from sim.scenario.schema import Scenario


def build_problem(scenario_path: str | Path, targets_path: str | Path, fits: list[str],
                  overrides: list[str] | None = None, until: str | None = None,
                  only: list[str] | None = None) -> tuple[Problem, Scenario]:
    """The calibration problem and the scenario it starts from.

    only: use just these quantities (e.g. pilot_uptake for the pilots scenario, whose
    rows stand for the pilot provinces, not the nation).
    Runs are cut to the month of the last usable target, so a 48-month scenario
    fitted to figures up to 2020-12 simulates 24 months per candidate.
    Raises ScenarioError, TargetsError or FitError with a message for the user.
    """
    scenario = load_scenario(scenario_path, overrides)
    rows = read_targets(targets_path)
    if only:
        unknown = sorted(set(only) - set(QUANTITIES))
        if unknown:
            raise TargetsError([f"--only {', '.join(unknown)}: not a quantity; use one of "
                                f"{', '.join(QUANTITIES)}"], str(targets_path))
        rows = [r for r in rows if not isinstance(r, tuple) and r.quantity in only]
    try:
        target_set = applicable(rows, scenario)
    except TargetsError as exc:
        raise TargetsError(exc.problems, str(targets_path)) from None
    if not [r for r in rows if not isinstance(r, tuple)]:
        raise TargetsError([("holds no observed figures; add rows of date,quantity,carrier,"
                             "value (see docs/calibration.md)")], str(targets_path))
    if not target_set.targets:
        raise TargetsError(["no row applies to this scenario (see the reasons: " + "; ".join(
            f"line {s.line}: {s.reason}" for s in target_set.skipped[:3]) + ")"],
            str(targets_path))
    if until is not None:
        try:
            cut = pd.Timestamp(until)
        except ValueError:
            raise TargetsError([f"--until {until!r} is not a date; use YYYY-MM-DD"],
                               str(targets_path)) from None
        fitted = np.array([pd.Timestamp(t.date) <= cut for t in target_set.targets])
    else:
        fitted = np.ones(len(target_set.targets), dtype=bool)
    if not (fitted & (target_set.weights > 0)).any():
        raise TargetsError([f"no target with a weight above 0 is dated on or before {until}; "
                            "move --until later"], str(targets_path))
    dump = scenario.model_dump(mode="json")
    last = month_and_fraction(max(t.date for t in target_set.targets))[0]
    dump["months"] = min(scenario.months, month_index(last, scenario.start) + 1)
    params = parse_fits(fits, dump)
    return Problem(dump, params, target_set, fitted), scenario


__all__ = ["build_problem"]
