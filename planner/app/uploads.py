"""Files handed to the page: an uploaded DATA (workbook, zipped folder, loose tables) or a plan.

An upload either becomes one complete DATA on disk or leaves nothing behind: every failure
(a file too large, a damaged or oversized ``.zip``, an unsupported file) removes the folder it
was being written into before the message is raised. A ``.zip`` is extracted member by member
with the bytes actually expanded counted as they are written, so a zip bomb stops at the limit
whatever its headers claim; names never leave the folder (``../``, absolute paths, links).
"""

from __future__ import annotations

import io
import lzma
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from models import Problem
from planner.errors import InputError, InputProblem, UserError
from planner.io.read import read_plan_pairs

Key = tuple[str, str]

__all__ = [
    "DATA_SUFFIXES",
    "MAX_EXPANDED_BYTES",
    "MAX_MEMBERS",
    "MAX_UPLOAD_BYTES",
    "PLAN_SUFFIXES",
    "read_plan_upload",
    "remove_tree",
    "safe_name",
    "save_upload",
    "too_large",
]

DATA_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".toml")
"""Files accepted in an uploaded data folder (CONTRACT.md §1: tables, settings, calendar)."""

PLAN_SUFFIXES = (".csv", ".xlsx")
"""An uploaded plan: ``plan.csv`` or ``plan.xlsx``."""

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Largest upload accepted (a college's workbook is a few hundred KB)."""

MAX_EXPANDED_BYTES = 4 * MAX_UPLOAD_BYTES
"""Most bytes a ``.zip`` may expand to (counted while extracting, not from its headers)."""

MAX_MEMBERS = 5000
"""Most files a ``.zip`` may hold (a data folder has a dozen)."""

_CHUNK = 1024 * 1024


def too_large(limit: int = MAX_UPLOAD_BYTES) -> UserError:
    """The message for an upload over ``limit`` bytes."""
    mb = limit // (1024 * 1024)
    return UserError(
        f"文件过大:单次上传不能超过 {mb} MB(一个学院的数据工作簿通常只有几百 KB),未保存任何文件。",
        f"the upload is larger than {mb} MB (a college's workbook is a few hundred KB); nothing was saved.",
    )


def safe_name(name: str) -> str:
    """The base name of an uploaded file (browsers may send a path).

    Raises
    ------
    UserError
        For an empty name, ``.`` or ``..``.
    """
    base = PurePosixPath(name.replace("\\", "/")).name.strip()
    if not base or base in {".", ".."}:
        raise UserError(f"文件名无效:{name}", f"invalid file name: {name}")
    return base


def remove_tree(path: Path) -> None:
    """Delete a folder of uploads, ignoring what is already gone."""
    shutil.rmtree(path, ignore_errors=True)


def _zip_name(info: zipfile.ZipInfo) -> str:
    """The member's name; archives made on Chinese Windows store names in GBK, not UTF-8."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        return name.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def _zip_too_large(limit: int) -> UserError:
    mb = limit // (1024 * 1024)
    return UserError(
        f"压缩包解压后超过 {mb} MB,已拒绝,未保存任何文件。",
        f"the .zip expands to more than {mb} MB; refused, nothing was saved.",
    )


def _extract_zip(blob: bytes, dest: Path, limit: int) -> Path:
    """Extract a zipped data folder into ``dest``; the single top folder if there is one."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(blob))
    except zipfile.BadZipFile as exc:
        raise UserError("压缩包已损坏,无法打开", "the .zip file is damaged") from exc
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    total = 0
    with zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS:
            raise UserError(
                f"压缩包中的文件超过 {MAX_MEMBERS} 个,不像一个数据文件夹",
                f"the .zip holds more than {MAX_MEMBERS} files; not a data folder",
            )
        for info in members:
            name = _zip_name(info)
            parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
            if not parts or any(p == ".." for p in parts) or name.startswith("/"):
                continue  # never write outside the folder
            if parts[0] == "__MACOSX" or parts[-1].startswith("."):
                continue
            target = root.joinpath(*parts)
            if not target.resolve().is_relative_to(root):
                continue
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, target.open("wb") as out:
                    while chunk := src.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise _zip_too_large(limit)
                        out.write(chunk)
            except (
                zipfile.BadZipFile,
                zlib.error,
                lzma.LZMAError,
                EOFError,
                NotImplementedError,
                RuntimeError,
            ) as exc:
                # A damaged member, an unknown compression or an encrypted file.
                raise UserError(
                    f"压缩包中的文件“{name}”无法解压", f"cannot extract '{name}' from the .zip"
                ) from exc
    entries = [p for p in root.iterdir() if not p.name.startswith(".")]
    if not entries:
        raise UserError("压缩包是空的", "the .zip is empty")
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return root


def save_upload(
    files: Sequence[tuple[str, bytes]],
    dest: Path,
    *,
    limit: int = MAX_UPLOAD_BYTES,
    expanded_limit: int = MAX_EXPANDED_BYTES,
) -> Path:
    """Store uploaded files in the new folder ``dest`` as DATA and return DATA's path.

    One ``.xlsx`` workbook is DATA itself; one ``.zip`` is a zipped data folder; otherwise
    the files (``领导干部.csv``, ``辅导员.csv``, ``settings.toml``, …) form a folder.

    Raises
    ------
    UserError
        For no file, a file too large, an unsupported type or a damaged or oversized
        archive. ``dest`` is then removed: a refused upload leaves no file behind.
    """
    if not files:
        raise UserError("没有收到文件", "no file received")
    if sum(len(b) for _, b in files) > limit:
        raise too_large(limit)
    named = [(safe_name(n), b) for n, b in files]
    single = Path(named[0][0]).suffix.lower() if len(named) == 1 else ""
    if single not in (".zip", ".xlsx", ".xlsm"):
        for name, _ in named:
            if Path(name).suffix.lower() not in DATA_SUFFIXES:
                raise UserError(
                    f"不支持的文件类型:{name}(请上传 .xlsx 工作簿、.zip 数据文件夹或 .csv 表格)",
                    f"unsupported file: {name} (upload an .xlsx workbook, a .zip folder or .csv tables)",
                )
    try:
        dest.mkdir(parents=True, exist_ok=True)
        if single == ".zip":
            name, blob = named[0]
            return _extract_zip(blob, dest / Path(name).stem, expanded_limit)
        if single in (".xlsx", ".xlsm"):
            name, blob = named[0]
            path = dest / name
            path.write_bytes(blob)
            return path
        folder = dest / "data"
        folder.mkdir(parents=True, exist_ok=True)
        for name, blob in named:
            (folder / name).write_bytes(blob)
        return folder
    except BaseException:
        remove_tree(dest)
        raise


def read_plan_upload(name: str, blob: bytes, problem: Problem) -> tuple[str | None, list[Key]]:
    """Read an uploaded ``plan.csv``/``plan.xlsx`` as the plan in force; the file is not kept.

    Returns the plan's cycle label (its 周期 column, if one value) and its pairs in file
    order.

    Raises
    ------
    UserError
        For a file that is not a ``.csv``/``.xlsx`` or too large.
    InputError
        For an unreadable file or pairs naming people not on the rosters.
    """
    base = safe_name(name)
    if Path(base).suffix.lower() not in PLAN_SUFFIXES:
        raise UserError(
            f"联系对应表应为 plan.csv 或 plan.xlsx:{base}",
            f"the plan should be plan.csv or plan.xlsx: {base}",
        )
    if len(blob) > MAX_UPLOAD_BYTES:
        raise too_large()
    with tempfile.TemporaryDirectory(prefix="planner-plan-") as tmp:
        path = Path(tmp) / base
        path.write_bytes(blob)
        label, rows = read_plan_pairs(path)
    unknown = [
        InputProblem(
            file=base,
            row=r,
            column="领导工号" if lid not in problem.leader_by_id else "辅导员工号",
            value=lid if lid not in problem.leader_by_id else cid,
            message_zh="名单中没有这个工号",
            message_en="no one on the rosters has this id",
        )
        for lid, cid, r in rows
        if lid not in problem.leader_by_id or cid not in problem.counselor_by_id
    ]
    if unknown:
        raise InputError(unknown)
    return label, list(dict.fromkeys((lid, cid) for lid, cid, _ in rows))
