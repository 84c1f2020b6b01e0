"""Everything `mnp run --out DIR` writes: tables, summary, plots and report.html."""

from __future__ import annotations

import html
from pathlib import Path

from sim import plots
from sim.outputs import prepare_out_dir, write_csv, write_json, write_text
from sim.pages import embed_image, page
from sim.results import RunResult
from sim.style import carrier_label, scenario_look

PLOTS = (
    ("subscribers.png", "Subscribers and market share", plots.plot_subscribers),
    ("net_porting.png", "Net porting", plots.plot_net_porting),
    ("churn.png", "Monthly churn", plots.plot_churn),
    ("loyalty.png", "Loyalty quadrants", plots.plot_loyalty),
    ("switching_cost.png", "Switching cost by part", plots.plot_switching_cost),
)


def reading(result: RunResult) -> str:
    """A short plain-language reading of the run's headline figures."""
    s = result.summary
    net = s["cumulative_net_porting"]
    look = scenario_look(result.scenario)
    keys = list(look)
    ranked = sorted(keys, key=lambda k: net[k], reverse=True)
    best, worst = ranked[0], ranked[-1]
    mnp = result.scenario.policy.first_opening
    ts = result.timeseries
    fl = ts.pivot(index="month", columns="carrier", values="false_loyal_share")
    parts = [
        f"Over {s['months']} months ({s['first_month']} to {s['last_month']}), "
        f"{s['total_ports'] / 1e6:,.2f} million subscribers ported.",
        f"{carrier_label(best, look)} gained most from porting (net {net[best] / 1e6:+,.2f} M); "
        f"{carrier_label(worst, look)} lost most (net {net[worst] / 1e6:+,.2f} M).",
    ]
    if mnp and mnp in fl.index and mnp > fl.index[0]:
        before = fl.loc[:mnp].iloc[-2]
        after = fl.iloc[-1]
        parts.append("False-loyal (hostage) share just before MNP opened vs. at the end: "
                     + ", ".join(f"{carrier_label(k, look)} {100 * before[k]:.1f}% → "
                                 f"{100 * after[k]:.1f}%" for k in keys)
                     + ".")
    elif mnp is None:
        parts.append("MNP never opens in this scenario: moves are new-number switches only.")
    shares = ", ".join(f"{carrier_label(k, look)} {100 * s['final_share'][k]:.1f}%" for k in keys)
    parts.append(f"Final market shares: {shares}.")
    return " ".join(parts)


def report_html(result: RunResult, out: Path) -> str:
    """The run's report page as HTML: carrier table and the figures saved in `out`."""
    s = result.summary
    look = scenario_look(result.scenario)
    keys = list(look)
    rows = "".join(
        f"<tr><td>{carrier_label(k, look)}</td><td>{100 * s['final_share'][k]:.1f}%</td>"
        f"<td>{s['cumulative_port_in'][k] / 1e6:,.2f}</td>"
        f"<td>{s['cumulative_port_out'][k] / 1e6:,.2f}</td>"
        f"<td>{s['cumulative_net_porting'][k] / 1e6:+,.2f}</td>"
        f"<td>{100 * s['final_false_loyal_share'][k]:.1f}%</td></tr>" for k in keys)
    figures = "".join(embed_image(out / name, title) for name, title, _ in PLOTS)
    body = f"""<h1>{html.escape(result.scenario.name)}</h1>
<p>{html.escape(result.scenario.description)}</p>
<h2>Reading</h2><p>{html.escape(reading(result))}</p>
<h2>Headline figures</h2>
<table><tr><th>carrier</th><th>final share</th><th>port-ins (M)</th><th>port-outs (M)</th>
<th>net porting (M)</th><th>final false-loyal share</th></tr>{rows}</table>
<p>Seed {s['seed']}, {s['population_rows']:,} simulated subscribers standing for
{s['represents']:,.0f} real ones; mnp-sim {s['version']}; {s['wall_seconds']} s.</p>
<h2>Figures</h2>{figures}"""
    return page(f"{result.scenario.name}: mnp-sim report", body)


TABLES = ("timeseries.csv", "porting_matrix.csv", "loyalty.csv", "segment_porting.csv")
#: Every file `mnp run` may write; summary.json is written last, as the completion marker.
RUN_FILES = (*TABLES, "report.html", *[n for n, _, _ in PLOTS], "subscriber_sample.csv",
             "summary.json")


def save_run(result: RunResult, out: Path, force: bool = False) -> list[Path]:
    """Write every output of a run into `out`; returns the files written.

    summary.json goes last and lists the files: a folder without it (or with files it
    does not list) holds an incomplete or mixed set. A forced rerun removes the old
    summary.json first, so a rerun killed half-way is never taken for a finished one.
    """
    out = Path(out)
    prepare_out_dir(out, force, RUN_FILES)
    (out / "summary.json").unlink(missing_ok=True)
    title = f"{result.scenario.name} (seed {result.seed})"
    mnp = result.scenario.policy.first_opening
    frames = dict(zip(TABLES, (result.timeseries, result.porting_matrix, result.loyalty,
                               result.segment_porting), strict=True))
    if result.subscriber_sample is not None:
        frames["subscriber_sample.csv"] = result.subscriber_sample
    for name, frame in frames.items():
        write_csv(out / name, frame)
    for name, heading, plot in PLOTS:
        plot(result.timeseries, f"{heading}: {title}", mnp, out / name)
    write_text(out / "report.html", report_html(result, out))
    names = [*frames, "report.html", *[n for n, _, _ in PLOTS], "summary.json"]
    write_json(out / "summary.json", {**result.summary, "files": names, "complete": True})
    return [out / n for n in names]
