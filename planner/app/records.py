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
    "Excluded",
    "Ledger",
    "Matched",
    "PlanInForce",
    "excluded_summary",
    "ledger_of",
    "load_plan",
    "match_records",
    "plan_in_force",
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
