"""Everything `mnp compare --out DIR` writes: tables, plots, workbook, report and summary.

- `compare.csv`, `compare.json`, `replicates.csv`, `net_porting_bands.csv` (and
  `decomposition.csv` when asked): the tables;
- three plots, plus one per decomposed strategy;
- `report.html`: the reading, the months covered, what the intervals mean, the
  headline figures, every strategy spelled out action by action as a difference
  from the baseline, each lever's contribution, and the figures;
- `comparison.xlsx` (sim/compare/workbook.py) and `summary.pdf`, one page printed
  from `summary.html` by headless Chromium (sim/compare/pdf.py).

Words come from sim/compare/labels.py in the report's language (`--lang`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from sim import __version__  # noqa: E402
from sim.compare.decompose import Decomposition  # noqa: E402
from sim.compare.describe import (  # noqa: E402
    StrategyText,
    rival_actions,
)
from sim.compare.horizon import Coverage, coverage  # noqa: E402
from sim.compare.labels import Labels  # noqa: E402
from sim.compare.runs import Comparison  # noqa: E402
from sim.compare.stats import CONFIDENCE, SPREAD  # noqa: E402
from sim.outputs import atomic_write  # noqa: E402
from sim.pages import embed_image  # noqa: E402
from sim.style import strategy_colours  # noqa: E402

PLOTS = (
    ("net_porting_bands.png", "p_bands"),
    ("paired_differences.png", "p_diffs"),
    ("cost_vs_gain.png", "p_cost"),
)
CONF = int(CONFIDENCE * 100)

@dataclass
class ReportInputs:
    """What a report needs besides the runs: language, decompositions, strategy texts."""

    lang: str = "en"
    decompositions: list[Decomposition] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)
    pdf: bool = True
    pdf_note: str | None = None       # set by save_comparison when the PDF was skipped


def words_for(cmp: Comparison, lang: str = "en") -> Labels:
    """The labels of a comparison's report in `lang`."""
    return Labels(lang, cmp.scenarios[cmp.baseline])


def coverage_of(cmp: Comparison) -> Coverage:
    """The months a comparison covers, and how many of them have MNP open."""
    spec = cmp.scenarios[cmp.baseline]
    return coverage(cmp.months[0], len(cmp.months), spec.policy.first_opening)


def coverage_text(cmp: Comparison, words: Labels) -> str:
    """'covers 2019-01 to 2020-12 (24 months, 14 of them with MNP open)'."""
    c = coverage_of(cmp)
    key = "covers" if c.opening is not None else "covers_never"
    return words.t(key, first=c.first, last=c.last, months=c.months, mnp=c.mnp_months)


def intervals_text(cmp: Comparison, words: Labels) -> str:
    """The plain statement that the intervals are simulation noise only."""
    return words.t("intervals", conf=CONF, lo=SPREAD[0], hi=SPREAD[1])


def _known(value) -> bool:
    return value is not None and value == value  # None and NaN mean "no extra ports"


def _per(value, words: Labels) -> str:
    return words.yuan(value) if _known(value) and value > 0 else "–"


def reading(cmp: Comparison, table: pd.DataFrame, words: Labels | None = None,
            decompositions: list[Decomposition] = ()) -> str:
    """One plain-language paragraph: what each strategy gains, how sure, at what cost."""
    words = words or words_for(cmp)
    months = cmp.months
    parts = [words.t("r_intro", carrier=words.carrier(cmp.carrier), months=len(months),
                     first=months[0], last=months[-1], replicates=cmp.replicates,
                     baseline=cmp.baseline)]
    m = words.millions
    for row in table.itertuples():
        if row.strategy == cmp.baseline:
            continue
        ci = words.t("r_ci", low=m(row.diff_net_porting_ci_low, True),
                     high=m(row.diff_net_porting_ci_high, True))
        if not row.significant:
            verdict = words.t("r_none", s=row.strategy, diff=m(row.diff_net_porting, True), ci=ci)
        elif row.diff_net_porting > 0:
            verdict = words.t("r_gain", s=row.strategy, diff=m(row.diff_net_porting), ci=ci,
                              won=m(row.port_ins_won, True),
                              avoided=m(row.port_outs_avoided, True))
            if _known(row.cost_per_extra_net_port) and row.diff_cost > 0:
                verdict += words.t("r_cost_net", v=words.yuan(row.cost_per_extra_net_port))
                if _known(row.cost_per_port_out_avoided):
                    verdict += words.t("r_cost_avoided",
                                       v=words.yuan(row.cost_per_port_out_avoided))
            forgone = row.profit_forgone_per_extra_net_port
            if _known(forgone) and forgone > 0:
                verdict += words.t("r_forgone", v=words.yuan(forgone))
        else:
            verdict = words.t("r_loss", s=row.strategy, diff=m(-row.diff_net_porting), ci=ci)
        verdict += words.t("r_profit", sign="+" if row.diff_profit >= 0 else "−",
                           v=words.yuan(abs(row.diff_profit)))
        parts.append(verdict)
    for dec in decompositions:
        if dec.changes:
            rows = dec.table().iloc[:-1]
            shares = ", ".join(words.t("r_part", change=name, v=m(r.net_porting, True))
                               for r, name in zip(rows.itertuples(), change_labels(dec, words),
                                                  strict=False))
            parts.append(words.t("r_decomp", s=dec.strategy, parts=shares))
    ranked = table.sort_values("rank")["strategy"].tolist()
    parts.append(words.t("r_rank", order=" > ".join(ranked)))
    return " ".join(parts)


# ---------------------------------------------------------------- plots

def _dates(months: pd.Series) -> pd.Series:
    return pd.to_datetime(months + "-01")


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def plot_bands(cmp: Comparison, bands: pd.DataFrame, path: Path, words: Labels) -> None:
    """Cumulative net porting per strategy over the months, with its 5-95% band."""
    colours = strategy_colours(cmp.strategies)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for name in cmp.strategies:
        rows = bands[bands["strategy"] == name]
        x = _dates(rows["month"])
        ax.plot(x, rows["mean"] / 1e6, color=colours[name], label=name)
        ax.fill_between(x, rows["p05"] / 1e6, rows["p95"] / 1e6, color=colours[name], alpha=0.15)
    ax.axhline(0, color="black", lw=0.6)
    mnp = cmp.scenarios[cmp.baseline].policy.first_opening
    if mnp and cmp.months[0] <= mnp <= cmp.months[-1]:
        ax.axvline(pd.to_datetime(mnp + "-01"), color="grey", ls="--", lw=1,
                   label=words.t("mnp_opens"))
    ax.set(xlabel=words.t("month"), ylabel=words.t("y_cum"),
           title=words.t("t_bands", carrier=words.carrier(cmp.carrier), lo=SPREAD[0],
                         hi=SPREAD[1], replicates=cmp.replicates))
    ax.tick_params(axis="x", labelrotation=30)
    ax.legend(fontsize=8)
    _save(fig, path)


def _xerr(mean: float, low: float, high: float) -> list[list[float]]:
    return [[(mean - low) / 1e6], [(high - mean) / 1e6]]


def plot_differences(cmp: Comparison, table: pd.DataFrame, path: Path, words: Labels) -> None:
    """Each strategy's paired difference to the baseline, with its CI."""
    colours = strategy_colours(cmp.strategies)
    rows = table[table["strategy"] != cmp.baseline]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(rows) + 1.8))
    y = range(len(rows))
    for i, row in zip(y, rows.itertuples(), strict=True):
        ax.errorbar(row.diff_net_porting / 1e6, i,
                    xerr=_xerr(row.diff_net_porting, row.diff_net_porting_ci_low,
                               row.diff_net_porting_ci_high),
                    fmt="o", color=colours[row.strategy], capsize=4)
    ax.set_yticks(list(y), rows["strategy"].tolist())
    ax.axvline(0, color="black", lw=0.8)
    ax.set(xlabel=words.t("x_diff", baseline=cmp.baseline),
           title=words.t("t_diff", carrier=words.carrier(cmp.carrier), baseline=cmp.baseline,
                         conf=CONF))
    _save(fig, path)


def plot_cost_vs_gain(cmp: Comparison, table: pd.DataFrame, path: Path, words: Labels) -> None:
    """Extra lever cost against extra net porting, one point per strategy."""
    colours = strategy_colours(cmp.strategies)
    big = table["diff_cost"].abs().max() >= 1e10
    unit, label = (1e9, words.t("billion_yuan")) if big else (1e6, words.t("million_yuan"))
    fig, ax = plt.subplots(figsize=(8, 5))
    for row in table.itertuples():
        ax.errorbar(row.diff_net_porting / 1e6, row.diff_cost / unit,
                    xerr=_xerr(row.diff_net_porting, row.diff_net_porting_ci_low,
                               row.diff_net_porting_ci_high),
                    fmt="o", color=colours[row.strategy], capsize=3, label=row.strategy)
        ax.annotate(row.strategy, (row.diff_net_porting / 1e6, row.diff_cost / unit),
                    xytext=(5, 5), textcoords="offset points", fontsize=8)
    ax.axhline(0, color="black", lw=0.6)
    ax.axvline(0, color="black", lw=0.6)
    ax.set(xlabel=words.t("x_diff", baseline=cmp.baseline),
           ylabel=words.t("y_cost", baseline=cmp.baseline, unit=label),
           title=words.t("t_cost", carrier=words.carrier(cmp.carrier)))
    _save(fig, path)


def plot_decomposition(cmp: Comparison, dec: Decomposition, path: Path, words: Labels) -> None:
    """Each change's Shapley contribution to extra net porting, and the total."""
    rows = dec.table()
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(rows) + 1.8))
    y = list(range(len(rows)))[::-1]
    colours = ["#0072B2"] * (len(rows) - 1) + ["#000000"]
    for i, row, colour in zip(y, rows.itertuples(), colours, strict=True):
        ax.barh(i, row.net_porting / 1e6, color=colour, alpha=0.75)
        ax.errorbar(row.net_porting / 1e6, i,
                    xerr=_xerr(row.net_porting, row.net_porting_ci_low, row.net_porting_ci_high),
                    fmt="none", ecolor="black", capsize=3)
    labels = change_labels(dec, words)
    ax.set_yticks(y, labels)
    ax.axvline(0, color="black", lw=0.8)
    ax.set(xlabel=words.t("x_decomp"),
           title=words.t("t_decomp", carrier=words.carrier(cmp.carrier), strategy=dec.strategy,
                         conf=CONF))
    _save(fig, path)


def decomposition_png(dec: Decomposition) -> str:
    """The file name of a strategy's decomposition plot."""
    return f"decomposition_{dec.strategy}.png"


# ---------------------------------------------------------------- tables

def _m(x: float) -> str:
    return f"{x / 1e6:+,.2f}"


def _ci(low: float, high: float, words: Labels) -> str:
    return words.t("range", low=_m(low), high=_m(high))


def headline_columns(words: Labels) -> list[str]:
    """The headline table's column titles, in the report's language."""
    return [words.t("c_strategy"), words.t("c_rank"), words.t("c_net"),
            words.t("c_range", lo=SPREAD[0], hi=SPREAD[1]), words.t("c_diff"),
            words.t("c_ci", conf=CONF), words.t("c_won"), words.t("c_avoided"),
            words.t("c_dcost"), words.t("c_dprofit"), words.t("c_per_net"),
            words.t("c_per_avoided"), words.t("c_forgone"), words.t("c_subs")]


def headline_rows(table: pd.DataFrame, words: Labels) -> list[list[str]]:
    """The headline table's cells as text (strategy first)."""
    return [[r.strategy, str(r.rank), _m(r.net_porting_mean),
             _ci(r.net_porting_p05, r.net_porting_p95, words), _m(r.diff_net_porting),
             _ci(r.diff_net_porting_ci_low, r.diff_net_porting_ci_high, words),
             f"{_m(r.port_ins_won)} "
             f"({_ci(r.port_ins_won_ci_low, r.port_ins_won_ci_high, words)})",
             f"{_m(r.port_outs_avoided)} "
             f"({_ci(r.port_outs_avoided_ci_low, r.port_outs_avoided_ci_high, words)})",
             words.yuan(r.diff_cost), words.yuan(r.diff_profit),
             _per(r.cost_per_extra_net_port, words) if r.diff_cost > 0 else "–",
             _per(r.cost_per_port_out_avoided, words) if r.diff_cost > 0 else "–",
             _per(r.profit_forgone_per_extra_net_port, words),
             f"{r.subscribers_at_horizon / 1e6:,.2f}"] for r in table.itertuples()]


def html_table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table of text cells (escaped)."""
    top = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f'<table class="{cls}"><tr>{top}</tr>{body}</table>'


def decomposition_columns(words: Labels) -> list[str]:
    """The decomposition table's column titles."""
    return [words.t("c_change"), words.t("c_lever"), words.t("c_diff"),
            words.t("c_ci", conf=CONF), words.t("c_won"), words.t("c_avoided"),
            words.t("c_dcost"), words.t("c_dprofit")]


def decomposition_rows(dec: Decomposition, words: Labels) -> list[list[str]]:
    """A decomposition's cells as text, one row per change and the total."""
    rows = []
    for r, label in zip(dec.table().itertuples(), change_labels(dec, words), strict=True):
        change = label
        rows.append([change, words.lever(r.lever) if r.lever else "", _m(r.net_porting),
                     _ci(r.net_porting_ci_low, r.net_porting_ci_high, words), _m(r.port_ins_won),
                     _m(r.port_outs_avoided), words.yuan(r.cost), words.yuan(r.profit)])
    return rows


def change_labels(dec: Decomposition, words: Labels) -> list[str]:
    """Each change's name in the report's language ("+ 离网预警"), then the total's."""
    if words.lang == "en":
        names = [c.label for c in dec.changes]
    else:
        names = [f"{c.sign} {c.action.label or words.lever(c.action.kind)}"
                 + (c.label[c.label.rfind(" #"):] if " #" in c.label else "")
                 for c in dec.changes]
    return [*names, words.t("total")]


def decomposition_intro(cmp: Comparison, dec: Decomposition, words: Labels) -> str:
    """One sentence: how the decomposition was made."""
    method = (words.t("exact", coalitions=dec.coalitions) if dec.method == "exact" else
              words.t("sampled", samples=dec.samples, coalitions=dec.coalitions))
    return words.t("decomp_intro", strategy=dec.strategy, method=method,
                   replicates=cmp.replicates)


def _strategy_html(s: StrategyText, words: Labels) -> str:
    items = "".join(f"<li>{html.escape(a.line(words))}</li>" for a in s.actions)
    actions = f"<ul>{items}</ul>" if items else f"<p>{html.escape(words.t('no_actions'))}</p>"
    desc = f"<p><i>{html.escape(s.description)}</i></p>" if s.description else ""
    return (f"<h3>{html.escape(s.name)}</h3>{desc}<p><b>{html.escape(s.difference(words))}"
            f"</b></p>{actions}")


# ---------------------------------------------------------------- files

def metadata(cmp: Comparison, lang: str = "en") -> dict:
    """The settings of a comparison, for compare.json and the workbook."""
    first = cmp.scenarios[cmp.baseline]
    return {
        "scenario": first.name, "carrier": cmp.carrier, "baseline": cmp.baseline,
        "strategies": cmp.strategies, "replicates": cmp.replicates,
        **coverage_of(cmp).as_dict(), "common_random_numbers": cmp.common_random_numbers,
        "seeds": cmp.seeds[cmp.baseline] if cmp.common_random_numbers else cmp.seeds,
        "population_rows": first.population.size, "represents": first.represents(),
        "jobs": cmp.jobs, "wall_seconds": round(cmp.wall_seconds, 2), "version": __version__,
        "lang": lang, "intervals": "simulation noise only (replicates with the same inputs); "
                                   "parameter uncertainty is not included",
        **cmp.meta,
    }


def _setup_text(cmp: Comparison, meta: dict, words: Labels) -> str:
    crn = words.t("crn") if cmp.common_random_numbers else words.t("independent")
    return words.t("setup", replicates=cmp.replicates, crn=crn, rows=meta["population_rows"],
                   represents=meta["represents"], seconds=meta["wall_seconds"], jobs=cmp.jobs,
                   version=__version__)


def report_page(title: str, body: str, words: Labels, extra_css: str = "") -> str:
    """A complete HTML page in the report's language, with fonts that cover Chinese."""
    from sim.pages import STYLE
    css = (f"{STYLE}\nbody{{font-family:{words.css_fonts}}}\n"
           "table.wide td,table.wide th{font-size:12px;padding:3px 6px}\n" + extra_css)
    return f"""<!doctype html><html lang="{words.html_lang}"><head><meta charset="utf-8">
<title>{html.escape(title)}</title><style>{css}</style></head><body>
{body}</body></html>
"""


def report_html(cmp: Comparison, table: pd.DataFrame, out: Path, words: Labels,
                inputs: ReportInputs, text: str, strategies: list[StrategyText],
                meta: dict) -> str:
    """The full report page."""
    scenario = meta["scenario"]
    figures = "".join(embed_image(out / name, words.t(key)) for name, key in PLOTS)
    rivals = rival_actions(cmp, words)
    rival_html = ""
    if rivals:
        items = "".join(f"<li><b>{html.escape(words.carrier(k))}</b>: "
                        + html.escape(" | ".join(a.line(words) for a in acts)) + "</li>"
                        for k, acts in rivals.items())
        rival_html = f"<h3>{html.escape(words.t('h_rivals'))}</h3><ul>{items}</ul>"
    decomp = ""
    for dec in inputs.decompositions:
        if not dec.changes:
            decomp += f"<p>{html.escape(words.t('no_changes', strategy=dec.strategy))}</p>"
            continue
        decomp += (f"<h3>{html.escape(dec.strategy)}</h3>"
                   f"<p>{html.escape(decomposition_intro(cmp, dec, words))}</p>"
                   + html_table(decomposition_columns(words), decomposition_rows(dec, words))
                   + embed_image(out / decomposition_png(dec), words.t("p_decomp")))
    if decomp:
        decomp = f"<h2>{html.escape(words.t('h_decomposition'))}</h2>{decomp}"
    h = lambda key: f"<h2>{html.escape(words.t(key))}</h2>"  # noqa: E731
    body = f"""<h1>{html.escape(words.t('title', scenario=scenario,
                                        carrier=words.carrier(cmp.carrier)))}</h1>
<p><b>{html.escape(words.t('h_coverage'))}:</b> {html.escape(coverage_text(cmp, words))}</p>
{h('h_reading')}<p>{html.escape(text)}</p>
{h('h_intervals')}<p>{html.escape(intervals_text(cmp, words))}</p>
{h('h_headline')}{html_table(headline_columns(words), headline_rows(table, words), 'wide')}
<p>{html.escape(words.t('cost_note'))} {html.escape(_setup_text(cmp, meta, words))}</p>
{h('h_strategies')}{''.join(_strategy_html(s, words) for s in strategies)}{rival_html}
{decomp}
{h('h_figures')}{figures}"""
    return report_page(words.t("page_title", scenario=scenario), body, words)
