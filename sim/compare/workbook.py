"""`comparison.xlsx`: the comparison's tables in one workbook (openpyxl), a sheet each.

- Summary: scenario, carrier, months covered, what the intervals mean, the reading, settings;
- Strategies: every action of every strategy, spelled out, and its difference from the baseline;
- Headline: per strategy, the figures with their intervals (numbers, not text);
- Decomposition: each change's Shapley contribution, with its interval (when asked);
- Monthly: per strategy and month, mean port-ins, port-outs, net porting and cost, and
  cumulative net porting with its 5-95% band.

Counts are real subscribers and money is yuan. Sheet names stay English whatever the
language, so scripts can find them; column titles follow `--lang`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.compare.labels import Labels, column_title
from sim.compare.runs import Comparison
from sim.compare.stats import monthly_bands
from sim.outputs import atomic_write

SHEETS = ("Summary", "Strategies", "Headline", "Decomposition", "Monthly")
HEADLINE = ("strategy", "rank", "net_porting_mean", "net_porting_p05", "net_porting_p95",
            "diff_net_porting", "diff_net_porting_ci_low", "diff_net_porting_ci_high",
            "port_ins_won", "port_ins_won_ci_low", "port_ins_won_ci_high", "port_outs_avoided",
            "port_outs_avoided_ci_low", "port_outs_avoided_ci_high", "port_in_mean",
            "port_out_mean", "revenue_mean", "cost_mean", "profit_mean", "diff_revenue",
            "diff_cost", "diff_profit", "diff_profit_ci_low", "diff_profit_ci_high",
            "cost_per_extra_net_port", "cost_per_port_out_avoided", "cost_per_port_in_won",
            "profit_forgone_per_extra_net_port", "subscribers_at_horizon", "significant")
DECOMPOSITION = ("strategy", "change", "sign", "lever", "net_porting", "net_porting_ci_low",
                 "net_porting_ci_high", "port_ins_won", "port_outs_avoided", "cost",
                 "cost_ci_low", "cost_ci_high", "profit", "profit_ci_low", "profit_ci_high")


def monthly_table(cmp: Comparison) -> pd.DataFrame:
    """Per strategy and month: mean monthly figures and the cumulative net-porting band."""
    mine = cmp.series[cmp.series["carrier"] == cmp.carrier]
    means = (mine.groupby(["strategy", "month"], sort=False)[
        ["port_in", "port_out", "net_porting", "cost"]].mean().reset_index())
    bands = monthly_bands(cmp).rename(columns={"mean": "cumulative_mean",
                                               "p05": "cumulative_p05", "p95": "cumulative_p95"})
    return means.merge(bands, on=["strategy", "month"])


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _sheet(wb, title: str, header: list[str], rows: list[list],
           widths: dict[int, int] | None = None):
    widths = widths or {}
    ws = wb.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append([_clean(v) for v in row])
    ws.freeze_panes = "A2"
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(i, max(12, min(40,
                                                                                    len(name) + 2)))
    return ws


def _frame_sheet(wb, title: str, frame: pd.DataFrame, columns: tuple[str, ...], lang: str):
    cols = [c for c in columns if c in frame.columns]
    ws = _sheet(wb, title, [column_title(c, lang) for c in cols],
                frame[cols].astype(object).values.tolist())
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00" if abs(cell.value) < 100 else "#,##0"
    return ws


def write_workbook(path: Path, cmp: Comparison, table: pd.DataFrame, words: Labels,
                   decompositions: list, strategies: list, meta: dict) -> None:
    """Write the workbook atomically (temporary file, then renamed)."""
    from openpyxl import Workbook

    from sim.compare.report import coverage_text, intervals_text, reading
    lang = words.lang
    wb = Workbook()
    wb.remove(wb.active)
    settings = [
        ["scenario", meta["scenario"]], ["carrier", words.carrier(cmp.carrier)],
        ["baseline", cmp.baseline], ["strategies", ", ".join(cmp.strategies)],
        [words.t("h_coverage"), coverage_text(cmp, words)],
        ["first_month", meta["first_month"]], ["last_month", meta["last_month"]],
        ["horizon_months", meta["horizon_months"]], ["mnp_months", meta["mnp_months"]],
        [words.t("h_intervals"), intervals_text(cmp, words)],
        [words.t("h_reading"), reading(cmp, table, words, decompositions)],
        ["replicates", cmp.replicates], ["common_random_numbers", cmp.common_random_numbers],
        ["seeds", ", ".join(str(s) for s in meta["seeds"])] if cmp.common_random_numbers
        else ["seeds", "independent per strategy (see compare.json)"],
        ["population_rows", meta["population_rows"]], ["represents", meta["represents"]],
        ["version", meta["version"]],
    ]
    _sheet(wb, "Summary", [column_title("item", lang), column_title("value", lang)], settings,
           {1: 28, 2: 120})
    rows = []
    for s in strategies:
        if not s.actions:
            rows.append([s.name, s.difference(words), s.description, "", words.t("no_actions"),
                         "", "", "", "", ""])
        for i, a in enumerate(s.actions, start=1):
            rows.append([s.name, s.difference(words), s.description, i, a.name, a.lever, a.when,
                         ", ".join(a.magnitudes), ", ".join(a.targeting),
                         ", ".join(a.cost) or words.t("no_cost")])
        for a in s.dropped:
            rows.append([s.name, s.difference(words), s.description, "-", a.name, a.lever,
                         a.when, ", ".join(a.magnitudes), ", ".join(a.targeting),
                         ", ".join(a.cost) or words.t("no_cost")])
    head = ["strategy", "difference", "description", "action", "change", "lever", "months",
            "magnitudes", "targeting", "cost_rule"]
    _sheet(wb, "Strategies", [column_title(c, lang) for c in head], rows,
           {1: 24, 2: 36, 3: 50, 4: 8, 5: 30, 6: 26, 7: 30, 8: 60, 9: 40, 10: 60})
    _frame_sheet(wb, "Headline", table, HEADLINE, lang)
    frame = (pd.concat([d.table() for d in decompositions], ignore_index=True)
             if decompositions else pd.DataFrame(columns=list(DECOMPOSITION)))
    _frame_sheet(wb, "Decomposition", frame, DECOMPOSITION, lang)
    _frame_sheet(wb, "Monthly", monthly_table(cmp),
                 ("strategy", "month", "port_in", "port_out", "net_porting", "cost",
                  "cumulative_mean", "cumulative_p05", "cumulative_p95"), lang)
    atomic_write(path, lambda tmp: wb.save(tmp))
