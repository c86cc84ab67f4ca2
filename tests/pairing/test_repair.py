"""What-if: change files, fewest-moves repair checked against brute force, and
``planner whatif`` / ``planner compare`` on the demo college."""

from __future__ import annotations

import csv
import itertools
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from models import SolveStatus
from planner.cli import app
from planner.errors import InputError
from planner.io.change_files import read_change
from planner.io.read import read_data, read_plan_pairs
from planner.pairing.repair import compare, count_moves, rank_absorptions, repair
from planner.rules.validate import objective_levels, validate_plan
from planner.scenarios import apply_change, diff_plans, load_change, movable_pairs, summary_line

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scenarios" / "demo"
CHANGES = sorted((ROOT / "scenarios" / "changes").glob("*.toml"))
runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def change_file(tmp_path: Path, text: str, name: str = "change.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def brute_force(applied, old):
    """Every subset of allowed pairs, checked by the validator: the lexicographic best
    (moves, pairs, own-unit pairs, heads covered, older repeats), counted by hand."""
    p = applied.problem
    keep = {k for k in old if k in set(movable_pairs(applied, old))}
    pairs = [
        (ld.leader_id, c.counselor_id)
        for ld in p.active_leaders
        for c in p.active_counselors
        if p.allowed((ld.leader_id, c.counselor_id))
    ]
    best = None
    for r in range(len(pairs) + 1):
        for chosen in itertools.combinations(pairs, r):
            if validate_plan(p, chosen):
                continue
            lv = objective_levels(p, chosen)
            moves = sum(1 for k in keep if k not in chosen)  # the definition, by hand
            key = (
                moves,
                lv["pairs"],
                -lv["own_unit_pairs"],
                -lv["heads_covered"],
                lv["older_repeats"],
            )
            best = key if best is None or key < best else best
    return best


def repair_key(res):
    lv = res.levels
    return (
        lv["moves"],
        lv["pairs"],
        -lv["own_unit_pairs"],
        -lv["heads_covered"],
        lv["older_repeats"],
    )


# ---- change files -------------------------------------------------------------------------
def test_change_file_is_applied_to_a_copy(build, tmp_path):
    p = build(
        [("L1", "A", True), ("L2", "", False), ("L3", "", False)],
        [("a", "A"), ("b", "A"), ("c", "B")],
        rules=[("L3", "c", "must"), ("L2", "b", "never")],
    )
    path = change_file(
        tmp_path,
        """
# 假设:L3 退休
leaders_leave = ["L3"]
counselors_leave = ["b"]
[[leaders_join]]
leader_id = "L9"
name = "新领导"
unit = "B"
heads_teaching_unit = "是"
max_load = 2
"电话" = "123"
[[counselors_join]]
counselor_id = "d"
name = "新辅导员"
unit = "B"
start_date = 2027-09-01
[[leaders_update]]
leader_id = "L1"
max_load = 2
[[counselors_update]]
counselor_id = "a"
unit = "B"
[[rules]]
leader_id = "L2"
counselor_id = "b"
rule = "must"
[[rules]]
leader_id = "L9"
counselor_id = "c"
rule = "禁止"
reason = "回避"
""",
    )
    ch = read_change(path)
    assert ch.description == "假设:L3 退休"
    a = apply_change(p, ch)
    q = a.problem
    assert p.leader_by_id["L3"].active  # the original is untouched
    assert not q.leader_by_id["L3"].active and not q.counselor_by_id["b"].active
    l9 = q.leader_by_id["L9"]
    assert (l9.heads_teaching_unit, l9.max_load, l9.extra) == (True, 2, {"电话": "123"})
    assert l9.order > max(x.order for x in p.leaders)
    assert q.counselor_by_id["d"].start_date.isoformat() == "2027-09-01"
    assert q.leader_by_id["L1"].max_load == 2 and q.leader_by_id["L1"].unit == "A"
    assert q.counselor_by_id["a"].unit == "B"
    # The change's must replaces the table's never; the must on the leaver is dropped.
    assert ("L2", "b") in q.musts and ("L2", "b") not in q.nevers
    assert ("L3", "c") not in q.musts
    assert ("L9", "c") in q.nevers and a.new_nevers == {("L9", "c")}
    assert a.notes and "不再适用" in a.notes[0].message_zh
    assert a.joined_leaders == ("L9",) and a.left_counselors == ("b",)


@pytest.mark.parametrize(
    ("text", "column", "value"),
    [
        ('leaders_leaves = ["L1"]', "leaders_leaves", "['L1']"),
        ('leaders_leave = ["L7"]', "leaders_leave", "L7"),
        ('leaders_leave = "L1"', "leaders_leave", "L1"),
        (
            '[[counselors_join]]\ncounselor_id = "a"\nname = "x"\nunit = "A"',
            "counselors_join[1].counselor_id",
            "a",
        ),
        (
            '[[counselors_join]]\ncounselor_id = "L1"\nname = "x"\nunit = "A"',
            "counselors_join[1].counselor_id",
            "L1",
        ),
        ('[[leaders_join]]\nleader_id = "L8"', "leaders_join[1].name", None),
        (
            '[[leaders_update]]\nleader_id = "L1"\nmax_load = "many"',
            "leaders_update[1].max_load",
            "many",
        ),
        ('[[leaders_update]]\nleader_id = "L1"\nsalary = 3', "leaders_update[1].salary", "3"),
        (
            '[[counselors_update]]\ncounselor_id = "zz"\nunit = "B"',
            "counselors_update[1].counselor_id",
            "zz",
        ),
        (
            '[[rules]]\nleader_id = "L1"\ncounselor_id = "a"\nrule = "maybe"',
            "rules[1].rule",
            "maybe",
        ),
    ],
)
def test_a_malformed_change_names_file_key_and_value(build, tmp_path, text, column, value):
    p = build([("L1", "", False)], [("a", "A")])
    path = change_file(tmp_path, text, "bad.toml")
    with pytest.raises(InputError) as err:
        apply_change(p, read_change(path))
    problem = err.value.problems[0]
    assert problem.file == "bad.toml"
    assert problem.column == column
    assert problem.value == value


def test_every_problem_of_a_change_file_is_reported_at_once(build, tmp_path):
    p = build([("L1", "", False)], [("a", "A")])
    path = change_file(
        tmp_path,
        """bogus = 1
leaders_leave = ["NOPE"]
counselors_leave = ["ZZ"]
date = "2027-02-30"
[[leaders_join]]
leader_id = "L8"
name = "x"
[[leaders_join]]
leader_id = "L8"
name = "y"
[[counselors_update]]
counselor_id = "zz"
active = "maybe"
""",
        "bad.toml",
    )
    change = read_change(path)  # the structure's problems are kept, not raised
    assert [(q.column, q.value) for q in change.problems] == [
        ("bogus", "1"),
        ("date", "2027-02-30"),
    ]
    with pytest.raises(InputError) as err:
        apply_change(p, change)
    got = [(q.file, q.column, q.value) for q in err.value.problems]
    assert got == [
        ("bad.toml", "bogus", "1"),
        ("bad.toml", "date", "2027-02-30"),
        ("bad.toml", "leaders_leave", "NOPE"),
        ("bad.toml", "counselors_leave", "ZZ"),
        ("bad.toml", "leaders_join[2].leader_id", "L8"),
        ("bad.toml", "counselors_update[1].counselor_id", "zz"),
        ("bad.toml", "counselors_update[1].active", "maybe"),
    ]
    assert "变更文件中" in err.value.problems[4].message_zh  # a duplicate within the file


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("date = 2028-03-02", date(2028, 3, 2)),
        ('date = "2028/3/2"', date(2028, 3, 2)),
        ('date = "2028年3月2日"', date(2028, 3, 2)),
        ("date = 20280302", date(2028, 3, 2)),
        ("", None),
    ],
)
def test_the_change_file_date(tmp_path, text, want):
    change = read_change(change_file(tmp_path, text + '\nleaders_leave = ["L1"]'))
    assert change.repair_date == want and not change.problems


def test_invalid_toml_is_input_error(tmp_path):
    with pytest.raises(InputError) as err:
        read_change(change_file(tmp_path, "leaders_leave = [L1", "x.toml"))
    assert err.value.problems[0].file == "x.toml"
    assert "TOML" in err.value.problems[0].message_zh


# ---- repair: hand-worked and brute force ---------------------------------------------------
THREE = [("L1", "", False, 2, 3), ("L2", "", False, 2, 3), ("L3", "", False, 2, 3)]
SIX = [("a", "A"), ("b", "A"), ("c", "A"), ("d", "A"), ("e", "A"), ("f", "A")]
OLD_SIX = [("L1", "a"), ("L1", "b"), ("L2", "c"), ("L2", "d"), ("L3", "e"), ("L3", "f")]


def test_a_leaver_is_absorbed_with_zero_moves_when_capacity_allows(build, tmp_path):
    # L3 (counselors e, f) leaves; L1 and L2 have 2 of at most 3: each takes one of e, f.
    # Nobody else moves: 0 moves, 6 pairs; the diff drops L3-e, L3-f (not moves: L3
    # left) and adds the two new pairs.
    p = build(THREE, SIX)
    a = load_change(change_file(tmp_path, 'leaders_leave = ["L3"]'), p)
    res = repair(a, OLD_SIX)
    assert res.status == SolveStatus.OPTIMAL
    assert res.moves == 0 and res.levels["pairs"] == 6
    new = res.plan.keys()
    assert set(OLD_SIX[:4]) <= new
    assert {c for _, c in new - set(OLD_SIX)} == {"e", "f"}
    assert {lid for lid, _ in new - set(OLD_SIX)} == {"L1", "L2"}
    rows = diff_plans(a, OLD_SIX, new)
    assert [(r.counselor_id, r.old_leader_id, bool(r.new_leader_id), r.move) for r in rows] == [
        ("e", "L3", False, False),
        ("e", "", True, False),
        ("f", "L3", False, False),
        ("f", "", True, False),
    ]
    assert "离岗" in rows[0].reason and "接替" in rows[1].reason
    assert summary_line(a, rows).startswith("调整 2 对联系关系:")
    assert repair_key(res) == brute_force(a, OLD_SIX)


def test_the_proven_minimum_of_moves_when_capacity_does_not_allow(build, tmp_path):
    # Old plan: L1 {a, b}, L2 {c, d}, L3 {e}, loads 1-2. L3 leaves, L2 may take 3 but
    # must never take e. So e can only go to L1, which is full: L1 drops a or b, which
    # goes to L2. Minimum 1 move (checked against every subset of pairs).
    p = build(
        [("L1", "", False, 1, 2), ("L2", "", False, 1, 2), ("L3", "", False, 1, 2)],
        [("a", "A"), ("b", "A"), ("c", "A"), ("d", "A"), ("e", "A")],
    )
    old = [("L1", "a"), ("L1", "b"), ("L2", "c"), ("L2", "d"), ("L3", "e")]
    path = change_file(
        tmp_path,
        """leaders_leave = ["L3"]
[[leaders_update]]
leader_id = "L2"
max_load = 3
[[rules]]
leader_id = "L2"
counselor_id = "e"
rule = "never"
""",
    )
    a = load_change(path, p)
    res = repair(a, old)
    assert res.moves == 1 == count_moves(a, old, res.plan.keys())
    keys = res.plan.keys()
    assert ("L1", "e") in keys and ("L2", "e") not in keys
    assert repair_key(res) == brute_force(a, old) == (1, 5, 0, 0, 0)
    rows = diff_plans(a, old, res.plan.keys())
    assert sum(r.move for r in rows) == 1


def test_repair_respects_must_and_never_of_data_and_change(build, tmp_path):
    # Table rules: never L1-c. Change: L3 leaves, must L2-a, never L2-e.
    # e can go to L1 only; a must go to L2 (so L1-a is dropped: one move forced by the
    # decision). Brute force agrees on the minimum.
    p = build(THREE, SIX, rules=[("L1", "c", "never")])
    path = change_file(
        tmp_path,
        """leaders_leave = ["L3"]
[[rules]]
leader_id = "L2"
counselor_id = "a"
rule = "must"
[[rules]]
leader_id = "L2"
counselor_id = "e"
rule = "never"
""",
    )
    a = load_change(path, p)
    res = repair(a, OLD_SIX)
    keys = res.plan.keys()
    assert ("L2", "a") in keys and ("L2", "e") not in keys and ("L1", "c") not in keys
    assert validate_plan(a.problem, sorted(keys)) == []
    assert repair_key(res) == brute_force(a, OLD_SIX)


def test_no_repair_is_infeasible_with_findings(build, tmp_path):
    p = build(
        [("L1", "", False, 1, 2), ("L2", "", False, 1, 2)], [("a", "A"), ("b", "A"), ("c", "A")]
    )
    a = load_change(change_file(tmp_path, 'leaders_leave = ["L2"]'), p)
    res = repair(a, [("L1", "a"), ("L1", "b"), ("L2", "c")])
    assert res.status == SolveStatus.INFEASIBLE and res.plan is None
    assert res.findings[0].kind == "shortfall"


def test_absorption_ranking_lists_receiving_leaders_best_first(build, tmp_path):
    # L3 leaves with e, f. Head H of unit E (e's unit) has room: taking e is the only
    # way to gain an own-unit pair, so H ranks first for e.
    p = build(
        [("L1", "", False, 2, 3), ("H", "E", True, 2, 3), ("L3", "", False, 2, 3)],
        [("a", "A"), ("b", "A"), ("c", "A"), ("d", "A"), ("e", "E"), ("f", "A")],
    )
    old = [("L1", "a"), ("L1", "b"), ("H", "c"), ("H", "d"), ("L3", "e"), ("L3", "f")]
    a = load_change(change_file(tmp_path, 'leaders_leave = ["L3"]'), p)
    res = repair(a, old)
    ranked = rank_absorptions(a, old, res)
    for_e = [x for x in ranked if x.counselor_id == "e"]
    assert for_e[0].leader_id == "H" and for_e[0].rank == 1 and for_e[0].chosen
    assert for_e[0].levels["own_unit_pairs"] == 1 and for_e[0].levels["moves"] == 0
    assert all(x.leaver_id == "L3" for x in ranked)


# ---- planner whatif / compare on the demo ------------------------------------------------
@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plan")
    r = run("assign", DEMO, "--out", out)
    assert r.exit_code == 0, r.output
    return out / "plan.csv"


@pytest.mark.parametrize("change", CHANGES, ids=lambda p: p.stem)
def test_whatif_on_every_example_change(demo_plan, tmp_path, change):
    out = tmp_path / "out"
    r = run(
        "whatif",
        DEMO,
        "--plan",
        demo_plan,
        "--change",
        change,
        "--out",
        out,
        "--date",
        "2028-03-01",
    )
    assert r.exit_code == 0, r.output
    assert "调整" in r.output or "无需调整" in r.output
    for name in (
        "plan.csv",
        "plan.xlsx",
        "diff.csv",
        "diff.xlsx",
        "pair_starts.csv",
        "summary.txt",
        "plan.json",
    ):
        assert (out / name).is_file(), name
    cycle, old = read_plan_pairs(demo_plan)
    new_cycle, new = read_plan_pairs(out / "plan.csv")
    assert new_cycle == cycle == "2027-2030"  # the repaired plan keeps the label
    applied = load_change(change, read_data(DEMO, cycle=cycle).problem)
    assert validate_plan(applied.problem, [(a, b) for a, b, _ in new]) == []
    rows = list(csv.DictReader((out / "diff.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert list(rows[0])[:4] == ["辅导员工号", "原领导工号", "新领导工号", "说明"]
    old_k = {(a, b) for a, b, _ in old}
    new_k = {(a, b) for a, b, _ in new}
    assert {(r["新领导工号"], r["辅导员工号"]) for r in rows if r["新领导工号"]} == new_k - old_k
    assert {(r["原领导工号"], r["辅导员工号"]) for r in rows if r["原领导工号"]} == old_k - new_k
    starts = list(
        csv.reader((out / "pair_starts.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert starts[0] == ["领导工号", "辅导员工号", "开始日期"]
    assert {(a, b) for a, b, _ in starts[1:]} == new_k - old_k
    assert all(d == "2028-03-01" for _, _, d in starts[1:])
    meta = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert meta["repair"]["moves"] == count_moves(applied, old_k, new_k) == 0
    assert (out / "summary.txt").read_text(encoding="utf-8").startswith("变更:")


def test_whatif_is_deterministic_and_speaks_english(demo_plan, tmp_path):
    change = ROOT / "scenarios" / "changes" / "leader_retires.toml"
    outs = []
    for i, lang in enumerate(("zh", "zh", "en")):
        out = tmp_path / f"o{i}"
        r = run(
            "whatif",
            DEMO,
            "--plan",
            demo_plan,
            "--change",
            change,
            "--out",
            out,
            "--date",
            "2028-03-01",
            "--lang",
            lang,
        )
        assert r.exit_code == 0, r.output
        outs.append(out)
    for name in ("plan.csv", "diff.csv", "pair_starts.csv"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    head = (outs[2] / "diff.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("counselor_id,old_leader_id,new_leader_id,reason")


def test_whatif_output_does_not_depend_on_the_day_it_runs(demo_plan, tmp_path):
    """Without --date: the change file's date, else the cycle start (with a note);
    two runs give byte-identical csv files."""
    # Three counselors join: they need new pairs, whose start the date decides.
    retire = (ROOT / "scenarios" / "changes" / "counselors_join_leave.toml").read_text("utf-8")
    plain = change_file(tmp_path, retire, "plain.toml")
    dated = change_file(tmp_path, "date = 2028-03-02\n" + retire, "dated.toml")
    outs = {}
    for name, change, lang in (
        ("a", plain, "zh"),
        ("b", plain, "zh"),
        ("en", plain, "en"),
        ("dated", dated, "zh"),
        ("option", dated, "zh"),
    ):
        out = tmp_path / name
        extra = ["--date", "2028-04-01"] if name == "option" else []
        r = run(
            "whatif",
            DEMO,
            "--plan",
            demo_plan,
            "--change",
            change,
            "--out",
            out,
            "--lang",
            lang,
            *extra,
        )
        assert r.exit_code == 0, r.output
        outs[name] = (out, r.output)
    for f in ("plan.csv", "diff.csv", "pair_starts.csv"):
        assert (outs["a"][0] / f).read_bytes() == (outs["b"][0] / f).read_bytes(), f

    def starts(name: str) -> set[str]:
        text = (outs[name][0] / "pair_starts.csv").read_text(encoding="utf-8-sig")
        return {row[2] for row in csv.reader(text.splitlines()[1:])}

    # The demo calendar's cycle_start is 2027-03-01.
    assert starts("a") == {"2027-03-01"}
    assert (
        "未指定人员变动生效日期(--date 或变更文件中的 date),"
        "新结对的规划发展期限按周期开始日 2027-03-01 计算。" in outs["a"][1]
    )
    assert "cycle start 2027-03-01" in outs["en"][1]
    assert starts("dated") == {"2028-03-02"} and "未指定" not in outs["dated"][1]
    assert starts("option") == {"2028-04-01"}  # --date wins over the file's date
    meta = json.loads((outs["dated"][0] / "plan.json").read_text(encoding="utf-8"))
    assert meta["repair"]["date"] == "2028-03-02"


def test_repair_date_falls_back_to_1_september_of_the_cycle(build):
    from planner.app.whatif import repair_date
    from planner.changes import Change

    p = build([("L1", "", False)], [("a", "A")])
    assert p.cycle_start is None and p.cycle.startswith("2027")
    assert repair_date(None, Change(), p) == (date(2027, 9, 1), "cycle_start")
    assert repair_date(None, Change(repair_date=date(2028, 1, 5)), p) == (
        date(2028, 1, 5),
        "change_file",
    )
    assert repair_date(date(2028, 2, 1), Change(repair_date=date(2028, 1, 5)), p)[0] == date(
        2028, 2, 1
    )


def test_whatif_bad_change_reports_every_problem(demo_plan, tmp_path):
    change = change_file(
        tmp_path, 'bogus = 1\nleaders_leave = ["NOPE"]\ncounselors_leave = ["ZZ"]\n', "bad.toml"
    )
    r = run("whatif", DEMO, "--plan", demo_plan, "--change", change, "--out", tmp_path / "o")
    assert r.exit_code == 2
    assert "输入有 3 处问题" in r.output
    for text in ("bogus", "NOPE", "ZZ", "leaders_leave", "counselors_leave"):
        assert text in r.output, text
    assert r.output.count("bad.toml") >= 3


def test_whatif_without_a_repair_exits_3_and_writes_nothing_else(demo_plan, tmp_path):
    # L001–L024 leave: 14 leaders stay, at most 3 each = 42 < 45 counselors.
    leave = ", ".join(f'"L{i:03d}"' for i in range(1, 25))
    change = change_file(tmp_path, f"leaders_leave = [{leave}]")
    out = tmp_path / "out"
    r = run("whatif", DEMO, "--plan", demo_plan, "--change", change, "--out", out)
    assert r.exit_code == 3, r.output
    assert (out / "diagnosis.json").is_file()
    assert not (out / "plan.csv").exists() and not (out / "diff.csv").exists()
    kinds = {f["kind"] for f in json.loads((out / "diagnosis.json").read_text("utf-8"))["findings"]}
    assert "shortfall" in kinds


def test_whatif_bad_change_exits_2_naming_the_file(demo_plan, tmp_path):
    change = change_file(tmp_path, 'leaders_leave = ["L999"]', "oops.toml")
    r = run("whatif", DEMO, "--plan", demo_plan, "--change", change, "--out", tmp_path / "o")
    assert r.exit_code == 2
    assert "oops.toml" in r.output and "L999" in r.output and "leaders_leave" in r.output


def test_compare_options_side_by_side(demo_plan, tmp_path):
    impossible = change_file(
        tmp_path,
        # 14 leaders stay (L025, L028–L040), at most 3 each = 42 < 45 counselors.
        "leaders_leave = [" + ", ".join(f'"L{i:03d}"' for i in range(1, 25)) + "]",
        "too_many.toml",
    )
    out = tmp_path / "out"
    retire = ROOT / "scenarios" / "changes" / "leader_retires.toml"
    heads = ROOT / "scenarios" / "changes" / "head_changes.toml"
    r = run(
        "compare",
        DEMO,
        "--plan",
        demo_plan,
        "--change",
        retire,
        "--change",
        heads,
        "--change",
        impossible,
        "--out",
        out,
    )
    assert r.exit_code == 0, r.output
    # Issue 16: the terminal tables fit 80 columns and wrap their cells, never cut them.
    from rich.cells import cell_len

    table_lines = [ln for ln in r.output.splitlines() if ln[:1] in "┏┃┡│└"]
    assert len(table_lines) > 10 and all(cell_len(ln) <= 80 for ln in table_lines)
    assert not [ln for ln in table_lines if "…" in ln], r.output
    wb = load_workbook(out / "compare.xlsx")
    assert wb.sheetnames == ["方案对比", "吸收方案", "调整明细"]
    rows = list(wb["方案对比"].iter_rows(values_only=True))
    assert rows[0][:4] == ("方案", "情形说明", "可行", "不可行原因")
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["leader_retires"][2] == "是" and by_name["leader_retires"][4] == 0
    assert by_name["too_many"][2] == "否" and "缺" in by_name["too_many"][3]
    absorb = list(wb["吸收方案"].iter_rows(values_only=True))
    assert {row[1] for row in absorb[1:]} == {"L005", "L018"}  # the leavers
    assert all(row[5] in (1, 2, 3) for row in absorb[1:])


def test_compare_in_process_matches_repair(build, tmp_path):
    p = build(THREE, SIX)
    one = read_change(change_file(tmp_path, 'leaders_leave = ["L3"]', "one.toml"))
    two = read_change(change_file(tmp_path, 'leaders_leave = ["L2", "L3"]', "two.toml"))
    options = compare(p, OLD_SIX, [one, two])
    assert [o.feasible for o in options] == [True, False]
    assert options[0].result.moves == 0 and options[0].loads() == (3, 3)
    assert options[1].reason() and options[1].loads() is None


def test_invalid_update_is_explained_in_the_office_words(tmp_path):
    """A leaders_update that makes min > max names the row in Chinese, with no English inside."""
    from planner.cli import app

    demo = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
    plan_dir = tmp_path / "plan"
    assert CliRunner().invoke(app, ["assign", str(demo), "--out", str(plan_dir)]).exit_code == 0
    change = tmp_path / "upd.toml"
    change.write_text(
        '[[leaders_update]]\nleader_id = "L005"\nmin_load = 5\nmax_load = 2\n', encoding="utf-8"
    )
    r = CliRunner().invoke(
        app,
        [
            "whatif",
            str(demo),
            "--plan",
            str(plan_dir / "plan.csv"),
            "--change",
            str(change),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert r.exit_code == 2
    assert "“最少联系人数”大于“最多联系人数”" in r.output
    assert "Value error" not in r.output
