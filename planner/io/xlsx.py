"""Shared workbook styling and print set-up: header cells, borders, fills, widths, tables,
paper, page header and footer, scale, page breaks, and the college's identity lines.

One place for the look of every workbook the product writes (plan, schedule, diff, compare,
status, annual report, forms, the province's roll-up), so a printed sheet looks the same
whichever command made it (CONTRACT.md §12).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from models import Settings
from planner.values import escape_cell

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
OWN_FILL = PatternFill("solid", fgColor="E2EFDA")
ADD_FILL = PatternFill("solid", fgColor="FFF2CC")
DROP_FILL = PatternFill("solid", fgColor="EDEDED")


def style_header(ws: Any, row: int, ncols: int) -> None:
    """Bold, filled, bordered, centred and wrapped header cells in ``row``, columns 1..ncols."""
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def set_widths(ws: Any, widths: Sequence[float]) -> None:
    """Column widths (in characters) from column A on."""
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def sheet_table(
    ws: Any,
    head: Sequence[str],
    rows: Sequence[Sequence[object]],
    fills: Sequence[PatternFill | None] | None = None,
    start: int = 1,
    widths: Sequence[float] | None = None,
) -> None:
    """A header row at ``start`` and bordered, wrapped rows under it; panes frozen below it.

    Text cells are formula-escaped (:func:`~planner.io.write.escape_cell`); ``fills`` gives
    an optional fill per row. With ``widths`` the columns get them and every row (the
    header too) is as tall as its wrapped text, as printed pages need.
    """
    for j, h in enumerate(head, start=1):
        ws.cell(row=start, column=j, value=h)
    style_header(ws, start, len(head))
    for i, row in enumerate(rows, start=start + 1):
        fill = fills[i - start - 1] if fills else None
        for j, v in enumerate(row, start=1):
            cell = ws.cell(
                row=i, column=j, value=v if isinstance(v, int | float) else escape_cell(v)
            )
            cell.border = BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if fill is not None:
                cell.fill = fill
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    if widths is not None:
        set_widths(ws, widths)
        for r in range(start, start + 1 + min(len(rows), _SIZED_ROWS)):
            fit_height(ws, r, widths)


_SIZED_ROWS = 5_000  # rows sized by their wrapped text; past these (no real table) default


# ----- print set-up (CONTRACT.md §12) -------------------------------------------------------
FOOTER = "第 &P 页 共 &N 页"
"""Page numbers as the office prints them (Excel/WPS/LibreOffice header codes)."""

MIN_SCALE = 60
"""No printed sheet is shrunk below this percentage (CONTRACT.md §12)."""

BLANK = "________"
"""What a document prints where the office has not given a value: a line to fill in."""

# Paper (width, height) in inches, portrait.
_PAPER_IN = {"A4": (8.27, 11.69), "A3": (11.69, 16.54)}
_SIDE_MARGIN_IN = 0.4
_TOP_MARGIN_IN = 0.7
_BOTTOM_MARGIN_IN = 0.7
_HEADER_MARGIN_IN = 0.3
# Excel draws a column of width w (characters) as about 7·w + 5 pixels at 96 dpi in the
# default 11-point font. Rows: a little slack absorbs the spreadsheets' differing metrics.
_SLACK = 0.94
DEFAULT_ROW_PT = 15.0
"""Height of a row whose height is not set (11-point font), in points."""


def text_units(text: str) -> int:
    """Width of ``text`` in character units (a CJK character is about two)."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapped cell ``width`` characters wide (at least 1)."""
    room = max(1, int(width) - 1)
    return max(1, sum(max(1, -(-text_units(part) // room)) for part in str(text).split("\n")))


LINE_PT = 16.0
"""Height of one line of wrapped 11-point text (CJK fonts are taller than Latin ones)."""


def fit_height(ws: Any, row: int, widths: Sequence[float], line_pt: float = LINE_PT) -> float:
    """Set ``row``'s height from its longest wrapped cell; returns the height (points).

    Spreadsheets do not grow a row for wrapped text written by a library, and the page
    breaks are computed from these heights.
    """
    lines = 1
    for j, w in enumerate(widths, start=1):
        value = ws.cell(row=row, column=j).value
        if value is not None:
            lines = max(lines, wrapped_lines(str(value), w))
    height = DEFAULT_ROW_PT if lines == 1 else line_pt * lines
    ws.row_dimensions[row].height = height
    return height


def page_size(paper: str = "A4", landscape: bool = True) -> tuple[float, float]:
    """(printable width in pixels at 96 dpi, printable height in points) of a page."""
    w, h = _PAPER_IN.get(paper, _PAPER_IN["A4"])
    if landscape:
        w, h = h, w
    width_px = (w - 2 * _SIDE_MARGIN_IN) * 96
    height_pt = (h - _TOP_MARGIN_IN - _BOTTOM_MARGIN_IN) * 72 * _SLACK
    return width_px, height_pt


WIDE_FONT_PX = 10.0
"""Pixels per width unit where the spreadsheet's font is wider than Excel's (LibreOffice
without Calibri uses DejaVu Sans): a sheet printed at a fixed scale is sized for it."""


def fit_scale(
    widths: Sequence[float], paper: str = "A4", landscape: bool = True, px_per_char: float = 7.0
) -> int:
    """The print scale (percent, at most 100) at which columns of these widths fill the
    printable width of the page (``px_per_char``: pixels per width unit, 7 in Excel's
    default font; :data:`WIDE_FONT_PX` to be safe in any spreadsheet)."""
    px = sum(px_per_char * w + 5 for w in widths)
    if px <= 0:
        return 100
    return min(100, math.floor(100 * page_size(paper, landscape)[0] / px))


def _hf_text(text: str) -> str:
    # "&" starts a code in headers and footers; a literal one is doubled.
    return text.replace("&", "&&")


def print_setup(
    ws: Any,
    widths: Sequence[float],
    *,
    title_rows: tuple[int, int] | None = None,
    paper: str = "A4",
    landscape: bool = True,
    college: str | None = "",
    name: str = "",
    repeat_cols: int = 0,
    scale: int | None = None,
    one_page_pt: float | None = None,
) -> int:
    """Print set-up of one sheet: paper and orientation, ``title_rows`` repeated on every
    page, the college and the document's ``name`` in the page header, 第 N 页 共 M 页 in the
    footer, and a scale that keeps the text legible.

    Parameters
    ----------
    ws
        An openpyxl worksheet (write-only ones too, before their first row).
    widths
        The printed columns' widths (characters), from column A.
    title_rows
        (first, last) rows printed at the top of every page (the header row).
    paper, landscape
        ``A4`` or ``A3``; landscape (default) or portrait.
    college, name
        The page header: the college's name on the left (a line to fill in when empty;
        None for a document of no college, the province's), the document's name on the
        right.
    repeat_cols
        When the columns do not fit at :data:`MIN_SCALE` they run on to further pages;
        this many leading columns (the names) are then printed on each of them.
    scale
        A fixed scale (percent) instead of fitting the width; a sheet whose page breaks
        are computed needs one (a spreadsheet ignores manual breaks when fitting).
    one_page_pt
        The sheet's height in points: it is fitted on one page when that keeps the scale
        at :data:`MIN_SCALE` or more (a 报送 sheet).

    Returns
    -------
    int
        The scale (percent) the sheet prints at.
    """
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = 8 if paper == "A3" else 9  # the OOXML codes of A3 and A4
    ws.page_margins.left = ws.page_margins.right = _SIDE_MARGIN_IN
    ws.page_margins.top = _TOP_MARGIN_IN
    ws.page_margins.bottom = _BOTTOM_MARGIN_IN
    ws.page_margins.header = ws.page_margins.footer = _HEADER_MARGIN_IN
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if college is not None:
        ws.oddHeader.left.text = _hf_text(college.strip() or f"学院名称:{BLANK}")
        ws.oddHeader.left.size = 9
    if name:
        ws.oddHeader.right.text = _hf_text(name)
        ws.oddHeader.right.size = 9
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 9
    ws.print_options.horizontalCentered = True
    fit = fit_scale(widths, paper, landscape)
    tall = math.floor(100 * page_size(paper, landscape)[1] / one_page_pt) if one_page_pt else 0
    if min(fit, tall) >= MIN_SCALE:
        used = min(fit, tall, 100)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    elif scale is not None:
        used = max(MIN_SCALE, min(scale, 100))
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = used
    elif fit >= MIN_SCALE:
        used = fit
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        # Too wide even at the minimum: print legibly at the minimum and let the columns
        # run on, each strip carrying the leading (name) columns and following its rows.
        used = MIN_SCALE
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = MIN_SCALE
        ws.page_setup.pageOrder = "overThenDown"
        if repeat_cols:
            ws.print_title_cols = f"A:{get_column_letter(repeat_cols)}"
    return used


def break_blocks(
    ws: Any,
    blocks: Sequence[tuple[int, int]],
    *,
    scale: int,
    paper: str = "A4",
    landscape: bool = True,
    repeated: Sequence[int] = (),
) -> list[int]:
    """Manual row breaks so that no block of rows is split across pages.

    Parameters
    ----------
    ws
        The sheet, its row heights set (unset rows count :data:`DEFAULT_ROW_PT`).
    blocks
        (first row, last row) of each block, in order; the rows above the first block
        print on page 1 only, except ``repeated`` (the header rows printed on every page).
    scale
        The sheet's print scale (percent), as :func:`print_setup` returned it.

    Returns
    -------
    list[int]
        The rows after which a page ends. A block taller than a page is split where it
        must be (a hand-made plan can give a leader more counselors than a page holds).
    """

    def height(r: int) -> float:
        h = ws.row_dimensions[r].height if r in ws.row_dimensions else None
        return float(h) if h else DEFAULT_ROW_PT

    page = page_size(paper, landscape)[1] * 100 / scale
    head = sum(height(r) for r in repeated)
    used = sum(height(r) for r in range(1, blocks[0][0])) if blocks else 0.0
    breaks: list[int] = []
    for first, last in blocks:
        size = sum(height(r) for r in range(first, last + 1))
        if used + size > page and used > head:
            breaks.append(first - 1)
            used = head
        for r in range(first, last + 1):
            h = height(r)
            if used + h > page and used > head:  # only a block taller than a page
                breaks.append(r - 1)
                used = head
            used += h
    for r in breaks:
        ws.row_breaks.append(Break(id=r))
    return breaks


def page_break_after(ws: Any, row: int) -> None:
    """A manual page break after ``row``."""
    ws.row_breaks.append(Break(id=row))


# ----- identity (CONTRACT.md §12) -------------------------------------------------------------
def or_blank(text: str) -> str:
    """``text``, or a line to fill in when it is empty."""
    return text.strip() or BLANK


def zh_date(d: date | None) -> str:
    """``2027年3月5日``; a line to fill in for no date."""
    return f"{d.year}年{d.month}月{d.day}日" if d else "____年__月__日"


def college_title(settings: Settings, title: str) -> str:
    """A document's title led by the college's name (a line to fill in when not given)."""
    return f"{settings.college.strip() or BLANK}{title}"


def sign_line(settings: Settings, on: date | None = None, lang: str = "zh") -> str:
    """填报单位, 填报人, 联系电话 and 日期 in one line, blanks where not given."""
    if lang != "zh":
        return (
            f"Office: {settings.office_name()}    Contact: {or_blank(settings.contact)}    "
            f"Phone: {or_blank(settings.phone)}    Date: {on.isoformat() if on else BLANK}"
        )
    return (
        f"填报单位:{settings.office_name()}    填报人:{or_blank(settings.contact)}    "
        f"联系电话:{or_blank(settings.phone)}    日期:{zh_date(on)}"
    )


# ----- blocks: one person's rows kept together on a printed page ----------------------------
_BLOCK_SIDE = Side(style="medium", color="333333")


def block_border(first: bool, last: bool, lead_col: bool) -> Border:
    """The border of a cell in a block: a heavier line above and below the block, thin
    lines between its rows except in the leading (name) columns, so the block reads as
    one box without merged cells (openpyxl's merge_cells grows quadratically)."""
    top = _BLOCK_SIDE if first else (None if lead_col else THIN)
    bottom = _BLOCK_SIDE if last else (None if lead_col else THIN)
    return Border(left=THIN, right=THIN, top=top, bottom=bottom)


def write_blocks(
    ws: Any,
    start: int,
    groups: Sequence[Sequence[Sequence[object]]],
    lead_cols: int,
    widths: Sequence[float],
    *,
    fills: Sequence[Sequence[PatternFill | None]] | None = None,
    styled: bool = True,
    min_height: float = 20.0,
) -> list[tuple[int, int]]:
    """Write ``groups`` of rows from row ``start``, one block per group; returns the blocks'
    (first row, last row) for :func:`break_blocks`.

    The leading ``lead_cols`` cells are written on a block's first row only (the person);
    ``fills`` (per group, per row) shades the other cells. Text is formula-escaped. With
    ``styled`` false (a table of thousands of rows) cells get values only.
    """
    blocks: list[tuple[int, int]] = []
    r = start
    for g, rows in enumerate(groups):
        first_row = r
        for i, row in enumerate(rows):
            fill = fills[g][i] if fills else None
            for j, v in enumerate(row, start=1):
                if i and j <= lead_cols:
                    v = None
                cell = ws.cell(
                    row=r,
                    column=j,
                    value=v if v is None or isinstance(v, int | float) else escape_cell(v),
                )
                if not styled:
                    continue
                cell.border = block_border(i == 0, i == len(rows) - 1, j <= lead_cols)
                cell.alignment = Alignment(
                    horizontal="center" if isinstance(v, int | float) else None,
                    vertical="center",
                    wrap_text=True,
                )
                if fill is not None and j > lead_cols:
                    cell.fill = fill
            if styled:
                h = fit_height(ws, r, widths, line_pt=16)
                ws.row_dimensions[r].height = max(min_height, h)
            r += 1
        if r > first_row:
            blocks.append((first_row, r - 1))
    return blocks


def sheet_widths(ws: Any) -> list[float]:
    """The widths (characters) of a sheet's used columns, for :func:`print_setup`."""
    out = []
    for j in range(1, (ws.max_column or 1) + 1):
        dim = ws.column_dimensions.get(get_column_letter(j))
        out.append(float(dim.width) if dim is not None and dim.width else 9.0)
    return out
