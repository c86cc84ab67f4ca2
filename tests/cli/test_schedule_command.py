"""`planner schedule` and `planner validate` on a schedule, through the CLI."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from planner.cli import app

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sched")
    assert run("assign", DEMO, "--out", out).exit_code == 0
    r = run("schedule", DEMO, "--plan", out / "plan.csv", "--out", out)
    assert r.exit_code == 0, r.output
    return out


def test_schedule_files(scheduled):
    rows = list(
        csv.DictReader((scheduled / "schedule.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert {
        "事项编号",
        "领导工号",
        "辅导员工号",
        "形式",
        "日期",
        "窗口开始",
        "窗口结束",
        "状态",
        "说明",
        "日历来源",
    } <= set(rows[0])
    assert all(r["状态"] == "已排" for r in rows)  # the demo can be met in full
    assert {r["形式"] for r in rows} == {
        "定期约谈",
        "工作指导",
        "规划发展",
        "工作交流会",
        "年度总结",
    }
    cal = Calendar.from_ical((scheduled / "schedule.ics").read_bytes())
    assert len(cal.walk("VEVENT")) == len(rows)
    assert (scheduled / "schedule.xlsx").is_file()


def test_schedule_is_byte_identical(scheduled, tmp_path):
    assert run("schedule", DEMO, "--plan", scheduled / "plan.csv", "--out", tmp_path).exit_code == 0
    for name in ("schedule.csv", "schedule.ics"):
        assert (tmp_path / name).read_bytes() == (scheduled / name).read_bytes()


def test_validate_schedule(scheduled):
    r = run("validate", DEMO, scheduled / "schedule.csv")
    assert r.exit_code == 0, r.output


def test_validate_flags_talk_moved_to_sunday(scheduled, tmp_path):
    text = (scheduled / "schedule.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    head = rows[0]
    i_form, i_date = head.index("形式"), head.index("日期")
    row = next(r for r in rows[1:] if r[i_form] == "定期约谈")
    d = date.fromisoformat(row[i_date])
    row[i_date] = (d + timedelta(days=6 - d.weekday())).isoformat()  # that week's Sunday
    broken = tmp_path / "schedule.csv"
    with broken.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    r = run("validate", DEMO, broken)
    assert r.exit_code == 1
    assert row[head.index("事项编号")] in r.output or "工作日" in r.output


def test_strict_refuses_estimated_years(scheduled, tmp_path):
    r = run("schedule", DEMO, "--plan", scheduled / "plan.csv", "--out", tmp_path, "--strict")
    assert r.exit_code == 2
    assert "2027" in r.output
    assert not (tmp_path / "schedule.csv").exists()
