"""Run results as tables: the monthly per-carrier series, the porting matrix, loyalty shares.

Built from Mesa's DataCollector records, so the model only ever reports per-carrier
aggregates (memory does not grow with population size).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim import __version__
from sim.behaviour.loyalty import QUADRANTS
from sim.carriers import CarrierAgent
from sim.columns import TIMESERIES_COLUMNS
from sim.model import MNPModel
from sim.scenario.schema import Scenario
from sim.style import scenario_look


@dataclass
class RunResult:
    """Everything one run produced."""

    scenario: Scenario
    seed: int
    timeseries: pd.DataFrame
    porting_matrix: pd.DataFrame
    loyalty: pd.DataFrame
    segment_porting: pd.DataFrame
    wall_seconds: float
    phase_seconds: dict[str, float] = field(default_factory=dict)
    subscriber_sample: pd.DataFrame | None = None  # per-subscriber snapshots, on request

    @property
    def summary(self) -> dict[str, Any]:
        """The run's headline figures (sim.results.summarise)."""
        return summarise(self)


def timeseries_of(model: MNPModel) -> pd.DataFrame:
    """The monthly per-carrier series so far (empty, with its columns, before month 1)."""
    dc = model.datacollector
    if not dc.model_vars.get("month"):
        empty = pd.DataFrame(columns=list(TIMESERIES_COLUMNS))
        empty.attrs["carriers"] = scenario_look(model.spec)
        return empty
    months = dc.get_model_vars_dataframe()["month"].tolist()
    per_carrier = dc.get_agenttype_vars_dataframe(CarrierAgent).reset_index()
    key_of = {c.unique_id: c.key for c in model.carriers}
    per_carrier["carrier"] = per_carrier["AgentID"].map(key_of)
    # DataCollector steps are the model time after each step: 1, 2, ...
    per_carrier["month"] = [months[int(s) - 1] for s in per_carrier["Step"]]
    order = {k: i for i, k in enumerate(model.carrier_keys)}
    per_carrier["_order"] = per_carrier["carrier"].map(order)
    ts = per_carrier.sort_values(["Step", "_order"])[list(TIMESERIES_COLUMNS)]
    ts = ts.reset_index(drop=True)
    ts.attrs["carriers"] = scenario_look(model.spec)
    return ts


def collect_results(model: MNPModel, seed: int, wall_seconds: float) -> RunResult:
    """Turn the model's DataCollector records into the output tables."""
    dc = model.datacollector
    months = dc.get_model_vars_dataframe()["month"].tolist()
    ts = timeseries_of(model)

    rows = []
    for month, matrix in zip(months, dc.get_model_vars_dataframe()["ports"], strict=True):
        for i, src in enumerate(model.carrier_keys):
            for j, dst in enumerate(model.carrier_keys):
                if i != j:
                    rows.append((month, src, dst, matrix[i][j]))
    porting = pd.DataFrame(rows, columns=["month", "from", "to", "ports"])
    loyalty = ts[["month", "carrier", *QUADRANTS]].reset_index(drop=True)
    segments = list(model.segment_codes)
    rows = []
    for month, (into, out_of) in zip(months, dc.get_model_vars_dataframe()["segment_ports"],
                                     strict=True):
        for j, key in enumerate(model.carrier_keys):
            for k, seg in enumerate(segments):
                rows.append((month, key, seg, into[j][k], out_of[j][k]))
    by_segment = pd.DataFrame(rows, columns=["month", "carrier", "segment", "port_in", "port_out"])
    sample = (pd.concat([pd.DataFrame(s) for s in model.snapshots], ignore_index=True)
              if model.snapshots else None)
    return RunResult(model.spec, seed, ts, porting, loyalty, by_segment, wall_seconds,
                     dict(model.phase_seconds), sample)


def summarise(result: RunResult) -> dict[str, Any]:
    """Headline figures of a run (written to summary.json)."""
    ts = result.timeseries
    last = ts[ts["month"] == ts["month"].iloc[-1]].set_index("carrier")
    total = last["subscribers"].sum()
    by = ts.groupby("carrier", sort=False)
    keys = result.scenario.carrier_keys
    return {
        "scenario": result.scenario.name,
        "seed": result.seed,
        "version": __version__,
        "months": int(ts["month"].nunique()),
        "first_month": str(ts["month"].iloc[0]),
        "last_month": str(ts["month"].iloc[-1]),
        "population_rows": result.scenario.population.size,
        "represents": result.scenario.represents(),
        "final_share": {k: float(last.loc[k, "subscribers"] / total) for k in keys},
        "final_subscribers": {k: float(last.loc[k, "subscribers"]) for k in keys},
        "cumulative_net_porting": {k: float(by["net_porting"].sum()[k]) for k in keys},
        "cumulative_port_in": {k: float(by["port_in"].sum()[k]) for k in keys},
        "cumulative_port_out": {k: float(by["port_out"].sum()[k]) for k in keys},
        "total_ports": float(result.porting_matrix["ports"].sum()),
        "final_false_loyal_share": {k: float(last.loc[k, "false_loyal_share"])
                                    for k in keys},
        "carrier_names": {k: result.scenario.carrier_label(k) for k in keys},
        "wall_seconds": round(result.wall_seconds, 3),
    }
