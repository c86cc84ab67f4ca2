"""The shared print set-up (planner/io/xlsx.py): scale, page breaks, identity lines."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from models import Settings
from planner.io.xlsx import (
    BLANK,
    FOOTER,
    MIN_SCALE,
    break_blocks,
    fit_scale,
    page_size,
    print_setup,
    sign_line,
    wrapped_lines,
)


def test_fit_scale_against_the_page():
    # A4 landscape: (11.69 - 2·0.4) in · 96 = 1045 px. 10 columns of 10: 750 px → 100 %;
    # 20 of 20: 2900 px → 36 %; at 10 px per unit 10 columns of 14 take 1450 px → 72 %.
    assert fit_scale([10] * 10) == 100
    assert fit_scale([20] * 20) == 36
    assert fit_scale([14] * 10, px_per_char=10) == 72
    # A3 landscape is 16.54 in wide: (16.54 - 0.8) · 96 = 1511 px → 1511/2900 = 52 %.
    assert fit_scale([20] * 20, paper="A3") == 52


def test_print_setup_fits_or_runs_on_at_the_minimum():
    wb = Workbook()
    ws = wb.active
    assert print_setup(ws, [10] * 10, title_rows=(3, 3), college="甲学院", name="汇总") == 100
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3" and ws.oddFooter.center.text == FOOTER
    assert ws.oddHeader.left.text == "甲学院" and ws.oddHeader.right.text == "汇总"
    wide = wb.create_sheet()
    assert print_setup(wide, [20] * 20, college="", repeat_cols=2) == MIN_SCALE
    assert wide.page_setup.scale == MIN_SCALE and not wide.sheet_properties.pageSetUpPr.fitToPage
    assert wide.print_title_cols == "$A:$B"
    assert wide.oddHeader.left.text == f"学院名称:{BLANK}"  # a line to fill in, never "None"
    a3 = wb.create_sheet()
    print_setup(a3, [10], paper="A3", landscape=False, college=None)
    assert a3.page_setup.paperSize == 8 and a3.page_setup.orientation == "portrait"
    assert not a3.oddHeader.left.text  # the province's roll-up names no college


def test_break_blocks_never_splits_a_block():
    # A4 landscape holds (8.27 - 1.4) · 72 · 0.94 = 465.0 pt. Rows of 100 pt, blocks of two
    # rows: 200 + 200 = 400 fits, a third block (600) does not → a break after row 4; the
    # next page repeats nothing here, so rows 5-8 fill it and row 8 ends it.
    assert round(page_size()[1], 1) == 465.0
    wb = Workbook()
    ws = wb.active
    for r in range(1, 11):
        ws.row_dimensions[r].height = 100
    got = break_blocks(ws, [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)], scale=100)
    assert got == [4, 8]
    assert [b.id for b in ws.row_breaks.brk] == [4, 8]
    # At 50 % a page holds twice as much: 930 pt → rows 1-8 (800 pt), then 9-10.
    ws2 = wb.create_sheet()
    for r in range(1, 11):
        ws2.row_dimensions[r].height = 100
    assert break_blocks(ws2, [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)], scale=50) == [8]


def test_break_blocks_repeats_the_header_and_splits_only_a_giant_block():
    wb = Workbook()
    ws = wb.active
    ws.row_dimensions[1].height = 100  # the header row, repeated on every page
    for r in range(2, 12):
        ws.row_dimensions[r].height = 100
    # Page 1: header + block (2-4) = 400; block (5-6) would make 600 → break after 4.
    # Page 2: header 100 + (5-6) 200 = 300; the giant block 7-11 (500) cannot fit any
    # page, so it starts on a fresh page and breaks where the page is full (after 9).
    got = break_blocks(ws, [(2, 4), (5, 6), (7, 11)], scale=100, repeated=(1,))
    assert got == [4, 6, 9]


def test_sign_line_and_wrapping():
    blank = sign_line(Settings(), None)
    assert blank.startswith("填报单位:领导干部联系服务辅导员工作领导小组办公室")
    assert f"填报人:{BLANK}" in blank and "日期:____年__月__日" in blank and "None" not in blank
    full = sign_line(
        Settings(office="学院党委办公室", contact="王老师", phone="123"), date(2027, 3, 5)
    )
    assert full == "填报单位:学院党委办公室    填报人:王老师    联系电话:123    日期:2027年3月5日"
    # "说明" = 4 units in a 3-wide column (2 units a line) → 2 lines; two paragraphs add up.
    assert wrapped_lines("说明", 3) == 2
    assert wrapped_lines("ab\ncd", 10) == 2
