"""Month cost of each growth mechanism (issue #19): the default scenario with each one on.

Variants run interleaved, `--repeat` times each on the same seed; the best run of each
is compared (as run_speed.py does), months only (no burn-in, set-up apart).

    python experiments/growth/speed.py --size 1000000 --months 60 --repeat 3
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import common  # noqa: E402

from sim.model import MNPModel  # noqa: E402

VARIANTS = {
    "off": [],
    "peer_learning": ["behaviour.peer_learning=0.2"],
    "handset_cycle": ["behaviour.review_on_handset=0.3", "behaviour.review_on_new_generation=0.3"],
    "taste_drift": ["behaviour.taste_drift_sd=3"],
    "all": ["behaviour.peer_learning=0.2", "behaviour.review_on_handset=0.3",
            "behaviour.review_on_new_generation=0.3", "behaviour.taste_drift_sd=3"],
}


def run_s(size: int, months: int, sets: list[str]) -> tuple[float, dict]:
    """Seconds to run the months of one variant, and its phase times."""
    model = MNPModel(common.scenario(size, months, *sets), rng=1)
    t0 = time.perf_counter()
    model.run_months()
    return time.perf_counter() - t0, dict(model.phase_seconds)


def main() -> None:
    """Time the variants interleaved; print the best of each against the first."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=200_000)
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS))
    a = ap.parse_args()
    for name in a.variants:
        run_s(2000, 6, VARIANTS[name])  # compile every pass first
    best: dict[str, tuple[float, dict]] = {}
    for _ in range(a.repeat):
        for name in a.variants:
            t, phases = run_s(a.size, a.months, VARIANTS[name])
            if name not in best or t < best[name][0]:
                best[name] = (t, phases)
    base = best[a.variants[0]][0]
    print(f"{a.size:,} subscribers x {a.months} months, best of {a.repeat}")
    for name, (t, phases) in best.items():
        slowest = sorted(phases.items(), key=lambda kv: -kv[1])[:4]
        top = ", ".join(f"{k} {v:.2f}" for k, v in slowest)
        print(f"  {name:14s} {t:6.2f} s  {100 * (t / base - 1):+5.1f}%   ({top})")


if __name__ == "__main__":
    main()
