"""What each lever contributes: Shapley values over a strategy's changes from the baseline.

The players are the strategy's *changes* from the baseline: each action it adds (and
each baseline action it drops). A coalition applies some of them to the baseline;
the empty coalition is the baseline, the full one the strategy. Every coalition runs
on the baseline's replicate seeds (common random numbers), so v(S) - v(T) is paired,
replicate by replicate. The Shapley value of a change is its marginal effect averaged
over every order of switching the changes on; the values add up, replicate by
replicate, to the strategy's gain over the baseline (efficiency).

Up to `EXACT_LIMIT` changes the values are exact (all 2^k coalitions). Above it they
are estimated from `samples` random orders (permutation sampling); the estimate still
adds up exactly to the gain, since each order's marginal effects telescope.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.compare.runs import Comparison, compare
from sim.compare.stats import outcomes, paired_interval
from sim.scenario.schema import Scenario

EXACT_LIMIT = 8
#: Outcomes decomposed, as (column, outcome it is taken from, sign): port-outs avoided
#: are fewer port-outs, so their value is minus the port-outs' value.
METRICS = (("net_porting", "net_porting", 1.0), ("port_ins_won", "port_in", 1.0),
           ("port_outs_avoided", "port_out", -1.0), ("cost", "cost", 1.0),
           ("profit", "profit", 1.0))


class DecompositionError(ValueError):
    """A decomposition that cannot be done as asked (exit 2)."""


@dataclass(frozen=True)
class Change:
    """One player: an action the strategy adds ("+") or a baseline action it drops ("-")."""

    sign: str
    action: object
    label: str


@dataclass
class Decomposition:
    """Shapley values of one strategy's changes, per replicate and summarised."""

    strategy: str
    changes: list[Change]
    method: str                       # "exact" or "sampled"
    samples: int | None
    coalitions: int                   # distinct coalitions evaluated
    values: np.ndarray                # (changes, replicates, metrics) Shapley values
    gain: np.ndarray                  # (replicates, metrics) v(full) - v(empty)
    new_runs: int = 0                 # runs this call made (all its decompositions together)
    wall_seconds: float = 0.0         # time of those runs

    def table(self) -> pd.DataFrame:
        """One row per change and a total: each metric's mean contribution and 95% CI."""
        rows = []
        for i, change in enumerate(self.changes):
            rows.append(self._row(change.label, change.sign, getattr(change.action, "kind", ""),
                                  self.values[i]))
        rows.append(self._row("total (the strategy's gain)", "", "", self.gain))
        return pd.DataFrame(rows)

    def _row(self, label: str, sign: str, lever: str, values: np.ndarray) -> dict:
        row = {"strategy": self.strategy, "change": label, "sign": sign, "lever": lever}
        for j, (name, _, _) in enumerate(METRICS):
            mean, low, high = paired_interval(values[:, j])
            row[name] = mean
            row[f"{name}_ci_low"] = low
            row[f"{name}_ci_high"] = high
        return row


def _key(action) -> str:
    return json.dumps(action.model_dump(mode="json"), sort_keys=True)


def _not_in(actions: list, others: list) -> list:
    """The actions with no equal action left in `others` (a multiset difference)."""
    left = [_key(a) for a in others]
    out = []
    for action in actions:
        k = _key(action)
        if k in left:
            left.remove(k)
        else:
            out.append(action)
    return out


def changes_between(base: list, strategy: list) -> list[Change]:
    """The strategy's changes from the baseline's actions: additions, then removals.

    Actions are matched by their whole content (lever, months, magnitudes, cost), so an
    action both lists share is no change.
    """
    added, removed = _not_in(strategy, base), _not_in(base, strategy)
    out, seen = [], {}
    for sign, action in [("+", a) for a in added] + [("-", a) for a in removed]:
        name = f"{sign} {action.name}"
        seen[name] = seen.get(name, 0) + 1
        out.append(Change(sign, action, name if seen[name] == 1 else f"{name} #{seen[name]}"))
    return out


def coalition_actions(base: list, strategy: list, changes: list[Change],
                      members: frozenset[int]) -> list:
    """The carrier's actions when the changes in `members` are applied to the baseline.

    The full coalition is the strategy's own list, in its order; otherwise the
    baseline's actions kept, then the additions switched on, in the strategy's order.
    """
    if len(members) == len(changes):
        return list(strategy)
    dropped = {id(changes[i].action) for i in members if changes[i].sign == "-"}
    added = {id(changes[i].action) for i in members if changes[i].sign == "+"}
    kept = [a for a in base if id(a) not in dropped]
    return kept + [a for a in strategy if id(a) in added]


def _with_actions(template: Scenario, carrier: str, actions: list) -> Scenario:
    spec = template.model_copy(deep=True)
    spec.strategies = {**spec.strategies, carrier: [a.model_copy(deep=True) for a in actions]}
    return spec


def shapley_weights(n: int) -> dict[int, float]:
    """|S|!(n-|S|-1)!/n! for a coalition S of each size not holding the player."""
    return {s: math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
            for s in range(n)}


def exact_shapley(values: dict[frozenset[int], np.ndarray], n: int) -> np.ndarray:
    """Shapley values of n players from v over every coalition (arrays of any one shape)."""
    weight = shapley_weights(n)
    out = []
    for i in range(n):
        total = 0.0
        others = [j for j in range(n) if j != i]
        for size in range(n):
            for subset in itertools.combinations(others, size):
                s = frozenset(subset)
                total = total + weight[size] * (values[s | {i}] - values[s])
        out.append(total)
    return np.array(out)


def permutation_orders(n: int, samples: int, seed: int) -> list[tuple[int, ...]]:
    """`samples` random orders of n players (reproducible from `seed`)."""
    rng = np.random.default_rng(seed)
    return [tuple(int(x) for x in rng.permutation(n)) for _ in range(samples)]


def sampled_shapley(values: dict[frozenset[int], np.ndarray], n: int,
                    orders: list[tuple[int, ...]]) -> np.ndarray:
    """Permutation-sampling estimate: each player's mean marginal effect over `orders`."""
    shape = next(iter(values.values())).shape
    total = np.zeros((n, *shape))
    for order in orders:
        before: frozenset[int] = frozenset()
        for i in order:
            after = before | {i}
            total[i] += values[after] - values[before]
            before = after
    return total / len(orders)


def coalitions_needed(n: int, orders: list[tuple[int, ...]] | None) -> list[frozenset[int]]:
    """Every coalition (exact) or every prefix of the sampled orders."""
    if orders is None:
        return [frozenset(c) for size in range(n + 1)
                for c in itertools.combinations(range(n), size)]
    found = {frozenset()}
    for order in orders:
        for k in range(1, n + 1):
            found.add(frozenset(order[:k]))
    return sorted(found, key=lambda s: (len(s), sorted(s)))


@dataclass
class _Plan:
    strategy: str
    changes: list[Change]
    orders: list[tuple[int, ...]] | None
    keys: dict[frozenset[int], str]          # coalition -> action-list key


def plan_checks(cmp_strategies: list[str], names: list[str], counts: dict[str, int],
                samples: int | None) -> list[str]:
    """The strategies to decompose, or a DecompositionError naming --decompose/--samples."""
    baseline, others = cmp_strategies[0], cmp_strategies[1:]
    chosen: list[str] = []
    for name in names:
        if name == "all":
            chosen.extend(others)
        elif name == baseline:
            raise DecompositionError(f"--decompose {name}: that is the baseline; decompose one "
                                     f"of {', '.join(others)} (or 'all')")
        elif name not in others:
            raise DecompositionError(f"--decompose {name}: not one of the compared strategies "
                                     f"({', '.join(others)}), nor 'all'")
        else:
            chosen.append(name)
    chosen = list(dict.fromkeys(chosen))
    for name in chosen:
        if counts[name] > EXACT_LIMIT and samples is None:
            raise DecompositionError(
                f"--decompose {name}: it changes {counts[name]} actions, so exact Shapley values "
                f"need {2 ** counts[name]} coalitions; exact values are computed for at most "
                f"{EXACT_LIMIT}. Add --samples N for an estimate from N random orders")
    return chosen


def decompose(cmp: Comparison, names: list[str], samples: int | None, base_seed: int,
              jobs: int = 1, on_run: Callable[[int, int], None] | None = None
              ) -> list[Decomposition]:
    """Shapley values for each strategy in `names`, reusing the comparison's own runs."""
    if not cmp.common_random_numbers:
        raise DecompositionError("--decompose needs common random numbers; drop --independent")
    carrier, baseline = cmp.carrier, cmp.scenarios[cmp.baseline]
    base_actions = baseline.actions_of(carrier)
    known = outcomes(cmp)
    values: dict[str, np.ndarray] = {}
    for name in cmp.strategies:  # each compared strategy's runs are a coalition's value
        values.setdefault(_key_list(cmp.scenarios[name].actions_of(carrier)),
                          _as_array(known[known["strategy"] == name]))
    plans, todo = [], {}
    for name in names:
        strat = cmp.scenarios[name].actions_of(carrier)
        changes = changes_between(base_actions, strat)
        n = len(changes)
        orders = None if n <= EXACT_LIMIT else permutation_orders(n, samples, base_seed)
        keys = {}
        for members in coalitions_needed(n, orders):
            actions = coalition_actions(base_actions, strat, changes, members)
            key = _key_list(actions)
            keys[members] = key
            if key not in values and key not in todo:
                todo[key] = _with_actions(baseline, carrier, actions)
        plans.append(_Plan(name, changes, orders, keys))
    t0 = time.perf_counter()
    if todo:
        labels = {key: f"coalition {i}" for i, key in enumerate(todo)}
        runs = compare({labels[k]: spec for k, spec in todo.items()}, carrier, cmp.replicates,
                       base_seed, jobs=jobs, common_random_numbers=True, on_run=on_run)
        assert runs.seeds[labels[next(iter(todo))]] == cmp.seeds[cmp.baseline]
        got = outcomes(runs)
        for key, label in labels.items():
            values[key] = _as_array(got[got["strategy"] == label])
    out = []
    for plan in plans:
        n = len(plan.changes)
        v = {members: values[key] for members, key in plan.keys.items()}
        full, empty = frozenset(range(n)), frozenset()
        if n == 0:
            phi = np.zeros((0, cmp.replicates, len(METRICS)))
        elif plan.orders is None:
            phi = exact_shapley(v, n)
        else:
            phi = sampled_shapley(v, n, plan.orders)
        out.append(Decomposition(plan.strategy, plan.changes,
                                 "exact" if plan.orders is None else "sampled",
                                 None if plan.orders is None else len(plan.orders), len(v),
                                 phi, v[full] - v[empty],
                                 new_runs=len(todo) * cmp.replicates,
                                 wall_seconds=time.perf_counter() - t0))
    return out


def _key_list(actions: list) -> str:
    return "[" + ",".join(_key(a) for a in actions) + "]"


def _as_array(rows: pd.DataFrame) -> np.ndarray:
    """(replicates, metrics) array of a coalition's outcomes, in METRICS order and sign."""
    rows = rows.sort_values("replicate")
    return np.column_stack([sign * rows[col].to_numpy(dtype=float)
                            for _, col, sign in METRICS])
