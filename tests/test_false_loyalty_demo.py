"""The teaching scenario tells the false-loyalty story, at its default size, on its
default seed and on others; and it is MNP that tells it (without MNP, no surge)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.runner import run
from sim.scenario import load_scenario
from sim.story import tell

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "false_loyalty_demo.yaml"
SEEDS = (7, 11, 23)  # 7 is the scenario's own seed


@pytest.fixture(scope="module")
def demo():
    return load_scenario(DEMO)


@pytest.fixture(scope="module", params=SEEDS)
def story(request, demo):
    ts = run(demo, seed=request.param).timeseries
    return tell(ts, demo.start, demo.policy.mnp_start)


def test_demo_uses_its_default_seed_and_size(demo):
    assert demo.seed == SEEDS[0] and demo.policy.mnp_start is not None


def test_before_mnp_the_market_looks_loyal_but_is_held_hostage(story):
    assert story.churn_before < 0.5              # under 0.5% of subscribers a month
    assert story.hostage_before > 40             # yet over 40% are hostages
    assert story.focus_hostage_before > 70       # and most of the incumbent's base


def test_opening_brings_a_porting_surge(story):
    assert story.churn_surge > 3                 # over 3% of subscribers in one month
    assert story.churn_surge > 10 * story.churn_before


def test_hostage_share_collapses(story):
    assert story.hostage_after < story.hostage_before / 2
    assert story.hostage_end < story.hostage_before / 3
    assert story.focus_share_end < story.focus_share_before / 2   # the incumbent empties


def test_churn_settles_far_below_the_surge(story):
    assert story.churn_late < story.churn_surge / 4


def test_without_mnp_there_is_no_surge_and_hostages_stay(demo):
    closed = load_scenario(DEMO, ["policy.mnp_start=null", f"months={demo.months}"])
    ts = run(closed, seed=SEEDS[0]).timeseries
    assert ts["port_in"].sum() == 0
    # read the same months as the story with MNP, on the same seed
    with_mnp = tell(run(demo, seed=SEEDS[0]).timeseries, demo.start, demo.policy.mnp_start)
    without = tell(ts, demo.start, demo.policy.mnp_start)  # months only: MNP never opens here
    assert without.churn_surge < with_mnp.churn_surge / 5
    assert without.hostage_end > with_mnp.hostage_end * 2
