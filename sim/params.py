"""Helpers that give every scenario parameter a unit, a source and a description.

The generated reference page (`docs/scenario-reference.md`) reads these back, so
the schema is the single place where a default and its provenance are written.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

#: Seed articles under ../shared/seeds/ cited by short name.
SEED = {
    "000": "seed 000 (complaint handling, billing traps)",
    "001": "seed 001 (segment plans, service and network)",
    "002": "seed 002 (satisfaction, false loyalty 虚假忠诚)",
    "003": "seed 003 (star rating rule, 2010 poaching)",
    "004": "seed 004 (churn drivers, retention)",
}
DATA = "shared/data/china_mnp_observed.csv"

#: China's three incumbents, the carriers the default segments' splits name.
CHINA_CARRIERS: tuple[str, ...] = ("mobile", "unicom", "telecom")
#: Display names of carriers the project ships scenarios for; a scenario's `label`
#: overrides them, and any other key is shown as written.
KNOWN_CARRIER_NAMES: dict[str, str] = {
    "mobile": "China Mobile",
    "unicom": "China Unicom",
    "telecom": "China Telecom",
    "broadnet": "China Broadnet",
}
#: The same carriers' names in Chinese (reports and plots with --lang zh).
KNOWN_CARRIER_NAMES_ZH: dict[str, str] = {
    "mobile": "中国移动",
    "unicom": "中国联通",
    "telecom": "中国电信",
    "broadnet": "中国广电",
}
#: How many carriers a market may have (the compiled passes hold carrier codes in int8).
MIN_CARRIERS, MAX_CARRIERS = 2, 16
CARRIER_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
ASSUMPTION = "assumption"


def param(
    default: Any,
    *,
    unit: str,
    source: str,
    description: str,
    **constraints: Any,
) -> Any:
    """A pydantic Field carrying `unit` and `source` for the reference page."""
    return Field(
        default,
        description=description,
        json_schema_extra={"unit": unit, "source": source},
        **constraints,
    )


class Strict(BaseModel):
    """Base for every scenario block: unknown keys are errors, typos never pass.

    Every number is finite (.inf and .nan are errors).
    """

    model_config = ConfigDict(extra="forbid", frozen=False, validate_default=True,
                              allow_inf_nan=False)


_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


#: Months a scenario may name: a run of up to 600 months from the last still fits the
#: calendar that pandas and matplotlib draw (to 2262).
FIRST_YEAR, LAST_YEAR = 1900, 2199


def check_month(value: str) -> str:
    """Return `value` if it is a month YYYY-MM from 1900 to 2199; else ValueError."""
    m = _MONTH_RE.match(value)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError("must be a month written YYYY-MM (e.g. 2019-11), or in a strategy "
                         "action mnp, mnp+N, mnp-N or start+N")
    if not FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
        raise ValueError(f"year {m.group(1)} is out of range; use a month from "
                         f"{FIRST_YEAR}-01 to {LAST_YEAR}-12")
    return value


def coerce_month(value: Any) -> Any:
    """A date (YAML reads 2019-11-27 as one) as its month YYYY-MM; anything else unchanged."""
    # YAML reads 2019-11 as a string, but a date like 2019-11-27 as datetime.date.
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year:04d}-{value.month:02d}"
    return value


Month = Annotated[str, BeforeValidator(coerce_month), AfterValidator(check_month)]


def month_index(month: str, start: str) -> int:
    """Months from `start` to `month` (0 for the start month itself)."""
    y, m = (int(x) for x in month.split("-"))
    y0, m0 = (int(x) for x in start.split("-"))
    return (y - y0) * 12 + (m - m0)


def month_label(start: str, offset: int) -> str:
    """The YYYY-MM label `offset` months after `start`."""
    y0, m0 = (int(x) for x in start.split("-"))
    total = y0 * 12 + (m0 - 1) + offset
    return f"{total // 12:04d}-{total % 12 + 1:02d}"
