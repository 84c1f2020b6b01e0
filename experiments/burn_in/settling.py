"""How long the pre-MNP market takes to settle from drawn traits: the burn-in's default.

Runs a scenario with MNP never opening and no burn-in, for several seeds, and prints
the market's monthly churn (ported or switched to a new number, % of subscribers).
A run starts from drawn satisfaction, contracts and stars; the churn falls as they
settle. The settling time is the first month from which the churn, averaged over
seeds and a centred 3-month window, stays within `--tolerance` (relative) of its
level over the last 12 months (and within 1.5 times that). Then it runs the same
scenario with the default burn-in (`BURN_IN_MONTHS`) and prints the first year's
churn drift with and without it (the transient a burn-in removes).

    python experiments/burn_in/settling.py                        # default scenario
    python experiments/burn_in/settling.py --size 200000 --seeds 1 2 3 4 5

Writes experiments/burn_in/results/settling.csv (month, churn per seed, mean).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from sim.plots import MARKET, _of, churn_percent
from sim.runner import run
from sim.scenario.schema import BURN_IN_MONTHS
from sim.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def churn_series(path: Path, size: int, months: int, burn_in: int, seed: int) -> np.ndarray:
    """The market's monthly churn (%) with MNP never opening."""
    spec = load_scenario(path, [f"population.size={size}", f"months={months}",
                                "policy.mnp_start=null", "strategies={}",
                                f"burn_in_months={burn_in}"])
    ts = run(spec, seed=seed).timeseries
    return churn_percent(_of(ts, MARKET)).to_numpy()


def settling_month(mean: np.ndarray, tolerance: float) -> int:
    """First month from which the 3-month centred mean stays within tolerance of the tail."""
    level = mean[-12:].mean()
    smooth = pd.Series(mean).rolling(3, center=True, min_periods=1).mean().to_numpy()
    off = np.abs(smooth / level - 1) > tolerance
    return int(np.flatnonzero(off)[-1] + 1) if off.any() else 0


def drift(series: np.ndarray) -> float:
    """Relative change of churn over the first year: month 12 vs month 1 (3-month means)."""
    return float(series[9:12].mean() / series[0:3].mean() - 1)


def main() -> None:
    """Measure the settling time and the first-year drift with and without it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios/china_mnp_2019.yaml")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--tolerance", type=float, default=0.10)
    args = parser.parse_args()
    runs = {s: churn_series(args.scenario, args.size, args.months, 0, s) for s in args.seeds}
    table = pd.DataFrame({f"seed_{s}": v for s, v in runs.items()})
    table.insert(0, "month", np.arange(1, args.months + 1))
    table["mean"] = table[[f"seed_{s}" for s in args.seeds]].mean(axis=1)
    settle = settling_month(table["mean"].to_numpy(), args.tolerance)
    looser = settling_month(table["mean"].to_numpy(), 1.5 * args.tolerance)
    print("month  churn %/month (mean of seeds " + ", ".join(map(str, args.seeds)) + ")")
    for _, row in table.iterrows():
        if row["month"] <= 24 or row["month"] % 6 == 0:
            print(f"{int(row['month']):5d}  {row['mean']:.3f}")
    print(f"level over the last 12 months: {table['mean'].to_numpy()[-12:].mean():.3f} %/month")
    print(f"settled (within {args.tolerance:.0%} for good) from month {settle + 1}: "
          f"settling time {settle} months; within {1.5 * args.tolerance:.0%}: {looser} months")
    burned = {s: churn_series(args.scenario, args.size, 12, BURN_IN_MONTHS, s)
              for s in args.seeds}
    print("first-year churn drift (month 10-12 vs 1-3), mean of seeds: "
          f"no burn-in {np.mean([drift(v) for v in runs.values()]):+.0%}, the default burn-in "
          f"({BURN_IN_MONTHS} months) {np.mean([drift(v) for v in burned.values()]):+.0%}")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    table.to_csv(out / "settling.csv", index=False, float_format="%.5f")


if __name__ == "__main__":
    main()
