"""The switching cost's porting rule, row by row (China's MNP rules, DOMAIN.md)."""

import itertools

import numpy as np
import pytest

from sim.behaviour.switching_cost import DAYS_PER_MONTH, PARTS, switching_cost
from sim.model import MNPModel

from .conftest import make_scenario

CASES = list(itertools.product([2, 4, 30],        # months with the carrier
                               [0, 5],            # contract months left
                               [False, True],     # in arrears
                               [False, True],     # aware of MNP
                               [False, True],     # MNP open to the row
                               [40.0, 4000.0]))   # porting hassle, yuan


@pytest.mark.parametrize("lockin", ["penalty", "block"])
def test_a_row_ports_exactly_when_the_rules_allow_and_porting_is_cheaper(lockin):
    spec = make_scenario(**{"population.size": len(CASES),
                            "policy.eligibility.contract_lockin": lockin})
    model = MNPModel(spec, rng=1)
    subs, market, policy = model.subs, model.market, spec.policy
    tenure, contract, arrears, aware, is_open, hassle = (np.array(c) for c in zip(*CASES))
    subs.tenure[:], subs.contract_left[:], subs.in_arrears[:] = tenure, contract, arrears
    subs.aware[:] = aware
    rows = np.arange(len(CASES))
    costs = switching_cost(subs, market, policy, is_open, hassle.astype(np.float32), rows)

    rules = policy.eligibility
    eligible = ((tenure * DAYS_PER_MONTH >= rules.min_tenure_days) & ~arrears
                & ((contract == 0) | (lockin == "penalty")))
    number = subs.attachment * np.float32(policy.number_loss_cost)
    cheaper = hassle <= number + np.float32(policy.new_number_hassle)
    expected = is_open & aware & eligible & cheaper
    assert np.array_equal(costs.is_port, expected)
    assert expected.any() and not expected.all()
    loss = costs.part("number_loss")
    assert np.all(loss[expected] == 0) and np.allclose(loss[~expected], number[~expected])
    assert np.allclose(costs.hassle[expected], hassle[expected])
    assert np.allclose(costs.hassle[~expected], policy.new_number_hassle)
    assert np.allclose(costs.total, sum(costs.part(p) for p in PARTS))
