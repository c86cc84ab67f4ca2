"""Benchmark of the contact-calendar scheduler against a greedy baseline.

Run: ``.venv/bin/python benchmarks/calendar.py [--sizes 50,5000] [--seed 0]``

For each size it generates a college (leaders with 2-3 counselors each, about one counselor
in ten with a second leader), three years of semesters, a few leader absences and counselor
events, then times :func:`build_schedule` and a greedy baseline run in the same process:
each item, in order, on the earliest day in its window that the rules allow. It prints
seconds, the share of items placed, the mean distance from the window's middle (how well
items spread), and the time ratio scheduler / baseline. Ratios matter, not absolute times.
"""

from __future__ import annotations

# This file is named calendar.py: drop its folder from the import path before anything
# imports the standard library's ``calendar`` and finds this file instead.
import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != _HERE]

import argparse  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from datetime import date, timedelta  # noqa: E402

from models import Counselor, Leader, Level, Pair, Plan, Problem, Settings  # noqa: E402
from planner.rules.validate_schedule import validate_schedule  # noqa: E402
from planner.rules.windows import (  # noqa: E402
    Form,
    Requirement,
    counselor_events,
    required_items,
    unavailable_days,
)
from planner.scheduling.builder import build_schedule  # noqa: E402
from planner.workdays.school_year import CalendarConfig, Semester  # noqa: E402

CATEGORIES = ("class_meeting", "heart_talk", "party_development", "awards", "recreation")


def generate(n_pairs: int, seed: int = 0) -> tuple[Problem, Plan, CalendarConfig, list, list]:
    """A synthetic college with about ``n_pairs`` pairs over the 2027-2030 cycle."""
    rng = random.Random(seed)
    n_leaders = max(2, n_pairs * 2 // 5)  # loads 2-3, mean 2.5
    loads = [2 + (i % 2) for i in range(n_leaders)]
    while sum(loads) < n_pairs:
        loads[rng.randrange(n_leaders)] = 3
    while sum(loads) > n_pairs:
        i = rng.randrange(n_leaders)
        if loads[i] > 2:
            loads[i] -= 1
        elif all(x == 2 for x in loads):
            break
    n_pairs = sum(loads)
    n_counselors = n_pairs - n_pairs // 10
    leaders = tuple(
        Leader(leader_id=f"L{i:05d}", name=f"领导{i}", level=Level.COLLEGE, order=i)
        for i in range(n_leaders)
    )
    counselors = tuple(
        Counselor(
            counselor_id=f"{i:05d}",
            name=f"辅导员{i}",
            unit=f"系{i % 20}",
            start_date=date(2015 + i % 12, 9, 1),
        )
        for i in range(n_counselors)
    )
    slots = [
        lid for lid, k in zip((x.leader_id for x in leaders), loads, strict=True) for _ in range(k)
    ]
    rng.shuffle(slots)
    pairs: set[tuple[str, str]] = set()
    cids = [c.counselor_id for c in counselors]
    for n, lid in enumerate(slots):
        cid = cids[n] if n < n_counselors else rng.choice(cids)
        while (lid, cid) in pairs:
            cid = rng.choice(cids)
        pairs.add((lid, cid))
    problem = Problem(
        leaders=leaders, counselors=counselors, settings=Settings(), cycle="2027-2030"
    )
    plan = Plan(
        cycle="2027-2030", pairs=tuple(Pair(leader_id=a, counselor_id=b) for a, b in sorted(pairs))
    )
    sems = []
    for y in (2027, 2028, 2029):
        sems.append(Semester(f"{y - 1}-{y}-2", date(y, 3, 1), date(y, 7, 9)))
        sems.append(Semester(f"{y}-{y + 1}-1", date(y, 9, 1), date(y + 1, 1, 17)))
    config = CalendarConfig(cycle_start=date(2027, 3, 1), semesters=tuple(sems))
    unavailable = []
    for ld in leaders:
        if rng.random() < 0.2:
            start = date(2027, 3, 1) + timedelta(days=rng.randrange(1000))
            unavailable.append(
                {
                    "leader_id": ld.leader_id,
                    "start": start,
                    "end": start + timedelta(days=rng.randrange(3, 30)),
                    "reason": "出差",
                }
            )
    events = []
    for c in counselors:
        for s in sems:
            for _ in range(rng.randrange(0, 4)):
                d = s.start + timedelta(days=rng.randrange((s.end - s.start).days + 1))
                events.append(
                    {
                        "counselor_id": c.counselor_id,
                        "date": d,
                        "category": rng.choice(CATEGORIES),
                        "title": "活动",
                    }
                )
    return problem, plan, config, unavailable, events


def baseline(
    problem: Problem, plan: Plan, config: CalendarConfig, unavailable: list, events: list
) -> dict[str, date | None]:
    """Greedy: each pair item, in order, on the earliest day the rules allow."""
    s = problem.settings
    wp = config.provider()
    sems = config.cycle_semesters()
    away = unavailable_days(unavailable)
    evs = counselor_events(events)
    leader_load: dict[tuple[str, date], int] = defaultdict(int)
    counselor_load: dict[tuple[str, date], int] = defaultdict(int)
    last_talk: dict[tuple[str, str], date] = {}
    out: dict[str, date | None] = {}
    reqs: list[Requirement] = required_items(plan, config, s.exchange_meetings_per_semester)
    for r in reqs:
        if r.form.is_group:
            continue
        days = []
        if r.form is Form.GUIDANCE:
            days = [
                e.day
                for e in evs.get(r.counselor_id, [])
                if r.window_start <= e.day <= r.window_end
            ]
        d = r.window_start
        while d <= r.window_end:
            if wp.is_working(d) and (
                r.form is not Form.GUIDANCE or any(x.contains(d) for x in sems)
            ):
                days.append(d)
            d += timedelta(days=1)
        out[r.item_id] = None
        for d in days:
            if d in away.get(r.leader_id, {}):
                continue
            if leader_load[(r.leader_id, d)] >= s.max_items_per_leader_day:
                continue
            if counselor_load[(r.counselor_id, d)] >= s.max_items_per_counselor_day:
                continue
            prev = last_talk.get(r.pair)
            if (
                r.form is Form.TALK
                and prev is not None
                and (d - prev).days < s.min_days_between_talks
            ):
                continue
            out[r.item_id] = d
            leader_load[(r.leader_id, d)] += 1
            counselor_load[(r.counselor_id, d)] += 1
            if r.form is Form.TALK:
                last_talk[r.pair] = d
            break
    return out


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the solver processes):
    steadier than wall time on a shared machine."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _spread(items: list[tuple[date | None, date, date]]) -> float:
    """Mean distance (days) of placed items from their window's middle."""
    dist = [abs((d - a).days - (b - a).days / 2) for d, a, b in items if d is not None]
    return sum(dist) / max(1, len(dist))


def run(n_pairs: int, seed: int) -> None:
    problem, plan, config, unavailable, events = generate(n_pairs, seed)
    t = time.perf_counter()
    base = baseline(problem, plan, config, unavailable, events)
    t_base = time.perf_counter() - t
    t, cpu = time.perf_counter(), _cpu()
    sch = build_schedule(problem, plan, config, unavailable, events, seed=seed)
    t_sched, cpu_sched = time.perf_counter() - t, _cpu() - cpu
    t = time.perf_counter()
    violations = validate_schedule(problem, plan, config, unavailable, events, sch.items)
    t_val = time.perf_counter() - t
    pair_items = [i for i in sch.items if not i.form.is_group]
    placed = sum(i.date is not None for i in pair_items) / max(1, len(pair_items))
    base_placed = sum(d is not None for d in base.values()) / max(1, len(base))
    windows = {i.item_id: (i.window_start, i.window_end) for i in pair_items}
    print(
        f"{len(plan.pairs):>5} pairs, {len(pair_items):>6} pair items | "
        f"scheduler {t_sched:7.2f} s (cpu {cpu_sched:6.2f} s), placed {placed:7.2%}, spread {_spread([(i.date, i.window_start, i.window_end) for i in pair_items]):5.1f} d | "
        f"baseline {t_base:6.2f} s, placed {base_placed:7.2%}, spread {_spread([(d, *windows[k]) for k, d in base.items()]):5.1f} d | "
        f"ratio {t_sched / max(t_base, 1e-9):5.2f} | validator {t_val:5.2f} s, {len(violations)} violations"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,5000", help="pair counts, comma-separated")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    for n in (int(x) for x in args.sizes.split(",")):
        run(n, args.seed)


if __name__ == "__main__":
    main()
