"""Broken scenarios: each gets one clear message naming the field and the fix, exit 2."""

import pytest
from typer.testing import CliRunner

from sim.cli import app

runner = CliRunner()

GOOD = """\
name: ok
start: 2019-01
months: 12
population:
  size: 1000
carriers:
  mobile: {subscribers: 600, price: 49.1}
  unicom: {subscribers: 200, price: 42.1}
  telecom: {subscribers: 200, price: 45.0}
"""

CASES = [
    # (description, replace this, with this, expected fragments)
    ("negative price", "price: 42.1}", "price: -3}",
     ["carriers.unicom.price", "must be > 0", ":8)"]),
    ("carrier key not lowercase", "telecom: {", "China-Telecom: {",
     ["carriers", "lowercase letters"]),
    ("typo in key", "months: 12", "monhts: 12", ["monhts", "did you mean 'months'"]),
    ("bad month", "start: 2019-01", "start: 2019-13", ["start", "YYYY-MM"]),
    ("text for number", "size: 1000", "size: many", ["population.size", "must be a number"]),
    ("segment shares", "size: 1000", "size: 1000\n  segments:\n    a: {share: 0.5}\n"
     "    b: {share: 0.4}", ["segments", "sum to 0.9000"]),
    ("unknown lever", "months: 12", "months: 12\nstrategies:\n  mobile:\n"
     "    - {lever: teleport, start: 2019-02}", ["strategies.mobile.0", "unknown lever",
                                                 "price_change"]),
    ("end before start", "months: 12", "months: 12\nstrategies:\n  mobile:\n"
     "    - {lever: price_change, start: 2019-05, end: 2019-02, percent: -5}",
     ["strategies.mobile.0.end", "before start"]),
    ("bad lever field", "months: 12", "months: 12\nstrategies:\n  mobile:\n"
     "    - {lever: price_change, start: 2019-05, percnt: -5}",
     ["strategies.mobile.0.percnt", "did you mean 'percent'"]),
    ("bad contract rule", "size: 1000", "size: 1000\npolicy:\n  eligibility: "
     "{contract_lockin: never}", ["policy.eligibility.contract_lockin", "'penalty'"]),
    ("porting rules with a hassle", "size: 1000", "size: 1000\npolicy:\n  porting_hassle: 400\n"
     "  porting_rules:\n    - {from: 2019-01, source: MIIT}",
     ["policy.porting_rules or policy.porting_hassle", "not both"]),
    ("unknown porting step", "size: 1000", "size: 1000\npolicy:\n  porting_rules:\n"
     "    - {from: 2019-01, steps: [fax], source: MIIT}",
     ["policy.porting_rules.0.steps.0", "'sms_code'"]),
    ("not yaml", "months: 12", "months: [12", ["not valid YAML"]),
    ("not a mapping", GOOD, "- just\n- a list\n", ["must be a YAML mapping"]),
    ("strategy for an unknown carrier", "months: 12", "months: 12\nstrategies:\n  vodafone:\n"
     "    - {lever: price_change, start: 2019-05, percent: -5}",
     ["strategies.vodafone", "unknown carrier 'vodafone'", "mobile, unicom, telecom", ":5)"]),
    ("opening for a missing carrier", "size: 1000", "size: 1000\npolicy:\n  mnp_start: "
     "{mobile: 2019-06, cmcc: 2019-08}", ["policy.mnp_start.cmcc", "unknown carrier 'cmcc'",
                                          ":7)"]),
    ("launch after the end", "price: 45.0}", "price: 45.0}\n  broadnet: {subscribers: 0, "
     "price: 30, launch: 2021-06}", ["carriers.broadnet.launch", "after the last simulated "
                                     "month 2019-12", ":10)"]),
    ("subscribers before launch", "price: 45.0}", "price: 45.0}\n  broadnet: {subscribers: 9, "
     "price: 30, launch: 2019-06}", ["carriers.broadnet.subscribers", "set subscribers: 0"]),
    ("one carrier", "  unicom: {subscribers: 200, price: 42.1}\n  telecom: {subscribers: 200, "
     "price: 45.0}\n", "", ["carriers: 1 carrier(s) given", "2 to 16"]),
    ("seventeen carriers", "  telecom: {subscribers: 200, price: 45.0}\n",
     "".join(f"  c{i}: {{subscribers: 10, price: 40}}\n" for i in range(15)),
     ["carriers: 17 carrier(s) given", "2 to 16"]),
    ("growth rate out of range", "size: 1000", "size: 1000\n  growth:\n    - {from: 2019-03, "
     "monthly_rate: 0.5, source: x}", ["population.growth.0.monthly_rate", "0.1"]),
    ("growth without a source", "size: 1000", "size: 1000\n  growth:\n    - {from: 2019-03, "
     "monthly_rate: 0.01}", ["population.growth.0.source", "required"]),
    ("growth out of order", "size: 1000", "size: 1000\n  growth:\n    - {from: 2019-06, "
     "monthly_rate: 0.01, source: x}\n    - {from: 2019-03, monthly_rate: 0.0, source: x}",
     ["population.growth", "in order"]),
    ("negative grudge", "months: 12", "months: 12\nbehaviour: {former_carrier_grudge: -5}",
     ["behaviour.former_carrier_grudge", "must be >= 0"]),
    ("non-finite shortfall", "months: 12", "months: 12\nbehaviour: {port_shortfall_sd: .nan}",
     ["behaviour.port_shortfall_sd"]),
    ("negative peer learning", "size: 1000", "size: 1000\nbehaviour:\n  peer_learning: -0.1",
     ["behaviour.peer_learning", "must be >= 0"]),
    ("taste drift persistence of 1", "size: 1000", "size: 1000\nbehaviour:\n"
     "  taste_drift_persistence: 1", ["behaviour.taste_drift_persistence", "must be < 1"]),
    ("bad new-generation month", "size: 1000", "size: 1000\n  handsets: "
     "{new_generation: 2019-13}", ["population.handsets.new_generation", "YYYY-MM"]),
    ("handset cycle not finite", "size: 1000", "size: 1000\n  handsets: {cycle_months: .inf}",
     ["population.handsets.cycle_months"]),
    ("inconsistent carrier split", "size: 1000", "size: 1000\n  segments:\n    a:\n"
     "      share: 1.0\n      carrier_shares: {mobile: 0.2, unicom: 0.4, telecom: 0.4}",
     ["carrier_shares", "carriers.mobile.subscribers"]),
]


@pytest.mark.parametrize("what,old,new,expected", CASES, ids=[c[0] for c in CASES])
def test_broken_scenario_is_explained(tmp_path, what, old, new, expected):
    assert old in GOOD
    path = tmp_path / "s.yaml"
    path.write_text(GOOD.replace(old, new))
    for command in ("validate", "run"):
        args = [command, str(path)] + (["--out", str(tmp_path / "o")] if command == "run" else [])
        res = runner.invoke(app, args)
        assert res.exit_code == 2, res.output
        assert "Traceback" not in res.output
        for fragment in expected:
            assert fragment in res.output, (fragment, res.output)
    assert not (tmp_path / "o").exists()


def test_good_scenario_passes(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD)
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 0, res.output


def test_missing_and_unreadable_files(tmp_path):
    res = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert res.exit_code == 2 and "file not found" in res.output
    res = runner.invoke(app, ["validate", str(tmp_path)])
    assert res.exit_code == 2 and "is a directory" in res.output
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    res = runner.invoke(app, ["validate", str(binary)])
    assert res.exit_code == 2 and "UTF-8" in res.output


def test_bad_override_path(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD)
    res = runner.invoke(app, ["validate", str(path), "--set", "population.sise=10"])
    assert res.exit_code == 2 and "population.sise" in res.output
    res = runner.invoke(app, ["validate", str(path), "--set", "nonsense"])
    assert res.exit_code == 2 and "path=value" in res.output
