"""The plan's files: ``plan.csv``, ``plan.xlsx`` (printable 联系对应表) and ``plan.json``."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from models import Plan, Problem
from planner.i18n import header, level_name, stage_name, yes_no
from planner.io.write import write_csv, write_json
from planner.io.xlsx import (
    ADD_FILL,
    BLANK,
    OWN_FILL,
    WIDE_FONT_PX,
    break_blocks,
    college_title,
    fit_scale,
    print_setup,
    set_widths,
    sheet_table,
    sign_line,
    style_header,
    write_blocks,
    zh_date,
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


PLAN_SHEET_TITLE = "领导干部联系服务辅导员对应表"
"""The 联系对应表's title after the college's name (CONTRACT.md §12)."""

_LEADER_COLS = 4  # 序号, 领导姓名, 职务, 领导单位: written once per leader's block


def write_plan_xlsx(
    path: Path,
    problem: Problem,
    plan: Plan,
    reasons: Mapping[Key, str],
    lang: str = "zh",
    *,
    highlight: set[tuple[str, str]] | None = None,
    approved_on: date | None = None,
) -> None:
    """``plan.xlsx``: the 联系对应表 for approval, 结对说明, 领导负荷 and 明细.

    The 联系对应表 prints on A4 landscape: the college's name and cycle in its title,
    填报单位/填报人/联系电话/日期, its header row on every page, 第 N 页 共 M 页, one block per
    leader never split across pages, and — once the leading group approved the plan
    (``approved_on``) — 经领导小组审定(日期). The solver's reasons go to 结对说明, so the
    printed table carries only what the leading group approves. ``highlight`` marks
    pairs (e.g. added by a what-if repair) in yellow.
    """
    rows = plan_rows(problem, plan, reasons, lang)
    settings = problem.settings
    college = settings.college.strip()
    zh = lang == "zh"
    wb = Workbook()
    ws = wb.active
    ws.title = "联系对应表"
    title = (
        college_title(settings, f"{PLAN_SHEET_TITLE}({plan.cycle})")
        if zh
        else f"{college or BLANK} leader-counselor pairing table ({plan.cycle})"
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
    ]
    widths = [5, 10, 16, 14, 10, 10, 14, 10, 7]
    ncols = len(cols) + 1
    n_leaders = len({r["leader_id"] for r in rows})
    n_counselors = len({r["counselor_id"] for r in rows})
    sub = (
        f"共 {n_leaders} 名领导干部、{n_counselors} 名辅导员、{len(rows)} 对联系关系"
        if zh
        else f"{n_leaders} leaders, {n_counselors} counselors, {len(rows)} pairs"
    )
    if approved_on is not None:
        sub += (
            f";经领导小组审定({zh_date(approved_on)})"
            if zh
            else f"; approved by the leading group on {approved_on.isoformat()}"
        )
    top = [
        (title, Font(bold=True, size=16), "center", 30.0),
        (sign_line(settings, approved_on, lang), Font(size=10), "left", 18.0),
        (sub, Font(size=10), "left", 18.0),
    ]
    for r, (text, font, align, height) in enumerate(top, start=1):
        cell = ws.cell(row=r, column=1, value=escape_cell(text))
        cell.font = font
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.row_dimensions[r].height = height
    head_row = len(top) + 1
    ws.cell(row=head_row, column=1, value="序号" if zh else "No.")
    for j, k in enumerate(cols, start=2):
        ws.cell(row=head_row, column=j, value=header(k, lang))
    style_header(ws, head_row, ncols)
    ws.row_dimensions[head_row].height = 20
    by_leader: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_leader[row["leader_id"]].append(row)

    def fill(lid: str, row: dict[str, str]) -> PatternFill | None:
        if highlight and (lid, row["counselor_id"]) in highlight:
            return ADD_FILL
        return OWN_FILL if row["same_unit"] in ("是", "true") else None

    # Per-cell styling is slow: past a few thousand rows (never a real college's table)
    # the sheet stays plain, still printed leader by leader.
    blocks = write_blocks(
        ws,
        head_row + 1,
        [
            [[seq, *(row[k] for k in cols)] for row in group]
            for seq, group in enumerate(by_leader.values(), start=1)
        ],
        _LEADER_COLS,
        widths,
        fills=[[fill(lid, row) for row in group] for lid, group in by_leader.items()],
        styled=len(rows) <= STYLED_ROWS,
    )
    set_widths(ws, widths)
    scale = print_setup(
        ws,
        widths,
        title_rows=(head_row, head_row),
        college=college,
        name="联系对应表" if zh else "pairing table",
        scale=fit_scale(widths, px_per_char=WIDE_FONT_PX),
    )
    break_blocks(ws, blocks, scale=scale, repeated=(head_row,))
    ws.freeze_panes = ws.cell(row=head_row + 1, column=1)

    # Why each pair: for the office, not for the table the leading group signs.
    wr = wb.create_sheet("结对说明" if zh else "reasons")
    rhead = ["leader_name", "counselor_name", "counselor_unit", "same_unit", "reason"]
    rwidths = [10, 10, 14, 7, 90]
    rtitle = college_title(settings, f"联系对应表结对说明({plan.cycle})")
    wr.cell(row=1, column=1, value=escape_cell(rtitle)).font = Font(bold=True, size=14)
    sheet_table(
        wr,
        [header(k, lang) for k in rhead],
        [[row[k] for k in rhead] for row in rows],
        start=2,
        widths=rwidths,
    )
    print_setup(wr, rwidths, title_rows=(2, 2), college=college, name="结对说明", repeat_cols=2)

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
    lwidths = [10, 10, 18, 9, 16, 9, 8, 8, 8, 8]
    ltitle = college_title(settings, f"领导干部联系人数({plan.cycle})")
    wl.cell(row=1, column=1, value=escape_cell(ltitle)).font = Font(bold=True, size=14)
    sheet_table(
        wl,
        [header(k, lang) for k in lhead],
        [
            [
                ld.leader_id,
                ld.name,
                ld.position,
                level_name(ld.level.value, lang),
                ld.unit,
                yes_no(ld.heads_teaching_unit, lang),
                load[ld.leader_id],
                *problem.load_bounds(ld),
                own[ld.leader_id],
            ]
            for ld in problem.active_leaders
        ],
        start=2,
        widths=lwidths,
    )
    print_setup(wl, lwidths, title_rows=(2, 2), college=college, name="领导负荷", repeat_cols=2)

    # Full detail, with the rosters' extra columns carried through. Its header stays in
    # row 1: this is the sheet a plan.xlsx is read back from.
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
    dwidths = [10, 10, 9, 14, 14, 10, 9, 14, 6, 40, 8, 9] + [12] * (len(lextra) + len(cextra))
    set_widths(wd, dwidths)
    wd.freeze_panes = "A2"
    print_setup(
        wd,
        dwidths,
        title_rows=(1, 1),
        paper=settings.wide_paper,
        college=college,
        name=f"联系对应表明细({plan.cycle})",
        repeat_cols=3,
    )
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
