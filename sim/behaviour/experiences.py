"""Monthly experiences that move satisfaction (seeds 000, 001, 002, 004).

- network problems: likelier where network quality is low, and more so in
  weak-coverage areas; business and heavy-data users (network_intolerance > 1)
  lose the most satisfaction (001, 004);
- billing surprises: hidden fees and silent plan changes, likelier where billing
  transparency is low (000, 002);
- complaints: a share of bad experiences become complaints; the carrier's service
  quality (plus star service, seed 003) decides whether one is resolved well, which
  restores satisfaction (more with a follow-up programme), or badly, which costs
  more (000, 001);
- neglect: existing customers watching new-customer-only offers (002);
- arrears and quick suspension, which counts against the star score (002, 003).
Draws are proportional to the number of events (see sim.draws).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim import rowsets
from sim.behaviour.offers import MarketState
from sim.draws import chance, events_by, thin
from sim.population import SegmentTables, Subscribers
from sim.market import Behaviour

ARREARS_SETTLE_RATE = 0.5  # probability/month an account in arrears is settled (assumption)


@dataclass
class Experiences:
    """What happened this month: rows with a bad experience, and per-carrier counts."""

    bad: np.ndarray                 # row indices with any bad experience (unique)
    network_problems: np.ndarray    # per carrier
    billing_surprises: np.ndarray
    complaints: np.ndarray
    resolved_well: np.ndarray
    suspensions: np.ndarray


def _per_carrier(subs: Subscribers, rows: np.ndarray, n_carriers: int) -> np.ndarray:
    return np.bincount(subs.carrier[rows], minlength=n_carriers)


def live_experiences(rng: np.random.Generator, subs: Subscribers, tables: SegmentTables,
                     market: MarketState, beh: Behaviour) -> Experiences:
    """Draw this month's experiences and apply their satisfaction effects."""
    sat = subs.satisfaction
    quality = np.stack([market.network_quality, market.network_quality_weak])  # (area, carrier)
    net_p = (beh.network_problem_rate * (1.0 - quality)).astype(np.float32)
    network = events_by(rng, net_p, subs.weak_coverage.view(np.int8), subs.carrier)
    sat[network] -= beh.network_problem_hit * tables.network_intolerance[subs.segment[network]]

    bill_p = (beh.billing_surprise_rate * (1.0 - market.transparency)).astype(np.float32)
    billing = events_by(rng, bill_p, subs.carrier)
    sat[billing] -= beh.billing_surprise_hit

    settled = thin(rng, np.flatnonzero(subs.in_arrears), ARREARS_SETTLE_RATE)
    subs.in_arrears[settled] = False
    arrears = events_by(rng, tables.arrears_rate, subs.segment)
    subs.in_arrears[arrears] = True
    suspended = thin(rng, arrears, market.suspension_on_arrears[subs.carrier[arrears]])
    subs.suspensions[suspended] = np.minimum(subs.suspensions[suspended], 254) + 1
    sat[suspended] -= beh.suspension_hit

    bad = rowsets.union(network, billing, suspended)
    complaints = thin(rng, bad, beh.complaint_prob)
    good_p = (market.service_quality[subs.carrier[complaints]]
              + beh.star_service_bonus * subs.stars[complaints])
    well = chance(rng, complaints, good_p)
    recovered = complaints[well]
    extra = market.complaint_recovery_extra[subs.carrier[recovered]]
    sat[recovered] += np.float32(beh.complaint_recovery) + extra
    sat[complaints[~well]] -= beh.complaint_bad_hit

    if market.neglect.any():
        sat -= market.neglect[subs.carrier]
        np.clip(sat, 0.0, 1.0, out=sat)
    else:  # only the rows hit above can have left 0..1
        sat[bad] = np.clip(sat[bad], 0.0, 1.0)
    k = len(market.price)
    return Experiences(
        bad=bad,
        network_problems=_per_carrier(subs, network, k),
        billing_surprises=_per_carrier(subs, billing, k),
        complaints=_per_carrier(subs, complaints, k),
        resolved_well=_per_carrier(subs, complaints[well], k),
        suspensions=_per_carrier(subs, suspended, k),
    )
