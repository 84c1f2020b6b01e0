"""The joint calibration's plot and report: every figure of every market, and the held-out check."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.calibrate.markets import WITHIN
from sim.outputs import atomic_write
from sim.style import PALETTE

if TYPE_CHECKING:
    from sim.calibrate.markets import JointResult


def market_colours(names: list[str]) -> dict[str, str]:
    """One colour per market (markets are not carriers: the carriers' palette, in order)."""
    return {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}


def plot_joint(result: JointResult, path: Path) -> None:
    """Simulated over observed for every figure, by market; held-out predictions beside."""
    table = result.table.reset_index(drop=True)
    names = [m.name for m in result.problem.markets]
    colours = market_colours(names)
    lomo = result.lomo
    height = 0.3 * len(table) + 2.0
    fig = Figure(figsize=(13, height))
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(len(table))[::-1]
    for i, row in table.iterrows():
        colour = colours[row["market"]]
        lo = max(row["simulated_p05"] / row["observed"], 1e-3) if row["observed"] > 0 else None
        hi = max(row["simulated_p95"] / row["observed"], 1e-3) if row["observed"] > 0 else None
        if lo is not None:
            ax.plot([lo, hi], [y[i]] * 2, color=colour, lw=3, alpha=0.35)
        ratio = max(row["simulated"] / row["observed"], 1e-3)
        ax.scatter(ratio, y[i], color=colour, s=40, lw=1.5, zorder=3,
                   facecolor=colour if row["role"] == "fitted" else "white")
        if len(lomo):
            held = lomo[(lomo["held_out_market"] == row["market"]) & (lomo["date"] == row["date"])
                        & (lomo["quantity"] == row["quantity"])
                        & (lomo["carrier"] == row["carrier"])]
            if len(held):
                ax.scatter(max(held["predicted_without_it"].iloc[0] / row["observed"], 1e-3),
                           y[i], marker="x", color=colour, s=45, zorder=4)
    ax.axvline(1.0, color="grey", lw=1)
    ax.axvspan(1 - WITHIN, 1 + WITHIN, color="grey", alpha=0.08)
    ax.set_xscale("log")
    ax.set_yticks(y, [f"{r['market']} · {r['quantity'].replace('_', ' ')} · "
                      f"{'market' if r['carrier'] == 'all' else r['carrier']} · {r['date']}"
                      for _, r in table.iterrows()], fontsize=7)
    ax.set_xlabel("simulated / observed (log scale; 1 = exact; shaded: within ±30%; "
                  "bar: 5-95% of replicates)")
    handles = [Line2D([], [], marker="o", ls="", color=colours[n], label=n) for n in names]
    handles += [Line2D([], [], marker="o", ls="", color="black", label="fitted jointly"),
                Line2D([], [], marker="o", ls="", color="black", markerfacecolor="white",
                       label="held out (after --until)"),
                Line2D([], [], marker="x", ls="", color="black",
                       label="predicted with its market left out")]
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(alpha=0.3, axis="x")
    ax.set_title("Joint calibration: every observed figure of every market against one "
                 "fitted behaviour", fontsize=11)
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))


#: Quantities a scenario's inputs mostly set: left out of the leave-one-out summary.
INPUT_LIKE = ("subscribers", "arpu")


def _pct(x: float) -> str:
    return f"{x:+.0%}"


def report_markdown(result: JointResult, losses: dict[str, float],
                    command: str) -> tuple[list[str], str]:
    """The report (markdown) and its key sentences for the terminal."""
    table, lomo, fit = result.table, result.lomo, result.fit
    fitted = table[table["role"] == "fitted"]
    inside = int(fitted["within_30pct"].sum())
    lines = [f"Joint loss {result.start_loss:.4f} as given, {fit.best_loss:.4f} fitted "
             f"({len(result.problem.markets)} markets, {result.runs} runs).",
             f"{inside} of {len(fitted)} fitted figures within ±30%."]
    text = ["# Joint calibration: one behaviour, every market", "",
            f"Command: `{command}`", "",
            f"Wall time {result.wall_seconds:.0f} s, {result.runs} simulations. " + lines[0], "",
            "## Shared parameters", "", "| parameter | fitted | range |", "|---|---|---|"]
    for p in result.problem.fits:
        text.append(f"| {p.name} | {fit.best[p.name]:.4g} | {p.low:.4g} to {p.high:.4g} |")
    text += ["", "## Loss per market (fitted figures)", "", "| market | loss | typical miss |",
             "|---|---|---|"]
    for name, value in losses.items():
        text.append(f"| {name} | {value:.4f} | {np.sqrt(value):.0%} |")
    text += ["", "## Every figure", "",
             "| market | quantity | carrier | date | observed | simulated | error | role |",
             "|---|---|---|---|---|---|---|---|"]
    for _, r in table.iterrows():
        flag = "" if r["within_30pct"] else " **outside ±30%**"
        text.append(f"| {r['market']} | {r['quantity']} | {r['carrier']} | {r['date']} | "
                    f"{r['observed']:,.4g} | {r['simulated']:,.4g} | "
                    f"{_pct(r['relative_error'])}{flag} | {r['role']} |")
    outside = fitted[~fitted["within_30pct"]]
    if len(outside):
        lines.append("Outside ±30%: " + "; ".join(
            f"{r['market']} {r['quantity']} {r['carrier']} {r['date']} "
            f"({_pct(r['relative_error'])})" for _, r in outside.iterrows()) + ".")
    if len(lomo):
        lomo = lomo[~lomo["quantity"].isin(INPUT_LIKE)]
        text += ["", "## Leave one market out", "",
                 "Each market predicted by a fit to the other markets only, against the "
                 "joint fit; porting figures only (subscribers and ARPU are mostly the "
                 "scenario's inputs).", "",
                 "| held-out market | figures | median miss, left out | median miss, joint |",
                 "|---|---|---|---|"]
        for name, group in lomo.groupby("held_out_market", sort=False):
            left = np.median(np.abs(group["relative_error_without_it"]))
            joint = np.median(np.abs(group["relative_error_joint"]))
            text.append(f"| {name} | {len(group)} | {left:.0%} | {joint:.0%} |")
            lines.append(f"{name} left out: median miss {left:.0%} (joint fit {joint:.0%}).")
    return lines, "\n".join(text) + "\n"


__all__ = ["market_colours", "plot_joint", "report_markdown"]
