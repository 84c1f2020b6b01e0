"""Switching cost, decomposed into its parts (seeds 002, 003, 004; DOMAIN.md).

All parts are one-off amounts in yuan that a subscriber gives up or endures by
leaving the current carrier:
- number_loss: giving up the number (attachment x policy.number_loss_cost); zero
  when the subscriber can port, because MNP keeps the number;
- contract: handset-subsidy payback, penalty per remaining contract month (004);
- bundle: home broadband / family plan value lost (002);
- loyalty: star benefits lost, star level x star_benefit (003), plus the loyalty
  points held (002, sim/behaviour/points.py);
- hassle: the porting procedure, or getting a new SIM when not porting.
A subscriber who can port takes whichever route is cheaper: port (hassle only) or
new number (number loss + new-number hassle).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.behaviour import points
from sim.behaviour.offers import MarketState
from sim.jit import njit
from sim.population import Subscribers
from sim.market import Policy

PARTS = ("number_loss", "contract", "bundle", "loyalty", "hassle")
DAYS_PER_MONTH = 30.4375


@dataclass
class SwitchingCost:
    """Switching-cost parts (yuan) for a set of rows, and whether a move would be a port."""

    parts: np.ndarray    # (5, m) float32, one row per name in PARTS
    is_port: np.ndarray  # (m,) bool: the cheaper route keeps the number

    def part(self, name: str) -> np.ndarray:
        """One part (m,) by its name in PARTS."""
        return self.parts[PARTS.index(name)]

    @property
    def hassle(self) -> np.ndarray:
        """The hassle part (m,), in yuan."""
        return self.part("hassle")

    @property
    def total(self) -> np.ndarray:
        """The parts summed in PARTS order, one float32 addition at a time."""
        p = self.parts
        return p[0] + p[1] + p[2] + p[3] + p[4]

    def mean_by_carrier(self, carrier: np.ndarray, n_carriers: int) -> np.ndarray:
        """(5, N) mean of each part over the rows on each carrier (0 where none)."""
        sums, counts = _sum_by_carrier(carrier.view(np.uint8), self.parts, n_carriers)
        return sums / np.maximum(counts, 1)


@njit
def _eligible(tenure, contract_left, in_arrears, min_tenure_days, block_contracts,
              require_settled):
    """China's rules for one subscriber (seed 004).

    >= 120 days with the carrier, contract settled, account settled. Combined with &
    rather than `and`: branches on subscribers' flags are mispredicted jumps in a loop
    over rows.
    """
    return ((tenure * DAYS_PER_MONTH >= min_tenure_days)
            & ((not block_contracts) | (contract_left == 0))
            & ((not require_settled) | (not in_arrears)))


@njit
def _fill(rows, carrier, contract_left, has_bundle, pays_fee, stars, attachment, tenure,
          in_arrears, aware, is_open, port_hassle, contract_penalty, bundle_value, bundle_extra,
          star_benefit,
          number_loss_cost, new_number_hassle, min_tenure_days, block_contracts,
          require_settled, parts, is_port):
    f32 = np.float32
    for k in range(rows.size):
        i = rows[k]
        c = carrier[i]
        parts[1, k] = f32(contract_left[i] * contract_penalty[c])
        parts[2, k] = f32(has_bundle[i] * bundle_value[c] + pays_fee[i] * bundle_extra[c])
        parts[3, k] = f32(stars[i] * star_benefit[c])
        number = f32(attachment[i] * number_loss_cost)
        port = (is_open[i] & aware[i]
                & _eligible(tenure[i], contract_left[i], in_arrears[i], min_tenure_days,
                            block_contracts, require_settled)
                & (port_hassle[i] <= f32(number + new_number_hassle)))
        is_port[k] = port
        parts[0, k] = f32(0.0) if port else number
        parts[4, k] = port_hassle[i] if port else new_number_hassle


@njit
def _sum_by_carrier(carrier, parts, n_carriers):
    sums = np.zeros((parts.shape[0], n_carriers))
    counts = np.zeros(n_carriers)
    for k in range(carrier.size):
        c = carrier[k]
        counts[c] += 1.0
        for p in range(parts.shape[0]):
            sums[p, c] += parts[p, k]
    return sums, counts


def switching_cost(subs: Subscribers, market: MarketState, policy: Policy,
                   is_open: np.ndarray, port_hassle: np.ndarray,
                   rows: np.ndarray) -> SwitchingCost:
    """Switching-cost parts for `rows`, porting where the row can and porting is cheaper.

    Porting applies where MNP is open to the row (`is_open`, per subscriber), the
    subscriber knows of it and meets the rules, and porting is the cheaper route.
    `port_hassle` is the porting hassle per subscriber (yuan).

    One compiled pass over the rows: the parts are needed for every reviewer and the
    report sample each month.
    """
    rows = np.asarray(rows, dtype=np.int64)
    rules, f32 = policy.eligibility, np.float32
    parts = np.empty((len(PARTS), rows.size), dtype=f32)
    is_port = np.empty(rows.size, dtype=bool)
    _fill(rows, subs.carrier.view(np.uint8), subs.contract_left, subs.has_bundle,
          subs.pays_bundle_fee, subs.stars, subs.attachment, subs.tenure, subs.in_arrears,
          subs.aware, is_open, port_hassle, market.contract_penalty, market.bundle_value,
          market.bundle_value_extra, market.star_benefit,
          f32(policy.number_loss_cost), f32(policy.new_number_hassle),
          float(rules.min_tenure_days), rules.contract_lockin == "block",
          bool(rules.require_settled), parts, is_port)
    if subs.points.any():  # loyalty points are forfeited on leaving (seed 002)
        parts[3] += points.forfeit(subs, rows)
    return SwitchingCost(parts, is_port)
