"""Use case ``schedule``: a compliant calendar of a plan, checked by the independent validator.

The command line and the web page both build their schedule through :func:`schedule`, so both
are validated the same way (a schedule that breaks a rule raises :class:`SolverBug`).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from models import Form, Plan, Problem, ScheduleItem, Status
from planner.app.data import calendar_of, load_data
from planner.app.plans import make_plan
from planner.duties.year import exchange_agendas
from planner.errors import InputError, InputProblem, Note, SolverBug
from planner.i18n import msg
from planner.io.change_files import read_pair_starts
from planner.io.read import DataSet, match_plan_ids, read_plan_pairs
from planner.io.schedule_files import (
    SCHEDULE_COLUMNS,
    SCHEDULE_HEADERS_ZH,
    ics_file_names,
    schedule_rows,
    write_ics_files,
    write_schedule_files,
    write_schedule_xlsx,
)
from planner.io.write import built_bytes, staged_output, zip_folder_bytes
from planner.rules.validate_schedule import validate_schedule
from planner.scheduling.builder import Schedule, build_schedule
from planner.values import solver_seed
from planner.workdays.official import EstimatedYearRefused
from planner.workdays.school_year import CalendarConfig

Key = tuple[str, str]

__all__ = [
    "PAIR_STARTS",
    "SCHEDULE_COLUMNS",
    "EstimatedYearRefused",
    "Schedule",
    "ScheduleInputs",
    "ScheduleOutcome",
    "calendar_rows",
    "ics_zip_bytes",
    "month_grid",
    "read_schedule_inputs",
    "schedule",
    "schedule_csv_bytes",
    "schedule_from_rows",
    "schedule_months",
    "schedule_table",
    "schedule_xlsx_bytes",
    "write_schedule",
]

PAIR_STARTS = "pair_starts.csv"


@dataclass
class ScheduleInputs:
    """DATA read for the plan's cycle, the plan, and the start dates of pairs added later."""

    data: DataSet
    plan: Plan
    pair_starts: dict[Key, date] | None = None


def read_schedule_inputs(data: Path, plan: Path, pair_starts: Path | None = None) -> ScheduleInputs:
    """Read DATA, the plan and ``pair_starts.csv`` (by default the one beside the plan).

    Raises
    ------
    InputError
        For an unreadable file or a plan naming people who are not on the rosters.
    """
    cycle, rows = read_plan_pairs(plan)
    ds = load_data(data, cycle=cycle)
    rows, id_notes = match_plan_ids(ds.problem, rows, plan.name)
    ds.notes.extend(id_notes)
    known_l = {x.leader_id for x in ds.problem.leaders}
    known_c = {x.counselor_id for x in ds.problem.counselors}
    unknown = [
        InputProblem(
            plan.name, "名单中没有这个领导或辅导员", "not on the rosters", row=r, value=f"{a}/{b}"
        )
        for a, b, r in rows
        if a not in known_l or b not in known_c
    ]
    if unknown:
        raise InputError(unknown)
    the_plan = make_plan(ds.problem, [(a, b) for a, b, _ in rows], cycle or ds.problem.cycle)
    starts_file = pair_starts or (
        plan.parent / PAIR_STARTS if plan.is_file() else plan / PAIR_STARTS
    )
    starts = read_pair_starts(starts_file) if starts_file.is_file() else None
    return ScheduleInputs(ds, the_plan, starts)


@dataclass
class ScheduleOutcome:
    """A validated schedule and the calendar it was laid on.

    ``notes`` are about the files (calendar file names that differ from the ids).
    """

    schedule: Schedule
    calendar: CalendarConfig
    pairs: list[Key] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def schedule(
    data: DataSet,
    plan: Plan,
    *,
    problem: Problem | None = None,
    strict: bool = False,
    seed: int = 0,
    pair_starts: Mapping[Key, date] | None = None,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScheduleOutcome:
    """Lay out ``plan``'s talks, guidance visits and career sessions over the cycle.

    Parameters
    ----------
    data
        The DATA (calendar, unavailable days, counselors' events).
    plan
        The plan to schedule.
    problem
        The rosters the plan belongs to (default: the data's; a page after an adopted
        what-if passes the changed rosters).
    strict
        Refuse estimated holiday years (:class:`EstimatedYearRefused`).
    pair_starts
        Start dates of pairs a repair added (their 规划发展 counts from them).

    Raises
    ------
    InputError
        For a bad calendar.
    EstimatedYearRefused
        With ``strict``, for a year whose official schedule is not published.
    SolverBug
        When the independent schedule validator rejects the result (a bug).
    """
    p = problem or data.problem
    config = calendar_of(data, p)
    unavailable = data.tables.get("unavailable", [])
    events = data.tables.get("events", [])
    starts = dict(pair_starts) if pair_starts else None
    if progress is not None:
        progress("schedule")
    sched = build_schedule(
        p,
        plan,
        config,
        unavailable,
        events,
        strict=strict,
        pair_starts=starts,
        seed=solver_seed(seed),
        workers=workers,
    )
    bad = validate_schedule(p, plan, config, unavailable, events, sched.items, pair_starts=starts)
    if bad:
        raise SolverBug("; ".join(v.render("en") for v in bad[:5]))
    sched.items = with_agendas(data, p, config, sched.items)
    _, _, notes = ics_file_names(p, sched.items)
    return ScheduleOutcome(sched, config, [pp.key for pp in plan.pairs], notes)


def with_agendas(
    data: DataSet, problem: Problem, config: CalendarConfig, items: list[ScheduleItem]
) -> list[ScheduleItem]:
    """Each exchange meeting's note lists the 普遍性 issues of its semester as its agenda."""
    sems = config.cycle_semesters()
    windows = []
    for it in items:
        if it.form is not Form.EXCHANGE:
            continue
        sem = next((s for s in sems if s.start <= it.window_start <= s.end), None)
        if sem is not None:
            windows.append((it.item_id, sem.start, sem.end, it.date))
    zh = exchange_agendas(data.tables, problem, windows, "zh")
    if not zh:
        return items
    en = exchange_agendas(data.tables, problem, windows, "en")
    out = []
    for it in items:
        if it.item_id in zh:
            it = replace(
                it,
                note_zh="；".join(x for x in (it.note_zh, "议题:" + ";".join(zh[it.item_id])) if x),
                note_en="; ".join(
                    x for x in (it.note_en, "agenda: " + "; ".join(en[it.item_id])) if x
                ),
            )
        out.append(it)
    return out


def write_schedule(
    out: Path,
    problem: Problem,
    sched: Schedule,
    lang: str = "zh",
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write ``schedule.csv``, ``schedule.xlsx`` and the ``.ics`` files into ``out``."""
    # Calendars an earlier version wrote before OUT had a manifest belong to this result too.
    with staged_output(out, "schedule", owns=("ics/领导-*.ics", "ics/辅导员-*.ics")) as stage:
        write_schedule_files(
            stage,
            problem,
            sched.items,
            sched.cycle_start,
            sched.cycle_end,
            lang,
            progress=progress,
        )
    return [out / "schedule.csv", out / "schedule.xlsx", out / "schedule.ics"]


def schedule_table(
    problem: Problem, outcome: ScheduleOutcome
) -> tuple[list[str], list[dict[str, str]], dict[str, object]]:
    """A schedule as ``schedule.csv`` holds it (Chinese headers, one dict per row) and what the
    file cannot say (the cycle's bounds, the pairs, the remarks), to keep in the workspace."""
    heads = [SCHEDULE_HEADERS_ZH[k] for k in SCHEDULE_COLUMNS]
    rows = [
        {SCHEDULE_HEADERS_ZH[k]: r[k] for k in SCHEDULE_COLUMNS}
        for r in schedule_rows(problem, outcome.schedule.items, "zh")
    ]
    s = outcome.schedule
    extra: dict[str, object] = {
        "cycle": s.cycle,
        "cycle_start": s.cycle_start.isoformat(),
        "cycle_end": s.cycle_end.isoformat(),
        "pairs": [list(k) for k in outcome.pairs],
        "warnings": [[w.message_zh, w.message_en] for w in s.warnings],
    }
    return heads, rows, extra


def schedule_from_rows(
    data: DataSet,
    problem: Problem,
    columns: list[str],
    rows: list[dict[str, str]],
    extra: Mapping[str, object] | None,
) -> ScheduleOutcome:
    """A schedule kept in the workspace (:func:`schedule_table`) read back as the page holds it.

    Raises
    ------
    InputError
        When the rows cannot be read as a ``schedule.csv`` (a damaged workspace).
    """
    import tempfile

    from planner.io.schedule_files import read_schedule
    from planner.io.write import write_csv

    with tempfile.TemporaryDirectory(prefix="planner-schedule-") as tmp:
        path = Path(tmp) / "schedule.csv"
        write_csv(path, columns, [[r.get(c, "") for c in columns] for r in rows])
        items = read_schedule(path)
    cal = calendar_of(data, problem)
    info = dict(extra or {})

    def day(key: str, default: date) -> date:
        value = info.get(key)
        return date.fromisoformat(value) if isinstance(value, str) else default

    start = day("cycle_start", cal.cycle_start)
    end = day("cycle_end", cal.cycle_end)
    raw_pairs = info.get("pairs")
    pairs = (
        [(str(a), str(b)) for a, b in raw_pairs]
        if isinstance(raw_pairs, list)
        else list(dict.fromkeys((it.leader_id, it.counselor_id) for it in items))
    )
    raw_warn = info.get("warnings")
    warnings = (
        [Note(str(w[0]), str(w[1])) for w in raw_warn if isinstance(w, list) and len(w) == 2]
        if isinstance(raw_warn, list)
        else []
    )
    sched = Schedule(str(info.get("cycle") or problem.cycle), start, end, items, warnings)
    return ScheduleOutcome(sched, cal, pairs)


def schedule_csv_bytes(problem: Problem, sched: Schedule, lang: str = "zh") -> bytes:
    """``schedule.csv`` exactly as ``planner schedule`` writes it."""
    from planner.io.schedule_files import write_schedule_csv

    return built_bytes(lambda p: write_schedule_csv(p, problem, sched.items, lang), "schedule.csv")


def schedule_xlsx_bytes(problem: Problem, sched: Schedule, lang: str = "zh") -> bytes:
    """``schedule.xlsx``: 总表, 月历 and one sheet per leader."""
    return built_bytes(
        lambda p: write_schedule_xlsx(
            p, problem, sched.items, sched.cycle_start, sched.cycle_end, lang
        ),
        "schedule.xlsx",
    )


def ics_zip_bytes(problem: Problem, sched: Schedule, lang: str = "zh") -> bytes:
    """A zip of ``schedule.ics`` and ``ics/领导-<id>.ics`` / ``ics/辅导员-<id>.ics``."""
    return zip_folder_bytes(
        lambda root: write_ics_files(root, problem, sched.items, sched.cycle_start, lang)
    )


# ----- views of a schedule ------------------------------------------------------------------
def schedule_months(sched: Schedule) -> list[str]:
    """``YYYY-MM`` of every month of the cycle."""
    out = []
    d = date(sched.cycle_start.year, sched.cycle_start.month, 1)
    while d <= sched.cycle_end:
        out.append(f"{d.year:04d}-{d.month:02d}")
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of ``YYYY-MM``."""
    y, m = (int(x) for x in month.split("-"))
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _in_month(item: ScheduleItem, first: date, last: date) -> bool:
    if item.date is not None:
        return first <= item.date <= last
    return item.window_start <= last and item.window_end >= first


def leader_items(items: Iterable[ScheduleItem], leader_id: str | None) -> list[ScheduleItem]:
    """A leader's pair items plus the group items (exchange, summary); all with None."""
    if not leader_id:
        return list(items)
    return [it for it in items if it.leader_id == leader_id or not it.counselor_id]


def calendar_rows(
    problem: Problem,
    sched: Schedule,
    leader_id: str | None = None,
    month: str | None = None,
    lang: str = "zh",
) -> tuple[list[str], list[dict[str, str]]]:
    """(headers, rows) of the schedule for one leader (or all) and one month (or all).

    An unmet item is listed in every month its window touches.
    """
    items = leader_items(sched.items, leader_id)
    if month:
        first, last = month_bounds(month)
        items = [it for it in items if _in_month(it, first, last)]
    head = [SCHEDULE_HEADERS_ZH[k] if lang == "zh" else k for k in SCHEDULE_COLUMNS]
    return head, schedule_rows(problem, items, lang)


@dataclass
class DayCell:
    """One day of the month view."""

    day: date | None
    entries: list[str] = field(default_factory=list)
    workday: bool = True


def month_grid(
    problem: Problem,
    sched: Schedule,
    month: str,
    leader_id: str | None = None,
    lang: str = "zh",
    is_working: Callable[[date], bool] | None = None,
) -> list[list[DayCell]]:
    """Weeks (Monday first) of ``month`` with each planned item's short label on its day.

    ``is_working`` marks days off (the calendar's working-day provider: holidays and 调休
    included); without it, weekends are the days off.
    """
    working = is_working or (lambda d: d.weekday() < 5)
    first, last = month_bounds(month)
    by_day: dict[date, list[str]] = defaultdict(list)
    for it in leader_items(sched.items, leader_id):
        if it.status is Status.PLANNED and it.date is not None and first <= it.date <= last:
            form = it.form.zh if lang == "zh" else it.form.value
            c = problem.counselor_by_id.get(it.counselor_id)
            who = (
                (f"{c.name}({it.counselor_id})" if c else it.counselor_id)
                if it.counselor_id
                else msg(lang, "全体领导", "all leaders")
            )
            if not leader_id and it.counselor_id and it.leader_id in problem.leader_by_id:
                who = f"{problem.leader_by_id[it.leader_id].name}→{who}"
            by_day[it.date].append(f"{form} {who}")
    weeks: list[list[DayCell]] = []
    week: list[DayCell] = [DayCell(None) for _ in range(first.weekday())]
    d = first
    while d <= last:
        week.append(DayCell(d, sorted(by_day.get(d, [])), working(d)))
        if len(week) == 7:
            weeks.append(week)
            week = []
        d += timedelta(days=1)
    if week:
        week += [DayCell(None) for _ in range(7 - len(week))]
        weeks.append(week)
    return weeks
