"""The fill-in workbook for a leader who never opens the tool, and reading it back.

``planner forms`` writes one workbook per leader (CONTRACT.md §4): a 说明 sheet in plain
Chinese, a 待办事项 sheet (their counselors and the items due) and a 填报 sheet with the
联系记录 columns, the leader's 工号 filled in, and drop-down lists (openpyxl
``DataValidation``) for 形式, 方式, 类别, 辅导员工号 and 典型案例, a date check on 日期. The
sheet is protected so the title and header rows cannot be changed by accident; only the data
cells are unlocked. The protection has **no password** (Excel: 审阅 → 撤消工作表保护), so the
office can always lift it.

:func:`read_returned_form` reads the 填报 sheet back into typed rows like
:attr:`planner.io.read.DataSet.tables` rows. Cells that cannot be read are marked on their
row (``_bad``) rather than stopping the file, so ``planner collect`` can list every bad
cell with the rest; only a file that cannot be read at all gives problems.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from planner.errors import InputProblem
from planner.io.names import file_part
from planner.io.xlsx import print_setup, sheet_widths
from planner.schema import (
    EVENT_CATEGORIES,
    FORMS,
    MODES,
    RECORDS,
    Column,
    Kind,
    match_choice,
    match_column,
)
from planner.values import cell_text, date_problem, parse_bool, parse_date

__all__ = [
    "FORM_ROWS",
    "FORM_SHEET",
    "HEADER_ROW",
    "HELP_SHEET",
    "LEADER_FORMS",
    "TODO_SHEET",
    "DueItem",
    "form_file_name",
    "read_returned_form",
    "record_cells",
    "write_leader_form",
]

FORM_SHEET = "填报"
TODO_SHEET = "待办事项"
HELP_SHEET = "说明"
#: Spreadsheet row of the 填报 header (a title and a line about the leader come first).
HEADER_ROW = 3
#: Data rows written with the leader's 工号: a year of items for three counselors and more.
FORM_ROWS = 100
#: Forms a leader records (CONTRACT.md §10); 年度总结 is the office's.
LEADER_FORMS = tuple(ch for ch in FORMS if ch.code != "summary")
#: Suggested 办理状态 words (free text in the table; the list only suggests).
_STATUS_WORDS = ("已办结", "办理中", "待办", "无需办理")
_HEADER_SEARCH_ROWS = 10

_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WIDTHS = {
    "date": 12,
    "leader_id": 11,
    "counselor_id": 12,
    "form": 11,
    "mode": 8,
    "category": 13,
    "summary": 28,
    "issues_raised": 20,
    "resolution": 20,
    "status": 10,
    "evidence": 12,
    "issue_ids": 10,
    "typical": 9,
}

# Windows refuses these in file names; control characters are never wanted either.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_MAX_PART = 40  # keeps the whole name far below the 255-character limit


@dataclass(frozen=True)
class DueItem:
    """An item due for the leader: form (code or word), window, item id, counselor id."""

    form: str
    window_start: date
    window_end: date
    item_id: str
    counselor_id: str = ""


def _safe_part(text: str) -> str:
    cleaned = _UNSAFE.sub("_", text).strip().rstrip(". ")
    return cleaned[:_MAX_PART] or "_"


def form_file_name(leader_id: str, name: str, id_part: str | None = None) -> str:
    """``联系记录填报-<工号>-<姓名>.xlsx``, one file per leader on any disk.

    The 工号 is written by :func:`planner.io.names.file_part` (a character a file name cannot
    hold becomes ``%XX``), so two ids never give one name; ``id_part`` is that part when the
    caller already made it unique ignoring case (:func:`~planner.io.names.unique_file_names`).
    In the 姓名 ``\\ / : * ? " < > |`` and control characters become ``_`` and trailing dots
    and spaces are dropped (Windows strips them); it is cut to 40 characters. The fixed prefix
    means a reserved device name (CON, NUL …) can never be the whole name.
    """
    part = file_part(leader_id) if id_part is None else id_part
    return f"联系记录填报-{part}-{_safe_part(name)}.xlsx"


def _as_due(item: DueItem | Sequence[Any]) -> DueItem:
    if isinstance(item, DueItem):
        return item
    if len(item) not in (4, 5):
        raise ValueError(f"a due item is (form, start, end, item_id[, counselor_id]): {item!r}")
    return DueItem(*item)


def _form_word(form: str, lang: str) -> str:
    code = match_choice(RECORDS.column("form"), form) or form
    if lang != "zh":
        return code
    return next((ch.zh for ch in FORMS if ch.code == code), form)


def _list_validation(values: Sequence[str], title: str, *, strict: bool = True) -> DataValidation:
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showDropDown=False,  # openpyxl's name is inverted: False shows the arrow
        showErrorMessage=strict,
        errorStyle="stop",
        errorTitle=title,
        error="请从下拉列表中选择",
        promptTitle=title,
        prompt="请从下拉列表中选择",
        showInputMessage=True,
    )
    return dv


def _date_validation(first: date, last: date) -> DataValidation:
    return DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({first.year},{first.month},{first.day})",
        formula2=f"DATE({last.year},{last.month},{last.day})",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="日期",
        error=f"请填写 {first.isoformat()} 至 {last.isoformat()} 之间的日期,例如 {first.isoformat()}",
        promptTitle="日期",
        prompt="写成 2027-03-16 的形式",
        showInputMessage=True,
    )


def _header(col: Column, lang: str) -> str:
    return col.zh if lang == "zh" else col.key


def _print_setup(ws: Any, orientation: str, college: str) -> None:
    """A4, one page wide (never below 60 %), the college and 第 N 页 共 M 页 on every page."""
    print_setup(
        ws, sheet_widths(ws), landscape=orientation == "landscape", college=college, name=ws.title
    )


def _form_sheet(
    ws: Any,
    leader: tuple[str, str, str],
    counselors: Sequence[tuple[str, str, str]],
    college: str,
    lang: str,
    date_range: tuple[date, date],
    rows: int,
) -> None:
    lid, name, position = leader
    cols = list(RECORDS.columns)
    ncol = len(cols)
    zh = lang == "zh"
    ws["A1"] = (
        f"{college}领导干部直接联系服务辅导员工作记录填报表"
        if zh
        else f"{college} contact records of a leader".strip()
    )
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    who = f"{name}(工号 {lid}{',' + position if position else ''})"
    ws["A2"] = (
        f"领导干部:{who}    每次联系填一行;带下拉箭头的格子请从列表中选择;填写方法见“说明”工作表"
        if zh
        else f"Leader: {name} ({lid}). One row per contact; see the 说明 sheet."
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    for j, col in enumerate(cols, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=_header(col, lang))
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = _WIDTHS.get(col.key, 12)
    first, last = HEADER_ROW + 1, HEADER_ROW + rows
    unlocked = Protection(locked=False)
    for r in range(first, last + 1):
        for j, col in enumerate(cols, start=1):
            cell = ws.cell(row=r, column=j)
            cell.border = _BOX
            if col.key == "leader_id":
                cell.value = lid
                cell.fill = _LOCKED_FILL
                cell.number_format = "@"
                continue  # locked: the form is this leader's
            cell.protection = unlocked
            if col.kind == Kind.DATE:
                cell.number_format = "yyyy-mm-dd"
            elif col.kind in (Kind.ID, Kind.IDS, Kind.TEXT):
                cell.number_format = "@"  # 00017 stays 00017
            if col.key in ("summary", "issues_raised", "resolution"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    def add(dv: DataValidation, key: str) -> None:
        letter = get_column_letter(cols.index(RECORDS.column(key)) + 1)
        dv.add(f"{letter}{first}:{letter}{last}")
        ws.add_data_validation(dv)

    def words(chs: Sequence[Any]) -> list[str]:
        return [ch.zh if zh else ch.code for ch in chs]

    def h(key: str) -> str:
        return _header(RECORDS.column(key), lang)

    add(_list_validation(words(LEADER_FORMS), h("form")), "form")
    add(_list_validation(words(MODES), h("mode")), "mode")
    add(_list_validation(words(EVENT_CATEGORIES), h("category")), "category")
    if counselors:
        add(_list_validation([c[0] for c in counselors], h("counselor_id")), "counselor_id")
    add(_list_validation(["是", "否"] if zh else ["true", "false"], h("typical")), "typical")
    add(_list_validation(_STATUS_WORDS, h("status"), strict=False), "status")
    add(_date_validation(*date_range), "date")
    ws.freeze_panes = ws.cell(row=first, column=1)
    ws.row_dimensions[HEADER_ROW].height = 30
    # Protected without a password: the header cannot be typed over by accident, and the
    # office lifts it with 撤消工作表保护. Widening columns and rows stays allowed.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False
    # About 175 characters wide: A4 landscape at ~75 %, legible (never below 60 %).
    _print_setup(ws, "landscape", college)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _todo_sheet(
    ws: Any,
    leader: tuple[str, str, str],
    counselors: Sequence[tuple[str, str, str]],
    due: Sequence[DueItem],
    college: str,
    lang: str,
) -> None:
    zh = lang == "zh"
    name = leader[1]
    ws["A1"] = (
        f"{college}{name} 联系的辅导员与待办事项" if zh else f"{name}: counselors and items due"
    )
    ws["A1"].font = Font(bold=True, size=14)
    r = 3
    head = ["辅导员工号", "姓名", "单位"] if zh else ["counselor_id", "name", "unit"]
    for j, text in enumerate(head, start=1):
        c = ws.cell(row=r, column=j, value=text)
        c.font, c.fill, c.border = Font(bold=True), _HEAD_FILL, _BOX
    names = {}
    for cid, cname, unit in counselors:
        r += 1
        names[cid] = (cname, unit)
        for j, text in enumerate((cid, cname, unit), start=1):
            c = ws.cell(row=r, column=j, value=text)
            c.border = _BOX
            c.number_format = "@"
    r += 2
    ws.cell(row=r, column=1, value="待办事项" if zh else "Items due").font = Font(
        bold=True, size=12
    )
    r += 1
    head = (
        ["形式", "辅导员工号", "辅导员姓名", "开始日期", "截止日期", "事项编号"]
        if zh
        else ["form", "counselor_id", "counselor", "from", "by", "item_id"]
    )
    for j, text in enumerate(head, start=1):
        c = ws.cell(row=r, column=j, value=text)
        c.font, c.fill, c.border = Font(bold=True), _HEAD_FILL, _BOX
    items = sorted(due, key=lambda d: (d.window_end, d.counselor_id, d.item_id))
    if not items:
        r += 1
        ws.cell(row=r, column=1, value="目前没有待办事项" if zh else "nothing due")
    for d in items:
        r += 1
        cname = names.get(d.counselor_id, ("", ""))[0]
        values = (
            _form_word(d.form, lang),
            d.counselor_id,
            cname,
            d.window_start,
            d.window_end,
            d.item_id,
        )
        for j, v in enumerate(values, start=1):
            c = ws.cell(row=r, column=j, value=v)
            c.border = _BOX
            if isinstance(v, date):
                c.number_format = "yyyy-mm-dd"
            else:
                c.number_format = "@"
    for letter, w in zip("ABCDEF", (12, 12, 12, 12, 12, 36), strict=True):
        ws.column_dimensions[letter].width = w
    _print_setup(ws, "landscape", college)


_HELP_ZH = (
    "这份表格用来登记您联系服务辅导员的情况,填好后请保存并发回办公室。",
    "",
    "一、怎么填",
    "1. 打开“填报”工作表,每联系一次填一行。领导工号已经填好,不用改。",
    "2. 日期:写成 2027-03-16 的样子。",
    "3. 辅导员工号、形式、方式、类别、典型案例:点一下格子,右边会出现小箭头,从列表里选。"
    "辅导员的姓名和单位见“待办事项”工作表。",
    "4. 主要内容、反映问题、解决措施:用几句话写清楚即可;没有反映问题就写“无”。",
    "5. 问题编号:若办公室已把这个问题登记进问题台账,可填台账里的编号,多个用“;”或“、”隔开;不知道就空着。",
    "",
    "二、几条规则",
    "1. 定期约谈:每季度至少一次,面对面(方式选“面谈”)才算数;电话、线上也请登记,但不算当季约谈。",
    "2. 工作指导:每学期至少一次,须当面参加辅导员组织的具体工作,并在“类别”中选所参加的工作"
    "(班会、谈心、党员发展等);电话指导或不选类别的,不计入工作指导。",
    "3. 规划发展:结对 6 个月内完成,与辅导员一起定下发展方向和三年目标。",
    "4. “待办事项”工作表列出了目前应完成的事项和截止日期,供您安排时间。",
    "",
    "三、注意",
    "1. 请不要修改文件名、工作表名和表头(第 1–3 行)。表头已设保护,没有密码;"
    "如确需修改,可在“审阅”中“撤消工作表保护”。",
    "2. 同一次联系只填一行;重复的行、工号不对的行、不在联系名单上的辅导员,办公室汇总时会退回核对。",
    "3. 有疑问请联系领导小组办公室。",
)
_HELP_EN = (
    "This workbook records your contacts with your counselors; save it and send it back.",
    "",
    "1. On the 填报 sheet write one row per contact; your id is filled in.",
    "2. Dates like 2027-03-16; pick counselor, form, mode, category from the drop-downs.",
    "3. Talks count for the quarter only face to face (in_person).",
    "4. Guidance counts only face to face and with a listed category.",
    "5. Do not rename the file, the sheets or the header; the sheet is protected without a "
    "password.",
)


_HELP_WIDTH = 80


def _display_width(text: str) -> int:
    """Width in spreadsheet character units: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _help_sheet(ws: Any, leader: tuple[str, str, str], college: str, lang: str) -> None:
    zh = lang == "zh"
    ws["A1"] = (
        f"{college}领导干部联系服务辅导员工作记录 填写说明" if zh else "How to fill in this form"
    )
    ws["A1"].font = Font(bold=True, size=16)
    ws["A2"] = f"领导干部:{leader[1]}(工号 {leader[0]})" if zh else f"Leader: {leader[1]}"
    for i, line in enumerate(_HELP_ZH if zh else _HELP_EN, start=4):
        c = ws.cell(row=i, column=1, value=line)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        # Spreadsheets do not grow a row for wrapped text they did not type themselves.
        lines = max(1, -(-_display_width(line) // (_HELP_WIDTH - 2)))
        ws.row_dimensions[i].height = 15 * lines
        if line.startswith(("一、", "二、", "三、")):
            c.font = Font(bold=True, size=12)
    ws.column_dimensions["A"].width = _HELP_WIDTH  # A4 portrait at 100 %; long lines wrap
    _print_setup(ws, "portrait", college)


def write_leader_form(
    path: Path,
    leader: tuple[str, str, str],
    counselors: Sequence[tuple[str, str, str]],
    due_items: Iterable[DueItem | Sequence[Any]],
    college: str,
    lang: str = "zh",
    *,
    date_range: tuple[date, date] | None = None,
    rows: int = FORM_ROWS,
) -> Path:
    """Write one leader's fill-in workbook (atomically: a temp file, then a rename).

    Parameters
    ----------
    path
        The ``.xlsx`` to write; name it with :func:`form_file_name`.
    leader
        ``(leader_id, name, position)``.
    counselors
        ``(counselor_id, name, unit)`` of the leader's counselors (the 辅导员工号 drop-down).
    due_items
        :class:`DueItem` or tuples ``(form, window_start, window_end, item_id[,
        counselor_id])``; listed on the 待办事项 sheet by deadline.
    college
        ``settings.college``, printed in the titles.
    lang
        ``zh`` (default): Chinese headers and words; ``en``: English keys and codes (the
        reader accepts both). Sheet names stay Chinese.
    date_range
        First and last day a 日期 may take (the cycle); default 2000-01-01 to 2099-12-31,
        which only checks that a date is a date.
    rows
        Data rows prepared with the leader's 工号.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    due = [_as_due(d) for d in due_items]
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = HELP_SHEET
    _help_sheet(help_ws, leader, college, lang)
    _todo_sheet(wb.create_sheet(TODO_SHEET), leader, counselors, due, college, lang)
    _form_sheet(
        wb.create_sheet(FORM_SHEET),
        leader,
        counselors,
        college,
        lang,
        date_range or (date(2000, 1, 1), date(2099, 12, 31)),
        rows,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# ----- reading a returned form ------------------------------------------------------
def _cell_value(cell: Any, col: Column | None) -> object:
    v = cell.value
    if col is not None and col.kind in (Kind.ID, Kind.IDS) and isinstance(v, float):
        # A 工号 typed into a cell Excel turned into a number; the id is its digits.
        return str(int(v)) if v.is_integer() else v
    return v


def _typed(raw: object, col: Column) -> tuple[object, tuple[str, str] | None]:
    text = cell_text(raw)
    if col.kind in (Kind.TEXT, Kind.ID):
        return text, None
    if col.kind == Kind.IDS:
        return tuple(x for x in re.split(r"[;,、\s]+", text) if x), None
    if col.kind == Kind.BOOL:
        b = parse_bool(raw if not isinstance(raw, str) else text)
        if b is None:
            return None, ("无法识别的是/否值,请选择“是”或“否”", "not a yes/no value")
        return b, None
    if col.kind == Kind.DATE:
        d = parse_date(raw if not isinstance(raw, str) else text)
        if d is None:
            return None, date_problem(raw if not isinstance(raw, str) else text)
        return d, None
    code = match_choice(col, text)
    if code is None:
        words = "、".join(ch.zh for ch in col.choices)
        return None, (f"无法识别的{col.zh},请从下拉列表中选择({words})", f"unknown {col.key}")
    return code, None


def _problem(file: str, zh: str, en: str, sheet: str | None = None, **kw: Any) -> InputProblem:
    return InputProblem(file=file, sheet=sheet, message_zh=zh, message_en=en, **kw)


def read_returned_form(path: Path) -> tuple[list[dict[str, object]], list[InputProblem]]:
    """Read the 填报 sheet of a returned form.

    Parameters
    ----------
    path
        The returned ``.xlsx`` (any sheet with the 联系记录 headers is accepted when 填报 is
        missing, e.g. a leader who copied the rows into a new workbook).

    Returns
    -------
    tuple
        (rows, problems). Rows are typed like :attr:`planner.io.read.DataSet.tables`
        rows — English keys, ``_row`` (spreadsheet row), ``_file`` (the file's name),
        ``_sheet``, ``_extra`` — plus ``_text`` (each cell as written) and ``_bad``
        (key → (zh, en) for cells that could not be read, and for a blank 日期/形式). Rows
        holding nothing but the pre-filled 领导工号 are skipped. ``problems`` only say why
        the file, or its table, cannot be read at all; then ``rows`` is empty.
    """
    path = Path(path)
    file = path.name
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean "unreadable"
        return [], [
            _problem(
                file,
                "无法打开这个 Excel 文件(可能已损坏或不是 .xlsx),请在 Excel/WPS 中打开后重新保存为 .xlsx",
                f"cannot open this Excel file: {type(exc).__name__}",
            )
        ]
    try:
        sheets = [wb[FORM_SHEET]] if FORM_SHEET in wb.sheetnames else list(wb.worksheets)
        for ws in sheets:
            found = _header_row(ws)
            if found is not None:
                return _rows(ws, file, *found), []
        missing = "、".join(c.zh for c in RECORDS.columns if c.required)
        return [], [
            _problem(
                file,
                f"找不到“{FORM_SHEET}”工作表的表头(需要 {missing} 等列),请使用办公室发的表格",
                f"no {FORM_SHEET} sheet with the records headers found",
                sheet=sheets[0].title if sheets else None,
            )
        ]
    finally:
        wb.close()


def _header_row(ws: Any) -> tuple[int, dict[int, Column], dict[int, str]] | None:
    need = set(RECORDS.required_keys)
    for r, row in enumerate(ws.iter_rows(max_row=_HEADER_SEARCH_ROWS), start=1):
        cols: dict[int, Column] = {}
        extras: dict[int, str] = {}
        for j, cell in enumerate(row):
            text = cell_text(cell.value)
            if not text:
                continue
            col = match_column(RECORDS, text)
            if col is None or col in cols.values():
                extras[j] = text
            else:
                cols[j] = col
        if need <= {c.key for c in cols.values()}:
            return r, cols, extras
    return None


def _rows(
    ws: Any, file: str, hrow: int, cols: dict[int, Column], extras: dict[int, str]
) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for r, cells in enumerate(ws.iter_rows(min_row=hrow + 1), start=hrow + 1):
        raw: dict[str, object] = {}
        texts: dict[str, str] = {}
        for j, col in cols.items():
            v = _cell_value(cells[j], col) if j < len(cells) else None
            raw[col.key] = v
            texts[col.key] = cell_text(v)
        extra = {
            name: cell_text(cells[j].value) if j < len(cells) else "" for j, name in extras.items()
        }
        # The writer fills in 领导工号 on every row; a row with nothing else is unused.
        if not any(t for k, t in texts.items() if k != "leader_id") and not any(extra.values()):
            continue
        rec: dict[str, object] = {"_row": r, "_file": file, "_sheet": ws.title}
        bad: dict[str, tuple[str, str]] = {}
        for col in RECORDS.columns:
            text = texts.get(col.key, "")
            if text == "":
                rec[col.key] = col.default
                if col.required:
                    bad[col.key] = (f"“{col.zh}”不能为空", f"'{col.key}' must not be empty")
                continue
            value, msg = _typed(raw[col.key], col)
            rec[col.key] = value
            if msg is not None:
                bad[col.key] = msg
        rec["_extra"] = extra
        rec["_text"] = texts
        rec["_bad"] = bad
        out.append(rec)
    return out


# ----- writing the merged table ---------------------------------------------------------
def record_cells(row: dict[str, object], lang: str = "zh") -> list[str]:
    """One typed records row as the cells of ``联系记录.csv``, in :data:`RECORDS` column order.

    Dates ISO (``2027-03-16``), choices as words in ``lang`` (定期约谈 / talk), booleans
    是/否 (true/false; blank when it is the default), several ids joined with ``;``. Pair it with the headers
    ``[c.zh for c in RECORDS.columns]`` and ``planner.io.write.write_csv``.
    """
    out = []
    for col in RECORDS.columns:
        v = row.get(col.key, col.default)
        if v is None:
            out.append("")
        elif isinstance(v, datetime):
            out.append(v.date().isoformat())
        elif isinstance(v, date):
            out.append(v.isoformat())
        elif isinstance(v, bool) and v == col.default:
            out.append("")  # 典型案例 left blank means 否; writing 否 on every row is noise
        elif isinstance(v, bool):
            out.append(("是" if v else "否") if lang == "zh" else ("true" if v else "false"))
        elif isinstance(v, tuple | list):
            out.append(";".join(str(x) for x in v))
        elif col.kind == Kind.CHOICE and lang == "zh":
            out.append(next((ch.zh for ch in col.choices if ch.code == v), str(v)))
        else:
            out.append(str(v))
    return out
