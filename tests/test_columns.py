"""One declaration of every reported column (sim/columns.py): every column is filled, the
carriers and the data collector carry exactly these, and the reference lists them all."""

from __future__ import annotations

import numpy as np

from sim.columns import CARRIER_COLUMNS, STAT_FIELDS, TIMESERIES_COLUMNS, lever_columns
from sim.levers import LEVERS
from sim.model import MNPModel
from sim.reference import reference_markdown
from sim.runner import run

from .conftest import make_scenario

#: one action of every lever, so that every lever column has something to count
EVERY_LEVER = {
    "mobile": [
        {"lever": "targeted_poaching", "start": "2019-07", "reach": 0.5},
        {"lever": "churn_early_warning", "start": "2019-07", "recall": 0.8},
        {"lever": "retention_desk", "start": "2019-07"},
        {"lever": "renewal_offer", "start": "2019-02"},
        {"lever": "win_back", "start": "2019-07", "reach": 0.5},
        {"lever": "bundle_offer", "start": "2019-02", "take_up": 0.05},
        {"lever": "handset_subsidy", "start": "2019-02", "subsidy": 600},
        {"lever": "plan_migration", "start": "2019-07"},
    ],
}


def test_every_declared_column_is_reported_finite_and_in_order():
    scenario = make_scenario(**{f"strategies.{k}": v for k, v in EVERY_LEVER.items()})
    ts = run(scenario).timeseries
    assert list(ts.columns) == list(TIMESERIES_COLUMNS)
    assert np.isfinite(ts[list(STAT_FIELDS)].to_numpy(dtype=float)).all()
    mobile = ts[ts["carrier"] == "mobile"]
    for column in lever_columns():  # each lever's own columns count something
        assert mobile[column.name].sum() > 0, column.name


def test_carriers_and_collector_carry_exactly_the_declared_columns():
    model = MNPModel(make_scenario(**{"months": 2}))
    reporters = model.datacollector.agenttype_reporters
    assert set(next(iter(reporters.values()))) == set(STAT_FIELDS)
    for carrier in model.carriers:
        assert all(hasattr(carrier, name) for name in STAT_FIELDS)


def test_names_are_unique_and_every_lever_has_a_cost_column():
    names = [c.name for c in CARRIER_COLUMNS]
    assert len(names) == len(set(names))
    kinds = [lever.model_fields["lever"].annotation.__args__[0] for lever in LEVERS]
    assert all(f"cost_{kind}" in names for kind in kinds)
    assert all(c.unit and c.description for c in CARRIER_COLUMNS)


def test_the_reference_lists_every_column_with_its_unit():
    page = reference_markdown().split("## Reported columns")[1]
    for column in CARRIER_COLUMNS:
        assert f"| `{column.name}` | {column.unit} |" in page, column.name
