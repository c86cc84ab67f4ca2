"""Use case ``init``: the empty workbook the office fills in (every table a sheet, with 说明)."""

from __future__ import annotations

from planner.io.template import write_template
from planner.io.write import built_bytes

__all__ = ["template_bytes", "write_template"]


def template_bytes(lang: str = "zh") -> bytes:
    """The empty workbook, for a download."""
    return built_bytes(lambda p: write_template(p, lang), "template.xlsx")
