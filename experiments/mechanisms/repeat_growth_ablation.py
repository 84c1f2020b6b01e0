"""Paired ablation of the repeat-porting and market-growth entries only (20,000 rows, 30 months,
seeds 1-3): the declared entries of ablation.py, on vs off, with repeat-porting outcomes.

    python experiments/mechanisms/repeat_growth_ablation.py "expectation shortfall" ...
"""
import sys, time
import numpy as np
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
import ablation as A
from sim.scenario.loading import load_scenario
from sim.runner import run
size, months, seeds = 20000, 30, [1, 2, 3]
names = sys.argv[1:]
spec = load_scenario(A.SCENARIO, [f"population.size={size}", f"months={months}"])
def out(sets, seed):
    s = load_scenario(A.SCENARIO, [f"population.size={size}", f"months={months}", *sets])
    ts = run(s, seed=seed).timeseries
    mob = ts[ts.carrier == "mobile"]
    last = ts[ts.month == ts.month.max()]
    S = last.subscribers.sum()
    once = (last.ported_share * last.subscribers).sum() / S
    rep = ((last.ported_twice_share + last.ported_three_plus_share) * last.subscribers).sum() / S
    return {"mobile_port_out": mob.port_out.sum(), "market_ports": ts.port_in.sum(),
            "repeat_ports": (ts.port_in_second + ts.port_in_third_plus).sum(),
            "ported_share": once, "repeat_among_ported": rep / once if once else 0,
            "back_share": ts.port_in_back.sum() / ts.port_in.sum()}
t = time.time()
base = [out([], s) for s in seeds]
for m in A.MECHANISMS:
    if m.name not in names: continue
    for v in A.variants(m):
        sets = A.overrides(spec, m, v)
        alt = [out(sets, s) for s in seeds]
        for k in base[0]:
            b = np.array([x[k] for x in base]); a = np.array([x[k] for x in alt])
            mean, lo, hi, d = A.paired(b, a)
            print(f"{m.name:32s} {v:4s} {k:20s} base {b.mean():.4g} alt {a.mean():.4g}  diff {mean:+.1f}% [{lo:+.1f}, {hi:+.1f}]")
print(f"{time.time()-t:.0f}s")
