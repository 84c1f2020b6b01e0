"""What one month knows as it runs: the small context its phases fill and read.

The phases (sim/month.py) fill this record in order; strategy actions read and add
to it through their hooks (sim/levers/base.py). Arrays over "rows" are aligned with
`rows`, the subscribers reviewing their carrier this month; per-carrier arrays are
in the scenario's carrier order.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.behaviour import points
from sim.behaviour.choice import carrier_values

if TYPE_CHECKING:
    from sim.behaviour.bill_shock import BillShocks
    from sim.behaviour.experiences import Experiences
    from sim.behaviour.offers import MarketState
    from sim.behaviour.moves import Moves
    from sim.behaviour.social import SocialSignals
    from sim.behaviour.switching_cost import SwitchingCost
    from sim.population import SegmentTables, Subscribers

#: Each random stream's key is fixed by its name, once: a phase or action that adds a
#: stream, or draws more from its own, shifts no other stream's draws (common random
#: numbers). Names not listed here are keyed by a hash of the name.
STREAM_KEYS = {"experiences": 0, "social": 1, "consider": 2, "choose": 3, "levers": 4,
               "move": 5}

#: First spawn-key element of the burn-in months' streams (months before the start).
BURN_IN_KEY = 2**33


def stream_key(name: str) -> int:
    """The spawn key of a named stream (listed streams keep their historical numbers)."""
    return STREAM_KEYS.get(name, 2**32 + zlib.crc32(name.encode()))


class Streams(dict):
    """This month's random streams by name, each made on first use from the model's entropy."""

    def __init__(self, entropy: int, month: int):
        """No streams yet; each is made on first use for `month` from `entropy`.

        A burn-in month (`month` < 0, before the scenario's start) draws from streams of
        its own, so a burn-in shifts none of the simulated months' draws.
        """
        super().__init__()
        self.entropy, self.month = entropy, month

    def __missing__(self, name: str) -> np.random.Generator:
        """Make, keep and return the stream `name` (a PCG64 generator)."""
        key = ((self.month, stream_key(name)) if self.month >= 0
               else (BURN_IN_KEY, -self.month, stream_key(name)))
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(
            self.entropy, spawn_key=key)))
        self[name] = rng
        return rng


@dataclass
class MonthContext:
    """One month's shared state, filled phase by phase (see sim/month.py)."""

    month: int                      # 0-based month being simulated (< 0: burn-in)
    label: str                      # its YYYY-MM
    rng: Streams
    spec: Any                       # the Scenario (sim.scenario.schema, which imports the
    #                                 levers that read this context: not imported here)
    subs: Subscribers
    segments: SegmentTables
    segment_codes: dict[str, int]
    scale: float                    # real subscribers per row
    market: MarketState | None = None
    launched: np.ndarray | None = None  # (N,) bool: carriers competing this month
    lived: Experiences | None = None
    shocks: BillShocks | None = None  # this month's bill shocks (sim/behaviour/bill_shock.py)
    signals: SocialSignals | None = None
    is_open: np.ndarray | None = None   # per row: may port out this month
    opening: np.ndarray | None = None   # per row: MNP opened to it this month
    port_hassle: np.ndarray | None = None  # per row: porting hassle (yuan)
    newly_aware: np.ndarray | None = None
    contract_ended: np.ndarray | None = None  # rows whose contract ends this month
    contacted: list[np.ndarray] = field(default_factory=list)  # rows actions called
    rows: np.ndarray | None = None      # reviewers, ascending
    values: np.ndarray | None = None    # (m, N) reviewers' value of each carrier
    costs: SwitchingCost | None = None  # reviewers' switching costs
    incentive: np.ndarray | None = None  # (N,) or (m, N) one-off yuan for moving to j
    stay: np.ndarray | None = None       # (m,) one-off yuan for staying, or None
    utilities: np.ndarray | None = None  # (m, N) with taste noise
    chosen: np.ndarray | None = None     # (m,) carrier chosen
    start_carrier: np.ndarray | None = None  # (n,) carrier at the start of the month
    moved: np.ndarray | None = None      # (n,) carrier changed this month (incl. newcomers)
    flows: Moves | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # the phases' own working values

    @property
    def burn_in(self) -> bool:
        """A burn-in month before the start: MNP closed, no strategies, nothing recorded."""
        return self.month < 0

    @property
    def n_carriers(self) -> int:
        """The number of carriers in the scenario."""
        return len(self.spec.carriers)

    @property
    def rows_per_real(self) -> float:
        """Simulated rows per real subscriber (1 / scale)."""
        return 1.0 / self.scale

    def values_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows' value of each carrier this month (carriers not yet launched: -inf)."""
        values, staying = carrier_values(self.subs, self.market, self.signals,
                                         self.spec.behaviour, self.spec.population.social, rows)
        points.add_points_value(values, self.subs, self.market, rows)  # seed 002's points
        drift = self.extra.get("taste_drift")
        if drift is not None:  # persistent taste drift (sim/behaviour/taste_drift.py)
            drift.add(self.extra["taste_key"], values, rows, self.month)
        if self.launched is not None and not self.launched.all():
            values[:, ~self.launched] = -np.inf
        return values, staying

    def action_rng(self, run: Any) -> np.random.Generator:
        """The stream of one action this month, keyed by its carrier, position and lever.

        What it draws shifts no other action's or phase's draws.
        """
        key = self.spec.carrier_keys[run.carrier]
        return self.rng[f"action/{key}/{run.index}/{run.action.kind}"]

    def first_for_carrier(self, kind: str, carrier: int) -> bool:
        """True the first time this month a `kind` action of `carrier` asks.

        Carrier-wide effects such as bundle sales happen once, booked on the first such action.
        """
        seen = self.extra.setdefault(("first", kind), set())
        if carrier in seen:
            return False
        seen.add(carrier)
        return True

    def add_stay(self, amount: np.ndarray) -> None:
        """Add one-off yuan that reviewers gain by staying (retention, parity claims)."""
        self.stay = amount.astype(np.float32) if self.stay is None else self.stay + amount

    def per_row_incentive(self) -> np.ndarray:
        """The move incentive as (m, N), copied per reviewer on first need."""
        if self.incentive.ndim == 1:
            self.incentive = np.tile(self.incentive, (self.rows.size, 1))
        return self.incentive
