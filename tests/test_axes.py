"""Readable axes: counts in k/M/bn, yuan with ¥, shares as %, no '1e7' offsets, units
in the labels of every run plot and sweep plot."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from sim.axes import (
    ReadableFormatter,
    axis_label,
    format_value,
    readable_axis,
    scale_for,
)


@pytest.mark.parametrize("value, kind, expected", [
    (1_234_000, "count", "1.23 M"),
    (-350_000, "count", "−350 k"),
    (950_280_000, "count", "950 M"),
    (1_604_330_000, "count", "1.60 bn"),
    (4_000, "count", "4,000"),
    (3.5e9, "yuan", "¥3.50 bn"),
    (435, "yuan", "¥435"),
    (-12e6, "yuan", "−¥12.0 M"),
    (0.456, "share", "45.6%"),
    (0.0123, "number", "0.0123"),
])
def test_values_read_like_a_person_writes_them(value, kind, expected):
    assert format_value(value, kind) == expected


def test_one_axis_has_one_scale_and_no_offset():
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [1.0e7, 1.05e7, 1.1e7])
    readable_axis(ax, "y", "count", "subscribers")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all(t.endswith(" M") for t in labels)
    assert len(set(labels)) == len(labels)  # enough decimals to tell the ticks apart
    assert ax.yaxis.get_offset_text().get_text() == ""
    assert ax.get_ylabel() == "subscribers"
    plt.close(fig)


def test_labels_name_their_unit():
    assert axis_label("net porting", "count", per="month") == "net porting (subscribers/month)"
    assert axis_label("profit", "yuan") == "profit (yuan)"
    assert axis_label("churn (% of subscribers/month)", "percent") == \
        "churn (% of subscribers/month)"
    assert scale_for([0.25, 0.5], "number") == (1.0, "")
    with pytest.raises(ValueError, match="unknown quantity kind"):
        ReadableFormatter("dollars")


def test_run_plots_have_units_and_readable_ticks(tmp_path):
    from sim.plots import draw_net_porting, draw_subscribers, draw_switching_cost
    from sim.runner import run

    from .conftest import make_scenario

    result = run(make_scenario(**{"months": 12, "population.size": 1500,
                                  "carriers.mobile.subscribers": 950_000_000,
                                  "carriers.unicom.subscribers": 318_000_000,
                                  "carriers.telecom.subscribers": 335_000_000}), seed=2)
    ts = result.timeseries
    for draw, unit, suffix in ((draw_subscribers, "subscribers", (" M", " bn")),
                               (draw_net_porting, "subscribers/month", None),
                               (lambda ax, t, m: draw_switching_cost(ax, t, "mobile", m),
                                "yuan", None)):
        fig, ax = plt.subplots()
        draw(ax, ts, "2019-07")
        fig.canvas.draw()
        assert unit in ax.get_ylabel()
        assert ax.yaxis.get_offset_text().get_text() == ""
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        if suffix:  # one scale for the whole axis
            assert any(all(t.endswith(x) for t in labels) for x in suffix), labels
        plt.close(fig)
