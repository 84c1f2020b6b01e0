"""Every per-carrier monthly column a run reports, declared once: name, unit, meaning.

The carriers' attributes, the data collector, `timeseries.csv`, the reference page
and the test that every column is filled are all derived from `CARRIER_COLUMNS`.
Levers declare their own columns (`Action.COLUMNS`); each lever kind also gets a
cost column. Figures are per month, in real subscribers (rows x scale) and yuan.
"""

from __future__ import annotations

from sim.behaviour.loyalty import QUADRANTS
from sim.behaviour.switching_cost import PARTS
from sim.levers import LEVER_KINDS, LEVERS
from sim.levers.base import Column

SUBS = "real subscribers/month"
_QUADRANT_MEANING = {
    "loyalist": "would stay even if switching were free",
    "hostage": "stays dissatisfied, prefers a rival, kept by switching cost (false loyalty)",
    "mercenary": "satisfied, yet prefers a rival",
    "defector": "dissatisfied, prefers a rival, and left this month",
}
_PART_MEANING = {
    "number_loss": "giving up the number (0 where the subscriber can port)",
    "contract": "handset-subsidy payback for the contract months left",
    "bundle": "bundle value lost on leaving",
    "loyalty": "star benefits and loyalty points lost on leaving",
    "hassle": "the porting procedure, or a new SIM when not porting",
}

FLOWS_AND_BOOKS: tuple[Column, ...] = (
    Column("subscribers", "real subscribers", "Subscribers at the end of the month."),
    Column("port_in", SUBS, "Subscribers who ported in (kept their number)."),
    Column("port_out", SUBS, "Subscribers who ported out."),
    Column("net_porting", SUBS, "port_in - port_out; sums to 0 over carriers each month."),
    Column("switch_in_new_number", SUBS, "Switched in with a new number (not a port)."),
    Column("switch_out_new_number", SUBS, "Switched out with a new number (not a port)."),
    Column("joins", SUBS, "Newcomers to the market who chose the carrier."),
    Column("leaves", SUBS, "Subscribers who left the market."),
    Column("revenue", "yuan/month", "Bills paid, add-on and hidden-fee revenue, bundle fees."),
    Column("addon_revenue", "yuan/month", "Add-on and hidden-fee revenue (falls with "
                                          "transparency)."),
    Column("bundle_revenue", "yuan/month", "Bundle fees."),
    Column("cost", "yuan/month", "What the carrier's active actions cost this month, plus the "
           "loyalty points its subscribers redeem (booked to a points_programme action while "
           "one runs)."),
    Column("profit", "yuan/month", "revenue - cost."),
    Column("satisfaction_mean", "0..1", "Mean satisfaction of the carrier's subscribers."),
    Column("false_loyal_share", "fraction", "Share of the carrier's subscribers (at the start "
                                            "of the month) who are hostages."),
    *(Column(q, "fraction", f"Share of the carrier's subscribers who are {q}s: "
                            f"{_QUADRANT_MEANING[q]}.") for q in QUADRANTS),
    Column("price", "yuan/month", "ARPU after price actions."),
    Column("network_quality", "0..1", "Network quality outside weak-coverage areas."),
    Column("service_quality", "0..1", "Chance a complaint is resolved well."),
    Column("transparency", "0..1", "Billing transparency."),
    Column("aware_share", "fraction", "Share of subscribers aware of MNP and how to use it."),
    Column("stars_mean", "stars 0..5", "Mean star level (seed 003's rule)."),
    *(Column(f"sc_{p}", "yuan", f"Mean switching-cost part: {_PART_MEANING[p]}.")
      for p in PARTS),
    Column("sc_total", "yuan", "Mean switching cost (sum of the parts)."),
    Column("network_problems", SUBS, "Subscribers with a network problem."),
    Column("billing_surprises", SUBS, "Subscribers with a billing surprise."),
    Column("complaints", SUBS, "Complaints made."),
    Column("complaints_resolved_well", SUBS, "Complaints resolved well."),
    Column("bundle_share", "fraction", "Share of subscribers holding a bundle."),
    Column("bill_shocks", SUBS, "Subscribers whose bill rose over last month's with the "
                                "carrier (a promotion or discount ending, a price rise)."),
    Column("plan_mismatch_mean", "fraction of the bill", "Mean share of the bill paid for "
                                                         "unused allowance or overage."),
)
#: Loyalty points and sub-brands (seed 002; sim/behaviour/points.py, sub_brands.py).
POINTS_AND_BRANDS: tuple[Column, ...] = (
    Column("points_balance", "yuan/subscriber", "Mean loyalty points held, in yuan of value "
                                                "(lost on leaving, in sc_loyalty)."),
    Column("points_redeemed", "yuan/month", "Points redeemed at a clearing (the points "
                                            "programme's cost)."),
    Column("points_lapsed", "yuan/month", "Points that lapsed unnoticed or unredeemed."),
    Column("points_lapses", SUBS, "Subscribers whose points lapsed (a satisfaction hit)."),
    Column("sub_brands", "brands", "Tariff brands the carrier sells under this month."),
    Column("brand_value", "yuan/month", "Brand value after dilution by sub-brands."),
)
#: Repeat porting: the numbers' ports by order and direction (sim/behaviour/memory.py).
REPEAT_PORTING: tuple[Column, ...] = (
    Column("port_in_first", SUBS, "Port-ins that are the number's first port."),
    Column("port_in_second", SUBS, "Port-ins that are the number's second port."),
    Column("port_in_third_plus", SUBS, "Port-ins that are the number's third or later port."),
    Column("port_in_back", SUBS, "Port-ins by subscribers coming back to a carrier they had "
                                 "left (the number's original carrier or the one left at "
                                 "their last move)."),
    Column("port_in_onward", SUBS, "Port-ins by subscribers moving on to a carrier they had "
                                   "not left before (as far as the two remembered go)."),
    Column("ported_share", "fraction", "Share of the carrier's subscribers whose number has "
                                       "ported at least once since the run's start."),
    Column("ported_twice_share", "fraction", "Share whose number has ported exactly twice."),
    Column("ported_three_plus_share", "fraction", "Share whose number has ported three times "
                                                  "or more."),
)
MOVES_TAIL: tuple[Column, ...] = (
    Column("subsidised_contracts", SUBS, "New customers who signed a handset-subsidy "
                                         "contract."),
)


def lever_columns() -> tuple[Column, ...]:
    """The columns levers declare, in lever order."""
    return tuple(col for lever in LEVERS for col in lever.COLUMNS)


def cost_column(kind: str) -> str:
    """The cost column of one lever kind."""
    return f"cost_{kind}"


COST_COLUMNS: tuple[Column, ...] = tuple(
    Column(cost_column(kind), "yuan/month", f"Cost of the carrier's {kind} actions.")
    for kind in LEVER_KINDS)

#: Every per-carrier monthly column, in the order of timeseries.csv.
CARRIER_COLUMNS: tuple[Column, ...] = (*FLOWS_AND_BOOKS, *lever_columns(), *MOVES_TAIL,
                                       *COST_COLUMNS, *POINTS_AND_BRANDS, *REPEAT_PORTING)
STAT_FIELDS: tuple[str, ...] = tuple(c.name for c in CARRIER_COLUMNS)
TIMESERIES_COLUMNS: tuple[str, ...] = ("month", "carrier", *STAT_FIELDS)
