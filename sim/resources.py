"""Will a run fit in memory? An estimate from the population size, checked before any run.

The estimate is deliberately on the high side of what `experiments/bench/scaling.py`
measured (a peak of 176-315 bytes per subscriber row, the most while the social
graph is built, plus the interpreter and its libraries): BYTES_PER_ROW per row,
scaled by the social ties per row, plus BASE_BYTES per process. What the machine
has is the smallest of: memory available now (/proc/meminfo), the cgroup's limit
(containers), and the process's own address-space or data limit (ulimit -v / -d).
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

BASE_BYTES = 400 * 2**20      # interpreter, numpy, pandas, numba, mesa
BYTES_PER_ROW = 320           # at the default 6 acquaintances and 2.62 per household
DEFAULT_TIES = 6 + 1.62


def estimate_bytes(rows: int, acquaintances: int = 6, household_size: float = 2.62) -> int:
    """Peak memory of one run of `rows` subscriber rows (an estimate, on the high side)."""
    ties = acquaintances + max(household_size - 1, 0)
    per_row = BYTES_PER_ROW * (0.6 + 0.4 * ties / DEFAULT_TIES)
    return int(BASE_BYTES + rows * per_row)


def _meminfo_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cgroup_left() -> int | None:
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit == "max":
            return None
        used = int(Path("/sys/fs/cgroup/memory.current").read_text().strip())
        return max(int(limit) - used, 0)
    except (OSError, ValueError):
        return None


def _rlimit() -> int | None:
    limits = []
    for name in ("RLIMIT_AS", "RLIMIT_DATA"):
        soft, _ = resource.getrlimit(getattr(resource, name))
        if soft != resource.RLIM_INFINITY:
            limits.append(soft)
    return min(limits) if limits else None


def available_bytes() -> int | None:
    """Memory a run started now can use (None when nothing can be read)."""
    found = [v for v in (_meminfo_available(), _cgroup_left(), _rlimit()) if v is not None]
    override = os.environ.get("MNP_MEMORY_BYTES")  # for tests and for a known budget
    if override and override.isdigit():
        found.append(int(override))
    return min(found) if found else None


def gib(n: float) -> str:
    """`n` bytes written in GiB with one decimal ("1.5 GiB")."""
    return f"{n / 2**30:.1f} GiB"


def memory_problem(rows: int, acquaintances: int = 6, household_size: float = 2.62,
                   parallel: int = 1, what: str = "population.size") -> str | None:
    """A message when `parallel` runs of `rows` rows at once need more than is available."""
    have = available_bytes()
    if have is None:
        return None
    need = estimate_bytes(rows, acquaintances, household_size) * max(parallel, 1)
    if need <= have:
        return None
    times = f" x {parallel} runs at once" if parallel > 1 else ""
    fix = "use fewer workers (--jobs/--workers) or " if parallel > 1 else ""
    return (f"{what}: {rows:,} rows need about {gib(need)}{times}, more than the "
            f"{gib(have)} this machine has free; {fix}lower population.size and raise "
            "population.represents instead")
