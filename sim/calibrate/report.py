"""What `mnp calibrate --out DIR` writes: the fitted scenario, fit, uncertainty and a report.

The fitted scenario, the fit per target, the parameters with their uncertainty, plots
of observed against simulated, and a report.

    calibrated.yaml     the scenario with the fitted values (command in its header)
    targets_fit.csv     every target: observed, simulated (mean, 5-95% of replicates),
                        log error, weight, fitted or held out, share of the loss
    parameters.csv      best value and 95% interval of each fitted parameter
    candidates.csv      every candidate evaluated and its loss
    fit.json            all of the above, and the settings
    fit.png             observed vs simulated, every target, with replicate bands
    uncertainty.png     loss against each parameter, the 95% region shaded
    report.html         the page a strategist reads
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from sim.axes import ReadableFormatter, readable_axis
from sim.calibrate.loss import contributions, log_errors  # noqa: E402
from sim.calibrate.search import Calibrated  # noqa: E402
from sim.calibrate.targets import ALL, QUANTITIES  # noqa: E402
from sim.calibrate.uncertainty import intervals, seed_noise, threshold  # noqa: E402
from sim.outputs import atomic_write, write_csv, write_json, write_text  # noqa: E402
from sim.pages import embed_image, page  # noqa: E402
from sim.scenario.loading import apply_overrides, get_path, read_yaml, set_path  # noqa: E402
from sim.style import MARKET, carrier_colour, carrier_label  # noqa: E402
from sim.sweep.study import parameter_label, short_name

#: Market-wide quantities drawn as a simulated series with its band.
SERIES_QUANTITIES = ("cumulative_ports", "monthly_ports", "pilot_uptake")


# ---------------------------------------------------------------- tables

def fit_table(result: Calibrated) -> pd.DataFrame:
    """Every target with the best candidate's simulated value and replicate band."""
    problem = result.problem
    targets = problem.targets.targets
    sims = result.final_runs[[f"sim_{i}" for i in range(len(targets))]].to_numpy()
    mean = sims.mean(0)
    fitted = problem.fitted
    weights = np.where(fitted, problem.targets.weights, 0.0)
    share = contributions(mean, problem.targets.values, weights)
    rows = []
    for i, t in enumerate(targets):
        rows.append({"line": t.line, "date": t.date, "quantity": t.quantity,
                     "carrier": t.carrier, "observed": t.value, "simulated": mean[i],
                     "simulated_p05": float(np.quantile(sims[:, i], 0.05)),
                     "simulated_p95": float(np.quantile(sims[:, i], 0.95)),
                     "log_error": float(log_errors(mean[i:i + 1], [t.value])[0]),
                     "relative_error": mean[i] / t.value - 1.0,
                     "weight": t.weight, "role": "fitted" if fitted[i] else "held out",
                     "loss_share": float(share[i]), "unit": t.unit, "source": t.source})
    return pd.DataFrame(rows)


def held_out_loss(table: pd.DataFrame) -> float:
    """The loss on the held-out targets alone (same formula, their own weights)."""
    held = table[table["role"] == "held out"]
    if held.empty or held["weight"].sum() <= 0:
        return float("nan")
    return float((held["weight"] * held["log_error"] ** 2).sum() / held["weight"].sum())


# ---------------------------------------------------------------- the fitted scenario

def calibrated_yaml(scenario_path: Path, overrides: list[str], result: Calibrated,
                    command: str) -> str:
    """The scenario file with the fitted values set, and a header saying how it was made."""
    data, _ = read_yaml(scenario_path)
    apply_overrides(data, overrides)
    if isinstance(data.get("name"), str) and not data["name"].endswith("_calibrated"):
        data["name"] += "_calibrated"  # its `mnp run` outputs go beside the original's
    dump = result.problem.base
    for p in result.problem.fits:
        for path, value in p.values(result.best[p.name]).items():
            like = get_path(dump, path)
            set_path(data, path.split("."), _rounded(value, like))
    params = intervals(result)
    lines = [f"# {scenario_path.name} with parameters fitted to observed figures by "
             "`mnp calibrate`, produced by:",
             f"#   {command}",
             f"# Loss (weighted mean squared log error): {result.start_loss:.4f} as given, "
             f"{result.best_loss:.4f} fitted.",
             "# Fitted values (95% likelihood-ratio interval):"]
    for _, row in params.iterrows():
        lines.append(f"#   {row['parameter']} = {_fmt(row['best'])} "
                     f"[{_fmt(row['low'])}, {_fmt(row['high'])}]")
    lines.append("# The fit of every target is in the report this command wrote to its --out.")
    source_header = []
    for line in scenario_path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if "Calibrated" not in line and "mnp calibrate" not in line:
            source_header.append(line)
    if source_header:
        lines += ["#", f"# From {scenario_path.name}:", *source_header]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(lines) + "\n" + body


def _rounded(value: float, like) -> float | int:
    if isinstance(like, int) and not isinstance(like, bool):
        return int(round(value))
    return float(f"{value:.4g}")


def _fmt(value: float) -> str:
    return f"{value:.4g}"


# ---------------------------------------------------------------- plots

def _plain_log_ticks(axis, kind: str = "number") -> None:
    """Log-scale ticks as plain numbers (0.5, 1, 2), without crowded minor labels."""
    from matplotlib.ticker import LogLocator, NullFormatter
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(ReadableFormatter(kind))
    axis.set_minor_formatter(NullFormatter())


def _month_end(month: str) -> pd.Timestamp:
    return pd.Period(month, "M").end_time.normalize()


def market_series(result: Calibrated, quantity: str) -> pd.DataFrame:
    """Per replicate and month, the market-wide value of a series quantity."""
    s = result.final_series
    wide = s.groupby(["replicate", "month"], sort=True)[["port_out", "subscribers"]].sum()
    wide = wide.reset_index()
    if quantity == "monthly_ports":
        wide["value"] = wide["port_out"]
    else:
        wide["value"] = wide.groupby("replicate")["port_out"].cumsum()
        if quantity == "pilot_uptake":
            pilots = result.problem.base["policy"]["pilots"]
            share = np.array([sum(p["population_share"] for p in pilots if p["start"] <= m)
                              for m in wide["month"]])
            with np.errstate(divide="ignore", invalid="ignore"):
                wide["value"] = np.where(share > 0, wide["value"] / (share * wide["subscribers"]),
                                         np.nan)
    return wide[["replicate", "month", "value"]]


def plot_fit(result: Calibrated, table: pd.DataFrame, path: Path) -> None:
    """Observed against simulated: market series with bands, then every target as a ratio."""
    present = [q for q in SERIES_QUANTITIES if (table["quantity"] == q).any()]
    n = len(present) + 1
    fig, axes = plt.subplots(n, 1, figsize=(10, 3.4 * len(present) + 0.32 * len(table) + 1.5),
                             gridspec_kw={"height_ratios": [3.4] * len(present)
                                          + [0.32 * len(table) + 1.2]})
    axes = np.atleast_1d(axes)
    # strict=False: the last axis, one more than the series, holds the targets' ratios
    for ax, quantity in zip(axes, present, strict=False):
        series = market_series(result, quantity)
        band = series.groupby("month")["value"].quantile([0.05, 0.5, 0.95]).unstack()
        x = [_month_end(m) for m in band.index]
        kind, label, per = ("share", "uptake (% of pilot-region subscribers)", None) if (
            quantity == "pilot_uptake") else ("count", "ports", "month") if (
            quantity == "monthly_ports") else ("count", "cumulative ports", None)
        ax.fill_between(x, band[0.05], band[0.95], color=carrier_colour(MARKET),
                        alpha=0.15, label="simulated, 5-95% of replicates")
        ax.plot(x, band[0.5], color=carrier_colour(MARKET), lw=1.5,
                label="simulated, median")
        rows = table[(table["quantity"] == quantity)]
        for role, face in (("fitted", "#E69F00"), ("held out", "white")):
            pick = rows[rows["role"] == role]
            if len(pick):
                ax.scatter(pd.to_datetime(pick["date"]), pick["observed"], s=60,
                           facecolor=face, edgecolor="#E69F00", lw=2, zorder=5,
                           label=f"observed ({role})")
        readable_axis(ax, "y", kind, label, per=per)
        ax.set_title(f"{quantity.replace('_', ' ').capitalize()}: "
                     f"{QUANTITIES[quantity].description}", fontsize=10)
        ax.legend(fontsize=8, loc="upper left")
        ax.grid(alpha=0.3)
    ax = axes[-1]
    order = table.reset_index(drop=True)
    y = np.arange(len(order))[::-1]
    for i, row in order.iterrows():
        colour = carrier_colour(MARKET if row["carrier"] == ALL else row["carrier"])
        lo, hi = row["simulated_p05"] / row["observed"], row["simulated_p95"] / row["observed"]
        ax.plot([max(lo, 1e-3), max(hi, 1e-3)], [y[i]] * 2, color=colour, lw=3, alpha=0.35)
        ax.scatter(max(row["simulated"] / row["observed"], 1e-3), y[i], color=colour, s=40,
                   facecolor=colour if row["role"] == "fitted" else "white", lw=1.5, zorder=3)
    ax.axvline(1.0, color="grey", lw=1)
    ax.set_xscale("log")
    _plain_log_ticks(ax.xaxis)
    ax.set_yticks(y, [f"{r['quantity'].replace('_', ' ')} · "
                      f"{'market' if r['carrier'] == ALL else r['carrier']} · {r['date']}"
                      for _, r in order.iterrows()], fontsize=8)
    ax.set_xlabel("simulated / observed (log scale; 1 = exact; bar: 5-95% of replicates; "
                  "open circle: held out)")
    ax.set_title("Every target: simulated mean relative to the observed figure", fontsize=10)
    keys = [k for k in dict.fromkeys(order["carrier"]) if k != ALL]
    handles = [plt.Line2D([], [], marker="o", ls="", color=carrier_colour(k),
                          label=carrier_label(k)) for k in (*keys, MARKET)]
    ax.legend(handles=handles, fontsize=8, loc="lower right")
    ax.grid(alpha=0.3, axis="x")
    fig.suptitle("Calibration: observed figures against the fitted model", fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.985))
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def plot_uncertainty(result: Calibrated, params: pd.DataFrame, path: Path) -> None:
    """Loss against each parameter over every candidate, the 95% region shaded."""
    problem = result.problem
    k = len(problem.fits)
    cut = threshold(result)
    scored = result.candidates[np.isfinite(result.candidates["loss"])]
    fig, axes = plt.subplots(1, k, figsize=(4.6 * k, 3.8), squeeze=False)
    for ax, p, (_, row) in zip(axes[0], problem.fits, params.iterrows(), strict=True):
        for kind, colour in (("trial", "#999999"), ("profile", "#0072B2")):
            pick = scored[scored["kind"] == kind]
            ax.scatter(pick[p.name], pick["loss"], s=14, color=colour, alpha=0.7,
                       label="optimiser trials" if kind == "trial" else "slice through best")
        ax.axhline(cut, color="#D55E00", lw=1, ls="--", label="95% region edge")
        ax.axvspan(row["low"], row["high"], color="#D55E00", alpha=0.12, label="95% interval")
        ax.scatter([row["best"]], [result.best_loss], marker="*", s=160, color="#E69F00",
                   edgecolor="black", zorder=5, label="best")
        label, kind = parameter_label(p.spec) if not p.multiplier else (
            f"{short_name(p.spec)} (multiplier of each value)", "number")
        if p.log:
            ax.set_xscale("log")
            _plain_log_ticks(ax.xaxis, kind)
        else:
            readable_axis(ax, "x", kind)
        ax.set_yscale("log")
        _plain_log_ticks(ax.yaxis)
        ax.set_xlabel(label, fontsize=9)
        ax.set_ylabel("loss (weighted mean sq. log error)")
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=7)
    fig.suptitle("Parameter uncertainty: loss of every candidate evaluated", fontsize=11)
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


# ---------------------------------------------------------------- the report

def summary_lines(result: Calibrated, table: pd.DataFrame, params: pd.DataFrame) -> list[str]:
    """The plain-language reading, also printed by the CLI."""
    lines = [f"Loss {result.start_loss:.4f} with the scenario as given, {result.best_loss:.4f} "
             f"fitted (a typical miss of {100 * math.sqrt(result.best_loss):.0f}% per target)."]
    for _, row in params.iterrows():
        sides = [side for side, flag in (("below", row["open_below"]),
                                         ("above", row["open_above"])) if flag]
        note = (f" (open {' and '.join(sides)}: the loss stays within the region to the "
                "edge of the slice or search range, so the data do not bound it there)"
                if sides else "")
        lines.append(f"{row['parameter']} = {_fmt(row['best'])}, 95% interval "
                     f"[{_fmt(row['low'])}, {_fmt(row['high'])}]{note}.")
    held = table[table["role"] == "held out"]
    for _, row in held.iterrows():
        lines.append(f"Out of sample, {row['quantity'].replace('_', ' ')} "
                     f"({'market' if row['carrier'] == ALL else row['carrier']}) at "
                     f"{row['date']}: observed {_big(row['observed'])}, predicted "
                     f"{_big(row['simulated'])} (5-95%: {_big(row['simulated_p05'])} to "
                     f"{_big(row['simulated_p95'])}), {100 * row['relative_error']:+.0f}%.")
    worst = table[table["role"] == "fitted"].sort_values("loss_share", ascending=False).head(3)
    if len(worst):
        lines.append("Largest misfits: " + "; ".join(
            f"{r['quantity'].replace('_', ' ')} {r['carrier']} {r['date']} "
            f"({100 * r['relative_error']:+.0f}%)" for _, r in worst.iterrows()) + ".")
    return lines


def _big(value: float) -> str:
    if abs(value) >= 1e5:
        return f"{value / 1e6:,.2f} M"
    return f"{value:.4g}"


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, float_format=lambda v: f"{v:,.4g}", border=0)


def save_calibration(result: Calibrated, out: Path, scenario_path: Path, overrides: list[str],
                     command: str) -> list[str]:
    """Write every output; returns the summary lines."""
    table = fit_table(result)
    params = intervals(result)
    noise_mean, noise_sd = seed_noise(result)
    lines = summary_lines(result, table, params)
    write_text(out / "calibrated.yaml", calibrated_yaml(scenario_path, overrides, result,
                                                        command))
    write_csv(out / "targets_fit.csv", table)
    write_csv(out / "parameters.csv", params)
    write_csv(out / "candidates.csv", result.candidates)
    plot_fit(result, table, out / "fit.png")
    plot_uncertainty(result, params, out / "uncertainty.png")
    problem, settings = result.problem, result.settings
    write_json(out / "fit.json", {
        "command": command, "scenario": str(scenario_path), "overrides": overrides,
        "loss": {"definition": "sum_i w_i (ln sim_i - ln obs_i)^2 / sum_i w_i over fitted "
                 "targets; sim_i the mean over replicates", "as_given": result.start_loss,
                 "fitted": result.best_loss, "held_out": held_out_loss(table),
                 "single_replicate_mean": noise_mean, "single_replicate_sd": noise_sd},
        "parameters": [{**p.as_dict(), **params.iloc[j].to_dict()}
                       for j, p in enumerate(problem.fits)],
        "targets": table.to_dict("records"),
        "skipped": [s.__dict__ for s in problem.targets.skipped],
        "events": problem.targets.events,
        "settings": settings.__dict__, "runs_per_candidate": settings.replicates,
        "candidates": len(result.candidates), "trial_runs": result.trial_runs,
        "wall_seconds": result.wall_seconds, "workers": result.workers,
        "months_simulated": problem.base["months"],
        "population": problem.base["population"]["size"],
        "summary": lines})
    body = [f"<h1>Calibration of {html.escape(scenario_path.name)}</h1>",
            f"<p><code>{html.escape(command)}</code></p>",
            "<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in lines) + "</ul>",
            "<h2>Fitted parameters</h2>", _table_html(params[["parameter", "best", "low", "high",
                                                              "search_low", "search_high"]]),
            "<p>Intervals: 95% likelihood-ratio region from every candidate evaluated "
            "(see uncertainty.png and the method below).</p>",
            embed_image(out / "uncertainty.png", "Loss against each fitted parameter"),
            "<h2>Observed and simulated</h2>",
            embed_image(out / "fit.png", "Observed against simulated figures"),
            _table_html(table[["date", "quantity", "carrier", "observed", "simulated",
                               "simulated_p05", "simulated_p95", "relative_error", "weight",
                               "role", "loss_share"]])]
    held = table[table["role"] == "held out"]
    if len(held):
        body += ["<h2>Out of sample</h2>",
                 f"<p>Fitted only to figures dated on or before {settings.until}; the rows "
                 f"below were not used. Their loss alone: {held_out_loss(table):.4f} "
                 f"(fitted rows: {result.best_loss:.4f}).</p>",
                 _table_html(held[["date", "quantity", "carrier", "observed", "simulated",
                                   "simulated_p05", "simulated_p95", "relative_error"]])]
    skipped = problem.targets.skipped
    body += ["<h2>Rows not compared</h2><ul>"
             + "".join(f"<li>line {s.line} ({html.escape(s.quantity)}, {s.date}): "
                       f"{html.escape(s.reason)}</li>" for s in skipped)
             + "".join(f"<li>{html.escape(e)}</li>" for e in problem.targets.events) + "</ul>",
             "<h2>Method</h2>",
             f"<p>Loss: weighted mean squared log error, sum w (ln sim - ln obs)<sup>2</sup> / "
             f"sum w, over the fitted targets, each simulated figure the mean of "
             f"{settings.replicates} replicates. Optimiser: optuna TPE, {settings.trials} "
             f"trials, the first being the scenario as given; replicate r has the same seed "
             f"for every candidate (common random numbers). Each run simulates "
             f"{problem.base['months']} months with {problem.base['population']['size']:,} "
             f"subscriber rows. Uncertainty: a slice of {settings.profile_points} points "
             f"through the best candidate along each parameter, then the range of each "
             f"parameter over all candidates whose loss is within the 95% likelihood-ratio "
             f"region. The best candidate was re-run with {len(result.final_runs)} replicates "
             f"for the table and bands; one replicate alone scores {noise_mean:.4f} "
             f"&plusmn; {noise_sd:.4f}, which is the seed noise in a single run.</p>",
             f"<p>{result.trial_runs} runs for the search, {result.wall_seconds:.0f} s on "
             f"{result.workers} worker(s).</p>"]
    write_text(out / "report.html", page(f"Calibration of {scenario_path.name}", "\n".join(body)))
    return lines


__all__ = ["calibrated_yaml", "fit_table", "held_out_loss", "market_series", "plot_fit",
           "plot_uncertainty", "save_calibration", "summary_lines"]
