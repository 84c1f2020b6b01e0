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

#: Brand points by brand tier: GoTone (全球通), M-Zone (动感地带), Easy Own (神州行).
BRAND_POINTS = np.array([50, 30, 20], dtype=np.int16)
#: Upper edges (months, inclusive) of the tenure bands and the points of each band.
TENURE_EDGES_MONTHS = np.array([12, 24, 36, 48, 60])
TENURE_POINTS = np.array([0, 50, 150, 200, 250, 300], dtype=np.int16)
#: Upper edges (yuan/month, inclusive) of the spend bands and the points of each band.
SPEND_EDGES_YUAN = np.array([20, 50, 80, 120, 200, 400], dtype=np.float64)
SPEND_POINTS = np.array([0, 20, 50, 100, 150, 200, 250], dtype=np.int16)
SUSPENSION_PENALTY = 100
#: Minimum score for 1..5 stars.
STAR_THRESHOLDS = np.array([100, 200, 300, 400, 500])
# Lookup of tenure points by whole month (a gather is cheaper than a search).
_TENURE_CAP = int(TENURE_EDGES_MONTHS[-1]) + 1
_TENURE_POINTS_BY_MONTH = TENURE_POINTS[np.searchsorted(TENURE_EDGES_MONTHS,
                                                        np.arange(_TENURE_CAP + 1), side="left")]


def credit_score(brand_tier: np.ndarray, tenure_months: np.ndarray,
                 avg_monthly_spend: np.ndarray, suspensions: np.ndarray) -> np.ndarray:
    """Seed 003's customer credit score for each subscriber."""
    months = np.minimum(tenure_months, _TENURE_CAP)
    spend = np.asarray(avg_monthly_spend)
    edges = SPEND_EDGES_YUAN.astype(spend.dtype) if spend.dtype.kind == "f" else SPEND_EDGES_YUAN
    spend_band = np.searchsorted(edges, spend, side="left")  # edges are exact in float32
    return (BRAND_POINTS[brand_tier].astype(np.int32) + _TENURE_POINTS_BY_MONTH[months]
            + SPEND_POINTS[spend_band] - SUSPENSION_PENALTY * suspensions.astype(np.int32))


def stars_from_score(score: np.ndarray) -> np.ndarray:
    """Star level 0..5 from a credit score.

    The thresholds are exactly 100, 200, ..., 500, so the level is the score's
    hundreds, clipped to 0..5 (checked against STAR_THRESHOLDS in the tests).
    """
    return np.clip(np.asarray(score) // 100, 0, 5).astype(np.int8)


def star_levels(brand_tier: np.ndarray, tenure_months: np.ndarray,
                avg_monthly_spend: np.ndarray, suspensions: np.ndarray) -> np.ndarray:
    """Star level 0..5 for each subscriber (seed 003)."""
    return stars_from_score(credit_score(brand_tier, tenure_months, avg_monthly_spend,
                                         suspensions))
