"""Weights of the planner's own objective levels (CONTRACT.md §3 level 4 and below).

Kept apart from the solver (no ortools) so the independent validator can
recompute every level of a plan with the same definitions.
"""

from __future__ import annotations

import hashlib

from models import Problem


def repeat_weight(problem: Problem, key: tuple[str, str]) -> int:
    """Penalty of repeating ``key`` from an older cycle: more recent, heavier; 0 if new."""
    age = problem.repeat_age.get(key)
    if age is None or age <= problem.settings.no_repeat_cycles:
        return 0
    return max(1, len(problem.earlier_cycles) + 1 - age)


def tie_break_cost(seed: int, key: tuple[str, str]) -> int:
    """A stable pseudo-random cost in [0, 1000) (sha256, never Python's salted hash)."""
    h = hashlib.sha256(f"{seed}|{key[0]}|{key[1]}".encode()).digest()
    return int.from_bytes(h[:4], "big") % 1000
