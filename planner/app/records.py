"""The plans records are counted against, and the records themselves as the office collects them.

A record counts against the plan in force on its date (CONTRACT.md §10-11): the report and
the status take every plan of the year, each with its cycle's dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from models import Problem
from planner.io.read import DataSet, read_plan_names, read_plan_pairs
from planner.records import (
    Excluded,
    Ledger,
    Matched,
    PlanInForce,
    cycle_bounds,
    excluded_summary,
    match_ledger,
)

Key = tuple[str, str]

__all__ = [
    "RECORD_LIST",
    "Excluded",
    "Ledger",
    "Matched",
    "PlanInForce",
    "excluded_summary",
    "ledger_of",
    "load_plan",
    "match_records",
    "plan_in_force",
    "record_choices",
    "record_rows",
    "report_years",
]


def load_plan(path: Path, problem: Problem, calendar_start: date | None = None) -> PlanInForce:
    """Read a ``plan.csv``/``plan.xlsx`` (or a folder holding one) as a plan in force.

    The cycle is the file's 周期 column when it holds one value, else the DATA's cycle.

    Raises
    ------
    InputError
        For an unreadable plan file.
    """
    path = Path(path)
    label, rows = read_plan_pairs(path)
    cycle = label or problem.cycle
    start, end, years = cycle_bounds(cycle, problem, calendar_start)
    pairs = tuple(dict.fromkeys((lid, cid) for lid, cid, _ in rows))
    file = path / "plan.csv" if path.is_dir() and (path / "plan.csv").is_file() else path
    return PlanInForce(cycle, pairs, start, end, file.name, read_plan_names(file), years)


def plan_in_force(
    problem: Problem,
    keys: Iterable[Key],
    calendar_start: date | None = None,
    source: str = "网页当前方案",
    names: dict[str, str] | None = None,
) -> PlanInForce:
    """A plan held in memory (the page's, a workspace version) as status and report take it."""
    start, end, years = cycle_bounds(problem.cycle, problem, calendar_start)
    return PlanInForce(
        cycle=problem.cycle,
        pairs=tuple(dict.fromkeys(keys)),
        start=start,
        end=end,
        source=source,
        names=names or {},
        years=years,
    )


def ledger_of(data: DataSet) -> Ledger:
    """The records, growth ledger and news of a DATA."""
    return Ledger.from_tables(data.tables)


def match_records(data: DataSet, problem: Problem, plans: Sequence[PlanInForce]) -> Matched:
    """Every record of ``data`` counted against ``plans`` or excluded with a reason."""
    return match_ledger(ledger_of(data), problem, plans)


def report_years(problem: Problem, calendar_start: date | None = None) -> list[int]:
    """Years the current cycle touches (the 年度汇总表 can be made for each)."""
    start, end, _ = cycle_bounds(problem.cycle, problem, calendar_start)
    return list(range(start.year, end.year + 1))


def record_choices(column: str, lang: str = "zh") -> list[str]:
    """The values the records table (联系记录) accepts in ``column`` (``form``, ``mode``),
    as the office writes them: for the page's record form."""
    from planner.schema import TABLES

    col = next(c for c in TABLES["records"].columns if c.key == column)
    return [c.zh if lang == "zh" else c.code for c in col.choices]


RECORD_LIST = (
    ("date", "日期", "date"),
    ("leader_id", "领导工号", "leader"),
    ("counselor_id", "辅导员工号", "counselor"),
    ("form", "形式", "form"),
    ("mode", "方式", "mode"),
    ("category", "类别", "category"),
    ("summary", "主要内容", "summary"),
)


def record_rows(data: DataSet, leader_id: str | None = None, limit: int = 0) -> list[list[str]]:
    """The records of ``data`` (the last entered first; one leader's when given) in
    :data:`RECORD_LIST` order, as the table shows them."""
    rows = []
    for r in data.tables.get("records", ()):
        if leader_id and str(r.get("leader_id", "")) != leader_id:
            continue
        rows.append([_text(r.get(k)) for k, _, _ in RECORD_LIST])
    rows.reverse()
    return rows[:limit] if limit else rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return _labels().get(str(value), str(value))


def _labels() -> dict[str, str]:
    """Code → Chinese word of the records table's 形式 and 方式."""
    from planner.schema import TABLES

    return {c.code: c.zh for col in TABLES["records"].columns for c in col.choices}
