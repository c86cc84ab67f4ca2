"""A plan edited in Excel whose ids became numbers still names the same people (CONTRACT §1:
ids that match a roster id once leading zeros are restored are matched, with a warning)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from planner.app.validate import validate_file

LEADERS = "工号,姓名,单位,教学单位负责人\nL001,王院长,,否\n"
COUNSELORS = "工号,姓名,单位\n00017,刘一,外国语系\n00018,陈二,外国语系\n"


def test_numeric_ids_in_an_edited_plan_xlsx(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "leaders.csv").write_text(LEADERS, encoding="utf-8")
    (data / "counselors.csv").write_text(COUNSELORS, encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in [
        ["周期", "领导工号", "辅导员工号"],
        ["2027-2030", "L001", 17],
        ["2027-2030", "L001", 18],
    ]:
        ws.append(row)
    wb.save(tmp_path / "plan.xlsx")
    got = validate_file(data, tmp_path / "plan.xlsx")
    # One leader with loads 2-3 and two counselors: the plan L001-00017, L001-00018 is valid.
    assert got.ok, [v.render("zh") for v in got.violations]
    (note,) = [n for n in got.notes if "前导零" in n.message_zh]
    assert note.loud and "plan.xlsx 中有 2 个工号与名单只差前导零(如 17 → 00017)" in note.message_zh
