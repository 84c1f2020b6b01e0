"""The model moves in the directions the domain says it should (seeds 000-004).

Each comparison uses the same seeds for both arms (common random numbers).
"""

import numpy as np

from sim import load_scenario, run

from .conftest import SCENARIOS, make_scenario

SEEDS = (1, 2, 3)


def total(scenario, column, carrier=None, seeds=SEEDS):
    values = []
    for seed in seeds:
        ts = run(scenario, seed=seed).timeseries
        if carrier:
            ts = ts[ts["carrier"] == carrier]
        values.append(ts[column].sum())
    return float(np.mean(values))


def final(scenario, column, carrier, seeds=SEEDS):
    out = []
    for seed in seeds:
        ts = run(scenario, seed=seed).timeseries
        out.append(ts[ts["carrier"] == carrier][column].iloc[-1])
    return float(np.mean(out))


def market_quadrant(ts, quadrant):
    """Subscriber-weighted share of a loyalty quadrant across the market, by month."""
    weighted = (ts[quadrant] * ts["subscribers"]).groupby(ts["month"]).sum()
    return weighted / ts.groupby("month")["subscribers"].sum()


def test_cheaper_rival_gains_subscribers():
    base = make_scenario()
    cheap = make_scenario(**{"carriers.unicom.price": 42.1 * 0.8})
    assert final(cheap, "subscribers", "unicom") > 1.05 * final(base, "subscribers", "unicom")
    assert total(cheap, "net_porting", "unicom") > total(base, "net_porting", "unicom")


def test_price_cut_action_gains_like_a_cheaper_price():
    cut = make_scenario(**{"strategies.unicom": [
        {"lever": "price_change", "start": "2019-01", "percent": -20}]})
    base = make_scenario()
    assert final(cut, "subscribers", "unicom") > 1.05 * final(base, "subscribers", "unicom")


def test_better_service_lowers_port_outs():
    base = make_scenario()
    better = make_scenario(**{"carriers.mobile.service_quality": 0.9})
    assert total(better, "port_out", "mobile") < 0.9 * total(base, "port_out", "mobile")


def demo(*overrides):
    """The teaching scenario (losing the number is the main switching cost), smaller."""
    return load_scenario(SCENARIOS / "false_loyalty_demo.yaml",
                         ["population.size=5000", *overrides])


def test_opening_mnp_raises_ports_and_lowers_false_loyalty():
    never = demo("policy.mnp_start=null")
    opens = demo()
    assert total(never, "port_in") == 0
    assert total(opens, "port_in") > 0
    fl_never = np.mean([market_quadrant(run(never, seed=s).timeseries, "hostage").iloc[-1]
                        for s in SEEDS])
    fl_open = np.mean([market_quadrant(run(opens, seed=s).timeseries, "hostage").iloc[-1]
                       for s in SEEDS])
    assert fl_open < 0.8 * fl_never


def test_number_loss_removal_empties_hostages_faster_than_loyalists():
    scenario = demo()
    assert scenario.policy.mnp_start == "2020-01"
    hostage_drop, loyalist_drop = [], []
    for seed in SEEDS:
        ts = run(scenario, seed=seed).timeseries
        counts = lambda q, ts=ts: (ts[q] * ts["subscribers"]).groupby(ts["month"]).sum()  # noqa: E731
        h, lo = counts("hostage"), counts("loyalist")
        hostage_drop.append(1 - h.loc["2020-12"] / h.loc["2019-12"])
        loyalist_drop.append(1 - lo.loc["2020-12"] / lo.loc["2019-12"])
    assert np.mean(hostage_drop) > 0.4
    assert np.mean(hostage_drop) > np.mean(loyalist_drop) + 0.3


def test_port_in_bonus_raises_port_ins_and_books_its_cost():
    base = make_scenario()
    bonus = make_scenario(**{"strategies.telecom": [
        {"lever": "port_in_bonus", "start": "2019-07", "bonus": 300}]})
    assert total(bonus, "port_in", "telecom") > 1.1 * total(base, "port_in", "telecom")
    ts = run(bonus, seed=1).timeseries
    tel = ts[ts["carrier"] == "telecom"]
    np.testing.assert_allclose(tel["cost"], 300 * tel["port_in"])


def test_worse_transparency_means_more_billing_surprises():
    base = make_scenario()
    opaque = make_scenario(**{"carriers.mobile.transparency": 0.0})
    assert total(opaque, "billing_surprises", "mobile") > 1.3 * total(
        base, "billing_surprises", "mobile")
