"""Stored digests of the shipped scenarios' outputs: a refactor must keep them to the bit.

Each case is a shipped scenario (or a named strategy on the default scenario) run
small. Every column of every output table is hashed from its exact bytes; the
stored digests (``tests/digests.json``) are refreshed only on purpose, when a
change is meant to alter results:

    .venv/bin/python -m tests.digests --write      # after a deliberate change
    .venv/bin/python -m tests.digests              # check, print what differs

A column that is new since the digests were written is not checked; a stored
column that disappears is a failure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
STORE = Path(__file__).with_name("digests.json")
SIZE = "population.size=20000"

#: name -> (scenario file, --set overrides, {carrier: named strategy})
CASES: dict[str, tuple[str, list[str], dict[str, str]]] = {
    "china_mnp_2019": ("scenarios/china_mnp_2019.yaml", [SIZE, "months=30"], {}),
    "china_mnp_2019_calibrated": ("scenarios/china_mnp_2019_calibrated.yaml",
                                  [SIZE, "months=30"], {}),
    "china_pilots_2010": ("scenarios/china_pilots_2010.yaml", [SIZE, "months=60"], {}),
    "false_loyalty_demo": ("scenarios/false_loyalty_demo.yaml", [SIZE], {}),
    "price_war": ("scenarios/price_war.yaml", [SIZE], {}),
}
for _path in sorted((ROOT / "scenarios" / "strategies").glob("*.yaml")):
    CASES[f"strategy_{_path.stem}"] = ("scenarios/china_mnp_2019.yaml",
                                       [SIZE, "months=24"], {"mobile": _path.stem})
# without the burn-in: the code path of a scenario that sets burn_in_months: 0
CASES["china_mnp_2019_no_burn_in"] = ("scenarios/china_mnp_2019.yaml",
                                      [SIZE, "months=30", "burn_in_months=0"], {})
CASES["false_loyalty_demo_no_burn_in"] = ("scenarios/false_loyalty_demo.yaml",
                                          [SIZE, "burn_in_months=0"], {})
CASES["rivals_bundles_warning_poaching"] = (
    "scenarios/china_mnp_2019.yaml", [SIZE, "months=24"],
    {"mobile": "retention_early_warning", "unicom": "bundles", "telecom": "targeted_poaching"})


def _column_digest(values: pd.Series) -> str:
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        data = np.ascontiguousarray(values.to_numpy(dtype=np.float64)).tobytes()
    else:
        data = "\n".join(map(str, values.tolist())).encode()
    return hashlib.sha256(data).hexdigest()[:16]


def run_case(name: str) -> dict[str, dict[str, str]]:
    """Digests of every column of every output table of one case."""
    from sim.runner import run
    from sim.scenario.loading import load_scenario

    path, overrides, strategies = CASES[name]
    scenario = load_scenario(ROOT / path, overrides=overrides, strategies=strategies)
    result = run(scenario)
    tables = {"timeseries": result.timeseries, "porting_matrix": result.porting_matrix,
              "loyalty": result.loyalty, "segment_porting": result.segment_porting}
    return {t: {c: _column_digest(df[c]) for c in df.columns} for t, df in tables.items()}


def differences(stored: dict, now: dict) -> list[str]:
    """What differs between stored and current digests of one case."""
    out = []
    for table, columns in stored.items():
        for column, digest in columns.items():
            got = now.get(table, {}).get(column)
            if got is None:
                out.append(f"{table}.{column}: missing")
            elif got != digest:
                out.append(f"{table}.{column}: changed")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="store the current digests")
    ap.add_argument("cases", nargs="*", help="cases to run (default: all)")
    args = ap.parse_args(argv)
    names = args.cases or list(CASES)
    stored = json.loads(STORE.read_text()) if STORE.exists() else {}
    bad = 0
    for name in names:
        now = run_case(name)
        if args.write:
            stored[name] = now
            print(f"{name}: written")
            continue
        diff = differences(stored.get(name, {}), now) if name in stored else ["not stored"]
        bad += bool(diff)
        print(f"{name}: {'identical' if not diff else '; '.join(diff[:8])}")
    if args.write:
        STORE.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
