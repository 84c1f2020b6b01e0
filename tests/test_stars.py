"""Seed 003's star rule, checked at every band edge."""

import numpy as np
import pytest

from sim.behaviour.stars import credit_score, star_levels, stars_from_score

GOTONE, MZONE, EASYOWN = 0, 1, 2


def score(brand=EASYOWN, tenure=0, spend=0.0, suspensions=0) -> int:
    return int(credit_score(np.array([brand]), np.array([tenure]), np.array([spend]),
                            np.array([suspensions]))[0])


@pytest.mark.parametrize("brand,points", [(GOTONE, 50), (MZONE, 30), (EASYOWN, 20)])
def test_brand_points(brand, points):
    assert score(brand=brand) == points


@pytest.mark.parametrize("months,points", [
    (0, 0), (12, 0), (13, 50), (24, 50), (25, 150), (36, 150), (37, 200), (48, 200),
    (49, 250), (60, 250), (61, 300), (240, 300)])
def test_tenure_bands_upper_inclusive(months, points):
    assert score(tenure=months) - 20 == points


@pytest.mark.parametrize("spend,points", [
    (0, 0), (20, 0), (20.01, 20), (50, 20), (50.01, 50), (80, 50), (80.01, 100), (120, 100),
    (120.01, 150), (200, 150), (200.01, 200), (400, 200), (400.01, 250), (5000, 250)])
def test_spend_bands_upper_inclusive(spend, points):
    assert score(spend=spend) - 20 == points


def test_each_suspension_costs_100_points():
    assert score(brand=GOTONE, tenure=61, spend=500) == 600
    assert score(brand=GOTONE, tenure=61, spend=500, suspensions=1) == 500
    assert score(brand=GOTONE, tenure=61, spend=500, suspensions=3) == 300


@pytest.mark.parametrize("points,stars", [
    (-100, 0), (0, 0), (99, 0), (100, 1), (199, 1), (200, 2), (299, 2), (300, 3), (399, 3),
    (400, 4), (499, 4), (500, 5), (900, 5)])
def test_star_thresholds(points, stars):
    assert int(stars_from_score(np.array([points]))[0]) == stars


def test_worked_example_five_stars():
    # GoTone 50 + over 5 years 300 + 120-200 yuan 150 = 500 -> five stars
    stars = star_levels(np.array([GOTONE]), np.array([72]), np.array([150.0]), np.array([0]))
    assert int(stars[0]) == 5


def test_fast_star_rule_matches_threshold_table():
    from sim.behaviour.stars import STAR_THRESHOLDS
    scores = np.arange(-500, 1200)
    expected = np.searchsorted(STAR_THRESHOLDS, scores, side="right")
    assert (stars_from_score(scores) == expected).all()
