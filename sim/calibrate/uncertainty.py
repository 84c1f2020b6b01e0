"""How well the data pin the fitted parameters down: likelihood-ratio intervals from
every candidate evaluated (the optimiser's trials and a slice through the optimum
along each parameter).

Reading the loss as a Gaussian likelihood of the log errors (target i with variance
sigma^2 / w_i), -2 log L = loss * sum(w) / sigma^2, and the 95% likelihood-ratio
region is the set of candidates with

    loss <= loss_min + chi2_1(0.95) * sigma^2 / sum(w)

sigma^2 is the larger of two estimates: from the residuals of the best fit,
loss_min * sum(w) / (n - k) for n targets and k parameters, and from seed noise,
the mean over targets of w_i * var(ln simulated_i) * (1 + 1/R), i.e. as if each
observed figure carried the noise of one simulated run and the candidate's mean
that of R runs. The second keeps the region honest when the search has fitted seed
noise (few targets, or a best candidate that is best partly by luck).

A parameter's interval is the range of its values over the evaluated candidates
inside that region: the projection of the region onto its axis, which is what a
profile likelihood gives, computed from the points the search visited (the
optimiser's trials and a slice through the optimum along each parameter). An
interval that reaches the edge of the search range says so: the data do not bound
it there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibrate.loss import FLOOR
from sim.calibrate.loss import loss as weighted_loss
from sim.calibrate.search import Calibrated

LEVEL = 0.95


def seed_variance(result: Calibrated) -> float:
    """sigma^2 from seed noise: mean of w_i var(ln sim_i) (1 + 1/R) over fitted targets."""
    problem = result.problem
    t = problem.targets
    sims = result.final_runs[[f"sim_{i}" for i in range(len(t.targets))]].to_numpy()
    if len(sims) < 2:
        return 0.0
    logs = np.log(np.maximum(sims, FLOOR * t.values))
    var = logs.var(axis=0, ddof=1)
    use = problem.fitted & (t.weights > 0)
    return float((t.weights[use] * var[use]).mean() * (1.0 + 1.0 / result.settings.replicates))


def threshold(result: Calibrated) -> float:
    """The largest loss inside the 95% likelihood-ratio region."""
    problem = result.problem
    use = problem.fitted & (problem.targets.weights > 0)
    total_weight = float(problem.targets.weights[use].sum())
    dof = max(int(use.sum()) - len(problem.fits), 1)
    sigma2 = max(result.best_loss * total_weight / dof, seed_variance(result))
    return result.best_loss + stats.chi2.ppf(LEVEL, 1) * sigma2 / total_weight


def intervals(result: Calibrated) -> pd.DataFrame:
    """One row per parameter: best value, 95% interval, and whether it reaches a bound."""
    problem = result.problem
    cut = threshold(result)
    scored = result.candidates[np.isfinite(result.candidates["loss"])]
    inside = scored[scored["loss"] <= cut]
    rows = []
    for p in problem.fits:
        values = inside[p.name]
        low, high = float(values.min()), float(values.max())
        rows.append({"parameter": p.name, "best": result.best[p.name], "low": low, "high": high,
                     "search_low": p.low, "search_high": p.high,
                     "open_below": _near(p, low, p.low), "open_above": _near(p, high, p.high),
                     "candidates_inside": len(inside)})
    return pd.DataFrame(rows)


def _near(p, a: float, b: float) -> bool:
    """Within 2% of the search range (on its scale): an interval end at a bound."""
    if p.log:
        return abs(np.log(a) - np.log(b)) <= 0.02 * (np.log(p.high) - np.log(p.low))
    return abs(a - b) <= 0.02 * (p.high - p.low)


def seed_noise(result: Calibrated) -> tuple[float, float]:
    """Mean and sd of the loss of single replicates at the best candidate: how much of
    the remaining loss is the luck of one run rather than the parameters."""
    problem = result.problem
    t = problem.targets
    cols = [f"sim_{i}" for i in range(len(t.targets))]
    per_run = [weighted_loss(row[problem.fitted], t.values[problem.fitted],
                             t.weights[problem.fitted])
               for row in result.final_runs[cols].to_numpy()]
    return float(np.mean(per_run)), float(np.std(per_run, ddof=1)) if len(per_run) > 1 else 0.0


__all__ = ["LEVEL", "intervals", "seed_noise", "seed_variance", "threshold"]
