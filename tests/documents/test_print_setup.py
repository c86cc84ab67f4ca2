"""Every sheet of every workbook the demo's commands write has a print set-up (CONTRACT.md
§12): paper A4/A3, 第 N 页 共 M 页, the college in the page header, and a scale that is
never below 60 % (fitted to the width only where that stays at 60 % or more)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.cli import app
from planner.io.xlsx import FOOTER, MIN_SCALE, fit_scale, sheet_widths

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
COLLEGE = "河北示范学院"


def _run(*args: object) -> None:
    r = CliRunner().invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("print")
    data = root / "data"
    shutil.copytree(DEMO, data)
    toml = data / "settings.toml"
    lines = [
        line
        for line in toml.read_text(encoding="utf-8").splitlines()
        if not re.match(r"\s*(college|wide_paper)\s*=", line)
    ]
    toml.write_text("\n".join([*lines, f'college = "{COLLEGE}"', 'wide_paper = "A3"']) + "\n")
    plan = root / "plan" / "plan.csv"
    _run("assign", data, "--out", root / "plan")
    _run("schedule", data, "--plan", plan, "--out", root / "schedule")
    _run("report", data, "--plan", plan, "--year", 2027, "--out", root / "report", "--no-docs")
    sched = root / "schedule" / "schedule.csv"
    status = ("status", data, "--plan", plan, "--schedule", sched, "--as-of", "2027-06-30")
    _run(*status, "--out", root / "status")
    change = DEMO.parent / "changes" / "leader_retires.toml"
    _run("whatif", data, "--plan", plan, "--change", change, "--out", root / "whatif")
    _run("forms", data, "--plan", plan, "--out", root / "forms", "--as-of", "2027-06-30")
    forms = sorted((root / "forms").glob("*.xlsx"))[:1]
    return [
        root / "plan" / "plan.xlsx",
        root / "schedule" / "schedule.xlsx",
        root / "report" / "年度汇总表-2027.xlsx",
        *sorted((root / "status").glob("*.xlsx")),
        root / "whatif" / "diff.xlsx",
        root / "whatif" / "plan.xlsx",
        *forms,
    ]


def test_every_sheet_prints_legibly(workbooks):
    assert len(workbooks) == 7
    for path in workbooks:
        wb = load_workbook(path)
        for ws in wb.worksheets:
            where = f"{path.name}[{ws.title}]"
            assert ws.oddFooter.center.text == FOOTER, where
            assert ws.oddHeader.left.text == COLLEGE, where
            assert str(ws.page_setup.paperSize) in ("8", "9"), where  # A3, A4
            if ws.sheet_properties.pageSetUpPr.fitToPage:
                assert ws.page_setup.fitToWidth == 1, where
                paper = "A3" if str(ws.page_setup.paperSize) == "8" else "A4"
                landscape = ws.page_setup.orientation == "landscape"
                assert fit_scale(sheet_widths(ws), paper, landscape) >= MIN_SCALE, where
            else:
                assert int(ws.page_setup.scale) >= MIN_SCALE, where


def test_wide_sheets_take_the_configured_paper(workbooks):
    plan, schedule, report = (load_workbook(p) for p in workbooks[:3])
    assert str(plan["明细"].page_setup.paperSize) == "8"
    assert str(report["汇总"].page_setup.paperSize) == "8"
    assert str(report["报送"].page_setup.paperSize) == "9"  # 报送 is A4 whatever the setting
    assert report["报送"].page_setup.fitToHeight == 1  # on one page
    assert str(plan["联系对应表"].page_setup.paperSize) == "9"
    assert str(schedule["总表"].page_setup.paperSize) == "8"
    assert str(schedule["月历"].page_setup.paperSize) == "9"
