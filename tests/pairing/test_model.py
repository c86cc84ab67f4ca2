"""Pairing model: each hard rule satisfied and violated, each objective level on a
tiny instance whose optimum is worked out by hand in a comment."""

from __future__ import annotations

from collections import Counter

from models import SolveStatus
from planner.pairing import solve_pairing
from planner.rules.validate import objective_levels, validate_plan


def keys(result) -> set[tuple[str, str]]:
    assert result.plan is not None
    return result.plan.keys()


def solve_ok(problem, seed=0):
    r = solve_pairing(problem, seed=seed, time_limit=20)
    assert r.status == SolveStatus.OPTIMAL
    assert validate_plan(problem, keys(r)) == []
    assert objective_levels(problem, keys(r), seed) == r.levels
    return r


# ---- Hard 1: every counselor has 1..max_leaders_per_counselor leaders ----------
def test_coverage_satisfied(build):
    p = build([("L1", "", False), ("L2", "", False)], [(f"c{i}", "A") for i in range(5)])
    r = solve_ok(p)
    per_counselor = Counter(c for _, c in keys(r))
    assert set(per_counselor) == {f"c{i}" for i in range(5)}
    assert max(per_counselor.values()) == 1


def test_coverage_violated_when_one_leader_per_counselor_is_not_enough(build):
    # 3 leaders need >= 2 each = 6 pairs, but 5 counselors with at most 1 leader give 5.
    p = build(
        [("L1", "", False), ("L2", "", False), ("L3", "", False)],
        [(f"c{i}", "A") for i in range(5)],
        max_leaders_per_counselor=1,
    )
    assert solve_pairing(p).status == SolveStatus.INFEASIBLE


# ---- Hard 2: loads within [min_load, max_load] ---------------------------------
def test_loads_satisfied(build):
    p = build([("L1", "", False), ("L2", "", False)], [(f"c{i}", "A") for i in range(6)])
    r = solve_ok(p)
    assert Counter(lid for lid, _ in keys(r)) == {"L1": 3, "L2": 3}


def test_loads_violated(build):
    # 7 counselors, 2 leaders with max 3: capacity 6 < 7.
    p = build([("L1", "", False), ("L2", "", False)], [(f"c{i}", "A") for i in range(7)])
    assert solve_pairing(p).status == SolveStatus.INFEASIBLE


def test_roster_load_overrides_settings(build):
    # L1 may take 4 by its roster row: 7 = 4 + 3 fits.
    p = build([("L1", "", False, 2, 4), ("L2", "", False)], [(f"c{i}", "A") for i in range(7)])
    r = solve_ok(p)
    assert Counter(lid for lid, _ in keys(r)) == {"L1": 4, "L2": 3}


# ---- Hard 3: no repeat of the latest cycle --------------------------------------
SWAP_LEADERS = [("L1", "", False, 1, 1), ("L2", "", False, 1, 1)]
SWAP_COUNSELORS = [("a", "A"), ("b", "A")]
LAST = [("2024-2027", "L1", "a"), ("2024-2027", "L2", "b")]


def test_no_repeat_satisfied(build):
    # Only the swap avoids the last cycle's pairs.
    r = solve_ok(build(SWAP_LEADERS, SWAP_COUNSELORS, history=LAST))
    assert keys(r) == {("L1", "b"), ("L2", "a")}


def test_no_repeat_violated_is_infeasible(build):
    # One leader, one counselor, paired last cycle: nothing else is allowed.
    p = build([("L1", "", False, 1, 1)], [("a", "A")], history=[("2024-2027", "L1", "a")])
    assert solve_pairing(p).status == SolveStatus.INFEASIBLE


def test_no_repeat_window_off_allows_but_penalises(build):
    p = build(
        [("L1", "", False, 1, 1)],
        [("a", "A")],
        history=[("2024-2027", "L1", "a")],
        no_repeat_cycles=0,
    )
    r = solve_ok(p)
    assert r.levels["older_repeats"] == 1


def test_history_of_the_planned_cycle_is_not_history(build):
    p = build([("L1", "", False, 1, 1)], [("a", "A")], history=[("2027-2030", "L1", "a")])
    assert keys(solve_ok(p)) == {("L1", "a")}


# ---- Hard 4: must and never -----------------------------------------------------
def test_must_beats_repeat_rule(build):
    # L1-a is pinned although L1 had a last cycle; L2-b stays forbidden, so L2's only
    # allowed counselor is a, and b must go to L1: the unique plan {L1-a, L1-b, L2-a}.
    p = build(
        [("L1", "", False, 1, 2), ("L2", "", False, 1, 1)],
        SWAP_COUNSELORS,
        history=LAST,
        rules=[("L1", "a", "must")],
    )
    r = solve_ok(p)
    assert keys(r) == {("L1", "a"), ("L1", "b"), ("L2", "a")}


def test_never_satisfied(build):
    p = build(SWAP_LEADERS, SWAP_COUNSELORS, rules=[("L1", "a", "never")])
    assert keys(solve_ok(p)) == {("L1", "b"), ("L2", "a")}


def test_never_violated_is_infeasible(build):
    p = build(SWAP_LEADERS, SWAP_COUNSELORS, rules=[("L1", "a", "never"), ("L2", "a", "never")])
    assert solve_pairing(p).status == SolveStatus.INFEASIBLE


# ---- Objective level 1: fewest pairs --------------------------------------------
def test_level1_one_leader_per_counselor_when_loads_allow(build):
    # 2 leaders x [2,3], 5 counselors: 5 pairs suffice (3 + 2).
    r = solve_ok(build([("L1", "", False), ("L2", "", False)], [(f"c{i}", "A") for i in range(5)]))
    assert r.levels["pairs"] == 5


def test_level1_second_leader_only_when_forced(build):
    # 3 leaders x min 2 = 6 > 5 counselors: exactly one counselor gets a second leader.
    r = solve_ok(
        build(
            [("L1", "", False), ("L2", "", False), ("L3", "", False)],
            [(f"c{i}", "A") for i in range(5)],
        )
    )
    assert r.levels["pairs"] == 6
    assert sorted(Counter(c for _, c in keys(r)).values()) == [1, 1, 1, 1, 2]


# ---- Objective level 2: own-unit pairs --------------------------------------------
def test_level2_head_takes_own_unit(build):
    # Head HA of unit A (3 counselors), college leader C; B has 2 counselors.
    # Pairs = 5; HA can take all 3 A counselors (max 3) -> own-unit pairs = 3.
    p = build(
        [("C", "", False), ("HA", "A", True)],
        [("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B"), ("b2", "B")],
    )
    r = solve_ok(p)
    assert r.levels["own_unit_pairs"] == 3
    assert {c for lid, c in keys(r) if lid == "HA"} == {"a1", "a2", "a3"}


def test_level2_non_head_middle_leader_gets_no_priority(build):
    # M leads office A but is not a teaching-unit head: same_unit never counts.
    p = build(
        [("C", "", False), ("M", "A", False)], [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B")]
    )
    assert solve_ok(p).levels["own_unit_pairs"] == 0


# ---- Objective level 3: heads with an own-unit counselor --------------------------
def test_level3_spreads_own_unit_counselors_over_heads(build):
    # Unit A: heads H1, H2, counselors a1, a2; unit B: b1..b4; college leader C.
    # 6 counselors, 3 leaders x min 2 -> level 1 = 6 pairs, so one leader each.
    # Level 2: a1, a2 both with heads -> 2. Level 3: H1-a1 and H2-a2 -> 2 heads
    # (giving both to H1 would cover only 1).
    p = build(
        [("C", "", False), ("H1", "A", True), ("H2", "A", True)],
        [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B"), ("b3", "B"), ("b4", "B")],
    )
    r = solve_ok(p)
    assert (r.levels["pairs"], r.levels["own_unit_pairs"], r.levels["heads_covered"]) == (6, 2, 2)


# ---- Objective level 4: older repeats -------------------------------------------
def test_level4_avoids_older_cycle_repeats(build):
    # 2021-2024 is older than the no-repeat window (1): allowed, but the swap costs 0.
    p = build(
        SWAP_LEADERS,
        SWAP_COUNSELORS,
        history=[("2021-2024", "L1", "a"), ("2021-2024", "L2", "b"), ("2024-2027", "L1", "x")],
    )
    r = solve_ok(p)
    assert keys(r) == {("L1", "b"), ("L2", "a")}
    assert r.levels["older_repeats"] == 0


def test_level4_recent_repeat_costs_more(build):
    # L1 must repeat one of a (2018-2021, weight 1) or b (2021-2024, weight 2): picks a.
    p = build(
        [("L1", "", False, 1, 1), ("L2", "", False, 1, 1)],
        [("a", "A"), ("b", "A")],
        history=[
            ("2018-2021", "L1", "a"),
            ("2021-2024", "L1", "b"),
            ("2024-2027", "L2", "z"),
        ],
        rules=[("L2", "b", "must")],
    )
    r = solve_ok(p)
    assert ("L1", "a") in keys(r)
    assert r.levels["older_repeats"] == 1


# ---- Determinism -----------------------------------------------------------------
def test_same_seed_same_plan(build):
    p = build(
        [("C", "", False), ("H1", "A", True), ("H2", "B", True), ("M", "", False)],
        [(f"a{i}", "A") for i in range(4)] + [(f"b{i}", "B") for i in range(4)],
    )
    assert keys(solve_ok(p, seed=7)) == keys(solve_ok(p, seed=7))
