"""Rotation across cycles (每三年调整一次联系对象): plan the next N cycles jointly.

A cycle-by-cycle (greedy) plan gives the teaching-unit heads their own unit's
counselors in the first cycle and, because the repeat rule then forbids those
pairs, can leave them none later. :func:`rotate` plans N cycles in one CP-SAT
model (CONTRACT.md §7):

* one Boolean ``x[t, l, c]`` per cycle and allowed pair, with the hard rules of
  every cycle (coverage, loads, ``must``/``never``);
* the repeat rule across the planned cycles: with ``no_repeat_cycles = N`` the
  pair of planned cycle ``s`` is forbidden in cycle ``t`` when ``t - s <= N``
  (unless a ``must`` pins it), and the history's latest ``N - t`` cycles are
  forbidden in cycle ``t`` (0-based) by construction;
* the objective summed over the cycles, solved level by level; level 4 counts
  repeats of older cycles, the planned ones included, with exactly the weights
  :func:`planner.rules.scoring.repeat_weight` gives each cycle's own problem.

Solving that model is the last resort. In order:

1. greedy: ``assign`` cycle by cycle, each plan appended to the history;
2. :func:`hub_bounds`: a small relaxation (own-unit and ``must`` pairs as they
   are, every other pair through one hub per cycle) bounds levels 1-6; a plan
   meeting the bounds is optimal, and greedy usually does (demo: yes);
3. :func:`lift`: the relaxation's own-unit pairs completed into real plans,
   which meet the bounds whenever generic pairs are plentiful;
4. the joint model, with the best plan so far as hint and the levels it is
   already proven optimal on fixed.

Greedy's plan is a solution of the joint model, so the kept plan is never
lexicographically worse than greedy's, also when time runs out. Every cycle's
plan is re-checked by :mod:`planner.rules.validate` against the problem whose history
holds the planned cycles before it.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models import (
    HistoryPair,
    Pair,
    Plan,
    Problem,
    Rule,
    RuleKind,
    Settings,
    SolveStatus,
    Stage,
    cycle_first_year,
)
from planner.errors import SolverBug
from planner.pairing import LEVELS, solve_pairing
from planner.pairing.candidates import candidate_edges, is_dense
from planner.pairing.constraints import add_counselor_coverage, add_leader_loads, add_must_pairs
from planner.pairing.flow import min_pairs_bound
from planner.pairing.objective import build_level_exprs
from planner.pairing.variables import PairVariables, make_variables
from planner.rules.precheck import Finding, precheck
from planner.rules.scoring import LEVEL_BY_NAME, POLICY_LEVELS, level_order, tie_break_cost
from planner.rules.scoring import level_key as _level_key
from planner.rules.validate import objective_levels, validate_plan
from planner.workdays.school_year import add_years

PairKey = tuple[str, str]
Progress = Callable[[str], None]

_LABEL = re.compile(r"^(\D*)(\d{4})(\D+)(\d{4})(.*)$")

HUB_DETERMINISTIC_LIMIT = 5.0
"""CP-SAT deterministic-time budget of each level of the hub relaxation."""

HUB_BUDGET = 12.0
"""Deterministic time for all levels of the hub relaxation together."""

JOINT_DETERMINISTIC_LIMIT = 3.0
"""CP-SAT deterministic-time budget of each level group of the joint model. Budgets in
deterministic time (not seconds) make a cut-short search end at the same plan and the
same bounds on every run; the wall-clock ``time_limit`` is only a safety net."""

SPARSE_GENERIC = 8
"""Generic leaders per counselor in the joint model of a large college (see candidates)."""

TIE_BREAK_DETERMINISTIC_LIMIT = 0.5
"""CP-SAT deterministic-time budget of the joint tie-break (about a second)."""

REPORT_LEVELS = ("pairs", "own_unit_pairs", "heads_covered", "older_repeats")
"""The levels a rotation summary shows per cycle (the tie-break is left out)."""


class RotationBug(SolverBug):
    """A produced cycle plan broke a hard rule or disagreed with the solver: a bug."""


# ----- cycles ------------------------------------------------------------------------
def cycle_labels(first: str, n: int, years: int | None = None) -> list[str]:
    """Labels of ``n`` consecutive cycles starting with ``first``.

    ``2027-2030`` → ``2027-2030, 2030-2033, 2033-2036``: each label moves by the
    span of the first one (3 years unless the label says otherwise or ``years``
    is given).

    Raises
    ------
    ValueError
        When ``first`` holds no ``YYYY-YYYY`` years to count from.
    """
    m = _LABEL.match(first)
    if m is None:
        raise ValueError(
            f"周期标签“{first}”中没有起止年份(如 2027-2030),无法推算后续周期 "
            f"(cycle label '{first}' has no years to count on from)"
        )
    pre, y1, sep, y2, post = m.group(1), int(m.group(2)), m.group(3), int(m.group(4)), m.group(5)
    span = years or (y2 - y1 if y2 > y1 else 3)
    return [f"{pre}{y1 + span * t}{sep}{y1 + span * (t + 1)}{post}" for t in range(n)]


def _earlier_history(base: Problem) -> tuple[HistoryPair, ...]:
    """History rows of cycles before ``base.cycle`` (rows of the planned cycle are versions)."""
    earlier = set(base.earlier_cycles)
    return tuple(h for h in base.history if h.cycle in earlier)


def cycle_problem(
    base: Problem, labels: Sequence[str], t: int, planned: Sequence[Iterable[PairKey]]
) -> Problem:
    """The problem of planned cycle ``t`` (0-based): history plus the planned cycles before it.

    Parameters
    ----------
    base
        The problem of the first cycle (as ``assign`` would plan it).
    labels
        Labels of all planned cycles (:func:`cycle_labels`).
    t
        Which cycle.
    planned
        Pairs of the planned cycles ``0 .. t-1`` (at least ``t`` entries are used).
    """
    history = list(_earlier_history(base))
    for s in range(t):
        history += [
            HistoryPair(cycle=labels[s], leader_id=a, counselor_id=b) for a, b in sorted(planned[s])
        ]
    span = _span(labels)
    start = add_years(base.cycle_start, span * t) if base.cycle_start is not None else None
    return base.replace(cycle=labels[t], history=tuple(history), cycle_start=start)


def _span(labels: Sequence[str]) -> int:
    if len(labels) < 2:
        return 3
    a, b = cycle_first_year(labels[0]), cycle_first_year(labels[1])
    return (b - a) if a is not None and b is not None else 3


# ----- results -----------------------------------------------------------------------
@dataclass
class CyclePlan:
    """One planned cycle: its problem (history incl. earlier planned cycles) and plan."""

    label: str
    problem: Problem
    plan: Plan
    levels: dict[str, int]


@dataclass
class RotationResult:
    """Outcome of :func:`rotate`.

    ``joint`` is the plan kept (the lookahead's, or greedy's when greedy is
    already optimal or the joint solve timed out with something worse);
    ``greedy`` may stop early (``greedy_failed_at``) when a greedy choice blocks a
    later cycle. ``proof`` says how the kept plan's levels 1-6 are known optimal:
    ``hub_bound`` (greedy meets the relaxation's bounds), ``search`` (the joint
    model proved them), or ``""`` (not proven: time ran out).
    """

    status: SolveStatus
    labels: tuple[str, ...]
    joint: list[CyclePlan] | None
    greedy: list[CyclePlan]
    greedy_failed_at: int | None = None
    used_greedy: bool = False
    joint_seconds: float = 0.0
    greedy_seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    proof: str = ""
    bounds: dict[str, int] | None = None
    verdict: str = ""
    """``equal`` / ``better`` / ``worse`` (lookahead vs greedy, totals compared level by
    level) or ``greedy_failed``; see :func:`rotation_verdict` for the sentence."""
    gap_level: str | None = None  # first level not proven optimal (None when proven)
    gap: int | None = None  # |kept total - proven bound| there (None: no bound known)
    gap_bound: int | None = None

    def totals(self, which: str = "joint") -> dict[str, int]:
        """Levels summed over the cycles of the joint (or greedy) plan."""
        plans = self.joint if which == "joint" else self.greedy
        out = {lv.name: 0 for lv in LEVELS}
        for cp in plans or []:
            for k, v in cp.levels.items():
                out[k] = out.get(k, 0) + v
        return out


def level_key(levels: dict[str, int], settings: Settings | None = None) -> tuple[int, ...]:
    """Lexicographic sort key of objective levels: smaller is better on every level
    (in the order ``settings`` gives, see :func:`planner.rules.scoring.level_order`)."""
    return _level_key(levels, settings)


# ----- solving levels ----------------------------------------------------------------
@dataclass
class LexOutcome:
    """What :func:`solve_levels` found: a status, level values, chosen literals."""

    status: SolveStatus
    values: dict[str, int]
    chosen: list[bool] | None
    level_seconds: dict[str, float]
    proven: dict[str, int] = field(default_factory=dict)
    stopped: str | None = None  # the single level whose solve ended unproven ...
    stop_bound: int | None = None  # ... and CP-SAT's proven bound on it (None if unknown)
    det_time: float = 0.0  # CP-SAT deterministic time spent (reproducible, unlike seconds)


LevelExpr = tuple[str, str, cp_model.LinearExprT]


def solver_params(seed: int, seconds: float) -> cp_model.CpSolver:
    """A reproducible CP-SAT solver for the joint and repair models.

    One worker and a fixed seed (deterministic search); the full linearization,
    as for the pairing (its flow structure gives a near-integral LP). Unlike the
    single-cycle pairing, presolve stays on: the cross-cycle repeat rows and the
    repeat-cost variables need it (demo, level 4: 1.3 s with it, > 20 s without).
    """
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.linearization_level = 2
    return solver


# Weighted sums stay below 2**50 so the LP relaxation (doubles) keeps them exact.
_MAX_WEIGHTED = 1 << 50


def expr_range(model: cp_model.CpModel, expr: cp_model.LinearExprT) -> tuple[int, int]:
    """(lowest, highest) value of a linear expression from its variables' domains."""
    if not isinstance(expr, cp_model.LinearExpr):
        return int(expr), int(expr)
    flat = cp_model.FlatIntExpr(expr)
    lo = hi = flat.offset
    for var, coef in zip(flat.vars, flat.coeffs, strict=True):
        dom = list(model.proto.variables[var.index].domain)  # no negative indexing on protos
        a, b = coef * dom[0], coef * dom[-1]
        lo += min(a, b)
        hi += max(a, b)
    return lo, hi


def weighted_objective(
    model: cp_model.CpModel, levels: Sequence[LevelExpr]
) -> cp_model.LinearExprT | None:
    """One objective to minimise whose optimum is the lexicographic optimum of ``levels``.

    Each level is weighted by the product of (range + 1) of the levels below it,
    so one unit of a higher level outweighs any change of all lower ones. None
    when the weights would grow too large for exact arithmetic.
    """
    terms: list[cp_model.LinearExprT] = []
    weight = 1
    for _name, sense, expr in reversed(levels):
        lo, hi = expr_range(model, expr)
        terms.append(weight * expr if sense == "min" else -weight * expr)
        weight *= hi - lo + 1
        if weight > _MAX_WEIGHTED:
            return None
    return cp_model.LinearExpr.sum(terms)


def solve_levels(
    model: cp_model.CpModel,
    groups: Sequence[Sequence[LevelExpr]],
    decision: Sequence[cp_model.IntVar],
    *,
    seed: int,
    time_limit: float,
    progress: Progress | None = None,
    deterministic_limit: float | None = None,
) -> LexOutcome:
    """Optimise levels (name, "min"|"max", expr) lexicographically, group by group.

    Each group is one solve with a weighted objective (:func:`weighted_objective`:
    exact, one presolve for several levels); a group whose weights would grow
    too large is solved level by level. Each optimum is fixed before the next
    group. ``decision`` are the Booleans whose values are returned (and re-hinted
    between solves). Uses the pairing's solver parameters (one worker, fixed
    seed, linearization level 2). ``deterministic_limit`` bounds each solve in
    CP-SAT's deterministic time units, so a search cut short still ends at the
    same solution on every run.
    """
    t0 = time.perf_counter()
    steps: list[tuple[str, cp_model.LinearExprT, list[LevelExpr]]] = []
    for group in groups:
        objective = weighted_objective(model, group) if len(group) > 1 else None
        if objective is not None:
            steps.append(("+".join(n for n, _, _ in group), objective, list(group)))
        else:
            for name, sense, expr in group:
                steps.append((name, expr if sense == "min" else -expr, [(name, sense, expr)]))
    levels = [lv for group in groups for lv in group]
    values: dict[str, int] = {}
    proven: dict[str, int] = {}
    stopped: str | None = None
    stop_bound: int | None = None
    det = 0.0
    level_seconds: dict[str, float] = {}
    chosen: list[bool] | None = None
    status = SolveStatus.OPTIMAL
    for name, objective, members in steps:
        if progress:
            progress(name)
        remaining = time_limit - (time.perf_counter() - t0)
        if remaining <= 0:
            status = SolveStatus.FEASIBLE if chosen is not None else SolveStatus.UNKNOWN
            break
        model.minimize(objective)
        solver = solver_params(seed, remaining)
        if deterministic_limit is not None:
            solver.parameters.max_deterministic_time = deterministic_limit
        ts = time.perf_counter()
        code = solver.solve(model)
        level_seconds[name] = time.perf_counter() - ts
        det += solver.response_proto.deterministic_time
        if code == cp_model.INFEASIBLE:
            return LexOutcome(SolveStatus.INFEASIBLE, {}, None, level_seconds, proven, det_time=det)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            status = SolveStatus.FEASIBLE if chosen is not None else SolveStatus.UNKNOWN
            stopped, stop_bound = _stop_bound(model, solver, members, code)
            break
        chosen = [bool(solver.boolean_value(x)) for x in decision]
        for lname, _, lexpr in levels:
            values[lname] = int(solver.value(lexpr))
        if code != cp_model.OPTIMAL:
            status = SolveStatus.FEASIBLE
            stopped, stop_bound = _stop_bound(model, solver, members, code)
            break
        for lname, _, lexpr in members:
            model.add(lexpr == values[lname])
            proven[lname] = values[lname]
        model.clear_hints()
        for x, b in zip(decision, chosen, strict=True):
            model.add_hint(x, b)
    return LexOutcome(status, values, chosen, level_seconds, proven, stopped, stop_bound, det)


def _stop_bound(
    model: cp_model.CpModel,
    solver: cp_model.CpSolver,
    members: Sequence[LevelExpr],
    code: object,
) -> tuple[str | None, int | None]:
    """The proven bound on a single level whose solve stopped unproven (None for a group)."""
    if len(members) != 1:
        return None, None
    name, sense, expr = members[0]
    b = solver.best_objective_bound
    if b != b or abs(b) > 1e15:  # NaN or infinite: nothing proven
        return name, None
    if code != cp_model.FEASIBLE or b > solver.objective_value + 1e-6:
        # No solution in this solve, or cut short before any bound was derived (seen
        # when the budget ends in presolve): the bound the variables' domains give.
        lo, hi = expr_range(model, expr)
        return name, (lo if sense == "min" else hi)
    # The objective minimised -expr for a maximised level: its bound is an upper bound.
    return name, (math.ceil(b - 1e-6) if sense == "min" else -math.ceil(b - 1e-6))


# ----- greedy ------------------------------------------------------------------------
def greedy_rotation(
    base: Problem,
    labels: Sequence[str],
    *,
    seed: int = 0,
    time_limit: float = 60.0,
) -> tuple[list[CyclePlan], int | None, SolveStatus]:
    """``assign`` cycle by cycle, each plan appended to the history of the next.

    Returns
    -------
    tuple
        (the cycles planned, the index of the first cycle with no plan or None,
        the status of that cycle's solve — ``OPTIMAL`` when every cycle solved).
    """
    out: list[CyclePlan] = []
    planned: list[set[PairKey]] = []
    per = time_limit / max(1, len(labels))
    for t in range(len(labels)):
        p = cycle_problem(base, labels, t, planned)
        res = solve_pairing(p, seed=seed, time_limit=per)
        if res.plan is None:
            return out, t, res.status
        keys = res.plan.keys()
        _check(p, keys, seed, res.levels)
        out.append(CyclePlan(labels[t], p, res.plan, objective_levels(p, keys, seed)))
        planned.append(keys)
    return out, None, SolveStatus.OPTIMAL


def _check(problem: Problem, keys: set[PairKey], seed: int, levels: dict[str, int]) -> None:
    violations = validate_plan(problem, sorted(keys))
    if violations:
        raise RotationBug(
            f"cycle {problem.cycle}: " + "; ".join(v.render("en") for v in violations)
        )
    again = objective_levels(problem, keys, seed)
    for k, v in levels.items():
        if again.get(k) != v:
            raise RotationBug(f"cycle {problem.cycle}: level {k} solver {v}, recomputed {again[k]}")


# ----- the joint model ---------------------------------------------------------------
@dataclass
class _Joint:
    """The joint model: one :class:`PairVariables` per cycle plus the summed levels."""

    model: cp_model.CpModel
    vars: list[PairVariables]
    index: list[dict[PairKey, cp_model.IntVar]]
    levels: list[tuple[str, str, cp_model.LinearExprT]]
    ok: bool


def _repeat_weight(age: int, n_earlier: int, window: int) -> int:
    """:func:`planner.rules.scoring.repeat_weight` for a pair last made ``age`` cycles ago."""
    if age <= window:
        return 0
    return max(1, n_earlier + 1 - age)


def _narrowed(base: Problem, labels: Sequence[str], t: int) -> Problem:
    """Cycle ``t``'s problem with history only: the latest ``window - t`` history cycles barred.

    Cycle t sees the history's cycles t positions further back, so only the latest
    (window - t) of them are still inside the no-repeat window; the planned cycles
    before it are handled by :func:`_cross_cycle`.
    """
    window = base.settings.no_repeat_cycles
    narrowed = base.settings.model_copy(update={"no_repeat_cycles": max(0, window - t)})
    # The same cycle start as cycle_problem's, so stages (level 5) agree with it.
    start = add_years(base.cycle_start, _span(labels) * t) if base.cycle_start is not None else None
    return base.replace(
        cycle=labels[t], history=_earlier_history(base), settings=narrowed, cycle_start=start
    )


def _cross_cycle(
    model: cp_model.CpModel, base: Problem, index: Sequence[dict[PairKey, cp_model.IntVar]]
) -> list[cp_model.LinearExprT]:
    """Add the repeat rule across planned cycles; return the level-4 terms.

    Hard 3: a pair of cycle s is barred from cycles s+1 .. s+window (``must``
    pairs excepted). Level 4 uses the weights each cycle's own problem gives,
    planned cycles included: the weight of a repeat is that of the pair's latest
    earlier occurrence (:func:`_repeat_weight`).
    """
    window = base.settings.no_repeat_cycles
    n_hist = len(base.earlier_cycles)
    hist_age = base.repeat_age
    musts = base.musts
    for t in range(len(index)):
        for s in range(max(0, t - window), t):
            for key, x in index[t].items():
                y = index[s].get(key)
                if y is not None and key not in musts:
                    model.add(x + y <= 1)
    terms: list[cp_model.LinearExprT] = []
    for t in range(len(index)):
        n_earlier = n_hist + t
        for key, x in sorted(index[t].items()):
            a = hist_age.get(key)
            if key in musts:
                # Pinned in every cycle: its latest occurrence is the cycle before.
                age = 1 if t > 0 else a
                if age is not None:
                    terms.append(_repeat_weight(age, n_earlier, window) * x)
                continue
            bounds: list[tuple[int, cp_model.IntVar | None]] = []
            if a is not None and a + t > window:
                bounds.append((_repeat_weight(a + t, n_earlier, window), None))
            for s in range(t):
                y = index[s].get(key)
                if y is not None and t - s > window:
                    bounds.append((_repeat_weight(t - s, n_earlier, window), y))
            if not bounds:
                continue
            if len(bounds) == 1 and bounds[0][1] is None:
                terms.append(bounds[0][0] * x)
                continue
            # The latest occurrence has the largest weight; the cost variable is
            # pushed down to it by the minimisation.
            top = max(w for w, _ in bounds)
            cost = model.new_int_var(0, top, f"repeat_cost[{t},{key[0]},{key[1]}]")
            for w, y in bounds:
                if y is None:
                    model.add(cost >= w * x)
                else:
                    model.add(cost >= w * (x + y - 1))
            terms.append(cost)
    return terms


@dataclass
class HubBound:
    """The hub relaxation's optimum: bounds on levels 1-6 and its explicit pairs per cycle.

    ``levels`` holds the levels proven within the budget (a prefix of 1-4);
    ``explicit[t]`` are the own-unit and ``must`` pairs it makes in cycle ``t``;
    ``considered[t]`` all own-unit and ``must`` pairs it could have made.
    """

    levels: dict[str, int]
    explicit: list[set[PairKey]]
    considered: list[set[PairKey]]
    stopped: str | None = None  # the first level not proven in the budget ...
    stop_bound: int | None = None  # ... and the bound proven on it
    spent: float = 0.0  # deterministic time used


def hub_bounds(
    base: Problem,
    labels: Sequence[str],
    seed: int = 0,
    time_limit: float = 10.0,
    *,
    known: dict[str, int] | None = None,
    target: dict[str, int] | None = None,
    budget: float | None = None,
) -> HubBound | None:
    """Bounds on levels 1-6 of the joint plan from the hub relaxation (small and fast).

    Levels 2-4 and the repeat rule across cycles concern a few pairs: the heads'
    own-unit pairs and the ``must`` pairs (plus repeats of generic pairs, which a
    large college can almost always avoid). The relaxation keeps those pairs as
    they are and routes every other pair of a cycle through one hub: each
    counselor sends 0..K generic pairs into it, each leader takes some out, with
    coverage and loads as in the real model. It allows more than the real
    problem (any generic pair, repeated or not), so, solved lexicographically, it
    gives a lower bound on pairs, then upper bounds on own-unit pairs and heads
    covered, then a lower bound on older repeats. A plan meeting the bounds of
    levels 1..k is optimal on those levels (each bound holds given the levels
    before it at their optimum, which the plan then shows).

    ``known`` holds levels already proven by other means (fixed, not solved);
    with ``target`` (the best plan's totals) the solve stops at the first level
    whose bound the plan misses — later bounds would not prove anything about it.
    Each level is bounded in deterministic time (:data:`HUB_DETERMINISTIC_LIMIT`),
    and ``budget`` caps their sum, so the bounds are the same on every run;
    ``time_limit`` is a safety net.

    Returns None when the relaxation could not be solved to optimality in time.
    """
    model = cp_model.CpModel()
    k = base.settings.max_leaders_per_counselor
    musts = base.musts
    index: list[dict[PairKey, cp_model.IntVar]] = []
    pairs: list[cp_model.LinearExprT] = []
    own: list[cp_model.IntVar] = []
    covered: list[cp_model.IntVar] = []
    squares: list[cp_model.LinearExprT] = []
    multi_new: list[cp_model.IntVar] = []
    for t in range(len(labels)):
        pv = _narrowed(base, labels, t)
        leaders, counselors = pv.active_leaders, pv.active_counselors
        act_l = {ld.leader_id for ld in leaders}
        act_c = {c.counselor_id for c in counselors}
        by_unit: dict[str, list[str]] = {}
        for c in counselors:
            by_unit.setdefault(c.unit, []).append(c.counselor_id)
        idx: dict[PairKey, cp_model.IntVar] = {}
        for ld in leaders:
            if not ld.heads_teaching_unit:
                continue
            mine = []
            for cid in by_unit.get(ld.unit, ()):
                key = (ld.leader_id, cid)
                if pv.allowed(key):
                    idx[key] = model.new_bool_var("")
                    mine.append(idx[key])
            own.extend(mine)
            if mine:
                y = model.new_bool_var("")
                model.add(y <= sum(mine))
                covered.append(y)
        for key in sorted(musts):
            if key[0] in act_l and key[1] in act_c:
                if key not in idx:
                    idx[key] = model.new_bool_var("")
                model.add(idx[key] == 1)
        into = {c.counselor_id: model.new_int_var(0, k, "") for c in counselors}
        out_of = {ld.leader_id: model.new_int_var(0, pv.load_bounds(ld)[1], "") for ld in leaders}
        model.add(sum(into.values()) == sum(out_of.values()))
        explicit_c: dict[str, list[cp_model.IntVar]] = {}
        explicit_l: dict[str, list[cp_model.IntVar]] = {}
        for (lid, cid), x in idx.items():
            explicit_l.setdefault(lid, []).append(x)
            explicit_c.setdefault(cid, []).append(x)
        for c in counselors:
            cid = c.counselor_id
            n = sum(explicit_c.get(cid, [])) + into[cid]
            model.add(n >= 1)
            model.add(n <= k)
            # Levels 4-5 as in the real model: b[j] means "at least j leaders".
            b = [model.new_bool_var("") for _ in range(k)]
            model.add(sum(b) == n)
            for j in range(k - 1):
                model.add(b[j] >= b[j + 1])
            squares.append(sum((2 * j + 1) * b[j] for j in range(k)))
            if k >= 2 and pv.stage(cid) == Stage.NEW:
                multi_new.append(b[1])
        for ld in leaders:
            lo, hi = pv.load_bounds(ld)
            n = sum(explicit_l.get(ld.leader_id, [])) + out_of[ld.leader_id]
            model.add(n >= lo)
            model.add(n <= hi)
        pairs.append(sum(idx.values()) + sum(into.values()))
        index.append(idx)
    repeats = _cross_cycle(model, base, index)
    decision = [x for idx in index for x in idx.values()]
    exprs: dict[str, cp_model.LinearExprT] = {
        "pairs": sum(pairs),
        "own_unit_pairs": sum(own),
        "heads_covered": sum(covered),
        "leaders_squared": sum(squares),
        "new_multi": sum(multi_new),
        "older_repeats": sum(repeats),
    }
    known = known or {}
    for name, value in known.items():
        model.add(exprs[name] == value)
    proven: dict[str, int] = dict(known)
    chosen: list[bool] | None = None
    stopped: str | None = None
    stop_bound: int | None = None
    spent = 0.0
    t0 = time.perf_counter()
    for lv in level_order(base.settings):
        if lv.name not in exprs or lv.name in known:
            continue
        limit = (
            HUB_DETERMINISTIC_LIMIT
            if budget is None
            else min(HUB_DETERMINISTIC_LIMIT, budget - spent)
        )
        if limit <= 0:
            stopped = lv.name
            break
        out = solve_levels(
            model,
            [[(lv.name, lv.sense, exprs[lv.name])]],
            decision,
            seed=seed,
            time_limit=max(0.5, time_limit - (time.perf_counter() - t0)),
            deterministic_limit=limit,
        )
        spent += out.det_time
        if out.chosen is not None:
            chosen = out.chosen
        if lv.name not in out.proven:
            stopped, stop_bound = lv.name, out.stop_bound
            break
        proven[lv.name] = out.proven[lv.name]
        if target is not None and target.get(lv.name) != proven[lv.name]:
            break
    if chosen is None or len(proven) == len(known):
        if not proven:
            return None
        # Nothing solved here (every level known): no explicit pairs to lift.
        return HubBound(proven, [], [set(idx) for idx in index], stopped, stop_bound, spent)
    flags = iter(chosen)
    explicit = [{key for key in idx if next(flags)} for idx in index]
    return HubBound(proven, explicit, [set(idx) for idx in index], stopped, stop_bound, spent)


def lift(
    base: Problem,
    labels: Sequence[str],
    hub: HubBound,
    *,
    seed: int = 0,
    time_limit: float = 30.0,
) -> list[CyclePlan] | None:
    """Complete the hub relaxation's own-unit and ``must`` pairs into real plans.

    Cycle by cycle, the relaxation's explicit pairs are pinned and its other
    own-unit pairs barred; ``assign`` then picks the generic pairs with the
    planned cycles as history. In a college with many leaders the generic pairs
    are rarely short, so the result usually meets the relaxation's bounds (and
    is then optimal); None when some cycle cannot be completed.
    """
    planned: list[set[PairKey]] = []
    out: list[CyclePlan] = []
    per = time_limit / max(1, len(labels))
    for t in range(len(labels)):
        p = cycle_problem(base, labels, t, planned)
        pinned = hub.explicit[t]
        extra = [
            Rule(leader_id=a, counselor_id=b, kind=RuleKind.MUST)
            for a, b in sorted(pinned - p.musts)
        ] + [
            Rule(leader_id=a, counselor_id=b, kind=RuleKind.NEVER)
            for a, b in sorted(hub.considered[t] - pinned)
        ]
        res = solve_pairing(p.replace(rules=p.rules + tuple(extra)), seed=seed, time_limit=per)
        if res.plan is None:
            return None
        keys = res.plan.keys()
        if validate_plan(p, sorted(keys)):
            return None  # a pinned pair the real cycle forbids: the relaxation was too loose
        levels = objective_levels(p, keys, seed)
        plan = Plan(
            cycle=labels[t],
            pairs=tuple(Pair(leader_id=a, counselor_id=b) for a, b in sorted(keys)),
            status=res.status,
            objective=dict(levels),
        )
        out.append(CyclePlan(labels[t], p, plan, levels))
        planned.append(keys)
    return out


def build_joint(
    base: Problem,
    labels: Sequence[str],
    seed: int,
    *,
    generic: int | None = None,
    keep: Sequence[Iterable[PairKey]] = (),
) -> _Joint:
    """Build the joint model of ``len(labels)`` cycles (see the module docstring).

    ``generic`` restricts each cycle's variables to the pairing's candidate pairs
    (own-unit and ``must`` pairs plus ``generic`` leaders per counselor, see
    :mod:`planner.pairing.candidates`) together with the pairs of ``keep[t]``
    (greedy's plan, so that it stays a solution); None gives every allowed pair.
    """
    model = cp_model.CpModel()
    vs: list[PairVariables] = []
    index: list[dict[PairKey, cp_model.IntVar]] = []
    exprs: list[dict[str, cp_model.LinearExprT]] = []
    ok = True
    for t in range(len(labels)):
        pv = _narrowed(base, labels, t)
        edges: list[PairKey] | None = None
        if generic is not None:
            edges = candidate_edges(pv, generic, seed)
            if t < len(keep):
                edges = sorted(set(edges) | set(keep[t]))
        v = make_variables(model, pv, edges)
        add_counselor_coverage(model, v, pv)
        add_leader_loads(model, v, pv)
        ok = add_must_pairs(model, v, pv) and ok
        vs.append(v)
        index.append({v.key(e): x for e, x in v.x.items()})
        exprs.append(build_level_exprs(model, v, pv, seed))

    repeat_terms = _cross_cycle(model, base, index)
    levels: list[tuple[str, str, cp_model.LinearExprT]] = []
    for lv in LEVELS:
        if lv.name == "older_repeats":
            levels.append((lv.name, lv.sense, sum(repeat_terms)))
        elif lv.name == "tie_break":
            levels.append(
                (
                    lv.name,
                    lv.sense,
                    sum(
                        tie_break_cost(seed, key) * x
                        for idx in index
                        for key, x in sorted(idx.items())
                    ),
                )
            )
        else:
            levels.append((lv.name, lv.sense, sum(e[lv.name] for e in exprs)))
    return _Joint(model, vs, index, levels, ok)


def _rotate_plans(
    base: Problem,
    cycles: int,
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    progress: Progress | None = None,
) -> RotationResult:
    """The plans of :func:`rotate` (its verdict is added there)."""
    if cycles < 1:
        raise ValueError("--cycles 至少为 1 (must be at least 1)")
    t0 = time.perf_counter()
    labels = cycle_labels(base.cycle, cycles)
    first = base.replace(cycle=labels[0])
    findings = precheck(first)
    if findings:
        return RotationResult(SolveStatus.INFEASIBLE, tuple(labels), None, [], findings=findings)

    def left() -> float:
        return max(0.5, time_limit - (time.perf_counter() - t0))

    if progress:
        progress("greedy")
    greedy, failed_at, gstatus = greedy_rotation(base, labels, seed=seed, time_limit=time_limit / 3)
    greedy_seconds = time.perf_counter() - t0
    if failed_at == 0 and gstatus == SolveStatus.INFEASIBLE:
        return RotationResult(
            SolveStatus.INFEASIBLE,
            tuple(labels),
            None,
            [],
            greedy_failed_at=0,
            greedy_seconds=greedy_seconds,
            findings=[_blocked_finding()],
        )
    t1 = time.perf_counter()
    greedy_done = failed_at is None
    s = base.settings
    order = level_order(s)
    main_names = [lv.name for lv in order if lv.name != "tie_break"]

    if progress:
        progress("bounds")
    # Level 1 first, cheaply: each cycle needs at least the pairs of its own relaxation
    # (history only, no cross-cycle rule); when greedy meets their sum, it is proven.
    known: dict[str, int] = {}
    if greedy_done and order[0].name == "pairs":
        cycle_low = [min_pairs_bound(_narrowed(base, labels, t)) for t in range(len(labels))]
        if all(b is not None for b in cycle_low):
            low = sum(b for b in cycle_low if b is not None)
            if low == _sum(greedy)["pairs"]:
                known["pairs"] = low
    hub = hub_bounds(
        base,
        labels,
        seed,
        time_limit=left() / 2,
        known=known,
        target=_sum(greedy) if greedy_done else None,
        budget=HUB_BUDGET,
    )
    bounds = dict(hub.levels) if hub is not None else (dict(known) or None)
    if hub is not None and hub.stopped is not None and hub.stop_bound is not None:
        # A proven bound, not an optimum: a plan that reaches it is optimal all the same.
        assert bounds is not None
        bounds[hub.stopped] = hub.stop_bound

    def meets(plans: Sequence[CyclePlan]) -> list[str]:
        """Levels (a prefix of 1-4) on which ``plans`` meet the bounds, so are optimal."""
        if bounds is None:
            return []
        tot = _sum(plans)
        got: list[str] = []
        for name in main_names:
            if name not in bounds or tot[name] != bounds[name]:
                break
            got.append(name)
        return got

    # The best plan known so far: greedy's, or the relaxation lifted to real pairs.
    best: list[CyclePlan] | None = greedy if greedy_done else None
    if best is not None and len(meets(best)) == len(main_names):
        return RotationResult(
            SolveStatus.OPTIMAL,
            tuple(labels),
            _relabel(greedy, SolveStatus.OPTIMAL),
            greedy,
            used_greedy=True,
            joint_seconds=time.perf_counter() - t1,
            greedy_seconds=greedy_seconds,
            proof="hub_bound",
            bounds=bounds,
        )
    if hub is not None and hub.explicit:
        if progress:
            progress("lift")
        lifted = lift(base, labels, hub, seed=seed, time_limit=left() / 4)
        if lifted is not None and (
            best is None or level_key(_sum(lifted), s) < level_key(_sum(best), s)
        ):
            best = lifted
            if len(hub.levels) <= len(meets(lifted)) < len(main_names) and hub.spent < HUB_BUDGET:
                # The lifted plan meets every bound so far: bound the next levels
                # against it (the first pass stopped where greedy fell short).
                more = hub_bounds(
                    base,
                    labels,
                    seed,
                    time_limit=left() / 2,
                    known=dict(hub.levels),
                    target=_sum(lifted),
                    budget=HUB_BUDGET - hub.spent,
                )
                if more is not None:
                    bounds = dict(more.levels)
                    if more.stopped is not None and more.stop_bound is not None:
                        bounds[more.stopped] = more.stop_bound
            if len(meets(lifted)) == len(main_names):
                return RotationResult(
                    SolveStatus.OPTIMAL,
                    tuple(labels),
                    _relabel(lifted, SolveStatus.OPTIMAL),
                    greedy,
                    greedy_failed_at=failed_at,
                    joint_seconds=time.perf_counter() - t1,
                    greedy_seconds=greedy_seconds,
                    proof="hub_bound",
                    bounds=bounds,
                )
    proven = meets(best) if best is not None else []
    best_tot = _sum(best) if best is not None else {}

    if progress:
        progress("joint")
    joint = build_joint(
        base,
        labels,
        seed,
        generic=None if is_dense(first) else SPARSE_GENERIC,
        keep=[cp.plan.keys() for cp in best] if best is not None else (),
    )
    decision = [x for idx in joint.index for _, x in sorted(idx.items())]
    keys = [(t, key) for t, idx in enumerate(joint.index) for key, _ in sorted(idx.items())]
    if best is not None:
        chosen = {(t, pair.key) for t, cp in enumerate(best) for pair in cp.plan.pairs}
        for tk, x in zip(keys, decision, strict=True):
            joint.model.add_hint(x, tk in chosen)
    by_name = {lv[0]: lv for lv in joint.levels}
    for name in proven:
        joint.model.add(by_name[name][2] == best_tot[name])
    policy = tuple(lv.name for lv in order if lv.name in POLICY_LEVELS)
    # One level per solve: a solve cut short by its budget still proves a bound on
    # its level, which the verdict reports as the gap.
    groups = [[by_name[n]] for n in (*policy, "older_repeats") if n not in proven]
    if not joint.ok:
        out = LexOutcome(SolveStatus.INFEASIBLE, {}, None, {})
    else:
        out = solve_levels(
            joint.model,
            groups,
            decision,
            seed=seed,
            time_limit=left(),
            deterministic_limit=JOINT_DETERMINISTIC_LIMIT,
            progress=(lambda name: progress(f"joint:{name}")) if progress else None,
        )
    for name, value in out.proven.items():
        # Proven by the joint search itself (earlier levels fixed at proven optima).
        bounds = {**(bounds or {}), name: value}
    if out.stopped is not None and out.stop_bound is not None:
        lv_sense = LEVEL_BY_NAME[out.stopped].sense
        have = (bounds or {}).get(out.stopped)
        b = out.stop_bound
        if have is not None:
            b = max(b, have) if lv_sense == "min" else min(b, have)
        bounds = {**(bounds or {}), out.stopped: b}
    if out.status == SolveStatus.INFEASIBLE:
        return RotationResult(
            SolveStatus.INFEASIBLE,
            tuple(labels),
            None,
            greedy,
            greedy_failed_at=failed_at,
            joint_seconds=time.perf_counter() - t1,
            greedy_seconds=greedy_seconds,
            findings=[_rotation_finding(cycles, base.settings.no_repeat_cycles)],
            bounds=bounds,
        )
    for name in proven:
        out.values.setdefault(name, best_tot[name])
    same = (
        best is not None
        and out.status == SolveStatus.OPTIMAL
        and all(out.values[k] == best_tot[k] for k in main_names)
    )
    status = out.status
    plans: list[CyclePlan] | None = None
    if same:
        # The best known plan already reaches the joint optimum of levels 1-6: keep it.
        assert best is not None
        plans = _relabel(best, SolveStatus.OPTIMAL)
    elif out.chosen is not None:
        if out.status == SolveStatus.OPTIMAL:
            tb = solve_levels(
                joint.model,
                [[by_name["tie_break"]]],
                decision,
                seed=seed,
                time_limit=left(),
                deterministic_limit=TIE_BREAK_DETERMINISTIC_LIMIT,
            )
            if tb.chosen is not None:
                out = LexOutcome(SolveStatus.OPTIMAL, out.values, tb.chosen, out.level_seconds)
        per_cycle: list[set[PairKey]] = [set() for _ in labels]
        for (t, key), b in zip(keys, out.chosen or [], strict=True):
            if b:
                per_cycle[t].add(key)
        plans = _cycle_plans(base, labels, per_cycle, seed, status)
        if status == SolveStatus.OPTIMAL:
            _check_totals(plans, {k: out.values[k] for k in main_names})
    used_greedy = same and best is greedy
    if (
        best is not None
        and not same
        and (plans is None or level_key(_sum(plans), s) > level_key(_sum(best), s))
    ):
        # The joint solve ran out of time with something worse: keep the best known.
        plans, used_greedy, status = (
            _relabel(best, SolveStatus.FEASIBLE),
            best is greedy,
            SolveStatus.FEASIBLE,
        )
    if plans is None:
        status = SolveStatus.UNKNOWN
    return RotationResult(
        status,
        tuple(labels),
        plans,
        greedy,
        greedy_failed_at=failed_at,
        used_greedy=used_greedy,
        joint_seconds=time.perf_counter() - t1,
        greedy_seconds=greedy_seconds,
        proof="search" if status == SolveStatus.OPTIMAL else "",
        bounds=bounds,
    )


def rotate(
    base: Problem,
    cycles: int,
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    progress: Progress | None = None,
) -> RotationResult:
    """Plan ``cycles`` cycles jointly, with the greedy plan as baseline and hint.

    Parameters
    ----------
    base
        The problem of the first cycle (``assign``'s: its label, history, rules).
        Rosters, rules and settings are taken to hold for every cycle.
    cycles
        How many cycles (N ≥ 1).
    seed
        Tie-break and CP-SAT seed, as in ``assign``.
    time_limit
        Seconds for the greedy baseline and the joint solve together.
    progress
        Called with a short description of each step.

    Returns
    -------
    RotationResult
        ``INFEASIBLE`` (with findings) when no N cycles obey the hard rules,
        ``UNKNOWN`` when time ran out before any plan, else the kept plan
        (``OPTIMAL`` when levels 1-6 summed over the cycles are proven optimal)
        and greedy's, per cycle.

    Notes
    -----
    1. Greedy: ``assign`` cycle by cycle.
    2. :func:`hub_bounds`: when greedy meets the relaxation's bounds on levels
       1-4, greedy is optimal and kept as it is (its first cycle is then
       ``assign``'s plan); no joint search is needed.
    3. Otherwise the joint model: the levels greedy is proven optimal on are
       fixed at greedy's values, the others solved (levels 1-5 as one exact
       weighted objective, then level 6), with greedy's plans as the hint. When
       the result beats greedy, the seeded tie-break is minimised within a fixed
       deterministic-time budget (it only picks among equally good plans, and the
       budget keeps runs reproducible).
    """
    res = _rotate_plans(base, cycles, seed=seed, time_limit=time_limit, progress=progress)
    _set_verdict(res, base)
    return res


def _set_verdict(res: RotationResult, base: Problem) -> None:
    """Fill ``verdict`` and the gap fields from the kept plan, greedy's and the bounds."""
    if res.joint is None:
        res.verdict = ""
        return
    order = [lv for lv in level_order(base.settings) if lv.name != "tie_break"]
    j = res.totals("joint")
    if res.greedy_failed_at is not None:
        res.verdict = "greedy_failed"
    else:
        g = res.totals("greedy")
        diff = next((lv for lv in order if j[lv.name] != g[lv.name]), None)
        if diff is None:
            res.verdict = "equal"
        else:
            better = (
                j[diff.name] < g[diff.name] if diff.sense == "min" else j[diff.name] > g[diff.name]
            )
            res.verdict = "better" if better else "worse"
    if res.status == SolveStatus.OPTIMAL:
        res.gap_level, res.gap, res.gap_bound = None, 0, None
        return
    bounds = res.bounds or {}
    for lv in order:
        if lv.name not in bounds:
            res.gap_level, res.gap, res.gap_bound = lv.name, None, None
            return
        if j[lv.name] != bounds[lv.name]:
            res.gap_level = lv.name
            res.gap = abs(j[lv.name] - bounds[lv.name])
            res.gap_bound = bounds[lv.name]
            return
    res.gap_level, res.gap, res.gap_bound = None, 0, None


def rotation_verdict(res: RotationResult, lang: str = "zh") -> str:
    """The one sentence to print about lookahead vs greedy, in ``lang`` (zh or en).

    Says "equal" when the totals are equal, "better" only when the lookahead is
    lexicographically better, and when optimality is not proven, the proven gap on
    the first level not proven (or that no bound is known there).
    """
    zh = lang == "zh"
    if res.joint is None:
        return "未找到多周期方案。" if zh else "no multi-cycle plan was found."
    proven = res.status == SolveStatus.OPTIMAL
    if res.verdict == "greedy_failed":
        label = res.labels[res.greedy_failed_at] if res.greedy_failed_at is not None else ""
        head = (
            f"逐周期规划在 {label} 周期无解(前面周期的选择堵死了轮换),联合规划找到了全部周期的方案"
            if zh
            else f"greedy planning finds no plan for {label} (earlier choices block the rotation); "
            "the lookahead plans every cycle"
        )
    elif res.verdict == "equal":
        head = (
            "联合规划与逐周期规划的各项目标合计相同"
            if zh
            else "the lookahead and greedy have equal totals on every level"
        )
    else:
        j, g = res.totals("joint"), res.totals("greedy")
        parts = []
        for lv in level_order(res.joint[0].problem.settings):
            if lv.name == "tie_break" or j[lv.name] == g[lv.name]:
                continue
            d = j[lv.name] - g[lv.name]
            parts.append(
                f"{lv.zh}{'多' if d > 0 else '少'} {abs(d)}"
                if zh
                else f"{lv.en} {'+' if d > 0 else '-'}{abs(d)}"
            )
        what = ("、" if zh else ", ").join(parts)
        if res.verdict == "better":
            head = (
                f"联合规划优于逐周期规划(合计:{what})"
                if zh
                else f"the lookahead beats greedy (totals: {what})"
            )
        else:
            head = (
                f"联合规划不如逐周期规划(合计:{what})"
                if zh
                else f"the lookahead is worse than greedy (totals: {what})"
            )
    if proven:
        tail = ",且已证明为多周期最优。" if zh else "; proven optimal over the cycles."
    elif res.gap_level is None:
        tail = ";未证明最优。" if zh else "; not proven optimal."
    else:
        glv = LEVEL_BY_NAME.get(res.gap_level)
        name = (glv.zh if zh else glv.en) if glv else res.gap_level
        if res.gap is None:
            tail = (
                f";未证明最优(在“{name}”上时限内没有得到界)。"
                if zh
                else f"; not proven optimal (no bound on {name} within the budget)."
            )
        else:
            tail = (
                f";未证明最优:“{name}”与已证明的界 {res.gap_bound} 相差 {res.gap}(前面各项已证明最优)。"
                if zh
                else f"; not proven optimal: {name} is within {res.gap} of the proven bound "
                f"{res.gap_bound} (the levels before it are proven optimal)."
            )
    return head + tail


def _relabel(plans: Sequence[CyclePlan], status: SolveStatus) -> list[CyclePlan]:
    return [
        CyclePlan(cp.label, cp.problem, cp.plan.model_copy(update={"status": status}), cp.levels)
        for cp in plans
    ]


def _sum(plans: Sequence[CyclePlan]) -> dict[str, int]:
    out = {lv.name: 0 for lv in LEVELS}
    for cp in plans:
        for k in out:
            out[k] += cp.levels[k]
    return out


def _cycle_plans(
    base: Problem,
    labels: Sequence[str],
    per_cycle: Sequence[set[PairKey]],
    seed: int,
    status: SolveStatus,
) -> list[CyclePlan]:
    plans = []
    for t, keys in enumerate(per_cycle):
        p = cycle_problem(base, labels, t, per_cycle)
        _check(p, keys, seed, {})
        levels = objective_levels(p, keys, seed)
        pairs = tuple(Pair(leader_id=a, counselor_id=b) for a, b in sorted(keys))
        plan = Plan(cycle=labels[t], pairs=pairs, status=status, objective=dict(levels))
        plans.append(CyclePlan(labels[t], p, plan, levels))
    return plans


def _check_totals(plans: Sequence[CyclePlan], values: dict[str, int]) -> None:
    total = _sum(plans)
    for k, v in values.items():
        if total[k] != v:
            raise RotationBug(f"joint level {k}: solver {v}, recomputed per cycle {total[k]}")


def _blocked_finding() -> Finding:
    return Finding(
        "blocked_group",
        "总数看似足够,但在轮换、禁止和必须约束下,部分辅导员与领导无法全部满足每人 1 名领导、每名领导负荷在规定范围内的要求。",
        "The totals look sufficient, but under the rotation, never and must rules some counselors and leaders cannot all be matched within the loads.",
        ("检查约束表中的禁止/必须约束", "将 no_repeat_cycles 设为 0 后重试"),
        ("review the never/must rules", "retry with no_repeat_cycles = 0"),
    )


def _rotation_finding(cycles: int, window: int) -> Finding:
    return Finding(
        "rotation_blocked",
        f"第一个周期可以安排,但连续 {cycles} 个周期都不重复最近 {window} 个周期结对的方案不存在"
        "(可选的领导与辅导员组合不够轮换)。",
        f"the first cycle can be planned, but no {cycles} consecutive cycles avoid repeating "
        f"the latest {window} cycle(s) (too few leader-counselor combinations to rotate).",
        (
            f"减少规划的周期数(--cycles {max(1, cycles - 1)})",
            f"将 no_repeat_cycles 调小为 {max(0, window - 1)}",
            "增加联系领导或放宽禁止约束",
        ),
        (
            f"plan fewer cycles (--cycles {max(1, cycles - 1)})",
            f"lower no_repeat_cycles to {max(0, window - 1)}",
            "add leaders or relax never rules",
        ),
        numbers={"cycles": cycles, "no_repeat_cycles": window},
    )


__all__ = [
    "REPORT_LEVELS",
    "CyclePlan",
    "LexOutcome",
    "RotationBug",
    "RotationResult",
    "build_joint",
    "cycle_labels",
    "cycle_problem",
    "greedy_rotation",
    "level_key",
    "rotate",
    "rotation_verdict",
    "solve_levels",
]
