"""Independent checker of plans, re-derived from the rules of CONTRACT.md §3.

It imports no ortools and shares no code with the solver (only the level names
and the weights of levels 6-7 in :mod:`planner.rules.scoring`): it reads the rules from the problem and
counts. Every solve is followed by it; a violation on a solver's plan is a bug.
``planner validate`` runs it on hand-edited plans.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from models import Plan, Problem, Stage
from planner.errors import SolverBug
from planner.rules.scoring import level_order, repeat_weight, tie_break_cost


@dataclass(frozen=True)
class Violation:
    """One broken rule, in both languages. ``rule`` is a stable code."""

    rule: str
    message_zh: str
    message_en: str
    row: int | None = None

    def render(self, lang: str = "zh") -> str:
        where = ""
        if self.row is not None:
            where = f"第{self.row}行:" if lang == "zh" else f"row {self.row}: "
        return where + (self.message_zh if lang == "zh" else self.message_en)


def _names(problem: Problem, lid: str, cid: str) -> tuple[str, str]:
    ld = problem.leader_by_id.get(lid)
    c = problem.counselor_by_id.get(cid)
    return (f"{ld.name}({lid})" if ld else lid, f"{c.name}({cid})" if c else cid)


def validate_plan(
    problem: Problem, pairs: Iterable[tuple[str, str]], rows: Iterable[int] | None = None
) -> list[Violation]:
    """Return every broken hard rule of ``pairs`` (empty list: the plan is valid).

    Parameters
    ----------
    problem
        The rosters, history, rules and settings the plan must obey.
    pairs
        (leader_id, counselor_id) tuples, in file order.
    rows
        Spreadsheet row of each pair, when the plan came from a file.
    """
    pair_list = list(pairs)
    row_list = list(rows) if rows is not None else [None] * len(pair_list)
    out: list[Violation] = []
    s = problem.settings
    seen: dict[tuple[str, str], int | None] = {}
    valid: list[tuple[str, str]] = []
    for key, row in zip(pair_list, row_list, strict=True):
        lid, cid = key
        ln, cn = _names(problem, lid, cid)
        ld = problem.leader_by_id.get(lid)
        c = problem.counselor_by_id.get(cid)
        if ld is None:
            out.append(
                Violation(
                    "unknown_leader",
                    f"领导工号 {lid} 不在领导干部名单中",
                    f"leader id {lid} is not on the leaders roster",
                    row,
                )
            )
        if c is None:
            out.append(
                Violation(
                    "unknown_counselor",
                    f"辅导员工号 {cid} 不在辅导员名单中",
                    f"counselor id {cid} is not on the counselors roster",
                    row,
                )
            )
        if ld is None or c is None:
            continue
        if key in seen:
            out.append(
                Violation(
                    "duplicate_pair",
                    f"{ln} 与 {cn} 的结对重复出现",
                    f"pair {ln} - {cn} appears twice",
                    row,
                )
            )
            continue
        seen[key] = row
        if not ld.active:
            out.append(
                Violation(
                    "inactive_leader", f"{ln} 不在岗,不能联系辅导员", f"{ln} is not active", row
                )
            )
        if not c.active:
            out.append(
                Violation(
                    "inactive_counselor",
                    f"{cn} 不在岗,不应安排联系领导",
                    f"{cn} is not active",
                    row,
                )
            )
        if key in problem.nevers:
            out.append(
                Violation(
                    "never",
                    f"{ln} 与 {cn} 被约束禁止结对",
                    f"{ln} - {cn} is forbidden by a never rule",
                    row,
                )
            )
        elif key not in problem.musts and key in problem.forbidden_repeats:
            cyc = problem.history_cycle_of(key)
            out.append(
                Violation(
                    "repeat",
                    f"{ln} 与 {cn} 在 {cyc} 周期已结对,按每三年轮换不得重复",
                    f"{ln} - {cn} were paired in cycle {cyc}; rotation forbids a repeat",
                    row,
                )
            )
        valid.append(key)

    leaders_of: dict[str, list[str]] = defaultdict(list)
    load: Counter[str] = Counter()
    for lid, cid in valid:
        leaders_of[cid].append(lid)
        load[lid] += 1
    k = s.max_leaders_per_counselor
    for c in sorted(problem.counselors, key=lambda x: x.counselor_id):
        if not c.active:
            continue
        n = len(leaders_of.get(c.counselor_id, []))
        if n == 0:
            out.append(
                Violation(
                    "uncovered",
                    f"辅导员 {c.name}({c.counselor_id}) 没有联系领导",
                    f"counselor {c.name} ({c.counselor_id}) has no leader",
                )
            )
        elif n > k:
            out.append(
                Violation(
                    "too_many_leaders",
                    f"辅导员 {c.name}({c.counselor_id}) 有 {n} 名联系领导,最多 {k} 名",
                    f"counselor {c.name} ({c.counselor_id}) has {n} leaders, at most {k}",
                )
            )
    for ld in sorted(problem.leaders, key=lambda x: problem.leader_rank(x.leader_id)):
        if not ld.active:
            continue
        lo, hi = problem.load_bounds(ld)
        n = load[ld.leader_id]
        if not lo <= n <= hi:
            out.append(
                Violation(
                    "load",
                    f"领导 {ld.name}({ld.leader_id}) 联系 {n} 名辅导员,应为 {lo}-{hi} 名",
                    f"leader {ld.name} ({ld.leader_id}) has {n} counselors, must have {lo}-{hi}",
                )
            )
    for lid, cid in sorted(problem.musts):
        if (lid, cid) not in seen:
            ln, cn = _names(problem, lid, cid)
            out.append(
                Violation(
                    "must",
                    f"约束要求 {ln} 联系 {cn},但计划中没有",
                    f"a must rule pins {ln} - {cn} but the plan lacks it",
                )
            )
    return out


def removable_pairs(problem: Problem, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Second-leader pairs that could be dropped with every hard rule still met.

    A plan with such a pair is valid but not minimal (objective level 1: one
    leader per counselor wherever the loads allow).
    """
    pair_list = list(pairs)
    leaders_of: Counter[str] = Counter(c for _, c in pair_list)
    load: Counter[str] = Counter(lid for lid, _ in pair_list)
    out = []
    for lid, cid in pair_list:
        ld = problem.leader_by_id.get(lid)
        if ld is None or (lid, cid) in problem.musts or leaders_of[cid] < 2:
            continue
        if load[lid] > problem.load_bounds(ld)[0]:
            out.append((lid, cid))
    return out


def objective_levels(
    problem: Problem, pairs: Iterable[tuple[str, str]], seed: int = 0
) -> dict[str, int]:
    """Recompute every objective level of a plan from the rules, without the solver.

    Levels 4-5 count the plan's active counselors: the sum of the squares of
    their numbers of leaders, and the 新任 among those with more than one.
    """
    keys = sorted(set(pairs))
    own = [k for k in keys if problem.is_own_unit(*k)]
    per: Counter[str] = Counter(cid for _, cid in keys)
    active = [c.counselor_id for c in problem.active_counselors]
    return {
        "pairs": len(keys),
        "own_unit_pairs": len(own),
        "heads_covered": len({lid for lid, _ in own}),
        "leaders_squared": sum(per[cid] ** 2 for cid in active),
        "new_multi": sum(1 for cid in active if per[cid] > 1 and problem.stage(cid) == Stage.NEW),
        "older_repeats": sum(repeat_weight(problem, k) for k in keys),
        "tie_break": sum(tie_break_cost(seed, k) for k in keys),
    }


def compare_levels(
    problem: Problem, plan: dict[str, int], optimum: dict[str, int]
) -> tuple[int, str | None]:
    """Compare a plan's levels with an optimum's, in the problem's level order.

    The seeded tie-break is left out: it only picks among equally good plans.

    Returns
    -------
    tuple
        (-1, level) when the plan is better on ``level`` (the "optimum" was not
        one), (0, None) when equal on every level, (1, level) when worse, where
        ``level`` is the first level (in priority order) on which they differ.
    """
    for lv in level_order(problem.settings):
        if lv.name == "tie_break" or lv.name not in plan or lv.name not in optimum:
            continue
        a, b = plan[lv.name], optimum[lv.name]
        if a != b:
            better = a < b if lv.sense == "min" else a > b
            return (-1 if better else 1), lv.name
    return 0, None


def check_solution(problem: Problem, plan: Plan, seed: int) -> None:
    """Re-check a solver's plan independently; raise :class:`SolverBug` on any disagreement."""
    keys = [p.key for p in plan.pairs]
    violations = validate_plan(problem, keys)
    if violations:
        raise SolverBug("; ".join(v.render("en") for v in violations))
    recomputed = objective_levels(problem, keys, seed)
    for name, value in plan.objective.items():
        if recomputed[name] != value:
            raise SolverBug(
                f"objective level {name}: solver {value}, recomputed {recomputed[name]}"
            )
