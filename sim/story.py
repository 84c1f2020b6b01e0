"""The false-loyalty story in numbers (seed 002, 虚假忠诚), for the lesson and its tests.

A run tells the story when, around the month MNP opens:
- before: churn is low while a large share of subscribers are hostages;
- at opening: a porting surge;
- after: the hostage share collapses and churn settles far below the surge.

`python -m sim.story SCENARIO OUT_DIR` prints the figures of a finished `mnp run`;
`--lang zh --figures DIR` also draws the run's PNGs in that language, and
`--lesson FILE` rewrites the lesson's quadrant table from the code (`quadrant_table`).
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from itertools import product
from pathlib import Path

import pandas as pd

from sim import i18n
from sim.behaviour.loyalty import QUADRANT_OF, QUADRANTS
from sim.plots import churn_percent, starting_subscribers
from sim.params import month_index

#: Months averaged for "before", and the window in which the surge is looked for.
BEFORE_MONTHS = 6
SURGE_MONTHS = 3
#: Months after opening at which the hostage share is read, and the final window.
AFTER_MONTHS = 12
LATE_MONTHS = 6


@dataclass(frozen=True)
class Story:
    """Market-wide figures (churn in % of subscribers per month, shares in %)."""

    churn_before: float        # mean monthly churn over the months before MNP
    churn_surge: float         # highest monthly churn in the first months of MNP
    churn_late: float          # mean monthly churn over the run's last months
    hostage_before: float      # hostage share of all subscribers, the month before MNP
    hostage_after: float       # the same, AFTER_MONTHS after opening
    hostage_end: float         # the same, in the last month
    focus_hostage_before: float  # hostage share of the focus carrier's subscribers
    focus_share_before: float  # the focus carrier's market share before MNP
    focus_share_end: float     # ... and at the end


def market_by_month(ts: pd.DataFrame) -> pd.DataFrame:
    """Churn (%) and hostage share (%) of the whole market per month."""
    ts = ts.assign(start=starting_subscribers(ts))
    ts = ts.assign(hostages=ts["hostage"] * ts["start"])
    market = ts.drop(columns="carrier").groupby("month", sort=False).sum(numeric_only=True)
    return pd.DataFrame({"churn": churn_percent(market),
                         "hostage": 100 * market["hostages"] / market["start"]})


def tell(ts: pd.DataFrame, start: str, mnp_start: str, focus: str = "mobile") -> Story:
    """The story's figures from a run's time series (needs months before and after MNP)."""
    opened = month_index(mnp_start, start)
    months = ts["month"].nunique()
    if opened < 1 or opened + AFTER_MONTHS >= months:
        raise ValueError(f"MNP opens at month {opened + 1} of {months}: the story needs months "
                         f"before it and at least {AFTER_MONTHS + 1} after")
    market = market_by_month(ts)
    rows = ts[ts["carrier"] == focus].reset_index(drop=True)
    share = 100 * rows["subscribers"].to_numpy() / ts.groupby(
        "month", sort=False)["subscribers"].sum().to_numpy()
    before = slice(max(0, opened - BEFORE_MONTHS), opened)
    return Story(
        churn_before=float(market["churn"].iloc[before].mean()),
        churn_surge=float(market["churn"].iloc[opened:opened + SURGE_MONTHS].max()),
        churn_late=float(market["churn"].iloc[-LATE_MONTHS:].mean()),
        hostage_before=float(market["hostage"].iloc[opened - 1]),
        hostage_after=float(market["hostage"].iloc[opened + AFTER_MONTHS]),
        hostage_end=float(market["hostage"].iloc[-1]),
        focus_hostage_before=float(100 * rows["hostage"].iloc[opened - 1]),
        focus_share_before=float(share[opened - 1]),
        focus_share_end=float(share[-1]),
    )


# ------------------------------------------------------------------ the quadrant table

@dataclass(frozen=True)
class QuadrantRule:
    """One row of the lesson's quadrant table.

    The flags under which the model puts a subscriber in `quadrant` (None: either value).
    """

    quadrant: str
    moves: bool              # changes carrier this month
    satisfied: bool | None
    prefers_other: bool | None   # would pick another carrier if switching were free


def quadrant_rules() -> list[QuadrantRule]:
    """The table `sim.behaviour.loyalty.QUADRANT_OF` encodes, one rule per quadrant and move.

    It is the model's own definition, so the lesson cannot drift from it.
    """
    cells: dict[tuple[int, bool], set[tuple[bool, bool]]] = {}
    for left, satisfied, prefers in product((False, True), repeat=3):
        code = int(QUADRANT_OF[int(left), int(satisfied), int(prefers)])
        cells.setdefault((code, left), set()).add((satisfied, prefers))
    rules = []
    for (code, left), pairs in sorted(cells.items()):
        sat = {a for a, _ in pairs}
        pref = {b for _, b in pairs}
        if pairs != set(product(sat, pref)):  # not a yes/no/either rule: split by flag
            raise ValueError(f"quadrant {QUADRANTS[code]} has no simple rule: {sorted(pairs)}")
        rules.append(QuadrantRule(QUADRANTS[code], left,
                                  None if len(sat) == 2 else sat.pop(),
                                  None if len(pref) == 2 else pref.pop()))
    return rules


def quadrant_table(lang: str = "en") -> str:
    """The rules as a Markdown table in `lang`, with a note on where they come from."""
    def word(flag: bool | None) -> str:
        return i18n.t("lesson.either" if flag is None else "lesson.yes" if flag else
                      "lesson.no", lang)

    head = [i18n.t(k, lang) for k in ("lesson.quadrant", "lesson.moves", "lesson.satisfied",
                                       "lesson.prefers", "lesson.means")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in quadrant_rules():
        name = i18n.quadrant_label(r.quadrant, lang)
        if r.quadrant == "hostage":
            name = f"**{name}**"
        means = i18n.t(f"lesson.means.{r.quadrant}.{'moves' if r.moves else 'stays'}", lang)
        lines.append(f"| {name} | {word(r.moves)} | {word(r.satisfied)} | "
                     f"{word(r.prefers_other)} | {means} |")
    return "\n".join(lines) + "\n\n" + i18n.t("lesson.quadrant_note", lang) + "\n"


TABLE_START, TABLE_END = "<!-- quadrant-table:start -->", "<!-- quadrant-table:end -->"


def with_quadrant_table(text: str, lang: str) -> str:
    """The lesson text with its quadrant table (between the markers) regenerated."""
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if start < 0 or end < start:
        raise ValueError(f"the lesson has no {TABLE_START} ... {TABLE_END} block")
    return (text[:start + len(TABLE_START)] + "\n" + quadrant_table(lang) + text[end:])


# ------------------------------------------------------------------ figures in a language

def write_figures(ts: pd.DataFrame, mnp_start: str | None, folder: Path,
                  lang: str = "en") -> list[Path]:
    """The run's five PNGs (as `mnp run` writes them) with every word in `lang`."""
    from sim.report import PLOTS

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, _title, plot in PLOTS:
        title = i18n.t("figure." + name.removesuffix(".png"), lang)
        plot(ts, title, mnp_start, folder / name, lang=lang)
        written.append(folder / name)
    return written


def main(argv: list[str] | None = None) -> int:
    """Print the story of a finished `mnp run SCENARIO --out OUT_DIR`.

    Optionally also draw its figures in a language, and regenerate a lesson's quadrant
    table.
    """
    import argparse
    import json

    from sim.scenario import ScenarioError, load_scenario
    from sim.style import scenario_look

    parser = argparse.ArgumentParser(prog="python -m sim.story", description=main.__doc__)
    parser.add_argument("scenario")
    parser.add_argument("out_dir")
    parser.add_argument("--lang", default="en", help="en or zh (figures and table)")
    parser.add_argument("--figures", type=Path, help="draw the run's PNGs into this folder")
    parser.add_argument("--lesson", type=Path, help="rewrite this lesson's quadrant table")
    args = parser.parse_args(argv)
    try:
        lang = i18n.check_lang(args.lang)
        if args.figures:
            i18n.font_rc(lang)  # a missing CJK font stops here, before anything is written
    except i18n.LanguageError:
        parser.exit(2, "error: " + i18n.t("cli.bad_lang", "en", lang=args.lang,
                                          choices=", ".join(i18n.LANGUAGES)) + "\n")
    except i18n.FontMissing as exc:
        parser.exit(2, f"error: --lang {lang}: {exc}\n")
    folder = Path(args.out_dir)
    try:
        scenario = load_scenario(args.scenario)
        seed = json.loads((folder / "summary.json").read_text())["seed"]
        ts = pd.read_csv(folder / "timeseries.csv")
    except ScenarioError as exc:
        parser.exit(2, f"error: {exc.render()}\n")
    except OSError as exc:
        parser.exit(2, f"error: {exc}; run `mnp run {args.scenario} --out {folder}` first\n")
    ts.attrs["carriers"] = scenario_look(scenario)  # the scenario's labels and colours
    story = tell(ts, scenario.start, scenario.policy.first_opening)
    print(f"False-loyalty story of {folder} (seed {seed}; churn in % of subscribers/month, "
          "shares in %):")
    for name, value in asdict(story).items():
        print(f"  {name:22s} {value:6.2f}")
    if args.figures:
        for path in write_figures(ts, scenario.policy.first_opening, args.figures, lang):
            print(f"Wrote {path}")
    if args.lesson:
        try:
            args.lesson.write_text(with_quadrant_table(args.lesson.read_text(), lang))
        except (OSError, ValueError) as exc:
            parser.exit(2, f"error: --lesson {args.lesson}: {exc}\n")
        print(f"Updated the quadrant table of {args.lesson}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
