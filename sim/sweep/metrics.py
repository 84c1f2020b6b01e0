"""Metrics: the numbers a study records from each run's monthly series.

A metric is one number per run (`metric_value`). A metric with `series` is also
recorded month by month (`metric_series`): its value as if `month` were each month,
so a flow's series is cumulative from the start of the run and ends at the run's
end-point value; the month's own flow is the difference of consecutive months.
"""

from __future__ import annotations

import pandas as pd

from sim.sweep.study import Metric

#: Kinds summed over the months up to the metric's month; the others are read at it.
FLOWS = {"net_porting", "port_in", "port_out", "revenue", "cost", "profit"}
#: How each kind reads on a plot axis (see sim.axes): people, money or a share.
QUANTITY = {"net_porting": "count", "port_in": "count", "port_out": "count",
            "total_ports": "count", "subscribers": "count", "share": "share",
            "false_loyal_share": "share", "revenue": "yuan", "cost": "yuan", "profit": "yuan"}


def quantity_of(metric: Metric) -> str:
    """The sim.axes kind of a metric's values: 'count', 'yuan' or 'share'."""
    return QUANTITY[metric.kind]


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


#: Columns of the tidy series table: one row per run, metric and month.
SERIES_COLUMNS = ["run_id", "month", "metric", "value"]


def metric_series(ts: pd.DataFrame, metric: Metric) -> list[tuple[str, float]]:
    """(month, value) for every month of the metric's series in this run."""
    months = metric.series_months(ts["month"].iloc[0], ts["month"].iloc[-1])
    return [(m, metric_value(ts, metric.model_copy(update={"month": m}))) for m in months]


def empty_series() -> pd.DataFrame:
    """A series table with no rows and the right column types."""
    return pd.DataFrame({"run_id": pd.Series(dtype="int64"), "month": pd.Series(dtype=str),
                         "metric": pd.Series(dtype=str), "value": pd.Series(dtype="float64")})
