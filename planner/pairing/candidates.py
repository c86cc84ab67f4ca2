"""Candidate pairs: all of them for small colleges, a sparse set for large ones.

A college of 5,000 counselors and 2,000 leaders has 10 million possible pairs;
no solver needs them. Own-unit pairs and ``must`` pairs are always candidates
(they carry objective levels 2-3 and hard rule 4); every counselor also gets
``k`` generic leaders from a seeded rotation, so each leader sees about
``k·N/L`` counselors. Whether that was enough is checked, not assumed: the plan
found on the candidates is compared with the hub relaxation's bound
(:func:`planner.pairing.flow.hub_bound`), and ``k`` doubles until they meet.
"""

from __future__ import annotations

import hashlib

from models import Problem

Key = tuple[str, str]
DENSE_LIMIT = 40_000  # leaders x counselors up to which every pair is a candidate


def is_dense(problem: Problem) -> bool:
    """Whether every pair is a candidate (small colleges)."""
    return len(problem.active_leaders) * len(problem.active_counselors) <= DENSE_LIMIT


def _start(seed: int, cid: str, n: int) -> int:
    h = hashlib.sha256(f"cand|{seed}|{cid}".encode()).digest()
    return int.from_bytes(h[:4], "big") % n


def candidate_edges(problem: Problem, k: int, seed: int = 0) -> list[Key]:
    """Own-unit, ``must`` and ``k`` generic allowed leaders per counselor, deterministic."""
    leaders = problem.active_leaders
    out: set[Key] = set()
    by_unit: dict[str, list[str]] = {}
    for ld in leaders:
        if ld.heads_teaching_unit:
            by_unit.setdefault(ld.unit, []).append(ld.leader_id)
    active_l = {ld.leader_id for ld in leaders}
    active_c = {c.counselor_id for c in problem.active_counselors}
    for key in problem.musts:
        if key[0] in active_l and key[1] in active_c:
            out.add(key)
    # Heads spend most of their load on their own unit, so the counselors left over
    # must reach the other leaders: draw k generic leaders from those first, then k
    # from everyone (heads of small units still need counselors from elsewhere).
    others = [ld for ld in leaders if not ld.heads_teaching_unit]
    for c in problem.active_counselors:
        for lid in by_unit.get(c.unit, ()):
            if problem.allowed((lid, c.counselor_id)):
                out.add((lid, c.counselor_id))
        for pool, tag in ((others, "other"), (leaders, "all")):
            n = len(pool)
            if n == 0:
                continue
            start = _start(seed, f"{tag}|{c.counselor_id}", n)
            got = 0
            for j in range(n):
                key = (pool[(start + j) % n].leader_id, c.counselor_id)
                if problem.allowed(key):
                    out.add(key)
                    got += 1
                    if got >= k:
                        break
    return sorted(out)
