"""Shared workbook styling: header cells, borders, fills, column widths, tables.

One place for the look of every workbook the product writes (plan, diff, compare, status,
annual report), so a printed sheet looks the same whichever command made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

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
) -> None:
    """A header row at ``start`` and bordered, wrapped rows under it; panes frozen below it.

    Text cells are formula-escaped (:func:`~planner.io.write.escape_cell`); ``fills`` gives
    an optional fill per row.
    """
    for j, h in enumerate(head, start=1):
        ws.cell(row=start, column=j, value=h)
    style_header(ws, start, len(head))
    for i, row in enumerate(rows, start=start + 1):
        fill = fills[i - start - 1] if fills else None
        for j, v in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j, value=v if isinstance(v, int) else escape_cell(v))
            cell.border = BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if fill is not None:
                cell.fill = fill
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
