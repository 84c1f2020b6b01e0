"""China Mobile's customer credit score and star levels, exactly as seed 003 gives them.

Score = brand points + tenure points + average-monthly-spend points - 100 per
suspension. Bands are upper-inclusive as written ("20至50(含50)"): spend of
exactly 20 yuan earns 0, 50 earns 20, and over 400 earns 250. Tenure bands are
read the same way, in months: up to 12 months earns 0, 13-24 months ("1-2
years") 50, ..., over 60 months ("over 5 years") 300.
Stars: score >= 500 five, >= 400 four, >= 300 three, >= 200 two, >= 100 one, else 0.
"""

from __future__ import annotations

import numpy as np

from typing import TYPE_CHECKING

from sim.jit import njit

if TYPE_CHECKING:
    from sim.population import Subscribers

#: Brand points by brand tier: GoTone (全球通), M-Zone (动感地带), Easy Own (神州行).
BRAND_POINTS = np.array([50, 30, 20], dtype=np.int16)
#: Upper edges (months, inclusive) of the tenure bands and the points of each band.
TENURE_EDGES_MONTHS = np.array([12, 24, 36, 48, 60])
TENURE_POINTS = np.array([0, 50, 150, 200, 250, 300], dtype=np.int16)
#: Upper edges (yuan/month, inclusive) of the spend bands and the points of each band.
SPEND_EDGES_YUAN = np.array([20, 50, 80, 120, 200, 400], dtype=np.float64)
SPEND_POINTS = np.array([0, 20, 50, 100, 150, 200, 250], dtype=np.int16)
SUSPENSION_PENALTY = 100
#: Seed 003 rates *average monthly spend* (月均消费): the model keeps a running mean of the
#: bills paid over about this many months with the current carrier (assumption: a year).
SPEND_WINDOW_MONTHS = 12
#: Minimum score for 1..5 stars.
STAR_THRESHOLDS = np.array([100, 200, 300, 400, 500])
# Lookup of tenure points by whole month (a gather is cheaper than a search).
_TENURE_CAP = int(TENURE_EDGES_MONTHS[-1]) + 1
_TENURE_POINTS_BY_MONTH = TENURE_POINTS[np.searchsorted(TENURE_EDGES_MONTHS,
                                                        np.arange(_TENURE_CAP + 1), side="left")]


#: int32 copies of the tables for the compiled loops (no conversions inside the loop)
_BRAND = BRAND_POINTS.astype(np.int32)
_TENURE = _TENURE_POINTS_BY_MONTH.astype(np.int32)
_SPEND = SPEND_POINTS.astype(np.int32)
_STAR_MIN = STAR_THRESHOLDS.astype(np.int32)


@njit
def _score(brand, tenure_months, spend, suspensions):
    """One subscriber's credit score (branch-free: this runs for every row each month)."""
    band = 0  # spend bands are upper-inclusive: count the edges strictly below the spend
    for edge in SPEND_EDGES_YUAN:
        band += np.int32(spend > edge)
    return (_BRAND[brand] + _TENURE[min(np.int32(tenure_months), _TENURE_CAP)] + _SPEND[band]
            - SUSPENSION_PENALTY * np.int32(suspensions))


@njit
def _stars(score):
    """Star level of one score: the number of star thresholds it reaches."""
    level = 0
    for threshold in _STAR_MIN:
        level += np.int32(score >= threshold)
    return level


@njit
def _scores(brand, tenure, spend, suspensions, out):
    for i in range(out.size):
        out[i] = _score(brand[i], tenure[i], spend[i], suspensions[i])


@njit
def _levels(score, out):
    for i in range(out.size):
        out[i] = _stars(score[i])


@njit
def _star_levels(brand, tenure, spend, suspensions, out):
    for i in range(out.size):
        out[i] = _stars(_score(brand[i], tenure[i], spend[i], suspensions[i]))


def credit_score(brand_tier: np.ndarray, tenure_months: np.ndarray,
                 avg_monthly_spend: np.ndarray, suspensions: np.ndarray) -> np.ndarray:
    """Seed 003's customer credit score for each subscriber."""
    out = np.empty(np.size(brand_tier), dtype=np.int32)
    _scores(np.asarray(brand_tier), np.asarray(tenure_months), np.asarray(avg_monthly_spend),
            np.asarray(suspensions), out)
    return out


def stars_from_score(score: np.ndarray) -> np.ndarray:
    """Star level 0..5 from a credit score."""
    out = np.empty(np.size(score), dtype=np.int8)
    _levels(np.asarray(score), out)
    return out


def star_levels(brand_tier: np.ndarray, tenure_months: np.ndarray,
                avg_monthly_spend: np.ndarray, suspensions: np.ndarray) -> np.ndarray:
    """Star level 0..5 for each subscriber (seed 003)."""
    out = np.empty(np.size(brand_tier), dtype=np.int8)
    _star_levels(np.asarray(brand_tier), np.asarray(tenure_months),
                 np.asarray(avg_monthly_spend), np.asarray(suspensions), out)
    return out


def rate_initial_stars(subs: Subscribers, list_prices: np.ndarray) -> None:
    """Star levels of the starting population from tenure and average monthly spend (seed 003).

    Takes the current list bill as the average so far. list_prices: (N, S).
    """
    subs.avg_spend[:] = list_prices[subs.carrier, subs.segment] * subs.spend_factor
    subs.stars[:] = star_levels(subs.brand_tier, subs.tenure, subs.avg_spend, subs.suspensions)
