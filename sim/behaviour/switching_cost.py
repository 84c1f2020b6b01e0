"""Switching cost, decomposed into its parts (seeds 002, 003, 004; DOMAIN.md).

All parts are one-off amounts in yuan that a subscriber gives up or endures by
leaving the current carrier:
- number_loss: giving up the number (attachment x policy.number_loss_cost); zero
  when the subscriber can port, because MNP keeps the number;
- contract: handset-subsidy payback, penalty per remaining contract month (004);
- bundle: home broadband / family plan value lost (002);
- loyalty: star benefits lost, star level x star_benefit (003);
- hassle: the porting procedure, or getting a new SIM when not porting.
A subscriber who can port takes whichever route is cheaper: port (hassle only) or
new number (number loss + new-number hassle).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.behaviour.market import MarketState
from sim.population import Subscribers
from sim.scenario.schema import Policy

PARTS = ("number_loss", "contract", "bundle", "loyalty", "hassle")
DAYS_PER_MONTH = 30.4375


@dataclass
class SwitchingCost:
    """Switching-cost parts (yuan) for a set of rows, and whether a move would be a port."""

    number_loss: np.ndarray
    contract: np.ndarray
    bundle: np.ndarray
    loyalty: np.ndarray
    hassle: np.ndarray
    is_port: np.ndarray  # bool: the cheaper route keeps the number

    @property
    def total(self) -> np.ndarray:
        return self.number_loss + self.contract + self.bundle + self.loyalty + self.hassle


def eligible_to_port(subs: Subscribers, policy: Policy,
                     rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """China's rules: >= 120 days with the carrier, contract settled, account settled."""
    rules = policy.eligibility
    ok = subs.tenure[rows] * DAYS_PER_MONTH >= rules.min_tenure_days
    if rules.contract_lockin == "block":
        ok &= subs.contract_left[rows] == 0
    if rules.require_settled:
        ok &= ~subs.in_arrears[rows]
    return ok


def switching_cost(subs: Subscribers, market: MarketState, policy: Policy,
                   can_port: np.ndarray, port_hassle: np.ndarray,
                   rows: np.ndarray | slice = slice(None)) -> SwitchingCost:
    """Switching-cost parts for `rows`; `can_port` and `port_hassle` are for the same rows."""
    c = subs.carrier[rows]
    f32 = np.float32
    contract = subs.contract_left[rows] * market.contract_penalty[c]
    bundle = subs.has_bundle[rows] * market.bundle_value[c]
    loyalty = subs.stars[rows] * market.star_benefit[c]
    number = subs.attachment[rows] * f32(policy.number_loss_cost)
    new_number_route = number + f32(policy.new_number_hassle)
    is_port = can_port & (port_hassle <= new_number_route)
    return SwitchingCost(
        number_loss=np.where(is_port, f32(0), number).astype(f32),
        contract=contract.astype(f32),
        bundle=bundle.astype(f32),
        loyalty=loyalty.astype(f32),
        hassle=np.where(is_port, port_hassle, f32(policy.new_number_hassle)).astype(f32),
        is_port=is_port,
    )
