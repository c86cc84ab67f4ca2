"""The workspace: one SQLite file in one folder, behind the :class:`Store` interface.

Every SQL statement of the product lives in this package, so that a server database could take
the file's place behind the same methods. The file is opened in WAL mode (readers never wait for
the writer), with ``synchronous=FULL`` (a commit is on the disk before the method returns, so what
the page calls saved survives a power cut, not only a killed process), foreign keys on and a busy
timeout; every write method is one ``BEGIN IMMEDIATE`` transaction, so at most one process writes
at a time and a write is either all there or not at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from planner.store.entities import (
    DataVersion,
    DataVersionInfo,
    EditStep,
    Json,
    MergeResult,
    PlanOrigin,
    PlanStatus,
    PlanVersion,
    RecordRow,
    Schedule,
    SourceFile,
    StaffChange,
)
from planner.store.errors import (
    DuplicateRowError,
    MigrationError,
    NotAWorkspaceError,
    StatusChangeError,
    UnknownEntryError,
    WorkspaceBusyError,
    WorkspaceDamagedError,
    WorkspaceNotWritableError,
    WorkspaceTooNewError,
    translate,
)
from planner.store.schema import APPLICATION, CURRENT_VERSION, create_schema, migrate

FILE_NAME = "workspace.sqlite"
"""The workspace file's name inside the workspace folder."""

BACKUP_FOLDER = "backups"
"""Sub-folder where a copy is taken before each migration."""

_SQLITE_HEADER = b"SQLite format 3\x00"


def _now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


def _dumps(value: Json) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _dumps_or_null(value: Json) -> str | None:
    return None if value is None else _dumps(value)


def _loads_or_none(text: str | None) -> Json:
    return None if text is None else json.loads(text)


def _iso_date(value: date, what: str) -> str:
    # A datetime is a date too, but its isoformat has a time and would not sort with dates.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, got {value!r}")
    return value.isoformat()


def _date_or_none(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _stamp(value: datetime | None) -> str:
    if value is None:
        return _now().isoformat()
    if not isinstance(value, datetime):
        raise TypeError(f"created_at must be a datetime, got {value!r}")
    return value.isoformat()


def _row_id(cursor: sqlite3.Cursor) -> int:
    row_id = cursor.lastrowid
    if row_id is None:  # pragma: no cover - only after a statement that inserted nothing
        raise RuntimeError("INSERT returned no row id")
    return row_id


def _check_text_row(where: str, row: Mapping[str, str]) -> None:
    for column, value in row.items():
        if not isinstance(column, str) or not isinstance(value, str):
            raise TypeError(f"{where}: column {column!r} has {value!r}; rows hold text only")


def _encode_table(
    name: str, rows: Sequence[Mapping[str, str]], columns: Sequence[str] | None
) -> tuple[list[str], list[list[str]]]:
    """The header and each row's cells in header order; every row must have exactly the header."""
    if columns is None:
        columns = list(rows[0]) if rows else []
    header = list(columns)
    if len(set(header)) != len(header):
        raise ValueError(f"table {name!r}: a column is repeated in {header}")
    wanted = set(header)
    cells = []
    for index, row in enumerate(rows):
        if set(row) != wanted:
            raise ValueError(
                f"table {name!r} row {index}: columns {list(row)} are not the header {header}"
            )
        _check_text_row(f"table {name!r} row {index}", row)
        cells.append([row[column] for column in header])
    return header, cells


def _check_pairs(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    checked = []
    for index, pair in enumerate(pairs):
        if len(pair) != 2 or not all(isinstance(part, str) for part in pair):
            raise TypeError(f"pair {index} must be (leader_id, counselor_id) text, got {pair!r}")
        checked.append((pair[0], pair[1]))
    return checked


def _record_key(row: Mapping[str, str], key_columns: Sequence[str]) -> str:
    return _dumps([row.get(column, "") for column in key_columns])


def _not_writable(path: Path, exc: OSError | None = None) -> WorkspaceNotWritableError:
    reason = f"({exc.strerror or exc})" if exc is not None else ""
    return WorkspaceNotWritableError(
        path,
        f"无法在“{path}”创建或写入工作区{reason}:请检查写入权限,或换一个工作区文件夹(--workspace)。",
        f"cannot create or write the workspace at '{path}' {reason}: check that it is "
        "writable, or choose another workspace folder (--workspace).",
    )


def _not_a_workspace(path: Path, why_zh: str, why_en: str) -> NotAWorkspaceError:
    return NotAWorkspaceError(
        path,
        f"“{path}”不是工作区文件({why_zh}):请换一个工作区文件夹;该文件未作改动。",
        f"'{path}' is not a workspace file ({why_en}): choose another workspace folder; the file "
        "was not changed.",
    )


def _prepare_folder(folder: Path) -> None:
    existed = folder.exists()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not existed and os.name == "posix":
            os.chmod(folder, 0o700)  # mkdir's mode is cut by the umask; be exact
    except OSError as exc:
        raise _not_writable(folder, exc) from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _not_writable(folder)


def _prepare_file(path: Path) -> None:
    """Create the file owner-only when missing; otherwise check it looks like SQLite."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise _not_writable(path, exc) from exc
    else:
        os.close(fd)
        return
    if path.is_dir():
        raise _not_a_workspace(path, "这是一个文件夹", "it is a folder")
    if not os.access(path, os.R_OK | os.W_OK):
        raise _not_writable(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise _not_writable(path, exc) from exc
    # An empty file is a workspace not yet created (or one whose content is still in the -wal).
    if head and head != _SQLITE_HEADER:
        raise _not_a_workspace(path, "不是 SQLite 数据库", "not an SQLite database")
    if os.name == "posix" and path.stat().st_mode & 0o077:
        # A copy brought from another PC may have lost its owner-only mode.
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)


def _connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    # mode=rw: never let SQLite create a file we did not create (with our permissions) ourselves.
    conn = sqlite3.connect(
        path.resolve().as_uri() + "?mode=rw",
        uri=True,
        timeout=busy_timeout,
        isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE … COMMIT
        check_same_thread=False,  # the page's threads share one Store; a lock serialises them
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def _read_version(conn: sqlite3.Connection, path: Path) -> int | None:
    """The file's schema version; ``None`` for an empty database."""
    tables = {
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if not tables:
        return None
    if "meta" not in tables:
        raise _not_a_workspace(
            path,
            "是另一个程序的 SQLite 文件,没有 meta 表",
            "another program's SQLite file, no meta table",
        )
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.OperationalError as exc:
        raise _not_a_workspace(
            path, "meta 表不是本程序的格式", "its meta table is not this program's"
        ) from exc
    if meta.get("application") != APPLICATION:
        raise _not_a_workspace(
            path, "meta 表中没有本程序的标记", "its meta table lacks this program's mark"
        )
    try:
        return int(meta["schema_version"])
    except (KeyError, ValueError) as exc:
        raise _not_a_workspace(
            path, "meta 表中没有可读的结构版本", "its meta table has no readable schema version"
        ) from exc


def _fsync(path: Path) -> None:
    # Windows cannot open a folder to fsync it; there the rename is already durable enough.
    if os.name != "posix" and path.is_dir():
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_database(conn: sqlite3.Connection, dest: Path) -> None:
    """One consistent copy of ``conn``'s database at ``dest`` (owner-only), replaced atomically.

    The online backup API copies every page in one step, i.e. inside one read transaction: the
    copy is the database as of one commit, whatever other processes write meanwhile (in WAL mode
    they are not blocked by it).
    """
    part = dest.with_name(dest.name + ".part")
    try:
        dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        part.unlink(missing_ok=True)
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise _not_writable(dest, exc) from exc
    try:
        target = sqlite3.connect(part, isolation_level=None)
        try:
            conn.backup(target)
            # One self-contained file (no -wal beside it): what one copies to another PC.
            target.execute("PRAGMA journal_mode = DELETE")
            verdict = target.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            target.close()
        if verdict != "ok":
            raise WorkspaceDamagedError(
                dest,
                f"备份“{dest}”未通过检查({verdict}):工作区文件可能已损坏。",
                f"backup '{dest}' failed its check ({verdict}): the workspace may be damaged.",
            )
        _fsync(part)
        os.replace(part, dest)
        _fsync(dest.parent)
    except sqlite3.Error as exc:
        part.unlink(missing_ok=True)
        raise translate(exc, dest) from exc
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise _not_writable(dest, exc) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _backup_path(folder: Path, version: int) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = folder / BACKUP_FOLDER / f"workspace-v{version}-{stamp}.sqlite"
    n = 2
    while candidate.exists():
        candidate = folder / BACKUP_FOLDER / f"workspace-v{version}-{stamp}-{n}.sqlite"
        n += 1
    return candidate


def _begin_immediate(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")


def _end(conn: sqlite3.Connection, commit: bool) -> None:
    if conn.in_transaction:
        conn.execute("COMMIT" if commit else "ROLLBACK")


def _initialise(conn: sqlite3.Connection, folder: Path, path: Path) -> int:
    """Create, check or migrate the file; return its (current) schema version."""
    version = _read_version(conn, path)
    if version is not None and version > CURRENT_VERSION:
        raise WorkspaceTooNewError(path, version, CURRENT_VERSION)
    # Only now, with the file known to be ours (or empty), may it be switched to WAL.
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise WorkspaceNotWritableError(
            path,
            f"工作区“{path}”无法使用 WAL 日志模式(常见于网络共享文件夹):请把工作区放在本机磁盘上。",
            f"workspace '{path}' cannot use WAL journal mode (typical of network shares): keep "
            "the workspace on a local disk.",
        )
    if version is None:
        _begin_immediate(conn)
        try:
            # Another process may have created it between our look and our lock.
            if _read_version(conn, path) is None:
                create_schema(conn, CURRENT_VERSION, _now().isoformat())
            _end(conn, commit=True)
        finally:
            _end(conn, commit=False)
        version = _read_version(conn, path)
        assert version is not None
        if version > CURRENT_VERSION:
            raise WorkspaceTooNewError(path, version, CURRENT_VERSION)
    if version < CURRENT_VERSION:
        _migrate_file(conn, folder, path, version)
        version = CURRENT_VERSION
    return version


def _migrate_file(conn: sqlite3.Connection, folder: Path, path: Path, version: int) -> None:
    backup = _backup_path(folder, version)
    _copy_database(conn, backup)
    # Table rebuilds need foreign keys off; the pragma is a no-op inside a transaction.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        _begin_immediate(conn)
        try:
            if _read_version(conn, path) == version:  # else another process just migrated it
                migrate(conn, version)
            _end(conn, commit=True)
        except Exception as exc:  # a bad row in an old file too: report it, never half-migrate
            _end(conn, commit=False)
            if isinstance(exc, sqlite3.Error):
                translated = translate(exc, path)
                if isinstance(translated, WorkspaceBusyError):
                    raise translated from exc  # waiting for another writer is not a failure
            raise MigrationError(
                path,
                f"工作区“{path}”从结构版本 {version} 升级到 {CURRENT_VERSION} 失败,已撤回,文件保持原样;"
                f"升级前的备份在“{backup}”。",
                f"upgrading workspace '{path}' from schema version {version} to {CURRENT_VERSION} "
                f"failed and was rolled back; the file is as it was; the backup taken before is "
                f"'{backup}' ({exc}).",
            ) from exc
        finally:
            _end(conn, commit=False)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


_PLAN_COLUMNS = (
    "id, cycle, origin, parent_id, change, data_version_id, created_at, created_by, run_record, "
    "status, adopted_on, adopted_by, approved_on, approved_by"
)


class Store:
    """The college's workspace: data versions, plan versions, staff changes, hand edits,
    schedules, records tables and page preferences, in ``<folder>/workspace.sqlite``.

    Open it with :meth:`Store.open`; close it with :meth:`close` (or use it as a context manager).
    One ``Store`` may be shared by the threads of one process; several processes (or several
    ``Store`` objects) may open the same folder at once and see each other's committed writes.
    Every method raises :class:`~planner.store.errors.WorkspaceError` subclasses, never a raw
    :mod:`sqlite3` error.
    """

    def __init__(self, conn: sqlite3.Connection, folder: Path, path: Path, version: int) -> None:
        # Use Store.open: this only wraps a connection that open() has prepared.
        self._conn: sqlite3.Connection | None = conn
        self._folder = folder
        self._path = path
        self._version = version
        self._lock = threading.RLock()

    # ----------------------------------------------------------------- opening and closing

    @classmethod
    def open(cls, folder: Path | str, *, busy_timeout: float = 10.0) -> Store:
        """Open the workspace in ``folder``, creating the folder and the file when missing.

        A new folder is made owner-only (0o700) and a new file owner-only (0o600). A file of an
        older schema version is first copied to ``<folder>/backups/workspace-v<old>-<time>.sqlite``
        and then migrated in one transaction.

        Parameters
        ----------
        folder
            The workspace folder.
        busy_timeout
            Seconds a write waits for another process's write to finish before
            :class:`~planner.store.errors.WorkspaceBusyError`.

        Returns
        -------
        Store
            The open workspace.

        Raises
        ------
        WorkspaceNotWritableError
            The folder or file cannot be created or written.
        NotAWorkspaceError
            The file is not SQLite, or another program's SQLite file.
        WorkspaceTooNewError
            The file's schema version is newer than this code knows.
        MigrationError
            Migrating an older file failed (it is left as it was).
        """
        folder = Path(folder).expanduser()
        _prepare_folder(folder)
        path = folder / FILE_NAME
        _prepare_file(path)
        try:
            conn = _connect(path, busy_timeout)
        except sqlite3.Error as exc:
            raise translate(exc, path) from exc
        try:
            version = _initialise(conn, folder, path)
        except sqlite3.Error as exc:
            conn.close()
            raise translate(exc, path) from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, folder, path, version)

    @property
    def folder(self) -> Path:
        """The workspace folder."""
        return self._folder

    @property
    def path(self) -> Path:
        """The workspace file, ``<folder>/workspace.sqlite``."""
        return self._path

    @property
    def schema_version(self) -> int:
        """The file's schema version (always :data:`~planner.store.schema.CURRENT_VERSION`)."""
        return self._version

    def close(self) -> None:
        """Close the connection (idempotent); the last one to close checkpoints the WAL."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE takes the write lock up front (waiting up to the
        busy timeout), so two writers never deadlock half-way; any error rolls it all back."""
        with self._lock:
            conn = self._connection()
            try:
                _begin_immediate(conn)
                try:
                    yield conn
                    _end(conn, commit=True)
                finally:
                    _end(conn, commit=False)
            except sqlite3.Error as exc:
                raise translate(exc, self._path) from exc

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so that the several SELECTs of one method see one snapshot."""
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN")
                try:
                    yield conn
                finally:
                    _end(conn, commit=True)
            except sqlite3.Error as exc:
                raise translate(exc, self._path) from exc

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"the workspace store for {self._path} is closed")
        return self._conn

    def _unknown(self, what_zh: str, what_en: str, key: object) -> UnknownEntryError:
        return UnknownEntryError(
            self._path,
            f"工作区“{self._path}”中没有{what_zh} {key}。",
            f"workspace '{self._path}' has no {what_en} {key}.",
        )

    # ----------------------------------------------------------------- whole-file operations

    def backup(self, dest: Path | str) -> Path:
        """Write one consistent copy of the workspace to the file ``dest``.

        Safe while other processes write: the copy is the database as of one commit. It is
        written beside ``dest`` first and renamed into place, so ``dest`` is never half-written;
        it is a single self-contained SQLite file (owner-only) that :meth:`open` accepts when put
        in a folder as ``workspace.sqlite``.

        Parameters
        ----------
        dest
            The backup file; replaced if it exists; its folder is created if missing.

        Returns
        -------
        Path
            ``dest``.
        """
        dest = Path(dest).expanduser()
        if dest.exists() and dest.resolve() == self._path.resolve():
            raise WorkspaceNotWritableError(
                dest,
                f"备份文件“{dest}”就是工作区文件本身:请另选一个文件名。",
                f"backup file '{dest}' is the workspace file itself: choose another name.",
            )
        with self._lock:
            _copy_database(self._connection(), dest)
        return dest

    def check(self) -> list[str]:
        """Run SQLite's ``PRAGMA integrity_check``.

        Returns
        -------
        list of str
            The problems found; empty when the file is sound.
        """
        with self._read() as conn:
            found = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            found += [str(row) for row in conn.execute("PRAGMA foreign_key_check")]
        return [] if found == ["ok"] else [line for line in found if line != "ok"]

    # ----------------------------------------------------------------- data versions

    def add_data_version(
        self,
        tables: Mapping[str, Sequence[Mapping[str, str]]],
        sources: Sequence[SourceFile] = (),
        *,
        columns: Mapping[str, Sequence[str]] | None = None,
        note: str = "",
        created_at: datetime | None = None,
        created_by: str = "",
    ) -> int:
        """Store a new version of the DATA tables (rosters, rules, settings, calendar, …).

        Parameters
        ----------
        tables
            Table name → rows; each row a dict of text with exactly the table's header. Table
            order and row order are kept.
        sources
            The files this version was imported from; when ``content`` is given its size and
            SHA-256 must match.
        columns
            Table name → header, when it is not the first row's keys (and for a table with no
            rows, whose header would otherwise be lost).
        note, created_at, created_by
            Free text; when (default now); who.

        Returns
        -------
        int
            The new data version's id (ids grow: the highest is the current version).
        """
        headers = dict(columns or {})
        unknown = set(headers) - set(tables)
        if unknown:
            raise ValueError(f"columns given for tables not in tables: {sorted(unknown)}")
        encoded = [
            (name, *_encode_table(name, rows, headers.get(name))) for name, rows in tables.items()
        ]
        for source in sources:
            if source.size is None:
                raise ValueError(f"source {source.file_name!r}: size is required")
            if source.content is not None and (
                len(source.content) != source.size
                or hashlib.sha256(source.content).hexdigest() != source.sha256.lower()
            ):
                raise ValueError(f"source {source.file_name!r}: content does not match size/sha256")
        stamp = _stamp(created_at)
        with self._write() as conn:
            version_id = _row_id(
                conn.execute(
                    "INSERT INTO data_version (created_at, created_by, note) VALUES (?, ?, ?)",
                    (stamp, created_by, note),
                )
            )
            conn.executemany(
                "INSERT INTO data_source (data_version_id, position, file_name, sha256, size, "
                "content) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (version_id, i, s.file_name, s.sha256, s.size, s.content)
                    for i, s in enumerate(sources)
                ],
            )
            for position, (name, header, cells) in enumerate(encoded):
                conn.execute(
                    "INSERT INTO data_table (data_version_id, table_name, position, columns) "
                    "VALUES (?, ?, ?, ?)",
                    (version_id, name, position, _dumps(header)),
                )
                conn.executemany(
                    "INSERT INTO data_row (data_version_id, table_name, row_no, cells) "
                    "VALUES (?, ?, ?, ?)",
                    [(version_id, name, i, _dumps(row)) for i, row in enumerate(cells)],
                )
        return version_id

    def _sources(
        self, conn: sqlite3.Connection, version_id: int, with_content: bool
    ) -> tuple[SourceFile, ...]:
        content = "content" if with_content else "NULL"
        return tuple(
            SourceFile(name, sha, size, blob)
            for name, sha, size, blob in conn.execute(
                f"SELECT file_name, sha256, size, {content} FROM data_source "
                "WHERE data_version_id = ? ORDER BY position",
                (version_id,),
            )
        )

    def data_versions(self) -> list[DataVersionInfo]:
        """Every data version, oldest first, without rows (and without source bytes)."""
        with self._read() as conn:
            heads = conn.execute(
                "SELECT id, created_at, created_by, note FROM data_version ORDER BY id"
            ).fetchall()
            names: dict[int, list[str]] = {}
            for version_id, name in conn.execute(
                "SELECT data_version_id, table_name FROM data_table "
                "ORDER BY data_version_id, position"
            ):
                names.setdefault(version_id, []).append(name)
            return [
                DataVersionInfo(
                    id=vid,
                    created_at=datetime.fromisoformat(at),
                    created_by=by,
                    note=note,
                    sources=self._sources(conn, vid, with_content=False),
                    table_names=tuple(names.get(vid, [])),
                )
                for vid, at, by, note in heads
            ]

    def data_version(self, version_id: int, *, with_content: bool = False) -> DataVersion:
        """One data version with every table exactly as stored.

        Parameters
        ----------
        version_id
            The id :meth:`add_data_version` returned.
        with_content
            Also load the source files' bytes (when they were kept).

        Raises
        ------
        UnknownEntryError
            No such version.
        """
        with self._read() as conn:
            return self._data_version(conn, version_id, with_content)

    def _data_version(
        self, conn: sqlite3.Connection, version_id: int, with_content: bool
    ) -> DataVersion:
        head = conn.execute(
            "SELECT created_at, created_by, note FROM data_version WHERE id = ?",
            (version_id,),
        ).fetchone()
        if head is None:
            raise self._unknown("数据版本", "data version", version_id)
        columns: dict[str, list[str]] = {}
        for name, header in conn.execute(
            "SELECT table_name, columns FROM data_table WHERE data_version_id = ? "
            "ORDER BY position",
            (version_id,),
        ):
            columns[name] = json.loads(header)
        tables: dict[str, list[dict[str, str]]] = {name: [] for name in columns}
        for name, cells in conn.execute(
            "SELECT table_name, cells FROM data_row WHERE data_version_id = ? "
            "ORDER BY table_name, row_no",
            (version_id,),
        ):
            tables[name].append(dict(zip(columns[name], json.loads(cells), strict=True)))
        return DataVersion(
            id=version_id,
            created_at=datetime.fromisoformat(head[0]),
            created_by=head[1],
            note=head[2],
            sources=self._sources(conn, version_id, with_content),
            columns=columns,
            tables=tables,
        )

    def current_data_version(self, *, with_content: bool = False) -> DataVersion | None:
        """The latest data version (highest id), or ``None`` in a new workspace."""
        with self._read() as conn:
            row = conn.execute("SELECT MAX(id) FROM data_version").fetchone()
            if row[0] is None:
                return None
            return self._data_version(conn, row[0], with_content)

    # ----------------------------------------------------------------- plan versions

    def add_plan_version(
        self,
        cycle: str,
        pairs: Sequence[tuple[str, str]],
        origin: PlanOrigin | str,
        *,
        parent_id: int | None = None,
        change: Json = None,
        data_version_id: int | None = None,
        created_at: datetime | None = None,
        created_by: str = "",
        run_record: Json = None,
    ) -> int:
        """Store a new plan version, as a draft (草案).

        Parameters
        ----------
        cycle
            The cycle label, e.g. ``"2027-2030"``.
        pairs
            ``(leader_id, counselor_id)`` in the plan's order.
        origin
            What produced it: solver, repair, hand_edit, upload or import.
        parent_id
            The plan version it was derived from.
        change
            The what-if change or the hand-edit list that produced it (JSON).
        data_version_id
            The data version it was computed on.
        created_at, created_by
            When (default now); who.
        run_record
            The run record (solver, seed, objective, …) as JSON.

        Returns
        -------
        int
            The new plan version's id.
        """
        origin = PlanOrigin(origin)
        checked = _check_pairs(pairs)
        stamp = _stamp(created_at)
        with self._write() as conn:
            if parent_id is not None and not self._exists(conn, "plan_version", parent_id):
                raise self._unknown("方案版本", "plan version", parent_id)
            if data_version_id is not None and not self._exists(
                conn, "data_version", data_version_id
            ):
                raise self._unknown("数据版本", "data version", data_version_id)
            plan_id = _row_id(
                conn.execute(
                    "INSERT INTO plan_version (cycle, origin, parent_id, change, data_version_id, "
                    "created_at, created_by, run_record, status) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft')",
                    (
                        cycle,
                        origin.value,
                        parent_id,
                        _dumps_or_null(change),
                        data_version_id,
                        stamp,
                        created_by,
                        _dumps_or_null(run_record),
                    ),
                )
            )
            self._put_pairs(conn, plan_id, checked)
        return plan_id

    @staticmethod
    def _exists(conn: sqlite3.Connection, table: str, row_id: int) -> bool:
        # ``table`` is one of this module's literal table names, never caller text.
        return conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is not None

    @staticmethod
    def _put_pairs(conn: sqlite3.Connection, plan_id: int, pairs: list[tuple[str, str]]) -> None:
        conn.execute("DELETE FROM plan_pair WHERE plan_version_id = ?", (plan_id,))
        conn.executemany(
            "INSERT INTO plan_pair (plan_version_id, position, leader_id, counselor_id) "
            "VALUES (?, ?, ?, ?)",
            [(plan_id, i, leader, counselor) for i, (leader, counselor) in enumerate(pairs)],
        )

    def _plans(
        self, conn: sqlite3.Connection, where: str, args: tuple[Any, ...]
    ) -> list[PlanVersion]:
        heads = conn.execute(f"SELECT {_PLAN_COLUMNS} FROM plan_version {where}", args).fetchall()
        plans = []
        for head in heads:
            pairs = tuple(
                (leader, counselor)
                for leader, counselor in conn.execute(
                    "SELECT leader_id, counselor_id FROM plan_pair WHERE plan_version_id = ? "
                    "ORDER BY position",
                    (head[0],),
                )
            )
            plans.append(
                PlanVersion(
                    id=head[0],
                    cycle=head[1],
                    pairs=pairs,
                    origin=PlanOrigin(head[2]),
                    parent_id=head[3],
                    change=_loads_or_none(head[4]),
                    data_version_id=head[5],
                    created_at=datetime.fromisoformat(head[6]),
                    created_by=head[7],
                    run_record=_loads_or_none(head[8]),
                    status=PlanStatus(head[9]),
                    adopted_on=_date_or_none(head[10]),
                    adopted_by=head[11],
                    approved_on=_date_or_none(head[12]),
                    approved_by=head[13],
                )
            )
        return plans

    def _plan(self, conn: sqlite3.Connection, plan_id: int) -> PlanVersion:
        found = self._plans(conn, "WHERE id = ?", (plan_id,))
        if not found:
            raise self._unknown("方案版本", "plan version", plan_id)
        return found[0]

    def plan_version(self, plan_id: int) -> PlanVersion:
        """One plan version with its pairs, status and dates.

        Raises
        ------
        UnknownEntryError
            No such version.
        """
        with self._read() as conn:
            return self._plan(conn, plan_id)

    def plan_versions(self, *, cycle: str | None = None) -> list[PlanVersion]:
        """Every plan version (of ``cycle`` when given), oldest first."""
        with self._read() as conn:
            if cycle is None:
                return self._plans(conn, "ORDER BY id", ())
            return self._plans(conn, "WHERE cycle = ? ORDER BY id", (cycle,))

    def _refuse(self, plan: PlanVersion, wanted_zh: str, wanted_en: str) -> StatusChangeError:
        return StatusChangeError(
            self._path,
            f"方案版本 {plan.id} 现为“{plan.status.zh}”,不能{wanted_zh}(状态只能按 草案 → 已采用 → 已审定 前进)。",
            f"plan version {plan.id} is {plan.status.value}; it cannot {wanted_en} (status only "
            "moves draft → adopted → approved).",
        )

    def adopt_plan(self, plan_id: int, adopted_on: date, adopted_by: str) -> PlanVersion:
        """Mark a draft 已采用 from ``adopted_on``.

        Parameters
        ----------
        plan_id
            A draft plan version.
        adopted_on
            The date from which it is in force.
        adopted_by
            Who adopted it (on the page).

        Returns
        -------
        PlanVersion
            The version as now stored.

        Raises
        ------
        StatusChangeError
            The version is not a draft.
        """
        day = _iso_date(adopted_on, "adopted_on")
        with self._write() as conn:
            plan = self._plan(conn, plan_id)
            if plan.status is not PlanStatus.DRAFT:
                raise self._refuse(plan, "再次采用", "be adopted again")
            conn.execute(
                "UPDATE plan_version SET status = 'adopted', adopted_on = ?, adopted_by = ? "
                "WHERE id = ?",
                (day, adopted_by, plan_id),
            )
            return self._plan(conn, plan_id)

    def approve_plan(self, plan_id: int, approved_on: date, approved_by: str) -> PlanVersion:
        """Mark an adopted version 已审定 (approved by the leading group on ``approved_on``).

        Parameters
        ----------
        plan_id
            An adopted plan version.
        approved_on
            The approval date the leading group gave.
        approved_by
            Who approved it (e.g. 领导小组).

        Returns
        -------
        PlanVersion
            The version as now stored.

        Raises
        ------
        StatusChangeError
            The version is a draft (adopt it first) or already approved.
        """
        day = _iso_date(approved_on, "approved_on")
        with self._write() as conn:
            plan = self._plan(conn, plan_id)
            if plan.status is not PlanStatus.ADOPTED:
                wanted = ("在采用前审定", "be approved before it is adopted")
                if plan.status is PlanStatus.APPROVED:
                    wanted = ("再次审定", "be approved again")
                raise self._refuse(plan, *wanted)
            conn.execute(
                "UPDATE plan_version SET status = 'approved', approved_on = ?, approved_by = ? "
                "WHERE id = ?",
                (day, approved_by, plan_id),
            )
            return self._plan(conn, plan_id)

    def plan_in_force(self, day: date, *, cycle: str | None = None) -> PlanVersion | None:
        """The plan in force on ``day``: the last version adopted (or approved) on or before it.

        Among versions adopted on the same date the later id wins.

        Parameters
        ----------
        day
            The date asked about (e.g. a record's date).
        cycle
            Only consider versions of this cycle.

        Returns
        -------
        PlanVersion or None
            ``None`` when nothing was adopted by then.
        """
        iso = _iso_date(day, "day")
        where = "WHERE adopted_on IS NOT NULL AND adopted_on <= ?"
        args: tuple[Any, ...] = (iso,)
        if cycle is not None:
            where += " AND cycle = ?"
            args += (cycle,)
        with self._read() as conn:
            found = self._plans(conn, where + " ORDER BY adopted_on DESC, id DESC LIMIT 1", args)
        return found[0] if found else None

    def _draft(
        self, conn: sqlite3.Connection, plan_id: int, wanted_zh: str, wanted_en: str
    ) -> None:
        plan = self._plan(conn, plan_id)
        if plan.status is not PlanStatus.DRAFT:
            raise self._refuse(plan, wanted_zh, wanted_en)

    def set_draft_pairs(self, plan_id: int, pairs: Sequence[tuple[str, str]]) -> None:
        """Replace a draft's pairs (in order).

        Raises
        ------
        StatusChangeError
            The version is no longer a draft.
        """
        checked = _check_pairs(pairs)
        with self._write() as conn:
            self._draft(conn, plan_id, "再修改结对", "have its pairs changed")
            self._put_pairs(conn, plan_id, checked)

    # ----------------------------------------------------------------- hand-edit undo log

    def push_edit(
        self,
        plan_id: int,
        step: Json,
        *,
        pairs: Sequence[tuple[str, str]] | None = None,
        created_at: datetime | None = None,
    ) -> int:
        """Append one hand-edit step to a draft's undo log.

        Parameters
        ----------
        plan_id
            A draft plan version.
        step
            The edit as the page describes it (JSON).
        pairs
            The draft's pairs after the edit, saved in the same transaction (so the log and the
            pairs never disagree after a crash).
        created_at
            When (default now).

        Returns
        -------
        int
            The step's number (1 for the first step).
        """
        checked = None if pairs is None else _check_pairs(pairs)
        stamp = _stamp(created_at)
        with self._write() as conn:
            self._draft(conn, plan_id, "再手工修改", "be edited by hand")
            (last,) = conn.execute(
                "SELECT COALESCE(MAX(step_no), 0) FROM edit_step WHERE plan_version_id = ?",
                (plan_id,),
            ).fetchone()
            conn.execute(
                "INSERT INTO edit_step (plan_version_id, step_no, payload, created_at) "
                "VALUES (?, ?, ?, ?)",
                (plan_id, last + 1, _dumps(step), stamp),
            )
            if checked is not None:
                self._put_pairs(conn, plan_id, checked)
        return int(last) + 1

    def pop_edit(
        self, plan_id: int, *, pairs: Sequence[tuple[str, str]] | None = None
    ) -> EditStep | None:
        """Remove and return a draft's last hand-edit step (undo).

        Parameters
        ----------
        plan_id
            A draft plan version.
        pairs
            The draft's pairs with that step undone, saved in the same transaction.

        Returns
        -------
        EditStep or None
            The step removed; ``None`` (and nothing changed) when the log is empty.
        """
        checked = None if pairs is None else _check_pairs(pairs)
        with self._write() as conn:
            self._draft(conn, plan_id, "再撤销手工修改", "have hand edits undone")
            row = conn.execute(
                "SELECT step_no, payload, created_at FROM edit_step WHERE plan_version_id = ? "
                "ORDER BY step_no DESC LIMIT 1",
                (plan_id,),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "DELETE FROM edit_step WHERE plan_version_id = ? AND step_no = ?",
                (plan_id, row[0]),
            )
            if checked is not None:
                self._put_pairs(conn, plan_id, checked)
        return EditStep(row[0], json.loads(row[1]), datetime.fromisoformat(row[2]))

    def edit_steps(self, plan_id: int) -> list[EditStep]:
        """A plan version's hand-edit steps, first to last."""
        with self._read() as conn:
            if not self._exists(conn, "plan_version", plan_id):
                raise self._unknown("方案版本", "plan version", plan_id)
            return [
                EditStep(no, json.loads(payload), datetime.fromisoformat(at))
                for no, payload, at in conn.execute(
                    "SELECT step_no, payload, created_at FROM edit_step "
                    "WHERE plan_version_id = ? ORDER BY step_no",
                    (plan_id,),
                )
            ]

    # ----------------------------------------------------------------- staff changes

    def add_staff_change(
        self,
        kind: str,
        person_id: str,
        effective_on: date,
        *,
        payload: Json = None,
        plan_version_id: int | None = None,
        created_at: datetime | None = None,
        created_by: str = "",
    ) -> int:
        """Record a staff change (a leaver, a joiner, …) effective from ``effective_on``.

        Parameters
        ----------
        kind
            The change's kind as the application names it (e.g. ``"leave"``, ``"join"``).
        person_id
            The leader's or counselor's id.
        effective_on
            The date from which it holds.
        payload
            Its details (the joiner's fields, …) as JSON.
        plan_version_id
            The plan version it produced, when already known (else :meth:`link_staff_change`).
        created_at, created_by
            When (default now); who.

        Returns
        -------
        int
            The change's id.
        """
        day = _iso_date(effective_on, "effective_on")
        stamp = _stamp(created_at)
        with self._write() as conn:
            if plan_version_id is not None and not self._exists(
                conn, "plan_version", plan_version_id
            ):
                raise self._unknown("方案版本", "plan version", plan_version_id)
            return _row_id(
                conn.execute(
                    "INSERT INTO staff_change (kind, person_id, effective_on, payload, "
                    "plan_version_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        kind,
                        person_id,
                        day,
                        _dumps_or_null(payload),
                        plan_version_id,
                        stamp,
                        created_by,
                    ),
                )
            )

    def link_staff_change(self, change_id: int, plan_version_id: int) -> None:
        """Record the plan version a staff change produced."""
        with self._write() as conn:
            if not self._exists(conn, "plan_version", plan_version_id):
                raise self._unknown("方案版本", "plan version", plan_version_id)
            cursor = conn.execute(
                "UPDATE staff_change SET plan_version_id = ? WHERE id = ?",
                (plan_version_id, change_id),
            )
            if cursor.rowcount == 0:
                raise self._unknown("人员变动", "staff change", change_id)

    def staff_changes(self, *, until: date | None = None) -> list[StaffChange]:
        """Staff changes by effective date (then id), only those effective by ``until`` if given."""
        sql = (
            "SELECT id, kind, person_id, effective_on, payload, plan_version_id, created_at, "
            "created_by FROM staff_change"
        )
        args: tuple[Any, ...] = ()
        if until is not None:
            sql += " WHERE effective_on <= ?"
            args = (_iso_date(until, "until"),)
        with self._read() as conn:
            return [
                StaffChange(
                    id=cid,
                    kind=kind,
                    person_id=person,
                    effective_on=date.fromisoformat(day),
                    payload=_loads_or_none(payload),
                    plan_version_id=plan_id,
                    created_at=datetime.fromisoformat(at),
                    created_by=by,
                )
                for cid, kind, person, day, payload, plan_id, at, by in conn.execute(
                    sql + " ORDER BY effective_on, id", args
                )
            ]

    # ----------------------------------------------------------------- schedules

    def add_schedule(
        self,
        plan_version_id: int,
        rows: Sequence[Mapping[str, str]],
        *,
        columns: Sequence[str] | None = None,
        created_at: datetime | None = None,
        created_by: str = "",
        run_record: Json = None,
    ) -> int:
        """Store a schedule laid for a plan version.

        Parameters
        ----------
        plan_version_id
            The plan version it schedules.
        rows
            The schedule rows (text dicts with one header), in order.
        columns
            The header, when not the first row's keys (or when there are no rows).
        created_at, created_by, run_record
            When (default now); who; the run record as JSON.

        Returns
        -------
        int
            The schedule's id.
        """
        header, cells = _encode_table("schedule", rows, columns)
        stamp = _stamp(created_at)
        with self._write() as conn:
            if not self._exists(conn, "plan_version", plan_version_id):
                raise self._unknown("方案版本", "plan version", plan_version_id)
            schedule_id = _row_id(
                conn.execute(
                    "INSERT INTO schedule (plan_version_id, columns, created_at, created_by, "
                    "run_record) VALUES (?, ?, ?, ?, ?)",
                    (
                        plan_version_id,
                        _dumps(header),
                        stamp,
                        created_by,
                        _dumps_or_null(run_record),
                    ),
                )
            )
            conn.executemany(
                "INSERT INTO schedule_row (schedule_id, row_no, cells) VALUES (?, ?, ?)",
                [(schedule_id, i, _dumps(row)) for i, row in enumerate(cells)],
            )
        return schedule_id

    def _schedule(
        self, conn: sqlite3.Connection, where: str, args: tuple[Any, ...]
    ) -> Schedule | None:
        head = conn.execute(
            "SELECT id, plan_version_id, columns, created_at, created_by, run_record "
            f"FROM schedule {where}",
            args,
        ).fetchone()
        if head is None:
            return None
        header = json.loads(head[2])
        rows = [
            dict(zip(header, json.loads(cells), strict=True))
            for (cells,) in conn.execute(
                "SELECT cells FROM schedule_row WHERE schedule_id = ? ORDER BY row_no", (head[0],)
            )
        ]
        return Schedule(
            id=head[0],
            plan_version_id=head[1],
            columns=header,
            rows=rows,
            created_at=datetime.fromisoformat(head[3]),
            created_by=head[4],
            run_record=_loads_or_none(head[5]),
        )

    def schedule(self, schedule_id: int) -> Schedule:
        """One stored schedule.

        Raises
        ------
        UnknownEntryError
            No such schedule.
        """
        with self._read() as conn:
            found = self._schedule(conn, "WHERE id = ?", (schedule_id,))
        if found is None:
            raise self._unknown("日程", "schedule", schedule_id)
        return found

    def latest_schedule(self, plan_version_id: int) -> Schedule | None:
        """The schedule stored last for a plan version, or ``None``."""
        with self._read() as conn:
            return self._schedule(
                conn, "WHERE plan_version_id = ? ORDER BY id DESC LIMIT 1", (plan_version_id,)
            )

    # ----------------------------------------------------------------- records tables

    def merge_rows(
        self,
        table: str,
        rows: Sequence[Mapping[str, str]],
        key_columns: Sequence[str],
        *,
        columns: Sequence[str] | None = None,
    ) -> MergeResult:
        """Add the rows whose key is not in ``table`` yet, in one transaction.

        A row is a duplicate when its values in ``key_columns`` equal those of a row already in
        the table or of an earlier row in ``rows`` (exact text; the caller normalises). When the
        table's key columns were different before, existing rows are re-keyed first.

        Parameters
        ----------
        table
            The records table's name (records, growth, news, issues, meetings, …).
        rows
            Text dicts; each must have every key column.
        key_columns
            The columns that identify a row (at least one).
        columns
            Header to register even when no row has it yet (e.g. an empty table imported).

        Returns
        -------
        MergeResult
            ``(added, duplicates)``: the new rows' ids, the positions of the skipped rows.
        """
        keys = list(key_columns)
        if not keys:
            raise ValueError("key_columns must name at least one column")
        for index, row in enumerate(rows):
            _check_text_row(f"table {table!r} row {index}", row)
            missing = [c for c in keys if c not in row]
            if missing:
                raise ValueError(f"table {table!r} row {index}: no key column {missing}")
        with self._write() as conn:
            register = conn.execute(
                "SELECT columns, key_columns FROM record_table WHERE table_name = ?", (table,)
            ).fetchone()
            header: list[str] = json.loads(register[0]) if register else []
            before = list(header)
            for name in [*(columns or []), *(c for row in rows for c in row)]:
                if name not in header:
                    header.append(name)
            if register is None:
                conn.execute(
                    "INSERT INTO record_table (table_name, columns, key_columns) VALUES (?, ?, ?)",
                    (table, _dumps(header), _dumps(keys)),
                )
            else:
                if register[1] is None or json.loads(register[1]) != keys:
                    self._rekey(conn, table, keys)
                if header != before or register[1] != _dumps(keys):
                    conn.execute(
                        "UPDATE record_table SET columns = ?, key_columns = ? WHERE table_name = ?",
                        (_dumps(header), _dumps(keys), table),
                    )
            seen = {
                key
                for (key,) in conn.execute(
                    "SELECT row_key FROM record_row WHERE table_name = ?", (table,)
                )
            }
            added, duplicates = [], []
            for index, row in enumerate(rows):
                key = _record_key(row, keys)
                if key in seen:
                    duplicates.append(index)
                    continue
                seen.add(key)
                added.append(
                    _row_id(
                        conn.execute(
                            "INSERT INTO record_row (table_name, cells, row_key) VALUES (?, ?, ?)",
                            (table, _dumps(dict(row)), key),
                        )
                    )
                )
        return MergeResult(added, duplicates)

    @staticmethod
    def _rekey(conn: sqlite3.Connection, table: str, keys: list[str]) -> None:
        rows = conn.execute(
            "SELECT id, cells FROM record_row WHERE table_name = ?", (table,)
        ).fetchall()
        conn.executemany(
            "UPDATE record_row SET row_key = ? WHERE id = ?",
            [(_record_key(json.loads(cells), keys), row_id) for row_id, cells in rows],
        )

    def rows(self, table: str) -> list[RecordRow]:
        """Every row of a records table in insertion order (empty for a table never merged)."""
        with self._read() as conn:
            return [
                RecordRow(row_id, json.loads(cells))
                for row_id, cells in conn.execute(
                    "SELECT id, cells FROM record_row WHERE table_name = ? ORDER BY id", (table,)
                )
            ]

    def record_tables(self) -> list[str]:
        """The names of the records tables, in the order they were first merged."""
        with self._read() as conn:
            return [
                name
                for (name,) in conn.execute("SELECT table_name FROM record_table ORDER BY rowid")
            ]

    def record_columns(self, table: str) -> list[str]:
        """A records table's columns in first-seen order (empty for a table never merged)."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT columns FROM record_table WHERE table_name = ?", (table,)
            ).fetchone()
        return json.loads(row[0]) if row else []

    def replace_row(self, table: str, row_id: int, values: Mapping[str, str]) -> None:
        """Replace a records row's values, keeping its id and place.

        Raises
        ------
        UnknownEntryError
            No row ``row_id`` in ``table``.
        DuplicateRowError
            The new values have the key of another row of the table.
        """
        _check_text_row(f"table {table!r} row id {row_id}", values)
        with self._write() as conn:
            if (
                conn.execute(
                    "SELECT 1 FROM record_row WHERE id = ? AND table_name = ?", (row_id, table)
                ).fetchone()
                is None
            ):
                raise self._unknown(
                    f"记录表“{table}”的行", f"row in records table {table!r} with id", row_id
                )
            register = conn.execute(
                "SELECT columns, key_columns FROM record_table WHERE table_name = ?", (table,)
            ).fetchone()
            header: list[str] = json.loads(register[0]) if register else []
            keys: list[str] | None = json.loads(register[1]) if register and register[1] else None
            key = None if keys is None else _record_key(values, keys)
            if key is not None:
                clash = conn.execute(
                    "SELECT id FROM record_row WHERE table_name = ? AND row_key = ? AND id != ?",
                    (table, key, row_id),
                ).fetchone()
                if clash is not None:
                    raise DuplicateRowError(
                        self._path,
                        f"记录表“{table}”中已有相同的记录(行号 {clash[0]}):未作修改。",
                        f"records table {table!r} already has this record (row id {clash[0]}): "
                        "nothing was changed.",
                    )
            new = [c for c in values if c not in header]
            if new:
                conn.execute(
                    "UPDATE record_table SET columns = ? WHERE table_name = ?",
                    (_dumps(header + new), table),
                )
            conn.execute(
                "UPDATE record_row SET cells = ?, row_key = ? WHERE id = ?",
                (_dumps(dict(values)), key, row_id),
            )

    def delete_row(self, table: str, row_id: int) -> None:
        """Delete a records row (its id is never reused).

        Raises
        ------
        UnknownEntryError
            No row ``row_id`` in ``table``.
        """
        with self._write() as conn:
            cursor = conn.execute(
                "DELETE FROM record_row WHERE id = ? AND table_name = ?", (row_id, table)
            )
            if cursor.rowcount == 0:
                raise self._unknown(
                    f"记录表“{table}”的行", f"row in records table {table!r} with id", row_id
                )

    # ----------------------------------------------------------------- page preferences

    def set_preference(self, key: str, value: Json) -> None:
        """Save a page preference (any JSON value) under ``key``, replacing an earlier one."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO preference (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, _dumps(value)),
            )

    def preference(self, key: str, default: Json = None) -> Json:
        """A saved page preference, or ``default`` when none is saved."""
        with self._read() as conn:
            row = conn.execute("SELECT value FROM preference WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def preferences(self) -> dict[str, Json]:
        """Every saved page preference, by key."""
        with self._read() as conn:
            return {
                key: json.loads(value)
                for key, value in conn.execute("SELECT key, value FROM preference ORDER BY key")
            }

    def delete_preference(self, key: str) -> None:
        """Forget a page preference (nothing happens when none is saved)."""
        with self._write() as conn:
            conn.execute("DELETE FROM preference WHERE key = ?", (key,))
