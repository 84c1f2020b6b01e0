"""`--horizon`: how many months a comparison covers, counted from the start or from MNP.

`--horizon 24` is 24 months from the scenario's start (as before); `--horizon mnp+24`
is 24 months from the first month any carrier's subscribers may port (that month
included), so it covers 24 MNP months whatever the scenario's start; `mnp-3` ends
three months before MNP opens; `--horizon 2021-06` ends with that month. The result
is a run length (`months`), checked against the scenario: it must cover at least one
month and may not run past the scenario's end (lengthen that with `--set months=`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sim.params import month_index, month_label

_RELATIVE = re.compile(r"^\s*(mnp|start)\s*(?:([+-])\s*(\d+))?\s*$")
_COUNT = re.compile(r"^\s*\+?(\d+)\s*$")
_MONTH = re.compile(r"^\s*(\d{4})-(0[1-9]|1[0-2])\s*$")


class HorizonError(ValueError):
    """A --horizon that cannot be read or does not fit the scenario (exit 2)."""


@dataclass(frozen=True)
class Coverage:
    """The months a comparison covers: first and last month, and how many have MNP open."""

    first: str
    last: str
    months: int
    mnp_months: int
    opening: str | None

    def as_dict(self) -> dict:
        """The coverage as compare.json's fields."""
        return {"first_month": self.first, "last_month": self.last, "horizon_months": self.months,
                "mnp_months": self.mnp_months, "mnp_opens": self.opening}


def resolve_horizon(text: str | int | None, start: str, months: int,
                    opening: str | None) -> int:
    """Months to simulate for `--horizon text` in a scenario (start, months, first opening).

    None keeps the scenario's months. Raises HorizonError with a message that names
    the option and says how to fix it.
    """
    if text is None:
        return months
    raw = str(text)
    if m := _COUNT.match(raw):
        n = int(m.group(1))
    elif m := _MONTH.match(raw):
        n = month_index(raw.strip(), start) + 1
        if n < 1:
            raise HorizonError(f"--horizon {raw} ends before the scenario starts ({start}); "
                               "give a later month")
    elif m := _RELATIVE.match(raw):
        anchor = start if m.group(1) == "start" else opening
        if anchor is None:
            raise HorizonError(f"--horizon {raw}: MNP never opens in this scenario; "
                               "give a number of months from the start instead, e.g. --horizon 24")
        shift = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
        # 'mnp+N' covers N months from the opening month on (that month included).
        n = month_index(anchor, start) + shift
        if m.group(1) == "start":
            n = shift
    else:
        raise HorizonError(f"--horizon {raw!r}: give a number of months from the start (24), "
                           "a month (2021-06) or months from MNP's opening (mnp+24)")
    if n < 1:
        end = month_label(start, n - 1)
        raise HorizonError(f"--horizon {raw} ends ({end}) before the scenario's first month "
                           f"({start}); it must cover at least one month")
    if n > months:
        raise HorizonError(
            f"--horizon {raw} ends {month_label(start, n - 1)}, after the scenario's last month "
            f"{month_label(start, months - 1)}; lengthen the run with --set months={n} "
            "or choose a shorter horizon")
    return n


def coverage(start: str, months: int, opening: str | None) -> Coverage:
    """What a run of `months` from `start` covers, with the months MNP is open."""
    last = month_label(start, months - 1)
    if opening is None:
        mnp = 0
    else:
        mnp = min(months, max(0, months - max(0, month_index(opening, start))))
    return Coverage(start, last, months, mnp, opening)
