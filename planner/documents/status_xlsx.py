"""``status-<date>.xlsx``: the status as a workbook (领导汇总, 结对明细, 逾期事项, 近期到期, 未计入记录)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from models import Problem
from planner.io.xlsx import fit_height, print_setup, set_widths, style_header
from planner.records import xml_safe
from planner.status import (
    EXCLUDED_HEAD,
    FINDING_HEAD,
    LEADER_HEAD,
    PAIR_HEAD,
    StatusReport,
    excluded_rows,
    finding_rows,
    heads,
    leader_rows,
    pair_rows,
)
from planner.values import escape_cell


def _sheet(
    wb: Workbook, title: str, head: list[str], rows: list[list[object]], college: str
) -> None:
    ws = wb.create_sheet(title)
    ws.append(head)
    style_header(ws, 1, len(head))
    for row in rows:
        ws.append([xml_safe(escape_cell(v)) if isinstance(v, str) else v for v in row])
    widths = [max(10, min(40, 2 * len(h) + 2)) for h in head]
    set_widths(ws, widths)
    fit_height(ws, 1, widths)
    ws.freeze_panes = "A2"
    print_setup(ws, widths, title_rows=(1, 1), college=college, name=title, repeat_cols=2)


def write_status_xlsx(path: Path, report: StatusReport, problem: Problem, lang: str = "zh") -> None:
    """``status-<date>.xlsx``: 领导汇总, 结对明细, 逾期事项, 近期到期, 未计入记录."""
    wb = Workbook()
    wb.remove(wb.active)
    c = problem.settings.college
    _sheet(wb, "领导汇总", heads(LEADER_HEAD, lang), leader_rows(report, problem, lang), c)
    _sheet(wb, "结对明细", heads(PAIR_HEAD, lang), pair_rows(report, problem, lang), c)
    _sheet(
        wb, "逾期事项", heads(FINDING_HEAD, lang), finding_rows(report.overdue, problem, lang), c
    )
    _sheet(wb, "近期到期", heads(FINDING_HEAD, lang), finding_rows(report.due, problem, lang), c)
    _sheet(wb, "未计入记录", heads(EXCLUDED_HEAD, lang), excluded_rows(report.excluded, lang), c)
    wb.save(path)
