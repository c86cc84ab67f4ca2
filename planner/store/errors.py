"""Workspace errors a clerk can act on, each naming the path and given in both languages.

No raw :mod:`sqlite3` exception leaves :mod:`planner.store`: :func:`translate` turns each one into
one of the classes below (the original stays attached as ``__cause__`` for a bug report).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class WorkspaceError(Exception):
    """Base class: something about the workspace at :attr:`path` stops the operation.

    Parameters
    ----------
    path
        The workspace file or folder (or the backup file) concerned.
    message_zh, message_en
        What happened and what to do, in Chinese and in English; both name the path.
    """

    def __init__(self, path: Path, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh, message_en)
        self.path = path
        self.message_zh = message_zh
        self.message_en = message_en

    def render(self, lang: str = "zh") -> str:
        """The message in one language (``"zh"`` or ``"en"``)."""
        return self.message_zh if lang == "zh" else self.message_en

    def __str__(self) -> str:
        return f"{self.message_zh}\n{self.message_en}"


class WorkspaceNotWritableError(WorkspaceError):
    """The folder or file cannot be created or written (permissions, read-only disk, disk full,
    a file standing where the folder should be). Likely fix: choose another ``--workspace`` folder
    or free the disk."""


class NotAWorkspaceError(WorkspaceError):
    """The file is not a workspace: not SQLite at all, or another program's SQLite file (no
    ``meta`` table with our application mark). It is left untouched."""


class WorkspaceTooNewError(WorkspaceError):
    """The file was written by a newer version of the program (its schema version is higher than
    this code knows). Likely fix: update the program; the file is left untouched."""

    def __init__(self, path: Path, found: int, known: int) -> None:
        super().__init__(
            path,
            f"工作区“{path}”由较新版本的程序写入(结构版本 {found},本程序只认识到 {known}):"
            "请先升级程序;文件未作改动。",
            f"workspace '{path}' was written by a newer program (schema version {found}, this "
            f"program knows up to {known}): update the program; the file was not changed.",
        )
        self.found = found
        self.known = known


class WorkspaceBusyError(WorkspaceError):
    """Another process held the write lock longer than the busy timeout (a long import in
    another window, or a stuck process)."""


class WorkspaceDamagedError(WorkspaceError):
    """SQLite reports the file as damaged, or an I/O error occurred while reading it. Likely fix:
    restore the latest backup."""


class MigrationError(WorkspaceError):
    """A schema migration failed; the transaction was rolled back and the file is as before (a
    backup taken before the attempt is under ``backups/``)."""


class UnknownEntryError(WorkspaceError, LookupError):
    """The id asked for (a data version, plan version, schedule, row …) is not in the workspace."""


class StatusChangeError(WorkspaceError):
    """A plan status change that is not allowed: statuses only move 草案 → 已采用 → 已审定, and only
    a draft's pairs and hand edits can change."""


class DuplicateRowError(WorkspaceError):
    """Replacing a records row would give it the key of another row in the same table."""


def translate(exc: sqlite3.Error, path: Path) -> WorkspaceError:
    """Turn a :mod:`sqlite3` error into the :class:`WorkspaceError` a clerk can act on.

    Parameters
    ----------
    exc
        The error raised by :mod:`sqlite3`.
    path
        The workspace file the operation was on.

    Returns
    -------
    WorkspaceError
        One of the subclasses above; the SQLite text is kept at the end of the English message.
    """
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return WorkspaceBusyError(
            path,
            f"工作区“{path}”正被另一个程序写入,等待超时:请稍后重试,或关闭另一个正在导入的窗口。",
            f"workspace '{path}' is being written by another process and the wait timed out: "
            f"try again shortly, or close the other window that is importing ({text}).",
        )
    if "full" in low:
        return WorkspaceNotWritableError(
            path,
            f"工作区“{path}”所在磁盘已满:请腾出空间后重试;本次保存未生效。",
            f"the disk holding workspace '{path}' is full: free some space and retry; this save "
            f"did not happen ({text}).",
        )
    if "readonly" in low or "read-only" in low or "unable to open" in low or "permission" in low:
        return WorkspaceNotWritableError(
            path,
            f"无法写入工作区“{path}”:请检查该文件夹的写入权限,或换一个工作区文件夹(--workspace)。",
            f"cannot write workspace '{path}': check that the folder is writable, or choose "
            f"another workspace folder (--workspace) ({text}).",
        )
    if "not a database" in low or "encrypted" in low:
        return NotAWorkspaceError(
            path,
            f"“{path}”不是工作区文件(不是本程序的数据库):请换一个工作区文件夹;该文件未作改动。",
            f"'{path}' is not a workspace file (not this program's database): choose another "
            f"workspace folder; the file was not changed ({text}).",
        )
    if isinstance(exc, sqlite3.IntegrityError):
        return WorkspaceError(
            path,
            f"工作区“{path}”拒绝了这次写入(数据不一致):本次保存未生效。",
            f"workspace '{path}' refused this write (inconsistent data): nothing was saved "
            f"({text}).",
        )
    return WorkspaceDamagedError(
        path,
        f"读写工作区“{path}”时出错,文件可能已损坏:请用 backups 文件夹中最近的备份恢复。",
        f"error reading or writing workspace '{path}'; the file may be damaged: restore the "
        f"latest backup from the backups folder ({text}).",
    )
