"""``own_unit_first`` (CONTRACT.md §3): levels 1 and 2 swap — worked out by hand."""

from __future__ import annotations

from collections import Counter

from models import SolveStatus
from planner.pairing import level_order, solve_pairing
from planner.rules.validate import objective_levels, validate_plan

# Unit A: head H and counselors a1 a2 a3; unit B: b1 b2; college leaders C and D.
# Every leader takes 2-3 counselors.
LEADERS = [("H", "A", True), ("C", "", False), ("D", "", False)]
COUNSELORS = [("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B"), ("b2", "B")]


def solved(p):
    r = solve_pairing(p, time_limit=30)
    assert r.status == SolveStatus.OPTIMAL and r.plan is not None
    keys = r.plan.keys()
    assert validate_plan(p, keys) == []
    assert objective_levels(p, keys) == r.levels
    return r, keys


def test_default_fewest_pairs_first(build):
    # 3 leaders x at least 2 = 6 pairs for 5 counselors: 6 is the fewest, and then every
    # load is exactly 2, so H takes only 2 of its 3 own-unit counselors: own-unit 2.
    r, keys = solved(build(LEADERS, COUNSELORS))
    assert (r.levels["pairs"], r.levels["own_unit_pairs"]) == (6, 2)
    assert Counter(lid for lid, _ in keys)["H"] == 2


def test_own_unit_first_lets_the_head_take_a_third_own_counselor(build):
    # Own-unit pairs first: H takes a1, a2, a3 (own-unit 3, the most possible). C and D
    # still need 2 each from the 5 counselors: 3 + 2 + 2 = 7 pairs, two counselors get a
    # second leader — one more pair than the default's 6.
    p = build(LEADERS, COUNSELORS, own_unit_first=True)
    assert [lv.name for lv in level_order(p.settings)][:3] == [
        "own_unit_pairs",
        "pairs",
        "heads_covered",
    ]
    r, keys = solved(p)
    assert (r.levels["pairs"], r.levels["own_unit_pairs"]) == (7, 3)
    assert {c for lid, c in keys if lid == "H"} == {"a1", "a2", "a3"}
    assert sorted(Counter(c for _, c in keys).values()) == [1, 1, 1, 2, 2]


def test_own_unit_first_changes_nothing_when_no_pair_is_traded(build):
    # 2 leaders, 5 counselors: H takes a1-a3 with 5 pairs either way.
    leaders = [("H", "A", True), ("C", "", False)]
    a, _ = solved(build(leaders, COUNSELORS))
    b, _ = solved(build(leaders, COUNSELORS, own_unit_first=True))
    assert a.levels == b.levels
    assert (a.levels["pairs"], a.levels["own_unit_pairs"]) == (5, 3)


def test_own_unit_first_is_read_from_settings_toml(tmp_path):
    from planner.io.read import read_data

    (tmp_path / "leaders.csv").write_text(
        "leader_id,name,unit,heads_teaching_unit\nH,甲,A,是\nC,乙,,否\n", "utf-8"
    )
    (tmp_path / "counselors.csv").write_text("counselor_id,name,unit\n1,丙,A\n2,丁,A\n", "utf-8")
    (tmp_path / "settings.toml").write_text("own_unit_first = true\n", "utf-8")
    assert read_data(tmp_path).problem.settings.own_unit_first is True
    (tmp_path / "settings.toml").write_text('own_unit_first = "maybe"\n', "utf-8")
    from planner.errors import InputError

    try:
        read_data(tmp_path)
    except InputError as exc:
        assert any("own_unit_first" in p.message_zh for p in exc.problems)
    else:
        raise AssertionError("a bad boolean setting must be an input error")
