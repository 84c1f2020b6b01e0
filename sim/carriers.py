"""Carrier agents: each holds its starting position, its scheduled actions, and its books.

Carriers are Mesa agents, as many as the scenario names. Each month a carrier
applies the strategy actions active that month to its base attributes, giving this
month's offer, and books the cost of those actions from what they touched
(`Usage`). Its monthly figures (sim/columns.py) are stored as plain attributes so
Mesa's DataCollector can record them.
"""

from __future__ import annotations

import mesa

from sim.columns import STAT_FIELDS
from sim.levers import LEVER_KINDS
from sim.levers.base import Action, Offer, Usage
from sim.params import month_index
from sim.market import Carrier


class CarrierAgent(mesa.Agent):
    """One carrier of the market (China Mobile, KDDI, Jio...)."""

    def __init__(self, model: mesa.Model, key: str, label: str, params: Carrier,
                 actions: list[Action], start: str):
        """Carrier `key` (shown as `label`): its `params`, strategy `actions`, run start month."""
        super().__init__(model)
        self.key = key
        self.display_name = label
        self.params = params
        self.actions = actions
        self.calendar_start = start
        self.launch = 0 if params.launch is None else month_index(params.launch, start)
        self.offer = self.base_offer()
        self.active: list[tuple[int, Action]] = []
        for name in STAT_FIELDS:
            setattr(self, name, 0.0)

    def base_offer(self) -> Offer:
        """The carrier's offer before any action: its qualities, transparency, points, brands."""
        p = self.params
        return Offer(network_quality=p.network_quality, service_quality=p.service_quality,
                     transparency=p.transparency,
                     points_accrual=p.points_accrual, points_handling=p.points_handling,
                     points_expiry_months=p.points_expiry_months, sub_brands=p.sub_brands)

    def launched(self, month: int) -> bool:
        """Whether the carrier competes in `month` (0-based)."""
        return month >= self.launch

    def _first_month(self, action: Action) -> int:
        return month_index(action.start, self.calendar_start)

    def apply_strategy(self, month: int) -> None:
        """Build this month's offer from the actions active in `month` (0-based).

        A burn-in month (`month` < 0) has no actions: the offer is the base offer.
        """
        offer = self.base_offer()
        self.active = []
        for index, action in enumerate(self.actions if month >= 0 else ()):
            first = self._first_month(action)
            last = None if action.end is None else month_index(action.end, self.calendar_start)
            if first <= month and (last is None or month <= last):
                action.apply(offer, month - first)
                self.active.append((index, action))
        offer.clip()
        self.offer = offer

    def book_costs(self, month: int, usage: Usage) -> dict[str, float]:
        """Cost (yuan) of this month's active actions, by lever kind.

        An action that started before the first simulated month books its one-off
        cost in the first simulated month, so no cost is lost.
        """
        costs = dict.fromkeys(LEVER_KINDS, 0.0)
        for index, action in self.active:
            first = max(self._first_month(action), 0) == month
            costs[action.kind] += action.month_cost(usage, index, first)
        return costs
