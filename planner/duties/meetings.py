"""会议记录: the 工作交流会, 推进会 and 领导小组会议 actually held (CONTRACT.md §10).

The plan (五.1) asks for 定期召开工作交流会、推进会. A meeting row is a meeting held, not an
attendance: the report counts meetings per kind, and ``status`` flags a semester with fewer
交流会/推进会 than ``exchange_meetings_per_semester``. A meeting that studied issues (研究问题编号)
and recorded what it decided (议定事项) closes them on its date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.duties.issues import Issue
from planner.duties.rows import as_date, as_text, field_of, located, split_ids
from planner.errors import InputProblem
from planner.schema import MEETING_KINDS

__all__ = [
    "COUNTED_KINDS",
    "Closure",
    "Meeting",
    "SemesterShortfall",
    "closures",
    "meetings_from_rows",
    "meetings_per_kind",
    "short_semesters",
]

#: Kinds that meet ``exchange_meetings_per_semester`` (交流会, 推进会); a 领导小组会议 does not.
COUNTED_KINDS = frozenset({"exchange", "progress"})

_KIND_ZH = {ch.code: ch.zh for ch in MEETING_KINDS}


@dataclass(frozen=True)
class Meeting:
    """One meeting held. ``kind``: exchange (交流会), progress (推进会), group (领导小组会议)."""

    date: date
    kind: str
    title: str = ""
    host: str = ""
    leader_ids: tuple[str, ...] = ()
    decisions: str = ""
    issue_ids: tuple[str, ...] = ()
    file: str = ""
    sheet: str | None = None
    row: int = 0

    @classmethod
    def from_row(cls, row: Any) -> Meeting | None:
        """Build from a reader row (or an object); None without a date or kind."""
        day, kind = as_date(field_of(row, "date")), as_text(field_of(row, "kind"))
        if day is None or not kind:
            return None
        file, sheet, num = located(row)
        return cls(
            date=day,
            kind=kind,
            title=as_text(field_of(row, "title")),
            host=as_text(field_of(row, "host")),
            leader_ids=split_ids(field_of(row, "leader_ids")),
            decisions=as_text(field_of(row, "decisions")),
            issue_ids=split_ids(field_of(row, "issue_ids")),
            file=file,
            sheet=sheet,
            row=num,
        )

    @property
    def kind_zh(self) -> str:
        """交流会 / 推进会 / 领导小组会议."""
        return _KIND_ZH.get(self.kind, self.kind)


def meetings_from_rows(rows: Iterable[Any]) -> list[Meeting]:
    """The meetings of a 会议记录 table, in date order."""
    out = [m for m in (Meeting.from_row(r) for r in rows) if m is not None]
    return sorted(out, key=lambda m: (m.date, m.kind, m.file, m.row))


def meetings_per_kind(meetings: Iterable[Meeting], year: int) -> dict[str, int]:
    """Meetings held in ``year`` per kind, every kind present (0 when none), in table order.

    Returns
    -------
    dict
        ``{"exchange": n, "progress": n, "group": n}``; use :data:`MEETING_KINDS` for labels.
    """
    out = {ch.code: 0 for ch in MEETING_KINDS}
    for m in meetings:
        if m.date.year == year:
            out[m.kind] = out.get(m.kind, 0) + 1
    return out


@dataclass(frozen=True)
class SemesterShortfall:
    """A semester with fewer 交流会/推进会 held than required.

    ``ended`` is False for a semester still under way on the as-of day (a meeting may still
    be held: the lead shows it as due, not missed).
    """

    name: str
    start: date
    end: date
    held: int
    required: int
    ended: bool

    def text(self, lang: str = "zh") -> str:
        """学期 2027-2028-1 已召开交流会/推进会 0 次,应不少于 1 次."""
        if lang == "zh":
            tail = "" if self.ended else "(学期尚未结束)"
            return (
                f"学期 {self.name} 已召开交流会/推进会 {self.held} 次,"
                f"应不少于 {self.required} 次{tail}"
            )
        tail = "" if self.ended else " (semester not over yet)"
        return (
            f"semester {self.name}: {self.held} exchange/progress meeting(s) held, "
            f"at least {self.required} required{tail}"
        )


def short_semesters(
    meetings: Iterable[Meeting],
    semesters: Sequence[tuple[str, date, date]],
    required: int,
    as_of: date | None = None,
) -> list[SemesterShortfall]:
    """Semesters with fewer 交流会/推进会 held than ``required``.

    Parameters
    ----------
    meetings
        The meetings held.
    semesters
        ``(name, start, end)`` per semester.
    required
        ``settings.exchange_meetings_per_semester``.
    as_of
        Only semesters begun by this day, counting meetings held by it. None: every
        semester, every meeting, each counted as ended.

    Returns
    -------
    list of SemesterShortfall
        In the semesters' order.
    """
    meetings = [m for m in meetings if m.kind in COUNTED_KINDS]
    out = []
    for name, start, end in semesters:
        if as_of is not None and start > as_of:
            continue
        last = end if as_of is None else min(end, as_of)
        held = sum(1 for m in meetings if start <= m.date <= last)
        if held < required:
            ended = as_of is None or end < as_of
            out.append(SemesterShortfall(name, start, end, held, required, ended))
    return out


@dataclass(frozen=True)
class Closure:
    """An issue a meeting closes: 已办结 on the meeting's date."""

    issue_id: str
    date: date
    meeting: Meeting


def closures(
    meetings: Iterable[Meeting], issues: Iterable[Issue]
) -> tuple[list[Closure], list[InputProblem]]:
    """The issues meetings close, and the issue ids meetings name that do not exist.

    A meeting closes the issues of its 研究问题编号 when it recorded 议定事项 (studying an
    issue without deciding leaves it open). The earliest such meeting wins. An issue with
    an explicit 办结日期 is never closed again (the row wins); an issue marked 已办结 without a
    date gets the meeting's date.

    Parameters
    ----------
    meetings
        The meetings held.
    issues
        The 问题台账.

    Returns
    -------
    tuple
        (closures in date order — apply them with
        :func:`planner.duties.issues.with_closures`; problems naming unknown issue ids).
    """
    by_id: Mapping[str, Issue] = {i.issue_id: i for i in issues}
    found: dict[str, Closure] = {}
    problems: list[InputProblem] = []
    for m in sorted(meetings, key=lambda m: (m.date, m.file, m.row)):
        for x in m.issue_ids:
            issue = by_id.get(x)
            if issue is None:
                problems.append(
                    InputProblem(
                        file=m.file,
                        sheet=m.sheet,
                        row=m.row or None,
                        column="研究问题编号",
                        value=x,
                        message_zh=f"问题编号 {x} 不在问题台账中",
                        message_en=f"issue id {x} is not in the issues table",
                    )
                )
                continue
            # A meeting before the issue was raised cannot have settled it.
            if not m.decisions or issue.closed is not None or x in found or m.date < issue.date:
                continue
            found[x] = Closure(x, m.date, m)
    return sorted(found.values(), key=lambda c: (c.date, c.issue_id)), problems
