"""The output folder of a command: checked before a long solve, settled after a killed run.

The command line calls :func:`check_output` before it solves, so a read-only folder, a file
named like the folder or a full disk is said at once, in the ``--lang`` language and naming
the path -- not after a minute of solving. Writing itself goes through
:func:`planner.io.write.staged_output` (all or nothing, CONTRACT.md §4).
"""

from __future__ import annotations

from pathlib import Path

from planner.errors import OutputError
from planner.io.write import (
    DEFAULT_NEED_BYTES,
    SCHEDULE_BYTES_PER_PAIR,
    output_error,
    preflight,
    recover_output,
)

__all__ = [
    "OutputError",
    "check_output",
    "describe_os_error",
    "recover_output",
    "schedule_need_bytes",
]


def schedule_need_bytes(pairs: int) -> int:
    """Free space a schedule of ``pairs`` pairs needs (its csv, xlsx and calendars)."""
    return DEFAULT_NEED_BYTES + SCHEDULE_BYTES_PER_PAIR * max(0, pairs)


def check_output(out: Path, *, need_bytes: int = DEFAULT_NEED_BYTES) -> None:
    """Raise :class:`OutputError` when ``out`` cannot take a result; settle a killed run's
    leftovers in it (its earlier result is put back, staging folders removed).

    Parameters
    ----------
    out
        The ``--out`` folder (it need not exist yet; nothing is created).
    need_bytes
        Free disk space below which the run is refused.
    """
    preflight(Path(out), need_bytes=need_bytes)


def describe_os_error(exc: OSError, path: Path | str = "") -> OutputError:
    """An OS error while reading or writing, in the office's words, naming the path."""
    return output_error(exc, path, writing=False)
