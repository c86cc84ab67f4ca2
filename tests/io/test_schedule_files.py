"""Schedule files: iCalendar parses back, csv/ics are byte-identical on re-run, csv reads back."""

from __future__ import annotations

from datetime import date

import pytest
from builders import make_problem
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event
from openpyxl import load_workbook

from models import Form, Pair, Plan, Source, Status
from planner.errors import InputError
from planner.io.schedule_files import (
    _EventText,
    _fold,
    looks_like_schedule,
    read_schedule,
    schedule_calendar,
    schedule_plan,
    write_schedule_files,
)
from planner.rules.validate_schedule import validate_schedule
from planner.scheduling.builder import build_schedule
from planner.workdays.school_year import CalendarConfig, Semester

CYCLE = "2025-2026"
CONFIG = CalendarConfig(
    cycle_start=date(2025, 9, 1),
    cycle_years=1,
    semesters=(
        Semester("2025-2026-1", date(2025, 9, 1), date(2026, 1, 16)),
        Semester("2025-2026-2", date(2026, 3, 2), date(2026, 7, 10)),
    ),
)
PAIRS = [("L1", "c1"), ("L1", "c2"), ("L2", "c3")]
PLAN = Plan(cycle=CYCLE, pairs=tuple(Pair(leader_id=a, counselor_id=b) for a, b in PAIRS))
EVENTS = [
    {
        "counselor_id": "c1",
        "date": date(2025, 10, 18),
        "category": "class_meeting",
        "title": "=班会",
    }
]
# L2 is away all Q4: one unmet talk, and no December summary in L2's calendar
AWAY = [
    {"leader_id": "L2", "start": date(2025, 10, 1), "end": date(2025, 12, 31), "reason": "挂职"}
]


@pytest.fixture(scope="module")
def problem():
    return make_problem(
        [("L1", "", False), ("L2", "", False)], [("c1", "A"), ("c2", "A"), ("c3", "B")], cycle=CYCLE
    )


@pytest.fixture(scope="module")
def schedule(problem):
    return build_schedule(problem, PLAN, CONFIG, AWAY, EVENTS)


def write(tmp_path, problem, schedule, lang="zh"):
    return write_schedule_files(
        tmp_path, problem, schedule.items, schedule.cycle_start, schedule.cycle_end, lang
    )


def events_of(path):
    return Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_ics_parses_back_with_every_planned_item(tmp_path, problem, schedule):
    write(tmp_path, problem, schedule)
    evs = events_of(tmp_path / "schedule.ics")
    planned = [i for i in schedule.items if i.status is Status.PLANNED]
    assert len(evs) == len(planned) == len(schedule.items) - 1
    assert {str(e["UID"]) for e in evs} == {f"{i.item_id}@counselor-planner" for i in planned}
    by_uid = {str(e["UID"]): e for e in evs}
    for it in planned:
        ev = by_uid[f"{it.item_id}@counselor-planner"]
        assert ev.decoded("DTSTART") == it.date  # all-day: a date, not a datetime
        assert str(ev["X-COUNSELOR-PLANNER-SOURCE"]) == "official"
        assert "日历来源:官方" in str(ev["DESCRIPTION"])
    stamps = {e.decoded("DTSTAMP") for e in evs}
    assert len(stamps) == 1 and next(iter(stamps)).date() == date(2025, 9, 1)


def test_per_person_calendars(tmp_path, problem, schedule):
    write(tmp_path, problem, schedule)
    l1 = {str(e["UID"]) for e in events_of(tmp_path / "ics" / "领导-L1.ics")}
    l2 = {str(e["UID"]) for e in events_of(tmp_path / "ics" / "领导-L2.ics")}
    c1 = {str(e["UID"]) for e in events_of(tmp_path / "ics" / "辅导员-c1.ics")}
    summary = "2025-2026/summary/2025-12@counselor-planner"
    assert summary in l1 and summary not in l2  # L2 is away all December
    assert summary not in c1
    assert all("/L1/" in u for u in l1 if u != summary and "/exchange/" not in u)
    assert all("/c1/" in u for u in c1)
    c3 = [i for i in schedule.items if i.counselor_id == "c3" and i.date]
    assert len(events_of(tmp_path / "ics" / "辅导员-c3.ics")) == len(c3)


def test_files_are_byte_identical_on_rerun(tmp_path, problem):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        sch = build_schedule(problem, PLAN, CONFIG, AWAY, EVENTS)
        write(out, problem, sch)
    names = sorted(p.relative_to(a) for p in a.rglob("*") if p.suffix in (".csv", ".ics"))
    assert len(names) == 1 + 1 + 2 + 3  # csv, schedule.ics, 2 leaders, 3 counselors
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_csv_has_contract_columns_and_order(tmp_path, problem, schedule):
    write(tmp_path, problem, schedule)
    raw = (tmp_path / "schedule.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    head = lines[0].split(",")
    for col in (
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
    ):
        assert col in head
    assert lines[-1].split(",")[head.index("状态")] == "未排"  # unmet last
    dates = [ln.split(",")[head.index("日期")] for ln in lines[1:-1]]
    assert dates == sorted(dates)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_reads_back(tmp_path, problem, schedule, lang):
    write(tmp_path, problem, schedule, lang)
    back = read_schedule(tmp_path / "schedule.csv")
    assert [i.row for i in back] == list(range(2, len(back) + 2))
    want = {i.item_id: i for i in schedule.items}
    for it in back:
        w = want[it.item_id]
        assert (it.form, it.period, it.date, it.status, it.calendar_source) == (
            w.form,
            w.period,
            w.date,
            w.status,
            w.calendar_source,
        )
        assert (it.window_start, it.window_end, it.category) == (
            w.window_start,
            w.window_end,
            w.category,
        )
        assert it.note_zh == w.note(lang)
    assert validate_schedule(problem, PLAN, CONFIG, AWAY, EVENTS, back) == []
    assert looks_like_schedule(tmp_path / "schedule.csv")
    from_xlsx = read_schedule(tmp_path / "schedule.xlsx")
    assert [(i.item_id, i.date, i.status) for i in from_xlsx] == [
        (i.item_id, i.date, i.status) for i in back
    ]
    assert schedule_plan(back).keys() == PLAN.keys()


def test_read_schedule_reports_bad_cells(tmp_path):
    path = tmp_path / "schedule.csv"
    path.write_text(
        "事项编号,领导工号,辅导员工号,形式,日期,状态\n"
        "x/L1/c1/talk/2025Q4,L1,c1,定期约谈,2025-13-01,已排\n"
        "x/L1/c1/chat/2025Q4,L1,c1,闲聊,2025-10-09,已排\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        read_schedule(path)
    rows = sorted((p.row, p.column) for p in exc.value.problems)
    assert rows == [(2, "日期"), (3, "形式")]


def test_read_schedule_needs_the_key_columns(tmp_path):
    path = tmp_path / "schedule.csv"
    path.write_text("item_id,leader_id\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_schedule(path)
    assert {p.column for p in exc.value.problems} == {"辅导员工号", "形式", "日期"}


def test_xlsx_sheets(tmp_path, build):
    long_name = "欧阳" * 20
    problem = build(
        [("L1", "", False), ("L2", "", False), ("L3", "", False)],
        [("c1", "A"), ("c2", "A"), ("c3", "A")],
        cycle=CYCLE,
    )
    leaders = tuple(
        ld.model_copy(update={"name": n})
        for ld, n in zip(problem.leaders, [long_name, "王芳", "王芳"], strict=True)
    )
    problem = problem.replace(leaders=leaders)
    plan = Plan(
        cycle=CYCLE, pairs=tuple(Pair(leader_id=f"L{i}", counselor_id=f"c{i}") for i in (1, 2, 3))
    )
    sch = build_schedule(problem, plan, CONFIG)
    write(tmp_path, problem, sch)
    wb = load_workbook(tmp_path / "schedule.xlsx")
    assert wb.sheetnames[:2] == ["总表", "月历"]
    leader_sheets = wb.sheetnames[2:]
    assert len(leader_sheets) == 3 and len(set(leader_sheets)) == 3
    assert all(len(n) <= 31 for n in leader_sheets)
    assert leader_sheets[0] == long_name[:31]
    assert wb["总表"].max_row == len(sch.items) + 1
    month = [c.value for row in wb["月历"].iter_rows() for c in row if c.value]
    assert "2025年9月 联系日程" in month


def test_estimated_items_say_so_in_ics(tmp_path, problem):
    c = CalendarConfig(
        cycle_start=date(2098, 3, 1),
        cycle_years=1,
        semesters=(Semester("s", date(2098, 3, 1), date(2098, 7, 9)),),
    )
    plan = Plan(cycle="2098-2099", pairs=(Pair(leader_id="L1", counselor_id="c1"),))
    sch = build_schedule(problem, plan, c)
    write(tmp_path, problem, sch)
    evs = events_of(tmp_path / "schedule.ics")
    assert evs and all(str(e["X-COUNSELOR-PLANNER-SOURCE"]) == Source.ESTIMATED.value for e in evs)
    assert all("估算" in str(e["DESCRIPTION"]) for e in evs)
    assert {i.form for i in sch.items} >= {Form.TALK, Form.CAREER}


# ----- the fast writers make what icalendar and openpyxl would -----------------------------

TEXT = st.text(
    alphabet=st.sampled_from(
        ["a", "Z", "0", " ", "\\", "^", ",", ";", ":", "\n", "\r", "长", "é", "😀"]
    ),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_text_lines_fold_as_icalendar_does(text):
    lines = _EventText(make_problem([], []), date(2025, 9, 1), "zh")
    for name in ("DESCRIPTION", "SUMMARY", "UID"):
        ev = Event()
        ev.add(name, text)
        assert (
            lines._line(name, text)
            == ev.to_ical()[len(b"BEGIN:VEVENT\r\n") : -len(b"END:VEVENT\r\n")]
        )


def test_fold_cuts_long_lines_between_characters():
    line = ("长" * 30).encode()
    pieces = _fold(b"X:" + line).split(b"\r\n ")
    assert all(len(p) <= 74 for p in pieces)
    assert b"".join(pieces) == b"X:" + line
    assert _fold(b"x" * 74) == b"x" * 74 and _fold(b"x" * 75) == b"x" * 74 + b"\r\n x"


@pytest.fixture(scope="module")
def odd_problem(problem):
    """Names that need escaping and folding: long, with \\ ^ , ; and characters of 3-4 bytes."""
    leaders = tuple(
        ld.model_copy(update={"name": n})
        for ld, n in zip(
            problem.leaders, ["=欧阳,修;\\^" + "长" * 30, "x" * 70 + "\\"], strict=True
        )
    )
    counselors = tuple(
        c.model_copy(update={"name": n})
        for c, n in zip(problem.counselors, ["😀" * 30, "a;b,c", "+1"], strict=True)
    )
    return problem.replace(leaders=leaders, counselors=counselors)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ics_files_are_icalendars_own_bytes(tmp_path, odd_problem, lang):
    """Events are rendered once and shared; every file is still icalendar's to_ical()."""
    sch = build_schedule(odd_problem, PLAN, CONFIG, AWAY, EVENTS)
    write(tmp_path, odd_problem, sch, lang)
    items, start = sch.items, sch.cycle_start

    def want(subset, name):
        return schedule_calendar(odd_problem, subset, start, f"{name} {CYCLE}", lang).to_ical()

    title = (
        f"领导干部联系辅导员日程 {CYCLE}" if lang == "zh" else f"Leader-counselor contacts {CYCLE}"
    )
    assert (tmp_path / "schedule.ics").read_bytes() == schedule_calendar(
        odd_problem, items, start, title, lang
    ).to_ical()
    for ld in odd_problem.leaders:
        lid = ld.leader_id
        mine = [i for i in items if i.leader_id == lid or (i.form.is_group and lid not in i.absent)]
        assert (tmp_path / "ics" / f"领导-{lid}.ics").read_bytes() == want(mine, ld.name)
    for c in odd_problem.counselors:
        mine = [i for i in items if i.counselor_id == c.counselor_id]
        got = (tmp_path / "ics" / f"辅导员-{c.counselor_id}.ics").read_bytes()
        assert got == want(mine, c.name)
    assert b"\r\n " in (tmp_path / "schedule.ics").read_bytes()  # some lines were folded


def test_xlsx_styles_and_sizes(tmp_path, problem, schedule):
    write(tmp_path, problem, schedule)
    wb = load_workbook(tmp_path / "schedule.xlsx")
    ws = wb["总表"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:P{len(schedule.items) + 1}"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    head = [c.value for c in ws[1]]
    unmet = [r for r in ws.iter_rows(min_row=2) if r[head.index("状态")].value == "未排"]
    assert len(unmet) == 1 and unmet[0][head.index("状态")].fill.fgColor.rgb.endswith("FCE4D6")
    leader = wb[wb.sheetnames[2]]
    assert leader["A1"].font.b and leader["A1"].font.sz == 13 and leader.freeze_panes == "A3"
    assert leader.page_setup.orientation == "landscape" and leader.page_setup.paperSize == 9
    head = [c.value for c in ws[1]]
    assert head[:4] == ["日期", "领导姓名", "辅导员姓名", "形式"] and head[-1] == "事项编号"
    assert ws.print_title_rows == "$1:$1" and ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    month = wb["月历"]
    assert month["A1"].value == "2025年9月 联系日程" and month["A1"].font.sz == 13
    assert [c.value for c in month[2]] == list("一二三四五六日")  # one weekday per column
    # one month per page: a break after each month but the last
    titles = [c.row for c in month["A"] if str(c.value or "").endswith("联系日程")]
    assert [b.id + 1 for b in month.row_breaks.brk] == titles[1:]
    assert not month.sheet_properties.pageSetUpPr.fitToPage and month.page_setup.scale >= 60
    day = next(c for row in month.iter_rows(min_row=3) for c in row if c.value)
    assert day.alignment.wrap_text
    # the streamed sheets still say their size, for readers in read-only mode
    ro = load_workbook(tmp_path / "schedule.xlsx", read_only=True)
    try:
        assert ro["总表"].max_row == len(schedule.items) + 1 and ro["总表"].max_column == 16
        assert ro["月历"].max_column == 7
    finally:
        ro.close()


def test_progress_names_each_file(tmp_path, problem, schedule):
    said = []
    write_schedule_files(
        tmp_path,
        problem,
        schedule.items,
        schedule.cycle_start,
        schedule.cycle_end,
        progress=said.append,
    )
    assert said == ["schedule.csv", "schedule.xlsx", "schedule.ics", "ics/ (0/5)"]
