"""The college's identity on the year's documents (CONTRACT.md §12).

:func:`identity_of` gives 学院名称, 年度, 填报单位, 填报人, 联系电话 and 填报日期 from the
settings; :func:`ensure_identity_sheet` adds the ``报送信息`` sheet the province reads to a
written 年度汇总表 when the workbook does not carry one yet.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from models import Settings
from planner.io.province_files import IDENTITY_SHEET, write_identity_sheet

__all__ = ["ensure_identity_sheet", "identity_of"]


def identity_of(settings: Settings, year: int, day: date) -> dict[str, str]:
    """The identity items of a document of ``year`` dated ``day``."""
    return {
        "学院名称": settings.college,
        "年度": str(year),
        "填报单位": settings.office_name(),
        "填报人": settings.contact,
        "联系电话": settings.phone,
        "填报日期": f"{day.year}年{day.month}月{day.day}日",
    }


def ensure_identity_sheet(path: Path, identity: dict[str, str]) -> bool:
    """Add ``报送信息`` to the workbook at ``path`` unless it has one; True when added."""
    wb = load_workbook(path)
    if IDENTITY_SHEET in wb.sheetnames:
        return False
    write_identity_sheet(wb, identity)
    wb.save(path)
    return True
