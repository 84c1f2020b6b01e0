"""Bills and revenue (seeds 000, 004): what subscribers pay and what carriers earn.

A subscriber's bill is the carrier's price (times any segment-plan factor) times
the subscriber's spend factor, less any personal retention discount still running.
A carrier's revenue is its bills, plus add-on and hidden-fee revenue (which falls
as billing transparency rises, seed 000), plus bundle fees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.behaviour.market import MarketState
from sim.population import Subscribers


def list_bills(subs: Subscribers, market: MarketState,
               rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Monthly bill before personal discounts (the spend that earns stars, seed 003)."""
    return market.list_price(subs.carrier[rows], subs.segment[rows]) * subs.spend_factor[rows]


def discount_factor(subs: Subscribers,
                    rows: np.ndarray | slice = slice(None)) -> np.ndarray | np.float32:
    """1 - the running personal discount (retention and renewal offers), per row."""
    running = subs.discount_left[rows] > 0
    if not running.any():
        return np.float32(1.0)
    return 1.0 - np.where(running, subs.discount[rows], 0).astype(np.float32) / np.float32(100)


def bills(subs: Subscribers, market: MarketState,
          rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Monthly bill actually paid (yuan)."""
    return list_bills(subs, market, rows) * discount_factor(subs, rows)


@dataclass
class Revenue:
    """Per-carrier revenue this month in yuan per simulated row (scale it to real)."""

    service: np.ndarray
    addon: np.ndarray
    bundle: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.service + self.addon + self.bundle


def revenue(subs: Subscribers, market: MarketState) -> Revenue:
    """What each carrier earns this month from its subscribers (per row; multiply by scale)."""
    paid = np.bincount(subs.carrier, weights=bills(subs, market), minlength=3)
    addon = paid * market.addon_share * (1.0 - market.transparency)
    holders = np.bincount(subs.carrier, weights=subs.has_bundle, minlength=3)
    return Revenue(service=paid, addon=addon, bundle=holders * market.bundle_fee)
