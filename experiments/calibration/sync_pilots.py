"""Write scenarios/china_pilots_2010.yaml from its template, with every behavioural
number taken from the calibrated national scenario, so the pilots are simulated with
the same behaviour and differ only in policy (where and how hard porting was).

    python experiments/calibration/sync_pilots.py [NATIONAL] [TEMPLATE] [OUT]
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml

from sim.scenario.loading import read_yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
#: Copied from the national scenario: behaviour, not policy or geography (the porting rules
#: are policy facts: each pilot has its own; their mapping, behaviour.friction, is copied).
SHARED = (("population", "segments"), ("population", "leave_rate"),
          ("policy", "number_loss_cost"),
          ("policy", "new_number_hassle"), ("policy", "awareness"), ("behaviour",),
          ("carriers",), ("strategies",))


def sync(national: Path, template: Path, out: Path) -> None:
    source, _ = read_yaml(national)
    data, _ = read_yaml(template)
    for keys in SHARED:
        node = source
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            continue
        target = data
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = copy.deepcopy(node)
    header = [line for line in template.read_text().splitlines() if line.startswith("#")]
    header.append(f"# Behaviour copied from {national.relative_to(ROOT)} by "
                  "experiments/calibration/sync_pilots.py.")
    out.write_text("\n".join(header) + "\n" + yaml.safe_dump(data, sort_keys=False, width=100))


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    national = args[0] if args else ROOT / "scenarios" / "china_mnp_2019_calibrated.yaml"
    template = args[1] if len(args) > 1 else HERE / "china_pilots_2010.template.yaml"
    out = args[2] if len(args) > 2 else ROOT / "scenarios" / "china_pilots_2010.yaml"
    sync(national.resolve(), template.resolve(), out)
    print(f"wrote {out}")
