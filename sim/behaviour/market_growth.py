"""Markets that grow or shrink: a dated schedule of net additions (issue 19, item 4).

The rows are fixed (subscribers are columns of one length), so a growing market is
simulated with the real subscribers each row stands for, and the newcomers' share:

    real subscribers        N(t+1) = N(t) (1 + g(t))          the model's scale follows
    newcomers a month       leave_rate N + max(g, 0) N         gross additions
    rows re-drawn           (leave_rate + max(g, 0)) / (1 + g) of the rows

A newcomer picks a carrier freely, with no switching cost (sim/behaviour/moves.py
`replace_leavers`), which is why a fast-growing market ports a smaller share of its
subscribers: many choose their carrier as newcomers instead of porting to it. In a
shrinking market the leavers exceed the newcomers; the rows re-drawn are the newcomers,
leave_rate / (1 + g) of the next month's subscribers.

Approximations: leavers are any rows (not, say, more often the unhappy or the young),
and the carriers' bases grow with their own newcomers only. Growth runs from the first
simulated month; a burn-in month neither grows nor records anything. `represents` (or
the carriers' subscribers) is the market at the start.
Source of each rate: the scenario (published net additions, cited per step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.market import Population


def monthly_rate(population: Population, label: str) -> float:
    """Net additions in month `label` (YYYY-MM) as a fraction of subscribers (0: none)."""
    rate = 0.0
    for step in population.growth:
        if step.from_ <= label:
            rate = step.monthly_rate
    return rate


def replace_rate(leave_rate: float, growth: float) -> float:
    """The share of rows re-drawn as newcomers in a month with net additions `growth`."""
    if growth == 0.0:
        return leave_rate  # a saturated market: one newcomer per leaver, exactly as before
    return (leave_rate + max(growth, 0.0)) / (1.0 + growth)


__all__ = ["monthly_rate", "replace_rate"]
