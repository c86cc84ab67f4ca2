"""The plan's files: ``plan.csv``, ``plan.xlsx`` (printable 联系对应表) and ``plan.json``."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from models import Plan, Problem
from planner.i18n import header, level_name, stage_name, yes_no
from planner.io.write import write_csv, write_json
from planner.io.xlsx import (
    BORDER,
    OWN_FILL,
    style_header,
)
from planner.values import escape_cell

Key = tuple[str, str]

STYLED_ROWS = 3_000

PLAN_COLUMNS = (
    "cycle",
    "leader_id",
    "leader_name",
    "leader_position",
    "leader_unit",
    "counselor_id",
    "counselor_name",
    "counselor_unit",
    "same_unit",
    "reason",
    "leader_level",
    "counselor_stage",
)


def sorted_keys(problem: Problem, keys: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs in output order: leader rank (院级 before 中层, then input order), counselor id."""
    return sorted(keys, key=lambda k: (problem.leader_rank(k[0]), k[1]))


def plan_rows(
    problem: Problem, plan: Plan, reasons: Mapping[Key, str], lang: str = "zh"
) -> list[dict[str, str]]:
    """One dict per pair, keyed by :data:`PLAN_COLUMNS`, in output order.

    ``reasons`` is the 说明 of each pair, computed by the caller
    (:func:`planner.rules.reasons.explain`); a pair without one gets an empty cell.
    """
    keys = sorted_keys(problem, plan.keys())
    rows = []
    for lid, cid in keys:
        ld = problem.leader_by_id[lid]
        c = problem.counselor_by_id[cid]
        rows.append(
            {
                "cycle": plan.cycle,
                "leader_id": lid,
                "leader_name": ld.name,
                "leader_position": ld.position,
                "leader_unit": ld.unit,
                "counselor_id": cid,
                "counselor_name": c.name,
                "counselor_unit": c.unit,
                "same_unit": yes_no(problem.is_own_unit(lid, cid), lang),
                "reason": reasons.get((lid, cid), ""),
                "leader_level": level_name(ld.level.value, lang),
                "counselor_stage": stage_name(problem.stage(cid).value, lang),
            }
        )
    return rows


def write_plan_csv(
    path: Path, problem: Problem, plan: Plan, reasons: Mapping[Key, str], lang: str = "zh"
) -> None:
    """``plan.csv``: one row per pair, UTF-8 with BOM, ranked order."""
    rows = plan_rows(problem, plan, reasons, lang)
    write_csv(
        path,
        [header(k, lang) for k in PLAN_COLUMNS],
        [[r[k] for k in PLAN_COLUMNS] for r in rows],
    )


def write_plan_xlsx(
    path: Path,
    problem: Problem,
    plan: Plan,
    reasons: Mapping[Key, str],
    lang: str = "zh",
    *,
    highlight: set[tuple[str, str]] | None = None,
) -> None:
    """``plan.xlsx``: printable 联系对应表, per-leader loads, and full detail with extra columns.

    ``highlight`` marks pairs (e.g. added by a what-if repair) in yellow.
    """
    rows = plan_rows(problem, plan, reasons, lang)
    zh = lang == "zh"
    wb = Workbook()
    ws = wb.active
    ws.title = "联系对应表"
    title = (
        f"领导干部直接联系服务辅导员联系对应表({plan.cycle})"
        if zh
        else f"Leader-counselor pairing table ({plan.cycle})"
    )
    cols = [
        "leader_name",
        "leader_position",
        "leader_unit",
        "counselor_name",
        "counselor_id",
        "counselor_unit",
        "counselor_stage",
        "same_unit",
        "reason",
    ]
    seq_head = "序号" if zh else "No."
    ncols = len(cols) + 1
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    n_leaders = len({r["leader_id"] for r in rows})
    sub = (
        f"共 {n_leaders} 名领导干部、{len({r['counselor_id'] for r in rows})} 名辅导员、{len(rows)} 对联系关系"
        if zh
        else f"{n_leaders} leaders, {len({r['counselor_id'] for r in rows})} counselors, {len(rows)} pairs"
    )
    ws.cell(row=2, column=1, value=sub)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    ws.cell(row=2, column=1).alignment = Alignment(horizontal="center")
    ws.cell(row=3, column=1, value=seq_head)
    for j, k in enumerate(cols, start=2):
        ws.cell(row=3, column=j, value=header(k, lang))
    style_header(ws, 3, ncols)
    r = 4
    by_leader: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_leader[row["leader_id"]].append(row)
    # openpyxl's merge_cells is quadratic and per-cell styling slow: past a few
    # thousand rows (never a real college's table) the sheet stays plain.
    styled = len(rows) <= STYLED_ROWS
    for seq, (lid, group) in enumerate(by_leader.items(), start=1):
        start = r
        for row in group:
            ws.cell(row=r, column=1, value=seq)
            for j, k in enumerate(cols, start=2):
                if styled or r == start or j > 4:
                    ws.cell(row=r, column=j, value=escape_cell(row[k]))
            if styled:
                fill = None
                if highlight and (lid, row["counselor_id"]) in highlight:
                    fill = PatternFill("solid", fgColor="FFF2CC")
                elif row["same_unit"] in ("是", "true"):
                    fill = OWN_FILL
                for col in range(1, ncols + 1):
                    cell = ws.cell(row=r, column=col)
                    cell.border = BORDER
                    cell.alignment = Alignment(vertical="center", wrap_text=True)
                    if fill is not None and col >= 5:
                        cell.fill = fill
            r += 1
        if styled and r - start > 1:
            for col in (1, 2, 3, 4):
                ws.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
    widths = [6, 10, 16, 14, 10, 10, 14, 8, 8, 48]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    if styled:
        # Spreadsheets do not grow a row for wrapped text written by a library: set each
        # row's height from its longest wrapped cell (a CJK character is ~2 width units).
        for rr in range(4, r):
            lines = 1
            for j, w in enumerate(widths, start=1):
                text = str(ws.cell(row=rr, column=j).value or "")
                units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
                lines = max(lines, -(-units // max(1, w - 1)))
            ws.row_dimensions[rr].height = 15 * lines
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    ws.print_options.horizontalCentered = True
    ws.freeze_panes = "A4"

    # Loads and own-unit counts per leader.
    wl = wb.create_sheet("领导负荷")
    load = Counter(r["leader_id"] for r in rows)
    own = Counter(r["leader_id"] for r in rows if r["same_unit"] in ("是", "true"))
    lhead = [
        "leader_id",
        "leader_name",
        "leader_position",
        "leader_level",
        "leader_unit",
        "heads_teaching_unit",
        "load",
        "min_load",
        "max_load",
        "own_unit_count",
    ]
    wl.append([header(k, lang) for k in lhead])
    style_header(wl, 1, len(lhead))
    for ld in problem.active_leaders:
        lo, hi = problem.load_bounds(ld)
        wl.append(
            [
                escape_cell(ld.leader_id),
                escape_cell(ld.name),
                escape_cell(ld.position),
                level_name(ld.level.value, lang),
                escape_cell(ld.unit),
                yes_no(ld.heads_teaching_unit, lang),
                load[ld.leader_id],
                lo,
                hi,
                own[ld.leader_id],
            ]
        )
    for j in range(1, len(lhead) + 1):
        wl.column_dimensions[get_column_letter(j)].width = 14

    # Full detail, with the rosters' extra columns carried through.
    wd = wb.create_sheet("明细")
    lextra = sorted({k for ld in problem.leaders for k in ld.extra})
    cextra = sorted({k for c in problem.counselors for k in c.extra})
    lead_pref, coun_pref = ("领导", "辅导员") if zh else ("leader_", "counselor_")
    wd.append(
        [header(k, lang) for k in PLAN_COLUMNS]
        + [lead_pref + k for k in lextra]
        + [coun_pref + k for k in cextra]
    )
    style_header(wd, 1, len(PLAN_COLUMNS) + len(lextra) + len(cextra))
    for row in rows:
        ld = problem.leader_by_id[row["leader_id"]]
        c = problem.counselor_by_id[row["counselor_id"]]
        wd.append(
            [escape_cell(row[k]) for k in PLAN_COLUMNS]
            + [escape_cell(ld.extra.get(k, "")) for k in lextra]
            + [escape_cell(c.extra.get(k, "")) for k in cextra]
        )
    for j in range(1, wd.max_column + 1):
        wd.column_dimensions[get_column_letter(j)].width = 14
    wd.freeze_panes = "A2"
    wb.save(path)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (inputs are recorded in ``plan.json``)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def write_plan_json(path: Path, payload: dict[str, Any]) -> None:
    """``plan.json``: the run's record (inputs' SHA-256, seed, settings, status, levels, times)."""
    write_json(path, payload)
