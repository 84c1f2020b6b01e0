"""Paired statistics of a comparison: outcomes at the horizon, differences to the baseline.

For each strategy and replicate the outcome is the carrier's cumulative figure over
the simulated months (net porting, port-ins, port-outs, revenue, cost, profit) and its
subscribers at the horizon. Net porting's gain splits exactly into port-ins won
(more port-ins than the baseline) and port-outs avoided (fewer port-outs); the cost
per port-out avoided charges the whole extra lever cost to the port-outs avoided
(the view of a retention plan), the cost per extra net port to the net gain.
Differences to the baseline are taken replicate by replicate (the runs share their
random numbers), and their 95% confidence interval is a t-interval on those paired
differences: simulation noise only, not uncertainty in the model's parameters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.compare.runs import Comparison

CONFIDENCE = 0.95   # for paired differences
SPREAD = (5, 95)    # percentiles of the outcome across replicates (a 90% interval)


def outcomes(cmp: Comparison) -> pd.DataFrame:
    """One row per (strategy, replicate): the carrier's outcomes at the horizon."""
    mine = cmp.series[cmp.series["carrier"] == cmp.carrier]
    grouped = mine.groupby(["strategy", "replicate"], sort=False)
    sums = grouped[["net_porting", "port_in", "port_out", "revenue", "cost", "profit"]].sum()
    last = grouped["subscribers"].last()
    table = sums.join(last).reset_index()
    table["strategy"] = pd.Categorical(table["strategy"], categories=cmp.strategies, ordered=True)
    return table.sort_values(["strategy", "replicate"]).reset_index(drop=True)


def paired_interval(diffs: np.ndarray,
                    confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """(mean, low, high) of paired differences; a t-interval, exact when they are all equal."""
    diffs = np.asarray(diffs, dtype=float)
    mean = float(diffs.mean())
    if diffs.size < 2 or np.allclose(diffs, diffs[0]):
        return mean, mean, mean
    t = stats.t.ppf(0.5 + confidence / 2, diffs.size - 1)
    half = t * diffs.std(ddof=1) / np.sqrt(diffs.size)
    return mean, mean - half, mean + half


def summarise_comparison(cmp: Comparison) -> pd.DataFrame:
    """One row per strategy: outcomes, paired differences to the baseline, cost-effectiveness."""
    table = outcomes(cmp)
    base = table[table["strategy"] == cmp.baseline].set_index("replicate")
    rows = []
    for name in cmp.strategies:
        mine = table[table["strategy"] == name].set_index("replicate")
        net = mine["net_porting"].to_numpy()
        d_net = (mine["net_porting"] - base["net_porting"]).to_numpy()
        d_cost = (mine["cost"] - base["cost"]).to_numpy()
        d_profit = (mine["profit"] - base["profit"]).to_numpy()
        d_revenue = (mine["revenue"] - base["revenue"]).to_numpy()
        won = (mine["port_in"] - base["port_in"]).to_numpy()
        avoided = (base["port_out"] - mine["port_out"]).to_numpy()
        net_mean, net_low, net_high = paired_interval(d_net)
        won_mean, won_low, won_high = paired_interval(won)
        avoided_mean, avoided_low, avoided_high = paired_interval(avoided)
        profit_mean, profit_low, profit_high = paired_interval(d_profit)
        cost_mean = float(d_cost.mean())
        rows.append({
            "strategy": name,
            "net_porting_mean": float(net.mean()),
            "net_porting_p05": float(np.percentile(net, SPREAD[0])),
            "net_porting_p95": float(np.percentile(net, SPREAD[1])),
            "diff_net_porting": net_mean,
            "diff_net_porting_ci_low": net_low,
            "diff_net_porting_ci_high": net_high,
            "revenue_mean": float(mine["revenue"].mean()),
            "cost_mean": float(mine["cost"].mean()),
            "profit_mean": float(mine["profit"].mean()),
            "diff_revenue": float(d_revenue.mean()),
            "diff_cost": cost_mean,
            "diff_profit": profit_mean,
            "diff_profit_ci_low": profit_low,
            "diff_profit_ci_high": profit_high,
            "cost_per_extra_net_port": cost_mean / net_mean if net_mean > 0 else None,
            "profit_forgone_per_extra_net_port": -profit_mean / net_mean if net_mean > 0 else None,
            "subscribers_at_horizon": float(mine["subscribers"].mean()),
            "significant": bool(net_low > 0 or net_high < 0),
            "port_in_mean": float(mine["port_in"].mean()),
            "port_out_mean": float(mine["port_out"].mean()),
            "port_ins_won": won_mean,
            "port_ins_won_ci_low": won_low,
            "port_ins_won_ci_high": won_high,
            "port_outs_avoided": avoided_mean,
            "port_outs_avoided_ci_low": avoided_low,
            "port_outs_avoided_ci_high": avoided_high,
            "cost_per_port_out_avoided": cost_mean / avoided_mean if avoided_mean > 0 else None,
            "cost_per_port_in_won": cost_mean / won_mean if won_mean > 0 else None,
        })
    out = pd.DataFrame(rows)
    out.insert(1, "rank", out["net_porting_mean"].rank(ascending=False, method="min").astype(int))
    return out


def monthly_bands(cmp: Comparison) -> pd.DataFrame:
    """Cumulative net porting per strategy and month: mean and the 5-95% band across replicates."""
    mine = cmp.series[cmp.series["carrier"] == cmp.carrier].copy()
    mine["cumulative_net_porting"] = mine.groupby(["strategy", "replicate"],
                                                  sort=False)["net_porting"].cumsum()
    grouped = mine.groupby(["strategy", "month"], sort=False)["cumulative_net_porting"]
    bands = grouped.agg(mean="mean",
                        p05=lambda x: np.percentile(x, SPREAD[0]),
                        p95=lambda x: np.percentile(x, SPREAD[1])).reset_index()
    return bands
