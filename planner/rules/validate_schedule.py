"""Independent checker of a schedule, re-derived from the rules of CONTRACT.md §9.

It imports no solver and nothing of the scheduler's model: it reads the calendar facts
(working days, semesters, windows) from :mod:`planner.calendar` and counts. Every schedule
the scheduler builds is checked by it; a violation there is a bug. ``planner validate``
runs it on a hand-edited ``schedule.csv``.

An unmet item that says why is not a violation (the schedule reports it honestly); a
required item with no line at all, or an unmet line without a reason, is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import pairwise

from models import Form, Plan, Problem, ScheduleItem, Status
from planner.rules.validate import Violation
from planner.rules.windows import (
    Requirement,
    counselor_events,
    required_items,
    teaching_semester,
    unavailable_days,
)
from planner.workdays.school_year import CalendarConfig


def _label(item: ScheduleItem | Requirement) -> str:
    who = f"{item.leader_id}-{item.counselor_id} " if item.leader_id else ""
    return f"{who}{item.form.zh}({item.period})"


def _label_en(item: ScheduleItem | Requirement) -> str:
    who = f"{item.leader_id}-{item.counselor_id} " if item.leader_id else ""
    return f"{who}{item.form.value} ({item.period})"


def _person(problem: Problem, pid: str) -> str:
    p = problem.leader_by_id.get(pid) or problem.counselor_by_id.get(pid)
    return f"{p.name}({pid})" if p else pid


def validate_schedule(
    problem: Problem,
    plan: Plan,
    config: CalendarConfig,
    unavailable_rows: Iterable[Mapping[str, object]],
    event_rows: Iterable[Mapping[str, object]],
    items: Iterable[ScheduleItem],
    *,
    pair_starts: Mapping[tuple[str, str], date] | None = None,
) -> list[Violation]:
    """Return every broken schedule rule (empty list: the schedule is valid).

    Parameters
    ----------
    problem
        Rosters and settings (caps, talk spacing, exchanges per semester).
    plan
        The pairs the schedule serves.
    config
        The calendar the schedule was built on.
    unavailable_rows, event_rows
        The 不可用时间 and 辅导员活动 rows, as given to the scheduler.
    items
        The schedule's lines, e.g. from :func:`planner.io.schedule_files.read_schedule`;
        an item's ``row`` (if any) is reported with its violations.
    pair_starts
        Start date per pair added by a repair, as given to the scheduler.

    Returns
    -------
    list[Violation]
        Rule codes: ``schedule_missing``, ``schedule_duplicate``, ``schedule_unknown_pair``,
        ``schedule_unknown_period``, ``schedule_item_id``, ``schedule_no_date``,
        ``schedule_unmet_reason``, ``schedule_window``, ``schedule_workday``,
        ``schedule_guidance_day``, ``schedule_unavailable``, ``schedule_leader_cap``,
        ``schedule_counselor_cap``, ``schedule_talk_spacing``.
    """
    s = problem.settings
    item_list = list(items)
    reqs = required_items(plan, config, s.exchange_meetings_per_semester, pair_starts)
    by_key = {r.key: r for r in reqs}
    pairs = plan.keys()
    provider = config.provider()
    semesters = config.cycle_semesters()
    away = unavailable_days(unavailable_rows)
    event_days = {cid: {e.day for e in evs} for cid, evs in counselor_events(event_rows).items()}
    out: list[Violation] = []
    seen: set[tuple[str, str, Form, str]] = set()
    leader_day: Counter[tuple[str, date]] = Counter()
    counselor_day: Counter[tuple[str, date]] = Counter()
    first_row: dict[tuple[str, date], int | None] = {}
    talks: dict[tuple[str, str], list[ScheduleItem]] = defaultdict(list)

    for it in item_list:
        row = it.row
        req = by_key.get(it.key)
        if it.key in seen:
            out.append(
                Violation(
                    "schedule_duplicate",
                    f"{_label(it)} 重复出现",
                    f"{_label_en(it)} appears twice",
                    row,
                )
            )
            continue
        seen.add(it.key)
        if req is None:
            if not it.form.is_group and (it.leader_id, it.counselor_id) not in pairs:
                out.append(
                    Violation(
                        "schedule_unknown_pair",
                        f"{_label(it)}:{_person(problem, it.leader_id)} 与 "
                        f"{_person(problem, it.counselor_id)} 不是计划中的结对",
                        f"{_label_en(it)}: {it.leader_id} - {it.counselor_id} is not a pair of "
                        "the plan",
                        row,
                    )
                )
            else:
                out.append(
                    Violation(
                        "schedule_unknown_period",
                        f"{_label(it)}:周期内没有“{it.period}”这一期间",
                        f"{_label_en(it)}: the cycle has no period '{it.period}'",
                        row,
                    )
                )
            continue
        if it.item_id != req.item_id:
            out.append(
                Violation(
                    "schedule_item_id",
                    f"{_label(it)} 的事项编号应为 {req.item_id},而不是 {it.item_id}",
                    f"{_label_en(it)}: item id should be {req.item_id}, not {it.item_id}",
                    row,
                )
            )
        if it.status is Status.UNMET:
            if not (it.note_zh.strip() or it.note_en.strip()):
                out.append(
                    Violation(
                        "schedule_unmet_reason",
                        f"{_label(it)} 未排,但没有说明原因",
                        f"{_label_en(it)} is unmet without a reason",
                        row,
                    )
                )
            continue
        d = it.date
        if d is None:
            out.append(
                Violation(
                    "schedule_no_date",
                    f"{_label(it)} 标为已排,但没有日期",
                    f"{_label_en(it)} is planned but has no date",
                    row,
                )
            )
            continue
        if not req.window_start <= d <= req.window_end:
            out.append(
                Violation(
                    "schedule_window",
                    f"{_label(it)} 的日期 {d} 不在窗口 {req.window_start}—{req.window_end} 内",
                    f"{_label_en(it)}: {d} is outside the window {req.window_start} to "
                    f"{req.window_end}",
                    row,
                )
            )
        working = provider.is_working(d)
        if it.form is Form.GUIDANCE:
            on_event = d in event_days.get(it.counselor_id, set())
            if not on_event and not (working and teaching_semester(d, semesters)):
                out.append(
                    Violation(
                        "schedule_guidance_day",
                        f"{_label(it)} 的日期 {d} 既不是该辅导员的活动日,也不是教学工作日",
                        f"{_label_en(it)}: {d} is neither an event day of the counselor nor "
                        "a teaching working day",
                        row,
                    )
                )
        elif not working:
            out.append(
                Violation(
                    "schedule_workday",
                    f"{_label(it)} 的日期 {d} 不是工作日",
                    f"{_label_en(it)}: {d} is not a working day",
                    row,
                )
            )
        if it.form.is_group:
            continue
        reason = away.get(it.leader_id, {}).get(d)
        if reason is not None:
            why = f"({reason})" if reason else ""
            out.append(
                Violation(
                    "schedule_unavailable",
                    f"{_label(it)} 的日期 {d} 领导 {_person(problem, it.leader_id)} 不可用{why}",
                    f"{_label_en(it)}: the leader is unavailable on {d}"
                    + (f" ({reason})" if reason else ""),
                    row,
                )
            )
        leader_day[(it.leader_id, d)] += 1
        counselor_day[(it.counselor_id, d)] += 1
        first_row.setdefault((it.leader_id, d), row)
        first_row.setdefault((it.counselor_id, d), row)
        if it.form is Form.TALK:
            talks[(it.leader_id, it.counselor_id)].append(it)

    for r in reqs:
        if r.key not in seen:
            out.append(
                Violation(
                    "schedule_missing",
                    f"缺少 {_label(r)}(窗口 {r.window_start}—{r.window_end})",
                    f"{_label_en(r)} (window {r.window_start} to {r.window_end}) is missing",
                )
            )
    for (lid, d), n in sorted(leader_day.items()):
        if n > s.max_items_per_leader_day:
            out.append(
                Violation(
                    "schedule_leader_cap",
                    f"领导 {_person(problem, lid)} 在 {d} 有 {n} 项联系,"
                    f"每日最多 {s.max_items_per_leader_day} 项",
                    f"leader {lid} has {n} items on {d}; at most "
                    f"{s.max_items_per_leader_day} a day",
                    first_row.get((lid, d)),
                )
            )
    for (cid, d), n in sorted(counselor_day.items()):
        if n > s.max_items_per_counselor_day:
            out.append(
                Violation(
                    "schedule_counselor_cap",
                    f"辅导员 {_person(problem, cid)} 在 {d} 有 {n} 项联系,"
                    f"每日最多 {s.max_items_per_counselor_day} 项",
                    f"counselor {cid} has {n} items on {d}; at most "
                    f"{s.max_items_per_counselor_day} a day",
                    first_row.get((cid, d)),
                )
            )
    gap = s.min_days_between_talks
    for key in sorted(talks):
        ts = sorted(talks[key], key=lambda t: (t.date or date.min, t.item_id))
        for a, b in pairwise(ts):
            if a.date is not None and b.date is not None and (b.date - a.date).days < gap:
                out.append(
                    Violation(
                        "schedule_talk_spacing",
                        f"{key[0]}-{key[1]} 的两次约谈 {a.date} 与 {b.date} 相隔不足 {gap} 天",
                        f"{key[0]}-{key[1]}: talks on {a.date} and {b.date} are less than "
                        f"{gap} days apart",
                        b.row,
                    )
                )
    return out
