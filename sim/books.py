"""The carriers' monthly books and reported figures (the columns of sim/columns.py).

From the month's flows, the census at its close and what each action touched, every
carrier's figures are set as attributes for Mesa's DataCollector. Actions book their
cost from a `Usage` record in real subscribers; a lever's own columns are the sums
of its campaigns' counters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.behaviour import loyalty, memory, money, points
from sim.behaviour.month_end import Census
from sim.behaviour.switching_cost import PARTS, SwitchingCost
from sim.columns import cost_column, lever_columns
from sim.levers import LEVER_KINDS, LEVERS
from sim.levers.base import Campaign, Usage

if TYPE_CHECKING:
    from sim.context import MonthContext

#: lever column name -> the counter it sums, and the lever kind that declares it
_LEVER_COLUMNS = {col.name: col.counter for col in lever_columns()}
_COLUMN_KIND = {col.name: kind for kind, lever in zip(LEVER_KINDS, LEVERS, strict=True)
                for col in lever.COLUMNS}


def usage_of(model: mesa.Model, m: MonthContext, j: int, census: Census,
             port_in: np.ndarray, runs: list[Campaign]) -> Usage:
    """What carrier j's actions touched this month, in real subscribers."""
    scale, subs, market = model.scale, m.subs, m.market
    segment_subs = {}
    if any(run.action.NEEDS_SEGMENT_COUNTS for run in runs):
        per_seg = np.bincount(subs.segment[subs.carrier == j], minlength=len(m.segment_codes))
        segment_subs = {s: per_seg[i] * scale for s, i in m.segment_codes.items()}
    return Usage(
        subscribers=census.subscribers[j] * scale, port_ins=port_in[j] * scale,
        complaints=m.lived.complaints[j] * scale, stars=census.stars[j] * scale,
        bundle_holders=census.bundle_payers[j] * scale,
        port_in_bonus=float(market.port_in_bonus[j]),
        segment_subscribers=segment_subs,
        reached={run.index: float(run.counts["reached"]) * scale for run in runs
                 if "reached" in run.counts},
        taken={run.index: float(run.counts["taken"]) * scale for run in runs
               if "taken" in run.counts},
        points_redeemed=points_booked(m, j, runs, scale),
        sub_brands=float(model.carriers[j].params.sub_brands))


def own_points(usage: Usage, redeemed: float) -> float:
    """The carrier's own points programme's cost this month: the points redeemed (yuan).

    Points are an incentive the carrier offers, so what its subscribers redeem is its cost;
    while a `points_programme` action runs the action books them instead (`points_booked`),
    so each redeemed yuan is booked once and a comparison's cost difference is what the
    programme adds.
    """
    return 0.0 if usage.points_redeemed else float(redeemed)


def points_booked(m: MonthContext, j: int, runs: list[Campaign],
                  scale: float) -> dict[int, float]:
    """Carrier j's points redeemed this month (yuan), on its first points_programme action."""
    first = next((run.index for run in runs if run.action.kind == "points_programme"), None)
    if first is None or "points" not in m.extra:
        return {}
    return {first: float(m.extra["points"].redeemed[j]) * scale}


def mechanism_figures(model: mesa.Model, m: MonthContext,
                      census: Census) -> dict[str, np.ndarray]:
    """Per-carrier (N,) figures of the points and sub-brand mechanisms (seed 002)."""
    scale, k = model.scale, m.n_carriers
    month = m.extra.get("points") or points.PointsMonth.none(k)
    return {"points_balance": points.balances(m.subs, k) / np.maximum(census.subscribers, 1),
            "points_redeemed": month.redeemed * scale, "points_lapsed": month.lapsed * scale,
            "points_lapses": month.lapses * scale,
            "sub_brands": m.market.sub_brands.astype(np.float64),
            "brand_value": m.market.brand.astype(np.float64)}


def repeat_figures(m: MonthContext, census: Census, scale: float) -> dict[str, np.ndarray]:
    """Per-carrier (N,) ports by order and direction, and the ported numbers' shares."""
    mem = m.flows.memory or memory.PortMemory.none(m.n_carriers)
    port_in = mem.by_order.sum(axis=0)
    out = {f"port_in_{order}": mem.by_order[i] * scale
           for i, order in enumerate(memory.ORDERS)}
    out["port_in_back"] = mem.back * scale
    out["port_in_onward"] = (port_in - mem.back) * scale
    out["ported_share"] = census.mean(census.ported)
    out["ported_twice_share"] = census.mean(census.ported_twice)
    out["ported_three_plus_share"] = census.mean(census.ported_three_plus)
    return out


def lever_figures(runs: list[Campaign], scale: float) -> dict[str, float]:
    """Each lever column: its counter summed over the carrier's campaigns of that lever."""
    return {name: sum(float(run.counts.get(counter, 0)) for run in runs
                      if run.action.kind == _COLUMN_KIND[name]) * scale
            for name, counter in _LEVER_COLUMNS.items()}


def record(model: mesa.Model, m: MonthContext, quad: np.ndarray, census: Census,
           costs: SwitchingCost) -> None:
    """Set every carrier's figures for the month and collect them."""
    market, scale, flows, lived = m.market, model.scale, m.flows, m.lived
    counts = census.subscribers
    quad_share = quad / np.maximum(quad.sum(axis=1), 1)[:, None]
    port_in, port_out = flows.ports.sum(axis=0), flows.ports.sum(axis=1)
    sw_in, sw_out = flows.switches.sum(axis=0), flows.switches.sum(axis=1)
    income = money.revenue(census.paid, census.bundle_payers, market)
    revenue = income.total * scale
    sampled = m.start_carrier[model.report_rows]
    parts = dict(zip(PARTS, costs.mean_by_carrier(sampled, m.n_carriers), strict=True))
    model.port_matrix = (flows.ports * scale).tolist()
    model.segment_ports = [(flows.port_in_by_segment * scale).tolist(),
                           (flows.port_out_by_segment * scale).tolist()]
    campaigns = m.extra["campaigns"]
    mechanisms = mechanism_figures(model, m, census)
    mechanisms.update(repeat_figures(m, census, scale))
    for j, c in enumerate(model.carriers):
        runs = [run for run in campaigns if run.carrier == j]
        usage = usage_of(model, m, j, census, port_in, runs)
        lever_costs = c.book_costs(m.month, usage)
        cost = sum(lever_costs.values()) + own_points(usage, mechanisms["points_redeemed"][j])
        values = {
            "subscribers": counts[j] * scale,
            "port_in": port_in[j] * scale, "port_out": port_out[j] * scale,
            "net_porting": (int(port_in[j]) - int(port_out[j])) * scale,
            "switch_in_new_number": sw_in[j] * scale,
            "switch_out_new_number": sw_out[j] * scale,
            "joins": flows.joins[j] * scale, "leaves": flows.leaves[j] * scale,
            "revenue": revenue[j], "addon_revenue": income.addon[j] * scale,
            "bundle_revenue": income.bundle[j] * scale,
            "cost": cost, "profit": revenue[j] - cost,
            "satisfaction_mean": census.mean(census.satisfaction)[j],
            "false_loyal_share": quad_share[j, loyalty.HOSTAGE],
            "price": market.price[j], "network_quality": market.network_quality[j],
            "service_quality": market.service_quality[j],
            "transparency": market.transparency[j],
            "aware_share": census.mean(census.aware)[j],
            "stars_mean": census.mean(census.stars)[j],
            "sc_total": sum(parts[p][j] for p in PARTS),
            "network_problems": lived.network_problems[j] * scale,
            "billing_surprises": lived.billing_surprises[j] * scale,
            "complaints": lived.complaints[j] * scale,
            "complaints_resolved_well": lived.resolved_well[j] * scale,
            "bundle_share": census.mean(census.bundle_holders)[j],
            "bill_shocks": m.shocks.per_carrier[j] * scale,
            "plan_mismatch_mean": census.mean(census.plan_mismatch)[j],
            "subsidised_contracts": flows.subsidised[j] * scale,
            **lever_figures(runs, scale),
            **{name: figure[j] for name, figure in mechanisms.items()},
        }
        values.update({cost_column(k): lever_costs[k] for k in LEVER_KINDS})
        values.update({q: quad_share[j, k] for k, q in enumerate(loyalty.QUADRANTS)})
        values.update({f"sc_{p}": parts[p][j] for p in PARTS})
        for name, value in values.items():
            setattr(c, name, float(value))
    model.datacollector.collect(model)
