"""Meetings held, semesters short of meetings, issues closed by a meeting; development plans."""

from __future__ import annotations

from datetime import date

from models import Stage
from planner.duties import (
    CareerStatus,
    DevPlan,
    Issue,
    Meeting,
    career_item,
    closures,
    meetings_from_rows,
    meetings_per_kind,
    plan_lacks,
    plan_tier,
    short_semesters,
    with_closures,
)

SEMESTERS = [
    ("2026-2027-2", date(2027, 3, 1), date(2027, 7, 9)),
    ("2027-2028-1", date(2027, 9, 1), date(2028, 1, 19)),
]


def _m(day: date, kind: str, **kw) -> Meeting:
    return Meeting(date=day, kind=kind, **kw)


def test_meetings_per_kind_count_meetings_not_attendance():
    rows = [
        {"date": date(2027, 4, 20), "kind": "exchange", "leader_ids": ("L1", "L2", "L3")},
        {"date": date(2027, 6, 1), "kind": "progress", "leader_ids": ("L1",)},
        {"date": date(2027, 11, 5), "kind": "exchange"},
        {"date": date(2028, 3, 1), "kind": "exchange"},  # another year
        {"date": None, "kind": "group"},  # the reader reported the blank date
    ]
    ms = meetings_from_rows(rows)
    # 2027: two 交流会 (one with 3 leaders is still one meeting), one 推进会, no 领导小组会议.
    assert meetings_per_kind(ms, 2027) == {"exchange": 2, "progress": 1, "group": 0}


def test_short_semesters():
    ms = [_m(date(2027, 4, 20), "group"), _m(date(2027, 10, 9), "progress")]
    # Spring 2027: only a 领导小组会议, which does not count -> 0 < 1.
    # Autumn 2027: a 推进会 -> 1, enough.
    short = short_semesters(ms, SEMESTERS, 1)
    assert [(s.name, s.held, s.required, s.ended) for s in short] == [("2026-2027-2", 0, 1, True)]
    # Two required: both short. As of 2027-10-01 the autumn 推进会 is not held yet and
    # the semester is under way.
    short = short_semesters(ms, SEMESTERS, 2, as_of=date(2027, 10, 1))
    assert [(s.name, s.held, s.ended) for s in short] == [
        ("2026-2027-2", 0, True),
        ("2027-2028-1", 0, False),
    ]
    assert "尚未结束" in short[1].text()
    assert short_semesters(ms, SEMESTERS, 1, as_of=date(2027, 8, 1))[0].name == "2026-2027-2"


def test_meeting_closes_issues_without_overriding_a_closed_date():
    issues = [
        Issue("Q1", date(2027, 4, 1)),
        Issue("Q2", date(2027, 4, 1), status="closed", closed=date(2027, 4, 10)),
        Issue("Q3", date(2027, 4, 1)),
        Issue("Q4", date(2027, 5, 1)),
        Issue("Q5", date(2027, 4, 1), status="closed"),  # 已办结 without a date
    ]
    ms = [
        # Studied Q3 without deciding: Q3 stays open.
        _m(date(2027, 4, 15), "group", issue_ids=("Q3",)),
        # Decided Q1, Q2 (already closed 4-10: kept), Q4 (raised 5-1, after this meeting:
        # kept open), Q5 (gets the date), Q9 (unknown).
        _m(
            date(2027, 4, 20),
            "exchange",
            decisions="协调学生处增加培训名额",
            issue_ids=("Q1", "Q2", "Q4", "Q5", "Q9"),
            file="会议记录.csv",
            row=2,
        ),
        # A later meeting deciding Q1 again does not move its date.
        _m(date(2027, 6, 1), "progress", decisions="复核", issue_ids=("Q1", "Q4")),
    ]
    found, problems = closures(ms, issues)
    assert [(c.issue_id, c.date) for c in found] == [
        ("Q1", date(2027, 4, 20)),
        ("Q5", date(2027, 4, 20)),
        ("Q4", date(2027, 6, 1)),
    ]
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("会议记录.csv", 2, "研究问题编号", "Q9")
    ]
    after = {i.issue_id: i for i in with_closures(issues, {c.issue_id: c.date for c in found})}
    assert (after["Q1"].status, after["Q1"].closed) == ("closed", date(2027, 4, 20))
    assert after["Q2"].closed == date(2027, 4, 10)
    assert (after["Q3"].status, after["Q3"].closed) == ("pending", None)


# ----- development plans ------------------------------------------------------------------
def test_tier_from_start_date():
    on = date(2027, 3, 1)
    assert plan_tier(date(2024, 3, 2), on) == Stage.NEW  # 2 years 364 days
    assert plan_tier(date(2024, 3, 1), on) == Stage.CORE  # exactly 3 years
    assert plan_tier(date(2019, 3, 2), on) == Stage.CORE  # 7 years 364 days
    assert plan_tier(date(2019, 3, 1), on) == Stage.SENIOR
    assert plan_tier(None, on) == Stage.UNKNOWN


def _plan(**kw) -> DevPlan:
    base = dict(
        counselor_id="c1",
        leader_id="L1",
        date=date(2027, 4, 10),
        direction="心理健康教育",
        goals="取得心理咨询师证书",
    )
    base.update(kw)
    return DevPlan(**base)


def test_plan_lacks_by_tier():
    codes = lambda p, t: [x.code for x in plan_lacks(p, t)]  # noqa: E731
    assert codes(_plan(direction="", goals=""), Stage.CORE) == ["direction", "goals", "milestones"]
    # 新任: a first-year milestone, by a word or by a month within twelve months.
    assert codes(_plan(milestones="三年内完成"), Stage.NEW) == ["first_year"]
    assert codes(_plan(milestones="第一年:完成岗前培训"), Stage.NEW) == []
    assert codes(_plan(milestones="2028年3月前取得证书"), Stage.NEW) == []  # 11 months on
    assert codes(_plan(milestones="2028年5月前取得证书"), Stage.NEW) == ["first_year"]  # 13
    assert codes(_plan(milestones="2027-12 完成培训"), Stage.NEW) == []
    # 骨干: some milestones.
    assert codes(_plan(milestones="2028 年申报校级课题"), Stage.CORE) == []
    # 资深: an expert-track goal.
    assert codes(_plan(), Stage.SENIOR) == ["expert_track"]
    assert codes(_plan(goals="建设辅导员工作室,主持省级课题"), Stage.SENIOR) == []
    assert codes(_plan(), Stage.UNKNOWN) == ["tier_unknown"]


def test_career_item_done_by_plan_or_record_in_window():
    w0, w1 = date(2027, 3, 1), date(2027, 8, 31)
    in_window = _plan(date=date(2027, 5, 1), milestones="第一年:完成岗前培训")
    rec = {"date": date(2027, 4, 1), "leader_id": "L1", "counselor_id": "c1", "form": "career"}
    talk = {"date": date(2027, 4, 1), "leader_id": "L1", "counselor_id": "c1", "form": "talk"}
    # A plan in the window: done by the plan, no lacks for a 新任 with a first-year step.
    got = career_item("L1", "c1", w0, w1, [in_window], [rec], Stage.NEW)
    assert (got.status, got.done_on, got.lacks) == (CareerStatus.DONE_PLAN, date(2027, 5, 1), ())
    # Only a 规划发展 record: done, but the written plan is missing.
    got = career_item("L1", "c1", w0, w1, [], [rec, talk], Stage.NEW)
    assert (got.status, got.done_on) == (CareerStatus.DONE_RECORD, date(2027, 4, 1))
    assert [x.code for x in got.lacks] == ["no_plan"]
    # A talk does not count; another pair's plan does not either.
    got = career_item("L1", "c1", w0, w1, [_plan(leader_id="L2")], [talk])
    assert (got.status, got.done, got.lacks) == (CareerStatus.MISSING, False, ())
    # A plan after the window: late; its content is still checked.
    late = _plan(date=date(2027, 9, 15))
    got = career_item("L1", "c1", w0, w1, [late], [], Stage.SENIOR)
    assert (got.status, got.done, got.done_on) == (CareerStatus.LATE, False, date(2027, 9, 15))
    assert [x.code for x in got.lacks] == ["expert_track"]
    # An undated plan cannot show the window.
    got = career_item("L1", "c1", w0, w1, [_plan(date=None)], [])
    assert got.status == CareerStatus.UNDATED_PLAN and not got.done
