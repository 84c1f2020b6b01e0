"""Sub-brand dilution (seed 002): many tariff brands weaken the carrier's own image.

Seed 002 (移动通信运营商的形象): carriers launched many business brands tied to the bill
("与移动通信交费相捆绑"), a form of price war; people then know the brand better than the
company, the company's image is diluted, and "when another carrier offers a cheaper
tariff brand, some customers switch". China Mobile sold under GoTone (全球通), M-Zone
(动感地带) and Easy Own (神州行) (seed 003, where they also add star points).

Two effects of each sub-brand beyond the first (`Carrier.sub_brands - 1`):
- the carrier's brand value (when positive) is scaled by
  1 - `behaviour.sub_brand_dilution` x (sub_brands - 1), at least 0; every subscriber
  and newcomer sees the diluted brand;
- its subscribers are tied to a tariff rather than the company: when they review, each
  rival whose bill would be lower gains `behaviour.sub_brand_price_pull` x
  (sub_brands - 1) x price sensitivity x the saving (yuan/month). Newcomers, who belong
  to no carrier yet, feel no such pull.
With either strength 0, or one brand per carrier, nothing changes (to the bit).
Retiring sub-brands is a lever (sim/levers/brands.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.jit import njit

if TYPE_CHECKING:
    from sim.behaviour.offers import MarketState
    from sim.market import Behaviour
    from sim.population import Subscribers


def extra_brands(sub_brands: np.ndarray) -> np.ndarray:
    """Sub-brands beyond the carrier's first, per carrier (float32, >= 0)."""
    return np.maximum(np.asarray(sub_brands, dtype=np.float32) - 1, 0)


def diluted_brand(brand: np.ndarray, sub_brands: np.ndarray, beh: Behaviour) -> np.ndarray:
    """Each carrier's brand value (yuan/month) after dilution by its sub-brands.

    A positive brand is scaled by 1 - dilution x extra brands (at least 0); a negative one
    (a poor image) is left as it is. Unchanged, the same array, at strength 0.
    """
    extra = extra_brands(sub_brands)
    if beh.sub_brand_dilution == 0 or not extra.any():
        return brand
    factor = np.maximum(1 - np.float32(beh.sub_brand_dilution) * extra, 0).astype(np.float32)
    return np.where(brand > 0, brand * factor, brand).astype(np.float32)


def sub_brand_pull(sub_brands: np.ndarray, beh: Behaviour) -> np.ndarray:
    """(N,) extra weight each carrier's subscribers put on a rival's lower bill."""
    return (np.float32(beh.sub_brand_price_pull) * extra_brands(sub_brands)).astype(np.float32)


@njit
def _add_pull(rows, carrier, segment, spend, price_sens, price, pull, values):
    """values[k, j] += pull_c x sensitivity x max(bill_c - bill_j, 0) for row rows[k] on c."""
    n = values.shape[1]
    for k in range(rows.size):
        i = rows[k]
        c = carrier[i]
        weight = pull[c]
        if weight == 0:
            continue
        s = segment[i]
        weight *= price_sens[i] * spend[i]
        own = price[c, s]
        for j in range(n):
            gap = own - price[j, s]
            if gap > 0:
                values[k, j] += np.float32(weight * gap)


def add_price_pull(values: np.ndarray, subs: Subscribers, market: MarketState,
                   rows: np.ndarray) -> None:
    """Add, in place, the pull of cheaper rivals on `rows`' values (m, N) (yuan/month).

    Row i on carrier c gains, for every carrier j, pull_c x price sensitivity_i x
    max(bill_ic - bill_ij, 0), where bill = list price x spend factor (j = c adds 0).
    Does nothing where no carrier has a pull. One compiled pass: it runs for every
    reviewer and the report sample each month.
    """
    if not market.sub_brand_pull.any() or rows.size == 0:
        return
    _add_pull(np.asarray(rows, dtype=np.int64), subs.carrier.view(np.uint8),
              subs.segment.view(np.uint8), subs.spend_factor, subs.price_sensitivity,
              market.list_prices.astype(np.float32), market.sub_brand_pull, values)
