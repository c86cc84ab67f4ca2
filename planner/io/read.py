"""Read DATA (a folder of CSV/XLSX files or one workbook) into a :class:`models.Problem`.

Office staff hand in what Excel/WPS wrote: GB18030 or UTF-8 CSV, workbooks with formula
cells, full-width digits typed with a Chinese IME, ``是/否`` booleans, dates in half a
dozen spellings. Everything is normalised here so nothing downstream sees the mess.

Every problem is collected before giving up, each naming the file (and sheet), the row
as the spreadsheet shows it (header = row 1), the header as written and the bad value,
so the clerk can fix the whole file in one pass. No Python exception escapes
:func:`read_data`: anything unexpected becomes an :class:`InputError` too.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import models
from models import (
    Counselor,
    HistoryPair,
    Leader,
    Level,
    Problem,
    Rule,
    RuleKind,
    Settings,
    cycle_first_year,
    cycle_span_years,
)
from models.settings import TEXT_SETTINGS
from planner.errors import InputError, InputProblem, Note
from planner.io.text import UndecodableText, decode_table_text
from planner.schema import (
    HISTORY,
    MAX_INT,
    OPTIONAL_TABLES,
    SETTINGS_ZH,
    TABLES,
    Table,
    get_table,
    match_column,
    norm_name,
    norm_text,
)
from planner.values import (
    EXCEL_ERRORS,
    Cell,
    FormulaWithoutValue,
    cell_text,
    convert_value,
    parse_bool,
    parse_date,
    parse_int,
)

__all__ = [
    "DataSet",
    "match_plan_ids",
    "parse_bool",
    "parse_date",
    "read_data",
    "read_plan_pairs",
    "read_table_file",
]

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")
DEFAULT_CYCLE_YEARS = 3
# How far down a sheet the header row is looked for: the product's own printable
# sheets and many office files put a title row or two above it.
_HEADER_SEARCH_ROWS = 10
# History rows naming nobody on the rosters: over a quarter of them, and at least this many,
# is no longer "a few people retired" but ids written differently (a loud warning).
_LOUD_SKIPPED_MIN = 4


# ----- result ----------------------------------------------------------------------
@dataclass
class DataSet:
    """Everything read from DATA.

    Attributes
    ----------
    problem
        Rosters, history, rules, settings, cycle label and cycle start.
    notes
        Warnings that do not stop the run (zh + en).
    sources
        Table name → file actually read, for checksums in ``plan.json``. A table
        read from more than one file (``history/`` folder, ``settings.toml`` plus a
        设置 sheet) gets further keys ``"<table>:<file>"``.
    tables
        Optional tables read raw-but-typed (``calendar``, ``unavailable``, ``events``,
        ``records``, ``growth``, ``news``; only those present). Keys are the English
        column keys; every row also has ``_row`` (spreadsheet row), ``_file``,
        ``_sheet`` (None for CSV) and ``_extra`` (extra header → text).
    calendar_toml
        ``calendar.toml`` parsed by :mod:`tomllib`, or None.
    extra_columns
        Table → extra (unknown) headers in input order, carried through to outputs.
    """

    problem: models.Problem
    notes: list[Note] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    calendar_toml: dict[str, Any] | None = None
    extra_columns: dict[str, list[str]] = field(default_factory=dict)


# ----- public helpers ----------------------------------------------------------------
# ----- raw sources ---------------------------------------------------------------------


@dataclass
class _Source:
    """A table as it was read: raw cells, row index 0 = spreadsheet row 1."""

    path: Path
    file: str  # as shown to the clerk: basename, or path relative to DATA
    sheet: str | None
    rows: list[list[Cell]]
    hidden: tuple[str, ...] = ()  # the workbook's hidden sheets, skipped (one table per file)


class _Bad(Exception):
    """A file that cannot be read at all; carries the problem to report."""

    def __init__(self, problem: InputProblem) -> None:
        super().__init__(problem.message_en)
        self.problem = problem


def _file_problem(file: str, zh: str, en: str, sheet: str | None = None) -> _Bad:
    return _Bad(InputProblem(file=file, sheet=sheet, message_zh=zh, message_en=en))


_ZEROS = re.compile(r"0+")


def _xlsx_value(cell: Any) -> Cell:
    """A cell's value, keeping zero-padded ids (number format ``000``) as text."""
    v = cell.value
    if isinstance(v, int | float) and not isinstance(v, bool):
        fmt = getattr(cell, "number_format", None)
        if isinstance(fmt, str) and _ZEROS.fullmatch(fmt) and float(v).is_integer():
            # The clerk sees 007 in Excel; the id is what they see.
            return str(int(v)).zfill(len(fmt))
    return v


def _sheet_rows(ws: Any) -> list[list[Cell]]:
    # Some writers store a wrong <dimension>; read-only mode would then cut rows off.
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    rows: list[list[Cell]] = []
    for r in ws.iter_rows():
        num = next((c.row for c in r if getattr(c, "row", None)), len(rows) + 1)
        while len(rows) < num - 1:
            rows.append([])
        rows.append([_xlsx_value(c) for c in r])
    return rows


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_COORD = re.compile(r"([A-Z]{1,3})(\d+)")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _uncomputed_formulas(path: Path, ws: Any) -> dict[tuple[int, int], str]:
    """(row, column), 1-based → formula, for the formula cells of ``ws`` without a cached value.

    openpyxl reads such a cell as empty (``data_only``). A workbook written by a program and
    never opened in Excel/WPS has them; a formula whose result is an empty string does not
    (Excel stores ``t="str"`` and the empty result), so only the former are reported.
    """
    part = getattr(ws, "_worksheet_path", None)  # openpyxl's read-only sheet knows its part
    if not isinstance(part, str):
        return {}
    try:
        with zipfile.ZipFile(path) as zf:
            data = zf.read(part)
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    if not _FORMULA_TAG.search(data):
        return {}  # the usual case: no formula at all, no second parse
    out: dict[tuple[int, int], str] = {}
    try:
        for _event, el in ET.iterparse(io.BytesIO(data)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "c":
                formula = value = None
                for child in el:
                    name = child.tag.rsplit("}", 1)[-1]
                    if name == "f":
                        formula = child
                    elif name == "v":
                        value = child
                kind = el.get("t", "n")
                cached = value is not None and bool(value.text)
                m = _COORD.fullmatch(el.get("r") or "")
                if formula is not None and not cached and kind not in ("str", "s", "e") and m:
                    out[(int(m.group(2)), _column_number(m.group(1)))] = "=" + (formula.text or "")
                el.clear()
            elif tag == "row":
                el.clear()
    except ET.ParseError:
        return out  # openpyxl reported (or will report) the broken sheet itself
    return out


def _mark_formulas(rows: list[list[Cell]], formulas: Mapping[tuple[int, int], str]) -> None:
    for (r, c), formula in formulas.items():
        if r < 1 or c < 1:
            continue
        while len(rows) < r:
            rows.append([])
        row = rows[r - 1]
        while len(row) < c:
            row.append(None)
        if row[c - 1] is None:
            row[c - 1] = FormulaWithoutValue(formula)


def _open_workbook(path: Path, file: str) -> Any:
    import openpyxl

    if path.suffix.lower() == ".xls":
        raise _file_problem(
            file,
            "这是旧版 Excel(.xls)文件,请在 Excel/WPS 中另存为 .xlsx 或 CSV 后再试",
            "old Excel .xls files are not supported; save it as .xlsx or CSV",
        )
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean "unreadable"
        raise _file_problem(
            file,
            "无法打开这个 Excel 文件(文件可能已损坏或不是 .xlsx 格式),"
            "请在 Excel/WPS 中打开后重新保存为 .xlsx",
            f"cannot open this Excel file (corrupt or not .xlsx): {type(exc).__name__}",
        ) from exc


def _read_sheets(path: Path, file: str) -> tuple[list[_Source], list[str]]:
    """Read every visible sheet of a workbook; (the sheets, the titles of the hidden ones).

    Hidden sheets (an old version kept out of sight, a scratch table) are never read: the
    clerk does not see them, so they must not decide the plan (CONTRACT.md §1).
    """
    wb = _open_workbook(path, file)
    out: list[_Source] = []
    hidden: list[str] = []
    try:
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                hidden.append(ws.title)
                continue
            try:
                rows = _sheet_rows(ws)
            except Exception as exc:  # truncated or malformed sheet XML
                raise _file_problem(
                    file,
                    "工作表内容已损坏,无法读取,请在 Excel/WPS 中打开后重新保存",
                    f"the sheet is corrupt and cannot be read: {type(exc).__name__}",
                    sheet=ws.title,
                ) from exc
            _mark_formulas(rows, _uncomputed_formulas(path, ws))
            out.append(_Source(path, file, ws.title, rows))
    finally:
        wb.close()
    return out, hidden


def hidden_sheets_note(file: str, hidden: Iterable[str]) -> Note:
    """The note saying which hidden sheets of workbook ``file`` were not read."""
    names = list(hidden)
    zh = "、".join(f"“{n}”" for n in names)
    en = ", ".join(f"'{n}'" for n in names)
    return Note(
        f"{file} 中的隐藏工作表 {zh} 未读取(隐藏的工作表一律跳过;如需使用,"
        "请在 Excel/WPS 中取消隐藏)",
        f"{file}: hidden sheet(s) {en} were not read (hidden sheets are always skipped; "
        "unhide them in Excel/WPS to use them)",
    )


def _decode(data: bytes, file: str) -> str:
    try:
        return decode_table_text(data)
    except UndecodableText as exc:
        raise _file_problem(file, exc.zh, exc.en) from exc


def _read_csv(path: Path, file: str) -> _Source:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _file_problem(
            file, f"无法读取文件: {exc.strerror}", f"cannot read the file: {exc.strerror}"
        ) from exc
    text = _decode(data, file)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delim = ","
    # Tab- or semicolon-separated exports are common; only switch when no comma.
    if "," not in first:
        if "\t" in first:
            delim = "\t"
        elif ";" in first:
            delim = ";"
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        rows: list[list[Cell]] = [list[Cell](r) for r in reader]
    except csv.Error as exc:
        raise _file_problem(
            file,
            f"CSV 格式有误,无法读取({exc}),请在 Excel/WPS 中打开后重新另存为 CSV",
            f"malformed CSV ({exc}); open it in Excel/WPS and save it as CSV again",
        ) from exc
    return _Source(path, file, None, rows)


def _read_file(
    path: Path, file: str, table: Table | None, optional: frozenset[str] = frozenset()
) -> _Source:
    """One table file: a CSV, or the sheet of a workbook that holds ``table``.

    ``optional`` are required keys the caller can do without (as in :meth:`_Reader.parse`).
    """
    if path.suffix.lower() == ".csv":
        return _read_csv(path, file)
    sheets, hidden = _read_sheets(path, file)
    if not sheets:
        if hidden:
            names = "、".join(hidden)
            raise _file_problem(
                file,
                f"工作簿中的工作表都是隐藏的({names}),隐藏的工作表不会读取:"
                "请在 Excel/WPS 中取消隐藏要使用的工作表",
                f"every sheet of the workbook is hidden ({', '.join(hidden)}); hidden sheets "
                "are not read: unhide the one to use",
            )
        raise _file_problem(file, "工作簿中没有工作表", "the workbook has no sheets")
    found = _pick_sheet(sheets, table, optional)
    return replace(found, hidden=tuple(hidden))


def _pick_sheet(sheets: list[_Source], table: Table | None, optional: frozenset[str]) -> _Source:
    if table is None or len(sheets) == 1:
        return sheets[0]
    names = {norm_name(n) for n in table.file_names}
    for s in sheets:
        if norm_name(s.sheet or "") in names:
            return s
    # The first sheet is the rule; a leading 说明 (instructions) sheet is common, so
    # prefer the first sheet that actually carries the table's headers.
    for s in sheets:
        if _find_header(s.rows, table, optional)[1]:
            return s
    return sheets[0]


# ----- cell conversion -------------------------------------------------------------
def _blank(row: list[Cell]) -> bool:
    # A formula without a cached value is unknown, not empty: its row must not vanish.
    return all(cell_text(c) == "" and not isinstance(c, FormulaWithoutValue) for c in row)


# ----- table parsing -----------------------------------------------------------------
@dataclass
class _Parsed:
    """A table after header matching and cell conversion."""

    src: _Source
    table: Table
    headers: dict[str, str]  # key -> header text as written
    extras: list[str]
    rows: list[dict[str, Any]]  # typed rows; '_text' holds each key's cell text

    def where(self, rec: Mapping[str, Any], key: str | None = None) -> dict[str, Any]:
        """Keyword arguments locating a cell of ``rec`` for :meth:`_Reader.problem`."""
        out: dict[str, Any] = {"src": self.src, "row": rec["_row"]}
        if key is not None:
            # A column absent from the file is named by its Chinese header.
            out["column"] = self.headers.get(key) or self.table.column(key).zh
            text = rec["_text"].get(key, "")
            out["value"] = text if text != "" else None
        return out


def _find_header(
    rows: list[list[Cell]], table: Table, optional: frozenset[str]
) -> tuple[int | None, bool]:
    """(index of the header row or None if the sheet is blank, whether it is complete)."""
    need = {k for k in table.required_keys if k not in optional}
    first: int | None = None
    seen = 0
    for i, row in enumerate(rows):
        if _blank(row):
            continue
        if first is None:
            first = i
        keys = {c.key for c in (match_column(table, cell_text(v)) for v in row) if c}
        if need <= keys and keys:
            return i, True
        seen += 1
        if seen >= _HEADER_SEARCH_ROWS:
            break
    return first, False


class _Reader:
    """Collects problems and notes while reading one DATA."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[InputProblem] = []
        self.notes: list[Note] = []
        self.sources: dict[str, Path] = {}
        self.extra_columns: dict[str, list[str]] = {}

    # -- reporting ---------------------------------------------------------------
    def problem(
        self,
        zh: str,
        en: str,
        *,
        src: _Source | None = None,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        self.problems.append(
            InputProblem(
                file=src.file if src else (file or self.root.name),
                sheet=src.sheet if src else None,
                message_zh=zh,
                message_en=en,
                row=row,
                column=column,
                value=value,
            )
        )

    def note(self, zh: str, en: str, *, loud: bool = False) -> None:
        self.notes.append(Note(zh, en, loud=loud))

    def formulas_problem(self, src: _Source, rows: Mapping[int, list[str]]) -> None:
        """One problem for every formula cell of a sheet without a cached value."""
        nums = sorted(rows)
        shown = "、".join(str(n) for n in nums[:10]) + ("…" if len(nums) > 10 else "")
        cols = list(dict.fromkeys(c for n in nums for c in rows[n]))
        cols_zh = "、".join(f"“{c}”" for c in cols)
        self.problem(
            f"第{shown}行的公式没有计算结果,请在 Excel/WPS 中打开并保存一次"
            f"(涉及列 {cols_zh};这个文件可能由程序生成,从未在 Excel/WPS 中保存过)",
            f"the formula(s) in row(s) {shown.replace('、', ', ')} have no computed value; open "
            f"the file in Excel/WPS and save it once (columns {', '.join(cols)}; the file was "
            "probably written by a program and never saved in Excel/WPS)",
            src=src,
        )

    def add_source(self, name: str, path: Path) -> None:
        key = name if name not in self.sources else f"{name}:{self.display(path)}"
        self.sources[key] = path

    def display(self, path: Path) -> str:
        """The file name shown to the clerk: relative to DATA when inside it."""
        try:
            rel = path.relative_to(self.root)
        except ValueError:
            return path.name
        return rel.as_posix() if rel.parts else path.name

    def load(
        self, path: Path, table: Table | None, optional: frozenset[str] = frozenset()
    ) -> _Source | None:
        try:
            src = _read_file(path, self.display(path), table, optional)
        except _Bad as bad:
            self.problems.append(bad.problem)
            return None
        if src.hidden:
            self.notes.append(hidden_sheets_note(src.file, src.hidden))
        return src

    # -- parsing -----------------------------------------------------------------
    def parse(
        self,
        src: _Source,
        table: Table,
        *,
        optional: frozenset[str] = frozenset(),
        need_rows: bool = False,
    ) -> _Parsed | None:
        """Match headers and convert cells, reporting every bad cell.

        ``optional`` lists required keys that may be missing here (a history file
        whose cycle comes from its name). Returns None when the table cannot be
        read at all (empty, required columns missing).
        """
        hidx, _complete = _find_header(src.rows, table, optional)
        if hidx is None:
            if need_rows or table.required:
                self.problem(
                    f"文件是空的,请填写{table.zh}表(第1行为列名)",
                    f"the file is empty; fill in the {table.name} table (headers in row 1)",
                    src=src,
                )
            return None
        header = src.rows[hidx]
        hrow = hidx + 1
        colmap: dict[str, int] = {}
        headers: dict[str, str] = {}
        extras: list[tuple[int, str]] = []
        for j, v in enumerate(header):
            text = cell_text(v)
            if not text:
                continue  # an unlabelled column cannot be used or carried through
            col = match_column(table, text)
            if col is None:
                name, n = text, 2
                while name in {e for _, e in extras}:
                    name, n = f"{text} ({n})", n + 1
                extras.append((j, name))
            elif col.key in colmap:
                self.problem(
                    f"列重复:“{text}”与“{headers[col.key]}”是同一列,请删去一列",
                    f"duplicate column: '{text}' and '{headers[col.key]}' mean the same",
                    src=src,
                    row=hrow,
                    column=text,
                )
            else:
                colmap[col.key] = j
                headers[col.key] = text
        missing = [
            c for c in table.columns if c.required and c.key not in optional and c.key not in colmap
        ]
        for c in missing:
            self.problem(
                f"缺少必填列“{c.zh}”(英文列名 {c.key})",
                f"missing required column '{c.key}' ({c.zh})",
                src=src,
                row=hrow,
                column=c.zh,
            )
        if missing:
            return None
        parsed = _Parsed(src, table, headers, [e for _, e in extras], [])
        uncomputed: dict[int, list[str]] = {}
        for i in range(hidx + 1, len(src.rows)):
            cells = src.rows[i]
            row_texts = [cell_text(c) for c in cells]  # once per cell: the reader's hot loop
            if all(t == "" for t in row_texts) and _blank(cells):
                continue
            rec: dict[str, Any] = {"_row": i + 1, "_file": src.file, "_sheet": src.sheet}
            texts: dict[str, str] = {}
            for col in table.columns:
                at = colmap.get(col.key)
                raw = cells[at] if at is not None and at < len(cells) else None
                text = row_texts[at] if at is not None and at < len(cells) else ""
                texts[col.key] = text
                if isinstance(raw, FormulaWithoutValue):
                    uncomputed.setdefault(i + 1, []).append(headers[col.key])
                    rec[col.key] = col.default
                    continue
                if text in EXCEL_ERRORS:
                    self.problem(
                        f"单元格是 Excel 的错误值 {text}(公式出错,例如查找不到),"
                        "请改正公式或直接填写数值",
                        f"the cell holds the Excel error {text} (a failed formula); "
                        "fix the formula or type the value",
                        src=src,
                        row=i + 1,
                        column=headers[col.key],
                        value=text,
                    )
                    rec[col.key] = col.default
                    continue
                if text == "":
                    if at is not None and col.required and col.key not in optional:
                        self.problem(
                            f"“{headers[col.key]}”不能为空",
                            f"'{headers[col.key]}' must not be empty",
                            src=src,
                            row=i + 1,
                            column=headers[col.key],
                        )
                    rec[col.key] = col.default
                    continue
                typed, msg = convert_value(raw, col, text)
                if msg is not None:
                    self.problem(
                        msg[0],
                        msg[1],
                        src=src,
                        row=i + 1,
                        column=headers[col.key],
                        value=text,
                    )
                rec[col.key] = typed
            rec["_text"] = texts
            rec["_extra"] = {name: row_texts[j] if j < len(cells) else "" for j, name in extras}
            parsed.rows.append(rec)
        if uncomputed:
            self.formulas_problem(src, uncomputed)
        if need_rows and not parsed.rows:
            self.problem(
                f"{table.zh}表只有列名,没有数据行",
                f"the {table.name} table has headers but no data rows",
                src=src,
            )
        return parsed


_ID_KEY = {"leaders": "leader_id", "counselors": "counselor_id"}


def _public_rows(parsed: _Parsed) -> list[dict[str, object]]:
    return [{k: v for k, v in r.items() if k != "_text"} for r in parsed.rows]


# ----- locating tables ---------------------------------------------------------------
def _looked_for(table: Table) -> str:
    return "、".join(f"{n}{s}" for n in (table.name, table.zh) for s in (".csv", ".xlsx"))


def _is_junk(p: Path) -> bool:
    # Excel lock files (~$x.xlsx) and hidden files are never tables.
    return p.name.startswith(("~$", "."))


class _DataReader(_Reader):
    """Reads a whole DATA folder or workbook into a :class:`DataSet`."""

    def __init__(self, root: Path, cycle: str | None) -> None:
        super().__init__(root)
        self.cycle_arg = norm_text(cycle) if cycle else None
        self.sources_by_table: dict[str, list[_Source]] = {}
        self.settings_toml: dict[str, Any] | None = None
        self.calendar_toml: dict[str, Any] | None = None
        self.toml_names: dict[str, str] = {}

    # -- finding the files ---------------------------------------------------------
    def locate(self) -> None:
        root = self.root
        if not root.exists():
            self.problem(
                "找不到数据文件夹或工作簿,请检查路径",
                "the data folder or workbook does not exist; check the path",
                file=str(root),
            )
            return
        if root.is_dir():
            self.locate_folder()
        elif root.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            self.locate_workbook()
        else:
            self.problem(
                "数据应是一个文件夹(每张表一个文件)或一个 .xlsx 工作簿(每张表一个工作表)",
                "DATA must be a folder (one file per table) or one .xlsx workbook",
                file=root.name,
            )

    def locate_folder(self) -> None:
        files: dict[str, list[Path]] = {}
        dirs: dict[str, Path] = {}
        try:
            entries = sorted(self.root.iterdir())
        except OSError as exc:
            self.problem(f"无法读取文件夹: {exc.strerror}", f"cannot list the folder: {exc}")
            return
        for p in entries:
            if _is_junk(p):
                continue
            if p.is_dir():
                dirs[norm_name(p.name)] = p
            else:
                files.setdefault(norm_name(p.stem), []).append(p)
        for table in TABLES.values():
            names = {norm_name(n) for n in table.file_names}
            found = sorted(
                p
                for n in names
                for p in files.get(n, [])
                if p.suffix.lower() in (*TABLE_SUFFIXES, ".xls")
            )
            if len(found) > 1:
                self.problem(
                    f"找到多个{table.zh}表文件: {'、'.join(p.name for p in found)},请只保留一个",
                    f"several files hold the {table.name} table: "
                    f"{', '.join(p.name for p in found)}; keep one",
                )
                continue
            if found:
                src = self.load(found[0], table)
                if src is not None:
                    self.sources_by_table.setdefault(table.name, []).append(src)
                    self.add_source(table.name, found[0])
            elif table.required:
                self.problem(
                    f"找不到{table.zh}表:在数据文件夹中查找了 {_looked_for(table)}",
                    f"the {table.name} table is missing: looked for {_looked_for(table)}",
                )
            if table is HISTORY:
                for n in names:
                    if n in dirs:
                        self.locate_history_dir(dirs[n])
        for table_name in ("settings", "calendar"):
            names = {norm_name(n) for n in TABLES[table_name].file_names}
            tomls = sorted(
                p for n in names for p in files.get(n, []) if p.suffix.lower() == ".toml"
            )
            for p in tomls[:1]:
                parsed = self.read_toml(p)
                self.add_source(table_name, p)
                self.toml_names[table_name] = p.name
                if table_name == "settings":
                    self.settings_toml = parsed
                else:
                    self.calendar_toml = parsed

    def locate_history_dir(self, folder: Path) -> None:
        try:
            paths = sorted(p for p in folder.rglob("*") if p.is_file())
        except OSError as exc:
            self.problem(f"无法读取文件夹: {exc.strerror}", f"cannot list the folder: {exc}")
            return
        for p in paths:
            if _is_junk(p) or p.suffix.lower() not in (*TABLE_SUFFIXES, ".xls"):
                continue
            src = self.load(p, HISTORY, frozenset({"cycle"}))
            if src is not None:
                self.sources_by_table.setdefault("history", []).append(src)
                self.add_source("history", p)

    def locate_workbook(self) -> None:
        try:
            sheets, hidden = _read_sheets(self.root, self.root.name)
        except _Bad as bad:
            self.problems.append(bad.problem)
            return
        if hidden:
            self.notes.append(hidden_sheets_note(self.root.name, hidden))
        by_name = {norm_name(s.sheet or ""): s for s in sheets}
        for table in TABLES.values():
            found = [by_name[n] for n in {norm_name(x) for x in table.file_names} if n in by_name]
            if len(found) > 1:
                self.problem(
                    f"找到多个{table.zh}工作表: {'、'.join(s.sheet or '' for s in found)},"
                    "请只保留一个",
                    f"several sheets hold the {table.name} table; keep one",
                    file=self.root.name,
                )
            elif found:
                self.sources_by_table[table.name] = found
                self.add_source(table.name, self.root)
            elif table.required:
                self.problem(
                    f"工作簿中找不到工作表“{table.zh}”(或“{table.name}”)",
                    f"the workbook has no sheet '{table.name}' ('{table.zh}')",
                    file=self.root.name,
                )

    def read_toml(self, path: Path) -> dict[str, Any] | None:
        try:
            return tomllib.loads(_decode(path.read_bytes(), path.name))
        except _Bad as bad:
            self.problems.append(bad.problem)
        except OSError as exc:
            self.problem(
                f"无法读取文件: {exc.strerror}", f"cannot read the file: {exc}", file=path.name
            )
        except tomllib.TOMLDecodeError as exc:
            self.problem(
                f"TOML 格式有误: {exc}(例如 min_load = 2,文字要加英文引号)",
                f"invalid TOML: {exc}",
                file=path.name,
            )
        return None

    # -- settings --------------------------------------------------------------------
    def read_settings(self) -> Settings:
        known_problems = len(self.problems)
        values: dict[str, int | bool | str] = {}
        origin: dict[str, str] = {}
        if self.settings_toml is not None:
            fname = self.toml_names.get("settings", "settings.toml")
            for key, v in self.settings_toml.items():
                n = self.settings_value(key, v, file=fname, column=key)
                if n is not None:
                    values[key] = n
                    origin[key] = fname
        for src in self.sources_by_table.get("settings", []):
            parsed = self.parse(src, TABLES["settings"])
            if parsed is None:
                continue
            for rec in parsed.rows:
                skey = _settings_key(rec["key"] or "")
                if skey is None:
                    self.setting_unknown(rec["_text"]["key"], **parsed.where(rec, "key"))
                    continue
                n = self.settings_value(skey, rec["value"], **parsed.where(rec, "value"))
                if n is None:
                    continue
                if skey in values and values[skey] != n:
                    self.problem(
                        f"设置项“{skey}”在 {origin[skey]} 中是 {values[skey]},这里是 {n},"
                        "请只保留一处",
                        f"setting '{skey}' is {values[skey]} in {origin[skey]} but {n} here",
                        **parsed.where(rec, "value"),
                    )
                values[skey] = n
                origin[skey] = src.file
        if len(self.problems) > known_problems:
            return Settings()  # a min/max complaint on top of a bad value would only confuse
        try:
            return Settings(**values)
        except ValueError:
            # The only cross-key rule: min_load <= max_load.
            self.problem(
                "设置中“最少联系人数”(min_load)大于“最多联系人数”(max_load)",
                "settings: min_load is greater than max_load",
                file=", ".join(sorted(set(origin.values()))) or self.root.name,
            )
            return Settings()

    def setting_unknown(self, key: str, **where: Any) -> None:
        known = ", ".join(Settings.model_fields)
        self.problem(
            f"未知的设置项“{key}”,可用的设置项: {known}",
            f"unknown setting '{key}'; known settings: {known}",
            **where,
        )

    def settings_value(self, key: str, raw: object, /, **where: Any) -> int | bool | str | None:
        """A validated settings value, or None after reporting the problem."""
        if key not in Settings.model_fields:
            where.setdefault("value", str(raw))
            self.setting_unknown(key, **where)
            return None
        if key in TEXT_SETTINGS:
            return self.text_setting(key, raw, where)
        if Settings.model_fields[key].annotation in (bool, "bool"):
            b = parse_bool(raw)
            if b is None:
                where.setdefault("value", str(raw))
                where.setdefault("column", key)
                zh = SETTINGS_ZH.get(key, key)
                self.problem(
                    f"设置项“{zh}”({key})应为 是/否(true/false)",
                    f"setting '{key}' must be true or false",
                    **where,
                )
            return b
        n = None if isinstance(raw, bool) else parse_int(raw)
        lowest = 0
        for meta in Settings.model_fields[key].metadata:
            lowest = max(lowest, int(getattr(meta, "ge", lowest)))
        if n is None or not lowest <= n <= MAX_INT:
            where.setdefault("value", str(raw))
            where.setdefault("column", key)
            zh = SETTINGS_ZH.get(key, key)
            self.problem(
                f"设置项“{zh}”({key})应为 {lowest} 到 {MAX_INT} 之间的整数",
                f"setting '{key}' must be a whole number from {lowest} to {MAX_INT}",
                **where,
            )
            return None
        return n

    def text_setting(self, key: str, raw: object, where: dict[str, Any]) -> str | None:
        """A text setting (学院名称, 填报人…): cleaned, within its length, A4/A3 for paper."""
        text = "" if raw is None else norm_text(str(raw))
        zh = SETTINGS_ZH.get(key, key)
        field = Settings.model_fields[key]
        longest = next((int(m.max_length) for m in field.metadata if hasattr(m, "max_length")), 0)
        if key == "wide_paper":
            text = text.upper()
            if text not in ("A4", "A3"):
                where.setdefault("value", str(raw))
                where.setdefault("column", key)
                self.problem(
                    f"设置项“{zh}”({key})应为 A4 或 A3",
                    f"setting '{key}' must be A4 or A3",
                    **where,
                )
                return None
        elif longest and len(text) > longest:
            where.setdefault("value", str(raw))
            where.setdefault("column", key)
            self.problem(
                f"设置项“{zh}”({key})最长 {longest} 个字,这里有 {len(text)} 个字",
                f"setting '{key}' has at most {longest} characters, here {len(text)}",
                **where,
            )
            return None
        return text

    # -- rosters -----------------------------------------------------------------------
    def read_roster(self, name: str) -> _Parsed | None:
        srcs = self.sources_by_table.get(name, [])
        if not srcs:
            return None
        parsed = self.parse(srcs[0], TABLES[name], need_rows=True)
        if parsed is not None:
            self.extra_columns[name] = list(parsed.extras)
            self.check_unique(parsed, _ID_KEY[name])
        return parsed

    def check_unique(self, parsed: _Parsed, key: str) -> None:
        first: dict[str, int] = {}
        for rec in parsed.rows:
            v = rec[key]
            if not v:
                continue
            if v in first:
                self.problem(
                    f"工号重复(与第{first[v]}行相同)",
                    f"duplicate id (same as row {first[v]})",
                    **parsed.where(rec, key),
                )
            else:
                first[v] = rec["_row"]

    def build_leaders(self, parsed: _Parsed, settings: Settings) -> list[Leader]:
        out: list[Leader] = []
        for order, rec in enumerate(parsed.rows):
            unit: str = rec["unit"] or ""
            heads = bool(rec["heads_teaching_unit"])
            if heads and not unit:
                self.problem(
                    "“教学单位负责人”填了“是”,但“单位”是空的:请填写所负责的教学单位",
                    "heads_teaching_unit is true but the unit is empty; fill in the unit",
                    **parsed.where(rec, "heads_teaching_unit"),
                )
            lo, hi = rec["min_load"], rec["max_load"]
            unreadable = any(rec["_text"][k] and rec[k] is None for k in ("min_load", "max_load"))
            lo_e = settings.min_load if lo is None else lo
            hi_e = settings.max_load if hi is None else hi
            # An unreadable load is reported already; comparing its default would mislead.
            if lo_e > hi_e and not (lo is None and hi is None) and not unreadable:
                key = "min_load" if lo is not None else "max_load"
                zh = "“最少联系人数”大于“最多联系人数”"
                en = "min_load is greater than max_load"
                if lo is None:
                    zh += f"(“最少联系人数”未填,按设置为{lo_e})"
                    en += f" (min_load not given; settings say {lo_e})"
                elif hi is None:
                    zh += f"(“最多联系人数”未填,按设置为{hi_e})"
                    en += f" (max_load not given; settings say {hi_e})"
                self.problem(zh, en, **parsed.where(rec, key))
            if self.problems:
                continue  # keep checking rows; models are only built from clean input
            level = rec["level"] or ("middle" if unit else "college")
            out.append(
                Leader(
                    leader_id=rec["leader_id"],
                    name=rec["name"],
                    position=rec["position"] or "",
                    level=Level(level),
                    unit=unit,
                    heads_teaching_unit=heads,
                    min_load=lo,
                    max_load=hi,
                    active=bool(rec["active"]),
                    order=order,
                    extra=dict(rec["_extra"]),
                )
            )
        return out

    def build_counselors(self, parsed: _Parsed) -> list[Counselor]:
        if self.problems:
            return []
        return [
            Counselor(
                counselor_id=rec["counselor_id"],
                name=rec["name"],
                unit=rec["unit"],
                start_date=rec["start_date"],
                active=bool(rec["active"]),
                order=order,
                extra=dict(rec["_extra"]),
            )
            for order, rec in enumerate(parsed.rows)
        ]

    def check_disjoint(self, leaders: _Parsed, counselors: _Parsed) -> None:
        where_leader = {r["leader_id"]: r for r in leaders.rows if r["leader_id"]}
        for rec in counselors.rows:
            other = where_leader.get(rec["counselor_id"])
            if other is not None:
                lf = leaders.src.file + (f"[{leaders.src.sheet}]" if leaders.src.sheet else "")
                self.problem(
                    f"该工号也出现在领导干部表 {lf} 第{other['_row']}行:"
                    "同一个工号不能既是领导又是辅导员",
                    f"this id is also a leader's ({lf} row {other['_row']}); "
                    "an id cannot be both a leader and a counselor",
                    **counselors.where(rec, "counselor_id"),
                )

    # -- history and rules ----------------------------------------------------------
    def read_history(
        self, lids: _IdMatcher, cids: _IdMatcher
    ) -> tuple[list[tuple[HistoryPair, str]], list[str]]:
        """History pairs of people still on the rosters (with the file each came from), and
        every cycle label seen.

        Ids that match a roster id only once leading zeros are restored or removed are
        matched with a warning (Excel turns ``00017`` into ``17``); ambiguous ones are
        errors. When more than a quarter of the rows name nobody on the rosters the note is
        loud: the repeat rule would otherwise silently not apply to them.
        """
        pairs: list[tuple[HistoryPair, str]] = []
        labels: list[str] = []
        total = skipped = 0
        gone_l: dict[str, None] = {}
        gone_c: dict[str, None] = {}
        zeros = _ZeroMatches("历史联系", "history")
        for src in self.sources_by_table.get("history", []):
            fallback = _history_label(src.path, self.root)
            optional = frozenset({"cycle"}) if fallback else frozenset()
            parsed = self.parse(src, HISTORY, optional=optional)
            if parsed is None:
                continue
            for rec in parsed.rows:
                cyc = rec["cycle"] or fallback
                lid, cid = rec["leader_id"], rec["counselor_id"]
                if not (cyc and lid and cid):
                    continue  # already reported as an empty required cell
                why = cycle_label_problem(cyc)
                if why is not None:
                    # Cycles order by their first year: a label without one cannot be placed.
                    self.problem(
                        why[0],
                        why[1],
                        src=src,
                        row=rec["_row"],
                        column=parsed.headers.get("cycle"),
                        value=cyc,
                    )
                    continue
                labels.append(cyc)
                total += 1
                lid_r = self.match_id(lids, lid, zeros, parsed, rec, "leader_id")
                cid_r = self.match_id(cids, cid, zeros, parsed, rec, "counselor_id")
                if lid_r is None or cid_r is None:
                    skipped += 1
                    if lid_r is None:
                        gone_l.setdefault(lid)
                    if cid_r is None:
                        gone_c.setdefault(cid)
                    continue
                pairs.append(
                    (HistoryPair(cycle=cyc, leader_id=lid_r, counselor_id=cid_r), src.file)
                )
        zeros.report(self)
        if skipped:
            self.history_skipped_note(total, skipped, list(gone_l), list(gone_c), lids, cids)
        unique = list(dict.fromkeys(pairs))
        return unique, labels

    def match_id(
        self,
        ids: _IdMatcher,
        value: str,
        zeros: _ZeroMatches,
        parsed: _Parsed,
        rec: Mapping[str, Any],
        key: str,
    ) -> str | None:
        """The roster id ``value`` means (itself, or its leading-zero twin), else None.

        An id two roster ids could mean (``17`` with ``017`` and ``0017`` on the roster) is
        an error naming the cell: guessing would tie the history to the wrong person.
        """
        got, candidates = ids.resolve(value)
        if got is not None:
            if got != value:
                zeros.add(parsed.src.file, key, value, got)
            return got
        if len(candidates) > 1:
            who = "领导" if key == "leader_id" else "辅导员"
            shown = "、".join(candidates)
            self.problem(
                f"这个工号与{who}名单中的 {shown} 都只差前导零,无法确定是谁:"
                "多半是 Excel 把工号存成了数字(00017 变成 17);请把工号列设为“文本”格式"
                "并按名单补全工号",
                f"this id differs from several roster ids ({', '.join(candidates)}) only by "
                "leading zeros, so it cannot be matched; Excel probably stored the ids as "
                "numbers (00017 became 17): format the column as text and write the full ids",
                **parsed.where(rec, key),
            )
        return None

    def history_skipped_note(
        self,
        total: int,
        skipped: int,
        gone_l: list[str],
        gone_c: list[str],
        lids: _IdMatcher,
        cids: _IdMatcher,
    ) -> None:
        who_zh = []
        who_en = []
        if gone_l:
            who_zh.append("领导 " + _first_ids(gone_l, "、"))
            who_en.append("leaders " + _first_ids(gone_l, ", "))
        if gone_c:
            who_zh.append("辅导员 " + _first_ids(gone_c, "、"))
            who_en.append("counselors " + _first_ids(gone_c, ", "))
        if skipped * 4 <= total or skipped < _LOUD_SKIPPED_MIN:
            self.note(
                f"历史联系中有 {skipped} 行涉及已不在名单上的人员(如已退休、调离),已跳过:"
                + ";".join(who_zh),
                f"{skipped} history row(s) name people no longer on the rosters "
                "(retired, moved) and were skipped: " + "; ".join(who_en),
            )
            return
        # Retirements touch a few rows; a quarter or more points at ids written differently.
        share = round(100 * skipped / total)
        side_zh = []
        side_en = []
        if gone_l:
            side_zh.append(
                f"历史中的领导工号如 {_first_ids(gone_l, '、', 5)},"
                f"领导干部表中的工号如 {_first_ids(lids.ordered, '、', 5)}"
            )
            side_en.append(
                f"leader ids in the history: {_first_ids(gone_l, ', ', 5)}; "
                f"on the leaders roster: {_first_ids(lids.ordered, ', ', 5)}"
            )
        if gone_c:
            side_zh.append(
                f"历史中的辅导员工号如 {_first_ids(gone_c, '、', 5)},"
                f"辅导员表中的工号如 {_first_ids(cids.ordered, '、', 5)}"
            )
            side_en.append(
                f"counselor ids in the history: {_first_ids(gone_c, ', ', 5)}; "
                f"on the counselors roster: {_first_ids(cids.ordered, ', ', 5)}"
            )
        self.note(
            f"历史联系共 {total} 行,其中 {skipped} 行({share}%)的工号在名单上找不到,已跳过——"
            "这些结对不受“不重复上一周期结对”的限制,可能被重复安排。人员退休、调离只会涉及少数行,"
            "这么多行找不到,多半是历史与名单的工号写法不一致(编号方式不同、前导零、多余字符):"
            + ";".join(side_zh)
            + "。请核对后重新运行。",
            f"{skipped} of the {total} history rows ({share}%) name ids found on no roster and "
            "were skipped, so the no-repeat rule does not apply to them and their pairs may be "
            "repeated. Retirements touch a few rows; this many suggests the history writes ids "
            "differently from the rosters (another numbering, leading zeros, stray characters): "
            + "; ".join(side_en)
            + ". Check them and run again.",
            loud=True,
        )

    def drop_later_cycles(
        self, pairs: list[tuple[HistoryPair, str]], planned: str
    ) -> list[HistoryPair]:
        """The history without rows of cycles that start after ``planned`` (with a note each).

        A saved ``rotate`` output (``2030-2033.csv``) in the history folder is not an earlier
        cycle: taken as one it would push the real previous cycle out of the repeat window.
        """
        first = cycle_first_year(planned)
        later: dict[tuple[str, str], int] = {}
        kept: list[HistoryPair] = []
        for h, file in pairs:
            y = cycle_first_year(h.cycle)
            if first is not None and y is not None and y > first:
                later[(file, h.cycle)] = later.get((file, h.cycle), 0) + 1
                continue
            kept.append(h)
        for (file, cyc), n in later.items():
            self.note(
                f"{file} 中周期 {cyc} 的 {n} 行晚于正在规划的周期 {planned},不是历史,已忽略"
                "(可能是保存下来的轮换结果;它不会把真正的上一周期挤出“不重复”的范围)",
                f"{file}: {n} row(s) of cycle {cyc} come after the cycle being planned "
                f"({planned}); they are not history and were ignored (a saved rotate output?)",
            )
        return kept

    def read_rules(self, lids: _IdMatcher, cids: _IdMatcher) -> list[Rule]:
        out: list[Rule] = []
        seen: dict[tuple[str, str], tuple[str, int]] = {}
        zeros = _ZeroMatches("约束", "rules")
        for src in self.sources_by_table.get("rules", []):
            parsed = self.parse(src, TABLES["rules"])
            if parsed is None:
                continue
            self.extra_columns["rules"] = list(parsed.extras)
            for rec in parsed.rows:
                lid, cid, kind = rec["leader_id"], rec["counselor_id"], rec["rule"]
                if lid:
                    lid = self.match_id(lids, lid, zeros, parsed, rec, "leader_id")
                    if lid is None and not lids.resolve(rec["leader_id"])[1]:
                        self.problem(
                            "领导干部表中没有这个工号",
                            "no leader has this id",
                            **parsed.where(rec, "leader_id"),
                        )
                if cid:
                    cid = self.match_id(cids, cid, zeros, parsed, rec, "counselor_id")
                    if cid is None and not cids.resolve(rec["counselor_id"])[1]:
                        self.problem(
                            "辅导员表中没有这个工号",
                            "no counselor has this id",
                            **parsed.where(rec, "counselor_id"),
                        )
                if not (lid and cid and kind):
                    continue
                prev = seen.get((lid, cid))
                if prev is not None and prev[0] != kind:
                    self.problem(
                        f"与第{prev[1]}行矛盾:同一对不能既“必须”又“禁止”",
                        f"contradicts row {prev[1]}: a pair cannot be both must and never",
                        **parsed.where(rec, "rule"),
                    )
                    continue
                if prev is None:
                    seen[(lid, cid)] = (kind, rec["_row"])
                    out.append(
                        Rule(
                            leader_id=lid,
                            counselor_id=cid,
                            kind=RuleKind(kind),
                            reason=rec["reason"] or "",
                        )
                    )
        zeros.report(self)
        return out

    # -- optional tables -------------------------------------------------------------
    def read_optional(self) -> dict[str, list[dict[str, object]]]:
        out: dict[str, list[dict[str, object]]] = {}
        for name in OPTIONAL_TABLES:
            for src in self.sources_by_table.get(name, []):
                parsed = self.parse(src, TABLES[name])
                if parsed is None:
                    continue
                self.extra_columns[name] = list(parsed.extras)
                for rec in parsed.rows:
                    start, end = rec.get("start"), rec.get("end")
                    if name == "calendar" and rec["kind"] == "semester" and end is None:
                        if not rec["_text"]["end"]:  # an unreadable date is reported already
                            self.problem(
                                "学期需要填写“结束日期”",
                                "a semester needs an end date",
                                **parsed.where(rec, "end"),
                            )
                    elif isinstance(start, date) and isinstance(end, date) and end < start:
                        self.problem(
                            "“结束日期”早于“开始日期”",
                            "the end date is before the start date",
                            **parsed.where(rec, "end"),
                        )
                out[name] = _public_rows(parsed)
        return out

    def calendar_start(self, tables: Mapping[str, list[dict[str, object]]]) -> tuple[Any, int]:
        """(cycle start as date or year or None, cycle years) from the calendar."""
        years = DEFAULT_CYCLE_YEARS
        start: Any = None
        cal = self.calendar_toml
        fname = self.toml_names.get("calendar", "calendar.toml")
        if cal is not None:
            y = cal.get("cycle_years", DEFAULT_CYCLE_YEARS)
            if isinstance(y, bool) or not isinstance(y, int) or not 1 <= y <= 10:
                self.problem(
                    "cycle_years 应为 1 到 10 之间的整数(默认 3)",
                    "cycle_years must be a whole number from 1 to 10 (default 3)",
                    file=fname,
                    column="cycle_years",
                    value=str(y),
                )
            else:
                years = y
            raw = cal.get("cycle_start")
            if raw is not None:
                start = _cycle_start_value(raw)
                if start is None:
                    self.problem(
                        "无法识别的周期开始日期,请写成 cycle_start = 2027-03-01",
                        "cannot read cycle_start; write cycle_start = 2027-03-01",
                        file=fname,
                        column="cycle_start",
                        value=str(raw),
                    )
        if start is None:
            starts = {
                r["start"]: r
                for r in tables.get("calendar", [])
                if r.get("kind") == "cycle_start" and r.get("start")
            }
            if len(starts) > 1:
                rows = "、".join(str(r["_row"]) for r in starts.values())
                first = next(iter(starts.values()))
                self.problem(
                    f"校历中有多个“周期开始”行(第{rows}行),请只保留一个",
                    f"the calendar has several cycle_start rows (rows {rows}); keep one",
                    file=str(first["_file"]),
                )
            elif starts:
                start = next(iter(starts))
        return start, years

    def match_table_ids(
        self, tables: Mapping[str, list[dict[str, object]]], lids: _IdMatcher, cids: _IdMatcher
    ) -> None:
        """Ids of the optional tables (records, events, …) that match a roster id only once
        leading zeros are restored or removed are rewritten to the roster's form, with a note.

        Ids that match nobody stay as written: the use case lists them (a departed person).
        """
        for name, rows in tables.items():
            zh = TABLES[name].zh
            zeros = _ZeroMatches(zh, name)
            for rec in rows:
                for key, ids in (
                    ("leader_id", lids),
                    ("counselor_id", cids),
                    ("leader_ids", lids),
                    ("counselor_ids", cids),
                ):
                    v = rec.get(key)
                    if isinstance(v, str) and v:
                        got, _ = ids.resolve(v)
                        if got is not None and got != v:
                            zeros.add(str(rec["_file"]), key, v, got)
                            rec[key] = got
                    elif isinstance(v, tuple) and v:
                        new = []
                        for x in v:
                            got, _ = ids.resolve(str(x))
                            if got is not None and got != x:
                                zeros.add(str(rec["_file"]), key, str(x), got)
                            new.append(got if got is not None else x)
                        rec[key] = tuple(new)
            zeros.report(self)

    def check_start_dates(self, cp: _Parsed, label: str) -> None:
        """A 任辅导员日期 after the planned cycle, or before 1950, is a typing mistake."""
        first = cycle_first_year(label)
        last = None if first is None else first + cycle_span_years(label)
        for rec in cp.rows:
            d = rec.get("start_date")
            if not isinstance(d, date):
                continue
            if last is not None and d.year > last:
                self.problem(
                    f"任辅导员日期 {d.isoformat()} 在未来:晚于正在规划的联系周期 {label},"
                    "请核对年份",
                    f"the start date {d.isoformat()} is in the future, after the cycle being "
                    f"planned ({label}); check the year",
                    **cp.where(rec, "start_date"),
                )
            elif d.year < 1950:
                self.problem(
                    f"任辅导员日期 {d.isoformat()} 的年份不合理,请核对"
                    "(Excel 中的数字 1 会显示为 1900-01-01)",
                    f"the start date {d.isoformat()} is not plausible; check the year",
                    **cp.where(rec, "start_date"),
                )

    # -- notes -----------------------------------------------------------------------
    def unit_notes(self, leaders: list[Leader], counselors: list[Counselor]) -> None:
        units = {c.unit for c in counselors if c.active}
        for ld in leaders:
            if not ld.active:
                continue
            who = f"{ld.name}({ld.leader_id})"
            if ld.level == Level.MIDDLE and ld.unit in units and not ld.heads_teaching_unit:
                self.note(
                    f"{who}是中层干部,所在单位“{ld.unit}”有辅导员,但“教学单位负责人”没有填“是”:"
                    "若是该单位正职(或主持工作的副职),请填“是”,以优先安排本单位辅导员",
                    f"{who} is middle level and unit '{ld.unit}' has counselors, but "
                    "heads_teaching_unit is not true; set it if they head the unit",
                )
            if ld.heads_teaching_unit and ld.unit not in units:
                self.note(
                    f"{who}是“{ld.unit}”的教学单位负责人,但辅导员表中该单位没有在岗辅导员:"
                    "请核对单位名称是否一致",
                    f"{who} heads '{ld.unit}' but no active counselor serves that unit; "
                    "check the unit names match",
                )

    # -- all of it ---------------------------------------------------------------------
    def run(self) -> DataSet:
        self.locate()
        settings = self.read_settings()
        lp = self.read_roster("leaders")
        cp = self.read_roster("counselors")
        if lp is not None and cp is not None:
            self.check_disjoint(lp, cp)
        lids = _IdMatcher(r["leader_id"] for r in lp.rows if r["leader_id"]) if lp else None
        cids = _IdMatcher(r["counselor_id"] for r in cp.rows if r["counselor_id"]) if cp else None
        lids = lids or _IdMatcher(())
        cids = cids or _IdMatcher(())
        leaders = self.build_leaders(lp, settings) if lp else []
        counselors = self.build_counselors(cp) if cp else []
        found, labels = self.read_history(lids, cids)
        rules = self.read_rules(lids, cids) if lp and cp else []
        tables = self.read_optional()
        self.match_table_ids(tables, lids, cids)
        start, years = self.calendar_start(tables)
        label, cycle_start = self.cycle_label(start, years, labels)
        if cp is not None:
            self.check_start_dates(cp, label)
        if self.problems:
            raise InputError(_in_file_order(self.problems))
        self.unit_notes(leaders, counselors)
        history = self.drop_later_cycles(found, label)
        try:
            problem = Problem(
                leaders=tuple(leaders),
                counselors=tuple(counselors),
                history=tuple(history),
                rules=tuple(rules),
                settings=settings,
                cycle=label,
                cycle_start=cycle_start,
            )
        except ValueError as exc:  # the reader's checks should have caught it first
            self.problem(f"数据不一致: {exc}", f"inconsistent data: {exc}")
            raise InputError(self.problems) from exc
        return DataSet(
            problem=problem,
            notes=self.notes,
            sources=self.sources,
            tables=tables,
            calendar_toml=self.calendar_toml,
            extra_columns={k: v for k, v in self.extra_columns.items() if v},
        )

    def cycle_label(self, start: Any, years: int, labels: list[str]) -> tuple[str, date | None]:
        start_date = start if isinstance(start, date) else None
        start_year = start.year if isinstance(start, date) else start
        if self.cycle_arg:
            y = cycle_first_year(self.cycle_arg)
            # A calendar start of another cycle would mis-date every stage and window.
            keep = start_date if start_date is not None and y == start_date.year else None
            return self.cycle_arg, keep
        if isinstance(start_year, int):
            return f"{start_year}-{start_year + years}", start_date
        firsts = [y for y in (cycle_first_year(c) for c in labels) if y is not None]
        if firsts:
            y = max(firsts) + years
            return f"{y}-{y + years}", None
        y = date.today().year
        return f"{y}-{y + years}", None


def _cycle_start_value(raw: object) -> date | int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 1900 <= raw <= 2200 else None
    if isinstance(raw, str) and re.fullmatch(r"\d{4}", norm_text(raw)):
        return _cycle_start_value(int(norm_text(raw)))
    if isinstance(raw, date | str):
        return parse_date(raw)
    return None


def _settings_key(text: str) -> str | None:
    want = norm_name(text)
    for key, zh in SETTINGS_ZH.items():
        if want in (norm_name(key), norm_name(zh)):
            return key
    return None


def _history_label(path: Path, root: Path) -> str | None:
    """The cycle of a file in the history folder, for files without a 周期 column.

    ``history/2024-2027.csv`` → ``2024-2027``; ``history/2024-2027/plan.csv`` →
    ``2024-2027`` (the product writes plan.csv, so the folder carries the label).
    Files directly in DATA get None: ``history.csv`` says nothing about its cycle.
    """
    if path == root or path.parent == root or not path.is_relative_to(root):
        return None  # a top-level file or a workbook sheet: only a 周期 column can say
    stem = norm_text(path.stem)
    if cycle_first_year(stem) is not None:
        return stem
    for parent in path.parents:
        if parent == root:
            break
        if cycle_first_year(parent.name) is not None:
            return norm_text(parent.name)
    return stem


def cycle_label_problem(label: str) -> tuple[str, str] | None:
    """What is wrong with a cycle label (zh, en), or None: it starts with its first year, and
    a second year, when given, comes after the first (``2027-2030``, not ``2030-2027``)."""
    years = [int(y) for y in re.findall(r"\d{4}", label)]
    if not years:
        return (
            "周期应写成起止年份,例如 2024-2027",
            "a cycle is written as its years, e.g. 2024-2027",
        )
    if len(years) >= 2 and years[1] <= years[0]:
        hint_zh = (
            f"年份是否写反了?应写成 {years[1]}-{years[0]}"
            if years[1] < years[0]
            else "应写成 开始年份-结束年份,例如 2027-2030"
        )
        hint_en = (
            f"years reversed? write {years[1]}-{years[0]}"
            if years[1] < years[0]
            else "write first year-last year, e.g. 2027-2030"
        )
        return (
            f"周期的结束年份 {years[1]} 不晚于开始年份 {years[0]}:{hint_zh}",
            f"the cycle's end year {years[1]} is not after its first year {years[0]}: {hint_en}",
        )
    if len(years) >= 2 and years[1] - years[0] > 10:
        return (
            f"周期 {years[0]}-{years[1]} 长达 {years[1] - years[0]} 年,请核对年份"
            "(联系周期一般为三年,例如 2027-2030)",
            f"the cycle {years[0]}-{years[1]} spans {years[1] - years[0]} years; check the "
            "years (a cycle is usually three years, e.g. 2027-2030)",
        )
    return None


class _IdMatcher:
    """Roster ids, and which of them an id of another table means.

    Excel turns ``00017`` into the number ``17``; a history written from another copy keeps
    ``00017``. An all-digit id that is on no roster is matched to the roster id with the same
    digits once leading zeros are removed -- when exactly one such id exists.
    """

    def __init__(self, ids: Iterable[str]) -> None:
        self.ordered = list(dict.fromkeys(ids))
        self.ids = set(self.ordered)
        self.by_digits: dict[str, list[str]] = {}
        for i in self.ordered:
            if i.isascii() and i.isdigit():
                self.by_digits.setdefault(i.lstrip("0") or "0", []).append(i)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def resolve(self, value: str) -> tuple[str | None, list[str]]:
        """(the roster id ``value`` means or None, the roster ids it could mean)."""
        if value in self.ids:
            return value, [value]
        if value.isascii() and value.isdigit():
            cands = self.by_digits.get(value.lstrip("0") or "0", [])
            if len(cands) == 1:
                return cands[0], cands
            return None, sorted(cands)
        return None, []


class _ZeroMatches:
    """Ids of one table matched to a roster id by restoring or removing leading zeros."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        self.rows: dict[str, int] = {}
        self.examples: dict[str, tuple[str, str]] = {}

    def add(self, file: str, key: str, written: str, roster: str) -> None:
        self.rows[file] = self.rows.get(file, 0) + 1
        self.examples.setdefault(file, (written, roster))

    def report(self, reader: _Reader) -> None:
        for file, n in self.rows.items():
            a, b = self.examples[file]
            reader.note(
                f"{self.zh}表 {file} 中有 {n} 个工号与名单只差前导零(如 {a} → {b}),"
                "已按名单中的工号匹配。Excel 会把 00017 这样的工号存成数字 17:"
                "请把工号列设为“文本”格式,按名单补全工号",
                f"{self.en} {file}: {n} id(s) match a roster id only once leading zeros are "
                f"restored or removed (e.g. {a} → {b}) and were matched to it. Excel stores ids "
                "like 00017 as the number 17: format the id column as text and write full ids",
                loud=True,
            )


def _first_ids(ids: Iterable[str], sep: str, limit: int = 20) -> str:
    items = list(ids)
    more = f"{sep}…" if len(items) > limit else ""
    return sep.join(items[:limit]) + more


def _in_file_order(problems: list[InputProblem]) -> list[InputProblem]:
    """Problems grouped by file (first seen first), then by row: the order a clerk fixes them."""
    first: dict[tuple[str, str | None], int] = {}
    for p in problems:
        first.setdefault((p.file, p.sheet), len(first))
    return sorted(problems, key=lambda p: (first[(p.file, p.sheet)], p.row or 0))


def _unexpected(path: Path, exc: Exception) -> InputError:
    # A traceback helps nobody in the office; say what broke and where.
    return InputError(
        [
            InputProblem(
                file=path.name,
                message_zh=f"读取时出现意外错误({type(exc).__name__}: {exc}),请检查文件内容",
                message_en=f"unexpected error while reading ({type(exc).__name__}: {exc})",
            )
        ]
    )


# ----- public entry points ------------------------------------------------------------
def read_data(path: Path, *, cycle: str | None = None) -> DataSet:
    """Read DATA: a folder with one file per table, or one ``.xlsx`` workbook.

    Parameters
    ----------
    path
        The folder or workbook (CONTRACT.md §1).
    cycle
        The cycle being planned (``--cycle``). When None it comes from the calendar's
        ``cycle_start``, else the latest history cycle's first year + 3, else this year.

    Returns
    -------
    DataSet
        The problem plus notes, sources, optional tables and extra columns.

    Raises
    ------
    InputError
        With every problem found, each naming file, sheet, row, column and value.
    """
    path = Path(path)
    if cycle is not None:
        why = (
            cycle_label_problem(norm_text(cycle))
            if cycle_first_year(norm_text(cycle)) is not None
            else (
                "周期标签应以起始年份开头,例如 2027-2030",
                "a cycle label starts with its first year, e.g. 2027-2030",
            )
        )
        if why is not None:
            raise InputError(
                [InputProblem(file="--cycle", message_zh=why[0], message_en=why[1], value=cycle)]
            )
    try:
        return _DataReader(path, cycle).run()
    except InputError:
        raise
    except Exception as exc:
        raise _unexpected(path, exc) from exc


def read_table_file(path: Path, table: str) -> list[dict[str, object]]:
    """Read one file (CSV, or a workbook's sheet of that table) as table ``table``.

    Parameters
    ----------
    path
        The ``.csv`` or ``.xlsx`` file.
    table
        Table name, English or Chinese (``records`` / ``联系记录``).

    Returns
    -------
    list of dict
        Typed rows keyed by English column key, plus ``_row``, ``_file``, ``_sheet``
        and ``_extra``, as in :attr:`DataSet.tables`. An empty file gives ``[]``.

    Raises
    ------
    InputError
        For an unreadable file, missing required columns or bad cells.
    """
    path = Path(path)
    schema = get_table(table)
    reader = _Reader(path.parent)
    try:
        src = reader.load(path, schema)
        parsed = reader.parse(src, schema) if src is not None else None
    except InputError:
        raise
    except Exception as exc:
        raise _unexpected(path, exc) from exc
    if reader.problems:
        raise InputError(reader.problems)
    return _public_rows(parsed) if parsed is not None else []


def plan_cycle_labels(path: Path) -> list[str]:
    """Every distinct 周期 label of a plan file, in order of appearance (empty if none)."""
    try:
        _, rows = _plan_rows(Path(path))
    except InputError:
        return []
    seen: list[str] = []
    for r in rows:
        c = r.get("cycle") or ""
        if c and c not in seen:
            seen.append(c)
    return seen


def read_plan_pairs(path: Path) -> tuple[str | None, list[tuple[str, str, int]]]:
    """Read the pairs of a ``plan.csv``/``plan.xlsx`` (written by the product or by hand).

    Parameters
    ----------
    path
        The plan file (zh or en headers; UTF-8 with or without BOM, or GB18030), or a
        folder holding ``plan.csv``/``plan.xlsx``.

    Returns
    -------
    tuple
        (the cycle label if a 周期 column exists and holds one value, else None;
        ``[(leader_id, counselor_id, row_number)]`` in file order).

    Raises
    ------
    InputError
        For an unreadable file, missing 领导工号/辅导员工号 columns, blank ids or no pairs.
    """
    headers, rows = _plan_rows(Path(path))
    pairs = [(r["leader_id"], r["counselor_id"], r["_row"]) for r in rows]
    label = None
    if "cycle" in headers:
        cycles = {r["cycle"] or "" for r in rows}
        if len(cycles) == 1 and "" not in cycles:
            label = cycles.pop()
    return label, pairs


# A plan file is read with the history schema (same columns), named as what it is.
PLAN_TABLE = replace(HISTORY, name="plan", zh="联系对应")  # messages add 表; no sheet is named so


def _plan_rows(path: Path) -> tuple[dict[str, str], list[dict[str, Any]]]:
    if path.is_dir():
        for name in ("plan.csv", "plan.xlsx"):
            if (path / name).is_file():
                path = path / name
                break
    reader = _Reader(path.parent)
    try:
        if not path.is_file():
            raise InputError(
                [
                    InputProblem(
                        file=path.name,
                        message_zh="找不到联系对应表文件,请检查路径",
                        message_en="the plan file does not exist; check the path",
                    )
                ]
            )
        src = reader.load(path, PLAN_TABLE, frozenset({"cycle"}))
        parsed = (
            reader.parse(src, PLAN_TABLE, optional=frozenset({"cycle"}), need_rows=True)
            if src is not None
            else None
        )
    except InputError:
        raise
    except Exception as exc:
        raise _unexpected(path, exc) from exc
    if reader.problems or parsed is None:
        raise InputError(reader.problems)
    return parsed.headers, parsed.rows


def match_plan_ids(
    problem: models.Problem, pairs: list[tuple[str, str, int]], file: str
) -> tuple[list[tuple[str, str, int]], list[Note]]:
    """A plan's pairs with ids matched to the rosters' once leading zeros are restored or
    removed (a plan.xlsx edited in Excel turns ``00017`` into ``17``), and a note saying so.

    Ids that match no roster id, or several, stay as written: the validator names them.
    """
    lids = _IdMatcher(ld.leader_id for ld in problem.leaders)
    cids = _IdMatcher(c.counselor_id for c in problem.counselors)
    zeros = _ZeroMatches("联系对应", "plan")
    out = []
    for a, b, row in pairs:
        ga, _ = lids.resolve(a)
        gb, _ = cids.resolve(b)
        if ga is not None and ga != a:
            zeros.add(file, "leader_id", a, ga)
        if gb is not None and gb != b:
            zeros.add(file, "counselor_id", b, gb)
        out.append((ga or a, gb or b, row))
    reader = _Reader(Path("."))
    zeros.report(reader)
    return out, reader.notes


def read_plan_names(path: Path) -> dict[str, str]:
    """Id → name from a plan file's 领导姓名/辅导员姓名 columns (best effort; {} if unreadable).

    Lets a report name people who are no longer on the rosters (a departed leader).
    """
    try:
        rows = read_table_file(path, "history")
    except InputError:
        return {}
    out: dict[str, str] = {}
    for r in rows:
        extra = r.get("_extra")
        if not isinstance(extra, Mapping):
            continue
        for id_key, names in (
            ("leader_id", ("领导姓名", "leader_name")),
            ("counselor_id", ("辅导员姓名", "counselor_name")),
        ):
            for n in names:
                if extra.get(n) and r.get(id_key):
                    out.setdefault(str(r[id_key]), str(extra[n]))
    return out
