"""Porting friction from policy facts (sim/behaviour/porting_friction.py) and the
retention desk lever (sim/levers/retention_desk.py)."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.behaviour.opening import porting_open
from sim.behaviour.porting_friction import rule_hassle
from sim.cli import app
from sim.market import Friction, PortingRule
from sim.runner import run
from sim.scenario import load_scenario
from sim.scenario.schema import Scenario

from .conftest import SCENARIOS

DEFAULT = SCENARIOS / "china_mnp_2019.yaml"
SMALL = ["population.size=6000", "months=20"]


def rule(**kw) -> PortingRule:
    return PortingRule.model_validate({"from": "2019-11", "source": "test", **kw})


CHINA = rule(steps=["sms_code", "in_person"])


class _Rows:
    """The two columns the opening reads, for five subscribers."""

    def __init__(self, carrier: np.ndarray, region: np.ndarray):
        self.carrier, self.region = carrier, region

    def __len__(self) -> int:
        return self.carrier.size


# ---------------------------------------------------------------- the mapping

@pytest.mark.parametrize("more", [{"fee": 50}, {"days": 3},
                                  {"steps": ["sms_code", "in_person", "losing_carrier_code"]}])
def test_more_fee_days_or_steps_is_more_hassle(more):
    f = Friction()
    harder = CHINA.model_copy(update=more)
    assert rule_hassle(harder, f) > rule_hassle(CHINA, f)


def test_one_stop_within_the_day_is_far_less_than_china_and_china_matches_the_fits():
    f = Friction()
    one_stop = rule(steps=["one_stop"])
    assert rule_hassle(one_stop, f) < 0.2 * rule_hassle(CHINA, f)
    # the defaults reproduce the calibrated national hassle and the pilots' hard process
    assert rule_hassle(CHINA, f) == pytest.approx(442.4)
    pilot = rule(days=1, steps=["losing_carrier_code", "in_person"])
    assert rule_hassle(pilot, f) == pytest.approx(840.6)


def test_the_schedule_switches_the_hassle_in_its_month():
    spec = load_scenario(DEFAULT, ["population.size=300", "months=30"])
    spec.policy.porting_rules = [CHINA, rule(**{"from": "2020-06"}, steps=["one_stop"])]
    subs = _Rows(np.zeros(5, np.int8), np.full(5, -1, np.int8))
    f, keys = spec.behaviour.friction, spec.carrier_keys
    hassle = {month: float(porting_open(spec.policy, keys, spec.start, month, subs, f)[2][0])
              for month in (10, 16, 17, 29)}  # 2019-11, 2020-05, 2020-06, 2021-06
    assert hassle[10] == hassle[16] == pytest.approx(442.4)
    assert hassle[17] == hassle[29] == pytest.approx(20.0)


# ---------------------------------------------------------------- results

def _ports(sets: list[str], seed: int = 3, desk: dict | None = None) -> tuple[float, object]:
    spec = load_scenario(DEFAULT, SMALL + sets)
    for key, value in (desk or {}).items():  # edit the retention desk action
        setattr(spec.strategies["mobile"][0], key, value)
    ts = run(spec, seed=seed).timeseries
    return float(ts["port_in"].sum()), ts


def test_rules_equal_to_the_hassle_give_identical_results(tmp_path):
    """Rules whose hassle is exactly 442.4 against policy.porting_hassle 442.4."""
    text = DEFAULT.read_text()
    start = text.index("  porting_rules:")
    end = text.index("  # Contract rule")
    old = tmp_path / "hassle.yaml"
    old.write_text(text[:start] + "  porting_hassle: 442.4\n" + text[end:])
    with_rules = run(load_scenario(DEFAULT, SMALL), seed=4).timeseries
    with_hassle = run(load_scenario(old, SMALL), seed=4).timeseries
    assert with_rules.equals(with_hassle)


def test_an_easier_procedure_ports_more_and_a_day_cost_of_zero_changes_nothing_here():
    base, _ = _ports([])
    easier, _ = _ports(["behaviour.friction.step_cost.in_person=100"])
    assert easier > 1.5 * base
    # China's rule takes 0 days: the day cost plays no part in it
    no_days, _ = _ports(["behaviour.friction.day_cost=0"])
    assert no_days == base


# ---------------------------------------------------------------- validation

GOOD = """\
name: ok
start: 2019-01
months: 12
population:
  size: 1000
policy:
  mnp_start: 2019-03
  porting_rules:
    - {from: 2019-03, fee: 0, days: 0, steps: [sms_code, in_person], source: MIIT}
    - {from: 2019-08, steps: [one_stop], max_retention_share: 0, source: later}
carriers:
  mobile: {subscribers: 600, price: 49.1}
  unicom: {subscribers: 200, price: 42.1}
  telecom: {subscribers: 200, price: 45.0}
"""


@pytest.mark.parametrize("old, new, expected", [
    ("  porting_rules:", "  porting_hassle: 400\n  porting_rules:",
     ["policy.porting_rules", "policy.porting_hassle", "not both"]),
    ("from: 2019-08", "from: 2019-02", ["policy.porting_rules", "ascending"]),
    ("[one_stop]", "[teleport]", ["policy.porting_rules.1.steps.0", "'one_stop'"]),
    ("fee: 0", "fee: -5", ["policy.porting_rules.0.fee", ">= 0"]),
    ("days: 0", "days: .nan", ["policy.porting_rules.0.days", "finite"]),
    ("from: 2019-03,", "from: 2019-05,", ["first rule (2019-05) is after MNP opens"]),
    ("max_retention_share: 0", "max_retention_share: 2",
     ["policy.porting_rules.1.max_retention_share", "<= 1"]),
    ("source: later", "sauce: later", ["policy.porting_rules.1.source", "missing"]),
    ("[sms_code, in_person]", "[sms_code, sms_code]", ["policy.porting_rules.0.steps", "name a step twice"]),
])
def test_bad_rules_exit_2_naming_the_field(tmp_path, old, new, expected):
    assert old in GOOD
    path = tmp_path / "s.yaml"
    path.write_text(GOOD.replace(old, new, 1))
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    for fragment in expected:
        assert fragment in result.output, (fragment, result.output)
    assert "Traceback" not in result.output


def test_good_rules_validate_and_a_dump_validates_again(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD)
    assert CliRunner().invoke(app, ["validate", str(path)]).exit_code == 0
    spec = load_scenario(path)
    dump = spec.model_dump(mode="json")
    assert "porting_hassle" not in dump["policy"] and "from" in dump["policy"]["porting_rules"][0]
    assert Scenario.model_validate(dump) == spec


def test_pilot_rules_exclude_the_pilot_hassle_fields():
    spec = load_scenario(SCENARIOS / "china_pilots_2010.yaml")
    dump = spec.model_dump(mode="json")
    dump["policy"]["pilots"][0]["simplified"] = "2018-12"
    with pytest.raises(ValueError, match="porting_rules or simplified"):
        Scenario.model_validate(dump)


# ---------------------------------------------------------------- retention desk

DESK = "strategies.mobile=retention_desk"


def test_a_desk_keeps_subscribers_and_costs_money_booked_once():
    _, off = _ports([])
    _, on = _ports([DESK])
    mob_off, mob_on = (ts[ts["carrier"] == "mobile"] for ts in (off, on))
    assert mob_on["port_out"].sum() < 0.9 * mob_off["port_out"].sum()
    assert mob_on["subscribers"].iloc[-1] > mob_off["subscribers"].iloc[-1]
    # cost: contacts x 10 + gifts taken x 100 + 1 M a month, booked once to China Mobile
    active = mob_on["month"] >= "2019-11"
    contacts, retained = mob_on["retention_desk_contacts"], mob_on["retained_at_desk"]
    assert contacts[active].sum() > 0 and (retained <= contacts + 1e-6).all()
    desk = mob_on["cost_retention_desk"]
    assert (desk[active] > 1e6).all() and (desk[~active] == 0).all()
    assert (desk <= 10 * contacts + 100 * retained + 1e6 + 1).all()
    assert (desk >= 10 * contacts + 1e6 - 1)[active].all()
    assert on.loc[on["carrier"] != "mobile", "cost_retention_desk"].sum() == 0
    extra = mob_on["cost"].sum() - mob_off["cost"].sum()
    assert extra == pytest.approx(desk.sum(), rel=0.02)
    # subscribers conserved, net porting sums to zero
    for ts in (off, on):
        totals = ts.groupby("month")[["subscribers", "net_porting"]].sum()
        assert np.allclose(totals["net_porting"], 0, atol=1e-3)
        assert np.allclose(totals["subscribers"], totals["subscribers"].iloc[0])


@pytest.mark.parametrize("cap", ["hold_share", "max_retention_share"])
def test_a_hold_share_or_a_regulators_cap_of_zero_does_nothing(cap):
    _, off = _ports([])
    if cap == "hold_share":
        _, zero = _ports([DESK], desk={"hold_share": 0.0})
    else:
        _, zero = _ports([DESK, "policy.porting_rules.0.max_retention_share=0"])
    skip = {"cost", "profit", "cost_retention_desk"}  # the desk's fixed monthly cost remains
    same = [c for c in off.columns if c not in skip]
    assert zero[same].equals(off[same])
    assert zero["retention_desk_contacts"].sum() == 0
