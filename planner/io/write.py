"""Writers (CSV with BOM and formula escape, JSON) and the all-or-nothing commit of a result.

Every command writes its result through :func:`staged_output` (CONTRACT.md §4): the whole
result appears at once, a failing or interrupted run leaves OUT's earlier result as it was,
files of the earlier result that are not written again are removed with it, and the office's
own files in OUT are never touched.

The commit protocol
-------------------
A *result* is the set of files one command writes (``plan`` for ``assign`` and ``whatif``,
``schedule``, ``rotation``, ``report-2027``, …). ``OUT/.planner-manifest.json`` lists, per
result, the files of the current one and the id of the run that wrote it. A *unit* is a
top-level name in OUT touched by the result: a file (``plan.csv``) or a folder (``ics/``,
``2027-2030/``), so ``schedule``'s 7,000 calendars are one folder rename, not 7,000.

1. **Lock.** ``OUT/.planner-lock`` is locked (an OS lock, released when the process dies) so
   two runs never commit into one OUT together.
2. **Recover.** Leftovers of a killed run are settled first (step 7): OUT is then exactly the
   last committed result, and no staging folder is left.
3. **Stage.** The writers write the whole result into ``OUT/.planner-staging-<id>/new/``.
   A failure or Ctrl+C here removes the staging folder; OUT was not touched.
4. **Prepare.** For a folder unit, the files in OUT's folder that belong to no earlier result
   of this kind (the office's own) are linked into the new folder, so the swap keeps them.
   Each top-level file that will be replaced or removed is hard-linked (else copied) to
   ``old/``. Then ``journal.json`` (the units, what exists, the new manifest) is written
   atomically. Still nothing in OUT has changed.
5. **Swap.** With Ctrl+C and SIGTERM held back until it ends: each file unit is replaced by
   one ``os.replace`` (or removed when stale); each folder unit is moved to ``old/`` and the
   new one renamed into place. The swap is a handful of renames, whatever the result's size.
6. **Commit point.** The new manifest replaces the old one in one ``os.replace``: from this
   instant the new result is the current one. The staging folder is renamed to
   ``.planner-trash-<id>`` and deleted.
7. **Recovery** of a staging folder left by a killed run: without a journal (killed while
   staging) it is deleted. With a journal whose run is not the manifest's (killed during the
   swap, before the commit point) every unit is put back from ``old/`` -- the earlier result
   byte for byte -- and the new files are removed. With a committed run only the folder is
   deleted. Every step of it is a rename or a removal that can be repeated, so a recovery that
   is itself killed resumes at the next run.

So at any kill point OUT holds the complete earlier result or the complete new one: before
step 5 trivially, during step 5 once the next run (or :func:`recover_output`) has put back the
earlier one from the journal, after step 6 the new one. Ctrl+C cannot land inside step 5. The
protocol protects against an interrupted process or a full disk, not a power cut (no fsync).

Set ``PLANNER_TEST_KILL_AT=N`` (and ``PLANNER_TEST_KILL_SIGNAL=KILL|INT|TERM``) to have the
process signal itself at the N-th step of 4–6: the kill tests walk every step.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import fnmatch
import io
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import OutputError
from planner.values import FORMULA_START, escape_cell

__all__ = [
    "FORMULA_START",
    "MANIFEST",
    "OutputError",
    "built_bytes",
    "escape_cell",
    "output_error",
    "preflight",
    "recover_output",
    "result_files",
    "staged_output",
    "write_csv",
    "write_json",
    "zip_folder_bytes",
]

MANIFEST = ".planner-manifest.json"
LOCK = ".planner-lock"
STAGING = ".planner-staging-"
TRASH = ".planner-trash-"
LEGACY_STAGING = ".staging-"  # earlier versions' staging folders: files never moved in
_MANIFEST_FORMAT = "counselor-planner output manifest 1"
_LOCK_WAIT_S = 120.0
# Free space below which a run is refused before it solves: a plan takes well under 1 MB;
# ``schedule`` asks for more, by the plan's size (the demo's 50 pairs take 2 MB on disk).
DEFAULT_NEED_BYTES = 8 * 1024 * 1024
SCHEDULE_BYTES_PER_PAIR = 64 * 1024


# ----- plain writers ----------------------------------------------------------------------------
def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Write a CSV Excel/WPS opens with Chinese intact: UTF-8 with BOM, CRLF rows."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([escape_cell(h) for h in header])
        for row in rows:
            w.writerow([escape_cell(v) for v in row])


def write_json(path: Path, data: Any) -> None:
    """Write pretty UTF-8 JSON with Chinese kept readable."""
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n",
        encoding="utf-8",
    )


# ----- messages about files and folders -----------------------------------------------------------
def output_error(exc: OSError, path: Path | str, *, writing: bool = True) -> OutputError:
    """An :class:`OutputError` in the office's words for ``exc`` raised while writing ``path``.

    The path named is the one the OS names (``exc.filename``) when it gives one. With
    ``writing=False`` (an error whose operation is not known: reading or writing) the words
    stay neutral: "cannot open", "no permission to open".
    """
    where = str(exc.filename) if getattr(exc, "filename", None) else str(path)
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    if not writing:
        if code == errno.ENOENT:
            return OutputError(
                f"找不到 {where},请检查路径", f"{where} does not exist; check the path", where
            )
        if code in (errno.EACCES, errno.EPERM) and winerror not in (32, 33):
            return OutputError(
                f"没有权限打开 {where}(文件夹只读,或文件正被 Excel/WPS 打开):"
                "请关闭文件或检查权限后重试",
                f"no permission to open {where} (a read-only folder, or a file open in "
                "Excel/WPS): close it or check the permissions",
                where,
            )
        # Full disk, read-only disk, a file in use, a file in the way: said as below.
        specific = (
            errno.ENOSPC,
            getattr(errno, "EDQUOT", -1),
            errno.EROFS,
            errno.EBUSY,
            errno.EEXIST,
            errno.ENOTDIR,
            errno.ENAMETOOLONG,
        )
        if code not in specific and winerror not in (32, 33):
            reason = exc.strerror or type(exc).__name__
            return OutputError(
                f"无法打开 {where}:{reason}", f"cannot open {where}: {reason}", where
            )
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return OutputError(
            f"磁盘空间不足,无法写入 {where}:请清理磁盘或换一个输出文件夹(--out)后重试",
            f"the disk is full; cannot write {where}: free some space or choose another "
            "output folder (--out)",
            where,
        )
    if code == errno.EROFS:
        return OutputError(
            f"{where} 所在的磁盘是只读的,无法写入:请换一个输出文件夹(--out)",
            f"{where} is on a read-only disk: choose another output folder (--out)",
            where,
        )
    if winerror in (32, 33) or code in (errno.EBUSY, getattr(errno, "ETXTBSY", -1)):
        return OutputError(
            f"{where} 正被其他程序(如 Excel/WPS)打开,无法替换:请关闭它后重试",
            f"{where} is open in another program (Excel/WPS?) and cannot be replaced: close "
            "it and retry",
            where,
        )
    if code in (errno.EACCES, errno.EPERM):
        return OutputError(
            f"没有写入 {where} 的权限(文件夹只读,或文件正被 Excel/WPS 打开):"
            "请关闭文件,或换一个输出文件夹(--out)",
            f"no permission to write {where} (a read-only folder, or a file open in "
            "Excel/WPS): close it or choose another output folder (--out)",
            where,
        )
    if code in (errno.EEXIST, errno.ENOTDIR):
        return OutputError(
            f"{where} 是一个文件,不是文件夹:输出(--out)需要一个文件夹,请换一个名字",
            f"{where} is a file, not a folder: --out needs a folder; choose another name",
            where,
        )
    if code == errno.ENAMETOOLONG:
        return OutputError(
            f"路径太长,无法写入 {where}:请换一个路径较短的输出文件夹",
            f"the path is too long to write {where}: choose a shorter output folder",
            where,
        )
    reason = exc.strerror or type(exc).__name__
    return OutputError(f"无法写入 {where}:{reason}", f"cannot write {where}: {reason}", where)


def _is_a_file(path: Path) -> OutputError:
    return OutputError(
        f"{path} 是一个文件,不是文件夹:输出(--out)需要一个文件夹,请换一个名字",
        f"{path} is a file, not a folder: --out needs a folder; choose another name",
        str(path),
    )


def preflight(out: Path, *, need_bytes: int = DEFAULT_NEED_BYTES) -> None:
    """Check, before a long solve, that ``out`` can take a result; settle a killed run's leftovers.

    Nothing is created when ``out`` does not exist yet: the nearest existing folder above it is
    checked instead (a probe file is created there and removed at once).

    Raises
    ------
    OutputError
        ``out`` (or a folder on its path) is a file, the folder is read-only, or the disk has
        less than ``need_bytes`` free -- each naming the path, in both languages.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise _is_a_file(out)
    base = out
    while not base.exists():
        if base.parent == base:
            break
        base = base.parent
    if base.exists() and not base.is_dir():
        raise _is_a_file(base)
    try:
        fd, probe = tempfile.mkstemp(prefix=".planner-probe-", dir=base)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise output_error(exc, out if out.exists() else base) from exc
    try:
        free = shutil.disk_usage(base).free
    except OSError:
        free = None
    if free is not None and free < need_bytes:
        mb = free / (1024 * 1024)
        raise OutputError(
            f"{base} 所在的磁盘只剩 {mb:.1f} MB,不够写入结果:请清理磁盘或换一个输出文件夹(--out)",
            f"the disk of {base} has only {mb:.1f} MB free, too little for the result: free "
            "some space or choose another output folder (--out)",
            str(base),
        )
    if out.is_dir():
        recover_output(out)


# ----- the manifest -----------------------------------------------------------------------------
def _read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": _MANIFEST_FORMAT, "results": {}}
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        return {"format": _MANIFEST_FORMAT, "results": {}}
    return data


def result_files(out: Path, result: str) -> list[str]:
    """The files (paths relative to ``out``, ``/``-separated) of the current ``result`` in ``out``."""
    entry = _read_manifest(Path(out))["results"].get(result) or {}
    files = entry.get("files") if isinstance(entry, dict) else None
    return [f for f in files if isinstance(f, str)] if isinstance(files, list) else []


def _safe_rel(rel: str) -> bool:
    # A manifest is the product's own file, but never let it name anything outside OUT.
    parts = Path(rel).parts
    return bool(parts) and not Path(rel).is_absolute() and ".." not in parts


# ----- the lock ---------------------------------------------------------------------------------
@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """An OS lock on ``out/.planner-lock`` (released by the OS if the process dies)."""
    try:
        fh = open(out / LOCK, "a+b")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise output_error(exc, out) from exc
    try:
        deadline = time.monotonic() + _LOCK_WAIT_S
        while not _try_lock(fh):
            if time.monotonic() > deadline:
                raise OutputError(
                    f"另一个规划工具正在写入 {out},请等它完成后重试",
                    f"another planner run is writing into {out}; retry when it has finished",
                    str(out),
                )
            time.sleep(0.1)
        try:
            yield
        finally:
            _unlock(fh)
    finally:
        fh.close()


def _try_lock(fh: Any) -> bool:
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fh: Any) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# ----- signals held back during the swap ----------------------------------------------------------
@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl+C and SIGTERM back until the block ends, then act on them."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are only delivered to the main thread anyway
        return
    got: list[int] = []
    names = ("SIGINT", "SIGTERM", "SIGBREAK")
    sigs = [getattr(signal, n) for n in names if hasattr(signal, n)]
    previous: dict[int, Any] = {}
    for s in sigs:
        with contextlib.suppress(OSError, ValueError):
            previous[s] = signal.signal(s, lambda signum, _frame: got.append(signum))
    try:
        yield
    finally:
        for s, h in previous.items():
            with contextlib.suppress(OSError, ValueError):
                signal.signal(s, h)
        if got:
            if got[0] == signal.SIGINT:
                raise KeyboardInterrupt
            os.kill(os.getpid(), got[0])


def _reinstall_python_handlers() -> None:
    """Put Python's own Ctrl+C handler back at the OS level.

    CP-SAT replaces the process's SIGINT handler while it solves and does not restore
    Python's afterwards, so a Ctrl+C while the files are written would kill the process
    without cleaning up. Re-registering the handler Python believes is installed fixes that.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    with contextlib.suppress(OSError, ValueError, TypeError):
        current = signal.getsignal(signal.SIGINT)
        if current is not None:
            signal.signal(signal.SIGINT, current)


class _Steps:
    """Numbered steps of a commit; the kill tests stop the process at step N."""

    def __init__(self) -> None:
        self.n = 0
        raw = os.environ.get("PLANNER_TEST_KILL_AT", "")
        self.at = int(raw) if raw.isdigit() else 0
        self.sig = os.environ.get("PLANNER_TEST_KILL_SIGNAL", "KILL").upper()

    def __call__(self) -> None:
        self.n += 1
        if self.at and self.n == self.at:
            os.kill(os.getpid(), getattr(signal, f"SIG{self.sig}", signal.SIGTERM))


# ----- the commit -------------------------------------------------------------------------------
@dataclass
class _Unit:
    name: str
    is_dir: bool
    existed: bool
    action: str  # "replace" | "remove" (a file); "swap" | "remove" (a folder)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "dir": self.is_dir,
            "existed": self.existed,
            "action": self.action,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> _Unit:
        return cls(str(d["name"]), bool(d["dir"]), bool(d["existed"]), str(d["action"]))


@dataclass
class _Journal:
    run: str
    result: str | None
    units: list[_Unit] = field(default_factory=list)


def _files_under(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir())


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)  # a disk without hard links (FAT, some network shares)


def _write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _old_files(
    out: Path,
    manifest: dict[str, Any],
    result: str | None,
    owns: Sequence[str],
    supersedes: Sequence[str],
) -> set[str]:
    """Files of the earlier result(s) this one replaces, as they are in OUT now."""
    results = manifest["results"]
    mine: set[str] = set()
    for kind in (result, *supersedes):
        if kind is None:
            continue
        entry = results.get(kind) or {}
        for f in entry.get("files", []) if isinstance(entry, dict) else []:
            if isinstance(f, str) and _safe_rel(f):
                mine.add(f)
    if owns:
        # Files an earlier version wrote before there was a manifest (ics/领导-*.ics).
        others = {
            f
            for kind, entry in results.items()
            if kind not in (result, *supersedes) and isinstance(entry, dict)
            for f in entry.get("files", [])
            if isinstance(f, str)
        }
        tops = {pat.split("/", 1)[0] for pat in owns}
        for top in tops:
            p = out / top
            cands = _files_under(p) if p.is_dir() else []
            rels = [f"{top}/{c}" for c in cands] + ([top] if p.is_file() else [])
            for rel in rels:
                if rel not in others and any(fnmatch.fnmatchcase(rel, pat) for pat in owns):
                    mine.add(rel)
    return {f for f in mine if (out / f).is_file()}


def _prepare(
    out: Path,
    stage: Path,
    run: str,
    result: str | None,
    owns: Sequence[str],
    supersedes: Sequence[str],
) -> tuple[_Journal, dict[str, Any]]:
    """Steps 4: carry the office's files into new folders, back up files, write the journal."""
    new_root = stage / "new"
    old_root = stage / "old"
    new_files = _files_under(new_root)
    manifest = _read_manifest(out)
    old = _old_files(out, manifest, result, owns, supersedes)
    stale = old - set(new_files)
    # An empty folder of the new result (a schedule without items: an empty ics/) still
    # replaces the earlier one, so its stale files go.
    empty_dirs = [p.name for p in new_root.iterdir() if p.is_dir()] if new_root.is_dir() else []
    tops = sorted({f.split("/", 1)[0] for f in (*new_files, *stale)} | set(empty_dirs))
    units: list[_Unit] = []
    for top in tops:
        target = out / top
        new_path = new_root / top
        if new_path.is_dir() or target.is_dir():
            if target.exists() and not target.is_dir():
                raise OutputError(
                    f"{target} 是一个文件,但结果要写入同名的文件夹:请移走该文件后重试",
                    f"{target} is a file but the result writes a folder of that name: move it",
                    str(target),
                )
            if new_path.exists() and not new_path.is_dir():
                raise OutputError(
                    f"{target} 是一个文件夹,但结果中同名的是文件:请移走该文件夹后重试",
                    f"{target} is a folder but the result has a file of that name: move it away",
                    str(target),
                )
            existed = target.is_dir()
            if existed:
                for rel in _files_under(target):
                    full = f"{top}/{rel}"
                    if full in old or (new_root / full).exists():
                        continue  # replaced, or a stale file of the earlier result: dropped
                    _link_or_copy(target / rel, new_root / full)  # the office's own file
            action = "swap" if new_path.is_dir() else "remove"
            if action == "remove" and not existed:
                continue
            units.append(_Unit(top, True, existed, action))
        else:
            existed = target.is_file()
            action = "replace" if new_path.is_file() else "remove"
            if action == "remove" and not existed:
                continue
            if existed:
                _link_or_copy(target, old_root / top)
            units.append(_Unit(top, False, existed, action))
    results = dict(manifest["results"])
    new_set = set(new_files)
    for kind in list(results):
        entry = results[kind]
        if kind in supersedes or not isinstance(entry, dict):
            results.pop(kind)
            continue
        # A file this result now writes belongs to it alone.
        files = [f for f in entry.get("files", []) if isinstance(f, str) and f not in new_set]
        results[kind] = {**entry, "files": files}
    if result is not None:
        results[result] = {
            "run": run,
            "files": new_files,
            "written_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
    after = {"format": _MANIFEST_FORMAT, "results": results}
    journal = _Journal(run, result, units)
    _write_json_atomic(
        stage / "journal.json",
        {"run": run, "result": result, "units": [u.to_json() for u in units], "manifest": after},
    )
    return journal, after


def _swap(out: Path, stage: Path, journal: _Journal, after: dict[str, Any], step: _Steps) -> None:
    """Steps 5-6: the renames, then the manifest (the commit point)."""
    new_root, old_root = stage / "new", stage / "old"
    for u in journal.units:
        target = out / u.name
        if u.is_dir:
            if u.existed:
                old_root.mkdir(exist_ok=True)
                os.rename(target, old_root / u.name)
                step()
            if u.action == "swap":
                os.rename(new_root / u.name, target)
                step()
        else:
            if u.action == "replace":
                os.replace(new_root / u.name, target)
            else:
                os.remove(target)
            step()
    manifest_new = stage / "manifest.json"
    manifest_new.write_text(json.dumps(after, ensure_ascii=False, indent=2) + "\n", "utf-8")
    os.replace(manifest_new, out / MANIFEST)


def _rollback(out: Path, stage: Path, units: Iterable[_Unit]) -> None:
    """Put every unit back as it was before the swap (repeatable: each step checks first)."""
    new_root, old_root, undone = stage / "new", stage / "old", stage / "undone"
    for u in units:
        target = out / u.name
        backup = old_root / u.name
        if u.is_dir:
            if backup.is_dir():
                if target.exists():
                    undone.mkdir(exist_ok=True)
                    os.rename(target, undone / u.name)
                os.rename(backup, target)
            elif not u.existed and not (new_root / u.name).exists() and target.is_dir():
                undone.mkdir(exist_ok=True)
                os.rename(target, undone / u.name)
        elif backup.is_file():
            os.replace(backup, target)
        elif not u.existed and not (new_root / u.name).exists() and target.is_file():
            os.remove(target)


def _discard(out: Path, stage: Path) -> None:
    trash = out / f"{TRASH}{stage.name.removeprefix(STAGING)}"
    try:
        os.rename(stage, trash)
    except OSError:
        trash = stage
    shutil.rmtree(trash, ignore_errors=True)


def recover_output(out: Path) -> list[str]:
    """Settle what killed runs left in ``out``: the earlier result back, staging folders gone.

    Returns
    -------
    list of str
        What was done, one entry per staging folder: ``"removed"`` (killed while writing its
        files: OUT untouched), ``"restored"`` (killed during the swap: the earlier result put
        back) or ``"committed"`` (killed after the commit point: the new result stands).
    """
    out = Path(out)
    if not out.is_dir():
        return []
    with _locked(out):
        return _recover(out)


def _recover(out: Path) -> list[str]:
    done: list[str] = []
    try:
        entries = sorted(out.iterdir())
    except OSError as exc:
        raise output_error(exc, out) from exc
    manifest = _read_manifest(out)
    for p in entries:
        name = p.name
        if name.startswith(TRASH) or (name.startswith(LEGACY_STAGING) and p.is_dir()):
            shutil.rmtree(p, ignore_errors=True)
            continue
        if not (name.startswith(STAGING) and p.is_dir()):
            continue
        try:
            data = json.loads((p / "journal.json").read_text(encoding="utf-8"))
            units = [_Unit.from_json(u) for u in data["units"]]
            run, result = str(data["run"]), data.get("result")
        except (OSError, ValueError, KeyError, TypeError):
            _discard(out, p)  # killed while staging: OUT was never touched
            done.append("removed")
            continue
        entry = manifest["results"].get(result) if isinstance(result, str) else None
        if isinstance(entry, dict) and entry.get("run") == run:
            done.append("committed")
        else:
            with _signals_held():
                _rollback(out, p, units)
            done.append("restored")
        _discard(out, p)
    return done


@contextlib.contextmanager
def staged_output(
    out: Path,
    result: str | None = None,
    *,
    owns: Sequence[str] = (),
    supersedes: Sequence[str] = (),
) -> Iterator[Path]:
    """Yield a staging folder for a whole result; on success swap it into ``out`` at once.

    Parameters
    ----------
    out
        The output folder (created when missing).
    result
        The result's name in the manifest (``plan``, ``schedule``, ``report-2027`` …): the
        files of the earlier result of that name that are not written again are removed.
        None: only the files written are replaced, nothing is removed.
    owns
        Glob patterns (relative to ``out``) of files that belong to this result even when no
        manifest lists them (written by an earlier version of the product).
    supersedes
        Results whose files this one removes (``plan`` supersedes ``diagnosis``).

    Raises
    ------
    OutputError
        When ``out`` is a file, read-only, full or in use (OUT keeps its earlier result).

    See the module docstring for the protocol.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise _is_a_file(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, out) from exc
    _reinstall_python_handlers()
    with _locked(out):
        _recover(out)
        run = uuid.uuid4().hex[:16]
        stage = out / f"{STAGING}{run}"
        try:
            (stage / "new").mkdir(parents=True)
        except OSError as exc:
            raise output_error(exc, out) from exc
        keep = False  # a swap that could not be undone: its backups stay for the next run
        try:
            try:
                yield stage / "new"
            except OSError as exc:
                raise output_error(exc, out) from exc
            step = _Steps()
            step()
            try:
                journal, after = _prepare(out, stage, run, result, owns, supersedes)
                step()
                with _signals_held():
                    try:
                        _swap(out, stage, journal, after, step)
                    except BaseException:
                        keep = True
                        _rollback(out, stage, journal.units)
                        keep = False
                        raise
            except OSError as exc:
                raise output_error(exc, out) from exc
        finally:
            if not keep:
                _discard(out, stage)
        step()


# ----- bytes for downloads ----------------------------------------------------------------------
def built_bytes(write: Callable[[Path], object], name: str) -> bytes:
    """The bytes a writer produces for a file named ``name`` (written to a temporary folder).

    For downloads on the web page: the same writer as the command line, so the same bytes.
    """
    with tempfile.TemporaryDirectory(prefix="planner-") as tmp:
        path = Path(tmp) / name
        write(path)
        return path.read_bytes()


def zip_folder_bytes(write: Callable[[Path], Iterable[Path]]) -> bytes:
    """A zip of the files a writer puts into a fresh folder (paths relative to it, UTF-8 names).

    Entries carry a fixed timestamp so the same files give the same bytes.
    """
    with tempfile.TemporaryDirectory(prefix="planner-") as tmp:
        root = Path(tmp)
        files = sorted(write(root))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in files:
                info = zipfile.ZipInfo(f.relative_to(root).as_posix(), (1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.flag_bits |= 0x800  # UTF-8 names (领导-L001.ics)
                zf.writestr(info, f.read_bytes())
        return buf.getvalue()
