"""Do the vectorised model and the plain-Mesa reference tell the same story?

Both run the default scenario (status quo, MNP from 2019-11) on many seeds; for each
key output we compare the two samples of per-seed results:
- cumulative net porting of each carrier over the run (real subscribers);
- each carrier's false-loyal (hostage) share in the last month;
- the market's total ports over the run (net porting is a difference of two
  counts and noisy at small sizes; the total is the sharper check on porting).

Test: two-sample Kolmogorov-Smirnov (whole distribution) and Welch's t-test (means)
for every output, with Holm's correction over all of them; the models are called
indistinguishable when no Holm-adjusted p-value falls below alpha = 0.05. The
standardised mean difference (difference / pooled SD) is reported too, since a
test that fails to reject says more when the differences are also small.

    python experiments/bench/equivalence.py                  # 5,000 x 24 months, 30 seeds
    python experiments/bench/equivalence.py --size 2000 --seeds 10
"""

from __future__ import annotations

import argparse
import time

import common  # noqa: F401  (one core)
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from mesa_reference import run_reference  # noqa: E402
from scipy import stats  # noqa: E402

from sim.runner import run  # noqa: E402
from sim.params import CHINA_CARRIERS as CARRIERS  # noqa: E402
from sim.params import KNOWN_CARRIER_NAMES as CARRIER_NAMES  # noqa: E402
from sim.scenario.schema import Scenario  # noqa: E402
from sim.style import KNOWN_COLOURS as CARRIER_COLOURS  # noqa: E402

ALPHA = 0.05
OUTPUTS = [*((kind, carrier) for kind in ("net_porting", "false_loyal_share")
             for carrier in CARRIERS), ("total_ports", "market")]


def vectorised_outputs(scenario: Scenario, seed: int) -> dict[tuple[str, str], float]:
    ts = run(scenario, seed=seed).timeseries
    last = ts[ts["month"] == ts["month"].max()].set_index("carrier")
    net = ts.groupby("carrier")["net_porting"].sum()
    return {("total_ports", "market"): float(ts["port_in"].sum()),
            **{("net_porting", c): float(net[c]) for c in CARRIERS},
            **{("false_loyal_share", c): float(last.loc[c, "false_loyal_share"])
               for c in CARRIERS}}


def reference_outputs(scenario: Scenario, seed: int) -> dict[tuple[str, str], float]:
    out = run_reference(scenario, seed)
    net, hostage = out["net_porting"].sum(axis=0), out["false_loyal_share"][-1]
    return {("total_ports", "market"): float(out["total_ports"].sum()),
            **{("net_porting", c): float(net[j]) for j, c in enumerate(CARRIERS)},
            **{("false_loyal_share", c): float(hostage[j]) for j, c in enumerate(CARRIERS)}}


RUNNERS = {"vectorised": vectorised_outputs, "mesa_reference": reference_outputs}


def samples(scenario: Scenario, seeds: list[int],
            models: tuple[str, ...] = tuple(RUNNERS)) -> pd.DataFrame:
    """One row per (model, seed) with every output as a column."""
    rows = []
    for model in models:
        fn = RUNNERS[model]
        for seed in seeds:
            t0 = time.perf_counter()
            values = fn(scenario, seed)
            rows.append({"model": model, "seed": seed, "seconds": time.perf_counter() - t0,
                         **{f"{k}:{c}": v for (k, c), v in values.items()}})
    return pd.DataFrame(rows)


def holm(pvalues: np.ndarray) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values (monotone, capped at 1)."""
    order = np.argsort(pvalues)
    m = len(pvalues)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, (m - rank) * pvalues[i])
        adjusted[i] = min(running, 1.0)
    return adjusted


def compare(frame: pd.DataFrame) -> pd.DataFrame:
    """KS and Welch tests per output, Holm-adjusted over all tests."""
    vec, ref = frame[frame["model"] == "vectorised"], frame[frame["model"] == "mesa_reference"]
    rows = []
    for kind, carrier in OUTPUTS:
        col = f"{kind}:{carrier}"
        a, b = vec[col].to_numpy(), ref[col].to_numpy()
        pooled = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
        rows.append({"output": kind, "carrier": carrier,
                     "mean_vectorised": a.mean(), "mean_reference": b.mean(),
                     "sd_vectorised": a.std(ddof=1), "sd_reference": b.std(ddof=1),
                     "std_mean_difference": (a.mean() - b.mean()) / pooled if pooled else 0.0,
                     "ks_statistic": stats.ks_2samp(a, b).statistic,
                     "ks_p": stats.ks_2samp(a, b).pvalue,
                     "welch_p": stats.ttest_ind(a, b, equal_var=False).pvalue})
    table = pd.DataFrame(rows)
    adjusted = holm(np.concatenate([table["ks_p"], table["welch_p"]]))
    table["ks_p_holm"], table["welch_p_holm"] = adjusted[:len(table)], adjusted[len(table):]
    table["indistinguishable"] = (table[["ks_p_holm", "welch_p_holm"]] >= ALPHA).all(axis=1)
    return table


def plot(frame: pd.DataFrame, path) -> None:
    """Empirical CDFs of every output, both models, one panel per output."""
    fig, axes = plt.subplots(3, 3, figsize=(13, 10))
    for ax, (kind, carrier) in zip(axes.flat, OUTPUTS):
        col = f"{kind}:{carrier}"
        scale = 0.01 if kind == "false_loyal_share" else 1e6
        for model, style in (("vectorised", "-"), ("mesa_reference", "--")):
            x = np.sort(frame.loc[frame["model"] == model, col].to_numpy()) / scale
            ax.step(x, np.arange(1, x.size + 1) / x.size, style, where="post",
                    color=CARRIER_COLOURS.get(carrier, "black"), label=model.replace("_", " "))
        unit = "% of subscribers" if kind == "false_loyal_share" else "million subscribers"
        what = {"net_porting": "cumulative net porting", "total_ports": "total ports",
                "false_loyal_share": "false-loyal share, last month"}[kind]
        ax.set_title(f"{CARRIER_NAMES.get(carrier, 'Market')}: {what}", fontsize=10)
        ax.set_xlabel(unit)
        ax.set_ylabel("share of seeds (ECDF)")
        ax.legend(fontsize=8)
    seeds = frame["seed"].nunique()
    for ax in list(axes.flat)[len(OUTPUTS):]:
        ax.axis("off")
    fig.suptitle(f"Vectorised model vs plain-Mesa reference: distributions over {seeds} seeds")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


#: The default scenario's points and sub-brands turned off (the reference has neither).
NO_POINTS_OR_SUB_BRANDS = ("carriers.mobile.points_accrual=0", "carriers.unicom.points_accrual=0",
                           "carriers.telecom.points_accrual=0", "carriers.mobile.sub_brands=1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seeds", type=int, default=30)
    args = parser.parse_args()
    # the reference has no loyalty points or sub-brands (sim/behaviour/points.py, sub_brands.py)
    scenario = common.scenario(args.size, args.months, *NO_POINTS_OR_SUB_BRANDS)
    frame = samples(scenario, list(range(1, args.seeds + 1)))
    table = compare(frame)
    common.save_table(frame, "equivalence_samples")
    common.save_table(table, "equivalence")
    plot(frame, common.RESULTS / "equivalence.png")
    print(f"Equivalence on {common.machine()}: {args.size:,} subscribers x {args.months} months,"
          f" {args.seeds} seeds per model")
    print("Test: two-sample Kolmogorov-Smirnov and Welch t per output, Holm-adjusted over all "
          f"{2 * len(table)} tests, alpha {ALPHA}")
    shown = table.assign(
        mean_vectorised=table["mean_vectorised"].map("{:,.4g}".format),
        mean_reference=table["mean_reference"].map("{:,.4g}".format))
    print(shown[["output", "carrier", "mean_vectorised", "mean_reference", "std_mean_difference",
                 "ks_p_holm", "welch_p_holm", "indistinguishable"]].to_string(
        index=False, float_format="{:.3f}".format))
    verdict = "indistinguishable" if table["indistinguishable"].all() else "DIFFERENT"
    print(f"Verdict: the two models are {verdict} at alpha {ALPHA} (smallest adjusted p = "
          f"{table[['ks_p_holm', 'welch_p_holm']].min().min():.3f}).")


if __name__ == "__main__":
    main()
