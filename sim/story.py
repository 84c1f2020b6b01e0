"""The false-loyalty story in numbers (seed 002, 虚假忠诚), for the lesson and its tests.

A run tells the story when, around the month MNP opens:
- before: churn is low while a large share of subscribers are hostages;
- at opening: a porting surge;
- after: the hostage share collapses and churn settles far below the surge.

`python -m sim.story SCENARIO OUT_DIR` prints the figures of a finished `mnp run`.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

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


def main(scenario_file: str, out_dir: str) -> int:
    """Print the story of a finished `mnp run SCENARIO --out OUT_DIR`."""
    import json

    from sim.scenario import load_scenario

    folder = Path(out_dir)
    seed = json.loads((folder / "summary.json").read_text())["seed"]
    scenario = load_scenario(scenario_file)
    story = tell(pd.read_csv(folder / "timeseries.csv"), scenario.start,
                 scenario.policy.first_opening)
    print(f"False-loyalty story of {folder} (seed {seed}; churn in % of subscribers/month, "
          "shares in %):")
    for name, value in asdict(story).items():
        print(f"  {name:22s} {value:6.2f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m sim.story SCENARIO.yaml OUT_DIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
