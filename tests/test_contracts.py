"""Contract cycles: the share on contract holds; without re-signing it drains."""

from __future__ import annotations

import numpy as np

from sim.behaviour.contracts import signing_rates
from sim.model import MNPModel
from tests.conftest import make_scenario


def _contract_share_after(months: int, renewal: float) -> tuple[float, float]:
    model = MNPModel(make_scenario(**{"population.size": 40_000, "behaviour.contract_renewal":
                                      renewal}, burn_in_months=0))
    start = float((model.subs.contract_left > 0).mean())
    model.run_months(months)
    return start, float((model.subs.contract_left > 0).mean())


def test_contract_share_is_stationary():
    start, end = _contract_share_after(36, 1.0)
    assert abs(end - start) < 0.03


def test_without_re_signing_contracts_drain():
    start, end = _contract_share_after(36, 0.0)
    assert end < start / 3


def test_signing_rate_holds_the_share():
    """q = s / ((1 - s) L): inflow (1 - s) q equals outflow s / L."""
    model = MNPModel(make_scenario(months=1, burn_in_months=0))
    q = signing_rates(model.segments, model.market, model.spec.behaviour)
    s = model.segments.contract_share[:, None]
    length = model.market.contract_months[None, :]
    assert np.allclose((1 - s) * q, s / length, rtol=1e-6)
