"""``roll_up`` + ``write_province_xlsx``: three colleges summed by hand (see conftest.py).

Inputs, in argument order: 甲 (real writer + 报送信息), 乙 (real writer, name in the
title), 丙 (hand-made), 丁 of 2026, a second copy of 甲's report, a roster workbook.
Expected: 甲 乙 丙 summed; 丁 refused (another year), the copy refused (same college as
甲's file), the roster refused (no sheet 汇总).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from planner.io.province_files import (
    FOOTER,
    IDENTITY_KEYS,
    IDENTITY_SHEET,
    RawWorkbook,
    fit_scale,
    read_report_workbook,
    write_identity_sheet,
)
from planner.province import (
    CollegeReport,
    Counts,
    ProvinceStatus,
    RefusalKind,
    parse_report,
    province_file_name,
    quarters_elapsed,
    roll_up,
    write_province_xlsx,
)

ORDER = ("jia", "yi", "bing", "ding_2026", "jia_again", "roster")
HEAD6 = ["领导工号", "领导姓名", "联系辅导员人数", "约谈次数", "规划发展次数", "工作指导次数"]


@pytest.fixture(scope="module")
def result(reports):
    return roll_up([reports[k] for k in ORDER], 2027)


@pytest.fixture(scope="module")
def book(result, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("prov-out") / province_file_name(2027)
    write_province_xlsx(path, result)
    return path


def table(path: Path, sheet: str) -> tuple[list[str], list[list[object]]]:
    """(header, rows below it) of a sheet of 全省汇总 (header in row 3)."""
    rows = [list(r) for r in load_workbook(path)[sheet].iter_rows(values_only=True)]
    return [str(h) for h in rows[2]], rows[3:]


def test_accepted_and_refused(result, reports):
    assert result.status is ProvinceStatus.OK
    assert [c.college for c in result.colleges] == ["甲学院", "乙学院", "丙学院"]
    assert [(c.college_source, c.year_source) for c in result.colleges] == [
        ("报送信息", "报送信息"),
        ("标题", "报送信息"),  # 乙 gives no 学院名称: its report's 报送信息 still states the year
        ("标题", "标题"),
    ]
    kinds = [(Path(r.file).name, r.kind) for r in result.refused]
    assert kinds == [
        ("丁学院-年度汇总表-2026.xlsx", RefusalKind.OTHER_YEAR),
        ("年度汇总表-2027.xlsx", RefusalKind.DUPLICATE),
        ("辅导员名册.xlsx", RefusalKind.NOT_REPORT),
    ]
    ding, dup, roster = result.refused
    assert ding.year == 2026 and ding.college == "丁学院"
    assert ding.reason.zh == "是2026年的汇总表(依据标题),不是2027年"
    # The duplicate names the file kept (the first given), not itself.
    assert str(reports["jia"]) in dup.reason.zh and "甲学院" in dup.reason.zh
    assert str(reports["jia_again"]) not in dup.reason.zh
    assert roster.reason.zh == "不是年度汇总表:没有“汇总”工作表"
    assert roster.reason.en == "not a 年度汇总表: no sheet '汇总'"


def test_hand_counted_totals(result):
    by = {c.college: c for c in result.colleges}
    # conftest.py: 甲 2/4/5/1/3 due 16, 乙 2/4/16/1/1 due 16, 丙 3/7/15/3/4 due 21.
    assert by["甲学院"].totals == Counts(2, 4, 5, 1, 3, 16)
    assert by["乙学院"].totals == Counts(2, 4, 16, 1, 1, 16)
    assert by["丙学院"].totals == Counts(3, 7, 15, 3, 4, 21)
    assert result.totals == Counts(7, 15, 36, 5, 8, 53)
    # 丙's columns are in another order and P03's counts are text: read by header.
    p03 = by["丙学院"].leaders[2]
    assert (p03.leader_id, p03.leader_name, p03.counselors, p03.talks) == ("P03", "丙主任", 2, 6)
    assert (p03.career, p03.guidance, p03.row) == (2, 1, 7)
    assert by["丙学院"].as_of is not None and by["丙学院"].as_of.isoformat() == "2027-09-30"


def test_flags(result):
    by = {c.college: c for c in result.colleges}
    assert by["乙学院"].flags == ()
    assert [f.zh for f in by["甲学院"].flags] == ["约谈共5次,少于应有的16次"]
    assert [ld.flags[0].zh for ld in by["甲学院"].leaders] == [
        "约谈次数少于应有次数(2<8)",
        "约谈次数少于应有次数(3<8)",
    ]
    assert [f.zh for f in by["丙学院"].flags] == [
        "合计行与逐行相加不符(约谈次数表中合计14、逐行相加15)",
        "1名领导干部约谈次数为0",
        "约谈共15次,少于应有的21次",
    ]
    assert [[f.zh for f in ld.flags] for ld in by["丙学院"].leaders] == [
        [],
        ["约谈次数为0(联系辅导员2人)"],
        [],
    ]
    assert [c.college for c in result.flagged] == ["甲学院", "丙学院"]


def test_college_sheet(book):
    head, rows = table(book, "学院汇总")
    assert head[:9] == [
        "序号",
        "学院名称",
        "领导干部人数",
        "联系辅导员人数",
        "约谈次数",
        "规划发展次数",
        "工作指导次数",
        "人均约谈次数",
        "应有约谈次数",
    ]
    assert head[-1] == "标记"
    assert [r[:9] for r in rows] == [
        [1, "甲学院", 2, 4, 5, 1, 3, 1.25, 16],
        [2, "乙学院", 2, 4, 16, 1, 1, 4.0, 16],
        [3, "丙学院", 3, 7, 15, 3, 4, 2.14, 21],
        [None, "合计", 7, 15, 36, 5, 8, 2.4, 53],
    ]
    col = head.index("填报人")
    assert (rows[0][col], rows[0][col + 1]) == ("王办事", "0311-1234")
    assert rows[1][-1] is None and rows[0][-1] == "约谈共5次,少于应有的16次"
    assert rows[3][-1] == "2所学院有标记"


def test_detail_and_refused_sheets(book):
    head, rows = table(book, "领导干部明细")
    assert head[:8] == ["序号", "学院名称", *HEAD6]
    assert [(r[1], r[2]) for r in rows[:-1]] == [
        ("甲学院", "L1"),
        ("甲学院", "L2"),
        ("乙学院", "M1"),
        ("乙学院", "M2"),
        ("丙学院", "P01"),
        ("丙学院", "P02"),
        ("丙学院", "P03"),
    ]
    assert rows[-1][1] == "合计" and rows[-1][4:9] == [15, 36, 5, 8, 53]
    assert rows[5][9] == "约谈次数为0(联系辅导员2人)"
    head, rows = table(book, "未汇总")
    assert head == ["序号", "文件", "学院名称", "年度", "原因"]
    assert [r[0] for r in rows] == [1, 2, 3]
    assert rows[0][2:] == ["丁学院", 2026, "是2026年的汇总表(依据标题),不是2027年"]
    assert load_workbook(book).sheetnames == ["学院汇总", "领导干部明细", "未汇总", "说明"]


def test_print_setup_on_every_sheet(book):
    wb = load_workbook(book)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4  # "9": A4
        assert ws.print_title_rows == "$3:$3", ws.title
        assert ws.oddFooter.center.text == FOOTER
        fits = ws.sheet_properties.pageSetUpPr.fitToPage
        assert (fits and ws.page_setup.fitToWidth == 1) or ws.page_setup.scale >= 60
        assert "全省" in str(ws["A1"].value)


def test_fit_scale():
    # 10 columns of width 10: 10·(7·10+5) = 750 px ≤ 1045 → full size; 20 columns of 20:
    # 20·145 = 2900 px → 1045/2900 = 36 % (below 60: printed at 60 % over two pages).
    assert fit_scale([10] * 10) == 100
    assert fit_scale([20] * 20) == 36


def test_formula_injection_and_identity_round_trip(tmp_path, hand_report):
    wb = Workbook()
    wb.active.title = "汇总"
    wb.active.append(["领导干部直接联系服务辅导员工作年度汇总表(2027年)"])
    wb.active.append(HEAD6)
    # Escaped as the report writer escapes them (a bare "=1+1" would be a formula).
    wb.active.append(["'=1+1", "'@SUM(A1)", 2, 8, 2, 2])
    write_identity_sheet(wb, {"学院名称": "=HYPERLINK(1)学院", "年度": "2027年", "备注": "-x"})
    src = tmp_path / "年度汇总表-2027.xlsx"
    wb.save(src)
    raw = read_report_workbook(src)
    assert isinstance(raw, RawWorkbook)
    ident = [list(r) for r in raw.sheets[IDENTITY_SHEET]]
    assert [r[0] for r in ident] == ["项目", *IDENTITY_KEYS, "备注"]
    assert ident[1][1] == "'=HYPERLINK(1)学院" and ident[7][1] == "'-x"
    res = roll_up([src], 2027)
    (c,) = res.colleges
    # The apostrophe is the writer's escape, not part of the name.
    assert c.college == "=HYPERLINK(1)学院" and c.leaders[0].leader_id == "=1+1"
    out = tmp_path / "全省汇总-2027.xlsx"
    write_province_xlsx(out, res)
    wb2 = load_workbook(out)
    cells = [c for ws in wb2.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert wb2["学院汇总"]["B4"].value == "'=HYPERLINK(1)学院"
    assert wb2["领导干部明细"]["C4"].value == "'=1+1"
    assert wb2["领导干部明细"]["D4"].value == "'@SUM(A1)"


def test_deterministic_and_english(result, book, tmp_path):
    again = tmp_path / "again.xlsx"
    write_province_xlsx(again, result)
    assert again.read_bytes() == book.read_bytes()
    # Both writes may fall in one second; these are what would differ between seconds.
    assert {i.date_time for i in zipfile.ZipFile(book).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert load_workbook(book).properties.modified == datetime(2027, 12, 31)
    en = tmp_path / "en.xlsx"
    write_province_xlsx(en, result, "en")
    head, rows = table(en, "学院汇总")
    assert head[:3] == ["No.", "college", "leaders"] and rows[-1][1] == "Total"
    _, refused = table(en, "未汇总")
    assert refused[0][4] == "a 2026 report (from the title), not 2027"


def test_nothing_usable_is_no_input(reports, tmp_path):
    junk = tmp_path / "x.xlsx"
    junk.write_text("not a workbook", encoding="utf-8")
    res = roll_up([reports["ding_2026"], junk], 2027)
    assert res.status is ProvinceStatus.NO_INPUT and res.totals == Counts()
    assert [r.kind for r in res.refused] == [RefusalKind.OTHER_YEAR, RefusalKind.UNREADABLE]
    assert res.message() == "没有可汇总的2027年度汇总表(共2个文件,均未汇总)"
    assert roll_up([], 2027).status is ProvinceStatus.NO_INPUT


def test_refusals_of_broken_files(tmp_path, hand_report):
    enc = tmp_path / "加密.xlsx"
    # An encrypted .xlsx is an OLE compound file naming the stream EncryptionInfo.
    enc.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le")
    )
    xls = tmp_path / "旧版.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    cut = tmp_path / "损坏.xlsx"
    good = hand_report(tmp_path / "g.xlsx", [], HEAD6, [])
    cut.write_bytes(good.read_bytes()[:300])
    no_head = hand_report(tmp_path / "无表头.xlsx", [["甲学院2027年年度汇总表"]], ["姓名"], [])
    short = hand_report(
        tmp_path / "缺列.xlsx", [], ["领导工号", "领导姓名", "约谈次数"], [["L1", "甲", 3]]
    )
    words = hand_report(
        tmp_path / "甲学院-年度汇总表-2027.xlsx", [], HEAD6, [["L1", "甲", 2, "三次", 0, 0]]
    )
    noname = hand_report(
        tmp_path / "年度汇总表-2027.xlsx",
        [["领导干部直接联系服务辅导员工作年度汇总表(2027年)"]],
        HEAD6,
        [["L1", "甲", 2, 8, 2, 2]],
    )
    noyear = hand_report(tmp_path / "甲学院汇总.xlsx", [], HEAD6, [["L1", "甲", 2, 8, 2, 2]])
    paths = [enc, xls, cut, tmp_path / "没有.xlsx", no_head, short, words, noname, noyear]
    got = [(r.kind.value, r.reason.zh) for r in roll_up(paths, 2027).refused]
    assert got == [
        ("unreadable", "文件设置了打开密码(已加密),无法读取:请报送未加密的 .xlsx 文件"),
        ("unreadable", "这是旧版 Excel(.xls)文件:请用本工具生成的 .xlsx 年度汇总表"),
        (
            "unreadable",
            "文件已损坏或不是有效的 .xlsx 工作簿,无法读取:请在 Excel/WPS 中打开后重新保存",
        ),
        ("unreadable", "文件不存在"),
        ("not_report", "不是年度汇总表:“汇总”表前10行中没有“领导工号”表头"),
        (
            "not_report",
            "不是年度汇总表:“汇总”表第1行缺少列“联系辅导员人数”“规划发展次数”“工作指导次数”",
        ),
        ("not_report", "“汇总”表中有不是非负整数的次数:第2行“约谈次数”值“三次”"),
        ("no_name", "未能确定学院名称(报送信息、标题、文件属性、文件名中都没有)"),
        ("no_year", "未能确定年度(报送信息、标题、文件属性、文件名中都没有年份)"),
    ]


def test_same_college_spelled_twice_and_year_order(tmp_path, hand_report):
    # "甲 学院" (full-width space) is 甲学院; a 2026 report does not block its 2027 one.
    old = hand_report(
        tmp_path / "a" / "甲学院-年度汇总表-2026.xlsx", [], HEAD6, [["L1", "甲", 2, 8, 2, 2]]
    )
    new = hand_report(
        tmp_path / "b" / "甲学院-年度汇总表-2027.xlsx", [], HEAD6, [["L1", "甲", 2, 8, 2, 2]]
    )
    spaced = hand_report(
        tmp_path / "c" / "年度汇总表-2027.xlsx",
        [["学院名称:", "甲\u3000学院"]],
        HEAD6,
        [["L9", "乙", 2, 8, 2, 2]],
    )
    res = roll_up([old, new, spaced], 2027)
    assert [c.file for c in res.colleges] == [str(new)]
    assert [r.kind for r in res.refused] == [RefusalKind.OTHER_YEAR, RefusalKind.DUPLICATE]
    assert res.refused[1].college == "甲 学院"  # NFKC: the ideographic space is a space


def test_notes_rows_and_bad_totals(tmp_path, hand_report):
    # Row 3 has numbers but no 工号 (not counted, flagged); row 4 is a note in the 工号
    # column (skipped); no 合计 row; L1 has no counselor; L2 appears twice.
    path = hand_report(
        tmp_path / "戊学院-年度汇总表-2027.xlsx",
        [],
        HEAD6,
        [
            ["L1", "戊一", 0, 0, 0, 0],
            [None, "戊二", 2, 8, 1, 1],
            ["注:无", None, None, None, None, None],
            ["L2", "戊三", 1, 4, 0, 0],
            ["L2", "戊四", 1, 4, 0, 0],
        ],
        sheet="汇总 ",  # a stray space in the sheet name: still the 汇总 sheet
    )
    c = parse_report(read_report_workbook(path), path, 2027)
    assert isinstance(c, CollegeReport)
    assert [ld.leader_id for ld in c.leaders] == ["L1", "L2", "L2"]
    assert [f.zh for f in c.flags] == [
        "没有合计行(未核对)",
        "1名领导干部联系辅导员人数为0",
        "领导工号重复:L2",
        "第3行有数据但缺领导工号,未计入",
    ]


def test_quarters_elapsed():
    assert [quarters_elapsed(2027, d) for d in (None, date(2028, 1, 10))] == [4, 4]
    assert quarters_elapsed(2027, date(2027, 3, 30)) == 0
    assert quarters_elapsed(2027, date(2027, 3, 31)) == 1
    assert quarters_elapsed(2027, date(2027, 9, 1)) == 2
    assert quarters_elapsed(2027, date(2026, 12, 31)) == 0


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext) print the workbook",
)
def test_printed_through_libreoffice(book, tmp_path):
    # Its own profile folder: several soffice processes sharing one refuse to start.
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / (book.stem + ".pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    # pdftotext spaces CJK text unevenly: compare without whitespace.
    pages = [re.sub(r"\s+", "", p) for p in text.split("\f") if p.strip()]
    n = len(pages)
    # One page per sheet for this small roll-up; each carries its page number and total.
    assert n == 4
    for i, page in enumerate(pages, start=1):
        assert f"第{i}页共{n}页" in page
        assert "全省高校领导干部直接联系服务辅导员工作汇总表(2027年)" in page
    assert "丙学院" in pages[0] and "合计" in pages[0]
    assert "是2026年的汇总表(依据标题),不是2027年" in pages[2]


@pytest.mark.parametrize(
    ("file", "title", "props", "college", "source"),
    [
        # Year first, 汇总 without 表: the name sits between the year and 领导干部.
        ("x.xlsx", "2027年度乙学院领导干部直接联系服务辅导员工作年度汇总", "", "乙学院", "标题"),
        (
            "x.xlsx",
            "《丙学院领导干部直接联系服务辅导员工作年度汇总表》(2027年)",
            "",
            "丙学院",
            "标题",
        ),
        # A label cell: the name ends at the space before the next label.
        ("汇总-2027.xlsx", "学院:青年学院 填报人:张三", "", "青年学院", "标题"),
        # Only the year's 年 is dropped from a file name; a copy's "(1)" too.
        ("青年政治学院-年度汇总表-2027 (1).xlsx", "", "", "青年政治学院", "文件名"),
        (
            "年度汇总表-2027.xlsx",
            "",
            "丁学院2027年领导干部直接联系服务辅导员工作年度汇总表",
            "丁学院",
            "文件属性",
        ),
    ],
)
def test_where_the_college_name_comes_from(tmp_path, file, title, props, college, source):
    wb = Workbook()
    wb.active.title = "汇总"
    if title:
        wb.active.append([title])
    wb.active.append(HEAD6)
    wb.active.append(["L1", "甲", 2, 8, 2, 2])
    wb.properties.title = props or None
    path = tmp_path / file
    wb.save(path)
    (c,) = roll_up([path], 2027).colleges
    assert (c.college, c.college_source) == (college, source)
