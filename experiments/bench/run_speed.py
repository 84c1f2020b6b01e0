"""Throughput of the vectorised model on the default scenario.

Prints subscriber-months per second for 100k and 1M subscribers (one core), the
time per simulated month, and where the time goes by step phase.

    python experiments/bench/run_speed.py            # 100k and 1M, 48 months
    python experiments/bench/run_speed.py --sizes 100000 --months 12
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

# one core: keep BLAS/OpenMP pools from spreading over more
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

from sim.model import MNPModel  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def bench(size: int, months: int, seed: int = 1) -> dict:
    scenario = load_scenario(ROOT / "scenarios" / "china_mnp_2019.yaml",
                             [f"population.size={size}", f"months={months}"])
    t0 = time.perf_counter()
    model = MNPModel(scenario, rng=seed)
    t1 = time.perf_counter()
    model.run_months()
    t2 = time.perf_counter()
    return {"size": size, "months": months, "setup_s": t1 - t0, "run_s": t2 - t1,
            "rate": size * months / (t2 - t1), "phases": dict(model.phase_seconds),
            "column_bytes_per_sub": model.subs.nbytes() / size,
            "graph_bytes_per_sub": model.graph.nbytes / size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--months", type=int, default=48)
    args = parser.parse_args()
    print(f"{'subscribers':>12} {'months':>6} {'setup s':>8} {'run s':>8} {'s/month':>8} "
          f"{'sub-months/s':>14} {'cols B/sub':>10} {'graph B/sub':>11}")
    results = []
    for size in args.sizes:
        r = bench(size, args.months)
        results.append(r)
        print(f"{r['size']:>12,} {r['months']:>6} {r['setup_s']:>8.2f} {r['run_s']:>8.2f} "
              f"{r['run_s'] / r['months']:>8.3f} {r['rate'] / 1e6:>12.2f} M "
              f"{r['column_bytes_per_sub']:>10.0f} {r['graph_bytes_per_sub']:>11.0f}")
    last = results[-1]
    total = sum(last["phases"].values())
    print(f"\nTime by step phase at {last['size']:,} subscribers:")
    for name, secs in sorted(last["phases"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:13s} {secs:7.2f} s  {100 * secs / total:5.1f}%")


if __name__ == "__main__":
    main()
