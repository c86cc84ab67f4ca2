"""Writers: CSV (UTF-8 with BOM, formula-escaped), XLSX and JSON, staged atomically.

A run writes its files into a staging folder inside OUT and moves them into
place only when every file is written, so a failing run leaves OUT as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from planner.values import FORMULA_START, escape_cell

__all__ = [
    "FORMULA_START",
    "built_bytes",
    "escape_cell",
    "staged_output",
    "write_csv",
    "write_json",
    "zip_folder_bytes",
]


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


@contextlib.contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Yield a staging folder; on success move its files into ``out``, else discard them.

    Files already in ``out`` stay untouched unless a new file of the same name
    replaces them at the very end (``os.replace`` is atomic per file).
    """
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        yield stage
        for src in sorted(stage.rglob("*")):
            if src.is_dir():
                continue
            dst = out / src.relative_to(stage)
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


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
