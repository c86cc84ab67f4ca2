"""Arithmetic feasibility checks before any solve, with fixes in the office's words.

Each finding is exact for what it checks: when it fires, no plan obeys the hard
rules of CONTRACT.md §3. Passing every check does not prove a plan exists (a
group of counselors may still be blocked); the solver decides that.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from models import Problem


@dataclass(frozen=True)
class Finding:
    """Why no plan can exist, with ranked fixes (cheapest first)."""

    kind: str
    message_zh: str
    message_en: str
    fixes_zh: tuple[str, ...] = ()
    fixes_en: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    numbers: dict[str, int] = field(default_factory=dict)
    departures: tuple[bool, ...] = ()
    """Per fix: whether it breaks the policy (CONTRACT.md §3: a load outside 2-3, or
    an active leader left out). Empty when no fix is a departure."""

    def render(self, lang: str = "zh") -> str:
        zh = lang == "zh"
        text = self.message_zh if zh else self.message_en
        fixes = self.fixes_zh if zh else self.fixes_en
        if fixes:
            text += ("可选:" if zh else " Options: ") + (
                "；或".join(fixes) if zh else "; or ".join(fixes)
            )
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "fixes_zh": list(self.fixes_zh),
            "fixes_en": list(self.fixes_en),
            "people": list(self.people),
            "numbers": self.numbers,
            "departures": [
                i < len(self.departures) and self.departures[i] for i in range(len(self.fixes_zh))
            ],
        }


LOAD_DEPARTURE_ZH = "(突破方案每人联系2-3名的规定)"
LOAD_DEPARTURE_EN = "(a departure from the policy's 2-3 counselors per leader) "
LEAVE_OUT_ZH = "(突破中层正职干部全员参与的规定)"
LEAVE_OUT_EN = "(a departure from the policy: every middle-level principal takes part) "


def _is_departure(fix_zh: str) -> bool:
    return fix_zh.startswith(("(突破", "（突破"))


def _flags(fixes_zh: tuple[str, ...] | list[str]) -> tuple[bool, ...]:
    return tuple(_is_departure(f) for f in fixes_zh)


def precheck(problem: Problem) -> list[Finding]:
    """Return every arithmetic reason why no plan can exist (empty: none found)."""
    out: list[Finding] = []
    s = problem.settings
    leaders = problem.active_leaders
    counselors = problem.active_counselors
    n = len(counselors)
    k = s.max_leaders_per_counselor
    bounds = {ld.leader_id: problem.load_bounds(ld) for ld in leaders}
    sum_max = sum(hi for _, hi in bounds.values())
    sum_min = sum(lo for lo, _ in bounds.values())
    policy_max = max(3, s.max_load)

    if n and not leaders:
        none_zh = (
            "将领导干部名单中应参与联系的领导的“在岗”标为“是”",
            f"增加 {-(-n // policy_max)} 名联系领导(每人最多联系 {policy_max} 人)",
        )
        none_en = (
            "mark the leaders who take part as active in the leaders roster",
            f"add {-(-n // policy_max)} leader(s) (each up to {policy_max} counselors)",
        )
        out.append(
            Finding(
                "no_active_leader",
                f"没有在岗的联系领导:{n} 名辅导员无人联系(领导干部名单为空或全部不在岗)。",
                f"no active leader: {n} counselors have nobody to contact them "
                "(the leaders roster is empty or nobody is active).",
                none_zh,
                none_en,
                numbers={"counselors": n, "leaders": 0},
                departures=_flags(none_zh),
            )
        )
    elif n and sum_max < n:
        gap = n - sum_max
        add_leaders = -(-gap // policy_max)
        fixes_zh = [f"增加 {add_leaders} 名联系领导(每人最多联系 {policy_max} 人)"]
        fixes_en = [f"add {add_leaders} leader(s) (each up to {policy_max} counselors)"]
        capped = [ld for ld in leaders if bounds[ld.leader_id][1] < policy_max]
        if capped:
            fixes_zh.append(
                f"将 {min(len(capped), gap)} 名最多联系人数低于 {policy_max} 的领导提高到 {policy_max}"
            )
            fixes_en.append(
                f"raise the max load of {min(len(capped), gap)} leader(s) below {policy_max} to {policy_max}"
            )
        per = -(-gap // len(leaders))
        who = min(gap, len(leaders))
        fixes_zh.append(f"{LOAD_DEPARTURE_ZH}将 {who} 名领导的上限各提高 {per} 人")
        fixes_en.append(f"{LOAD_DEPARTURE_EN}raise {who} leader(s)' max load by {per}")
        out.append(
            Finding(
                "shortfall",
                f"{n} 名辅导员,{len(leaders)} 名领导最多可联系 {sum_max} 人,缺 {gap} 个名额。",
                f"{n} counselors, but {len(leaders)} leaders can take at most {sum_max}: {gap} short.",
                tuple(fixes_zh),
                tuple(fixes_en),
                numbers={"counselors": n, "leaders": len(leaders), "capacity": sum_max, "gap": gap},
                departures=_flags(fixes_zh),
            )
        )
    if leaders and sum_min > n * k:
        gap = sum_min - n * k
        excess = _excess_fixes(problem, gap)
        out.append(
            Finding(
                "forced_excess",
                f"{len(leaders)} 名领导每人至少联系若干人,合计至少 {sum_min} 对,而 {n} 名辅导员每人最多 {k} 名领导,最多 {n * k} 对,多出 {gap} 对。",
                f"{len(leaders)} leaders need at least {sum_min} pairs in total, but {n} counselors with at most {k} leaders each allow {n * k}: {gap} too many.",
                *excess,
                numbers={
                    "counselors": n,
                    "leaders": len(leaders),
                    "min_pairs": sum_min,
                    "max_pairs": n * k,
                },
                departures=_flags(excess[0]),
            )
        )
    # Count the barred pairs per leader from the (small) barred sets, not all L x N pairs.
    active_c = {c.counselor_id for c in counselors}
    barred: Counter[str] = Counter(
        lid
        for lid, cid in (problem.nevers | problem.forbidden_repeats)
        if cid in active_c and not problem.allowed((lid, cid))
    )
    for ld in leaders:
        lo, hi = bounds[ld.leader_id]
        allowed = len(counselors) - barred.get(ld.leader_id, 0)
        if allowed < lo:
            if allowed == 0:
                lower_zh = f"{LEAVE_OUT_ZH}不安排其联系辅导员(将最少联系人数设为 0)"
                lower_en = f"{LEAVE_OUT_EN}leave them out (min load 0)"
            elif allowed < 2:
                lower_zh = f"{LOAD_DEPARTURE_ZH}将其最少联系人数降到 {allowed}"
                lower_en = f"{LOAD_DEPARTURE_EN}lower their min load to {allowed}"
            else:
                lower_zh = f"将其最少联系人数降到 {allowed}(仍不少于 2 人)"
                lower_en = f"lower their min load to {allowed} (still at least 2)"
            blocked_zh = ("放宽对其的禁止约束或 no_repeat_cycles", lower_zh)
            blocked_en = ("relax never rules or no_repeat_cycles for them", lower_en)
            out.append(
                Finding(
                    "leader_blocked",
                    f"领导 {ld.name}({ld.leader_id}) 至少联系 {lo} 人,但只有 {allowed} 名辅导员可与其结对(其余因轮换或禁止约束不可)。",
                    f"leader {ld.name} ({ld.leader_id}) needs {lo} counselors but only {allowed} are allowed (rotation or never rules).",
                    blocked_zh,
                    blocked_en,
                    people=(ld.leader_id,),
                    departures=_flags(blocked_zh),
                )
            )
    lids = {ld.leader_id for ld in leaders}
    for c in counselors if leaders else ():  # no leader at all is said once, above
        if not any(problem.allowed((lid, c.counselor_id)) for lid in lids):
            out.append(
                Finding(
                    "counselor_blocked",
                    f"辅导员 {c.name}({c.counselor_id}) 没有任何可结对的领导(均因轮换或禁止约束排除)。",
                    f"counselor {c.name} ({c.counselor_id}) has no allowed leader (rotation or never rules).",
                    *_barred_fixes(problem, [c.counselor_id]),
                    people=(c.counselor_id,),
                )
            )
    must_load: Counter[str] = Counter()
    must_count: Counter[str] = Counter()
    for lid, cid in sorted(problem.musts):
        ld = problem.leader_by_id[lid]
        c = problem.counselor_by_id[cid]
        if not ld.active or not c.active:
            gone = ld.name if not ld.active else c.name
            out.append(
                Finding(
                    "must_inactive",
                    f"约束要求 {ld.name} 联系 {c.name},但{gone}不在岗。",
                    f"a must rule pins {ld.name} - {c.name}, but {gone} is not active.",
                    ("删除该约束", "将其在岗状态改为“是”"),
                    ("delete that rule", "mark them active"),
                    people=(lid, cid),
                )
            )
            continue
        if (lid, cid) in problem.nevers:
            out.append(
                Finding(
                    "must_and_never",
                    f"{ld.name} 与 {c.name} 同时被约束为必须和禁止结对。",
                    f"{ld.name} - {c.name} is both must and never.",
                    ("删除其中一条约束",),
                    ("delete one of the two rules",),
                    people=(lid, cid),
                )
            )
        must_load[lid] += 1
        must_count[cid] += 1
    for lid, m in sorted(must_load.items()):
        ld = problem.leader_by_id[lid]
        if not ld.active:
            continue
        hi = bounds[lid][1]
        if m > hi:
            out.append(
                Finding(
                    "over_pinned_leader",
                    f"约束要求领导 {ld.name}({lid}) 联系 {m} 人,超过其最多联系人数 {hi}。",
                    f"must rules pin {m} counselors to {ld.name} ({lid}), above their max load {hi}.",
                    (
                        f"删除其中 {m - hi} 条必须约束",
                        (
                            f"将其最多联系人数提高到 {m}"
                            if m <= 3
                            else f"{LOAD_DEPARTURE_ZH}将其最多联系人数提高到 {m}"
                        ),
                    ),
                    (
                        f"delete {m - hi} of those must rules",
                        (
                            f"raise their max load to {m}"
                            if m <= 3
                            else f"{LOAD_DEPARTURE_EN}raise their max load to {m}"
                        ),
                    ),
                    people=(lid,),
                    departures=(False, m > 3),
                )
            )
    for cid, m in sorted(must_count.items()):
        if m > k:
            c = problem.counselor_by_id[cid]
            out.append(
                Finding(
                    "over_pinned_counselor",
                    f"约束要求辅导员 {c.name}({cid}) 有 {m} 名联系领导,超过上限 {k}。",
                    f"must rules give {c.name} ({cid}) {m} leaders, above the limit {k}.",
                    (f"删除其中 {m - k} 条必须约束",),
                    (f"delete {m - k} of those must rules",),
                    people=(cid,),
                )
            )
    return out


def _names(ids: list[str], lookup: dict[str, str], limit: int = 12) -> str:
    shown = [f"{lookup.get(i, i)}({i})" for i in ids[:limit]]
    return "、".join(shown) + (f" 等 {len(ids)} 人" if len(ids) > limit else "")


def blocking_groups(problem: Problem) -> list[Finding]:
    """Exact Hall-type obstacles found by max-flow / min-cut (networkx).

    Counselor side: a group of counselors whose allowed leaders cannot take
    them all. Leader side: a group of leaders whose minimum loads exceed what
    their allowed counselors can still accept. Called when the totals look
    fine but no plan exists.
    """
    import networkx as nx

    out: list[Finding] = []
    k = problem.settings.max_leaders_per_counselor
    leaders = problem.active_leaders
    counselors = problem.active_counselors
    lname = {ld.leader_id: ld.name for ld in leaders}
    cname = {c.counselor_id: c.name for c in counselors}
    must_load: Counter[str] = Counter(
        lid for lid, cid in problem.musts if lid in lname and cid in cname
    )
    must_cnt: Counter[str] = Counter(
        cid for lid, cid in problem.musts if lid in lname and cid in cname
    )
    allowed = {
        c.counselor_id: [
            ld.leader_id for ld in leaders if problem.allowed((ld.leader_id, c.counselor_id))
        ]
        for c in counselors
    }

    # Counselor side: every counselor without a must pair needs one more leader.
    g = nx.DiGraph()
    need = [c.counselor_id for c in counselors if must_cnt[c.counselor_id] == 0]
    for cid in need:
        g.add_edge("s", ("c", cid), capacity=1)
        for lid in allowed[cid]:
            g.add_edge(("c", cid), ("l", lid), capacity=1)
    spare = {
        ld.leader_id: max(0, problem.load_bounds(ld)[1] - must_load[ld.leader_id]) for ld in leaders
    }
    for lid, cap in spare.items():
        g.add_edge(("l", lid), "t", capacity=cap)
    if need and g.has_node("t"):
        value, (side, _) = nx.minimum_cut(g, "s", "t")
        if value < len(need):
            group = sorted(n[1] for n in side if isinstance(n, tuple) and n[0] == "c")
            lset = sorted({lid for cid in group for lid in allowed[cid]})
            cap = sum(spare[lid] for lid in lset)
            if len(group) > cap:
                gap = len(group) - cap
                # Raising a max of 2 to 3 stays within the policy; beyond 3 it does not.
                room = sum(
                    1 for lid in lset if problem.load_bounds(problem.leader_by_id[lid])[1] < 3
                )
                if gap <= room:
                    raise_zh = f"将这些领导中 {gap} 人的最多联系人数各提高 1 人(不超过 3 人)"
                    raise_en = f"raise {gap} of these leaders' max load by 1 (to at most 3)"
                else:
                    raise_zh = f"{LOAD_DEPARTURE_ZH}将这些领导中 {gap} 人的上限各提高 1 人"
                    raise_en = f"{LOAD_DEPARTURE_EN}raise {gap} of these leaders' max load by 1"
                group_zh = _barred_fixes(problem, group)[0] + (raise_zh,)
                out.append(
                    Finding(
                        "blocked_group",
                        f"{len(group)} 名辅导员({_names(group, cname)})只能由 {len(lset)} 名领导({_names(lset, lname)})联系(其余领导因轮换或禁止约束不能结对),这些领导最多还能联系 {cap} 人,缺 {gap} 人。",
                        f"{len(group)} counselors can only be paired with {len(lset)} leaders (the rest are barred by rotation or never rules), who can take {cap} more: {gap} short.",
                        group_zh,
                        _barred_fixes(problem, group)[1] + (raise_en,),
                        people=tuple(group + lset),
                        numbers={
                            "counselors": len(group),
                            "leaders": len(lset),
                            "capacity": cap,
                            "gap": gap,
                        },
                        departures=_flags(group_zh),
                    )
                )

    # Leader side: every leader needs min_load counselors among those allowed.
    h = nx.DiGraph()
    lneed = {
        ld.leader_id: max(0, problem.load_bounds(ld)[0] - must_load[ld.leader_id]) for ld in leaders
    }
    for lid, m in lneed.items():
        if m:
            h.add_edge("s", ("l", lid), capacity=m)
    lallowed: dict[str, list[str]] = {lid: [] for lid in lname}
    for cid, lids in allowed.items():
        for lid in lids:
            if (lid, cid) not in problem.musts:
                lallowed[lid].append(cid)
    for lid, m in lneed.items():
        if m:
            for cid in lallowed[lid]:
                h.add_edge(("l", lid), ("c", cid), capacity=1)
    for c in counselors:
        h.add_edge(("c", c.counselor_id), "t", capacity=max(0, k - must_cnt[c.counselor_id]))
    total = sum(lneed.values())
    if total and h.has_node("s"):
        value, (side, _) = nx.minimum_cut(h, "s", "t")
        if value < total:
            group = sorted(n[1] for n in side if isinstance(n, tuple) and n[0] == "l")
            cset = sorted({cid for lid in group for cid in lallowed[lid]})
            want = sum(lneed[lid] for lid in group)
            cap = sum(max(0, k - must_cnt[cid]) for cid in cset)
            if want > cap:
                short = want - cap
                lz: list[str] = []
                le: list[str] = []
                # More leaders per counselor keeps every leader taking part: the smallest
                # limit under which these counselors can accept everyone.
                for k2 in range(k + 1, k + 1 + max(1, len(group)) + 1):
                    if sum(max(0, k2 - must_cnt[cid]) for cid in cset) >= want:
                        lz.append(
                            f"将 max_leaders_per_counselor 提高到 {k2}(部分辅导员由多名领导联系,每名领导都参与)"
                        )
                        le.append(
                            f"raise max_leaders_per_counselor to {k2} (every leader takes part)"
                        )
                        break
                lz.append("放宽这些领导的禁止约束或 no_repeat_cycles")
                le.append("relax never rules or no_repeat_cycles for these leaders")
                within = sum(
                    max(0, problem.load_bounds(problem.leader_by_id[lid])[0] - 2) for lid in group
                )
                if short <= within:
                    lz.append(f"降低这些领导的最少联系人数,合计 {short} 人(每人仍不少于 2 人)")
                    le.append(
                        f"lower these leaders' min load by {short} in total (each still at least 2)"
                    )
                else:
                    lz.append(f"{LOAD_DEPARTURE_ZH}降低这些领导的最少联系人数")
                    le.append(f"{LOAD_DEPARTURE_EN}lower these leaders' min load")
                out.append(
                    Finding(
                        "blocked_leaders",
                        f"{len(group)} 名领导({_names(group, lname)})合计至少要联系 {want} 人,但可与他们结对的 {len(cset)} 名辅导员最多还能接受 {cap} 人次,缺 {want - cap} 人次。",
                        f"{len(group)} leaders need {want} counselors in total, but their {len(cset)} allowed counselors can accept only {cap}: {want - cap} short.",
                        tuple(lz),
                        tuple(le),
                        people=tuple(group + cset),
                        departures=_flags(lz),
                        numbers={
                            "leaders": len(group),
                            "counselors": len(cset),
                            "need": want,
                            "capacity": cap,
                        },
                    )
                )
    return out


def _excess_fixes(problem: Problem, gap: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Fixes for more forced pairs than counselors can take, each checked on the totals.

    The fixes that keep every leader taking part (中层正职干部全员参与) come first:
    more leaders per counselor, then lower minimum loads that stay at 2 or more.
    Fixes that break the policy — a minimum below 2, or fewer participating
    leaders — follow, each labelled as a departure.
    """
    leaders = problem.active_leaders
    n = len(problem.active_counselors)
    k = problem.settings.max_leaders_per_counselor
    bounds = sorted((problem.load_bounds(ld) for ld in leaders), reverse=True)
    zh: list[str] = []
    en: list[str] = []
    need_k = -(-sum(lo for lo, _ in bounds) // max(1, n))
    if need_k > k:
        zh.append(
            f"将 max_leaders_per_counselor 提高到 {need_k}"
            f"(部分辅导员由第 {need_k} 名领导联系,每名领导都参与)"
        )
        en.append(
            f"raise max_leaders_per_counselor to {need_k} "
            f"(some counselors get leader no. {need_k}; every leader takes part)"
        )
    within = sum(max(0, lo - 2) for lo, _ in bounds)  # reductions that keep everyone at >= 2
    if gap <= within:
        zh.append(f"降低部分领导的最少联系人数,合计 {gap} 人(每人仍不少于 2 人)")
        en.append(f"lower some leaders' min load by {gap} in total (each still at least 2)")
    else:
        zh.append(f"{LOAD_DEPARTURE_ZH}降低部分领导的最少联系人数,合计 {gap} 人")
        en.append(f"{LOAD_DEPARTURE_EN}lower some leaders' min load by {gap} in total")
    # Fewer leaders: drop those with the largest minimum first; only if capacity still covers n.
    for r in range(1, len(bounds)):
        rest = bounds[r:]
        if sum(lo for lo, _ in rest) <= n * k:
            if sum(hi for _, hi in rest) >= n:
                zh.append(f"{LEAVE_OUT_ZH}减少 {r} 名参与联系的领导")
                en.append(f"{LEAVE_OUT_EN}{r} fewer participating leader(s)")
            break
    return tuple(zh), tuple(en)


def _barred_fixes(
    problem: Problem, counselor_ids: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Fixes for counselors barred from leaders: only the kinds of bar that are really there."""
    ids = set(counselor_ids)
    zh: list[str] = []
    en: list[str] = []
    if any(cid in ids for _, cid in problem.nevers):
        zh.append("删除或放宽对这些辅导员的禁止约束")
        en.append("remove or relax never rules for these counselors")
    if any(
        cid in ids and key not in problem.musts
        for key in problem.forbidden_repeats
        for cid in (key[1],)
    ):
        zh.append("将 no_repeat_cycles 设为 0(允许与上一周期重复)")
        en.append("set no_repeat_cycles = 0 (allow repeating the last cycle)")
    return tuple(zh), tuple(en)


def diagnose(problem: Problem) -> list[Finding]:
    """Why ``problem`` has no plan: the precheck, else the blocking groups, else a general finding.

    Called once a solver has proven that no plan satisfies the hard rules.
    """
    return (
        precheck(problem)
        or blocking_groups(problem)
        or [
            Finding(
                "mixed",
                "各项总数和分组检查都能满足,但在轮换、禁止和必须约束同时作用下,仍无法让每名辅导员有 1-2 名联系领导且每名领导负荷在规定范围内。",
                "Totals and group checks pass, but under the rotation, never and must rules together no plan meets every coverage and load rule.",
                ("检查约束表中的禁止/必须约束", "将 no_repeat_cycles 设为 0 后重试"),
                ("review the never/must rules", "retry with no_repeat_cycles = 0"),
            )
        ]
    )
