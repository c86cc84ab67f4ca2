"""The workspace file itself: where it is, its mode, its settings, and the errors a clerk sees."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from planner.store import (
    CURRENT_VERSION,
    FILE_NAME,
    NotAWorkspaceError,
    Store,
    WorkspaceError,
    WorkspaceNotWritableError,
    WorkspaceTooNewError,
    default_folder,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_new_workspace_is_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "ws"
    old = os.umask(0o022)  # a typical umask would leave files world-readable
    try:
        store = Store.open(folder)
    finally:
        os.umask(old)
    try:
        store.set_preference("tab", "plan")  # a write, so the -wal and -shm files exist now
        assert store.path == folder / FILE_NAME
        assert _mode(folder) == 0o700
        assert _mode(folder / FILE_NAME) == 0o600
        for suffix in ("-wal", "-shm"):
            side = folder / (FILE_NAME + suffix)
            if side.exists():  # SQLite gives them the database file's mode
                assert _mode(side) == 0o600, suffix
    finally:
        store.close()


def test_file_settings_and_meta(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        assert store.schema_version == CURRENT_VERSION == 2
        store.set_preference("k", 1)
        # A second, plain connection sees what the store set in the file itself.
        raw = sqlite3.connect(store.path)
        try:
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            meta = dict(raw.execute("SELECT key, value FROM meta"))
        finally:
            raw.close()
    assert meta["schema_version"] == "2"
    assert meta["application"] == "counselor-planner workspace"


def test_reopen_keeps_everything_and_takes_no_backup(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.set_preference("语言", "zh")
    with Store.open(tmp_path) as store:
        assert store.preference("语言") == "zh"
    assert not (tmp_path / "backups").exists()  # backups only before migrations


def test_random_bytes_are_not_a_workspace(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 20
    (tmp_path / FILE_NAME).write_bytes(junk)
    with pytest.raises(NotAWorkspaceError) as caught:
        Store.open(tmp_path)
    assert str(tmp_path / FILE_NAME) in caught.value.message_zh
    assert str(tmp_path / FILE_NAME) in caught.value.message_en
    assert "不是工作区文件" in caught.value.render("zh")
    assert "not a workspace file" in caught.value.render("en")
    assert (tmp_path / FILE_NAME).read_bytes() == junk


def test_another_programs_sqlite_file_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / FILE_NAME
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE contacts (name TEXT)")
    raw.execute("INSERT INTO contacts VALUES ('x')")
    raw.commit()
    raw.close()
    before = other.read_bytes()
    with pytest.raises(NotAWorkspaceError, match="no meta table"):
        Store.open(tmp_path)
    # Not switched to WAL, not given our tables: byte for byte the same file.
    assert other.read_bytes() == before


def test_sqlite_file_with_a_foreign_meta_table(tmp_path: Path) -> None:
    raw = sqlite3.connect(tmp_path / FILE_NAME)
    raw.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    raw.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    raw.commit()
    raw.close()
    with pytest.raises(NotAWorkspaceError, match="mark"):
        Store.open(tmp_path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    raw = sqlite3.connect(tmp_path / FILE_NAME)
    raw.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()
    with pytest.raises(WorkspaceTooNewError) as caught:
        Store.open(tmp_path)
    assert (caught.value.found, caught.value.known) == (7, 2)
    assert str(tmp_path / FILE_NAME) in str(caught.value)
    assert "请先升级程序" in str(caught.value) and "update the program" in str(caught.value)


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(WorkspaceNotWritableError) as caught:
        Store.open(blocker / "ws")
    assert str(blocker / "ws") in caught.value.message_zh
    with pytest.raises(WorkspaceNotWritableError):
        Store.open(blocker)  # the folder itself is a file


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(WorkspaceNotWritableError) as caught:
            Store.open(folder)
        assert str(folder) in caught.value.message_en
    finally:
        folder.chmod(0o700)


def test_workspace_file_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).mkdir()
    with pytest.raises(NotAWorkspaceError, match="folder"):
        Store.open(tmp_path)


def test_every_store_error_is_one_family(tmp_path: Path) -> None:
    # The CLI and the page catch WorkspaceError alone; no sqlite3 error escapes.
    (tmp_path / FILE_NAME).write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    with pytest.raises(WorkspaceError) as caught:
        Store.open(tmp_path)
    assert not isinstance(caught.value, sqlite3.Error)
    assert str(tmp_path / FILE_NAME) in caught.value.message_zh


def test_default_folder_per_system(tmp_path: Path) -> None:
    home = Path("/home/clerk")
    assert default_folder(platform="linux", environ={}, home=home) == Path(
        "/home/clerk/.local/share/counselor-planner/workspace"
    )
    assert default_folder(platform="linux", environ={"XDG_DATA_HOME": "/data"}, home=home) == Path(
        "/data/counselor-planner/workspace"
    )
    # A relative XDG_DATA_HOME is invalid by the spec and ignored.
    assert default_folder(platform="linux", environ={"XDG_DATA_HOME": "rel"}, home=home) == Path(
        "/home/clerk/.local/share/counselor-planner/workspace"
    )
    assert default_folder(platform="darwin", environ={}, home=home) == Path(
        "/home/clerk/Library/Application Support/counselor-planner/workspace"
    )
    assert default_folder(
        platform="win32", environ={"LOCALAPPDATA": str(tmp_path / "Local")}, home=home
    ) == (tmp_path / "Local" / "counselor-planner" / "workspace")
