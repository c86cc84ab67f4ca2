"""The province's roll-up files (CONTRACT.md §12).

Three things live here, all files and nothing else:

- :func:`read_report_workbook` opens one college's ``年度汇总表-Y.xlsx`` and returns its
  cells as plain Python values (or why it cannot be opened: encrypted, an old ``.xls``,
  corrupt, not a workbook at all); :mod:`planner.province` decides what they mean;
- :func:`write_identity_sheet` writes the ``报送信息`` sheet (项目/内容) a college's report
  carries, with the keys :data:`IDENTITY_KEYS` the province's reader looks for;
- :func:`write_print_workbook` writes ``全省汇总-Y.xlsx`` from plain rows
  (:class:`PrintSheet`), each sheet set up for A4 landscape printing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from planner.io.xlsx import FOOTER, MIN_SCALE, fit_scale, print_setup, text_units
from planner.schema import norm_name
from planner.values import escape_cell

__all__ = [
    "FOOTER",
    "IDENTITY_HEAD",
    "IDENTITY_KEYS",
    "IDENTITY_SHEET",
    "MIN_SCALE",
    "REPORT_SUMMARY_SHEET",
    "PrintSheet",
    "RawWorkbook",
    "Unreadable",
    "apply_print_setup",
    "fit_scale",
    "read_report_workbook",
    "write_identity_sheet",
    "write_print_workbook",
]

REPORT_SUMMARY_SHEET = "汇总"
"""The sheet of a 年度汇总表 that holds one row per leader (as ``planner report`` writes)."""

IDENTITY_SHEET = "报送信息"
"""The identity sheet of a 年度汇总表: two columns, :data:`IDENTITY_HEAD`."""

IDENTITY_HEAD = ("项目", "内容")
IDENTITY_KEYS = ("学院名称", "年度", "填报单位", "填报人", "联系电话", "填报日期")
"""The rows :func:`write_identity_sheet` always writes (blank when unknown), in this order."""

# Reading limits: a college has tens of leaders; a sheet formatted down to row 1 048 576
# must not make the province wait, so reading stops after this many blank rows in a row.
MAX_COLUMNS = 200
MAX_BLANK_RUN = 500

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE compound file whose directory names this stream (UTF-16LE).
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


# ----- reading ------------------------------------------------------------------------
@dataclass(frozen=True)
class RawWorkbook:
    """The cells of the sheets the province reads, as plain values, and the properties.

    ``sheets`` maps a sheet name asked for (matched ignoring spaces, width and case) to its rows (index 0 = spreadsheet row 1); each row is a
    tuple of cell values (``str``, ``int``, ``float``, ``bool``, ISO date text or None),
    trailing blank rows dropped. Only the sheets asked for are read.
    """

    sheetnames: tuple[str, ...]
    sheets: Mapping[str, tuple[tuple[object, ...], ...]]
    title: str = ""
    subject: str = ""


@dataclass(frozen=True)
class Unreadable:
    """Why a file could not be opened as a workbook; ``kind`` is a short code."""

    kind: str  # missing, not_xlsx, encrypted, xls, corrupt
    zh: str
    en: str


def _plain(value: object) -> object:
    # Dates become ISO text so the caller never deals with datetime cells.
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def _sniff(path: Path) -> Unreadable | None:
    if not path.exists():
        return Unreadable("missing", "文件不存在", "the file does not exist")
    if not path.is_file():
        return Unreadable("not_xlsx", "不是文件(是文件夹)", "not a file (a folder)")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            # An encrypted workbook's directory sits in its first sectors; 1 MiB suffices.
            body = head + fh.read(1 << 20) if head == _CFB_MAGIC else head
    except OSError as exc:
        return Unreadable(
            "corrupt", f"无法读取文件({exc.strerror or exc})", f"cannot read the file ({exc})"
        )
    if body.startswith(_CFB_MAGIC):
        if _ENCRYPTION_INFO in body:
            return Unreadable(
                "encrypted",
                "文件设置了打开密码(已加密),无法读取:请报送未加密的 .xlsx 文件",
                "the workbook is password-protected (encrypted): send it without a password",
            )
        return Unreadable(
            "xls",
            "这是旧版 Excel(.xls)文件:请用本工具生成的 .xlsx 年度汇总表",
            "an old Excel .xls file: send the .xlsx 年度汇总表 the tool writes",
        )
    if not body.startswith(b"PK\x03\x04"):
        return Unreadable(
            "not_xlsx",
            "不是 Excel 工作簿(.xlsx)",
            "not an Excel workbook (.xlsx)",
        )
    return None


def read_report_workbook(
    path: Path, sheets: Sequence[str] = (REPORT_SUMMARY_SHEET, IDENTITY_SHEET)
) -> RawWorkbook | Unreadable:
    """Read the cells of ``sheets`` (those present) from ``path``.

    Parameters
    ----------
    path
        A college's 年度汇总表 (any file: the answer says when it is not a workbook).
    sheets
        The sheet names to read; others are listed in ``sheetnames`` but not read.

    Returns
    -------
    RawWorkbook or Unreadable
        The plain cells, or why the file cannot be opened (missing, not an ``.xlsx``,
        password-protected, an old ``.xls``, corrupt). Never raises for a bad file.
    """
    bad = _sniff(path)
    if bad is not None:
        return bad
    import openpyxl

    try:
        # A file object, not the path: openpyxl refuses paths whose extension it does not
        # know, and a college may well send 年度汇总表-2027.XLSX or a renamed copy.
        with path.open("rb") as fh:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            try:
                names = tuple(wb.sheetnames)
                # "汇总 " or a full-width spelling is still the sheet asked for.
                by_norm = {norm_name(n): n for n in reversed(names)}
                got: dict[str, tuple[tuple[object, ...], ...]] = {}
                for name in sheets:
                    actual = name if name in names else by_norm.get(norm_name(name))
                    if actual is not None:
                        got[name] = _rows(wb[actual])
                props = wb.properties
                title = str(props.title or "") if props is not None else ""
                subject = str(props.subject or "") if props is not None else ""
            finally:
                wb.close()
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean "corrupt"
        return Unreadable(
            "corrupt",
            "文件已损坏或不是有效的 .xlsx 工作簿,无法读取:请在 Excel/WPS 中打开后重新保存",
            f"the workbook is corrupt or not a valid .xlsx ({type(exc).__name__})",
        )
    return RawWorkbook(names, got, title, subject)


def _rows(ws: Any) -> tuple[tuple[object, ...], ...]:
    # Some writers store a wrong <dimension>; read-only mode would then cut rows off.
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    out: list[tuple[object, ...]] = []
    blank = 0
    for r in ws.iter_rows(max_col=MAX_COLUMNS):
        num = next((c.row for c in r if getattr(c, "row", None)), len(out) + 1)
        values = tuple(_plain(c.value) for c in r)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            blank += 1
            if blank >= MAX_BLANK_RUN:
                break
            continue
        blank = 0
        while len(out) < num - 1:
            out.append(())
        out.append(values)
    return tuple(out)


# ----- writing ------------------------------------------------------------------------
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_FLAG_FONT = Font(color="C00000")


def _safe(value: object) -> object:
    """A cell value openpyxl can store and no spreadsheet will run as a formula."""
    if value is None or isinstance(value, bool | int | float):
        return value
    return ILLEGAL_CHARACTERS_RE.sub(" ", escape_cell(value))


def apply_print_setup(ws: Any, header_row: int, widths: Sequence[float], name: str = "") -> None:
    """A4 landscape, header row repeated, 第 N 页 共 M 页, fit to width but ≥ 60 %."""
    print_setup(ws, widths, title_rows=(header_row, header_row), college=None, name=name)


def _style_header(ws: Any, row: int, ncols: int) -> None:
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_identity_sheet(wb: Any, identity: Mapping[str, str], index: int | None = None) -> Any:
    """Add the ``报送信息`` sheet (项目, 内容) to a 年度汇总表 workbook.

    Parameters
    ----------
    wb
        An openpyxl workbook being written (a sheet of the same name is replaced).
    identity
        学院名称, 年度, 填报单位, 填报人, 联系电话, 填报日期 and any further items; the six
        of :data:`IDENTITY_KEYS` are always written, in that order, blank when missing,
        then the others in the order given.
    index
        Where the sheet goes among the workbook's sheets (default: last).

    Returns
    -------
    openpyxl worksheet
        The new sheet.
    """
    if IDENTITY_SHEET in wb.sheetnames:
        wb.remove(wb[IDENTITY_SHEET])
    ws = wb.create_sheet(IDENTITY_SHEET, index)
    ws.append(list(IDENTITY_HEAD))
    _style_header(ws, 1, 2)
    keys = [*IDENTITY_KEYS, *(k for k in identity if k not in IDENTITY_KEYS)]
    for k in keys:
        ws.append([_safe(k), _safe(str(identity.get(k, "") or ""))])
        for col in (1, 2):
            ws.cell(row=ws.max_row, column=col).border = _BORDER
    widths = (16, 60)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    apply_print_setup(ws, 1, widths)
    return ws


@dataclass(frozen=True)
class PrintSheet:
    """One printable table: a title row, a subtitle row, a header row, rows, totals.

    ``rows`` hold plain values (text, numbers, None); the last ``total_rows`` of them are
    totals (bold, shaded). ``wrap`` lists 0-based columns whose text wraps; ``flag``
    (0-based) is a column printed in red. ``number_formats`` maps a 0-based column to
    an Excel number format.
    """

    name: str
    title: str
    subtitle: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths: Sequence[float]
    total_rows: int = 0
    wrap: Sequence[int] = ()
    flag: int | None = None
    number_formats: Mapping[int, str] = field(default_factory=dict)


HEADER_ROW = 3
"""The header row of every :class:`PrintSheet` (title row 1, subtitle row 2)."""


def _add_sheet(wb: Workbook, spec: PrintSheet, first: bool) -> None:
    ws = wb.active if first else wb.create_sheet(spec.name)
    ws.title = spec.name
    ncols = max(1, len(spec.header))
    ws.cell(row=1, column=1, value=_safe(spec.title)).font = Font(bold=True, size=16)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 30
    ws.cell(row=2, column=1, value=_safe(spec.subtitle)).alignment = Alignment(
        horizontal="left", vertical="center", wrap_text=True
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    total_width = sum(spec.widths) or 1
    ws.row_dimensions[2].height = 15 * max(1, -(-text_units(spec.subtitle) // max(1, total_width)))
    for j, h in enumerate(spec.header, start=1):
        ws.cell(row=HEADER_ROW, column=j, value=_safe(h))
    _style_header(ws, HEADER_ROW, ncols)
    head_lines = max(
        (
            -(-text_units(str(h)) // max(1, int(w) - 1))
            for h, w in zip(spec.header, spec.widths, strict=False)
        ),
        default=1,
    )
    ws.row_dimensions[HEADER_ROW].height = 15 * max(1, head_lines)
    first_total = len(spec.rows) - spec.total_rows
    for i, row in enumerate(spec.rows):
        r = HEADER_ROW + 1 + i
        lines = 1
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=j, value=_safe(value))
            cell.border = _BORDER
            wrap = (j - 1) in spec.wrap
            cell.alignment = Alignment(vertical="center", wrap_text=wrap)
            if (j - 1) in spec.number_formats:
                cell.number_format = spec.number_formats[j - 1]
            if spec.flag is not None and j - 1 == spec.flag and value:
                cell.font = _FLAG_FONT
            if i >= first_total:
                cell.font = Font(bold=True)
                cell.fill = _TOTAL_FILL
            if wrap and j - 1 < len(spec.widths):
                w = max(1, int(spec.widths[j - 1]) - 1)
                lines = max(lines, -(-text_units(str(value or "")) // w))
        # Spreadsheets do not grow a row for wrapped text written by a library.
        ws.row_dimensions[r].height = 15 * lines
    for j, width in enumerate(spec.widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    apply_print_setup(ws, HEADER_ROW, spec.widths)


def write_print_workbook(
    path: Path, sheets: Sequence[PrintSheet], *, title: str, stamp: datetime
) -> None:
    """Write ``sheets`` into one workbook at ``path``, every sheet print-ready.

    Parameters
    ----------
    path
        The ``.xlsx`` to write.
    sheets
        The tables, in sheet order (at least one).
    title
        The workbook's document title (File → Properties).
    stamp
        Creation and modification time recorded in the file, so the same input gives
        the same bytes.
    """
    wb = Workbook()
    for i, spec in enumerate(sheets):
        _add_sheet(wb, spec, i == 0)
    wb.properties.creator = "counselor-planner"
    wb.properties.title = str(_safe(title))
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_fixed_times(buf.getvalue(), stamp))


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_times(data: bytes, stamp: datetime) -> bytes:
    # openpyxl stamps every zip member, and the document's "modified" property, with the
    # clock at save time; the same roll-up must give the same bytes, so both are fixed.
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>" + when + rb"\g<2>", body)
            fixed = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()
