"""``planner status``: each rule has a due case and an overdue case, worked by hand.

One pair, L2 — C1, in the cycle 2027-03-01 … 2030-02-28. Its schedule items (windows
inclusive):

======================  ======================  ==========
item                    window                  planned
======================  ======================  ==========
talk 2027Q2             2027-04-01 … 06-30      2027-05-10
talk 2027Q3             2027-07-01 … 09-30      2027-07-20
guidance 2026-2027-2    2027-03-01 … 07-09      2027-06-15
career                  2027-03-01 … 08-31      2027-08-20
talk 2030Q1             2030-01-01 … 02-28      2030-01-10   (fixes the cycle's end)
exchange 2026-2027-2    2027-03-01 … 07-09      2027-06-29   (group item)
======================  ======================  ==========

The only record is a *phone* talk on 2027-05-10, which does not meet the quarter.
Research: the last six months begin 2030-03-01 − 6 months = 2029-09-01.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.app.status import read_schedule_items
from planner.cli import app
from planner.cli.records import status_tables
from planner.documents.status_xlsx import write_status_xlsx
from planner.io.schedule_files import read_schedule
from planner.records import Growth, Ledger, PlanInForce, Record, match_ledger
from planner.status import (
    TrackedItem,
    compute_status,
    tracked_items,
)

runner = CliRunner()

PLAN = PlanInForce("2027-2030", (("L2", "C1"),), date(2027, 3, 1), date(2030, 2, 28))
D = date.fromisoformat


def item(form: str, period: str, ws: str, we: str, planned: str | None, lid="L2", cid="C1"):
    return TrackedItem(
        f"2027-2030/{lid}/{cid}/{form}/{period}",
        lid,
        cid,
        form,
        D(ws),
        D(we),
        D(planned) if planned else None,
        "planned" if planned else "unmet",
        period,
    )


ITEMS = [
    item("talk", "2027Q2", "2027-04-01", "2027-06-30", "2027-05-10"),
    item("talk", "2027Q3", "2027-07-01", "2027-09-30", "2027-07-20"),
    item("guidance", "2026-2027-2", "2027-03-01", "2027-07-09", "2027-06-15"),
    item("career", "2027-03-01+6m", "2027-03-01", "2027-08-31", "2027-08-20"),
    item("talk", "2030Q1", "2030-01-01", "2030-02-28", "2030-01-10"),
    item("exchange", "2026-2027-2", "2027-03-01", "2027-07-09", "2027-06-29", "", ""),
]
PHONE_TALK = Record(D("2027-05-10"), "L2", "C1", "talk", "phone")


@pytest.fixture
def problem(build):
    return build([("L1", "", False), ("L2", "A", True)], [("C1", "A"), ("C2", "B")])


def status(problem, as_of: str, records=(PHONE_TALK,), growth=()):
    matched = match_ledger(Ledger(tuple(records), tuple(growth)), problem, [PLAN])
    return compute_status(problem, PLAN, ITEMS, matched, D(as_of))


def found(report, kind: str) -> set[tuple[str, str]]:
    fs = report.overdue if kind == "overdue" else report.due
    return {(f.rule, f.period) for f in fs}


# ----- talk: a quarter without a face-to-face talk ------------------------------------------
def test_talk_overdue_when_the_quarter_has_only_a_phone_talk(problem):
    r = status(problem, "2027-07-10")
    assert ("talk", "2027Q2") in found(r, "overdue")
    assert r.leaders[0].pairs[0].done["talk_other"] == 1


def test_talk_met_by_a_face_to_face_record(problem):
    r = status(problem, "2027-07-10", [PHONE_TALK, Record(D("2027-06-01"), "L2", "C1", "talk")])
    assert ("talk", "2027Q2") not in found(r, "overdue")
    assert r.leaders[0].total("met", "talk") == 1


def test_talk_due_when_planned_within_30_days(problem):
    # 2027Q3 planned 07-20, within 30 days of 07-10; its window is still open.
    r = status(problem, "2027-07-10")
    assert ("talk", "2027Q3") in found(r, "due")
    assert ("talk", "2027Q3") not in found(r, "overdue")


# ----- guidance: a semester without guidance -------------------------------------------------
def test_guidance_due_when_the_semester_ends_within_30_days(problem):
    # Planned 06-15 (already past) but the semester closes 07-09, 19 days after 06-20.
    assert ("guidance", "2026-2027-2") in found(status(problem, "2027-06-20"), "due")


def test_guidance_overdue_after_the_semester(problem):
    r = status(problem, "2027-07-10")
    assert ("guidance", "2026-2027-2") in found(r, "overdue")
    # 工作指导 counts only face to face on a listed activity (issue 13): an online visit or
    # one without a 类别 leaves the semester overdue; a 班会 joined in person meets it.
    online = Record(D("2027-06-15"), "L2", "C1", "guidance", "online", category="class_meeting")
    bare = Record(D("2027-06-15"), "L2", "C1", "guidance")
    for rec in (online, bare):
        assert ("guidance", "2026-2027-2") in found(status(problem, "2027-07-10", [rec]), "overdue")
    visit = Record(D("2027-06-15"), "L2", "C1", "guidance", category="class_meeting")
    assert ("guidance", "2026-2027-2") not in found(
        status(problem, "2027-07-10", [visit]), "overdue"
    )


# ----- career: past the six months ------------------------------------------------------------
def test_career_due_then_overdue(problem):
    assert ("career", "2027-03-01+6m") in found(status(problem, "2027-08-05"), "due")
    assert ("career", "2027-03-01+6m") not in found(status(problem, "2027-07-01"), "due")
    assert ("career", "2027-03-01+6m") in found(status(problem, "2027-09-01"), "overdue")
    done = Record(D("2027-04-15"), "L2", "C1", "career")
    assert ("career", "2027-03-01+6m") not in found(
        status(problem, "2027-09-01", [done]), "overdue"
    )


# ----- research: the cycle's last six months ----------------------------------------------------
def test_research_due_then_overdue(problem):
    assert ("research", "2027-2030") in found(status(problem, "2029-08-15"), "due")
    assert ("research", "2027-2030") not in found(status(problem, "2029-07-01"), "due")
    assert ("research", "2027-2030") in found(status(problem, "2029-09-01"), "overdue")
    paper = Growth("C1", "paper", status="已发表", date=D("2028-05-01"))
    r = status(problem, "2029-09-01", growth=[paper])
    assert ("research", "2027-2030") not in found(r, "overdue")
    assert r.leaders[0].pairs[0].research_done
    # A project still 在研 does not count.
    running = Growth("C1", "project", level="provincial", status="在研", date=D("2028-05-01"))
    assert ("research", "2027-2030") in found(
        status(problem, "2029-09-01", growth=[running]), "overdue"
    )


# ----- group items and bookkeeping -----------------------------------------------------------------
def test_exchange_meeting_overdue_without_an_attendance(problem):
    r = status(problem, "2027-07-10")
    assert ("exchange", "2026-2027-2") in {(f.rule, f.period) for f in r.group}
    met = Record(D("2027-06-29"), "L1", "", "exchange")  # L1 is in no plan here: not counted
    r = status(problem, "2027-07-10", [met])
    assert r.excluded and "L1" in r.excluded[0].reason_zh
    attended = Record(D("2027-06-29"), "L2", "", "exchange")
    r = status(problem, "2027-07-10", [attended])
    assert not r.group and r.leaders[0].exchanges_attended == 1


def test_records_after_as_of_are_ignored(problem):
    late = Record(D("2027-06-01"), "L2", "C1", "talk")
    r = status(problem, "2027-05-31", [late])
    assert r.leaders[0].pairs[0].done["talk_in_person"] == 0


def test_items_of_pairs_outside_the_plan_are_noted(problem):
    extra = [*ITEMS, item("talk", "2027Q2", "2027-04-01", "2027-06-30", None, "L1", "C2")]
    matched = match_ledger(Ledger(), problem, [PLAN])
    r = compute_status(problem, PLAN, extra, matched, D("2027-07-10"))
    assert any("不在联系对应表中" in n.message_zh for n in r.notes)


def test_tables_and_xlsx(problem, tmp_path: Path):
    r = status(problem, "2027-07-10")
    tables = status_tables(r, problem, "zh", show_all=True)
    assert [t.row_count for t in tables] == [1, len(r.overdue), len(r.due)]
    # Without --all: one table of the most urgent items (overdue first), at most 10.
    (urgent,) = status_tables(r, problem, "zh")
    assert urgent.row_count == min(10, len(r.overdue) + len(r.due))
    path = tmp_path / "s.xlsx"
    write_status_xlsx(path, r, problem, "en")
    wb = load_workbook(path)
    assert wb.sheetnames == ["领导汇总", "结对明细", "逾期事项", "近期到期", "未计入记录"]
    assert wb["领导汇总"]["A1"].value == "leader_id"


# ----- schedule files -----------------------------------------------------------------------------
ZH_HEAD = [
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
]
EN_HEAD = ["item_id", "leader_id", "counselor_id", "form", "date", "window_start", "window_end", "status", "note", "calendar_source"]  # fmt: skip


def write_schedule(path: Path, head: list[str], zh: bool = True) -> Path:
    forms = {
        "talk": "定期约谈",
        "guidance": "工作指导",
        "career": "规划发展",
        "exchange": "工作交流会",
    }
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(head)
        for it in ITEMS:
            status_word = ("已排" if it.date else "未排") if zh else it.status
            w.writerow(
                [
                    it.item_id,
                    it.leader_id,
                    it.counselor_id,
                    forms[it.form] if zh else it.form,
                    it.date.isoformat() if it.date else "",
                    it.window_start.isoformat(),
                    it.window_end.isoformat(),
                    status_word,
                    "",
                    "官方" if zh else "official",
                ]
            )
    return path


@pytest.mark.parametrize(("head", "zh"), [(ZH_HEAD, True), (EN_HEAD, False)])
def test_schedule_csv_round_trip(tmp_path: Path, head, zh):
    path = write_schedule(tmp_path / "schedule.csv", head, zh)
    got = tracked_items(read_schedule(path))  # the one schedule reader
    assert [g.__class__(**{**g.__dict__, "row": None}) for g in got] == ITEMS
    assert [g.row for g in got] == [2, 3, 4, 5, 6, 7]
    assert [(i.item_id, i.form, i.window_end) for i in read_schedule_items(tmp_path)] == [
        (i.item_id, i.form, i.window_end) for i in ITEMS
    ]


def test_schedule_file_problems_are_input_errors(tmp_path: Path):
    from planner.errors import InputError

    bad = tmp_path / "schedule.csv"
    bad.write_text("事项编号,形式,窗口开始\nx,定期约谈,2027-04-01\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_schedule(bad)
    assert "缺少必填列“窗口结束”" in err.value.render("zh")
    bad.write_text("事项编号,形式,窗口开始,窗口结束\nx,约谈,not-a-date,2027-06-30\n", "utf-8")
    with pytest.raises(InputError) as err:
        read_schedule(bad)
    text = err.value.render("zh")
    assert "第2行" in text and "窗口开始" in text and "not-a-date" in text
    with pytest.raises(InputError):
        read_schedule_items(tmp_path / "missing.csv")


# ----- command line -------------------------------------------------------------------------------
def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "领导干部.csv").write_text(
        "工号,姓名,单位,教学单位负责人\nL1,甲,,否\nL2,乙,A,是\n", "utf-8"
    )
    (data / "辅导员.csv").write_text("工号,姓名,单位\nC1,丙,A\nC2,丁,B\n", "utf-8")
    (data / "calendar.toml").write_text("cycle_start = 2027-03-01\n", "utf-8")
    (data / "联系记录.csv").write_text(
        "日期,领导工号,辅导员工号,形式,方式\n"
        "2027-05-10,L2,C1,定期约谈,电话\n"
        "2027-05-11,L9,C1,定期约谈,面谈\n",
        "utf-8",
    )
    (tmp_path / "plan.csv").write_text("周期,领导工号,辅导员工号\n2027-2030,L2,C1\n", "utf-8")
    write_schedule(tmp_path / "schedule.csv", ZH_HEAD)
    return data


def test_cli_status(tmp_path: Path):
    data = _data(tmp_path)
    args = ["status", str(data), "--plan", str(tmp_path / "plan.csv")]
    args += ["--schedule", str(tmp_path / "schedule.csv"), "--as-of", "2027-07-10"]
    r = runner.invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert "逾期" in r.output and "L9" in r.output  # the unknown leader's record is listed
    wb = load_workbook(tmp_path / "out" / "status-2027-07-10.xlsx")
    assert wb["逾期事项"].max_row > 1 and wb["未计入记录"].max_row == 2
    r = runner.invoke(app, [*args[:-1], "2027-13-45"])
    assert r.exit_code == 2
    r = runner.invoke(app, [*args, "--lang", "en"])
    assert r.exit_code == 0 and "most urgent" in r.output and "overdue" in r.output
    r = runner.invoke(app, [*args, "--lang", "en", "--all"])
    assert r.exit_code == 0 and "Overdue" in r.output
