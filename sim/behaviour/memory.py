"""Memory of past carriers: how often a number has ported, and which carriers it has left.

Three columns (sim/population.py) hold it:
- `times_ported`: ports of the current number (saturating at 255); a switch with a new
  number starts a new number (0), as does a newcomer;
- `original_carrier`: the carrier the number started on, before its first port (the
  carrier at the start of the run, or the one a newcomer or new-number switcher joined);
- `previous_carrier`: the carrier left at the subscriber's last move (ported or
  switched; -1: none since the row's subscriber arrived).

They are updated in the move phase (sim/behaviour/moves.py) and counted by the
gaining carrier: ports by porters porting for the first, second, third or later time,
and ports *back* to a carrier the subscriber had left (the number's original carrier
or the previous one) against ports *on* to another. With two remembered carriers,
"back" misses a return to a carrier left two or more moves ago (in a market of three
carriers only a fourth port can do that).

The choice remembers too (`add_grudge`): a subscriber values a carrier they left
`behaviour.former_carrier_grudge` yuan/month less. The sign is a grudge, not a
familiarity bonus: satisfaction resets on every move (it is satisfaction *with the
current carrier*), so without it the bad experiences that drove a subscriber away
would be forgotten the moment they left, and the old carrier would look as good as a
carrier never tried. Recapture research finds returns depend on why the customer left
and come mostly with an offer (Thomas, Blattberg & Fox 2004, "Recapturing lost
customers", Journal of Marketing Research 41(1); Homburg, Hoyer & Stock 2007, "How to
get lost customers back?", J. Acad. Marketing Science 35): a win-back offer
(sim/levers/win_back.py) is what has to overcome the grudge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.population import Subscribers

#: Port orders reported apart: first, second, third or later port of the number.
ORDERS = ("first", "second", "third_plus")
TIMES_CAP = np.iinfo(np.uint8).max


@dataclass
class PortMemory:
    """This month's ports by the gaining carrier: by order, and back vs on (counts of rows)."""

    by_order: np.ndarray  # (3, N) ports in that are the number's 1st, 2nd, 3rd+ port
    back: np.ndarray      # (N,) ports in by subscribers who had left that carrier before

    @classmethod
    def none(cls, k: int) -> PortMemory:
        """No ports."""
        return cls(np.zeros((len(ORDERS), k), np.int64), np.zeros(k, np.int64))


def record_moves(subs: Subscribers, movers: np.ndarray, old: np.ndarray, new: np.ndarray,
                 port: np.ndarray, k: int) -> PortMemory:
    """Count this month's ports by order and direction, then update the movers' memory.

    Call before the movers join their new carrier (their columns still hold the past).
    """
    rows = movers[port]
    gaining = new[port].astype(np.int64)
    times = subs.times_ported[rows]
    order = np.minimum(times, len(ORDERS) - 1).astype(np.int64)  # 0: first port
    by_order = np.bincount(order * k + gaining, minlength=len(ORDERS) * k).reshape(-1, k)
    back = ((subs.original_carrier[rows] == gaining)
            | (subs.previous_carrier[rows] == gaining))
    memory = PortMemory(by_order, np.bincount(gaining[back], minlength=k))
    subs.times_ported[rows] = times + (times < TIMES_CAP)
    switched = movers[~port]  # a new number: its history starts again
    subs.times_ported[switched] = 0
    subs.original_carrier[switched] = new[~port]
    subs.previous_carrier[movers] = old
    return memory


def forget(subs: Subscribers, rows: np.ndarray, carrier: np.ndarray) -> None:
    """Newcomers take `rows` on `carrier`: a new number and no past carriers."""
    subs.times_ported[rows] = 0
    subs.original_carrier[rows] = carrier
    subs.previous_carrier[rows] = -1


def start_run(subs: Subscribers) -> None:
    """Count the numbers' ports from the run's start (after the burn-in): none so far.

    Every number's original carrier is its carrier now; the carrier each subscriber
    left last is kept (a grudge does not end with the burn-in).
    """
    subs.times_ported[:] = 0
    subs.original_carrier[:] = subs.carrier


def add_grudge(values: np.ndarray, subs: Subscribers, rows: np.ndarray, grudge: float) -> None:
    """Lower `rows`' value (m, N) of each carrier they left (original, previous) by `grudge`.

    The current carrier is never lowered (a number back on its original carrier holds
    no grudge against it).
    """
    if grudge <= 0 or rows.size == 0:
        return
    at = np.arange(rows.size)
    current = subs.carrier[rows]
    g = np.float32(grudge)
    for left in (subs.original_carrier[rows], subs.previous_carrier[rows]):
        hit = (left >= 0) & (left != current)
        values[at[hit], left[hit]] -= g
    # a carrier that is both original and previous is lowered once
    both = ((subs.original_carrier[rows] == subs.previous_carrier[rows])
            & (subs.previous_carrier[rows] >= 0) & (subs.previous_carrier[rows] != current))
    values[at[both], subs.previous_carrier[rows][both]] += g

