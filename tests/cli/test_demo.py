"""`planner demo` runs every command end to end on the bundled college."""

from __future__ import annotations

from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.cli import app


def test_demo_end_to_end(tmp_path):
    r = CliRunner().invoke(app, ["demo", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    for name in (
        "plan.csv",
        "plan.xlsx",
        "plan.json",
        "schedule.csv",
        "schedule.ics",
        "年度汇总表-2027.xlsx",
        "数据填报模板.xlsx",
    ):
        assert (tmp_path / name).is_file(), name
    assert list((tmp_path / "ics").glob("*.ics"))
    # The province step rolls the demo's own 年度汇总表 into a 全省汇总 of one college.
    roll = load_workbook(tmp_path / "province" / "全省汇总-2027.xlsx")["学院汇总"]
    cells = [c.value for row in roll.iter_rows() for c in row]
    assert "河北燕赵职业技术学院" in cells and "合计" in cells
    summary = load_workbook(tmp_path / "年度汇总表-2027.xlsx")["汇总"]
    headers = [c.value for row in summary.iter_rows(max_row=5) for c in row]
    assert {
        "领导工号",
        "领导姓名",
        "联系辅导员人数",
        "约谈次数",
        "规划发展次数",
        "工作指导次数",
    } <= set(headers)
    log = (tmp_path / "demo.log").read_text(encoding="utf-8")
    assert "通过:76 对联系关系符合全部规定" in log  # 38 leaders × 2
    # One line per step on screen; every step's own output in demo.log.
    steps = [ln for ln in r.output.splitlines() if ln.startswith("✓ ")]
    assert len(steps) == log.count("\n== ") and len(r.output.splitlines()) < 30
    assert list((tmp_path / "forms").glob("联系记录填报-*.xlsx"))
    assert (tmp_path / "workspace-export" / "data" / "领导干部.csv").is_file()
    assert not [p for p in tmp_path.rglob(".staging-*")]
