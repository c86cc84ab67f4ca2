"""Reading DATA for every use case: the data set, its one calendar, the demo college.

The command line, the web page and the notebooks read through here, so a DATA folder means
the same thing everywhere: the same notes, the same calendar (``school_calendar``), the same
overrides of settings.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from models import Problem
from planner.io.read import DataSet, read_data
from planner.values import date_problem, parse_date
from planner.workdays.school_year import CalendarConfig, school_calendar

__all__ = [
    "DataSet",
    "calendar_of",
    "day_problem",
    "demo_changes",
    "demo_data_dir",
    "load_data",
    "parse_date",
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
