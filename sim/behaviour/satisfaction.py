"""Satisfaction drifts toward what the carrier delivers for the money (seeds 002, 004).

Seed 002: satisfaction is the basis of loyalty; it reflects how well needs are met
against expectations. Each month it relaxes toward a target: the subscriber's own
weighting of network and service quality (in the subscriber's own coverage area),
lowered when the price paid is above the market's mean price (price and value,
seed 004) and by the share of the bill paid for unused allowance or overage above
the share the market's plans lead one to expect (plans that do not fit usage, seed
004; sim/behaviour/plan_fit.py).
"""

from __future__ import annotations

import numpy as np

from typing import TYPE_CHECKING

from sim.jit import njit

if TYPE_CHECKING:
    from sim.behaviour.offers import MarketState
    from sim.population import Subscribers
    from sim.market import Behaviour


@njit
def _target(net_sens, svc_sens, network, service, price, mean_price, value_sensitivity,
            price_sens, wasted):
    """The satisfaction one subscriber would settle at, 0..1.

    `wasted`: plan_mismatch_weight x (the share of the bill paid for unused allowance or
    overage - the share the market's plans lead one to expect); 0 adds nothing, to the bit.
    """
    quality = (net_sens * network + svc_sens * service) / (net_sens + svc_sens + 1e-6)
    value = value_sensitivity * price_sens * (price / mean_price - 1.0)
    if wasted != 0.0:
        value += wasted * price_sens
    return min(max(quality - value, 0.0), 1.0)


@njit
def _targets(rows, carrier, own_discount, segment, weak, net_sens, svc_sens, price_sens,
             discount, discount_left, saving, mismatch, misfit, plan_fit, price, network,
             service, mean_price, value_sensitivity, mismatch_weight, expected, out):
    for k in range(rows.size):
        i, c = rows[k], carrier[k]
        p = price[c, segment[i]]
        if own_discount:
            if saving[i] > 0:
                p *= 1.0 - saving[i]
            if discount_left[i] > 0:
                p *= 1.0 - discount[i] / 100.0
            wasted = mismatch_weight * (mismatch[i] - expected)
        else:  # the standard plan of carrier c
            wasted = mismatch_weight * (misfit[i] * (1.0 - plan_fit[c]) - expected)
        out[k] = _target(net_sens[i], svc_sens[i], network[weak[i], c],
                         service[c], p, mean_price, value_sensitivity, price_sens[i], wasted)


# _drift repeats _targets' price lookup rather than sharing a row helper: with the
# helper (even inlined) this pass measured over ten times slower at 1M subscribers.
@njit
def _drift(carrier, segment, weak, net_sens, svc_sens, price_sens, discount, discount_left,
           saving, mismatch, price, network, service, mean_price, value_sensitivity,
           mismatch_weight, expected, relax, satisfaction):
    for i in range(carrier.size):
        c = carrier[i]
        p = price[c, segment[i]]
        if saving[i] > 0:
            p *= 1.0 - saving[i]
        if discount_left[i] > 0:
            p *= 1.0 - discount[i] / 100.0
        target = _target(net_sens[i], svc_sens[i], network[weak[i], c],
                         service[c], p, mean_price, value_sensitivity, price_sens[i],
                         mismatch_weight * (mismatch[i] - expected))
        satisfaction[i] += relax * (target - satisfaction[i])


def expected_mismatch(market: MarketState, beh: Behaviour) -> float:
    """The share of the bill a subscriber expects to waste: the mean misfit at the mean plan fit.

    Satisfaction reflects needs met against expectations (seed 002): a mismatch at the
    market's norm costs nothing, one above it lowers satisfaction, one below raises it.
    """
    fit = market.plan_fit[market.launched] if not market.launched.all() else market.plan_fit
    return float(beh.usage_misfit_mean * (1.0 - fit.mean()))


def satisfaction_target(subs: Subscribers, market: MarketState, beh: Behaviour,
                        rows: np.ndarray, carrier: np.ndarray | None = None) -> np.ndarray:
    """The satisfaction level each of `rows` would settle at with its carrier (0..1).

    With `carrier` given (a new carrier for each row) no personal discount counts:
    it stays with the carrier that granted it.
    """
    rows = np.asarray(rows, dtype=np.int64)
    out = np.empty(rows.size, dtype=np.float32)
    _targets(rows, subs.carrier[rows] if carrier is None else carrier, carrier is None,
             subs.segment, subs.weak_coverage.view(np.uint8), subs.network_sensitivity,
             subs.service_sensitivity, subs.price_sensitivity, subs.discount,
             subs.discount_left, subs.plan_saving, subs.plan_mismatch, subs.usage_misfit,
             market.plan_fit, market.list_prices, market.network_by_area,
             market.service_quality, market.mean_price,
             float(beh.value_sensitivity), float(beh.plan_mismatch_weight),
             expected_mismatch(market, beh), out)
    return out


def update_satisfaction(subs: Subscribers, market: MarketState, beh: Behaviour) -> None:
    """Move every subscriber's satisfaction a step toward its target."""
    u8 = lambda column: column.view(np.uint8)  # noqa: E731  codes and flags, never negative
    _drift(u8(subs.carrier), u8(subs.segment), u8(subs.weak_coverage), subs.network_sensitivity,
           subs.service_sensitivity, subs.price_sensitivity, subs.discount, subs.discount_left,
           subs.plan_saving, subs.plan_mismatch, market.list_prices, market.network_by_area,
           market.service_quality, market.mean_price, float(beh.value_sensitivity),
           float(beh.plan_mismatch_weight), expected_mismatch(market, beh),
           float(beh.satisfaction_relax), subs.satisfaction)
