"""How well the data pin the fitted parameters down: likelihood-ratio intervals.

The intervals come from every candidate evaluated (the optimiser's trials and a slice
through the optimum along each parameter).

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

A parameter's interval covers (a) the range of its values over every evaluated
candidate inside that region (the projection of the region onto its axis, which is
what a profile likelihood gives, from the points the search visited) and (b) where
the slice through the optimum along that parameter crosses the region's edge,
interpolated between slice points. An interval that reaches the edge of the slice
or of the search range says so: the data do not bound it there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibrate.loss import FLOOR
from sim.calibrate.loss import loss as weighted_loss
from sim.calibrate.search import PROFILE_BASE, Calibrated

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


def threshold(result: Calibrated, level: float = LEVEL) -> float:
    """The largest loss inside the likelihood-ratio region at `level` (default 95%)."""
    problem = result.problem
    use = problem.fitted & (problem.targets.weights > 0)
    total_weight = float(problem.targets.weights[use].sum())
    dof = max(int(use.sum()) - len(problem.fits), 1)
    sigma2 = max(result.best_loss * total_weight / dof, seed_variance(result))
    return result.best_loss + stats.chi2.ppf(level, 1) * sigma2 / total_weight


def intervals(result: Calibrated, level: float = LEVEL) -> pd.DataFrame:
    """One row per parameter: best value, interval at `level` (default 95%), open or not."""
    problem = result.problem
    cut = threshold(result, level)
    scored = result.candidates[np.isfinite(result.candidates["loss"])]
    inside = scored[scored["loss"] <= cut]
    rows = []
    for j, p in enumerate(problem.fits):
        values = inside[p.name]
        low, high = float(values.min()), float(values.max())
        mine = scored[(scored["kind"] == "profile")
                      & (scored["candidate"] // 1000 == PROFILE_BASE // 1000 + j)]
        crossing = _crossings(np.append(mine[p.name].to_numpy(), result.best[p.name]),
                              np.append(mine["loss"].to_numpy(), result.best_loss),
                              result.best[p.name], cut, p.log)
        if crossing is not None:
            low, high = min(low, crossing[0]), max(high, crossing[1])
        rows.append({"parameter": p.name, "best": result.best[p.name], "low": low, "high": high,
                     "search_low": p.low, "search_high": p.high,
                     "open_below": _near(p, low, p.low) or (
                         crossing is not None and crossing[2]),
                     "open_above": _near(p, high, p.high) or (
                         crossing is not None and crossing[3]),
                     "candidates_inside": len(inside)})
    return pd.DataFrame(rows)


def _crossings(x: np.ndarray, loss: np.ndarray, best: float, cut: float,
               log: bool) -> tuple[float, float, bool, bool] | None:
    """Where a slice's loss first rises above `cut` on each side of `best`, interpolated.

    Interpolated on the log scale for log parameters: as a parabola from the optimum
    itself, as a line between other points; and whether each side never does (open).
    """
    ok = np.isfinite(loss)
    if ok.sum() < 2:
        return None
    order = np.argsort(x[ok])
    xs, ls = x[ok][order], loss[ok][order]
    t = np.log if log else (lambda v: v)
    back = np.exp if log else (lambda v: v)
    centre = int(np.argmin(np.abs(t(xs) - t(best))))
    ends = []
    for step in (-1, 1):
        i, edge, open_side = centre, xs[centre], True
        while 0 <= i + step < len(xs):
            j = i + step
            if ls[j] > cut and ls[i] <= cut:
                frac = (cut - ls[i]) / (ls[j] - ls[i])
                if i == centre:  # from the optimum the loss rises as a parabola, not a line
                    frac = float(np.sqrt(frac))
                edge = float(back(t(xs[i]) + frac * (t(xs[j]) - t(xs[i]))))
                open_side = False
                break
            i, edge = j, xs[j]
            if ls[j] > cut:
                open_side = False
                break
        ends.append((float(edge), open_side))
    return ends[0][0], ends[1][0], ends[0][1], ends[1][1]


def _near(p, a: float, b: float) -> bool:
    """Within 2% of the search range (on its scale): an interval end at a bound."""
    if p.log:
        return abs(np.log(a) - np.log(b)) <= 0.02 * (np.log(p.high) - np.log(p.low))
    return abs(a - b) <= 0.02 * (p.high - p.low)


def seed_noise(result: Calibrated) -> tuple[float, float]:
    """Mean and sd of the loss of single replicates at the best candidate.

    How much of the remaining loss is the luck of one run rather than the parameters.
    """
    problem = result.problem
    t = problem.targets
    cols = [f"sim_{i}" for i in range(len(t.targets))]
    per_run = [weighted_loss(row[problem.fitted], t.values[problem.fitted],
                             t.weights[problem.fitted])
               for row in result.final_runs[cols].to_numpy()]
    return float(np.mean(per_run)), float(np.std(per_run, ddof=1)) if len(per_run) > 1 else 0.0


__all__ = ["LEVEL", "intervals", "seed_noise", "seed_variance", "threshold"]
