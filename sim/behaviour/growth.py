"""Markets that grow or shrink: a dated schedule of net additions (`population.growth`).

The rows are fixed (the columns are fixed-size arrays), so a market's size is carried
by the real subscribers each row stands for, the model's `scale`, and its turnover by
how many rows newcomers take. With net additions g (a fraction of the subscribers at
the start of the month) and leavers l (`population.leave_rate`, or -g where the market
shrinks faster than people leave):

    real subscribers  S' = S (1 + g)            scale' = scale (1 + g)
    joiners           J  = (l + g) S  >= 0
    rows newcomers take    q = (l + g) / (1 + g)  (drawn from the `move` stream)

so the rows left to their subscribers, (1 - q) n at the new scale, stand for exactly
the (1 - l) S subscribers who stayed. In a growing market more rows are re-drawn as
newcomers each month than in a saturated one; a newcomer picks a carrier freely with
no switching cost (sim/behaviour/moves.py), which is why a growing market ports a
smaller share of its subscribers. Every row's weight grows by 1 + g, so each carrier's
reported leavers are the rows newcomers took from it less the growth of its rows at the
start of the month (g / (1 + g) of them, at the new scale): subscribers then change by
exactly joins - leaves + net ports and switches, carrier by carrier, and the leavers
are l S in expectation (in a small run with fast growth a carrier's month can show a
few negative leavers, a sampling artefact).

Approximation: every row's weight grows alike, so growth adds subscribers to each
carrier in proportion to its base before the newcomers' choices, and a shrinking
market loses its leavers in proportion too (there is no per-row weight). Before the
first entry, and without `growth`, the market is saturated (g = 0) and the month runs
exactly as it did before the schedule existed. The burn-in months turn over at the
start month's rate but keep the start's scale.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.market import Population


@dataclass(frozen=True)
class Turnover:
    """One month's market turnover as shares of the rows (and of the real subscribers)."""

    growth: float        # g: net additions / subscribers at the start of the month
    leave: float         # l: leavers / subscribers at the start of the month
    replace: float       # q: share of the rows newcomers take


def monthly_rate(population: Population, label: str) -> float | None:
    """Net additions in month `label` (YYYY-MM) as a fraction; None without a schedule."""
    if population.growth is None:
        return None
    rate = 0.0
    for entry in population.growth:
        if entry.from_ <= label:
            rate = entry.monthly_rate
    return rate


def turnover(population: Population, label: str) -> Turnover | None:
    """This month's turnover under the schedule; None without one (a saturated market)."""
    g = monthly_rate(population, label)
    if g is None:
        return None
    leave = max(population.leave_rate, -g)
    return Turnover(g, leave, max(leave + g, 0.0) / (1.0 + g))
