"""One look for every plot and page: carrier colours and labels used everywhere.

Colours are from the Okabe-Ito colour-blind-safe palette, chosen near each
carrier's brand colour (Mobile blue, Unicom red, Telecom green).
"""

from __future__ import annotations

from sim.behaviour.loyalty import QUADRANTS
from sim.scenario.params import CARRIER_NAMES, CARRIERS

#: The whole market (all three carriers together) where a chart offers it.
MARKET = "market"
CARRIER_COLOURS: dict[str, str] = {"mobile": "#0072B2", "unicom": "#D55E00",
                                   "telecom": "#009E73", MARKET: "#000000"}
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


def carrier_label(key: str) -> str:
    """The carrier's display name ("China Mobile"), or "Whole market" for MARKET."""
    return "Whole market" if key == MARKET else CARRIER_NAMES[key]


__all__ = ["CARRIERS", "CARRIER_COLOURS", "MARKET", "QUADRANTS", "SWITCHING_COST_PARTS", "QUADRANT_COLOURS", "QUADRANT_LABELS",
           "STRATEGY_COLOURS", "carrier_label", "strategy_colours"]
