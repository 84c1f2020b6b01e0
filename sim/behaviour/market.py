"""The carriers' offers this month as small per-carrier arrays the mechanisms read."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.levers.base import Offer
from sim.scenario.schema import Scenario


@dataclass
class MarketState:
    """Per-carrier arrays (length 3) of what subscribers face this month."""

    price: np.ndarray            # yuan/month (ARPU after price actions)
    network_quality: np.ndarray  # 0..1
    service_quality: np.ndarray  # 0..1
    transparency: np.ndarray     # 0..1
    port_in_bonus: np.ndarray    # yuan, one-off
    neglect: np.ndarray          # bool: new-customer-only offer running
    brand: np.ndarray            # yuan/month
    star_benefit: np.ndarray     # yuan per star (0 without a star programme)
    contract_penalty: np.ndarray  # yuan per remaining month
    contract_months: np.ndarray  # months of a new contract
    bundle_value: np.ndarray     # yuan
    addon_share: np.ndarray      # fraction of ARPU at transparency 0
    suspension_on_arrears: np.ndarray  # probability

    @classmethod
    def from_offers(cls, scenario: Scenario, offers: list[Offer]) -> MarketState:
        carriers = [c for _, c in scenario.carriers.items()]
        arr = lambda values, dtype=np.float32: np.array(values, dtype=dtype)  # noqa: E731
        return cls(
            price=arr([c.price * o.price_factor for c, o in zip(carriers, offers)]),
            network_quality=arr([o.network_quality for o in offers]),
            service_quality=arr([o.service_quality for o in offers]),
            transparency=arr([o.transparency for o in offers]),
            port_in_bonus=arr([o.port_in_bonus for o in offers]),
            neglect=arr([o.new_customer_only_offer for o in offers], bool),
            brand=arr([c.brand for c in carriers]),
            star_benefit=arr([c.star_benefit if c.star_programme else 0.0 for c in carriers]),
            contract_penalty=arr([c.contract_penalty for c in carriers]),
            contract_months=arr([c.contract_months for c in carriers], np.int16),
            bundle_value=arr([c.bundle_value for c in carriers]),
            addon_share=arr([c.addon_revenue_share for c in carriers]),
            suspension_on_arrears=arr([c.suspension_on_arrears for c in carriers]),
        )

    def bills(self, carrier: np.ndarray, spend_factor: np.ndarray) -> np.ndarray:
        """Each subscriber's monthly bill at its carrier (yuan)."""
        return self.price[carrier] * spend_factor
