"""Analyse a finished sweep: sensitivity indices, scenario discovery, tables and plots.

- sobol designs: first-order and total Sobol indices with confidence intervals
  (SALib.analyze.sobol); refused on any other design, where they are not valid;
- morris designs: mu*, its confidence interval, and sigma (SALib.analyze.morris);
- grid and lhs designs: metric means by parameter level (grid) or by quantile bin
  (lhs), with partial-dependence plots;
- every design: metric-vs-parameter scatter plots, and, when the study names a
  discovery outcome, extra-trees feature scores (scikit-learn) and a PRIM box
  (ema-workbench, the `discovery` extra) for the parameter region where it happens.
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
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.outputs import OutputError, atomic_write, write_csv, write_text  # noqa: E402
from sim.pages import embed_image, page  # noqa: E402
from sim.sweep.design import salib_problem  # noqa: E402
from sim.sweep.execution import SweepPaths  # noqa: E402
from sim.sweep.study import Study  # noqa: E402

PRIM_DENSITY = 0.8  # pick the PRIM box with the most coverage at this density or more
LHS_BINS = 5


class AnalysisError(Exception):
    """A sweep that cannot be analysed as asked."""


@dataclass
class Analysis:
    """Tables and figures of one sweep's analysis."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: list[tuple[str, str]] = field(default_factory=list)   # (file, title)
    notes: list[str] = field(default_factory=list)


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

def sobol_indices(study: Study, means: pd.DataFrame) -> pd.DataFrame:
    """First-order and total Sobol indices with 95% intervals, per metric and parameter."""
    from SALib.analyze import sobol
    if study.sampler != "sobol":
        raise AnalysisError(f"Sobol indices need a Sobol design; this study's sampler is "
                            f"{study.sampler!r} (use sampler: sobol)")
    rows = []
    for metric in (m.name for m in study.metrics):
        y = means[metric].to_numpy()
        if np.isnan(y).any():
            raise AnalysisError(f"{metric}: {int(np.isnan(y).sum())} design points have no "
                                "successful run; Sobol indices need every point")
        si = sobol.analyze(salib_problem(study), y, calc_second_order=study.second_order,
                           conf_level=0.95, seed=study.seed)
        for j, name in enumerate(study.names):
            rows.append({"metric": metric, "parameter": name, "S1": si["S1"][j],
                         "S1_conf": si["S1_conf"][j], "ST": si["ST"][j],
                         "ST_conf": si["ST_conf"][j]})
    return pd.DataFrame(rows)


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
    rule = f"{d.metric} {'<' if d.below is not None else '>'} {d.below if d.below is not None else d.above:g}"
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
    note += (f" PRIM box: coverage {stats['coverage']:.2f}, density {stats['density']:.2f} "
             f"(share of runs in the box that have it), mass {stats['mass']:.2f}.")
    return scores, table, note


# ---------------------------------------------------------------- plots

def _save(fig, path: Path) -> None:
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def plot_indices(table: pd.DataFrame, columns: list[tuple[str, str, str]], title: str,
                 path: Path) -> None:
    """Grouped bars per parameter (one panel per metric) with confidence intervals."""
    metrics = list(dict.fromkeys(table["metric"]))
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 4), squeeze=False)
    colours = ["#0072B2", "#E69F00", "#009E73"]
    for ax, metric in zip(axes[0], metrics, strict=True):
        rows = table[table["metric"] == metric]
        x = np.arange(len(rows))
        width = 0.8 / len(columns)
        for k, (col, conf, label) in enumerate(columns):
            ax.bar(x + k * width, rows[col], width, yerr=rows[conf], capsize=3,
                   color=colours[k % 3], label=label)
        ax.set_xticks(x + width * (len(columns) - 1) / 2,
                      [p.split(".")[-1] for p in rows["parameter"]], rotation=30, ha="right")
        ax.set(title=metric, ylabel="index (95% CI)")
        ax.axhline(0, color="black", lw=0.6)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(title)
    _save(fig, path)


def plot_scatter(study: Study, runs: pd.DataFrame, path: Path) -> None:
    """Every metric against every parameter, one dot per successful run."""
    ok = runs[runs["status"] == "ok"]
    metrics = [m.name for m in study.metrics]
    fig, axes = plt.subplots(len(metrics), len(study.names), squeeze=False,
                             figsize=(3.2 * len(study.names), 2.6 * len(metrics)))
    for i, metric in enumerate(metrics):
        for j, name in enumerate(study.names):
            ax = axes[i][j]
            ax.scatter(ok[name], ok[metric], s=6, alpha=0.5, color="#0072B2")
            if i == len(metrics) - 1:
                ax.set_xlabel(name.split(".")[-1] + f"\n({name})", fontsize=7)
            if j == 0:
                ax.set_ylabel(metric, fontsize=8)
            ax.tick_params(labelsize=7)
    fig.suptitle(f"{study.name}: metrics against parameters ({len(ok)} runs)")
    _save(fig, path)


def plot_levels(study: Study, levels: pd.DataFrame, path: Path) -> None:
    """Partial dependence: each metric's mean by parameter level or bin (± 1 sd)."""
    metrics = [m.name for m in study.metrics]
    fig, axes = plt.subplots(len(metrics), len(study.names), squeeze=False,
                             figsize=(3.2 * len(study.names), 2.6 * len(metrics)))
    for i, metric in enumerate(metrics):
        for j, name in enumerate(study.names):
            rows = levels[(levels["metric"] == metric) & (levels["parameter"] == name)]
            ax = axes[i][j]
            ax.errorbar(rows["level"], rows["mean"], yerr=rows["sd"], fmt="o-",
                        color="#D55E00", capsize=3)
            if i == len(metrics) - 1:
                ax.set_xlabel(name.split(".")[-1] + f"\n({name})", fontsize=7)
            if j == 0:
                ax.set_ylabel(f"mean {metric}", fontsize=8)
            ax.tick_params(labelsize=7)
    fig.suptitle(f"{study.name}: partial dependence (mean ± 1 sd over the other inputs)")
    _save(fig, path)


# ---------------------------------------------------------------- the whole analysis

def analyse(out: str | Path) -> Analysis:
    """Analyse the sweep in `out` and write OUT/analysis/ (CSV, PNG, report.html)."""
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
        result.tables["sobol_indices"] = sobol_indices(study, means)
        plot_indices(result.tables["sobol_indices"], [("S1", "S1_conf", "first order S1"),
                     ("ST", "ST_conf", "total ST")], f"{study.name}: Sobol indices",
                     folder / "sobol_indices.png")
        result.figures.append(("sobol_indices.png", "Sobol indices"))
    elif study.sampler == "morris":
        result.tables["morris_indices"] = morris_indices(study, means)
        plot_indices(result.tables["morris_indices"], [("mu_star", "mu_star_conf", "mu*")],
                     f"{study.name}: Morris mu* (mean absolute elementary effect)",
                     folder / "morris_indices.png")
        result.figures.append(("morris_indices.png", "Morris mu*"))
    else:
        result.tables["level_means"] = level_means(study, runs)
        plot_levels(study, result.tables["level_means"], folder / "partial_dependence.png")
        result.figures.append(("partial_dependence.png", "Partial dependence"))
    plot_scatter(study, runs, folder / "scatter.png")
    result.figures.append(("scatter.png", "Metrics against parameters"))
    if study.discovery is not None:
        scores, box, note = discovery(study, runs)
        result.tables["discovery_scores"] = scores
        if box is not None:
            result.tables["prim_box"] = box
        result.notes.append(note)
    for name, table in result.tables.items():
        write_csv(folder / f"{name}.csv", table)
    write_text(folder / "report.html", _report(study, runs, result, folder))
    return result


def _report(study: Study, runs: pd.DataFrame, result: Analysis, folder: Path) -> str:
    tables = "".join(f"<h2>{html.escape(name.replace('_', ' '))}</h2>"
                     + table.to_html(index=False, float_format=lambda v: f"{v:.4g}")
                     for name, table in result.tables.items())
    notes = "".join(f"<p>{html.escape(n)}</p>" for n in result.notes)
    figures = "".join(embed_image(folder / f, t) for f, t in result.figures)
    body = (f"<h1>{html.escape(study.name)}: analysis</h1><p>{html.escape(study.description)}</p>"
            f"<p>{len(runs)} runs: {study.sampler} design over {len(study.names)} parameters, "
            f"{study.replicates} replicate(s) per point, study seed {study.seed}.</p>"
            f"{notes}{tables}<h2>Figures</h2>{figures}")
    return page(f"{study.name}: analysis", body)


__all__ = ["Analysis", "AnalysisError", "OutputError", "analyse", "load_sweep"]
