"""One look for every plot and page: carrier colours and labels used everywhere.

Colours are from the Okabe-Ito colour-blind-safe palette, chosen near each
carrier's brand colour (Mobile blue, Unicom red, Telecom green).
"""

from __future__ import annotations

from sim.behaviour.loyalty import QUADRANTS
from sim.scenario.schema import CARRIER_NAMES, CARRIERS

CARRIER_COLOURS: dict[str, str] = {"mobile": "#0072B2", "unicom": "#D55E00",
                                   "telecom": "#009E73"}
QUADRANT_COLOURS: dict[str, str] = {"loyalist": "#56B4E9", "hostage": "#E69F00",
                                    "mercenary": "#CC79A7", "defector": "#000000"}
QUADRANT_LABELS: dict[str, str] = {"loyalist": "loyalist", "hostage": "hostage (false-loyal)",
                                   "mercenary": "mercenary", "defector": "defector"}


def carrier_label(key: str) -> str:
    return CARRIER_NAMES[key]


__all__ = ["CARRIERS", "CARRIER_COLOURS", "QUADRANTS", "QUADRANT_COLOURS", "QUADRANT_LABELS",
           "carrier_label"]
