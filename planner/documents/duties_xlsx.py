"""The year-round duties in the workbooks: 问题台账 and 评价 in the 年度汇总表, overdue issues
and short semesters in the status workbook, meetings held per kind under 汇总 (CONTRACT.md §10).

The sheets are added to a workbook the main writer has already saved, so the annual summary's
own layout stays with :mod:`planner.documents.annual_xlsx`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Font

from models import Problem
from planner.duties.issues import IssueState
from planner.duties.ratings import basis_text, rule_text
from planner.duties.year import DutiesView
from planner.i18n import msg
from planner.io.xlsx import print_setup, set_widths, sheet_table, sheet_widths
from planner.records import xml_safe
from planner.report import SUMMARY_SHEET, AnnualSummary
from planner.values import escape_cell

__all__ = [
    "ISSUE_HEAD",
    "RATING_HEAD",
    "add_report_duty_sheets",
    "add_status_duty_sheets",
    "issue_rows",
    "rating_rows",
]

ISSUE_HEAD = (
    ("问题编号", "issue_id"),
    ("反映日期", "date"),
    ("类别", "category"),
    ("反映人数", "raised_by"),
    ("办结时限", "deadline"),
    ("办理状态", "status"),
    ("普遍性", "common"),
    ("逾期", "overdue"),
    ("受理领导", "leader"),
    ("责任部门", "department"),
    ("问题描述", "summary"),
    ("办结日期", "closed"),
    ("关联记录", "records"),
)
RATING_HEAD = (
    ("领导工号", "leader_id"),
    ("领导姓名", "leader_name"),
    ("评价人数", "raters"),
    ("满意", "satisfied"),
    ("基本满意", "fair"),
    ("不满意", "dissatisfied"),
    ("满意率", "satisfaction_rate"),
    ("完成率", "compliance"),
    ("逾期问题", "overdue_issues"),
    ("评定分数", "score"),
    ("评定等级", "grade"),
    ("评定依据", "basis"),
)
_STATUS_ZH = {"pending": "待办", "in_progress": "办理中", "closed": "已办结", "deferred": "暂缓"}
_KIND_ZH = {"exchange": "交流会", "progress": "推进会", "group": "领导小组会议"}


def _heads(spec: Sequence[tuple[str, str]], lang: str) -> list[str]:
    return [zh if lang == "zh" else en for zh, en in spec]


def _yes(v: bool, lang: str) -> str:
    return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")


def _name(problem: Problem, pid: str) -> str:
    x = problem.leader_by_id.get(pid)
    return f"{x.name}({pid})" if x is not None else pid


def _print(ws: Any, problem: Problem) -> None:
    """The shared print set-up: header row repeated, the college, 第 N 页 共 M 页, ≥ 60 %."""
    print_setup(
        ws,
        sheet_widths(ws),
        title_rows=(1, 1),
        college=problem.settings.college,
        name=ws.title,
        repeat_cols=2,
    )


def issue_rows(
    states: Sequence[IssueState], problem: Problem, view: DutiesView, lang: str
) -> list[list[object]]:
    """One row per issue: the pinned columns first (CONTRACT.md §10)."""
    rows: list[list[object]] = []
    for s in states:
        i = s.issue
        status = _STATUS_ZH.get(i.status, i.status) if lang == "zh" else i.status
        rows.append(
            [
                i.issue_id,
                i.date.isoformat(),
                i.category,
                s.raisers,
                s.deadline.date.isoformat(),
                status,
                _yes(s.is_common, lang),
                _yes(s.overdue, lang),
                _name(problem, i.leader_id) if i.leader_id else "",
                i.department,
                xml_safe(i.summary),
                i.closed.isoformat() if i.closed else "",
                view.linked.get(i.issue_id, 0),
            ]
        )
    return rows


def rating_rows(
    view: DutiesView, leader_ids: Sequence[str], problem: Problem, lang: str
) -> list[list[object]]:
    """One row per leader: ratings, 满意率, compliance, overdue issues, score and grade."""
    rows: list[list[object]] = []
    for lid in leader_ids:
        t = view.tallies.get(lid)
        g = view.grading_of(lid)
        ld = problem.leader_by_id.get(lid)
        raters = t.raters if t else 0
        rows.append(
            [
                lid,
                ld.name if ld else "",
                raters,
                t.satisfied if t else 0,
                t.fair if t else 0,
                t.dissatisfied if t else 0,
                t.rate_text(lang) if t else msg(lang, "无评价", "no ratings"),
                f"{100 * g.compliance:.1f}%" if g else "",
                g.overdue if g else "",
                round(g.score, 1) if g else "",
                g.grade_text(lang) if g else "",
                basis_text(g, view.rule, lang) if g else "",
            ]
        )
    return rows


def add_report_duty_sheets(
    path: Path, view: DutiesView, summary: AnnualSummary, problem: Problem, lang: str = "zh"
) -> None:
    """Add 问题台账, 评价 and 会议记录 to ``年度汇总表-Y.xlsx``, and the meetings held per kind
    under the 汇总 table."""
    wb = load_workbook(path)
    ws = wb.create_sheet("问题台账")
    sheet_table(ws, _heads(ISSUE_HEAD, lang), issue_rows(view.year_issues(), problem, view, lang))
    set_widths(ws, [12, 12, 14, 9, 12, 10, 8, 8, 16, 14, 40, 12, 9])
    _print(ws, problem)
    leader_ids = [ly.leader_id for ly in summary.leaders]
    ws = wb.create_sheet("评价")
    sheet_table(ws, _heads(RATING_HEAD, lang), rating_rows(view, leader_ids, problem, lang))
    set_widths(ws, [10, 10, 9, 7, 9, 8, 9, 9, 9, 9, 22, 60])
    r = ws.max_row + 2
    ws.cell(r, 1, msg(lang, "评定规则", "grading rule")).font = Font(bold=True)
    for k, line in enumerate(rule_text(view.rule, lang), start=1):
        ws.cell(r + k, 1, escape_cell(line))
    _print(ws, problem)
    ws = wb.create_sheet("会议记录")
    year = summary.year
    meetings = [m for m in view.meetings if m.date.year == year]
    head = [
        msg(lang, h[0], h[1])
        for h in (
            ("日期", "date"),
            ("类型", "kind"),
            ("名称", "title"),
            ("主持", "host"),
            ("参会领导", "leaders"),
            ("议定事项", "decisions"),
            ("研究问题编号", "issues"),
        )
    ]
    sheet_table(
        ws,
        head,
        [
            [
                m.date.isoformat(),
                m.kind_zh if lang == "zh" else m.kind,
                xml_safe(m.title),
                xml_safe(m.host),
                "、".join(m.leader_ids),
                xml_safe(m.decisions),
                "、".join(m.issue_ids),
            ]
            for m in meetings
        ],
    )
    set_widths(ws, [12, 12, 24, 12, 20, 40, 16])
    _print(ws, problem)
    if SUMMARY_SHEET in wb.sheetnames:
        _meetings_line(wb[SUMMARY_SHEET], view, year, lang)
    wb.save(path)


def meetings_text(view: DutiesView, year: int, lang: str = "zh") -> str:
    """``2027年召开交流会 1 次、推进会 1 次、领导小组会议 0 次`` (meetings held, not attendance)."""
    counts = [(kind, view.per_kind.get(kind, 0)) for kind in ("exchange", "progress", "group")]
    if lang == "zh":
        return f"{year}年召开" + "、".join(f"{_KIND_ZH[k]} {n} 次" for k, n in counts)
    return f"meetings held in {year}: " + ", ".join(f"{k} {n}" for k, n in counts)


def _meetings_line(ws: Any, view: DutiesView, year: int, lang: str) -> None:
    """Add the meetings held per kind to the line right above the 汇总 header row, so the
    table itself stays one row per leader plus 合计."""
    header = next(
        (
            r
            for r in range(1, min(ws.max_row, 10) + 1)
            if ws.cell(r, 1).value in ("领导工号", "leader_id")
        ),
        None,
    )
    if header is None or header == 1:
        return
    cell = ws.cell(header - 1, 1)
    text = meetings_text(view, year, lang)
    sep = ";" if lang == "zh" else "; "
    cell.value = f"{cell.value}{sep}{text}" if cell.value else text


def add_status_duty_sheets(
    path: Path, view: DutiesView, problem: Problem, lang: str = "zh"
) -> None:
    """Add 逾期问题 (overdue or late-closed issues, with leader and department) and 会议不足 (the
    semesters with fewer exchange meetings than required) to the status workbook."""
    wb = load_workbook(path)
    ws = wb.create_sheet("逾期问题")
    sheet_table(ws, _heads(ISSUE_HEAD, lang), issue_rows(view.overdue, problem, view, lang))
    set_widths(ws, [12, 12, 14, 9, 12, 10, 8, 8, 16, 14, 40, 12, 9])
    _print(ws, problem)
    ws = wb.create_sheet("会议不足")
    head = [
        msg(lang, h[0], h[1])
        for h in (
            ("学期", "semester"),
            ("开始", "start"),
            ("结束", "end"),
            ("已召开", "held"),
            ("应召开", "required"),
            ("说明", "note"),
        )
    ]
    sheet_table(
        ws,
        head,
        [
            [s.name, s.start.isoformat(), s.end.isoformat(), s.held, s.required, s.text(lang)]
            for s in view.shortfalls
        ],
    )
    set_widths(ws, [16, 12, 12, 8, 8, 50])
    _print(ws, problem)
    wb.save(path)
