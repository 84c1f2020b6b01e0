"""Plans that do not fit usage (seed 004): paying for allowance one does not use, or overage.

Seed 004: "套餐内包含的资源(如流量、通话时长)与客户实际需求脱节,导致客户感到'不值'"
(the plan's allowances do not match what the customer actually uses, so the customer
feels it is "not worth it" and looks for better value).

Each subscriber row has a usage misfit m (drawn once when the population is created,
beta with mean `behaviour.usage_misfit_mean`): the share of the bill that would be
wasted on unused allowance or overage on a plan range that fits nobody. With a
carrier whose plans fit usage to degree `plan_fit` (0..1, per carrier) the share of the
bill wasted is m x (1 - plan_fit), set whenever the subscriber takes a plan (at the
start and on joining a carrier). Above the share subscribers expect (the mean misfit
at the carriers' mean plan fit) it lowers the satisfaction target, like a price
premium, and below it raises it (sim/behaviour/satisfaction.py; satisfaction is needs
met against expectations, seed 002): a carrier whose plans fit better than its
rivals' keeps satisfaction higher. A carrier's plan migration (sim/levers/plan_migration.py)
moves mismatched subscribers onto fitting plans: their mismatch falls and they pay
the wasted share less (`plan_saving`), which they lose on leaving.

The misfit is drawn from a stream of its own (keyed by the model's entropy), so it
shifts no other draw: with `plan_mismatch_weight` 0 results are those without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.behaviour.offers import MarketState
    from sim.population import Subscribers

#: Concentration (a + b) of the beta distribution of the usage misfit (assumption: at mean
#: 0.25 a third of subscribers misfit by under half the mean, one in eight by over twice it).
MISFIT_CONCENTRATION = 4.0
#: Name of the stream the misfit is drawn from when the population is created.
CREATION_STREAM = "plan_fit/creation"


def draw_misfit(rng: np.random.Generator, n: int, mean: float) -> np.ndarray:
    """Usage misfit of `n` rows: beta with mean `mean` (0: nobody misfits), float32."""
    if mean <= 0:
        return np.zeros(n, dtype=np.float32)
    a, b = mean * MISFIT_CONCENTRATION, (1.0 - mean) * MISFIT_CONCENTRATION
    return rng.beta(a, b, size=n).astype(np.float32)


def assign_plans(subs: Subscribers, market: MarketState, rows: np.ndarray | slice) -> None:
    """`rows` take their carrier's standard plan: mismatch misfit x (1 - plan_fit), no saving."""
    fit = market.plan_fit[subs.carrier[rows]]
    subs.plan_mismatch[rows] = subs.usage_misfit[rows] * (np.float32(1.0) - fit)
    subs.plan_saving[rows] = 0.0


def init_plans(rng: np.random.Generator, subs: Subscribers, market: MarketState,
               mean: float) -> None:
    """Draw every row's usage misfit and put it on its carrier's standard plan."""
    subs.usage_misfit[:] = draw_misfit(rng, len(subs), mean)
    assign_plans(subs, market, slice(None))
