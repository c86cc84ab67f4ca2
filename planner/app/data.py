"""Reading DATA for every use case: the data set, its one calendar, the demo college.

The command line, the web page and the notebooks read through here, so a DATA folder means
the same thing everywhere: the same notes, the same calendar (``school_calendar``), the same
overrides of settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from models import Problem
from planner.errors import InputError, InputProblem
from planner.i18n import msg
from planner.io.read import DataSet, read_data
from planner.schema import TABLES
from planner.values import date_problem, parse_date
from planner.workdays.school_year import CalendarConfig, school_calendar

__all__ = [
    "PROBLEM_COLUMNS",
    "DataSet",
    "Loaded",
    "calendar_of",
    "data_summary",
    "day_problem",
    "demo_changes",
    "demo_data_dir",
    "load_data",
    "parse_date",
    "problem_rows",
    "try_load",
    "with_problem",
]


def load_data(
    path: Path, *, cycle: str | None = None, no_repeat_cycles: int | None = None
) -> DataSet:
    """Read DATA (a folder or one workbook) for the cycle ``cycle``.

    Parameters
    ----------
    path
        The DATA folder or ``.xlsx`` workbook (CONTRACT.md §1-2).
    cycle
        The cycle label (``--cycle``); None: from the calendar or the history.
    no_repeat_cycles
        Overrides the ``no_repeat_cycles`` setting when given (``--no-repeat-cycles``).

    Raises
    ------
    InputError
        With every problem found, each naming file, sheet, row, column and value.
    """
    ds = read_data(Path(path), cycle=cycle)
    if no_repeat_cycles is not None:
        settings = ds.problem.settings.model_copy(update={"no_repeat_cycles": no_repeat_cycles})
        ds.problem = ds.problem.replace(settings=settings)
    return ds


def with_problem(data: DataSet, problem: Problem) -> DataSet:
    """The same DATA with another problem (e.g. the rosters after an adopted staff change)."""
    return replace(data, problem=problem)


def calendar_of(data: DataSet, problem: Problem | None = None) -> CalendarConfig:
    """The academic calendar of ``data`` for ``problem``'s cycle (default: the data's own).

    The single calendar builder of the product: the scheduler, the schedule validator,
    status, report and the page all take their calendar from here.
    """
    first = data.sources.get("leaders")
    workbook = (
        first.name
        if first is not None
        and first.suffix.lower() in (".xlsx", ".xlsm")
        and data.sources.get("counselors") == first
        else None
    )
    return school_calendar(
        data.calendar_toml,
        data.tables.get("calendar", ()),
        problem or data.problem,
        workbook=workbook,
    )


def demo_data_dir() -> Path:
    """The bundled demo college (``scenarios/demo``)."""
    here = Path(__file__).resolve().parents[1]
    for cand in (here.parent / "scenarios" / "demo", here / "scenarios" / "demo"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("scenarios/demo")


def demo_changes() -> dict[str, Path]:
    """The demo's what-if change files (``scenarios/changes/*.toml``) by name."""
    try:
        folder = demo_data_dir().parent / "changes"
    except FileNotFoundError:
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.toml"))} if folder.is_dir() else {}


def parse_day(text: str) -> date | None:
    """A date typed by the office (every form of CONTRACT.md §1), or None."""
    return parse_date(text)


def day_problem(text: str) -> tuple[str, str]:
    """What is wrong with ``text`` as a date (zh, en): 9月只有30天, no month 13, …"""
    return date_problem(text)


# ----- DATA as the page shows it ---------------------------------------------------------------
@dataclass
class Loaded:
    """What reading DATA gave: the data set, or every problem to fix (never both)."""

    data: DataSet | None
    problems: list[InputProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None


def try_load(path: Path, cycle: str | None = None) -> Loaded:
    """:func:`load_data`, with bad input returned as its problems instead of raised."""
    try:
        return Loaded(load_data(path, cycle=cycle or None))
    except InputError as exc:
        return Loaded(None, list(exc.problems))


PROBLEM_COLUMNS = (
    ("file", "文件", "file"),
    ("row", "行", "row"),
    ("column", "列", "column"),
    ("value", "值", "value"),
    ("message", "问题", "problem"),
)
"""Columns of the input-problem table: (key, 中文, English)."""


def problem_rows(problems: Iterable[InputProblem], lang: str = "zh") -> list[dict[str, str]]:
    """One row per input problem: file (and sheet), spreadsheet row, column, value, message."""
    return [
        {
            "file": p.file + (f"[{p.sheet}]" if p.sheet else ""),
            "row": "" if p.row is None else str(p.row),
            "column": p.column or "",
            "value": "" if p.value is None else p.value,
            "message": msg(lang, p.message_zh, p.message_en),
        }
        for p in problems
    ]


def data_summary(data: DataSet, lang: str = "zh") -> list[tuple[str, str]]:
    """(label, value) lines describing a data set: cycle, rosters, earlier cycles, rules, tables."""
    p = data.problem
    sep = "、" if lang == "zh" else ", "
    heads = sum(1 for x in p.active_leaders if x.heads_teaching_unit)
    tables = [
        msg(
            lang,
            f"{TABLES[k].zh if k in TABLES else k} {len(rows)} 行"
            if rows
            else f"{TABLES[k].zh if k in TABLES else k}(空表)",
            f"{k} {len(rows)} rows" if rows else f"{k} (empty)",
        )
        for k, rows in data.tables.items()
    ]
    return [
        (msg(lang, "联系周期", "cycle"), p.cycle),
        (
            msg(lang, "领导干部", "leaders"),
            msg(
                lang,
                f"{len(p.leaders)} 人(在岗 {len(p.active_leaders)} 人,其中教学单位负责人 {heads} 人)",
                f"{len(p.leaders)} ({len(p.active_leaders)} active, {heads} teaching-unit heads)",
            ),
        ),
        (
            msg(lang, "辅导员", "counselors"),
            msg(
                lang,
                f"{len(p.counselors)} 人(在岗 {len(p.active_counselors)} 人)",
                f"{len(p.counselors)} ({len(p.active_counselors)} active)",
            ),
        ),
        (
            msg(lang, "历史周期", "earlier cycles"),
            sep.join(p.earlier_cycles) or msg(lang, "无", "none"),
        ),
        (
            msg(lang, "约束", "rules"),
            msg(
                lang,
                f"必须 {len(p.musts)} 条,禁止 {len(p.nevers)} 条",
                f"{len(p.musts)} must, {len(p.nevers)} never",
            ),
        ),
        (msg(lang, "其他表", "other tables"), sep.join(tables) or msg(lang, "无", "none")),
    ]
