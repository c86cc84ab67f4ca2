"""``年度汇总表-Y.xlsx``: 汇总, 报送, 联系明细, 辅导员情况, 科研目标, 新闻报送, 完成情况图,
未计入记录, 说明, 报送信息.

The figures come from :mod:`planner.report`; this module only lays them out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font

from models import Problem
from planner.documents.identity import identity_of
from planner.i18n import msg, yes_no
from planner.io.province_files import IDENTITY_SHEET, write_identity_sheet
from planner.io.xlsx import (
    BLANK,
    BORDER,
    DEFAULT_ROW_PT,
    WIDE_FONT_PX,
    break_blocks,
    college_title,
    fit_height,
    fit_scale,
    print_setup,
    set_widths,
    sheet_table,
    sign_line,
    style_header,
    write_blocks,
)
from planner.report import (
    COUNSELOR_HEAD,
    DEFAULT_TITLE,
    DEFAULT_TITLE_EN,
    METRICS,
    NEWS_HEAD,
    RESEARCH_HEAD,
    RESEARCH_TARGET_EN,
    RESEARCH_TARGET_ZH,
    SUMMARY_SHEET,
    TOTAL_LABEL,
    AnnualSummary,
    Layout,
    cell_value,
    counselor_rows,
    leader_value,
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
    *,
    college: str = "",
    repeat_cols: int = 2,
) -> Any:
    ws = wb.create_sheet(title)
    ws.append(list(head))
    style_header(ws, 1, len(head))
    for row in rows:
        ws.append([cell_value(v) for v in row])
    w = [
        widths[j] if j < len(widths) else max(10, min(30, 2 * len(str(h)) + 2))
        for j, h in enumerate(head)
    ]
    set_widths(ws, w)
    wrap = Alignment(vertical="center", wrap_text=True)
    for r in range(2, min(ws.max_row, 5_000) + 1):
        for j in range(1, len(head) + 1):
            ws.cell(row=r, column=j).alignment = wrap
        fit_height(ws, r, w)
    fit_height(ws, 1, w)
    ws.freeze_panes = "A2"
    print_setup(ws, w, title_rows=(1, 1), college=college, name=title, repeat_cols=repeat_cols)
    return ws


# The 汇总 sheet: title, sign line, period line, then the header row.
_SUMMARY_HEAD_ROW = 4
# Column widths of the 汇总 sheet per metric kind; a few text columns are wider.
_TEXT_WIDTHS = {
    "leader_id": 9,
    "leader_name": 9,
    "leader_position": 14,
    "leader_unit": 12,
    "counselor_names": 18,
    "guidance_by_category": 18,
    "compliance": 22,
    "completion": 8,
}


def _summary_width(key: str, kind: str) -> int:
    if key in _TEXT_WIDTHS:
        return _TEXT_WIDTHS[key]
    return 9 if kind == "ratio" else 7 if kind == "int" else 14


def _top_rows(ws: Any, lines: Sequence[tuple[str, Font]], ncols: int) -> None:
    """Title and identity lines above a table, each across its columns (few merges)."""
    for r, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=1, value=escape_cell(text))
        cell.font = font
        cell.alignment = Alignment(
            horizontal="center" if r == 1 else "left", vertical="center", wrap_text=True
        )
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=max(ncols, 1))
        ws.row_dimensions[r].height = 30 if r == 1 else 18


def write_annual_xlsx(
    path: Path, summary: AnnualSummary, layout: Layout, problem: Problem, lang: str = "zh"
) -> None:
    """``年度汇总表-Y.xlsx``: 汇总, 报送, 联系明细, 辅导员情况, 科研目标, 新闻报送, 完成情况图,
    未计入记录, 说明 and 报送信息 — every sheet with the college's name and a print set-up.

    The 汇总 sheet names the college in its title and carries 填报单位/填报人/联系电话/日期
    (the as-of date); 报送 holds the core columns on one A4 landscape page; 联系明细 lists per
    leader the counselors contacted (names, units, counts); 说明 states the 达标 rule;
    报送信息 is the identity the province's roll-up reads first.
    """
    zh = lang == "zh"
    settings = problem.settings
    college = settings.college.strip()
    wb = Workbook()
    ws = wb.active
    ws.title = SUMMARY_SHEET
    ncols = len(layout.columns)
    name = DEFAULT_TITLE_EN if not zh and layout.title == DEFAULT_TITLE else layout.title
    title = f"{name}({summary.year}年)" if zh else f"{name} ({summary.year})"
    if college and college not in title:
        title = f"{college}{title}"
    elif not college:
        title = college_title(settings, title)
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
    _top_rows(
        ws,
        [
            (title, Font(bold=True, size=16)),
            (sign_line(settings, summary.as_of, lang), Font(size=10)),
            (sub, Font(size=10)),
        ],
        ncols,
    )
    h = _SUMMARY_HEAD_ROW
    for j, c in enumerate(layout.columns, start=1):
        ws.cell(row=h, column=j, value=escape_cell(c.header(lang)))
    style_header(ws, h, ncols)
    widths = [_summary_width(c.metric.key, c.metric.kind) for c in layout.columns]
    set_widths(ws, widths)
    fit_height(ws, h, widths)
    rows, total = summary_rows(summary, layout, problem, lang)
    wrap = Alignment(vertical="center", wrap_text=True)
    for row in [*rows, total]:
        ws.append(row)
        r = ws.max_row
        for j in range(1, ncols + 1):
            cell = ws.cell(row=r, column=j)
            cell.border = BORDER
            cell.alignment = wrap
        fit_height(ws, r, widths)
    last = ws.max_row
    for col in range(1, ncols + 1):
        ws.cell(row=last, column=col).font = Font(bold=True)
    keys = [c.metric.key for c in layout.columns]
    names_at = max(
        (keys.index(k) + 1 for k in ("leader_id", "leader_name") if k in keys), default=1
    )
    ws.freeze_panes = ws.cell(row=h + 1, column=names_at + 1)
    print_setup(
        ws,
        widths,
        title_rows=(h, h),
        paper=settings.wide_paper,
        college=college,
        name=title,
        repeat_cols=names_at,
    )

    _report_sheet(wb, summary, problem, lang)
    _contact_sheet(wb, summary, problem, lang)

    def heads(spec: Sequence[tuple[str, str]]) -> list[str]:
        return [a if zh else b for a, b in spec]

    _table_sheet(
        wb,
        "辅导员情况",
        heads(COUNSELOR_HEAD),
        counselor_rows(summary, problem, lang),
        (10, 9, 12, 14, 7, 7, 7, 7, 7, 7, 7, 7, 9, 9, 9, 8),
        college=college,
    )
    wr = _table_sheet(
        wb,
        "科研目标",
        heads(RESEARCH_HEAD),
        research_rows(summary, problem, lang),
        (10, 9, 12, 12, 22, 10, 8, 40, 40),
        college=college,
    )
    wr.insert_rows(1)
    wr.cell(row=1, column=1, value=RESEARCH_TARGET_ZH if zh else RESEARCH_TARGET_EN).font = Font(
        bold=True
    )
    wr.freeze_panes = "A3"
    wr.print_title_rows = "2:2"
    _table_sheet(
        wb,
        "新闻报送",
        heads(NEWS_HEAD),
        news_rows(summary, problem, lang),
        (12, 50, 16, 16, 16, 10),
        college=college,
        repeat_cols=1,
    )
    _chart_sheet(wb, summary, problem, lang, college)
    _table_sheet(
        wb,
        "未计入记录",
        heads(EXCLUDED_HEAD),
        excluded_rows([replace(e, what=e.what_text(lang)) for e in summary.excluded], lang),
        (10, 18, 6, 12, 10, 10, 16, 48),
        college=college,
        repeat_cols=0,
    )
    _notes_sheet(wb, summary, lang, college)
    ident = write_identity_sheet(wb, identity_of(settings, summary.year, summary.as_of))
    print_setup(ident, (16, 60), title_rows=(1, 1), college=college, name=IDENTITY_SHEET)
    _fix_props(wb, summary.year)
    wb.properties.title = title
    wb.save(path)


REPORT_SHEET = "报送"
"""The compact sheet of the 年度汇总表: the core columns on one A4 landscape page."""

_REPORT_COLUMNS = (
    ("seq", 5),
    ("leader_name", 9),
    ("leader_position", 16),
    ("counselors", 8),
    ("talks", 7),
    ("talks_in_person", 7),
    ("career", 8),
    ("guidance", 8),
    ("growth_help", 8),
    ("hardship", 8),
    ("completion", 8),
)


def _report_sheet(wb: Workbook, summary: AnnualSummary, problem: Problem, lang: str) -> None:
    """报送: the columns the province asks first, one row per leader, 合计, on one page."""
    zh = lang == "zh"
    settings = problem.settings
    ws = wb.create_sheet(REPORT_SHEET)
    keys = [k for k, _ in _REPORT_COLUMNS]
    widths = [w for _, w in _REPORT_COLUMNS] + [10]
    head = [METRICS[k].zh if zh else METRICS[k].en for k in keys] + ["是否达标" if zh else "met"]
    title = college_title(settings, f"领导干部联系服务辅导员工作年度报送表({summary.year}年)")
    _top_rows(
        ws,
        [
            (title, Font(bold=True, size=14)),
            (sign_line(settings, summary.as_of, lang), Font(size=10)),
        ],
        len(head),
    )
    sheet_table(ws, head, [], start=3, widths=widths)
    rows: list[list[object]] = []
    for i, ly in enumerate(summary.leaders, start=1):
        values = [leader_value(ly, k, problem, summary.plans, lang, i) for k in keys]
        ok = "—" if not ly.checks else yes_no(not ly.missed, lang)
        rows.append([*(cell_value(v) for v in values), ok])
    total: list[object] = ["", TOTAL_LABEL.get(lang, "合计"), ""]
    for k in keys[3:]:
        if METRICS[k].kind == "int":
            total.append(
                sum(
                    v
                    for ly in summary.leaders
                    if isinstance(v := leader_value(ly, k, problem, summary.plans, lang, 0), int)
                )
            )
        else:
            total.append(cell_value(leader_value_total(summary, k)))
    n_ok = sum(1 for ly in summary.leaders if ly.checks and not ly.missed)
    total.append(f"{n_ok}/{len(summary.leaders)}")
    for r, row in enumerate([*rows, total], start=4):
        for j, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=j, value=v)
            cell.border = BORDER
            cell.alignment = Alignment(
                horizontal="center" if j != 3 else None, vertical="center", wrap_text=True
            )
            if r == 4 + len(rows):
                cell.font = Font(bold=True)
        fit_height(ws, r, widths)
    ws.freeze_panes = "A4"
    height = sum(
        float(ws.row_dimensions[r].height or DEFAULT_ROW_PT) for r in range(1, ws.max_row + 1)
    )
    print_setup(
        ws,
        widths,
        title_rows=(3, 3),
        college=settings.college,
        name=REPORT_SHEET,
        one_page_pt=height,
    )


def leader_value_total(summary: AnnualSummary, key: str) -> object:
    """A 合计 for a non-count column of 报送 (the completion rate over every leader)."""
    if key == "completion":
        a, b = sum_ratios(summary.leaders)
        return f"{100 * a / b:.0f}%" if b else "—"
    return ""


CONTACT_SHEET = "联系明细"
"""Per leader, the counselors paired and contacted in the year, with their units."""


def _contact_sheet(wb: Workbook, summary: AnnualSummary, problem: Problem, lang: str) -> None:
    zh = lang == "zh"
    settings = problem.settings
    ws = wb.create_sheet(CONTACT_SHEET)
    head = [
        msg(lang, a, b)
        for a, b in (
            ("序号", "No."),
            ("领导姓名", "leader"),
            ("职务", "position"),
            ("辅导员姓名", "counselor"),
            ("辅导员单位", "unit"),
            ("联系次数", "contacts"),
            ("约谈", "talks"),
            ("规划发展", "career"),
            ("工作指导", "guidance"),
            ("帮助成长", "growth"),
            ("困难帮扶", "hardship"),
            ("最近联系日期", "last contact"),
        )
    ]
    widths = [5, 9, 14, 10, 14, 8, 6, 8, 8, 8, 8, 12]
    title = college_title(settings, f"领导干部联系辅导员明细({summary.year}年)")
    _top_rows(
        ws,
        [
            (title, Font(bold=True, size=14)),
            (sign_line(settings, summary.as_of, lang), Font(size=10)),
        ],
        len(head),
    )
    sheet_table(ws, head, [], start=3, widths=widths)
    groups: list[list[list[object]]] = []
    for i, ly in enumerate(summary.leaders, start=1):
        ld = problem.leader_by_id.get(ly.leader_id)
        lead: list[object] = [i, person_name(problem, ly.leader_id, summary.plans) or ly.leader_id]
        lead.append(ld.position if ld else "")
        rows: list[list[object]] = []
        for cid in ly.counselors or [""]:
            mine = [r for r in ly.records if r.counselor_id == cid] if cid else []
            forms = Counter(r.form for r in mine)
            c = problem.counselor_by_id.get(cid)
            last = max((r.date for r in mine), default=None)
            rows.append(
                [
                    *lead,
                    (person_name(problem, cid, summary.plans) or cid) if cid else "—",
                    c.unit if c else "",
                    len(mine),
                    *(forms[f] for f in ("talk", "career", "guidance", "growth", "hardship")),
                    last.isoformat() if last else ("未联系" if zh else "none"),
                ]
            )
        groups.append(rows)
    blocks = write_blocks(ws, 4, groups, 3, widths)
    n = sum(len(g) for g in groups)
    total_row = 4 + n
    ws.cell(row=total_row, column=2, value=TOTAL_LABEL.get(lang, "合计"))
    ws.cell(row=total_row, column=4, value=len(summary.counselors))
    for j, f in enumerate(("talk", "career", "guidance", "growth", "hardship"), start=7):
        ws.cell(row=total_row, column=j, value=sum(1 for r in summary.records if r.form == f))
    ws.cell(row=total_row, column=6, value=len(summary.records))
    for j in range(1, len(head) + 1):
        cell = ws.cell(row=total_row, column=j)
        cell.font = Font(bold=True)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[total_row].height = 20
    blocks.append((total_row, total_row))
    ws.freeze_panes = "A4"
    scale = print_setup(
        ws,
        widths,
        title_rows=(3, 3),
        college=settings.college,
        name=CONTACT_SHEET,
        scale=fit_scale(widths, px_per_char=WIDE_FONT_PX),
    )
    break_blocks(ws, blocks, scale=scale, repeated=(3,))


NOTES_SHEET = "说明"


def compliance_rule_lines(lang: str = "zh") -> list[tuple[str, str]]:
    """(item, explanation) rows of the 说明 sheet: how 达标 and the counts are reckoned."""
    if lang != "zh":
        return [
            (
                "talks",
                "one face-to-face talk (面谈) with each paired counselor in every quarter "
                "of the year inside the cycle; phone and online talks are counted but do not meet it",
            ),
            (
                "guidance",
                "one guidance visit (工作指导) per paired counselor in every semester "
                "overlapping the year",
            ),
            (
                "career",
                "one career session (规划发展) per pair within six months of the cycle start",
            ),
            (
                "met (达标)",
                "a leader meets the year when no window that closed by the as-of date "
                "was missed; windows still open are pending and not held against anyone",
            ),
            ("completion", "items met ÷ items due (pending ones left out)"),
            (
                "counted",
                "records dated in the year whose pair is in a plan in force; others are "
                "listed in 未计入记录 with the reason and never counted",
            ),
        ]
    return [
        (
            "约谈",
            "每个季度(本年度在联系周期内的季度)与每名联系辅导员至少面谈一次;"
            "电话、线上约谈计入次数,但不计入季度达标",
        ),
        ("工作指导", "与本年度重叠的每个学期,对每名联系辅导员至少开展一次工作指导"),
        ("规划发展", "联系周期开始后六个月内,与每名联系辅导员完成一次规划发展指导"),
        (
            "达标",
            "截至统计日已结束的各时间窗口均有对应记录即为达标;"
            "尚未结束的时间窗口记为“未到期”,不计为未完成",
        ),
        ("完成率", "已完成事项数 ÷ 应完成事项数(未到期事项不计)"),
        (
            "计入范围",
            "本年度内、且联系关系在当时有效的联系对应表中的记录;"
            "其余记录列在“未计入记录”表中并注明原因,不计入任何次数",
        ),
        ("报送", "“报送”表为报送上级的简表(A4横向一页);“汇总”表为全部统计项"),
    ]


def _notes_sheet(wb: Workbook, summary: AnnualSummary, lang: str, college: str) -> None:
    ws = wb.create_sheet(NOTES_SHEET)
    widths = (14, 90)
    ws.cell(
        row=1,
        column=1,
        value=escape_cell(
            f"{college or BLANK}年度汇总表说明({summary.year}年)"
            if lang == "zh"
            else f"Notes ({summary.year})"
        ),
    ).font = Font(bold=True, size=14)
    sheet_table(
        ws,
        ["项目", "说明"] if lang == "zh" else ["item", "explanation"],
        [list(r) for r in compliance_rule_lines(lang)],
        start=2,
        widths=widths,
    )
    print_setup(ws, widths, title_rows=(2, 2), college=college, name=NOTES_SHEET)


def _chart_sheet(
    wb: Workbook, summary: AnnualSummary, problem: Problem, lang: str, college: str
) -> None:
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
    ws = _table_sheet(wb, "完成情况图", head, rows, (14, 12, 12, 12), college=college)
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
    # One landscape page holds about 17 cm: the bars share it (the table lists them all).
    chart.height = min(16.5, max(8, 0.45 * n + 3))
    chart.y_axis.scaling.min = 0
    chart.width = 20
    chart.legend.position = "b"
    ws.add_chart(chart, "F2")
