"""Strategic interaction among the three carriers (`mnp game`).

`profiles` says which strategy profiles exist and which are simulated, `play` runs
them on Dask with common random numbers into a resumable store, `solve` finds best
responses, pure and mixed equilibria and best-response dynamics, and `report`
writes the tables, heat maps and report.html.
"""

from sim.game.play import Played, play
from sim.game.profiles import Game, GameError, parse_strategies
from sim.game.solve import (
    PayoffTable,
    best_response_dynamics,
    best_response_table,
    mixed_equilibrium,
    parse_payoff,
    payoff_table,
    pure_equilibria,
)

__all__ = ["Game", "GameError", "PayoffTable", "Played", "best_response_dynamics",
           "best_response_table", "mixed_equilibrium", "parse_payoff", "parse_strategies",
           "payoff_table", "play", "pure_equilibria"]
