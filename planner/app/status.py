"""Use case ``status``: what is done, overdue and due as of a date.

Reads the schedule with the product's one schedule reader
(:func:`planner.io.schedule_files.read_schedule`), counts the records against the plan in
force, and writes ``status-<date>.xlsx`` on request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from models import Problem, ScheduleItem, Source
from planner.app.data import calendar_of, with_problem
from planner.app.records import load_plan, match_records, plan_in_force
from planner.documents.duties_xlsx import add_status_duty_sheets
from planner.documents.status_xlsx import write_status_xlsx
from planner.duties.year import DutiesView, duties_view
from planner.io.read import DataSet
from planner.io.schedule_files import read_schedule
from planner.io.write import built_bytes, staged_output
from planner.records import PlanInForce
from planner.status import (
    DEFAULT_HORIZON,
    EXCLUDED_HEAD,
    FINDING_HEAD,
    LEADER_HEAD,
    PAIR_HEAD,
    DueItem,
    StatusReport,
    TrackedItem,
    compute_status,
    excluded_rows,
    finding_rows,
    heads,
    leader_rows,
    pair_rows,
    rule_label,
    tracked_items,
)

__all__ = [
    "DEFAULT_HORIZON",
    "EXCLUDED_HEAD",
    "FINDING_HEAD",
    "LEADER_HEAD",
    "PAIR_HEAD",
    "DueItem",
    "StatusReport",
    "TrackedItem",
    "default_as_of",
    "duties_of",
    "excluded_rows",
    "finding_rows",
    "heads",
    "leader_rows",
    "pair_rows",
    "read_schedule_items",
    "rule_label",
    "status",
    "status_file_name",
    "status_of_files",
    "status_of_pairs",
    "status_xlsx_bytes",
    "write_status",
]


def read_schedule_items(path: Path) -> list[TrackedItem]:
    """``schedule.csv``/``schedule.xlsx`` (or a folder holding one) as the status check sees it."""
    path = Path(path)
    if path.is_dir():
        for name in ("schedule.csv", "schedule.xlsx"):
            if (path / name).is_file():
                path = path / name
                break
    return tracked_items(read_schedule(path))


def status(
    data: DataSet,
    plan: PlanInForce,
    items: Iterable[ScheduleItem | TrackedItem],
    as_of: date,
    *,
    horizon: int = DEFAULT_HORIZON,
    also: Sequence[PlanInForce] = (),
) -> StatusReport:
    """Check ``plan``'s pairs against the schedule's windows and the records as of ``as_of``,
    and the year-round duties (overdue issues, semesters short of exchange meetings).

    ``also``: other plans in force (earlier versions); records of their pairs are matched
    to them, not listed as outside the plan."""
    matched = match_records(data, data.problem, [plan, *also])
    report = compute_status(
        data.problem, plan, tracked_items(items), matched, as_of, horizon=horizon
    )
    report.duties = duties_of(data, as_of)
    return report


def duties_of(
    data: DataSet,
    as_of: date,
    *,
    year: int | None = None,
    compliance: dict[str, float] | None = None,
    grading: dict[str, object] | None = None,
) -> DutiesView:
    """The 问题台账, meetings and 备案评价 of ``data`` as of ``as_of`` (one calendar for all)."""
    cal = calendar_of(data)
    provider = cal.provider()
    semesters = [(s.name, s.start, s.end) for s in cal.cycle_semesters()]
    return duties_view(
        data.tables,
        data.problem,
        semesters,
        provider.is_working,
        as_of,
        year=year,
        compliance=compliance,
        grading=grading,
        is_estimated=lambda d: provider.source(d) == Source.ESTIMATED,
    )


def status_of_files(
    data: DataSet, plan: Path, schedule: Path, as_of: date, *, horizon: int = DEFAULT_HORIZON
) -> StatusReport:
    """``planner status``: the plan and schedule files of DATA as of ``as_of``."""
    cal = calendar_of(data)
    p = load_plan(plan, data.problem, cal.cycle_start)
    return status(data, p, read_schedule_items(schedule), as_of, horizon=horizon)


def status_of_pairs(
    data: DataSet,
    problem: Problem,
    keys: Iterable[tuple[str, str]],
    items: Iterable[ScheduleItem | TrackedItem],
    as_of: date,
    *,
    calendar_start: date | None = None,
    horizon: int = DEFAULT_HORIZON,
    in_force: Sequence[PlanInForce] = (),
) -> StatusReport:
    """The status of a plan held in memory (the page's) for the rosters ``problem``.

    ``problem`` may differ from the DATA's own (the rosters after an adopted staff change);
    the records of ``data`` are counted against the plan's pairs. ``in_force``: the
    workspace's adopted versions with the days each was in force; a record of a pair of one
    of them, dated while it was in force, is matched, not listed as outside the plan.
    """
    plan = plan_in_force(problem, keys, calendar_start)
    return status(with_problem(data, problem), plan, items, as_of, horizon=horizon, also=in_force)


def status_file_name(as_of: date) -> str:
    """``status-<date>.xlsx``."""
    return f"status-{as_of.isoformat()}.xlsx"


def write_status(out: Path, report: StatusReport, data: DataSet, lang: str = "zh") -> Path:
    """Write ``status-<date>.xlsx`` into ``out``."""
    name = status_file_name(report.as_of)
    with staged_output(out, f"status-{report.as_of.isoformat()}") as stage:
        write_status_xlsx(stage / name, report, data.problem, lang)
        if report.duties is not None:
            add_status_duty_sheets(stage / name, report.duties, data.problem, lang)
    return out / name


def status_xlsx_bytes(report: StatusReport, data: DataSet, lang: str = "zh") -> bytes:
    """``status-<date>.xlsx`` for a download."""

    def write(p: Path) -> None:
        write_status_xlsx(p, report, data.problem, lang)
        if report.duties is not None:
            add_status_duty_sheets(p, report.duties, data.problem, lang)

    return built_bytes(write, status_file_name(report.as_of))


def default_as_of(cycle_start: date, cycle_end: date, today: date | None = None) -> date:
    """Today, kept inside the cycle (a cycle not yet started is checked at its start)."""
    today = today or date.today()
    return min(max(today, cycle_start), cycle_end)
