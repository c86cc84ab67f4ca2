"""History is never silently lost or displaced; odd workbooks are read as the clerk sees them.

Issue 11 cases 1-4 (later-cycle history, invisible characters, ids Excel turned into numbers,
a history naming nobody), 12 (hidden sheets), 13 (formulas without a cached value) and 14
(a reversed cycle label); CONTRACT.md §1-2.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from planner.errors import InputError
from planner.io.read import read_data

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
LEADERS = "工号,姓名,单位,教学单位负责人\nL001,王院长,,否\nL003,张主任,外国语系,是\n"
COUNSELORS = "工号,姓名,单位\n00017,刘一,外国语系\n00018,陈二,外国语系\n00019,杨三,外国语系\n"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def rosters(tmp_path: Path, counselors: str = COUNSELORS) -> Path:
    write(tmp_path, "leaders.csv", LEADERS)
    write(tmp_path, "counselors.csv", counselors)
    return tmp_path


def errors_of(path: Path, **kw: object) -> list[str]:
    with pytest.raises(InputError) as info:
        read_data(path, **kw)  # type: ignore[arg-type]
    return info.value.render("zh").splitlines()


# ----- case 1: a later cycle is not an earlier one ----------------------------------------------
def test_saved_rotation_output_does_not_displace_the_previous_cycle(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    earlier = (data / "历史联系" / "2024-2027.csv").read_text(encoding="utf-8-sig")
    # A saved `rotate` output of 2030-2033 (any pairs; here the earlier ones reversed in order).
    later = earlier.replace("2024-2027", "2030-2033")
    write(data, "历史联系/2030-2033.csv", later, "utf-8-sig")
    ds = read_data(data)
    p = ds.problem
    assert p.cycle == "2027-2030"
    # Only the real previous cycle is earlier; its pairs stay forbidden (no_repeat_cycles = 1).
    assert p.earlier_cycles == ("2024-2027",)
    demo = read_data(DEMO).problem
    assert p.forbidden_repeats == demo.forbidden_repeats and len(p.forbidden_repeats) > 40
    notes = [n.message_zh for n in ds.notes if "2030-2033" in n.message_zh]
    assert len(notes) == 1
    assert "历史联系/2030-2033.csv" in notes[0] and "晚于正在规划的周期 2027-2030" in notes[0]


def test_later_cycle_rows_in_one_file_are_ignored_with_a_note(tmp_path: Path) -> None:
    rosters(tmp_path)
    write(
        tmp_path,
        "history.csv",
        "周期,领导工号,辅导员工号\n2024-2027,L001,00017\n2030-2033,L001,00018\n",
    )
    ds = read_data(tmp_path, cycle="2027-2030")
    assert [(h.cycle, h.counselor_id) for h in ds.problem.history] == [("2024-2027", "00017")]
    assert any("history.csv 中周期 2030-2033 的 1 行" in n.message_zh for n in ds.notes)


# ----- case 2: invisible characters ---------------------------------------------------------------
INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@pytest.mark.parametrize("ch", INVISIBLES)
def test_invisible_characters_glued_to_ids_are_removed(tmp_path: Path, ch: str) -> None:
    rosters(tmp_path)
    write(
        tmp_path,
        "history.csv",
        f"周期,领导工号{ch},辅导员工号\n2024-2027,L001{ch},{ch}00017\n2024-2027,L003,0001{ch}8\n",
    )
    write(tmp_path, "rules.csv", f"领导工号,辅导员工号,规则\nL003,00019{ch},必须\n")
    ds = read_data(tmp_path, cycle="2027-2030")
    assert {(h.leader_id, h.counselor_id) for h in ds.problem.history} == {
        ("L001", "00017"),
        ("L003", "00018"),
    }
    assert [(r.leader_id, r.counselor_id) for r in ds.problem.rules] == [("L003", "00019")]
    assert not ds.notes  # nothing skipped


def test_no_break_and_ideographic_spaces_count_as_spaces(tmp_path: Path) -> None:
    rosters(tmp_path)
    write(
        tmp_path,
        "history.csv",
        "周期,领导工号,辅导员工号\n2024-2027,\u00a0L001\u3000,00017\u202f\n",
    )
    ds = read_data(tmp_path, cycle="2027-2030")
    assert [(h.leader_id, h.counselor_id) for h in ds.problem.history] == [("L001", "00017")]


# ----- case 3: ids Excel turned into numbers ---------------------------------------------------------
def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_numeric_roster_ids_match_zero_padded_history_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "leaders.csv", LEADERS)
    # The counselors were typed into Excel as numbers: 00017 became 17 (General format).
    _xlsx(
        tmp_path / "counselors.xlsx",
        [
            ["工号", "姓名", "单位"],
            [17, "刘一", "外国语系"],
            [18, "陈二", "外国语系"],
            [19, "杨三", "外国语系"],
        ],
    )
    write(
        tmp_path,
        "history.csv",
        "周期,领导工号,辅导员工号\n2024-2027,L001,00017\n2024-2027,L003,00018\n",
    )
    ds = read_data(tmp_path, cycle="2027-2030")
    # Matched to the roster's ids, so the repeat rule forbids both pairs.
    assert ds.problem.forbidden_repeats == {("L001", "17"), ("L003", "18")}
    (warn,) = [n for n in ds.notes if "前导零" in n.message_zh]
    assert warn.loud
    assert "历史联系表 history.csv 中有 2 个工号与名单只差前导零(如 00017 → 17)" in warn.message_zh


def test_zero_padded_roster_and_numeric_history_and_rules(tmp_path: Path) -> None:
    rosters(tmp_path)
    _xlsx(
        tmp_path / "history.xlsx", [["周期", "领导工号", "辅导员工号"], ["2024-2027", "L001", 17]]
    )
    _xlsx(tmp_path / "rules.xlsx", [["领导工号", "辅导员工号", "规则"], ["L003", 19, "必须"]])
    ds = read_data(tmp_path, cycle="2027-2030")
    assert ds.problem.forbidden_repeats == {("L001", "00017")}
    assert [(r.leader_id, r.counselor_id) for r in ds.problem.rules] == [("L003", "00019")]
    assert sum("前导零" in n.message_zh for n in ds.notes) == 2  # history and rules


def test_ambiguous_leading_zeros_stop_with_the_table_and_cause(tmp_path: Path) -> None:
    rosters(
        tmp_path, "工号,姓名,单位\n017,刘一,外国语系\n0017,陈二,外国语系\n00019,杨三,外国语系\n"
    )
    write(tmp_path, "history.csv", "周期,领导工号,辅导员工号\n2024-2027,L001,17\n")
    (line,) = errors_of(tmp_path, cycle="2027-2030")
    assert line.startswith("history.csv,第2行,列“辅导员工号”,值“17”:")
    assert "0017、017" in line and "Excel 把工号存成了数字" in line


# ----- case 4: a history that names nobody ---------------------------------------------------------
def test_history_naming_nobody_is_said_loudly_with_ids_on_both_sides(tmp_path: Path) -> None:
    rosters(tmp_path)
    rows = [f"2024-2027,L001,C-{i}" for i in range(5)] + ["2024-2027,L003,00017"]
    write(tmp_path, "history.csv", "周期,领导工号,辅导员工号\n" + "\n".join(rows) + "\n")
    ds = read_data(tmp_path, cycle="2027-2030")
    (warn,) = ds.notes
    assert warn.loud
    zh = warn.message_zh
    assert zh.startswith("历史联系共 6 行,其中 5 行(83%)的工号在名单上找不到,已跳过")
    assert "历史中的辅导员工号如 C-0、C-1、C-2、C-3、C-4" in zh
    assert "辅导员表中的工号如 00017、00018、00019" in zh
    assert "5 of the 6 history rows (83%)" in warn.message_en


def test_a_few_retired_people_stay_a_plain_note(tmp_path: Path) -> None:
    rosters(tmp_path)
    rows = ["2024-2027,L099,00017", "2024-2027,L001,00018", "2024-2027,L003,00019"]
    write(tmp_path, "history.csv", "周期,领导工号,辅导员工号\n" + "\n".join(rows) + "\n")
    (note,) = read_data(tmp_path, cycle="2027-2030").notes
    assert not note.loud and "已不在名单上" in note.message_zh and "L099" in note.message_zh


# ----- case 12: hidden sheets ---------------------------------------------------------------------------
def test_hidden_old_sheet_is_not_read_instead_of_the_visible_one(tmp_path: Path) -> None:
    write(tmp_path, "leaders.csv", LEADERS)
    wb = openpyxl.Workbook()
    old = wb.active
    assert old is not None
    old.title = "旧版"
    old.append(["工号", "姓名", "单位"])
    old.append(["00001", "旧人", "外国语系"])
    old.sheet_state = "hidden"
    ws = wb.create_sheet("Sheet1")
    for r in [
        ["工号", "姓名", "单位"],
        ["00017", "刘一", "外国语系"],
        ["00018", "陈二", "外国语系"],
    ]:
        ws.append(r)
    wb.save(tmp_path / "counselors.xlsx")
    ds = read_data(tmp_path, cycle="2027-2030")
    assert [c.counselor_id for c in ds.problem.counselors] == ["00017", "00018"]
    (note,) = ds.notes
    assert note.message_zh.startswith("counselors.xlsx 中的隐藏工作表 “旧版” 未读取")


def test_hidden_rules_sheet_of_a_workbook_is_skipped(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "领导干部"
    for r in [["工号", "姓名"], ["L001", "王院长"]]:
        ws.append(r)
    ws = wb.create_sheet("辅导员")
    for r in [
        ["工号", "姓名", "单位"],
        ["00017", "刘一", "外国语系"],
        ["00018", "陈二", "外国语系"],
    ]:
        ws.append(r)
    ws = wb.create_sheet("约束")
    for r in [
        ["领导工号", "辅导员工号", "规则"],
        ["L001", "00017", "禁止"],
        ["L001", "00018", "禁止"],
    ]:
        ws.append(r)
    ws.sheet_state = "hidden"
    wb.save(tmp_path / "数据.xlsx")
    ds = read_data(tmp_path / "数据.xlsx", cycle="2027-2030")
    assert ds.problem.rules == ()  # the old never rules would make the run infeasible
    assert "rules" not in ds.sources
    assert any("隐藏工作表 “约束” 未读取" in n.message_zh for n in ds.notes)


# ----- case 13: formulas without a cached value ------------------------------------------------------------
def test_formula_without_cached_value_says_open_and_save(tmp_path: Path) -> None:
    write(tmp_path, "leaders.csv", LEADERS)
    # Written by a script (openpyxl stores the formula, never its value).
    _xlsx(
        tmp_path / "counselors.xlsx",
        [
            ["序号", "工号", "姓名", "单位"],
            [17, '=TEXT(A2,"00000")', "刘一", "外国语系"],
            [18, '=TEXT(A3,"00000")', "陈二", "外国语系"],
        ],
    )
    (line,) = errors_of(tmp_path, cycle="2027-2030")
    assert line.startswith(
        "counselors.xlsx[Sheet]:第2、3行的公式没有计算结果,请在 Excel/WPS 中打开并保存一次"
    )
    assert "不能为空" not in line


def test_formula_with_an_empty_result_is_an_empty_cell(tmp_path: Path) -> None:
    write(tmp_path, "leaders.csv", LEADERS)
    path = _xlsx(
        tmp_path / "counselors.xlsx",
        [["工号", "姓名", "单位", "备注"], ["00017", "刘一", "外国语系", '=IF(1=2,"x","")']],
    )
    import re
    import zipfile

    # As Excel saves it: t="str" and an empty cached result.
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode()
    xml = re.sub(
        r'<c r="D2"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)?</c>',
        r'<c r="D2" t="str"><f>\2</f><v></v></c>',
        xml,
    )
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    ds = read_data(tmp_path, cycle="2027-2030")
    assert ds.problem.counselors[0].extra == {"备注": ""}


# ----- case 14: reversed cycle labels -------------------------------------------------------------------
def test_reversed_cycle_option_is_refused(tmp_path: Path) -> None:
    rosters(tmp_path)
    (line,) = errors_of(tmp_path, cycle="2030-2027")
    assert (
        line
        == "--cycle,值“2030-2027”:周期的结束年份 2027 不晚于开始年份 2030:年份是否写反了?应写成 2027-2030"
    )


def test_reversed_history_cycle_is_an_error(tmp_path: Path) -> None:
    rosters(tmp_path)
    write(tmp_path, "history.csv", "周期,领导工号,辅导员工号\n2027-2024,L001,00017\n")
    (line,) = errors_of(tmp_path, cycle="2027-2030")
    assert line.startswith("history.csv,第2行,列“周期”,值“2027-2024”:周期的结束年份 2024 不晚于")


def test_start_date_after_the_cycle_is_a_typing_mistake(tmp_path: Path) -> None:
    rosters(
        tmp_path,
        "工号,姓名,单位,任辅导员日期\n00017,刘一,外国语系,2062-09-01\n00018,陈二,外国语系,2027-09-01\n",
    )
    (line,) = errors_of(tmp_path, cycle="2027-2030")
    assert line == (
        "counselors.csv,第2行,列“任辅导员日期”,值“2062-09-01”:"
        "任辅导员日期 2062-09-01 在未来:晚于正在规划的联系周期 2027-2030,请核对年份"
    )
