"""Files of rotation and what-if runs: ``diff.csv``/``.xlsx``, ``pair_starts.csv``,
``compare.xlsx`` and ``rotation-summary.csv``/``.xlsx``.

Headers follow ``--lang`` (Chinese by default, English keys with ``en``); the
pinned columns of ``diff.csv`` (CONTRACT.md §6) come first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from models import Problem
from planner.i18n import header, yes_no
from planner.io.write import escape_cell, write_csv

_ZH: dict[str, str] = {
    "old_leader_name": "原领导姓名",
    "new_leader_name": "新领导姓名",
    "change": "变动",
    "move": "计为变动",
    "start": "开始日期",
    "option": "方案",
    "description": "情形说明",
    "feasible": "可行",
    "why_not": "不可行原因",
    "moves": "变动结对数",
    "pairs": "结对总数",
    "own_unit_pairs": "本单位结对数",
    "heads_covered": "联系本单位辅导员的负责人数",
    "older_repeats": "较早周期重复(加权)",
    "min_load_used": "最少负荷",
    "max_load_used": "最多负荷",
    "added": "新增结对",
    "dropped": "取消结对",
    "summary": "调整摘要",
    "leaver_id": "离岗领导工号",
    "leaver_name": "离岗领导姓名",
    "rank": "排序",
    "receiver_id": "接收领导工号",
    "receiver_name": "接收领导姓名",
    "chosen": "推荐方案采用",
    "differs": "与第1名的差别",
    "plan": "方案",
}

DIFF_COLUMNS = (
    "counselor_id",
    "old_leader_id",
    "new_leader_id",
    "reason",
    "counselor_name",
    "counselor_unit",
    "old_leader_name",
    "new_leader_name",
    "change",
    "move",
    "cycle",
)
"""Columns of ``diff.csv``: the four pinned by CONTRACT.md §6 first."""

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_ADD_FILL = PatternFill("solid", fgColor="FFF2CC")
_DROP_FILL = PatternFill("solid", fgColor="EDEDED")


def col_header(key: str, lang: str) -> str:
    """Header of ``key``: the product's shared headers, else this module's own words."""
    if lang != "zh":
        return key
    got = header(key, lang)
    return _ZH.get(key, got) if got == key else got


def _style_header(ws: Any, row: int, ncols: int) -> None:
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(ws: Any, widths: Sequence[int]) -> None:
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _sheet_table(
    ws: Any,
    head: Sequence[str],
    rows: Sequence[Sequence[object]],
    fills: Sequence[PatternFill | None] | None = None,
    start: int = 1,
) -> None:
    for j, h in enumerate(head, start=1):
        ws.cell(row=start, column=j, value=h)
    _style_header(ws, start, len(head))
    for i, row in enumerate(rows, start=start + 1):
        fill = fills[i - start - 1] if fills else None
        for j, v in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j, value=v if isinstance(v, int) else escape_cell(v))
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if fill is not None:
                cell.fill = fill
    ws.freeze_panes = ws.cell(row=start + 1, column=1)


# ----- diff ----------------------------------------------------------------------------
def diff_rows(problem: Problem, rows: Sequence[Any], cycle: str, lang: str) -> list[list[str]]:
    """Cells of ``diff.csv`` in :data:`DIFF_COLUMNS` order, one list per DiffRow."""
    zh = lang == "zh"
    out = []
    for r in rows:
        c = problem.counselor_by_id.get(r.counselor_id)
        old = problem.leader_by_id.get(r.old_leader_id) if r.old_leader_id else None
        new = problem.leader_by_id.get(r.new_leader_id) if r.new_leader_id else None
        values = {
            "counselor_id": r.counselor_id,
            "old_leader_id": r.old_leader_id,
            "new_leader_id": r.new_leader_id,
            "reason": r.reason,
            "counselor_name": c.name if c else "",
            "counselor_unit": c.unit if c else "",
            "old_leader_name": old.name if old else "",
            "new_leader_name": new.name if new else "",
            "change": ("新增" if zh else "added") if r.added else ("取消" if zh else "dropped"),
            "move": yes_no(r.move, lang),
            "cycle": cycle,
        }
        out.append([values[k] for k in DIFF_COLUMNS])
    return out


def write_diff_csv(
    path: Path, problem: Problem, rows: Sequence[Any], cycle: str, lang: str
) -> None:
    """``diff.csv``: one row per pair added or dropped (UTF-8 with BOM)."""
    write_csv(
        path, [col_header(k, lang) for k in DIFF_COLUMNS], diff_rows(problem, rows, cycle, lang)
    )


def write_diff_xlsx(
    path: Path,
    problem: Problem,
    rows: Sequence[Any],
    cycle: str,
    summary: str,
    lang: str,
) -> None:
    """``diff.xlsx``: the diff (added pairs yellow, dropped grey) and the summary."""
    zh = lang == "zh"
    wb = Workbook()
    ws = wb.active
    ws.title = "调整明细"
    title = f"联系对应表调整明细({cycle})" if zh else f"Changes to the pairing table ({cycle})"
    ncols = len(DIFF_COLUMNS)
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(row=2, column=1, value=escape_cell(summary)).alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    ws.row_dimensions[2].height = 48
    cells = diff_rows(problem, rows, cycle, lang)
    fills = [_ADD_FILL if r.added else _DROP_FILL for r in rows]
    _sheet_table(ws, [col_header(k, lang) for k in DIFF_COLUMNS], cells, fills, start=3)
    _widths(ws, [12, 12, 12, 48, 10, 14, 10, 10, 8, 10, 12])
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.save(path)


def write_pair_starts(
    path: Path, starts: Sequence[tuple[str, str, date]], lang: str = "zh"
) -> None:
    """``pair_starts.csv``: leader_id, counselor_id, start of each pair a repair added.

    The scheduler reads it: career guidance (规划发展) of such a pair is due within
    six months of ``start`` instead of the cycle start.
    """
    write_csv(
        path,
        [col_header(k, lang) for k in ("leader_id", "counselor_id", "start")],
        [[lid, cid, d.isoformat()] for lid, cid, d in starts],
    )


# ----- compare -------------------------------------------------------------------------
COMPARE_COLUMNS = (
    "option",
    "description",
    "feasible",
    "why_not",
    "moves",
    "pairs",
    "own_unit_pairs",
    "heads_covered",
    "min_load_used",
    "max_load_used",
    "added",
    "dropped",
    "summary",
)

ABSORB_COLUMNS = (
    "option",
    "leaver_id",
    "leaver_name",
    "counselor_id",
    "counselor_name",
    "rank",
    "receiver_id",
    "receiver_name",
    "moves",
    "pairs",
    "own_unit_pairs",
    "heads_covered",
    "chosen",
    "differs",
)


def compare_table(
    options: Sequence[Any], summaries: Sequence[str], lang: str
) -> list[list[object]]:
    """One row per option in :data:`COMPARE_COLUMNS` order (numbers stay numbers)."""
    rows: list[list[object]] = []
    for opt, summary in zip(options, summaries, strict=True):
        res = opt.result
        loads = opt.loads()
        desc = opt.change.description if lang == "zh" else opt.change.description_en
        n_add = sum(1 for r in opt.diff if r.added)
        values: dict[str, object] = {
            "option": opt.change.name,
            "description": desc,
            "feasible": yes_no(opt.feasible, lang),
            "why_not": opt.reason(lang),
            "moves": res.moves if opt.feasible else "",
            "pairs": res.levels.get("pairs", ""),
            "own_unit_pairs": res.levels.get("own_unit_pairs", ""),
            "heads_covered": res.levels.get("heads_covered", ""),
            "min_load_used": loads[0] if loads else "",
            "max_load_used": loads[1] if loads else "",
            "added": n_add if opt.feasible else "",
            "dropped": len(opt.diff) - n_add if opt.feasible else "",
            "summary": summary,
        }
        rows.append([values[k] for k in COMPARE_COLUMNS])
    return rows


def absorb_table(options: Sequence[Any], lang: str) -> list[list[object]]:
    """Ranked receiving leaders per counselor of each leaver, all options."""
    zh = lang == "zh"
    rows: list[list[object]] = []
    for opt in options:
        p = opt.applied.problem
        for a in opt.absorb:
            leaver = p.leader_by_id.get(a.leaver_id)
            c = p.counselor_by_id.get(a.counselor_id)
            recv = p.leader_by_id.get(a.leader_id) if a.leader_id else None
            values: dict[str, object] = {
                "option": opt.change.name,
                "leaver_id": a.leaver_id,
                "leaver_name": leaver.name if leaver else "",
                "counselor_id": a.counselor_id,
                "counselor_name": c.name if c else "",
                "rank": a.rank,
                "receiver_id": a.leader_id,
                "receiver_name": recv.name
                if recv
                else ("(无需新增,仍有其他联系领导)" if zh else "(none: another leader remains)"),
                "moves": a.levels["moves"],
                "pairs": a.levels["pairs"],
                "own_unit_pairs": a.levels["own_unit_pairs"],
                "heads_covered": a.levels["heads_covered"],
                "chosen": yes_no(a.chosen, lang),
                "differs": a.differs(lang),
            }
            rows.append([values[k] for k in ABSORB_COLUMNS])
    return rows


def write_compare_xlsx(
    path: Path, options: Sequence[Any], summaries: Sequence[str], lang: str
) -> None:
    """``compare.xlsx``: options side by side, ways to absorb leavers, every diff."""
    zh = lang == "zh"
    wb = Workbook()
    ws = wb.active
    ws.title = "方案对比"
    _sheet_table(
        ws,
        [col_header(k, lang) for k in COMPARE_COLUMNS],
        compare_table(options, summaries, lang),
        [None if o.feasible else _DROP_FILL for o in options],
    )
    _widths(ws, [20, 40, 8, 40, 10, 10, 10, 12, 10, 10, 10, 10, 60])

    wa = wb.create_sheet("吸收方案")
    _sheet_table(wa, [col_header(k, lang) for k in ABSORB_COLUMNS], absorb_table(options, lang))
    _widths(wa, [20, 12, 10, 12, 10, 6, 12, 24, 10, 10, 10, 12, 12])

    wd = wb.create_sheet("调整明细")
    head = [col_header("option", lang)] + [col_header(k, lang) for k in DIFF_COLUMNS]
    cells: list[list[object]] = []
    fills: list[PatternFill | None] = []
    for opt in options:
        for row, r in zip(
            diff_rows(opt.applied.problem, opt.diff, opt.applied.problem.cycle, lang),
            opt.diff,
            strict=True,
        ):
            cells.append([opt.change.name, *row])
            fills.append(_ADD_FILL if r.added else _DROP_FILL)
    _sheet_table(wd, head, cells, fills)
    _widths(wd, [20, 12, 12, 12, 48, 10, 14, 10, 10, 8, 10, 12])
    if not zh:
        ws.title, wa.title, wd.title = "options", "absorb", "changes"
    wb.save(path)


# ----- rotation ------------------------------------------------------------------------
ROTATION_LEVELS = ("pairs", "own_unit_pairs", "heads_covered", "older_repeats")


def rotation_header(lang: str) -> list[str]:
    """Header of ``rotation-summary.csv``: cycle, then each level for lookahead and greedy."""
    out = [col_header("cycle", lang)]
    for k in ROTATION_LEVELS:
        if lang == "zh":
            out += [f"{_ZH[k]}(联合规划)", f"{_ZH[k]}(逐周期)"]
        else:
            out += [f"{k}_lookahead", f"{k}_greedy"]
    return out


def rotation_rows(
    labels: Sequence[str],
    joint: Sequence[dict[str, int]],
    greedy: Sequence[dict[str, int]],
    lang: str,
) -> list[list[object]]:
    """One row per cycle plus a totals row (合计); greedy cells empty where it found no plan."""
    rows: list[list[object]] = []
    for t, label in enumerate(labels):
        row: list[object] = [label]
        for k in ROTATION_LEVELS:
            row.append(joint[t][k] if t < len(joint) else "")
            row.append(greedy[t][k] if t < len(greedy) else "")
        rows.append(row)
    total: list[object] = ["合计" if lang == "zh" else "total"]
    for k in ROTATION_LEVELS:
        total.append(sum(x[k] for x in joint) if len(joint) == len(labels) else "")
        total.append(sum(x[k] for x in greedy) if len(greedy) == len(labels) else "")
    rows.append(total)
    return rows


def write_rotation_summary(
    csv_path: Path,
    xlsx_path: Path,
    labels: Sequence[str],
    joint: Sequence[dict[str, int]],
    greedy: Sequence[dict[str, int]],
    note: str,
    lang: str,
) -> None:
    """``rotation-summary.csv`` and ``.xlsx``: per cycle, lookahead and greedy side by side."""
    head = rotation_header(lang)
    rows = rotation_rows(labels, joint, greedy, lang)
    write_csv(csv_path, head, rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "轮换规划对比" if lang == "zh" else "rotation"
    title = (
        "多周期轮换规划:联合规划与逐周期规划对比"
        if lang == "zh"
        else "Rotation over cycles: lookahead vs greedy"
    )
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(head))
    ws.cell(row=2, column=1, value=escape_cell(note)).alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(head))
    ws.row_dimensions[2].height = 36
    _sheet_table(ws, head, rows, start=3)
    last = ws.max_row
    for col in range(1, len(head) + 1):
        ws.cell(row=last, column=col).font = Font(bold=True)
    _widths(ws, [14] + [16] * (len(head) - 1))
    wb.save(xlsx_path)


__all__ = [
    "ABSORB_COLUMNS",
    "COMPARE_COLUMNS",
    "DIFF_COLUMNS",
    "ROTATION_LEVELS",
    "absorb_table",
    "col_header",
    "compare_table",
    "diff_rows",
    "rotation_header",
    "rotation_rows",
    "write_compare_xlsx",
    "write_diff_csv",
    "write_diff_xlsx",
    "write_pair_starts",
    "write_rotation_summary",
]
