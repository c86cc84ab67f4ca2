"""``年度汇总表-Y.xlsx``: 汇总, 辅导员情况, 科研目标, 新闻报送, 完成情况图, 未计入记录.

The figures come from :mod:`planner.report`; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from models import Problem
from planner.io.xlsx import style_header
from planner.report import (
    COUNSELOR_HEAD,
    DEFAULT_TITLE,
    DEFAULT_TITLE_EN,
    NEWS_HEAD,
    RESEARCH_HEAD,
    RESEARCH_TARGET_EN,
    RESEARCH_TARGET_ZH,
    SUMMARY_SHEET,
    AnnualSummary,
    Layout,
    cell_value,
    counselor_rows,
    news_rows,
    person_name,
    research_rows,
    sum_ratios,
    summary_rows,
)
from planner.status import EXCLUDED_HEAD, excluded_rows
from planner.values import escape_cell


def _fix_props(wb: Workbook, year: int) -> None:
    # Stable document properties: the same inputs give the same workbook metadata.
    stamp = datetime(year, 12, 31, 0, 0, 0)
    wb.properties.creator = "counselor-planner"
    wb.properties.created = stamp
    wb.properties.modified = stamp


def _table_sheet(
    wb: Workbook,
    title: str,
    head: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: Sequence[int] = (),
) -> Any:
    ws = wb.create_sheet(title)
    ws.append(list(head))
    style_header(ws, 1, len(head))
    for row in rows:
        ws.append([cell_value(v) for v in row])
    for j, h in enumerate(head, start=1):
        w = widths[j - 1] if j - 1 < len(widths) else max(10, min(30, 2 * len(str(h)) + 2))
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"
    return ws


def write_annual_xlsx(
    path: Path, summary: AnnualSummary, layout: Layout, problem: Problem, lang: str = "zh"
) -> None:
    """``年度汇总表-Y.xlsx``: 汇总, 辅导员情况, 科研目标, 新闻报送, 完成情况图, 未计入记录."""
    zh = lang == "zh"
    wb = Workbook()
    ws = wb.active
    ws.title = SUMMARY_SHEET
    ncols = len(layout.columns)
    name = DEFAULT_TITLE_EN if not zh and layout.title == DEFAULT_TITLE else layout.title
    title = f"{name}({summary.year}年)" if zh else f"{name} ({summary.year})"
    ws.cell(row=1, column=1, value=escape_cell(title)).font = Font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(ncols, 1))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    cycles = "、".join(dict.fromkeys(p.cycle for p in summary.plans))
    n_c = len(summary.counselors)
    sub = (
        f"统计期间:{summary.year}-01-01 至 {summary.as_of.isoformat()};联系周期:{cycles};"
        f"领导干部 {len(summary.leaders)} 人,联系辅导员 {n_c} 人(去重);"
        f"计入记录 {len(summary.records)} 条,未计入 {len(summary.excluded)} 条(见“未计入记录”)"
        if zh
        else f"Period {summary.year}-01-01 to {summary.as_of.isoformat()}; cycles {cycles}; "
        f"{len(summary.leaders)} leaders, {n_c} counselors (distinct); {len(summary.records)} "
        f"records counted, {len(summary.excluded)} not counted (see 未计入记录)"
    )
    ws.cell(row=2, column=1, value=sub)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(ncols, 1))
    for j, c in enumerate(layout.columns, start=1):
        ws.cell(row=3, column=j, value=escape_cell(c.header(lang)))
    style_header(ws, 3, ncols)
    rows, total = summary_rows(summary, layout, problem, lang)
    for row in [*rows, total]:
        ws.append(row)
    last = ws.max_row
    for col in range(1, ncols + 1):
        ws.cell(row=last, column=col).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = (
            28 if layout.columns[col - 1].metric.kind == "text" and col > 3 else 12
        )
    ws.freeze_panes = "C4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    def heads(spec: Sequence[tuple[str, str]]) -> list[str]:
        return [a if zh else b for a, b in spec]

    _table_sheet(wb, "辅导员情况", heads(COUNSELOR_HEAD), counselor_rows(summary, problem, lang))
    wr = _table_sheet(
        wb,
        "科研目标",
        heads(RESEARCH_HEAD),
        research_rows(summary, problem, lang),
        (12, 10, 14, 12, 24, 10, 8, 60, 60),
    )
    wr.insert_rows(1)
    wr.cell(row=1, column=1, value=RESEARCH_TARGET_ZH if zh else RESEARCH_TARGET_EN).font = Font(
        bold=True
    )
    wr.freeze_panes = "A3"
    _table_sheet(
        wb,
        "新闻报送",
        heads(NEWS_HEAD),
        news_rows(summary, problem, lang),
        (12, 50, 16, 16, 16, 10),
    )
    _chart_sheet(wb, summary, problem, lang)
    _table_sheet(
        wb,
        "未计入记录",
        heads(EXCLUDED_HEAD),
        excluded_rows([replace(e, what=e.what_text(lang)) for e in summary.excluded], lang),
        (10, 18, 6, 12, 10, 10, 16, 48),
    )
    _fix_props(wb, summary.year)
    wb.save(path)


def _chart_sheet(wb: Workbook, summary: AnnualSummary, problem: Problem, lang: str) -> None:
    zh = lang == "zh"
    head = (
        ["领导姓名", "应完成事项", "已完成事项", "完成率(%)"]
        if zh
        else ["leader", "items due", "items met", "completion (%)"]
    )
    rows = []
    for ly in summary.leaders:
        a, b = sum_ratios([ly])
        rows.append(
            [
                person_name(problem, ly.leader_id, summary.plans) or ly.leader_id,
                b,
                a,
                round(100 * a / b) if b else 0,
            ]
        )
    ws = _table_sheet(wb, "完成情况图", head, rows, (14, 12, 12, 12))
    n = len(rows)
    if n == 0:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = "各领导干部联系事项完成情况" if zh else "Completion per leader"
    chart.y_axis.title = "事项数" if zh else "items"
    data = Reference(ws, min_col=2, max_col=3, min_row=1, max_row=n + 1)
    cats = Reference(ws, min_col=1, min_row=2, max_row=n + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height = max(8, 0.6 * n + 3)
    chart.width = 18
    ws.add_chart(chart, "F2")
