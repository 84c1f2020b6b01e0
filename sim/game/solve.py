"""From simulated payoffs to strategic answers: best responses, equilibria, dynamics.

Definitions (all on mean payoffs over replicates, which share their seeds):
- a carrier's **best response** to its rivals' strategies is the strategy with the
  highest mean payoff (ties: all of them);
- a **pure Nash equilibrium** is a profile where no carrier has a unilateral deviation
  with a higher mean payoff;
- an equilibrium is **robust** when, for every unilateral deviation, the 95% CI of the
  paired gain (deviation minus equilibrium, replicate by replicate) lies at or below 0,
  and **fragile** otherwise (some deviation might be profitable within the noise);
- **best-response dynamics**: from the status quo, carriers in turn (mobile, unicom,
  telecom) switch to a best response when it strictly beats their current strategy,
  until nobody moves (an equilibrium), a state repeats (a cycle), or a needed profile
  was not simulated (sampled games).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.compare.stats import paired_interval
from sim.game.profiles import Game, GameError, Profile

#: Units a payoff is expressed in, per outcome: (divisor, unit).
UNITS = {"net_porting": (1e6, "million subscribers"), "profit": (1e9, "billion yuan"),
         "revenue": (1e9, "billion yuan"), "cost": (1e9, "billion yuan")}


@dataclass(frozen=True)
class Payoff:
    """A weighted sum of cumulative outcomes, each in its UNITS."""

    weights: dict[str, float]

    @property
    def name(self) -> str:
        """The payoff's name: the outcome alone, or the weighted sum ("1 x profit + 0.5 x ...")."""
        if len(self.weights) == 1 and next(iter(self.weights.values())) == 1:
            return next(iter(self.weights))
        return " + ".join(f"{w:g} x {k}" for k, w in self.weights.items())

    @property
    def unit(self) -> str:
        """The payoff's unit: the outcomes' common unit, else "weighted units"."""
        units = {UNITS[k][1] for k in self.weights}
        return units.pop() if len(units) == 1 else "weighted units"

    def of(self, runs: pd.DataFrame, carrier: str) -> np.ndarray:
        """The payoff of `carrier` in each run of `runs`, outcomes divided into their UNITS."""
        return sum(w * runs[f"{carrier}_{k}"].to_numpy() / UNITS[k][0]
                   for k, w in self.weights.items())


def parse_payoff(text: str) -> Payoff:
    """`profit`, `net_porting`, or a weighted mix `net_porting=1,profit=0.5`."""
    weights: dict[str, float] = {}
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        key, sep, raw = part.partition("=")
        key = key.strip()
        if key not in UNITS:
            raise GameError(f"--payoff {text!r}: unknown outcome {key!r}; use "
                            f"{', '.join(UNITS)} or a mix like net_porting=1,profit=0.5")
        try:
            weights[key] = float(raw) if sep else 1.0
        except ValueError:
            raise GameError(f"--payoff {text!r}: the weight of {key} must be a number") from None
    if not weights:
        raise GameError("--payoff: give profit, net_porting, or a mix like "
                        "net_porting=1,profit=0.5")
    return Payoff(weights)


@dataclass
class PayoffTable:
    """Payoffs per simulated profile, carrier and replicate (replicates share seeds)."""

    game: Game
    payoff: Payoff
    values: dict[Profile, np.ndarray]   # profile -> (3 carriers, replicates)

    def has(self, profile: Profile) -> bool:
        """Whether `profile` has been simulated."""
        return profile in self.values

    def mean(self, profile: Profile, carrier: int) -> float:
        """The payoff of carrier `carrier` (its position) in `profile`, mean over replicates."""
        return float(self.values[profile][carrier].mean())

    def interval(self, profile: Profile, carrier: int) -> tuple[float, float, float]:
        """(mean, low, high): 95% t-interval of the payoff across replicates."""
        v = self.values[profile][carrier]
        return paired_interval(v)

    def gain(self, profile: Profile, other: Profile, carrier: int) -> tuple[float, float, float]:
        """Paired gain for `carrier` of moving from `profile` to `other` (mean, low, high)."""
        return paired_interval(self.values[other][carrier] - self.values[profile][carrier])

    @property
    def complete(self) -> bool:
        """Whether every profile of the game has been simulated."""
        return len(self.values) == self.game.size

    def tolerance(self) -> float:
        """Mean differences below this are ties (rounding, not strategy)."""
        scale = max((float(np.abs(v).max()) for v in self.values.values()), default=0.0)
        return 1e-9 * max(scale, 1.0)


def payoff_table(game: Game, profiles: list[Profile], runs: pd.DataFrame,
                 payoff: Payoff) -> PayoffTable:
    """Assemble the payoffs of finished runs (failed runs are left out)."""
    ok = runs[runs["status"] == "ok"] if len(runs) else runs
    values = {}
    for pid, profile in enumerate(profiles):
        mine = ok[ok["profile_id"] == pid].sort_values("replicate")
        if len(mine):
            values[profile] = np.vstack([payoff.of(mine, c) for c in game.carriers])
    return PayoffTable(game, payoff, values)


def best_responses(table: PayoffTable, carrier: int, rivals_of: Profile) -> list[int] | None:
    """Best strategies of `carrier` against the rivals in `rivals_of` (its own entry is ignored).

    None when some of those profiles were not simulated.
    """
    options = [tuple(rivals_of[:carrier]) + (s,) + tuple(rivals_of[carrier + 1:])
               for s in range(table.game.shape[carrier])]
    if not all(table.has(p) for p in options):
        return None
    means = np.array([table.mean(p, carrier) for p in options])
    return [int(s) for s in np.flatnonzero(means >= means.max() - table.tolerance())]


def best_response_table(table: PayoffTable) -> pd.DataFrame:
    """For each carrier and each rivals' profile: the best response(s) and its payoff."""
    game, rows = table.game, []
    for c, carrier in enumerate(game.carriers):
        if game.shape[c] < 2:
            continue
        seen = set()
        for profile in game.profiles():
            rivals = tuple(s for i, s in enumerate(profile) if i != c)
            if rivals in seen:
                continue
            seen.add(rivals)
            best = best_responses(table, c, profile)
            if best is None:
                continue
            at = list(profile)
            at[c] = best[0]
            rows.append({"carrier": carrier,
                         "rivals": ", ".join(f"{k}={game.strategies[k][s]}" for k, s in
                                             zip([k for k in game.carriers if k != carrier],
                                                 rivals, strict=True)),
                         "best_response": " or ".join(game.strategies[carrier][b] for b in best),
                         "payoff": table.mean(tuple(at), c)})
    return pd.DataFrame(rows, columns=["carrier", "rivals", "best_response", "payoff"])


@dataclass
class Equilibrium:
    """A pure-strategy Nash equilibrium and the gains of every unilateral deviation."""

    profile: Profile
    robust: bool
    deviations: list[dict] = field(default_factory=list)  # carrier, strategy, gain, low, high


def pure_equilibria(table: PayoffTable) -> list[Equilibrium]:
    """Every simulated profile that no unilateral deviation beats on mean payoff.

    Among those whose deviations were all simulated.
    """
    game, tol, found = table.game, table.tolerance(), []
    for profile in sorted(table.values):
        gains, is_equilibrium = [], True
        for c, carrier in enumerate(game.carriers):
            for other in game.deviations(profile, c):
                if not table.has(other):
                    is_equilibrium = False
                    break
                mean, low, high = table.gain(profile, other, c)
                gains.append({"carrier": carrier, "strategy": game.strategies[carrier][other[c]],
                              "gain": mean, "low": low, "high": high})
                if mean > tol:
                    is_equilibrium = False
            if not is_equilibrium:
                break
        if is_equilibrium:
            robust = all(g["high"] <= tol for g in gains)
            found.append(Equilibrium(profile, robust, gains))
    return found


@dataclass
class Dynamics:
    """The best-response path from the status quo and how it ended."""

    path: list[tuple[Profile, str | None]]   # (profile, carrier who moved into it)
    ending: str                               # "equilibrium", "cycle" or "left the sample"


def best_response_dynamics(table: PayoffTable, max_moves: int = 100) -> Dynamics:
    """Carriers in turn switch to a best response that strictly beats their strategy."""
    game, tol = table.game, table.tolerance()
    current = game.status_quo
    path: list[tuple[Profile, str | None]] = [(current, None)]
    seen = {(current, 0)}
    idle = 0
    for turn in range(1, max_moves * len(game.carriers) + 1):  # turns taken, this one included
        c = (turn - 1) % len(game.carriers)
        if game.shape[c] < 2:
            idle += 1
        else:
            best = best_responses(table, c, current)
            if best is None:
                return Dynamics(path, "left the sample")
            if current[c] in best or table.mean(
                    _with(current, c, best[0]), c) <= table.mean(current, c) + tol:
                idle += 1
            else:
                current = _with(current, c, best[0])
                path.append((current, game.carriers[c]))
                idle = 0
                state = (current, turn % len(game.carriers))
                if state in seen:
                    return Dynamics(path, "cycle")
                seen.add(state)
        if idle >= len(game.carriers):
            return Dynamics(path, "equilibrium")
    return Dynamics(path, "cycle")


def _with(profile: Profile, carrier: int, strategy: int) -> Profile:
    out = list(profile)
    out[carrier] = strategy
    return tuple(out)


def mixed_equilibrium(table: PayoffTable) -> dict[str, dict[str, float]] | None:
    """One mixed-strategy equilibrium of the mean-payoff game.

    By Gambit's logit tracing procedure (pygambit); None when pygambit is missing or the
    table is incomplete.
    """
    if not table.complete:
        return None
    try:
        import pygambit as gbt
    except ImportError:
        return None
    game = table.game
    arrays = [np.zeros(game.shape) for _ in game.carriers]
    for profile in game.profiles():
        for c in range(len(game.carriers)):
            arrays[c][profile] = table.mean(profile, c)
    g = gbt.Game.from_arrays(*arrays, title="mnp-sim strategy game")
    result = gbt.nash.logit_solve(g)
    if not result.equilibria:
        return None
    eq = result.equilibria[0]
    return {carrier: {game.strategies[carrier][i]: float(eq[s])
                      for i, s in enumerate(player.strategies)}
            for carrier, player in zip(game.carriers, g.players, strict=True)}
