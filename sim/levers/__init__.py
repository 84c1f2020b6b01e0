"""Carrier strategy levers, one module per family of levers (DOMAIN.md's list).

`AnyAction` is the tagged union the scenario schema accepts: the `lever` key
picks the class, and an unknown lever is a validation error listing the known ones.
"""

import importlib
import pkgutil
from typing import Annotated, Union

from pydantic import Field

from sim.levers.acquisition import HandsetSubsidy, PortInBonus, TargetedPoaching
from sim.levers.base import Action, Campaign, Column, Cost, Offer, Usage
from sim.levers.bundles import BundleOffer
from sim.levers.network import NetworkQualityChange
from sim.levers.parity import ExistingCustomerParity
from sim.levers.plan_migration import PlanMigration
from sim.levers.price import PriceChange, SegmentPlan
from sim.levers.retention import ChurnEarlyWarning, LoyaltyRewards, RenewalOffer, RetentionOffer
from sim.levers.service import (
                                AiHumanSupport,
                                ComplaintDeadline,
                                ComplaintFollowUp,
                                FirstContactResolution,
                                ServiceQualityChange,
)
from sim.levers.transparency import TransparencyChange

def _discover() -> tuple[type[Action], ...]:
    """Every lever class in this package's modules (a class with a `lever` key).

    In documentation order (`Action.ORDER`): a new lever needs only its own module.
    """
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    found, todo = [], list(Action.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if "lever" in cls.model_fields and cls not in found:
            found.append(cls)
    return tuple(sorted(found, key=lambda c: (c.ORDER, c.__module__, c.__name__)))


LEVERS: tuple[type[Action], ...] = _discover()
#: Lever keys in documentation order (they name the per-lever cost columns).
LEVER_KINDS: tuple[str, ...] = tuple(
    lever.model_fields["lever"].annotation.__args__[0] for lever in LEVERS)

AnyAction = Annotated[Union[LEVERS], Field(discriminator="lever")]  # noqa: UP007

__all__ = ["LEVERS", "LEVER_KINDS", "Action", "AnyAction", "Campaign", "Column", "Cost", "Offer",
           "Usage",
           "PriceChange", "SegmentPlan", "PortInBonus", "HandsetSubsidy", "TargetedPoaching",
           "ChurnEarlyWarning", "RenewalOffer", "LoyaltyRewards", "RetentionOffer",
           "ServiceQualityChange", "FirstContactResolution", "ComplaintDeadline",
           "ComplaintFollowUp", "AiHumanSupport", "NetworkQualityChange", "TransparencyChange",
           "BundleOffer", "ExistingCustomerParity", "PlanMigration"]
