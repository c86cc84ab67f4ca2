"""The year-round duties of one college as of a day: the one view status and report use.

Everything here is computed from the DATA's tables (问题台账, 会议记录, 评价, 联系记录) with the
college's working days (the same calendar the schedule uses): each issue's deadline and
standing, the 普遍性 categories, the issues meetings closed, the semesters short of exchange
meetings, the meetings held per kind, and — given each leader's compliance ratio — the
备案评价 grades.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models import Problem
from planner.duties.issues import (
    Issue,
    IssueState,
    agenda_lines,
    assess_issues,
    exchange_agenda,
    issues_from_rows,
    link_records,
    overdue_by_leader,
    with_closures,
)
from planner.duties.meetings import (
    Meeting,
    SemesterShortfall,
    closures,
    meetings_from_rows,
    meetings_per_kind,
    short_semesters,
)
from planner.duties.ratings import (
    Grading,
    GradingRule,
    Tally,
    grade_leaders,
    grading_config,
    ratings_from_rows,
    tally_ratings,
)
from planner.errors import InputProblem

__all__ = ["DutiesView", "duties_view", "exchange_agendas"]


@dataclass
class DutiesView:
    """The duties as of ``as_of`` (and for ``year`` when a year is given)."""

    as_of: date
    year: int | None
    issues: list[IssueState] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    shortfalls: list[SemesterShortfall] = field(default_factory=list)
    per_kind: dict[str, int] = field(default_factory=dict)
    tallies: dict[str, Tally] = field(default_factory=dict)
    gradings: list[Grading] = field(default_factory=list)
    rule: GradingRule | None = None
    problems: list[InputProblem] = field(default_factory=list)
    linked: dict[str, int] = field(default_factory=dict)

    @property
    def overdue(self) -> list[IssueState]:
        """Issues overdue or closed late (逾期), as of the day."""
        return [s for s in self.issues if s.overdue]

    @property
    def common(self) -> list[IssueState]:
        """普遍性 issues."""
        return [s for s in self.issues if s.is_common]

    def year_issues(self) -> list[IssueState]:
        """The issues raised in the view's year (all when no year)."""
        if self.year is None:
            return list(self.issues)
        return [s for s in self.issues if s.issue.date.year == self.year]

    def grading_of(self, leader_id: str) -> Grading | None:
        return next((g for g in self.gradings if g.leader_id == leader_id), None)


def duties_view(
    tables: Mapping[str, Sequence[Any]],
    problem: Problem,
    semesters: Sequence[tuple[str, date, date]],
    is_workday: Callable[[date], bool],
    as_of: date,
    *,
    year: int | None = None,
    compliance: Mapping[str, float] | None = None,
    grading: Mapping[str, Any] | None = None,
    is_estimated: Callable[[date], bool] | None = None,
) -> DutiesView:
    """Compute the duties of the DATA's tables as of ``as_of``.

    Parameters
    ----------
    tables
        ``DataSet.tables`` (issues, meetings, ratings, records, …; missing tables are empty).
    problem
        Rosters (counselors' units for 普遍性) and settings (deadlines, thresholds).
    semesters
        ``(name, start, end)`` of the cycle's semesters (exchange meetings per semester).
    is_workday
        The college's working days (official calendar, 调休, closed days, estimates).
    as_of
        The day the issues and semesters stand on.
    year
        The report year: meetings per kind, ratings and grades of that year.
    compliance
        Per leader the year's compliance ratio 0..1 (met ÷ due); with it, the grades.
    grading
        ``report.toml``'s ``[grading]`` table (weights, thresholds, overrides).

    Raises
    ------
    InputError
        For a bad ``[grading]`` table.
    """
    s = problem.settings
    units = {c.counselor_id: c.unit for c in problem.counselors}
    meetings = meetings_from_rows(tables.get("meetings", ()))
    issues: list[Issue] = issues_from_rows(tables.get("issues", ()))
    closed, problems = closures(meetings, issues)
    issues = with_closures(issues, {c.issue_id: c.date for c in closed})
    states = assess_issues(issues, s, is_workday, as_of, units, is_estimated)
    links = link_records(tables.get("records", ()), issues)
    view = DutiesView(as_of, year, states, meetings, problems=list(problems))
    view.linked = {k: len(v) for k, v in links.by_issue.items()}
    view.problems += list(links.unknown)
    view.shortfalls = short_semesters(
        meetings, semesters, s.exchange_meetings_per_semester, as_of=as_of
    )
    if year is not None:
        view.per_kind = meetings_per_kind(meetings, year)
        ratings = ratings_from_rows(tables.get("ratings", ()))
        tallies, rproblems = tally_ratings(ratings, year, [ld.leader_id for ld in problem.leaders])
        view.tallies = tallies
        view.problems += rproblems
        if compliance is not None:
            rule, overrides = grading_config(grading)
            view.rule = rule
            overdue = overdue_by_leader(states, year)
            view.gradings = grade_leaders(
                list(compliance), year, compliance, tallies, overdue, rule, overrides
            )
    return view


def exchange_agendas(
    tables: Mapping[str, Sequence[Any]],
    problem: Problem,
    windows: Sequence[tuple[str, date, date, date | None]],
    lang: str = "zh",
) -> dict[str, list[str]]:
    """Per exchange meeting (item id → lines): the 普遍性 issues of its semester as its agenda.

    ``windows`` holds ``(item_id, semester start, semester end, meeting day or None)``.
    """
    issues = issues_from_rows(tables.get("issues", ()))
    if not issues:
        return {}
    # An issue a meeting closed is off the agenda of the semesters after it.
    closed, _ = closures(meetings_from_rows(tables.get("meetings", ())), issues)
    issues = with_closures(issues, {c.issue_id: c.date for c in closed})
    units = {c.counselor_id: c.unit for c in problem.counselors}
    out = {}
    for item_id, start, end, day in windows:
        agenda = exchange_agenda(issues, problem.settings, units, start, end, until=day)
        if agenda:
            out[item_id] = agenda_lines(agenda, lang)
    return out
