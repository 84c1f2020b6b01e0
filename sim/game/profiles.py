"""The game's players and strategies: which strategy profiles exist and which are simulated.

A profile is one strategy per carrier, held as a tuple of indices into each carrier's
strategy list (mobile, unicom, telecom). Each carrier's first strategy is its
*status quo*: best-response dynamics start from the profile of first strategies.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np


#: The strategy of a carrier given no --strategies: the scenario's own actions.
SCENARIO_STRATEGY = "scenario"

Profile = tuple[int, ...]


class GameError(ValueError):
    """A game the user asked for that cannot be played (message names the option)."""


@dataclass(frozen=True)
class Game:
    """Each carrier's strategies (names), in order; the first is the status quo."""

    strategies: dict[str, tuple[str, ...]]

    @property
    def carriers(self) -> tuple[str, ...]:
        """The players: every carrier of the market, in the scenario's order."""
        return tuple(self.strategies)

    @property
    def shape(self) -> tuple[int, ...]:
        """The number of strategies of each carrier, in carrier order."""
        return tuple(len(self.strategies[c]) for c in self.carriers)

    @property
    def size(self) -> int:
        """The number of strategy profiles in the game."""
        return math.prod(self.shape)

    @property
    def status_quo(self) -> Profile:
        """The profile in which every carrier plays its first strategy (the status quo)."""
        return (0,) * len(self.carriers)

    def profiles(self) -> list[Profile]:
        """Every profile, in a fixed order (mobile slowest)."""
        return list(itertools.product(*(range(n) for n in self.shape)))

    def names(self, profile: Profile) -> tuple[str, ...]:
        """Each carrier's strategy name in `profile`."""
        return tuple(self.strategies[c][i] for c, i in zip(self.carriers, profile, strict=True))

    def label(self, profile: Profile) -> str:
        """The profile's strategy names as "(a, b, c)"."""
        return "(" + ", ".join(self.names(profile)) + ")"

    def deviations(self, profile: Profile, carrier: int) -> list[Profile]:
        """The profiles where only `carrier` plays differently."""
        out = []
        for s in range(self.shape[carrier]):
            if s != profile[carrier]:
                other = list(profile)
                other[carrier] = s
                out.append(tuple(other))
        return out


def parse_strategies(options: list[str], carriers: tuple[str, ...]) -> Game:
    """Game from `--strategies mobile=a,b,c` options over the market's `carriers`.

    A carrier left out keeps its scenario strategy.
    """
    found: dict[str, tuple[str, ...]] = {}
    for text in options:
        carrier, sep, names = text.partition("=")
        carrier = carrier.strip()
        if not sep or not names.strip():
            raise GameError(f"--strategies {text!r}: write CARRIER=STRATEGY,STRATEGY,..., e.g. "
                            "mobile=status_quo,price_cut")
        if carrier not in carriers:
            raise GameError(f"--strategies {text!r}: unknown carrier {carrier!r}; carriers are "
                            f"{', '.join(carriers)}")
        if carrier in found:
            raise GameError(f"--strategies: {carrier} is given twice; list all its strategies "
                            "in one option")
        listed = tuple(dict.fromkeys(n.strip() for n in names.split(",") if n.strip()))
        found[carrier] = listed
    if not found:
        raise GameError("--strategies: give at least one carrier's strategies, e.g. "
                        "--strategies mobile=status_quo,price_cut")
    if all(len(v) < 2 for v in found.values()):
        raise GameError("--strategies: at least one carrier needs two or more strategies")
    return Game({c: found.get(c, (SCENARIO_STRATEGY,)) for c in carriers})


def choose_profiles(game: Game, max_profiles: int, seed: int) -> tuple[list[Profile], str]:
    """The profiles to simulate, and the method in words.

    Up to `max_profiles`, every profile. Above it: the status quo, every unilateral
    deviation from it, and a uniform random sample (seeded) of the rest up to the limit.
    Equilibria are then checked only where every unilateral deviation was simulated.
    """
    every = game.profiles()
    if len(every) <= max_profiles:
        return every, f"all {len(every)} profiles"
    start = game.status_quo
    core = [start] + [d for c in range(len(game.carriers)) for d in game.deviations(start, c)]
    core = list(dict.fromkeys(core))
    rest = [p for p in every if p not in set(core)]
    take = max(0, max_profiles - len(core))
    rng = np.random.default_rng(seed)
    picked = [rest[i] for i in sorted(rng.choice(len(rest), size=min(take, len(rest)),
                                                 replace=False))]
    chosen = sorted(core + picked)
    return chosen, (f"{len(chosen)} of {len(every)} profiles: the status quo, its "
                    f"{len(core) - 1} unilateral deviations and {len(picked)} drawn uniformly "
                    f"at random (seed {seed}) from the rest")
