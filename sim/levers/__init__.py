"""Carrier strategy levers, one module per kind of lever.

`AnyAction` is the tagged union the scenario schema accepts: the `lever` key
picks the class, and an unknown lever is a validation error listing the known ones.
"""

from typing import Annotated

from pydantic import Field

from sim.levers.base import Action, Cost, Offer
from sim.levers.price import PriceChange
from sim.levers.promotion import PortInBonus
from sim.levers.quality import NetworkQualityChange, ServiceQualityChange, TransparencyChange

AnyAction = Annotated[
    PriceChange | PortInBonus | NetworkQualityChange | ServiceQualityChange | TransparencyChange,
    Field(discriminator="lever"),
]

__all__ = ["Action", "AnyAction", "Cost", "Offer", "PriceChange", "PortInBonus",
           "NetworkQualityChange", "ServiceQualityChange", "TransparencyChange"]
