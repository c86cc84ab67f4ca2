"""The academic calendar of one cycle (校历): cycle dates, days off/on, semesters.

Built from ``calendar.toml`` and/or the 校历 table (CONTRACT.md §8) by
:meth:`CalendarConfig.from_sources`, which collects every problem before raising one
:class:`~planner.errors.InputError` naming file, row, column and value.

Semesters after the last listed one are an estimate: the listed semesters repeated, shifted
by whole years (the most recent first), each marked ``estimated`` so the items placed in them
are marked too. With no semester listed at all, the usual Chinese terms (spring 3-01–7-10,
autumn 9-01–1-15) are assumed, also marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from models import Problem, Source, cycle_span_years
from planner.errors import InputError, InputProblem, Note
from planner.workdays.official import CalendarForm, WorkdayProvider

DEFAULT_CYCLE_YEARS = 3
CALENDAR_TOML = "calendar.toml"

_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def add_years(d: date, years: int) -> date:
    """``d`` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months, the day clamped to the target month's length."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


@dataclass(frozen=True)
class Semester:
    """One semester (学期): its name and teaching dates, both inclusive.

    ``estimated`` is true for a semester repeated from the listed ones (not in the input).
    """

    name: str
    start: date
    end: date
    estimated: bool = False

    def contains(self, d: date) -> bool:
        """Whether ``d`` lies within the semester's dates."""
        return self.start <= d <= self.end


@dataclass(frozen=True)
class CalendarConfig:
    """Cycle dates and the academic calendar the scheduler works with.

    Attributes
    ----------
    cycle_start
        First day of the cycle.
    cycle_years
        Length of the cycle in years (default 3).
    closed
        Extra days off (放假); they always win.
    workdays
        Extra working days (调休上班).
    semesters
        Semesters as listed in the input, sorted by start.
    notes
        Remarks made while reading (e.g. semesters assumed), zh + en.
    form
        Where the office keeps this calendar (calendar.toml, a 校历 sheet, none yet), so each
        hint names what the clerk edits.
    """

    cycle_start: date
    cycle_years: int = DEFAULT_CYCLE_YEARS
    closed: tuple[date, ...] = ()
    workdays: tuple[date, ...] = ()
    semesters: tuple[Semester, ...] = ()
    notes: tuple[Note, ...] = field(default=(), compare=False)
    form: CalendarForm = field(default=CalendarForm("toml"), compare=False)

    # ----- derived ------------------------------------------------------------------
    @property
    def cycle_end(self) -> date:
        """Last day of the cycle: ``cycle_start + cycle_years years - 1 day``."""
        return add_years(self.cycle_start, self.cycle_years) - timedelta(days=1)

    def provider(self, *, strict: bool = False) -> WorkdayProvider:
        """The working-day provider with this calendar's overrides."""
        return WorkdayProvider(self.closed, self.workdays, strict=strict, form=self.form)

    def cycle_semesters(self) -> tuple[Semester, ...]:
        """Semesters overlapping the cycle, listed and estimated, sorted by start.

        Listed semesters are kept as they are. After the last listed one, the listed
        semesters are repeated shifted by 1, 2, … years (the smallest shift first) and a
        repeat is kept when it starts after the last listed end and overlaps no semester
        kept so far. With nothing listed, the usual terms are assumed.
        """
        end = self.cycle_end
        listed = sorted(self.semesters, key=lambda s: s.start)
        if not listed:
            kept = _default_semesters(self.cycle_start, end)
        else:
            kept = list(listed)
            last_end = listed[-1].end
            names = {s.name for s in listed}
            for k in range(1, self.cycle_years + 2):
                for s in listed:
                    start = add_years(s.start, k)
                    if start <= last_end or start > end:
                        continue
                    shifted = Semester(
                        _shift_name(s.name, k, start, names), start, add_years(s.end, k), True
                    )
                    if any(_overlap(shifted, o) for o in kept):
                        continue
                    names.add(shifted.name)
                    kept.append(shifted)
        overlapping = [s for s in kept if s.start <= end and s.end >= self.cycle_start]
        return tuple(sorted(overlapping, key=lambda s: s.start))

    def estimated_semesters(self) -> tuple[Semester, ...]:
        """The estimated semesters of :meth:`cycle_semesters`."""
        return tuple(s for s in self.cycle_semesters() if s.estimated)

    def semester_notes(self) -> list[Note]:
        """A warning naming every estimated semester, if any."""
        est = self.estimated_semesters()
        if not est:
            return []
        zh = "、".join(f"{s.name}({s.start}—{s.end})" for s in est)
        en = ", ".join(f"{s.name} ({s.start} to {s.end})" for s in est)
        fix_zh, fix_en = self.form.semesters_fix()
        return [
            Note(
                f"校历未列出以下学期,按已列学期的日期顺延整年估算(标为“估算”):{zh}。" + fix_zh,
                f"The calendar does not list these semesters; they repeat the listed ones "
                f"shifted by whole years (marked 'estimated'): {en}. " + fix_en,
            )
        ]

    # ----- reading ------------------------------------------------------------------
    @classmethod
    def from_sources(
        cls,
        calendar_toml: Mapping[str, Any] | None,
        calendar_rows: Iterable[Mapping[str, Any]] = (),
        fallback_cycle_start: date | None = None,
        *,
        toml_file: str = CALENDAR_TOML,
        workbook: str | None = None,
    ) -> CalendarConfig:
        """Build the calendar from ``calendar.toml`` and the 校历 table.

        Both sources may be given; their days off, working days and semesters are merged.
        The cycle start is the calendar's own ``cycle_start`` (toml first, then a
        ``cycle_start`` row), else ``fallback_cycle_start``. A bare year (``cycle_start =
        2027``) means the first listed semester starting that year, else 1 September.

        Parameters
        ----------
        calendar_toml
            ``calendar.toml`` as parsed by :mod:`tomllib`, or None.
        calendar_rows
            Rows of the 校历 table keyed by ``kind`` (semester/closed/workday/cycle_start),
            ``name``, ``start``, ``end``, each with ``_row`` and ``_file`` (and ``_sheet``).
        fallback_cycle_start
            The cycle start to use when the calendar has none (e.g. the problem's).
        toml_file
            File name used in error messages for the toml.
        workbook
            DATA's name when it is one workbook (a hint then says "add a 校历 sheet").

        Returns
        -------
        CalendarConfig

        Raises
        ------
        InputError
            Every problem found: no cycle start, a bad date, an end before its start,
            overlapping or duplicate semesters, a bad ``cycle_years``.
        """
        rows = list(calendar_rows)
        if calendar_toml is not None:
            form = CalendarForm("toml", toml_file)
        elif rows:
            sheet = rows[0].get("_sheet")
            form = CalendarForm(
                "table", str(rows[0].get("_file") or "校历"), str(sheet) if sheet else None
            )
        else:
            form = CalendarForm("none", workbook=workbook)
        return _Builder(toml_file, form).build(calendar_toml, rows, fallback_cycle_start)


def school_calendar(
    calendar_toml: Mapping[str, Any] | None,
    calendar_rows: Iterable[Mapping[str, Any]],
    problem: Problem,
    *,
    workbook: str | None = None,
) -> CalendarConfig:
    """The one academic calendar of a DATA, for ``problem``'s cycle.

    The cycle starts on the calendar's ``cycle_start`` (or the problem's), else on 1 September
    of the cycle label's first year -- said in a note, since status and deadlines count from
    it. With no semester listed the usual terms are assumed (a note says so too). Used by the
    scheduler, the schedule validator, status, report and the web page alike.

    Raises
    ------
    InputError
        For a bad calendar (see :meth:`CalendarConfig.from_sources`).
    """
    rows = list(calendar_rows)
    toml = dict(calendar_toml or {})
    own = "cycle_start" in toml or any(r.get("kind") == "cycle_start" for r in rows)
    start = problem.cycle_start
    cfg = CalendarConfig.from_sources(
        toml if calendar_toml is not None else None,
        rows,
        start or problem.stage_date,
        workbook=workbook,
    )
    notes: list[Note] = []
    if start is None and not own:
        start = problem.stage_date
        fix_zh, fix_en = cfg.form.cycle_start_fix()
        notes.append(
            Note(
                f"校历和设置中没有联系周期开始日期,按 {start.isoformat()} 计算(周期 {problem.cycle});"
                + fix_zh,
                f"no cycle start in the calendar; counting from {start.isoformat()} (cycle "
                f"{problem.cycle}). " + fix_en,
            )
        )
    if "cycle_years" not in toml:
        cfg = replace(cfg, cycle_years=cycle_span_years(problem.cycle, cfg.cycle_years))
    return replace(cfg, notes=tuple(notes) + cfg.notes)


def _overlap(a: Semester, b: Semester) -> bool:
    return a.start <= b.end and b.start <= a.end


def _shift_name(name: str, k: int, start: date, taken: set[str]) -> str:
    if _YEAR_IN_NAME.search(name):
        new = _YEAR_IN_NAME.sub(lambda m: str(int(m.group(1)) + k), name)
    else:
        new = f"{name}-{start.year}"
    base, n = new, 2
    while new in taken:
        new, n = f"{base}-{n}", n + 1
    return new


def _default_semesters(start: date, end: date) -> list[Semester]:
    """Usual Chinese terms covering [start, end]: spring 3-01–7-10, autumn 9-01–1-15."""
    out = []
    for y in range(start.year - 1, end.year + 1):
        spring = Semester(f"{y - 1}-{y}-2", date(y, 3, 1), date(y, 7, 10), True)
        autumn = Semester(f"{y}-{y + 1}-1", date(y, 9, 1), date(y + 1, 1, 15), True)
        out += [s for s in (spring, autumn) if s.start <= end and s.end >= start]
    return out


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        from planner.values import parse_date

        return parse_date(value)
    return None


class _Builder:
    """Collects problems while reading both calendar sources."""

    def __init__(self, toml_file: str, form: CalendarForm | None = None) -> None:
        self.toml_file = toml_file
        self.form = form or CalendarForm("toml", toml_file)
        self.problems: list[InputProblem] = []
        self.notes: list[Note] = []

    def problem(self, zh: str, en: str, *, file: str | None = None, **where: Any) -> None:
        self.problems.append(InputProblem(file or self.toml_file, zh, en, **where))

    # -- toml ----------------------------------------------------------------------------
    def toml_dates(self, cal: Mapping[str, Any], key: str) -> list[date]:
        raw = cal.get(key, [])
        if not isinstance(raw, list):
            raw = [raw]
        out = []
        for v in raw:
            d = _as_date(v)
            if d is None:
                self.problem(
                    f"{key} 中有无法识别的日期,请写成 2027-04-30",
                    f"{key} holds a value that is not a date; write 2027-04-30",
                    column=key,
                    value=str(v),
                )
            else:
                out.append(d)
        return out

    def toml_semesters(self, cal: Mapping[str, Any]) -> list[tuple[Semester, dict[str, Any]]]:
        raw = cal.get("semester", [])
        if isinstance(raw, Mapping):
            raw = [raw]
        if not isinstance(raw, list):
            self.problem(
                "semester 应写成 [[semester]] 表",
                "semester must be written as [[semester]] tables",
                column="semester",
            )
            return []
        out = []
        for i, sem in enumerate(raw, start=1):
            col = f"semester[{i}]"
            if not isinstance(sem, Mapping):
                self.problem("学期格式不对", "a semester is not a table", column=col)
                continue
            start, end = _as_date(sem.get("start")), _as_date(sem.get("end"))
            for key, d in (("start", start), ("end", end)):
                if d is None:
                    self.problem(
                        f"第{i}个学期的 {key} 缺失或不是日期",
                        f"semester {i}: {key} is missing or not a date",
                        column=f"{col}.{key}",
                        value=None if sem.get(key) is None else str(sem.get(key)),
                    )
            if start is None or end is None:
                continue
            name = str(sem.get("name") or f"{start}~{end}").strip()
            if end < start:
                self.problem(
                    f"学期“{name}”的结束日期早于开始日期",
                    f"semester '{name}' ends before it starts",
                    column=f"{col}.end",
                    value=str(end),
                )
                continue
            out.append((Semester(name, start, end), {"column": col}))
        return out

    # -- table ---------------------------------------------------------------------------
    def row_where(self, row: Mapping[str, Any], column: str, value: object) -> dict[str, Any]:
        return {
            "file": str(row.get("_file", "校历")),
            "sheet": row.get("_sheet"),
            "row": row.get("_row"),
            "column": column,
            "value": None if value is None else str(value),
        }

    def table(
        self, rows: list[Mapping[str, Any]]
    ) -> tuple[list[date], list[date], list[tuple[Semester, dict[str, Any]]], list[date]]:
        closed: list[date] = []
        workdays: list[date] = []
        semesters: list[tuple[Semester, dict[str, Any]]] = []
        starts: list[date] = []
        for row in rows:
            kind = row.get("kind")
            start, end = _as_date(row.get("start")), _as_date(row.get("end"))
            if start is None:
                self.problem(
                    "缺少开始日期",
                    "the start date is missing",
                    **self.row_where(row, "start", None),
                )
                continue
            if end is not None and end < start:
                self.problem(
                    "“结束日期”早于“开始日期”",
                    "the end date is before the start date",
                    **self.row_where(row, "end", end),
                )
                continue
            if kind == "cycle_start":
                starts.append(start)
            elif kind in ("closed", "workday"):
                last = end or start
                days = [start + timedelta(days=i) for i in range((last - start).days + 1)]
                (closed if kind == "closed" else workdays).extend(days)
            elif kind == "semester":
                if end is None:
                    self.problem(
                        "学期需要结束日期",
                        "a semester needs an end date",
                        **self.row_where(row, "end", None),
                    )
                    continue
                name = str(row.get("name") or f"{start}~{end}").strip()
                where = self.row_where(row, "name", name)
                semesters.append((Semester(name, start, end), where))
            else:
                self.problem(
                    "未知的类型(应为 学期/放假/调休上班/周期开始)",
                    "unknown kind (semester/closed/workday/cycle_start)",
                    **self.row_where(row, "kind", kind),
                )
        return closed, workdays, semesters, starts

    # -- all -----------------------------------------------------------------------------
    def check_semesters(self, sems: list[tuple[Semester, dict[str, Any]]]) -> None:
        seen: dict[str, Semester] = {}
        ordered = sorted(sems, key=lambda x: (x[0].start, x[0].end, x[0].name))
        for n, (s, where) in enumerate(ordered):
            nxt = ordered[n + 1] if n + 1 < len(ordered) else None
            if s.name in seen:
                self.problem(
                    f"学期名称“{s.name}”重复;学期名称用于事项编号,须唯一",
                    f"semester name '{s.name}' is used twice; names key the item ids",
                    **where,
                )
            seen[s.name] = s
            if nxt is not None and _overlap(s, nxt[0]):
                self.problem(
                    f"学期“{s.name}”({s.start}—{s.end})与“{nxt[0].name}”({nxt[0].start}—"
                    f"{nxt[0].end})日期重叠",
                    f"semester '{s.name}' ({s.start} to {s.end}) overlaps '{nxt[0].name}' "
                    f"({nxt[0].start} to {nxt[0].end})",
                    **nxt[1],
                )

    def cycle_years(self, cal: Mapping[str, Any]) -> int:
        y = cal.get("cycle_years", DEFAULT_CYCLE_YEARS)
        if isinstance(y, bool) or not isinstance(y, int) or not 1 <= y <= 10:
            self.problem(
                "cycle_years 应为 1 到 10 之间的整数(默认 3)",
                "cycle_years must be a whole number from 1 to 10 (default 3)",
                column="cycle_years",
                value=str(y),
            )
            return DEFAULT_CYCLE_YEARS
        return y

    def cycle_start(
        self,
        cal: Mapping[str, Any],
        row_starts: list[date],
        fallback: date | None,
        semesters: list[Semester],
    ) -> date | None:
        raw = cal.get("cycle_start")
        year: int | None = None
        start: date | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            year = raw
        elif raw is not None:
            start = _as_date(raw)
            if start is None and isinstance(raw, str) and raw.strip().isdigit():
                year = int(raw.strip())
            elif start is None:
                self.problem(
                    "无法识别的周期开始日期,请写成 cycle_start = 2027-03-01",
                    "cannot read cycle_start; write cycle_start = 2027-03-01",
                    column="cycle_start",
                    value=str(raw),
                )
                return None
        if start is None and year is None and row_starts:
            if len(set(row_starts)) > 1:
                self.problem(
                    "校历中有多个不同的“周期开始”日期,请只保留一个",
                    "the calendar has several different cycle_start dates; keep one",
                    file="校历",
                )
            start = min(row_starts)
        if start is None and year is not None:
            firsts = sorted(s.start for s in semesters if s.start.year == year)
            start = firsts[0] if firsts else date(year, 9, 1)
        if start is None:
            start = fallback
        if start is None:
            self.problem(
                "缺少联系周期开始日期:请在 calendar.toml 中写 cycle_start = 2027-03-01,"
                "或在校历表中加一行“周期开始”",
                "no cycle start: write cycle_start = 2027-03-01 in calendar.toml, or add a "
                "cycle_start row to the calendar table",
                column="cycle_start",
            )
        return start

    def build(
        self,
        cal: Mapping[str, Any] | None,
        rows: list[Mapping[str, Any]],
        fallback: date | None,
    ) -> CalendarConfig:
        cal = cal or {}
        years = self.cycle_years(cal)
        closed = self.toml_dates(cal, "closed")
        workdays = self.toml_dates(cal, "workdays")
        sems = self.toml_semesters(cal)
        t_closed, t_work, t_sems, t_starts = self.table(rows)
        closed += t_closed
        workdays += t_work
        sems += t_sems
        self.check_semesters(sems)
        semesters = [s for s, _ in sems]
        start = self.cycle_start(cal, t_starts, fallback, semesters)
        if self.problems or start is None:
            raise InputError(self.problems)
        if not semesters:
            fix_zh, fix_en = self.form.semesters_fix()
            self.notes.append(
                Note(
                    "校历中没有学期:按常规学期(春季 3月1日—7月10日,秋季 9月1日—次年1月15日)估算,"
                    "相关事项标为“估算”。" + fix_zh,
                    "The calendar lists no semester: the usual terms (spring 1 Mar-10 Jul, "
                    "autumn 1 Sep-15 Jan) are assumed and the items marked 'estimated'. " + fix_en,
                )
            )
        return CalendarConfig(
            cycle_start=start,
            cycle_years=years,
            closed=tuple(sorted(set(closed))),
            workdays=tuple(sorted(set(workdays))),
            semesters=tuple(sorted(semesters, key=lambda s: s.start)),
            notes=tuple(self.notes),
            form=self.form,
        )


def day_source(day: date, provider: WorkdayProvider, semester: Semester | None) -> Source:
    """Where the facts behind an item on ``day`` come from.

    Estimated when the day's working status is estimated or the semester it relies on is
    an estimate; otherwise the day's own source (official or override).
    """
    src = provider.source(day)
    if semester is not None and semester.estimated:
        return Source.ESTIMATED
    return src
