"""Moves between carriers, and leaving and joining the market (DOMAIN.md).

A move while MNP is open to the subscriber, who is aware of it and eligible, is a
port (keeps the number); any other move is a switch with a new number, which the
subscriber only makes when it outweighs losing the number. Leaving the market is
kept apart from both: each leaver's row is taken by a newcomer (saturated market)
who picks a carrier by the same logit rule with no switching cost; in a market that
grows or shrinks (`population.growth`) newcomers take more or fewer rows
(sim/behaviour/growth.py). Every move updates the memory of past carriers
(sim/behaviour/memory.py).
Tenure, contract, suspensions, stars and their benefits, loyalty points, personal
discounts and fitted plans reset on every move (the new carrier's standard plan,
sim/behaviour/plan_fit.py); a carrier's handset subsidy puts some new customers on
contract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.behaviour import memory
from sim.behaviour.growth import Turnover
from sim.behaviour.offers import MarketState
from sim.behaviour.plan_fit import assign_plans
from sim.behaviour.satisfaction import satisfaction_target
from sim.draws import chance, events, gumbel
from sim.population import SegmentTables, Subscribers
from sim.market import Behaviour


@dataclass
class Moves:
    """This month's flows in subscriber rows (from x to matrices, per-carrier vectors)."""

    ports: np.ndarray       # (N, N) ports from row carrier to column carrier
    switches: np.ndarray    # (N, N) new-number switches
    left: np.ndarray        # (n,) bool: moved away from the start-of-month carrier
    leaves: np.ndarray      # (N,) left the market
    joins: np.ndarray       # (N,) joined the market
    subsidised: np.ndarray  # (N,) new customers who signed a handset-subsidy contract
    port_in_by_segment: np.ndarray   # (N, segments) ports into each carrier, by segment
    port_out_by_segment: np.ndarray  # (N, segments) ports out of each carrier, by segment
    replaced: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # rows a
    # newcomer took this month (its subscriber left the market)
    movers: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # rows that
    # moved to another carrier (ported or switched), ascending
    porters: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # the movers
    # who ported (kept their number), ascending
    memory: memory.PortMemory | None = None  # ports by order, back vs on (memory.py)


def _flow_matrix(old: np.ndarray, new: np.ndarray, k: int) -> np.ndarray:
    return np.bincount(old.astype(np.int64) * k + new, minlength=k * k).reshape(k, k)


def start_with_carrier(rng: np.random.Generator, subs: Subscribers, tables: SegmentTables,
                       market: MarketState, beh: Behaviour, rows: np.ndarray,
                       carrier: np.ndarray) -> np.ndarray:
    """Reset the carrier-specific columns of `rows` as new customers of `carrier`.

    Returns, per carrier, the new customers who signed a handset-subsidy contract.
    """
    subs.carrier[rows] = carrier
    subs.tenure[rows] = 0
    seg = subs.segment[rows]
    on_contract = chance(rng, rows, tables.contract_share[seg])
    months = np.where(on_contract, market.contract_months[carrier], 0)
    subsidised = chance(rng, rows, market.subsidy_take_up[carrier])
    months = np.where(subsidised, np.maximum(months, market.subsidy_contract_months[carrier]),
                      months)
    subs.contract_left[rows] = months
    subs.has_bundle[rows] = chance(rng, rows, tables.bundle_share[seg])
    subs.pays_bundle_fee[rows] = False  # a bundle of the new carrier's own, no offer's fee
    subs.suspensions[rows] = 0
    subs.in_arrears[rows] = False
    subs.stars[rows] = 0
    subs.discount_left[rows] = 0
    assign_plans(subs, market, rows)  # the new carrier's standard plan, no fitted saving
    subs.points[rows] = 0           # points are forfeited on leaving (seed 002)
    subs.points_expiring[rows] = 0
    target = satisfaction_target(subs, market, beh, rows)
    subs.satisfaction[rows] = np.minimum(target + np.float32(beh.honeymoon), 1.0)
    return np.bincount(carrier[subsidised], minlength=len(market.price))


def apply_moves(rng: np.random.Generator, subs: Subscribers, tables: SegmentTables,
                market: MarketState, beh: Behaviour, rows: np.ndarray, chosen: np.ndarray,
                is_port: np.ndarray) -> Moves:
    """Move reviewers who chose another carrier; count ports and new-number switches."""
    old = subs.carrier[rows]
    mask = chosen != old
    movers, old, new, port = rows[mask], old[mask], chosen[mask], is_port[mask]
    left = np.zeros(len(subs), dtype=bool)
    left[movers] = True
    n_seg, k = len(tables.names), len(market.price)
    seg = subs.segment[movers[port]].astype(np.int64)
    by_segment = lambda carrier: np.bincount(  # noqa: E731
        carrier.astype(np.int64) * n_seg + seg, minlength=k * n_seg).reshape(k, n_seg)
    flows = Moves(ports=_flow_matrix(old[port], new[port], k),
                  switches=_flow_matrix(old[~port], new[~port], k),
                  left=left, leaves=np.zeros(k, np.int64), joins=np.zeros(k, np.int64),
                  subsidised=np.zeros(k, np.int64),
                  port_in_by_segment=by_segment(new[port]),
                  port_out_by_segment=by_segment(old[port]))
    flows.movers, flows.porters = movers, movers[port]
    flows.memory = memory.record_moves(subs, movers, old, new, port, k)
    flows.subsidised += start_with_carrier(rng, subs, tables, market, beh, movers, new)
    subs.moved[:] = False
    subs.moved[movers] = True
    return flows


def replace_leavers(rng: np.random.Generator, subs: Subscribers, tables: SegmentTables,
                    market: MarketState, beh: Behaviour, values_of: Callable,
                    leave_rate: float, flows: Moves, turnover: Turnover | None = None,
                    start_carrier: np.ndarray | None = None) -> None:
    """Some subscribers leave the market; a newcomer of the same segment takes each row.

    values_of(rows): carrier_values() of rows this month; the newcomer values the
    row's carrier without what only its predecessor enjoyed by staying.
    turnover: a growing or shrinking market's month (sim/behaviour/growth.py): newcomers
    take its share of the rows, and the leavers are weighted to its leave rate; None:
    a saturated market, each leaver's row taken at `leave_rate`. start_carrier: every
    row's carrier at the start of the month (needed with `turnover`).
    """
    k = len(market.price)
    rate = leave_rate if turnover is None else turnover.replace
    rows = events(rng, rate, len(subs))
    rows = rows[~flows.left[rows]]  # a subscriber who just moved stays this month
    if turnover is not None:  # every row's weight grew by 1 + g: the leavers are the rows
        # taken less that growth of the start-of-month rows, in rows at the new scale
        g = turnover.growth
        flows.leaves = np.bincount(subs.carrier[rows], minlength=k) - (
            g / (1.0 + g)) * np.bincount(start_carrier, minlength=k)
    if rows.size == 0:
        return
    flows.replaced = rows
    if turnover is None:
        flows.leaves += np.bincount(subs.carrier[rows], minlength=k)
    v, staying = values_of(rows)
    own = subs.carrier[rows]
    v[np.arange(rows.size), own] -= staying
    chosen = (v + gumbel(rng, rows, k, beh.choice_noise)).argmax(axis=1).astype(np.int8)
    flows.joins += np.bincount(chosen, minlength=k)
    memory.forget(subs, rows, chosen)
    flows.subsidised += start_with_carrier(rng, subs, tables, market, beh, rows, chosen)
