"""Hard rules of CONTRACT.md §3, one ``add_*`` function each.

Rule 3 (no repeat of the latest ``no_repeat_cycles`` cycles) and the ``never``
half of rule 4 hold by construction in :mod:`planner.pairing.variables`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from models import Problem
from planner.pairing.variables import PairVariables


def add_counselor_coverage(model: cp_model.CpModel, v: PairVariables, problem: Problem) -> None:
    """Hard 1: every active counselor has 1..max_leaders_per_counselor leaders."""
    k = problem.settings.max_leaders_per_counselor
    for ci, edges in v.by_counselor.items():
        terms = [v.x[e] for e in edges]
        model.add(sum(terms) >= 1).with_name(f"coverage_min[{v.counselors[ci].counselor_id}]")
        model.add(sum(terms) <= k).with_name(f"coverage_max[{v.counselors[ci].counselor_id}]")


def add_leader_loads(model: cp_model.CpModel, v: PairVariables, problem: Problem) -> None:
    """Hard 2: every active leader's load lies within [min_load, max_load]."""
    for li, edges in v.by_leader.items():
        lo, hi = problem.load_bounds(v.leaders[li])
        load = sum(v.x[e] for e in edges)
        model.add(load >= lo).with_name(f"load_min[{v.leaders[li].leader_id}]")
        model.add(load <= hi).with_name(f"load_max[{v.leaders[li].leader_id}]")


def add_must_pairs(model: cp_model.CpModel, v: PairVariables, problem: Problem) -> bool:
    """Hard 4 (``must``): every pinned pair is made.

    Returns False when a ``must`` names an inactive person or a pair with no
    variable (also forbidden by ``never``): then no plan exists.
    """
    index = {v.key(e): e for e in v.x}
    ok = True
    for key in sorted(problem.musts):
        e = index.get(key)
        if e is None:
            ok = False
            continue
        model.add(v.x[e] == 1).with_name(f"must[{key[0]},{key[1]}]")
    return ok
