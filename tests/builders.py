"""Builders for tiny, hand-sized instances (imported by tests and by conftest's fixtures)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models import Counselor, HistoryPair, Leader, Level, Problem, Rule, RuleKind, Settings


def make_problem(
    leaders: Iterable[tuple[Any, ...]],
    counselors: Iterable[tuple[str, str]],
    *,
    history: Iterable[tuple[str, str, str]] = (),
    rules: Iterable[tuple[str, str, str]] = (),
    cycle: str = "2027-2030",
    **settings: int,
) -> Problem:
    """Build a problem from short tuples.

    leaders: ``(id, unit, heads)`` or ``(id, unit, heads, min_load, max_load)``;
    a leader without a unit is college-level. counselors: ``(id, unit)``.
    history: ``(cycle, leader_id, counselor_id)``; rules: ``(leader_id, counselor_id, must|never)``.
    """
    ls = []
    for i, spec in enumerate(leaders):
        lid, unit, heads = spec[:3]
        lo, hi = (spec[3], spec[4]) if len(spec) == 5 else (None, None)
        ls.append(
            Leader(
                leader_id=lid,
                name=f"领导{lid}",
                unit=unit,
                heads_teaching_unit=heads,
                level=Level.MIDDLE if unit else Level.COLLEGE,
                min_load=lo,
                max_load=hi,
                order=i,
            )
        )
    cs = [
        Counselor(counselor_id=cid, name=f"辅导员{cid}", unit=unit, order=i)
        for i, (cid, unit) in enumerate(counselors)
    ]
    hs = [HistoryPair(cycle=c, leader_id=a, counselor_id=b) for c, a, b in history]
    rs = [Rule(leader_id=a, counselor_id=b, kind=RuleKind(k)) for a, b, k in rules]
    return Problem(
        leaders=tuple(ls),
        counselors=tuple(cs),
        history=tuple(hs),
        rules=tuple(rs),
        settings=Settings(**settings),
        cycle=cycle,
    )
