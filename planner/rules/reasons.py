"""The ``reason`` (说明) column: a short sentence per pair saying why it was chosen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from models import Level, Problem
from planner.rules.scoring import LEVEL_BY_NAME
from planner.rules.validate import compare_levels, objective_levels, removable_pairs, validate_plan

Key = tuple[str, str]


def explain(problem: Problem, keys: Iterable[Key], lang: str = "zh") -> dict[Key, str]:
    """Return a reason sentence for every pair of a plan.

    The main clause says why the leader has this counselor (a ``must`` rule,
    own-unit priority, own unit already covered or barred by rotation, a
    college-level or office leader); extra clauses note a second leader, a
    rotation away from the previous cycle's leader, or an older-cycle repeat.

    Every clause is derived from ``keys`` as they are, so a hand-edited plan gets
    true reasons: a second leader the loads do not need (a pair that could be
    dropped with every rule still met, :func:`planner.rules.validate.removable_pairs`)
    is said to be not needed, never "more leaders than needed". Use
    :func:`standing` to tell whether an edited plan is still optimal.
    """
    keys = list(keys)
    zh = lang == "zh"
    leaders_of: dict[str, list[str]] = defaultdict(list)
    counselors_of: dict[str, set[str]] = defaultdict(set)
    for lid, cid in keys:
        leaders_of[cid].append(lid)
        counselors_of[lid].add(cid)
    unit_counselors: dict[str, list[str]] = defaultdict(list)
    for c in problem.active_counselors:
        unit_counselors[c.unit].append(c.counselor_id)
    load = {lid: len(cs) for lid, cs in counselors_of.items()}
    own_first = problem.settings.own_unit_first
    spare = {
        k
        for k in removable_pairs(problem, keys)
        if not (own_first and problem.is_own_unit(*k))  # own_unit_first: needed for level 1
    }
    # "More leaders than loads of one each can use": the minimum loads alone exceed
    # the counselors, so some counselors must get a second leader.
    forced_extra = sum(problem.load_bounds(x)[0] for x in problem.active_leaders) > len(
        problem.active_counselors
    )

    out: dict[Key, str] = {}
    for key in keys:
        lid, cid = key
        ld = problem.leader_by_id[lid]
        c = problem.counselor_by_id[cid]
        parts: list[str] = []
        if key in problem.musts:
            why = problem.rule_reason(key)
            parts.append(
                ("按约束必须结对" + (f"({why})" if why else ""))
                if zh
                else ("pinned by a must rule" + (f" ({why})" if why else ""))
            )
        elif problem.is_own_unit(lid, cid):
            parts.append(
                f"本单位优先:{ld.unit}负责人联系本单位辅导员"
                if zh
                else f"own-unit priority: a head of {ld.unit} takes its own counselors"
            )
        elif ld.heads_teaching_unit:
            own = unit_counselors.get(ld.unit, [])
            open_own = [x for x in own if x not in counselors_of[lid] and problem.allowed((lid, x))]
            if not own:
                parts.append(
                    f"{ld.unit}无辅导员,联系外单位辅导员"
                    if zh
                    else f"{ld.unit} has no counselors; contacts another unit's counselor"
                )
            elif open_own:
                parts.append(
                    "本单位辅导员已由本单位负责人联系,安排外单位辅导员"
                    if zh
                    else "own unit already covered; contacts another unit's counselor"
                )
            else:
                parts.append(
                    "本单位辅导员均不可再结对(轮换或约束),安排外单位辅导员"
                    if zh
                    else "own unit's counselors barred (rotation or rules); another unit's counselor"
                )
        elif ld.level == Level.COLLEGE:
            parts.append(
                "院级领导联系,按负荷统筹安排"
                if zh
                else "college-level leader, assigned by overall load"
            )
        else:
            parts.append(
                "中层领导干部联系,按负荷统筹安排" if zh else "middle-level leader, assigned by load"
            )
        if len(leaders_of[cid]) > 1:
            other = [x for x in leaders_of[cid] if x != lid]
            names = "、".join(
                problem.leader_by_id[x].name if x in problem.leader_by_id else x for x in other
            )
            lo = problem.load_bounds(ld)[0]
            spare_others = [x for x in other if (x, cid) in spare]
            if own_first and problem.is_own_unit(lid, cid):
                parts.append(
                    f"另有联系领导{names}(本单位优先于最少结对)"
                    if zh
                    else f"also contacted by {names} (own-unit pairs rank above fewest pairs)"
                )
            elif key in spare:
                # A hand edit (or an old plan) can give a second leader nobody needs.
                parts.append(
                    f"另有联系领导{names};此对并非必需(该领导联系{load[lid]}人,多于最少{lo}人,可去掉)"
                    if zh
                    else f"also contacted by {names}; this pair is not needed "
                    f"(the leader has {load[lid]}, above the minimum {lo})"
                )
            elif spare_others:
                spare_names = "、".join(
                    problem.leader_by_id[x].name if x in problem.leader_by_id else x
                    for x in spare_others
                )
                parts.append(
                    f"另有联系领导{names}(其中{spare_names}的这一对并非必需,可去掉)"
                    if zh
                    else f"also contacted by {names} ({spare_names}'s pair is not needed)"
                )
            elif forced_extra:
                parts.append(
                    f"另有联系领导{names}(领导人数较多,每人至少联系{lo}人)"
                    if zh
                    else f"also contacted by {names} (more leaders than needed; each has a minimum load)"
                )
            else:
                parts.append(
                    f"另有联系领导{names}(该领导须至少联系{lo}人)"
                    if zh
                    else f"also contacted by {names} (the leader needs at least {lo})"
                )
        prev = problem.previous_leaders.get(cid, ())
        if prev and lid not in prev:
            names = "、".join(
                problem.leader_by_id[x].name if x in problem.leader_by_id else x for x in prev
            )
            parts.append(
                f"轮换:上一周期由{names}联系"
                if zh
                else f"rotated from the previous cycle's {names}"
            )
        age = problem.repeat_age.get(key)
        if age is not None and key in problem.forbidden_repeats:
            parts.append(
                "近期周期已结对,因约束保留" if zh else "repeats a recent cycle, kept by a must rule"
            )
        elif age is not None:
            cyc = problem.history_cycle_of(key)
            parts.append(
                f"与{cyc}周期结对重复(较早周期允许,已尽量避免)"
                if zh
                else f"repeats cycle {cyc} (older cycles allowed, avoided where possible)"
            )
        out[key] = (";" if zh else "; ").join(parts)
    return out


@dataclass(frozen=True)
class Standing:
    """Where a (possibly hand-edited) plan stands against the solver's optimum.

    ``edited`` — its pairs differ from the solved plan's; ``violations`` — broken hard
    rules (the plan is then not valid at all); ``still_optimal`` — valid and equal to
    the optimum on every level but the seeded tie-break; ``level`` — the first level
    (in priority order) where it differs, with ``value`` and ``optimum``.
    """

    edited: bool
    violations: int
    still_optimal: bool
    level: str | None = None
    value: int | None = None
    optimum: int | None = None

    def render(self, lang: str = "zh") -> str:
        """One sentence for the page: 手工调整, valid or not, still optimal or not."""
        zh = lang == "zh"
        head = ("手工调整后" if zh else "after hand edits, ") if self.edited else ""
        if self.violations:
            return (
                f"{head}有 {self.violations} 处违反规定,不是可用的方案"
                if zh
                else f"{head}{self.violations} broken rule(s): not a usable plan"
            )
        if self.still_optimal:
            return (
                f"{head}仍为最优方案(各项目标与求解结果相同),已通过独立校验"
                if zh
                else f"{head}still optimal (every level equals the solved optimum), "
                "checked by the independent validator"
            )
        lv = LEVEL_BY_NAME.get(self.level or "")
        name = (lv.zh if zh else lv.en) if lv else (self.level or "")
        worse = (
            self.value is not None
            and self.optimum is not None
            and lv is not None
            and ((self.value > self.optimum) if lv.sense == "min" else (self.value < self.optimum))
        )
        if worse:
            return (
                f"{head}符合全部规定,但不再是最优方案:{name}为 {self.value},最优为 {self.optimum}"
                if zh
                else f"{head}valid but no longer optimal: {name} is {self.value}, "
                f"the optimum {self.optimum}"
            )
        return (
            f"{head}符合全部规定,{name}为 {self.value},优于所记录的求解结果 {self.optimum}(请重新求解)"
            if zh
            else f"{head}valid, {name} is {self.value}, better than the recorded solve's "
            f"{self.optimum} (solve again)"
        )


def standing(
    problem: Problem,
    pairs: Iterable[Key],
    optimum: dict[str, int],
    *,
    solved: Iterable[Key] | None = None,
    seed: int = 0,
) -> Standing:
    """Whether a plan (after hand edits, say) is still valid and still optimal.

    Parameters
    ----------
    problem
        The problem the plan is for.
    pairs
        The plan's (leader_id, counselor_id) pairs as they are now.
    optimum
        The objective levels of the solver's plan (``Plan.objective`` or
        ``PairingResult.levels``): the optimum to compare with.
    solved
        The solver's pairs, to tell whether the plan was edited; None: compare
        levels only and say it was edited.
    seed
        The seed of the solve (only the tie-break depends on it, which is not compared).
    """
    keys = sorted(set(pairs))
    edited = solved is None or set(keys) != set(solved)
    n_bad = len(validate_plan(problem, keys))
    levels = objective_levels(problem, keys, seed)
    sign, level = compare_levels(problem, levels, optimum)
    return Standing(
        edited=edited,
        violations=n_bad,
        still_optimal=n_bad == 0 and sign == 0,
        level=level,
        value=levels.get(level) if level else None,
        optimum=optimum.get(level) if level else None,
    )
