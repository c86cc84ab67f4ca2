"""Where the workspace lives when ``--workspace`` is not given: a per-user data folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_FOLDER = "counselor-planner"


def default_folder(
    *,
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Path:
    """The per-user folder for the workspace, following each system's convention.

    Windows: ``%LOCALAPPDATA%\\counselor-planner\\workspace`` (local, not roaming: SQLite's WAL
    must not sit on a synchronised network profile); macOS:
    ``~/Library/Application Support/counselor-planner/workspace``; elsewhere
    ``$XDG_DATA_HOME/counselor-planner/workspace`` (default ``~/.local/share``).

    Parameters
    ----------
    platform, environ, home
        ``sys.platform``, ``os.environ`` and the home folder; given only by tests.

    Returns
    -------
    Path
        The folder (not created here: :meth:`Store.open` creates it owner-only).
    """
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    if platform.startswith("win"):
        base = Path(environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = environ.get("XDG_DATA_HOME", "")
        # The XDG spec says a relative value is invalid and must be ignored.
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base / APP_FOLDER / "workspace"
