"""The year-round duties in status, report and schedule (CONTRACT.md §10), on a tiny college.

Counselors 001, 002 (机电系) and 003, 004 (信息系); L1 contacts 003, 004 and L2 (系主任 of 机电系)
001, 002. Issues, worked by hand:

- Q1 2027-04-12, 001, 宿舍管理, closed 2027-04-15; deadline the 5th working day after
  (04-13, 14, 15, 16, 19) = 2027-04-19 → on time.
- Q2 2027-04-20, 003, 宿舍管理, open; deadline 04-27 (04-21, 22, 23, 26, 27). The 交流会 of
  2027-06-20 studies Q2 and records a decision, so Q2 is 已办结 on 06-20: late (超时办结).
- Q3 2027-05-10, 002, 经费, 办结时限 given 2027-06-15, closed 06-30 → late.
- 宿舍管理 is raised by counselors of two units (机电系, 信息系) → 普遍性 (common_issue_units =
  2); 经费 by one counselor of one unit → not.

Meetings 2027: 交流会 1 (06-20), 推进会 1 (10-15). Ratings 2027: L1 by 003 满意 and 004 基本满意
→ 2 raters, 满意率 50.0%; L2 by 001 and 002 满意 → 100.0%.
A guidance record by phone is listed as 不计入 (face to face only). The development plan of
002 with L2 (2027-04-01) does L2—002's 规划发展 (window 2027-03-01..08-31); no other pair has
one, so 规划发展达标 is 1/2 for L2 and 0/2 for L1 at year end.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.cli import app

runner = CliRunner()

FILES = {
    "领导干部.csv": "工号,姓名,职务,单位,教学单位负责人\nL1,甲院长,院长,,否\nL2,乙主任,系主任,机电系,是\n",
    "辅导员.csv": "工号,姓名,单位,任辅导员日期\n001,张一,机电系,2020-09-01\n002,张二,机电系,2015-09-01\n003,张三,信息系,2024-09-01\n004,张四,信息系,2010-09-01\n",
    "calendar.toml": 'cycle_start = 2027-03-01\n[[semester]]\nname = "2026-2027-2"\nstart = 2027-03-01\nend = 2027-07-09\n[[semester]]\nname = "2027-2028-1"\nstart = 2027-09-01\nend = 2028-01-19\n',
    "问题台账.csv": (
        "问题编号,反映日期,反映辅导员工号,受理领导工号,类别,问题描述,责任部门,需集体研究,办结时限,办理状态,办结日期\n"
        "Q1,2027-04-12,001,L2,宿舍管理,晚归,学生处,否,,已办结,2027-04-15\n"
        "Q2,2027-04-20,003,L1,宿舍管理,热水,后勤处,否,,待办,\n"
        "Q3,2027-05-10,002,L2,经费,活动经费,财务处,是,2027-06-15,已办结,2027-06-30\n"
    ),
    "会议记录.csv": (
        "日期,类型,名称,主持,参会领导工号,议定事项,研究问题编号\n"
        "2027-06-20,交流会,第一次交流会,甲院长,L1;L2,协调后勤处解决热水,Q2\n"
        "2027-10-15,推进会,推进会,甲院长,L1;L2,,\n"
    ),
    "评价.csv": "年度,辅导员工号,领导工号,评价,意见\n2027,003,L1,满意,\n2027,004,L1,基本满意,\n2027,001,L2,满意,\n2027,002,L2,满意,\n",
    "发展规划.csv": "辅导员工号,领导工号,日期,发展方向,三年目标,节点安排\n002,L2,2027-04-01,思政教育专家,主持院级课题1项,第一年完成培训\n",
    "联系记录.csv": (
        "日期,领导工号,辅导员工号,形式,方式,类别,主要内容\n"
        "2027-04-10,L2,001,定期约谈,面谈,,谈心\n"
        "2027-05-05,L2,001,工作指导,电话,班会,电话指导\n"
    ),
}
PLAN = "周期,领导工号,辅导员工号\n2027-2030,L1,003\n2027-2030,L1,004\n2027-2030,L2,001\n2027-2030,L2,002\n"


@pytest.fixture(scope="module")
def college(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("duties")
    data = root / "data"
    data.mkdir()
    for name, text in FILES.items():
        (data / name).write_text(text, encoding="utf-8")
    (root / "plan.csv").write_text(PLAN, encoding="utf-8-sig")
    return root


def _sheet(path: Path, name: str) -> list[dict[str, object]]:
    ws = load_workbook(path)[name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = [str(x) for x in rows[0]]
    return [dict(zip(head, r, strict=False)) for r in rows[1:] if r[0]]


def _sheet_at_header(path: Path, name: str) -> list[dict[str, object]]:
    ws = load_workbook(path)[name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    h = next(i for i, r in enumerate(rows) if "领导工号" in r)
    head = [str(x) for x in rows[h]]
    return [dict(zip(head, r, strict=False)) for r in rows[h + 1 :] if r[0]]


def test_report_issue_register_ratings_and_meetings(college: Path, tmp_path: Path):
    r = runner.invoke(
        app,
        [
            "report",
            str(college / "data"),
            "--plan",
            str(college / "plan.csv"),
            "--year",
            "2027",
            "--out",
            str(tmp_path),
            "--no-docs",
        ],
    )
    assert r.exit_code == 0, r.output
    book = tmp_path / "年度汇总表-2027.xlsx"
    issues = {row["问题编号"]: row for row in _sheet(book, "问题台账")}
    assert {k: (v["普遍性"], v["逾期"], v["办结时限"]) for k, v in issues.items()} == {
        "Q1": ("是", "否", "2027-04-19"),
        "Q2": ("是", "是", "2027-04-27"),
        "Q3": ("否", "是", "2027-06-15"),
    }
    assert issues["Q2"]["办理状态"] == "已办结" and issues["Q2"]["反映人数"] == 1
    ratings = {
        row["领导工号"]: row for row in _sheet(book, "评价") if str(row["领导工号"]).startswith("L")
    }
    assert (ratings["L1"]["评价人数"], ratings["L1"]["满意"], ratings["L1"]["基本满意"]) == (
        2,
        1,
        1,
    )
    assert ratings["L1"]["满意率"] == "50.0%" and ratings["L2"]["满意率"] == "100.0%"
    assert all(ratings[x]["评定等级"] for x in ("L1", "L2"))
    ws = load_workbook(book)["汇总"]
    above_header = ws.cell(3, 1).value  # title, sign line, period line
    assert above_header.endswith("2027年召开交流会 1 次、推进会 1 次、领导小组会议 0 次")
    assert "不计入" in r.output  # the phone guidance of 05-05
    summary = {row["领导工号"]: row for row in _sheet_at_header(book, "汇总")}
    assert (summary["L1"]["规划发展达标"], summary["L2"]["规划发展达标"]) == ("0/2", "1/2")
    assert summary["L2"]["规划发展次数"] == 0  # counted from the records only


def test_status_lists_overdue_issues_with_leader_and_department(college: Path, tmp_path: Path):
    sched = tmp_path / "s"
    r = runner.invoke(
        app,
        [
            "schedule",
            str(college / "data"),
            "--plan",
            str(college / "plan.csv"),
            "--out",
            str(sched),
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        [
            "status",
            str(college / "data"),
            "--plan",
            str(college / "plan.csv"),
            "--schedule",
            str(sched / "schedule.csv"),
            "--as-of",
            "2027-05-01",
            "--out",
            str(tmp_path),
        ],
    )
    assert r.exit_code == 0, r.output
    # As of 05-01: Q2 is past its deadline and not yet closed (the meeting is on 06-20).
    assert "Q2 宿舍管理 逾期未办结" in r.output and "后勤处" in r.output and "L1" in r.output
    assert "Q1" not in r.output.split("逾期问题")[1].split("\n")[1]
    overdue = _sheet(tmp_path / "status-2027-05-01.xlsx", "逾期问题")
    assert [row["问题编号"] for row in overdue] == ["Q2"]


def test_exchange_meeting_lists_common_issues_as_agenda(college: Path, tmp_path: Path):
    r = runner.invoke(
        app,
        [
            "schedule",
            str(college / "data"),
            "--plan",
            str(college / "plan.csv"),
            "--out",
            str(tmp_path),
        ],
    )
    assert r.exit_code == 0, r.output
    import csv

    rows = list(csv.DictReader((tmp_path / "schedule.csv").read_text("utf-8-sig").splitlines()))
    first = next(
        x for x in rows if x["形式"] == "工作交流会" and x["事项编号"].endswith("2026-2027-2")
    )
    day = first["日期"]
    note = first["说明"]
    if day >= "2027-04-20":
        assert "议题" in note and "Q1" in note and "Q2" in note and "Q3" not in note
    elif day >= "2027-04-12":
        assert "Q1" in note and "Q2" not in note
    # Q2 was closed by the 交流会 of 06-20: it is on no later semester's agenda.
    later = [x for x in rows if x["形式"] == "工作交流会" and x["日期"] > "2027-06-20"]
    assert later and all("Q2" not in x["说明"] for x in later)
    ics = (tmp_path / "schedule.ics").read_text("utf-8")
    assert ("Q1" in ics) == ("Q1" in note)
