"""The vectorised building blocks: event draws and the social graph."""

import numpy as np
from scipy import stats

from sim import rowsets
from sim.draws import bernoulli_positions, chance, events, events_by, geometric, keyed_uniform
from sim.network import build_social_graph
from sim.market import Social


def test_bernoulli_positions_count_and_uniformity():
    rng = np.random.default_rng(0)
    n, p = 200_000, 0.03
    pos = bernoulli_positions(rng, n, p)
    assert np.all(np.diff(pos) > 0) and pos.min() >= 0 and pos.max() < n
    assert abs(pos.size - n * p) < 5 * np.sqrt(n * p * (1 - p))
    # positions uniform over [0, n)
    assert stats.kstest(pos / n, "uniform").pvalue > 1e-3


def test_events_follow_each_rows_probability():
    rng = np.random.default_rng(1)
    p = np.where(np.arange(100_000) % 2 == 0, 0.1, 0.01)
    hit = events(rng, p)
    even = np.mean(hit % 2 == 0) * hit.size / 50_000
    odd = np.mean(hit % 2 == 1) * hit.size / 50_000
    assert abs(even - 0.1) < 0.006 and abs(odd - 0.01) < 0.002


def test_geometric_gaps_are_numpys_own_draws():
    """The faster geometric draw gives exactly Generator.geometric's numbers on the same
    seed, on both sides of numpy's switch between methods at p = 1/3."""
    for p in (1e-4, 0.02, 0.141, 0.3333, 0.34, 0.45):
        ours = geometric(np.random.default_rng(5), p, 50_000)
        assert np.array_equal(ours, np.random.default_rng(5).geometric(p, size=50_000))


def test_events_by_looks_up_each_rows_rate_in_a_two_way_table():
    rng = np.random.default_rng(2)
    n = 300_000
    area = (np.arange(n) % 2).astype(np.int8)
    carrier = (np.arange(n) // 2 % 3).astype(np.int8)
    table = np.array([[0.01, 0.02, 0.04], [0.08, 0.0, 0.16]], dtype=np.float32)
    hit = events_by(rng, table, area, carrier)
    assert np.all(np.diff(hit) > 0)
    counts = np.zeros((2, 3))
    np.add.at(counts, (area[hit], carrier[hit]), 1)
    expected = table * n / 6
    assert counts[1, 1] == 0
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected) + 1e-9)
    one_way = events_by(rng, table[0], carrier)  # a single code column
    rate = np.bincount(carrier[one_way], minlength=3) / (n / 3)
    assert np.all(np.abs(rate - table[0]) < 5 * np.sqrt(table[0] / (n / 3)))


def test_chance_is_the_rows_keyed_uniform_below_p():
    """A row's draw is its keyed uniform, compared with p as numpy would: a Python float
    as float32, an array in its own type."""
    rows = np.arange(0, 200_000, 3)
    u = keyed_uniform(int(np.random.default_rng(4).integers(2**63)), rows, 1)[:, 0]
    for p in (0.3, np.linspace(0, 1, rows.size), np.float32(0.7)):
        assert np.array_equal(chance(np.random.default_rng(4), rows, p), u < p)


def test_union_of_row_sets_is_the_sorted_set_union():
    rng = np.random.default_rng(3)
    sets = [np.unique(rng.integers(0, 1000, size=k)) for k in (0, 5, 300, 900)]
    assert np.array_equal(rowsets.union(*sets), np.unique(np.concatenate(sets)))
    assert rowsets.union().size == 0


def test_social_graph_is_symmetric_simple_and_sized():
    rng = np.random.default_rng(2)
    social = Social(household_size=2.62, acquaintances=6, rewire=0.1)
    g = build_social_graph(rng, 20_000, social).to_scipy()
    ties = g.nnz
    g.sum_duplicates()
    assert g.nnz == ties  # no tie listed twice
    assert (g != g.T).nnz == 0
    assert g.diagonal().sum() == 0
    assert set(np.unique(g.data)) == {1.0}
    mean_degree = g.nnz / g.shape[0]
    # about 6 acquaintances plus about 1.6 household members
    assert 6.5 < mean_degree < 8.5
