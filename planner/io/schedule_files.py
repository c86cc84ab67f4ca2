"""The schedule's files: ``schedule.csv``, ``schedule.xlsx`` and iCalendar (``.ics``).

- ``schedule.csv`` — one row per item (CONTRACT.md §9), UTF-8 with BOM, sorted by date
  then item id, unmet items last; headers and values in Chinese or English.
- ``schedule.xlsx`` — 总表 (every item), 月历 (a month-by-month calendar) and one sheet per
  leader, named by the leader's name.
- ``schedule.ics`` (everything), ``ics/领导-<id>.ics`` per leader and
  ``ics/辅导员-<id>.ics`` per counselor: all-day events whose UID comes from the item id and
  whose DTSTAMP is the cycle start, so the files are byte-identical on every re-run. Each
  event carries its calendar source (官方/自定义/估算) in DESCRIPTION and
  ``X-COUNSELOR-PLANNER-SOURCE``.

A large college (3,000 counselors: some 63,000 items, 1,200 leader sheets and 4,200
calendars) is written in well under a minute: the workbook is streamed (openpyxl's
write-only mode, with the same values and styles), each event's iCalendar text is made
once and reused by every calendar that holds it, and each person's items come from one
pass over the schedule.

:func:`read_schedule` reads a ``schedule.csv`` back (Chinese or English headers) for
``planner validate`` and ``planner status``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, vText
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.utils import get_column_letter

from models import FORM_ZH, SOURCE_ZH, Form, Pair, Plan, Problem, ScheduleItem, Source, Status
from planner.errors import InputError, InputProblem, Note
from planner.i18n import period_code, period_label, stage_name
from planner.io.names import unique_file_names
from planner.io.text import UndecodableText, decode_table_text, read_table_text
from planner.io.write import write_csv
from planner.io.xlsx import (
    BLANK,
    BORDER,
    LINE_PT,
    WIDE_FONT_PX,
    college_title,
    fit_scale,
    page_break_after,
    page_size,
    print_setup,
    wrapped_lines,
)
from planner.schema import choice_label, get_table, match_choice, norm_name, norm_text
from planner.values import date_problem, escape_cell, parse_date

SCHEDULE_COLUMNS = (
    "item_id",
    "cycle",
    "leader_id",
    "leader_name",
    "counselor_id",
    "counselor_name",
    "form",
    "period",
    "date",
    "window_start",
    "window_end",
    "status",
    "note",
    "calendar_source",
    "category",
    "stage",
)
"""Columns of ``schedule.csv``, in order."""

SCHEDULE_HEADERS_ZH: dict[str, str] = {
    "item_id": "事项编号",
    "cycle": "周期",
    "leader_id": "领导工号",
    "leader_name": "领导姓名",
    "counselor_id": "辅导员工号",
    "counselor_name": "辅导员姓名",
    "form": "形式",
    "period": "期间",
    "date": "日期",
    "window_start": "窗口开始",
    "window_end": "窗口结束",
    "status": "状态",
    "note": "说明",
    "calendar_source": "日历来源",
    "category": "类别",
    "stage": "发展阶段",
}
"""Chinese header of each schedule column (English headers are the keys)."""

PRODID = "-//counselor-planner//schedule//ZH"
UID_DOMAIN = "counselor-planner"
X_SOURCE = "X-COUNSELOR-PLANNER-SOURCE"
_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_CELL_LINES = 12  # lines per day in the month view; more are summarised
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")

Progress = Callable[[str], None]
"""Told, before each file is written, its name (``schedule.xlsx``), and how far a long one
has come (``schedule.xlsx (200/1200)`` leader sheets, ``ics/ (200/4201)`` per-person
calendars), for a progress message."""

_BATCH = 200  # leader sheets or per-person calendars between two progress calls


def _header(key: str, lang: str) -> str:
    return SCHEDULE_HEADERS_ZH[key] if lang == "zh" else key


def form_label(form: Form, lang: str) -> str:
    """定期约谈 … in Chinese; talk … in English."""
    return FORM_ZH[form] if lang == "zh" else form.value


def status_label(status: Status, lang: str) -> str:
    """已排/未排 or planned/unmet."""
    return status.zh if lang == "zh" else status.value


def source_label(source: Source, lang: str) -> str:
    """官方/自定义/估算 or official/override/estimated."""
    return SOURCE_ZH[source] if lang == "zh" else source.value


def _category(code: str, lang: str) -> str:
    return choice_label("events", "category", code, lang) if code else ""


def _name(problem: Problem, pid: str) -> str:
    p = problem.leader_by_id.get(pid) or problem.counselor_by_id.get(pid)
    return p.name if p else ""


def _say(progress: Progress | None, what: str) -> None:
    if progress is not None:
        progress(what)


def schedule_rows(
    problem: Problem, items: Iterable[ScheduleItem], lang: str = "zh"
) -> list[dict[str, str]]:
    """One dict per item keyed by :data:`SCHEDULE_COLUMNS`, in output order."""
    rows = []
    for it in sorted(items, key=ScheduleItem.sort_key):
        rows.append(
            {
                "item_id": it.item_id,
                "cycle": it.cycle,
                "leader_id": it.leader_id,
                "leader_name": _name(problem, it.leader_id),
                "counselor_id": it.counselor_id,
                "counselor_name": _name(problem, it.counselor_id),
                "form": form_label(it.form, lang),
                "period": period_label(it.period, lang),
                "date": it.date.isoformat() if it.date else "",
                "window_start": it.window_start.isoformat(),
                "window_end": it.window_end.isoformat(),
                "status": status_label(it.status, lang),
                "note": it.note(lang),
                "calendar_source": source_label(it.calendar_source, lang),
                "category": _category(it.category, lang),
                "stage": stage_name(it.stage, lang) if it.stage else "",
            }
        )
    return rows


def _write_rows_csv(path: Path, rows: Sequence[Mapping[str, str]], lang: str) -> None:
    write_csv(
        path,
        [_header(k, lang) for k in SCHEDULE_COLUMNS],
        [[r[k] for k in SCHEDULE_COLUMNS] for r in rows],
    )


def write_schedule_csv(
    path: Path, problem: Problem, items: Iterable[ScheduleItem], lang: str = "zh"
) -> None:
    """``schedule.csv``: one row per item, UTF-8 with BOM, by date then id, unmet last."""
    _write_rows_csv(path, schedule_rows(problem, items, lang), lang)


def _leaders_in_order(problem: Problem, items: Sequence[ScheduleItem]) -> list[str]:
    ids = {it.leader_id for it in items if it.leader_id}
    known = sorted((i for i in ids if i in problem.leader_by_id), key=problem.leader_rank)
    return known + sorted(ids - set(known))


def _items_by_person(
    items: Sequence[ScheduleItem], leaders: Sequence[str]
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Positions in ``items``, in one pass: of each leader's items (their pair items and
    the group items they can attend) and of each counselor's items."""
    by_leader: dict[str, list[int]] = {lid: [] for lid in leaders}
    by_counselor: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        if it.form.is_group:
            absent = set(it.absent)
            for lid in leaders:
                if lid == it.leader_id or lid not in absent:
                    by_leader[lid].append(i)
        elif it.leader_id in by_leader:
            by_leader[it.leader_id].append(i)
        if it.counselor_id:
            by_counselor[it.counselor_id].append(i)
    return by_leader, dict(by_counselor)


# ----- xlsx -----------------------------------------------------------------------------

_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_UNMET_FILL = PatternFill("solid", fgColor="FCE4D6")
_EST_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
_CENTER = Alignment(horizontal="center", vertical="center")
_BOLD = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=13)
_LEADER_COLUMNS = (
    "date",
    "form",
    "counselor_name",
    "counselor_id",
    "period",
    "status",
    "note",
    "window_start",
    "window_end",
    "calendar_source",
)


_LEADER_WIDTHS = (11, 9, 9, 9, 14, 6, 30, 11, 11, 8)
_OVERVIEW_COLUMNS = (
    ("date", 11),
    ("leader_name", 9),
    ("counselor_name", 9),
    ("form", 9),
    ("period", 14),
    ("status", 6),
    ("note", 26),
    ("window_start", 11),
    ("window_end", 11),
    ("calendar_source", 8),
    ("category", 9),
    ("stage", 8),
    ("leader_id", 9),
    ("counselor_id", 9),
    ("cycle", 10),
    ("item_id", 30),
)
"""The 总表's columns (all of :data:`SCHEDULE_COLUMNS`, in reading order) and widths."""


def _sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, no []:*?/\\)."""
    base = _SHEET_BAD.sub("_", name).strip("'") or "Sheet"
    title = base[:31]
    n = 2
    while title.casefold() in taken:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.casefold())
    return title


def _styled(
    ws: Any,
    value: object,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    alignment: Alignment | None = None,
    border: Border | None = None,
) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if border is not None:
        cell.border = border
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _dimension(ws: Any, ncols: int, nrows: int) -> None:
    """Give a write-only sheet its ``<dimension>`` (A1 to the last cell), which openpyxl
    leaves out there and which readers in read-only mode size the sheet by. Call before
    the first row."""
    ref = f"A1:{get_column_letter(ncols)}{nrows}"
    ws.calculate_dimension = lambda: ref


def _table(
    ws: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    fills: Mapping[int, Sequence[tuple[int, PatternFill]]] | None = None,
    widths: Sequence[float] | None = None,
) -> None:
    """Stream a table into a fresh write-only sheet: an optional bold title row, the
    header (bold, shaded, frozen), then ``rows`` (formula-escaped; an empty value is no
    cell). Columns get ``widths`` (default: as wide as the header and the first 200 rows,
    at most 60) and every row is as tall as its wrapped text. ``fills`` shades cells: row
    index in ``rows`` → (column index, fill)."""
    top = 1 if title is None else 2
    _dimension(ws, len(header), top + len(rows))  # size, view and widths go before row 1
    ws.freeze_panes = f"A{top + 1}"
    if widths is None:
        widths = [
            min(60, max(8, 1.6 * max([len(str(h))] + [len(str(row[c])) for row in rows[:200]])))
            for c, h in enumerate(header)
        ]
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    # A write-only sheet takes row heights before its rows: wrapped text needs them.
    for r, row in enumerate([header, *rows], start=top):
        lines = max(
            (wrapped_lines(str(v), w) for v, w in zip(row, widths, strict=False) if v), default=1
        )
        if lines > 1:
            ws.row_dimensions[r].height = LINE_PT * lines
    if title is not None:
        ws.append([_styled(ws, escape_cell(title), font=_TITLE_FONT)])
    ws.append([_styled(ws, h, font=_BOLD, fill=_HEAD_FILL, alignment=_HEAD_WRAP) for h in header])
    fills = fills or {}
    for r, row in enumerate(rows):
        values: list[object] = [
            _styled(ws, escape_cell(v), alignment=_WRAP) if v else None for v in row
        ]
        for c, fill in fills.get(r, ()):
            cell = values[c]
            if isinstance(cell, Cell):
                cell.fill = fill
            else:
                values[c] = _styled(ws, None, fill=fill)
        ws.append(values)


_SHORT_ZH = {Form.TALK: "约谈", Form.GUIDANCE: "指导", Form.CAREER: "规划"}


def _short(problem: Problem, it: ScheduleItem, lang: str) -> str:
    form = _SHORT_ZH.get(it.form, FORM_ZH[it.form]) if lang == "zh" else it.form.value
    if it.form.is_group:
        return form
    return f"{form} {_name(problem, it.leader_id) or it.leader_id}→{_name(problem, it.counselor_id) or it.counselor_id}"


_DAY_WIDTH = 20  # characters per weekday column: "约谈 赵振华→许沐阳" on one line
_DAY_LINE_PT = 15.0  # a line of 10-point text (CJK fonts are taller than Latin ones)
_DAY_FONT = Font(size=10)


def _month_sheet(
    ws: Any,
    problem: Problem,
    items: list[ScheduleItem],
    start: date,
    end: date,
    lang: str,
    title: str = "",
) -> None:
    """One month per printed page: the month's title, a weekday header (Monday first, one
    weekday per column) and its weeks, each day listing its items; a day with more items
    than its cell holds on the page ends with how many more (the 总表 lists them all)."""
    zh = lang == "zh"
    by_day: dict[date, list[ScheduleItem]] = defaultdict(list)
    for it in items:
        if it.date is not None:
            by_day[it.date].append(it)
    widths = [_DAY_WIDTH] * 7
    college = problem.settings.college
    scale = print_setup(
        ws,
        widths,
        college=college,
        name=title or "月历",
        scale=fit_scale(widths, px_per_char=WIDE_FONT_PX),
    )
    page = page_size()[1] * 100 / scale
    title_pt, head_pt = 26.0, 18.0
    rows: list[list[object]] = []
    heights: dict[int, float] = {}
    breaks: list[int] = []
    month = date(start.year, start.month, 1)
    while month <= end:
        name = f"{month.year}年{month.month}月" if zh else month.strftime("%B %Y")
        heights[len(rows) + 1] = title_pt
        rows.append([_styled(ws, f"{name} {title}".strip(), font=_TITLE_FONT)])
        heights[len(rows) + 1] = head_pt
        rows.append(
            [
                _styled(
                    ws,
                    _WEEKDAYS_ZH[c] if zh else _WEEKDAYS_EN[c],
                    font=_BOLD,
                    fill=_HEAD_FILL,
                    alignment=_CENTER,
                    border=BORDER,
                )
                for c in range(7)
            ]
        )
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        first = month - timedelta(days=month.weekday())
        weeks = [
            [first + timedelta(days=7 * w + d) for d in range(7)]
            for w in range(((nxt - first).days + 6) // 7)
        ]
        # The lines a day's cell may take so that the whole month fits on its page.
        fit_lines = max(2, int((page - title_pt - head_pt) / len(weeks) // _DAY_LINE_PT))
        for week in weeks:
            cells: list[object] = []
            tallest = 2
            for d in week:
                if d.month != month.month or not start <= d <= end:
                    cells.append(_styled(ws, None, border=BORDER))
                    continue
                texts = [_short(problem, it, lang) for it in by_day.get(d, [])]
                lines = [str(d.day)]
                used = 1
                for k, text in enumerate(texts):
                    need = wrapped_lines(text, _DAY_WIDTH)
                    rest = len(texts) - k
                    if used + need > fit_lines or (rest > 1 and used + need + 1 > fit_lines):
                        lines.append(f"……另有 {rest} 项" if zh else f"... {rest} more")
                        used += 1
                        break
                    lines.append(text)
                    used += need
                tallest = max(tallest, used)
                cells.append(
                    _styled(
                        ws,
                        escape_cell("\n".join(lines)),
                        font=_DAY_FONT,
                        alignment=_WRAP,
                        border=BORDER,
                    )
                )
            # At least a few lines a week, so the month reads as a calendar.
            heights[len(rows) + 1] = _DAY_LINE_PT * max(tallest, min(fit_lines, 5))
            rows.append(cells)
        breaks.append(len(rows))
        month = nxt
    _dimension(ws, 7, len(rows))
    for c in range(1, 8):
        ws.column_dimensions[get_column_letter(c)].width = _DAY_WIDTH
    for r, h in heights.items():
        ws.row_dimensions[r].height = h
    for r in breaks[:-1]:
        page_break_after(ws, r)
    for row in rows:
        ws.append(row)


def _write_xlsx(
    path: Path,
    problem: Problem,
    ordered: list[ScheduleItem],
    rows: Sequence[Mapping[str, str]],
    cycle_start: date,
    cycle_end: date,
    lang: str,
    progress: Progress | None = None,
) -> None:
    """The workbook of ``ordered`` (sorted items) and their ``rows``, streamed: each sheet
    is written in turn and closed."""
    zh = lang == "zh"
    settings = problem.settings
    college = settings.college
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    ws = wb.create_sheet(_sheet_title("总表", taken))
    # The 总表 leads with what a reader looks for; the item id stays, last. Its header is
    # row 1: this is the sheet a schedule.xlsx is read back from.
    cols = [k for k, _ in _OVERVIEW_COLUMNS]
    widths = [w for _, w in _OVERVIEW_COLUMNS]
    status_col = cols.index("status")
    source_col = cols.index("calendar_source")
    fills: dict[int, list[tuple[int, PatternFill]]] = {}
    for r, it in enumerate(ordered):
        marks = []
        if it.status is Status.UNMET:
            marks.append((status_col, _UNMET_FILL))
        if it.calendar_source is Source.ESTIMATED:
            marks.append((source_col, _EST_FILL))
        if marks:
            fills[r] = marks
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(rows) + 1}"
    cycle = ordered[0].cycle if ordered else ""
    overview = college_title(settings, f"领导干部联系服务辅导员日程总表({cycle})")
    print_setup(
        ws,
        widths,
        title_rows=(1, 1),
        paper=settings.wide_paper,
        college=college,
        name=overview if zh else f"schedule {cycle}",
        repeat_cols=4,
    )
    _table(
        ws,
        [_header(k, lang) for k in cols],
        [[r[k] for k in cols] for r in rows],
        fills=fills,
        widths=widths,
    )
    ws.close()

    ws = wb.create_sheet(_sheet_title("月历", taken))
    _month_sheet(
        ws, problem, ordered, cycle_start, cycle_end, lang, "联系日程" if zh else "schedule"
    )
    ws.close()

    leaders = _leaders_in_order(problem, ordered)
    by_leader, _ = _items_by_person(ordered, leaders)
    header = [_header(k, lang) for k in _LEADER_COLUMNS]
    for n, lid in enumerate(leaders):
        if n and n % _BATCH == 0:
            _say(progress, f"schedule.xlsx ({n}/{len(leaders)})")
        name = _name(problem, lid) or lid
        ws = wb.create_sheet(_sheet_title(name, taken))
        title = (
            f"{college.strip() or BLANK} {name}({lid})联系日程 {cycle}"
            if zh
            else f"{name} ({lid}) contact schedule {cycle}"
        )
        print_setup(
            ws, _LEADER_WIDTHS, title_rows=(2, 2), college=college, name=name, repeat_cols=2
        )
        lrows = [[rows[i][k] for k in _LEADER_COLUMNS] for i in by_leader[lid]]
        _table(ws, header, lrows, title=title, widths=_LEADER_WIDTHS)
        ws.close()
    wb.save(path)


def write_schedule_xlsx(
    path: Path,
    problem: Problem,
    items: Iterable[ScheduleItem],
    cycle_start: date,
    cycle_end: date,
    lang: str = "zh",
) -> None:
    """``schedule.xlsx``: 总表, 月历 and one sheet per leader (named by the leader's name)."""
    ordered = sorted(items, key=ScheduleItem.sort_key)
    rows = schedule_rows(problem, ordered, lang)
    _write_xlsx(path, problem, ordered, rows, cycle_start, cycle_end, lang)


# ----- iCalendar ----------------------------------------------------------------------------

_END_CALENDAR = b"END:VCALENDAR\r\n"
_BEGIN_EVENT = b"BEGIN:VEVENT\r\n"
_END_EVENT = b"END:VEVENT\r\n"
_FOLD_AT = 75
_TEXT_PROPS = frozenset({"UID", "SUMMARY", "DESCRIPTION"})  # TEXT values (RFC 5545 §3.8)


def _stamp(cycle_start: date) -> datetime:
    """DTSTAMP from the inputs (the cycle start, 00:00 UTC), never the clock."""
    return datetime(cycle_start.year, cycle_start.month, cycle_start.day, tzinfo=UTC)


def _event_props(
    problem: Problem, it: ScheduleItem, stamp: datetime, lang: str
) -> list[tuple[str, Any]]:
    """The event's properties, (name, value) as given to :meth:`icalendar.Event.add`."""
    zh = lang == "zh"
    assert it.date is not None
    form = form_label(it.form, lang)
    if it.form.is_group:
        summary = form
    else:
        ln = _name(problem, it.leader_id) or it.leader_id
        cn = _name(problem, it.counselor_id) or it.counselor_id
        summary = f"{form}:{ln}—{cn}" if zh else f"{form}: {ln} - {cn}"
    source = source_label(it.calendar_source, lang)
    lines = [
        (f"期间:{period_label(it.period, lang)}" if zh else f"Period: {it.period}"),
        (
            f"窗口:{it.window_start}—{it.window_end}"
            if zh
            else f"Window: {it.window_start} to {it.window_end}"
        ),
        (f"日历来源:{source}" if zh else f"Calendar source: {source}"),
    ]
    note = it.note(lang)
    if note:
        lines.append(f"说明:{note}" if zh else f"Note: {note}")
    lines.append(f"事项编号:{it.item_id}" if zh else f"Item id: {it.item_id}")
    return [
        ("UID", f"{it.item_id}@{UID_DOMAIN}"),
        ("DTSTAMP", stamp),
        ("DTSTART", it.date),
        ("DTEND", it.date + timedelta(days=1)),
        ("SUMMARY", summary),
        ("DESCRIPTION", "\n".join(lines)),
        ("CATEGORIES", [form]),
        (X_SOURCE, it.calendar_source.value),
    ]


def _event(problem: Problem, it: ScheduleItem, stamp: datetime, lang: str) -> Event:
    ev = Event()
    for name, value in _event_props(problem, it, stamp, lang):
        ev.add(name, value)
    return ev


def _fold(line: bytes) -> bytes:
    """Fold a content line as icalendar does (RFC 5545 §3.1): pieces of at most 74 octets,
    never splitting a UTF-8 character, a piece never ending in a backslash or caret (it
    moves to the next piece), each next piece after CRLF and a space."""
    if len(line) < _FOLD_AT:
        return line
    pieces = []
    start = 0
    while len(line) - start >= _FOLD_AT:
        end = start + _FOLD_AT - 1
        while line[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        if line[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


class _EventText:
    """Each event's iCalendar text (``BEGIN:VEVENT`` … ``END:VEVENT``), byte for byte what
    :meth:`icalendar.Event.to_ical` writes for :func:`_event`, made much faster: the
    values of ``UID``, ``SUMMARY`` and ``DESCRIPTION`` (TEXT, mostly unique) are escaped by
    icalendar's :class:`~icalendar.vText` and folded by :func:`_fold`; the other values
    (stamp, dates, category, source) repeat, so each is rendered once by icalendar itself."""

    def __init__(self, problem: Problem, cycle_start: date, lang: str) -> None:
        self.problem = problem
        self.lang = lang
        self.stamp = _stamp(cycle_start)
        self._order: list[str] | None = None
        self._lines: dict[tuple[str, object], bytes] = {}

    def _line(self, name: str, value: Any) -> bytes:
        """The property's content line, CRLF included."""
        if name in _TEXT_PROPS:
            return _fold(name.encode("ascii") + b":" + vText(value).to_ical()) + b"\r\n"
        key = (name, tuple(value) if isinstance(value, list) else value)
        line = self._lines.get(key)
        if line is None:
            ev = Event()
            ev.add(name, value)
            line = ev.to_ical()[len(_BEGIN_EVENT) : -len(_END_EVENT)]
            self._lines[key] = line
        return line

    def __call__(self, it: ScheduleItem) -> bytes:
        props = dict(_event_props(self.problem, it, self.stamp, self.lang))
        if self._order is None:  # icalendar's property order, from one event it builds
            ev = Event()
            for name, value in props.items():
                ev.add(name, value)
            self._order = [str(k) for k in ev.sorted_keys()]
        return b"".join([_BEGIN_EVENT, *(self._line(n, props[n]) for n in self._order), _END_EVENT])


def _new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # A name typed with Alt+Enter in Excel holds a line break, which a calendar name may not.
    cal.add("x-wr-calname", " ".join(name.split()))
    return cal


def _calendar_head(name: str) -> bytes:
    """A calendar's text before its events."""
    text = _new_calendar(name).to_ical()
    assert text.endswith(_END_CALENDAR)
    return text[: -len(_END_CALENDAR)]


def schedule_calendar(
    problem: Problem, items: Iterable[ScheduleItem], cycle_start: date, name: str, lang: str = "zh"
) -> Calendar:
    """An iCalendar of the planned ``items``: all-day events, deterministic stamps and UIDs.

    :func:`write_ics_files` writes the same bytes as this calendar's ``to_ical()``, faster.
    """
    cal = _new_calendar(name)
    stamp = _stamp(cycle_start)
    for it in sorted(items, key=ScheduleItem.sort_key):
        if it.date is not None and it.status is Status.PLANNED:
            cal.add_component(_event(problem, it, stamp, lang))
    return cal


def ics_file_names(
    problem: Problem, items: Iterable[ScheduleItem]
) -> tuple[dict[str, str], dict[str, str], list[Note]]:
    """The ``ics/`` file name of each leader and counselor with a pair item, and notes.

    Names are ``领导-<id>.ics`` / ``辅导员-<id>.ics``, unique even where case is ignored
    (Windows, macOS) and for ids holding characters no file name may (``c/3`` →
    ``辅导员-c%2F3.ics``, never the same file as ``c_3``); one note lists every name that is not
    the id as written.

    Returns
    -------
    tuple
        (leader id → file name, counselor id → file name, notes).
    """
    ordered = sorted(items, key=ScheduleItem.sort_key)
    leaders = _leaders_in_order(problem, ordered)
    counselors = sorted({it.counselor_id for it in ordered if it.counselor_id})
    lnames, lchanged = unique_file_names(leaders, lambda p: f"领导-{p}.ics")
    cnames, cchanged = unique_file_names(counselors, lambda p: f"辅导员-{p}.ics")
    notes: list[Note] = []
    if lchanged or cchanged:
        shown = [(f"领导工号 {i}", f"leader id {i}", n) for i, n in lchanged] + [
            (f"辅导员工号 {i}", f"counselor id {i}", n) for i, n in cchanged
        ]
        zh = "、".join(f"{a} → ics/{n}" for a, _, n in shown[:10])
        en = "; ".join(f"{b} → ics/{n}" for _, b, n in shown[:10])
        more_zh = f" 等 {len(shown)} 个" if len(shown) > 10 else ""
        more_en = f" ({len(shown)} in all)" if len(shown) > 10 else ""
        notes.append(
            Note(
                f"以下日历文件名与工号不同(工号含有文件名不能用的字符,或几个工号只差大小写,"
                f"为免互相覆盖作了改写):{zh}{more_zh}",
                "these calendar file names differ from the ids (an id holds characters a file "
                "name cannot, or ids differ only in case; renamed so none overwrites another): "
                f"{en}{more_en}",
            )
        )
    return lnames, cnames, notes


def write_ics_files(
    out: Path,
    problem: Problem,
    items: Iterable[ScheduleItem],
    cycle_start: date,
    lang: str = "zh",
    *,
    progress: Progress | None = None,
) -> list[Path]:
    """``schedule.ics`` plus ``ics/领导-<id>.ics`` and ``ics/辅导员-<id>.ics`` in ``out``.

    A leader's calendar holds their pair items and the group items they can attend; a
    counselor's calendar their pair items. Every leader and counselor with a pair item gets
    a file, even if all their items are unmet. Each event's text is made once and shared
    by the calendars that hold it.
    """
    zh = lang == "zh"
    ordered = sorted(items, key=ScheduleItem.sort_key)
    cycle = ordered[0].cycle if ordered else ""
    event_text = _EventText(problem, cycle_start, lang)
    events = [
        event_text(it) if it.date is not None and it.status is Status.PLANNED else b""
        for it in ordered
    ]

    def calendar(name: str, positions: Iterable[int]) -> bytes:
        return b"".join([_calendar_head(name), *(events[i] for i in positions), _END_CALENDAR])

    _say(progress, "schedule.ics")
    path = out / "schedule.ics"
    title = f"领导干部联系辅导员日程 {cycle}" if zh else f"Leader-counselor contacts {cycle}"
    path.write_bytes(calendar(title, range(len(ordered))))
    written = [path]
    folder = out / "ics"
    folder.mkdir(parents=True, exist_ok=True)
    leaders = _leaders_in_order(problem, ordered)
    by_leader, by_counselor = _items_by_person(ordered, leaders)
    lnames, cnames, _notes = ics_file_names(problem, ordered)
    jobs = [(lnames[lid], lid, by_leader[lid]) for lid in leaders] + [
        (cnames[cid], cid, by_counselor[cid]) for cid in sorted(by_counselor)
    ]
    for n, (file, pid, positions) in enumerate(jobs):
        if n % _BATCH == 0:
            _say(progress, f"ics/ ({n}/{len(jobs)})")
        path = folder / file
        path.write_bytes(calendar(f"{_name(problem, pid) or pid} {cycle}", positions))
        written.append(path)
    return written


def write_schedule_files(
    out: Path,
    problem: Problem,
    items: Iterable[ScheduleItem],
    cycle_start: date,
    cycle_end: date,
    lang: str = "zh",
    *,
    progress: Progress | None = None,
) -> list[Path]:
    """Write ``schedule.csv``, ``schedule.xlsx`` and the ``.ics`` files into ``out``.

    Parameters
    ----------
    out
        The folder (for an atomic run, the staging folder of
        :func:`planner.io.write.staged_output`).
    problem
        For names.
    items
        The schedule's items.
    cycle_start, cycle_end
        The cycle: the month view spans it and the ``.ics`` stamps derive from its start.
    lang
        zh (default) or en: headers and values.
    progress
        Told each file's name before it is written (see :data:`Progress`).

    Returns
    -------
    list[Path]
        The files written.
    """
    ordered = sorted(items, key=ScheduleItem.sort_key)
    rows = schedule_rows(problem, ordered, lang)
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "schedule.csv"
    _say(progress, "schedule.csv")
    _write_rows_csv(csv_path, rows, lang)
    xlsx_path = out / "schedule.xlsx"
    _say(progress, "schedule.xlsx")
    _write_xlsx(xlsx_path, problem, ordered, rows, cycle_start, cycle_end, lang, progress)
    ics = write_ics_files(out, problem, ordered, cycle_start, lang, progress=progress)
    return [csv_path, xlsx_path, *ics]


# ----- reading back -----------------------------------------------------------------------

# Also the words of the records table (约谈, 交流会, 推进会, 总结) so a hand-typed file reads.
_FORM_ALIASES = {
    "约谈": Form.TALK,
    "交流会": Form.EXCHANGE,
    "推进会": Form.EXCHANGE,
    "总结": Form.SUMMARY,
}
_FORMS = {norm_name(n): f for f in Form for n in (f.value, FORM_ZH[f])} | {
    norm_name(n): f for n, f in _FORM_ALIASES.items()
}
_STATUSES = {norm_name(n): s for s in Status for n in (s.value, s.zh)}
_SOURCES = {norm_name(n): s for s in Source for n in (s.value, SOURCE_ZH[s])}
_HEADERS = {norm_name(n): k for k, zh in SCHEDULE_HEADERS_ZH.items() for n in (k, zh)}


def _cell(text: str) -> str:
    text = norm_text(text)
    # The writers put an apostrophe before =, +, - and @ so no spreadsheet runs the cell.
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(path: Path) -> tuple[list[list[str]], str]:
    """Rows of the 总表 sheet (else the first) as text, and the sheet's name."""
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = _schedule_sheet(wb)
        rows = [[_xlsx_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        return rows, ws.title
    finally:
        wb.close()


def read_schedule(path: Path) -> list[ScheduleItem]:
    """Read a ``schedule.csv`` back into items (Chinese or English headers and values).

    Parameters
    ----------
    path
        The CSV (UTF-8 with or without BOM, or GB18030), or a ``schedule.xlsx`` (its 总表
        sheet, else the first).

    Returns
    -------
    list[ScheduleItem]
        In file order, each with ``row`` set to its spreadsheet row (header = 1).

    Raises
    ------
    InputError
        Every missing column or unreadable cell, with file, row, column and value.
    """
    file = path.name
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows, sheet = _xlsx_rows(path)
        file = f"{file}[{sheet}]"
    else:
        rows = list(csv.reader(io.StringIO(read_table_text(path))))
    problems: list[InputProblem] = []
    if not rows:
        raise InputError([InputProblem(file, "文件是空的", "the file is empty")])
    head = [_cell(h) for h in rows[0]]
    cols: dict[str, int] = {}
    for i, h in enumerate(head):
        key = _HEADERS.get(norm_name(h))
        if key is not None and key not in cols:
            cols[key] = i
    # The columns a schedule cannot be read without. The window columns come as a pair: a
    # file without both (an older or hand-made one) has each item's window on its date.
    required = ["item_id", "leader_id", "counselor_id", "form", "date"]
    if "window_start" in cols or "window_end" in cols:
        required += ["window_start", "window_end"]
    for key in required:
        if key not in cols:
            problems.append(
                InputProblem(
                    file,
                    f"缺少必填列“{SCHEDULE_HEADERS_ZH[key]}”",
                    f"required column '{key}' is missing",
                    column=SCHEDULE_HEADERS_ZH[key],
                )
            )
    if "item_id" not in cols or "form" not in cols:
        raise InputError(problems)  # no row can be read; the cells would only repeat it

    def get(row: list[str], key: str) -> str:
        i = cols.get(key)
        return _cell(row[i]) if i is not None and i < len(row) else ""

    items = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue

        def bad(key: str, value: str, zh: str, en: str, n: int = n) -> None:
            problems.append(
                InputProblem(
                    file, zh, en, row=n, column=head[cols[key]] if key in cols else key, value=value
                )
            )

        iid = get(row, "item_id")
        parts = iid.split("/")
        form_text = get(row, "form")
        form = _FORMS.get(norm_name(form_text))
        if form is None:
            bad("form", form_text, "无法识别的形式", "unknown form")
            continue
        day_text = get(row, "date")
        day = parse_date(day_text) if day_text else None
        if day_text and day is None:
            bad("date", day_text, *date_problem(day_text))
        status_text = get(row, "status")
        if status_text:
            status = _STATUSES.get(norm_name(status_text))
            if status is None:
                bad(
                    "status",
                    status_text,
                    "状态应为 已排 或 未排",
                    "status must be planned or unmet",
                )
                continue
        else:
            status = Status.PLANNED if day else Status.UNMET
        source = _SOURCES.get(norm_name(get(row, "calendar_source")), Source.OFFICIAL)
        windows = []
        for key in ("window_start", "window_end"):
            w = get(row, key)
            wd = parse_date(w) if w else None
            if w and wd is None:
                bad(key, w, *date_problem(w))
            windows.append(wd or day or date.min)
        category_text = get(row, "category")
        category = (
            match_choice(get_table("events").column("category"), category_text) or category_text
            if category_text
            else ""
        )
        note = get(row, "note")
        items.append(
            ScheduleItem(
                item_id=iid,
                cycle=get(row, "cycle") or (parts[0] if parts else ""),
                leader_id=get(row, "leader_id"),
                counselor_id=get(row, "counselor_id"),
                form=form,
                period=period_code(get(row, "period")) or (parts[-1] if parts else ""),
                date=day,
                window_start=windows[0],
                window_end=windows[1],
                status=status,
                note_zh=note,
                note_en=note,
                calendar_source=source,
                category=category,
                stage=get(row, "stage"),
                row=n,
            )
        )
    if problems:
        raise InputError(problems)
    return items


def looks_like_schedule(path: Path) -> bool:
    """Whether ``path`` is a schedule CSV (its header has 事项编号/item_id and 形式/form).

    ``planner validate DATA FILE`` uses it to tell a schedule from a plan.
    """
    if not path.is_file():
        return False
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        # The product's own schedule.xlsx: its 总表 sheet (else the first visible one).
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # not a workbook: the plan reader names the file and the problem
            return False
        try:
            ws = _schedule_sheet(wb)
            head = [_xlsx_text(v) for v in next(ws.iter_rows(max_row=1, values_only=True), ())]
        finally:
            wb.close()
    elif path.suffix.lower() == ".csv":
        with path.open("rb") as fh:
            first = fh.readline()
        try:
            head = next(csv.reader([decode_table_text(first)]))
        except (StopIteration, UndecodableText):
            return False
    else:
        return False
    keys = {_HEADERS.get(norm_name(_cell(h))) for h in head}
    return {"item_id", "form"} <= keys


def _schedule_sheet(wb: Any) -> Any:
    visible = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    for ws in visible:
        if ws.title == "总表":
            return ws
    return (visible or wb.worksheets)[0]


def schedule_plan(items: Iterable[ScheduleItem], cycle: str | None = None) -> Plan:
    """The plan a schedule serves: the pairs of its pair items (for validating a schedule
    handed in without its plan; a pair with no line at all cannot be noticed this way)."""
    item_list = list(items)
    label = cycle or next((i.cycle for i in item_list if i.cycle), "")
    keys = sorted({(i.leader_id, i.counselor_id) for i in item_list if not i.form.is_group})
    return Plan(cycle=label, pairs=tuple(Pair(leader_id=a, counselor_id=b) for a, b in keys))
