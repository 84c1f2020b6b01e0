"""Price and plan levers (seeds 001, 004).

- `price_change`: a cheaper (or dearer) tariff for every subscriber.
- `segment_plan`: a plan for one segment only (youth big-data and app-targeted free
  data, business roaming, family, elderly "silver" plans): a price change and/or
  extra value that only that segment's subscribers see.
Revenue follows the price automatically; a cut is lost revenue, not a cost.
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer, Usage
from sim.params import ASSUMPTION, SEED, param


class PriceChange(Action):
    """Change the carrier's price (ARPU) by a percentage, for everyone."""

    ORDER = 10  # position in the documentation and the columns

    lever: Literal["price_change"]
    percent: float = param(..., unit="%", source=SEED["004"], gt=-90, le=300,
                           description="Price change, e.g. -10 for a 10% cut.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Scale the offer's prices by `percent`."""
        offer.price_factor *= 1.0 + self.percent / 100.0


class SegmentPlan(Action):
    """A plan for one segment: its price and the extra value it carries (e.g. free app data)."""

    ORDER = 20  # position in the documentation and the columns

    NEEDS_SEGMENT_COUNTS = True

    lever: Literal["segment_plan"]
    segment: str = param(..., unit="segment name", source=SEED["001"],
                         description="The targeted segment, e.g. youth, business, family, "
                                     "elderly; must be one of population.segments.")
    percent: float = param(0.0, unit="%", source=SEED["001"], gt=-90, le=300,
                           description="Price change for that segment only, e.g. -15.")
    extra_value: float = param(
        0.0, unit="yuan/month", source=SEED["001"] + "; " + ASSUMPTION, ge=0,
        description="Value the segment sees in the plan beyond price (big data, roaming, "
                    "silver services).")
    cost_share_of_value: float = param(
        0.3, unit="fraction", source=ASSUMPTION, ge=0, le=5,
        description="What the extra value costs the carrier, as a share of its value to the "
                    "subscriber, per covered subscriber-month.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Scale the segment's prices by `percent` and add `extra_value` (yuan/month) for it."""
        f = offer.segment_price_factor.get(self.segment, 1.0)
        offer.segment_price_factor[self.segment] = f * (1.0 + self.percent / 100.0)
        offer.segment_value[self.segment] = (offer.segment_value.get(self.segment, 0.0)
                                             + self.extra_value)

    def covered(self, usage: Usage) -> float:
        """Real subscribers of the carrier in the plan's segment."""
        return usage.segment_subscribers.get(self.segment, 0.0)

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: the cost share of the extra value, times subscribers covered."""
        return self.cost_share_of_value * self.extra_value * self.covered(usage)
