"""The independent validator catches a hand-broken plan for every hard rule."""

from __future__ import annotations

import pytest

from planner.rules.validate import objective_levels, removable_pairs, validate_plan


@pytest.fixture
def problem(build):
    # HA heads unit A; C is college-level. 2024-2027 had C-b1; rules: must HA-a1, never C-a2.
    return build(
        [("C", "", False), ("HA", "A", True)],
        [("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B"), ("b2", "B")],
        history=[("2024-2027", "C", "b1")],
        rules=[("HA", "a1", "must"), ("C", "a2", "never")],
    )


GOOD = [("HA", "a1"), ("HA", "a2"), ("HA", "a3"), ("C", "b1"), ("C", "b2")]


def rules_of(problem, pairs):
    return sorted({v.rule for v in validate_plan(problem, pairs)})


def test_good_plan_is_valid_apart_from_the_repeat(problem):
    assert rules_of(problem, GOOD) == ["repeat"]
    fixed = [("HA", "a1"), ("HA", "a2"), ("HA", "b1"), ("C", "a3"), ("C", "b2")]
    assert validate_plan(problem, fixed) == []


VALID = [("HA", "a1"), ("HA", "a2"), ("HA", "b1"), ("C", "a3"), ("C", "b2")]


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (lambda p: [*p, ("ZZ", "a1")], "unknown_leader"),
        (lambda p: [*p, ("C", "zz")], "unknown_counselor"),
        (lambda p: [*p, ("HA", "a1")], "duplicate_pair"),
        (lambda p: [x for x in p if x != ("C", "b2")] + [("HA", "b2")], "load"),  # HA 4, C 1
        (lambda p: [x for x in p if x != ("C", "b2")], "uncovered"),
        (lambda p: [x for x in p if x != ("HA", "a1")] + [("HA", "a3")], "must"),
        (lambda p: [x for x in p if x != ("C", "a3")] + [("C", "a2")], "never"),
        (lambda p: [x for x in p if x != ("C", "b2")] + [("C", "b1")], "repeat"),
    ],
)
def test_each_rule_caught(problem, edit, rule):
    assert rule in rules_of(problem, edit(list(VALID)))


def test_too_many_leaders(build):
    p = build(
        [("L1", "", False, 1, 3), ("L2", "", False, 1, 3), ("L3", "", False, 1, 3)],
        [("a", "A"), ("b", "A")],
    )
    pairs = [("L1", "a"), ("L2", "a"), ("L3", "a"), ("L1", "b")]
    assert "too_many_leaders" in rules_of(p, pairs)


def test_inactive_people(build):
    p = build([("L1", "", False, 1, 3)], [("a", "A")])
    gone_l = p.replace(leaders=tuple(x.model_copy(update={"active": False}) for x in p.leaders))
    assert "inactive_leader" in rules_of(gone_l, [("L1", "a")])
    gone_c = p.replace(
        counselors=tuple(x.model_copy(update={"active": False}) for x in p.counselors)
    )
    assert "inactive_counselor" in rules_of(gone_c, [("L1", "a")])


def test_rows_are_reported(problem):
    v = validate_plan(problem, [("ZZ", "a1")], rows=[7])
    assert v[0].row == 7
    assert "第7行" in v[0].render("zh")
    assert "row 7" in v[0].render("en")


def test_removable_second_leader(build):
    # L1 has 3 (> min 2) and a has two leaders: L1-a could go.
    p = build(
        [("L1", "", False), ("L2", "", False)], [("a", "A"), ("b", "A"), ("c", "A"), ("d", "A")]
    )
    pairs = [("L1", "a"), ("L1", "b"), ("L1", "c"), ("L2", "a"), ("L2", "d")]
    assert validate_plan(p, pairs) == []
    assert removable_pairs(p, pairs) == [("L1", "a")]


def test_objective_levels_by_hand(problem):
    # VALID: own-unit pairs HA-a1, HA-a2 -> 2; heads covered 1; 5 pairs; no older repeats.
    lv = objective_levels(problem, VALID)
    assert (lv["pairs"], lv["own_unit_pairs"], lv["heads_covered"], lv["older_repeats"]) == (
        5,
        2,
        1,
        0,
    )
