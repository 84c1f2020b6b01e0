"""Everything `mnp compare --out DIR` writes.

Tables, plots, the report, the workbook and the one-page summary
(sim/compare/report.py draws and words them; workbook.py and pdf.py lay out the other
two).
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from sim.compare.pdf import print_pdf, summary_page
from sim.compare.describe import describe_strategies
from sim.compare.labels import plot_fonts
from sim.compare.report import (
    PLOTS,
    ReportInputs,
    coverage_text,
    decomposition_png,
    metadata,
    plot_bands,
    plot_cost_vs_gain,
    plot_decomposition,
    plot_differences,
    reading,
    report_html,
    words_for,
)
from sim.compare.runs import Comparison
from sim.compare.stats import monthly_bands, outcomes
from sim.compare.workbook import write_workbook
from sim.outputs import prepare_out_dir, write_csv, write_json, write_text

#: Every file `mnp compare` writes under a fixed name (plus decomposition_<strategy>.png).
FILES = ("compare.csv", "compare.json", "replicates.csv", "net_porting_bands.csv",
         "decomposition.csv", "report.html", "comparison.xlsx", "summary.html", "summary.pdf",
         *[name for name, _ in PLOTS])


def save_comparison(cmp: Comparison, table: pd.DataFrame, out: Path, force: bool = False,
                    inputs: ReportInputs | None = None) -> list[Path]:
    """Write every table, plot, the workbook, report.html and summary.html/.pdf into `out`."""
    inputs = inputs or ReportInputs()
    words = words_for(cmp, inputs.lang)
    out = Path(out)
    prepare_out_dir(out, force, FILES)
    bands = monthly_bands(cmp)
    decs = inputs.decompositions
    write_csv(out / "compare.csv", table)
    write_csv(out / "replicates.csv", outcomes(cmp))
    write_csv(out / "net_porting_bands.csv", bands)
    names = ["compare.csv", "compare.json", "replicates.csv", "net_porting_bands.csv"]
    if decs:
        write_csv(out / "decomposition.csv", pd.concat([d.table() for d in decs]))
        names.append("decomposition.csv")
    text = reading(cmp, table, words, decs)
    strategies = describe_strategies(cmp, words, inputs.descriptions)
    meta = metadata(cmp, inputs.lang)
    records = json.loads(table.to_json(orient="records"))
    write_json(out / "compare.json", {
        **meta, "coverage": coverage_text(cmp, words), "reading": text,
        "strategies_table": records,
        "strategies_spelled_out": {s.name: {"description": s.description,
                                            "difference": s.difference(words),
                                            "actions": [a.line(words) for a in s.actions]}
                                   for s in strategies},
        "decomposition": [{"strategy": d.strategy, "method": d.method, "samples": d.samples,
                           "coalitions": d.coalitions, "runs_added": d.new_runs,
                           "seconds": round(d.wall_seconds, 2),
                           "rows": json.loads(d.table().to_json(orient="records"))}
                          for d in decs]})
    with plt.rc_context(plot_fonts(inputs.lang)):
        plot_bands(cmp, bands, out / PLOTS[0][0], words)
        plot_differences(cmp, table, out / PLOTS[1][0], words)
        plot_cost_vs_gain(cmp, table, out / PLOTS[2][0], words)
        for dec in decs:
            if dec.changes:
                plot_decomposition(cmp, dec, out / decomposition_png(dec), words)
    names += [n for n, _ in PLOTS] + [decomposition_png(d) for d in decs if d.changes]
    write_text(out / "report.html", report_html(cmp, table, out, words, inputs, text, strategies,
                                                meta))
    write_workbook(out / "comparison.xlsx", cmp, table, words, decs, strategies, meta)
    summary = summary_page(cmp, table, out, words, decs, strategies)
    write_text(out / "summary.html", summary)
    names += ["report.html", "comparison.xlsx", "summary.html"]
    if inputs.pdf:
        inputs.pdf_note = print_pdf(out / "summary.html", out / "summary.pdf")
        if inputs.pdf_note is None:
            names.append("summary.pdf")
    return [out / n for n in names]
