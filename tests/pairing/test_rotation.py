"""Rotation across cycles: lookahead vs greedy on hand-worked instances, the history
window, and ``planner rotate`` on the demo college."""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models import SolveStatus
from planner.cli import app
from planner.io.read import read_data, read_plan_pairs
from planner.pairing import solve_pairing
from planner.pairing.rotation import (
    REPORT_LEVELS,
    RotationResult,
    cycle_labels,
    cycle_problem,
    level_key,
    rotate,
)
from planner.rules.validate import objective_levels, validate_plan

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
COLLEGE25 = Path(__file__).resolve().parents[1] / "data" / "college25"  # the earlier demo
runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def levels(plans) -> list[list[int]]:
    return [[cp.levels[k] for k in REPORT_LEVELS] for cp in plans]


def check_every_cycle(res: RotationResult, seed: int = 0) -> None:
    """The independent validator passes every cycle, against the history it follows."""
    for plans in (res.joint or [], res.greedy):
        done: list[set[tuple[str, str]]] = []
        for t, cp in enumerate(plans):
            expected = cycle_problem(plans[0].problem, res.labels, t, done)
            assert cp.problem.history == expected.history
            keys = cp.plan.keys()
            assert validate_plan(cp.problem, sorted(keys)) == []
            assert objective_levels(cp.problem, keys, seed) == cp.levels
            done.append(keys)


# ---- cycle labels ---------------------------------------------------------------------
def test_cycle_labels_step_by_the_first_span():
    assert cycle_labels("2027-2030", 3) == ["2027-2030", "2030-2033", "2033-2036"]
    assert cycle_labels("2026-2028", 2) == ["2026-2028", "2028-2030"]
    with pytest.raises(ValueError, match="2027"):
        cycle_labels("本周期", 2)


# ---- lookahead beats greedy -----------------------------------------------------------
def test_lookahead_keeps_heads_covered_where_greedy_runs_dry(build):
    # Unit U: counselors u1 u2 u3 and two heads, H1 (load 1-2) and H2 (load exactly 1);
    # unit V (no head): o1 o2; college leader C (1-3). No history, no repeat of the
    # previous cycle, 2 cycles. 5 counselors and min loads 1+1+1 give 5 pairs a cycle.
    #
    # Greedy, cycle 1: most own-unit pairs = 3 means H1 and H2 are full with U
    # counselors, so C takes o1 and o2 (own 3, heads 2). Cycle 2: C may not take o1
    # or o2 again, so both go to the heads, which have 3 places: one own-unit pair
    # is left (own 1, heads 1). Totals: own 4, heads 3.
    #
    # Lookahead: own 2 + 2 (each cycle H1 takes one U counselor and one of o1/o2,
    # H2 one U counselor, C the rest) = 4, heads 2 + 2 = 4. Same own-unit total (at
    # most 4 in any plan: a cycle with 3 own pairs sends o1, o2 to the heads in the
    # next), one more head covered: lexicographically better on level 3.
    p = build(
        [("H1", "U", True, 1, 2), ("H2", "U", True, 1, 1), ("C", "", False, 1, 3)],
        [("u1", "U"), ("u2", "U"), ("u3", "U"), ("o1", "V"), ("o2", "V")],
        min_load=1,
    )
    res = rotate(p, 2)
    assert res.status == SolveStatus.OPTIMAL
    assert levels(res.greedy) == [[5, 3, 2, 0], [5, 1, 1, 0]]
    assert levels(res.joint) == [[5, 2, 2, 0], [5, 2, 2, 0]]
    assert not res.used_greedy
    # Greedy's first cycle is assign's plan; the lookahead's may differ (CONTRACT §7).
    assert res.greedy[0].plan.keys() == solve_pairing(p).plan.keys()
    check_every_cycle(res)


def test_lookahead_plans_every_cycle_where_greedy_hits_a_dead_end(build):
    # H1 heads unit X (load exactly 1), H2 a middle leader (1-2), C college (1-3);
    # counselors u0 (Y), u1 (X), u2 (Y); 2024-2027 had H2-u0 and C-u2; no repeat of
    # the latest 2 cycles. 3 counselors, 3 leaders with min 1: each cycle is a perfect
    # matching. Allowed matchings: Ma {H1-u0, H2-u2, C-u1}, Mb {H1-u1, H2-u2, C-u0},
    # Mc {H1-u2, H2-u1, C-u0}. Greedy takes Mb, the only one with an own-unit pair;
    # cycle 2 may repeat none of Mb nor the history: Ma shares H2-u2, Mc shares C-u0,
    # so greedy has no second cycle. The lookahead plans Ma then Mc.
    p = build(
        [("H1", "X", True, 1, 1), ("H2", "P", False, 1, 2), ("C", "", False, 1, 3)],
        [("u0", "Y"), ("u1", "X"), ("u2", "Y")],
        history=[("2024-2027", "H2", "u0"), ("2024-2027", "C", "u2")],
        min_load=1,
        no_repeat_cycles=2,
    )
    res = rotate(p, 2)
    assert res.greedy_failed_at == 1
    assert res.greedy[0].plan.keys() == {("H1", "u1"), ("H2", "u2"), ("C", "u0")}
    assert res.joint is not None
    assert [cp.plan.keys() for cp in res.joint] == [
        {("H1", "u0"), ("H2", "u2"), ("C", "u1")},
        {("H1", "u2"), ("H2", "u1"), ("C", "u0")},
    ]
    check_every_cycle(res)


def test_demo_with_a_stricter_rotation_keeps_more_heads_covered():
    # The 38-leader demo, no repeat of the latest two cycles: greedy covers 52 heads over
    # the three cycles, the lookahead 59 = the hub relaxation's bound, and the lifted plan
    # reaches the bound on every level, so the bound alone proves it optimal.
    demo = read_data(DEMO).problem
    strict = demo.replace(settings=demo.settings.model_copy(update={"no_repeat_cycles": 2}))
    res = rotate(strict, 3)
    assert res.status == SolveStatus.OPTIMAL and res.proof == "hub_bound"
    assert res.bounds is not None and res.totals("joint") | {"tie_break": 0} == res.bounds | {
        "tie_break": 0
    }
    assert res.totals("greedy")["heads_covered"] == 52
    assert res.totals("joint")["heads_covered"] == 59 == res.bounds["heads_covered"]
    assert res.totals("joint")["own_unit_pairs"] == res.totals("greedy")["own_unit_pairs"] == 89
    check_every_cycle(res)


def test_a_stricter_rotation_the_bound_does_not_prove_is_searched():
    # The earlier 25-leader demo (tests/data/college25), no repeat of the latest two cycles:
    # greedy covers 15, 9 and 14 heads; the lookahead 44 in total, the hub relaxation's
    # bound. Levels 1-3 are proven by that bound after lifting it; since level 5 (second
    # leaders to 新任) the lifted plan gives 3 新任 a second leader where the bound allows
    # 5, so the joint search proves the rest.
    demo = read_data(COLLEGE25).problem
    strict = demo.replace(settings=demo.settings.model_copy(update={"no_repeat_cycles": 2}))
    res = rotate(strict, 3)
    assert res.status == SolveStatus.OPTIMAL and res.proof == "search"
    assert res.bounds is not None and res.totals("joint")["new_multi"] == res.bounds["new_multi"]
    assert res.totals("greedy")["heads_covered"] == 38
    assert res.totals("joint")["heads_covered"] == 44 == res.bounds["heads_covered"]
    assert res.totals("joint")["own_unit_pairs"] == res.totals("greedy")["own_unit_pairs"]
    check_every_cycle(res)


def test_greedy_is_kept_when_the_joint_search_gives_up(build, monkeypatch):
    import planner.pairing.rotation as rotation

    monkeypatch.setattr(rotation, "hub_bounds", lambda *a, **k: None)
    monkeypatch.setattr(
        rotation,
        "solve_levels",
        lambda *a, **k: rotation.LexOutcome(SolveStatus.UNKNOWN, {}, None, {}),
    )
    p = build([("L1", "", False, 1, 1), ("L2", "", False, 1, 1)], [("a", "A"), ("b", "A")])
    res = rotate(p, 2)
    assert res.status == SolveStatus.FEASIBLE and res.used_greedy
    assert [cp.plan.keys() for cp in res.joint] == [cp.plan.keys() for cp in res.greedy]


def test_lookahead_is_never_worse_than_greedy_on_random_small_colleges(build):
    rnd = random.Random(7)
    for _ in range(12):
        heads = [("H1", "U", True, 1, rnd.randint(1, 3)), ("H2", "U", True, 1, rnd.randint(1, 2))]
        counselors = [(f"u{i}", "U") for i in range(rnd.randint(2, 4))]
        counselors += [(f"o{i}", "V") for i in range(rnd.randint(0, 3))]
        hist = [
            ("2024-2027", rnd.choice(["H1", "H2", "C"]), cid)
            for cid, _ in counselors
            if rnd.random() < 0.6
        ]
        p = build(
            [*heads, ("C", "", False, 1, 3)],
            counselors,
            history=hist,
            min_load=1,
            no_repeat_cycles=rnd.choice([1, 2]),
        )
        res = rotate(p, 3, time_limit=20)
        if res.joint is None:
            continue
        if res.greedy_failed_at is None:
            assert level_key(res.totals("joint")) <= level_key(res.totals("greedy"))
        check_every_cycle(res)


# ---- the history window -----------------------------------------------------------------
def test_window_zero_allows_repeats_at_a_growing_weight(build):
    # One leader, one counselor, paired in 2024-2027. With no_repeat_cycles = 1 nothing
    # is allowed; with 0 the pair repeats every cycle, each repeat weighted like assign
    # weights it: earlier cycles + 1 - age = (1 + t) + 1 - 1 → 1, 2, 3.
    spec = dict(history=[("2024-2027", "L", "a")])
    blocked = rotate(build([("L", "", False, 1, 1)], [("a", "A")], **spec), 3)
    assert blocked.status == SolveStatus.INFEASIBLE
    assert {f.kind for f in blocked.findings} == {"leader_blocked", "counselor_blocked"}
    res = rotate(build([("L", "", False, 1, 1)], [("a", "A")], no_repeat_cycles=0, **spec), 3)
    assert res.status == SolveStatus.OPTIMAL
    assert [cp.levels["older_repeats"] for cp in res.joint] == [1, 2, 3]
    check_every_cycle(res)


def test_window_covers_planned_cycles_too(build):
    # Two leaders with load 1, two counselors, no history: each cycle is one of the two
    # perfect matchings. Window 1: cycles alternate, cycle 3 repeats cycle 1 (age 2,
    # weight 2 earlier cycles + 1 - 2 = 1 per pair → 2). Window 2: cycle 3 may repeat
    # neither, so 3 cycles are impossible although 2 are fine.
    spec = ([("L1", "", False, 1, 1), ("L2", "", False, 1, 1)], [("a", "A"), ("b", "A")])
    res = rotate(build(*spec, min_load=1), 3)
    assert [cp.levels["older_repeats"] for cp in res.joint] == [0, 0, 2]
    assert res.joint[0].plan.keys() == res.joint[2].plan.keys()
    check_every_cycle(res)

    w2 = build(*spec, min_load=1, no_repeat_cycles=2)
    assert rotate(w2, 2).status == SolveStatus.OPTIMAL
    res = rotate(w2, 3)
    assert res.status == SolveStatus.INFEASIBLE
    assert res.findings[0].kind == "rotation_blocked"
    assert res.greedy_failed_at == 2


def test_a_must_pair_repeats_in_every_cycle(build):
    p = build(
        [("L1", "", False, 1, 2), ("L2", "", False, 1, 2)],
        [("a", "A"), ("b", "A"), ("c", "A")],
        history=[("2024-2027", "L1", "a")],
        rules=[("L1", "a", "must")],
        min_load=1,
    )
    res = rotate(p, 3)
    assert res.status == SolveStatus.OPTIMAL
    assert all(("L1", "a") in {p.key for p in cp.plan.pairs} for cp in res.joint)
    check_every_cycle(res)


# ---- planner rotate ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_rotation(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rotate")
    r = run("rotate", DEMO, "--cycles", 3, "--out", out)
    assert r.exit_code == 0, r.output
    return out


def test_rotate_writes_a_plan_per_cycle_and_the_summary(demo_rotation):
    out = demo_rotation
    for label in ("2027-2030", "2030-2033", "2033-2036"):
        assert (out / label / "plan.csv").is_file()
        assert (out / label / "plan.xlsx").is_file()
        cycle, pairs = read_plan_pairs(out / label / "plan.csv")
        assert cycle == label
        assert {b for _, b, _ in pairs} == {f"{i:05d}" for i in range(1, 46)}
    rows = list(
        csv.reader((out / "rotation-summary.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert rows[0][:3] == ["周期", "结对总数(联合规划)", "结对总数(逐周期)"]
    assert [r[0] for r in rows[1:]] == ["2027-2030", "2030-2033", "2033-2036", "合计"]
    assert (out / "rotation-summary.xlsx").is_file()
    meta = json.loads((out / "rotation.json").read_text(encoding="utf-8"))
    assert meta["status"] == "optimal"
    # First cycle = assign's plan when greedy is already optimal (it is on the demo).
    ds = read_data(DEMO)
    first = {(a, b) for a, b, _ in read_plan_pairs(out / "2027-2030" / "plan.csv")[1]}
    assert first == solve_pairing(ds.problem).plan.keys()


def test_rotated_plans_are_valid_history_for_the_next_cycle(demo_rotation, tmp_path):
    # Copy the demo, add each planned cycle to 历史联系/ as written, and let `planner
    # validate` check the next one: every rotated plan.csv obeys the repeat rule
    # against the cycles before it.
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    for prev, label in (("2027-2030", "2030-2033"), ("2030-2033", "2033-2036")):
        shutil.copy(demo_rotation / prev / "plan.csv", data / "历史联系" / f"{prev}.csv")
        r = run("validate", data, demo_rotation / label / "plan.csv")
        assert r.exit_code == 0, r.output


def test_rotate_is_deterministic_and_speaks_english(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("rotate", DEMO, "--cycles", 2, "--out", a).exit_code == 0
    r = run("rotate", DEMO, "--cycles", 2, "--out", b, "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "lookahead" in r.output
    head = (b / "rotation-summary.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("cycle,pairs_lookahead,pairs_greedy")
    c = tmp_path / "c"
    assert run("rotate", DEMO, "--cycles", 2, "--out", c).exit_code == 0
    for rel in ("2027-2030/plan.csv", "2030-2033/plan.csv", "rotation-summary.csv"):
        assert (a / rel).read_bytes() == (c / rel).read_bytes()


def test_rotate_no_plan_exits_3_with_a_diagnosis(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "leaders.csv").write_text("leader_id,name,min_load,max_load\nL1,甲,1,1\n", "utf-8")
    (data / "counselors.csv").write_text("counselor_id,name,unit\n001,乙,系A\n", "utf-8")
    (data / "history.csv").write_text("cycle,leader_id,counselor_id\n2024-2027,L1,001\n", "utf-8")
    out = tmp_path / "out"
    r = run("rotate", data, "--cycles", 2, "--out", out)
    assert r.exit_code == 3, r.output
    assert (out / "diagnosis.json").is_file()
    assert not (out / "rotation-summary.csv").exists()
    r = run("rotate", data, "--cycles", 2, "--out", out, "--no-repeat-cycles", 0)
    assert r.exit_code == 0, r.output
    assert (out / "2027-2030" / "plan.csv").is_file()
