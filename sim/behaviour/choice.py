"""Carrier choice by a random-utility (multinomial logit) rule in money units.

Utility of carrier j for subscriber i, in yuan/month:
    V_ij = - price_sensitivity_i * bill_ij + segment-plan value_j(segment_i)
           + network_sensitivity_i * network_j(area_i) + service_sensitivity_i * service_j
           + brand_j + peer_pull * share of i's contacts on j
           + word_of_mouth * (share of i's contacts on j who are satisfied - 0.5)
           + [j is current] * (satisfaction_weight * (satisfaction_i - 0.5)
                               + what i enjoys only by staying: a running discount,
                                 star rewards, bundle value)
Staying is free; moving to j costs the switching cost and gains j's incentives
(port-in bonus, expected handset subsidy, a poacher's targeted offer); staying
can gain a retention incentive (renewal or parity claim). One-off yuan are spread
over the planning horizon. A Gumbel taste shock of scale `choice_noise` makes the
choice a multinomial logit (seeds 002, 004).
"""

from __future__ import annotations

import numpy as np

from sim.behaviour.market import MarketState
from sim.behaviour.money import list_bills
from sim.behaviour.social import SocialSignals
from sim.draws import gumbel
from sim.population import Subscribers
from sim.scenario.schema import Behaviour, Social


def own_satisfaction_value(satisfaction: np.ndarray, beh: Behaviour) -> np.ndarray:
    """Yuan/month that one's own (dis)satisfaction adds to the current carrier's value."""
    return np.float32(beh.satisfaction_weight) * (satisfaction - np.float32(0.5))


def staying_value(subs: Subscribers, market: MarketState, beh: Behaviour,
                  rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Yuan/month the current carrier is worth to a row beyond its offer to anyone:
    own satisfaction, a running personal discount, star rewards, bundle value."""
    c = subs.carrier[rows]
    value = own_satisfaction_value(subs.satisfaction[rows], beh)
    discounted = subs.discount_left[rows] > 0
    if discounted.any():
        saved = list_bills(subs, market, rows) * subs.discount[rows] / np.float32(100)
        value += np.where(discounted, subs.price_sensitivity[rows] * saved, 0)
    if market.star_value.any():
        value += market.star_value[c] * subs.stars[rows]
    if market.bundle_monthly_value.any():
        value += market.bundle_monthly_value[c] * subs.has_bundle[rows]
    return value.astype(np.float32, copy=False)


def carrier_values(subs: Subscribers, market: MarketState, signals: SocialSignals,
                   beh: Behaviour, social: Social) -> np.ndarray:
    """V (n, 3): every subscriber's value of each carrier, before switching costs."""
    f32 = np.float32
    weight = -subs.price_sensitivity * subs.spend_factor
    prices = market.price_matrix(subs.segment)
    if prices.ndim == 1:
        v = np.multiply.outer(weight, prices)
    else:
        v = weight[:, None] * prices
        v += market.segment_value.T[subs.segment]
    v += np.multiply.outer(subs.network_sensitivity, market.network_quality)
    weak = np.flatnonzero(subs.weak_coverage)
    if weak.size and (market.network_quality_weak != market.network_quality).any():
        v[weak] += np.multiply.outer(subs.network_sensitivity[weak],
                                     market.network_quality_weak - market.network_quality)
    v += np.multiply.outer(subs.service_sensitivity, market.service_quality)
    v += market.brand
    v += f32(social.peer_pull) * signals.contact_share
    v += f32(social.word_of_mouth) * signals.contact_mood
    flat = v.reshape(-1)
    flat[np.arange(len(subs)) * 3 + subs.carrier] += staying_value(subs, market, beh)
    return v.astype(f32, copy=False)


def choice_utilities(rng: np.random.Generator, rows: np.ndarray, values: np.ndarray,
                     current: np.ndarray, move_cost: np.ndarray, incentive: np.ndarray,
                     stay_incentive: np.ndarray | None, beh: Behaviour) -> np.ndarray:
    """Utilities (m, 3) with taste noise for the reviewing rows; the choice is their argmax.

    The taste shocks are keyed to (row, carrier), so a subscriber draws the
    same shocks under any strategy that shares the seed (common random numbers).
    rows: (m,) the reviewing rows; values: (m, 3) their V; current: (m,) carrier;
    move_cost: (m,) yuan one-off;
    incentive: (3,) or (m, 3) one-off yuan gained by moving to each carrier;
    stay_incentive: (m,) one-off yuan gained by staying, or None.
    """
    m = current.size
    horizon = np.float32(beh.planning_horizon_months)
    u = values + (np.broadcast_to(incentive, (m, 3)) / horizon)
    u -= (move_cost / horizon)[:, None]
    at = np.arange(m)
    u[at, current] = values[at, current]  # staying is free and earns no bonus
    if stay_incentive is not None:
        u[at, current] += stay_incentive / horizon
    u += gumbel(rng, rows, 3, beh.choice_noise)
    return u
