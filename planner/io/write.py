"""Writers: CSV (UTF-8 with BOM, formula-escaped), XLSX and JSON, staged atomically.

A run writes its files into a staging folder inside OUT and moves them into
place only when every file is written, so a failing run leaves OUT as it was.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

FORMULA_START = ("=", "+", "-", "@")


def escape_cell(value: object) -> str:
    """Text of a cell, with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


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
