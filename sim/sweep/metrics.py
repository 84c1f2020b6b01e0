"""Metrics: the numbers a study records from each run's monthly series."""

from __future__ import annotations

import pandas as pd

from sim.sweep.study import Metric

#: Kinds summed over the months up to the metric's month; the others are read at it.
FLOWS = {"net_porting", "port_in", "port_out", "revenue", "cost", "profit"}


def metric_value(ts: pd.DataFrame, metric: Metric) -> float:
    """One metric from a run's timeseries (one row per month and carrier)."""
    last = metric.month or ts["month"].iloc[-1]
    upto = ts[ts["month"] <= last]
    at = ts[ts["month"] == last]
    if at.empty:
        raise ValueError(f"metric {metric.name}: month {last} is after the run ends "
                         f"({ts['month'].iloc[-1]})")
    mine = (lambda f: f) if metric.carrier == "market" else (
        lambda f: f[f["carrier"] == metric.carrier])
    if metric.kind in FLOWS:
        return float(mine(upto)[metric.kind].sum())
    if metric.kind == "total_ports":
        return float(mine(upto)["port_out"].sum())
    if metric.kind == "subscribers":
        return float(mine(at)["subscribers"].sum())
    if metric.kind == "share":
        return float(mine(at)["subscribers"].sum() / at["subscribers"].sum())
    # false_loyal_share: subscriber-weighted across the chosen carriers
    rows = mine(at)
    return float((rows["false_loyal_share"] * rows["subscribers"]).sum()
                 / rows["subscribers"].sum())
