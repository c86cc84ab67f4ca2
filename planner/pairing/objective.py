"""The lexicographic objective of CONTRACT.md §3 as named CP-SAT terms.

The levels themselves (names, senses, order, ``own_unit_first``) are defined in
:mod:`planner.rules.scoring`, where the independent validator reads them too.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from models import Problem, Stage
from planner.pairing.variables import PairVariables
from planner.rules.scoring import LEVELS, Level, level_order, repeat_weight, tie_break_cost

__all__ = ["LEVELS", "Level", "build_level_exprs", "level_order"]


def build_level_exprs(
    model: cp_model.CpModel, v: PairVariables, problem: Problem, seed: int
) -> dict[str, cp_model.LinearExprT]:
    """Return the linear expression of every level, keyed by level name.

    Levels 4-5 use a unary count per counselor: ``b[c, j]`` is true when counselor
    c has at least j leaders (``Σ_j b[c, j]`` equals its number of leaders and the
    b's are ordered), so n² = Σ_j (2j − 1)·b[c, j] and "more than one leader" is
    ``b[c, 2]``.
    """
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
    k = problem.settings.max_leaders_per_counselor
    squares: list[cp_model.LinearExprT] = []
    multi_new: list[cp_model.IntVar] = []
    for ci, c in enumerate(v.counselors):
        xs = [v.x[e] for e in v.by_counselor[ci]]
        top = min(k, len(xs))
        if top == 0:
            continue
        b = [
            model.new_bool_var(f"leaders_at_least[{c.counselor_id},{j}]") for j in range(1, top + 1)
        ]
        model.add(sum(b) == sum(xs))
        for j in range(top - 1):
            model.add(b[j] >= b[j + 1])
        squares.append(sum((2 * j + 1) * b[j] for j in range(top)))
        if top >= 2 and problem.stage(c.counselor_id) == Stage.NEW:
            multi_new.append(b[1])
    return {
        "pairs": sum(v.x[e] for e in edges),
        "own_unit_pairs": sum(v.x[e] for e in own),
        "heads_covered": sum(covered),
        "leaders_squared": sum(squares),
        "new_multi": sum(multi_new),
        "older_repeats": sum(repeat_weight(problem, v.key(e)) * v.x[e] for e in edges),
        "tie_break": sum(tie_break_cost(seed, v.key(e)) * v.x[e] for e in edges),
    }
