"""Ablation of bill shock and plan fit (seed 004) on the default scenario, paired runs.

Each arm runs on the same seeds as its baseline (common random numbers), so an
arm's effect is the paired difference, seed by seed: China Mobile's port-outs and
net porting summed over the months run, with a 95% t-interval over the seeds.

Arms (on the default scenario; each "on" side has the defaults):
- mechanism: bill shock and plan fit on against both off, status quo for every
  carrier (nobody's bill rises there, so this is plan fit alone);
- bill_shock_retention: bill shock on against off, with China Mobile running
  scenarios/strategies/retention_early_warning.yaml (discounts that run out);
- bill_shock_promo: the same with China Mobile cutting its price 10% from the month
  MNP opens for six months (a promotion that expires, seed 004);
- plan_migration: China Mobile running scenarios/strategies/plan_migration.yaml
  against the status quo, both with the mechanisms on.

    python experiments/mechanisms/promo_ablation.py    # 40,000 rows, 30 months, seeds 1-5
    python experiments/mechanisms/promo_ablation.py --size 8000 --seeds 1 2  # smoke run

Writes experiments/mechanisms/promo_ablation.csv (one row per arm and seed).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.runner import run
from sim.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios/china_mnp_2019.yaml"
OUT = Path(__file__).with_name("promo_ablation.csv")
SHOCK_OFF = ["behaviour.bill_shock_hit=0", "behaviour.bill_shock_review=0"]
FIT_OFF = ["behaviour.plan_mismatch_weight=0"]
PROMO = ["strategies.mobile=[{lever: price_change, start: mnp, end: 'mnp+5', percent: -10}]"]
#: arm -> ((overrides, strategies) of the "on" side, the same of the "off" side)
ARMS = {
    "mechanism": (([], {}), (SHOCK_OFF + FIT_OFF, {})),
    "bill_shock_retention": (([], {"mobile": "retention_early_warning"}),
                             (SHOCK_OFF, {"mobile": "retention_early_warning"})),
    "bill_shock_promo": ((PROMO, {}), (PROMO + SHOCK_OFF, {})),
    "plan_migration": (([], {"mobile": "plan_migration"}), ([], {})),
}

def outcomes(overrides: list[str], strategies: dict[str, str], seed: int) -> dict[str, float]:
    """China Mobile's port-outs and net porting summed over the run (real subscribers)."""
    scenario = load_scenario(SCENARIO, overrides=overrides, strategies=strategies)
    ts = run(scenario, seed=seed).timeseries.query("carrier == 'mobile'")
    return {"port_out": float(ts["port_out"].sum()),
            "net_porting": float(ts["net_porting"].sum()),
            "bill_shocks": float(ts["bill_shocks"].sum()),
            "satisfaction_end": float(ts["satisfaction_mean"].iloc[-1])}


def interval(diffs: np.ndarray) -> tuple[float, float, float]:
    """Mean paired difference and its 95% t-interval."""
    mean = float(diffs.mean())
    half = float(stats.t.ppf(0.975, diffs.size - 1) * diffs.std(ddof=1) / np.sqrt(diffs.size))
    return mean, mean - half, mean + half


def main() -> None:
    """Run every arm on every seed and print the paired differences."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=40_000)
    ap.add_argument("--months", type=int, default=30)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    args = ap.parse_args()
    base = [f"population.size={args.size}", f"months={args.months}"]
    rows = []
    for arm, ((on_set, on_strategies), (off_set, off_strategies)) in ARMS.items():
        for seed in args.seeds:
            on = outcomes(base + on_set, on_strategies, seed)
            no = outcomes(base + off_set, off_strategies, seed)
            rows.append({"arm": arm, "seed": seed, **{f"{k}_on": v for k, v in on.items()},
                         **{f"{k}_off": v for k, v in no.items()}})
            print(arm, seed, on, no, flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(OUT, index=False)
    for arm, group in df.groupby("arm", sort=False):
        for out in ("port_out", "net_porting"):
            diffs = (group[f"{out}_on"] - group[f"{out}_off"]).to_numpy()
            mean, lo, hi = interval(diffs)
            ref = float(group[f"{out}_off"].mean())
            print(f"{arm:20s} {out:12s} off {ref/1e6:9.3f} M  on-off {mean/1e6:+8.3f} M "
                  f"[{lo/1e6:+.3f}, {hi/1e6:+.3f}]  ({100*mean/abs(ref):+.1f}% "
                  f"[{100*lo/abs(ref):+.1f}, {100*hi/abs(ref):+.1f}])")


if __name__ == "__main__":
    main()
