"""Working days: the official Chinese calendar, ``calendar.toml`` overrides, and an estimate.

Precedence, per day (CONTRACT.md §8):

1. **override** — ``closed`` (放假) and ``workdays`` (调休上班) from ``calendar.toml``; a date
   in both is closed, because ``closed`` always wins.
2. **official** — the State Council schedule as published in ``chinesecalendar``
   (import name ``chinese_calendar``) for the years it knows: statutory holidays off, 调休
   make-up workdays on.
3. **estimated** — for years the library does not know yet, an estimate from the holiday rules
   (below). Every such day carries :attr:`Source.ESTIMATED`; :meth:`WorkdayProvider.warning_zh`
   says which years and how to fix it, and ``strict=True`` refuses them
   (:class:`EstimatedYearRefused`).

Estimate rules
--------------
They follow the 2025+ statutory days (国务院关于修改《全国年节及纪念日放假办法》的决定,
2024-11): 元旦 1 day, 春节 4 days (除夕–初三), 清明 1, 劳动节 2 (May 1–2), 端午 1, 中秋 1,
国庆节 3 (Oct 1–3); and the usual way the yearly notice arranges them:

- Saturdays and Sundays are off unless made a make-up workday (调休上班).
- Single-day holidays (元旦 Jan 1; 清明 on the solar term, April 4 or 5, from
  ``chinese_calendar.get_solar_terms``; 端午 lunar 5/5; 中秋 lunar 8/15, from ``lunardate``)
  join their weekend into three days off: on Monday or Friday the adjacent weekend; on Tuesday
  Sun–Tue (Monday bridged); on Thursday Thu–Sat (Friday bridged); on Saturday or Sunday Sat–Mon
  (Monday in lieu). On Wednesday only the day itself.
- 春节: eight days from 除夕 (the day before lunar 1/1) inclusive.
- 劳动节: May 1–5.
- 国庆节: Oct 1–7; when 中秋 falls between Sep 29 and Oct 8 the two merge into eight days
  starting on the earlier of 中秋 and Oct 1.
- Make-up workdays: a block owes ``(weekdays off) - (statutory days)`` of them. Candidates are
  weekend days within two weeks of the block that are not off for a holiday and that extend an
  ordinary working week (a Saturday after a working Friday, a Sunday before a working Monday).
  One owed: the candidate nearest the block (before it on a tie). More: alternately the nearest
  before and the nearest after.
- 元旦 of the following year is included, so a Monday Dec 31 bridge and a Saturday Dec 29
  make-up land in the right year.

Against the published schedules (``chinesecalendar`` 1.11.0) the estimate agrees on every
day of 2025 and 2026, the first years under the 2025 rules, and on 99.5 % of 2024 (old rules:
除夕 a workday, a one-day 劳动节); 2008–2023, under older rules, 95–99.5 %. Unusual
arrangements (extra bridge days, a changed make-up day) are not predicted; that is why
estimated days are marked.
The lunar conversion covers 1900–2099; other years raise :class:`ValueError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import chinese_calendar
from lunardate import LunarDate

from models import Source

#: ``official(d) -> (working, name_zh)``; raises :class:`NotImplementedError` for a year whose
#: schedule it does not know (as ``chinese_calendar`` does).
OfficialLookup = Callable[[date], tuple[bool, str]]

WEEKEND = "周末"
MAKEUP_WORKDAY = "调休上班"
CLOSED = "放假"

NEW_YEAR = "元旦"
SPRING_FESTIVAL = "春节"
QINGMING = "清明"
LABOUR_DAY = "劳动节"
DRAGON_BOAT = "端午"
MID_AUTUMN = "中秋"
NATIONAL_DAY = "国庆节"


@dataclass(frozen=True)
class CalendarForm:
    """The form the office keeps its calendar in, so a hint names what the clerk edits.

    ``kind`` is ``toml`` (``calendar.toml``), ``table`` (a 校历 sheet of a workbook, or a
    ``校历.csv``/``.xlsx`` file: ``file`` and ``sheet`` name it) or ``none`` (no calendar yet;
    ``workbook`` names DATA when it is one workbook, so the hint says "add a 校历 sheet").
    """

    kind: str = "none"
    file: str = "calendar.toml"
    sheet: str | None = None
    workbook: str | None = None

    def _where_zh(self) -> str:
        if self.kind == "toml":
            return self.file
        if self.kind == "table":
            return f"{self.file} 的“{self.sheet}”工作表" if self.sheet else self.file
        if self.workbook:
            return f"{self.workbook} 中新建的“校历”工作表"
        return "数据文件夹中新建的 校历.xlsx(或 校历.csv)"

    def _where_en(self) -> str:
        if self.kind == "toml":
            return self.file
        if self.kind == "table":
            return f"sheet '{self.sheet}' of {self.file}" if self.sheet else self.file
        if self.workbook:
            return f"a new sheet 校历 in {self.workbook}"
        return "a new file 校历.xlsx (or 校历.csv) in the data folder"

    def holidays_fix(self) -> tuple[str, str]:
        """What to do once the State Council announces a year's holidays (zh, en)."""
        if self.kind == "toml":
            return (
                f"国务院公布放假安排后,请在 {self.file} 的 closed(放假日期)和 workdays"
                "(调休上班日期)中填入通知里的日期。",
                f"Once the State Council announces them, add the notice's days off to closed "
                f"and its make-up working days to workdays in {self.file}.",
            )
        return (
            f"国务院公布放假安排后,请在{self._where_zh()}中按通知加“放假”行和“调休上班”行"
            "(填类型、开始日期、结束日期)。",
            f"Once the State Council announces them, add rows of kind 放假 (days off) and "
            f"调休上班 (make-up working days) with their dates to {self._where_en()}.",
        )

    def semesters_fix(self) -> tuple[str, str]:
        """What to do to list the semesters (zh, en)."""
        if self.kind == "toml":
            return (
                f"学校公布校历后,请在 {self.file} 中用 [[semester]] 补入这些学期"
                "(name、start、end)。",
                f"Add them to {self.file} as [[semester]] entries (name, start, end) once the "
                "college publishes its calendar.",
            )
        return (
            f"学校公布校历后,请在{self._where_zh()}中补入这些学期(类型填“学期”,"
            "再填名称、开始日期、结束日期)。",
            f"Add them to {self._where_en()} as rows of kind 学期 (name, start, end) once the "
            "college publishes its calendar.",
        )

    def cycle_start_fix(self) -> tuple[str, str]:
        """How to give the cycle's first day (zh, en)."""
        if self.kind == "toml":
            return (
                f"如不对,请在 {self.file} 中写 cycle_start = 2027-03-01。",
                f"If wrong, write cycle_start = 2027-03-01 in {self.file}.",
            )
        return (
            f"如不对,请在{self._where_zh()}中加一行“周期开始”(填开始日期)。",
            f"If wrong, add a row of kind 周期开始 with its start date to {self._where_en()}.",
        )


_TOML_FORM = CalendarForm("toml")

_ONE_DAY = timedelta(days=1)
_MAKEUP_SEARCH_DAYS = 14


@dataclass(frozen=True)
class DayInfo:
    """One calendar day.

    ``name`` is the holiday's Chinese name when off for a holiday (春节, 国庆节, …),
    ``调休上班`` for a make-up workday, ``周末`` for an ordinary weekend, ``放假`` for a day
    closed by ``calendar.toml``, and ``''`` for an ordinary workday.
    """

    day: date
    working: bool
    source: Source
    name: str


class EstimatedYearRefused(Exception):
    """``--strict`` refused a year whose holiday schedule would be estimated.

    Likely cause: the State Council has not announced that year's schedule, or it is announced
    but the installed ``chinesecalendar`` predates it. Fix: add the notice's dates to
    ``calendar.toml`` (``closed`` / ``workdays``), upgrade ``chinesecalendar``, or drop
    ``--strict`` to accept the estimate.
    """

    def __init__(self, year: int, form: CalendarForm = _TOML_FORM) -> None:
        self.year = year
        self.form = form
        super().__init__(f"{self.message_zh}\n{self.message_en}")

    @property
    def message_zh(self) -> str:
        """The message in Chinese."""
        return (
            f"--strict:{self.year} 年的国务院放假安排尚未收录,拒绝按规则估算。"
            + self.form.holidays_fix()[0]
        )

    @property
    def message_en(self) -> str:
        """The message in English."""
        return (
            f"--strict: the State Council holiday schedule for {self.year} is not included; "
            "refusing to estimate it. " + self.form.holidays_fix()[1]
        )


def official_known_years() -> tuple[int, int]:
    """First and last year whose official schedule ``chinesecalendar`` knows.

    Returns
    -------
    tuple[int, int]
        Inclusive range, e.g. ``(2004, 2026)`` for chinesecalendar 1.11.0.
    """
    known = chinese_calendar.holidays.keys()
    return min(known).year, max(known).year


_HOLIDAY_ZH: dict[str, str] = {h.value: h.chinese for h in chinese_calendar.Holiday}


def chinese_calendar_lookup(d: date) -> tuple[bool, str]:
    """The official status of ``d`` from ``chinesecalendar``: ``(working, name_zh)``.

    Raises
    ------
    NotImplementedError
        If the library has no data for ``d``'s year.
    """
    off, name = chinese_calendar.get_holiday_detail(d)
    if name is None:
        return not off, WEEKEND if off else ""
    if off:
        return False, _HOLIDAY_ZH.get(name, name)
    return True, MAKEUP_WORKDAY


# --- estimate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """A run of consecutive days off for one holiday and the statutory days it contains."""

    off: dict[date, str]
    statutory: int

    @property
    def first(self) -> date:
        return min(self.off)

    @property
    def last(self) -> date:
        return max(self.off)


def _span(start: date, days: int, name: str) -> dict[date, str]:
    return {start + timedelta(days=i): name for i in range(days)}


def _single_day(day: date, name: str) -> _Block:
    """A one-statutory-day holiday joined to its weekend into three or four days off."""
    start, length = {
        0: (-2, 3),  # Monday: Sat–Mon
        1: (-2, 3),  # Tuesday: Sun–Tue, Monday bridged (the Saturday before owed back)
        2: (0, 1),  # Wednesday: the day alone
        3: (0, 3),  # Thursday: Thu–Sat, Friday bridged (the Sunday after owed back)
        4: (0, 3),  # Friday: Fri–Sun
        5: (0, 3),  # Saturday: Sat–Mon, Monday in lieu
        6: (-1, 3),  # Sunday: Sat–Mon, Monday in lieu
    }[day.weekday()]
    return _Block(_span(day + timedelta(days=start), length, name), 1)


def _lunar(year: int, month: int, day: int) -> date:
    solar: date = LunarDate(year, month, day).to_solar_date()
    return solar


def _qingming(year: int) -> date:
    for day, name in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30)):
        if name == QINGMING:
            return date(day.year, day.month, day.day)
    return date(year, 4, 5)  # not reached for 1900-2100; the usual date as a fallback


def _blocks(year: int) -> list[_Block]:
    """Holiday blocks of ``year`` under the estimate rules, plus 元旦 of ``year + 1``."""
    eve = _lunar(year, 1, 1) - _ONE_DAY
    blocks = [
        _single_day(date(year, 1, 1), NEW_YEAR),
        _Block(_span(eve, 8, SPRING_FESTIVAL), 4),
        _single_day(_qingming(year), QINGMING),
        _Block(_span(date(year, 5, 1), 5, LABOUR_DAY), 2),
        _single_day(_lunar(year, 5, 5), DRAGON_BOAT),
    ]
    mid_autumn = _lunar(year, 8, 15)
    if date(year, 9, 29) <= mid_autumn <= date(year, 10, 8):
        merged = _span(min(mid_autumn, date(year, 10, 1)), 8, NATIONAL_DAY)
        merged[mid_autumn] = MID_AUTUMN
        blocks.append(_Block(merged, 4))
    else:
        blocks.append(_single_day(mid_autumn, MID_AUTUMN))
        blocks.append(_Block(_span(date(year, 10, 1), 7, NATIONAL_DAY), 3))
    blocks.append(_single_day(date(year + 1, 1, 1), NEW_YEAR))
    return blocks


def _makeup_days(blocks: list[_Block], off: dict[date, str]) -> set[date]:
    makeups: set[date] = set()

    def plain_workday(d: date) -> bool:
        return d.weekday() < 5 and d not in off

    def candidate(d: date) -> bool:
        if d in off or d in makeups:
            return False
        if d.weekday() == 5:
            return plain_workday(d - _ONE_DAY)
        if d.weekday() == 6:
            return plain_workday(d + _ONE_DAY)
        return False

    for block in blocks:
        owed = sum(1 for d in block.off if d.weekday() < 5) - block.statutory
        if owed <= 0:
            continue
        steps = range(1, _MAKEUP_SEARCH_DAYS + 1)
        before = [block.first - timedelta(days=i) for i in steps]
        after = [block.last + timedelta(days=i) for i in steps]
        before = [d for d in before if candidate(d)]
        after = [d for d in after if candidate(d)]
        if owed == 1:
            # nearest to the block; on a tie the one before (False sorts first)
            options = [((block.first - d).days, False, d) for d in before[:1]]
            options += [((d - block.last).days, True, d) for d in after[:1]]
            chosen = [min(options)[2]] if options else []
        else:
            chosen = []
            for i in range(max(len(before), len(after))):
                chosen.extend(before[i : i + 1] + after[i : i + 1])
            chosen = chosen[:owed]
        makeups.update(chosen)
    return makeups


def estimate_year(year: int) -> dict[date, DayInfo]:
    """Estimate ``year``'s working days from the holiday rules (see the module docstring).

    Parameters
    ----------
    year
        1900–2099 (the range of the lunar conversion).

    Returns
    -------
    dict[date, DayInfo]
        Every day of ``year``, each with :attr:`Source.ESTIMATED`.

    Raises
    ------
    ValueError
        If ``year`` is outside 1900–2099.
    """
    if not 1900 <= year <= 2099:
        raise ValueError(
            f"{year} 年超出农历换算范围(1900–2099),无法估算放假安排。"
            f" / {year} is outside the lunar conversion range (1900-2099); cannot estimate it."
        )
    blocks = _blocks(year)
    off: dict[date, str] = {}
    for block in blocks:
        off.update(block.off)
    makeups = _makeup_days(blocks, off)
    result: dict[date, DayInfo] = {}
    d = date(year, 1, 1)
    while d.year == year:
        if d in makeups:
            working, name = True, MAKEUP_WORKDAY
        elif d in off:
            working, name = False, off[d]
        elif d.weekday() >= 5:
            working, name = False, WEEKEND
        else:
            working, name = True, ""
        result[d] = DayInfo(d, working, Source.ESTIMATED, name)
        d += _ONE_DAY
    return result


# --- provider -----------------------------------------------------------------------------


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def _days(start: date, end: date) -> Iterable[date]:
    d = start
    while d <= end:
        yield d
        d += _ONE_DAY


class WorkdayProvider:
    """Working day or not, for any date, with where the answer comes from.

    Each year is computed once, on first use; afterwards :meth:`is_working` is one dict lookup.

    Parameters
    ----------
    closed
        Extra days off from ``calendar.toml`` (放假); they always win.
    workdays
        Extra working days from ``calendar.toml`` (调休上班); they win over the official and
        estimated calendars, but not over ``closed``.
    strict
        Refuse estimated years: :meth:`info`, :meth:`is_working` and :meth:`working_days` raise
        :class:`EstimatedYearRefused` for a day that would be estimated.
    official
        ``official(d) -> (working, name_zh)``, raising :class:`NotImplementedError` for unknown
        years. Defaults to :func:`chinese_calendar_lookup`; tests inject fakes.
    """

    def __init__(
        self,
        closed: Iterable[date] = (),
        workdays: Iterable[date] = (),
        *,
        strict: bool = False,
        official: OfficialLookup | None = None,
        form: CalendarForm = _TOML_FORM,
    ) -> None:
        self.form = form
        self._closed = frozenset(_as_date(d) for d in closed)
        self._workdays = frozenset(_as_date(d) for d in workdays) - self._closed
        self._strict = strict
        self._official = official if official is not None else chinese_calendar_lookup
        self._info: dict[date, DayInfo] = {}
        self._working: dict[date, bool] = {}
        self._built: set[int] = set()
        self._official_years: dict[int, bool] = {}

    # per-year precompute

    def _has_official(self, year: int) -> bool:
        known = self._official_years.get(year)
        if known is None:
            try:
                self._official(date(year, 1, 1))
                known = True
            except NotImplementedError:
                known = False
            self._official_years[year] = known
        return known

    def _build_year(self, year: int) -> None:
        infos: dict[date, DayInfo] = {}
        if self._has_official(year):
            for d in _days(date(year, 1, 1), date(year, 12, 31)):
                working, name = self._official(d)
                infos[d] = DayInfo(d, working, Source.OFFICIAL, name)
        elif not self._strict:
            infos = estimate_year(year)
        for d in self._workdays:
            if d.year == year:
                infos[d] = DayInfo(d, True, Source.OVERRIDE, MAKEUP_WORKDAY)
        for d in self._closed:
            if d.year == year:
                infos[d] = DayInfo(d, False, Source.OVERRIDE, CLOSED)
        self._info.update(infos)
        self._working.update((d, i.working) for d, i in infos.items())
        self._built.add(year)

    # lookups

    def info(self, d: date) -> DayInfo:
        """Everything about day ``d``: working or not, source, and name.

        Raises
        ------
        EstimatedYearRefused
            If ``strict`` and ``d`` would be estimated.
        """
        found = self._info.get(d)
        if found is not None:
            return found
        d = _as_date(d)
        if d.year not in self._built:
            self._build_year(d.year)
        found = self._info.get(d)
        if found is None:  # only strict mode leaves days out
            raise EstimatedYearRefused(d.year, self.form)
        return found

    def is_working(self, d: date) -> bool:
        """True if ``d`` is a working day. O(1) once ``d``'s year has been computed."""
        try:
            return self._working[d]
        except KeyError:
            return self.info(d).working

    def source(self, d: date) -> Source:
        """Where ``d``'s status comes from: official, override or estimated."""
        return self.info(d).source

    def working_days(self, start: date, end: date) -> list[date]:
        """Working days from ``start`` to ``end``, both inclusive, in order."""
        return [d for d in _days(_as_date(start), _as_date(end)) if self.is_working(d)]

    def estimated_years(self, start: date, end: date) -> list[int]:
        """Years between ``start`` and ``end`` (inclusive) that use the estimate.

        A year counts only if at least one of its days in the range is not overridden by
        ``calendar.toml``. Never raises for ``strict``: use it to report.
        """
        start, end = _as_date(start), _as_date(end)
        overridden = self._closed | self._workdays
        years = []
        for year in range(start.year, end.year + 1):
            if self._has_official(year):
                continue
            lo, hi = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
            span = (hi - lo).days + 1
            if sum(1 for d in overridden if lo <= d <= hi) < span:
                years.append(year)
        return years

    def warning_zh(self, start: date, end: date) -> str | None:
        """Chinese warning naming the estimated years and the fix, or None if there are none."""
        years = self.estimated_years(start, end)
        if not years:
            return None
        listed = "、".join(str(y) for y in years)
        return (
            f"{listed} 年的国务院放假安排尚未收录,以下日期按节假日规则估算(标为“估算”)。"
            + self.form.holidays_fix()[0]
        )

    def warning_en(self, start: date, end: date) -> str | None:
        """English warning naming the estimated years and the fix, or None if there are none."""
        years = self.estimated_years(start, end)
        if not years:
            return None
        listed = ", ".join(str(y) for y in years)
        return (
            f"The State Council holiday schedule for {listed} is not included yet; those dates "
            "are estimated from the holiday rules (marked 'estimated'). "
            + self.form.holidays_fix()[1]
        )
