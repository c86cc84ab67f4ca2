"""Round trips of everything the workspace keeps, on tiny hand-made contents."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from planner.store import (
    DuplicateRowError,
    EditStep,
    PlanOrigin,
    PlanStatus,
    SourceFile,
    StatusChangeError,
    Store,
    UnknownEntryError,
)

T0 = datetime(2027, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "ws") as opened:
        yield opened


# ------------------------------------------------------------------ data versions


def test_data_version_round_trip(store: Store) -> None:
    workbook = "工号,姓名\n".encode()
    leaders = [
        {"工号": "L01", "姓名": "王一", "单位": ""},
        {"工号": "L02", "姓名": "李二", "单位": "机电系"},
    ]
    counselors = [{"id": "C2", "unit": "x"}, {"id": "C1", "unit": "y"}]  # not sorted: kept
    sha = hashlib.sha256(workbook).hexdigest()
    vid = store.add_data_version(
        {"领导干部": leaders, "辅导员": counselors, "历史联系/2024-2027": []},
        [
            SourceFile("办公室.xlsx", sha, len(workbook), workbook),
            SourceFile("校历.csv", "ab" * 32, 9),
        ],
        columns={"历史联系/2024-2027": ["周期", "领导工号", "辅导员工号"]},
        note="首次导入",
        created_at=T0,
        created_by="办公室",
    )
    got = store.data_version(vid)
    assert got.id == vid == 1
    assert list(got.tables) == ["领导干部", "辅导员", "历史联系/2024-2027"]
    assert got.tables["领导干部"] == leaders
    assert [list(row) for row in got.tables["领导干部"]] == [["工号", "姓名", "单位"]] * 2
    assert got.tables["辅导员"] == counselors
    assert got.tables["历史联系/2024-2027"] == []
    assert got.columns["历史联系/2024-2027"] == ["周期", "领导工号", "辅导员工号"]
    assert (got.note, got.created_at, got.created_by) == ("首次导入", T0, "办公室")
    # Bytes only when asked for.
    assert got.sources == (
        SourceFile("办公室.xlsx", sha, len(workbook)),
        SourceFile("校历.csv", "ab" * 32, 9),
    )
    full = store.data_version(vid, with_content=True)
    assert full.sources[0].content == workbook and full.sources[1].content is None


def test_current_data_version_is_the_latest(store: Store) -> None:
    assert store.current_data_version() is None
    first = store.add_data_version({"t": [{"a": "1"}]}, created_at=T0)
    second = store.add_data_version({"t": [{"a": "2"}]}, created_at=T0 + timedelta(days=1))
    current = store.current_data_version()
    assert current is not None and current.id == second and current.tables == {"t": [{"a": "2"}]}
    listed = store.data_versions()
    assert [v.id for v in listed] == [first, second]
    assert listed[0].table_names == ("t",)
    with pytest.raises(UnknownEntryError, match="data version 9"):
        store.data_version(9)


def test_bad_rows_store_nothing(store: Store) -> None:
    with pytest.raises(ValueError, match="not the header"):
        store.add_data_version({"t": [{"a": "1"}, {"b": "2"}]})
    with pytest.raises(TypeError, match="text only"):
        store.add_data_version({"t": [{"a": 1}]})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="sha256"):
        store.add_data_version({}, [SourceFile("x", "00" * 32, 3, b"abc")])
    assert store.data_versions() == []


# ------------------------------------------------------------------ plan versions


def test_plan_version_round_trip(store: Store) -> None:
    data = store.add_data_version({"t": []})
    base = store.add_plan_version("2027-2030", [("L1", "C1")], "solver", created_at=T0)
    pid = store.add_plan_version(
        "2027-2030",
        [("L2", "C9"), ("L1", "C3"), ("L1", "C2")],  # the plan's order, not sorted
        PlanOrigin.REPAIR,
        parent_id=base,
        change={"离岗": ["L07"], "日期": "2027-09-15"},
        data_version_id=data,
        created_at=T0,
        created_by="clerk",
        run_record={"seed": 0, "objective": [3, 1]},
    )
    plan = store.plan_version(pid)
    assert plan.pairs == (("L2", "C9"), ("L1", "C3"), ("L1", "C2"))
    assert (plan.origin, plan.parent_id, plan.data_version_id) == (PlanOrigin.REPAIR, base, data)
    assert plan.change == {"离岗": ["L07"], "日期": "2027-09-15"}
    assert plan.run_record == {"seed": 0, "objective": [3, 1]}
    assert (plan.status, plan.adopted_on, plan.approved_on) == (PlanStatus.DRAFT, None, None)
    assert plan.status.zh == "草案"
    assert [p.id for p in store.plan_versions(cycle="2027-2030")] == [base, pid]
    assert store.plan_versions(cycle="2030-2033") == []
    with pytest.raises(UnknownEntryError):
        store.add_plan_version("c", [], "solver", parent_id=99)
    with pytest.raises(ValueError):
        store.add_plan_version("c", [], "by magic")


def test_status_moves_forward_only(store: Store) -> None:
    pid = store.add_plan_version("2027-2030", [("L1", "C1")], "solver")
    with pytest.raises(StatusChangeError, match="adopted"):
        store.approve_plan(pid, date(2027, 3, 5), "领导小组")  # a draft cannot be approved
    adopted = store.adopt_plan(pid, date(2027, 3, 1), "张老师")
    assert (adopted.status, adopted.adopted_on, adopted.adopted_by) == (
        PlanStatus.ADOPTED,
        date(2027, 3, 1),
        "张老师",
    )
    with pytest.raises(StatusChangeError) as again:
        store.adopt_plan(pid, date(2027, 4, 1), "x")
    assert "已采用" in again.value.message_zh and "草案 → 已采用 → 已审定" in again.value.message_zh
    with pytest.raises(StatusChangeError):
        store.set_draft_pairs(pid, [("L9", "C9")])
    with pytest.raises(StatusChangeError):
        store.push_edit(pid, {"move": 1})
    approved = store.approve_plan(pid, date(2027, 3, 20), "领导小组")
    assert (approved.status.zh, approved.approved_on, approved.approved_by) == (
        "已审定",
        date(2027, 3, 20),
        "领导小组",
    )
    assert approved.adopted_on == date(2027, 3, 1)  # approval keeps the date it came in force
    with pytest.raises(StatusChangeError, match="approved again"):
        store.approve_plan(pid, date(2027, 4, 1), "x")
    with pytest.raises(StatusChangeError):
        store.adopt_plan(pid, date(2027, 4, 1), "x")
    assert store.plan_version(pid).pairs == (("L1", "C1"),)
    # The file refuses it too, whatever code writes to it.
    raw = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="forward only"):
            raw.execute("UPDATE plan_version SET status = 'adopted' WHERE id = ?", (pid,))
    finally:
        raw.close()


def test_plan_in_force(store: Store) -> None:
    # Hand-worked: v1 adopted 2027-03-01, v2 adopted 2027-09-15, v3 only drafted. Before
    # 03-01 nothing is in force; 03-01…09-14 → v1; from 09-15 → v2; the draft never counts.
    v1 = store.add_plan_version("2027-2030", [("L1", "C1")], "solver")
    v2 = store.add_plan_version("2027-2030", [("L2", "C1")], "repair", parent_id=v1)
    store.add_plan_version("2027-2030", [("L3", "C1")], "hand_edit", parent_id=v2)
    store.adopt_plan(v1, date(2027, 3, 1), "a")
    store.approve_plan(v1, date(2027, 3, 10), "领导小组")  # approved still counts from 03-01
    store.adopt_plan(v2, date(2027, 9, 15), "a")

    def in_force(day: date) -> int | None:
        plan = store.plan_in_force(day)
        return None if plan is None else plan.id

    assert in_force(date(2027, 2, 28)) is None
    assert in_force(date(2027, 3, 1)) == v1
    assert in_force(date(2027, 9, 14)) == v1
    assert in_force(date(2027, 9, 15)) == v2
    assert in_force(date(2029, 1, 1)) == v2
    # Tie on the date: the later version id wins.
    v4 = store.add_plan_version("2027-2030", [("L4", "C1")], "upload")
    store.adopt_plan(v4, date(2027, 9, 15), "a")
    assert in_force(date(2027, 9, 15)) == v4
    assert store.plan_in_force(date(2027, 9, 15), cycle="2030-2033") is None
    with pytest.raises(TypeError):
        store.plan_in_force(datetime(2027, 9, 15, 8))  # a time would not compare as a date


# ------------------------------------------------------------------ hand edits


def test_undo_steps(store: Store) -> None:
    pid = store.add_plan_version("c", [("L1", "C1"), ("L2", "C2")], "solver")
    assert store.pop_edit(pid) is None
    n1 = store.push_edit(
        pid, {"swap": ["C1", "C2"]}, pairs=[("L1", "C2"), ("L2", "C1")], created_at=T0
    )
    n2 = store.push_edit(
        pid, {"move": "C2", "to": "L2"}, pairs=[("L2", "C2"), ("L2", "C1")], created_at=T0
    )
    assert (n1, n2) == (1, 2)
    assert [s.payload for s in store.edit_steps(pid)] == [
        {"swap": ["C1", "C2"]},
        {"move": "C2", "to": "L2"},
    ]
    assert store.plan_version(pid).pairs == (("L2", "C2"), ("L2", "C1"))
    undone = store.pop_edit(pid, pairs=[("L1", "C2"), ("L2", "C1")])
    assert undone == EditStep(2, {"move": "C2", "to": "L2"}, T0)
    assert store.plan_version(pid).pairs == (("L1", "C2"), ("L2", "C1"))
    assert [s.step_no for s in store.edit_steps(pid)] == [1]
    assert store.push_edit(pid, {"again": True}) == 2  # numbering continues after the undo
    store.adopt_plan(pid, date(2027, 3, 1), "a")
    with pytest.raises(StatusChangeError):
        store.pop_edit(pid)
    assert len(store.edit_steps(pid)) == 2  # the adopted version keeps its edit history


# ------------------------------------------------------------------ staff changes


def test_staff_changes_by_effective_date(store: Store) -> None:
    plan = store.add_plan_version("c", [], "repair")
    late = store.add_staff_change("leave", "L07", date(2027, 9, 15), payload={"reason": "退休"})
    early = store.add_staff_change(
        "join", "L15", date(2027, 6, 1), payload={"姓名": "赵新"}, created_by="clerk"
    )
    store.link_staff_change(late, plan)
    changes = store.staff_changes()
    assert [c.id for c in changes] == [early, late]
    assert changes[1].plan_version_id == plan and changes[0].plan_version_id is None
    assert changes[0].payload == {"姓名": "赵新"} and changes[0].effective_on == date(2027, 6, 1)
    assert [c.person_id for c in store.staff_changes(until=date(2027, 9, 14))] == ["L15"]
    with pytest.raises(UnknownEntryError):
        store.link_staff_change(99, plan)


# ------------------------------------------------------------------ schedules


def test_schedules(store: Store) -> None:
    pid = store.add_plan_version("c", [("L1", "C1")], "solver")
    assert store.latest_schedule(pid) is None
    first = store.add_schedule(pid, [{"日期": "2027-03-02", "形式": "定期约谈"}], created_at=T0)
    rows = [
        {"日期": "2027-03-09", "形式": "工作指导", "领导": "L1"},
        {"日期": "2027-03-03", "形式": "定期约谈", "领导": "L1"},
    ]
    second = store.add_schedule(pid, rows, created_at=T0, run_record={"status": "optimal"})
    latest = store.latest_schedule(pid)
    assert latest is not None and latest.id == second > first
    assert latest.rows == rows and latest.columns == ["日期", "形式", "领导"]
    assert latest.run_record == {"status": "optimal"}
    assert store.schedule(first).rows == [{"日期": "2027-03-02", "形式": "定期约谈"}]
    with pytest.raises(UnknownEntryError):
        store.schedule(99)
    with pytest.raises(UnknownEntryError):
        store.add_schedule(99, [])


# ------------------------------------------------------------------ records tables


def test_merge_rows_adds_only_new_keys(store: Store) -> None:
    key = ["领导", "日期"]
    first = store.merge_rows(
        "联系记录",
        [
            {"领导": "L1", "日期": "2027-03-02", "摘要": "谈心"},
            {"领导": "L1", "日期": "2027-04-02", "摘要": "班会"},
        ],
        key,
    )
    assert first == ([1, 2], [])
    # Hand-worked: row 0 repeats (L1, 04-02) → duplicate; row 1 is new; row 2 repeats row 1.
    added, duplicates = store.merge_rows(
        "联系记录",
        [
            {"领导": "L1", "日期": "2027-04-02", "摘要": "另一个摘要"},
            {"领导": "L2", "日期": "2027-04-02", "摘要": "学业", "备注": "新列"},
            {"领导": "L2", "日期": "2027-04-02", "摘要": "学业"},
        ],
        key,
    )
    assert (added, duplicates) == ([3], [0, 2])
    rows = store.rows("联系记录")
    assert [r.id for r in rows] == [1, 2, 3]
    assert rows[1].values == {"领导": "L1", "日期": "2027-04-02", "摘要": "班会"}
    assert store.record_columns("联系记录") == ["领导", "日期", "摘要", "备注"]
    assert store.record_tables() == ["联系记录"]
    assert store.rows("会议") == [] and store.record_columns("会议") == []


def test_replace_and_delete_rows(store: Store) -> None:
    key = ["id"]
    store.merge_rows(
        "issues", [{"id": "1", "s": "a"}, {"id": "2", "s": "b"}, {"id": "3", "s": "c"}], key
    )
    store.replace_row("issues", 2, {"id": "2", "s": "B", "closed": "是"})
    assert [r.values["s"] for r in store.rows("issues")] == ["a", "B", "c"]  # place kept
    with pytest.raises(DuplicateRowError):
        store.replace_row("issues", 2, {"id": "1", "s": "x"})
    store.delete_row("issues", 3)
    with pytest.raises(UnknownEntryError):
        store.delete_row("issues", 3)
    with pytest.raises(UnknownEntryError):
        store.replace_row("news", 1, {"id": "1"})  # row 1 belongs to another table
    # The freed key can come back, with a new id: ids are never reused.
    assert store.merge_rows("issues", [{"id": "3", "s": "again"}], key).added == [4]
    assert [r.id for r in store.rows("issues")] == [1, 2, 4]


def test_merge_with_new_key_columns_rekeys(store: Store) -> None:
    store.merge_rows("t", [{"a": "1", "b": "x"}, {"a": "1", "b": "y"}], ["a", "b"])
    # Keyed on a alone, both stored rows share key "1": a third row with a=1 is a duplicate.
    assert store.merge_rows("t", [{"a": "1", "b": "z"}, {"a": "2", "b": "z"}], ["a"]) == ([3], [0])
    with pytest.raises(ValueError, match="key column"):
        store.merge_rows("t", [{"b": "q"}], ["a"])


def test_empty_records_table_keeps_its_header(store: Store) -> None:
    assert store.merge_rows("会议", [], ["日期"], columns=["日期", "主题"]) == ([], [])
    assert store.record_tables() == ["会议"]
    assert store.record_columns("会议") == ["日期", "主题"]


# ------------------------------------------------------------------ preferences


def test_preferences(store: Store) -> None:
    assert store.preference("tab", "plan") == "plan"
    store.set_preference("tab", "records")
    store.set_preference("filters", {"unit": ["机电系"], "late": True})
    store.set_preference("tab", "status")
    assert store.preferences() == {"filters": {"unit": ["机电系"], "late": True}, "tab": "status"}
    store.delete_preference("tab")
    assert store.preference("tab") is None


def test_a_failed_write_leaves_nothing(store: Store) -> None:
    # The JSON error is raised inside the transaction, after the parent check ran: rolled back.
    with pytest.raises(TypeError):
        store.add_plan_version("c", [("L1", "C1")], "solver", change={"x": object()})
    assert store.plan_versions() == []
