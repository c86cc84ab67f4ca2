"""问题台账: deadlines, 逾期 vs 超时办结, 普遍性, agenda, record links — worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from models import Settings
from planner.duties import (
    Issue,
    Timeliness,
    add_working_days,
    agenda_lines,
    assess_issues,
    common_categories,
    deadline,
    deadline_detail,
    exchange_agenda,
    issue_problems,
    issues_from_rows,
    link_records,
    overdue_by_leader,
    timeliness,
)
from planner.workdays.official import Source, WorkdayProvider

S = Settings()  # issue_answer_days 5, issue_study_days 15, thresholds 3 counselors / 2 units


def _issue(iid: str = "Q1", day: date = date(2025, 9, 28), **kw) -> Issue:
    return Issue(issue_id=iid, date=day, **kw)


# ----- deadlines on the published 2025 calendar ---------------------------------------
# 2025 国庆+中秋: Oct 1-8 off; make-up workdays Sun Sep 28 and Sat Oct 11 (国务院 2024-11).
OFFICIAL = WorkdayProvider()


def test_deadline_raised_on_the_makeup_sunday():
    # Raised Sun 2025-09-28 (itself a make-up workday, but the raising day is not counted):
    # Mon 9-29 (1), Tue 9-30 (2), Oct 1-8 holiday, Thu 10-9 (3), Fri 10-10 (4),
    # Sat 10-11 make-up workday (5) -> 2025-10-11.
    assert deadline(_issue(), S, OFFICIAL.is_working) == date(2025, 10, 11)


def test_deadline_counts_the_makeup_sunday():
    # Raised Fri 2025-09-26: Sat 9-27 off, Sun 9-28 make-up (1), 9-29 (2), 9-30 (3),
    # 10-9 (4), 10-10 (5) -> 2025-10-10. A plain Mon-Fri count would give 10-13.
    i = _issue(day=date(2025, 9, 26))
    assert deadline(i, S, OFFICIAL.is_working) == date(2025, 10, 10)


def test_deadline_skips_the_college_closed_day():
    # Same issue, the college closes Fri 2025-10-10 (校运动会): 9-28 (1), 9-29 (2),
    # 9-30 (3), 10-9 (4), Sat 10-11 make-up (5) -> 2025-10-11.
    closed = WorkdayProvider(closed=[date(2025, 10, 10)])
    i = _issue(day=date(2025, 9, 26))
    assert deadline(i, S, closed.is_working) == date(2025, 10, 11)


def test_deadline_needs_study_takes_fifteen_working_days():
    # From Sun 9-28: 9-29 (1), 9-30 (2), 10-9 (3), 10-10 (4), Sat 10-11 (5),
    # Mon-Fri 10-13..17 (6-10), Mon-Fri 10-20..24 (11-15) -> 2025-10-24.
    i = _issue(needs_study=True)
    got = deadline_detail(i, S, OFFICIAL.is_working)
    assert got.date == date(2025, 10, 24)
    assert (got.given, got.working_days, got.estimated) == (False, 15, False)


def test_given_deadline_wins_and_settings_change_the_count():
    i = _issue(deadline=date(2025, 9, 30))
    assert deadline_detail(i, S, OFFICIAL.is_working).given
    assert deadline(i, S, OFFICIAL.is_working) == date(2025, 9, 30)
    # issue_answer_days = 2: 9-29, 9-30 -> 9-30.
    assert deadline(_issue(), Settings(issue_answer_days=2), OFFICIAL.is_working) == date(
        2025, 9, 30
    )


def test_deadline_on_an_estimated_year_is_marked():
    # 2099 has no published schedule: the provider estimates it, so the deadline is marked.
    p = WorkdayProvider()
    est = lambda d: p.source(d) == Source.ESTIMATED  # noqa: E731
    assert deadline_detail(_issue(day=date(2099, 3, 2)), S, p.is_working, est).estimated
    assert not deadline_detail(_issue(), S, p.is_working, est).estimated


def test_add_working_days_edges():
    always = lambda d: True  # noqa: E731
    assert add_working_days(date(2025, 1, 1), 0, always) == date(2025, 1, 1)
    assert add_working_days(date(2025, 1, 1), 3, always) == date(2025, 1, 4)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 1), 1, lambda d: False)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 1), -1, always)


# ----- overdue vs late-closed ----------------------------------------------------------
def test_overdue_open_late_closed_and_on_time():
    due = date(2025, 10, 11)
    open_ = _issue(status="in_progress")
    assert timeliness(open_, due, date(2025, 10, 11)) == Timeliness.OPEN  # on the day: not late
    assert timeliness(open_, due, date(2025, 10, 13)) == Timeliness.OVERDUE
    late = _issue(status="closed", closed=date(2025, 10, 14))
    assert timeliness(late, due, date(2025, 12, 31)) == Timeliness.LATE_CLOSED
    assert Timeliness.LATE_CLOSED.overdue and Timeliness.OVERDUE.overdue
    # As of 10-13 it was not closed yet (closed 10-14), and 10-13 is past the deadline.
    assert timeliness(late, due, date(2025, 10, 13)) == Timeliness.OVERDUE
    on_day = _issue(status="closed", closed=due)
    assert timeliness(on_day, due, date(2025, 12, 31)) == Timeliness.ON_TIME
    deferred = _issue(status="deferred")  # 暂缓 is not 已办结
    assert timeliness(deferred, due, date(2025, 12, 31)) == Timeliness.OVERDUE


def test_rows_blank_status_and_problems():
    rows = [
        # blank status + closing date -> 已办结
        {"issue_id": "Q1", "date": date(2025, 9, 28), "closed": date(2025, 10, 9), "_row": 2},
        {"issue_id": "Q2", "date": date(2025, 9, 28), "status": "closed", "_row": 3},
        {"issue_id": "Q1", "date": date(2025, 9, 29), "_row": 4, "counselor_ids": ("c9",)},
        {"issue_id": "", "date": date(2025, 9, 29), "_row": 5},  # reader reported it
    ]
    issues = issues_from_rows(rows)
    assert [(i.issue_id, i.row, i.status) for i in issues] == [
        ("Q1", 2, "closed"),
        ("Q2", 3, "closed"),
        ("Q1", 4, "pending"),
    ]
    probs = issue_problems(issues, known_counselors={"c1"})
    assert [(p.row, p.column, p.value) for p in probs] == [
        (3, "办结日期", None),  # 已办结 without a date
        (4, "问题编号", "Q1"),  # used twice
        (4, "反映辅导员工号", "c9"),
    ]


# ----- 普遍性 -------------------------------------------------------------------------
UNITS = {"c1": "机电", "c2": "机电", "c3": "机电", "c4": "信息", "c5": "信息"}


def _raised(iid: str, category: str, who: tuple[str, ...], day: date = date(2027, 4, 1)):
    return _issue(iid, day, category=category, counselor_ids=who)


def test_common_by_counselors_and_by_units():
    issues = [
        # 宿舍: c1, c2, c3 -> 3 counselors (one unit): 普遍性 by counselors.
        _raised("A1", "宿舍管理", ("c1",)),
        _raised("A2", "宿舍管理", ("c2", "c3")),
        # 培训: c1 (机电) and c4 (信息): 2 counselors, 2 units -> 普遍性 by units.
        _raised("B1", "培训", ("c1",)),
        _raised("B2", "培 训", ("c4",)),  # a stray space is the same category
        # 经费: c4, c5 both 信息: 2 counselors, 1 unit -> not 普遍性.
        _raised("C1", "经费", ("c4", "c5")),
        # 宿舍 in 2028 only c1 -> not 普遍性 that year (years are separate).
        _raised("A3", "宿舍管理", ("c1",), date(2028, 3, 1)),
        # No category: never pooled, even with five counselors.
        _raised("D1", "", ("c1", "c2", "c3", "c4", "c5")),
    ]
    common = common_categories(issues, S, UNITS)
    assert sorted(common) == [(2027, "培训"), (2027, "宿舍管理")]
    dorm = common[(2027, "宿舍管理")]
    assert (dorm.counselors, dorm.units, dorm.by_counselors, dorm.by_units) == (
        ("c1", "c2", "c3"),
        ("机电",),
        True,
        False,
    )
    train = common[(2027, "培训")]
    assert (train.by_counselors, train.by_units, train.units) == (False, True, ("信息", "机电"))
    assert "3 名辅导员" in dorm.reason()
    # Raise the unit threshold to 3: 培训 falls out; 宿舍 stays (by counselors).
    assert sorted(common_categories(issues, Settings(common_issue_units=3), UNITS)) == [
        (2027, "宿舍管理")
    ]
    # A counselor missing from the unit map still counts as a counselor.
    more = [*issues, _raised("C2", "经费", ("c9",))]
    assert (2027, "经费") in common_categories(more, S, UNITS)


def test_assess_issues_marks_common_overdue_and_counts_by_leader():
    issues = [
        _issue("Q1", date(2025, 9, 28), leader_id="L1", category="宿舍", counselor_ids=("c1",)),
        _issue("Q2", date(2025, 9, 28), leader_id="L1", category="宿舍", counselor_ids=("c2",)),
        _issue(
            "Q3",
            date(2025, 9, 28),
            leader_id="L2",
            category="宿舍",
            counselor_ids=("c3",),
            status="closed",
            closed=date(2025, 10, 10),
        ),
        # 培训: c1 (机电) in September, c4 (信息) in December -> 2 units, but only from 12-01.
        _issue("Q4", date(2025, 12, 1), leader_id="L2", category="培训", counselor_ids=("c4",)),
        _issue("Q5", date(2025, 9, 28), leader_id="L2", category="培训", counselor_ids=("c1",)),
    ]
    states = assess_issues(issues, S, OFFICIAL.is_working, date(2025, 10, 20), UNITS)
    # Deadline 2025-10-11 (see above). Q1, Q2 open on 10-20 -> overdue; Q3 closed 10-10 on time.
    # Q4 is raised after 10-20: listed, open; its deadline Tue 12-02 (1) .. Fri 12-05 (4),
    # Mon 12-08 (5). As of 10-20 培训 has one counselor, one unit: not 普遍性 yet.
    assert [(s.issue.issue_id, s.deadline.date, s.timeliness, s.is_common) for s in states] == [
        ("Q1", date(2025, 10, 11), Timeliness.OVERDUE, True),
        ("Q2", date(2025, 10, 11), Timeliness.OVERDUE, True),
        ("Q3", date(2025, 10, 11), Timeliness.ON_TIME, True),
        ("Q5", date(2025, 10, 11), Timeliness.OVERDUE, False),
        ("Q4", date(2025, 12, 8), Timeliness.OPEN, False),
    ]
    # As of 12-31 the December issue makes 培训 普遍性 (two units), Q5 included; Q4 overdue.
    year_end = assess_issues(issues, S, OFFICIAL.is_working, date(2025, 12, 31), UNITS)
    assert [(s.issue.issue_id, s.is_common, s.overdue) for s in year_end][3:] == [
        ("Q5", True, True),
        ("Q4", True, True),
    ]
    assert overdue_by_leader(year_end) == {"L1": 2, "L2": 2}
    assert overdue_by_leader(states) == {"L1": 2, "L2": 1}  # Q5 overdue on 10-20


# ----- agenda ------------------------------------------------------------------------
def test_exchange_agenda_of_a_semester():
    dorm = dict(category="宿舍管理")
    issues = [
        _issue(
            "A1",
            date(2027, 3, 10),
            counselor_ids=("c1",),
            status="closed",
            **dorm,
            closed=date(2027, 4, 1),
        ),  # settled last term: not on the agenda
        _issue("A2", date(2027, 7, 20), counselor_ids=("c2",), summary="暑期查寝", **dorm),
        _issue("A3", date(2027, 10, 10), counselor_ids=("c3",), department="学生处", **dorm),
        _issue("C1", date(2027, 10, 1), category="经费", counselor_ids=("c4",)),  # not 普遍性
    ]
    start, end = date(2027, 9, 1), date(2028, 1, 15)
    agenda = exchange_agenda(issues, S, UNITS, start, end)
    # A2 was raised in the summer and still open on 9-1; A3 raised in the semester.
    assert [i.issue_id for i in agenda] == ["A2", "A3"]
    # A meeting on 10-01 cannot discuss A3 (raised 10-10).
    assert [
        i.issue_id for i in exchange_agenda(issues, S, UNITS, start, end, date(2027, 10, 1))
    ] == ["A2"]
    assert agenda_lines(agenda) == [
        "【宿舍管理】A2 暑期查寝(1 人反映)",
        "【宿舍管理】A3(1 人反映,责任部门 学生处)",
    ]


# ----- records naming issues -------------------------------------------------------------
def test_records_linked_to_issues_and_unknown_ids():
    issues = [_issue("Q1"), _issue("Q2"), _issue("Q3")]
    records = [
        {
            "date": date(2025, 10, 2),
            "leader_id": "L1",
            "counselor_id": "c1",
            "form": "talk",
            "issue_ids": ("Q2", "Q1"),
            "_file": "联系记录.csv",
            "_row": 2,
        },
        {
            "date": date(2025, 9, 29),
            "leader_id": "L2",
            "counselor_id": "c2",
            "form": "talk",
            "issue_ids": "Q1、Q9",
            "_file": "联系记录.csv",
            "_row": 3,
        },
        {
            "date": date(2025, 9, 30),
            "leader_id": "L2",
            "counselor_id": "c2",
            "form": "talk",
            "_file": "联系记录.csv",
            "_row": 4,
        },
    ]
    links = link_records(records, issues)
    assert [r.row for r in links.by_issue["Q1"]] == [3, 2]  # by date: 9-29 before 10-02
    assert [r.row for r in links.by_issue["Q2"]] == [2]
    assert links.by_issue["Q3"] == ()
    assert [(p.row, p.column, p.value) for p in links.unknown] == [(3, "问题编号", "Q9")]
