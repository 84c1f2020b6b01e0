"""Readable numbers on every plot, and axis labels that name the unit.

Counts read as "1.2 M" or "350 k", money as "¥1.2 bn", shares as "45%".

Every chart in the project (one run's plots, the sweep analysis, compare, game and
calibrate) formats its axes through `readable_axis`, so no axis shows raw values
with a "1e7" offset, and the same quantity looks the same everywhere. A tick
formatter picks one scale for all the ticks of an axis (so an axis reads
"0, 0.5 M, 1 M, 1.5 M", not "500 k, 1 M") and as few decimals as tell them apart.

Kinds of quantity:
- `count`: subscribers, ports (people), scaled with k / M / bn;
- `yuan`: money, "¥" then k / M / bn;
- `share`: a fraction (0.45) shown as a percentage ("45%");
- `percent`: a value already in percent (45.0) shown as "45%";
- `number`: anything else (an index, a multiplier), scaled like counts.
Values under 10 000 are written out in full (¥1,750; 4,000 subscribers).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import Formatter

KINDS = ("count", "yuan", "share", "percent", "number")
SCALES = ((1e9, " bn"), (1e6, " M"), (1e3, " k"))
#: What an axis label says about the unit of each kind (the ticks carry the scale).
UNIT_WORDS = {"count": "subscribers", "yuan": "yuan", "share": "%", "percent": "%",
              "number": ""}


def _check(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown quantity kind {kind!r}; use one of {', '.join(KINDS)}")


def scale_for(values: Iterable[float], kind: str) -> tuple[float, str]:
    """(divisor, suffix) that suits the largest finite magnitude among `values`."""
    _check(kind)
    if kind in ("share", "percent"):
        return (0.01, "%") if kind == "share" else (1.0, "%")
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    top = max(finite, default=0.0)
    for divisor, suffix in SCALES:
        if top >= divisor and top >= 1e4:  # ¥1,750 and 0.25 stay as they are
            return divisor, suffix
    return 1.0, ""


def decimals_for(scaled: Iterable[float], most: int = 3) -> int:
    """The fewest decimals (up to `most`) that write every value exactly enough to tell them apart.

    0, 0.5, 1 needs one; 0, 250, 500 needs none.
    """
    values = [v for v in scaled if math.isfinite(v)]
    if not values:
        return 0
    spread = max(values) - min(values)
    tolerance = max(spread, max(abs(v) for v in values), 1e-12) * 1e-6
    for d in range(most + 1):
        if all(abs(round(v, d) - v) <= tolerance for v in values):
            return d
    return most


def _render(value: float, divisor: float, suffix: str, kind: str, decimals: int,
            signed: bool) -> str:
    if not math.isfinite(value):
        return "–"
    scaled = value / divisor
    if abs(scaled) < 0.5 * 10 ** -decimals:
        return "¥0" if kind == "yuan" else "0%" if kind in ("share", "percent") else "0"
    sign = "+" if signed and scaled > 0 else ""
    body = f"{abs(scaled):,.{decimals}f}"
    minus = "−" if scaled < 0 else ""
    if kind == "yuan":
        return f"{minus or sign}¥{body}{suffix}"
    return f"{minus or sign}{body}{suffix}"


def format_value(value: float, kind: str = "count", signed: bool = False,
                 decimals: int | None = None) -> str:
    """One number for people, to about three significant figures.

    format_value(1.234e6) == '1.23 M', format_value(3.5e9, 'yuan') == '¥3.50 bn',
    format_value(0.456, 'share') == '45.6%', format_value(435, 'yuan') == '¥435'.
    """
    divisor, suffix = scale_for([value], kind)
    if decimals is None:
        scaled = abs(value / divisor) if math.isfinite(value) else 0.0
        if suffix == "" and kind == "number" and math.isfinite(value):
            return f"{'+' if signed and value > 0 else ''}{value:.3g}".replace("-", "−")
        if suffix == "" and kind in ("count", "yuan"):
            decimals = 0  # 435 yuan, 12 subscribers: whole units
        else:
            decimals = 0 if scaled >= 100 else 1 if scaled >= 10 else 2
    return _render(value, divisor, suffix, kind, decimals, signed)


class ReadableFormatter(Formatter):
    """Tick labels of one kind, with one scale and one number of decimals per axis."""

    def __init__(self, kind: str = "count", signed: bool = False) -> None:
        """A formatter for a `kind` of quantity (see the module); `signed` writes a + on gains."""
        _check(kind)
        self.kind, self.signed = kind, signed
        self._scale: tuple[float, str] | None = None
        self._decimals = 0

    def format_ticks(self, values) -> list[str]:
        """Labels for all the ticks, on one scale and with as few decimals as tell them apart."""
        values = [float(v) for v in values]
        shown = values
        if self.axis is not None:  # the scale follows the ticks shown, not those past the view
            low, high = sorted(self.axis.get_view_interval())
            pad = (high - low) * 1e-9
            shown = [v for v in values if low - pad <= v <= high + pad] or values
        self._scale = scale_for(shown, self.kind)
        divisor = self._scale[0]
        self._decimals = decimals_for([v / divisor for v in shown])
        return [self(v) for v in values]

    def __call__(self, x, pos=None) -> str:
        """The label of one value `x` (the ticks' scale once set by format_ticks)."""
        divisor, suffix = self._scale or scale_for([x], self.kind)
        decimals = self._decimals if self._scale else decimals_for([x / divisor])
        return _render(float(x), divisor, suffix, self.kind, decimals, self.signed)

    def format_data_short(self, value) -> str:  # the cursor read-out in interactive use
        """The value under the cursor, formatted on its own (format_value)."""
        return format_value(float(value), self.kind)


def axis_label(text: str, kind: str, per: str | None = None) -> str:
    """The label with its unit: 'net porting' -> 'net porting (subscribers)'.

    per='month' -> '(subscribers/month)'. A label that already names its unit in brackets
    is left as it is.
    """
    _check(kind)
    if text.rstrip().endswith(")"):
        return text
    unit = UNIT_WORDS[kind]
    if not per and unit and unit in text:
        return text  # "subscribers at month start" says it already
    if per:
        unit = f"{unit}/{per}" if unit else f"per {per}"
    return f"{text} ({unit})" if unit else text


def readable_axis(ax: Axes, which: str = "y", kind: str = "count", label: str | None = None,
                  per: str | None = None, signed: bool = False) -> None:
    """Format the x or y axis of `ax` (or "both") as `kind`, and label it with its unit."""
    for axis_name in (("x", "y") if which == "both" else (which,)):
        axis = ax.xaxis if axis_name == "x" else ax.yaxis
        axis.set_major_formatter(ReadableFormatter(kind, signed))
        if label is not None:
            axis.set_label_text(axis_label(label, kind, per))


def colourbar_axis(colourbar, kind: str, label: str | None = None) -> None:
    """A colour bar's ticks and label in the same style as an axis."""
    colourbar.formatter = ReadableFormatter(kind)
    colourbar.update_ticks()
    if label is not None:
        colourbar.set_label(axis_label(label, kind))


def month_axis(ax: Axes, months: int, which: str = "x", label: str | None = "month") -> None:
    """A date axis of `months` monthly points, ticked at whole months as YYYY-MM.

    Ticks fall every month, quarter, half-year or year, so about eight ticks at most.
    """
    step = next(s for s in (1, 3, 6, 12, 24, 60) if months / s <= 8 or s == 60)
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step) if step < 12
                                               else [1], interval=max(1, step // 12)))
    axis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    if label is not None:
        axis.set_label_text(label)


def tick_labels(values: Iterable[float], kind: str) -> list[str]:
    """Labels for a list of values with one shared scale (e.g. heat-map cells)."""
    return ReadableFormatter(kind).format_ticks(list(np.asarray(list(values), dtype=float)))


__all__ = ["KINDS", "ReadableFormatter", "axis_label", "colourbar_axis", "decimals_for",
           "format_value", "month_axis", "readable_axis", "scale_for", "tick_labels"]
