"""What the workspace hands back: plain frozen values, no database handles.

Rows are ``dict[str, str]`` in their stored column order; JSON payloads come back as the parsed
JSON value (dicts, lists, strings, numbers, booleans, ``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple

Json = Any
"""A JSON-serialisable value (stored with :func:`json.dumps`, returned parsed)."""


class PlanStatus(StrEnum):
    """Where a plan version stands: 草案 → 已采用 → 已审定, never backwards."""

    DRAFT = "draft"
    ADOPTED = "adopted"
    APPROVED = "approved"

    @property
    def zh(self) -> str:
        """The office's word: 草案, 已采用 or 已审定."""
        return {"draft": "草案", "adopted": "已采用", "approved": "已审定"}[self.value]


class PlanOrigin(StrEnum):
    """What produced a plan version."""

    SOLVER = "solver"
    REPAIR = "repair"
    HAND_EDIT = "hand_edit"
    UPLOAD = "upload"
    IMPORT = "import"


@dataclass(frozen=True)
class SourceFile:
    """A file a data version was imported from.

    ``size`` is ``None`` only for sources brought over from schema version 1; ``content`` holds the
    file's bytes when they were kept (and when they were asked for on reading).
    """

    file_name: str
    sha256: str
    size: int | None
    content: bytes | None = None


@dataclass(frozen=True)
class DataVersionInfo:
    """One import of the DATA tables, without its rows."""

    id: int
    created_at: datetime
    created_by: str
    note: str
    sources: tuple[SourceFile, ...]
    table_names: tuple[str, ...]


@dataclass(frozen=True)
class DataVersion:
    """One import of the DATA tables with every row.

    ``tables`` maps each table name (in stored order) to its rows in order; ``columns`` gives each
    table's header, which also survives for a table without rows.
    """

    id: int
    created_at: datetime
    created_by: str
    note: str
    sources: tuple[SourceFile, ...]
    columns: dict[str, list[str]]
    tables: dict[str, list[dict[str, str]]]


@dataclass(frozen=True)
class PlanVersion:
    """One version of a cycle's pairing table with its history and status."""

    id: int
    cycle: str
    pairs: tuple[tuple[str, str], ...]
    origin: PlanOrigin
    parent_id: int | None
    change: Json
    data_version_id: int | None
    created_at: datetime
    created_by: str
    run_record: Json
    status: PlanStatus
    adopted_on: date | None
    adopted_by: str | None
    approved_on: date | None
    approved_by: str | None


@dataclass(frozen=True)
class StaffChange:
    """A leader or counselor leaving, joining or changing, from ``effective_on``."""

    id: int
    kind: str
    person_id: str
    effective_on: date
    payload: Json
    plan_version_id: int | None
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class EditStep:
    """One hand edit of a draft, as the page described it."""

    step_no: int
    payload: Json
    created_at: datetime


@dataclass(frozen=True)
class Schedule:
    """A schedule laid for a plan version: its rows in order, with their header."""

    id: int
    plan_version_id: int
    columns: list[str]
    rows: list[dict[str, str]]
    created_at: datetime
    created_by: str
    run_record: Json


@dataclass(frozen=True)
class RecordRow:
    """One row of a records table, with the id that :meth:`Store.replace_row` and
    :meth:`Store.delete_row` take."""

    id: int
    values: dict[str, str]


class MergeResult(NamedTuple):
    """What :meth:`Store.merge_rows` did: ``added`` are the new rows' ids; ``duplicates`` the
    0-based positions (in the rows given) of the rows skipped because their key was there."""

    added: list[int]
    duplicates: list[int]
