"""Peer learning (sim/behaviour/peer_learning.py): contacts who ported ease the hassle."""

import numpy as np
import pytest

from sim.behaviour.peer_learning import PeerLearning, porters
from sim.network import SocialGraph

from .growth_helpers import check_invariants, identical, late_over_early, ports

ON = {"behaviour.peer_learning": 0.4}


def star_graph() -> SocialGraph:
    """Row 0 knows rows 1, 2, 3; rows 1-3 know only row 0; row 4 knows nobody."""
    indptr = np.array([0, 3, 4, 5, 6, 6], dtype=np.int32)
    indices = np.array([1, 2, 3, 0, 0, 0], dtype=np.int32)
    return SocialGraph(indptr, indices)


def test_hassle_shrinks_with_each_contact_who_ported():
    peers = PeerLearning.create(star_graph(), 5, 0.25)
    hassle = np.full(5, 400, dtype=np.float32)
    out = hassle.copy()
    rows = np.arange(5)
    peers.perceived(hassle, rows, out)
    np.testing.assert_array_equal(out, hassle)  # nobody ported yet
    peers.record(np.array([1, 2]), np.empty(0, np.int64))
    peers.perceived(hassle, rows, out)
    assert out[0] == pytest.approx(400 * 0.75 ** 2)  # two contacts ported
    assert out[1] == out[2] == out[3] == out[4] == 400  # their contact (row 0) did not
    peers.record(np.empty(0, np.int64), np.array([2]))  # row 2's subscriber left the market
    peers.perceived(hassle, rows, out)
    assert out[0] == pytest.approx(400 * 0.75)


def test_only_rows_asked_for_are_written():
    peers = PeerLearning.create(star_graph(), 5, 0.5)
    peers.record(np.array([1]), np.empty(0, np.int64))
    hassle = np.full(5, 100, dtype=np.float32)
    out = np.full(5, -1, dtype=np.float32)
    peers.perceived(hassle, np.array([0, 4]), out)
    assert out.tolist() == [50, -1, -1, -1, 100]


def test_porters_are_reviewers_who_moved_keeping_the_number():
    rows = np.array([3, 5, 7, 9])
    start = np.zeros(10, dtype=np.int8)
    chosen = np.array([1, 0, 2, 1], dtype=np.int8)
    is_port = np.array([True, True, False, False])
    assert porters(rows, chosen, start, is_port).tolist() == [3]


def test_a_vanishing_strength_is_the_model_without_it():
    # the mechanism runs (counts, perceived hassle) but changes nothing, and draws nothing
    assert identical({"behaviour.peer_learning": 1e-9}, {})


def test_peer_learning_raises_ports_and_more_so_later():
    off, on = ports(), ports(**ON)
    assert on > 1.02 * off
    # the effect grows as ports accumulate: late ports rise relative to early ones
    assert late_over_early(**ON) > late_over_early()


def test_invariants_hold_with_peer_learning():
    check_invariants(**ON)
