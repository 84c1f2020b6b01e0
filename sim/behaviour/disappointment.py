"""Expectation shortfall: the new carrier does not always deliver what a mover expected.

A subscriber who moves chose the new carrier on what they expected of it (the choice's
value, sim/behaviour/choice.py); what it delivers can fall short. On joining, each
porter draws a shortfall

    shortfall ~ Normal(behaviour.port_shortfall_mean, behaviour.port_shortfall_sd)

in satisfaction units and loses it from the honeymoon satisfaction they start with
(a negative draw is a pleasant surprise); satisfaction then drifts back toward what
the carrier delivers (sim/behaviour/satisfaction.py), so the shortfall weighs on the
first months with the new carrier. A disappointed recent porter, one still in their
first `disappointment_months` with the carrier and below the satisfied threshold,
also reviews with chance `disappointed_review` a month: regret prompts a second look
while the alternatives are fresh in mind, so some port again. Only porters: a
switch with a new number is a different decision (and before MNP the whole of churn,
which the calibration fits), so it is left as it was. Repeat porting in
markets with MNP is common (Finland, 2005: of the 1.2 M numbers ported at least once,
0.5 M had ported twice and 140 k three times; shared/data/other_markets_observed.csv),
and post-purchase regret is the main predictor of the intention to switch mobile
operator (Sanchez Garcia & Curras-Perez 2020, "Is satisfaction a necessary and
sufficient condition to avoid switching?", European Journal of Management and Business
Economics 29(1), https://doi.org/10.1108/EJMBE-02-2018-0035, a survey of 800 mobile
users in Spain); in an earlier survey of 400 Spanish mobile users 8.5% regretted
choosing their operator and 18% were neither happy nor unhappy with the choice
(https://eurekalert.org/pub_releases/2011-11/f-sf-mpo111511.php).

Strengths at 0 draw nothing and change nothing. Draws come from the stream
`disappointment` only, each keyed to (month, row): common random numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim.draws import draw_key, events, keyed_uniform
from sim.market import Behaviour
from sim.population import Subscribers

STREAM = "disappointment"


def keyed_normal(rng: np.random.Generator, rows: np.ndarray) -> np.ndarray:
    """Standard normals (float32), one per row of `rows`, tied to (key, row) (Box-Muller)."""
    u = keyed_uniform(draw_key(rng), rows, 2)
    radius = np.sqrt(-2.0 * np.log(np.maximum(u[:, 0], np.float32(1e-7))))
    return (radius * np.cos(np.float32(2 * np.pi) * u[:, 1])).astype(np.float32)


def on_joining(streams: Mapping[str, np.random.Generator], subs: Subscribers,
               porters: np.ndarray, beh: Behaviour) -> np.ndarray:
    """Lower the porters' starting satisfaction by their drawn shortfall; return it (m,).

    streams: the month's streams; `disappointment` is only made when the strength is on.
    """
    mean, sd = beh.port_shortfall_mean, beh.port_shortfall_sd
    if (mean == 0 and sd == 0) or porters.size == 0:
        return np.zeros(porters.size, dtype=np.float32)
    shortfall = np.float32(mean) + np.float32(sd) * keyed_normal(streams[STREAM], porters)
    subs.satisfaction[porters] = np.clip(subs.satisfaction[porters] - shortfall, 0, 1)
    return shortfall


def reviewers(streams: Mapping[str, np.random.Generator], subs: Subscribers,
              beh: Behaviour) -> np.ndarray:
    """Disappointed recent porters who review this month (ascending rows)."""
    p = beh.disappointed_review
    if p <= 0:
        return np.empty(0, dtype=np.int64)
    cand = events(streams[STREAM], p, len(subs))  # cost follows n x p, not n
    keep = ((subs.times_ported[cand] > 0)
            & (subs.tenure[cand] < beh.disappointment_months)
            & (subs.satisfaction[cand] < np.float32(beh.satisfied_threshold)))
    return cand[keep]
