"""The teaching page's charts as ECharts options: drawn by the browser, not the server.

A step sends each chart's few kilobytes of numbers and the browser redraws it, instead
of the server rendering and sending six matplotlib PNGs (about 1.5 s a month on two
cores). The series are the saved PNGs' series, computed by the same `sim.plots`
functions (`churn_percent`, `quadrants_of`, `starting_subscribers`); the colours are
`sim.style`'s and every word comes from `sim.i18n`, so `lang="zh"` gives Chinese charts.

Each `*_option` function is pure (series in, a JSON-able dict out), so it is tested
without a browser. Carriers are the ones in the series (`carrier` column), in order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim import i18n, plots
from sim.behaviour.loyalty import QUADRANTS
from sim.params import month_index, month_label
from sim.style import MARKET, QUADRANT_COLOURS, SWITCHING_COST_PARTS, look_of, scenario_look
from sim.style import carrier_colour as style_colour

#: The sample view: columns of subscribers.
GRID_COLUMNS = 20
FONT = 11


def carriers_in(ts: pd.DataFrame) -> list[str]:
    """The carriers in a time series, in the order they appear."""
    return list(dict.fromkeys(ts["carrier"])) if len(ts) else []


class Frames:
    """A run's series so far as numpy columns per carrier and for the whole market.

    Built once per month, so six charts do not each filter and sum the DataFrame again.
    `sim.plots`' series functions take these dicts as they take DataFrame rows.
    """

    def __init__(self, ts: pd.DataFrame):
        """Columns per carrier and summed for the market, from a run's series `ts`."""
        self.look = look_of(ts)  # the carriers' labels and colours (sim.style)
        self.keys = carriers_in(ts)
        numeric = [c for c in ts.columns if c not in ("month", "carrier")]
        self.rows: dict[str, dict[str, np.ndarray]] = {}
        for key in self.keys:
            mine = ts[ts["carrier"] == key]
            cols = {c: mine[c].to_numpy(dtype=float) for c in numeric}
            cols["month"] = mine["month"].to_numpy()
            self.rows[key] = cols
        self.months = self.rows[self.keys[0]]["month"].tolist() if self.keys else []
        self.market = {c: sum(self.rows[k][c] for k in self.keys) for c in numeric} \
            if self.keys else {}

    @property
    def empty(self) -> bool:
        """Whether there is no month yet."""
        return not self.months

    def colour(self, key: str) -> str:
        """The colour of carrier `key`."""
        return style_colour(key, self.look)

    def label(self, key: str, lang: str) -> str:
        """The display name of carrier `key` in `lang`."""
        return i18n.carrier_label(key, lang, self.look)

    def of(self, key: str) -> dict[str, np.ndarray]:
        """One carrier's columns, or the market's (summed over carriers) for MARKET."""
        return self.market if key == MARKET else self.rows[key]


def as_frames(series: pd.DataFrame | Frames) -> Frames:
    """`series` as Frames (built once where it is a DataFrame)."""
    return series if isinstance(series, Frames) else Frames(series)


def run_months(start: str, months: int) -> list[str]:
    """Every month of the run ("2019-01", ...).

    The x axis spans the run, so a chart fills in from left to right.
    """
    return [month_label(start, i) for i in range(months)]


def _round(values, digits: int = 4) -> list[float | None]:
    """Numbers for JSON: 4 significant digits, NaN as a gap."""
    out = []
    for v in np.asarray(values, dtype=float):
        out.append(None if not np.isfinite(v) else float(f"{v:.{digits}g}"))
    return out


def _base(title: str, months: list[str], ylabel: str, lang: str, *, legend: list[str],
          mnp: str | None, legend_top: int = 20) -> dict:
    option = {
        "animation": False,  # a step redraws at once, and spares a weak laptop's CPU
        "title": {"text": title, "left": "center", "top": 0,
                  "textStyle": {"fontSize": FONT + 1, "fontWeight": "bold"}},
        "tooltip": {"trigger": "axis", "confine": True, "textStyle": {"fontSize": FONT}},
        "legend": {"data": legend, "top": legend_top, "textStyle": {"fontSize": FONT - 1},
                   "itemWidth": 14, "itemHeight": 8, "itemGap": 6},
        "grid": {"left": 52, "right": 14, "top": legend_top + 24 + 14 * (len(legend) > 4),
                 "bottom": 40},
        "xAxis": {"type": "category", "data": months, "boundaryGap": False,
                  "name": i18n.t("axis.month", lang), "nameLocation": "middle", "nameGap": 24,
                  "nameTextStyle": {"fontSize": FONT - 1},
                  "axisLabel": {"fontSize": FONT - 2, "interval": 5}},
        "yAxis": {"type": "value", "name": ylabel, "nameLocation": "middle", "nameGap": 38,
                  "nameTextStyle": {"fontSize": FONT - 1}, "axisLabel": {"fontSize": FONT - 2},
                  "scale": False},
        "series": [],
    }
    option["_mnp"] = mnp if mnp in months else None
    return option


def _mark_mnp(option: dict, lang: str) -> dict:
    """A dashed line where number portability opens, on the first series."""
    mnp = option.pop("_mnp", None)
    if mnp and option["series"]:
        option["series"][0]["markLine"] = {
            "silent": True, "symbol": "none",
            "lineStyle": {"color": "grey", "type": "dashed", "width": 1},
            "label": {"formatter": i18n.t("legend.mnp_opens", lang), "position": "insideEndTop",
                      "fontSize": FONT - 2, "color": "grey"},
            "data": [{"xAxis": mnp}]}
    return option


def _line(name: str, data, colour: str, width: float = 1.6, dash: str = "solid",
          show_in_legend: bool = True) -> dict:
    values = _round(data)
    return {"type": "line", "name": name, "data": values,
            "showSymbol": len(values) == 1, "symbolSize": 4,  # one month: a dot, not nothing
            "lineStyle": {"color": colour, "width": width, "type": dash},
            "itemStyle": {"color": colour}, "emphasis": {"disabled": True},
            **({} if show_in_legend else {"legendHoverLink": False})}


def shares_option(series: pd.DataFrame | Frames, start: str, months: int, mnp: str | None,
                  lang: str = "en") -> dict:
    """Market share (%) per carrier."""
    fr = as_frames(series)
    names = [fr.label(k, lang) for k in fr.keys]
    option = _base(i18n.t("title.shares", lang), run_months(start, months),
                   i18n.t("axis.share", lang), lang, legend=names, mnp=mnp)
    for key, name in zip(fr.keys, names, strict=True):
        share = 100 * fr.of(key)["subscribers"] / fr.market["subscribers"]
        option["series"].append(_line(name, share, fr.colour(key), 2))
    return _mark_mnp(option, lang)


def porting_option(series: pd.DataFrame | Frames, start: str, months: int, mnp: str | None,
                   lang: str = "en") -> dict:
    """Monthly port-ins, port-outs and net porting, millions a month, per carrier.

    Port-ins thin, above 0; port-outs dotted, below 0; net porting bold.
    """
    fr = as_frames(series)
    nets = [i18n.t("legend.net", lang, carrier=fr.label(k, lang)) for k in fr.keys]
    option = _base(i18n.t("title.porting", lang), run_months(start, months),
                   i18n.t("axis.flow_m", lang), lang, legend=nets, mnp=mnp)
    option["title"]["subtext"] = (f"— {i18n.t('legend.port_ins', lang)}   ┈ "
                                  f"{i18n.t('legend.port_outs', lang)}")
    option["title"]["subtextStyle"] = {"fontSize": FONT - 2}
    option["title"]["itemGap"] = 2
    option["legend"]["top"] = 34
    option["grid"]["top"] = 62 + 14 * (len(fr.keys) > 2)
    for key, net in zip(fr.keys, nets, strict=True):
        rows, colour = fr.of(key), fr.colour(key)
        label = fr.label(key, lang)
        option["series"].append(_line(net, rows["net_porting"] / 1e6, colour, 2.4))
        option["series"].append(_line(f"{label}: {i18n.t('legend.port_ins', lang)}",
                                      rows["port_in"] / 1e6, colour, 1))
        option["series"].append(_line(f"{label}: {i18n.t('legend.port_outs', lang)}",
                                      -rows["port_out"] / 1e6, colour, 1, "dotted"))
    return _mark_mnp(option, lang)


def churn_option(series: pd.DataFrame | Frames, start: str, months: int, mnp: str | None,
                 lang: str = "en") -> dict:
    """Monthly churn (% of subscribers) per carrier and for the whole market (bold)."""
    fr = as_frames(series)
    keys = [*fr.keys, MARKET] if not fr.empty else []
    names = [fr.label(k, lang) for k in keys]
    option = _base(i18n.t("title.churn", lang), run_months(start, months),
                   i18n.t("axis.churn", lang), lang, legend=names, mnp=mnp)
    for key, name in zip(keys, names, strict=True):
        colour = fr.colour(key)
        option["series"].append(_line(name, plots.churn_percent(fr.of(key)), colour,
                                      2.6 if key == MARKET else 1.4))
    option["yAxis"]["min"] = 0
    return _mark_mnp(option, lang)


def quadrant_series(series: pd.DataFrame | Frames, key: str) -> dict[str, np.ndarray]:
    """Subscribers (millions) in each loyalty quadrant per month, for a carrier or MARKET."""
    fr = as_frames(series)
    if fr.empty:
        return {q: np.zeros(0) for q in QUADRANTS}
    per = [plots.quadrant_millions(fr.of(k)) for k in (fr.keys if key == MARKET else [key])]
    return {q: sum(np.asarray(p[q], dtype=float) for p in per) for q in QUADRANTS}


def _stack(name: str, data, colour: str) -> dict:
    values = _round(data)
    return {"type": "line", "name": name, "data": values, "stack": "all",
            "showSymbol": len(values) == 1, "symbolSize": 6,
            "areaStyle": {"color": colour, "opacity": 0.9},
            "lineStyle": {"width": 0}, "itemStyle": {"color": colour},
            "emphasis": {"disabled": True}}


def quadrants_option(series: pd.DataFrame | Frames, key: str, start: str, months: int,
                     mnp: str | None, lang: str = "en") -> dict:
    """Subscribers (millions) in each loyalty quadrant, stacked."""
    names = [i18n.quadrant_label(q, lang) for q in QUADRANTS]
    option = _base(i18n.t("title.quadrants", lang, carrier=as_frames(series).label(key, lang)),
                   run_months(start, months), i18n.t("axis.quadrant_m", lang), lang,
                   legend=names, mnp=mnp)
    millions = quadrant_series(series, key).values()
    for q, name, values in zip(QUADRANTS, names, millions, strict=True):
        option["series"].append(_stack(name, values, QUADRANT_COLOURS[q]))
    return _mark_mnp(option, lang)


def switching_cost_series(series: pd.DataFrame | Frames, key: str) -> dict[str, np.ndarray]:
    """Mean switching cost per subscriber (yuan) by part, per month, for a carrier or the market.

    The market's mean weights carriers by their subscribers, as `sim.plots`.
    """
    fr = as_frames(series)
    if fr.empty:
        return {p: np.zeros(0) for p in SWITCHING_COST_PARTS}
    if key != MARKET:
        return {p: fr.of(key)[p] for p in SWITCHING_COST_PARTS}
    weights = [fr.of(k)["subscribers"] for k in fr.keys]
    return {p: sum(fr.of(k)[p] * w for k, w in zip(fr.keys, weights, strict=True)) / sum(weights)
            for p in SWITCHING_COST_PARTS}


def switching_cost_option(series: pd.DataFrame | Frames, key: str, start: str, months: int,
                          mnp: str | None, lang: str = "en") -> dict:
    """Mean switching cost (yuan, one-off) by part, stacked."""
    names = [i18n.cost_part_label(p, lang) for p in SWITCHING_COST_PARTS]
    option = _base(i18n.t("title.cost", lang, carrier=as_frames(series).label(key, lang)),
                   run_months(start, months), i18n.t("axis.cost", lang), lang,
                   legend=names, mnp=mnp)
    values_of = switching_cost_series(series, key).values()
    for colour, name, values in zip(SWITCHING_COST_PARTS.values(), names, values_of,
                                    strict=True):
        option["series"].append(_stack(name, values, colour))
    return _mark_mnp(option, lang)


def sample_layout(initial_carrier: np.ndarray) -> np.ndarray:
    """Grid position of each sampled subscriber: grouped by the carrier they started with.

    So a block changing colour shows who left whom.
    """
    return np.argsort(initial_carrier, kind="stable")


def sample_state(model) -> dict:
    """The sampled subscribers in grid order, with the month's label.

    Carrier key now, hostage, moved this month, and the month's label ("" before month 1).
    """
    order = sample_layout(model.initial_carrier)
    keys = model.carrier_keys
    if model.snapshots:
        last = model.snapshots[-1]
        return {"carrier": np.asarray(last["carrier"])[order],
                "hostage": (np.asarray(last["quadrant"]) == "hostage")[order],
                "moved": np.asarray(last["moved"], dtype=bool)[order],
                "month": str(last["month"][0])}
    return {"carrier": np.array(keys)[model.subs.carrier[model.snapshot_rows]][order],
            "hostage": np.zeros(order.size, dtype=bool), "moved": np.zeros(order.size, bool),
            "month": ""}


def sample_option(model, lang: str = "en") -> dict:
    """A few hundred subscribers as a grid.

    Colour = carrier now, black ring = hostage this month, white centre = moved carrier
    this month.
    """
    state = sample_state(model)
    keys = model.carrier_keys
    n = state["carrier"].size
    x, y = np.arange(n) % GRID_COLUMNS, -(np.arange(n) // GRID_COLUMNS)
    label = state["month"] or i18n.t("page.sample_start", lang, start=model.spec.start)
    look = scenario_look(model.spec)
    names = [i18n.carrier_label(k, lang, look) for k in keys]
    hostage, moved = i18n.t("page.sample_hostage", lang), i18n.t("page.sample_moved", lang)
    series = []
    for key, name in zip(keys, names, strict=True):
        mine = state["carrier"] == key
        series.append({"type": "scatter", "name": name, "symbolSize": 10,
                       "itemStyle": {"color": style_colour(key, look)},
                       "data": [[int(a), int(b)] for a, b in zip(x[mine], y[mine], strict=True)]})
    series.append({"type": "scatter", "name": hostage, "symbolSize": 15, "z": 3,
                   "itemStyle": {"color": "rgba(0,0,0,0)", "borderColor": "#000",
                                 "borderWidth": 1.6},
                   "data": [[int(a), int(b)] for a, b in zip(x[state["hostage"]],
                                                              y[state["hostage"]], strict=True)]})
    series.append({"type": "scatter", "name": moved, "symbolSize": 4, "z": 4,
                   "itemStyle": {"color": "#fff", "borderColor": "#888", "borderWidth": 0.5},
                   "data": [[int(a), int(b)] for a, b in zip(x[state["moved"]],
                                                              y[state["moved"]], strict=True)]})
    rows = int(np.ceil(n / GRID_COLUMNS))
    return {
        "animation": False,
        "title": {"text": i18n.t("page.sample_title", lang, n=n, label=label), "left": "center",
                  "top": 0, "textStyle": {"fontSize": FONT + 1, "fontWeight": "bold"}},
        "legend": {"data": [*names, hostage, moved], "top": 20,
                   "textStyle": {"fontSize": FONT - 1}, "itemWidth": 10, "itemHeight": 10,
                   "itemGap": 6, "selectedMode": False},
        "grid": {"left": 8, "right": 8, "top": 62, "bottom": 4},
        "xAxis": {"type": "value", "show": False, "min": -0.7, "max": GRID_COLUMNS - 0.3},
        "yAxis": {"type": "value", "show": False, "min": -(rows - 1) - 0.7, "max": 0.7},
        "series": series,
    }


def market_status(model, ts: pd.DataFrame, lang: str = "en") -> str:
    """One line a teacher can read aloud: month, churn, hostage share, MNP state."""
    spec = model.spec
    mnp = spec.policy.first_opening
    if ts.empty:
        month = i18n.t("page.status_start", lang, months=spec.months, start=spec.start)
    else:
        last = ts[ts["month"] == ts["month"].iloc[-1]]
        market = last.sum(numeric_only=True)
        start = plots.starting_subscribers(last)
        churn = 100 * (market["port_out"] + market["switch_out_new_number"]) / start.sum()
        hostages = 100 * (last["hostage"] * start).sum() / start.sum()
        month = i18n.t("page.status_month", lang, month=model.month, months=spec.months,
                       label=last["month"].iloc[0], churn=churn, hostages=hostages)
    if mnp is None:
        state = i18n.t("page.mnp_never", lang)
    elif model.month > month_index(mnp, spec.start):
        state = i18n.t("page.mnp_open_since", lang, mnp=mnp)
    else:
        state = i18n.t("page.mnp_opens", lang, mnp=mnp)
    tail = i18n.t("page.status_tail", lang, seed=model.seed_used, size=spec.population.size)
    return f"{month} · {state} · {tail}"


def settings_in_use(model, lang: str = "en") -> str:
    """The values the running model was built with."""
    spec = model.spec
    look = scenario_look(spec)
    prices = ", ".join(f"{i18n.carrier_label(k, lang, look)} {c.price:g}"
                       for k, c in spec.carriers.items())
    service = ", ".join(f"{i18n.carrier_label(k, lang, look)} {c.service_quality:g}"
                        for k, c in spec.carriers.items())
    return i18n.t("page.in_use", lang, loss=spec.policy.number_loss_cost,
                  hassle=spec.policy.porting_hassle, lock=model.contract_lock_in,
                  prices=prices, service=service)


#: The page's charts by name: (option builder, takes a carrier choice).
CHARTS = {
    "shares": (shares_option, False),
    "porting": (porting_option, False),
    "churn": (churn_option, False),
    "quadrants": (quadrants_option, True),
    "switching-cost": (switching_cost_option, True),
}


def chart_option(name: str, series: pd.DataFrame | Frames, model, lang: str,
                 choice: str | None = None):
    """The option of chart `name` for the model's series so far."""
    build, per_carrier = CHARTS[name]
    spec = model.spec
    args = (spec.start, spec.months, spec.policy.first_opening, lang)
    return build(series, choice or MARKET, *args) if per_carrier else build(series, *args)
