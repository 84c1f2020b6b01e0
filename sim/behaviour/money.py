"""Bills and revenue (seeds 000, 004): what subscribers pay and what carriers earn.

A subscriber's bill is the carrier's price (times any segment-plan factor) times
the subscriber's spend factor, less a fitted plan's saving (sim/levers/plan_migration.py)
and any personal retention discount still running.
A carrier's revenue is its bills, plus add-on and hidden-fee revenue (which falls
as billing transparency rises, seed 000), plus bundle fees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.behaviour.offers import MarketState
from sim.population import Subscribers


def list_bills(subs: Subscribers, market: MarketState,
               rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Monthly bill before personal discounts (the spend that earns stars, seed 003)."""
    return market.list_price(subs.carrier[rows], subs.segment[rows]) * subs.spend_factor[rows]


@dataclass
class Revenue:
    """Per-carrier revenue this month in yuan per simulated row (scale it to real)."""

    service: np.ndarray
    addon: np.ndarray
    bundle: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """Service, add-on and bundle revenue summed, per carrier (yuan per simulated row)."""
        return self.service + self.addon + self.bundle


def revenue(paid: np.ndarray, bundle_payers: np.ndarray, market: MarketState) -> Revenue:
    """What each carrier earns this month (per row; multiply by scale).

    From the bills paid and the holders of each carrier paying a bundle offer's fee (those
    who bought under it; sim.behaviour.month_end).
    """
    addon = paid * market.addon_share * (1.0 - market.transparency)
    return Revenue(service=paid, addon=addon, bundle=bundle_payers * market.bundle_fee)
