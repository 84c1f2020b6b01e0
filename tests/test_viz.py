"""The teaching page without a browser: controls map onto the scenario, the model stops
at the scenario's end, the charts' series and words (English and Chinese), the join
code, and `mnp viz` refusing bad input and warning when reachable from the network."""

from __future__ import annotations

import socket

import numpy as np
import pytest
from typer.testing import CliRunner

from sim import plots
from sim.cli import app
from sim.results import timeseries_of
from sim.runner import run
from sim.scenario import load_scenario
from sim.style import MARKET, SWITCHING_COST_PARTS
from sim.viz import charts, server
from sim.viz.app import join_allowed
from sim.viz.controls import TeachingModel, controls, initial_settings, parse_seed

from .conftest import SCENARIOS

DEMO = SCENARIOS / "false_loyalty_demo.yaml"
runner = CliRunner()


def _model(**changes) -> TeachingModel:
    settings = {**initial_settings(controls(DEMO)), "population": 2000, **changes}
    return TeachingModel(DEMO, settings)


@pytest.fixture(scope="module")
def ran():
    """A demo model 15 months in (MNP opened in month 13) and its series."""
    model = _model()
    for _ in range(15):
        model.step()
    return model, timeseries_of(model)


def test_controls_start_at_the_scenarios_values():
    model = _model()
    assert model.spec.policy.mnp_start == "2020-01"
    assert model.spec.policy.number_loss_cost == 3000
    assert model.spec.carriers["mobile"].price == 55 and model.seed_used == 7
    assert model.month == 0 and not model.finished


def test_sliders_change_the_scenario():
    model = TeachingModel(DEMO, {"mnp_opens": 0, "number_loss_cost": 0.0,
                                 "contract_lock_in": 2.0, "mobile.price": 30.0,
                                 "telecom.service": 0.1, "population": 2000}, seed="12")
    spec = model.spec
    assert spec.policy.mnp_start is None and spec.policy.number_loss_cost == 0
    assert spec.carriers["mobile"].price == 30 and spec.carriers["telecom"].service_quality == 0.1
    assert spec.carriers["mobile"].contract_penalty == 20 and model.seed_used == 12
    assert _model(mnp_opens=3).spec.policy.mnp_start == "2019-03"


def test_a_control_per_carrier_of_the_scenario():
    six = SCENARIOS / "examples" / "six_carriers.yaml"
    spec = load_scenario(six)
    names = [c.name for c in controls(six)]
    assert [n for n in names if n.endswith(".price")] == [f"{k}.price" for k in spec.carriers]
    model = TeachingModel(six, {**initial_settings(controls(six)), "population": 2000})
    for _ in range(2):
        model.step()
    frames = charts.Frames(timeseries_of(model))
    assert frames.keys == list(spec.carriers)
    shares = charts.shares_option(frames, spec.start, spec.months, None, "zh")
    assert [s["name"] for s in shares["series"]][-1] == "Zeta (new)"  # the scenario's label
    colours = [s["itemStyle"]["color"] for s in shares["series"]]
    assert len(set(colours)) == 6 and "#444444" in colours  # the scenario's colour
    sample = charts.sample_option(model, "zh")
    assert sample["legend"]["data"][:6] == [s["name"] for s in shares["series"]]
    broadnet = next(c for c in controls(SCENARIOS / "china_broadnet_2022.yaml")
                    if c.name == "broadnet.price")
    assert broadnet.label_text("zh") == "中国广电 月资费"
    assert broadnet.label_text("en") == "China Broadnet price"


def test_controls_snap_to_their_range_and_say_their_value():
    by_name = {c.name: c for c in controls(DEMO)}
    loss, mnp = by_name["number_loss_cost"], by_name["mnp_opens"]
    assert loss.clamp(310) == 300 and loss.clamp(-5) == 0 and loss.clamp(1e9) == loss.max
    assert mnp.clamp(2.4) == 2 and isinstance(mnp.clamp(2.4), int)
    assert loss.value_text(3000, "en") == "3000 yuan" and loss.value_text(3000, "zh") == "3000 元"
    assert mnp.value_text(13, "en", "2019-01") == "month 13 (2020-01)"
    assert mnp.value_text(0, "zh", "2019-01") == "不开放"
    # ranges that suit the lesson: its slider experiments are on the tracks
    assert loss.min <= 300 <= loss.max and loss.clamp(300) == 300
    assert by_name["porting_hassle"].clamp(1000) == 1000
    assert by_name["mobile.service"].clamp(0.75) == 0.75


def test_bad_seed_falls_back_with_a_message():
    assert parse_seed(" 42 ", 7) == (42, None)
    seed, problem = parse_seed("abc", 7)
    assert seed == 7 and "abc" in problem
    assert parse_seed("-1", 7)[0] == 7
    assert "随机种子" in parse_seed("x", 7, "zh")[1]


def test_step_stops_at_the_last_month_and_status_says_so():
    model = _model()
    model.spec = model.spec.model_copy(update={"months": 3})
    while model.running:
        model.step()
    assert model.month == 3 and model.finished
    model.step()  # past the end: nothing happens
    assert model.month == 3
    ts = timeseries_of(model)
    assert ts["month"].nunique() == 3
    status = charts.market_status(model, ts)
    assert status.startswith("Month 3 of 3 (2019-03)") and "MNP opens 2020-01" in status
    assert charts.market_status(model, ts, "zh").startswith("第 3/3 月（2019-03）")


def test_two_models_do_not_share_state():
    a, b = _model(), _model()
    a.step()
    assert a.month == 1 and b.month == 0 and b.snapshots == []


def test_sample_grid_groups_subscribers_by_starting_carrier():
    start = np.array([2, 0, 1, 0, 2], dtype=np.int8)
    order = charts.sample_layout(start)
    assert start[order].tolist() == [0, 0, 1, 2, 2]


def test_chart_series_are_the_saved_plots_series(ran):
    model, ts = ran
    frames = charts.Frames(ts)
    churn = charts.churn_option(frames, model.spec.start, 36, "2020-01")
    market = next(s for s in churn["series"] if s["name"] == "Whole market")
    expected = plots.churn_percent(plots._of(ts, MARKET)).to_numpy()
    assert np.allclose(market["data"], expected, rtol=1e-3)
    assert len(market["data"]) == 15 and len(churn["xAxis"]["data"]) == 36
    # MNP marked where it opens
    assert churn["series"][0]["markLine"]["data"] == [{"xAxis": "2020-01"}]
    _, millions = plots.quadrants_of(ts, MARKET)
    mine = charts.quadrant_series(frames, MARKET)
    for q in millions:
        assert np.allclose(mine[q], millions[q], rtol=1e-9)
    rows = ts[ts["carrier"] == "mobile"]
    cost = charts.switching_cost_series(frames, "mobile")
    for p in SWITCHING_COST_PARTS:
        assert np.allclose(cost[p], rows[p].to_numpy())
    shares = charts.shares_option(frames, "2019-01", 36, "2020-01")
    total = np.sum([s["data"] for s in shares["series"]], axis=0)
    assert np.allclose(total, 100, atol=0.05)


def test_chart_words_in_chinese(ran):
    model, ts = ran
    frames = charts.Frames(ts)
    for name in charts.CHARTS:
        option = charts.chart_option(name, frames, model, "zh", "mobile")
        text = option["title"]["text"] + option["yAxis"]["name"] + " ".join(
            s["name"] for s in option["series"])
        assert not any(w in text for w in ("China", "Monthly", "market", "subscribers")), text
        assert option["xAxis"]["name"] == "月份"
    churn = charts.churn_option(frames, "2019-01", 36, "2020-01", "zh")
    assert [s["name"] for s in churn["series"]] == ["中国移动", "中国联通", "中国电信", "全市场"]
    assert churn["series"][0]["markLine"]["label"]["formatter"] == "携号转网开放"
    sample = charts.sample_option(model, "zh")
    assert "中国移动" in sample["legend"]["data"] and "人质（虚假忠诚）" in sample["legend"]["data"]


def test_charts_before_the_first_month_are_empty_not_broken():
    model = _model()
    frames = charts.Frames(timeseries_of(model))
    for name in charts.CHARTS:
        option = charts.chart_option(name, frames, model, "en")
        assert all(len(s["data"]) == 0 for s in option["series"]), name
    sample = charts.sample_option(model)
    assert sum(len(s["data"]) for s in sample["series"][:3]) == 300


def test_join_code():
    assert join_allowed(None, None) and join_allowed("x=1", None)
    assert join_allowed("join=abc123", "abc123")
    assert not join_allowed(None, "abc123") and not join_allowed("join=abc12", "abc123")
    assert server.join_code_for("127.0.0.1", "auto") is None
    code = server.join_code_for("0.0.0.0", "auto")
    assert code and server.JOIN_CODE_PATTERN.fullmatch(code)
    assert server.join_code_for("0.0.0.0", "off") is None
    assert server.join_code_for("0.0.0.0", "room-12") == "room-12"
    with pytest.raises(ValueError, match="--join-code"):
        server.join_code_for("0.0.0.0", "a b")


def test_server_env_carries_the_language_and_code():
    env = server.server_env(DEMO, "zh", "room-12")
    assert env[server.LANG_ENV] == "zh" and env[server.JOIN_ENV] == "room-12"
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert server.JOIN_ENV not in server.server_env(DEMO, "en", None)


def test_viz_unknown_scenario_exits_2(tmp_path):
    res = runner.invoke(app, ["viz", str(tmp_path / "nope.yaml")])
    assert res.exit_code == 2 and "nope.yaml" in res.output and "Traceback" not in res.output


def test_viz_unknown_language_exits_2():
    res = runner.invoke(app, ["viz", str(DEMO), "--lang", "fr"])
    assert res.exit_code == 2 and "--lang" in res.output and "'fr'" in res.output
    assert "en, zh" in res.output and "Traceback" not in res.output


def test_viz_bad_join_code_exits_2():
    res = runner.invoke(app, ["viz", str(DEMO), "--join-code", "no spaces"])
    assert res.exit_code == 2 and "--join-code" in res.output


def test_viz_port_in_use_exits_2():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = runner.invoke(app, ["viz", str(DEMO), "--port", str(port)])
    assert res.exit_code == 2 and "--port" in res.output and str(port) in res.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_viz_on_the_network_warns_and_gives_the_students_address(monkeypatch):
    served = {}
    monkeypatch.setattr(server, "serve", lambda *a: served.setdefault("args", a))
    monkeypatch.setattr(server, "network_addresses", lambda: ["192.168.1.20"])
    port = _free_port()
    res = runner.invoke(app, ["viz", str(DEMO), "--host", "0.0.0.0", "--port", str(port),
                              "--lang", "zh"])
    assert res.exit_code == 0, res.output
    code = served["args"][-1]
    assert code and "reachable from the network" in res.output
    assert f"http://192.168.1.20:{port}/?join={code}" in res.output
    assert served["args"][4] == "zh"


def test_viz_on_loopback_asks_no_code(monkeypatch):
    served = {}
    monkeypatch.setattr(server, "serve", lambda *a: served.setdefault("args", a))
    res = runner.invoke(app, ["viz", str(DEMO), "--port", str(_free_port())])
    assert res.exit_code == 0 and served["args"][-1] is None
    assert "reachable from the network" not in res.output


def test_every_shipped_scenario_opens_on_the_page():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        ctrls = controls(path)
        for c in ctrls:  # every slider starts inside its range
            assert c.min <= c.value <= c.max, (path.name, c.name)
        settings = {**initial_settings(ctrls), "population": 2000}
        model = TeachingModel(path, settings)
        model.step()
        assert model.month == 1, path.name


def test_settings_leave_the_scenario_as_it_is():
    """The page's defaults build the same model as `mnp run`: the first month matches."""
    spec = load_scenario(DEMO, ["population.size=2000", "months=1"])
    ts_run = run(spec, seed=7).timeseries
    model = TeachingModel(DEMO, {**initial_settings(controls(DEMO)), "population": 2000})
    model.step()
    ts_page = timeseries_of(model)
    assert ts_page["port_out"].tolist() == ts_run["port_out"].tolist()
    assert ts_page["subscribers"].tolist() == ts_run["subscribers"].tolist()


def test_session_ignores_a_step_meant_for_the_model_before_a_reset():
    from sim.viz.app import Session

    settings = {**initial_settings(controls(DEMO)), "population": 2000}
    session = Session(DEMO, settings, "7", "en")
    before = session.generation
    assert session.step(before) and session.model.month == 1
    session.build(settings, "7", "en")  # Reset
    assert not session.step(before) and session.model.month == 0
    assert session.step(session.generation) and session.model.month == 1


# ---------------------------------------------------------------- sim.i18n

def test_messages_fall_back_to_english_then_to_the_key(monkeypatch):
    from sim import i18n

    assert i18n.t("axis.month", "zh") == "月份" and i18n.t("axis.month") == "month"
    assert i18n.t("no.such.key", "zh") == "no.such.key"
    monkeypatch.setitem(i18n.MESSAGES, "test.only_en", {"en": "only {n}"})
    assert i18n.t("test.only_en", "zh", n=3) == "only 3"
    assert i18n.t("cli.bad_lang", "en", lang="fr", choices="en, zh").startswith("--lang")


def test_every_message_has_both_languages_and_the_same_fields():
    import string

    from sim import i18n

    for key, entry in i18n.MESSAGES.items():
        assert set(entry) == set(i18n.LANGUAGES), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f}
                  for lang in i18n.LANGUAGES]
        assert fields[0] == fields[1], key


def test_carrier_and_quadrant_names():
    from sim import i18n

    assert [i18n.carrier_label(k, "zh") for k in ("mobile", "unicom", "telecom", "broadnet")] \
        == ["中国移动", "中国联通", "中国电信", "中国广电"]
    assert i18n.carrier_label("mobile") == "China Mobile"
    assert i18n.carrier_label("broadnet") == "China Broadnet"
    assert i18n.carrier_label(MARKET, "zh") == "全市场"
    assert i18n.carrier_label("acme", "zh") == "acme"  # unknown: the key
    assert i18n.quadrant_label("hostage", "zh") == "人质（虚假忠诚）"
    assert i18n.cost_part_label("sc_number_loss") == "number loss"
    assert i18n.cost_part_label("sc_new_part", "zh") == "new part"


def test_language_codes():
    from sim import i18n

    assert i18n.check_lang("zh-CN") == "zh" and i18n.check_lang(None) == "en"
    with pytest.raises(i18n.LanguageError, match="en, zh"):
        i18n.check_lang("fr")


def test_a_missing_cjk_font_says_to_run_make_fonts(monkeypatch):
    from sim import i18n

    monkeypatch.setattr(i18n, "cjk_font", lambda: None)
    monkeypatch.setattr(i18n, "_registered", {})
    with pytest.raises(i18n.FontMissing, match="make fonts"):
        i18n.use_cjk_font()
    assert i18n.font_rc("en") == {}  # English needs no CJK font
