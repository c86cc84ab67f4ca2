"""A plan held in memory as the office looks at it, and the hand edits made to it.

The page keeps the current plan as its pairs (leader id, counselor id). Everything shown of
it comes from here: the pairing table grouped by leader (联系对应表) with loads and own-unit
counts, the figures at a glance (recomputed by the independent validator's level function),
the validator's verdict after each hand edit, the people pickers, and the solver's steps and
levels in the office's words.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from models import Problem, SolveStatus
from planner.app.plans import make_plan, plan_rows
from planner.app.validate import check_plan
from planner.errors import UserError
from planner.i18n import msg
from planner.pairing import LEVELS
from planner.pairing.repair import MOVES
from planner.rules.validate import objective_levels

Key = tuple[str, str]

__all__ = [
    "LeaderGroup",
    "PlanFigures",
    "Verdict",
    "add_pair",
    "counselor_options",
    "leader_groups",
    "leader_options",
    "levels_rows",
    "pair_table",
    "person_label",
    "plan_figures",
    "reassign",
    "remove_pair",
    "status_text",
    "step_name",
    "units",
    "verdict",
]


# ----- people ------------------------------------------------------------------------------
def units(problem: Problem) -> list[str]:
    """Every unit named on the rosters, counselors' units first (the teaching units)."""
    seen = dict.fromkeys(c.unit for c in problem.counselors if c.unit)
    seen.update(dict.fromkeys(ld.unit for ld in problem.leaders if ld.unit))
    return list(seen)


def person_label(problem: Problem, pid: str) -> str:
    """``姓名(工号)`` of a leader or counselor (the id alone when unknown)."""
    x = problem.leader_by_id.get(pid) or problem.counselor_by_id.get(pid)
    return f"{x.name}({pid})" if x is not None else pid


def leader_options(problem: Problem, active_only: bool = True) -> dict[str, str]:
    """Leader id → ``姓名(工号) 职务`` in rank order, for pickers."""
    people = problem.active_leaders if active_only else problem.leaders
    return {
        ld.leader_id: " ".join(x for x in (person_label(problem, ld.leader_id), ld.position) if x)
        for ld in people
    }


def counselor_options(problem: Problem, active_only: bool = True) -> dict[str, str]:
    """Counselor id → ``姓名(工号) 单位`` by id, for pickers."""
    people = problem.active_counselors if active_only else problem.counselors
    return {c.counselor_id: f"{person_label(problem, c.counselor_id)} {c.unit}" for c in people}


# ----- the pairing table -------------------------------------------------------------------
@dataclass
class LeaderGroup:
    """One leader's block of the pairing table (联系对应表, grouped by leader)."""

    leader_id: str
    name: str
    position: str
    unit: str
    load: int
    low: int
    high: int
    own: int
    heads: bool
    active: bool
    rows: list[dict[str, str]]

    @property
    def load_ok(self) -> bool:
        return not self.active or self.low <= self.load <= self.high


def _matches(row: Mapping[str, str], unit: str | None) -> bool:
    return not unit or unit in (row["leader_unit"], row["counselor_unit"])


def _known(problem: Problem, keys: Iterable[Key]) -> list[Key]:
    """The pairs naming people on ``problem``'s rosters (a view never fails on a stale pair)."""
    return [
        k
        for k in dict.fromkeys(keys)
        if k[0] in problem.leader_by_id and k[1] in problem.counselor_by_id
    ]


def leader_groups(
    problem: Problem, keys: Iterable[Key], lang: str = "zh", unit: str | None = None
) -> list[LeaderGroup]:
    """The plan grouped by leader in rank order, with loads and own-unit counts.

    Every active leader appears (an empty block shows a load of 0); with ``unit`` only
    the pairs whose leader or counselor belongs to it, and the leaders of that unit.
    """
    keys = _known(problem, keys)
    rows = plan_rows(problem, make_plan(problem, keys), lang)
    by_leader: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by_leader[r["leader_id"]].append(r)
    order = [ld.leader_id for ld in problem.active_leaders]
    order += sorted({lid for lid, _ in keys} - set(order), key=problem.leader_rank)
    out = []
    for lid in order:
        ld = problem.leader_by_id[lid]
        mine = by_leader.get(lid, [])
        shown = [r for r in mine if _matches(r, unit)]
        if unit and not shown and ld.unit != unit:
            continue
        lo, hi = problem.load_bounds(ld)
        out.append(
            LeaderGroup(
                leader_id=lid,
                name=ld.name,
                position=ld.position,
                unit=ld.unit,
                load=len(mine),
                low=lo,
                high=hi,
                own=sum(1 for a, c in keys if a == lid and problem.is_own_unit(a, c)),
                heads=ld.heads_teaching_unit,
                active=ld.active,
                rows=shown,
            )
        )
    return out


def pair_table(
    problem: Problem, keys: Iterable[Key], lang: str = "zh", unit: str | None = None
) -> list[dict[str, str]]:
    """The plan's ``plan.csv`` rows (:func:`planner.app.plans.plan_rows`), filtered by unit."""
    rows = plan_rows(problem, make_plan(problem, _known(problem, keys)), lang)
    return [r for r in rows if _matches(r, unit)]


@dataclass
class PlanFigures:
    """At-a-glance figures of a plan (the objective's levels plus coverage and loads)."""

    pairs: int
    own_unit_pairs: int
    heads_covered: int
    heads: int
    counselors_covered: int
    counselors: int
    load_min: int
    load_max: int
    second_leaders: int


def plan_figures(problem: Problem, keys: Iterable[Key], seed: int = 0) -> PlanFigures:
    """Figures of a plan, recomputed by the independent validator's level function."""
    keys = _known(problem, keys)
    levels = objective_levels(problem, keys, seed)
    load = Counter(lid for lid, _ in keys)
    loads = [load[ld.leader_id] for ld in problem.active_leaders] or [0]
    per_c = Counter(cid for _, cid in keys)
    active_c = {c.counselor_id for c in problem.active_counselors}
    return PlanFigures(
        pairs=levels["pairs"],
        own_unit_pairs=levels["own_unit_pairs"],
        heads_covered=levels["heads_covered"],
        heads=sum(1 for ld in problem.active_leaders if ld.heads_teaching_unit),
        counselors_covered=sum(1 for c in active_c if per_c[c] > 0),
        counselors=len(active_c),
        load_min=min(loads),
        load_max=max(loads),
        second_leaders=sum(1 for c in active_c if per_c[c] > 1),
    )


@dataclass
class Verdict:
    """The independent validator's verdict on a (hand-edited) plan, worded for the page."""

    ok: bool
    lines: list[str]
    flagged: set[Key]
    note: str = ""


def verdict(problem: Problem, keys: Iterable[Key], lang: str = "zh") -> Verdict:
    """Run the independent validator (:func:`planner.app.validate.check_plan`) on ``keys``.

    ``flagged`` holds the pairs a pair rule (never, repeat, inactive, unknown) names;
    ``note`` says when valid second-leader pairs could be dropped (not the fewest pairs).
    """
    check = check_plan(problem, list(dict.fromkeys(keys)))
    lines = [msg(lang, v.message_zh, v.message_en) for v in check.violations]
    note = ""
    if check.spare:
        note = msg(
            lang,
            f"提示:有 {len(check.spare)} 对第二联系领导可以去掉而不违反负荷(不是最少结对方案)。",
            f"note: {len(check.spare)} second-leader pair(s) could be dropped within the loads.",
        )
    return Verdict(check.ok, lines, check.flagged, note)


# ----- hand edits ----------------------------------------------------------------------------
def _check_ids(problem: Problem, lid: str, cid: str) -> None:
    if lid not in problem.leader_by_id:
        raise UserError(f"名单中没有领导工号 {lid}", f"no leader has id {lid}")
    if cid not in problem.counselor_by_id:
        raise UserError(f"名单中没有辅导员工号 {cid}", f"no counselor has id {cid}")


def reassign(problem: Problem, keys: Sequence[Key], key: Key, new_leader: str) -> list[Key]:
    """Give the counselor of ``key`` to ``new_leader`` instead (the pair keeps its place).

    Raises
    ------
    UserError
        For a pair not in the plan, an unknown id, or a pair the plan already has.
    """
    if key not in keys:
        raise UserError("当前方案中没有这对结对", "the plan has no such pair")
    cid = key[1]
    _check_ids(problem, new_leader, cid)
    new = (new_leader, cid)
    if new == key:
        return list(keys)
    if new in keys:
        raise UserError(
            f"{person_label(problem, new_leader)} 已联系 {person_label(problem, cid)}",
            f"{new_leader} already has {cid}",
        )
    return [new if k == key else k for k in keys]


def add_pair(problem: Problem, keys: Sequence[Key], lid: str, cid: str) -> list[Key]:
    """Add the pair ``(lid, cid)`` (UserError for an unknown id or a pair already there)."""
    _check_ids(problem, lid, cid)
    if (lid, cid) in keys:
        raise UserError("这对结对已在方案中", "the pair is already in the plan")
    return [*keys, (lid, cid)]


def remove_pair(keys: Sequence[Key], key: Key) -> list[Key]:
    """Drop the pair ``key`` (UserError when the plan has no such pair)."""
    if key not in keys:
        raise UserError("当前方案中没有这对结对", "the plan has no such pair")
    return [k for k in keys if k != key]


# ----- solves in the office's words ------------------------------------------------------------
def step_name(step: str, lang: str = "zh") -> str:
    """A solver step (``pairs``, ``moves+pairs+…``) in the office's words."""
    names = {lv.name: (lv.zh if lang == "zh" else lv.en) for lv in LEVELS}
    names[MOVES] = msg(lang, "变动最少", "fewest moves")
    names["flow"] = msg(lang, "网络流求最优", "min-cost flow")
    names["greedy"] = msg(lang, "逐周期规划", "greedy, cycle by cycle")
    names["bounds"] = msg(lang, "估算各周期上界", "bounding the cycles")
    names["lift"] = msg(lang, "由上界构造方案", "lifting the bound")
    names["joint"] = msg(lang, "多周期联合规划", "joint lookahead")
    names["compare"] = msg(lang, "逐个方案计算", "option by option")
    names["schedule"] = msg(lang, "排日程", "scheduling")
    return " + ".join(names.get(part, part) for part in step.split("+"))


def status_text(status: SolveStatus, seconds: float, lang: str = "zh") -> str:
    """One line about how a solve that gave a plan ended (shown above the plan)."""
    if status == SolveStatus.OPTIMAL:
        return msg(
            lang,
            f"已得到最优方案(用时 {seconds:.2f} 秒),并已通过独立校验。",
            f"optimal plan found in {seconds:.2f} s, checked by the independent validator.",
        )
    return msg(
        lang,
        f"时限内未能证明最优,以下为可行方案(用时 {seconds:.2f} 秒),已通过独立校验。",
        f"time ran out before optimality was proven; feasible plan ({seconds:.2f} s), validated.",
    )


def levels_rows(levels: Mapping[str, int], lang: str = "zh") -> list[tuple[str, int]]:
    """(level name, value) in priority order, ``moves`` first when present."""
    out = []
    if MOVES in levels:
        out.append((step_name(MOVES, lang), levels[MOVES]))
    for lv in LEVELS:
        if lv.name in levels and lv.name != "tie_break":
            out.append((lv.zh if lang == "zh" else lv.en, levels[lv.name]))
    return out
