"""``planner forms`` workbook: validations and protection; filled by a script; collected."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from planner.collect import collect, problem_rows
from planner.io.forms import (
    FORM_SHEET,
    HEADER_ROW,
    TODO_SHEET,
    form_file_name,
    read_returned_form,
    record_cells,
    write_leader_form,
)
from planner.schema import RECORDS

LEADER = ("L009", "王建国", "信息工程系主任")
COUNSELORS = [("00010", "李明", "信息工程系"), ("00011", "赵丽", "信息工程系")]
DUE = [
    ("talk", date(2027, 4, 1), date(2027, 6, 30), "2027-2030:L009:00010:talk:2027Q2", "00010"),
    ("guidance", date(2027, 3, 1), date(2027, 7, 9), "2027-2030:L009:00011:guidance:S1", "00011"),
]
CYCLE = (date(2027, 3, 1), date(2030, 2, 28))
COL = {c.key: i + 1 for i, c in enumerate(RECORDS.columns)}  # column number by key


@pytest.fixture
def form(tmp_path: Path) -> Path:
    path = tmp_path / form_file_name(LEADER[0], LEADER[1])
    return write_leader_form(path, LEADER, COUNSELORS, DUE, "河北某学院", date_range=CYCLE)


def test_file_name_is_safe_on_windows():
    assert form_file_name("L009", "王建国") == "联系记录填报-L009-王建国.xlsx"
    assert (
        form_file_name("L/01", 'a:b*c?"d<e>f|g\\h. ') == "联系记录填报-L%2F01-a_b_c_d_e_f_g_h.xlsx"
    )
    # Two ids that the old "_" replacement made one file stay apart (issue 11 #6).
    assert form_file_name("L_01", "甲") != form_file_name("L/01", "甲")


def _validations(ws) -> dict[str, object]:
    """Column letter of the range → the DataValidation object."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    return out


def test_sheets_validations_and_protection(form: Path):
    wb = load_workbook(form)
    assert wb.sheetnames == ["说明", TODO_SHEET, FORM_SHEET]
    ws = wb[FORM_SHEET]
    head = [ws.cell(row=HEADER_ROW, column=j).value for j in range(1, len(RECORDS.columns) + 1)]
    assert head == [c.zh for c in RECORDS.columns]
    assert "河北某学院" in ws["A1"].value and "王建国" in ws["A2"].value
    dvs = _validations(ws)
    letter = {k: get_column_letter(j) for k, j in COL.items()}
    assert dvs[letter["form"]].formula1 == '"定期约谈,规划发展,工作指导,帮助成长,困难帮扶,交流会"'
    assert dvs[letter["mode"]].formula1 == '"面谈,电话,线上"'
    assert dvs[letter["category"]].formula1 == (
        '"班会,谈心,党员发展,学业指导,综合测评,评奖评优,贫困生资助,心理教育,文体活动,就业创业指导,社会实践"'
    )
    assert dvs[letter["counselor_id"]].formula1 == '"00010,00011"'
    assert dvs[letter["typical"]].formula1 == '"是,否"'
    for key in ("form", "mode", "category", "counselor_id"):
        dv = dvs[letter[key]]
        assert (dv.type, dv.errorStyle, dv.showErrorMessage) == ("list", "stop", True)
        assert str(dv.sqref) == f"{letter[key]}4:{letter[key]}103"  # the 100 data rows
    d = dvs[letter["date"]]
    assert (d.type, d.operator, d.formula1, d.formula2) == (
        "date",
        "between",
        "DATE(2027,3,1)",
        "DATE(2030,2,28)",
    )
    # Protected, no password; header locked, data cells unlocked, 领导工号 filled and locked.
    assert ws.protection.sheet and not ws.protection.password
    assert ws.cell(row=HEADER_ROW, column=1).protection.locked
    assert not ws.cell(row=HEADER_ROW + 1, column=COL["date"]).protection.locked
    lid = ws.cell(row=HEADER_ROW + 1, column=COL["leader_id"])
    assert (lid.value, lid.protection.locked) == ("L009", True)
    assert ws.cell(row=103, column=COL["leader_id"]).value == "L009"
    assert ws.cell(row=HEADER_ROW + 1, column=COL["counselor_id"]).number_format == "@"
    todo = [[c.value for c in r] for r in wb[TODO_SHEET].iter_rows() if any(c.value for c in r)]
    flat = [str(v) for r in todo for v in r if v is not None]
    assert "李明" in flat and "定期约谈" in flat and "2027-2030:L009:00011:guidance:S1" in flat
    help_text = " ".join(str(c.value) for r in wb["说明"].iter_rows() for c in r if c.value)
    assert "没有密码" in help_text and "不计入工作指导" in help_text


def _fill(path: Path) -> None:
    """Fill the form as a leader would, with openpyxl (validations do not stop a script)."""
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    rows = [
        # r4: a good talk
        (datetime(2027, 4, 6), "00010", "定期约谈", "面谈", "", "了解工作状况", "无"),
        # r5: a wrong category
        (datetime(2027, 4, 20), "00011", "工作指导", "面谈", "聊天", "参加活动", ""),
        # r6: the same talk typed again
        (datetime(2027, 4, 6), "00010", "定期约谈", "面谈", "", "了解工作状况(重复)", ""),
        # r7: already in the office's records
        (datetime(2027, 3, 16), "00010", "工作指导", "面谈", "文体活动", "篮球联赛", ""),
        # r8: an unknown counselor
        (datetime(2027, 5, 6), "00099", "定期约谈", "面谈", "", "", ""),
        # r9: a known counselor not in this leader's plan
        (datetime(2027, 5, 7), "00012", "定期约谈", "面谈", "", "", ""),
        # r10: a date that is not a date
        ("2027-13-01", "00011", "定期约谈", "面谈", "", "", ""),
        # r11: before the cycle
        (datetime(2026, 12, 1), "00011", "定期约谈", "面谈", "", "", ""),
        # r12: Excel dropped the zeros: 10 is 00010
        (datetime(2027, 5, 8), 10, "困难帮扶", "面谈", "", "家中困难", ""),
        # r13: an alias category, kept as 班会
        (datetime(2027, 5, 9), "00011", "工作指导", "面谈", "主题班会", "班会指导", ""),
    ]
    for i, (d, cid, form, mode, cat, summary, issue) in enumerate(rows, start=HEADER_ROW + 1):
        for key, v in (
            ("date", d),
            ("counselor_id", cid),
            ("form", form),
            ("mode", mode),
            ("category", cat),
            ("summary", summary),
            ("issues_raised", issue),
        ):
            ws.cell(row=i, column=COL[key], value=v or None)
    wb.save(path)


def test_filled_form_collected_with_the_right_problems(form: Path):
    _fill(form)
    rows, problems = read_returned_form(form)
    assert problems == []
    assert [r["_row"] for r in rows] == list(range(4, 14))  # the 90 untouched rows skipped
    existing = [
        {
            "date": date(2027, 3, 16),
            "leader_id": "L009",
            "counselor_id": "00010",
            "form": "guidance",
            "mode": "in_person",
            "category": "文体活动",
            "_file": "联系记录.csv",
            "_row": 2,
        },
    ]
    plan = {("L009", "00010"), ("L009", "00011"), ("L008", "00012")}
    res = collect(
        existing,
        [(form.name, rows)],
        plan,
        {"L008", "L009"},
        {"00010", "00011", "00012"},
        *CYCLE,
    )
    got = [(p.row, p.kind, p.column, p.value) for p in res.problems]
    assert got == [
        (5, "bad_value", "类别", "聊天"),
        (6, "duplicate", "日期", "2027-04-06"),  # same as r4, which was merged
        (7, "duplicate", "日期", "2027-03-16"),  # same as the existing record
        (8, "unknown_person", "辅导员工号", "00099"),
        (9, "outside_plan", "辅导员工号", "00012"),
        (10, "bad_value", "日期", "2027-13-01"),
        (11, "outside_cycle", "日期", "2026-12-01"),
    ]
    assert all(p.file == form.name and p.sheet == FORM_SHEET for p in res.problems)
    assert "联系记录.csv 第2行" in res.problems[2].reason_zh
    # Merged: r4, r12 (00010 restored, with a note), r13 (主题班会 -> 班会), after the existing row.
    assert [(r["_row"], r["counselor_id"], r["form"], r["category"]) for r in res.added] == [
        (4, "00010", "talk", ""),
        (12, "00010", "hardship", ""),
        (13, "00011", "guidance", "班会"),
    ]
    assert len(res.merged) == 4 and res.merged[0]["_row"] == 2
    assert len(res.notes) == 1 and "10 按名单中的 00010" in res.notes[0].message_zh
    assert res.summary() == (
        "读取 10 行,合并 3 行,7 行有问题未合并"
        "(填写有误 2、人员不在名单中 1、不在联系对应表中 1、日期不在联系周期内 1、重复记录 2)"
    )
    head, table = problem_rows(res)
    assert head[0] == "文件" and table[0][2:6] == ["5", "类别", "聊天", "填写有误"]
    cells = record_cells(res.added[0])
    assert cells[:6] == ["2027-04-06", "L009", "00010", "定期约谈", "面谈", ""]
    assert cells[-2:] == ["", ""]  # no 问题编号, 典型案例 left blank (否)


def test_a_row_with_several_problems_lists_each(form: Path):
    wb = load_workbook(form)
    ws = wb[FORM_SHEET]
    ws.cell(row=4, column=COL["date"], value=datetime(2031, 1, 5))
    ws.cell(row=4, column=COL["counselor_id"], value="00099")
    ws.cell(row=4, column=COL["form"], value="喝茶")
    wb.save(form)
    rows, _ = read_returned_form(form)
    res = collect([], [(form.name, rows)], set(), {"L009"}, {"00010"}, *CYCLE)
    assert [(p.kind, p.column) for p in res.problems] == [
        ("bad_value", "形式"),
        ("unknown_person", "辅导员工号"),
        ("outside_cycle", "日期"),
    ]
    assert res.added == [] and res.rows_left_out == 1


def test_unreadable_and_foreign_files(tmp_path: Path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a zip")
    rows, problems = read_returned_form(bad)
    assert rows == [] and problems[0].file == "坏.xlsx" and "无法打开" in problems[0].message_zh
    from openpyxl import Workbook

    other = tmp_path / "别的表.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.save(other)
    rows, problems = read_returned_form(other)
    assert rows == [] and "找不到“填报”" in problems[0].message_zh


def test_english_form_reads_back(tmp_path: Path):
    path = write_leader_form(tmp_path / "f.xlsx", LEADER, COUNSELORS, [], "", "en", rows=5)
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    assert ws.cell(row=HEADER_ROW, column=COL["form"]).value == "form"
    assert _validations(ws)[get_column_letter(COL["mode"])].formula1 == '"in_person,phone,online"'
    ws.cell(row=HEADER_ROW + 1, column=COL["date"], value="2027/4/6")
    ws.cell(row=HEADER_ROW + 1, column=COL["counselor_id"], value="00010")
    ws.cell(row=HEADER_ROW + 1, column=COL["form"], value="talk")
    ws.cell(row=HEADER_ROW + 1, column=COL["mode"], value="phone")
    ws.cell(row=HEADER_ROW + 1, column=COL["typical"], value="true")
    wb.save(path)
    (row,), problems = read_returned_form(path)
    assert problems == [] and row["_bad"] == {}
    assert (row["date"], row["leader_id"], row["form"], row["mode"], row["typical"]) == (
        date(2027, 4, 6),
        "L009",
        "talk",
        "phone",
        True,
    )
    assert record_cells(row, "en")[3:5] == ["talk", "phone"]
