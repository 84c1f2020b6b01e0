"""Porting friction from policy facts: the one-off hassle a port costs, from the rules.

A market's porting rules are FACTS (`policy.porting_rules`, a dated schedule, and a
pilot region's own): the fee, the days from request to a working number, the steps the
subscriber must take, and how far the losing carrier may hold a request for a retention
contact. One mapping, the same in every market (`behaviour.friction`), turns them
into the hassle in yuan that the choice sees:

    hassle = base + fee_weight x fee + day_cost x days + sum of step_cost[step]

Without rules the hassle is `policy.porting_hassle` as before (results identical to
the bit). The defaults reproduce China's two fitted regimes exactly (the pilots' hard
process, 840.6 yuan, and the 2019-11 national one, 442.4) and give a one-stop port
done within the day `base` alone (20 yuan): docs/porting-friction.md says why, with
the sources. Nothing here draws a random number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.params import month_label

if TYPE_CHECKING:
    from sim.market import Friction, Pilot, Policy, PortingRule


def rule_hassle(rule: PortingRule, friction: Friction) -> float:
    """The one-off hassle (yuan) of porting under `rule`."""
    steps = friction.step_cost
    total = friction.base + friction.fee_weight * rule.fee + friction.day_cost * rule.days
    for step in rule.steps:
        total += getattr(steps, step)
    return float(total)


def rule_at(rules: list[PortingRule], label: str) -> PortingRule:
    """The rule in force in month `label` (YYYY-MM): the last one from it or before.

    Before the first rule's month the first rule applies (validation has it start no
    later than the opening, so those months only matter where MNP is closed).
    """
    current = rules[0]
    for rule in rules[1:]:
        if rule.from_ > label:
            break
        current = rule
    return current


def national_hassle(policy: Policy, friction: Friction, label: str) -> float:
    """The national porting hassle (yuan) in month `label`: from the rules, if any."""
    if policy.porting_rules is None:
        return policy.porting_hassle
    return rule_hassle(rule_at(policy.porting_rules, label), friction)


def pilot_rules_hassle(pilot: Pilot, friction: Friction, label: str) -> float:
    """A pilot region's hassle from its own rules (they override the national ones there)."""
    return rule_hassle(rule_at(pilot.porting_rules, label), friction)


def retention_limits(policy: Policy, start: str, month: int) -> np.ndarray:
    """The share of port-out requests a losing carrier may hold this month, by region.

    One entry per pilot region, then the national one (a row's region, -1 outside the
    pilots, indexes it). No rules: no limit (1).
    """
    label = month_label(start, max(month, 0))

    def limit(rules: list[PortingRule] | None) -> float:
        return 1.0 if rules is None else rule_at(rules, label).max_retention_share

    national = limit(policy.porting_rules)
    pilots = [national if p.porting_rules is None else limit(p.porting_rules)
              for p in policy.pilots]
    return np.array([*pilots, national], dtype=np.float64)
