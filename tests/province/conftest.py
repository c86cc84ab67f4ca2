"""Colleges' 年度汇总表 for the province's roll-up, built by the tests.

甲学院 and 乙学院 are written by the real report writer (``planner.app.report``) from tiny DATA
folders; 甲's name comes from a 报送信息 sheet, 乙's from its title. 丙学院 is hand-made
with openpyxl (title rows, shuffled columns, counts typed as text, a wrong 合计 row).

Every pair's cycle starts 2027-03-01, so in 2027 each pair is due a talk in Q1–Q4 and
the report's 约谈达标(季度) denominator is 4 per counselor (8 for a leader with two).

甲学院 (L1: 003, 004; L2: 001, 002), records 2027:
  L1 talks 04-20 (003), 05-10 (004); guidance 06-02 (003)   → c2 t2 career0 g1, due 8
  L2 talks 04-10 (001), 05-20 (002), 10-20 (002); career 04-15 (001);
     guidance 05-05 (001), 06-01 (002)                       → c2 t3 career1 g2, due 8
  甲 = leaders 2, counselors 4, talks 5, career 1, guidance 3, due 16 (5 < 16: flagged;
  both leaders have fewer talks than due).
乙学院 (M1: 101, 102; M2: 103, 104): each of the four pairs talks on 03-15, 05-15, 09-15,
  11-15 (16 talks); career M1—101 04-01; guidance M2—103 10-10
  → M1 c2 t8 career1 g0 due 8; M2 c2 t8 career0 g1 due 8; 乙 = 2, 4, 16, 1, 1, due 16;
  no flag.
丙学院 (hand-made, 统计期间 … 至 2027-09-30 → 3 quarters ended, no 约谈达标 column):
  P01 c3 t9 career1 g2 (due 9), P02 c2 t0 career0 g1 (due 6: no talk),
  P03 c2 t6 career2 g1 (due 6); 丙 = 3, 7, 15, 3, 4, due 21; its own 合计 says 14 talks.
Province (甲+乙+丙) = leaders 7, counselors 15, talks 36, career 5, guidance 8, due 53.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from planner.app.report import annual_report, write_report
from planner.io.province_files import write_identity_sheet
from planner.io.read import read_data
from planner.report import Layout, default_layout

CALENDAR = """cycle_start = 2027-03-01
[[semester]]
name = "2026-2027-2"
start = 2027-03-01
end = 2027-07-09
[[semester]]
name = "2027-2028-1"
start = 2027-09-01
end = 2028-01-19
"""
RECORDS_HEAD = "日期,领导工号,辅导员工号,形式,方式,类别,主要内容,反映问题,解决措施,办理状态\n"

JIA = {
    "leaders": "工号,姓名,职务,单位,教学单位负责人\nL1,甲院长,院长,,否\nL2,甲主任,系主任,机电系,是\n",
    "counselors": (
        "工号,姓名,单位,任辅导员日期\n001,甲一,机电系,2020-09-01\n002,甲二,机电系,2015-09-01\n"
        "003,甲三,信息系,2024-09-01\n004,甲四,信息系,2010-09-01\n"
    ),
    "records": RECORDS_HEAD
    + "2027-04-20,L1,003,定期约谈,面谈,,谈话,,,\n"
    + "2027-05-10,L1,004,定期约谈,面谈,,谈话,,,\n"
    + "2027-06-02,L1,003,工作指导,面谈,班会,参加班会,,,\n"
    + "2027-04-10,L2,001,定期约谈,面谈,,谈话,,,\n"
    + "2027-05-20,L2,002,定期约谈,面谈,,谈话,,,\n"
    + "2027-10-20,L2,002,定期约谈,面谈,,谈话,,,\n"
    + "2027-04-15,L2,001,规划发展,面谈,,规划,,,\n"
    + "2027-05-05,L2,001,工作指导,面谈,班会,参加班会,,,\n"
    + "2027-06-01,L2,002,工作指导,面谈,谈心,参加谈心,,,\n",
    "plan": "周期,领导工号,领导姓名,辅导员工号\n2027-2030,L1,甲院长,003\n2027-2030,L1,甲院长,004\n"
    "2027-2030,L2,甲主任,001\n2027-2030,L2,甲主任,002\n",
}

_YI_PAIRS = (("M1", "101"), ("M1", "102"), ("M2", "103"), ("M2", "104"))
YI = {
    "leaders": "工号,姓名,职务,单位,教学单位负责人\nM1,乙院长,院长,,否\nM2,乙主任,系主任,化工系,是\n",
    "counselors": (
        "工号,姓名,单位,任辅导员日期\n101,乙一,化工系,2020-09-01\n102,乙二,化工系,2015-09-01\n"
        "103,乙三,化工系,2024-09-01\n104,乙四,化工系,2010-09-01\n"
    ),
    "records": RECORDS_HEAD
    + "".join(
        f"2027-{md},{lid},{cid},定期约谈,面谈,,谈话,,,\n"
        for lid, cid in _YI_PAIRS
        for md in ("03-15", "05-15", "09-15", "11-15")
    )
    + "2027-04-01,M1,101,规划发展,面谈,,规划,,,\n"
    + "2027-10-10,M2,103,工作指导,面谈,班会,参加班会,,,\n",
    "plan": "周期,领导工号,领导姓名,辅导员工号\n"
    + "".join(f"2027-2030,{lid},,{cid}\n" for lid, cid in _YI_PAIRS),
}

BING_TITLE = "丙学院2027年领导干部直接联系服务辅导员工作年度汇总表"
BING_HEAD = [
    "序号",
    "领导姓名",
    "领导工号",
    "职务",
    "联系辅导员人数",
    "工作指导次数",
    "约谈次数",
    "规划发展次数",
]
BING_ROWS = [
    [1, "丙院长", "P01", "院长", 3, 2, 9, 1],
    [2, "丙书记", "P02", "党委书记", 2, 1, 0, 0],
    [3, "丙主任", "P03", "系主任", "2", "1", "6", "2"],
]


def _college(root: Path, spec: dict[str, str]) -> tuple[Path, Path]:
    data = root / "data"
    data.mkdir(parents=True)
    (data / "领导干部.csv").write_text(spec["leaders"], encoding="utf-8")
    (data / "辅导员.csv").write_text(spec["counselors"], encoding="utf-8")
    (data / "calendar.toml").write_text(CALENDAR, encoding="utf-8")
    (data / "联系记录.csv").write_text(spec["records"], encoding="utf-8")
    (root / "plan.csv").write_text(spec["plan"], encoding="utf-8-sig")
    return data, root / "plan.csv"


def real_report(root: Path, spec: dict[str, str], layout: Layout | None = None) -> Path:
    """``年度汇总表-2027.xlsx`` as ``planner report`` writes it for this DATA."""
    data, plan = _college(root, spec)
    out = root / "out"
    ds = read_data(data)
    rep = annual_report(ds, [plan], 2027, layout=layout)
    return write_report(out, rep, ds, documents=False)[0]


def make_hand_report(
    path: Path,
    title_rows: list[list[object]],
    head: list[str],
    rows: list[list[object]],
    *,
    sheet: str = "汇总",
) -> Path:
    """A 年度汇总表 typed by hand: title rows, a header row, data rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in title_rows:
        ws.append(r)
    ws.append(head)
    for r in rows:
        ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@pytest.fixture
def hand_report():
    """:func:`make_hand_report`, for tests that build their own workbooks."""
    return make_hand_report


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> dict[str, Path]:
    """Every input of the roll-up test, by a short name."""
    root = tmp_path_factory.mktemp("province")
    got: dict[str, Path] = {}

    jia = real_report(root / "甲", JIA)
    wb = load_workbook(jia)
    write_identity_sheet(
        wb,
        {
            "学院名称": "甲学院",
            "年度": "2027",
            "填报单位": "甲学院党委办公室",
            "填报人": "王办事",
            "联系电话": "0311-1234",
            "填报日期": "2028-01-10",
        },
    )
    wb.save(jia)
    got["jia"] = jia

    yi_layout = Layout("乙学院领导干部直接联系服务辅导员工作年度汇总表", default_layout().columns)
    got["yi"] = real_report(root / "乙", YI, yi_layout)

    got["bing"] = make_hand_report(
        root / "丙" / "丙学院年度汇总表.xlsx",
        [[BING_TITLE], ["统计期间:2027-01-01 至 2027-09-30"], []],
        BING_HEAD,
        [
            *BING_ROWS,
            [],
            ["合计", "", "", "", 7, 4, 14, 3],  # 14 talks: the rows add up to 15
            ["注:本表由学院办公室填报"],
        ],
    )
    got["ding_2026"] = make_hand_report(
        root / "丁" / "丁学院-年度汇总表-2026.xlsx",
        [["丁学院2026年领导干部直接联系服务辅导员工作年度汇总表"]],
        ["领导工号", "领导姓名", "联系辅导员人数", "约谈次数", "规划发展次数", "工作指导次数"],
        [["D1", "丁院长", 2, 8, 2, 2], ["合计", None, 2, 8, 2, 2]],
    )
    dup = root / "重复" / "年度汇总表-2027.xlsx"
    dup.parent.mkdir()
    shutil.copyfile(jia, dup)
    got["jia_again"] = dup
    roster = Workbook()
    roster.active.title = "辅导员"
    roster.active.append(["工号", "姓名"])
    roster.active.append(["001", "张一"])
    got["roster"] = root / "辅导员名册.xlsx"
    roster.save(got["roster"])
    return got
