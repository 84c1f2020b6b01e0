"""The comparison report a strategist forwards.

Spelled-out strategies, port-ins won and port-outs avoided, Shapley decomposition,
relative horizons, workbook, PDF, Chinese.
"""

import json
import os
import re
import shutil
import warnings

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.compare import compare, summarise_comparison
from sim.compare.decompose import (
    EXACT_LIMIT,
    METRICS,
    _with_actions,
    changes_between,
    coalition_actions,
    decompose,
    exact_shapley,
    permutation_orders,
    sampled_shapley,
)
from sim.compare.describe import COST_RULES, describe_action
from sim.compare.horizon import HorizonError, coverage, resolve_horizon
from sim.compare.labels import Labels, cjk_font
from sim.compare.pdf import chromium_path
from sim.compare.runs import simulate
from sim.levers import LEVER_KINDS

from .conftest import BASE, SCENARIOS, make_scenario

runner = CliRunner()
COMBO = [{"lever": "port_in_bonus", "start": "mnp", "bonus": 300},
         {"lever": "price_change", "start": "mnp", "percent": -10},
         {"lever": "first_contact_resolution", "start": "mnp"}]


def scenarios(**strategies):
    return {name: make_scenario(**{"strategies.unicom": actions, "population.size": 3000,
                                   "months": 15})
            for name, actions in strategies.items()}


def need(tool: str, found) -> None:
    """Skip locally when a system tool is missing; fail under CI=true."""
    if found:
        return
    message = f"no {tool}: `make browser` / `make fonts` install it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


# ---------------------------------------------------------------- decomposition

@pytest.fixture(scope="module")
def combo():
    cmp = compare(scenarios(status_quo=[], combo=COMBO), "unicom", replicates=3, base_seed=5)
    return cmp, summarise_comparison(cmp).set_index("strategy"), decompose(cmp, ["combo"],
                                                                          None, 5)[0]


def test_shapley_values_add_up_to_the_combinations_gain(combo):
    cmp, table, dec = combo
    assert [c.label for c in dec.changes] == ["+ port_in_bonus", "+ price_change",
                                              "+ first_contact_resolution"]
    assert dec.method == "exact" and dec.coalitions == 8
    # replicate by replicate, every metric
    np.testing.assert_allclose(dec.values.sum(axis=0), dec.gain, rtol=1e-9, atol=1e-6)
    rows = dec.table().set_index("change")
    total = rows.loc["total (the strategy's gain)"]
    parts = rows.drop(index="total (the strategy's gain)")
    row = table.loc["combo"]
    for metric, gain in (("net_porting", row["diff_net_porting"]),
                         ("port_ins_won", row["port_ins_won"]),
                         ("port_outs_avoided", row["port_outs_avoided"]),
                         ("cost", row["diff_cost"]), ("profit", row["diff_profit"])):
        assert parts[metric].sum() == pytest.approx(gain, rel=1e-9, abs=1e-6), metric
        assert total[metric] == pytest.approx(gain, rel=1e-9, abs=1e-6), metric
    assert row["diff_net_porting"] != 0


def test_net_gain_splits_into_port_ins_won_and_port_outs_avoided(combo):
    _, table, _ = combo
    for _, row in table.iterrows():
        assert row["port_ins_won"] + row["port_outs_avoided"] == pytest.approx(
            row["diff_net_porting"], abs=1e-6)
    row = table.loc["combo"]
    if row["port_outs_avoided"] > 0:
        assert row["cost_per_port_out_avoided"] == pytest.approx(
            row["diff_cost"] / row["port_outs_avoided"])


def test_a_coalition_of_every_action_is_the_strategy_run_itself():
    """The full coalition reuses the strategy's own runs, so it must run identically.

    Likewise the empty coalition and the baseline.
    """
    specs = scenarios(status_quo=[], combo=COMBO)
    base, strat = (specs[n].actions_of("unicom") for n in ("status_quo", "combo"))
    changes = changes_between(base, strat)
    full = coalition_actions(base, strat, changes, frozenset(range(len(changes))))
    rebuilt = _with_actions(specs["status_quo"], "unicom", full)
    assert simulate(rebuilt, 11).equals(simulate(specs["combo"], 11))
    empty = _with_actions(specs["combo"], "unicom", coalition_actions(base, strat, changes,
                                                                       frozenset()))
    assert simulate(empty, 11).equals(simulate(specs["status_quo"], 11))


def test_changes_from_a_baseline_with_actions_add_and_drop():
    bonus, cut, fcr = (make_scenario(**{"strategies.unicom": [a]}).actions_of("unicom")[0]
                       for a in COMBO)
    changes = changes_between([bonus, cut], [cut, fcr])
    assert [(c.sign, c.action.kind) for c in changes] == [("+", "first_contact_resolution"),
                                                          ("-", "port_in_bonus")]
    kept = coalition_actions([bonus, cut], [cut, fcr], changes, frozenset({1}))
    assert [a.kind for a in kept] == ["price_change"]  # the bonus dropped, nothing added


def test_exact_shapley_on_known_games():
    n = 3
    coalitions = [frozenset(c) for c in ([], [0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2])]
    own = np.array([1.0, 2.0, 4.0])
    additive = {s: np.array(sum(own[list(s)]) if s else 0.0) for s in coalitions}
    np.testing.assert_allclose(exact_shapley(additive, n), own)
    unanimity = {s: np.array(1.0 if len(s) == n else 0.0) for s in coalitions}
    np.testing.assert_allclose(exact_shapley(unanimity, n), [1 / 3] * 3)
    # 0 and 1 only pay together: they share it, 2 gets nothing
    pair = {s: np.array(6.0 if {0, 1} <= s else 0.0) for s in coalitions}
    np.testing.assert_allclose(exact_shapley(pair, n), [3.0, 3.0, 0.0])


def test_sampled_shapley_adds_up_and_is_exact_for_an_additive_game():
    n = EXACT_LIMIT + 2
    own = np.arange(1.0, n + 1)
    orders = permutation_orders(n, 5, seed=1)
    needed = {frozenset(o[:k]) for o in orders for k in range(n + 1)}
    additive = {s: np.array(own[list(s)].sum()) for s in needed}
    np.testing.assert_allclose(sampled_shapley(additive, n, orders), own)
    interacting = {s: np.array(len(s) ** 2 + (5.0 if {0, 3} <= s else 0.0)) for s in needed}
    values = sampled_shapley(interacting, n, orders)
    assert values.sum() == pytest.approx(n ** 2 + 5.0)


# ---------------------------------------------------------------- spelled out

def test_every_action_is_spelled_out_with_its_magnitudes_and_cost_rule():
    words = Labels("en")
    spec = make_scenario(**{"strategies.unicom": [
        {"lever": "port_in_bonus", "start": "2019-08", "end": "2020-03", "bonus": 250,
         "cost": {"per_month": 2_000_000}},
        {"lever": "targeted_poaching", "start": "mnp", "min_stars": 3, "offer_value": 150,
         "target_carriers": ["mobile"]},
        {"lever": "price_change", "start": "mnp", "percent": -20}]})
    bonus, poach, cut = (describe_action(a, words).line(words)
                         for a in spec.actions_of("unicom"))
    assert "port_in_bonus" in bonus and "2019-08 to 2020-03" in bonus
    assert "bonus 250 yuan" in bonus and "250 yuan per port-in" in bonus
    assert "2.0 M yuan per month" in bonus
    assert "min_stars 3" in poach and "target_carriers mobile" in poach
    assert "150 yuan per customer won" in poach and "targeting:" in poach
    assert "percent -20%" in cut and "from 2019-07 to the end of the run" in cut
    assert "no booked cost" in cut


def test_every_lever_has_a_cost_rule_in_words():
    assert set(LEVER_KINDS) <= set(COST_RULES), set(LEVER_KINDS) - set(COST_RULES)


# ---------------------------------------------------------------- horizons

def test_horizons_count_from_the_start_from_mnp_or_to_a_month():
    start, months, mnp = "2019-01", 48, "2019-11"
    assert resolve_horizon("24", start, months, mnp) == 24
    assert resolve_horizon("mnp+24", start, months, mnp) == 34
    assert resolve_horizon("2020-12", start, months, mnp) == 24
    assert resolve_horizon("start+6", start, months, mnp) == 6
    assert resolve_horizon(None, start, months, mnp) == 48
    c = coverage(start, 34, mnp)
    assert (c.first, c.last, c.months, c.mnp_months) == ("2019-01", "2021-10", 34, 24)
    assert coverage(start, 24, mnp).mnp_months == 14
    assert coverage(start, 6, mnp).mnp_months == 0


@pytest.mark.parametrize("text, opening, expected", [
    ("mnp-11", "2019-11", "before the scenario's first month"),
    ("2018-06", "2019-11", "before the scenario starts"),
    ("0", "2019-11", "at least one month"),
    ("mnp+60", "2019-11", "--set months=70"),
    ("49", "2019-11", "--set months=49"),
    ("mnp+3", None, "MNP never opens"),
    ("soon", "2019-11", "mnp+24"),
])
def test_bad_horizons_say_what_is_wrong(text, opening, expected):
    with pytest.raises(HorizonError) as info:
        resolve_horizon(text, "2019-01", 48, opening)
    assert expected in str(info.value) and "--horizon" in str(info.value)


# ---------------------------------------------------------------- the command

@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """The small test market (start 2019-01, MNP 2019-07, 12 months) and strategies."""
    tmp = tmp_path_factory.mktemp("report")
    data = {**BASE, "population": {"size": 2000}, "months": 12}
    (tmp / "market.yaml").write_text(yaml.safe_dump(data))
    shutil.copytree(SCENARIOS / "strategies", tmp / "strategies")
    (tmp / "strategies" / "combo.yaml").write_text(yaml.safe_dump(
        {"name": "combo", "description": "Bonus and a price cut.", "actions": COMBO[:2]}))
    many = [{"lever": "price_change", "start": f"2019-{m:02d}", "end": f"2019-{m:02d}",
             "percent": -1} for m in range(1, EXACT_LIMIT + 2)]
    (tmp / "strategies" / "many.yaml").write_text(yaml.safe_dump({"actions": many}))
    return tmp


@pytest.fixture(scope="module")
def english(workdir):
    out = workdir / "en"
    result = runner.invoke(app, [
        "compare", str(workdir / "market.yaml"), "--carrier", "unicom",
        "--strategy", "status_quo", "--strategy", "port_in_bonus", "--strategy", "combo",
        "--replicates", "3", "--horizon", "mnp+5", "--jobs", "1", "--decompose", "combo",
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_the_report_says_which_months_it_covers(english):
    out, output = english
    data = json.loads((out / "compare.json").read_text())
    assert (data["horizon_months"], data["mnp_months"]) == (11, 5)
    assert (data["first_month"], data["last_month"]) == ("2019-01", "2019-11")
    text = "covers 2019-01 to 2019-11 (11 months, 5 of them with MNP open)"
    assert text in (out / "report.html").read_text()
    assert text in data["coverage"] and "2019-01 to 2019-11" in output


def test_the_report_spells_out_strategies_and_states_the_intervals(english):
    out, _ = english
    page = (out / "report.html").read_text()
    assert "simulation noise only" in page and "parameter" in page
    assert "adds port_in_bonus, price_change" in page           # combo against status_quo
    assert "bonus 300 yuan" in page and "percent -10%" in page
    assert "Bonus and a price cut." in page                       # the strategy's description
    assert "port-outs avoided" in page and "cost per port-out avoided" in page
    assert "What each lever contributes" in page
    data = json.loads((out / "compare.json").read_text())
    spelled = data["strategies_spelled_out"]["combo"]
    assert any("port_in_bonus" in a and "300 yuan per port-in" in a for a in spelled["actions"])
    assert data["decomposition"][0]["strategy"] == "combo"


def test_the_workbook_holds_every_table(english):
    from openpyxl import load_workbook
    out, _ = english
    book = load_workbook(out / "comparison.xlsx", read_only=True)
    assert book.sheetnames == ["Summary", "Strategies", "Headline", "Decomposition", "Monthly"]
    headline = list(book["Headline"].values)
    assert headline[0][0] == "strategy" and "port-outs avoided" in headline[0]
    assert [r[0] for r in headline[1:]] == ["status_quo", "port_in_bonus", "combo"]
    table = {r[0]: dict(zip(headline[0], r, strict=True)) for r in headline[1:]}
    summary = json.loads((out / "compare.json").read_text())["strategies_table"]
    assert table["combo"]["net porting vs baseline"] == pytest.approx(
        summary[2]["diff_net_porting"])
    decomposition = list(book["Decomposition"].values)
    rows = {r[1]: r for r in decomposition[1:]}
    column = decomposition[0].index("net porting")
    assert rows["+ port_in_bonus"][column] + rows["+ price_change"][column] == pytest.approx(
        rows["total (the strategy's gain)"][column])
    strategies = [r for r in book["Strategies"].values]
    assert any(r[0] == "combo" and "bonus 300 yuan" in (r[7] or "") for r in strategies)
    monthly = list(book["Monthly"].values)
    assert len(monthly) == 1 + 3 * 11
    cells = {r[0]: r[1] for r in book["Summary"].values}
    assert "simulation noise only" in cells["What the intervals mean"]


def test_the_summary_pdf_is_one_page(english):
    need("chromium", chromium_path())
    out, _ = english
    data = (out / "summary.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1


def test_chinese_labels_carrier_names_and_fonts(workdir):
    out = workdir / "zh"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = runner.invoke(app, [
            "compare", str(workdir / "market.yaml"), "--carrier", "mobile",
            "--strategy", "status_quo", "--strategy", "price_cut", "--replicates", "2",
            "--jobs", "1", "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text()
    assert "中国移动" in page and "解读" in page and "区间只反映模拟噪声" in page
    assert 'lang="zh-CN"' in page
    from openpyxl import load_workbook
    assert list(load_workbook(out / "comparison.xlsx", read_only=True)["Headline"].values)[0][0] \
        == "策略"
    need("CJK font", cjk_font())
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing[:3]   # matplotlib drew every Chinese character
    need("chromium", chromium_path())
    pdf = (out / "summary.pdf").read_bytes()
    assert re.search(rb"WenQuanYi|NotoSansCJK|NotoSansSC|SourceHanSans", pdf)


@pytest.mark.parametrize("args, flag, expected", [
    (["--lang", "fr"], "--lang", "unknown language"),
    (["--horizon", "mnp-7"], "--horizon", "before the scenario's first month"),
    (["--horizon", "mnp+20"], "--horizon", "--set months=26"),
    (["--horizon", "13"], "--horizon", "--set months=13"),
    (["--samples", "10"], "--samples", "only used with --decompose"),
    (["--decompose", "nonesuch"], "--decompose", "not one of the compared strategies"),
    (["--decompose", "status_quo"], "--decompose", "that is the baseline"),
    (["--decompose", "many"], "--samples", "at most 8"),
    (["--decompose", "all", "--independent"], "--decompose", "drop --independent"),
])
def test_bad_new_options_exit_2_naming_the_flag(workdir, args, flag, expected):
    out = workdir / "bad"
    result = runner.invoke(app, ["compare", str(workdir / "market.yaml"), "--strategy",
                                 "status_quo", "--strategy", "many", *args, "--replicates", "2",
                                 "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert flag in result.output and expected in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_sampled_decomposition_over_many_actions_adds_up(workdir):
    cmp = compare({"status_quo": make_scenario(**{"population.size": 2000, "months": 10}),
                   "many": make_scenario(**{"population.size": 2000, "months": 10,
                                            "strategies.unicom": [
                                                {"lever": "price_change", "start": "2019-01",
                                                 "end": f"2019-{m:02d}", "percent": -1}
                                                for m in range(1, EXACT_LIMIT + 2)]})},
                  "unicom", replicates=2, base_seed=3)
    dec = decompose(cmp, ["many"], 2, 3)[0]
    assert dec.method == "sampled" and dec.samples == 2 and len(dec.changes) == EXACT_LIMIT + 1
    np.testing.assert_allclose(dec.values.sum(axis=0), dec.gain, atol=1e-6)
    assert dec.values.shape == (EXACT_LIMIT + 1, 2, len(METRICS))
