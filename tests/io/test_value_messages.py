"""Every reader message names what is wrong with the value, in the office's terms; hints speak
in the form the input came in (issue 16, item 2: a 校历 sheet is not calendar.toml, and a clerk
is never asked to upgrade a package).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from planner.app.data import calendar_of
from planner.errors import InputError
from planner.io.read import read_data
from planner.values import date_problem, parse_date
from planner.workdays.official import EstimatedYearRefused

# (typed value, what the message must say). Worked out by hand: September and April have 30
# days; 2027 is not a leap year (2027 % 4 = 3), 2028 is.
DATE_CORPUS = [
    ("2020-09-31", "9月只有30天,没有31日", "September has 30 days"),
    ("2020.9.31", "9月只有30天,没有31日", "September has 30 days"),
    ("2020/4/31", "4月只有30天,没有31日", "April has 30 days"),
    ("20200931", "9月只有30天,没有31日", "September has 30 days"),
    ("2020年9月31日", "9月只有30天,没有31日", "September has 30 days"),
    ("2027-13-01", "月份 13 不存在(月份应为 1 到 12)", "there is no month 13"),
    ("2027.0.5", "月份 0 不存在", "there is no month 0"),
    ("2027-02-29", "2027年2月只有28天(2027年不是闰年),没有29日", "not a leap year"),
    ("2028-02-30", "2028年2月只有29天(2028年是闰年),没有30日", "is a leap year"),
    ("2027-09-00", "日期中的“日”不能是 0", "cannot be 0"),
    ("9/1/2026", "请按“年-月-日”的顺序填写", "year first"),
    ("26/9/1", "年份请写四位数字", "four digits"),
    ("0202-09-01", "年份 202 不合理", "year 202 is not plausible"),
    ("九月一日", "无法识别的日期,请写成 2026-09-01 的形式", "not a date"),
]


@pytest.mark.parametrize(("text", "zh", "en"), DATE_CORPUS)
def test_date_messages_say_what_is_wrong(text: str, zh: str, en: str) -> None:
    assert parse_date(text) is None
    got_zh, got_en = date_problem(text)
    assert zh in got_zh
    assert en in got_en


@pytest.mark.parametrize(("text", "zh", "en"), DATE_CORPUS[:8])
def test_a_roster_cell_carries_the_message(tmp_path: Path, text: str, zh: str, en: str) -> None:
    (tmp_path / "leaders.csv").write_text("工号,姓名\nL001,王院长\n", encoding="utf-8")
    (tmp_path / "counselors.csv").write_text(
        f"工号,姓名,单位,任辅导员日期\n007,刘一,外语系,{text}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as got:
        read_data(tmp_path, cycle="2027-2030")
    (line,) = got.value.render("zh").splitlines()
    assert line == f"counselors.csv,第2行,列“任辅导员日期”,值“{text}”:" + date_problem(text)[0]
    assert zh in line
    assert en in got.value.render("en")


def test_an_excel_number_that_is_no_date() -> None:
    zh, en = date_problem(3_000_000)
    assert zh.startswith("数字 3000000 不是日期") and "number 3000000" in en


# ----- hints in the input's form ----------------------------------------------------------------------
LEADERS = [["工号", "姓名", "单位", "教学单位负责人"], ["L001", "王院长", None, "否"]]
COUNSELORS = [["工号", "姓名", "单位"], ["007", "刘一", "外语系"], ["008", "陈二", "外语系"]]
# 2099 has no published holiday schedule: its days off are estimated and the hint says how to
# give the announced ones.
FAR = "2099-03-01"


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    first = True
    for title, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet(title)
        assert ws is not None
        ws.title = title
        for r in rows:
            ws.append(r)
        first = False
    wb.save(path)
    return path


def _hints(ds_path: Path) -> tuple[str, str, str]:
    ds = read_data(ds_path)
    cal = calendar_of(ds)
    warn = cal.provider().warning_zh(cal.cycle_start, cal.cycle_end)
    assert warn is not None
    notes = " ".join(n.message_zh for n in cal.notes)
    refused = EstimatedYearRefused(2099, cal.form).message_zh
    return warn, notes, refused


def test_workbook_with_a_calendar_sheet(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "数据.xlsx",
        {
            "领导干部": LEADERS,
            "辅导员": COUNSELORS,
            "校历": [["类型", "开始日期"], ["周期开始", FAR]],
        },
    )
    warn, notes, refused = _hints(path)
    for text in (warn, refused):
        assert "请在数据.xlsx 的“校历”工作表中按通知加“放假”行和“调休上班”行" in text
    assert "请在数据.xlsx 的“校历”工作表中补入这些学期" in notes  # no semester listed
    for text in (warn, notes, refused):
        assert "calendar.toml" not in text and "chinesecalendar" not in text


def test_calendar_csv_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "领导干部.csv").write_text("工号,姓名\nL001,王院长\n", encoding="utf-8")
    (tmp_path / "辅导员.csv").write_text("工号,姓名,单位\n007,刘一,外语系\n", encoding="utf-8")
    (tmp_path / "校历.csv").write_text(f"类型,开始日期\n周期开始,{FAR}\n", encoding="utf-8")
    warn, notes, _ = _hints(tmp_path)
    assert "请在校历.csv中按通知加“放假”行和“调休上班”行" in warn
    assert "calendar.toml" not in warn + notes and "chinesecalendar" not in warn


def test_calendar_toml(tmp_path: Path) -> None:
    (tmp_path / "领导干部.csv").write_text("工号,姓名\nL001,王院长\n", encoding="utf-8")
    (tmp_path / "辅导员.csv").write_text("工号,姓名,单位\n007,刘一,外语系\n", encoding="utf-8")
    (tmp_path / "calendar.toml").write_text(f"cycle_start = {FAR}\n", encoding="utf-8")
    warn, notes, refused = _hints(tmp_path)
    assert "请在 calendar.toml 的 closed(放假日期)和 workdays(调休上班日期)中填入" in warn
    assert "请在 calendar.toml 中用 [[semester]] 补入这些学期" in notes
    assert "chinesecalendar" not in warn + refused


def test_no_calendar_in_a_workbook_asks_for_a_sheet(tmp_path: Path) -> None:
    path = _book(tmp_path / "数据.xlsx", {"领导干部": LEADERS, "辅导员": COUNSELORS})
    ds = read_data(path, cycle="2099-2102")
    cal = calendar_of(ds)
    warn = cal.provider().warning_zh(cal.cycle_start, cal.cycle_end)
    assert warn is not None and "请在数据.xlsx 中新建的“校历”工作表中按通知加" in warn
    notes = " ".join(n.message_zh for n in cal.notes)
    assert "请在数据.xlsx 中新建的“校历”工作表中加一行“周期开始”" in notes
    assert "calendar.toml" not in warn + notes


def test_refused_estimate_at_schedule_speaks_of_the_sheet(tmp_path: Path) -> None:
    from planner.app.plans import make_plan
    from planner.app.schedule import schedule
    from planner.io.read import read_plan_pairs  # noqa: F401 - the plan is built in memory

    path = _book(
        tmp_path / "数据.xlsx",
        {
            "领导干部": LEADERS,
            "辅导员": COUNSELORS,
            "校历": [["类型", "开始日期"], ["周期开始", FAR]],
        },
    )
    ds = read_data(path)
    plan = make_plan(ds.problem, [("L001", "007"), ("L001", "008")])
    with pytest.raises(EstimatedYearRefused) as got:
        schedule(ds, plan, strict=True)
    assert "数据.xlsx 的“校历”工作表" in got.value.message_zh
    assert date(2099, 1, 1).year == got.value.year
