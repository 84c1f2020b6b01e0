"""Contract cycles: subscribers off contract sign a new one with their carrier.

A segment's `contract_share` is the share of its subscribers on contract at any
time (the scenario's figure). Contracts run down at each month's close
(sim/behaviour/month_end.py) and movers sign one with their new carrier
(sim/behaviour/moves.py). With nothing else, the share drains to the movers' few
within one contract length: in the default scenario it fell from 27% to 3% in 24
months (experiments/burn_in/settling.py, docs/burn-in.md), which no market shows,
and with it the reviews at contract end that seed 004 names as a churn trigger.

Each month a subscriber off contract who did not move signs a new contract with
their carrier (a handset or plan deal, 合约机) at the rate that holds the segment's
share stationary: with share s and contract length L (months), off-contract
subscribers sign at q = s / ((1 - s) L) a month, times `behaviour.contract_renewal`
(1: stationary, 0: no re-signing). Source: assumption (stationarity of the
scenario's contract share); seed 004 for contract ends as review triggers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.draws import events_by

if TYPE_CHECKING:
    from sim.behaviour.offers import MarketState
    from sim.market import Behaviour
    from sim.population import SegmentTables, Subscribers


def signing_rates(tables: SegmentTables, market: MarketState, beh: Behaviour) -> np.ndarray:
    """(segments, carriers) monthly chance that a subscriber off contract signs one."""
    share = np.minimum(tables.contract_share.astype(np.float64), 0.99)[:, None]
    length = np.maximum(market.contract_months.astype(np.float64), 1.0)[None, :]
    return np.minimum(beh.contract_renewal * share / ((1.0 - share) * length), 1.0)


def sign_contracts(rng: np.random.Generator, subs: Subscribers, tables: SegmentTables,
                   market: MarketState, beh: Behaviour, moved: np.ndarray) -> np.ndarray:
    """Put some subscribers off contract (who did not move this month) on a new contract.

    Returns the rows that signed. Takes one key from `rng` whatever happens.
    """
    rows = events_by(rng, signing_rates(tables, market, beh).astype(np.float32),
                     subs.segment, subs.carrier)
    rows = rows[(subs.contract_left[rows] == 0) & ~moved[rows]]
    subs.contract_left[rows] = market.contract_months[subs.carrier[rows]]
    return rows
