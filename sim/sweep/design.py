"""Design points and runs: the samplers, and a seed for every run.

grid and lhs are built here (lhs with scipy's quasi-Monte Carlo module); sobol and
morris come from SALib, whose analysis needs exactly its own designs. Each design
point is run `replicates` times; replicate r gets the same seed at every point
(common random numbers, derived from the study seed with numpy's SeedSequence),
so differences between points are not swamped by seed noise.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.sweep.study import Study


def salib_problem(study: Study) -> dict[str, Any]:
    """The problem dict SALib's samplers and analysers take."""
    return {"num_vars": len(study.parameters), "names": study.names,
            "bounds": [[p.low, p.high] for p in study.parameters]}


def design_points(study: Study) -> np.ndarray:
    """(points, parameters) array of parameter values."""
    if study.sampler == "grid":
        axes = [np.asarray(p.levels, dtype=float) if p.levels is not None
                else np.linspace(p.low, p.high, study.samples) for p in study.parameters]
        return np.array(list(itertools.product(*axes)), dtype=float)
    if study.sampler == "lhs":
        unit = qmc.LatinHypercube(d=len(study.parameters), seed=study.seed).random(study.samples)
        lows = np.array([p.low for p in study.parameters])
        highs = np.array([p.high for p in study.parameters])
        return qmc.scale(unit, lows, highs)
    if study.sampler == "sobol":
        from SALib.sample import sobol
        return sobol.sample(salib_problem(study), study.samples,
                            calc_second_order=study.second_order, seed=study.seed)
    from SALib.sample import morris
    return morris.sample(salib_problem(study), study.samples, num_levels=study.morris_levels,
                         seed=study.seed)


def replicate_seed(study_seed: int, replicate: int) -> int:
    """The seed of replicate r, the same at every design point."""
    state = np.random.SeedSequence([study_seed, replicate]).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def plan_runs(study: Study, integer_paths: set[str] = frozenset()) -> pd.DataFrame:
    """Every planned run: run_id, point, replicate, seed, and the parameter values."""
    points = design_points(study)
    for j, path in enumerate(study.names):
        if path in integer_paths:
            points[:, j] = np.round(points[:, j])
    rows = []
    for point, values in enumerate(points):
        for r in range(study.replicates):
            rows.append({"point": point, "replicate": r,
                         "seed": replicate_seed(study.seed, r),
                         **dict(zip(study.names, values.tolist(), strict=True))})
    runs = pd.DataFrame(rows)
    runs.insert(0, "run_id", np.arange(len(runs), dtype=np.int64))
    return runs
