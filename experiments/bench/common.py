"""Shared set-up for the benchmarks: one core, paths, the default scenario, output files."""

from __future__ import annotations

import os

# one core: keep BLAS/OpenMP/numba pools from spreading over more (set before numpy loads)
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import platform  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402

from sim.scenario import load_scenario  # noqa: E402
from sim.scenario.schema import Scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "experiments" / "bench" / "results"
DEFAULT_SCENARIO = ROOT / "scenarios" / "china_mnp_2019.yaml"


def scenario(size: int, months: int, *overrides: str) -> Scenario:
    """The default scenario (status quo, MNP from 2019-11) at a given size and length.

    Without its burn-in (`burn_in_months=0`), so a benchmark times the months it names
    and set-up times stay comparable across rounds; a burn-in month costs what a month does.
    """
    return load_scenario(DEFAULT_SCENARIO, [f"population.size={size}", f"months={months}",
                                            "burn_in_months=0", *overrides])


def machine() -> str:
    """One line naming the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def save_table(frame: pd.DataFrame, name: str) -> Path:
    """Write a results table as CSV under experiments/bench/results/."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.csv"
    frame.to_csv(path, index=False)
    return path
