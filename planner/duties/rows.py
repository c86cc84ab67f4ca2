"""Reading plain rows: the typed dicts of :attr:`planner.io.read.DataSet.tables`, or objects.

The duties computations take rows as the reader hands them (English keys, typed cells,
``_row``/``_file``/``_sheet`` locating the row) and also objects with the same attribute
names (``planner.records.Record``), so the lead can pass either without converting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

__all__ = ["as_date", "as_text", "field_of", "located", "split_ids"]

# The reader splits Kind.IDS cells on these; a hand-made row may still hold one string.
_ID_SEPARATORS = re.compile("[;,、\uff1b\uff0c\\s]+")


def field_of(row: Any, key: str, default: Any = None) -> Any:
    """``row[key]`` for a mapping, ``row.key`` for an object, else ``default``."""
    if isinstance(row, Mapping):
        return row.get(key, default)
    return getattr(row, key, default)


def as_text(value: object) -> str:
    """A cell as text: ``None`` → ``''``, anything else ``str``-ed and trimmed."""
    return "" if value is None else str(value).strip()


def as_date(value: object) -> date | None:
    """A date cell (``datetime`` is cut to its date); anything else → None."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def split_ids(value: object) -> tuple[str, ...]:
    """Ids of a several-ids cell: a tuple as read, or text separated by ``;`` ``、`` ``,``.

    Order kept, repeats dropped (``I1;I1`` names one issue).
    """
    if value is None:
        return ()
    parts = (
        [as_text(v) for v in value]
        if isinstance(value, tuple | list)
        else _ID_SEPARATORS.split(as_text(value))
    )
    return tuple(dict.fromkeys(p for p in parts if p))


def located(row: Any) -> tuple[str, str | None, int]:
    """(file, sheet, spreadsheet row) of a row, for messages; ``('', None, 0)`` if unknown.

    Reader rows carry ``_file``/``_sheet``/``_row``; objects ``file``/``sheet``/``row``.
    """
    file = field_of(row, "_file", None)
    if file is None:
        file = field_of(row, "file", "")
    sheet = field_of(row, "_sheet", None)
    if sheet is None:
        sheet = field_of(row, "sheet", None)
    num = field_of(row, "_row", None)
    if num is None:
        num = field_of(row, "row", 0)
    return (
        as_text(file),
        sheet if isinstance(sheet, str) else None,
        num if isinstance(num, int) else 0,
    )
