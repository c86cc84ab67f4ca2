"""The page's state without a browser: load, assign, edit, what-if, compare, rotate, schedule,
and what keeps it sound when things happen at once (issue 11 #16, #19).

Jobs run in a child process as on the page (:class:`planner.web.jobs.Job`) unless a test
needs this process's monkeypatch (:class:`planner.web.jobs.InlineJob`, the same task code).
"""

from __future__ import annotations

import dataclasses
import io
import threading
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from models import Problem
from planner.app import planview as V
from planner.app.data import DataSet, Loaded, demo_data_dir, try_load
from planner.app.plans import make_plan, plan_csv_bytes, plan_xlsx_bytes
from planner.app.records import report_years
from planner.app.report import report_of_pairs, report_xlsx_bytes
from planner.app.rotate import (
    rotate,
    rotation_labels,
    rotation_pairs,
    rotation_summary_bytes,
    rotation_table,
)
from planner.app.schedule import (
    calendar_rows,
    ics_zip_bytes,
    month_grid,
    schedule_months,
    schedule_xlsx_bytes,
)
from planner.app.status import default_as_of, status_of_pairs
from planner.app.template import template_bytes
from planner.app.whatif import (
    apply_change,
    diff_csv_bytes,
    diff_table,
    make_change,
    repair_summary,
    side_by_side,
)
from planner.errors import InputError, UserError
from planner.web.jobs import InlineJob, Job, SleepTask, Task
from planner.web.state import PageState

DEMO = demo_data_dir()


@pytest.fixture(scope="module")
def demo_ws() -> PageState:
    """The demo college loaded and assigned once (through a real job)."""
    ws = PageState()
    assert ws.load(DEMO, "示例学院").ok
    ws.start_assign(0, 60.0)
    assert ws.job is not None and ws.job.wait(60)
    assert ws.poll()
    assert ws.has_plan and ws.origin == "solver"
    return ws


# ----- the demo college through the state ------------------------------------------------------
def test_demo_assign_edit_undo(demo_ws: PageState) -> None:
    ws = demo_ws
    p = ws.problem
    assert p is not None
    assert len(ws.keys) == 76 and V.verdict(p, ws.keys).ok  # 38 leaders × 2
    assert "最优" in ws.status_line
    key = next(k for k in ws.keys if k[1] == "00012")
    ws.edit(V.reassign(p, ws.keys, key, "L009"))
    assert ws.edited
    v = V.verdict(p, ws.keys)
    assert ("L009", "00012") in v.flagged
    ws.undo_edits()
    assert not ws.edited and V.verdict(p, ws.keys).ok


def test_demo_downloads(demo_ws: PageState) -> None:
    ws = demo_ws
    p = ws.problem
    assert p is not None
    plan = make_plan(p, ws.keys)
    data = plan_csv_bytes(p, plan)
    assert data.startswith(b"\xef\xbb\xbf")
    import csv

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["周期", "领导工号"] and len(rows) == 77  # header + 76 pairs
    assert plan_csv_bytes(p, make_plan(p, ws.keys)) == data  # deterministic
    assert plan_xlsx_bytes(p, plan)[:2] == b"PK"
    assert template_bytes()[:2] == b"PK"


def test_demo_whatif_and_adopt() -> None:
    ws = PageState()
    assert ws.load(DEMO, "demo").ok
    ws.start_assign(0, 60.0)
    assert ws.job is not None and ws.job.wait(60) and ws.poll()
    with pytest.raises(UserError):
        ws.start_whatif(make_change("空"), 0, 30.0, date(2027, 9, 1))
    # 杨秀梅 (L008) leaves: her two counselors (00001, 00002) have no other leader, so each
    # gets a new one (2 pairs dropped, 2 added); nobody present moves.
    change = make_change("方案1", leaders_leave=["L008"])
    ws.start_whatif(change, 0, 30.0, date(2027, 9, 1))
    assert ws.job is not None and ws.job.kind == "whatif" and ws.job.wait(60) and ws.poll()
    out = ws.whatif
    assert out is not None and out.result.plan is not None
    res, applied = out.result, out.applied
    assert res.moves == 0 and len(out.diff) == 4
    assert {d.counselor_id for d in out.diff} == {"00001", "00002"}
    side = side_by_side(out)
    changed = [r for r in side if r["change"]]
    assert len(changed) == 2 and all("杨秀梅(L008)" in r["old"] for r in changed)
    assert side[:2] == changed  # changes first
    head, _ = diff_table(out)
    assert head[:4] == ["辅导员工号", "原领导工号", "新领导工号", "说明"]
    assert "由杨秀梅改为" in repair_summary(applied, res, out.diff, "zh")
    assert "由杨秀梅改为" in out.summary
    assert diff_csv_bytes(out).startswith(b"\xef\xbb\xbf")
    ws.adopt_whatif()
    assert ws.origin == "repair" and not ws.edited
    assert all(a != "L008" for a, _ in ws.keys)
    assert ws.problem is applied.problem and V.verdict(ws.problem, ws.keys).ok
    assert len(ws.pair_starts) == 2 and set(ws.pair_starts.values()) == {date(2027, 9, 1)}

    # Schedule and status for the adopted plan; downloads of the schedule and the report.
    ws.start_schedule()
    assert ws.job is not None and ws.job.wait(90) and ws.poll()
    assert ws.job_error is None and ws.schedule is not None and not ws.schedule_stale
    s = ws.schedule.schedule
    months = schedule_months(s)
    assert months[0] == "2027-03" and months[-1] == "2030-02" and len(months) == 36
    grid = month_grid(ws.problem, s, "2027-03", "L001")
    assert len(grid[0]) == 7 and grid[0][0].day == date(2027, 3, 1)  # a Monday
    assert any("定期约谈" in e for week in grid for cell in week for e in cell.entries)
    working = ws.schedule.calendar.provider().is_working
    oct_ = month_grid(ws.problem, s, "2027-10", None, "zh", working)
    days = {c.day: c for w in oct_ for c in w if c.day}
    assert not days[date(2027, 10, 1)].workday  # 国庆节, a Friday
    head, rows = calendar_rows(ws.problem, s, "L001", "2027-03")
    assert rows and {r["leader_id"] for r in rows} <= {"L001", ""}
    assert ws.data is not None
    rep = status_of_pairs(
        ws.data, ws.problem, ws.keys, s.items, date(2027, 12, 31), calendar_start=s.cycle_start
    )
    assert rep.overdue and rep.due
    assert default_as_of(s.cycle_start, s.cycle_end, date(2020, 1, 1)) == s.cycle_start
    assert schedule_xlsx_bytes(ws.problem, s)[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(ics_zip_bytes(ws.problem, s))) as zf:
        assert "schedule.ics" in zf.namelist()
    report = report_of_pairs(
        ws.data, ws.problem, ws.keys, 2027, schedule=s.items, calendar_start=s.cycle_start
    )
    name, blob = report_xlsx_bytes(report, ws.problem)
    assert name == "年度汇总表-2027.xlsx" and blob[:2] == b"PK"
    assert report_years(ws.problem, s.cycle_start) == [2027, 2028, 2029, 2030]
    ws.edit(ws.keys[1:])
    assert ws.schedule_stale


def test_compare_options(demo_ws: PageState) -> None:
    ws = PageState()
    ws.load(DEMO, "demo")
    ws.set_plan(demo_ws.keys, "upload")
    with pytest.raises(UserError):
        ws.start_compare(0, 30.0)
    ws.add_option(make_change("甲", leaders_leave=["L005"]))
    ws.add_option(make_change("乙", counselors_leave=["00017"]))
    with pytest.raises(UserError):
        ws.add_option(make_change("甲", leaders_leave=["L006"]))  # the same name twice
    ws.start_compare(0, 60.0)
    assert ws.job is not None and ws.job.wait(120) and ws.poll()
    assert ws.compared is not None
    head, rows = ws.compared.table()
    assert head[0] == "方案" and [r[0] for r in rows] == ["甲", "乙"]


def test_joiners_change_is_checked(demo_ws: PageState) -> None:
    p = demo_ws.problem
    assert p is not None
    change = make_change(
        "新人",
        leaders_join=[
            {"leader_id": "L100", "name": "新领导", "unit": "外国语系", "heads_teaching_unit": True}
        ],
        counselors_join=[{"counselor_id": "00100", "name": "新辅导员", "unit": "外国语系"}],
    )
    applied = apply_change(p, change)
    assert applied.joined_leaders == ("L100",) and applied.joined_counselors == ("00100",)
    with pytest.raises(InputError):
        apply_change(p, make_change("坏", leaders_leave=["L999"]))


def test_new_data_forgets_picks_but_keeps_settings() -> None:
    ws = PageState()
    ws.form.update({"leavers": ["L005"], "edit_pair": "L001|00031", "seed": 7, "cycle": ""})
    assert ws.load(DEMO, "demo").ok
    assert "leavers" not in ws.form and "edit_pair" not in ws.form
    assert ws.form["seed"] == 7


def test_bad_input_never_raises(tmp_path: Path) -> None:
    ws = PageState()
    got = ws.load(tmp_path, "empty")
    assert not got.ok and got.problems
    assert ws.data is None
    (tmp_path / "领导干部.csv").write_bytes(b"\xff\xfe\x00garbage")
    assert not try_load(tmp_path).ok


def test_demo_rotation_two_cycles(demo_ws: PageState) -> None:
    p = demo_ws.data.problem if demo_ws.data is not None else None
    assert p is not None
    outcome = rotate(p, 2, seed=0, time_limit=30.0)
    res = outcome.result
    assert res.joint is not None and len(res.joint) == 2 and len(res.greedy) == 2
    head, rows = rotation_table(res)
    assert head[0] == "周期" and "结对总数(联合规划)" in head and "结对总数(逐周期)" in head
    assert [r[0] for r in rows] == [*res.labels, "合计"] and rows[0][0] == "2027-2030"
    for t, row in enumerate(rows[:2]):
        assert row[1:3] == [res.joint[t].levels["pairs"], res.greedy[t].levels["pairs"]]
    totals = res.totals("joint")
    assert rows[-1][1] == totals["pairs"] and rows[-1][3] == totals["own_unit_pairs"]
    assert outcome.note  # the words planner rotate prints
    pairs = rotation_pairs(outcome, 1)
    assert len(pairs) == res.joint[1].levels["pairs"]
    assert rotation_summary_bytes(outcome)[:2] == b"PK"  # an .xlsx
    with pytest.raises(UserError):
        rotation_labels(p, 6, 5)
    with pytest.raises(UserError):
        rotation_labels(p.replace(cycle="本周期"), 2)
    # The page's path: a cancellable job in a child process, taken on poll.
    ws = PageState()
    assert ws.load(DEMO, "demo").ok
    ws.start_rotation(2, 0, 30.0)
    assert ws.job is not None and ws.job.kind == "rotate" and ws.job.wait(30)
    assert ws.poll() and ws.rotation is not None and ws.job_error is None
    assert rotation_table(ws.rotation.result)[1] == rows


# ----- jobs on the page ---------------------------------------------------------------------------
def test_workspace_cancel_keeps_the_plan(demo_ws: PageState) -> None:
    ws = PageState()
    ws.load(DEMO, "demo")
    ws.set_plan(demo_ws.keys, "upload")
    ws.start(SleepTask(30.0))
    with pytest.raises(UserError):
        ws.start(SleepTask(1.0))  # one computation at a time
    ws.cancel()
    assert ws.job is None and "取消" in ws.message
    assert ws.keys == demo_ws.keys


def _tiny(build: Callable[..., Problem]) -> tuple[DataSet, list[tuple[str, str]]]:
    # Two heads of units A and B (2-3 counselors each), a college leader L3 (exactly 2);
    # a valid plan L1-a1,a2 · L2-b1,b2 · L3-c1,c2. No calendar: the cycle 2027-2030 runs from
    # 1 Sept 2027 to 31 Aug 2030 on the official and estimated working days.
    p = build(
        [("L1", "A", True), ("L2", "B", True), ("L3", "", False, 2, 2)],
        [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B"), ("c1", "C"), ("c2", "C")],
    )
    keys = [("L1", "a1"), ("L1", "a2"), ("L2", "b1"), ("L2", "b2"), ("L3", "c1"), ("L3", "c2")]
    return DataSet(problem=p), keys


def _tiny_state(build: Callable[..., Problem], tmp_path: Path) -> PageState:
    ds, keys = _tiny(build)
    ws = PageState(spawn=InlineJob)
    ws.accept(Loaded(ds), tmp_path, "tiny")
    ws.set_plan(keys, "upload")
    return ws


def test_page_schedule_is_validated(
    build: Callable[..., Problem], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's schedule path runs the independent validator (issue 10): a scheduler that
    puts L1/a1's first talk on Sunday 12 Sept 2027 is caught, and nothing is attached."""
    ws = _tiny_state(build, tmp_path)
    ws.start_schedule()
    assert ws.poll() and ws.job_error is None and ws.schedule is not None  # the real builder
    # By hand: 6 pairs x 13 quarters (2027Q3 … 2030Q3) talks, 6 x 6 semesters guidance,
    # 6 career items, 6 exchange meetings, 3 December summaries.
    assert len(ws.schedule.schedule.items) == 78 + 36 + 6 + 6 + 3

    import planner.app.schedule as app_schedule

    real = app_schedule.build_schedule

    def broken(*args: Any, **kwargs: Any) -> Any:
        sched = real(*args, **kwargs)
        items = [
            dataclasses.replace(it, date=date(2027, 9, 12))
            if it.item_id == "2027-2030/L1/a1/talk/2027Q3"
            else it
            for it in sched.items
        ]
        return dataclasses.replace(sched, items=items)

    monkeypatch.setattr(app_schedule, "build_schedule", broken)
    ws = _tiny_state(build, tmp_path)
    ws.start_schedule()
    assert ws.poll()
    assert ws.schedule is None
    assert ws.job_error is not None
    text = ws.job_error.render("zh")
    assert "内部错误:独立校验未通过" in text and "2027-09-12 is not a working day" in text
    assert "not used" in ws.job_error.render("en")


def test_a_result_of_replaced_data_is_never_attached(
    build: Callable[..., Problem], tmp_path: Path
) -> None:
    """Issue 11 #16: an assign started on one college, other data loaded before it is taken:
    the job is stopped, its plan never reaches the new data, the page draws the new data."""
    ws = _tiny_state(build, tmp_path)
    ws.start_assign(0, 10.0)  # an InlineJob runs at its first poll: still pending here
    assert ws.running
    assert ws.load(DEMO, "示例学院").ok
    assert ws.job is None and "已停止" in ws.notice and "求解联系对应表" in ws.notice
    assert not ws.poll()
    assert ws.source == "示例学院" and ws.keys == [] and not ws.has_plan
    assert ws.problem is not None and len(ws.problem.counselors) == 45
    ws.start_assign(0, 60.0)
    assert ws.poll() and len(ws.keys) == 76 and V.plan_figures(ws.problem, ws.keys).pairs == 76


def test_a_result_for_an_edited_plan_is_discarded(
    build: Callable[..., Problem], tmp_path: Path
) -> None:
    """A repair computed for the plan as it was is discarded (with a notice) when the plan was
    edited meanwhile; a rotation, which needs only the rosters, is still taken."""
    ws = _tiny_state(build, tmp_path)
    ws.start_whatif(make_change("甲", counselors_leave=["c2"]), 0, 10.0, date(2027, 9, 1))
    ws.edit(V.remove_pair(ws.keys, ("L3", "c2")))
    assert ws.poll()
    assert ws.whatif is None and "已舍弃" in ws.notice and "联系对应表" in ws.notice
    ws.start_rotation(1, 0, 10.0)
    ws.undo_edits()
    assert ws.poll() and ws.rotation is not None and ws.rotation.ok


def test_plan_read_for_replaced_data_is_refused(
    build: Callable[..., Problem], tmp_path: Path
) -> None:
    ws = _tiny_state(build, tmp_path)
    token = ws.data_token
    assert ws.load(DEMO, "demo").ok
    with pytest.raises(UserError, match="data changed"):
        ws.take_uploaded_plan([("L1", "a1")], "plan.csv", token)
    assert ws.keys == []


def test_two_windows_starting_at_once_get_one_job(
    build: Callable[..., Problem], tmp_path: Path
) -> None:
    """Issue 11 #19: two browser windows press a button at the same moment. A slow start
    (0.2 s) widens the window in which, without the lock, both would pass the 'is a job
    running' check; with it, exactly one job starts and the other gets the message."""
    started: list[Task] = []

    def slow_spawn(task: Task) -> InlineJob:
        time.sleep(0.2)
        started.append(task)
        return InlineJob(task)

    ds, _ = _tiny(build)
    ws = PageState(spawn=slow_spawn)
    ws.accept(Loaded(ds), tmp_path, "tiny")
    refused: list[str] = []

    def press() -> None:
        try:
            ws.start(SleepTask(0.0))
        except UserError as exc:
            refused.append(exc.render("zh"))

    threads = [threading.Thread(target=press) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(started) == 1 and len(refused) == 1 and "已有计算在进行中" in refused[0]


def test_refused_upload_folder_is_deleted(tmp_path: Path) -> None:
    ws = PageState()
    folder = ws.upload_dir()
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "领导干部.csv").write_text("bad", encoding="utf-8")
    got = ws.accept(try_load(folder / "data"), folder / "data", "bad", folder)
    assert not got.ok and ws.problems and not folder.exists()
    # Good data kept while in use; deleted when other data replaces it.
    good = ws.upload_dir()
    good.mkdir()
    ws.accept(try_load(DEMO), DEMO, "demo", good)
    assert good.exists()
    ws.load(DEMO, "demo again")
    assert not good.exists()
    ws.close()
    assert ws.tmp is None


def test_job_progress_and_cancel() -> None:
    job = Job(SleepTask(30.0))
    deadline = time.monotonic() + 20
    while not job.steps and time.monotonic() < deadline:
        job.poll()
        time.sleep(0.05)
    assert job.running and job.step == "tick 0"
    job.cancel()
    assert job.state == "cancelled" and job.poll()
    assert job.elapsed < 20
