"""Pairing solve vs the aggregated-flow anchor, in one process (issue 15's target).

Run: ``.venv/bin/python benchmarks/anchor.py [--sizes 500 2000 5000 20000] [--repeat 3]``.

The anchor is the leanest exact solve of levels 1-3 we know: an aggregated min-cost
flow with the own-unit arcs explicit and every cross-unit pair through one pool node,
numpy arc arrays, OR-Tools ``SimpleMinCostFlow``, one weighted solve. It names no
pairs (the pool is not split) and ignores levels 4-7. Our solve
(:func:`planner.pairing.solve_pairing`) does everything: levels 1-5 exact (and 6),
real pairs, the seeded tie-break. Printed per size: the median of ``--repeat`` runs
of each, their ratio, the target (ours within 5x the anchor at 2,000-20,000
counselors), and whether both agree on levels 1-3. Colleges come from
:func:`planner.synth.random_college` (leaders ≈ counselors / 2.5).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Running a file of benchmarks/ puts this folder first on sys.path, where
# benchmarks/calendar.py would shadow the standard library's calendar module.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from ortools.graph.python import min_cost_flow  # noqa: E402

from models import Problem  # noqa: E402
from planner.pairing import solve_pairing  # noqa: E402
from planner.synth import random_college  # noqa: E402

TARGET_RATIO = 5.0
TARGET_SIZES = (2_000, 20_000)


def anchor(p: Problem) -> tuple[int, int, int]:
    """Levels 1-3 (pairs, own-unit pairs, heads covered) by one aggregated flow."""
    leaders, counselors = p.active_leaders, p.active_counselors
    n_l, n_c = len(leaders), len(counselors)
    k = p.settings.max_leaders_per_counselor
    units: dict[str, int] = {}
    c_unit = np.array([units.setdefault(c.unit, len(units)) for c in counselors], dtype=np.int64)
    bounds = np.array([p.load_bounds(ld) for ld in leaders], dtype=np.int64).reshape(-1, 2)
    heads = [i for i, ld in enumerate(leaders) if ld.heads_teaching_unit and ld.unit in units]
    li_of = {ld.leader_id: i for i, ld in enumerate(leaders)}
    ci_of = {c.counselor_id: i for i, c in enumerate(counselors)}
    barred = {
        li_of[a] * n_c + ci_of[b]
        for a, b in (p.nevers | p.forbidden_repeats)
        if a in li_of and b in ci_of and (a, b) not in p.musts
    }
    order = np.argsort(c_unit, kind="stable")
    su = c_unit[order]
    h_unit = np.array([units[leaders[i].unit] for i in heads], dtype=np.int64)
    start, end = np.searchsorted(su, h_unit, "left"), np.searchsorted(su, h_unit, "right")
    sizes = end - start
    own_l = np.repeat(np.array(heads, dtype=np.int64), sizes)
    offs = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    own_c = order[np.repeat(start, sizes) + offs]
    if barred:
        keep = ~np.isin(own_l * n_c + own_c, np.fromiter(barred, dtype=np.int64))
        own_l, own_c = own_l[keep], own_c[keep]
    # must pairs: explicit arcs with lower bound 1 (own-unit ones replace their own arc)
    musts = sorted(li_of[a] * n_c + ci_of[b] for a, b in p.musts if a in li_of and b in ci_of)
    must_codes = np.array(musts, dtype=np.int64)
    if len(must_codes):
        keep = ~np.isin(own_l * n_c + own_c, must_codes)
        own_l, own_c = own_l[keep], own_c[keep]
    must_l, must_c = must_codes // max(1, n_c), must_codes % max(1, n_c)
    n_h = len(heads)
    h_pos = np.full(n_l, -1, dtype=np.int64)
    h_pos[heads] = np.arange(n_h)
    is_head = np.zeros(n_l, dtype=bool)
    is_head[heads] = True
    l_unit = np.full(n_l, -1, dtype=np.int64)
    l_unit[heads] = h_unit
    must_own = is_head[must_l] & (l_unit[must_l] == c_unit[must_c])
    # nodes: S, T, pool, counselors, leaders, head'
    s_, t_, pool = 0, 1, 2
    c0, l0 = 3, 3 + n_c
    h0 = l0 + n_l
    n = h0 + n_h
    w3 = 1
    w2 = n_h + 1
    w1 = w2 * (len(own_l) + len(musts) + 1) + n_h + 1
    cs, ls, hs = np.arange(n_c), np.arange(n_l), np.arange(n_h)
    heads_arr = np.array(heads, dtype=np.int64)
    tails = [np.zeros(n_c), c0 + own_c, c0 + cs, np.full(n_l, pool), h0 + hs, h0 + hs, l0 + ls]
    headn = [c0 + cs, h0 + h_pos[own_l], np.full(n_c, pool), l0 + ls, l0 + heads_arr]
    headn += [l0 + heads_arr, np.full(n_l, t_)]
    lows = [np.ones(n_c), np.zeros(len(own_l)), np.zeros(n_c), np.zeros(n_l), np.zeros(n_h)]
    lows += [np.zeros(n_h), bounds[:, 0]]
    caps = [np.full(n_c, k), np.ones(len(own_l)), np.full(n_c, k), bounds[:, 1], np.ones(n_h)]
    caps += [np.full(n_h, n_c * k), bounds[:, 1]]
    costs = [np.zeros(n_c), np.full(len(own_l), w1 - w2), np.full(n_c, w1), np.zeros(n_l)]
    costs += [np.full(n_h, -w3), np.zeros(n_h), np.zeros(n_l)]
    tails.append(np.array([t_]))
    headn.append(np.array([s_]))
    lows.append(np.array([0]))
    caps.append(np.array([n_c * k]))
    costs.append(np.array([0]))
    tails.append(c0 + must_c)
    headn.append(np.where(must_own, h0 + h_pos[must_l], l0 + must_l))
    lows.append(np.ones(len(must_c)))
    caps.append(np.ones(len(must_c)))
    costs.append(np.where(must_own, w1 - w2, w1))
    tail = np.concatenate(tails).astype(np.int64)
    head = np.concatenate(headn).astype(np.int64)
    low = np.concatenate(lows).astype(np.int64)
    cap = np.concatenate(caps).astype(np.int64)
    cost = np.concatenate(costs).astype(np.int64)
    supply = np.bincount(head, weights=low, minlength=n) - np.bincount(
        tail, weights=low, minlength=n
    )
    smcf = min_cost_flow.SimpleMinCostFlow()
    arcs = smcf.add_arcs_with_capacity_and_unit_cost(tail, head, cap - low, cost)
    smcf.set_nodes_supplies(np.arange(n, dtype=np.int64), supply.astype(np.int64))
    if smcf.solve() != smcf.OPTIMAL:
        raise SystemExit("anchor: no flow")
    f = np.asarray(smcf.flows(arcs), dtype=np.int64) + low
    n_own = len(own_l)
    n_m = len(must_c)
    own = int(f[n_c : n_c + n_own].sum()) + int(must_own.sum())
    pairs = int(f[n_c : n_c + n_own].sum()) + int(f[n_c + n_own : n_c + n_own + n_c].sum()) + n_m
    first = f[n_c + n_own + n_c + n_l : n_c + n_own + n_c + n_l + n_h]
    return pairs, own, int(first.sum())


def median_time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000, 20000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(
        f"{'counselors':>10} {'leaders':>7} {'ours s':>8} {'anchor s':>9} {'ratio':>6} "
        f"{'target':>8} {'met':>4}  levels 1-3 agree  proof / status"
    )
    for n in args.sizes:
        p = random_college(n, seed=1)
        # Warm the problem's caches (both sides read them) outside the timings.
        _ = (p.active_leaders, p.active_counselors, p.forbidden_repeats, p.musts, p.repeat_age)
        ours_s, res = median_time(lambda p=p: solve_pairing(p, seed=0), args.repeat)
        anchor_s, lv = median_time(lambda p=p: anchor(p), args.repeat)
        r = res  # type: ignore[assignment]
        mine = tuple(r.levels.get(x) for x in ("pairs", "own_unit_pairs", "heads_covered"))  # type: ignore[attr-defined]
        ratio = ours_s / anchor_s
        in_range = TARGET_SIZES[0] <= n <= TARGET_SIZES[1]
        target = f"<= {TARGET_RATIO:g}x" if in_range else "-"
        met = ("yes" if ratio <= TARGET_RATIO else "NO") if in_range else "-"
        print(
            f"{n:>10} {len(p.leaders):>7} {ours_s:8.3f} {anchor_s:9.4f} {ratio:6.1f} "
            f"{target:>8} {met:>4}  {mine == lv!s:>16}  {r.proof} / {r.status.value}",  # type: ignore[attr-defined]
            flush=True,
        )


if __name__ == "__main__":
    main()
