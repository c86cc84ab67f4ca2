"""Tests of the input reader (CONTRACT.md §1-2): encodings, headers, types, errors."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import Level, RuleKind
from planner.errors import InputError
from planner.io.read import read_data, read_plan_pairs, read_table_file
from planner.schema import choice_label, header_zh
from planner.values import parse_bool, parse_date

BASIC = Path(__file__).resolve().parents[1] / "data" / "read" / "basic"

COUNSELORS_CSV = "工号,姓名,单位\n007,刘一,外国语系\n008,陈二,外国语系\n"
LEADERS_CSV = "工号,姓名,单位,教学单位负责人\nL001,王院长,,否\nL003,张主任,外国语系,是\n"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_bytes(text.encode(encoding))
    return p


def roster(tmp_path: Path, leaders: str = LEADERS_CSV, counselors: str = COUNSELORS_CSV) -> Path:
    write(tmp_path, "leaders.csv", leaders)
    write(tmp_path, "counselors.csv", counselors)
    return tmp_path


def errors_of(path: Path, **kw: object) -> list[str]:
    """The zh lines of the InputError that reading ``path`` must raise."""
    with pytest.raises(InputError) as info:
        read_data(path, **kw)  # type: ignore[arg-type]
    return info.value.render("zh").splitlines()


def one_error(path: Path) -> str:
    lines = errors_of(path)
    assert len(lines) == 1, lines
    return lines[0]


# ----- the fixture folder ----------------------------------------------------------
def test_basic_folder_reads_everything() -> None:
    ds = read_data(BASIC)
    p = ds.problem
    assert [x.leader_id for x in p.leaders] == ["L001", "L002", "L003", "L004", "L005"]
    assert [x.order for x in p.leaders] == [0, 1, 2, 3, 4]
    l3 = p.leader_by_id["L003"]
    assert (l3.level, l3.unit, l3.heads_teaching_unit) == (Level.MIDDLE, "外国语系", True)
    assert (l3.min_load, l3.max_load) == (2, 3)
    assert p.leader_by_id["L001"].min_load is None
    assert p.leader_by_id["L004"].active is True  # 在岗
    assert p.leader_by_id["L005"].active is False  # 退休
    assert p.leader_by_id["L001"].extra == {"电话": "0311-1"}
    assert ds.extra_columns == {"leaders": ["电话"]}
    # every date spelling of the fixture
    starts = {c.counselor_id: c.start_date for c in p.counselors}
    assert starts == {
        "007": date(2020, 9, 1),
        "008": date(2016, 9, 1),
        "009": date(2012, 9, 1),
        "010": date(2023, 9, 1),
        "011": date(2019, 9, 1),
        "012": None,
    }
    assert {(r.leader_id, r.counselor_id, r.kind) for r in p.rules} == {
        ("L001", "011", RuleKind.MUST),
        ("L002", "007", RuleKind.NEVER),
    }
    assert p.settings.no_repeat_cycles == 2
    assert p.settings.min_load == 2
    # calendar.toml's cycle_start gives the label and the start date
    assert p.cycle == "2027-2030"
    assert p.cycle_start == date(2027, 3, 1)
    assert ds.calendar_toml is not None and ds.calendar_toml["semester"][0]["name"] == "2026-2027-2"
    # the history folder holds an earlier plan.csv; its departed leader is skipped
    assert {(h.cycle, h.leader_id, h.counselor_id) for h in p.history} == {
        ("2024-2027", "L001", "008"),
        ("2024-2027", "L003", "007"),
    }
    assert len(ds.notes) == 1 and "L099" in ds.notes[0].message_zh
    assert "1 history row(s)" in ds.notes[0].message_en
    assert set(ds.sources) == {"leaders", "counselors", "rules", "settings", "calendar", "history"}
    assert ds.sources["history"].name == "plan.csv"


def test_cycle_argument_wins_and_keeps_matching_start() -> None:
    assert read_data(BASIC, cycle="2027-2030").problem.cycle_start == date(2027, 3, 1)
    other = read_data(BASIC, cycle="2030-2033").problem
    assert (other.cycle, other.cycle_start) == ("2030-2033", None)


# ----- encodings and normalisation ---------------------------------------------------
def test_gb18030_roster_with_fullwidth_digits_and_chinese_booleans(tmp_path: Path) -> None:
    write(
        tmp_path,
        "领导干部.csv",
        "工号,姓名,单位,教学单位负责人,最少联系人数,在岗\n"
        "Ｌ００１,王院长,,否,２,在职\n"
        "L002, 张主任 ,外国语系,是,,退休\n",
        "gb18030",
    )
    write(
        tmp_path,
        "辅导员.csv",
        "工号,姓名,单位,任辅导员日期,在岗\n００７,刘一,外国语系,２０２０年９月１日,在职\n",
        "gb18030",
    )
    p = read_data(tmp_path).problem
    a, b = p.leaders
    assert (a.leader_id, a.min_load, a.active, a.heads_teaching_unit) == ("L001", 2, True, False)
    assert (b.name, b.active, b.heads_teaching_unit) == ("张主任", False, True)
    (c,) = p.counselors
    assert (c.counselor_id, c.start_date) == ("007", date(2020, 9, 1))


def test_utf8_bom_english_headers_any_case(tmp_path: Path) -> None:
    write(
        tmp_path,
        "leaders.csv",
        "\ufeffLeader_ID,NAME,level,Unit,heads_teaching_unit\n0001,A,college,,no\n",
    )
    write(tmp_path, "counselors.csv", "\ufeffid,name,unit,active\n00017,B,X系,Y\n")
    p = read_data(tmp_path).problem
    assert p.leaders[0].leader_id == "0001"
    assert p.leaders[0].level == Level.COLLEGE
    assert p.counselors[0].counselor_id == "00017"  # leading zeros survive


def test_default_level_follows_unit(tmp_path: Path) -> None:
    p = read_data(roster(tmp_path)).problem
    assert p.leader_by_id["L001"].level == Level.COLLEGE  # no unit
    assert p.leader_by_id["L003"].level == Level.MIDDLE  # has a unit


def test_apostrophe_escape_and_blank_rows(tmp_path: Path) -> None:
    leaders = "工号,姓名,单位,备注\n\nL001,王院长,,'=SUM(1)\n,,,\nL002,'-李,,\n"
    ds = read_data(roster(tmp_path, leaders=leaders))
    a, b = ds.problem.leaders
    assert a.extra == {"备注": "=SUM(1)"}
    assert b.name == "-李"
    assert (a.order, b.order) == (0, 1)


def test_header_with_annotation_and_required_mark(tmp_path: Path) -> None:
    leaders = "*工号,*姓名,最多联系人数(默认3)\nL001,王院长,2\n"
    p = read_data(roster(tmp_path, leaders=leaders)).problem
    assert p.leaders[0].max_load == 2


# ----- workbooks ---------------------------------------------------------------------
def _cache_formula(path: Path, cell: str, cached: str) -> None:
    """Give a formula cell a cached value, as Excel does when it saves (openpyxl cannot)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/"):
            xml = data.decode()
            xml = re.sub(
                # openpyxl writes an empty <v/> (or <v></v>, or none with lxml installed)
                rf'<c r="{cell}"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)?</c>',
                rf'<c r="{cell}"\1><f>\2</f><v>{cached}</v></c>',
                xml,
            )
            parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "说明"
    ws["A1"] = "本工作簿的说明"
    ws = wb.create_sheet("领导干部")
    ws.append(["工号", "姓名", "单位", "教学单位负责人", "最多联系人数", "邮箱"])
    ws.append(["L001", "王院长", None, False, None, "a@x.cn"])
    ws.append([1002.0, "张主任", "外国语系", True, "=1+2", None])
    ws = wb.create_sheet("辅导员")
    ws.append(["工号", "姓名", "单位", "任辅导员日期"])
    ws.append([7, "刘一", "外国语系", datetime(2020, 9, 1)])
    ws["A2"].number_format = "000"
    ws.append(["008", "陈二", "外国语系", 43709])  # an Excel serial date: 2019-09-01
    ws = wb.create_sheet("校历")
    ws.append(["类型", "名称", "开始日期", "结束日期"])
    ws.append(["周期开始", None, date(2027, 3, 1), None])
    ws.append(["学期", "2026-2027-2", "2027-03-01", "2027/7/9"])
    wb.save(path)
    _cache_formula(path, "E3", "3")
    return path


def test_xlsx_workbook_formula_dates_and_ids(tmp_path: Path) -> None:
    ds = read_data(_workbook(tmp_path / "数据.xlsx"))
    p = ds.problem
    a, b = p.leaders
    assert (a.leader_id, b.leader_id) == ("L001", "1002")  # integral float → "1002"
    assert b.max_load == 3  # the formula's cached value
    assert a.extra == {"邮箱": "a@x.cn"} and b.extra == {"邮箱": ""}
    c7, c8 = p.counselors
    assert (c7.counselor_id, c7.start_date) == ("007", date(2020, 9, 1))  # format 000
    assert c8.start_date == date(2019, 9, 1)
    assert (p.cycle, p.cycle_start) == ("2027-2030", date(2027, 3, 1))
    cal = ds.tables["calendar"]
    assert [r["kind"] for r in cal] == ["cycle_start", "semester"]
    assert cal[1]["end"] == date(2027, 7, 9) and cal[1]["_row"] == 3
    assert cal[1]["_sheet"] == "校历"
    assert set(ds.sources) == {"leaders", "counselors", "calendar"}


def test_xlsx_errors_name_workbook_and_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "数据.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["领导干部"]["E2"] = "三"
    wb.save(path)
    _cache_formula(path, "E3", "3")  # openpyxl drops cached values when it saves
    (line,) = errors_of(path)
    assert line.startswith("数据.xlsx[领导干部],第2行,列“最多联系人数”,值“三”")


def test_workbook_without_counselor_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "数据.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb["辅导员"]
    wb.save(path)
    _cache_formula(path, "E3", "3")  # openpyxl drops cached values when it saves
    assert "找不到工作表“辅导员”" in one_error(path)


def test_single_table_xlsx_in_folder(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append(["领导干部名单"])  # a title row above the header
    ws.append(["工号", "姓名"])
    ws.append(["L001", "王院长"])
    wb.save(tmp_path / "leaders.xlsx")
    write(tmp_path, "counselors.csv", COUNSELORS_CSV)
    assert read_data(tmp_path).problem.leaders[0].leader_id == "L001"


# ----- history, cycle label, notes -------------------------------------------------------
PLAN_HEADER = "周期,领导工号,领导姓名,职务,领导单位,辅导员工号,辅导员姓名,辅导员单位,本单位,说明\n"


def test_history_folder_of_plans_gives_next_cycle(tmp_path: Path) -> None:
    roster(tmp_path)
    write(
        tmp_path / "历史联系" / "2021-2024",
        "plan.csv",
        PLAN_HEADER + "2021-2024,L001,,,,007,,,否,\n",
    )
    write(tmp_path / "历史联系", "2024-2027.csv", "领导工号,辅导员工号\nL003,008\nL777,007\n")
    ds = read_data(tmp_path)
    assert ds.problem.cycle == "2027-2030"  # latest first year 2024 + 3
    assert {(h.cycle, h.leader_id) for h in ds.problem.history} == {
        ("2021-2024", "L001"),
        ("2024-2027", "L003"),  # no 周期 column: the file name is the cycle
    }
    assert ds.problem.earlier_cycles == ("2024-2027", "2021-2024")
    (note,) = ds.notes
    assert "1 行" in note.message_zh and "L777" in note.message_zh


def test_history_rows_of_the_planned_cycle_are_kept_but_not_earlier(tmp_path: Path) -> None:
    roster(tmp_path)
    write(tmp_path, "history.csv", "cycle,leader_id,counselor_id\n2027-2030,L001,007\n")
    p = read_data(tmp_path, cycle="2027-2030").problem
    assert len(p.history) == 1 and p.earlier_cycles == ()


def test_cycle_from_calendar_year_or_calendar_sheet(tmp_path: Path) -> None:
    roster(tmp_path)
    write(tmp_path, "calendar.toml", "cycle_start = 2027\ncycle_years = 4\n")
    p = read_data(tmp_path).problem
    assert (p.cycle, p.cycle_start) == ("2027-2031", None)
    (tmp_path / "calendar.toml").unlink()
    write(tmp_path, "校历.csv", "类型,开始日期\n周期开始,2028/3/1\n")
    p = read_data(tmp_path).problem
    assert (p.cycle, p.cycle_start) == ("2028-2031", date(2028, 3, 1))
    write(tmp_path, "校历.csv", "类型,开始日期\n学期,2028/3/1\n")
    assert one_error(tmp_path) == "校历.csv,第2行,列“结束日期”:学期需要填写“结束日期”"


def test_history_sheet_needs_cycle_column(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "数据.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("历史联系")
    ws.append(["领导工号", "辅导员工号"])
    ws.append(["L001", "007"])
    wb.save(path)
    _cache_formula(path, "E3", "3")  # openpyxl drops cached values when it saves
    assert one_error(path).startswith("数据.xlsx[历史联系],第1行,列“周期”:缺少必填列“周期”")


def test_cycle_defaults_to_this_year(tmp_path: Path) -> None:
    y = date.today().year
    assert read_data(roster(tmp_path)).problem.cycle == f"{y}-{y + 3}"


def test_unit_notes(tmp_path: Path) -> None:
    leaders = (
        "工号,姓名,单位,教学单位负责人\n"
        "L001,王主任,外国语系,否\n"  # middle level, unit has counselors, not a head
        "L002,李主任,艺术系,是\n"  # head of a unit without counselors
    )
    notes = read_data(roster(tmp_path, leaders=leaders)).notes
    assert len(notes) == 2
    assert "王主任(L001)" in notes[0].message_zh and "教学单位负责人" in notes[0].message_zh
    assert "艺术系" in notes[1].message_zh


# ----- errors: file, row, column and value ---------------------------------------------
@pytest.mark.parametrize(
    ("leaders", "expected"),
    [
        (
            "工号,单位\nL001,\n",
            "leaders.csv,第1行,列“姓名”:缺少必填列“姓名”",
        ),
        (
            "工号,姓名\nL001,甲\n\nL001,乙\n",
            "leaders.csv,第4行,列“工号”,值“L001”:工号重复(与第2行相同)",
        ),
        (
            "工号,姓名,最少联系人数,最多联系人数\nL001,甲,3,2\n",
            "leaders.csv,第2行,列“最少联系人数”,值“3”:“最少联系人数”大于“最多联系人数”",
        ),
        (
            "工号,姓名,最多联系人数\nL001,甲,1\n",  # min from settings (2) > 1
            "leaders.csv,第2行,列“最多联系人数”,值“1”:“最少联系人数”大于“最多联系人数”",
        ),
        (
            "工号,姓名,最少联系人数\nL001,甲,-1\n",
            "leaders.csv,第2行,列“最少联系人数”,值“-1”:不能是负数",
        ),
        (
            "工号,姓名,最多联系人数\nL001,甲,三个\n",
            "leaders.csv,第2行,列“最多联系人数”,值“三个”:请填写整数",
        ),
        (
            "工号,姓名,最多联系人数\nL001,甲,99999999999999999999999999\n",
            "leaders.csv,第2行,列“最多联系人数”,值“99999999999999999999999999”:请填写整数",
        ),
        (
            "工号,姓名,最多联系人数\nL001,甲,5000\n",
            "leaders.csv,第2行,列“最多联系人数”,值“5000”:数值过大",
        ),
        (
            "工号,姓名,级别\nL001,甲,处级\n",
            "leaders.csv,第2行,列“级别”,值“处级”:无法识别的级别,请填写“院级”或“中层”",
        ),
        (
            "工号,姓名,在岗\nL001,甲,也许\n",
            "leaders.csv,第2行,列“在岗”,值“也许”:无法识别的是/否值",
        ),
        (
            "工号,姓名,教学单位负责人\nL001,甲,是\n",
            "leaders.csv,第2行,列“教学单位负责人”,值“是”:“教学单位负责人”填了“是”,但“单位”是空的",
        ),
        (
            "工号,姓名\nL001,\n",
            "leaders.csv,第2行,列“姓名”:“姓名”不能为空",
        ),
        (
            "工号,姓名\n007,甲\n",
            "counselors.csv,第2行,列“工号”,值“007”:该工号也出现在领导干部表 leaders.csv 第2行",
        ),
        ("", "leaders.csv:文件是空的"),
        ("工号,姓名\n", "leaders.csv:领导干部表只有列名,没有数据行"),
    ],
)
def test_leader_errors(tmp_path: Path, leaders: str, expected: str) -> None:
    assert one_error(roster(tmp_path, leaders=leaders)).startswith(expected)


def test_counselor_bad_date(tmp_path: Path) -> None:
    counselors = "工号,姓名,单位,任辅导员日期\n007,刘一,外语系,2020-13-01\n"
    line = one_error(roster(tmp_path, counselors=counselors))
    assert line == (
        "counselors.csv,第2行,列“任辅导员日期”,值“2020-13-01”:"
        "月份 13 不存在(月份应为 1 到 12),请核对这个日期"
    )


def test_rules_errors(tmp_path: Path) -> None:
    write(
        roster(tmp_path),
        "约束.csv",
        "领导工号,辅导员工号,规则,原因\n"
        "L001,007,必须,\n"
        "L404,007,禁止,\n"
        "L001,404,禁止,\n"
        "L003,008,也许,\n"
        "L001,007,禁止,\n",
    )
    lines = errors_of(tmp_path)
    assert lines == [
        "约束.csv,第3行,列“领导工号”,值“L404”:领导干部表中没有这个工号",
        "约束.csv,第4行,列“辅导员工号”,值“404”:辅导员表中没有这个工号",
        "约束.csv,第5行,列“规则”,值“也许”:无法识别的规则,请填写“必须”或“禁止”",
        "约束.csv,第6行,列“规则”,值“禁止”:与第2行矛盾:同一对不能既“必须”又“禁止”",
    ]


def test_missing_tables_say_what_was_looked_for(tmp_path: Path) -> None:
    write(tmp_path, "leaders.csv", LEADERS_CSV)
    line = one_error(tmp_path)
    assert "找不到辅导员表" in line
    assert "counselors.csv" in line and "辅导员.csv" in line and "辅导员.xlsx" in line


def test_two_files_for_one_table(tmp_path: Path) -> None:
    roster(tmp_path)
    write(tmp_path, "领导干部.csv", LEADERS_CSV)
    assert "找到多个领导干部表文件" in one_error(tmp_path)


def test_settings_errors(tmp_path: Path) -> None:
    roster(tmp_path)
    write(tmp_path, "settings.toml", "min_load = 2\nmax_laod = 3\nno_repeat_cycles = -1\n")
    write(tmp_path, "设置.csv", "键,值\n最多联系人数,x\nmin_load,4\n")
    lines = errors_of(tmp_path)
    assert lines[0].startswith("settings.toml,列“max_laod”,值“3”:未知的设置项“max_laod”")
    assert lines[1].startswith("settings.toml,列“no_repeat_cycles”,值“-1”:设置项“不重复周期数”")
    assert lines[2].startswith("设置.csv,第2行,列“值”,值“x”:设置项“最多联系人数”(max_load)")
    assert lines[3].startswith(
        "设置.csv,第3行,列“值”,值“4”:设置项“min_load”在 settings.toml 中是 2"
    )
    assert len(lines) == 4


def test_identity_settings_are_text(tmp_path: Path) -> None:
    """学院名称/填报单位/填报人/联系电话 (CONTRACT.md §12) are read as text, blank allowed."""
    roster(tmp_path)
    write(tmp_path, "settings.toml", 'college = " 某某职业技术学院 "\nphone = "0571-1234"\n')
    write(tmp_path, "设置.csv", "键,值\n填报人,张\u200b三\n填报单位,\n宽表纸张,a3\n")
    s = read_data(tmp_path).problem.settings
    assert (s.college, s.contact, s.phone, s.wide_paper) == (
        "某某职业技术学院",
        "张三",
        "0571-1234",
        "A3",
    )
    assert s.office == "" and s.office_name() == "领导干部联系服务辅导员工作领导小组办公室"
    write(tmp_path, "设置.csv", "键,值\n宽表纸张,B5\n学院名称," + "院" * 101 + "\n")
    lines = errors_of(tmp_path)
    assert "设置项“宽表纸张”(wide_paper)应为 A4 或 A3" in lines[0]
    assert "最长 100 个字,这里有 101 个字" in lines[1]


def test_settings_sheet_merges_with_toml(tmp_path: Path) -> None:
    roster(tmp_path)
    write(tmp_path, "settings.toml", "min_load = 1\n")
    write(tmp_path, "settings.csv", "key,value\nmax_load,4\n每名辅导员最多领导数,1\n")
    s = read_data(tmp_path).problem.settings
    assert (s.min_load, s.max_load, s.max_leaders_per_counselor) == (1, 4, 1)


def test_bad_toml_is_an_input_error(tmp_path: Path) -> None:
    roster(tmp_path)
    write(tmp_path, "calendar.toml", "cycle_start = = 2027\n")
    assert one_error(tmp_path).startswith("calendar.toml:TOML 格式有误")


def test_many_errors_collected_in_one_run(tmp_path: Path) -> None:
    leaders = "工号,姓名,最少联系人数\nL001,甲,x\nL001,乙,2\n"
    counselors = "工号,姓名,单位,在岗\n007,刘一,,是\n008,陈二,外语系,maybe\n"
    roster(tmp_path, leaders=leaders, counselors=counselors)
    write(tmp_path, "rules.csv", "领导工号,辅导员工号,规则\nL001,999,必须\n")
    write(tmp_path / "history", "2024-2027.csv", "领导工号\nL001\n")
    lines = errors_of(tmp_path)
    rows = [re.match(r"([^,]+),第(\d+)行", ln).groups() for ln in lines]  # type: ignore[union-attr]
    assert rows == [
        ("leaders.csv", "2"),
        ("leaders.csv", "3"),
        ("counselors.csv", "2"),
        ("counselors.csv", "3"),
        ("history/2024-2027.csv", "1"),
        ("rules.csv", "2"),
    ]


# ----- broken files never escape as tracebacks ---------------------------------------------
@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("counselors.csv", b"id,name\x00\x00garbage\n", "文件中含有空字符"),
        ("counselors.csv", bytes(range(128, 256)) * 3, "无法识别文件的文字编码"),
        ("counselors.csv", b"PK\x03\x04not really", "这是一个 Excel 工作簿"),
        ("counselors.xlsx", b"PK\x03\x04truncated", "无法打开这个 Excel 文件"),
        ("counselors.xlsx", b"hello", "无法打开这个 Excel 文件"),
        ("counselors.xls", b"\xd0\xcf\x11\xe0old", "旧版 Excel"),
        ("counselors.csv", b'"unterminated\n' + b"x" * 200_000, "CSV 格式有误"),
    ],
)
def test_broken_files(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    write(tmp_path, "leaders.csv", LEADERS_CSV)
    (tmp_path / name).write_bytes(data)
    line = one_error(tmp_path)
    assert line.startswith(name) and expected in line


def test_truncated_workbook_as_data(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "full.xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert one_error(cut).startswith("cut.xlsx")


def test_data_path_must_exist_and_be_folder_or_workbook(tmp_path: Path) -> None:
    assert "找不到数据文件夹" in one_error(tmp_path / "nope")
    assert "文件夹" in one_error(write(tmp_path, "x.csv", LEADERS_CSV))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_fuzzed_roster_never_raises_anything_else(tmp_path: Path, data: bytes) -> None:
    write(tmp_path, "counselors.csv", COUNSELORS_CSV)
    (tmp_path / "leaders.csv").write_bytes(data)
    try:
        read_data(tmp_path)
    except InputError as exc:
        assert exc.problems


# ----- plan files --------------------------------------------------------------------------
def test_read_plan_pairs_zh_headers_with_escaped_cells(tmp_path: Path) -> None:
    text = (
        "\ufeff" + PLAN_HEADER + "2027-2030,L001,王院长,院长,,'-007,刘一,外国语系,否,'=说明\n"
        "2027-2030,L003,张主任,系主任,外国语系,008,陈二,外国语系,是,\n"
    )
    label, pairs = read_plan_pairs(write(tmp_path, "plan.csv", text))
    assert label == "2027-2030"
    assert pairs == [("L001", "-007", 2), ("L003", "008", 3)]


def test_read_plan_pairs_gb18030_english_and_no_uniform_cycle(tmp_path: Path) -> None:
    text = "leader_id,counselor_id,cycle,备注\nL001,007,甲,\n\nL003,008,乙,\n"
    label, pairs = read_plan_pairs(write(tmp_path, "plan.csv", text, "gb18030"))
    assert label is None
    assert pairs == [("L001", "007", 2), ("L003", "008", 4)]
    label, _ = read_plan_pairs(write(tmp_path, "p2.csv", "领导工号,辅导员工号\nL1,C1\n"))
    assert label is None


def test_read_plan_pairs_xlsx_with_title_row(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "联系对应表"
    ws.append(["2027-2030 领导干部联系辅导员对应表"])
    ws.append(["周期", "领导工号", "辅导员工号"])
    ws.append(["2027-2030", "L001", "007"])
    wb.save(tmp_path / "plan.xlsx")
    assert read_plan_pairs(tmp_path) == ("2027-2030", [("L001", "007", 3)])


def test_read_plan_pairs_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_plan_pairs(write(tmp_path, "plan.csv", "周期,领导工号\n2027-2030,L1\n"))
    assert (
        info.value.render("zh")
        == "plan.csv,第1行,列“辅导员工号”:缺少必填列“辅导员工号”(英文列名 counselor_id)"
    )
    with pytest.raises(InputError) as info:
        read_plan_pairs(write(tmp_path, "plan.csv", "领导工号,辅导员工号\nL1,C1\nL2,\n"))
    assert (
        info.value.render("en")
        == "plan.csv, row 3, column '辅导员工号': '辅导员工号' must not be empty"
    )
    with pytest.raises(InputError):
        read_plan_pairs(write(tmp_path, "plan.csv", "\x00\x01"))
    with pytest.raises(InputError):
        read_plan_pairs(tmp_path / "missing.csv")


# ----- optional tables ---------------------------------------------------------------------
def test_read_table_file_records(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "联系记录.csv",
        "日期,领导工号,辅导员工号,形式,方式,主要内容,附件\n"
        "2027-03-15,L001,007,定期约谈,,谈工作,a.jpg\n"
        "2027/4/1,L001,,交流会,线上,,\n",
    )
    rows = read_table_file(path, "records")
    assert [r["form"] for r in rows] == ["talk", "exchange"]
    assert [r["mode"] for r in rows] == ["in_person", "online"]
    assert rows[0]["date"] == date(2027, 3, 15) and rows[1]["counselor_id"] == ""
    assert rows[0]["_row"] == 2 and rows[0]["_file"] == "联系记录.csv"
    assert rows[0]["_extra"] == {"附件": "a.jpg"}
    bad = write(tmp_path, "r2.csv", "日期,领导工号,形式\n2027-03-15,L001,喝茶\n")
    with pytest.raises(InputError, match="form"):
        read_table_file(bad, "联系记录")


def test_optional_tables_in_folder(tmp_path: Path) -> None:
    roster(tmp_path)
    write(
        tmp_path,
        "不可用时间.csv",
        "领导工号,开始日期,结束日期,原因\nL001,2027-05-10,2027-05-01,出差\n",
    )
    write(tmp_path, "news.csv", "日期,标题,领导工号\n2027-05-01,新闻,L001;L003、L004\n")
    lines = errors_of(tmp_path)
    assert lines == ["不可用时间.csv,第2行,列“结束日期”,值“2027-05-01”:“结束日期”早于“开始日期”"]
    write(tmp_path, "不可用时间.csv", "领导工号,开始日期\nL001,2027-05-10\n")
    ds = read_data(tmp_path)
    assert ds.tables["news"][0]["leader_ids"] == ("L001", "L003", "L004")
    assert ds.tables["unavailable"][0]["end"] is None
    assert set(ds.tables) == {"news", "unavailable"}


# ----- helpers -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "active", "expected"),
    [
        ("是", False, True),
        ("否", False, False),
        ("TRUE", False, True),
        ("No", False, False),
        ("y", False, True),
        ("√", False, True),
        ("×", False, False),
        ("１", False, True),
        (0, False, False),
        (True, False, True),
        ("在职", True, True),
        ("调离", True, False),
        ("在职", False, None),
        ("", False, None),
        ("maybe", False, None),
    ],
)
def test_parse_bool(text: object, active: bool, expected: bool | None) -> None:
    assert parse_bool(text, active=active) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-09-01", date(2026, 9, 1)),
        ("2026/9/1", date(2026, 9, 1)),
        ("2026.9.1", date(2026, 9, 1)),
        ("20260901", date(2026, 9, 1)),
        ("2026年9月1日", date(2026, 9, 1)),
        ("２０２６年 ９月 １日", date(2026, 9, 1)),
        ("2026/9/1 0:00", date(2026, 9, 1)),
        (datetime(2026, 9, 1, 8, 30), date(2026, 9, 1)),
        (46266, date(2026, 9, 1)),
        ("2026-02-30", None),
        ("46266", None),
        ("next monday", None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_header_names_for_writers() -> None:
    assert [
        header_zh(k)
        for k in (
            "cycle",
            "leader_id",
            "leader_name",
            "leader_position",
            "leader_unit",
            "counselor_id",
            "counselor_name",
            "counselor_unit",
            "same_unit",
            "reason",
        )
    ] == [
        "周期",
        "领导工号",
        "领导姓名",
        "职务",
        "领导单位",
        "辅导员工号",
        "辅导员姓名",
        "辅导员单位",
        "本单位",
        "说明",
    ]
    assert header_zh("leader_id", "leaders") == "工号"
    assert header_zh("reason", "约束") == "原因"
    assert choice_label("rules", "rule", "never") == "禁止"
    with pytest.raises(KeyError):
        header_zh("no_such_key")


def test_written_plan_header_reads_back_as_history(tmp_path: Path) -> None:
    # The writers' headers are the reader's: a plan.csv is a history file as it is.
    header = ",".join(header_zh(k) for k in ("cycle", "leader_id", "counselor_id", "reason"))
    write(roster(tmp_path), "history.csv", header + "\n2024-2027,L001,007,\n")
    assert len(read_data(tmp_path).problem.history) == 1


def test_shutil_copy_of_fixture_stays_readable(tmp_path: Path) -> None:
    # Reading never writes into DATA (no caches, no temp files beside the input).
    data = tmp_path / "data"
    shutil.copytree(BASIC, data)
    before = sorted(p.name for p in data.rglob("*"))
    read_data(data)
    assert sorted(p.name for p in data.rglob("*")) == before
