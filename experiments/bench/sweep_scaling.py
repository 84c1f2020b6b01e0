"""Wall time of a 200-run study at 1 and at 2 Dask workers, and the speed-up.

Runs `experiments/bench/sweep_200.yaml` (100 LHS points x 2 replicates, 30,000
subscribers x 36 months) through `sim.sweep.run_study` on a LocalCluster with one
thread per worker process, first with 1 worker, then with 2. The wall time includes
starting the cluster and writing the results, as a user sees it.

    python experiments/bench/sweep_scaling.py
    python experiments/bench/sweep_scaling.py --workers 1 2 4
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import common
import pandas as pd

from sim.sweep import run_study

STUDY = Path(__file__).resolve().parent / "sweep_200.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    rows = []
    print(f"Sweep scaling on {common.machine()}: {STUDY.name}")
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as tmp:
            report: list = []
            runs = run_study(STUDY, Path(tmp) / "out", workers=workers, report=report)
            r = report[0]
            failed = int((runs["status"] != "ok").sum())
            rows.append({"workers": r.workers, "runs": len(runs), "failed": failed,
                         "wall_s": r.wall_seconds, "tasks": r.tasks,
                         "overhead_per_task_s": r.overhead_per_task})
            print(f"  {r.workers} worker(s): {len(runs)} runs ({failed} failed) in "
                  f"{r.wall_seconds:.1f} s, {r.tasks} tasks")
    table = pd.DataFrame(rows)
    table["speed_up"] = table["wall_s"].iloc[0] / table["wall_s"]
    common.save_table(table, "sweep_scaling")
    for _, r in table.iloc[1:].iterrows():
        print(f"  speed-up {int(table['workers'].iloc[0])} -> {int(r['workers'])} workers: "
              f"{r['speed_up']:.2f} x  (target >= 1.8 x from 1 to 2)")


if __name__ == "__main__":
    main()
