"""`summary.html` and `summary.pdf`: the one page a strategist forwards.

The page holds the months covered, the headline figures, each strategy as its
difference from the baseline, the lever contributions, what the intervals mean and
the paired-difference plot. Headless Chromium (Debian's, driven by Playwright, no
browser download) prints it to one A4 page: the page is laid out at a fixed width and
printed at the scale that fits it on one sheet. Without Chromium the PDF is skipped
with a one-line reason; everything else is still written.
"""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path

from sim.compare.labels import Labels
from sim.outputs import atomic_write

WIDTH_PX = 1000                       # layout width of the summary page (CSS px)
A4_PX = (210 / 25.4 * 96, 297 / 25.4 * 96)
MARGIN_PX = 10 / 25.4 * 96            # 10 mm on every side
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
SUMMARY_CSS = f"""body{{max-width:none;width:{WIDTH_PX}px;margin:0;font-size:13px;
line-height:1.35}}h1{{font-size:20px;margin:0 0 6px}}h2{{font-size:15px;margin:10px 0 4px}}
p{{margin:4px 0}}ul{{margin:2px 0 2px 18px;padding:0}}li{{margin:1px 0}}
table{{margin:4px 0}}td,th{{font-size:11px;padding:2px 5px}}
img{{max-width:70%}}figure{{margin:4px 0}}"""


def chromium_path() -> str | None:
    """Debian's chromium (or MNP_CHROMIUM), or None when there is none."""
    for candidate in (os.environ.get("MNP_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def summary_page(cmp, table, out: Path, words: Labels, decompositions, strategies) -> str:
    """The one-page summary as HTML (figures embedded)."""
    from sim.compare.report import (
        coverage_text,
        decomposition_intro,
        decomposition_rows,
        html_table,
        intervals_text,
        report_page,
    )
    from sim.pages import embed_image
    e = html.escape
    scenario = cmp.scenarios[cmp.baseline].name
    head = [words.t("c_strategy"), words.t("c_diff"), words.t("c_ci", conf=95),
            words.t("c_won"), words.t("c_avoided"), words.t("c_dcost"), words.t("c_dprofit"),
            words.t("c_per_net"), words.t("c_per_avoided")]
    rows = []
    for r in table.itertuples():
        per = lambda v, r=r: words.yuan(v) if v == v and v and v > 0 and r.diff_cost > 0 \
            else "–"  # noqa: E731
        rows.append([r.strategy, f"{r.diff_net_porting / 1e6:+,.2f}",
                     words.t("range", low=f"{r.diff_net_porting_ci_low / 1e6:+,.2f}",
                             high=f"{r.diff_net_porting_ci_high / 1e6:+,.2f}"),
                     f"{r.port_ins_won / 1e6:+,.2f}", f"{r.port_outs_avoided / 1e6:+,.2f}",
                     words.yuan(r.diff_cost), words.yuan(r.diff_profit),
                     per(r.cost_per_extra_net_port), per(r.cost_per_port_out_avoided)])
    items = []
    for s in strategies:
        shown = s.added + s.dropped if not s.is_baseline else s.actions
        lines = "".join(f"<li>{e(a.line(words))}</li>" for a in shown)
        items.append(f"<li><b>{e(s.name)}</b>: {e(s.difference(words))}"
                     + (f"<ul>{lines}</ul>" if lines else "") + "</li>")
    decomp = ""
    for dec in decompositions:
        if dec.changes:
            cells = [[r[0], r[2], r[3], r[4], r[5], r[6]] for r in decomposition_rows(dec, words)]
            decomp += (f"<p>{e(decomposition_intro(cmp, dec, words))}</p>" + html_table(
                [words.t("c_change"), words.t("c_diff"), words.t("c_ci", conf=95),
                 words.t("c_won"), words.t("c_avoided"), words.t("c_dcost")], cells))
    if decomp:
        decomp = f"<h2>{e(words.t('h_decomposition'))}</h2>{decomp}"
    body = f"""<h1>{e(words.t('summary_title', scenario=scenario,
                                carrier=words.carrier(cmp.carrier)))}</h1>
<p><b>{e(words.t('h_coverage'))}:</b> {e(coverage_text(cmp, words))}.
<b>{e(words.t('h_intervals'))}:</b> {e(intervals_text(cmp, words))}</p>
<h2>{e(words.t('h_headline'))}</h2>{html_table(head, rows)}
<p>{e(words.t('cost_note'))}</p>
<h2>{e(words.t('h_strategies'))}</h2><ul>{''.join(items)}</ul>
{decomp}
{embed_image(out / 'paired_differences.png', words.t('p_diffs'))}"""
    return report_page(words.t("page_title", scenario=scenario), body, words, SUMMARY_CSS)


def print_pdf(html_path: Path, pdf_path: Path) -> str | None:
    """Print `html_path` to a one-page A4 `pdf_path`; None, or why it was skipped."""
    browser_path = chromium_path()
    if browser_path is None:
        return "no chromium found, so summary.pdf was skipped (run `make browser`)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "playwright is not installed, so summary.pdf was skipped"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=CHROMIUM_FLAGS)
            try:
                page = browser.new_page(viewport={"width": WIDTH_PX + 40, "height": 1200})
                page.goto(Path(html_path).resolve().as_uri())
                page.emulate_media(media="print")
                height = page.evaluate("document.documentElement.scrollHeight")
                width = page.evaluate("document.documentElement.scrollWidth")
                fit_w = (A4_PX[0] - 2 * MARGIN_PX) / max(width, WIDTH_PX)
                fit_h = (A4_PX[1] - 2 * MARGIN_PX) / max(height, 1) * 0.98
                scale = max(0.1, min(fit_w, fit_h, 2.0))
                margin = f"{MARGIN_PX:.0f}px"
                atomic_write(pdf_path, lambda tmp: page.pdf(
                    path=str(tmp), format="A4", scale=scale, print_background=True,
                    page_ranges="1", margin={"top": margin, "bottom": margin, "left": margin,
                                             "right": margin}))
            finally:
                browser.close()
    except Exception as exc:  # a browser that cannot start must not lose the other outputs
        return f"could not print summary.pdf ({type(exc).__name__}: {str(exc).splitlines()[0]})"
    return None
