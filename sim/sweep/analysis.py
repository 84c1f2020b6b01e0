"""Analyse a finished sweep: sensitivity indices, scenario discovery, tables and plots.

- sobol designs: first-order and total Sobol indices (SALib.analyze.sobol), each with
  a 95% bootstrap interval (percentiles of 1000 resamples) beside it; a warning, in
  the notes and the report, where the intervals are wide against the estimates or an
  index is negative beyond its interval (the design is too small); and the indices
  recomputed on the first 2^m base samples, to show how they settle as runs are
  added (sobol_convergence.csv/.png). Refused on any other design;
- morris designs: mu*, its confidence interval, and sigma (SALib.analyze.morris);
- grid and lhs designs: metric means by parameter level (grid) or by quantile bin
  (lhs), with partial-dependence plots;
- every design: metric-vs-parameter scatter plots, and, when the study names a
  discovery outcome, extra-trees feature scores (scikit-learn) and a PRIM box
  (ema-workbench, the `discovery` extra) for the parameter region where it happens,
  with the share of each range the box keeps; a box that keeps nearly every range
  is reported as no finding;
- series metrics: each run's monthly trajectory and the 5-95% band by month.
Every axis carries its unit and readable numbers (sim.axes).
Replicates are averaged per design point first (their seeds are common to all
points), so seed noise does not swamp the indices.
"""

from __future__ import annotations

import html
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.axes import axis_label, colourbar_axis, month_axis, readable_axis
from sim.outputs import OutputError, atomic_write, write_csv, write_text  # noqa: E402
from sim.pages import embed_image, page  # noqa: E402
from sim.style import strategy_colours
from sim.sweep.design import salib_problem  # noqa: E402
from sim.sweep.execution import SweepPaths  # noqa: E402
from sim.sweep.metrics import FLOWS, quantity_of
from sim.sweep.study import Metric, Study, parameter_label, short_name

PRIM_DENSITY = 0.8  # pick the PRIM box with the most coverage at this density or more
#: A PRIM box that keeps at least this share of every parameter's range restricts
#: little: it is reported as no finding.
PRIM_LITTLE = 0.9
LHS_BINS = 5
FLOWS_OR_PORTS = {*FLOWS, "total_ports"}  # metrics summed over months, not read at one
#: Bootstrap resamples behind every Sobol interval (SALib's default is 100).
SOBOL_RESAMPLES = 1000
#: A Sobol index's interval is "wide" when its half-width exceeds this share of the
#: estimate's size AND this absolute value, unless the whole interval lies below
#: NEGLIGIBLE: an index known to be under 0.1 is resolved as negligible.
WIDE_RELATIVE = 0.5
WIDE_ABSOLUTE = 0.05
NEGLIGIBLE = 0.1
#: The smallest number of base samples the convergence table starts from.
CONVERGENCE_FIRST = 8


class SensitivityWarning(UserWarning):
    """Sensitivity indices that the design is too small to pin down."""


class AnalysisError(Exception):
    """A sweep that cannot be analysed as asked."""


@dataclass
class Analysis:
    """Tables and figures of one sweep's analysis."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Long tables written as CSV but not printed: sobol_convergence, series_bands.
    details: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: list[tuple[str, str]] = field(default_factory=list)   # (file, title)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # also in notes, and in the report


def load_sweep(out: Path) -> tuple[Study, pd.DataFrame]:
    """The study and its runs from a sweep folder; refuses an unfinished sweep."""
    paths = SweepPaths(Path(out))
    if not paths.manifest.is_file():
        raise AnalysisError(f"{out} holds no sweep (no manifest.json); run `mnp sweep` first")
    manifest = json.loads(paths.manifest.read_text())
    if not paths.runs.is_file():
        raise AnalysisError(f"the sweep in {out} is not finished ({manifest.get('status')}); "
                            f"finish it with `mnp sweep {manifest.get('study_file')} --out {out} "
                            "--resume`")
    return Study.model_validate(manifest["study_spec"]), pd.read_parquet(paths.runs)


def point_means(study: Study, runs: pd.DataFrame) -> pd.DataFrame:
    """Metrics averaged over each design point's successful replicates."""
    ok = runs[runs["status"] == "ok"]
    metrics = [m.name for m in study.metrics]
    means = ok.groupby("point")[[*study.names, *metrics]].mean()
    return means.reindex(sorted(runs["point"].unique()))


# ---------------------------------------------------------------- methods

def _sobol_rows(study: Study, y: np.ndarray, metric: str) -> list[dict]:
    """Indices of one metric, each with SALib's normal half-width and bootstrap percentiles.

    The half-width is Z x bootstrap sd; the percentiles (2.5-97.5) are of the same
    bootstrap resamples.
    """
    from SALib.analyze import sobol
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a constant metric: NaN indices
        si = sobol.analyze(salib_problem(study), y, calc_second_order=study.second_order,
                           num_resamples=SOBOL_RESAMPLES, conf_level=0.95,
                           keep_resamples=True, seed=study.seed or 1)
    rows = []
    for j, name in enumerate(study.names):
        row = {"metric": metric, "parameter": name}
        for index in ("S1", "ST"):
            draws = np.asarray(si[f"{index}_conf_all"])[:, j]
            draws = draws[np.isfinite(draws)]
            low, high = (np.percentile(draws, [2.5, 97.5]) if len(draws) else (np.nan, np.nan))
            row.update({index: float(si[index][j]), f"{index}_conf": float(si[f"{index}_conf"][j]),
                        f"{index}_low": float(low), f"{index}_high": float(high)})
        rows.append(row)
    return rows


def _sobol_outputs(study: Study, means: pd.DataFrame) -> dict[str, np.ndarray]:
    if study.sampler != "sobol":
        raise AnalysisError(f"Sobol indices need a Sobol design; this study's sampler is "
                            f"{study.sampler!r} (use sampler: sobol)")
    out = {}
    for metric in (m.name for m in study.metrics):
        y = means[metric].to_numpy()
        if np.isnan(y).any():
            raise AnalysisError(f"{metric}: {int(np.isnan(y).sum())} design points have no "
                                "successful run; Sobol indices need every point")
        out[metric] = y
    return out


def sobol_indices(study: Study, means: pd.DataFrame) -> pd.DataFrame:
    """First-order and total Sobol indices, per metric and parameter, with 95% intervals.

    Each has SALib's 95% half-width (`_conf`) and the 95% bootstrap percentile interval
    (`_low`, `_high`).
    """
    rows = []
    for metric, y in _sobol_outputs(study, means).items():
        rows.extend(_sobol_rows(study, y, metric))
    return pd.DataFrame(rows)


def block_size(study: Study) -> int:
    """Design points per Sobol base sample: k + 2, or 2k + 2 with second order."""
    k = len(study.names)
    return 2 * k + 2 if study.second_order else k + 2


def sobol_convergence(study: Study, means: pd.DataFrame) -> pd.DataFrame:
    """The indices recomputed on the first n base samples, n = 8, 16, 32... and the study's N.

    How they and their intervals settle as runs are added. The first n blocks of SALib's
    design are a design of n base samples themselves (Sobol points in order), so each row
    is what a study of that size would have reported.
    """
    outputs = _sobol_outputs(study, means)
    block = block_size(study)
    total = len(means) // block
    sizes = [n for n in (2 ** m for m in range(3, 31)) if CONVERGENCE_FIRST <= n < total]
    rows = []
    for n in [*sizes, total]:
        for metric, y in outputs.items():
            for row in _sobol_rows(study, y[: n * block], metric):
                rows.append({"base_samples": n, "runs": n * block * study.replicates, **row})
    return pd.DataFrame(rows)


def sobol_reliability(study: Study, table: pd.DataFrame) -> list[str]:
    """Why these indices cannot be trusted yet (empty if they can).

    Intervals wide against the estimates (half-width over half the estimate and over
    0.05, the interval reaching above 0.1), or indices negative beyond their interval.
    """
    wide, negative = [], []
    for row in table.itertuples():
        for index in ("S1", "ST"):
            value, conf = getattr(row, index), getattr(row, f"{index}_conf")
            text = f"{row.metric} / {row.parameter}: {index} = {value:.2f} ± {conf:.2f}"
            if not np.isfinite(value) or not np.isfinite(conf):
                continue
            if value + conf < 0:
                negative.append(text)
            elif (conf > WIDE_ABSOLUTE and conf > WIDE_RELATIVE * abs(value)
                  and value + conf > NEGLIGIBLE):
                wide.append(text)
    if not wide and not negative:
        return []
    runs = study.samples * block_size(study) * study.replicates
    out = []
    if negative:
        out.append(f"{len(negative)} indices are negative beyond their 95% interval, which a "
                   "variance share cannot be: " + "; ".join(negative[:6])
                   + ("; ..." if len(negative) > 6 else ""))
    if wide:
        out.append(f"{len(wide)} of {2 * len(table)} indices have a 95% interval wider than "
                   f"half the estimate (over ±{WIDE_ABSOLUTE}, and reaching above "
                   f"{NEGLIGIBLE}): " + "; ".join(wide[:6])
                   + ("; ..." if len(wide) > 6 else ""))
    out.append(f"The design is too small for stable indices: {study.samples} base samples, "
               f"{runs} runs ({runs // max(len(study.names), 1)} per parameter). Raise "
               "`samples` (a power of 2) until sobol_convergence.png flattens; SALib's "
               "maintainers suggest thousands of runs per parameter.")
    return out


def morris_indices(study: Study, means: pd.DataFrame) -> pd.DataFrame:
    """Morris mu*, its 95% interval, mu and sigma, per metric and parameter."""
    from SALib.analyze import morris
    if study.sampler != "morris":
        raise AnalysisError(f"Morris indices need a Morris design; this study's sampler is "
                            f"{study.sampler!r}")
    x = means[study.names].to_numpy()
    rows = []
    for metric in (m.name for m in study.metrics):
        si = morris.analyze(salib_problem(study), x, means[metric].to_numpy(),
                            num_levels=study.morris_levels, conf_level=0.95, seed=study.seed)
        for j, name in enumerate(study.names):
            rows.append({"metric": metric, "parameter": name, "mu_star": si["mu_star"][j],
                         "mu_star_conf": si["mu_star_conf"][j], "mu": si["mu"][j],
                         "sigma": si["sigma"][j]})
    return pd.DataFrame(rows)


def level_means(study: Study, runs: pd.DataFrame) -> pd.DataFrame:
    """Mean, sd and count of every metric by parameter level (grid) or quantile bin (lhs)."""
    ok = runs[runs["status"] == "ok"]
    rows = []
    for name in study.names:
        key = ok[name] if study.sampler == "grid" else pd.qcut(
            ok[name], LHS_BINS, duplicates="drop").apply(lambda b: b.mid)
        for metric in (m.name for m in study.metrics):
            g = ok.groupby(key, observed=True)[metric].agg(["mean", "std", "count"])
            for level, r in g.iterrows():
                rows.append({"parameter": name, "level": float(level), "metric": metric,
                             "mean": r["mean"], "sd": r["std"], "runs": int(r["count"])})
    return pd.DataFrame(rows)


def discovery(study: Study, runs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None, str]:
    """(feature scores, PRIM box or None, note) for the study's outcome of interest."""
    from sklearn.ensemble import ExtraTreesClassifier
    d = study.discovery
    assert d is not None
    ok = runs[runs["status"] == "ok"]
    x = ok[study.names]
    y = (ok[d.metric] < d.below).to_numpy() if d.below is not None else (
        ok[d.metric] > d.above).to_numpy()
    rule = (f"{d.metric} {'<' if d.below is not None else '>'} "
            f"{d.below if d.below is not None else d.above:g}")
    if y.all() or not y.any():
        return (pd.DataFrame(columns=["parameter", "score"]), None,
                f"Every run or no run has {rule}: nothing to discover; adjust the threshold.")
    trees = ExtraTreesClassifier(n_estimators=300, random_state=study.seed).fit(x, y)
    scores = pd.DataFrame({"parameter": study.names, "score": trees.feature_importances_})
    scores = scores.sort_values("score", ascending=False)
    note = f"{int(y.sum())} of {len(y)} runs have {rule}."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ImportError:
        return scores, None, note + (" PRIM boxes need the optional extra: "
                                     "pip install 'mnp-sim[discovery]'.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        box = prim.Prim(x.reset_index(drop=True), y).find_box()
        trajectory = box.peeling_trajectory
        dense = trajectory[trajectory["density"] >= PRIM_DENSITY]
        i = int(dense["coverage"].idxmax()) if len(dense) else int(trajectory["density"].idxmax())
        limits = box.box_lims[i]
    stats = trajectory.loc[i]
    table = pd.DataFrame({"parameter": study.names,
                          "low": [float(limits[n].iloc[0]) for n in study.names],
                          "high": [float(limits[n].iloc[1]) for n in study.names]})
    span = (x.max() - x.min()).replace(0, np.nan)
    table["share_of_range_kept"] = [
        float(min(1.0, (min(r.high, x[r.parameter].max()) - max(r.low, x[r.parameter].min()))
                  / span[r.parameter])) if np.isfinite(span[r.parameter]) else 1.0
        for r in table.itertuples()]
    table["restricted"] = table["share_of_range_kept"] < PRIM_LITTLE
    base = float(y.mean())
    note += (f" PRIM box: coverage {stats['coverage']:.2f}, density {stats['density']:.2f} "
             f"(share of runs in the box that have it; {base:.2f} over all runs), mass "
             f"{stats['mass']:.2f}.")
    if not table["restricted"].any():
        note += (f" The box restricts little: it keeps at least {PRIM_LITTLE:.0%} of every "
                 "parameter's range, so it is no finding. The cases are spread over the "
                 "whole space, or there are too few runs to locate them.")
    else:
        kept = table[table["restricted"]]
        note += " It restricts " + ", ".join(
            f"{r.parameter} to {r.low:.4g}–{r.high:.4g} ({r.share_of_range_kept:.0%} of its "
            "range)" for r in kept.itertuples()) + "."
    return scores, table, note


# ---------------------------------------------------------------- plots

def _save(fig, path: Path) -> None:
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def _metric(study: Study, name: str) -> Metric:
    return next(m for m in study.metrics if m.name == name)


def metric_label(metric: Metric, prefix: str = "") -> str:
    """A three-line axis label for a metric.

    Its name and unit, what it is and whose, and at (or up to) which month.
    """
    at = "cumulative to" if metric.kind in FLOWS_OR_PORTS else "at"
    when = metric.month or "the end"
    return (f"{axis_label(prefix + metric.name, quantity_of(metric))}\n"
            f"{metric.kind.replace('_', ' ')}, {metric.carrier}\n{at} {when}")


def plot_indices(table: pd.DataFrame, columns: list[tuple[str, str, str]], title: str,
                 path: Path, ylabel: str = "index", kinds: dict[str, str] | None = None,
                 bounds: tuple[str, str] | None = None) -> None:
    """Grouped bars per parameter (one panel per metric) with 95% intervals.

    The `_low`/`_high` percentile columns where given, else +- the `_conf` half-width.
    `kinds` gives a metric's sim.axes kind where the index has the metric's unit.
    """
    metrics = list(dict.fromkeys(table["metric"]))
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 4.2), squeeze=False)
    colours = ["#0072B2", "#E69F00", "#009E73"]
    for ax, metric in zip(axes[0], metrics, strict=True):
        rows = table[table["metric"] == metric]
        x = np.arange(len(rows))
        width = 0.8 / len(columns)
        for k, (col, conf, label) in enumerate(columns):
            if f"{col}_low" in rows:
                err = np.vstack([(rows[col] - rows[f"{col}_low"]).clip(lower=0),
                                 (rows[f"{col}_high"] - rows[col]).clip(lower=0)])
            else:
                err = rows[conf].to_numpy()
            ax.bar(x + k * width, rows[col], width, yerr=err, capsize=3,
                   color=colours[k % 3], label=label)
        ax.set_xticks(x + width * (len(columns) - 1) / 2,
                      [short_name(p) for p in rows["parameter"]], rotation=30, ha="right")
        kind = (kinds or {}).get(metric, "number")
        unit = {"count": "subscribers", "yuan": "yuan", "share": "percentage points"}.get(kind)
        readable_axis(ax, "y", kind, f"{ylabel} ({unit}; 95% interval)" if unit else
                      f"{ylabel} (95% interval)")
        ax.set_title(metric)
        ax.axhline(0, color="black", lw=0.6)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(title)
    _save(fig, path)


def plot_convergence(study: Study, table: pd.DataFrame, path: Path) -> None:
    """S1 (dashed) and ST (solid) of every parameter against the number of runs.

    With their 95% bootstrap bands, one panel per metric: flat lines and narrow bands are
    indices the study has pinned down.
    """
    metrics = list(dict.fromkeys(table["metric"]))
    colours = strategy_colours(study.names)
    cols = len(metrics) if len(metrics) <= 3 else 2
    grid = -(-len(metrics) // cols)
    fig, axes = plt.subplots(grid, cols, figsize=(5.2 * cols, 3.9 * grid), squeeze=False,
                             sharey=True)
    for ax in axes.flat[len(metrics):]:
        ax.set_visible(False)
    # strict=False: the grid's spare panels (hidden above) have no metric
    for ax, metric in zip(axes.flat, metrics, strict=False):
        rows = table[table["metric"] == metric]
        for name in study.names:
            own = rows[rows["parameter"] == name]
            colour = colours[name]
            ax.plot(own["runs"], own["ST"], color=colour, lw=1.8, marker="o", ms=3,
                    label=short_name(name))
            ax.fill_between(own["runs"], own["ST_low"], own["ST_high"], color=colour,
                            alpha=0.12)
            ax.plot(own["runs"], own["S1"], color=colour, lw=1, ls="--")
        ax.axhline(0, color="black", lw=0.6)
        ax.set_xscale("log", base=2)
        sizes = sorted(rows["runs"].unique())
        ax.set_xticks(sizes)
        ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        readable_axis(ax, "x", "number")
        ax.xaxis.set_label_text("runs in the design (log scale)")
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
        readable_axis(ax, "y", "number", "Sobol index (band: 95% interval of ST)")
        ax.set_title(metric, fontsize=10)
    axes[0][0].legend(fontsize=7, title="ST solid, S1 dashed", title_fontsize=7)
    fig.suptitle(f"{study.name}: Sobol indices as runs are added (first n base samples)")
    _save(fig, path)


def plot_scatter(study: Study, runs: pd.DataFrame, path: Path) -> None:
    """Every metric against every parameter, one dot per successful run."""
    ok = runs[runs["status"] == "ok"]
    metrics = [m.name for m in study.metrics]
    fig, axes = plt.subplots(len(metrics), len(study.names), squeeze=False,
                             figsize=(3.4 * len(study.names), 2.8 * len(metrics)))
    for i, metric in enumerate(metrics):
        spec = _metric(study, metric)
        for j, name in enumerate(study.names):
            ax = axes[i][j]
            ax.scatter(ok[name], ok[metric], s=6, alpha=0.5, color="#0072B2")
            _label_panel(ax, study, spec, name, i, j, len(metrics))
    fig.suptitle(f"{study.name}: metrics against parameters ({len(ok)} runs)")
    _save(fig, path)


def _label_panel(ax, study: Study, spec: Metric, name: str, i: int, j: int, rows: int,
                 prefix: str = "") -> None:
    xlabel, xkind = parameter_label(name)
    readable_axis(ax, "x", xkind)
    readable_axis(ax, "y", quantity_of(spec))
    if i == rows - 1:
        ax.set_xlabel(xlabel, fontsize=7)
    if j == 0:
        ax.set_ylabel(metric_label(spec, prefix), fontsize=7)
    ax.tick_params(labelsize=7)


def plot_levels(study: Study, levels: pd.DataFrame, path: Path) -> None:
    """Partial dependence: each metric's mean by parameter level or bin (± 1 sd)."""
    metrics = [m.name for m in study.metrics]
    fig, axes = plt.subplots(len(metrics), len(study.names), squeeze=False,
                             figsize=(3.4 * len(study.names), 2.8 * len(metrics)))
    for i, metric in enumerate(metrics):
        spec = _metric(study, metric)
        for j, name in enumerate(study.names):
            rows = levels[(levels["metric"] == metric) & (levels["parameter"] == name)]
            ax = axes[i][j]
            ax.errorbar(rows["level"], rows["mean"], yerr=rows["sd"], fmt="o-",
                        color="#D55E00", capsize=3)
            _label_panel(ax, study, spec, name, i, j, len(metrics), prefix="mean ")
    fig.suptitle(f"{study.name}: partial dependence (mean ± 1 sd over the other inputs)")
    _save(fig, path)


def series_bands(study: Study, series: pd.DataFrame) -> pd.DataFrame:
    """Per series metric and month: mean, 5% and 95% over runs, and the runs counted."""
    if series.empty:
        return pd.DataFrame(columns=["metric", "month", "mean", "p05", "p95", "runs"])
    g = series.groupby(["metric", "month"], sort=True)["value"]
    bands = pd.DataFrame({"mean": g.mean(), "p05": g.quantile(0.05), "p95": g.quantile(0.95),
                          "runs": g.count()}).reset_index()
    order = {m.name: i for i, m in enumerate(study.metrics)}
    return bands.sort_values(["metric", "month"], key=lambda c: c.map(order) if c.name ==
                             "metric" else c, kind="stable").reset_index(drop=True)


def plot_series(study: Study, runs: pd.DataFrame, series: pd.DataFrame, path: Path) -> None:
    """Each series metric month by month, over runs.

    Every run's trajectory (thin, coloured by the first parameter), the mean (black) and
    the 5-95% band over runs.
    """
    from matplotlib.collections import LineCollection

    names = [m.name for m in study.metrics if m.name in set(series["metric"])]
    first = study.names[0]
    value_of = runs.set_index("run_id")[first]
    norm = plt.Normalize(value_of.min(), value_of.max())
    fig, axes = plt.subplots(1, len(names), figsize=(5.2 * len(names) + 1, 4.2), squeeze=False,
                             layout="constrained")
    bands = series_bands(study, series)
    for ax, name in zip(axes[0], names, strict=True):
        spec = _metric(study, name)
        own = series[series["metric"] == name]
        months = sorted(own["month"].unique())
        dates = pd.to_datetime(pd.Series(months) + "-01")
        where = {m: matplotlib.dates.date2num(d) for m, d in zip(months, dates, strict=True)}
        lines, colours = [], []
        for run_id, rows in own.groupby("run_id", sort=True):
            lines.append(np.column_stack([rows["month"].map(where), rows["value"]]))
            colours.append(value_of.get(run_id, np.nan))
        collection = LineCollection(lines, cmap="viridis", norm=norm, lw=0.6, alpha=0.35)
        collection.set_array(np.asarray(colours, dtype=float))
        ax.add_collection(collection)
        band = bands[bands["metric"] == name]
        x = pd.to_datetime(band["month"] + "-01")
        ax.fill_between(x, band["p05"], band["p95"], color="black", alpha=0.08,
                        label="5–95% of runs")
        ax.plot(x, band["mean"], color="black", lw=2, label="mean")
        ax.autoscale_view()
        readable_axis(ax, "y", quantity_of(spec))
        ax.set_ylabel(axis_label(f"{spec.kind.replace('_', ' ')}, "
                                 f"{'cumulative to' if spec.kind in FLOWS_OR_PORTS else 'at'} "
                                 "the month", quantity_of(spec)), fontsize=8)
        month_axis(ax, len(months))
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
        ax.set_title(f"{name} ({spec.carrier})", fontsize=10)
        ax.legend(fontsize=7, loc="best")
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap="viridis"), ax=axes[0].tolist())
    label, kind = parameter_label(first)
    colourbar_axis(bar, kind, label)
    fig.suptitle(f"{study.name}: monthly series of {len(value_of)} runs")
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


# ---------------------------------------------------------------- the whole analysis

def analyse(out: str | Path) -> Analysis:
    """Analyse the sweep in `out` and write OUT/analysis/ (CSV, PNG, report.html).

    Issues a SensitivityWarning when the Sobol indices are too uncertain to trust.
    """
    out = Path(out)
    study, runs = load_sweep(out)
    folder = out / "analysis"
    folder.mkdir(exist_ok=True)
    result = Analysis()
    means = point_means(study, runs)
    failed = int((runs["status"] != "ok").sum())
    if failed:
        result.notes.append(f"{failed} runs failed and are left out (see runs.parquet).")
    if study.sampler == "sobol":
        table = sobol_indices(study, means)
        result.tables["sobol_indices"] = table
        plot_indices(table, [("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total ST")],
                     f"{study.name}: Sobol indices ({len(runs)} runs)",
                     folder / "sobol_indices.png", ylabel="Sobol index")
        result.figures.append(("sobol_indices.png", "Sobol indices with 95% bootstrap intervals"))
        convergence = sobol_convergence(study, means)
        result.details["sobol_convergence"] = convergence
        plot_convergence(study, convergence, folder / "sobol_convergence.png")
        result.figures.append(("sobol_convergence.png", "Sobol indices as runs are added"))
        result.notes.append(_stability_note(convergence))
        result.warnings.extend(sobol_reliability(study, table))
        if not result.warnings:
            result.notes.append(
                f"Every index is resolved: each 95% half-width is at most ±{WIDE_ABSOLUTE} or "
                f"half the estimate, or the whole interval lies below {NEGLIGIBLE}, and no "
                "index is negative beyond its interval.")
    elif study.sampler == "morris":
        result.tables["morris_indices"] = morris_indices(study, means)
        plot_indices(result.tables["morris_indices"], [("mu_star", "mu_star_conf", "mu*")],
                     f"{study.name}: Morris mu* (mean absolute elementary effect)",
                     folder / "morris_indices.png", ylabel="mu*",
                     kinds={m.name: quantity_of(m) for m in study.metrics})
        result.figures.append(("morris_indices.png", "Morris mu*"))
    else:
        result.tables["level_means"] = level_means(study, runs)
        plot_levels(study, result.tables["level_means"], folder / "partial_dependence.png")
        result.figures.append(("partial_dependence.png", "Partial dependence"))
    plot_scatter(study, runs, folder / "scatter.png")
    result.figures.append(("scatter.png", "Metrics against parameters"))
    paths = SweepPaths(out)
    if paths.series.is_file():
        series = pd.read_parquet(paths.series)
        if not series.empty:
            result.details["series_bands"] = series_bands(study, series)
            plot_series(study, runs, series, folder / "series.png")
            result.figures.append(("series.png", "Monthly series"))
    if study.discovery is not None:
        scores, box, note = discovery(study, runs)
        result.tables["discovery_scores"] = scores
        if box is not None:
            result.tables["prim_box"] = box
        result.notes.append(note)
    for name, table in {**result.tables, **result.details}.items():
        write_csv(folder / f"{name}.csv", table)
    if result.warnings:
        result.notes[:0] = [f"warning: {w}" for w in result.warnings]
        warnings.warn("Sobol indices not reliable: " + " ".join(result.warnings),
                      SensitivityWarning, stacklevel=2)
    write_text(folder / "report.html", _report(study, runs, result, folder))
    return result


def _stability_note(convergence: pd.DataFrame) -> str:
    """How far the indices moved between half the base samples and all of them."""
    sizes = sorted(convergence["base_samples"].unique())
    if len(sizes) < 2:
        return "Too few base samples to show how the indices converge."
    half, full = (convergence[convergence["base_samples"] == n].set_index(
        ["metric", "parameter"]) for n in sizes[-2:])
    moved = max(float((full[i] - half[i]).abs().max()) for i in ("S1", "ST"))
    widest = max(float(full[f"{i}_conf"].max()) for i in ("S1", "ST"))
    return (f"From {int(half['runs'].iloc[0]):,} to {int(full['runs'].iloc[0]):,} runs the "
            f"indices moved by at most {moved:.3f}; the widest 95% half-width at "
            f"{int(full['runs'].iloc[0]):,} runs is ±{widest:.3f}.")


def _index_table(table: pd.DataFrame) -> str:
    """Sobol indices with their intervals beside them, one row per metric and parameter."""
    head = ("<tr><th>metric</th><th>parameter</th><th>S1</th><th>S1 95% interval</th>"
            "<th>ST</th><th>ST 95% interval</th></tr>")
    body = "".join(
        f"<tr><td>{html.escape(r.metric)}</td><td>{html.escape(r.parameter)}</td>"
        f"<td>{r.S1:.3f}</td><td>[{r.S1_low:.3f}, {r.S1_high:.3f}] (±{r.S1_conf:.3f})</td>"
        f"<td>{r.ST:.3f}</td><td>[{r.ST_low:.3f}, {r.ST_high:.3f}] (±{r.ST_conf:.3f})</td></tr>"
        for r in table.itertuples())
    return (f"<table>{head}{body}</table><p>Intervals: 2.5–97.5 percentiles of "
            f"{SOBOL_RESAMPLES} bootstrap resamples of the base samples; ± is SALib's normal "
            "half-width (1.96 bootstrap standard deviations).</p>")


def _report(study: Study, runs: pd.DataFrame, result: Analysis, folder: Path) -> str:
    tables = "".join(f"<h2>{html.escape(name.replace('_', ' '))}</h2>"
                     + (_index_table(table) if name == "sobol_indices" else
                        table.to_html(index=False, float_format=lambda v: f"{v:.4g}"))
                     for name, table in result.tables.items())
    warned = "".join(f"<li>{html.escape(w)}</li>" for w in result.warnings)
    alert = (f'<div style="border:2px solid #D55E00;padding:0.5em 1em;background:#fff4ec">'
             f"<strong>Warning: these sensitivity indices are not reliable.</strong>"
             f"<ul>{warned}</ul></div>") if warned else ""
    notes = "".join(f"<p>{html.escape(n)}</p>" for n in result.notes
                    if not n.startswith("warning: "))
    figures = "".join(embed_image(folder / f, t) for f, t in result.figures)
    body = (f"<h1>{html.escape(study.name)}: analysis</h1><p>{html.escape(study.description)}</p>"
            f"<p>{len(runs)} runs: {study.sampler} design over {len(study.names)} parameters, "
            f"{study.replicates} replicate(s) per point, study seed {study.seed}.</p>"
            f"{alert}{notes}{tables}<h2>Figures</h2>{figures}")
    return page(f"{study.name}: analysis", body)


__all__ = ["Analysis", "AnalysisError", "OutputError", "SensitivityWarning", "analyse",
           "load_sweep", "sobol_convergence", "sobol_indices", "sobol_reliability"]
