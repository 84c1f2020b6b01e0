"""One look for every plot and page: carrier colours and labels used everywhere.

Known carriers keep fixed colours from the Okabe-Ito colour-blind-safe palette,
chosen near each brand colour (Mobile blue, Unicom red, Telecom green, Broadnet
purple); any other carrier takes the next free colour in the scenario's order, or
the `colour` its scenario gives. A run's timeseries carries its carriers' labels
and colours (`DataFrame.attrs["carriers"]`), so every chart of it agrees.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.behaviour.loyalty import QUADRANTS
from sim.params import KNOWN_CARRIER_NAMES

#: The whole market (all carriers together) where a chart offers it.
MARKET = "market"
KNOWN_COLOURS: dict[str, str] = {"mobile": "#0072B2", "unicom": "#D55E00",
                                 "telecom": "#009E73", "broadnet": "#CC79A7", MARKET: "#000000"}
#: Colours for other carriers, in turn (Okabe-Ito's rest, then Tableau's, all distinct
#: from the known carriers' and from black).
PALETTE = ("#E69F00", "#56B4E9", "#F0E442", "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF",
           "#9467BD", "#FF9DA7", "#59A14F", "#EDC948", "#B07AA1", "#76B7B2", "#F28E2B",
           "#4E79A7", "#E15759")
QUADRANT_COLOURS: dict[str, str] = {"loyalist": "#56B4E9", "hostage": "#E69F00",
                                    "mercenary": "#CC79A7", "defector": "#000000"}
QUADRANT_LABELS: dict[str, str] = {"loyalist": "loyalist", "hostage": "hostage (false-loyal)",
                                   "mercenary": "mercenary", "defector": "defector"}

#: Parts of the switching cost (the time-series columns) and their colours.
SWITCHING_COST_PARTS: dict[str, str] = {"sc_number_loss": "#E69F00", "sc_contract": "#56B4E9",
                                        "sc_bundle": "#009E73", "sc_loyalty": "#CC79A7",
                                        "sc_hassle": "#999999"}


#: Strategies in a comparison: the baseline is always black, the others take the
#: Okabe-Ito colours not used for carriers, then greys.
STRATEGY_COLOURS = ("#000000", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#0072B2",
                    "#D55E00", "#009E73", "#666666", "#AAAAAA")


def strategy_colours(names: list[str]) -> dict[str, str]:
    """A colour per strategy, in order (the first, the baseline, black)."""
    return {n: STRATEGY_COLOURS[i % len(STRATEGY_COLOURS)] for i, n in enumerate(names)}


def carrier_colours(keys: list[str] | tuple[str, ...],
                    given: dict[str, str | None] | None = None) -> dict[str, str]:
    """A colour per carrier: the one given, a known carrier's, else the next free one."""
    given = given or {}
    taken = {given[k] for k in keys if given.get(k)} | {KNOWN_COLOURS[k] for k in keys
                                                        if k in KNOWN_COLOURS}
    free = iter([c for c in PALETTE if c not in taken] + list(PALETTE))
    out = {}
    for k in keys:
        out[k] = given.get(k) or KNOWN_COLOURS.get(k) or next(free)
    out[MARKET] = KNOWN_COLOURS[MARKET]
    return out


def scenario_look(scenario: Any) -> dict[str, dict[str, str]]:
    """{carrier: {"label", "colour"}} for a scenario's carriers, in its order."""
    keys = list(scenario.carriers)
    colours = carrier_colours(keys, {k: c.colour for k, c in scenario.carriers.items()})
    return {k: {"label": scenario.carrier_label(k), "colour": colours[k]} for k in keys}


def look_of(data: pd.DataFrame | list[str] | tuple[str, ...]) -> dict[str, dict[str, str]]:
    """The carriers' look for a table of results or for a list of keys.

    For a table, from its attrs, else its carrier column's keys in order of appearance.
    """
    if isinstance(data, pd.DataFrame):
        if "carriers" in data.attrs:
            return data.attrs["carriers"]
        keys = list(dict.fromkeys(data["carrier"])) if "carrier" in data else []
    else:
        keys = list(data)
    keys = [k for k in keys if k != MARKET]
    colours = carrier_colours(keys)
    return {k: {"label": KNOWN_CARRIER_NAMES.get(k, k), "colour": colours[k]} for k in keys}


def carriers_of(data: pd.DataFrame | list[str]) -> list[str]:
    """The carriers' keys of a results table, in the scenario's order."""
    return list(look_of(data))


def carrier_colour(key: str, look: dict[str, dict[str, str]] | None = None) -> str:
    """A carrier's colour (black for MARKET)."""
    if key == MARKET:
        return KNOWN_COLOURS[MARKET]
    if look and key in look:
        return look[key]["colour"]
    return carrier_colours([key])[key]


def carrier_label(key: str, look: dict[str, dict[str, str]] | None = None) -> str:
    """The carrier's display name ("China Mobile"), or "Whole market" for MARKET."""
    if key == MARKET:
        return "Whole market"
    if look and key in look:
        return look[key]["label"]
    return KNOWN_CARRIER_NAMES.get(key, key)


__all__ = ["KNOWN_COLOURS", "MARKET", "PALETTE", "QUADRANTS", "QUADRANT_COLOURS",
           "QUADRANT_LABELS", "STRATEGY_COLOURS", "SWITCHING_COST_PARTS", "carrier_colour",
           "carrier_colours", "carrier_label", "carriers_of", "look_of", "scenario_look",
           "strategy_colours"]
