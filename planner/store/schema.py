"""The workspace's schema: the DDL of every version and the migrations between them.

Version history
---------------
1. The first schema: one source file per data version, plan versions that were only drafted or
   adopted, records rows without keys, preferences.
2. (current) Several source files per data version with size and bytes; plans with origin,
   parent, change, run record and the leading group's approval; staff changes; hand-edit undo
   steps; schedules; records tables with a column register and a duplicate key.

How to add a migration (see also ``docs/WORKSPACE.md``): write ``SCHEMA_V<n+1>`` as the whole
DDL for a fresh file, a function ``_migrate_<n>_to_<n+1>`` that changes a version-*n* file into
exactly that shape with explicit SQL (never by calling the current DDL: a migration is history and
must not change when a later version does), append it to :data:`MIGRATIONS` and bump
:data:`CURRENT_VERSION`. ``tests/store/test_migration.py`` checks that a migrated file and a fresh
file have the same tables, columns, keys, indexes and triggers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass

APPLICATION = "counselor-planner workspace"
"""Value of ``meta.application``: tells our file from any other SQLite file."""

CURRENT_VERSION = 2
"""The schema version this code writes and reads."""

# The historical first schema, kept verbatim so that tests (and a curious reader) can build a
# version-1 file. Never edit it: files in the field were made from it.
SCHEMA_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE data_version (
    id            INTEGER PRIMARY KEY,
    created_at    TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    source_name   TEXT NOT NULL,
    source_sha256 TEXT NOT NULL
);
CREATE TABLE data_table (
    data_version_id INTEGER NOT NULL REFERENCES data_version(id),
    table_name      TEXT NOT NULL,
    position        INTEGER NOT NULL,
    columns         TEXT NOT NULL,
    PRIMARY KEY (data_version_id, table_name)
);
CREATE TABLE data_row (
    data_version_id INTEGER NOT NULL,
    table_name      TEXT NOT NULL,
    row_no          INTEGER NOT NULL,
    cells           TEXT NOT NULL,
    PRIMARY KEY (data_version_id, table_name, row_no),
    FOREIGN KEY (data_version_id, table_name) REFERENCES data_table(data_version_id, table_name)
);
CREATE TABLE plan_version (
    id              INTEGER PRIMARY KEY,
    cycle           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'adopted')),
    data_version_id INTEGER REFERENCES data_version(id),
    created_at      TEXT NOT NULL,
    adopted_on      TEXT,
    CHECK ((status = 'draft') = (adopted_on IS NULL))
);
CREATE TABLE plan_pair (
    plan_version_id INTEGER NOT NULL REFERENCES plan_version(id),
    position        INTEGER NOT NULL,
    leader_id       TEXT NOT NULL,
    counselor_id    TEXT NOT NULL,
    PRIMARY KEY (plan_version_id, position)
);
CREATE TABLE record_row (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    cells      TEXT NOT NULL
);
CREATE INDEX record_row_table ON record_row(table_name, id);
CREATE TABLE preference (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# Version 2, the current schema, as created in a fresh file. Dates are ISO text (YYYY-MM-DD, so
# they sort as dates), times ISO 8601 text as the caller gave them; JSON columns hold UTF-8 JSON.
SCHEMA_V2 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE data_version (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT ''
);
CREATE TABLE data_source (
    data_version_id INTEGER NOT NULL REFERENCES data_version(id),
    position        INTEGER NOT NULL,
    file_name       TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size            INTEGER,
    content         BLOB,
    PRIMARY KEY (data_version_id, position)
);
CREATE TABLE data_table (
    data_version_id INTEGER NOT NULL REFERENCES data_version(id),
    table_name      TEXT NOT NULL,
    position        INTEGER NOT NULL,
    columns         TEXT NOT NULL,
    PRIMARY KEY (data_version_id, table_name)
);
CREATE TABLE data_row (
    data_version_id INTEGER NOT NULL,
    table_name      TEXT NOT NULL,
    row_no          INTEGER NOT NULL,
    cells           TEXT NOT NULL,
    PRIMARY KEY (data_version_id, table_name, row_no),
    FOREIGN KEY (data_version_id, table_name) REFERENCES data_table(data_version_id, table_name)
);
CREATE TABLE plan_version (
    id              INTEGER PRIMARY KEY,
    cycle           TEXT NOT NULL,
    origin          TEXT NOT NULL
                    CHECK (origin IN ('solver', 'repair', 'hand_edit', 'upload', 'import')),
    parent_id       INTEGER REFERENCES plan_version(id),
    change          TEXT,
    data_version_id INTEGER REFERENCES data_version(id),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    run_record      TEXT,
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'adopted', 'approved')),
    adopted_on      TEXT,
    adopted_by      TEXT,
    approved_on     TEXT,
    approved_by     TEXT,
    CHECK ((status = 'draft') = (adopted_on IS NULL)),
    CHECK ((status = 'approved') = (approved_on IS NOT NULL))
);
CREATE INDEX plan_version_adopted ON plan_version(adopted_on, id);
CREATE TRIGGER plan_status_forward_only
BEFORE UPDATE OF status ON plan_version
WHEN (CASE NEW.status WHEN 'draft' THEN 0 WHEN 'adopted' THEN 1 ELSE 2 END)
   <= (CASE OLD.status WHEN 'draft' THEN 0 WHEN 'adopted' THEN 1 ELSE 2 END)
BEGIN
    SELECT RAISE(ABORT, 'plan status moves forward only');
END;
CREATE TABLE plan_pair (
    plan_version_id INTEGER NOT NULL REFERENCES plan_version(id),
    position        INTEGER NOT NULL,
    leader_id       TEXT NOT NULL,
    counselor_id    TEXT NOT NULL,
    PRIMARY KEY (plan_version_id, position)
);
CREATE TABLE edit_step (
    plan_version_id INTEGER NOT NULL REFERENCES plan_version(id),
    step_no         INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (plan_version_id, step_no)
);
CREATE TABLE staff_change (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    effective_on    TEXT NOT NULL,
    payload         TEXT,
    plan_version_id INTEGER REFERENCES plan_version(id),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_change_effective ON staff_change(effective_on, id);
CREATE TABLE schedule (
    id              INTEGER PRIMARY KEY,
    plan_version_id INTEGER NOT NULL REFERENCES plan_version(id),
    columns         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    run_record      TEXT
);
CREATE INDEX schedule_plan ON schedule(plan_version_id, id);
CREATE TABLE schedule_row (
    schedule_id INTEGER NOT NULL REFERENCES schedule(id),
    row_no      INTEGER NOT NULL,
    cells       TEXT NOT NULL,
    PRIMARY KEY (schedule_id, row_no)
);
CREATE TABLE record_table (
    table_name  TEXT PRIMARY KEY,
    columns     TEXT NOT NULL,
    key_columns TEXT
);
CREATE TABLE record_row (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    cells      TEXT NOT NULL,
    row_key    TEXT
);
CREATE INDEX record_row_table ON record_row(table_name, id);
CREATE INDEX record_row_key ON record_row(table_name, row_key);
CREATE TABLE preference (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

SCHEMAS: dict[int, str] = {1: SCHEMA_V1, 2: SCHEMA_V2}
"""The DDL of each schema version (without the ``meta`` rows)."""


def statements(script: str) -> Iterator[str]:
    """Split a DDL script into single statements (trigger bodies kept whole).

    :meth:`sqlite3.Connection.executescript` would commit the open transaction first, so DDL
    that must run inside one transaction is executed statement by statement.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement at the end of the script: {pending!r}")


def create_schema(conn: sqlite3.Connection, version: int, created_at: str) -> None:
    """Create schema ``version`` with its ``meta`` rows, inside the caller's transaction.

    Parameters
    ----------
    conn
        A connection with an open write transaction on an empty database.
    version
        A key of :data:`SCHEMAS` (tests build version-1 files with it).
    created_at
        ISO timestamp stored as ``meta.created_at``.
    """
    for statement in statements(SCHEMAS[version]):
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [
            ("application", APPLICATION),
            ("schema_version", str(version)),
            ("created_at", created_at),
        ],
    )


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    # data_version: its single source moves to data_source (size unknown, bytes not kept in 1).
    # SQLite cannot drop columns portably before 3.35, so the table is rebuilt (the documented
    # create-copy-drop-rename procedure; foreign keys are off during migrations).
    conn.execute(
        """CREATE TABLE data_version_new (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT ''
)"""
    )
    conn.execute(
        "INSERT INTO data_version_new (id, created_at, created_by, note) "
        "SELECT id, created_at, '', note FROM data_version ORDER BY id"
    )
    conn.execute(
        """CREATE TABLE data_source (
    data_version_id INTEGER NOT NULL REFERENCES data_version(id),
    position        INTEGER NOT NULL,
    file_name       TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size            INTEGER,
    content         BLOB,
    PRIMARY KEY (data_version_id, position)
)"""
    )
    conn.execute(
        "INSERT INTO data_source (data_version_id, position, file_name, sha256, size, content) "
        "SELECT id, 0, source_name, source_sha256, NULL, NULL FROM data_version ORDER BY id"
    )
    conn.execute("DROP TABLE data_version")
    conn.execute("ALTER TABLE data_version_new RENAME TO data_version")

    # plan_version: new columns and a wider status CHECK, so rebuilt too. A version-1 plan's
    # origin was not recorded: it is marked 'import' (brought in from the first schema).
    conn.execute(
        """CREATE TABLE plan_version_new (
    id              INTEGER PRIMARY KEY,
    cycle           TEXT NOT NULL,
    origin          TEXT NOT NULL
                    CHECK (origin IN ('solver', 'repair', 'hand_edit', 'upload', 'import')),
    parent_id       INTEGER REFERENCES plan_version(id),
    change          TEXT,
    data_version_id INTEGER REFERENCES data_version(id),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    run_record      TEXT,
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'adopted', 'approved')),
    adopted_on      TEXT,
    adopted_by      TEXT,
    approved_on     TEXT,
    approved_by     TEXT,
    CHECK ((status = 'draft') = (adopted_on IS NULL)),
    CHECK ((status = 'approved') = (approved_on IS NOT NULL))
)"""
    )
    conn.execute(
        "INSERT INTO plan_version_new (id, cycle, origin, parent_id, change, data_version_id, "
        "created_at, created_by, run_record, status, adopted_on) "
        "SELECT id, cycle, 'import', NULL, NULL, data_version_id, created_at, '', NULL, status, "
        "adopted_on FROM plan_version ORDER BY id"
    )
    conn.execute("DROP TABLE plan_version")
    conn.execute("ALTER TABLE plan_version_new RENAME TO plan_version")
    conn.execute("CREATE INDEX plan_version_adopted ON plan_version(adopted_on, id)")
    conn.execute(
        """CREATE TRIGGER plan_status_forward_only
BEFORE UPDATE OF status ON plan_version
WHEN (CASE NEW.status WHEN 'draft' THEN 0 WHEN 'adopted' THEN 1 ELSE 2 END)
   <= (CASE OLD.status WHEN 'draft' THEN 0 WHEN 'adopted' THEN 1 ELSE 2 END)
BEGIN
    SELECT RAISE(ABORT, 'plan status moves forward only');
END"""
    )

    # New tables.
    conn.execute(
        """CREATE TABLE edit_step (
    plan_version_id INTEGER NOT NULL REFERENCES plan_version(id),
    step_no         INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (plan_version_id, step_no)
)"""
    )
    conn.execute(
        """CREATE TABLE staff_change (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    effective_on    TEXT NOT NULL,
    payload         TEXT,
    plan_version_id INTEGER REFERENCES plan_version(id),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT ''
)"""
    )
    conn.execute("CREATE INDEX staff_change_effective ON staff_change(effective_on, id)")
    conn.execute(
        """CREATE TABLE schedule (
    id              INTEGER PRIMARY KEY,
    plan_version_id INTEGER NOT NULL REFERENCES plan_version(id),
    columns         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    run_record      TEXT
)"""
    )
    conn.execute("CREATE INDEX schedule_plan ON schedule(plan_version_id, id)")
    conn.execute(
        """CREATE TABLE schedule_row (
    schedule_id INTEGER NOT NULL REFERENCES schedule(id),
    row_no      INTEGER NOT NULL,
    cells       TEXT NOT NULL,
    PRIMARY KEY (schedule_id, row_no)
)"""
    )

    # Records: rows gain a duplicate key (computed at the table's first merge, when the key
    # columns become known), and each table a register of its columns in first-seen order.
    conn.execute(
        """CREATE TABLE record_table (
    table_name  TEXT PRIMARY KEY,
    columns     TEXT NOT NULL,
    key_columns TEXT
)"""
    )
    conn.execute("ALTER TABLE record_row ADD COLUMN row_key TEXT")
    conn.execute("CREATE INDEX record_row_key ON record_row(table_name, row_key)")
    register: dict[str, list[str]] = {}
    for table_name, cells in conn.execute(
        "SELECT table_name, cells FROM record_row ORDER BY id"
    ).fetchall():
        seen = register.setdefault(table_name, [])
        seen.extend(c for c in json.loads(cells) if c not in seen)
    conn.executemany(
        "INSERT INTO record_table (table_name, columns, key_columns) VALUES (?, ?, NULL)",
        [(name, json.dumps(cols, ensure_ascii=False)) for name, cols in register.items()],
    )


@dataclass(frozen=True)
class Migration:
    """One step of the schema history: ``apply`` turns a ``source`` file into a ``target`` one."""

    source: int
    target: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        2,
        "sources per data version, plan origin/approval, staff changes, undo steps, "
        "schedules, records keys",
        _migrate_1_to_2,
    ),
)
"""Every migration, oldest first; each one's ``target`` is the next one's ``source``."""


def migrate(conn: sqlite3.Connection, version: int) -> int:
    """Apply every migration from ``version`` up to :data:`CURRENT_VERSION`.

    Runs inside the caller's transaction (with foreign keys off, as table rebuilds need) and checks
    the foreign keys before returning, so a migration that broke a reference is rolled back.

    Parameters
    ----------
    conn
        A connection with an open write transaction.
    version
        The file's schema version.

    Returns
    -------
    int
        The new schema version (:data:`CURRENT_VERSION`).
    """
    for step in MIGRATIONS:
        if step.source < version:
            continue
        if step.source != version:
            raise RuntimeError(f"no migration from schema version {version}")
        step.apply(conn)
        version = step.target
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left broken references: {broken[:5]}")
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    return version
