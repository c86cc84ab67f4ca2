"""Use case ``report``: the year's 年度汇总表 and the documents, counted from the records.

Every record dated in the year whose pair is in any plan in force counts (CONTRACT.md §10);
the rest are listed, never counted. Writing is a separate step (:func:`write_report`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from models import Problem, ScheduleItem
from planner.app.data import calendar_of, with_problem
from planner.app.records import ledger_of, load_plan, plan_in_force
from planner.app.status import duties_of, read_schedule_items
from planner.documents.annual_xlsx import write_annual_xlsx
from planner.documents.docx import write_booklet, write_cards, write_summary_report
from planner.documents.duties_xlsx import add_report_duty_sheets
from planner.documents.identity import ensure_identity_sheet, identity_of
from planner.duties.year import DutiesView
from planner.errors import InputError, InputProblem, Note
from planner.io.read import DataSet
from planner.io.text import UndecodableText, decode_table_text
from planner.io.write import built_bytes, staged_output, zip_folder_bytes
from planner.records import Excluded, PlanInForce
from planner.report import (
    REPORT_TOML,
    AnnualSummary,
    Layout,
    annual_summary,
    default_layout,
    layout_from_toml,
    year_items,
)
from planner.status import TrackedItem, tracked_items
from planner.workdays.school_year import CalendarConfig

__all__ = [
    "AnnualReport",
    "annual_report",
    "read_layout",
    "report_file_names",
    "report_of_pairs",
    "report_xlsx_bytes",
    "report_zip_bytes",
    "write_report",
]


def report_file_names(year: int) -> dict[str, str]:
    """The file names ``report`` writes into OUT."""
    return {
        "xlsx": f"年度汇总表-{year}.xlsx",
        "booklet": f"工作记录汇编-{year}.docx",
        "cards": f"联系卡-{year}.docx",
        "summary": f"总结报告-{year}.docx",
    }


def read_report_toml(
    template: Path | None = None, data_dir: Path | None = None
) -> tuple[dict[str, Any], str] | None:
    """``template``, else ``report.toml`` in the DATA folder, parsed; None when there is none.

    Raises
    ------
    InputError
        For an unreadable or invalid file.
    """
    path = template
    if path is None and data_dir is not None and data_dir.is_dir():
        cand = data_dir / REPORT_TOML
        path = cand if cand.is_file() else None
    if path is None:
        return None
    try:
        conf = tomllib.loads(decode_table_text(path.read_bytes()))
    except OSError as exc:
        raise InputError(
            [
                InputProblem(
                    path.name, f"无法读取文件: {exc.strerror}", f"cannot read the file: {exc}"
                )
            ]
        ) from exc
    except (UndecodableText, tomllib.TOMLDecodeError) as exc:
        raise InputError(
            [InputProblem(path.name, f"TOML 格式有误: {exc}", f"invalid TOML: {exc}")]
        ) from exc
    return conf, path.name


def read_layout(template: Path | None = None, data_dir: Path | None = None) -> Layout:
    """The 汇总 layout: ``template``, else ``report.toml`` in the DATA folder, else the default."""
    got = read_report_toml(template, data_dir)
    if got is None:
        return default_layout()
    return layout_from_toml(*got)


@dataclass
class AnnualReport:
    """The year's figures and what the documents need beside them."""

    summary: AnnualSummary
    layout: Layout
    calendar: CalendarConfig
    items: list[TrackedItem] = field(default_factory=list)
    duties: DutiesView | None = None

    @property
    def notes(self) -> list[Note]:
        return list(self.summary.notes)

    @property
    def excluded(self) -> list[Excluded]:
        return self.summary.excluded


def annual_report(
    data: DataSet,
    plans: Sequence[PlanInForce | Path | str],
    year: int,
    *,
    schedule: Path | str | Iterable[ScheduleItem | TrackedItem] | None = None,
    as_of: date | None = None,
    layout: Layout | None = None,
    template: Path | None = None,
    data_dir: Path | None = None,
) -> AnnualReport:
    """Count the year's records against every plan in force.

    Parameters
    ----------
    plans
        Every plan in force during the year: plan files (or folders) or ready plans.
    schedule
        ``schedule.csv`` or its items: the planned dates on the contact cards (without it
        the cards list the rule windows).
    as_of
        Windows closing after this day are pending (default 31 December of ``year``).
    layout, template, data_dir
        The 汇总 columns: a ready layout, else ``template``, else ``data_dir/report.toml``,
        else the default.

    Raises
    ------
    InputError
        For unreadable plans, schedule, template or calendar.
    """
    cal = calendar_of(data)
    plan_objs = [
        p if isinstance(p, PlanInForce) else load_plan(Path(p), data.problem, cal.cycle_start)
        for p in plans
    ]
    lay = layout or read_layout(template, data_dir)
    if schedule is None:
        items = None
    elif isinstance(schedule, Path | str):
        items = read_schedule_items(Path(schedule))
    else:
        items = tracked_items(schedule)
    summary = annual_summary(data.problem, plan_objs, ledger_of(data), year, cal, as_of=as_of)
    compliance = {}
    for ly in summary.leaders:
        met = due = 0
        for rule in ("talk", "guidance", "career"):
            a, b = ly.ratio(rule)
            met, due = met + a, due + b
        compliance[ly.leader_id] = met / due if due else 1.0
    conf = read_report_toml(template, data_dir)
    grading = dict(conf[0].get("grading") or {}) if conf else {}
    duties = duties_of(
        data,
        summary.as_of,
        year=year,
        compliance=compliance,
        grading=grading,
    )
    return AnnualReport(summary, lay, cal, year_items(summary, cal, items), duties)


def write_report(
    out: Path, report: AnnualReport, data: DataSet, lang: str = "zh", *, documents: bool = True
) -> list[Path]:
    """Write ``年度汇总表-Y.xlsx`` (and the three ``.docx`` files) into ``out``, all or none."""
    names = report_file_names(report.summary.year)
    problem = data.problem
    files = [out / names["xlsx"]]
    with staged_output(out, f"report-{report.summary.year}") as stage:
        write_annual_xlsx(stage / names["xlsx"], report.summary, report.layout, problem, lang)
        if report.duties is not None:
            add_report_duty_sheets(
                stage / names["xlsx"], report.duties, report.summary, problem, lang
            )
        ensure_identity_sheet(
            stage / names["xlsx"],
            identity_of(problem.settings, report.summary.year, report.summary.as_of),
        )
        if documents:
            write_booklet(stage / names["booklet"], report.summary, problem, lang, report.duties)
            write_cards(stage / names["cards"], report.summary, problem, report.items, lang)
            write_summary_report(
                stage / names["summary"], report.summary, problem, lang, report.duties
            )
            files += [out / names[k] for k in ("booklet", "cards", "summary")]
    return files


def report_of_pairs(
    data: DataSet,
    problem: Problem,
    keys: Iterable[tuple[str, str]],
    year: int,
    *,
    schedule: Iterable[ScheduleItem | TrackedItem] | None = None,
    calendar_start: date | None = None,
    data_dir: Path | None = None,
    in_force: Sequence[PlanInForce] = (),
) -> AnnualReport:
    """The year's report for a plan held in memory (the page's) on the rosters ``problem``.

    ``data_dir`` is the DATA folder (its ``report.toml`` sets the 汇总 layout), None for a
    workbook. ``in_force``: the plan versions adopted, each with the days it was in force
    (the workspace's); when given, each record counts against the version in force on its
    date (a departed leader's contacts before the departure count) and ``keys`` is not used.
    """
    ds = with_problem(data, problem)
    plans = list(in_force) or [plan_in_force(problem, keys, calendar_start)]
    folder = data_dir if data_dir is not None and data_dir.is_dir() else None
    return annual_report(ds, plans, year, schedule=schedule, data_dir=folder)


def report_zip_bytes(report: AnnualReport, data: DataSet, lang: str = "zh") -> bytes:
    """A zip of everything ``planner report`` writes: ``年度汇总表-Y.xlsx`` (with its 问题台账
    and 评价 sheets) and the three ``.docx`` files (records booklet, contact cards, 总结报告)."""
    return zip_folder_bytes(lambda root: write_report(root, report, data, lang))


def report_xlsx_bytes(
    report: AnnualReport, problem: Problem, lang: str = "zh"
) -> tuple[str, bytes]:
    """(file name, bytes) of ``年度汇总表-Y.xlsx`` for the rosters ``problem``, as
    :func:`write_report` writes it."""
    name = report_file_names(report.summary.year)["xlsx"]
    blob = built_bytes(
        lambda p: write_annual_xlsx(p, report.summary, report.layout, problem, lang), name
    )
    return name, blob
