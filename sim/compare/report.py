"""Everything `mnp compare --out DIR` writes: tables, plots, report.html with a reading."""

from __future__ import annotations

import html
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from sim import __version__  # noqa: E402
from sim.compare.runs import Comparison  # noqa: E402
from sim.compare.stats import CONFIDENCE, SPREAD, monthly_bands, outcomes  # noqa: E402
from sim.outputs import atomic_write, prepare_out_dir, write_csv, write_json, write_text  # noqa: E402
from sim.pages import embed_image, millions, page, yuan  # noqa: E402
from sim.style import carrier_label, strategy_colours  # noqa: E402

PLOTS = (
    ("net_porting_bands.png", "Cumulative net porting by strategy"),
    ("paired_differences.png", "Paired difference to the baseline"),
    ("cost_vs_gain.png", "Cost against net-porting gain"),
)
#: Every file `mnp compare` writes.
FILES = ("compare.csv", "compare.json", "replicates.csv", "net_porting_bands.csv", "report.html",
         *[name for name, _ in PLOTS])


def reading(cmp: Comparison, table: pd.DataFrame) -> str:
    """One plain-language paragraph: what each strategy gains, how sure, at what cost."""
    who = carrier_label(cmp.carrier)
    months = cmp.months
    parts = [f"For {who}, over {len(months)} months ({months[0]} to {months[-1]}), "
             f"{cmp.replicates} replicates per strategy, compared with {cmp.baseline}:"]
    for row in table.itertuples():
        if row.strategy == cmp.baseline:
            continue
        low, high = row.diff_net_porting_ci_low, row.diff_net_porting_ci_high
        ci = f"95% CI {millions(low)}–{millions(high)}"
        if not row.significant:
            verdict = (f"{row.strategy} makes no clear difference to net porting "
                       f"({millions(row.diff_net_porting, signed=True)}, {ci})")
        elif row.diff_net_porting > 0:
            verdict = f"{row.strategy} gains {millions(row.diff_net_porting)} net ports ({ci})"
            if _known(row.cost_per_extra_net_port) and row.diff_cost > 0:
                verdict += f" at {yuan(row.cost_per_extra_net_port)} of lever cost per extra port"
            forgone = row.profit_forgone_per_extra_net_port
            if _known(forgone) and forgone > 0:
                verdict += f" ({yuan(forgone)} of profit forgone per extra port)"
        else:
            verdict = (f"{row.strategy} loses {millions(-row.diff_net_porting)} net ports "
                       f"({ci})")
        verdict += (f"; profit {'+' if row.diff_profit >= 0 else '−'}"
                    f"{yuan(abs(row.diff_profit))} over the period.")
        parts.append(verdict)
    ranked = table.sort_values("rank")["strategy"].tolist()
    parts.append("Ranked by net porting: " + " > ".join(ranked) + ".")
    return " ".join(parts)


def _known(value) -> bool:
    return value is not None and value == value  # None and NaN mean "no extra ports"


def _per_port(value) -> str:
    return yuan(value) if _known(value) and value > 0 else "–"


def _dates(months: pd.Series) -> pd.Series:
    return pd.to_datetime(months + "-01")


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def plot_bands(cmp: Comparison, bands: pd.DataFrame, path: Path) -> None:
    colours = strategy_colours(cmp.strategies)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for name in cmp.strategies:
        rows = bands[bands["strategy"] == name]
        x = _dates(rows["month"])
        ax.plot(x, rows["mean"] / 1e6, color=colours[name], label=name)
        ax.fill_between(x, rows["p05"] / 1e6, rows["p95"] / 1e6, color=colours[name], alpha=0.15)
    ax.axhline(0, color="black", lw=0.6)
    mnp = next(iter(cmp.scenarios.values())).policy.mnp_start
    if mnp and mnp >= cmp.months[0]:
        ax.axvline(pd.to_datetime(mnp + "-01"), color="grey", ls="--", lw=1, label="MNP opens")
    ax.set(xlabel="month", ylabel="cumulative net porting (millions)",
           title=f"{carrier_label(cmp.carrier)}: cumulative net porting by strategy "
                 f"(mean, {SPREAD[0]}–{SPREAD[1]}% band over {cmp.replicates} replicates)")
    ax.tick_params(axis="x", labelrotation=30)
    ax.legend(fontsize=8)
    _save(fig, path)


def plot_differences(cmp: Comparison, table: pd.DataFrame, path: Path) -> None:
    colours = strategy_colours(cmp.strategies)
    rows = table[table["strategy"] != cmp.baseline]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(rows) + 1.8))
    y = range(len(rows))
    for i, row in zip(y, rows.itertuples()):
        ax.errorbar(row.diff_net_porting / 1e6, i, xerr=[[(row.diff_net_porting
                    - row.diff_net_porting_ci_low) / 1e6], [(row.diff_net_porting_ci_high
                    - row.diff_net_porting) / 1e6]], fmt="o", color=colours[row.strategy],
                    capsize=4)
    ax.set_yticks(list(y), rows["strategy"].tolist())
    ax.axvline(0, color="black", lw=0.8)
    ax.set(xlabel=f"extra cumulative net porting vs {cmp.baseline} (millions)",
           title=f"{carrier_label(cmp.carrier)}: paired difference to {cmp.baseline} "
                 f"({int(CONFIDENCE * 100)}% CI)")
    _save(fig, path)


def plot_cost_vs_gain(cmp: Comparison, table: pd.DataFrame, path: Path) -> None:
    colours = strategy_colours(cmp.strategies)
    unit, label = (1e9, "billion yuan") if table["diff_cost"].abs().max() >= 1e10 else (
        1e6, "million yuan")
    fig, ax = plt.subplots(figsize=(8, 5))
    for row in table.itertuples():
        ax.errorbar(row.diff_net_porting / 1e6, row.diff_cost / unit,
                    xerr=[[(row.diff_net_porting - row.diff_net_porting_ci_low) / 1e6],
                          [(row.diff_net_porting_ci_high - row.diff_net_porting) / 1e6]],
                    fmt="o", color=colours[row.strategy], capsize=3, label=row.strategy)
        ax.annotate(row.strategy, (row.diff_net_porting / 1e6, row.diff_cost / unit),
                    xytext=(5, 5), textcoords="offset points", fontsize=8)
    ax.axhline(0, color="black", lw=0.6)
    ax.axvline(0, color="black", lw=0.6)
    ax.set(xlabel=f"extra cumulative net porting vs {cmp.baseline} (millions)",
           ylabel=f"extra lever cost vs {cmp.baseline} ({label})",
           title=f"{carrier_label(cmp.carrier)}: what each strategy costs and gains")
    _save(fig, path)


def _table_html(table: pd.DataFrame) -> str:
    head = ("<tr><th>strategy</th><th>rank</th><th>net porting (M, mean)</th>"
            f"<th>{SPREAD[0]}–{SPREAD[1]}% (M)</th><th>vs baseline (M)</th><th>95% CI (M)</th>"
            "<th>cost</th><th>Δ cost</th><th>Δ profit</th><th>cost per extra port</th>"
            "<th>profit forgone per extra port</th>"
            "<th>subscribers at horizon (M)</th></tr>")
    rows = "".join(
        f"<tr><td>{html.escape(r.strategy)}</td><td>{r.rank}</td>"
        f"<td>{millions(r.net_porting_mean, True)}</td>"
        f"<td>{millions(r.net_porting_p05, True)} to {millions(r.net_porting_p95, True)}</td>"
        f"<td>{millions(r.diff_net_porting, True)}</td>"
        f"<td>{millions(r.diff_net_porting_ci_low, True)} to "
        f"{millions(r.diff_net_porting_ci_high, True)}</td>"
        f"<td>{yuan(r.cost_mean)}</td><td>{yuan(r.diff_cost)}</td><td>{yuan(r.diff_profit)}</td>"
        f"<td>{_per_port(r.cost_per_extra_net_port)}</td>"
        f"<td>{_per_port(r.profit_forgone_per_extra_net_port)}</td>"
        f"<td>{r.subscribers_at_horizon / 1e6:,.2f}</td></tr>" for r in table.itertuples())
    return f"<table>{head}{rows}</table>"


def metadata(cmp: Comparison) -> dict:
    first = next(iter(cmp.scenarios.values()))
    return {
        "scenario": first.name, "carrier": cmp.carrier, "baseline": cmp.baseline,
        "strategies": cmp.strategies, "replicates": cmp.replicates,
        "horizon_months": len(cmp.months), "first_month": cmp.months[0],
        "last_month": cmp.months[-1], "common_random_numbers": cmp.common_random_numbers,
        "seeds": cmp.seeds[cmp.baseline] if cmp.common_random_numbers else cmp.seeds,
        "population_rows": first.population.size, "represents": first.represents(),
        "jobs": cmp.jobs, "wall_seconds": round(cmp.wall_seconds, 2), "version": __version__,
        **cmp.meta,
    }


def save_comparison(cmp: Comparison, table: pd.DataFrame, out: Path,
                    force: bool = False) -> list[Path]:
    """Write compare.csv/json, replicates.csv, bands.csv, three plots and report.html."""
    out = Path(out)
    prepare_out_dir(out, force)
    bands = monthly_bands(cmp)
    write_csv(out / "compare.csv", table)
    write_csv(out / "replicates.csv", outcomes(cmp))
    write_csv(out / "net_porting_bands.csv", bands)
    text = reading(cmp, table)
    records = json.loads(table.to_json(orient="records"))
    write_json(out / "compare.json",
               {**metadata(cmp), "reading": text, "strategies_table": records})
    plot_bands(cmp, bands, out / PLOTS[0][0])
    plot_differences(cmp, table, out / PLOTS[1][0])
    plot_cost_vs_gain(cmp, table, out / PLOTS[2][0])
    meta = metadata(cmp)
    figures = "".join(embed_image(out / name, title) for name, title in PLOTS)
    crn = ("common random numbers (replicate r uses the same seed under every strategy)"
           if cmp.common_random_numbers else "independent seeds per strategy")
    body = f"""<h1>{html.escape(meta['scenario'])}: strategies for {carrier_label(cmp.carrier)}</h1>
<h2>Reading</h2><p>{html.escape(text)}</p>
<h2>Strategies</h2>{_table_html(table)}
<p>Net porting is cumulative over {meta['horizon_months']} months ({meta['first_month']} to
{meta['last_month']}); differences are paired by replicate, with a {int(CONFIDENCE * 100)}%
t-interval. Cost is what the levers book (a price cut or discount shows as lost revenue,
so see Δ profit). {cmp.replicates} replicates, {crn}; {meta['population_rows']:,} simulated
subscribers standing for {meta['represents']:,.0f}; {meta['wall_seconds']} s on
{cmp.jobs} process(es); mnp-sim {__version__}.</p>
<h2>Figures</h2>{figures}"""
    write_text(out / "report.html", page(f"{meta['scenario']}: strategy comparison", body))
    names = ["compare.csv", "compare.json", "replicates.csv", "net_porting_bands.csv",
             "report.html", *[n for n, _ in PLOTS]]
    return [out / n for n in names]
