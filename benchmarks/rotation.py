"""Rotation and what-if benchmark: lookahead vs greedy, repair vs a fresh assign.

Run: ``.venv/bin/python benchmarks/rotation.py [--sizes 500] [--cycles 3]``.

Prints, measured in this one process (ratios, no absolute targets asserted):

* lookahead for N cycles on the demo college and on generated colleges
  (leaders ≈ counselors / 2.5, about 10 % of them teaching-unit heads), with
  the greedy baseline (``assign`` cycle by cycle) run in the same process: time
  of each, their ratio, and the objective totals of both;
* what-if repair on the demo for every change file in ``scenarios/changes`` (and
  two leaders leaving a generated college), against a fresh ``assign`` of the
  changed problem (the baseline that ignores the old plan): time ratio and the
  moves each needs.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Running a file of benchmarks/ puts this folder first on sys.path, where
# benchmarks/calendar.py would shadow the standard library's calendar module.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402

from models import Counselor, HistoryPair, Leader, Level, Problem, Settings  # noqa: E402
from planner.changes import Change  # noqa: E402
from planner.io.change_files import read_change  # noqa: E402
from planner.io.read import read_data  # noqa: E402
from planner.pairing import solve_pairing  # noqa: E402
from planner.pairing.repair import count_moves, repair  # noqa: E402
from planner.pairing.rotation import REPORT_LEVELS, cycle_labels, greedy_rotation, rotate  # noqa: E402
from planner.scenarios import apply_change  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "scenarios" / "demo"
CHANGES = ROOT / "scenarios" / "changes"


def generated_college(n_counselors: int, *, seed: int = 0, heads_share: float = 0.10) -> Problem:
    """A college of ``n_counselors``, ≈ n/2.5 leaders of whom ``heads_share`` head a unit.

    Units hold 3-8 counselors; the heads lead the first units (every third of
    them has a second head), so most units have no head at all, as in a college
    where only some units' principals take part. One earlier cycle pairs every
    counselor with one leader.
    """
    rnd = random.Random(seed)
    counselors: list[Counselor] = []
    units: list[str] = []
    while len(counselors) < n_counselors:
        unit = f"系{len(units) + 1:03d}"
        units.append(unit)
        for _ in range(min(rnd.randint(3, 8), n_counselors - len(counselors))):
            i = len(counselors) + 1
            counselors.append(
                Counselor(
                    counselor_id=f"{i:05d}",
                    name=f"辅导员{i}",
                    unit=unit,
                    start_date=date(rnd.randint(2010, 2026), 9, 1),
                    order=i - 1,
                )
            )
    n_leaders = max(2, round(n_counselors / 2.5))
    n_heads = max(1, round(n_leaders * heads_share))
    leaders: list[Leader] = []
    u = 0
    while len(leaders) < n_heads:
        for _ in range(2 if u % 3 == 0 else 1):
            if len(leaders) < n_heads:
                k = len(leaders) + 1
                leaders.append(
                    Leader(
                        leader_id=f"L{k:04d}",
                        name=f"领导{k}",
                        unit=units[u],
                        heads_teaching_unit=True,
                        level=Level.MIDDLE,
                        order=k - 1,
                    )
                )
        u += 1
    while len(leaders) < n_leaders:
        k = len(leaders) + 1
        college = rnd.random() < 0.2
        leaders.append(
            Leader(
                leader_id=f"L{k:04d}",
                name=f"领导{k}",
                unit="" if college else f"处{k}",
                level=Level.COLLEGE if college else Level.MIDDLE,
                order=k - 1,
            )
        )
    # One earlier cycle: a random plan with every counselor covered once.
    hist: list[HistoryPair] = []
    slots = [ld.leader_id for ld in leaders for _ in range(3)]
    rnd.shuffle(slots)
    for c, lid in zip(counselors, slots, strict=False):
        hist.append(HistoryPair(cycle="2024-2027", leader_id=lid, counselor_id=c.counselor_id))
    return Problem(
        leaders=tuple(leaders),
        counselors=tuple(counselors),
        history=tuple(hist),
        settings=Settings(),
        cycle="2027-2030",
        cycle_start=date(2027, 3, 1),
    )


def _totals(plans: list) -> list[int]:
    return [sum(cp.levels[k] for cp in plans) for k in REPORT_LEVELS]


def bench_rotation(name: str, problem: Problem, cycles: int, time_limit: float) -> None:
    labels = cycle_labels(problem.cycle, cycles)
    t = time.perf_counter()
    greedy, failed, _ = greedy_rotation(problem, labels, time_limit=time_limit)
    greedy_s = time.perf_counter() - t
    t = time.perf_counter()
    res = rotate(problem, cycles, time_limit=time_limit)
    rotate_s = time.perf_counter() - t
    joint = res.joint or []
    print(
        f"{name:<26} {len(problem.active_counselors):>5} {len(problem.active_leaders):>5} "
        f"{greedy_s:8.2f} {rotate_s:9.2f} {res.joint_seconds:8.2f} {rotate_s / greedy_s:7.1f}  "
        f"{res.status.value:<9} kept={'greedy' if res.used_greedy else 'lookahead':<9} "
        f"lookahead {_totals(joint)} greedy {_totals(greedy) if failed is None else f'fails at cycle {failed + 1}'}",
        flush=True,
    )


def bench_repair(time_limit: float, sizes: list[int]) -> None:
    ds = read_data(DEMO)
    base = solve_pairing(ds.problem, time_limit=time_limit)
    assert base.plan is not None
    old = sorted(base.plan.keys())
    print(
        f"\n{'what-if':<26} {'repair s':>8} {'assign s':>8} {'ratio':>6} "
        f"{'moves':>6} {'assign moves':>12}"
    )
    cases = [
        (f"demo {p.stem}", ds.problem, old, read_change(p)) for p in sorted(CHANGES.glob("*.toml"))
    ]
    for n in sizes:
        college = generated_college(n, seed=1)
        plan = solve_pairing(college, time_limit=time_limit).plan
        assert plan is not None
        keys = sorted(plan.keys())
        leavers = (keys[0][0], college.active_leaders[-1].leader_id)
        cases.append((f"generated {n}: 2 leave", college, keys, Change(leaders_leave=leavers)))
    for name, problem, old, change in cases:
        applied = apply_change(problem, change)
        t = time.perf_counter()
        res = repair(applied, old, time_limit=time_limit)
        repair_s = time.perf_counter() - t
        t = time.perf_counter()
        fresh = solve_pairing(applied.problem, time_limit=time_limit)
        assign_s = time.perf_counter() - t
        fresh_moves = count_moves(applied, old, fresh.plan.keys()) if fresh.plan else "-"
        print(
            f"{name:<26} {repair_s:8.2f} {assign_s:8.2f} {repair_s / assign_s:6.1f} "
            f"{res.moves!s:>6} {fresh_moves!s:>12}",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[500])
    ap.add_argument("--cycles", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=120.0)
    args = ap.parse_args()
    print(
        f"{'rotation':<26} {'couns':>5} {'lead':>5} {'greedy s':>8} {'rotate s':>9} "
        f"{'joint s':>8} {'ratio':>7}  (levels: {', '.join(REPORT_LEVELS)})"
    )
    demo = read_data(DEMO).problem
    bench_rotation("demo", demo, args.cycles, args.time_limit)
    # A stricter rotation (no repeat of the latest two cycles) is where greedy runs dry.
    strict = demo.settings.model_copy(update={"no_repeat_cycles": 2})
    bench_rotation(
        "demo, no repeat of 2", demo.replace(settings=strict), args.cycles, args.time_limit
    )
    for n in args.sizes:
        college = generated_college(n, seed=1)
        bench_rotation("generated (10% heads)", college, args.cycles, args.time_limit)
        bench_rotation(
            "generated, no repeat of 2",
            college.replace(settings=Settings(no_repeat_cycles=2)),
            args.cycles,
            args.time_limit,
        )
    bench_repair(args.time_limit, args.sizes)


if __name__ == "__main__":
    main()
