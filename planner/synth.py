"""Synthetic colleges for property tests and benchmarks (seeded, deterministic).

Not the demo college: these are random but plausible — teaching units with
one or two heads each, college-level leaders, office heads, an earlier cycle
of history, a few ``must``/``never`` rules.
"""

from __future__ import annotations

import random
from datetime import date

from models import Counselor, HistoryPair, Leader, Level, Problem, Rule, RuleKind, Settings


def random_college(
    n_counselors: int,
    *,
    seed: int = 0,
    leaders_per_counselor: float = 1 / 2.5,
    history: bool = True,
    rules: int = 2,
    settings: Settings | None = None,
) -> Problem:
    """A random college with ``n_counselors`` counselors and about ``n/2.5`` leaders.

    Units hold 3-8 counselors; each unit has one head, and every third unit a
    second one; the other leaders are college-level or office heads. History
    is one earlier cycle pairing each leader with 2 random counselors.
    """
    rnd = random.Random(seed)
    n_leaders = max(2, round(n_counselors * leaders_per_counselor))
    units: list[str] = []
    counselors: list[Counselor] = []
    i = 0
    while i < n_counselors:
        size = min(rnd.randint(3, 8), n_counselors - i)
        unit = f"系{len(units) + 1:03d}"
        units.append(unit)
        for _ in range(size):
            y = rnd.randint(2010, 2026)
            counselors.append(
                Counselor(
                    counselor_id=f"{i + 1:05d}",
                    name=f"辅导员{i + 1}",
                    unit=unit,
                    start_date=date(y, 9, 1),
                    order=i,
                )
            )
            i += 1
    leaders: list[Leader] = []

    def add(unit: str, heads: bool, level: Level) -> None:
        k = len(leaders) + 1
        leaders.append(
            Leader(
                leader_id=f"L{k:05d}",
                name=f"领导{k}",
                unit=unit,
                heads_teaching_unit=heads,
                level=level,
                order=k - 1,
            )
        )

    n_heads = min(n_leaders - 1, len(units) + len(units) // 3)
    for j, unit in enumerate(units):
        if len(leaders) >= n_heads:
            break
        add(unit, True, Level.MIDDLE)
        if j % 3 == 0 and len(leaders) < n_heads:
            add(unit, True, Level.MIDDLE)
    while len(leaders) < n_leaders:
        if rnd.random() < 0.3:
            add("", False, Level.COLLEGE)
        else:
            add(f"处{len(leaders)}", False, Level.MIDDLE)

    hist: list[HistoryPair] = []
    if history:
        ids = [c.counselor_id for c in counselors]
        for ld in leaders:
            for cid in rnd.sample(ids, min(2, len(ids))):
                hist.append(
                    HistoryPair(cycle="2024-2027", leader_id=ld.leader_id, counselor_id=cid)
                )
    rs: list[Rule] = []
    taken = {(h.leader_id, h.counselor_id) for h in hist}
    for r in range(rules):
        ld = rnd.choice(leaders)
        c = rnd.choice(counselors)
        if (ld.leader_id, c.counselor_id) in taken:
            continue
        taken.add((ld.leader_id, c.counselor_id))
        rs.append(
            Rule(
                leader_id=ld.leader_id,
                counselor_id=c.counselor_id,
                kind=RuleKind.NEVER if r % 2 else RuleKind.MUST,
            )
        )
    return Problem(
        leaders=tuple(leaders),
        counselors=tuple(counselors),
        history=tuple(hist),
        rules=tuple(rs),
        settings=settings or Settings(),
        cycle="2027-2030",
        cycle_start=date(2027, 3, 1),
    )
