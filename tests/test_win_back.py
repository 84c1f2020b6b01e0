"""The win-back lever: former customers courted, books right, and an idle campaign inert."""

from __future__ import annotations

import numpy as np
import pytest

from sim.runner import run

from .conftest import make_scenario

WIN_BACK_COLUMNS = ["win_back_contacts", "won_back", "cost_win_back"]


def _with(**action):
    return make_scenario(**{"strategies.mobile": [
        {"lever": "win_back", "start": "2019-08", **action}]})


@pytest.fixture(scope="module")
def baseline():
    return run(make_scenario()).timeseries


def test_a_campaign_that_calls_nobody_changes_nothing(baseline):
    idle = run(_with(max_contacts_per_month=1e-9)).timeseries  # capacity below one row
    assert (idle[WIN_BACK_COLUMNS] == 0).all().all()
    same = [c for c in baseline.columns if c not in WIN_BACK_COLUMNS]
    assert idle[same].equals(baseline[same])


def test_courting_former_customers_brings_some_back_at_its_cost(baseline):
    ts = run(_with(reach=0.6, offer_value=400, hassle_waived=1.0,
                   cost_per_contact=5)).timeseries
    mine = ts[ts["carrier"] == "mobile"].reset_index(drop=True)
    base = baseline[baseline["carrier"] == "mobile"].reset_index(drop=True)
    assert mine["won_back"].sum() > 0
    assert (mine["won_back"] <= mine["win_back_contacts"]).all()
    # the won-back arrive as port-ins or new-number switch-ins of the carrier
    assert (mine["won_back"] <= mine["port_in"] + mine["switch_in_new_number"] + 1e-9).all()
    assert mine["port_in"].sum() > base["port_in"].sum()
    np.testing.assert_allclose(mine["cost_win_back"],
                               5 * mine["win_back_contacts"] + 400 * mine["won_back"])
    before = mine["month"] < "2019-09"  # nobody has left yet in its first month
    assert mine.loc[mine["month"] < "2019-08", "win_back_contacts"].eq(0).all()
    assert mine.loc[before, "won_back"].sum() == 0


def test_only_former_customers_on_a_rival_are_called():
    from sim.levers.win_back import WinBack
    from sim.model import MNPModel

    model = MNPModel(_with(reach=1.0, within_months=3))
    called = []
    original = WinBack.contact

    def spy(self, run_, m):
        rows = original(self, run_, m)
        called.append((m.month, rows.copy(), m.subs.carrier[rows].copy(),
                       run_.state.get("left", np.empty(0)).copy()))
        return rows
    WinBack.contact = spy
    try:
        model.run_months(12)
    finally:
        WinBack.contact = original
    assert any(rows.size for _, rows, _, _ in called)
    for month, rows, carrier, left in called:
        assert (carrier != 0).all()  # none is mobile's own customer
        assert (month - left <= 3).all()
