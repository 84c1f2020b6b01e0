"""Ablation of loyalty points and sub-brand dilution (seed 002) on the default scenario.

China Mobile's port-outs and net porting over the run, with each mechanism on (the
scenario's defaults) and off, paired on seeds 1-5 (common random numbers), with a 95%
t-interval of the paired difference. Off means: no carrier runs points
(`points_accrual: 0`) / China Mobile sells under one brand (`sub_brands: 1`).

    PYTHONPATH=. .venv/bin/python experiments/mechanisms/points_sub_brands_ablation.py \
        [--size 40000] [--months 30] [--seeds 1 2 3 4 5] [--out out/ablation_points.csv] \
        [--set behaviour.sub_brand_price_pull=0.05 ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.runner import run
from sim.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "china_mnp_2019.yaml"
NO_POINTS = [f"carriers.{c}.points_accrual=0" for c in ("mobile", "unicom", "telecom")]
#: name -> (overrides, China Mobile's named strategy or None)
VARIANTS = {
    "on": ([], None),
    "no_points": (NO_POINTS, None),
    "no_lapse_hit": (["behaviour.points_lapse_hit=0"], None),
    "no_sub_brands": (["carriers.mobile.sub_brands=1"], None),
    "neither": ([*NO_POINTS, "carriers.mobile.sub_brands=1"], None),
    "points_programme": ([], "points_programme"),      # China Mobile's levers, vs "on"
    "retire_sub_brands": ([], "retire_sub_brands"),
}


def mobile_totals(overrides: list[str], strategy: str | None, seed: int, size: int,
                  months: int) -> dict[str, float]:
    """China Mobile's port-outs, net porting and cost summed over the run (real subscribers)."""
    spec = load_scenario(SCENARIO, overrides=[f"population.size={size}", f"months={months}",
                                              f"seed={seed}", *overrides],
                         strategies={"mobile": strategy} if strategy else None)
    ts = run(spec).timeseries
    mob = ts[ts["carrier"] == "mobile"]
    return {"port_out": float(mob["port_out"].sum()),
            "net_porting": float(mob["net_porting"].sum()), "cost": float(mob["cost"].sum())}


def interval(diff: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t-interval of paired differences."""
    mean = float(diff.mean())
    half = float(stats.t.ppf(0.975, diff.size - 1) * diff.std(ddof=1) / np.sqrt(diff.size))
    return mean, mean - half, mean + half


def main(argv: list[str] | None = None) -> int:
    """Run every variant on every seed; print the paired differences (and save the runs)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=40000)
    ap.add_argument("--months", type=int, default=30)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--set", dest="sets", action="append", default=[],
                    help="an override for every variant, e.g. behaviour.points_lapse_hit=0.02")
    args = ap.parse_args(argv)
    rows = [{"variant": name, "seed": seed,
             **mobile_totals([*args.sets, *ov], strategy, seed, args.size, args.months)}
            for seed in args.seeds for name, (ov, strategy) in VARIANTS.items()]
    frame = pd.DataFrame(rows)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(args.out, index=False)
    on = frame[frame["variant"] == "on"].set_index("seed")
    print(f"China Mobile, {args.months} months, {args.size} rows, seeds {args.seeds}")
    print(f"  with both (defaults): port-outs {on['port_out'].mean() / 1e6:.3f} M, "
          f"net porting {on['net_porting'].mean() / 1e6:.3f} M (mean over seeds)")
    for name in ("no_points", "no_lapse_hit", "no_sub_brands", "neither"):
        off = frame[frame["variant"] == name].set_index("seed")
        for col in ("port_out", "net_porting"):
            mean, lo, hi = interval((on[col] - off[col]).to_numpy())
            base = off[col].mean()
            print(f"  on - {name:17s} {col:12s} {mean / 1e6:+.3f} M  [{lo / 1e6:+.3f}, "
                  f"{hi / 1e6:+.3f}]  ({100 * mean / abs(base):+.1f}% of off)")
    for name in ("points_programme", "retire_sub_brands"):
        lever = frame[frame["variant"] == name].set_index("seed")
        for col in ("port_out", "net_porting"):
            mean, lo, hi = interval((lever[col] - on[col]).to_numpy())
            print(f"  {name:22s} - on {col:12s} {mean / 1e6:+.3f} M  [{lo / 1e6:+.3f}, "
                  f"{hi / 1e6:+.3f}]")
        print(f"  {name:22s} cost {lever['cost'].mean() / 1e9:.2f} bn yuan over the run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
