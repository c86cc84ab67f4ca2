"""Use case ``province``: the 省委教育工委 rolls the colleges' 年度汇总表 into one (§12)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planner.io.write import staged_output
from planner.province import (
    ProvinceResult,
    ProvinceStatus,
    province_file_name,
    roll_up,
    write_province_xlsx,
)

__all__ = ["ProvinceResult", "ProvinceStatus", "province", "write_province"]


def province(reports: Sequence[Path], year: int) -> ProvinceResult:
    """Read every college's ``年度汇总表-Y.xlsx``; refuse those of another year or not ours."""
    return roll_up(list(reports), year)


def write_province(out: Path, result: ProvinceResult, lang: str = "zh") -> Path:
    """``OUT/全省汇总-Y.xlsx``."""
    name = province_file_name(result.year)
    with staged_output(out, f"province-{result.year}") as stage:
        write_province_xlsx(stage / name, result, lang)
    return out / name
