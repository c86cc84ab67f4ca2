"""The workspace: the college's whole state in one SQLite file, behind :class:`Store`.

Only this package speaks SQL; the application layer maps the product's data sets, plans and
records onto these methods, so a server database could replace the file later. It imports no
other part of ``planner``.
"""

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
    WorkspaceError,
    WorkspaceNotWritableError,
    WorkspaceTooNewError,
)
from planner.store.location import default_folder
from planner.store.schema import CURRENT_VERSION
from planner.store.store import BACKUP_FOLDER, FILE_NAME, Store

__all__ = [
    "BACKUP_FOLDER",
    "CURRENT_VERSION",
    "FILE_NAME",
    "DataVersion",
    "DataVersionInfo",
    "DuplicateRowError",
    "EditStep",
    "Json",
    "MergeResult",
    "MigrationError",
    "NotAWorkspaceError",
    "PlanOrigin",
    "PlanStatus",
    "PlanVersion",
    "RecordRow",
    "Schedule",
    "SourceFile",
    "StaffChange",
    "StatusChangeError",
    "Store",
    "UnknownEntryError",
    "WorkspaceBusyError",
    "WorkspaceDamagedError",
    "WorkspaceError",
    "WorkspaceNotWritableError",
    "WorkspaceTooNewError",
    "default_folder",
]
