"""Monthly ports (real subscribers, M/month) by half-year, paired runs with and without overrides.

    python experiments/growth/halfyears.py --size 20000 --seeds 1 2 3 --months 48 \
        --variant off:behaviour.peer_learning=0 --variant on:

Each variant is a list of --set style overrides (dotted.path=value, comma-separated) on the
calibrated China scenario; every variant runs on the same seeds (common random numbers).
"""

from __future__ import annotations

import argparse
import time
from multiprocessing import Pool
from pathlib import Path

import pandas as pd

from sim.runner import run
from sim.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios/china_mnp_2019_calibrated.yaml"


def one(args):
    """One run: mean monthly ports (M) by half-year, and its wall time."""
    name, sets, size, months, seed = args
    spec = load_scenario(SCENARIO, [f"population.size={size}", f"months={months}", *sets])
    t0 = time.perf_counter()
    ts = run(spec, seed=seed).timeseries
    wall = time.perf_counter() - t0
    ts = ts.copy()
    month = pd.PeriodIndex(ts["month"], freq="M")
    half = [f"{p.year}H{1 if p.month <= 6 else 2}" for p in month]
    ports = ts.groupby(pd.Series(half, index=ts.index))["port_in"].sum()
    months_in = pd.Series(ts["month"].to_numpy()).groupby(half).nunique()
    out = (ports / months_in.reindex(ports.index).to_numpy() / 1e6).to_dict()
    return name, seed, out, wall


def main() -> None:
    """Run the variants on common seeds; print means and paired differences."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=20000)
    ap.add_argument("--months", type=int, default=48)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--variant", action="append", default=[],
                    help="name:path=value,path=value (empty after ':' = the scenario)")
    ap.add_argument("--processes", type=int, default=1)
    a = ap.parse_args()
    variants = [(v.split(":", 1)[0], [s for s in v.split(":", 1)[1].split(",") if s])
                for v in (a.variant or ["scenario:"])]
    jobs = [(n, s, a.size, a.months, seed) for n, s in variants for seed in a.seeds]
    with Pool(a.processes) as pool:
        res = pool.map(one, jobs)
    rows = [{"variant": n, "seed": seed, **out} for n, seed, out, _ in res]
    df = pd.DataFrame(rows)
    halves = [c for c in df.columns if c not in ("variant", "seed")]
    mean = df.groupby("variant", sort=False)[halves].mean()
    print("mean monthly ports, M/month (real subscribers), by half-year:")
    print(mean.round(3).to_string())
    if len(variants) > 1:
        base = df[df.variant == variants[0][0]].set_index("seed")[halves]
        for n, _ in variants[1:]:
            alt = df[df.variant == n].set_index("seed")[halves]
            d = (alt - base) / base * 100
            print(f"paired % difference {n} vs {variants[0][0]} (mean; min..max over seeds):")
            print(pd.DataFrame({"mean": d.mean(), "min": d.min(), "max": d.max()}).T.round(1)
                  .to_string())
    walls = pd.DataFrame([(n, w) for n, _, _, w in res], columns=["variant", "wall"])
    print("wall s per run:", walls.groupby("variant", sort=False).wall.mean().round(2).to_dict())


if __name__ == "__main__":
    main()
