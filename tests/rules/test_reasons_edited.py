"""Reasons (说明) and standing of a hand-edited plan: recomputed for the plan as it is."""

from __future__ import annotations

from planner.pairing import solve_pairing
from planner.rules.reasons import explain, standing


def base(build):
    # 2 leaders x 2-3, 5 counselors: 5 pairs, one leader each (L1 3, L2 2 or vice versa).
    return build([("L1", "", False), ("L2", "", False)], [(f"c{i}", "A") for i in range(5)])


def test_a_hand_added_second_leader_is_not_called_forced(build):
    p = base(build)
    r = solve_pairing(p)
    assert r.plan is not None
    solved = r.plan.keys()
    # By hand: the leader with 2 counselors also takes one of the other leader's.
    per = {lid: sorted(c for l2, c in solved if l2 == lid) for lid in ("L1", "L2")}
    small = min(per, key=lambda x: len(per[x]))
    big = "L2" if small == "L1" else "L1"
    target = per[big][0]
    edited = sorted(solved | {(small, target)})
    text = explain(p, edited)
    # The added pair: small now has 3 > min 2, the counselor keeps big: not needed.
    assert "此对并非必需" in text[(small, target)]
    assert "领导人数较多" not in text[(small, target)]
    # big's row names the spare pair, never "more leaders than needed" (Σ min 4 <= 5).
    assert "并非必需" in text[(big, target)] and "领导人数较多" not in text[(big, target)]
    st = standing(p, edited, r.levels, solved=solved)
    assert st.edited and st.violations == 0 and not st.still_optimal
    assert (st.level, st.value, st.optimum) == ("pairs", 6, 5)
    assert st.render("zh").startswith("手工调整后符合全部规定,但不再是最优方案:结对总数为 6")
    assert "no longer optimal" in st.render("en")


def test_the_solved_plan_and_an_equal_swap_stand_as_optimal(build):
    p = base(build)
    r = solve_pairing(p)
    solved = r.plan.keys()
    same = standing(p, solved, r.levels, solved=solved)
    assert not same.edited and same.still_optimal
    # Swap two counselors between the leaders: every level but the tie-break is equal.
    (a, ca), (b, cb) = next(
        (x, y) for x in sorted(solved) for y in sorted(solved) if x[0] == "L1" and y[0] == "L2"
    )
    swapped = (solved - {(a, ca), (b, cb)}) | {(a, cb), (b, ca)}
    st = standing(p, swapped, r.levels, solved=solved)
    assert st.edited and st.still_optimal
    assert st.render("zh") == "手工调整后仍为最优方案(各项目标与求解结果相同),已通过独立校验"


def test_a_broken_edit_is_never_called_optimal(build):
    p = base(build)
    r = solve_pairing(p)
    broken = sorted(r.plan.keys())[1:]  # a counselor loses its only leader
    st = standing(p, broken, r.levels, solved=r.plan.keys())
    assert st.violations >= 1 and not st.still_optimal
    assert "违反规定" in st.render("zh")


def test_forced_second_leaders_keep_their_reason(build):
    # 3 leaders x min 2 = 6 > 5 counselors: the second leader is forced.
    p = build(
        [("L1", "", False), ("L2", "", False), ("L3", "", False)],
        [(f"c{i}", "A") for i in range(5)],
    )
    r = solve_pairing(p)
    text = explain(p, r.plan.keys())
    doubles = [t for t in text.values() if "另有联系领导" in t]
    assert len(doubles) == 2
    assert all("领导人数较多,每人至少联系2人" in t for t in doubles)
