"""Plots of one run, for people: labelled axes with units, consistent carrier colours."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from sim.outputs import atomic_write  # noqa: E402
from sim.style import (  # noqa: E402
    CARRIER_COLOURS,
    CARRIERS,
    QUADRANT_COLOURS,
    QUADRANT_LABELS,
    QUADRANTS,
    carrier_label,
)


def _dates(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(frame["month"] + "-01")


def _mnp_line(ax, mnp_start: str | None) -> None:
    if mnp_start:
        ax.axvline(pd.to_datetime(mnp_start + "-01"), color="grey", ls="--", lw=1)
        ax.annotate("MNP opens", (pd.to_datetime(mnp_start + "-01"), 1), xycoords=("data",
                    "axes fraction"), xytext=(3, -12), textcoords="offset points",
                    fontsize=8, color="grey")


def _save(fig, path: Path) -> None:
    for ax in fig.axes:
        ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def plot_subscribers(ts: pd.DataFrame, title: str, mnp_start: str | None, path: Path) -> None:
    """Subscribers (millions) and market share (%) per carrier over time."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    total = ts.groupby("month")["subscribers"].transform("sum")
    for key in CARRIERS:
        rows = ts[ts["carrier"] == key]
        ax1.plot(_dates(rows), rows["subscribers"] / 1e6, color=CARRIER_COLOURS[key],
                 label=carrier_label(key))
        ax2.plot(_dates(rows), 100 * rows["subscribers"] / total[rows.index],
                 color=CARRIER_COLOURS[key], label=carrier_label(key))
    ax1.set(ylabel="subscribers (millions)", xlabel="month", title="Subscribers by carrier")
    ax2.set(ylabel="market share (%)", xlabel="month", title="Market share by carrier")
    for ax in (ax1, ax2):
        _mnp_line(ax, mnp_start)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    _save(fig, path)


def plot_net_porting(ts: pd.DataFrame, title: str, mnp_start: str | None, path: Path) -> None:
    """Monthly net porting and cumulative net porting per carrier."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    for key in CARRIERS:
        rows = ts[ts["carrier"] == key]
        ax1.plot(_dates(rows), rows["net_porting"] / 1e6, color=CARRIER_COLOURS[key],
                 label=carrier_label(key))
        ax2.plot(_dates(rows), rows["net_porting"].cumsum() / 1e6, color=CARRIER_COLOURS[key],
                 label=carrier_label(key))
    ax1.set(ylabel="net porting (millions/month)", xlabel="month",
            title="Monthly net porting (port-ins - port-outs)")
    ax2.set(ylabel="cumulative net porting (millions)", xlabel="month",
            title="Cumulative net porting")
    for ax in (ax1, ax2):
        ax.axhline(0, color="black", lw=0.6)
        _mnp_line(ax, mnp_start)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    _save(fig, path)


def plot_loyalty(loyalty: pd.DataFrame, title: str, mnp_start: str | None, path: Path) -> None:
    """Stacked loyalty quadrant shares (%) over time, one panel per carrier."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 4), sharey=True)
    for ax, key in zip(axes, CARRIERS):
        rows = loyalty[loyalty["carrier"] == key]
        ax.stackplot(_dates(rows), *[100 * rows[q] for q in QUADRANTS],
                     colors=[QUADRANT_COLOURS[q] for q in QUADRANTS],
                     labels=[QUADRANT_LABELS[q] for q in QUADRANTS], alpha=0.9)
        ax.set(title=carrier_label(key), xlabel="month", ylim=(0, 100))
        _mnp_line(ax, mnp_start)
    axes[0].set_ylabel("share of the carrier's subscribers (%)")
    axes[-1].legend(loc="lower right", fontsize=8)
    fig.suptitle(title)
    _save(fig, path)


def plot_switching_cost(ts: pd.DataFrame, title: str, mnp_start: str | None, path: Path) -> None:
    """Average switching cost per subscriber (yuan), split into its parts, per carrier."""
    parts = ["sc_number_loss", "sc_contract", "sc_bundle", "sc_loyalty", "sc_hassle"]
    labels = ["number loss", "contract", "bundle", "loyalty/stars", "hassle"]
    colours = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#999999"]
    fig, axes = plt.subplots(1, 3, figsize=(13, 4), sharey=True)
    for ax, key in zip(axes, CARRIERS):
        rows = ts[ts["carrier"] == key]
        ax.stackplot(_dates(rows), *[rows[p] for p in parts], colors=colours, labels=labels)
        ax.set(title=carrier_label(key), xlabel="month")
        _mnp_line(ax, mnp_start)
    axes[0].set_ylabel("mean switching cost (yuan, one-off)")
    axes[-1].legend(loc="upper right", fontsize=8)
    fig.suptitle(title)
    _save(fig, path)
