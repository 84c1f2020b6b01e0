"""Targets: observed figures and the model output each one is compared with.

A targets file is a CSV with one observed figure per row:

    date,quantity,carrier,value[,weight][,unit,note,source]

`date` is the day the figure refers to (YYYY-MM-DD), `carrier` is mobile, unicom,
telecom or all, and `weight` (optional, default 1) is the row's weight in the loss.
`../shared/data/china_mnp_observed.csv` is one such file. The model reports month
ends; a figure dated inside a month is read by linear interpolation between the
previous month end and this one (2020-07-08 is 8/31 of the way through July), and
a flow (`monthly_ports`) is the flow of the month that contains the date.

Rows whose quantity is an *event* (the dates MNP and the pilots opened) are inputs
of the scenario, not outputs; they are checked against it and reported, not fitted.
Rows that fall outside the run, or need pilots the scenario lacks, are listed as
skipped with the reason.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.params import CARRIER_KEY, month_label
from sim.scenario.schema import Scenario

ALL = "all"


@dataclass(frozen=True)
class Quantity:
    """One kind of observed figure and how the model produces it."""

    unit: str
    kind: str          # "stock" (read at the date), "cumulative" (summed to the date),
    #                    "flow" (the month's total), "share", "ratio"
    description: str
    signed: bool = False  # may be negative (compared on the mirrored log scale)


QUANTITIES: dict[str, Quantity] = {
    "subscribers": Quantity("subscribers", "stock", "subscribers at the date"),
    "cumulative_ports": Quantity("subscribers", "cumulative",
                                 "ports (port-outs) from the start of the run to the date"),
    "cumulative_port_ins": Quantity("subscribers", "cumulative",
                                    "port-ins from the start of the run to the date"),
    "cumulative_port_outs": Quantity("subscribers", "cumulative",
                                     "port-outs from the start of the run to the date"),
    "monthly_ports": Quantity("subscribers/month", "flow",
                              "ports (port-outs) in the month that contains the date"),
    "quarterly_ports": Quantity("subscribers/quarter", "flow",
                                "ports in the three months ending with the month of the date"),
    "yearly_ports": Quantity("subscribers/year", "flow",
                             "ports in the twelve months ending with the month of the date"),
    "cumulative_net_porting": Quantity("subscribers", "cumulative",
                                       "port-ins minus port-outs from the start of the run to "
                                       "the date (per carrier; may be negative)",
                                       signed=True),
    "cumulative_port_requests": Quantity(
        "requests", "cumulative",
        "porting requests to the date (India's figures): the model's completed ports, a lower "
        "bound, since refused requests (wrong code, under 90 days, dues) are not modelled"),
    "cumulative_ports_share": Quantity("ports per subscriber", "ratio",
                                       "ports from the start of the run to the date over the "
                                       "subscribers at the date"),
    "share_of_port_outs": Quantity("fraction", "share",
                                   "the carrier's share of all port-outs to the date"),
    "share_of_port_ins": Quantity("fraction", "share",
                                  "the carrier's share of all port-ins to the date"),
    "arpu": Quantity("yuan/month", "ratio", "revenue per subscriber in the month"),
    # repeat porting (sim/behaviour/memory.py), numbers counted from the run's start; as
    # Finland's 2005 report (shared/data/other_markets_observed.csv): "twice" is exactly
    # twice and "three times" three times or more (the report gives no higher count, and
    # its 0.5 M twice and 140 k three times are disjoint counts of 1.2 M ported numbers)
    "numbers_ported_at_least_once_share": Quantity(
        "fraction", "stock", "share of subscribers (numbers) ported at least once, at the date"),
    "numbers_ported_twice": Quantity("numbers", "stock",
                                     "numbers ported exactly twice, at the date"),
    "numbers_ported_three_times": Quantity("numbers", "stock",
                                           "numbers ported three times or more, at the date"),
    "pilot_uptake": Quantity("fraction", "pilot",
                             "ports to the date over the subscribers of the pilot regions "
                             "open by then (before the nationwide opening)"),
}
#: Flows over several months: the months each sums, ending with the month of its date.
FLOW_MONTHS = {"quarterly_ports": 3, "yearly_ports": 12}
#: Dated events: inputs of the scenario, checked against it, never fitted.
EVENTS = ("mnp_nationwide_start", "pilot_start")


class TargetsError(ValueError):
    """A targets file that cannot be used: each problem names its line and the fix."""

    def __init__(self, problems: list[str], path: str):
        """Every problem found in the targets file at `path`, in one error."""
        self.problems = problems
        self.path = path
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True)
class Target:
    """One observed figure the model is fitted to (or checked against)."""

    line: int
    date: str
    quantity: str
    carrier: str
    value: float
    weight: float
    unit: str = ""
    note: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        """The target as "quantity carrier date" ("market" for all carriers)."""
        who = "market" if self.carrier == ALL else self.carrier
        return f"{self.quantity} {who} {self.date}"

    def as_dict(self) -> dict:
        """The target's fields as a dict."""
        return asdict(self)


@dataclass(frozen=True)
class Skipped:
    """A row of the file that is not compared, and why."""

    line: int
    date: str
    quantity: str
    carrier: str
    reason: str


# ---------------------------------------------------------------- reading

def read_targets(path: str | Path) -> list[Target | tuple[int, dict]]:
    """Every row of a targets file, checked: a Target for each figure, (line, row) for events.

    Raises TargetsError listing every bad row (unknown quantity or carrier, a date
    or value that is not one, a negative weight).
    """
    path = Path(path)
    frame = _read_frame(path)
    rows: list[Target | tuple[int, dict]] = []
    problems: list[str] = []
    known = ", ".join([*QUANTITIES, *EVENTS])
    for i, row in enumerate(frame.to_dict("records")):
        line = i + 2  # the header is line 1
        quantity, carrier = row["quantity"].strip(), row["carrier"].strip().lower()
        if quantity in EVENTS:
            rows.append((line, row))
            continue
        target = _target(line, row, quantity, carrier, known)
        if isinstance(target, str):
            problems.append(target)
        else:
            rows.append(target)
    if problems:
        raise TargetsError(problems, str(path))
    return rows


def _read_frame(path: Path) -> pd.DataFrame:
    """The targets file as text columns; TargetsError if unreadable or a column is missing."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    except FileNotFoundError:
        raise TargetsError(["file not found; give the path of a targets CSV"], str(path)) from None
    except pd.errors.EmptyDataError:
        raise TargetsError([("the file is empty; a targets file has a header line "
                             "date,quantity,carrier,value and one row per figure")],
                           str(path)) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise TargetsError([f"cannot be read as CSV ({str(exc).splitlines()[0]})"],
                           str(path)) from None
    missing = [c for c in ("date", "quantity", "carrier", "value") if c not in frame.columns]
    if missing:
        raise TargetsError([f"missing column(s) {', '.join(missing)}; a targets file needs "
                            "date,quantity,carrier,value (and optionally weight)"], str(path))
    return frame


def _target(line: int, row: dict, quantity: str, carrier: str, known: str) -> Target | str:
    """The figure on line `line` as a Target, or the problem with it ("line N: ...")."""
    where = f"line {line}"
    problem = _key_problem(quantity, carrier, known)
    if problem is not None:
        return f"{where}: {problem}"
    date = row["date"].strip()
    if not _is_day(date):
        return f"{where}: date {date!r} is not YYYY-MM-DD"
    try:
        value = float(row["value"])
    except ValueError:
        return f"{where}: value {row['value']!r} is not a number"
    if QUANTITIES[quantity].signed:
        if not math.isfinite(value) or value == 0:
            return (f"{where}: value {row['value']} must be a number other than 0 "
                    "(the loss compares logarithms of its size)")
    elif not math.isfinite(value) or value <= 0:
        return (f"{where}: value {row['value']} must be a positive number "
                "(the loss compares logarithms)")
    weight = _weight(row)
    if weight is None:
        return f"{where}: weight {row['weight']!r} must be a number >= 0"
    return Target(line, date, quantity, carrier, value, weight,
                  row.get("unit", ""), row.get("note", ""), row.get("source", ""))


def _key_problem(quantity: str, carrier: str, known: str) -> str | None:
    """What is wrong with a figure's quantity and carrier (None: nothing)."""
    if quantity not in QUANTITIES:
        return f"quantity {quantity!r} is unknown; use one of {known}"
    if carrier != ALL and not CARRIER_KEY.match(carrier):
        return (f"carrier {carrier!r} is not a carrier key; use a "
                f"scenario's carrier key (e.g. mobile) or {ALL}")
    if (QUANTITIES[quantity].kind == "share" or QUANTITIES[quantity].signed) and carrier == ALL:
        return f"{quantity} needs a carrier (e.g. mobile), not all"
    return None


def _is_day(date: str) -> bool:
    """Whether `date` is a day written YYYY-MM-DD."""
    try:
        pd.Timestamp(date)
        if len(date) != 10:
            raise ValueError
    except ValueError:
        return False
    return True


def _weight(row: dict) -> float | None:
    """The row's weight: 1 where the column is empty or absent; None unless a number >= 0."""
    weight = 1.0
    if str(row.get("weight", "")).strip():
        try:
            weight = float(row["weight"])
        except ValueError:
            weight = -1.0
        if not math.isfinite(weight) or weight < 0:
            return None
    return weight


def month_and_fraction(date: str) -> tuple[str, float]:
    """The month (YYYY-MM) that contains `date` and how far through it the date is (0..1]."""
    ts = pd.Timestamp(date)
    days = calendar.monthrange(ts.year, ts.month)[1]
    return f"{ts.year:04d}-{ts.month:02d}", ts.day / days


@dataclass
class TargetSet:
    """The targets that apply to one scenario, and the rows left out (with reasons)."""

    targets: list[Target]
    skipped: list[Skipped]
    events: list[str]          # how each event row compares with the scenario

    @property
    def values(self) -> np.ndarray:
        """The observed value of each target, in order."""
        return np.array([t.value for t in self.targets])

    @property
    def weights(self) -> np.ndarray:
        """The weight of each target, in order."""
        return np.array([t.weight for t in self.targets])

    @property
    def last_month(self) -> str:
        """The latest month (YYYY-MM) any target refers to."""
        return max(month_and_fraction(t.date)[0] for t in self.targets)


def applicable(rows: list[Target | tuple[int, dict]], scenario: Scenario) -> TargetSet:
    """The targets a run of `scenario` can produce; the others with the reason."""
    start = scenario.start
    end = month_label(start, scenario.months - 1)
    national = scenario.policy.first_opening
    targets, skipped, events = [], [], []
    unknown = [f"line {r.line}: carrier {r.carrier!r} is not in this scenario; use one of "
               f"{', '.join(scenario.carriers)} or {ALL}" for r in rows
               if not isinstance(r, tuple) and r.carrier != ALL and r.carrier not in
               scenario.carriers]
    if unknown:
        raise TargetsError(unknown, "the targets file")
    for row in rows:
        if isinstance(row, tuple):
            events.append(_check_event(*row, scenario))
            continue
        month, _ = month_and_fraction(row.date)
        reason = ""
        if month < start:
            reason = f"before the scenario starts ({start})"
        elif month > end:
            reason = f"after the run ends ({end}); lengthen `months` to use it"
        elif row.quantity in FLOW_MONTHS and month_label(
                month, 1 - FLOW_MONTHS[row.quantity]) < start:
            reason = (f"its {FLOW_MONTHS[row.quantity]} months begin before the scenario "
                      f"starts ({start})")
        elif row.quantity == "pilot_uptake":
            if not scenario.policy.pilots:
                reason = "needs policy.pilots (a scenario with regional pilots)"
            elif national is not None and national <= month:
                reason = "the nationwide opening comes before it, so pilots cannot be told apart"
            elif not any(p.start <= month for p in scenario.policy.pilots):
                reason = "no pilot is open yet at this date"
        if reason:
            skipped.append(Skipped(row.line, row.date, row.quantity, row.carrier, reason))
        else:
            targets.append(row)
    return TargetSet(targets, skipped, events)


def _check_event(line: int, row: dict, scenario: Scenario) -> str:
    month, _ = month_and_fraction(row["date"])
    if row["quantity"] == "mnp_nationwide_start":
        have = scenario.policy.first_opening
        same = "matches" if have == month else "differs from"
        return f"line {line}: nationwide MNP opened {row['date']}; the scenario's " \
               f"policy.mnp_start ({have}) {same} it"
    starts = sorted({p.start for p in scenario.policy.pilots})
    if not starts:
        return f"line {line}: pilots opened {row['date']}; this scenario has no pilots"
    same = "matches" if month in starts else "differs from"
    return f"line {line}: pilots opened {row['date']}; the scenario's first pilot " \
           f"({starts[0]}) {same} it"


# ---------------------------------------------------------------- model side

def _at(series: pd.Series, month: str, fraction: float, first: float) -> float:
    """A month-end series read at `fraction` of the way through `month`."""
    value = float(series.loc[month])
    months = series.index.tolist()
    position = months.index(month)
    before = float(series.iloc[position - 1]) if position else first
    return before + fraction * (value - before)


#: quantity -> the per-carrier count of numbers it sums (from the reported shares)
PORTED_NUMBERS = {"numbers_ported_at_least_once_share": "numbers_ported",
                  "numbers_ported_twice": "numbers_ported_twice",
                  "numbers_ported_three_times": "numbers_ported_three_plus"}
_SHARE_OF = {"numbers_ported": "ported_share", "numbers_ported_twice": "ported_twice_share",
             "numbers_ported_three_plus": "ported_three_plus_share"}


def _ported_numbers(ts: pd.DataFrame) -> dict[str, pd.Series]:
    """Per-row counts of ported numbers (share x subscribers); 0 where a run lacks them."""
    return {count: ts[share] * ts["subscribers"] if share in ts else 0.0 * ts["subscribers"]
            for count, share in _SHARE_OF.items()}


#: Quantities of the other markets' figures and of repeat porting (issue 19).
LATER_QUANTITIES = ("quarterly_ports", "yearly_ports", "cumulative_net_porting",
                    "cumulative_port_requests", "cumulative_ports_share", *PORTED_NUMBERS)


def _later_figure(t: Target, wide: pd.DataFrame, cum_in: pd.DataFrame, cum_out: pd.DataFrame,
                  pick: Callable[[pd.DataFrame], pd.Series], month: str, frac: float) -> float:
    """The model's value of one of LATER_QUANTITIES (see QUANTITIES for each rule)."""
    if t.quantity in ("quarterly_ports", "yearly_ports"):
        flow = pick(wide["port_out"])
        position = flow.index.get_loc(month)
        span = FLOW_MONTHS[t.quantity]
        return float(flow.iloc[max(0, position - span + 1):position + 1].sum())
    if t.quantity == "cumulative_net_porting":
        return _at(pick(cum_in) - pick(cum_out), month, frac, 0.0)
    if t.quantity == "cumulative_port_requests":
        return _at(pick(cum_out), month, frac, 0.0)
    if t.quantity == "cumulative_ports_share":
        subs = pick(wide["subscribers"])
        return (_at(pick(cum_out), month, frac, 0.0)
                / _at(subs, month, frac, float(subs.iloc[0])))
    if t.quantity in PORTED_NUMBERS:
        numbers = pick(wide[PORTED_NUMBERS[t.quantity]])
        value = _at(numbers, month, frac, 0.0)
        if t.quantity == "numbers_ported_at_least_once_share":
            subs = pick(wide["subscribers"])
            value /= max(_at(subs, month, frac, float(subs.iloc[0])), 1e-12)
        return value
    raise ValueError(f"not one of LATER_QUANTITIES: {t.quantity}")


def simulated(ts: pd.DataFrame, targets: list[Target], scenario: Scenario) -> np.ndarray:
    """The model's value of every target, from one run's monthly per-carrier series."""
    ts = ts.assign(**_ported_numbers(ts))
    wide = ts.pivot_table(index="month", columns="carrier",
                          values=["subscribers", "port_in", "port_out", "revenue",
                                  *PORTED_NUMBERS.values()],
                          aggfunc="sum", sort=True)
    cum_in = wide["port_in"].cumsum()
    cum_out = wide["port_out"].cumsum()
    out = np.empty(len(targets))
    for i, t in enumerate(targets):
        month, frac = month_and_fraction(t.date)
        pick: Callable[[pd.DataFrame], pd.Series] = (
            (lambda f: f.sum(axis=1)) if t.carrier == ALL else (lambda f, c=t.carrier: f[c]))
        if t.quantity == "subscribers":
            subs = pick(wide["subscribers"])
            out[i] = _at(subs, month, frac, float(subs.iloc[0]))
        elif t.quantity in ("cumulative_ports", "cumulative_port_outs"):
            out[i] = _at(pick(cum_out), month, frac, 0.0)
        elif t.quantity == "cumulative_port_ins":
            out[i] = _at(pick(cum_in), month, frac, 0.0)
        elif t.quantity == "monthly_ports":
            out[i] = float(pick(wide["port_out"]).loc[month])
        elif t.quantity in LATER_QUANTITIES:
            out[i] = _later_figure(t, wide, cum_in, cum_out, pick, month, frac)
        elif t.quantity in ("share_of_port_outs", "share_of_port_ins"):
            cum = cum_out if t.quantity == "share_of_port_outs" else cum_in
            mine = _at(cum[t.carrier], month, frac, 0.0)
            total = _at(cum.sum(axis=1), month, frac, 0.0)
            out[i] = mine / total if total > 0 else 0.0
        elif t.quantity == "arpu":
            subs = float(pick(wide["subscribers"]).loc[month])
            out[i] = float(pick(wide["revenue"]).loc[month]) / subs if subs else 0.0
        else:  # pilot_uptake
            ports = _at(cum_out.sum(axis=1), month, frac, 0.0)
            share = sum(p.population_share for p in scenario.policy.pilots if p.start <= month)
            subs = float(wide["subscribers"].sum(axis=1).loc[month])
            out[i] = ports / (share * subs)
    return out


def synthetic_targets(ts: pd.DataFrame, like: list[Target], scenario: Scenario) -> list[Target]:
    """Targets whose values are what the model produced in `ts` (for checks and tests)."""
    values = simulated(ts, like, scenario)
    return [Target(t.line, t.date, t.quantity, t.carrier, float(v), t.weight, t.unit,
                   "synthetic: produced by the model", "sim.calibrate.targets")
            for t, v in zip(like, values, strict=True)]


def write_targets(targets: list[Target], path: str | Path) -> None:
    """Write targets in the file format `read_targets` reads."""
    frame = pd.DataFrame([{"date": t.date, "quantity": t.quantity, "carrier": t.carrier,
                           "value": repr(t.value), "weight": t.weight, "unit": t.unit,
                           "note": t.note, "source": t.source} for t in targets])
    frame.to_csv(path, index=False)


__all__ = ["ALL", "EVENTS", "QUANTITIES", "Skipped", "Target", "TargetSet", "TargetsError",
           "applicable", "month_and_fraction", "read_targets", "simulated",
           "synthetic_targets", "write_targets"]
