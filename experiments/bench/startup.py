"""Start-up: how long `mnp --help` and a tiny run take as whole processes, and where a
tiny run's time goes.

"import floor" is a process that imports only the libraries a run cannot do without
(numpy, pandas, pydantic, PyYAML, numba, mesa, matplotlib's Figure, typer) and none of
mnp-sim: no run can start faster than that on this machine.

Each command runs `--repeat` times after one warm-up (which also fills numba's cache);
the best and the median wall time are printed. A breakdown of one tiny run follows:
imports, loading the scenario, the simulation, and writing tables, plots and report.
Writes results/startup.csv.

    python experiments/bench/startup.py                # 7 runs each
    python experiments/bench/startup.py --repeat 15
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "china_mnp_2019.yaml"
TINY = ["--set", "population.size=1000", "--set", "months=1"]
FLOOR = "import numpy, pandas, pydantic, yaml, numba, mesa, matplotlib.figure, typer"

BREAKDOWN = f"""
import time
t0 = time.perf_counter()
from sim.scenario import load_scenario
from sim.runner import run
from sim.report import save_run
t1 = time.perf_counter()
spec = load_scenario({str(SCENARIO)!r}, ["population.size=1000", "months=1"])
t2 = time.perf_counter()
result = run(spec)
t3 = time.perf_counter()
import sys, pathlib
save_run(result, pathlib.Path(sys.argv[1]), force=True)
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def timed(command: list[str], repeat: int) -> list[float]:
    subprocess.run(command, check=True, capture_output=True)  # warm-up (numba cache, disk)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "python (nothing imported)": [sys.executable, "-c", "pass"],
            "import floor (libraries)": [sys.executable, "-c", FLOOR],
            "mnp --help": [sys.executable, "-m", "sim", "--help"],
            "tiny run (1,000 x 1 month)": [sys.executable, "-m", "sim", "run", str(SCENARIO),
                                           *TINY, "--out", f"{tmp}/tiny", "--force"],
        }
        for name, command in commands.items():
            times = timed(command, args.repeat)
            rows.append((name, min(times), statistics.median(times)))
            print(f"{name:28s} best {min(times):6.2f} s   median {statistics.median(times):6.2f} s"
                  f"   ({args.repeat} runs)")
        parts = []
        for _ in range(3):
            done = subprocess.run([sys.executable, "-c", BREAKDOWN, f"{tmp}/parts"], check=True,
                                  capture_output=True, text=True)
            parts.append([float(x) for x in done.stdout.split()])
        best = [min(p[i] for p in parts) for i in range(4)]
        print("tiny run, best of 3 per part: imports {:.2f} s, scenario {:.2f} s, simulation "
              "{:.2f} s, tables+plots+report {:.2f} s".format(*best))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    with open(out / "startup.csv", "w") as f:
        f.write("command,best_seconds,median_seconds\n")
        for name, b, m in rows:
            f.write(f"{name},{b:.3f},{m:.3f}\n")


if __name__ == "__main__":
    main()
