"""Pairing benchmark: our solver vs a naive dense CP-SAT model vs the flow bound alone.

(The ratio to the aggregated-flow anchor of issue 15 is benchmarks/anchor.py.)

Run: ``.venv/bin/python benchmarks/pairing.py [--sizes 45 500 2000 5000] [--naive-limit 100]``.
Prints, per size, times and ratios measured in this one process (no absolute
targets are asserted), and whether each answer is optimal for levels 1-3.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Running a file of benchmarks/ puts this folder first on sys.path, where
# benchmarks/calendar.py would shadow the standard library's calendar module.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import csv  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from ortools.sat.python import cp_model  # noqa: E402

from models import Problem  # noqa: E402
from planner.pairing import solve_pairing  # noqa: E402
from planner.pairing.candidates import is_dense  # noqa: E402
from planner.pairing.flow import all_pairs, encode, levels_of, pool_bound, solve_explicit  # noqa: E402
from planner.synth import random_college  # noqa: E402

LEVELS_1_3 = ("pairs", "own_unit_pairs", "heads_covered")


def naive_dense(p: Problem, limit: float) -> tuple[float, dict[str, int] | None, str]:
    """Every pair a variable, default CP-SAT parameters, levels 1-3 in turn."""
    t0 = time.perf_counter()
    m = cp_model.CpModel()
    ls, cs = p.active_leaders, p.active_counselors
    x = {}
    for ld in ls:
        for c in cs:
            if p.allowed((ld.leader_id, c.counselor_id)):
                x[ld.leader_id, c.counselor_id] = m.new_bool_var("")
    k = p.settings.max_leaders_per_counselor
    for c in cs:
        s = sum(v for (a, b), v in x.items() if b == c.counselor_id)
        m.add(s >= 1)
        m.add(s <= k)
    for ld in ls:
        lo, hi = p.load_bounds(ld)
        s = sum(v for (a, b), v in x.items() if a == ld.leader_id)
        m.add(s >= lo)
        m.add(s <= hi)
    for key in p.musts:
        if key in x:
            m.add(x[key] == 1)
    own = [v for key, v in x.items() if p.is_own_unit(*key)]
    ys = []
    for ld in ls:
        mine = [v for (a, b), v in x.items() if a == ld.leader_id and p.is_own_unit(a, b)]
        if mine:
            y = m.new_bool_var("")
            m.add(y <= sum(mine))
            ys.append(y)
    exprs = {"pairs": sum(x.values()), "own_unit_pairs": sum(own), "heads_covered": sum(ys)}
    levels: dict[str, int] = {}
    status = "optimal"
    for name in LEVELS_1_3:
        left = limit - (time.perf_counter() - t0)
        if left <= 0:
            status = "time limit"
            break
        (m.minimize if name == "pairs" else m.maximize)(exprs[name])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = left
        code = solver.solve(m)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            status = "no answer"
            break
        levels[name] = round(solver.objective_value)
        if code != cp_model.OPTIMAL:
            status = "not proven"
            break
        m.add(exprs[name] == levels[name])
    return time.perf_counter() - t0, (levels or None), status


def write_college(p: Problem, folder: Path) -> None:
    """The generated college as the CSV files the office would hand over."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "leaders.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["leader_id", "name", "level", "unit", "heads_teaching_unit"])
        for ld in p.leaders:
            w.writerow([ld.leader_id, ld.name, ld.level.value, ld.unit, ld.heads_teaching_unit])
    with (folder / "counselors.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["counselor_id", "name", "unit", "start_date"])
        for c in p.counselors:
            w.writerow([c.counselor_id, c.name, c.unit, c.start_date])
    with (folder / "history.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["cycle", "leader_id", "counselor_id"])
        for h in p.history:
            w.writerow([h.cycle, h.leader_id, h.counselor_id])
    with (folder / "rules.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["leader_id", "counselor_id", "rule"])
        for r in p.rules:
            w.writerow([r.leader_id, r.counselor_id, r.kind.value])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[45, 500, 2000, 5000])
    ap.add_argument("--naive-limit", type=float, default=100.0)
    ap.add_argument(
        "--naive-max", type=int, default=500, help="largest size to run the naive model on"
    )
    args = ap.parse_args()
    planner = Path(sys.executable).parent / "planner"
    print(
        f"{'n':>6} {'leaders':>7} {'ours s':>8} {'cli s':>7} {'flow s':>7} {'naive s':>8} {'naive/ours':>10} {'flow/ours':>9}  optimal 1-3 (ours | naive)"
    )
    for n in args.sizes:
        p = random_college(n, seed=1)
        t = time.perf_counter()
        r = solve_pairing(p, time_limit=300)
        ours = time.perf_counter() - t
        t = time.perf_counter()
        cd = encode(p)
        if is_dense(p):
            fp = solve_explicit(cd, *all_pairs(cd))
            best = levels_of(cd, fp.li, fp.ci) if fp is not None else {}
        else:
            sol = pool_bound(cd)  # the pool relaxation's bound on levels 1-5
            best = dict(sol.bound) if sol is not None else {}
        flow_s = time.perf_counter() - t
        with tempfile.TemporaryDirectory() as tmp:
            write_college(p, Path(tmp) / "data")
            t = time.perf_counter()
            cli = subprocess.run(
                [
                    str(planner),
                    "assign",
                    str(Path(tmp) / "data"),
                    "--out",
                    str(Path(tmp) / "out"),
                    "--cycle",
                    "2027-2030",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            cli_s = time.perf_counter() - t
            if cli.returncode != 0:
                print(cli.stderr[-500:])
        ours_opt = r.status.value == "optimal" and all(
            r.levels.get(k) == best.get(k) for k in LEVELS_1_3
        )
        if n <= args.naive_max:
            naive_s, naive_lv, naive_status = naive_dense(p, args.naive_limit)
            naive_opt = (
                naive_status == "optimal"
                and naive_lv is not None
                and all(naive_lv.get(k) == best.get(k) for k in LEVELS_1_3)
            )
            naive_txt = f"{naive_s:8.2f} {naive_s / ours:10.1f}"
            naive_res = f"{naive_opt} ({naive_status})"
        else:
            naive_txt = f"{'-':>8} {'-':>10}"
            naive_res = "not run"
        print(
            f"{n:>6} {len(p.leaders):>7} {ours:8.2f} {cli_s:7.2f} {flow_s:7.2f} {naive_txt} {flow_s / ours:9.2f}  {ours_opt} | {naive_res}   levels {[r.levels.get(k) for k in LEVELS_1_3]} proof={r.proof}",
            flush=True,
        )


if __name__ == "__main__":
    main()
