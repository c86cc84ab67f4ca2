"""``planner init``: the empty workbook, and the same workbook filled in as DATA."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from models import Settings, SolveStatus
from planner.app import assign as pipeline
from planner.cli import app
from planner.io.read import read_data
from planner.io.template import SHEET_ORDER, write_template
from planner.schema import TABLES

runner = CliRunner()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "模板.xlsx")


def _validations(ws) -> dict[str, str]:
    """Column letter → the drop-down's list formula."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
    return out


def test_sheets_headers_and_help(template: Path):
    wb = load_workbook(template)
    assert wb.sheetnames == ["说明", *(TABLES[n].zh for n in SHEET_ORDER)]
    assert [c.value for c in wb["领导干部"][1]] == [c.zh for c in TABLES["leaders"].columns]
    assert [c.value for c in wb["联系记录"][1]][:5] == [
        "日期",
        "领导工号",
        "辅导员工号",
        "形式",
        "方式",
    ]
    assert [c.value for c in wb["成长记录"][1]][:3] == ["辅导员工号", "领导工号", "类型"]
    assert [c.value for c in wb["新闻报送"][1]] == ["日期", "标题", "领导工号", "报送单位", "状态"]
    help_text = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "只有面谈的定期约谈" in help_text and "leader_id" in help_text
    for name in SHEET_ORDER:  # every sheet is just its header row
        assert wb[TABLES[name].zh].max_row == (
            1 + len(Settings.model_fields) if name == "settings" else 1
        )


def test_text_ids_dates_and_drop_downs(template: Path):
    wb = load_workbook(template)
    ws = wb["辅导员"]
    assert ws.column_dimensions["A"].number_format == "@"  # 工号 stays text
    assert ws.column_dimensions["D"].number_format == "yyyy-mm-dd"  # 任辅导员日期
    assert _validations(ws)["E"] == '"是,否"'  # 在岗
    lv = _validations(wb["领导干部"])
    assert lv["D"] == '"院级,中层"' and lv["F"] == '"是,否"'
    rv = _validations(wb["联系记录"])
    assert "定期约谈" in rv["D"] and rv["E"] == '"面谈,电话,线上"' and "班会" in rv["F"]
    assert wb["联系记录"].column_dimensions["B"].number_format == "@"
    gv = _validations(wb["成长记录"])
    assert "科研项目" in gv["C"] and "省部级" in gv["E"] and gv["F"] == '"主持,参与"'
    assert "必须" in _validations(wb["约束"])["C"]
    assert "学期" in _validations(wb["校历"])["A"]
    assert "综合测评" in _validations(wb["辅导员活动"])["C"]


def test_settings_prefilled_with_defaults(template: Path):
    ws = load_workbook(template)["设置"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("设置项", "值", "说明")
    got = {r[0]: r[1] for r in rows[1:]}
    assert got["最少联系人数"] == 2 and got["最多联系人数"] == 3 and got["不重复周期数"] == 1


def test_filled_template_is_valid_data(template: Path, tmp_path: Path):
    """Write → fill a tiny college → read_data → assign."""
    path = tmp_path / "college.xlsx"
    wb = load_workbook(template)
    leaders = [
        ("L01", "院长甲", "院长", "院级", None, "否"),
        ("L02", "主任乙", "系主任", "中层", "机电系", "是"),
    ]
    for i, row in enumerate(leaders, start=2):
        for j, v in enumerate(row, start=1):
            wb["领导干部"].cell(row=i, column=j, value=v)
    counselors = [
        ("007", "辅导员一", "机电系", date(2015, 9, 1)),
        ("008", "辅导员二", "机电系", date(2022, 9, 1)),
        ("009", "辅导员三", "信息系", None),
        ("010", "辅导员四", "信息系", None),
    ]
    for i, row in enumerate(counselors, start=2):
        for j, v in enumerate(row, start=1):
            wb["辅导员"].cell(row=i, column=j, value=v)
    ws = wb["联系记录"]
    for j, v in enumerate((date(2027, 4, 6), "L02", "007", "定期约谈", "面谈"), start=1):
        ws.cell(row=2, column=j, value=v)
    wb["校历"].append(["周期开始", None, date(2027, 3, 1)])
    wb.save(path)

    ds = read_data(path)  # the other optional sheets hold only their headers
    assert [c.counselor_id for c in ds.problem.counselors] == ["007", "008", "009", "010"]
    assert ds.problem.cycle == "2027-2030"
    assert ds.problem.settings.max_load == 3
    assert ds.tables["records"][0]["counselor_id"] == "007"
    assert ds.tables.get("history", []) == [] and ds.tables.get("growth", []) == []
    outcome = pipeline.assign(ds, time_limit=10)
    assert outcome.status == SolveStatus.OPTIMAL
    assert outcome.plan is not None and len(outcome.plan.pairs) == 4
    own = {p.key for p in outcome.plan.pairs if ds.problem.is_own_unit(*p.key)}
    assert own == {("L02", "007"), ("L02", "008")}  # 系主任 takes his own unit's counselors


def test_english_headers(tmp_path: Path):
    wb = load_workbook(write_template(tmp_path / "en.xlsx", "en"))
    assert [c.value for c in wb["领导干部"][1]][:2] == ["leader_id", "name"]
    assert _validations(wb["领导干部"])["D"] == '"college,middle"'


def test_cli_init(tmp_path: Path):
    path = tmp_path / "new.xlsx"
    r = runner.invoke(app, ["init", str(path)])
    assert r.exit_code == 0, r.output
    assert load_workbook(path).sheetnames[0] == "说明"
    before = path.read_bytes()
    r = runner.invoke(app, ["init", str(path)])  # never overwrites a filled workbook
    assert r.exit_code == 2 and path.read_bytes() == before
    assert runner.invoke(app, ["init", str(path), "--force"]).exit_code == 0
    assert runner.invoke(app, ["init", str(tmp_path / "x.csv")]).exit_code == 2
    assert not list(tmp_path.glob(".*"))  # no temp file left behind


def test_blank_optional_sheets_are_accepted(template: Path, tmp_path: Path):
    """A sheet the office deleted the headers from, or never touched, is no error."""
    wb = load_workbook(template)
    for j, v in enumerate(("L01", "院长甲"), start=1):
        wb["领导干部"].cell(row=2, column=j, value=v)
    for j, v in enumerate(("007", "辅导员一", "机电系"), start=1):
        wb["辅导员"].cell(row=2, column=j, value=v)
    wb["联系记录"].delete_rows(1)  # no header at all
    wb["约束"].delete_rows(1)
    path = tmp_path / "blank.xlsx"
    wb.save(path)
    ds = read_data(path)
    assert "records" not in ds.tables and ds.problem.rules == ()
