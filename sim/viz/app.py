"""The page `mnp viz` serves: one simulation per browser session, charts drawn by the browser.

Solara imports this module by name and renders `Page` once per browser tab (a
"virtual kernel"), so every visitor gets their own model, built at month 0 of the
scenario from MNP_VIZ_SCENARIO (set by `mnp viz`; else the false-loyalty demo beside
the package), in the language of MNP_VIZ_LANG (`--lang`; a button switches it). When
MNP_VIZ_JOIN is set (`--host 0.0.0.0` sets a join code), a visitor whose address lacks
`?join=<code>` gets a short note and no simulation.

Step and Play stop at the scenario's last month. Every setting acts on Reset.
"""

from __future__ import annotations

import hmac
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

import solara
import solara.lab
from solara.alias import rv

from sim import i18n
from sim.results import timeseries_of
from sim.scenario import load_scenario
from sim.style import MARKET, scenario_look
from sim.viz import charts, widgets
from sim.viz.controls import Control, TeachingModel, controls, initial_settings
from sim.viz.server import JOIN_ENV, LANG_ENV, SCENARIO_ENV

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "false_loyalty_demo.yaml"
#: Seconds a month takes while playing (at most; more if a month takes longer to draw).
PLAY_SECONDS = 0.35
#: MNP_VIZ_TIMING=1: print each Step's server-side time (model, re-render) to stderr.
TIMING = bool(os.environ.get("MNP_VIZ_TIMING"))
#: The charts, in the page's order: top row, then bottom row.
LAYOUT = ("sample", "churn", "quadrants", "switching-cost", "porting", "shares")

CSS = """
.mnp-page { height: 100vh; overflow: hidden; display: flex; flex-direction: column;
  font-family: Roboto, "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
  "PingFang SC", sans-serif; }
.mnp-top { height: 46px; flex: 0 0 auto; padding: 4px 10px; background: #1565c0 !important;
  color: white; align-items: center; flex-wrap: nowrap; }
.mnp-title { font-size: 17px; font-weight: 500; white-space: nowrap; margin-right: 12px;
  color: white !important; }
.mnp-counter { color: white !important; }
.mnp-status { font-size: 13px; font-weight: bold; padding: 2px 10px; height: 24px;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.mnp-body { flex: 1 1 0; min-height: 0; flex-wrap: nowrap; }
.mnp-side { width: 290px; min-width: 290px; height: 100%; overflow-y: auto; padding: 4px 10px;
  border-right: 1px solid #ddd; }
.mnp-grid { flex: 1 1 auto; display: grid; grid-template-columns: repeat(3, minmax(0, 1fr));
  grid-template-rows: repeat(2, minmax(0, 1fr)); gap: 4px; padding: 4px; height: 100%;
  min-width: 0; }
.mnp-cell { min-width: 0; min-height: 0; display: flex; flex-direction: column;
  border: 1px solid #eee; border-radius: 4px; }
.mnp-chart { flex: 1 1 0; min-height: 0; width: 100%; }
.mnp-choice { padding: 1px 4px 0 4px; }
.mnp-choice .v-btn { text-transform: none; letter-spacing: 0; font-size: 11px !important; }
.mnp-choice .v-btn.v-btn--active { background-color: #1565c0 !important; color: white; }
.mnp-top .v-btn { text-transform: none; letter-spacing: 0.2px; font-size: 14px; }
.mnp-control { margin-bottom: 4px; }
.mnp-control-head { display: flex; justify-content: space-between; gap: 4px; }
.mnp-control-label { font-size: 12.5px; }
.mnp-control-value { font-size: 12.5px; font-weight: bold; white-space: nowrap; }
.mnp-control-row { display: flex; align-items: center; gap: 6px; }
.mnp-control .v-slider { margin: 0; }
.mnp-control .v-input { margin-top: 0; padding-top: 0; }
.mnp-slider { flex: 1 1 auto; min-width: 140px; }
.mnp-number { width: 72px; font-size: 12.5px; text-align: right; border: 1px solid #bbb;
  border-radius: 3px; padding: 1px 3px; }
.mnp-changed { color: #e65100; font-size: 11.5px; font-weight: bold; }
.mnp-note { font-size: 11.5px; color: #555; }
.mnp-end { background: #fff3e0; color: #bf360c; border-radius: 4px; padding: 0 8px;
  margin-left: 8px; }
"""


def scenario_file() -> Path:
    """The teaching page's scenario file: from the environment, else the demo."""
    return Path(os.environ.get(SCENARIO_ENV, DEMO))


def default_lang() -> str:
    """The page's first language: from the environment if valid, else the default."""
    try:
        return i18n.check_lang(os.environ.get(LANG_ENV))
    except i18n.LanguageError:
        return i18n.DEFAULT_LANG


def join_allowed(search: str | None, code: str | None) -> bool:
    """True when no join code is set, or the address's `?join=` matches it."""
    if not code:
        return True
    given = parse_qs(search or "").get("join", [""])[0]
    return hmac.compare_digest(given.encode(), code.encode())


class Session:
    """One browser tab's simulation: the model, its series so far, and a lock.

    The lock keeps Play's thread and a click from ever stepping it at once.
    """

    def __init__(self, path: Path, settings: dict[str, float], seed: str, lang: str):
        """A session on the scenario at `path`, built with `settings`, `seed` and `lang`."""
        self.path = path
        self.lock = threading.RLock()
        self.play_lock = threading.Lock()
        self.step_seconds = 0.0
        self.build(settings, seed, lang)

    def build(self, settings: dict[str, float], seed: str, lang: str) -> None:
        """Make a new model with `settings`, `seed` and `lang`, and its series so far."""
        with self.lock:
            self.generation = getattr(self, "generation", 0) + 1
            self.model = TeachingModel(self.path, settings, seed, lang)
            self.applied = dict(settings)
            self.applied_seed = seed
            self.ts = timeseries_of(self.model)
            self.frames = charts.Frames(self.ts)

    def step(self, generation: int | None = None) -> bool:
        """Simulate the next month; False (and nothing done) when it cannot.

        That is at the end of the run, or when the model is no longer the one of
        `generation` (a Reset came first).
        """
        with self.lock:
            if self.model.finished or generation not in (None, self.generation):
                return False
            t0 = time.perf_counter()
            self.model.step()
            self.ts = timeseries_of(self.model)
            self.frames = charts.Frames(self.ts)
            self.step_seconds = time.perf_counter() - t0
            return True


@solara.component
def Page():
    """The teaching page: the join message without a valid join code, else the lesson."""
    router = solara.use_router()
    solara.Style(CSS)
    solara.Title("mnp-sim")
    if not join_allowed(router.search, os.environ.get(JOIN_ENV) or None):
        first = default_lang()
        with solara.Column(classes=["mnp-join"], style={"padding": "40px", "color": "#222"}):
            for lang in (first, *(x for x in i18n.LANGUAGES if x != first)):
                solara.Text(i18n.t("page.join_title", lang), style={"font-size": "22px"})
                solara.Text(i18n.t("page.join_text", lang), style={"margin-bottom": "16px"})
        return
    Lesson()


@solara.component
def Lesson():
    """One tab's lesson: top bar, controls and charts, with Step, Play and Reset."""
    path = scenario_file()
    base = solara.use_memo(lambda: load_scenario(path), [])
    ctrls = solara.use_memo(lambda: controls(base), [])
    # Reactive values owned by this tab, made once: unlike `use_reactive` (state of this
    # component, so a change re-renders the whole page), a change re-renders only the
    # components that read it; a step redraws the charts and the top bar, not the sliders.
    state = solara.use_memo(lambda: {
        "lang": solara.reactive(default_lang()),
        "settings": solara.reactive(initial_settings(ctrls)),
        "seed": solara.reactive(str(base.seed)),
        "tick": solara.reactive(0),        # after every step and reset: the charts redraw
        "version": solara.reactive(0),     # after every reset: the controls re-read
        "playing": solara.reactive(False)}, [])
    lang, settings, seed = state["lang"], state["settings"], state["seed"]
    tick, version, playing = state["tick"], state["version"], state["playing"]
    session = solara.use_memo(lambda: Session(path, settings.value, seed.value, lang.value), [])

    def play():
        # One loop per tab: a task started earlier (even the first render's, which may
        # start late on a busy machine) finds the lock taken, or playing off, and returns.
        if not playing.value or not session.play_lock.acquire(blocking=False):
            return
        generation = session.generation
        try:
            while playing.value and session.generation == generation:
                t0 = time.perf_counter()
                if session.step(generation):
                    tick.value += 1
                if TIMING:
                    print(f"mnp-viz play: month {session.model.month} "
                          f"thread {threading.get_ident()} at {time.perf_counter():.2f}, "
                          f"{1e3 * (time.perf_counter() - t0):.0f} ms", file=sys.stderr,
                          flush=True)
                if session.model.finished and session.generation == generation:
                    playing.value = False  # end of run: Play stops, the page says so
                    break
                time.sleep(max(0.02, PLAY_SECONDS - (time.perf_counter() - t0)))
        finally:
            session.play_lock.release()

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    def step():
        t0 = time.perf_counter()
        if not playing.value and session.step():
            t1 = time.perf_counter()
            tick.value += 1  # the charts and the top bar re-render here, in this thread
            if TIMING:
                print(f"mnp-viz timing: month {session.model.month}: model step and series "
                      f"{1e3 * (t1 - t0):.0f} ms, page re-render "
                      f"{1e3 * (time.perf_counter() - t1):.0f} ms", file=sys.stderr, flush=True)

    def reset():
        playing.value = False
        session.build(settings.value, seed.value, lang.value)
        tick.value += 1
        version.value += 1

    with solara.Column(classes=["mnp-page"], gap="0px"):
        TopBar(session, base.name, tick, playing, lang, settings, seed, version,
               on_step=step, on_reset=reset)
        with solara.Row(classes=["mnp-body"], gap="0px"):
            with solara.Column(classes=["mnp-side"], gap="0px"):
                ControlsPanel(ctrls, settings, seed, session, version, lang, base.start)
            ChartGrid(session, tick, lang)


def pending(session: Session, settings: dict[str, float], seed: str) -> bool:
    """Whether the settings or seed differ from those the session's model was built with."""
    return settings != session.applied or seed != session.applied_seed


@solara.component
def TopBar(session, name, tick, playing, lang, settings, seed, version, on_step, on_reset):
    """The top bar: title, month counter, Step, Play, Reset, language, market status."""
    _ = tick.value, version.value  # redraw after every step and reset
    code = lang.value
    model = session.model
    changed = pending(session, settings.value, seed.value)
    with solara.Row(classes=["mnp-top"], gap="6px"):
        solara.Text(i18n.t("page.title", code, name=name), classes=["mnp-title"])
        solara.Text(i18n.t("page.month_counter", code, month=model.month,
                           months=model.spec.months), classes=["mnp-counter"],
                    style={"font-size": "14px", "white-space": "nowrap", "flex": "1 1 auto"})
        solara.Button(i18n.t("page.step", code), on_click=on_step, classes=["mnp-step"],
                      disabled=playing.value or model.finished, color="white", outlined=False,
                      style={"color": "#1565c0"})
        solara.Button(i18n.t("page.pause" if playing.value else "page.play", code),
                      on_click=lambda: playing.set(not playing.value), classes=["mnp-play"],
                      disabled=model.finished, color="white", style={"color": "#1565c0"})
        solara.Button(i18n.t("page.reset_apply" if changed else "page.reset", code),
                      on_click=on_reset, classes=["mnp-reset"],
                      color="orange darken-2" if changed else "white",
                      style={} if changed else {"color": "#1565c0"})
        solara.Button(i18n.t("page.language", code), classes=["mnp-lang"], text=True,
                      on_click=lambda: lang.set("en" if code == "zh" else "zh"),
                      style={"color": "white"})
    with solara.Row(gap="0px", style={"align-items": "center"}):
        solara.Text(charts.market_status(model, session.ts, code), classes=["mnp-status"])
        if model.finished:
            solara.Text(i18n.t("page.end_of_run", code, month=model.month,
                               months=model.spec.months, label=model.month_label),
                        classes=["mnp-status", "mnp-end"])
        elif model.month == 0:
            solara.Text(i18n.t("page.waiting", code), classes=["mnp-note"],
                        style={"margin-left": "8px"})


@solara.component
def ControlsPanel(ctrls: list[Control], settings, seed, session, version, lang, start):
    """The controls: a slider per control, the seed field, and the settings in use."""
    _ = version.value  # re-read what applies after a reset
    code = lang.value
    solara.Text(i18n.t("page.controls", code), style={"font-weight": "bold",
                                                       "font-size": "14px"})
    solara.Text(i18n.t("page.applies_on_reset", code), classes=["mnp-note"])
    # Every element is always there, in the same place (a message is emptied, not
    # removed): a slider's widget must survive a change, or it loses the keyboard focus.
    waiting = pending(session, settings.value, seed.value)
    look = scenario_look(session.model.spec)
    solara.Text(i18n.t("page.pending", code) if waiting else "",
                classes=["mnp-changed", "mnp-pending" if waiting else "mnp-applied"])
    with solara.Column(gap="0px"):
        for ctrl in ctrls:
            value = settings.value.get(ctrl.name, ctrl.value)

            def set_value(v, name=ctrl.name, c=ctrl):
                if v is None:
                    return
                settings.value = {**settings.value, name: c.clamp(v)}

            SliderField(ctrl, value, set_value, code, start,
                        value != session.applied.get(ctrl.name, ctrl.value),
                        look).key(ctrl.name)
    with solara.Column(classes=["mnp-control", "mnp-control-seed"], gap="0px"):
        solara.InputText(i18n.t("page.seed", code), value=seed, continuous_update=False)
        solara.Text(i18n.t("page.changed_one", code) if seed.value != session.applied_seed
                    else "", classes=["mnp-changed"])
    if session.model.seed_problem:
        solara.Warning(session.model.seed_problem, dense=True)
    solara.Text(charts.settings_in_use(session.model, code), classes=["mnp-note"],
                style={"margin-top": "6px"})


def SliderField(ctrl: Control, value, on_value, lang, start, changed: bool, look=None):
    """A labelled slider that shows its value, with a number field beside it (one widget)."""
    return widgets.SliderField.element(
        label=ctrl.label_text(lang, look), value_text=ctrl.value_text(value, lang, start),
        value=float(value), min=float(ctrl.min), max=float(ctrl.max), step=float(ctrl.step),
        changed=changed, changed_text=i18n.t("page.changed_one", lang),
        css_class="mnp-control-" + ctrl.name.replace(".", "-").replace("_", "-"),
        on_value=on_value)


@solara.component
def ChartGrid(session, tick, lang):
    """Every chart of LAYOUT, in a grid."""
    with solara.Div(classes=["mnp-grid"]):
        for name in LAYOUT:
            ChartCell(name, session, tick, lang)


@solara.component
def ChartCell(name: str, session, tick, lang):
    """One chart; redrawn when the month, the language or its carrier choice changes."""
    _ = tick.value  # redraw after every step and reset
    month = session.model.month
    code = lang.value
    choice, set_choice = solara.use_state(MARKET)
    per_carrier = name in ("quadrants", "switching-cost")

    def build():
        with session.lock:
            if name == "sample":
                return charts.sample_option(session.model, code)
            return charts.chart_option(name, session.frames, session.model, code, choice)

    option = solara.use_memo(build, [tick.value, code, choice])
    with solara.Column(classes=["mnp-cell", f"mnp-{name}"], gap="0px"):
        if per_carrier:
            keys = [MARKET, *session.model.carrier_keys]
            with rv.BtnToggle(v_model=keys.index(choice) if choice in keys else 0,
                              on_v_model=lambda i: set_choice(keys[i]) if i is not None
                              else None, mandatory=True, dense=True,
                              class_="mnp-choice"):
                for key in keys:
                    rv.Btn(x_small=True, children=[session.frames.label(key, code)])
        solara.FigureEcharts(option=option, responsive=True,
                             attributes={"class": "mnp-chart", "data-month": str(month),
                                         "data-lang": code})
