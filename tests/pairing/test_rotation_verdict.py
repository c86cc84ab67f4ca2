"""Rotation's claim about lookahead vs greedy: equal / better / a proven gap, reproducibly."""

from __future__ import annotations

import planner.pairing.rotation as rotation
from models import SolveStatus
from planner.pairing.rotation import rotate, rotation_verdict

LOOKAHEAD = (
    [("H1", "U", True, 1, 2), ("H2", "U", True, 1, 1), ("C", "", False, 1, 3)],
    [("u1", "U"), ("u2", "U"), ("u3", "U"), ("o1", "V"), ("o2", "V")],
)


def test_equal_when_greedy_is_already_optimal(build):
    # Two leaders with load 1, two counselors, window 1: greedy alternates the two perfect
    # matchings, which is optimal (every level at its bound): "equal", proven.
    p = build(
        [("L1", "", False, 1, 1), ("L2", "", False, 1, 1)], [("a", "A"), ("b", "A")], min_load=1
    )
    res = rotate(p, 2)
    assert res.status == SolveStatus.OPTIMAL and res.verdict == "equal"
    assert (res.gap_level, res.gap) == (None, 0)
    assert (
        rotation_verdict(res, "zh")
        == "联合规划与逐周期规划的各项目标合计相同,且已证明为多周期最优。"
    )
    assert "equal totals" in rotation_verdict(res, "en")


def test_better_only_when_better(build):
    # The hand-worked case of test_rotation: the lookahead covers one more head (4 vs 3).
    res = rotate(build(*LOOKAHEAD, min_load=1), 2)
    assert res.status == SolveStatus.OPTIMAL and res.verdict == "better"
    text = rotation_verdict(res, "zh")
    assert text.startswith("联合规划优于逐周期规划(合计:联系本单位辅导员的负责人数多 1")
    assert text.endswith("且已证明为多周期最优。")


def test_a_gap_is_reported_when_not_proven(build, monkeypatch):
    # No relaxation and a joint search cut short at once: nothing beyond greedy is proven.
    # The verdict says "equal" (the plans are greedy's) and names the first level without
    # a proven optimum together with the bound CP-SAT proved there, not "better".
    monkeypatch.setattr(rotation, "hub_bounds", lambda *a, **k: None)
    monkeypatch.setattr(rotation, "JOINT_DETERMINISTIC_LIMIT", 1e-9)
    monkeypatch.setattr(rotation, "min_pairs_bound", lambda p: None)
    runs = [rotate(build(*LOOKAHEAD, min_load=1), 2) for _ in range(2)]
    res = runs[0]
    assert res.status == SolveStatus.FEASIBLE
    assert res.verdict in ("equal", "better")
    assert res.gap_level == "pairs"
    assert (runs[0].gap, runs[0].gap_bound, runs[0].bounds) == (
        runs[1].gap,
        runs[1].gap_bound,
        runs[1].bounds,
    )  # deterministic budgets: the same bounds on every run
    text = rotation_verdict(res, "zh")
    assert "未证明最优" in text and "结对总数" in text
    if res.gap is not None:
        assert f"相差 {res.gap}" in text
    assert "优于" not in text or res.verdict == "better"
