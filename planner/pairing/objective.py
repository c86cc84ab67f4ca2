"""The lexicographic objective of CONTRACT.md §3 as named terms.

Levels, in order (each solved with the earlier ones fixed at their optimum):

1. ``pairs`` (min) — fewest pairs: one leader per counselor wherever loads allow.
2. ``own_unit_pairs`` (max) — pairs of a teaching-unit head with a counselor of that unit.
3. ``heads_covered`` (max) — heads with at least one own-unit counselor.
4. ``older_repeats`` (min) — repeats of cycles older than the no-repeat window,
   weighted by recency (a repeat of a more recent cycle costs more).
5. ``tie_break`` (min) — a seeded pseudo-random cost per pair, so that ``--seed``
   chooses among equally good plans and the optimum is (almost surely) unique.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ortools.sat.python import cp_model

from models import Problem
from planner.pairing.variables import PairVariables
from planner.rules.scoring import repeat_weight, tie_break_cost

Sense = Literal["min", "max"]


@dataclass(frozen=True)
class Level:
    """A named objective level and its sense."""

    name: str
    sense: Sense
    zh: str
    en: str


LEVELS: tuple[Level, ...] = (
    Level("pairs", "min", "结对总数", "pairs in total"),
    Level("own_unit_pairs", "max", "本单位结对数", "own-unit pairs"),
    Level("heads_covered", "max", "联系本单位辅导员的负责人数", "heads with an own-unit counselor"),
    Level("older_repeats", "min", "较早周期重复(加权)", "older-cycle repeats (weighted)"),
    Level("tie_break", "min", "随机种子次序", "seeded tie-break"),
)


def build_level_exprs(
    model: cp_model.CpModel, v: PairVariables, problem: Problem, seed: int
) -> dict[str, cp_model.LinearExprT]:
    """Return the linear expression of every level, keyed by level name."""
    edges = sorted(v.x)
    own = [e for e in edges if problem.is_own_unit(*v.key(e))]
    covered = []
    for li, ld in enumerate(v.leaders):
        if not ld.heads_teaching_unit:
            continue
        own_l = [v.x[e] for e in v.by_leader[li] if problem.is_own_unit(*v.key(e))]
        if not own_l:
            continue
        y = model.new_bool_var(f"head_covered[{ld.leader_id}]")
        model.add(y <= sum(own_l))
        covered.append(y)
    return {
        "pairs": sum(v.x[e] for e in edges),
        "own_unit_pairs": sum(v.x[e] for e in own),
        "heads_covered": sum(covered),
        "older_repeats": sum(repeat_weight(problem, v.key(e)) * v.x[e] for e in edges),
        "tie_break": sum(tie_break_cost(seed, v.key(e)) * v.x[e] for e in edges),
    }
