"""A what-if change (假设情形) as read from its file, not yet checked against any roster.

Plain data: :func:`planner.io.change_files.read_change` fills it from a change file (or the
page builds one), :func:`planner.scenarios.apply_change` applies it to a problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from planner.errors import InputProblem

CHANGE_KEYS = (
    "leaders_leave",
    "counselors_leave",
    "leaders_join",
    "counselors_join",
    "leaders_update",
    "counselors_update",
    "rules",
)
"""Top-level keys of a change file (CONTRACT.md §6)."""

DATE_KEY = "date"
"""The optional top-level key giving the date the change takes effect."""

KEY_ZH = {
    "leaders_leave": "离岗领导",
    "counselors_leave": "离岗辅导员",
    "leaders_join": "新到岗领导",
    "counselors_join": "新到岗辅导员",
    "leaders_update": "领导信息变更",
    "counselors_update": "辅导员信息变更",
    "rules": "新增约束",
}


@dataclass(frozen=True)
class Change:
    """A what-if change as read from its file (not yet checked against any roster).

    ``*_join`` and ``*_update`` rows and ``rules`` keep their raw TOML values (keys
    NFKC-normalised); :func:`apply_change` converts and checks them.
    """

    source: str = "change.toml"
    description: str = ""
    description_en: str = ""
    leaders_leave: tuple[str, ...] = ()
    counselors_leave: tuple[str, ...] = ()
    leaders_join: tuple[dict[str, Any], ...] = ()
    counselors_join: tuple[dict[str, Any], ...] = ()
    leaders_update: tuple[dict[str, Any], ...] = ()
    counselors_update: tuple[dict[str, Any], ...] = ()
    rules: tuple[dict[str, Any], ...] = ()
    repair_date: date | None = None
    """The file's ``date``: when the change takes effect (None when not given)."""
    problems: tuple[InputProblem, ...] = ()
    """Problems of the file's structure; :func:`apply_change` raises them (with its own)."""

    @property
    def name(self) -> str:
        """The option's short name: the file name without ``.toml``."""
        return Path(self.source).stem

    def is_empty(self) -> bool:
        return not any(getattr(self, k) for k in CHANGE_KEYS)
