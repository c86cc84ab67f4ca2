"""A DATA folder written back out: the canonical text of every table (CONTRACT.md §1-2, §8, §10).

The workspace keeps the college's tables as text rows keyed by the English column keys (extra
columns by their header text); this module makes those rows from a read DATA and writes them
as a folder the reader accepts as it is: one UTF-8-with-BOM CSV per table under its Chinese
name, ``settings.toml``, ``calendar.toml`` and ``历史联系/<cycle>.csv``. The text of a value
is canonical (dates ISO, yes/no as 是/否, choices as their Chinese word, several ids joined by
``;``), so reading the folder and writing it again gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from models import Counselor, Leader, Problem, Rule
from planner.io.read import DataSet
from planner.io.write import write_csv
from planner.schema import (
    COUNSELORS,
    LEADERS,
    OPTIONAL_TABLES,
    RULES,
    TABLES,
    Column,
    Kind,
    Table,
)

Rows = list[dict[str, str]]

#: Tables a data version holds (rosters, rules, settings, calendar); the records tables are
#: kept apart and merged on every import.
ROSTER_TABLES = ("leaders", "counselors", "rules", "settings", "calendar", "calendar_meta")
#: Tables merged row by row (duplicates reported), with the columns that identify a row.
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "unavailable": ("leader_id", "start", "end"),
    "events": ("counselor_id", "date", "category", "title"),
    "records": ("date", "leader_id", "counselor_id", "form", "mode", "summary"),
    "growth": ("counselor_id", "kind", "title", "date"),
    "news": ("date", "title"),
    "issues": ("issue_id",),
    "meetings": ("date", "kind", "title"),
    "development_plans": ("counselor_id", "leader_id", "date"),
    "ratings": ("year", "counselor_id", "leader_id"),
}
HISTORY_FOLDER = "历史联系"


# ----- canonical text ------------------------------------------------------------------------
def value_text(value: object, col: Column | None) -> str:
    """The canonical text of a typed value of column ``col`` (None: any extra column)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ";".join(str(x) for x in value)
    if col is not None and col.kind == Kind.CHOICE:
        return next((ch.zh for ch in col.choices if ch.code == str(value)), str(value))
    return str(value)


def table_rows(table: Table, rows: Iterable[Mapping[str, object]]) -> tuple[list[str], Rows]:
    """(columns, text rows) of typed reader rows: the schema's columns, then extra headers."""
    keys = [c.key for c in table.columns]
    extras: list[str] = []
    out: Rows = []
    for r in rows:
        extra = r.get("_extra")
        row = {c.key: value_text(r.get(c.key), c) for c in table.columns}
        if isinstance(extra, Mapping):
            for h, v in extra.items():
                if h not in extras and h not in keys:
                    extras.append(h)
                row[h] = "" if v is None else str(v)
        out.append(row)
    columns = keys + extras
    return columns, [{k: r.get(k, "") for k in columns} for r in out]


def _people_rows(
    table: Table, people: Sequence[Leader] | Sequence[Counselor]
) -> tuple[list[str], Rows]:
    typed = []
    for x in people:
        d: dict[str, object] = x.model_dump()
        d["_extra"] = dict(x.extra)
        typed.append(d)
    return table_rows(table, typed)


def roster_tables(
    data: DataSet, problem: Problem | None = None
) -> dict[str, tuple[list[str], Rows]]:
    """The rosters, rules, settings and calendar of ``data`` as canonical text tables."""
    p = problem or data.problem
    out: dict[str, tuple[list[str], Rows]] = {
        "leaders": _people_rows(LEADERS, p.leaders),
        "counselors": _people_rows(COUNSELORS, p.counselors),
        "rules": table_rows(RULES, [_rule_row(r) for r in p.rules]),
        "settings": (
            ["key", "value"],
            [
                {"key": k, "value": json.dumps(v, ensure_ascii=False)}
                for k, v in p.settings.model_dump().items()
            ],
        ),
    }
    cal_rows, meta = calendar_rows(data)
    out["calendar"] = (["kind", "name", "start", "end"], cal_rows)
    out["calendar_meta"] = (["key", "value"], meta)
    return out


def _rule_row(r: Rule) -> dict[str, object]:
    return {
        "leader_id": r.leader_id,
        "counselor_id": r.counselor_id,
        "rule": r.kind.value,
        "reason": r.reason,
    }


def record_tables(data: DataSet) -> dict[str, tuple[list[str], Rows]]:
    """The optional tables other than the calendar (records, events, issues, …) as text."""
    out = {}
    for name in OPTIONAL_TABLES:
        if name == "calendar" or name not in data.tables:
            continue
        out[name] = table_rows(TABLES[name], data.tables[name])
    return out


def calendar_rows(data: DataSet) -> tuple[Rows, Rows]:
    """The calendar (``calendar.toml`` and the 校历 table merged) as 校历 rows, plus its meta.

    Meta holds what has no 校历 row (``cycle_years``).
    """
    toml = data.calendar_toml or {}
    rows: Rows = []

    def add(kind: str, name: str, start: object, end: object = None) -> None:
        rows.append(
            {
                "kind": kind,
                "name": name,
                "start": value_text(start, None),
                "end": value_text(end, None),
            }
        )

    if "cycle_start" in toml:
        add("cycle_start", "", toml["cycle_start"])
    for s in _as_list(toml.get("semester")):
        if isinstance(s, Mapping):
            add("semester", str(s.get("name") or ""), s.get("start"), s.get("end"))
    for d in _as_list(toml.get("closed")):
        add("closed", "", d)
    for d in _as_list(toml.get("workdays")):
        add("workday", "", d)
    for r in data.tables.get("calendar", []):
        add(str(r.get("kind") or ""), str(r.get("name") or ""), r.get("start"), r.get("end"))
    meta = (
        [{"key": "cycle_years", "value": str(toml["cycle_years"])}] if "cycle_years" in toml else []
    )
    return rows, meta


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


# ----- writing the folder --------------------------------------------------------------------
def _headers(table: Table, columns: Sequence[str]) -> list[str]:
    by_key = {c.key: c.zh for c in table.columns}
    return [by_key.get(k, k) for k in columns]


def write_table_csv(
    path: Path, table: Table, columns: Sequence[str], rows: Sequence[Mapping[str, str]]
) -> None:
    """One table as its Chinese-headed CSV (UTF-8 with BOM), columns in the given order."""
    write_csv(path, _headers(table, columns), [[r.get(k, "") for k in columns] for r in rows])


def _toml_value(text: str) -> str:
    """A settings value stored as JSON text, written as TOML (numbers, booleans, strings)."""
    value = json.loads(text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def write_settings_toml(path: Path, rows: Sequence[Mapping[str, str]]) -> None:
    """``settings.toml`` from the settings rows (every key, in the model's order)."""
    lines = [f"{r['key']} = {_toml_value(r['value'])}" for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_calendar_toml(
    path: Path, rows: Sequence[Mapping[str, str]], meta: Sequence[Mapping[str, str]]
) -> None:
    """``calendar.toml`` from 校历 rows: cycle start, days off and on, the semesters."""
    lines: list[str] = []
    starts = [r["start"] for r in rows if r["kind"] == "cycle_start" and r["start"]]
    if starts:
        lines.append(f"cycle_start = {starts[0]}")
    for m in meta:
        lines.append(f"{m['key']} = {int(m['value'])}")
    closed: list[str] = []
    workdays: list[str] = []
    for r in rows:
        if r["kind"] not in ("closed", "workday") or not r["start"]:
            continue
        target = closed if r["kind"] == "closed" else workdays
        first = date.fromisoformat(r["start"])
        last = date.fromisoformat(r["end"]) if r.get("end") else first
        d = first
        while d <= last:
            target.append(d.isoformat())
            d = date.fromordinal(d.toordinal() + 1)
    lines.append(f"closed = [{', '.join(closed)}]")
    lines.append(f"workdays = [{', '.join(workdays)}]")
    for r in rows:
        if r["kind"] != "semester":
            continue
        lines += [
            "",
            "[[semester]]",
            f"name = {json.dumps(r['name'], ensure_ascii=False)}",
            f"start = {r['start']}",
            f"end = {r['end']}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_data_folder(
    folder: Path,
    rosters: Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, str]]]],
    records: Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, str]]]],
    history: Mapping[str, Path] | None = None,
) -> list[Path]:
    """Write a DATA folder: rosters, rules, settings, calendar, every records table.

    ``history`` maps an earlier cycle's label to a ``plan.csv`` already written (it is moved
    into ``历史联系/<cycle>.csv``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("leaders", "counselors", "rules"):
        if name in rosters and (name != "rules" or rosters[name][1]):
            cols, rows = rosters[name]
            path = folder / f"{TABLES[name].zh}.csv"
            write_table_csv(path, TABLES[name], cols, rows)
            written.append(path)
    if "settings" in rosters:
        path = folder / "settings.toml"
        write_settings_toml(path, rosters["settings"][1])
        written.append(path)
    cal = rosters.get("calendar")
    meta = rosters.get("calendar_meta", ([], []))[1]
    if cal and (cal[1] or meta):
        path = folder / "calendar.toml"
        write_calendar_toml(path, cal[1], meta)
        written.append(path)
    for name in OPTIONAL_TABLES:
        if name in records and records[name][1]:
            cols, rows = records[name]
            path = folder / f"{TABLES[name].zh}.csv"
            write_table_csv(path, TABLES[name], cols, rows)
            written.append(path)
    if history:
        hist = folder / HISTORY_FOLDER
        hist.mkdir(exist_ok=True)
        for label, src in sorted(history.items()):
            dst = hist / f"{safe_file_part(label)}.csv"
            src.replace(dst)
            written.append(dst)
    return written


def safe_file_part(text: str) -> str:
    """A label as part of a file name (Windows-safe)."""
    bad = '\\/:*?"<>|'
    return "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in text).strip() or "_"
