"""A version-1 file, made from the historical DDL, opened by the current code."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from planner.store import FILE_NAME, MigrationError, PlanOrigin, PlanStatus, SourceFile, Store
from planner.store.schema import create_schema

SHA = "5" * 64


def _make_v1(folder: Path, *, bad_record: bool = False) -> None:
    """A schema-1 workspace as the first release wrote it: one import, two plans, records."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = sqlite3.connect(folder / FILE_NAME, isolation_level=None)
    raw.execute("BEGIN")
    create_schema(raw, 1, "2024-09-01T08:00:00+08:00")
    raw.execute(
        "INSERT INTO data_version VALUES (1, '2024-09-01T08:05:00+08:00', '首次', 'DATA.xlsx', ?)",
        (SHA,),
    )
    raw.execute(
        "INSERT INTO data_table VALUES (1, '领导干部', 0, ?)",
        (json.dumps(["工号", "姓名"], ensure_ascii=False),),
    )
    raw.executemany(
        "INSERT INTO data_row VALUES (1, '领导干部', ?, ?)",
        [(0, json.dumps(["L2", "李"], ensure_ascii=False)), (1, json.dumps(["L1", "王"]))],
    )
    raw.execute("INSERT INTO data_table VALUES (1, '空表', 1, '[\"a\"]')")
    raw.execute(
        "INSERT INTO plan_version VALUES (1, '2024-2027', 'adopted', 1, "
        "'2024-09-02T10:00:00+08:00', '2024-09-10')"
    )
    raw.execute(
        "INSERT INTO plan_version VALUES (2, '2024-2027', 'draft', 1, "
        "'2025-03-02T10:00:00+08:00', NULL)"
    )
    raw.executemany(
        "INSERT INTO plan_pair VALUES (?, ?, ?, ?)",
        [(1, 0, "L2", "C1"), (1, 1, "L1", "C2"), (2, 0, "L1", "C1")],
    )
    records = [
        ("联系记录", {"领导": "L1", "日期": "2024-10-08", "摘要": "谈心"}),
        ("会议", {"日期": "2024-11-01", "主题": "推进会"}),
        ("联系记录", {"领导": "L2", "日期": "2024-10-09", "形式": "约谈"}),
    ]
    raw.executemany(
        "INSERT INTO record_row (table_name, cells) VALUES (?, ?)",
        [(t, json.dumps(cells, ensure_ascii=False)) for t, cells in records],
    )
    if bad_record:
        raw.execute("INSERT INTO record_row (table_name, cells) VALUES ('会议', '{not json')")
    raw.execute("INSERT INTO preference VALUES ('tab', '\"records\"')")
    raw.execute("COMMIT")
    raw.close()


def test_v1_file_is_migrated_with_a_backup_first(tmp_path: Path) -> None:
    _make_v1(tmp_path)
    with Store.open(tmp_path) as store:
        assert store.schema_version == 2
        data = store.data_version(1)
        assert data.tables == {
            "领导干部": [{"工号": "L2", "姓名": "李"}, {"工号": "L1", "姓名": "王"}],
            "空表": [],
        }
        assert data.columns["空表"] == ["a"]
        assert data.note == "首次"
        assert data.sources == (SourceFile("DATA.xlsx", SHA, None),)  # size unknown in v1
        plans = store.plan_versions()
        assert [(p.id, p.status, p.origin) for p in plans] == [
            (1, PlanStatus.ADOPTED, PlanOrigin.IMPORT),
            (2, PlanStatus.DRAFT, PlanOrigin.IMPORT),
        ]
        assert plans[0].pairs == (("L2", "C1"), ("L1", "C2"))
        assert plans[0].created_at == datetime.fromisoformat("2024-09-02T10:00:00+08:00")
        in_force = store.plan_in_force(date(2025, 1, 1))
        assert in_force is not None and in_force.id == 1
        assert [r.values for r in store.rows("联系记录")] == [
            {"领导": "L1", "日期": "2024-10-08", "摘要": "谈心"},
            {"领导": "L2", "日期": "2024-10-09", "形式": "约谈"},
        ]
        assert store.record_tables() == ["联系记录", "会议"]
        assert store.record_columns("联系记录") == ["领导", "日期", "摘要", "形式"]
        # The migrated rows had no key; the first merge keys them, so duplicates are caught.
        merged = store.merge_rows(
            "联系记录",
            [
                {"领导": "L1", "日期": "2024-10-08", "摘要": "again"},
                {"领导": "L3", "日期": "2024-12-01"},
            ],
            ["领导", "日期"],
        )
        assert (merged.added, merged.duplicates) == ([4], [0])
        assert store.preference("tab") == "records"
        # New capabilities work on the migrated file.
        store.push_edit(2, {"swap": 1})
        store.approve_plan(1, date(2024, 9, 20), "领导小组")
        assert store.check() == []

    backups = sorted((tmp_path / "backups").iterdir())
    assert len(backups) == 1
    assert re.fullmatch(r"workspace-v1-\d{8}-\d{6}\.sqlite", backups[0].name)
    old = sqlite3.connect(backups[0])
    try:
        assert dict(old.execute("SELECT key, value FROM meta"))["schema_version"] == "1"
        assert old.execute("SELECT source_name FROM data_version").fetchall() == [("DATA.xlsx",)]
        assert old.execute("SELECT COUNT(*) FROM record_row").fetchone() == (3,)
    finally:
        old.close()
    # Opening again migrates nothing and copies nothing.
    Store.open(tmp_path).close()
    assert len(list((tmp_path / "backups").iterdir())) == 1


def _schema_of(path: Path) -> dict[tuple[str, str], str]:
    raw = sqlite3.connect(path)
    try:
        found = raw.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        raw.close()
    # Renames quote the table name and ADD COLUMN appends text: compare modulo layout.
    layout = {}
    for kind, name, sql in found:
        text = re.sub(r"\s+", " ", sql.replace('"', ""))
        layout[(kind, name)] = re.sub(r"\s*([(),])\s*", r"\1", text).strip()
    return layout


def test_migrated_file_has_the_fresh_schema(tmp_path: Path) -> None:
    _make_v1(tmp_path / "old")
    Store.open(tmp_path / "old").close()
    Store.open(tmp_path / "new").close()
    migrated = _schema_of(tmp_path / "old" / FILE_NAME)
    fresh = _schema_of(tmp_path / "new" / FILE_NAME)
    assert sorted(migrated) == sorted(fresh)
    for key in fresh:
        assert migrated[key] == fresh[key], key


def test_failed_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    _make_v1(tmp_path, bad_record=True)
    with pytest.raises(MigrationError) as caught:
        Store.open(tmp_path)
    assert "已撤回" in caught.value.message_zh and "backups" in caught.value.message_zh
    raw = sqlite3.connect(tmp_path / FILE_NAME)
    try:
        assert dict(raw.execute("SELECT key, value FROM meta"))["schema_version"] == "1"
        assert raw.execute(
            "SELECT COUNT(*) FROM data_version WHERE source_name = 'DATA.xlsx'"
        ).fetchone() == (1,)
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        raw.close()
    assert len(list((tmp_path / "backups").iterdir())) == 1
