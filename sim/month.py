"""One month, as a list of phases over a small context (sim/context.py).

Each phase calls the mechanisms in sim/behaviour/ (each citing its seed) and the
hooks of the carriers' active actions (sim/levers/base.py); the model times every
phase in one place (`MNPModel.step`).

A burn-in month (before the scenario's start, `MNPModel.burn_in`) runs the same
phases under the porting rules of the start month (MNP closed unless it is open at
the start already), with no strategies, and records nothing.

  strategy      carriers apply this month's actions and set their offers
  experiences   network problems, billing surprises, complaints, neglect, arrears;
                bill shocks (a bill above last month's); loyalty points accrue and lapse
  satisfaction  drift toward perceived value for money
  social        contacts' carriers, word of mouth; who may port; MNP awareness
  consider      who reviews their carrier this month (incl. actions' calls and
                disappointed recent porters)
  choose        logit choice with switching costs and incentives (and sub-brands' pull
                toward cheaper rivals, a grudge against carriers left); actions reconsider
  move          ports, new-number switches (with the memory of past carriers, and the
                new carrier's shortfall on porters' expectations), leaving and joining (as many
                newcomers as a growing or shrinking market needs); contracts signed;
                actions settle
  update        tenure, contract, stars; loyalty quadrants; books; data collection
"""

from __future__ import annotations

import mesa
import numpy as np

from sim import books
from sim.behaviour import (
    bill_shock,
    consideration,
    contracts,
    disappointment,
    experiences,
    growth,
    handset_cycle,
    loyalty,
    memory,
    month_end,
    moves,
    peer_learning,
    points,
    satisfaction,
    social,
    sub_brands,
    taste_drift,
)
from sim.behaviour.choice import choice_utilities
from sim.behaviour.offers import MarketState
from sim.behaviour.opening import porting_in_burn_in, porting_open
from sim.behaviour.switching_cost import switching_cost
from sim.context import MonthContext
from sim.levers.base import Campaign


def strategy(model: mesa.Model, m: MonthContext) -> None:
    """Carriers apply the actions active this month; the market's offers follow.

    In a burn-in month the carriers competing at the start make their base offers.
    """
    for c in model.carriers:
        c.apply_strategy(m.month)
    m.launched = np.array([c.launched(max(m.month, 0)) for c in model.carriers])
    spec = m.spec
    m.market = model.market = MarketState.from_offers(
        list(spec.carriers.values()), spec.population, spec.behaviour,
        [c.offer for c in model.carriers], m.launched)
    m.extra["campaigns"] = [
        Campaign(j, k, a, state=model.action_state.setdefault((j, k), {}))
        for j, c in enumerate(model.carriers) for k, a in c.active]
    if model.taste_drift is not None:  # persistent tastes, one key a month (taste_drift.py)
        m.extra["taste_drift"] = model.taste_drift
        m.extra["taste_key"] = taste_drift.month_key(m.rng[taste_drift.STREAM])


def _campaigns(m: MonthContext) -> list[Campaign]:
    return m.extra["campaigns"]


def lived_experiences(model: mesa.Model, m: MonthContext) -> None:
    """Network problems, billing surprises, complaints, neglect, arrears; bill shocks; points."""
    m.lived = experiences.live_experiences(m.rng["experiences"], m.subs, m.segments, m.market,
                                           m.spec.behaviour)
    m.shocks = bill_shock.bill_shock(m.rng["bill_shock"], m.subs, m.market, m.spec.behaviour)
    # loyalty points accrue, lapse at a clearing, hit satisfaction when lapsing (seed 002)
    m.extra["points"] = points.monthly(m.rng[points.STREAM], m.subs, m.market, m.spec.behaviour,
                                       m.label)


def satisfaction_drift(model: mesa.Model, m: MonthContext) -> None:
    """Satisfaction drifts toward what the carrier delivers for the money."""
    satisfaction.update_satisfaction(m.subs, m.market, m.spec.behaviour)


def social_influence(model: mesa.Model, m: MonthContext) -> None:
    """Contacts' carriers and satisfaction; who may port this month; MNP awareness."""
    m.signals = model.social.signals(m.subs)
    if m.burn_in:
        m.is_open, m.opening, m.port_hassle = porting_in_burn_in(
            m.spec.policy, m.spec.carrier_keys, m.spec.start, m.subs, m.spec.behaviour.friction)
    else:  # the hassle from the month's porting rules, if any (porting_friction.py)
        m.is_open, m.opening, m.port_hassle = porting_open(
            m.spec.policy, m.spec.carrier_keys, m.spec.start, m.month, m.subs,
            m.spec.behaviour.friction)
    m.newly_aware = social.spread_awareness(m.rng["social"], m.subs, m.is_open, m.opening,
                                            m.signals, m.spec.policy.awareness)
    if model.peer_learning is not None and model.peer_learning.anyone:
        m.extra["peer_learning"] = model.peer_learning  # contacts who ported (peer_learning.py)


def consider(model: mesa.Model, m: MonthContext) -> None:
    """Who reviews their carrier: triggers, base rates, and the rows actions call."""
    subs = m.subs
    m.contract_ended = np.flatnonzero(subs.contract_left == 1)
    for run in _campaigns(m):
        called = run.action.contact(run, m)
        if called is not None:
            m.contacted.append(called)
    prompted = [m.shocks.review] if m.shocks.review.size else []
    beh = m.spec.behaviour
    if handset_cycle.active(beh):  # a new handset prompts a review (handset_cycle.py)
        prompted.append(handset_cycle.reviewers(m.rng[handset_cycle.STREAM], subs,
                                                m.spec.population.handsets, beh, m.label))
    regret = disappointment.reviewers(m.rng, subs, beh)
    if regret.size:  # disappointed recent movers take a second look
        prompted.append(regret)
    called = [*m.contacted, *prompted] if prompted else m.contacted
    m.rows = consideration.reviewers(m.rng["consider"], subs, m.segments, m.lived.bad,
                                     m.contract_ended, m.newly_aware, m.signals,
                                     m.spec.behaviour, m.spec.population.social, called)
    m.extra["report_costs"] = switching_costs_of(m, model.report_rows)


def choose(model: mesa.Model, m: MonthContext) -> None:
    """Reviewers choose a carrier; actions add incentives, then may act on the choices."""
    subs, market, rows = m.subs, m.market, m.rows
    m.values, _ = m.values_of(rows)
    m.extra["sample_values"], _ = m.values_of(model.report_rows)
    # reviewers on carriers with sub-brands feel cheaper rivals' pull (seed 002)
    sub_brands.add_price_pull(m.values, subs, market, rows)
    sub_brands.add_price_pull(m.extra["sample_values"], subs, market, model.report_rows)
    # a carrier the subscriber left is valued less (sim/behaviour/memory.py)
    grudge = m.spec.behaviour.former_carrier_grudge
    memory.add_grudge(m.values, subs, rows, grudge)
    memory.add_grudge(m.extra["sample_values"], subs, model.report_rows, grudge)
    m.costs = switching_costs_of(m, rows)
    m.incentive = market.handset_subsidy * market.subsidy_take_up  # expected, to newcomers
    for run in _campaigns(m):
        run.action.incentives(run, m)
    m.utilities = choice_utilities(m.rng["choose"], rows, m.values, subs.carrier[rows],
                                   m.costs.total, m.incentive, m.stay, m.spec.behaviour)
    m.chosen = m.utilities.argmax(axis=1).astype(np.int8)
    for run in _campaigns(m):
        run.action.reconsider(run, m)


def move(model: mesa.Model, m: MonthContext) -> None:
    """Ports and new-number switches; leavers replaced by newcomers; actions settle."""
    subs, beh = m.subs, m.spec.behaviour
    if model.snapshot_rows is not None and not m.burn_in:
        m.extra["snapshot"] = model.before_moves(m)
    m.start_carrier = subs.carrier.copy()
    m.extra["satisfied"] = subs.satisfaction[model.report_rows] >= beh.satisfied_threshold
    m.flows = moves.apply_moves(m.rng["move"], subs, m.segments, m.market, beh, m.rows,
                                m.chosen, m.costs.is_port)
    # what the new carrier delivers may fall short of what porters expected
    disappointment.on_joining(m.rng, subs, m.flows.porters, beh)
    pop = m.spec.population  # a growing or shrinking market (burn-in: the start's rate)
    turnover = growth.turnover(pop, m.spec.start if m.burn_in else m.label)
    values_of = m.values_of
    if model.taste_drift is not None:
        def values_of(rows):  # a newcomer's taste drift is drawn afresh (taste_drift.py)
            model.taste_drift.forget(rows)
            return m.values_of(rows)
    moves.replace_leavers(m.rng["move"], subs, m.segments, m.market, beh, values_of,
                          pop.leave_rate, m.flows, turnover, m.start_carrier)
    if model.peer_learning is not None:
        model.peer_learning.record(
            peer_learning.porters(m.rows, m.chosen, m.start_carrier, m.costs.is_port),
            m.flows.replaced)
    m.moved = m.start_carrier != subs.carrier
    contracts.sign_contracts(m.rng["contracts"], subs, m.segments, m.market, beh, m.moved)
    for run in _campaigns(m):
        run.action.settle(run, m)


def update(model: mesa.Model, m: MonthContext) -> None:
    """Loyalty quadrants, clocks and stars, the carriers' books, data collection.

    A burn-in month only closes the month (clocks and stars): nothing is recorded.
    """
    if m.burn_in:
        month_end.close_month(m.subs, m.market)
        return
    sample = model.report_rows
    quad = loyalty.quadrant_counts(m.extra["sample_values"], m.start_carrier[sample],
                                   m.extra["satisfied"], m.flows.left[sample], m.n_carriers)
    if "snapshot" in m.extra:
        model.snapshot(m.extra["snapshot"], m.flows.left)
    census = month_end.close_month(m.subs, m.market)
    books.record(model, m, quad, census, m.extra["report_costs"])


#: (name, phase) in the order the month runs them; the names key the phase timings.
PHASES = (
    ("strategy", strategy),
    ("experiences", lived_experiences),
    ("satisfaction", satisfaction_drift),
    ("social", social_influence),
    ("consider", consider),
    ("choose", choose),
    ("move", move),
    ("update", update),
)


def switching_costs_of(m: MonthContext, rows: np.ndarray):
    """Switching-cost parts of `rows`, porting where MNP is open, known and allowed.

    With peer learning on, the porting hassle is the one `rows` perceive (peer_learning.py).
    """
    hassle = m.port_hassle
    peers = m.extra.get("peer_learning")
    if peers is not None:
        if "perceived_hassle" not in m.extra:
            m.extra["perceived_hassle"] = np.array(hassle, dtype=np.float32)  # a copy per row
        hassle = m.extra["perceived_hassle"]
        peers.perceived(m.port_hassle, np.asarray(rows, dtype=np.int64), hassle)
    return switching_cost(m.subs, m.market, m.spec.policy, m.is_open, hassle, rows)
