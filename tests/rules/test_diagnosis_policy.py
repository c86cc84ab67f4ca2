"""The diagnosis keeps to the policy (CONTRACT.md §3): fixes that keep every leader taking
part come first, and a fix that leaves a leader out or a load outside 2-3 says so."""

from __future__ import annotations

from planner.rules.precheck import blocking_groups, diagnose, precheck


def fixes(finding):
    return list(zip(finding.fixes_zh, finding.departures, strict=True))


def test_too_many_leaders_keeps_every_leader_first(build):
    # 50 leaders x at least 2 = 100 pairs, but 45 counselors with at most 2 leaders allow
    # 90: 10 too many. Fixes by hand: a third leader for some counselors (ceil(100/45) =
    # 3) keeps all 50; lowering minimums cannot stay at 2 (all are 2 already) so it is a
    # departure; dropping leaders — 5 of them leave 45 x 2 = 90 <= 90 pairs and 135 places
    # for 45 counselors — leaves leaders out: a departure from 全员参与, listed last.
    p = build(
        [(f"L{i:02d}", "", False) for i in range(50)], [(f"c{i:02d}", "A") for i in range(45)]
    )
    (f,) = [x for x in precheck(p) if x.kind == "forced_excess"]
    got = fixes(f)
    assert got[0][0].startswith("将 max_leaders_per_counselor 提高到 3")
    assert "每名领导都参与" in got[0][0] and got[0][1] is False
    assert got[1] == ("(突破方案每人联系2-3名的规定)降低部分领导的最少联系人数,合计 10 人", True)
    assert got[2] == ("(突破中层正职干部全员参与的规定)减少 5 名参与联系的领导", True)
    assert f.to_json()["departures"] == [False, True, True]
    assert "(a departure from the policy: every middle-level principal takes part)" in f.render(
        "en"
    )


def test_lowering_minimums_within_the_policy_is_not_a_departure(build):
    # 3 leaders x min 3 = 9 > 7 counselors x 1: lowering two minimums to 2 keeps 2-3.
    p = build(
        [(f"L{i}", "", False, 3, 3) for i in range(3)],
        [(f"c{i}", "A") for i in range(7)],
        max_leaders_per_counselor=1,
    )
    (f,) = [x for x in precheck(p) if x.kind == "forced_excess"]
    assert fixes(f) == [
        (
            "将 max_leaders_per_counselor 提高到 2(部分辅导员由第 2 名领导联系,每名领导都参与)",
            False,
        ),
        ("降低部分领导的最少联系人数,合计 2 人(每人仍不少于 2 人)", False),
    ]


def test_no_active_leader_is_said_plainly(build):
    # Every leader 离岗: no "raise 0 leaders' max by 45", the finding says there is nobody.
    p = build([("L1", "", False), ("L2", "", False)], [(f"c{i}", "A") for i in range(45)])
    gone = p.replace(leaders=tuple(x.model_copy(update={"active": False}) for x in p.leaders))
    (f,) = precheck(gone)
    assert f.kind == "no_active_leader"
    text = f.render("zh")
    assert "没有在岗的联系领导" in text and "45 名辅导员" in text
    assert "将 0 名" not in text and "0 名领导" not in text
    assert "增加 15 名联系领导" in text  # 45 counselors / 3 each
    assert diagnose(gone)[0].kind == "no_active_leader"


def test_shortfall_departure_is_flagged(build):
    # 7 counselors, 2 leaders x 3 = 6: adding a leader keeps the policy; raising a max
    # above 3 is a departure.
    p = build([("L1", "", False), ("L2", "", False)], [(f"c{i}", "A") for i in range(7)])
    (f,) = precheck(p)
    assert f.departures == (False, True)
    assert f.fixes_zh[1].startswith("(突破方案每人联系2-3名的规定)")


def test_a_leader_with_no_allowed_counselor_would_be_left_out(build):
    # L1 was paired with both counselors last cycle: leaving L1 out is the only load fix,
    # and it breaks 全员参与.
    p = build(
        [("L1", "", False, 2, 3), ("L2", "", False, 1, 3)],
        [("a", "A"), ("b", "A")],
        history=[("2024-2027", "L1", "a"), ("2024-2027", "L1", "b")],
    )
    f = next(x for x in precheck(p) if x.kind == "leader_blocked")
    assert fixes(f)[1] == (
        "(突破中层正职干部全员参与的规定)不安排其联系辅导员(将最少联系人数设为 0)",
        True,
    )


def test_blocked_leaders_offer_more_leaders_per_counselor_first(build):
    # L1 and L2 (min 2 each) may only take a and b (never rules bar c, d): they need 4
    # places but a and b accept 1 + 1 with max_leaders_per_counselor = 1; with 2 they
    # accept 4, so raising it to 2 keeps both leaders and comes first.
    never = [(lid, c, "never") for lid in ("L1", "L2") for c in ("c", "d")]
    p = build(
        [("L1", "", False, 2, 3), ("L2", "", False, 2, 3), ("L3", "", False, 1, 3)],
        [("a", "A"), ("b", "A"), ("c", "A"), ("d", "A")],
        rules=never,
        max_leaders_per_counselor=1,
    )
    f = next(x for x in precheck(p) + blocking_groups(p) if x.kind == "blocked_leaders")
    assert f.fixes_zh[0].startswith("将 max_leaders_per_counselor 提高到 2")
    assert f.departures[0] is False and f.departures[-1] is True
