"""问题台账: the problems counselors raise, tracked to an answer (CONTRACT.md §10).

The plan (五.1) asks that 普遍性、代表性的问题 be studied and answered in time. Here an issue
row becomes an :class:`Issue`; its deadline is counted in working days on the same calendar
as the schedule (the caller passes ``is_workday``, e.g. ``WorkdayProvider.is_working`` with
the college's closed days and 调休 already in it); its timeliness as of a day is one of
:class:`Timeliness`; a category is 普遍性 per year; the 普遍性 issues of a semester form the
agenda of its exchange meeting; records may name the issues they raised.

Rules read here
---------------
- **Deadline** (办结时限): the row's own 办结时限 when given; else the
  ``issue_answer_days``-th working day *after* the 反映日期 (the day itself does not count),
  or the ``issue_study_days``-th when 需集体研究 is 是.
- **Status**: a blank 办理状态 means 已办结 when a 办结日期 is given, else 待办.
- **逾期 as of D**: not 已办结 (as of D) and D after the deadline — *overdue*; or closed after
  the deadline — *late-closed* (超时办结). An issue closed after D counts as open on D. An
  issue marked 已办结 without a 办结日期 counts as closed on time (nothing shows it late);
  :func:`issue_problems` asks for the date.
- **普遍性** in year Y: the category's issues dated in Y were raised by at least
  ``common_issue_counselors`` distinct counselors, or by counselors of at least
  ``common_issue_units`` distinct units (the counselor → unit map is passed in; a counselor
  not in it counts as a counselor but adds no unit). Then every issue of that category and
  year is 普遍性. Categories match ignoring case, width and spaces; issues without a category
  are never pooled.
- **Agenda** of a semester's exchange meeting: the 普遍性 issues dated on or before the
  semester's end (or the meeting day) that were raised in the semester or were still not
  closed when it began (carried over from the holidays or an earlier term).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from models import Settings
from planner.duties.rows import as_date, as_text, field_of, located, split_ids
from planner.errors import InputProblem
from planner.schema import norm_name

__all__ = [
    "CommonCategory",
    "Deadline",
    "Issue",
    "IssueLinks",
    "IssueState",
    "RecordRef",
    "Timeliness",
    "add_working_days",
    "agenda_lines",
    "assess_issues",
    "common_categories",
    "deadline",
    "deadline_detail",
    "exchange_agenda",
    "issue_problems",
    "issues_from_rows",
    "link_records",
    "overdue_by_leader",
    "timeliness",
    "with_closures",
]

# A deadline further than ten years of non-working days away means the calendar passed in
# is broken (every day off), not that the issue has a long deadline.
_MAX_SCAN_DAYS = 3660

_STATUS_ZH = {"pending": "待办", "in_progress": "办理中", "closed": "已办结", "deferred": "暂缓"}


@dataclass(frozen=True)
class Issue:
    """One row of 问题台账.

    ``status`` is a code of :data:`planner.schema.ISSUE_STATUSES` (pending, in_progress,
    closed, deferred); ``deadline`` is the 办结时限 *as written* (None: counted, see
    :func:`deadline`). ``file``/``sheet``/``row`` locate the row for the office.
    """

    issue_id: str
    date: date
    counselor_ids: tuple[str, ...] = ()
    leader_id: str = ""
    category: str = ""
    summary: str = ""
    department: str = ""
    needs_study: bool = False
    deadline: dt.date | None = None
    status: str = "pending"
    closed: dt.date | None = None
    solution: str = ""
    feedback: dt.date | None = None
    satisfaction: str = ""
    file: str = ""
    sheet: str | None = None
    row: int = 0

    @classmethod
    def from_row(cls, row: Any) -> Issue | None:
        """Build from a reader row (or an object with the same names); None without id/date."""
        issue_id = as_text(field_of(row, "issue_id"))
        day = as_date(field_of(row, "date"))
        if not issue_id or day is None:
            return None  # the reader has already reported the blank required cell
        closed = as_date(field_of(row, "closed"))
        status = as_text(field_of(row, "status")) or ("closed" if closed else "pending")
        file, sheet, num = located(row)
        return cls(
            issue_id=issue_id,
            date=day,
            counselor_ids=split_ids(field_of(row, "counselor_ids")),
            leader_id=as_text(field_of(row, "leader_id")),
            category=as_text(field_of(row, "category")),
            summary=as_text(field_of(row, "summary")),
            department=as_text(field_of(row, "department")),
            needs_study=field_of(row, "needs_study") is True,
            deadline=as_date(field_of(row, "deadline")),
            status=status,
            closed=closed,
            solution=as_text(field_of(row, "solution")),
            feedback=as_date(field_of(row, "feedback")),
            satisfaction=as_text(field_of(row, "satisfaction")),
            file=file,
            sheet=sheet,
            row=num,
        )

    @property
    def is_closed(self) -> bool:
        """办理状态 is 已办结."""
        return self.status == "closed"

    def closed_by(self, day: dt.date) -> bool:
        """Closed on or before ``day`` (an undated 已办结 counts as closed any day)."""
        return self.is_closed and (self.closed is None or self.closed <= day)

    @property
    def status_zh(self) -> str:
        """The 办理状态 word (待办, 办理中, 已办结, 暂缓)."""
        return _STATUS_ZH.get(self.status, self.status)


def issues_from_rows(rows: Iterable[Any]) -> list[Issue]:
    """The issues of a 问题台账 table, ordered by 反映日期 then 问题编号 then row."""
    out = [i for i in (Issue.from_row(r) for r in rows) if i is not None]
    return sorted(out, key=lambda i: (i.date, i.issue_id, i.file, i.row))


# ----- deadlines -------------------------------------------------------------------
@dataclass(frozen=True)
class Deadline:
    """An issue's 办结时限 and where it comes from.

    Attributes
    ----------
    date
        The last day to close the issue on time.
    given
        True when the row's own 办结时限 was used.
    working_days
        How many working days were counted (0 when given).
    estimated
        Some day between the 反映日期 and the deadline is on an estimated calendar (a year
        whose official schedule is not published yet): mark it so.
    """

    date: date
    given: bool
    working_days: int = 0
    estimated: bool = False


def add_working_days(start: date, n: int, is_workday: Callable[[date], bool]) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted).

    Parameters
    ----------
    start
        The day counting starts from (the issue's 反映日期).
    n
        How many working days; ``0`` gives ``start``.
    is_workday
        True for a working day: official days, 调休 make-up days and the college's closed
        days already applied (``WorkdayProvider.is_working``).

    Returns
    -------
    datetime.date
        The day.

    Raises
    ------
    ValueError
        If ``n`` is negative, or no ``n`` working days follow within ten years (a
        calendar with every day off).
    """
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    day, found = start, 0
    for _ in range(_MAX_SCAN_DAYS):
        if found == n:
            return day
        day += timedelta(days=1)
        if is_workday(day):
            found += 1
    if found == n:
        return day
    raise ValueError(f"no {n} working days within {_MAX_SCAN_DAYS} days after {start}")


def deadline_detail(
    issue: Issue,
    settings: Settings,
    is_workday: Callable[[date], bool],
    is_estimated: Callable[[date], bool] | None = None,
) -> Deadline:
    """The issue's deadline with its origin (see the module's rules).

    Parameters
    ----------
    issue
        The issue.
    settings
        ``issue_answer_days`` and ``issue_study_days`` are read.
    is_workday
        True for a working day (``WorkdayProvider.is_working``).
    is_estimated
        True for a day whose status is estimated (e.g.
        ``lambda d: provider.source(d) == Source.ESTIMATED``); None: nothing is estimated.

    Returns
    -------
    Deadline
    """
    if issue.deadline is not None:
        return Deadline(issue.deadline, given=True)
    n = settings.issue_study_days if issue.needs_study else settings.issue_answer_days
    due = add_working_days(issue.date, n, is_workday)
    estimated = False
    if is_estimated is not None:
        d = issue.date + timedelta(days=1)
        while d <= due and not estimated:
            estimated = is_estimated(d)
            d += timedelta(days=1)
    return Deadline(due, given=False, working_days=n, estimated=estimated)


def deadline(issue: Issue, settings: Settings, is_workday: Callable[[date], bool]) -> date:
    """The issue's 办结时限: as given, else counted in working days (module rules).

    Parameters
    ----------
    issue
        The issue.
    settings
        ``issue_answer_days`` (default 5) and ``issue_study_days`` (default 15).
    is_workday
        True for a working day (``WorkdayProvider.is_working``).

    Returns
    -------
    datetime.date
    """
    return deadline_detail(issue, settings, is_workday).date


class Timeliness(StrEnum):
    """Where an issue stands against its deadline on a given day."""

    OPEN = "open"  # not closed, deadline not passed
    ON_TIME = "on_time"  # closed on or before the deadline
    OVERDUE = "overdue"  # not closed and the day is after the deadline (逾期未办结)
    LATE_CLOSED = "late_closed"  # closed after the deadline (超时办结)

    @property
    def overdue(self) -> bool:
        """逾期 in the sense of CONTRACT.md §10: overdue or late-closed."""
        return self in (Timeliness.OVERDUE, Timeliness.LATE_CLOSED)

    def label(self, lang: str = "zh") -> str:
        """未到期 / 按时办结 / 逾期未办结 / 超时办结 (or the English words)."""
        zh = {
            "open": "未到期",
            "on_time": "按时办结",
            "overdue": "逾期未办结",
            "late_closed": "超时办结",
        }
        en = {
            "open": "open, not yet due",
            "on_time": "closed on time",
            "overdue": "overdue",
            "late_closed": "closed late",
        }
        return (zh if lang == "zh" else en)[self.value]


def timeliness(issue: Issue, due: date, as_of: date) -> Timeliness:
    """The issue's standing on ``as_of`` against deadline ``due`` (module rules).

    An issue closed after ``as_of`` was still open on ``as_of``.
    """
    if issue.closed_by(as_of):
        if issue.closed is not None and issue.closed > due:
            return Timeliness.LATE_CLOSED
        return Timeliness.ON_TIME
    return Timeliness.OVERDUE if as_of > due else Timeliness.OPEN


# ----- 普遍性 ------------------------------------------------------------------------
@dataclass(frozen=True)
class CommonCategory:
    """A category that is 普遍性 in a year, and why.

    ``counselors`` and ``units`` are the distinct counselors who raised the category's issues
    that year and their units (sorted); ``by_counselors``/``by_units`` say which threshold
    was met (either suffices).
    """

    category: str
    year: int
    counselors: tuple[str, ...]
    units: tuple[str, ...]
    by_counselors: bool
    by_units: bool

    def reason(self, lang: str = "zh") -> str:
        """One sentence: 2027 年“宿舍管理”类问题由 3 名辅导员反映(来自 2 个单位)."""
        if lang == "zh":
            return (
                f"{self.year} 年“{self.category}”类问题由 {len(self.counselors)} 名辅导员反映"
                f"(来自 {len(self.units)} 个单位)"
            )
        return (
            f"in {self.year}, '{self.category}' issues were raised by "
            f"{len(self.counselors)} counselor(s) from {len(self.units)} unit(s)"
        )


def common_categories(
    issues: Iterable[Issue],
    settings: Settings,
    counselor_units: Mapping[str, str],
    year: int | None = None,
) -> dict[tuple[int, str], CommonCategory]:
    """The 普遍性 categories, keyed by (year, normalised category).

    Parameters
    ----------
    issues
        The issues (any years).
    settings
        ``common_issue_counselors`` (default 3) and ``common_issue_units`` (default 2).
    counselor_units
        counselor_id → unit (the counselors roster).
    year
        Only this year; None: every year the issues cover.

    Returns
    -------
    dict
        ``{(year, norm_name(category)): CommonCategory}``, only categories that are 普遍性.
    """
    groups: dict[tuple[int, str], list[Issue]] = {}
    for i in issues:
        key = norm_name(i.category)
        if not key or (year is not None and i.date.year != year):
            continue
        groups.setdefault((i.date.year, key), []).append(i)
    out: dict[tuple[int, str], CommonCategory] = {}
    for (y, key), group in sorted(groups.items()):
        people = sorted({c for i in group for c in i.counselor_ids})
        units = sorted({counselor_units[c] for c in people if counselor_units.get(c)})
        by_c = len(people) >= settings.common_issue_counselors
        by_u = len(units) >= settings.common_issue_units
        if by_c or by_u:
            out[(y, key)] = CommonCategory(
                group[0].category, y, tuple(people), tuple(units), by_c, by_u
            )
    return out


def _common_of(
    issue: Issue, common: Mapping[tuple[int, str], CommonCategory]
) -> CommonCategory | None:
    return common.get((issue.date.year, norm_name(issue.category)))


# ----- one call for status and report ---------------------------------------------------
@dataclass(frozen=True)
class IssueState:
    """An issue with its deadline, standing on the as-of day, and 普遍性."""

    issue: Issue
    deadline: Deadline
    timeliness: Timeliness
    common: CommonCategory | None

    @property
    def overdue(self) -> bool:
        """逾期 (CONTRACT.md §10): overdue or closed late."""
        return self.timeliness.overdue

    @property
    def is_common(self) -> bool:
        """普遍性."""
        return self.common is not None

    @property
    def raisers(self) -> int:
        """反映人数: distinct counselors who raised this issue."""
        return len(self.issue.counselor_ids)


def assess_issues(
    issues: Iterable[Issue],
    settings: Settings,
    is_workday: Callable[[date], bool],
    as_of: date,
    counselor_units: Mapping[str, str],
    is_estimated: Callable[[date], bool] | None = None,
) -> list[IssueState]:
    """Deadline, timeliness on ``as_of`` and 普遍性 of every issue.

    Parameters
    ----------
    issues
        The issues.
    settings
        Deadline and 普遍性 thresholds.
    is_workday
        True for a working day (``WorkdayProvider.is_working``).
    as_of
        The day of the check (31 December of the report year, or ``--as-of``).
    counselor_units
        counselor_id → unit.
    is_estimated
        True for a day on an estimated calendar, so the deadline is marked.

    Returns
    -------
    list of IssueState
        In 反映日期, 问题编号 order, every issue passed (filter by year for the report). 普遍性
        counts the issues raised by ``as_of``, so a category's third counselor in November
        makes its March issues 普遍性 too, as of any day from then on. An issue raised after
        ``as_of`` is :attr:`Timeliness.OPEN`.
    """
    issues = list(issues)
    common = common_categories([i for i in issues if i.date <= as_of], settings, counselor_units)
    out = []
    for i in sorted(issues, key=lambda i: (i.date, i.issue_id, i.file, i.row)):
        d = deadline_detail(i, settings, is_workday, is_estimated)
        out.append(IssueState(i, d, timeliness(i, d.date, as_of), _common_of(i, common)))
    return out


def overdue_by_leader(states: Iterable[IssueState], year: int | None = None) -> dict[str, int]:
    """受理领导工号 → number of 逾期 issues (overdue or closed late), optionally of one year.

    Issues without a 受理领导 are not counted against anyone.
    """
    out: dict[str, int] = {}
    for s in states:
        lid = s.issue.leader_id
        if s.overdue and lid and (year is None or s.issue.date.year == year):
            out[lid] = out.get(lid, 0) + 1
    return dict(sorted(out.items()))


# ----- exchange-meeting agenda -------------------------------------------------------
def exchange_agenda(
    issues: Iterable[Issue],
    settings: Settings,
    counselor_units: Mapping[str, str],
    start: date,
    end: date,
    until: date | None = None,
) -> list[Issue]:
    """The 普遍性 issues for the exchange meeting of the semester [start, end].

    Parameters
    ----------
    issues
        Every issue (普遍性 is decided over each issue's whole year).
    settings
        The 普遍性 thresholds.
    counselor_units
        counselor_id → unit.
    start, end
        The semester's first and last day.
    until
        The meeting's day when known: issues raised after it are left to the next meeting.
        Default ``end``.

    Returns
    -------
    list of Issue
        Raised on or before ``until`` and either raised in the semester or not yet closed on
        ``start``; ordered by category, 反映日期, 问题编号.
    """
    issues = list(issues)
    common = common_categories(issues, settings, counselor_units)
    last = min(end, until) if until is not None else end
    picked = [
        i
        for i in issues
        if _common_of(i, common) is not None
        and i.date <= last
        and (i.date >= start or not i.closed_by(start - timedelta(days=1)))
    ]
    return sorted(picked, key=lambda i: (norm_name(i.category), i.date, i.issue_id))


def agenda_lines(agenda: Sequence[Issue], lang: str = "zh") -> list[str]:
    """One line per agenda issue, for the schedule's note and the ``.ics`` description.

    ``【宿舍管理】Q2027-003 宿舍晚归学生较多(2 人反映,责任部门 学生处)``.
    """
    out = []
    for i in agenda:
        n = len(i.counselor_ids)
        head = f"{i.issue_id} {i.summary}".strip()
        if lang == "zh":
            dept = f",责任部门 {i.department}" if i.department else ""
            out.append(f"【{i.category}】{head}({n} 人反映{dept})")
        else:
            dept = f", department {i.department}" if i.department else ""
            out.append(f"[{i.category}] {head} ({n} raised it{dept})")
    return out


# ----- records that raised issues ------------------------------------------------------
@dataclass(frozen=True)
class RecordRef:
    """A contact record, as far as an issue link needs it."""

    date: date | None
    leader_id: str
    counselor_id: str
    form: str
    file: str = ""
    sheet: str | None = None
    row: int = 0


@dataclass(frozen=True)
class IssueLinks:
    """Which records raised which issues.

    Attributes
    ----------
    by_issue
        Every issue id of the ledger → the records naming it (possibly none), in date order.
    unknown
        One problem per (record, issue id) where the id is not in 问题台账.
    """

    by_issue: dict[str, tuple[RecordRef, ...]]
    unknown: tuple[InputProblem, ...]


def link_records(records: Iterable[Any], issues: Iterable[Issue]) -> IssueLinks:
    """List, per issue, the records whose 问题编号 names it; flag ids that exist nowhere.

    Parameters
    ----------
    records
        Records rows (reader rows with ``issue_ids``, or objects with that attribute).
    issues
        The 问题台账.

    Returns
    -------
    IssueLinks
    """
    by_issue: dict[str, list[RecordRef]] = {i.issue_id: [] for i in issues}
    unknown: list[InputProblem] = []
    for r in records:
        ids = split_ids(field_of(r, "issue_ids"))
        if not ids:
            continue
        file, sheet, num = located(r)
        ref = RecordRef(
            as_date(field_of(r, "date")),
            as_text(field_of(r, "leader_id")),
            as_text(field_of(r, "counselor_id")),
            as_text(field_of(r, "form")),
            file,
            sheet,
            num,
        )
        for x in ids:
            if x in by_issue:
                by_issue[x].append(ref)
            else:
                unknown.append(
                    InputProblem(
                        file=file,
                        sheet=sheet,
                        row=num or None,
                        column="问题编号",
                        value=x,
                        message_zh=f"问题编号 {x} 不在问题台账中",
                        message_en=f"issue id {x} is not in the issues table",
                    )
                )
    return IssueLinks(
        {
            k: tuple(sorted(v, key=lambda r: (r.date or date.max, r.file, r.row)))
            for k, v in by_issue.items()
        },
        tuple(unknown),
    )


# ----- checks ----------------------------------------------------------------------
def _at(i: Issue, column: str, value: str | None, zh: str, en: str) -> InputProblem:
    return InputProblem(
        file=i.file,
        sheet=i.sheet,
        row=i.row or None,
        column=column,
        value=value,
        message_zh=zh,
        message_en=en,
    )


def issue_problems(
    issues: Sequence[Issue],
    known_counselors: Iterable[str] | None = None,
    known_leaders: Iterable[str] | None = None,
) -> list[InputProblem]:
    """Rows of 问题台账 the office should fix; none stops a run.

    Flags: a 问题编号 used twice; a 办结日期 or 办结时限 before the 反映日期; 已办结 without a
    办结日期; a 办结日期 while the status is not 已办结; counselor or leader ids not on the
    rosters (when the rosters are given).
    """
    out: list[InputProblem] = []
    first: dict[str, Issue] = {}
    cids = set(known_counselors) if known_counselors is not None else None
    lids = set(known_leaders) if known_leaders is not None else None
    for i in sorted(issues, key=lambda i: (i.file, i.row)):
        if i.issue_id in first:
            f = first[i.issue_id]
            out.append(
                _at(
                    i,
                    "问题编号",
                    i.issue_id,
                    f"问题编号重复(第 {f.row} 行已用过)",
                    f"duplicate issue id (already used in row {f.row})",
                )
            )
        else:
            first[i.issue_id] = i
        if i.closed is not None and i.closed < i.date:
            out.append(
                _at(
                    i,
                    "办结日期",
                    i.closed.isoformat(),
                    "办结日期早于反映日期",
                    "closed before it was raised",
                )
            )
        if i.deadline is not None and i.deadline < i.date:
            out.append(
                _at(
                    i,
                    "办结时限",
                    i.deadline.isoformat(),
                    "办结时限早于反映日期",
                    "the deadline is before the day it was raised",
                )
            )
        if i.is_closed and i.closed is None:
            out.append(
                _at(
                    i,
                    "办结日期",
                    None,
                    "已办结但未填写办结日期,无法判断是否按时办结",
                    "closed without a closing date; timeliness cannot be judged",
                )
            )
        if i.closed is not None and not i.is_closed:
            out.append(
                _at(
                    i,
                    "办理状态",
                    i.status_zh,
                    f"已填写办结日期,但办理状态是“{i.status_zh}”,请改为“已办结”或删去办结日期",
                    f"a closing date is given but the status is '{i.status}'",
                )
            )
        if cids is not None:
            for c in i.counselor_ids:
                if c not in cids:
                    out.append(
                        _at(
                            i,
                            "反映辅导员工号",
                            c,
                            f"辅导员工号 {c} 不在辅导员名单中",
                            f"counselor id {c} is not on the roster",
                        )
                    )
        if lids is not None and i.leader_id and i.leader_id not in lids:
            out.append(
                _at(
                    i,
                    "受理领导工号",
                    i.leader_id,
                    f"领导工号 {i.leader_id} 不在领导干部名单中",
                    f"leader id {i.leader_id} is not on the roster",
                )
            )
    return out


def with_closures(issues: Iterable[Issue], closed_on: Mapping[str, date]) -> list[Issue]:
    """The issues with ``closed_on[issue_id]`` applied (已办结 on that day).

    An explicit 办结日期 is never replaced; see :func:`planner.duties.meetings.closures`.
    """
    out = []
    for i in issues:
        day = closed_on.get(i.issue_id)
        if day is not None and i.closed is None:
            i = replace(i, status="closed", closed=day)
        out.append(i)
    return out
