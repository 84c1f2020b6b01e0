"""The teaching page's live charts: the same drawings as the saved PNGs (`sim.plots`),
redrawn after every step, plus the sample of subscribers and a one-line status.

Figures are `matplotlib.figure.Figure` objects (not pyplot), so drawing is safe
from the server's threads.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from mesa.visualization.utils import update_counter

from sim import plots
from sim.behaviour.loyalty import HOSTAGE, QUADRANTS
from sim.results import timeseries_of
from sim.params import month_index
from sim.style import MARKET, carrier_colour, carrier_label, scenario_look
from sim.viz.controls import TeachingModel

#: The sample view: columns x rows of subscribers.
GRID_COLUMNS = 20
def _choices(model: TeachingModel) -> dict[str, str]:
    """Menu label -> carrier key (or MARKET) for the model's carriers."""
    look = scenario_look(model.spec)
    return {carrier_label(k, look): k for k in (MARKET, *look)}


def _figure(width: float = 6.4, height: float = 3.8) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), dpi=90)
    return fig, fig.subplots()


def _show(fig: Figure, model: TeachingModel | None = None):
    """Render a figure; time axes span the whole run, so charts fill in left to right."""
    for ax in fig.axes:
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        if model is not None:
            ax.set_xlim(*run_span(model))
    fig.tight_layout()
    return solara.FigureMatplotlib(fig, format="png")


def run_span(model: TeachingModel) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last simulated month as dates."""
    first = pd.Timestamp(model.spec.start + "-01")
    return first, first + pd.DateOffset(months=model.spec.months - 1)


def _waiting():
    return solara.Info("Press Step (or ▶) to simulate the first month.")


def _chart(draw: Callable[[object, pd.DataFrame, str | None], None]):
    """A page component drawing one `sim.plots` chart of the series so far. Its
    container has the class `mnp-<name>` (e.g. mnp-shares), for tests and styling."""
    name = draw.__name__.removeprefix("draw_")

    def component(model: TeachingModel):
        ts = timeseries_of(model)
        with solara.Column(classes=[f"mnp-{name}"]) as column:
            if ts.empty:
                _waiting()
            else:
                fig, ax = _figure()
                draw(ax, ts, model.spec.policy.first_opening)
                _show(fig, model)
        return column

    component.__name__ = name.title() + "Chart"
    return component


SharesChart = _chart(plots.draw_shares)
PortingChart = _chart(plots.draw_porting)
ChurnChart = _chart(plots.draw_churn)


def _chart_per_carrier(draw, label: str, first: str):
    """A page component drawing a per-carrier `sim.plots` chart, with a menu to pick
    the carrier or the whole market (starting at `first`)."""
    name = draw.__name__.removeprefix("draw_")

    @solara.component
    def component(model: TeachingModel):
        update_counter.get()  # redraw after every step, like Mesa's own components
        choices = _choices(model)
        choice, set_choice = solara.use_state(carrier_label(first, scenario_look(model.spec)))
        ts = timeseries_of(model)
        with solara.Column(classes=[f"mnp-{name.replace('_', '-')}"]):
            solara.Select(label, value=choice, values=list(choices), on_value=set_choice)
            if ts.empty:
                _waiting()
            else:
                fig, ax = _figure()
                draw(ax, ts, choices.get(choice, MARKET), model.spec.policy.first_opening)
                _show(fig, model)

    return component


#: Loyalty quadrants (millions, stacked), China Mobile's first: the false-loyal incumbent.
QuadrantChart = _chart_per_carrier(plots.draw_quadrants, "Quadrants of", "mobile")
#: Mean switching cost by part (yuan), the whole market's first.
SwitchingCostChart = _chart_per_carrier(plots.draw_switching_cost, "Switching cost of", MARKET)


def sample_layout(initial_carrier: np.ndarray) -> np.ndarray:
    """Grid position of each sampled subscriber: grouped by the carrier they started
    with, so a block changing colour shows who left whom."""
    return np.argsort(initial_carrier, kind="stable")


def sample_figure(model: TeachingModel) -> Figure:
    """A few hundred subscribers as a grid: colour = carrier now, ring = hostage this
    month, white centre = moved carrier this month."""
    order = sample_layout(model.initial_carrier)
    if model.snapshots:
        last = model.snapshots[-1]
        code = {k: i for i, k in enumerate(model.spec.carrier_keys)}
        carrier = np.array([code[c] for c in last["carrier"]])[order]
        hostage = (last["quadrant"] == QUADRANTS[HOSTAGE])[order]
        moved = last["moved"][order]
        label = str(last["month"][0])
    else:
        carrier = model.subs.carrier[model.snapshot_rows][order]
        hostage = moved = np.zeros(order.size, dtype=bool)
        label = f"start ({model.spec.start}, before month 1)"
    cols = GRID_COLUMNS
    x, y = np.arange(order.size) % cols, -(np.arange(order.size) // cols)
    fig, ax = _figure(6.4, 3.2)
    look = scenario_look(model.spec)
    colours = np.array([carrier_colour(k, look) for k in look])[carrier]
    ax.scatter(x, y, s=70, c=colours, edgecolors="none")
    ax.scatter(x[hostage], y[hostage], s=150, facecolors="none", edgecolors="black",
               linewidths=1.6)
    ax.scatter(x[moved], y[moved], s=14, c="white", edgecolors="none")
    handles = [Line2D([], [], marker="o", ls="", color=carrier_colour(k, look),
                      label=carrier_label(k, look)) for k in look]
    handles += [Line2D([], [], marker="o", ls="", markerfacecolor="none", markeredgecolor="black",
                       markersize=9, label="hostage (false-loyal)"),
                Line2D([], [], marker="o", ls="", color="grey", markerfacecolor="white",
                       label="moved this month")]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7,
              frameon=False, title="each dot: one subscriber", title_fontsize=7)
    ax.set_title(f"{order.size} sampled subscribers by starting carrier: {label}", fontsize=9)
    ax.set(xticks=[], yticks=[])
    ax.set_aspect("equal")
    fig.tight_layout()
    return fig


def market_status(model: TeachingModel, ts: pd.DataFrame) -> str:
    """One line a teacher can read aloud: month, MNP state, churn, hostage share."""
    spec = model.spec
    mnp = spec.policy.first_opening
    if ts.empty:
        month = f"Start of {spec.start}: no month simulated yet"
    else:
        last = ts[ts["month"] == ts["month"].iloc[-1]]
        market = last.sum(numeric_only=True)
        start = plots.starting_subscribers(last)
        churn = 100 * (market["port_out"] + market["switch_out_new_number"]) / start.sum()
        hostages = 100 * (last["hostage"] * start).sum() / start.sum()
        month = (f"Month {model.month} of {spec.months} ({last['month'].iloc[0]}): churn "
                 f"{churn:.2f}% of subscribers, hostages {hostages:.0f}% of subscribers")
    if mnp is None:
        state = "MNP never opens"
    elif model.month > month_index(mnp, spec.start):
        state = f"MNP open since {mnp}"
    else:
        state = f"MNP opens {mnp}"
    return f"{month} · {state} · seed {model.seed_used} · {spec.population.size:,} subscribers"


def settings_in_use(model: TeachingModel) -> str:
    """The values the model was built with (sliders act on Reset)."""
    spec = model.spec
    prices = ", ".join(f"{carrier_label(k)} {c.price:g}" for k, c in spec.carriers.items())
    service = ", ".join(f"{carrier_label(k)} {c.service_quality:g}"
                        for k, c in spec.carriers.items())
    return (f"In use: number-loss cost {spec.policy.number_loss_cost:g} yuan, porting hassle "
            f"{spec.policy.porting_hassle:g} yuan, contract lock-in x{model.contract_lock_in:g}; "
            f"prices (yuan/month) {prices}; service quality {service}. "
            "Slider changes take effect on Reset.")


def MarketNow(model: TeachingModel):
    """The market this month in one line, the sample of subscribers, the settings in use."""
    with solara.Column(classes=["mnp-market-now"]) as column:
        # plain Text, not Markdown: Markdown pulls in mermaid.js, one more asset to serve
        solara.Text(market_status(model, timeseries_of(model)),
                    style={"font-weight": "bold", "font-size": "14px"}, classes=["mnp-status"])
        if model.seed_problem:
            solara.Warning(model.seed_problem)
        solara.FigureMatplotlib(sample_figure(model), format="png")
        solara.Text(settings_in_use(model), style={"font-size": "12px"})
    return column
