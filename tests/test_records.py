"""Records, growth ledger and news: typing from reader rows, matching to the plans."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from planner.app.records import load_plan
from planner.io.read import read_table_file
from planner.records import (
    Growth,
    Ledger,
    PlanInForce,
    Record,
    cycle_bounds,
    match_ledger,
    research_items,
)

PLAN = PlanInForce("2027-2030", (("L1", "C2"), ("L2", "C1")), date(2027, 3, 1), date(2030, 2, 28))


@pytest.fixture
def problem(build):
    # L1 college-level, L2 heads unit A; C1 in A, C2 in B; C3 on the roster but unpaired.
    return build([("L1", "", False), ("L2", "A", True)], [("C1", "A"), ("C2", "B"), ("C3", "B")])


def rec(day: str, lid: str, cid: str, form: str = "talk", mode: str = "in_person", **kw) -> Record:
    return Record(date.fromisoformat(day), lid, cid, form, mode, **kw)


def test_records_from_reader_rows(tmp_path: Path):
    f = tmp_path / "联系记录.csv"
    f.write_text(
        "日期,领导工号,辅导员工号,形式,方式,类别,主要内容,反映问题,解决措施,办理状态\n"
        "2027年4月6日,L1,007,约谈,电话,,了解情况,无,,无需办理\n"
        "2027/6/29,L2,,工作交流会,,,交流会发言,经费紧张,已协调,已办结\n",
        encoding="utf-8",
    )
    ledger = Ledger.from_tables({"records": read_table_file(f, "records")})
    a, b = ledger.records
    assert (a.date, a.counselor_id, a.form, a.mode) == (date(2027, 4, 6), "007", "talk", "phone")
    assert not a.in_person and not a.has_issue  # 无 is not an issue
    assert (b.form, b.mode, b.counselor_id) == ("exchange", "in_person", "")  # 面谈 by default
    assert b.has_issue and b.resolved
    assert (a.row, a.file) == (2, "联系记录.csv")


def test_issue_and_resolution_words():
    assert rec("2027-04-01", "L1", "C2", issues_raised="宿舍问题", status="办理中").has_issue
    assert not rec("2027-04-01", "L1", "C2", issues_raised="宿舍问题", status="办理中").resolved
    assert rec("2027-04-01", "L1", "C2", issues_raised="宿舍问题", status="已解决").resolved
    assert not rec("2027-04-01", "L1", "C2", issues_raised="暂无", status="已办结").resolved


@pytest.mark.parametrize(
    ("kind", "level", "role", "status", "counts"),
    [
        ("project", "college", "lead", "已结项", True),  # led and completed
        ("project", "national", "member", "已结项", True),  # joined and completed
        ("project", "provincial", "lead", "在研", False),  # not completed yet
        ("project", None, "lead", "已结项", False),  # level unknown: not 院级-or-higher
        ("paper", None, None, "已发表", True),
        ("paper", None, None, "已录用", False),  # accepted is not published
        ("title", None, None, "已评聘", False),  # titles are growth, not research
    ],
)
def test_research_target_counts_completed_items_only(kind, level, role, status, counts):
    g = Growth("C1", kind, level=level, role=role, status=status)
    assert g.completed_research is counts


def test_research_items_inside_the_cycle():
    done = Growth("C1", "paper", status="已发表", date=date(2027, 5, 1))
    early = Growth("C1", "paper", status="已发表", date=date(2026, 5, 1))  # before the cycle
    undated = Growth("C1", "project", level="college", status="已结项")
    other = Growth("C2", "paper", status="已发表", date=date(2027, 5, 1))
    got = research_items([done, early, undated, other], "C1", date(2027, 3, 1), date(2030, 2, 28))
    assert got == [done, undated]


def test_matching_counts_planned_pairs_and_reports_the_rest(problem):
    ledger = Ledger(
        records=(
            rec("2027-04-01", "L1", "C2"),  # counted
            rec("2027-04-02", "L1", "C1"),  # pair in no plan
            rec("2027-04-03", "L9", "C1"),  # unknown leader
            rec("2027-04-04", "L2", "C9"),  # unknown counselor
            rec("2027-04-05", "L2", "", "talk"),  # a talk needs a counselor
            rec("2027-04-06", "L2", "", "exchange"),  # a meeting does not
        ),
        growth=(
            Growth("C1", "paper", leader_id="L2", status="已发表"),  # counted, credited to L2
            Growth("C2", "paper", leader_id="L2", status="已发表"),  # C2 is not L2's: withheld
            Growth("C9", "paper", status="已发表"),  # unknown counselor
        ),
    )
    m = match_ledger(ledger, problem, [PLAN])
    assert [r.date.day for r in m.records] == [1, 6]
    reasons = [e.reason_zh for e in m.excluded]
    assert sum(e.table == "records" for e in m.excluded) == 4
    assert "结对 L1—C1 不在所给的联系对应表中" in reasons
    assert "领导工号 L9 不在领导干部名单中" in reasons
    assert "辅导员工号 C9 不在辅导员名单中" in reasons
    assert "缺少辅导员工号" in reasons
    # The counselor keeps their achievement; the leader gets no credit for it.
    assert [(g.counselor_id, g.leader_id) for g in m.growth] == [("C1", "L2"), ("C2", "")]
    assert sum(e.table == "growth" for e in m.excluded) == 2


def test_excluded_rows_name_form_and_kind_in_the_language(problem):
    ledger = Ledger(
        records=(rec("2027-04-02", "L1", "C1", "career", "phone"),),
        growth=(Growth("C9", "project", status="已结项"), Growth("C9", "paper", title="论文甲")),
    )
    rows = match_ledger(ledger, problem, [PLAN]).excluded
    assert [e.what_text("zh") for e in rows] == ["规划发展", "科研项目", "论文甲"]
    assert [e.what_text("en") for e in rows] == ["career", "project", "论文甲"]
    assert "L1/C1 career)" in rows[0].render("en") and "规划发展" in rows[0].render("zh")


def test_news_naming_an_unknown_leader_is_reported(problem):
    from planner.records import News

    ledger = Ledger(
        news=(News("好消息", date(2027, 5, 1), ("L1", "L9")), News("另一条", None, ("L2",)))
    )
    m = match_ledger(ledger, problem, [PLAN])
    assert [n.title for n in m.news] == ["另一条"]
    assert m.excluded[0].table == "news" and "L9" in m.excluded[0].reason_zh
    assert "新闻报送" not in m.excluded[0].render("zh")  # names the file, not the table
    assert m.excluded[0].render("en").endswith("not on the roster")


def test_cycle_bounds(problem):
    p = problem.replace(cycle_start=date(2027, 3, 1))
    assert cycle_bounds("2027-2030", p) == (date(2027, 3, 1), date(2030, 2, 28), 3)
    # An earlier cycle starts on the same day of its own first year.
    assert cycle_bounds("2024-2027", p) == (date(2024, 3, 1), date(2027, 2, 28), 3)
    # No known start: 1 September.
    assert cycle_bounds("2024-2027", problem) == (date(2024, 9, 1), date(2027, 8, 31), 3)


def test_load_plan_keeps_names_of_people_who_left(problem, tmp_path: Path):
    f = tmp_path / "plan.csv"
    f.write_text(
        "\ufeff周期,领导工号,领导姓名,辅导员工号,辅导员姓名\n"
        "2024-2027,L1,甲,C2,乙\n2024-2027,L099,退休者,C1,丙\n",
        encoding="utf-8",
    )
    p = load_plan(tmp_path, problem, date(2027, 3, 1))
    assert p.cycle == "2024-2027" and p.start == date(2024, 3, 1)
    assert p.pairs == (("L1", "C2"), ("L099", "C1"))
    assert p.names["L099"] == "退休者" and p.source == "plan.csv"


def test_demo_ledger_reads():
    from planner.io.read import read_data

    ds = read_data(Path(__file__).resolve().parents[1] / "scenarios" / "demo")
    ledger = Ledger.from_tables(ds.tables)
    # scripts/demo_year.py: 76 pairs × 4 quarters − 3 talks not held = 301 talks; 76 − 1
    # career sessions; 36 + 36 + 38 leaders at the two 交流会 and the 推进会 = 110.
    forms = Counter(r.form for r in ledger.records)
    assert forms["talk"] == 301 and forms["career"] == 75 and forms["exchange"] == 110
    assert len(ledger.records) == 646 and len(ledger.growth) == 14 and len(ledger.news) == 7
    assert {r.form for r in ledger.records} >= {"talk", "career", "guidance", "exchange"}
    # 院级+ projects 已结项: 00005, 00022, 00035; papers 已发表: 00009, 00031, 00039.
    assert sum(g.completed_research for g in ledger.growth) == 6
