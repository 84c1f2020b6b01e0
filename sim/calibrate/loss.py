"""The loss: weighted mean squared log error between simulated and observed figures.

    loss = sum_i w_i (ln s_i - ln o_i)^2 / sum_i w_i

s_i is the mean of target i over a candidate's replicates and o_i the observed
value; w_i is the row's weight (default 1). Logarithms make a miss of 10% cost the
same whether the figure is 17 million ports or a 16% share, so no quantity
dominates by its units. A negative observed figure (a carrier's net porting, -719,000)
is compared on the mirrored scale, ln(-s / -o): a simulated figure of the wrong sign
sits at the floor. sqrt(loss) reads as a typical relative miss: 0.1 is about
10%. Simulated values are floored at 1/1000 of the observed one, so a figure the
model misses entirely (no ports at all) costs (ln 1000)^2 = 47.7, not infinity.
"""

from __future__ import annotations

import numpy as np

FLOOR = 1e-3  # simulated values below FLOOR x observed are raised to it


def log_errors(simulated: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """ln(simulated / observed) per target, with the floor (mirrored where observed < 0)."""
    observed = np.asarray(observed, dtype=float)
    sign = np.where(observed < 0, -1.0, 1.0)
    observed = sign * observed
    simulated = np.maximum(sign * np.asarray(simulated, dtype=float), FLOOR * observed)
    return np.log(simulated) - np.log(observed)


def contributions(simulated: np.ndarray, observed: np.ndarray,
                  weights: np.ndarray) -> np.ndarray:
    """Each target's share of the loss (they sum to the loss)."""
    weights = np.asarray(weights, dtype=float)
    total = weights.sum()
    if total <= 0:
        return np.zeros_like(weights)
    return weights * log_errors(simulated, observed) ** 2 / total


def loss(simulated: np.ndarray, observed: np.ndarray, weights: np.ndarray) -> float:
    """The weighted mean squared log error (0 when every target is hit exactly)."""
    return float(contributions(simulated, observed, weights).sum())


__all__ = ["FLOOR", "contributions", "log_errors", "loss"]
