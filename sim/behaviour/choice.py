"""Carrier choice by a random-utility (multinomial logit) rule in money units.

Utility of carrier j for subscriber i, in yuan/month:
    V_ij = - price_sensitivity_i * bill_ij + segment-plan value_j(segment_i)
           + network_sensitivity_i * network_j(area_i) + service_sensitivity_i * service_j
           + brand_j + peer_pull * share of i's contacts on j
           + word_of_mouth * (share of i's contacts on j who are satisfied - 0.5)
           + [j is current] * (satisfaction_weight * (satisfaction_i - 0.5)
                               + what i enjoys only by staying: a running discount,
                                 a fitted plan's saving, star rewards, bundle value)
Staying is free; moving to j costs the switching cost and gains j's incentives
(port-in bonus, expected handset subsidy, a poacher's targeted offer); staying
can gain a retention incentive (renewal or parity claim). One-off yuan are spread
over the planning horizon. A Gumbel taste shock of scale `choice_noise` makes the
choice a multinomial logit (seeds 002, 004).
"""

from __future__ import annotations

import numpy as np

from sim.behaviour.offers import MarketState
from sim.behaviour.social import SocialSignals
from sim.draws import gumbel
from sim.jit import inline, njit
from sim.population import Subscribers
from sim.market import Behaviour, Social


@inline
def _value(k, i, j, s, weight, area, own_net, own_svc, inv, on_carrier, satisfied, price,
           segment_value, network, service, brand, peer_pull, word_of_mouth, values):
    """Row i's value of carrier j (yuan/month), into values[k, j]."""
    count = on_carrier[i, j]
    values[k, j] = (weight * price[j, s] + segment_value[j, s]
                    + own_net * network[area, j] + own_svc * service[j] + brand[j]
                    + peer_pull * count * inv
                    + word_of_mouth * (satisfied[i, j] - 0.5 * count) / max(count, 1))


@njit
def _carrier_values(carrier, segment, weak, spend, price_sens, net_sens, svc_sens,
                    satisfaction, discount, discount_left, saving, stars, pays_fee,
                    on_carrier, satisfied, inv_degree,
                    price, segment_value, network, service, brand,
                    star_value, bundle_value, bundle_fee, peer_pull, word_of_mouth,
                    satisfaction_weight, rows, values, staying):
    """Fill values (m, N) and staying (m,) of `rows`: the module docstring's formula.

    China's three carriers take a loop with a constant bound, which the compiler unrolls
    (measured about 20% faster than the general loop); any other market the general one.
    """
    n = values.shape[1]
    for k in range(rows.size):
        i = rows[k]
        s = segment[i]
        weight = -price_sens[i] * spend[i]
        area, own_net, own_svc, inv = weak[i], net_sens[i], svc_sens[i], inv_degree[i]
        if n == 3:
            for j in range(3):
                _value(k, i, j, s, weight, area, own_net, own_svc, inv, on_carrier, satisfied,
                       price, segment_value, network, service, brand, peer_pull,
                       word_of_mouth, values)
        else:
            for j in range(n):
                _value(k, i, j, s, weight, area, own_net, own_svc, inv, on_carrier, satisfied,
                       price, segment_value, network, service, brand, peer_pull,
                       word_of_mouth, values)
        c = carrier[i]
        stay = satisfaction_weight * (satisfaction[i] - 0.5)
        if discount_left[i] > 0:
            stay += price_sens[i] * price[c, s] * spend[i] * discount[i] / 100.0
        if saving[i] > 0:  # a fitted plan's saving (sim/levers/plan_migration.py), after
            kept = 1.0 - discount[i] / 100.0 if discount_left[i] > 0 else 1.0  # any discount
            stay += price_sens[i] * price[c, s] * spend[i] * saving[i] * kept
        stay += star_value[c] * stars[i] + bundle_value[c] * pays_fee[i]
        stay -= price_sens[i] * bundle_fee[c] * pays_fee[i]  # a bought bundle, net of its fee
        staying[k] = stay
        values[k, c] += stay


def carrier_values(subs: Subscribers, market: MarketState, signals: SocialSignals,
                   beh: Behaviour, social: Social,
                   rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each of `rows`' value of each carrier before switching costs, and what only staying adds.

    V (m, N) is in yuan/month; the part of the current carrier's value that comes only from
    staying (m,) is own satisfaction, a running personal discount, a fitted plan's saving,
    star rewards and bundle value, which a newcomer in the same row would not have.

    Only the rows that need it are valued (reviewers, newcomers, the report sample):
    a month's cost then follows the number of decisions, not the population.
    """
    rows = np.asarray(rows, dtype=np.int64)
    values = np.empty((rows.size, len(market.price)), dtype=np.float32)
    staying = np.empty(rows.size, dtype=np.float32)
    price = market.list_prices
    _carrier_values(subs.carrier.view(np.uint8), subs.segment.view(np.uint8),
                    subs.weak_coverage.view(np.uint8), subs.spend_factor, subs.price_sensitivity,
                    subs.network_sensitivity, subs.service_sensitivity, subs.satisfaction,
                    subs.discount,
                    subs.discount_left, subs.plan_saving, subs.stars, subs.pays_bundle_fee,
                    signals.on_carrier, signals.satisfied, signals.inv_degree,
                    price, market.segment_value, market.network_by_area,
                    market.service_quality, market.brand,
                    market.star_value, market.bundle_monthly_value, market.bundle_fee,
                    float(social.peer_pull), float(social.word_of_mouth),
                    float(beh.satisfaction_weight), rows, values, staying)
    return values, staying


def choice_utilities(rng: np.random.Generator, rows: np.ndarray, values: np.ndarray,
                     current: np.ndarray, move_cost: np.ndarray, incentive: np.ndarray,
                     stay_incentive: np.ndarray | None, beh: Behaviour) -> np.ndarray:
    """Utilities (m, N) with taste noise for the reviewing rows; the choice is their argmax.

    The taste shocks are keyed to (row, carrier), so a subscriber draws the
    same shocks under any strategy that shares the seed (common random numbers).
    rows: (m,) the reviewing rows; values: (m, N) their V; current: (m,) carrier;
    move_cost: (m,) yuan one-off;
    incentive: (N,) or (m, N) one-off yuan gained by moving to each carrier;
    stay_incentive: (m,) one-off yuan gained by staying, or None.
    """
    m, k = values.shape
    horizon = np.float32(beh.planning_horizon_months)
    u = values + (np.broadcast_to(incentive, (m, k)) / horizon)
    u -= (move_cost / horizon)[:, None]
    at = np.arange(m)
    u[at, current] = values[at, current]  # staying is free and earns no bonus
    if stay_incentive is not None:
        u[at, current] += stay_incentive / horizon
    u += gumbel(rng, rows, k, beh.choice_noise)
    return u
