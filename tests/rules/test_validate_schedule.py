"""The independent schedule validator: a satisfied and a hand-broken case per rule.

The base schedule is built by the scheduler on the 2025-09-01 one-year cycle (official
calendar) and must validate clean; each test then breaks one rule by hand.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from models import Form, Pair, Plan, ScheduleItem, Status
from planner.rules.validate_schedule import validate_schedule
from planner.scheduling.builder import build_schedule
from planner.workdays.school_year import CalendarConfig, Semester

CYCLE = "2025-2026"
CONFIG = CalendarConfig(
    cycle_start=date(2025, 9, 1),
    cycle_years=1,
    semesters=(
        Semester("2025-2026-1", date(2025, 9, 1), date(2026, 1, 16)),
        Semester("2025-2026-2", date(2026, 3, 2), date(2026, 7, 10)),
    ),
)
PAIRS = [("L1", "c1"), ("L1", "c2"), ("L2", "c2"), ("L2", "c3")]
PLAN = Plan(cycle=CYCLE, pairs=tuple(Pair(leader_id=a, counselor_id=b) for a, b in PAIRS))
SATURDAY = date(2025, 10, 18)
EVENTS = [{"counselor_id": "c1", "date": SATURDAY, "category": "class_meeting", "title": "班会"}]
AWAY = [{"leader_id": "L2", "start": date(2025, 11, 3), "end": date(2025, 11, 7), "reason": "出差"}]


@pytest.fixture(scope="module")
def problem():
    from builders import make_problem

    return make_problem(
        [("L1", "", False), ("L2", "", False)],
        [("c1", "A"), ("c2", "A"), ("c3", "B")],
        cycle=CYCLE,
        max_items_per_leader_day=1,
    )


@pytest.fixture(scope="module")
def items(problem) -> list[ScheduleItem]:
    return build_schedule(problem, PLAN, CONFIG, AWAY, EVENTS).items


def check(problem, items, away=AWAY, events=EVENTS) -> list[str]:
    return sorted({v.rule for v in validate_schedule(problem, PLAN, CONFIG, away, events, items)})


def find(items, iid: str) -> ScheduleItem:
    return next(i for i in items if i.item_id == iid)


def put(items, iid: str, **changes) -> list[ScheduleItem]:
    return [replace(i, **changes) if i.item_id == iid else i for i in items]


def test_built_schedule_is_valid(problem, items):
    assert all(i.status is Status.PLANNED for i in items)
    assert check(problem, items) == []
    # the guidance of L1-c1 joined the Saturday event: allowed
    assert find(items, "2025-2026/L1/c1/guidance/2025-2026-1").date == SATURDAY


def test_missing_item(problem, items):
    assert check(problem, [i for i in items if i.item_id != "2025-2026/L1/c1/talk/2025Q4"]) == [
        "schedule_missing"
    ]


def test_duplicate_item(problem, items):
    assert check(problem, [*items, items[0]]) == ["schedule_duplicate"]


def test_unknown_pair_and_period(problem, items):
    stray = replace(find(items, "2025-2026/L1/c1/talk/2025Q4"), counselor_id="c3")
    assert check(problem, [*items, stray]) == ["schedule_unknown_pair"]
    odd = replace(find(items, "2025-2026/L1/c1/talk/2025Q4"), period="2031Q1")
    assert check(problem, [*items, odd]) == ["schedule_unknown_period"]


def test_item_id_must_come_from_what_the_item_is(problem, items):
    iid = "2025-2026/L1/c1/talk/2025Q4"
    assert check(problem, put(items, iid, item_id="2025-2026/L1/c1/talk/2025-11-03")) == [
        "schedule_item_id"
    ]


def test_unmet_needs_a_reason(problem, items):
    iid = "2025-2026/L1/c1/talk/2025Q4"
    honest = put(items, iid, status=Status.UNMET, date=None, note_zh="领导外出", note_en="away")
    assert check(problem, honest) == []
    silent = put(items, iid, status=Status.UNMET, date=None, note_zh="", note_en="")
    assert check(problem, silent) == ["schedule_unmet_reason"]
    assert check(problem, put(items, iid, date=None)) == ["schedule_no_date"]


def test_date_outside_the_window(problem, items):
    # 2025-12-31 (a Wednesday, working) is in Q4, not in Q3's window
    iid = "2025-2026/L1/c1/talk/2025Q3"
    assert "schedule_window" in check(problem, put(items, iid, date=date(2025, 12, 31)))


def test_talk_and_career_on_working_days_only(problem, items):
    iid = "2025-2026/L1/c2/career/2025-09-01+6m"
    assert check(problem, put(items, iid, date=date(2025, 10, 1))) == ["schedule_workday"]  # 国庆
    # 2025-10-11 is a Saturday made a working day (调休上班): allowed
    assert "schedule_workday" not in check(problem, put(items, iid, date=date(2025, 10, 11)))


def test_group_items_on_working_days_only(problem, items):
    iid = "2025-2026/summary/2025-12"
    assert check(problem, put(items, iid, date=date(2025, 12, 7))) == ["schedule_workday"]


def test_guidance_on_an_event_or_a_teaching_working_day(problem, items):
    iid = "2025-2026/L2/c3/guidance/2025-2026-1"
    # Saturday 2025-10-18 is c1's event, not c3's
    assert check(problem, put(items, iid, date=SATURDAY)) == ["schedule_guidance_day"]
    # a Tuesday in the semester is a teaching working day (other rules may object to it)
    assert "schedule_guidance_day" not in check(problem, put(items, iid, date=date(2025, 10, 21)))


def test_never_on_a_leaders_unavailable_day(problem, items):
    iid = "2025-2026/L2/c3/talk/2025Q4"
    assert check(problem, put(items, iid, date=date(2025, 11, 5))) == ["schedule_unavailable"]


def test_leader_daily_cap(problem, items):
    a, b = "2025-2026/L1/c1/talk/2025Q4", "2025-2026/L1/c2/talk/2025Q4"
    day = find(items, a).date
    assert "schedule_leader_cap" in check(problem, put(items, b, date=day))


def test_counselor_daily_cap(problem, items):
    a, b = "2025-2026/L1/c2/talk/2025Q4", "2025-2026/L2/c2/talk/2025Q4"
    day = find(items, a).date
    assert "schedule_counselor_cap" in check(problem, put(items, b, date=day))


def test_talk_spacing(problem, items):
    q3, q4 = "2025-2026/L2/c3/talk/2025Q3", "2025-2026/L2/c3/talk/2025Q4"
    moved = put(put(items, q3, date=date(2025, 9, 29)), q4, date=date(2025, 10, 9))
    # 10 days apart, both windows respected, both working days
    assert "schedule_talk_spacing" in check(problem, moved)


def test_rows_are_reported(problem, items):
    broken = [replace(i, row=n) for n, i in enumerate(items, start=2)]
    iid = "2025-2026/L2/c3/talk/2025Q4"
    broken = put(broken, iid, date=date(2025, 11, 5))
    (v,) = validate_schedule(problem, PLAN, CONFIG, AWAY, EVENTS, broken)
    assert v.row == find(broken, iid).row
    assert "出差" in v.message_zh and v.render("zh").startswith(f"第{v.row}行")


def test_forms_are_all_checked(items):
    assert {i.form for i in items} == set(Form)
