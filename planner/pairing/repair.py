"""What-if repair (调整方案): the fewest moves that make a plan obey the changed rosters.

Order (CONTRACT.md §6): (1) the hard rules of the changed problem; (2) fewest
**moves** — a move is a pair of the old plan, between two people still present
and not forbidden by the change, that the new plan drops; (3) the pairing
objective, level by level. The model is the pairing's (same variables and hard
rules, :mod:`planner.pairing`) with one more level in front:

    moves = Σ over keepable old pairs (1 − x[l, c])

The repaired plan keeps the old plan's cycle label; the repeat rule applies
against earlier cycles, not against the plan being repaired. A large college
(see :mod:`planner.pairing.candidates`) gets variables for the pairing's
candidate pairs plus every pair of the old plan, not for all pairs.

:func:`compare` repairs one plan under several change files side by side and,
for a leader who leaves, ranks the ways to absorb each of their counselors: for
every receiving leader, the best repair that makes that pair.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models import Pair, Plan, Problem, Settings, SolveStatus
from planner.changes import Change
from planner.errors import SolverBug
from planner.pairing import LEVELS
from planner.pairing.candidates import candidate_edges, is_dense
from planner.pairing.constraints import add_counselor_coverage, add_leader_loads, add_must_pairs
from planner.pairing.objective import build_level_exprs
from planner.pairing.rotation import (
    SPARSE_GENERIC,
    LevelExpr,
    solve_levels,
    solver_params,
    weighted_objective,
)
from planner.pairing.variables import PairVariables, make_variables
from planner.rules.precheck import Finding, diagnose, precheck
from planner.rules.scoring import LEVEL_BY_NAME, POLICY_LEVELS, level_order
from planner.rules.validate import objective_levels, validate_plan
from planner.scenarios import Applied, DiffRow, apply_change, diff_plans, movable_pairs

PairKey = tuple[str, str]
Progress = Callable[[str], None]

MOVES = "moves"


def repair_groups(settings: Settings) -> tuple[tuple[str, ...], ...]:
    """Levels solved together (one exact weighted objective each), in priority order:
    moves, then the pairing's levels 1-5 in the order ``settings`` gives, then level
    6, then the tie-break."""
    policy = tuple(lv.name for lv in level_order(settings) if lv.name in POLICY_LEVELS)
    return ((MOVES, *policy), ("older_repeats",), ("tie_break",))


def ranked_levels(settings: Settings) -> tuple[str, ...]:
    """The levels by which the ways to absorb a leaver's counselors are ranked."""
    return repair_groups(settings)[0]


REPAIR_GROUPS = repair_groups(Settings())
""":func:`repair_groups` for the default settings."""

RANKED_LEVELS = ranked_levels(Settings())
""":func:`ranked_levels` for the default settings."""


@dataclass
class RepairResult:
    """Outcome of :func:`repair`.

    ``levels`` holds ``moves`` and every pairing level of the repaired plan;
    ``findings`` say why there is no plan when ``status`` is ``INFEASIBLE``.
    """

    status: SolveStatus
    plan: Plan | None
    moves: int | None = None
    levels: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.plan is not None


@dataclass
class _RepairModel:
    model: cp_model.CpModel
    v: PairVariables
    index: dict[PairKey, cp_model.IntVar]
    levels: dict[str, LevelExpr]
    decision: list[cp_model.IntVar]
    keys: list[PairKey]
    ok: bool


def _build(applied: Applied, old: Iterable[PairKey], seed: int) -> _RepairModel:
    problem = applied.problem
    old = list(old)
    model = cp_model.CpModel()
    edges = None
    if not is_dense(problem):
        # A large college: the pairing's candidate pairs plus every old pair (so that
        # keeping the old plan stays possible); see planner.pairing.candidates.
        edges = sorted(set(candidate_edges(problem, SPARSE_GENERIC, seed)) | set(old))
    v = make_variables(model, problem, edges)
    add_counselor_coverage(model, v, problem)
    add_leader_loads(model, v, problem)
    ok = add_must_pairs(model, v, problem)
    exprs = build_level_exprs(model, v, problem, seed)
    index = {v.key(e): x for e, x in sorted(v.x.items())}
    movable = movable_pairs(applied, old)
    # A keepable pair without a variable (barred by the repeat rule) is always a move.
    fixed = sum(1 for k in movable if k not in index)
    moves = fixed + sum(1 - index[k] for k in movable if k in index)
    levels: dict[str, LevelExpr] = {MOVES: (MOVES, "min", moves)}
    for lv in LEVELS:
        levels[lv.name] = (lv.name, lv.sense, exprs[lv.name])
    old_set = set(old)
    keys = sorted(index)
    decision = [index[k] for k in keys]
    for k, x in zip(keys, decision, strict=True):
        model.add_hint(x, k in old_set)
    return _RepairModel(model, v, index, levels, decision, keys, ok)


def _diagnose(problem: Problem) -> list[Finding]:
    """The findings ``assign`` gives for the changed problem (same hard rules)."""
    return diagnose(problem)


def repair(
    applied: Applied,
    old: Iterable[PairKey],
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    progress: Progress | None = None,
) -> RepairResult:
    """Repair the plan ``old`` under a change, with the fewest moves.

    Parameters
    ----------
    applied
        The change applied to the problem (:func:`planner.scenarios.apply_change`);
        its problem's cycle label is the old plan's.
    old
        (leader_id, counselor_id) pairs of the plan being repaired.
    seed
        Tie-break and CP-SAT seed.
    time_limit
        Seconds for the whole repair.
    progress
        Called with the name of each solve step.

    Returns
    -------
    RepairResult
        ``INFEASIBLE`` with findings when no plan obeys the hard rules after the
        change, ``UNKNOWN`` when time ran out before any plan, else the repaired
        plan, independently re-checked (hard rules, levels and moves).
    """
    t0 = time.perf_counter()
    problem = applied.problem
    old_list = sorted(set(old))
    findings = precheck(problem)
    if findings:
        return RepairResult(
            SolveStatus.INFEASIBLE, None, seconds=time.perf_counter() - t0, findings=findings
        )
    rm = _build(applied, old_list, seed)
    if not rm.ok:
        return RepairResult(
            SolveStatus.INFEASIBLE,
            None,
            seconds=time.perf_counter() - t0,
            findings=_diagnose(problem),
        )
    groups = [[rm.levels[n] for n in g] for g in repair_groups(problem.settings)]
    out = solve_levels(
        rm.model,
        groups,
        rm.decision,
        seed=seed,
        time_limit=time_limit,
        deterministic_limit=time_limit,
        progress=progress,
    )
    if out.status == SolveStatus.INFEASIBLE:
        return RepairResult(
            SolveStatus.INFEASIBLE,
            None,
            seconds=time.perf_counter() - t0,
            findings=_diagnose(problem),
        )
    if out.chosen is None:
        return RepairResult(SolveStatus.UNKNOWN, None, seconds=time.perf_counter() - t0)
    keys = [k for k, b in zip(rm.keys, out.chosen, strict=True) if b]
    levels = objective_levels(problem, keys, seed)
    moves = count_moves(applied, old_list, keys)
    plan = Plan(
        cycle=problem.cycle,
        pairs=tuple(Pair(leader_id=a, counselor_id=b) for a, b in keys),
        status=out.status,
        objective=dict(levels),
        solve_seconds=time.perf_counter() - t0,
    )
    _check(applied, old_list, plan, out.values, seed)
    return RepairResult(
        out.status,
        plan,
        moves,
        {MOVES: moves, **levels},
        time.perf_counter() - t0,
    )


def count_moves(applied: Applied, old: Iterable[PairKey], new: Iterable[PairKey]) -> int:
    """Moves of a repair, counted from the definition (independently of the solver)."""
    new_set = set(new)
    return sum(1 for k in movable_pairs(applied, old) if k not in new_set)


def _check(
    applied: Applied, old: list[PairKey], plan: Plan, values: dict[str, int], seed: int
) -> None:
    """Independent re-check of a repaired plan; :class:`SolverBug` on disagreement."""
    keys = [p.key for p in plan.pairs]
    violations = validate_plan(applied.problem, keys)
    if violations:
        raise SolverBug("; ".join(v.render("en") for v in violations))
    again = objective_levels(applied.problem, keys, seed)
    again[MOVES] = count_moves(applied, old, keys)
    for name, value in values.items():
        if again[name] != value:
            raise SolverBug(f"repair level {name}: solver {value}, recomputed {again[name]}")


# ----- comparing options --------------------------------------------------------------
@dataclass(frozen=True)
class Absorb:
    """One way to absorb a leaver's counselor: the best repair that makes ``leader_id``'s pair.

    ``leader_id`` empty means "no new leader" (the counselor keeps another leader).
    ``chosen`` marks the way the repair itself took (at most one per counselor);
    ``status`` is ``optimal`` for a ranked way, else why it could not be ranked
    (``unknown``: the solve ran out of its budget; ``too_large``: the weighted
    objective would not be exact). ``differs_zh``/``differs_en`` say what sets it
    apart from rank 1.
    """

    leaver_id: str
    counselor_id: str
    leader_id: str
    rank: int
    levels: dict[str, int]
    chosen: bool = False
    status: str = "optimal"
    differs_zh: str = ""
    differs_en: str = ""

    def differs(self, lang: str = "zh") -> str:
        return self.differs_zh if lang == "zh" else self.differs_en


@dataclass
class Ranking:
    """:func:`rank_receivers`' answer: ranked ways and the ways that could not be ranked."""

    ranked: list[Absorb] = field(default_factory=list)
    unranked: list[Absorb] = field(default_factory=list)


@dataclass
class OptionResult:
    """One option of :func:`compare`: the change, its repair and its diff.

    ``unranked`` lists the receiving leaders whose solves returned no proven
    answer (never dropped in silence: the CLI prints them).
    """

    change: Change
    applied: Applied
    result: RepairResult
    diff: list[DiffRow] = field(default_factory=list)
    absorb: list[Absorb] = field(default_factory=list)
    unranked: list[Absorb] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return self.result.plan is not None

    def loads(self) -> tuple[int, int] | None:
        """(smallest, largest) number of counselors of an active leader in the repaired plan."""
        if self.result.plan is None:
            return None
        load = Counter(p.leader_id for p in self.result.plan.pairs)
        values = [load[ld.leader_id] for ld in self.applied.problem.active_leaders]
        return (min(values), max(values)) if values else (0, 0)

    def reason(self, lang: str = "zh") -> str:
        """Why the option has no plan (empty when it has one)."""
        if self.result.plan is not None:
            return ""
        if self.result.status == SolveStatus.UNKNOWN:
            return "时限内未找到方案" if lang == "zh" else "no plan found within the time limit"
        return (";" if lang == "zh" else "; ").join(f.render(lang) for f in self.result.findings)

    def unranked_note(self, lang: str = "zh") -> str:
        """One line naming the receiving leaders that could not be ranked (empty if none)."""
        if not self.unranked:
            return ""
        p = self.applied.problem
        zh = lang == "zh"
        parts = []
        for a in self.unranked:
            c = p.counselor_by_id.get(a.counselor_id)
            ld = p.leader_by_id.get(a.leader_id) if a.leader_id else None
            who = ld.name if ld else ("无需新增" if zh else "none needed")
            cname = c.name if c else a.counselor_id
            parts.append(f"{cname}←{who}")
        why = {"unknown": ("时限内未求出", "not solved within the budget")}
        reasons = sorted({a.status for a in self.unranked})
        text = "、".join(
            why.get(r, ("无法精确排序", "too large to rank exactly"))[0 if zh else 1]
            for r in reasons
        )
        if zh:
            return (
                f"{self.change.name}: {len(self.unranked)} 个接收方案{text},未参与排序:"
                + "、".join(parts)
            )
        return (
            f"{self.change.name}: {len(self.unranked)} receiving option(s) {text}, not ranked: "
            + ", ".join(parts)
        )


RANK_DETERMINISTIC_LIMIT = 5.0
"""CP-SAT deterministic-time budget of each candidate solve when ranking receivers."""

MAX_RECEIVERS = 40
"""Receiving leaders tried per counselor of a leaver (all of them in a small college)."""


def _receivers(problem: Problem, cid: str, chosen: set[PairKey], limit: int) -> list[str]:
    """Leaders to try as receivers of ``cid``: everyone, or in a large college the
    repair's choice, the heads of the counselor's unit and leaders with spare
    capacity in the repaired plan, in rank order, up to ``limit``."""
    leaders = problem.active_leaders
    if len(leaders) <= limit:
        return [ld.leader_id for ld in leaders]
    load = Counter(lid for lid, _ in chosen)
    unit = problem.counselor_by_id[cid].unit
    first = [ld.leader_id for ld in leaders if (ld.leader_id, cid) in chosen]
    heads = [ld.leader_id for ld in leaders if ld.heads_teaching_unit and ld.unit == unit]
    spare = [ld.leader_id for ld in leaders if load[ld.leader_id] < problem.load_bounds(ld)[1]]
    return list(dict.fromkeys([*first, *heads, *spare]))[:limit]


def _differs(
    problem: Problem, names: Sequence[str], a: dict[str, int], best: dict[str, int]
) -> tuple[str, str]:
    """What sets ``a`` apart from rank 1 (``best``): the first level where they differ."""
    for name in names:
        if a.get(name) == best.get(name):
            continue
        d = a[name] - best[name]
        zh_name = MOVES_ZH if name == MOVES else LEVEL_BY_NAME[name].zh
        en_name = MOVES if name == MOVES else LEVEL_BY_NAME[name].en
        return (
            f"与第1名相比:{zh_name}{'多' if d > 0 else '少'} {abs(d)}",
            f"vs rank 1: {en_name} {'+' if d > 0 else '-'}{abs(d)}",
        )
    return (
        "与第1名各项目标相同,按随机种子次序排后",
        "equal to rank 1 on every level; after it in the seeded order",
    )


MOVES_ZH = "变动结对数"


def rank_receivers(
    applied: Applied,
    old: Iterable[PairKey],
    result: RepairResult,
    *,
    seed: int = 0,
    top: int = 3,
    time_limit: float = 30.0,
    max_candidates: int = MAX_RECEIVERS,
) -> Ranking:
    """Rank, for each counselor of each leaving leader, the leaders who could take them.

    For every candidate receiving leader (:func:`_receivers`) the pair is forced
    and the best repair is solved on the repair's own order: moves, the pairing's
    levels 1-5, then older repeats. The repair's own choice needs no solve: its
    plan is the best repair that makes its pair, so it ranks first (ties with it
    rank after it). "No new leader" is a candidate when the counselor keeps
    another leader of the old plan. The ``top`` best per counselor are returned
    with what differs from rank 1; a candidate whose solve gives no proven optimum
    within its deterministic budget goes to ``unranked``, never silently away.
    """
    problem = applied.problem
    old_list = sorted(set(old))
    leavers = set(applied.left_leaders)
    out = Ranking()
    if not leavers or result.plan is None:
        return out
    names = [*ranked_levels(problem.settings), "older_repeats"]
    rm = _build(applied, old_list, seed)
    levels = [rm.levels[n] for n in names]
    objective = weighted_objective(rm.model, levels)
    chosen = result.plan.keys()
    t0 = time.perf_counter()
    for leaver in sorted(leavers, key=problem.leader_rank):
        counselors = sorted({c for lid, c in old_list if lid == leaver})
        for cid in counselors:
            c = problem.counselor_by_id.get(cid)
            if c is None or not c.active:
                continue
            others = [lid for lid, c2 in old_list if c2 == cid and lid != leaver]
            new_leaders = [
                ld.leader_id
                for ld in problem.active_leaders
                if (ld.leader_id, cid) in chosen and ld.leader_id not in others
            ]
            picked = new_leaders[0] if new_leaders else ""  # the repair's way (one per counselor)
            cands: list[tuple[str, list[cp_model.LiteralT]]] = []
            receivers = _receivers(problem, cid, chosen, max_candidates)
            if picked and picked not in receivers:
                receivers.insert(0, picked)
            for lid in receivers:
                x = rm.index.get((lid, cid))
                if x is not None and lid not in others:
                    cands.append((lid, [x]))
            if any(problem.leader_by_id[o].active for o in others if o in problem.leader_by_id):
                new_lits: list[cp_model.LiteralT] = [
                    rm.index[(ld.leader_id, cid)].Not()
                    for ld in problem.active_leaders
                    if (ld.leader_id, cid) in rm.index and ld.leader_id not in others
                ]
                cands.append(("", new_lits))
            scored: list[tuple[tuple[int, ...], str, dict[str, int]]] = []
            for lid, lits in cands:
                rank = problem.leader_rank(lid) if lid else (-1, -1)
                if lid == picked and (picked or not new_leaders):
                    vals = {n: result.levels[n] for n in names}
                    key = tuple(vals[n] * (1 if sense == "min" else -1) for n, sense, _ in levels)
                    scored.append(((*key, 0, *rank), lid, vals))
                    continue
                status = "unknown"
                if objective is None:
                    status = "too_large"
                elif time.perf_counter() - t0 <= time_limit:
                    rm.model.minimize(objective)
                    rm.model.clear_assumptions()
                    rm.model.add_assumptions(lits)
                    solver = solver_params(seed, max(0.05, time_limit - (time.perf_counter() - t0)))
                    solver.parameters.max_deterministic_time = RANK_DETERMINISTIC_LIMIT
                    code = solver.solve(rm.model)
                    if code == cp_model.OPTIMAL:
                        vals = {name: int(solver.value(expr)) for name, _, expr in levels}
                        key = tuple(
                            vals[n] * (1 if sense == "min" else -1) for n, sense, _ in levels
                        )
                        scored.append(((*key, 1, *rank), lid, vals))
                        continue
                    if code == cp_model.INFEASIBLE:
                        continue  # no repair makes this pair: not a way to absorb
                out.unranked.append(Absorb(leaver, cid, lid, 0, {}, False, status))
            scored.sort(key=lambda x: x[0])
            if not scored:
                continue
            best = scored[0][2]
            for i, (_, lid, vals) in enumerate(scored[:top], start=1):
                is_chosen = lid == picked
                dz, de = (
                    (
                        "推荐方案采用的接收方式(最少变动,各项目标最优)",
                        "the repair's choice (fewest moves, best on every level)",
                    )
                    if i == 1 and is_chosen
                    else _differs(problem, names, vals, best)
                )
                if i == 1 and not is_chosen:
                    dz = "优于推荐方案(推荐方案在时限内未证明最优)"
                    de = "better than the repair's choice (the repair was not proven optimal in time)"
                out.ranked.append(Absorb(leaver, cid, lid, i, vals, is_chosen, "optimal", dz, de))
    rm.model.clear_assumptions()
    return out


def rank_absorptions(
    applied: Applied,
    old: Iterable[PairKey],
    result: RepairResult,
    *,
    seed: int = 0,
    top: int = 3,
    time_limit: float = 30.0,
    max_candidates: int = MAX_RECEIVERS,
) -> list[Absorb]:
    """The ranked ways of :func:`rank_receivers` (kept for callers of the list)."""
    return rank_receivers(
        applied,
        old,
        result,
        seed=seed,
        top=top,
        time_limit=time_limit,
        max_candidates=max_candidates,
    ).ranked


def compare(
    problem: Problem,
    old: Iterable[PairKey],
    changes: Sequence[Change],
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    top: int = 3,
    lang: str = "zh",
) -> list[OptionResult]:
    """Repair ``old`` under each change, side by side.

    Parameters
    ----------
    problem
        The problem read from DATA with the old plan's cycle label.
    old
        Pairs of the plan being repaired.
    changes
        The options (:func:`planner.scenarios.read_change`).
    top
        How many receiving leaders to list per counselor of a leaver.

    Raises
    ------
    InputError
        With the problems of every malformed change file at once.
    """
    from planner.errors import InputError

    old_list = sorted(set(old))
    applied: list[Applied] = []
    problems = []
    for ch in changes:
        try:
            applied.append(apply_change(problem, ch))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    per = time_limit / max(1, len(applied))
    out = []
    for a in applied:
        res = repair(a, old_list, seed=seed, time_limit=per)
        diff = diff_plans(a, old_list, res.plan.keys(), lang) if res.plan else []
        ranking = rank_receivers(a, old_list, res, seed=seed, top=top, time_limit=per)
        out.append(OptionResult(a.change, a, res, diff, ranking.ranked, ranking.unranked))
    return out


__all__ = [
    "MAX_RECEIVERS",
    "MOVES",
    "RANKED_LEVELS",
    "REPAIR_GROUPS",
    "Absorb",
    "OptionResult",
    "Ranking",
    "RepairResult",
    "compare",
    "count_moves",
    "rank_absorptions",
    "rank_receivers",
    "ranked_levels",
    "repair",
    "repair_groups",
]
