"""Satisfaction drifts toward what the carrier delivers for the money (seeds 002, 004).

Seed 002: satisfaction is the basis of loyalty; it reflects how well needs are met
against expectations. Each month it relaxes toward a target: the subscriber's own
weighting of network and service quality (in the subscriber's own coverage area),
lowered when the price paid is above the market's mean price (price and value,
seed 004).
"""

from __future__ import annotations

import numpy as np

from sim.behaviour.market import MarketState
from sim.behaviour.money import discount_factor
from sim.population import Subscribers
from sim.scenario.schema import Behaviour


def satisfaction_target(subs: Subscribers, market: MarketState, beh: Behaviour,
                        rows: np.ndarray | slice = slice(None),
                        carrier: np.ndarray | None = None) -> np.ndarray:
    """The satisfaction level a subscriber's carrier would settle at (0..1)."""
    c = subs.carrier[rows] if carrier is None else carrier
    ns = subs.network_sensitivity[rows]
    ss = subs.service_sensitivity[rows]
    network = market.network_at(c, subs.weak_coverage[rows])
    quality = (ns * network + ss * market.service_quality[c]) / (ns + ss + 1e-6)
    price = market.list_price(c, subs.segment[rows])
    if carrier is None:  # a running personal discount counts; a new carrier has none
        price = price * discount_factor(subs, rows)
    relative_price = price / market.price.mean() - 1.0
    value = beh.value_sensitivity * subs.price_sensitivity[rows] * relative_price
    return np.clip(quality - value, 0.0, 1.0).astype(np.float32)


def update_satisfaction(subs: Subscribers, market: MarketState, beh: Behaviour) -> None:
    """Move every subscriber's satisfaction a step toward its target."""
    target = satisfaction_target(subs, market, beh)
    subs.satisfaction += np.float32(beh.satisfaction_relax) * (target - subs.satisfaction)
