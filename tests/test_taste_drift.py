"""Persistent taste drift (sim/behaviour/taste_drift.py): an AR(1) taste per carrier."""

import numpy as np
import pytest

from sim.behaviour.taste_drift import TasteDrift

from .growth_helpers import check_invariants, identical, ports

ON = {"behaviour.taste_drift_sd": 6.0}


def drift_values(state, key, rows, month):
    values = np.zeros((rows.size, state.drift.shape[1]), dtype=np.float32)
    state.add(key, values, rows, month)
    return values


def test_first_draw_is_stationary_and_later_ones_are_autocorrelated():
    n, sd, rho = 40000, 5.0, 0.9
    state = TasteDrift.create(n, 3, sd, rho)
    rows = np.arange(n)
    first = drift_values(state, 11, rows, 0)
    assert first.std() == pytest.approx(sd, rel=0.03)
    assert abs(first.mean()) < 0.1
    three_later = drift_values(state, 12, rows, 3)  # advanced three months at once
    assert three_later.std() == pytest.approx(sd, rel=0.03)  # stays stationary
    corr = np.corrcoef(first.ravel(), three_later.ravel())[0, 1]
    assert corr == pytest.approx(rho ** 3, abs=0.02)


def test_a_month_is_advanced_once_and_draws_are_keyed_to_rows():
    a, b = TasteDrift.create(100, 2, 4.0, 0.8), TasteDrift.create(100, 2, 4.0, 0.8)
    first = drift_values(a, 5, np.arange(100), 0)
    again = drift_values(a, 99, np.arange(100), 0)  # same month: no new draw
    np.testing.assert_array_equal(first, again)
    some = drift_values(b, 5, np.array([7, 42]), 0)  # other rows drawn or not: same draw
    np.testing.assert_array_equal(some, first[[7, 42]])


def test_a_newcomer_draws_afresh():
    state = TasteDrift.create(10, 2, 4.0, 0.99)
    rows = np.arange(10)
    drift_values(state, 1, rows, 0)
    kept = drift_values(state, 2, rows, 1)
    state.forget(np.array([3]))
    fresh = drift_values(state, 2, rows, 1)
    assert not np.allclose(fresh[3], kept[3])
    np.testing.assert_array_equal(np.delete(fresh, 3, 0), np.delete(kept, 3, 0))


def test_a_vanishing_drift_is_the_model_without_it():
    # the drift is drawn and added (from its own stream) but too small to change a value
    assert identical({"behaviour.taste_drift_sd": 1e-12}, {})


def test_taste_drift_raises_ports():
    assert ports(**ON) > 1.05 * ports()


def test_invariants_hold_with_taste_drift():
    check_invariants(**ON)
