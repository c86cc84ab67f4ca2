"""The ``reason`` (说明) column: a short sentence per pair saying why it was chosen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from models import Level, Problem

Key = tuple[str, str]


def explain(problem: Problem, keys: Iterable[Key], lang: str = "zh") -> dict[Key, str]:
    """Return a reason sentence for every pair of a plan.

    The main clause says why the leader has this counselor (a ``must`` rule,
    own-unit priority, own unit already covered or barred by rotation, a
    college-level or office leader); extra clauses note a second leader, a
    rotation away from the previous cycle's leader, or an older-cycle repeat.
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
            names = "、".join(problem.leader_by_id[x].name for x in other)
            parts.append(
                f"另有联系领导{names}(领导人数较多,每人至少联系{problem.load_bounds(ld)[0]}人)"
                if zh
                else f"also contacted by {names} (more leaders than needed; each has a minimum load)"
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
