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
from planner.pairing.candidates import candidate_edges, is_dense
from planner.pairing.constraints import (
    add_counselor_coverage,
    add_leader_loads,
    add_must_pairs,
)
from planner.pairing.flow import FlowResult, hub_bound, lexicographic_flow
from planner.pairing.objective import LEVELS, build_level_exprs
from planner.pairing.variables import PairVariables, make_variables

CONTRACT_LEVELS = ("pairs", "own_unit_pairs", "heads_covered")
SEARCH_LIMIT = 6_000  # candidate pairs up to which CP-SAT searches every level itself


@dataclass
class PairingResult:
    """Outcome of a pairing solve: a status and, unless infeasible/unknown, a plan."""

    status: SolveStatus
    plan: Plan | None
    levels: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    level_seconds: dict[str, float] = field(default_factory=dict)
    proof: str = ""  # how optimality is known: "all_pairs" or "hub_bound" (see candidates.py)
    candidates: int = 0  # number of candidate pairs the solver saw
    bound: dict[str, int] | None = None  # hub relaxation's levels 1-3 (sparse only)


def _params(seed: int, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    # The pairing is a network-flow structure whose LP relaxation is (nearly)
    # integral: with the full linearization CP-SAT proves each level at the root
    # (demo: 0.25 s instead of 30 s with the default level 1 on one worker).
    solver.parameters.linearization_level = 2
    # Search runs only on small models (<= SEARCH_LIMIT pairs) where presolve costs
    # more than it saves: demo 0.15 s per solve instead of 0.32 s.
    solver.parameters.cp_model_presolve = False
    return solver


def _candidates(
    problem: Problem, seed: int
) -> tuple[list[tuple[str, str]], FlowResult, str, dict[str, int] | None] | None:
    """Choose candidate pairs and their exact flow optimum; None when proven infeasible.

    Small colleges use every allowed pair. Large ones start with 8 generic
    leaders per counselor and double that until the flow optimum's levels 1-3
    meet the hub relaxation's bound (then they are optimal for all pairs).
    """
    if is_dense(problem):
        edges = [
            (ld.leader_id, c.counselor_id)
            for ld in problem.active_leaders
            for c in problem.active_counselors
            if problem.allowed((ld.leader_id, c.counselor_id))
        ]
        flow = lexicographic_flow(problem, edges, seed)
        return None if flow.pairs is None else (edges, flow, "all_pairs", None)
    bound = hub_bound(problem)
    if bound is None:
        return None
    n = len(problem.active_leaders)
    k = 8
    while True:
        edges = candidate_edges(problem, k, seed)
        flow = lexicographic_flow(problem, edges, seed)
        if flow.pairs is not None and all(flow.levels[x] == bound[x] for x in CONTRACT_LEVELS):
            return edges, flow, "hub_bound", bound
        if k >= n:
            if flow.pairs is None:
                return None
            return edges, flow, "all_pairs", bound
        k *= 2


def _search(
    model: cp_model.CpModel,
    v: PairVariables,
    exprs: dict[str, cp_model.LinearExprT],
    seed: int,
    time_limit: float,
    t0: float,
    progress: Callable[[str], None] | None,
) -> tuple[list[tuple[int, int]] | None, dict[str, int], dict[str, float], SolveStatus]:
    """CP-SAT proves each level itself, earlier levels fixed at their optimum."""
    all_edges = sorted(v.x)
    levels: dict[str, int] = {}
    level_seconds: dict[str, float] = {}
    chosen: list[tuple[int, int]] | None = None
    status = SolveStatus.OPTIMAL
    for level in LEVELS:
        if progress:
            progress(level.name)
        remaining = time_limit - (time.perf_counter() - t0)
        if remaining <= 0:
            return (
                chosen,
                levels,
                level_seconds,
                SolveStatus.FEASIBLE if chosen else SolveStatus.UNKNOWN,
            )
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
            # Later levels only add equalities met by the previous solution, so
            # infeasibility can only be proven at level 1.
            return None, {}, level_seconds, SolveStatus.INFEASIBLE
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return (
                chosen,
                levels,
                level_seconds,
                SolveStatus.FEASIBLE if chosen else SolveStatus.UNKNOWN,
            )
        chosen = [e for e in all_edges if solver.boolean_value(v.x[e])]
        value = round(solver.objective_value)
        levels[level.name] = value
        if code != cp_model.OPTIMAL:
            return chosen, levels, level_seconds, SolveStatus.FEASIBLE
        model.add(expr == value)
        model.clear_hints()
        chosen_set = set(chosen)
        for e in all_edges:
            model.add_hint(v.x[e], e in chosen_set)
    return chosen, levels, level_seconds, status


def solve_pairing(
    problem: Problem,
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> PairingResult:
    """Solve the pairing of ``problem`` lexicographically over :data:`LEVELS`.

    A min-cost flow (:mod:`planner.pairing.flow`) first gives the exact
    optimum over the candidate pairs; CP-SAT, which holds the hard rules, then
    solves level by level with that optimum as its hint, so each level is
    proven quickly and every rule is enforced by the CP-SAT model itself.

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
    if progress:
        progress("flow")
    found = _candidates(problem, seed)
    if found is None:
        return PairingResult(SolveStatus.INFEASIBLE, None, seconds=time.perf_counter() - t0)
    edges, flow, proof, bound = found
    assert flow.pairs is not None

    model = cp_model.CpModel()
    v = make_variables(model, problem, edges)
    add_counselor_coverage(model, v, problem)
    add_leader_loads(model, v, problem)
    if not add_must_pairs(model, v, problem):
        return PairingResult(SolveStatus.INFEASIBLE, None, seconds=time.perf_counter() - t0)
    exprs = build_level_exprs(model, v, problem, seed)
    all_edges = sorted(v.x)
    hint = set(flow.pairs)
    for e in all_edges:
        model.add_hint(v.x[e], v.key(e) in hint)

    levels: dict[str, int] = {}
    level_seconds: dict[str, float] = {}
    chosen: list[tuple[int, int]] | None = None
    status = SolveStatus.OPTIMAL
    if len(all_edges) > SEARCH_LIMIT:
        # Large: the flow's optimum is exact (integral network LP); CP-SAT checks
        # that this very plan meets every hard rule it holds, with each level fixed.
        if progress:
            progress("verify")
        for level in LEVELS:
            model.add(exprs[level.name] == flow.levels[level.name])
        for e in all_edges:
            model.add(v.x[e] == int(v.key(e) in hint))
        solver = _params(seed, max(0.01, time_limit - (time.perf_counter() - t0)))
        ts = time.perf_counter()
        code = solver.solve(model)
        level_seconds["verify"] = time.perf_counter() - ts
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if code == cp_model.INFEASIBLE:
                raise RuntimeError("CP-SAT rejects the min-cost-flow plan: the two models disagree")
            status = SolveStatus.FEASIBLE  # the flow's plan, not verified in time (see below)
        else:
            chosen = [e for e in all_edges if solver.boolean_value(v.x[e])]
        levels = dict(flow.levels)
    else:
        chosen, levels, level_seconds, status = _search(
            model, v, exprs, seed, time_limit, t0, progress
        )
        if status == SolveStatus.OPTIMAL and levels != flow.levels:
            raise RuntimeError(f"CP-SAT {levels} and min-cost flow {flow.levels} disagree")

    if chosen is None:
        # The time limit ran out before CP-SAT found a plan, but the min-cost flow already
        # holds one that meets every hard rule (the caller's independent validator checks it):
        # a plan found within the limit is given with status feasible, never "no plan".
        chosen = [e for e in all_edges if v.key(e) in hint]
        levels = dict(flow.levels)
        status = SolveStatus.FEASIBLE
    seconds = time.perf_counter() - t0
    pairs = tuple(Pair(leader_id=a, counselor_id=b) for a, b in (v.key(e) for e in chosen))
    plan = Plan(
        cycle=problem.cycle,
        pairs=pairs,
        status=status,
        objective=dict(levels),
        solve_seconds=seconds,
    )
    return PairingResult(status, plan, levels, seconds, level_seconds, proof, len(edges), bound)
