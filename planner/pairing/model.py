"""Build and solve the pairing model, level by level (lexicographic).

Determinism: one search worker with a fixed ``random_seed`` makes CP-SAT's
search reproducible; the seeded tie-break level makes the final optimum
(almost surely) unique, so the same input and seed give the same plan. A run
that stops at its time limit is the one exception (wall-clock dependent); its
status then says ``feasible`` rather than ``optimal``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models import Pair, Plan, Problem, SolveStatus
from planner.pairing.constraints import (
    add_counselor_coverage,
    add_leader_loads,
    add_must_pairs,
)
from planner.pairing.objective import LEVELS, build_level_exprs
from planner.pairing.variables import make_variables


@dataclass
class PairingResult:
    """Outcome of a pairing solve: a status and, unless infeasible/unknown, a plan."""

    status: SolveStatus
    plan: Plan | None
    levels: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    level_seconds: dict[str, float] = field(default_factory=dict)


def _params(seed: int, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    # The pairing is a network-flow structure whose LP relaxation is (nearly)
    # integral: with the full linearization CP-SAT proves each level at the root
    # (demo: 0.25 s instead of 30 s with the default level 1 on one worker).
    solver.parameters.linearization_level = 2
    return solver


def solve_pairing(
    problem: Problem,
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> PairingResult:
    """Solve the pairing of ``problem`` lexicographically over :data:`LEVELS`.

    Parameters
    ----------
    problem
        Rosters, history, rules and settings of the cycle.
    seed
        Chooses among equally good plans (tie-break level) and seeds CP-SAT.
    time_limit
        Seconds for the whole solve; levels share what is left.
    progress
        Called with the name of each level before it is solved.

    Returns
    -------
    PairingResult
        ``INFEASIBLE`` when proven impossible, ``UNKNOWN`` when time ran out
        before any plan, ``FEASIBLE`` when a plan exists but a level was not
        proven optimal in time, else ``OPTIMAL``.
    """
    t0 = time.perf_counter()
    model = cp_model.CpModel()
    v = make_variables(model, problem)
    add_counselor_coverage(model, v, problem)
    add_leader_loads(model, v, problem)
    if not add_must_pairs(model, v, problem):
        return PairingResult(SolveStatus.INFEASIBLE, None, seconds=time.perf_counter() - t0)
    exprs = build_level_exprs(model, v, problem, seed)
    edges = sorted(v.x)

    levels: dict[str, int] = {}
    level_seconds: dict[str, float] = {}
    chosen: list[tuple[int, int]] | None = None
    status = SolveStatus.OPTIMAL
    for level in LEVELS:
        if progress:
            progress(level.name)
        remaining = time_limit - (time.perf_counter() - t0)
        if remaining <= 0:
            status = SolveStatus.FEASIBLE if chosen is not None else SolveStatus.UNKNOWN
            break
        expr = exprs[level.name]
        if level.sense == "min":
            model.minimize(expr)
        else:
            model.maximize(expr)
        solver = _params(seed, remaining)
        ts = time.perf_counter()
        code = solver.solve(model)
        level_seconds[level.name] = time.perf_counter() - ts
        if code == cp_model.INFEASIBLE:
            # Levels after the first only add equalities met by the previous solution,
            # so infeasibility can only be proven at level 1.
            return PairingResult(SolveStatus.INFEASIBLE, None, seconds=time.perf_counter() - t0)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            status = SolveStatus.FEASIBLE if chosen is not None else SolveStatus.UNKNOWN
            break
        chosen = [e for e in edges if solver.boolean_value(v.x[e])]
        value = round(solver.objective_value)
        levels[level.name] = value
        if code != cp_model.OPTIMAL:
            status = SolveStatus.FEASIBLE
            break
        model.add(expr == value)
        model.clear_hints()
        chosen_set = set(chosen)
        for e in edges:
            model.add_hint(v.x[e], e in chosen_set)

    seconds = time.perf_counter() - t0
    if chosen is None:
        return PairingResult(SolveStatus.UNKNOWN, None, levels, seconds, level_seconds)
    pairs = tuple(Pair(leader_id=a, counselor_id=b) for a, b in (v.key(e) for e in chosen))
    plan = Plan(
        cycle=problem.cycle,
        pairs=pairs,
        status=status,
        objective=dict(levels),
        solve_seconds=seconds,
    )
    return PairingResult(status, plan, levels, seconds, level_seconds)
