"""Subscriber-months per second of the vectorised model and the plain-Mesa reference.

Both run the same scenario (the default, status quo) on the same machine in one
process, one core; the ratio is the vectorised model's speed-up. Set-up (drawing
the population and the graph) is timed apart from the monthly steps.

    python experiments/bench/throughput.py                 # 50,000 subscribers x 12 months
    python experiments/bench/throughput.py --size 20000 --months 6
"""

from __future__ import annotations

import argparse
import time

import common
import pandas as pd
from mesa_reference import ReferenceModel

from sim.model import MNPModel


def time_model(cls, scenario, seed: int) -> dict[str, float]:
    t0 = time.perf_counter()
    model = cls(scenario, rng=seed)
    t1 = time.perf_counter()
    for _ in range(scenario.months):
        model.step()
    t2 = time.perf_counter()
    return {"setup_s": t1 - t0, "run_s": t2 - t1,
            "sub_months_per_s": scenario.population.size * scenario.months / (t2 - t1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scenario = common.scenario(args.size, args.months)
    time_model(MNPModel, common.scenario(2000, args.months), args.seed)  # load compiled passes
    rows = [{"model": name, "subscribers": args.size, "months": args.months,
             **time_model(cls, scenario, args.seed)}
            for name, cls in (("vectorised", MNPModel), ("mesa_reference", ReferenceModel))]
    table = pd.DataFrame(rows)
    ratio = table["sub_months_per_s"].iloc[0] / table["sub_months_per_s"].iloc[1]
    table["ratio_to_reference"] = table["sub_months_per_s"] / table["sub_months_per_s"].iloc[1]
    common.save_table(table, "throughput")
    print(f"Throughput on {common.machine()}, one core: default scenario, "
          f"{args.size:,} subscribers x {args.months} months")
    for r in rows:
        print(f"  {r['model']:15s} {r['sub_months_per_s']:>14,.0f} subscriber-months/s "
              f"(run {r['run_s']:.2f} s, set-up {r['setup_s']:.2f} s)")
    print(f"  ratio           {ratio:>14,.0f} x  (target >= 100 x)")


if __name__ == "__main__":
    main()
