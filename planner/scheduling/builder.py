"""Entry point of the scheduler: rules → candidate days → CP-SAT per component → items.

Pipeline
--------
1. :func:`~planner.rules.windows.required_items` lists what the cycle owes and when.
2. Group items (exchange, summary) go first, each on the working day in its window that
   most of the plan's leaders are free (ties: nearest the window's middle).
3. Each pair item gets its candidate days — the days the hard rules allow — with a cost:

   - talk, career: working days, never a leader's unavailable day; teaching days (inside a
     semester) cost less when the window has any, so a summer quarter still uses any
     working day;
   - guidance: the counselor's events in the semester (any day the event is on, weekends
     included) cost less than a teaching working day;
   - every day also costs its distance from a target inside the window, so items spread
     over the window instead of piling up at its start. The target is the same fraction
     of the window for all items of one pair and form (a seeded hash), which keeps a
     pair's talks about a quarter apart and spreads different pairs over the window.

   An item with no allowed day is unmet before solving, with the reason.
4. Leaders joined through a shared counselor form a component (the counselor's daily cap
   couples them); each component is one small CP-SAT model (:mod:`planner.scheduling.model`).
   Items the caps or the talk spacing leave without a day are unmet, with the reason.

The candidate days per item are thinned deterministically (an even sample of the window
plus the days nearest the target; every event day of a guidance item is kept unless there
are many), which keeps every model small. Greedy first, then an exact pruning of the days no
optimum can use, then CP-SAT (:mod:`planner.scheduling.model`); a component of more than
:data:`MAX_ITEMS_PER_MODEL` items is solved in chunks of whole leaders.
"""

from __future__ import annotations

import hashlib
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from models import Form, Plan, Problem, ScheduleItem, Source, Stage, Status
from planner.errors import InputError, InputProblem, Note
from planner.i18n import stage_name
from planner.rules.windows import (
    Event,
    Requirement,
    counselor_events,
    required_items,
    unavailable_days,
)
from planner.scheduling.model import Component, ComponentItem, solve_components
from planner.schema import choice_label
from planner.workdays.official import EstimatedYearRefused, WorkdayProvider
from planner.workdays.school_year import CalendarConfig, Semester, day_source

#: Cost of falling back to a less preferred kind of day; above any distance in a window.
TIER_COST = 1000
#: Candidate days kept per item (an even sample of the window plus the days nearest the
#: target). All ~60 working days of a quarter make the LP several times slower for the same
#: schedule: on a 240-pair ring of shared counselors 25 s with all days, 5.5 s with 24.
THIN_TO = 24
#: Above this many pairs, fewer candidate days per item.
THIN_ABOVE_PAIRS = 300
THIN_TO_LARGE = 16
#: How many of the thinned candidates are the days nearest the target.
NEAREST = 5
#: A component with more pair items is solved in chunks of whole leaders (see
#: :func:`planner.scheduling.model._solve_in_chunks`); below it, one exact model.
MAX_ITEMS_PER_MODEL = 400


@dataclass
class Schedule:
    """The scheduler's result.

    Attributes
    ----------
    cycle
        The cycle label.
    cycle_start, cycle_end
        The cycle's first and last day.
    items
        Every required item, planned or unmet, sorted by date then id (unmet last).
    warnings
        Remarks for the office (estimated years or semesters, unknown ids, unmet items).
    seconds
        Wall-clock time of the build.
    """

    cycle: str
    cycle_start: date
    cycle_end: date
    items: list[ScheduleItem] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def planned(self) -> list[ScheduleItem]:
        """Items that got a date."""
        return [i for i in self.items if i.status is Status.PLANNED]

    @property
    def unmet(self) -> list[ScheduleItem]:
        """Items no day could be found for, each with its reason."""
        return [i for i in self.items if i.status is Status.UNMET]


# ----- small helpers ----------------------------------------------------------------------


def _fraction(seed: int, *parts: str) -> float:
    """A stable number in [0, 1) from the seed and ``parts`` (Python's hash() is salted)."""
    text = "\x1f".join((str(seed), *parts)).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big") / 2**64


def _category_zh(code: str) -> str:
    return choice_label("events", "category", code, "zh") if code else ""


def _who(problem: Problem, leader_id: str) -> str:
    ld = problem.leader_by_id.get(leader_id)
    return f"{ld.name}({leader_id})" if ld else leader_id


def _thin(days: list[int], target: int, k: int | None) -> list[int]:
    """At most ``k`` of the sorted ``days``: an even sample plus the ones nearest ``target``."""
    if k is None or len(days) <= k:
        return days
    n_even = max(1, k - NEAREST)
    step = (len(days) - 1) / max(1, n_even - 1)
    picked = {days[round(i * step)] for i in range(n_even)}
    pos = bisect_left(days, target)
    lo, hi = pos - 1, pos
    while len(picked) < k and (lo >= 0 or hi < len(days)):
        if hi < len(days) and (lo < 0 or days[hi] - target <= target - days[lo]):
            picked.add(days[hi])
            hi += 1
        else:
            picked.add(days[lo])
            lo -= 1
    return sorted(picked)


@dataclass
class _Candidates:
    """What the rules allow for one pair item, before the solver chooses."""

    req: Requirement
    days: list[int] = field(default_factory=list)
    costs: list[int] = field(default_factory=list)
    preferred: set[int] = field(default_factory=set)  # the tier-0 days among ``days``
    had_preferred: bool = False  # the window has preferred days at all (before absences)
    events: dict[int, Event] = field(default_factory=dict)
    unmet_zh: str = ""
    unmet_en: str = ""


class _Calendar:
    """Per-day facts of the cycle as arrays indexed by days since the cycle start."""

    def __init__(self, config: CalendarConfig, provider: WorkdayProvider) -> None:
        self.start = config.cycle_start
        self.n = (config.cycle_end - config.cycle_start).days + 1
        self.provider = provider
        self.semesters = config.cycle_semesters()
        self.working = [provider.is_working(self.day(i)) for i in range(self.n)]
        self.semester: list[Semester | None] = [None] * self.n
        for s in self.semesters:
            for i in range(max(0, self.index(s.start)), min(self.n, self.index(s.end) + 1)):
                self.semester[i] = s
        self._cache: dict[tuple[int, int], tuple[list[int], list[int]]] = {}

    def day(self, i: int) -> date:
        return self.start + timedelta(days=i)

    def index(self, d: date) -> int:
        return (d - self.start).days

    def window(self, lo: date, hi: date) -> tuple[list[int], list[int]]:
        """(working days, teaching working days) of [lo, hi], cached per window."""
        key = (self.index(lo), self.index(hi))
        got = self._cache.get(key)
        if got is None:
            work = [i for i in range(key[0], key[1] + 1) if self.working[i]]
            got = (work, [i for i in work if self.semester[i] is not None])
            self._cache[key] = got
        return got

    def source(self, i: int, semester: Semester | None = None) -> Source:
        return day_source(self.day(i), self.provider, semester or self.semester[i])

    def window_source(self, req: Requirement) -> Source:
        est = self.provider.estimated_years(req.window_start, req.window_end)
        if est or (req.semester is not None and req.semester.estimated):
            return Source.ESTIMATED
        lo, hi = self.index(req.window_start), self.index(req.window_end)
        sems = {self.semester[i] for i in range(lo, hi + 1)}
        if any(sem is not None and sem.estimated for sem in sems):
            return Source.ESTIMATED
        return Source.OFFICIAL


# ----- group items ------------------------------------------------------------------------


def _place_group(
    reqs: list[Requirement],
    cal: _Calendar,
    problem: Problem,
    leaders: list[str],
    away: Mapping[str, Mapping[date, str]],
) -> list[ScheduleItem]:
    """Each group item on the working day most leaders are free; never two on one day."""
    used: set[int] = set()
    out = []
    absent_on: Counter[date] = Counter(d for lid in leaders for d in away.get(lid, {}))
    for req in reqs:
        work, _ = cal.window(req.window_start, req.window_end)
        mid = (cal.index(req.window_start) + cal.index(req.window_end)) / 2
        best: tuple[int, float, int] | None = None
        for i in work:
            if i in used:
                continue
            d = cal.day(i)
            absent = absent_on[d]
            key = (absent, abs(i - mid), i)
            if best is None or key < best:
                best = key
        base = {
            "item_id": req.item_id,
            "cycle": req.cycle,
            "leader_id": "",
            "counselor_id": "",
            "form": req.form,
            "period": req.period,
            "window_start": req.window_start,
            "window_end": req.window_end,
        }
        if best is None:
            out.append(
                ScheduleItem(
                    **base,  # type: ignore[arg-type]
                    date=None,
                    status=Status.UNMET,
                    note_zh="窗口内没有工作日",
                    note_en="no working day in the window",
                    calendar_source=cal.window_source(req),
                )
            )
            continue
        i = best[2]
        used.add(i)
        d = cal.day(i)
        gone = [lid for lid in leaders if d in away.get(lid, {})]
        note_zh = note_en = ""
        if gone:
            note_zh = "不能参加:" + "、".join(
                f"{_who(problem, lid)}{'·' + away[lid][d] if away[lid][d] else ''}" for lid in gone
            )
            note_en = "cannot attend: " + ", ".join(
                f"{lid}{' (' + away[lid][d] + ')' if away[lid][d] else ''}" for lid in gone
            )
        out.append(
            ScheduleItem(
                **base,  # type: ignore[arg-type]
                date=d,
                status=Status.PLANNED,
                note_zh=note_zh,
                note_en=note_en,
                calendar_source=cal.source(i, req.semester),
                absent=tuple(gone),
            )
        )
    return out


# ----- pair items -------------------------------------------------------------------------


def _candidates(
    req: Requirement,
    cal: _Calendar,
    away: Mapping[int, str],
    events: list[Event],
    seed: int,
    thin: int | None,
) -> _Candidates:
    """Allowed days of one pair item with their costs, or the reason there are none."""
    c = _Candidates(req)
    lo, hi = cal.index(req.window_start), cal.index(req.window_end)
    work, teaching = cal.window(req.window_start, req.window_end)
    ev: dict[int, Event] = {}
    if req.form is Form.GUIDANCE:
        for e in events:
            i = cal.index(e.day)
            if lo <= i <= hi and i not in ev:
                ev[i] = e
        tier0 = sorted(ev)
        # The window is the semester's dates, so its working days are teaching days.
        tier1 = [i for i in work if i not in ev]
    elif teaching:
        tier0, tier1 = teaching, [i for i in work if cal.semester[i] is None]
    else:
        tier0, tier1 = work, []
    if not tier0 and not tier1:
        c.unmet_zh, c.unmet_en = "窗口内没有工作日", "no working day in the window"
        return c
    c.had_preferred = bool(tier0)
    if away:
        blocked = [i for i in (*tier0, *tier1) if i in away]
        tier0 = [i for i in tier0 if i not in away]
        tier1 = [i for i in tier1 if i not in away]
        if not tier0 and not tier1:
            reasons = sorted({away[i] for i in blocked if away[i]})
            why_zh = f"(原因:{'、'.join(reasons)})" if reasons else ""
            why_en = f" ({'; '.join(reasons)})" if reasons else ""
            c.unmet_zh = f"领导在窗口内的全部可安排日均不可用{why_zh}"
            c.unmet_en = f"the leader is unavailable on every allowed day of the window{why_en}"
            return c
    frac = 0.2 + 0.6 * _fraction(seed, req.leader_id, req.counselor_id, req.form.value)
    target = lo + round(frac * (hi - lo))
    if tier0:
        tier0 = _thin(tier0, target, thin)
        tier1 = _thin(tier1, target, None if thin is None else max(2, thin // 3))
    else:
        tier1 = _thin(tier1, target, thin)
    c.days = [*tier0, *tier1]
    c.costs = [abs(i - target) for i in tier0] + [TIER_COST + abs(i - target) for i in tier1]
    c.preferred = set(tier0)
    c.events = {i: e for i, e in ev.items() if i in c.preferred}
    return c


def _components(
    cands: list[_Candidates],
) -> list[list[int]]:
    """Indexes of ``cands`` grouped by connected component of leaders via shared counselors."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    first_leader: dict[str, str] = {}
    for c in cands:
        lid, cid = c.req.leader_id, c.req.counselor_id
        find(lid)
        other = first_leader.setdefault(cid, lid)
        ra, rb = find(lid), find(other)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[int]] = {}
    for n, c in enumerate(cands):
        groups.setdefault(find(c.req.leader_id), []).append(n)
    return [groups[k] for k in sorted(groups)]


def _component(
    cands: list[_Candidates], idx: list[int], problem: Problem
) -> tuple[Component, list[int]]:
    """The model data of one component; also which candidates went in (those with days)."""
    s = problem.settings
    members = [n for n in idx if cands[n].days]
    leaders: dict[str, int] = {}
    counselors: dict[str, int] = {}
    items = []
    for n in members:
        r = cands[n].req
        items.append(
            ComponentItem(
                cands[n].days,
                cands[n].costs,
                leaders.setdefault(r.leader_id, len(leaders)),
                counselors.setdefault(r.counselor_id, len(counselors)),
            )
        )
    spacing = []
    gap = s.min_days_between_talks
    if gap > 0:
        talks: dict[tuple[str, str], list[int]] = {}
        for pos, n in enumerate(members):
            if cands[n].req.form is Form.TALK:
                talks.setdefault(cands[n].req.pair, []).append(pos)
        for positions in talks.values():
            positions.sort(key=lambda p: cands[members[p]].req.window_start)
            for a_i, a in enumerate(positions):
                for b in positions[a_i + 1 :]:
                    if min(items[b].days) - max(items[a].days) < gap:
                        spacing.append((a, b, gap))
    comp = Component(items, s.max_items_per_leader_day, s.max_items_per_counselor_day, spacing)
    if len(items) > MAX_ITEMS_PER_MODEL:
        comp.chunks = _chunks(items)
    return comp, members


def _chunks(items: list[ComponentItem]) -> list[list[int]]:
    """Item indexes in chunks of whole leaders, at most :data:`MAX_ITEMS_PER_MODEL` items
    each when leaders allow; leaders are taken breadth-first through shared counselors so
    that leaders coupled by a counselor tend to share a chunk."""
    by_leader: dict[int, list[int]] = {}
    leaders_of: dict[int, set[int]] = {}
    counselors_of: dict[int, set[int]] = {}
    for n, it in enumerate(items):
        by_leader.setdefault(it.leader, []).append(n)
        leaders_of.setdefault(it.counselor, set()).add(it.leader)
        counselors_of.setdefault(it.leader, set()).add(it.counselor)
    order: list[int] = []
    seen: set[int] = set()
    for root in sorted(by_leader):
        if root in seen:
            continue
        seen.add(root)
        queue = [root]
        while queue:
            ld = queue.pop(0)
            order.append(ld)
            for c in sorted(counselors_of[ld]):
                for nxt in sorted(leaders_of[c] - seen):
                    seen.add(nxt)
                    queue.append(nxt)
    chunks: list[list[int]] = [[]]
    for ld in order:
        if chunks[-1] and len(chunks[-1]) + len(by_leader[ld]) > MAX_ITEMS_PER_MODEL:
            chunks.append([])
        chunks[-1].extend(by_leader[ld])
    return chunks


def _pair_item(c: _Candidates, pick: int | None, cal: _Calendar, problem: Problem) -> ScheduleItem:
    r = c.req
    stage = ""
    if r.form is Form.CAREER and r.counselor_id in problem.counselor_by_id:
        stage = problem.stage(r.counselor_id).value
    base = {
        "item_id": r.item_id,
        "cycle": r.cycle,
        "leader_id": r.leader_id,
        "counselor_id": r.counselor_id,
        "form": r.form,
        "period": r.period,
        "window_start": r.window_start,
        "window_end": r.window_end,
        "stage": stage,
    }
    if pick is None:
        zh, en = c.unmet_zh, c.unmet_en
        if not zh:
            if r.form is Form.TALK:
                zh = "窗口内可安排的日子已被每日事项上限或约谈间隔占满"
                en = (
                    "every allowed day in the window is taken by the daily caps or the talk spacing"
                )
            else:
                zh = "窗口内可安排的日子已被每日事项上限占满"
                en = "every allowed day in the window is taken by the daily caps"
        return ScheduleItem(
            **base,  # type: ignore[arg-type]
            date=None,
            status=Status.UNMET,
            note_zh=zh,
            note_en=en,
            calendar_source=cal.window_source(r),
        )
    day = cal.day(pick)
    notes_zh: list[str] = []
    notes_en: list[str] = []
    category = title = ""
    ev = c.events.get(pick)
    if ev is not None:
        category, title = ev.category, ev.title
        cat_zh = _category_zh(category)
        notes_zh.append(f"参加活动:{title}({cat_zh})" if title else f"参加活动:{cat_zh}")
        notes_en.append(f"joins the event: {title} ({category})" if title else f"joins: {category}")
    elif r.form is Form.GUIDANCE:
        if c.had_preferred:
            notes_zh.append("该辅导员本学期的活动当天领导不可用或当日联系事项已满,安排在教学工作日")
            notes_en.append(
                "on the counselor's event days this semester the leader is away or the day is "
                "full; a teaching day"
            )
        else:
            notes_zh.append("本学期没有该辅导员的活动记录,安排在教学工作日")
            notes_en.append("no event of the counselor this semester; a teaching day")
    elif pick not in c.preferred and c.had_preferred:
        notes_zh.append("学期内没有可安排的工作日,安排在学期外")
        notes_en.append("no free teaching day in the window; outside the semester")
    if stage and stage != Stage.UNKNOWN:
        notes_zh.append(f"发展阶段:{stage}")
        notes_en.append(f"stage: {stage_name(stage, 'en')}")
    sem = r.semester if r.form is Form.GUIDANCE else cal.semester[pick]
    return ScheduleItem(
        **base,  # type: ignore[arg-type]
        date=day,
        status=Status.PLANNED,
        note_zh=";".join(notes_zh),
        note_en="; ".join(notes_en),
        calendar_source=cal.source(pick, sem),
        category=category,
        event_title=title,
    )


# ----- warnings ---------------------------------------------------------------------------


def _input_notes(
    problem: Problem,
    plan: Plan,
    unavailable_rows: list[Mapping[str, object]],
    event_rows: list[Mapping[str, object]],
) -> list[Note]:
    notes = []
    lids = set(problem.leader_by_id)
    cids = set(problem.counselor_by_id)
    bad_l = sorted({str(r.get("leader_id")) for r in unavailable_rows} - lids - {"None", ""})
    bad_c = sorted({str(r.get("counselor_id")) for r in event_rows} - cids - {"None", ""})
    if bad_l:
        notes.append(
            Note(
                f"不可用时间中有不在领导干部名单中的工号,已忽略:{'、'.join(bad_l)}",
                f"unavailable names leader ids not on the roster, ignored: {', '.join(bad_l)}",
            )
        )
    if bad_c:
        notes.append(
            Note(
                f"辅导员活动中有不在辅导员名单中的工号,已忽略:{'、'.join(bad_c)}",
                f"events name counselor ids not on the roster, ignored: {', '.join(bad_c)}",
            )
        )
    return notes


def _strict_check(config: CalendarConfig, provider: WorkdayProvider) -> None:
    years = provider.estimated_years(config.cycle_start, config.cycle_end)
    if years:
        raise EstimatedYearRefused(years[0], config.form)
    est = config.estimated_semesters()
    if est:
        names = "、".join(s.name for s in est)
        fix_zh, fix_en = config.form.semesters_fix()
        raise InputError(
            [
                InputProblem(
                    config.form.file,
                    f"--strict:校历未列出学期 {names},拒绝按往年顺延估算。" + fix_zh,
                    f"--strict: the calendar does not list semesters {names}; refusing to "
                    "estimate them. " + fix_en,
                    sheet=config.form.sheet,
                )
            ]
        )


# ----- entry point ------------------------------------------------------------------------


def build_schedule(
    problem: Problem,
    plan: Plan,
    config: CalendarConfig,
    unavailable_rows: Iterable[Mapping[str, object]] = (),
    event_rows: Iterable[Mapping[str, object]] = (),
    *,
    strict: bool = False,
    pair_starts: Mapping[tuple[str, str], date] | None = None,
    seed: int = 0,
    thin_to: int | None = -1,
    workers: int | None = None,
) -> Schedule:
    """Schedule every item the cycle requires for ``plan`` (CONTRACT.md §9).

    Parameters
    ----------
    problem
        Rosters and settings (daily caps, talk spacing, exchanges per semester).
    plan
        The pairs; its ``cycle`` labels the items.
    config
        The calendar: cycle dates, days off/on, semesters.
    unavailable_rows
        不可用时间 rows: ``leader_id``, ``start``, ``end`` (inclusive; blank = one day),
        ``reason``.
    event_rows
        辅导员活动 rows: ``counselor_id``, ``date``, ``category``, ``title``.
    strict
        Refuse estimated working days (:class:`EstimatedYearRefused`) and estimated
        semesters (:class:`InputError`) instead of marking them.
    pair_starts
        Start date per (leader_id, counselor_id) for pairs added by a repair; others start
        with the cycle.
    seed
        Spreads items differently for different seeds; same seed, same schedule.
    thin_to
        Candidate days kept per item; -1 (default): :data:`THIN_TO` for up to
        :data:`THIN_ABOVE_PAIRS` pairs, else :data:`THIN_TO_LARGE`; None: every allowed day.
    workers
        Processes for the solve (None: automatic, at most 2). Does not change the result.

    Returns
    -------
    Schedule
        Every required item, planned or unmet with its reason, and the warnings.

    Raises
    ------
    EstimatedYearRefused
        ``strict`` and a year of the cycle has no published holiday schedule.
    InputError
        ``strict`` and a semester of the cycle is estimated.
    """
    t0 = time.perf_counter()
    provider = config.provider(strict=strict)
    if strict:
        _strict_check(config, provider)
    unavailable_rows = list(unavailable_rows)
    event_rows = list(event_rows)
    cal = _Calendar(config, provider)
    s = problem.settings
    reqs = required_items(plan, config, s.exchange_meetings_per_semester, pair_starts)
    away = unavailable_days(unavailable_rows)
    events = counselor_events(event_rows)
    leaders = sorted({p.leader_id for p in plan.pairs})

    items = _place_group([r for r in reqs if r.form.is_group], cal, problem, leaders, away)

    pair_reqs = [r for r in reqs if not r.form.is_group]
    if thin_to == -1:
        thin_to = THIN_TO_LARGE if len(plan.pairs) > THIN_ABOVE_PAIRS else THIN_TO
    # Absences as day indexes, once per leader: candidate days are indexes too.
    away_idx = {
        lid: {cal.index(d): why for d, why in days.items() if 0 <= cal.index(d) < cal.n}
        for lid, days in away.items()
    }
    cands = [
        _candidates(
            r, cal, away_idx.get(r.leader_id, {}), events.get(r.counselor_id, []), seed, thin_to
        )
        for r in pair_reqs
    ]
    comps = [_component(cands, idx, problem) for idx in _components(cands)]
    results = solve_components([c for c, _ in comps], seed=seed, workers=workers)
    picks: dict[int, int] = {}
    for (comp, members), chosen in zip(comps, results, strict=True):
        for pos, k in enumerate(chosen):
            if k >= 0:
                picks[members[pos]] = comp.items[pos].days[k]
    items += [_pair_item(c, picks.get(n), cal, problem) for n, c in enumerate(cands)]
    items.sort(key=ScheduleItem.sort_key)

    warnings = list(config.notes)
    zh, en = (
        provider.warning_zh(config.cycle_start, config.cycle_end),
        provider.warning_en(config.cycle_start, config.cycle_end),
    )
    if zh and en:
        warnings.append(Note(zh, en))
    warnings += config.semester_notes()
    warnings += _input_notes(problem, plan, unavailable_rows, event_rows)
    unmet = [i for i in items if i.status is Status.UNMET]
    if unmet:
        warnings.append(
            Note(
                f"有 {len(unmet)} 项未能安排(见“状态”为“未排”的行及其说明)",
                f"{len(unmet)} items could not be scheduled (status 'unmet', see the note)",
            )
        )
    return Schedule(
        cycle=plan.cycle,
        cycle_start=config.cycle_start,
        cycle_end=config.cycle_end,
        items=items,
        warnings=warnings,
        seconds=time.perf_counter() - t0,
    )
