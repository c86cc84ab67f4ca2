"""Pairs of earlier cycles (历史联系)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

_YEAR = re.compile(r"(\d{4})")


def cycle_first_year(label: str) -> int | None:
    """Return the first four-digit year in a cycle label (``"2024-2027"`` → 2024)."""
    m = _YEAR.search(label)
    return int(m.group(1)) if m else None


def cycle_span_years(label: str, default: int = 3) -> int:
    """Length in years of a cycle label (``"2024-2027"`` → 3; ``default`` when it names one year)."""
    years = [int(y) for y in _YEAR.findall(label)]
    if len(years) >= 2 and 1 <= years[1] - years[0] <= 10:
        return years[1] - years[0]
    return default


class HistoryPair(BaseModel):
    """One leader-counselor pair of an earlier cycle."""

    model_config = ConfigDict(frozen=True)

    cycle: str = Field(min_length=1)
    leader_id: str = Field(min_length=1)
    counselor_id: str = Field(min_length=1)
