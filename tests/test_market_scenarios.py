"""Other markets as scenarios (issue #19, item 5): scenarios/markets/*.yaml and their targets.

Each market scenario loads with sim's loader and runs a few months at 2,000 rows: subscribers
follow the scenario's growth schedule, ports balance, and nobody ports before MNP opens. Each
targets file has the calibration's columns, carrier keys of its scenario, and parses with
sim.calibrate.targets' reader. The scenarios use `policy.porting_rules` and
`population.growth`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.calibrate.targets import EVENTS, QUANTITIES, read_targets
from sim.params import month_index, month_label
from sim.runner import run
from sim.scenario import load_scenario

from .conftest import ROOT, SCENARIOS

MARKETS = sorted((SCENARIOS / "markets").glob("*.yaml"))
TARGETS = ROOT / "experiments" / "calibration" / "markets"
COLUMNS = ["date", "quantity", "carrier", "value", "weight", "weight_reason", "unit", "note",
           "source"]
#: Quantities the markets' targets use that the lead adds to sim.calibrate.targets (issue #19).
NEW_QUANTITIES = {"quarterly_ports", "yearly_ports", "cumulative_net_porting",
                  "cumulative_port_requests", "numbers_ported_at_least_once_share",
                  "numbers_ported_twice", "numbers_ported_three_times",
                  "cumulative_ports_share"}



def _targets_of(path):
    """The targets file of a market scenario: japan_2006.yaml -> japan_targets.csv."""
    return TARGETS / f"{path.stem.rsplit('_', 1)[0]}_targets.csv"


def test_every_market_is_here():
    """The six markets of issue #19 each have a scenario and a targets file."""
    names = {p.stem for p in MARKETS}
    assert names == {"japan_2006", "us_2003", "hong_kong_1999", "finland_2003",
                     "australia_2001", "india_2011"}
    for path in MARKETS:
        assert _targets_of(path).exists(), f"{path.name} has no targets file"


@pytest.mark.parametrize("path", MARKETS, ids=lambda p: p.stem)
def test_facts_are_sourced(path):
    """Every porting rule and growth entry names its source; the text cites its sources."""
    data = yaml.safe_load(path.read_text())
    rules = data["policy"]["porting_rules"]
    assert rules and all(str(r.get("source", "")).strip() for r in rules)
    assert all(str(g.get("source", "")).strip() for g in data["population"].get("growth", []))
    assert "porting_hassle" not in data["policy"]   # the rules replace the fixed hassle
    assert data["population"]["size"] == 20000
    text = path.read_text()
    assert "# Sources:" in text and "http" in text and "PPP" in text


@pytest.mark.parametrize("path", MARKETS, ids=lambda p: p.stem)
def test_market_loads(path):
    """The scenario loads with sim's loader (porting rules and growth included)."""
    scenario = load_scenario(path, ["population.size=2000"])
    assert scenario.population.size == 2000
    assert len(scenario.carriers) >= 3


def _growth_factor(data, start, months):
    """The market's size after each month relative to the start, from its growth schedule."""
    schedule = sorted(data["population"].get("growth", []), key=lambda g: str(g["from"]))
    factors, level = [], 1.0
    for t in range(months):
        label = month_label(start, t)
        rate = 0.0
        for g in schedule:
            if month_index(label, str(g["from"])) >= 0:
                rate = g["monthly_rate"]
        level *= 1 + rate if t > 0 else 1.0
        factors.append(level)
    return np.array(factors)


@pytest.mark.parametrize("path", MARKETS, ids=lambda p: p.stem)
def test_market_runs_a_few_months(path):
    """A few months at 2,000 rows: ports balance, none before MNP, size follows growth."""
    data = yaml.safe_load(path.read_text())
    start, mnp = str(data["start"]), str(data["policy"]["mnp_start"])
    months = month_index(mnp, start) + 4
    scenario = load_scenario(path, ["population.size=2000", f"months={months}",
                                    "burn_in_months=6"])
    ts = run(scenario).timeseries
    by_month = ts.groupby("month", sort=True)[["subscribers", "port_in", "port_out"]].sum()
    assert len(by_month) == months
    # ports balance every month, and nobody ports before MNP opens
    assert np.allclose(by_month["port_in"], by_month["port_out"])
    before = [m for m in by_month.index if month_index(m, mnp) < 0]
    assert before and (by_month.loc[before, "port_out"] == 0).all()
    assert by_month["port_out"].sum() > 0
    # subscribers follow the growth schedule (5%: rounding of 2,000 rows and whether a month's
    # growth shows at its end or the next month's)
    expected = data["population"]["represents"] * _growth_factor(data, start, months)
    assert np.allclose(by_month["subscribers"].to_numpy(), expected, rtol=0.05)


@pytest.mark.parametrize("path", MARKETS, ids=lambda p: p.stem)
def test_targets_file(path, tmp_path):
    """The targets file has the calibration's columns and carriers and parses today."""
    frame = pd.read_csv(_targets_of(path), dtype=str, keep_default_na=False)
    assert list(frame.columns) == COLUMNS
    known = set(QUANTITIES) | set(EVENTS)
    unknown = set(frame["quantity"]) - known - NEW_QUANTITIES
    assert not unknown, f"quantities neither in sim.calibrate.targets nor agreed: {unknown}"
    carriers = set(yaml.safe_load(path.read_text())["carriers"])
    assert set(frame["carrier"]) <= carriers | {"all"}
    assert (frame["source"].str.strip() != "").all()
    assert all(math.isfinite(float(v)) for v in frame["value"])
    # the rows of today's quantities parse with the calibration's reader
    today = frame[frame["quantity"].isin(known)]
    assert len(today) > 0
    copy = tmp_path / "targets.csv"
    today.to_csv(copy, index=False)
    rows = read_targets(copy)
    assert len(rows) == len(today)
