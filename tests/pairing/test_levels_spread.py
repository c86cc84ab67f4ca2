"""Objective levels 4-5 (CONTRACT.md §3): extra leaders spread evenly, second leaders
to 新任 counselors first — optima worked out by hand, satisfied and violated cases."""

from __future__ import annotations

from collections import Counter
from datetime import date

from models import SolveStatus
from planner.pairing import solve_pairing
from planner.rules.validate import compare_levels, objective_levels, validate_plan


def solved(problem, seed=0):
    r = solve_pairing(problem, seed=seed, time_limit=60)
    assert r.status == SolveStatus.OPTIMAL
    assert r.plan is not None
    keys = r.plan.keys()
    assert validate_plan(problem, keys) == []
    assert objective_levels(problem, keys, seed) == r.levels
    return r, keys


def leaders_per_counselor(keys) -> Counter[int]:
    return Counter(Counter(c for _, c in keys).values())


def with_starts(problem, starts):
    cs = tuple(
        c.model_copy(update={"start_date": starts.get(c.counselor_id)}) for c in problem.counselors
    )
    return problem.replace(counselors=cs)


# ---- level 4: Σ (leaders of a counselor)² ---------------------------------------------
def test_level4_the_issue_case_50_leaders_45_counselors_up_to_3_each(build):
    # 50 leaders with loads 2-3 need at least 100 pairs, and 100 pairs suffice (level 1:
    # 100). 45 counselors take 100 pairs with 1-3 leaders each: 55 extra leaders. Spread
    # as evenly as possible: 45 counselors x 2 = 90 leaves 10, so 10 counselors get 3 and
    # 35 get 2: Σ n² = 10·9 + 35·4 = 230 (any other split, e.g. 11 with 1 and 21 with 3,
    # is larger: 11 + 21·9 + 13·4 = 252).
    p = build(
        [(f"L{i:02d}", "", False) for i in range(50)],
        [(f"c{i:02d}", "A") for i in range(45)],
        max_leaders_per_counselor=3,
    )
    r, keys = solved(p)
    assert r.levels["pairs"] == 100
    assert r.levels["leaders_squared"] == 230
    assert leaders_per_counselor(keys) == {3: 10, 2: 35}


def test_level4_satisfied_and_violated_by_hand(build):
    # 5 leaders with exactly 2 counselors each = 10 pairs over 4 counselors (at most 3
    # each): 10 = 3+3+2+2 (Σ n² 26) or 3+3+3+1 (28). The optimum spreads: 26.
    p = build(
        [(f"L{i}", "", False, 2, 2) for i in range(5)],
        [("a", "A"), ("b", "A"), ("c", "A"), ("d", "A")],
        max_leaders_per_counselor=3,
    )
    r, keys = solved(p)
    assert r.levels["leaders_squared"] == 26
    assert leaders_per_counselor(keys) == {3: 2, 2: 2}
    # A valid but uneven plan: a, b, c get 3 leaders, d only 1.
    uneven = [
        ("L0", "a"), ("L0", "b"), ("L1", "a"), ("L1", "c"), ("L2", "b"),
        ("L2", "c"), ("L3", "a"), ("L3", "b"), ("L4", "c"), ("L4", "d"),
    ]  # fmt: skip
    assert validate_plan(p, uneven) == []
    lv = objective_levels(p, uneven)
    assert lv["leaders_squared"] == 28
    assert compare_levels(p, lv, r.levels) == (1, "leaders_squared")
    assert compare_levels(p, r.levels, r.levels) == (0, None)


def test_level4_is_inert_when_no_counselor_needs_a_second_leader(build):
    # 2 leaders x 2-3 and 5 counselors: one leader each, Σ n² = 5.
    r, _ = solved(build([("L1", "", False), ("L2", "", False)], [(f"c{i}", "A") for i in range(5)]))
    assert (r.levels["pairs"], r.levels["leaders_squared"], r.levels["new_multi"]) == (5, 5, 0)


# ---- level 5: second leaders to 新任 counselors --------------------------------------------
def test_level5_the_second_leader_goes_to_the_new_counselor(build):
    # 2 leaders with exactly 2 counselors each: 4 pairs over a, b, c, so one counselor
    # gets 2 leaders (levels 1-4: 4 pairs, Σ n² = 1 + 1 + 4 = 6 whoever it is). Only a
    # started less than 3 years before the cycle (2026-09-01 → 1 year on 2027-09-01):
    # level 5 gives a the second leader, so new_multi = 1.
    p = with_starts(
        build(
            [("L1", "", False, 2, 2), ("L2", "", False, 2, 2)],
            [("a", "A"), ("b", "A"), ("c", "A")],
        ),
        {"a": date(2026, 9, 1), "b": date(2015, 9, 1), "c": date(2012, 9, 1)},
    )
    for seed in (0, 1, 2, 3):
        r, keys = solved(p, seed)
        assert Counter(c for _, c in keys)["a"] == 2
        assert r.levels["new_multi"] == 1
    # Violated: b gets the second leader instead.
    other = [("L1", "a"), ("L1", "b"), ("L2", "b"), ("L2", "c")]
    assert validate_plan(p, other) == []
    lv = objective_levels(p, other)
    assert lv["new_multi"] == 0
    assert compare_levels(p, lv, r.levels) == (1, "new_multi")


def test_level5_ranks_below_level4(build):
    # 3 leaders with exactly 2 each = 6 pairs over 4 counselors (k = 3); a and b are 新任.
    # Level 4: 6 = 2+2+1+1 (Σ n² 10) beats 3+1+1+1 (12), so two counselors get a second
    # leader, never one counselor two extra ones; level 5: those two are a and b.
    p = with_starts(
        build(
            [(f"L{i}", "", False, 2, 2) for i in range(3)],
            [("a", "A"), ("b", "A"), ("c", "A"), ("d", "A")],
            max_leaders_per_counselor=3,
        ),
        {"a": date(2025, 9, 1), "b": date(2026, 3, 1), "c": date(2010, 9, 1)},
    )
    r, keys = solved(p)
    per = Counter(c for _, c in keys)
    assert (per["a"], per["b"], per["c"], per["d"]) == (2, 2, 1, 1)
    assert (r.levels["leaders_squared"], r.levels["new_multi"]) == (10, 2)


def test_unknown_start_date_is_not_new(build):
    # Stage 未知 (no start date) is not 新任: with nobody new, level 5 is 0.
    p = build(
        [("L1", "", False, 2, 2), ("L2", "", False, 2, 2)], [("a", "A"), ("b", "A"), ("c", "A")]
    )
    r, _ = solved(p)
    assert r.levels["new_multi"] == 0
