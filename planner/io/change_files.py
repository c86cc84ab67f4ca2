"""Files of rotation and what-if runs: ``diff.csv``/``.xlsx``, ``pair_starts.csv``,
``compare.xlsx`` and ``rotation-summary.csv``/``.xlsx``.

Headers follow ``--lang`` (Chinese by default, English keys with ``en``); the
pinned columns of ``diff.csv`` (CONTRACT.md §6) come first.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from models import Problem
from planner.changes import CHANGE_KEYS, DATE_KEY, Change
from planner.errors import InputError, InputProblem
from planner.i18n import header, yes_no
from planner.io.text import UndecodableText, decode_table_text, read_table_text
from planner.io.write import write_csv
from planner.io.xlsx import (
    ADD_FILL,
    DROP_FILL,
    print_setup,
    sheet_table,
    sheet_widths,
)
from planner.schema import norm_text
from planner.values import escape_cell, parse_date

PairKey = tuple[str, str]


# ----- the change file ------------------------------------------------------------------
class ChangeProblems:
    """Collects problems of one change file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[InputProblem] = []

    def add(self, zh: str, en: str, column: str | None = None, value: object = None) -> None:
        self.items.append(
            InputProblem(
                file=self.file,
                message_zh=zh,
                message_en=en,
                column=column,
                value=None if value is None else str(value),
            )
        )

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(list(self.items))


def change_description(text: str) -> tuple[str, str]:
    """(zh, en) description of an option: the change file's leading comment lines.

    Lines starting with ``What-if`` are the English description (as in the bundled
    files); the others, joined, the Chinese one.
    """
    zh: list[str] = []
    en: list[str] = []
    for ln in text.splitlines():
        s = ln.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        s = s.lstrip("#").strip()
        if s.startswith("What-if"):
            en.append(s.removeprefix("What-if:").strip())
        elif s:
            zh.append(s)
    return "".join(zh), " ".join(en)


def id_text(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and norm_text(value):
        return norm_text(value)
    return None


def read_change(path: Path) -> Change:
    """Read a change file's structure (CONTRACT.md §6).

    Parameters
    ----------
    path
        The ``.toml`` file.

    Returns
    -------
    Change
        Ids are NFKC-normalised text; rows keep their raw values. Problems of the
        structure -- an unknown top-level key, a value of the wrong shape (a leave
        list that is not a list of ids, a ``*_join`` that is not a table array), a
        ``date`` that is not a date -- are kept in :attr:`Change.problems`, each naming
        the file, the key and the value; :func:`apply_change` raises them together
        with the problems it finds, so one run reports every problem of the file.

    Raises
    ------
    InputError
        Only when the file cannot be read, decoded or parsed as TOML.
    """
    path = Path(path)
    file = path.name
    bad = ChangeProblems(file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        bad.add(
            f"无法读取变更文件: {exc.strerror or exc}",
            f"cannot read the change file: {exc.strerror or exc}",
        )
        bad.raise_if_any()
        raise AssertionError("unreachable") from exc
    try:
        text = decode_table_text(raw)
    except UndecodableText:
        bad.add("无法识别文件编码,请保存为 UTF-8", "cannot decode the file; save it as UTF-8")
        bad.raise_if_any()
        raise
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        bad.add(
            f'TOML 格式有误: {exc}(文字要加英文引号,例如 leaders_leave = ["L005"])',
            f"invalid TOML: {exc}",
        )
        bad.raise_if_any()
        raise AssertionError("unreachable") from exc

    known = ", ".join((*CHANGE_KEYS, DATE_KEY))
    out: dict[str, Any] = {}
    for key, value in data.items():
        k = norm_text(key)
        if k == DATE_KEY:
            when = change_date(value)
            if when is None:
                bad.add(
                    "生效日期 date 应为日期,例如 date = 2027-09-01",
                    "date must be a date, e.g. date = 2027-09-01",
                    column=k,
                    value=short_value(value),
                )
            else:
                out["repair_date"] = when
            continue
        if k not in CHANGE_KEYS:
            bad.add(
                f"未知的变更项“{key}”,可用的变更项: {known}",
                f"unknown key '{key}'; known keys: {known}",
                column=key,
                value=short_value(value),
            )
            continue
        if k.endswith("_leave"):
            if not isinstance(value, list):
                bad.add(
                    f'{k} 应为工号列表,例如 {k} = ["L005"]',
                    f'{k} must be a list of ids, e.g. {k} = ["L005"]',
                    column=k,
                    value=short_value(value),
                )
                continue
            ids: list[str] = []
            for v in value:
                t = id_text(v)
                if t is None:
                    bad.add("工号应为文字", "an id must be text", column=k, value=short_value(v))
                elif t in ids:
                    bad.add("工号重复", "duplicate id", column=k, value=t)
                else:
                    ids.append(t)
            out[k] = tuple(ids)
            continue
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            bad.add(
                f"{k} 应写成表数组 [[{k}]],每项一组“列名 = 值”",
                f"{k} must be an array of tables [[{k}]]",
                column=k,
                value=short_value(value),
            )
            continue
        out[k] = tuple({norm_text(str(a)): b for a, b in row.items()} for row in value)
    zh, en = change_description(text)
    return Change(
        source=str(path), description=zh, description_en=en, problems=tuple(bad.items), **out
    )


def change_date(value: object) -> date | None:
    """The change file's ``date``: a TOML date (or date-time) or text in a roster date form."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)  # date = 20270901 written without quotes
    if not isinstance(value, str | date):
        return None
    return parse_date(value)


def short_value(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


# ----- written files -----------------------------------------------------------------
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


def col_header(key: str, lang: str) -> str:
    """Header of ``key``: the product's shared headers, else this module's own words."""
    if lang != "zh":
        return key
    got = header(key, lang)
    return _ZH.get(key, got) if got == key else got


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
    fills = [ADD_FILL if r.added else DROP_FILL for r in rows]
    sheet_table(
        ws,
        [col_header(k, lang) for k in DIFF_COLUMNS],
        cells,
        fills,
        start=3,
        widths=[12, 12, 12, 48, 10, 14, 10, 10, 8, 10, 12],
    )
    print_setup(
        ws,
        sheet_widths(ws),
        title_rows=(3, 3),
        college=problem.settings.college,
        name=title,
        repeat_cols=2,
    )
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


def read_pair_starts(path: Path) -> dict[tuple[str, str], date]:
    """``pair_starts.csv`` (领导工号, 辅导员工号, 开始日期) as :func:`write_pair_starts` writes it.

    Raises
    ------
    InputError
        Naming file, row and value for a line that is not ``leader_id,counselor_id,start``.
    """
    out: dict[tuple[str, str], date] = {}
    problems: list[InputProblem] = []
    text = read_table_text(path)
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if n == 1 or not any(c.strip() for c in row):
            continue
        d = parse_date(row[2].strip()) if len(row) >= 3 else None
        if d is None:
            problems.append(
                InputProblem(
                    path.name,
                    "应为 领导工号,辅导员工号,开始日期",
                    "expected leader_id,counselor_id,start",
                    row=n,
                    value=",".join(row),
                )
            )
            continue
        out[(row[0].strip(), row[1].strip())] = d
    if problems:
        raise InputError(problems)
    return out


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
    sheet_table(
        ws,
        [col_header(k, lang) for k in COMPARE_COLUMNS],
        compare_table(options, summaries, lang),
        [None if o.feasible else DROP_FILL for o in options],
        widths=[20, 40, 8, 40, 10, 10, 10, 12, 10, 10, 10, 10, 60],
    )

    wa = wb.create_sheet("吸收方案")
    sheet_table(
        wa,
        [col_header(k, lang) for k in ABSORB_COLUMNS],
        absorb_table(options, lang),
        widths=[20, 12, 10, 12, 10, 6, 12, 24, 10, 10, 10, 12, 12],
    )

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
            fills.append(ADD_FILL if r.added else DROP_FILL)
    sheet_table(wd, head, cells, fills, widths=[20, 12, 12, 12, 48, 10, 14, 10, 10, 8, 10, 12])
    if not zh:
        ws.title, wa.title, wd.title = "options", "absorb", "changes"
    college = options[0].applied.problem.settings.college if options else ""
    for sheet in (ws, wa, wd):
        print_setup(
            sheet,
            sheet_widths(sheet),
            title_rows=(1, 1),
            paper=options[0].applied.problem.settings.wide_paper if options else "A4",
            college=college,
            name=sheet.title,
            repeat_cols=1,
        )
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
    college: str = "",
) -> None:
    """``rotation-summary.csv`` and ``.xlsx``: per cycle, lookahead and greedy side by side
    (``college``: ``settings.college``, in the page header)."""
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
    sheet_table(ws, head, rows, start=3, widths=[14] + [16] * (len(head) - 1))
    last = ws.max_row
    for col in range(1, len(head) + 1):
        ws.cell(row=last, column=col).font = Font(bold=True)
    print_setup(ws, sheet_widths(ws), title_rows=(3, 3), college=college, name=title)
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
