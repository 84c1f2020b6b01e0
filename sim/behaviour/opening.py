"""Who may port out this month: nationwide opening, per-carrier (phased) opening, pilots.

`policy.mnp_start` is one month for everyone, or a month per carrier: the month from
which *that carrier's* subscribers may port out (Hainan's early pilot let numbers
leave China Mobile only; South Korea opened carrier by carrier). A pilot region
opens to every carrier's subscribers living there from its own start, with its
own hassle until the procedure is simplified. DOMAIN.md; shared/data/.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.behaviour.porting_friction import national_hassle, pilot_rules_hassle
from sim.params import month_index, month_label

if TYPE_CHECKING:
    from sim.population import Subscribers
    from sim.market import Friction, Policy


def _national(policy: Policy, keys: tuple[str, ...], start: str,
              month: int) -> tuple[np.ndarray, np.ndarray]:
    """(open, opening this month) per carrier, nationally."""
    first = [policy.opens(k) for k in keys]
    at = [None if m is None else month_index(m, start) for m in first]
    return (np.array([a is not None and month >= a for a in at]),
            np.array([a is not None and month == a for a in at]))


def porting_in_burn_in(policy: Policy, keys: tuple[str, ...], start: str,
                       subs: Subscribers, friction: Friction | None = None,
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-row answers of a burn-in month (before the start): the rules of the start month.

    MNP is closed where it opens after the start, and open (with its hassle) only where
    it is open at the start already, so a market that opened years before the start
    builds no pent-up demand; no launch publicity either way.
    """
    is_open, _, hassle = porting_open(policy, keys, start, 0, subs, friction)
    return is_open, np.broadcast_to(np.array(False), len(subs)), hassle


def porting_open(policy: Policy, keys: tuple[str, ...], start: str, month: int,
                 subs: Subscribers, friction: Friction | None = None,
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-row (may port out, MNP opened to it this month, porting hassle in yuan).

    The hassle is policy.porting_hassle, or where porting rules are given (nationally
    or a pilot's), the hassle of this month's rule (sim/behaviour/porting_friction.py,
    `friction` its mapping). With one opening for every carrier and no pilots the
    answers are one value for everyone (broadcast views, no per-row copies).
    """
    national, first = _national(policy, keys, start, month)
    if friction is None:
        from sim.market import Friction
        friction = Friction()
    label = month_label(start, month)
    nat_hassle = national_hassle(policy, friction, label)
    hassle = np.float32(nat_hassle)
    n = len(subs)
    uniform = bool((national == national[0]).all() and (first == first[0]).all())
    if not policy.pilots:
        if uniform:
            return (np.broadcast_to(np.array(national[0]), n),
                    np.broadcast_to(np.array(first[0]), n), np.broadcast_to(hassle, n))
        carrier = subs.carrier
        return national[carrier], first[carrier], np.broadcast_to(hassle, n)
    # one row per pilot region, then the "no pilot" row (region -1 indexes it); a column
    # per carrier
    is_open, opening, hassles = [], [], []
    for p in policy.pilots:
        pilot_first = month_index(p.start, start)
        is_open.append(national | (month >= pilot_first))
        opening.append((month == pilot_first) & ~national)
        if p.porting_rules is not None:  # the region's own rules, before and after national
            hassles.append(np.full(len(keys), pilot_rules_hassle(p, friction, label)))
            continue
        simple = p.simplified is not None and month >= month_index(p.simplified, start)
        pilot_hassle = (p.simplified_hassle if p.simplified_hassle is not None
                        else nat_hassle) if simple else p.porting_hassle
        hassles.append(np.where(national, nat_hassle, pilot_hassle))
    is_open.append(national)
    opening.append(first)
    hassles.append(np.full(len(keys), nat_hassle))
    region = subs.region
    if uniform:  # every carrier alike: look up by region only, as one column
        return (np.array(is_open)[:, 0][region], np.array(opening)[:, 0][region],
                np.array(hassles, dtype=np.float32)[:, 0][region])
    carrier = subs.carrier
    return (np.array(is_open)[region, carrier], np.array(opening)[region, carrier],
            np.array(hassles, dtype=np.float32)[region, carrier])
