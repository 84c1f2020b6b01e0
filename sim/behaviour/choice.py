"""Carrier choice by a random-utility (multinomial logit) rule in money units.

Utility of carrier j for subscriber i, in yuan/month:
    V_ij = - price_sensitivity_i * bill_ij
           + network_sensitivity_i * network_j + service_sensitivity_i * service_j
           + brand_j + peer_pull * share of i's contacts on j
           + word_of_mouth * (share of i's contacts on j who are satisfied - 0.5)
           + [j is current] * satisfaction_weight * (satisfaction_i - 0.5)
Staying is free; moving to j costs the switching cost and gains any port-in bonus,
both one-off yuan spread over the planning horizon. A Gumbel taste shock of scale
`choice_noise` makes the choice a multinomial logit (seeds 002, 004).
"""

from __future__ import annotations

import numpy as np

from sim.behaviour.market import MarketState
from sim.behaviour.social import SocialSignals
from sim.draws import gumbel
from sim.population import Subscribers
from sim.scenario.schema import Behaviour, Social


def own_satisfaction_value(satisfaction: np.ndarray, beh: Behaviour) -> np.ndarray:
    """Yuan/month that one's own (dis)satisfaction adds to the current carrier's value."""
    return np.float32(beh.satisfaction_weight) * (satisfaction - np.float32(0.5))


def carrier_values(subs: Subscribers, market: MarketState, signals: SocialSignals,
                   beh: Behaviour, social: Social) -> np.ndarray:
    """V (n, 3): every subscriber's value of each carrier, before switching costs."""
    f32 = np.float32
    v = np.multiply.outer(-subs.price_sensitivity * subs.spend_factor, market.price)
    v += np.multiply.outer(subs.network_sensitivity, market.network_quality)
    v += np.multiply.outer(subs.service_sensitivity, market.service_quality)
    v += market.brand
    v += f32(social.peer_pull) * signals.contact_share
    v += f32(social.word_of_mouth) * signals.contact_mood
    flat = v.reshape(-1)
    flat[np.arange(len(subs)) * 3 + subs.carrier] += own_satisfaction_value(subs.satisfaction, beh)
    return v.astype(f32, copy=False)


def choose_carrier(rng: np.random.Generator, values: np.ndarray, current: np.ndarray,
                   move_cost: np.ndarray, bonus: np.ndarray, beh: Behaviour) -> np.ndarray:
    """Logit choice for the reviewing rows; returns the chosen carrier of each row.

    values: (m, 3) V of the rows; current: (m,) carrier; move_cost: (m,) yuan one-off;
    bonus: (3,) port-in bonus of each carrier in yuan, gained only by moving there.
    """
    m = current.size
    horizon = np.float32(beh.planning_horizon_months)
    u = values + (bonus[None, :] / horizon)
    u -= (move_cost / horizon)[:, None]
    rows = np.arange(m)
    u[rows, current] = values[rows, current]  # staying is free and earns no bonus
    u += gumbel(rng, (m, 3), beh.choice_noise)
    return u.argmax(axis=1).astype(np.int8)
