"""The page's state on a workspace (issue 12, CONTRACT.md §11): everything the page does is
kept as it happens, so a restart, a second window or process, or a killed process loses
nothing the page said was saved; re-uploading never wipes plans; the report counts each
record against the plan in force on its date.

Jobs run inline (:class:`planner.web.jobs.InlineJob`: the same task code as the child process).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.app.data import demo_data_dir
from planner.app.planview import reassign, remove_pair
from planner.app.report import report_of_pairs
from planner.app.whatif import make_change
from planner.app.workspace import PlanStatus, Workspace
from planner.errors import InputError, UserError
from planner.web.jobs import InlineJob
from planner.web.state import PageState

DEMO = demo_data_dir()
ROOT = Path(__file__).resolve().parents[2]
CHANGE_DAY = date(2027, 9, 1)
JOINER = {
    "leader_id": "L090",
    "name": "新到岗",
    "position": "系主任",
    "unit": "外国语系",
    "level": "middle",
}


def _open(folder: Path) -> PageState:
    return PageState.on_workspace(folder, spawn=InlineJob)


def _run(st: PageState) -> None:
    assert st.job is not None and st.job.wait(120)
    st.poll()
    assert st.job_error is None, st.job_error


@dataclass
class Year:
    """The office's year so far, on one workspace folder."""

    folder: Path
    adopted: int
    approved_keys: list[tuple[str, str]]
    leaver: str
    leaver_pair: tuple[str, str]
    repair: int


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Year]:
    """Demo imported, assigned, edited twice, one step undone, adopted 2027-03-01, approved;
    a talk of a leader who then leaves on 2027-09-01 while a new leader joins; the repair
    adopted. Each step through the page's state, the state opened afresh between steps."""
    folder = tmp_path_factory.mktemp("ws") / "workspace"
    st = _open(folder)
    assert st.load(DEMO, "示例学院").ok and st.pending is None  # the first data: kept at once
    st.start_assign(0, 60.0)
    _run(st)
    assert st.plan_id is not None and st.draft and st.saved_text().startswith("已保存 ")
    p = st.problem
    assert p is not None
    solver = list(st.keys)
    key = next(k for k in solver if k[1] == "00012")
    st.edit(reassign(p, st.keys, key, "L009"), {"kind": "reassign"})
    st.edit(remove_pair(st.keys, st.keys[0]), {"kind": "remove"})
    assert st.steps == 2
    st.undo_step()
    assert st.steps == 1 and ("L009", "00012") in st.keys
    st.undo_step()
    assert st.steps == 0 and st.keys == solver and not st.edited
    st.adopt(date(2027, 3, 1))
    st.approve(date(2027, 3, 10))
    adopted = st.plan_id
    st.close()

    st = _open(folder)
    assert st.plan_id == adopted and st.keys == solver
    v = st.current_version
    assert v is not None and v.status == PlanStatus.APPROVED
    assert (v.adopted_on, v.approved_on) == (date(2027, 3, 1), date(2027, 3, 10))
    leaver = solver[0][0]
    pair = next(k for k in solver if k[0] == leaver)
    st.add_record(
        {
            "日期": "2027-05-10",
            "领导工号": pair[0],
            "辅导员工号": pair[1],
            "形式": "定期约谈",
            "方式": "面谈",
            "主要内容": "离岗前的约谈",
        }
    )
    change = make_change("离岗与到岗", leaders_leave=[leaver], leaders_join=[JOINER])
    st.start_whatif(change, 0, 60.0, CHANGE_DAY)
    _run(st)
    st.adopt_whatif()
    repair = st.plan_id
    assert repair is not None and repair != adopted
    st.close()
    yield Year(folder, adopted, solver, leaver, pair, repair)


def test_state_survives_a_restart(year: Year) -> None:
    st = _open(year.folder)
    try:
        assert st.plan_id == year.repair and st.origin == "repair"
        v = st.current_version
        assert v is not None and v.status == PlanStatus.ADOPTED and v.adopted_on == CHANGE_DAY
        assert [x.id for x in st.versions if x.status == PlanStatus.APPROVED][-1] == year.adopted
        p = st.problem
        assert p is not None
        # The rosters in force: the leaver 离岗, the joiner on the roster with the page's fields.
        assert not p.leader_by_id[year.leaver].active
        assert p.leader_by_id["L090"].name == "新到岗"
        assert all(a != year.leaver for a, _ in st.keys)
        assert any(a == "L090" for a, _ in st.keys)
        # Pairs the repair added start on the change's date (kept through the restart).
        added = set(st.keys) - set(year.approved_keys)
        assert added and st.pair_starts == dict.fromkeys(added, CHANGE_DAY)
        assert st.data is not None
        rows = [r for r in st.data.tables["records"] if r["summary"] == "离岗前的约谈"]
        assert len(rows) == 1 and (rows[0]["leader_id"], rows[0]["counselor_id"]) == (
            year.leaver_pair
        )
    finally:
        st.close()


def test_report_counts_a_departed_leaders_contacts_before_the_departure(year: Year) -> None:
    st = _open(year.folder)
    try:
        assert st.data is not None and st.problem is not None
        in_force = st.plans_in_force(date(2027, 1, 1), date(2027, 12, 31))
        assert [(x.valid_from, x.valid_to) for x in in_force][-2:] == [
            (date(2027, 3, 1), date(2027, 8, 31)),
            (CHANGE_DAY, None),
        ]
        rep = report_of_pairs(st.data, st.problem, st.keys, 2027, in_force=in_force)
        row = next(ly for ly in rep.summary.leaders if ly.leader_id == year.leaver)
        talks = [r for r in row.records if r.pair == year.leaver_pair and r.form == "talk"]
        assert [r.date for r in talks] == [date(2027, 5, 10)]
        assert not [e for e in rep.excluded if f"{year.leaver_pair[0]}—" in e.reason_zh]
        # The leaver's windows after the departure are not asked of him.
        assert all(c.window_start <= date(2027, 8, 31) for c in row.checks)
        # Against the current plan alone (the page before the workspace) the talk was dropped.
        alone = report_of_pairs(st.data, st.problem, st.keys, 2027)
        assert any("—".join(year.leaver_pair) in e.reason_zh for e in alone.excluded), (
            alone.excluded
        )
    finally:
        st.close()


def test_validate_accepts_the_export_after_a_repair_with_a_joiner(
    year: Year, tmp_path: Path
) -> None:
    from planner.cli import app

    with Workspace(year.folder) as ws:
        ws.export(tmp_path / "out", today=date(2027, 10, 1))
    out = tmp_path / "out"
    assert "L090" in (out / "plan.csv").read_text(encoding="utf-8-sig")
    assert "L090" in (out / "data" / "领导干部.csv").read_text(encoding="utf-8-sig")
    got = CliRunner().invoke(app, ["validate", str(out / "data"), str(out / "plan.csv")])
    assert got.exit_code == 0, got.output


def test_reupload_asks_and_never_wipes_plans(year: Year, tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    import shutil

    with Workspace(year.folder) as ws:
        ws.backup(folder / "workspace.sqlite")
    st = _open(folder)
    try:
        before = [(v.id, v.status, v.pairs) for v in st.versions]
        n_records = len(st.data.tables["records"]) if st.data else 0
        data_version = st.ws_data_version
        assert st.load(DEMO, "示例学院").ok
        assert st.pending is not None and st.pending.has_records  # asked, nothing kept yet
        assert st.ws_data_version == data_version
        got = st.resolve_pending("records")
        assert sum(got.added.values()) == 0
        assert sum(len(v) for v in got.duplicates.values()) == 252  # every demo row again
        assert "重复 252 行未重复导入" in st.message
        assert st.ws_data_version == data_version
        assert [(v.id, v.status, v.pairs) for v in st.versions] == before
        assert st.data is not None and len(st.data.tables["records"]) == n_records
        # As a new roster version: plans and records stay; the joiner of the repair is not
        # on the demo's rosters, so the plan in force shows as broken, not silently dropped.
        assert st.load(DEMO, "示例学院", mode="roster").ok and st.pending is None
        assert st.ws_data_version != data_version
        assert [(v.id, v.status, v.pairs) for v in st.versions] == before
        assert st.plan_id == year.repair
        assert st.data is not None and len(st.data.tables["records"]) == n_records
    finally:
        st.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_two_states_on_one_workspace_see_one_state(tmp_path: Path) -> None:
    a = _open(tmp_path / "ws")
    b = _open(tmp_path / "ws")
    try:
        assert a.load(DEMO, "示例学院").ok
        assert b.sync_workspace(force=True) and b.data is not None
        a.start_assign(0, 60.0)
        _run(a)
        assert b.sync_workspace(force=True)
        assert (b.plan_id, b.keys) == (a.plan_id, a.keys)
        p = b.problem
        assert p is not None
        key = b.keys[0]
        b.edit(remove_pair(b.keys, key), {"kind": "remove"})
        assert a.sync_workspace(force=True) and key not in a.keys and a.steps == 1
        a.undo_step()
        assert b.sync_workspace(force=True) and key in b.keys and b.steps == 0
        a.adopt(date(2027, 3, 1))
        assert b.sync_workspace(force=True)
        assert b.current_version is not None and b.current_version.status == PlanStatus.ADOPTED
        assert not b.sync_workspace(force=True)  # nothing new: nothing reloaded
        # An edit of the adopted plan (in the other window) makes a new draft; the adopted
        # version never changes.
        adopted = b.plan_id
        b.edit(remove_pair(b.keys, b.keys[0]), {"kind": "remove"})
        assert b.plan_id != adopted and b.draft
        assert a.sync_workspace(force=True) and a.plan_id == b.plan_id
        old = next(v for v in a.versions if v.id == adopted)
        assert key in old.pairs and len(old.pairs) == len(a.keys) + 1
        # Approving a draft is refused with the store's message, not a traceback.
        with pytest.raises(Exception, match="采用"):
            a.approve(date(2027, 3, 2))
    finally:
        a.close()
        b.close()


def test_records_on_the_page_are_checked_like_a_records_table(tmp_path: Path) -> None:
    st = _open(tmp_path / "ws")
    try:
        assert st.load(DEMO, "示例学院").ok
        st.start_assign(0, 60.0)
        _run(st)
        lid, cid = st.keys[0]
        with pytest.raises(InputError) as bad:
            st.add_record(
                {"日期": "2027-13-40", "领导工号": lid, "辅导员工号": cid, "形式": "喝茶"}
            )
        text = bad.value.render("zh")
        assert "日期" in text and "形式" in text and "喝茶" in text
        assert st.data is not None
        n = len(st.data.tables["records"])
        row = {"日期": "2027/4/2", "领导工号": lid, "辅导员工号": cid, "形式": "约谈"}
        assert st.add_record(row).added == {"records": 1}
        assert st.data is not None and len(st.data.tables["records"]) == n + 1
        st.add_record(row)  # the same again: reported, not kept twice
        assert "重复" in st.alert
        assert st.data is not None and len(st.data.tables["records"]) == n + 1
    finally:
        st.close()


def test_a_cycle_that_has_begun_is_flagged_before_the_schedule(tmp_path: Path) -> None:
    st = _open(tmp_path / "ws")
    try:
        assert st.load(DEMO, "示例学院").ok
        st.start_assign(0, 60.0)
        _run(st)
        assert st.cycle_start_passed(date(2027, 1, 1)) is None
        start = st.cycle_start_passed(date(2027, 6, 1))
        assert start is not None and start < date(2027, 6, 1)
        with pytest.raises(UserError) as refused:
            st.start_schedule(today=date(2027, 6, 1))
        assert "2027-03-01 已经过去" in refused.value.render("zh")
        assert st.job is None
        st.start_schedule(past_ok=True, today=date(2027, 6, 1))
        _run(st)
        assert st.schedule is not None and st.schedule_id is not None
        items = [(i.item_id, i.date) for i in st.schedule.schedule.items]
        st.close()
        # The schedule is kept with its plan version and read back after a restart.
        st = _open(tmp_path / "ws")
        assert st.schedule is not None
        assert [(i.item_id, i.date) for i in st.schedule.schedule.items] == items
        assert st.schedule.schedule.cycle_start == start
    finally:
        st.close()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from planner.app.data import demo_data_dir
    from planner.web.state import PageState

    st = PageState.on_workspace(Path(sys.argv[1]))
    st.load(demo_data_dir(), "示例学院")
    print("ready", flush=True)
    lid, cid = "L001", "00001"
    for i in range(10_000):
        st.add_record({"日期": "2027-04-01", "领导工号": lid, "辅导员工号": cid,
                       "形式": "工作指导", "主要内容": f"第{i}次"})
        print("saved", i, flush=True)
    """
)


def test_kill_9_loses_nothing_reported_saved(tmp_path: Path) -> None:
    """A process writing records through the page's state is killed with SIGKILL at some
    moment; every record it reported saved is in the workspace, and the file is sound."""
    folder = tmp_path / "ws"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    saved: list[int] = []
    deadline = time.monotonic() + 120
    try:
        for line in proc.stdout:
            words = line.decode().split()
            if words[:1] == ["saved"]:
                saved.append(int(words[1]))
            if len(saved) >= 8 or time.monotonic() > deadline:
                break
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert len(saved) >= 8, proc.stderr.read().decode() if proc.stderr else ""
    st = _open(folder)
    try:
        assert st.data is not None
        kept = {r["summary"] for r in st.data.tables["records"]}
        assert {f"第{i}次" for i in saved} <= kept
        assert st.ws is not None and st.ws.store.check() == []
    finally:
        st.close()


def test_version_list_says_status_and_dates(year: Year) -> None:
    from planner.app.workspace import version_row

    with Workspace(year.folder) as ws:
        rows = {v.id: version_row(v) for v in ws.plans()}
    approved = rows[year.adopted]
    assert approved[2] == "已审定" and approved[6:8] == ["2027-03-01", "2027-03-10"]
    repair = rows[year.repair]
    assert repair[2:4] == ["已采用", "人员变动调整"] and repair[6] == "2027-09-01"
    assert "L090" in repair[8] and f"由版本 {year.adopted} 而来" in repair[8]
    json.dumps(rows, ensure_ascii=False)  # plain strings only
