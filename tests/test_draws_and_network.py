"""The vectorised building blocks: event draws and the social graph."""

import numpy as np
from scipy import stats

from sim.draws import bernoulli_positions, events
from sim.network import build_social_graph
from sim.scenario.schema import Social


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
