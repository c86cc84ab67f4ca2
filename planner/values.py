"""Cell values as the office types them: yes/no, dates, whole numbers, choices, text.

One converter (:func:`convert_value`) for every input -- spreadsheet cells, CSV text and the
values of a what-if change file -- so a value means the same wherever it is typed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time

from planner.schema import MAX_INT, Column, Kind, match_choice, norm_name, norm_text

Cell = object  # str | int | float | bool | date | datetime | time | FormulaWithoutValue | None


class FormulaWithoutValue:
    """An ``.xlsx`` formula cell without a cached result (a file written by a program and never
    opened in Excel/WPS): its value is unknown, which is not the same as an empty cell.

    Its text (:func:`cell_text`) is empty; the readers report it instead of "must not be empty".
    """

    __slots__ = ("formula",)

    def __init__(self, formula: str = "") -> None:
        self.formula = formula

    def __repr__(self) -> str:
        return f"FormulaWithoutValue({self.formula!r})"


# What Excel/WPS shows in a cell whose formula failed (#N/A from a lookup that found nothing …).
EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)

_TRUE = {"true", "yes", "y", "t", "1", "是", "√", "✓", "✔", "对"}
_FALSE = {"false", "no", "n", "f", "0", "否", "×", "x", "✗", "✘", "错"}
_ACTIVE_TRUE = {"在职", "在岗", "active"}
_ACTIVE_FALSE = {"离岗", "离职", "退休", "调离", "已退休", "已调离", "已离职", "inactive"}


def parse_bool(text: object, *, active: bool = False) -> bool | None:
    """Read a yes/no cell.

    Parameters
    ----------
    text
        The cell: text (true/false, yes/no, 1/0, Y/N, 是/否, √/×, any case), a bool or
        a number 1/0 (an Excel cell).
    active
        Also accept the roster words for the ``active`` column: 在职/在岗 (true) and
        离岗/离职/退休/调离 (false).

    Returns
    -------
    bool or None
        None when blank or not recognised; the caller decides between the default
        and an error.
    """
    if isinstance(text, bool):
        return text
    if isinstance(text, int | float):
        return True if text == 1 else False if text == 0 else None
    if not isinstance(text, str):
        return None
    t = norm_name(text)
    if t in _TRUE or (active and t in _ACTIVE_TRUE):
        return True
    if t in _FALSE or (active and t in _ACTIVE_FALSE):
        return False
    return None


_TIME_SUFFIX = re.compile(r"^(.+?)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
)
# Years a typed date may have (Excel starts at 1900; plans are for this century).
_YEARS = (1900, 2200)
# Excel serial numbers: 1 = 1900-01-01, 2958465 = 9999-12-31.
_SERIAL_MAX = 2958465


def parse_date(value: object) -> date | None:
    """Read a date cell.

    Parameters
    ----------
    value
        Text (``2026-09-01``, ``2026/9/1``, ``2026.9.1``, ``20260901``,
        ``2026年9月1日``, optionally followed by a time), a ``date``/``datetime`` (an
        Excel date cell) or a number (an Excel serial date, as an ``.xlsx`` cell
        formatted as a number holds it).

    Returns
    -------
    datetime.date or None
        None when blank or not a real date (``2026-02-30``).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value <= _SERIAL_MAX:
            return None
        from openpyxl.utils.datetime import from_excel

        try:
            got = from_excel(value)
        except (ValueError, OverflowError):
            return None
        return got.date() if isinstance(got, datetime) else None
    if not isinstance(value, str):
        return None
    m0 = _TIME_SUFFIX.match(norm_text(value))
    if m0 is None:
        return None
    text = re.sub(r"\s+", "", m0.group(1))
    for pat in _DATE_PATTERNS:
        m = pat.fullmatch(text)
        if m:
            if not _YEARS[0] <= int(m.group(1)) <= _YEARS[1]:
                return None  # 0202-09-01 is a typing mistake, not the year 202
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


_MONTH_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SHORT_YEAR = re.compile(r"(\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_YEAR_LAST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_LOOSE_DATE = re.compile(r"(\d+)[-/.年](\d+)[-/.月](\d+)[日号]?")
_FORMS_ZH = "(也可写 2026/9/1、2026.9.1 或 2026年9月1日)"
_EXAMPLE_ZH = "请写成 2026-09-01 的形式" + _FORMS_ZH
_EXAMPLE_EN = "write it like 2026-09-01 (or 2026/9/1, 2026.9.1, 2026年9月1日)"


def _ymd_problem(y: int, m: int, d: int) -> tuple[str, str] | None:
    """What is wrong with year ``y``, month ``m``, day ``d`` as a date (None: nothing)."""
    if not 1 <= m <= 12:
        return (
            f"月份 {m} 不存在(月份应为 1 到 12),请核对这个日期",
            f"there is no month {m} (months run from 1 to 12); check the date",
        )
    if not _YEARS[0] <= y <= _YEARS[1]:
        return (
            f"年份 {y} 不合理,请核对这个日期",
            f"the year {y} is not plausible; check the date",
        )
    days = calendar.monthrange(y, m)[1]
    if d == 0:
        return ("日期中的“日”不能是 0", "the day of the month cannot be 0")
    if d > days:
        if m == 2:
            leap = "是闰年" if calendar.isleap(y) else "不是闰年"
            return (
                f"{y}年2月只有{days}天({y}年{leap}),没有{d}日",
                f"February {y} has {days} days ({y} is {'' if calendar.isleap(y) else 'not '}"
                f"a leap year), so there is no day {d}",
            )
        return (
            f"{m}月只有{days}天,没有{d}日",
            f"{_MONTH_EN[m - 1]} has {days} days, so there is no day {d}",
        )
    return None


def date_problem(value: object) -> tuple[str, str]:
    """Why ``value`` is not a date, in the office's words (zh, en).

    Called for a cell :func:`parse_date` could not read. It names what is wrong with the
    value where it can tell: ``2020-09-31`` → 9月只有30天; ``2027-13-01`` → no month 13;
    ``2027-02-29`` → not a leap year; ``27/9/1`` → a two-digit year; ``9/1/2026`` → the
    order; a number that is no Excel date. Otherwise it shows the forms that are read.
    """
    if isinstance(value, bool):
        return ("这里应填日期,不是是/否", f"expected a date, not a yes/no value; {_EXAMPLE_EN}")
    if isinstance(value, int | float):
        return (
            f"数字 {cell_text(value)} 不是日期:请把单元格设为日期格式,或写成 2026-09-01 的形式",
            f"the number {cell_text(value)} is not a date: format the cell as a date, or "
            + _EXAMPLE_EN,
        )
    text = ""
    if isinstance(value, str):
        m0 = _TIME_SUFFIX.match(norm_text(value))
        text = re.sub(r"\s+", "", m0.group(1)) if m0 else norm_text(value)
    for pat in _DATE_PATTERNS:
        m = pat.fullmatch(text)
        if m:
            why = _ymd_problem(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if why is not None:
                return why
    if _YEAR_LAST.fullmatch(text):
        return (
            "请按“年-月-日”的顺序填写,例如 2026-09-01" + _FORMS_ZH,
            f"write the year first (year-month-day): {_EXAMPLE_EN}",
        )
    if _SHORT_YEAR.fullmatch(text):
        return (
            "年份请写四位数字,例如 2026-09-01" + _FORMS_ZH,
            f"write the year with four digits: {_EXAMPLE_EN}",
        )
    m = _LOOSE_DATE.fullmatch(text)
    if m and len(m.group(1)) == 4:
        why = _ymd_problem(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if why is not None:
            return why
    return (f"无法识别的日期,{_EXAMPLE_ZH}", f"not a date; {_EXAMPLE_EN}")


def unescape(text: str) -> str:
    # The product writes '=... so no spreadsheet runs it; the apostrophe is not data.
    if len(text) >= 2 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def cell_text(value: Cell) -> str:
    """The text of a cell: NFKC-normalised, trimmed, formula-escape apostrophe removed."""
    if value is None or isinstance(value, FormulaWithoutValue):
        return ""
    if isinstance(value, str):
        return unescape(norm_text(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return unescape(norm_text(str(value)))


_INT = re.compile(r"[+-]?\d{1,12}(?:\.0*)?")


def parse_int(value: Cell) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = cell_text(value)
    # Length-bounded before int(): a pasted 5000-digit number must not blow up.
    if not _INT.fullmatch(text):
        return None
    return int(text.split(".")[0])


def quoted_choices(col: Column) -> str:
    words = [f"“{ch.zh}”" for ch in col.choices]
    return words[0] if len(words) == 1 else "、".join(words[:-1]) + "或" + words[-1]


def convert_value(
    value: Cell, col: Column, text: str | None = None
) -> tuple[object, tuple[str, str] | None]:
    """(typed value, None) or (None, (zh, en) message) for one non-blank cell.

    ``text`` is the cell's :func:`cell_text` when the caller has it already.
    """
    if text is None:
        text = cell_text(value)
    kind = col.kind
    if kind in (Kind.TEXT, Kind.ID):
        return text, None
    if kind == Kind.IDS:
        return tuple(x for x in re.split(r"[;,、\s]+", text) if x), None
    if kind in (Kind.BOOL, Kind.ACTIVE):
        b = parse_bool(value if not isinstance(value, str) else text, active=kind == Kind.ACTIVE)
        if b is None:
            if kind == Kind.ACTIVE:
                return None, (
                    "无法识别的是/否值,请填写“是”(在岗)或“否”(离岗、退休、调离)",
                    "not a yes/no value; write 是/true (active) or 否/false (left)",
                )
            return None, (
                "无法识别的是/否值,请填写“是”或“否”",
                "not a yes/no value; write 是/true or 否/false",
            )
        return b, None
    if kind == Kind.DATE:
        d = parse_date(value if not isinstance(value, str) else text)
        if d is None:
            return None, date_problem(value if not isinstance(value, str) else text)
        return d, None
    if kind == Kind.INT:
        n = parse_int(value)
        if n is None:
            return None, ("请填写整数,例如 2", "not a whole number; write e.g. 2")
        if n < 0:
            return None, ("不能是负数", "must not be negative")
        if n > MAX_INT:
            return None, (f"数值过大(不能超过{MAX_INT})", f"too large (at most {MAX_INT})")
        return n, None
    if kind == Kind.YEAR:
        y = parse_int(text[:-1] if text.endswith("年") else value)
        if y is None or not 1900 <= y <= 2200:
            return None, ("请填写年份,例如 2027", "not a year; write e.g. 2027")
        return y, None
    code = match_choice(col, text)
    if code is None:
        codes = " / ".join(ch.code for ch in col.choices)
        return None, (
            f"无法识别的{col.zh},请填写{quoted_choices(col)}",
            f"unknown {col.key}; use one of {codes}",
        )
    return code, None


FORMULA_START = ("=", "+", "-", "@")


def escape_cell(value: object) -> str:
    """Text of a cell, with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


# CP-SAT takes a 32-bit seed; ``--seed`` accepts any whole number (2147483648, -2147483649 …).
SOLVER_SEED_MODULUS = 2**31


def solver_seed(seed: int) -> int:
    """The seed handed to the solvers: ``seed`` reduced modulo 2**31 (deterministic, ≥ 0).

    Seeds 0 to 2**31 - 1 are unchanged, so every earlier run gives the same result; the seed
    the user gave is the one recorded in ``plan.json`` (with this one beside it when they differ).
    """
    return int(seed) % SOLVER_SEED_MODULUS
