"""Seconds per simulated month and peak memory per subscriber, from 10 thousand to 10 million.

Each size runs in a fresh Python process (one core) so its peak resident memory is
its own: bytes per subscriber = (peak RSS of the run - RSS before the model was
built) / subscribers, from `resource.getrusage`. That counts everything the run
holds at its peak: subscriber columns, social graph, contact counts, per-month
temporaries and collected results. At small sizes fixed costs dominate the figure;
the target (<= 250 B per subscriber) is about large populations.

    python experiments/bench/scaling.py                          # 10k, 100k, 1M, 10M x 24 months
    python experiments/bench/scaling.py --sizes 10000 100000 --months 12
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import common
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

HERE = Path(__file__).resolve().parent


def rss_bytes() -> int:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss() -> int:
    """Resident set size now, from /proc (falls back to the peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss_bytes()


def measure(size: int, months: int, seed: int = 1) -> dict:
    """Run one size in this process and return its figures."""
    from sim.model import MNPModel

    # load every compiled pass first (a run as long as the measured one reaches the same
    # code paths), so the figure per subscriber holds no one-off cost of loading code
    MNPModel(common.scenario(2000, months), rng=seed).run_months()
    scenario = common.scenario(size, months)
    before = current_rss()
    t0 = time.perf_counter()
    model = MNPModel(scenario, rng=seed)
    t1 = time.perf_counter()
    model.run_months()
    t2 = time.perf_counter()
    peak = rss_bytes()
    return {"subscribers": size, "months": months, "setup_s": t1 - t0, "run_s": t2 - t1,
            "s_per_month": (t2 - t1) / months,
            "sub_months_per_s": size * months / (t2 - t1),
            "peak_bytes_per_sub": (peak - before) / size,
            "columns_bytes_per_sub": model.subs.nbytes() / size,
            "graph_bytes_per_sub": model.graph.nbytes / size,
            "peak_rss_gb": peak / 1e9}


def plot(table: pd.DataFrame, path: Path) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.loglog(table["subscribers"], table["s_per_month"], "o-", color="#0072B2")
    left.set_xlabel("subscribers simulated")
    left.set_ylabel("seconds per simulated month")
    left.set_title("Time per month (one core)")
    right.loglog(table["subscribers"], table["peak_bytes_per_sub"], "o-", color="#D55E00",
                 label="peak RSS growth")
    right.axhline(250, color="grey", linestyle="--", label="target 250 B")
    right.set_xlabel("subscribers simulated")
    right.set_ylabel("peak memory, bytes per subscriber")
    right.set_title("Peak memory per subscriber")
    right.legend()
    for ax in (left, right):
        ax.grid(True, which="both", alpha=0.3)
    fig.suptitle("Scaling of the vectorised model, default scenario")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[10_000, 100_000, 1_000_000, 10_000_000])
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process mode
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.months)))
        return
    rows = []
    print(f"Scaling on {common.machine()}, one core, {args.months} months")
    print(f"{'subscribers':>12} {'set-up s':>9} {'s/month':>8} {'sub-months/s':>13} "
          f"{'peak B/sub':>10} {'columns':>8} {'graph':>6} {'peak GB':>8}")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size),
                              "--months", str(args.months)], capture_output=True, text=True,
                             cwd=HERE)
        if out.returncode:
            sys.exit(f"size {size}: {out.stderr.strip().splitlines()[-1]}")
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(r)
        print(f"{size:>12,} {r['setup_s']:>9.2f} {r['s_per_month']:>8.3f} "
              f"{r['sub_months_per_s'] / 1e6:>11.2f} M {r['peak_bytes_per_sub']:>10.0f} "
              f"{r['columns_bytes_per_sub']:>8.0f} {r['graph_bytes_per_sub']:>6.0f} "
              f"{r['peak_rss_gb']:>8.2f}")
    table = pd.DataFrame(rows)
    common.save_table(table, "scaling")
    plot(table, common.RESULTS / "scaling.png")


if __name__ == "__main__":
    main()
