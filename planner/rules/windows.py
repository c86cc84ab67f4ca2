"""What must be scheduled, and when it may be (CONTRACT.md §9).

Per pair over the cycle:

- ``talk`` (定期约谈) in every calendar quarter the cycle overlaps, the window clipped to the
  cycle (and to the pair's start);
- ``guidance`` (工作指导) in every semester, the window the semester's dates clipped likewise;
- one ``career`` (规划发展) within 6 months of the pair's start: [start, start + 6 months - 1].

Group items, with empty leader and counselor ids (the whole leading group attends):
``exchange`` (工作交流会) ``exchange_meetings_per_semester`` times per semester (the semester
split into equal parts, one meeting each) and ``summary`` (年度总结) each December inside the
cycle.

An item's id comes from (cycle, leader_id, counselor_id, form, period) only, never from its
date, so it survives re-runs and repairs: ``2027-2030/L001/00012/talk/2027Q2``.

This module imports no solver; the scheduler and the independent validator both read the
calendar facts from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from models import Form, Plan, item_id
from planner.workdays.school_year import CalendarConfig, Semester, add_months

CAREER_MONTHS = 6


@dataclass(frozen=True)
class Requirement:
    """One item the rules require, with its window (both ends inclusive).

    ``semester`` is the semester a guidance or exchange item belongs to, else None.
    """

    item_id: str
    cycle: str
    leader_id: str
    counselor_id: str
    form: Form
    period: str
    window_start: date
    window_end: date
    semester: Semester | None = None

    @property
    def key(self) -> tuple[str, str, Form, str]:
        """(leader_id, counselor_id, form, period): what the item is, id aside."""
        return (self.leader_id, self.counselor_id, self.form, self.period)

    @property
    def pair(self) -> tuple[str, str]:
        return (self.leader_id, self.counselor_id)


def quarters(start: date, end: date) -> list[tuple[str, date, date]]:
    """Calendar quarters overlapping [start, end], each clipped to it: ``(label, lo, hi)``."""
    out = []
    y, q = start.year, (start.month - 1) // 3
    while True:
        qs = date(y, 3 * q + 1, 1)
        if qs > end:
            break
        qe = add_months(qs, 3) - timedelta(days=1)
        out.append((f"{y}Q{q + 1}", max(qs, start), min(qe, end)))
        y, q = (y + 1, 0) if q == 3 else (y, q + 1)
    return out


def career_window(pair_start: date, cycle_end: date) -> tuple[date, date]:
    """[pair start, pair start + 6 months - 1 day], clipped to the cycle."""
    end = add_months(pair_start, CAREER_MONTHS) - timedelta(days=1)
    return pair_start, min(end, cycle_end)


def career_period(pair_start: date) -> str:
    """Period label of the career item: the pair's start and the six months."""
    return f"{pair_start.isoformat()}+6m"


def pair_requirements(
    cycle: str,
    leader_id: str,
    counselor_id: str,
    config: CalendarConfig,
    pair_start: date | None = None,
    semesters: Iterable[Semester] | None = None,
) -> list[Requirement]:
    """The items one pair owes over the cycle, in time order within each form.

    Parameters
    ----------
    cycle, leader_id, counselor_id
        The pair and its cycle label.
    config
        The calendar.
    pair_start
        The pair's first day: the cycle start unless the pair was added by a repair.
    semesters
        The cycle's semesters (default: ``config.cycle_semesters()``); pass them to avoid
        recomputing per pair.
    """
    start = max(pair_start or config.cycle_start, config.cycle_start)
    end = config.cycle_end
    if start > end:
        return []
    sems = list(config.cycle_semesters() if semesters is None else semesters)
    out = []
    for label, lo, hi in quarters(start, end):
        out.append(
            Requirement(
                item_id(cycle, leader_id, counselor_id, Form.TALK, label),
                cycle,
                leader_id,
                counselor_id,
                Form.TALK,
                label,
                lo,
                hi,
            )
        )
    for s in sems:
        lo, hi = max(s.start, start), min(s.end, end)
        if lo > hi:
            continue
        out.append(
            Requirement(
                item_id(cycle, leader_id, counselor_id, Form.GUIDANCE, s.name),
                cycle,
                leader_id,
                counselor_id,
                Form.GUIDANCE,
                s.name,
                lo,
                hi,
                s,
            )
        )
    lo, hi = career_window(start, end)
    period = career_period(start)
    out.append(
        Requirement(
            item_id(cycle, leader_id, counselor_id, Form.CAREER, period),
            cycle,
            leader_id,
            counselor_id,
            Form.CAREER,
            period,
            lo,
            hi,
        )
    )
    return out


def group_requirements(
    cycle: str,
    config: CalendarConfig,
    exchanges_per_semester: int,
    semesters: Iterable[Semester] | None = None,
) -> list[Requirement]:
    """The group items: exchange meetings per semester and a summary each December.

    With ``n`` meetings a semester, its (clipped) dates are cut into ``n`` equal parts and
    meeting ``k`` gets part ``k`` (period ``<semester>#k``; just ``<semester>`` when n = 1),
    so meetings spread over the term.
    """
    start, end = config.cycle_start, config.cycle_end
    sems = list(config.cycle_semesters() if semesters is None else semesters)
    out = []
    n = exchanges_per_semester
    for s in sems:
        lo, hi = max(s.start, start), min(s.end, end)
        if lo > hi or n <= 0:
            continue
        days = (hi - lo).days + 1
        for k in range(n):
            a = lo + timedelta(days=days * k // n)
            b = lo + timedelta(days=days * (k + 1) // n - 1)
            if b < a:
                continue
            period = s.name if n == 1 else f"{s.name}#{k + 1}"
            out.append(
                Requirement(
                    item_id(cycle, "", "", Form.EXCHANGE, period),
                    cycle,
                    "",
                    "",
                    Form.EXCHANGE,
                    period,
                    a,
                    b,
                    s,
                )
            )
    for y in range(start.year, end.year + 1):
        lo, hi = max(date(y, 12, 1), start), min(date(y, 12, 31), end)
        if lo > hi:
            continue
        period = f"{y}-12"
        out.append(
            Requirement(
                item_id(cycle, "", "", Form.SUMMARY, period),
                cycle,
                "",
                "",
                Form.SUMMARY,
                period,
                lo,
                hi,
            )
        )
    return out


def required_items(
    plan: Plan,
    config: CalendarConfig,
    exchanges_per_semester: int,
    pair_starts: Mapping[tuple[str, str], date] | None = None,
) -> list[Requirement]:
    """Every item the cycle requires: group items first, then each pair's, by pair.

    Parameters
    ----------
    plan
        The pairs (and the cycle label).
    config
        The calendar.
    exchanges_per_semester
        ``settings.exchange_meetings_per_semester``.
    pair_starts
        Start date per (leader_id, counselor_id) for pairs added by a repair; other pairs
        start with the cycle.
    """
    sems = config.cycle_semesters()
    out = group_requirements(plan.cycle, config, exchanges_per_semester, sems)
    starts = pair_starts or {}
    for lid, cid in sorted({p.key for p in plan.pairs}):
        out += pair_requirements(plan.cycle, lid, cid, config, starts.get((lid, cid)), sems)
    return out


def teaching_semester(day: date, semesters: Iterable[Semester]) -> Semester | None:
    """The semester whose dates contain ``day``, if any."""
    for s in semesters:
        if s.contains(day):
            return s
    return None


def unavailable_days(rows: Iterable[Mapping[str, object]]) -> dict[str, dict[date, str]]:
    """Leader id → {day: reason} from the 不可用时间 rows (start..end inclusive).

    A row without an end means one day. Rows without a leader id or a start are skipped
    (the reader reports those).
    """
    out: dict[str, dict[date, str]] = {}
    for r in rows:
        lid, start, end = r.get("leader_id"), r.get("start"), r.get("end")
        if not lid or not isinstance(start, date):
            continue
        last = end if isinstance(end, date) else start
        reason = str(r.get("reason") or "")
        days = out.setdefault(str(lid), {})
        d = start
        while d <= last:
            days.setdefault(d, reason)
            d += timedelta(days=1)
    return out


@dataclass(frozen=True)
class Event:
    """One activity a counselor runs (辅导员活动) that a leader may join for guidance."""

    counselor_id: str
    day: date
    category: str
    title: str


def counselor_events(rows: Iterable[Mapping[str, object]]) -> dict[str, list[Event]]:
    """Counselor id → events sorted by (date, category, title)."""
    out: dict[str, list[Event]] = {}
    for r in rows:
        cid, day = r.get("counselor_id"), r.get("date")
        if not cid or not isinstance(day, date):
            continue
        out.setdefault(str(cid), []).append(
            Event(str(cid), day, str(r.get("category") or ""), str(r.get("title") or ""))
        )
    for evs in out.values():
        evs.sort(key=lambda e: (e.day, e.category, e.title))
    return out
