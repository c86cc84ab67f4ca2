"""plan.xlsx for approval (CONTRACT.md §12): title, identity, blocks never split, 审定."""

from __future__ import annotations

from datetime import date

from builders import make_problem
from openpyxl import load_workbook

from models import Pair, Plan


def _problem(college: str = ""):
    # 30 leaders of 3 counselors each. "辅导员c000" is 10 width units in a 10-wide column
    # (9 a line): 2 lines of 16 pt, so rows of 32 pt and blocks of 96 pt. A page holds
    # 465 pt: page 1 the four top rows (30 + 18 + 18 + 20 = 86) and 3 blocks (374; a
    # fourth makes 470), later pages the header (20) and 4 blocks (404).
    leaders = [(f"L{i:02d}", "", False) for i in range(30)]
    counselors = [(f"c{i:03d}", "A") for i in range(90)]
    p = make_problem(leaders, counselors)
    return p.replace(settings=p.settings.model_copy(update={"college": college}))


def _plan():
    return Plan(
        cycle="2027-2030",
        pairs=tuple(Pair(leader_id=f"L{i // 3:02d}", counselor_id=f"c{i:03d}") for i in range(90)),
    )


def _write(tmp_path, problem, **kw):
    from planner.io.plan_files import write_plan_xlsx

    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(path, problem, _plan(), {("L00", "c000"): "理由"}, **kw)
    return load_workbook(path)


def test_blocks_are_never_split(tmp_path):
    wb = _write(tmp_path, _problem("甲学院"))
    ws = wb["联系对应表"]
    assert ws["A1"].value == "甲学院领导干部联系服务辅导员对应表(2027-2030)"
    assert ws.oddHeader.left.text == "甲学院"
    starts = {r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=1).value}
    assert len(starts) == 30
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks and all(b + 1 in starts for b in breaks)  # every page starts a leader
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale >= 60
    assert ws.page_setup.scale == 100
    assert breaks[:2] == [4 + 3 * 3, 4 + 7 * 3]  # see _problem
    assert "说明" not in [c.value for c in ws[4]]
    assert wb["结对说明"]["E3"].value == "理由"


def test_blank_identity_and_approval(tmp_path):
    wb = _write(tmp_path, _problem(), approved_on=date(2027, 3, 5))
    ws = wb["联系对应表"]
    assert ws["A1"].value.startswith("________领导干部")
    text = " ".join(str(ws.cell(row=r, column=1).value) for r in (2, 3))
    assert "None" not in text and "填报人:________" in text
    assert "经领导小组审定(2027年3月5日)" in text and "日期:2027年3月5日" in text
    assert "审定" not in str(_write(tmp_path, _problem())["联系对应表"]["A3"].value)
