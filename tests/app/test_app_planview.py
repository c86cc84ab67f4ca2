"""A plan held in memory as the page shows it: verdict, figures, groups, hand edits, step names.

Hand-sized instance: two heads of units A and B (2-3 counselors each), one college leader
L3 (exactly 2); six counselors a1, a2 (A), b1, b2 (B), c1, c2 (C); L3 may never take a1.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from models import Problem
from planner.app import planview as V
from planner.errors import UserError


def small(build: Callable[..., Problem]) -> Problem:
    # A valid plan: L1-a1,a2 · L2-b1,b2 · L3-c1,c2. L3 may never take a1.
    return build(
        [("L1", "A", True), ("L2", "B", True), ("L3", "", False, 2, 2)],
        [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B"), ("c1", "C"), ("c2", "C")],
        rules=[("L3", "a1", "never")],
    )


GOOD = [("L1", "a1"), ("L1", "a2"), ("L2", "b1"), ("L2", "b2"), ("L3", "c1"), ("L3", "c2")]


def test_verdict_valid_plan(build: Callable[..., Problem]) -> None:
    p = small(build)
    v = V.verdict(p, GOOD)
    assert v.ok and v.lines == [] and v.flagged == set()
    fig = V.plan_figures(p, GOOD)
    # Own-unit pairs: L1 with a1, a2 and L2 with b1, b2 → 4; both heads covered.
    assert (fig.pairs, fig.own_unit_pairs, fig.heads_covered, fig.heads) == (6, 4, 2, 2)
    assert (fig.counselors_covered, fig.counselors, fig.load_min, fig.load_max) == (6, 6, 2, 2)


def test_reassign_into_a_never_pair_is_flagged(build: Callable[..., Problem]) -> None:
    p = small(build)
    # a1 from L1 to L3: L3 may never take a1; L1 drops to 1 (< 2) and L3 rises to 3 (> 2).
    keys = V.reassign(p, GOOD, ("L1", "a1"), "L3")
    assert keys[0] == ("L3", "a1")  # the edited pair keeps its place
    v = V.verdict(p, keys)
    assert not v.ok
    assert v.flagged == {("L3", "a1")}
    text = "\n".join(v.lines)
    assert "被约束禁止结对" in text
    assert "领导L1(L1) 联系 1 名辅导员,应为 2-3 名" in text
    assert "领导L3(L3) 联系 3 名辅导员,应为 2-2 名" in text
    en = V.verdict(p, keys, "en")
    assert any("never rule" in line for line in en.lines)


def test_add_and_remove_pairs(build: Callable[..., Problem]) -> None:
    p = small(build)
    more = V.add_pair(p, GOOD, "L2", "a1")  # a second leader for a1: valid, not minimal
    v = V.verdict(p, more)
    assert v.ok and "第二联系领导可以去掉" in v.note
    less = V.remove_pair(GOOD, ("L3", "c2"))
    assert not V.verdict(p, less).ok  # c2 uncovered, L3 below 2
    with pytest.raises(UserError, match="already"):
        V.add_pair(p, GOOD, "L1", "a1")
    with pytest.raises(UserError):
        V.add_pair(p, GOOD, "L9", "a1")
    assert V.reassign(p, GOOD, ("L1", "a2"), "L1") == GOOD  # same pair: unchanged
    with pytest.raises(UserError):
        V.reassign(p, more, ("L1", "a1"), "L2")  # L2 already has a1
    with pytest.raises(UserError):
        V.reassign(p, GOOD, ("L2", "a1"), "L3")  # no such pair
    with pytest.raises(UserError):
        V.remove_pair(GOOD, ("L1", "b1"))


def test_leader_groups_and_unit_filter(build: Callable[..., Problem]) -> None:
    p = small(build)
    groups = V.leader_groups(p, GOOD)
    assert [g.leader_id for g in groups] == ["L3", "L1", "L2"]  # 院级 first, then input order
    g1 = next(g for g in groups if g.leader_id == "L1")
    assert (g1.load, g1.low, g1.high, g1.own, g1.load_ok) == (2, 2, 3, 2, True)
    only_b = V.leader_groups(p, GOOD, unit="B")
    assert [g.leader_id for g in only_b] == ["L2"]
    assert [r["counselor_id"] for r in only_b[0].rows] == ["b1", "b2"]
    assert {r["counselor_unit"] for r in V.pair_table(p, GOOD, unit="C")} == {"C"}
    assert V.units(p) == ["A", "B", "C"]
    # A leader left with no counselor still shows, out of range.
    empty = V.leader_groups(p, [k for k in GOOD if k[0] != "L3"])
    l3 = next(g for g in empty if g.leader_id == "L3")
    assert l3.load == 0 and not l3.load_ok


def test_views_survive_pairs_of_other_rosters(build: Callable[..., Problem]) -> None:
    """A plan naming someone not on the rosters (issue 11 #16: a stale plan once raised
    KeyError on every page load) is drawn without that pair, and the verdict names it."""
    p = small(build)
    keys = [*GOOD, ("L77", "a1"), ("L1", "zz")]
    assert sum(len(g.rows) for g in V.leader_groups(p, keys)) == 6
    assert len(V.pair_table(p, keys)) == 6
    assert V.plan_figures(p, keys).pairs == 6
    v = V.verdict(p, keys)
    assert not v.ok and {("L77", "a1"), ("L1", "zz")} <= v.flagged


def test_pickers_and_labels(build: Callable[..., Problem]) -> None:
    p = small(build)
    assert V.person_label(p, "a1") == "辅导员a1(a1)" and V.person_label(p, "x9") == "x9"
    assert list(V.leader_options(p)) == ["L3", "L1", "L2"]  # rank order
    assert V.counselor_options(p)["b2"] == "辅导员b2(b2) B"


def test_step_names() -> None:
    assert V.step_name("pairs") != "pairs"
    assert "变动最少" in V.step_name("moves+pairs")
    assert V.step_name("unknown step") == "unknown step"
    rows = V.levels_rows({"moves": 1, "pairs": 50, "tie_break": 9})
    assert rows[0] == ("变动最少", 1) and all(v != 9 for _, v in rows)
