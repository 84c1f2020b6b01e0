"""Plots of one run, for people: labelled axes with units, consistent carrier colours.

Each chart is an axes-level `draw_*` function over the run's monthly per-carrier
series, so the saved PNGs and the live teaching page (`sim.viz`) draw the same
thing the same way; the `plot_*` functions lay them out and save them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim import i18n
from sim.axes import ReadableFormatter
from sim.outputs import atomic_write
from sim.style import (
    MARKET,
    QUADRANT_COLOURS,
    QUADRANTS,
    SWITCHING_COST_PARTS,
    carrier_colour,
    carriers_of,
    look_of,
)


def _readable(ax: Axes, kind: str, signed: bool = False) -> None:
    """Ticks as people read them (950 M, 350 k, ¥1.2 k), one scale per axis (sim.axes)."""
    ax.yaxis.set_major_formatter(ReadableFormatter(kind, signed))


def _dates(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(frame["month"] + "-01")


def mark_mnp(ax: Axes, mnp_start: str | None, lang: str = "en") -> None:
    """A dashed line where number portability opens."""
    if mnp_start:
        ax.axvline(pd.to_datetime(mnp_start + "-01"), color="grey", ls="--", lw=1)
        ax.annotate(i18n.t("legend.mnp_opens", lang), (pd.to_datetime(mnp_start + "-01"), 1),
                    xycoords=("data", "axes fraction"), xytext=(3, -12), textcoords="offset points",
                    fontsize=8, color="grey")


def _of(ts: pd.DataFrame, key: str) -> pd.DataFrame:
    """One carrier's rows, or the whole market's (summed over carriers) for MARKET."""
    if key != MARKET:
        return ts[ts["carrier"] == key]
    return ts.drop(columns="carrier").groupby("month", as_index=False, sort=False).sum()


def starting_subscribers(rows: pd.DataFrame) -> pd.Series:
    """Subscribers at the start of each month: the end count with the month's flows undone."""
    return (rows["subscribers"] - rows["port_in"] - rows["switch_in_new_number"] - rows["joins"]
            + rows["port_out"] + rows["switch_out_new_number"] + rows["leaves"])


def churn_percent(rows: pd.DataFrame) -> pd.Series:
    """Monthly churn: subscribers who left their carrier, as % of the month's starting subscribers.

    Leaving is porting out or taking a new number.
    """
    return 100 * (rows["port_out"] + rows["switch_out_new_number"]) / starting_subscribers(rows)


def quadrant_millions(rows: pd.DataFrame) -> dict[str, pd.Series]:
    """One carrier's subscribers (millions) in each loyalty quadrant at the start of each month."""
    start = starting_subscribers(rows)
    return {q: rows[q] * start / 1e6 for q in QUADRANTS}


def quadrants_of(ts: pd.DataFrame, key: str) -> tuple[pd.Series, dict[str, pd.Series]]:
    """(dates, quadrant -> millions) for one carrier or the whole market."""
    if key != MARKET:
        rows = ts[ts["carrier"] == key]
        return _dates(rows), quadrant_millions(rows)
    per = [quadrants_of(ts, k) for k in carriers_of(ts)]
    return per[0][0], {q: sum(p[1][q].to_numpy() for p in per) for q in QUADRANTS}


def draw_shares(ax: Axes, ts: pd.DataFrame, mnp_start: str | None, lang: str = "en") -> None:
    """Market share (%) per carrier."""
    total = ts.groupby("month")["subscribers"].transform("sum")
    for key in carriers_of(ts):
        rows = ts[ts["carrier"] == key]
        ax.plot(_dates(rows), 100 * rows["subscribers"] / total[rows.index],
                color=carrier_colour(key, look_of(ts)),
                label=i18n.carrier_label(key, lang, look_of(ts)))
    ax.set(ylabel=i18n.t("axis.share", lang), xlabel=i18n.t("axis.month", lang),
           title=i18n.t("title.shares", lang))
    mark_mnp(ax, mnp_start, lang)
    ax.legend(fontsize=8)


def draw_subscribers(ax: Axes, ts: pd.DataFrame, mnp_start: str | None,
                     lang: str = "en") -> None:
    """Subscribers per carrier."""
    for key in carriers_of(ts):
        rows = ts[ts["carrier"] == key]
        ax.plot(_dates(rows), rows["subscribers"], color=carrier_colour(key, look_of(ts)),
                label=i18n.carrier_label(key, lang, look_of(ts)))
    ax.set(ylabel=i18n.t("axis.subscribers", lang), xlabel=i18n.t("axis.month", lang),
           title=i18n.t("title.subscribers", lang))
    _readable(ax, "count")
    mark_mnp(ax, mnp_start, lang)
    ax.legend(fontsize=8)


def draw_porting(ax: Axes, ts: pd.DataFrame, mnp_start: str | None, lang: str = "en") -> None:
    """Monthly port-ins (solid, up), port-outs (dotted, down) and net porting (bold)."""
    for key in carriers_of(ts):
        rows, colour = ts[ts["carrier"] == key], carrier_colour(key, look_of(ts))
        dates = _dates(rows)
        ax.plot(dates, rows["port_in"], color=colour, lw=1, alpha=0.7)
        ax.plot(dates, -rows["port_out"], color=colour, lw=1, ls=":", alpha=0.9)
        ax.plot(dates, rows["net_porting"], color=colour, lw=2.2,
                label=i18n.t("legend.net", lang,
                             carrier=i18n.carrier_label(key, lang, look_of(ts))))
    ax.plot([], [], color="grey", lw=1, label=i18n.t("legend.port_ins", lang))
    ax.plot([], [], color="grey", lw=1, ls=":", label=i18n.t("legend.port_outs", lang))
    ax.axhline(0, color="black", lw=0.6)
    ax.set(ylabel=i18n.t("axis.flow", lang), xlabel=i18n.t("axis.month", lang),
           title=i18n.t("title.porting", lang))
    _readable(ax, "count", signed=True)
    mark_mnp(ax, mnp_start, lang)
    ax.legend(fontsize=7, ncol=2)


def draw_net_porting(ax: Axes, ts: pd.DataFrame, mnp_start: str | None,
                     cumulative: bool = False, lang: str = "en") -> None:
    """Monthly or cumulative net porting (subscribers) per carrier."""
    for key in carriers_of(ts):
        rows = ts[ts["carrier"] == key]
        net = rows["net_porting"].cumsum() if cumulative else rows["net_porting"]
        ax.plot(_dates(rows), net, color=carrier_colour(key, look_of(ts)),
                label=i18n.carrier_label(key, lang, look_of(ts)))
    if cumulative:
        ax.set(ylabel=i18n.t("axis.cum_net", lang), title=i18n.t("title.cum_net", lang))
    else:
        ax.set(ylabel=i18n.t("axis.net", lang), title=i18n.t("title.net", lang))
    _readable(ax, "count", signed=True)
    ax.set_xlabel(i18n.t("axis.month", lang))
    ax.axhline(0, color="black", lw=0.6)
    mark_mnp(ax, mnp_start, lang)
    ax.legend(fontsize=8)


def draw_churn(ax: Axes, ts: pd.DataFrame, mnp_start: str | None, lang: str = "en") -> None:
    """Monthly churn (%) per carrier and for the whole market."""
    for key in (*carriers_of(ts), MARKET):
        rows = _of(ts, key)
        ax.plot(_dates(rows), churn_percent(rows), color=carrier_colour(key, look_of(ts)),
                lw=2.2 if key == MARKET else 1.2, label=i18n.carrier_label(key, lang, look_of(ts)))
    ax.set(ylabel=i18n.t("axis.churn", lang), xlabel=i18n.t("axis.month", lang),
           title=i18n.t("title.churn", lang))
    ax.set_ylim(bottom=0)
    mark_mnp(ax, mnp_start, lang)
    ax.legend(fontsize=8)


def draw_quadrants(ax: Axes, ts: pd.DataFrame, key: str, mnp_start: str | None,
                   lang: str = "en") -> None:
    """Subscribers (millions) in each loyalty quadrant, stacked, for a carrier or the market."""
    dates, millions = quadrants_of(ts, key)
    ax.stackplot(dates, *[millions[q] for q in QUADRANTS],
                 colors=[QUADRANT_COLOURS[q] for q in QUADRANTS],
                 labels=[i18n.quadrant_label(q, lang) for q in QUADRANTS], alpha=0.9)
    carrier = i18n.carrier_label(key, lang, look_of(ts))
    ax.set(title=i18n.t("title.quadrants", lang, carrier=carrier),
           xlabel=i18n.t("axis.month", lang), ylabel=i18n.t("axis.quadrant_m", lang))
    ax.set_ylim(bottom=0)
    mark_mnp(ax, mnp_start, lang)
    ax.legend(loc="lower left", fontsize=7)


def draw_switching_cost(ax: Axes, ts: pd.DataFrame, key: str, mnp_start: str | None,
                        lang: str = "en") -> None:
    """Mean switching cost per subscriber (yuan), stacked by part, for a carrier or the market.

    The market's mean weights carriers by their subscribers.
    """
    if key == MARKET:
        weight = ts["subscribers"]
        frame = ts.assign(**{p: ts[p] * weight for p in SWITCHING_COST_PARTS})
        rows = _of(frame, MARKET)
        parts = [rows[p] / rows["subscribers"] for p in SWITCHING_COST_PARTS]
    else:
        rows = ts[ts["carrier"] == key]
        parts = [rows[p] for p in SWITCHING_COST_PARTS]
    ax.stackplot(_dates(rows), *parts, colors=list(SWITCHING_COST_PARTS.values()),
                 labels=[i18n.cost_part_label(p, lang) for p in SWITCHING_COST_PARTS])
    carrier = i18n.carrier_label(key, lang, look_of(ts))
    ax.set(title=i18n.t("title.cost", lang, carrier=carrier),
           xlabel=i18n.t("axis.month", lang), ylabel=i18n.t("axis.cost", lang))
    _readable(ax, "yuan")
    mark_mnp(ax, mnp_start, lang)
    ax.legend(loc="upper right", fontsize=7)


def _save(fig, path: Path) -> None:
    for ax in fig.axes:
        ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))


def _figure(rows: int, cols: int, figsize: tuple[float, float], **kwargs) -> tuple[Figure, list]:
    """A figure and its axes, without pyplot (no figure manager, no global state).

    Importing pyplot costs about a third of a second that a run's charts do not need.
    """
    fig = Figure(figsize=figsize)
    grid = fig.subplots(rows, cols, squeeze=False, **kwargs)
    return fig, list(grid.ravel())


@i18n.in_language
def plot_subscribers(ts: pd.DataFrame, title: str, mnp_start: str | None, path: Path,
                     lang: str = "en") -> None:
    """Subscribers (millions) and market share (%) per carrier over time."""
    fig, (ax1, ax2) = _figure(1, 2, (11, 4))
    draw_subscribers(ax1, ts, mnp_start, lang)
    draw_shares(ax2, ts, mnp_start, lang)
    fig.suptitle(title)
    _save(fig, path)


def _panels(count: int, width: float, sharey: bool) -> list[Axes]:
    """One panel per carrier (or the market), up to four a row; unused panels hidden."""
    cols = min(count, 4)
    rows = -(-count // cols)
    _, axes = _figure(rows, cols, (width * cols, 4 * rows), sharey=sharey)
    for ax in axes[count:]:
        ax.set_visible(False)
    return axes[:count]


@i18n.in_language
def plot_net_porting(ts: pd.DataFrame, title: str, mnp_start: str | None, path: Path,
                     lang: str = "en") -> None:
    """Monthly net porting and cumulative net porting per carrier."""
    fig, (ax1, ax2) = _figure(1, 2, (11, 4))
    draw_net_porting(ax1, ts, mnp_start, lang=lang)
    draw_net_porting(ax2, ts, mnp_start, cumulative=True, lang=lang)
    fig.suptitle(title)
    _save(fig, path)


@i18n.in_language
def plot_churn(ts: pd.DataFrame, title: str, mnp_start: str | None, path: Path,
               lang: str = "en") -> None:
    """Monthly churn per carrier and market-wide."""
    fig, (ax,) = _figure(1, 1, (8, 4))
    draw_churn(ax, ts, mnp_start, lang)
    fig.suptitle(title)
    _save(fig, path)


@i18n.in_language
def plot_loyalty(ts: pd.DataFrame, title: str, mnp_start: str | None, path: Path,
                 lang: str = "en") -> None:
    """Loyalty quadrants (millions of subscribers, stacked): the market, then each carrier."""
    keys = (MARKET, *carriers_of(ts))
    axes = _panels(len(keys), 4.0, sharey=False)
    fig = axes[0].figure
    for ax, key in zip(axes, keys, strict=True):
        draw_quadrants(ax, ts, key, mnp_start, lang)
        if ax is not axes[0]:
            ax.get_legend().remove()
            ax.set_ylabel("")
    fig.suptitle(title)
    _save(fig, path)


@i18n.in_language
def plot_switching_cost(ts: pd.DataFrame, title: str, mnp_start: str | None, path: Path,
                        lang: str = "en") -> None:
    """Average switching cost per subscriber (yuan), split into its parts, per carrier."""
    keys = carriers_of(ts)
    axes = _panels(len(keys), 4.3, sharey=True)
    fig = axes[0].figure
    for ax, key in zip(axes, keys, strict=True):
        draw_switching_cost(ax, ts, key, mnp_start, lang)
        if ax is not axes[-1]:
            ax.get_legend().remove()
        if ax is not axes[0]:
            ax.set_ylabel("")
    fig.suptitle(title)
    _save(fig, path)
