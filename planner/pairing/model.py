"""Solve the pairing, level by level (lexicographic), exactly at any size.

Two engines, one answer:

* the min-cost flow (:mod:`planner.pairing.flow`) finds the exact lexicographic
  optimum of levels 1-5 (and 6) on numpy arrays: over every allowed pair in a
  small college, else on the pool network (an aggregated flow) followed by a
  small transportation problem that names the pairs;
* in a small college CP-SAT, which holds every hard rule as a constraint
  (:mod:`planner.pairing.constraints`), then proves each level itself with the
  flow's plan as its hint, and the two must agree. A large college is not
  rebuilt as a CP-SAT model: the flow's optimum is exact, and every plan is
  re-checked by the independent validator (:mod:`planner.rules.validate`).

Determinism: the flow is deterministic; CP-SAT runs one worker with a fixed
``random_seed``; the seeded tie-break level makes the optimum (almost surely)
unique, so the same input and seed give the same plan. A CP-SAT run that stops
at its time limit is the one exception; its status then says ``feasible``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models import Pair, Plan, Problem, SolveStatus
from planner.errors import SolverBug
from planner.pairing.candidates import candidate_arrays, is_dense
from planner.pairing.constraints import (
    add_counselor_coverage,
    add_leader_loads,
    add_must_pairs,
)
from planner.pairing.flow import (
    Coded,
    FlowPlan,
    all_pairs,
    encode,
    levels_of,
    solve_explicit,
    solve_pool,
)
from planner.pairing.objective import LEVELS, build_level_exprs
from planner.pairing.variables import PairVariables, make_variables
from planner.rules.scoring import POLICY_LEVELS, level_order

SEARCH_LIMIT = 6_000  # candidate pairs up to which CP-SAT searches every level itself
BOUND_LEVELS = (*POLICY_LEVELS, "older_repeats")
"""Levels the pool relaxation bounds (the tie-break of pool pairs is not in it)."""
ALL_PAIRS_LIMIT = 4_000_000
"""Leaders × counselors up to which the last fallback may list every pair."""


@dataclass
class PairingResult:
    """Outcome of a pairing solve: a status and, unless infeasible/unknown, a plan.

    ``proof`` says how optimality is known: ``all_pairs`` (every allowed pair was
    in the solve: every level exact), ``pool_bound`` (the plan meets the pool
    relaxation's bound, see :mod:`planner.pairing.flow`), or ``""``. ``proven``
    lists the levels known optimal; ``OPTIMAL`` means at least levels 1-5.
    """

    status: SolveStatus
    plan: Plan | None
    levels: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    level_seconds: dict[str, float] = field(default_factory=dict)
    proof: str = ""
    candidates: int = 0  # number of pairs the solve saw (explicit arcs)
    bound: dict[str, int] | None = None  # the pool relaxation's levels (large colleges)
    proven: tuple[str, ...] = ()


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


def _search(
    problem: Problem,
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
    for level in level_order(problem.settings):
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
            # infeasibility can only be proven at the first level.
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


def _large(
    cd: Coded, progress: Callable[[str], None] | None
) -> tuple[FlowPlan | None, dict[str, int] | None, str, int]:
    """A large college: pool relaxation and its disaggregation, else growing candidates.

    Returns (plan or None, the relaxation's bound or None when it is infeasible,
    proof, candidate pairs seen).
    """
    found = solve_pool(cd)
    if found is None:
        return None, None, "", 0
    sol, plan = found
    if plan is not None:
        return plan, sol.bound, "pool_bound", len(plan.li)
    # The pool flow could not be named as real pairs (many barred pairs): explicit
    # candidates, doubling until the optimum over them meets the bound.
    k = 8
    best: FlowPlan | None = None
    seen = 0
    while True:
        if progress:
            progress(f"candidates:{k}")
        if k >= cd.n_l and cd.n_l * cd.n_c <= ALL_PAIRS_LIMIT:
            li, ci = all_pairs(cd)
            got = solve_explicit(cd, li, ci)
            return got, sol.bound, ("all_pairs" if got is not None else ""), len(li)
        li, ci = candidate_arrays(cd, k)
        seen = len(li)
        got = solve_explicit(cd, li, ci)
        if got is not None:
            best = got
            lv = levels_of(cd, got.li, got.ci)
            if all(lv[x] == sol.bound[x] for x in POLICY_LEVELS):
                return got, sol.bound, "pool_bound", seen
        if k >= cd.n_l:
            return best, sol.bound, "", seen
        k *= 2


def solve_pairing(
    problem: Problem,
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> PairingResult:
    """Solve the pairing of ``problem`` lexicographically over its levels.

    The levels are :data:`LEVELS` in the order of
    :func:`planner.rules.scoring.level_order` (``own_unit_first`` puts own-unit
    pairs first).

    Parameters
    ----------
    problem
        Rosters, history, rules and settings of the cycle.
    seed
        Chooses among equally good plans (tie-break level) and seeds CP-SAT.
    time_limit
        Seconds for CP-SAT's search in a small college (the flow needs no limit).
    progress
        Called with the name of each step before it runs.

    Returns
    -------
    PairingResult
        ``INFEASIBLE`` when proven impossible, ``UNKNOWN`` when no plan was found,
        ``FEASIBLE`` when a plan exists but levels 1-5 were not all proven
        optimal, else ``OPTIMAL``.
    """
    t0 = time.perf_counter()
    if progress:
        progress("flow")
    cd = encode(problem, seed)
    if not cd.musts_ok:
        # A must pair names an inactive person or is also a never pair: no plan.
        return PairingResult(SolveStatus.INFEASIBLE, None, seconds=time.perf_counter() - t0)
    level_seconds: dict[str, float] = {}
    bound: dict[str, int] | None = None
    if is_dense(problem):
        li, ci = all_pairs(cd)
        fp = solve_explicit(cd, li, ci)
        proof, seen = "all_pairs", len(li)
    else:
        fp, bound, proof, seen = _large(cd, progress)
        if bound is None:
            return PairingResult(SolveStatus.INFEASIBLE, None, seconds=time.perf_counter() - t0)
    level_seconds["flow"] = time.perf_counter() - t0
    if fp is None:
        status = SolveStatus.INFEASIBLE if proof == "all_pairs" else SolveStatus.UNKNOWN
        return PairingResult(
            status, None, seconds=time.perf_counter() - t0, level_seconds=level_seconds
        )
    flow_levels = levels_of(cd, fp.li, fp.ci)
    if proof == "all_pairs":
        proven = tuple(lv.name for lv in LEVELS)
    elif bound is not None:
        proven = _proven(problem, flow_levels, bound)
    else:
        proven = ()
    keys = sorted(cd.keys(fp.li, fp.ci))
    levels = flow_levels
    status = (
        SolveStatus.OPTIMAL if all(x in proven for x in POLICY_LEVELS) else SolveStatus.FEASIBLE
    )

    if proof == "all_pairs" and seen <= SEARCH_LIMIT:
        # Small: CP-SAT holds every hard rule and proves each level itself.
        model = cp_model.CpModel()
        v = make_variables(model, problem, cd.keys(li, ci))
        add_counselor_coverage(model, v, problem)
        add_leader_loads(model, v, problem)
        if not add_must_pairs(model, v, problem):
            raise SolverBug("CP-SAT has no variable for a must pair the flow made")
        exprs = build_level_exprs(model, v, problem, seed)
        hint = set(keys)
        for e in sorted(v.x):
            model.add_hint(v.x[e], v.key(e) in hint)
        chosen, cp_levels, cp_seconds, status = _search(
            problem, model, v, exprs, seed, time_limit, t0, progress
        )
        level_seconds.update(cp_seconds)
        if status == SolveStatus.INFEASIBLE:
            raise SolverBug("CP-SAT finds no plan where the min-cost flow found one")
        if status == SolveStatus.OPTIMAL and cp_levels != flow_levels:
            raise SolverBug(f"CP-SAT {cp_levels} and min-cost flow {flow_levels} disagree")
        if chosen is not None and status == SolveStatus.OPTIMAL:
            keys = sorted(v.key(e) for e in chosen)
        else:
            # Time ran out in CP-SAT: the flow's plan is exact all the same.
            status = SolveStatus.OPTIMAL

    seconds = time.perf_counter() - t0
    # The keys are the solver's own (validated people): skip pydantic's per-pair checks.
    pairs = tuple(Pair.model_construct(leader_id=a, counselor_id=b, reason="") for a, b in keys)
    plan = Plan(
        cycle=problem.cycle,
        pairs=pairs,
        status=status,
        objective=dict(levels),
        solve_seconds=seconds,
    )
    return PairingResult(status, plan, levels, seconds, level_seconds, proof, seen, bound, proven)


def _proven(problem: Problem, levels: dict[str, int], bound: dict[str, int]) -> tuple[str, ...]:
    """The levels (a prefix of the level order) on which a plan meets the relaxation's bound."""
    out: list[str] = []
    for lv in level_order(problem.settings):
        if lv.name not in BOUND_LEVELS or levels[lv.name] != bound[lv.name]:
            break
        out.append(lv.name)
    return tuple(out)


__all__ = ["LEVELS", "PairingResult", "solve_pairing"]
