"""The four new tables and the new settings arrive through planner.io.read.read_data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planner.duties import (
    issues_from_rows,
    meetings_from_rows,
    plans_from_rows,
    ratings_from_rows,
)
from planner.errors import InputError
from planner.io.read import read_data

FILES = {
    "领导干部.csv": "工号,姓名,单位\nL1,甲,\nL2,乙,\n",
    "辅导员.csv": "工号,姓名,单位,任辅导员日期\nc1,丙,机电,2020-09-01\nc2,丁,信息,2025-09-01\n",
    "settings.toml": "issue_answer_days = 7\ncommon_issue_units = 3\n",
    "问题台账.csv": (
        "问题编号,反映日期,反映辅导员工号,受理领导工号,类别,问题描述,责任部门,需集体研究,办结时限,"
        "办理状态,办结日期,解决方案,反馈辅导员日期,辅导员评价\n"
        "Q1,2027/4/6,c1;c2,L1,培训,希望增加外出培训机会,人事处,是,,办理中,,,,\n"
        "Q2,2027年4月8日,c1、c2,L2,宿舍,查寝压力大,学生处,否,2027-04-20,已解决,2027-04-18,联合检查,"
        "2027-04-19,满意\n"
    ),
    "会议记录.csv": (
        "日期,类型,名称,主持,参会领导工号,议定事项,研究问题编号\n"
        "2027-04-20,工作交流会,春季交流会,院长,L1;L2,增加培训名额,Q1\n"
    ),
    "发展规划.csv": (
        "辅导员工号,领导工号,日期,发展方向,三年目标,节点安排\n"
        "c2,L1,2027-04-10,就业指导,取得职业指导师证书,第一年:完成培训\n"
    ),
    "评价.csv": "年度,辅导员工号,领导工号,评价,意见\n2027,c1,L1,满意,\n2027年,c2,L1,比较满意,多来几次\n",
    "联系记录.csv": (
        "日期,领导工号,辅导员工号,形式,问题编号,典型案例\n2027-04-06,L1,c1,定期约谈,Q1;Q2,是\n"
    ),
}


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_new_tables_and_settings_are_read(tmp_path: Path):
    data = read_data(_folder(tmp_path, FILES))
    s = data.problem.settings
    assert (s.issue_answer_days, s.issue_study_days, s.common_issue_counselors) == (7, 15, 3)
    assert s.common_issue_units == 3
    assert {"issues", "meetings", "development_plans", "ratings", "records"} <= set(data.tables)
    issues = issues_from_rows(data.tables["issues"])
    q1, q2 = issues
    assert (q1.counselor_ids, q1.needs_study, q1.status, q1.date) == (
        ("c1", "c2"),
        True,
        "in_progress",
        date(2027, 4, 6),
    )
    assert (q2.status, q2.closed, q2.deadline, q2.feedback, q2.row) == (
        "closed",  # 已解决 is an alias of 已办结
        date(2027, 4, 18),
        date(2027, 4, 20),
        date(2027, 4, 19),
        3,
    )
    (m,) = meetings_from_rows(data.tables["meetings"])
    assert (m.kind, m.leader_ids, m.issue_ids) == ("exchange", ("L1", "L2"), ("Q1",))
    (p,) = plans_from_rows(data.tables["development_plans"])
    assert (p.pair, p.direction) == (("L1", "c2"), "就业指导")
    ratings = ratings_from_rows(data.tables["ratings"])
    assert [(r.year, r.rating) for r in ratings] == [(2027, "satisfied"), (2027, "fair")]
    rec = data.tables["records"][0]
    assert (rec["issue_ids"], rec["typical"]) == (("Q1", "Q2"), True)


def test_bad_cells_in_new_tables_name_file_row_column(tmp_path: Path):
    files = dict(FILES)
    files["评价.csv"] = "年度,辅导员工号,领导工号,评价\n2027,c1,L1,还行\n"
    files["问题台账.csv"] = "问题编号,反映日期,办理状态\nQ1,2027-02-30,待办\n"
    with pytest.raises(InputError) as err:
        read_data(_folder(tmp_path, files))
    where = sorted((p.file, p.row, p.column, p.value) for p in err.value.problems)
    assert where == [("评价.csv", 2, "评价", "还行"), ("问题台账.csv", 2, "反映日期", "2027-02-30")]
