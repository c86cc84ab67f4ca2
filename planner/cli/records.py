"""Commands ``init``, ``status`` and ``report``: the template, progress, and the year's documents."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    DataArg,
    LangOpt,
    check_lang,
    check_out,
    fail,
    guard,
    out_console,
    parse_day,
    print_notes,
    say,
    wrote,
)
from planner.i18n import msg

if TYPE_CHECKING:
    from rich.table import Table as RichTable

    from models import Problem
    from planner.app.records import Excluded
    from planner.app.status import DueItem, StatusReport

__all__ = ["init_cmd", "register", "report_cmd", "status_cmd", "status_tables"]


def init_cmd(
    path: Annotated[Path, typer.Argument(metavar="模板文件", help="要生成的空白模板 .xlsx 文件")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    lang: LangOpt = "zh",
) -> None:
    """生成空白的数据填报模板(.xlsx):每张表一个工作表,带下拉列表和说明。"""
    check_lang(lang)

    def body() -> int:
        from planner.app.template import write_template

        if path.suffix.lower() != ".xlsx":
            fail(
                EXIT_INPUT,
                msg(lang, "模板文件名应以 .xlsx 结尾", "the template must be an .xlsx file"),
            )
        if path.exists() and not force:
            fail(
                EXIT_INPUT,
                msg(
                    lang,
                    f"{path} 已存在,未覆盖(如确需覆盖,请加 --force)",
                    f"{path} exists and was left as it is (use --force to overwrite)",
                ),
            )
        write_template(path, lang)
        say(
            msg(
                lang,
                f"已生成模板:{path}。填好后可直接作为数据使用:planner assign {path} --out 输出文件夹",
                f"template written: {path}. Once filled: planner assign {path} --out OUT",
            )
        )
        return EXIT_OK

    guard(lang, body)


def print_excluded(excluded: Sequence[Excluded], lang: str) -> None:
    """Records that name unknown people or pairs in no plan: listed, never counted."""
    from planner.app.records import excluded_summary

    if not excluded:
        return
    say(excluded_summary(excluded, lang))
    for e in excluded:
        say("  " + e.render(lang))


def person_cell(name: object, pid: object) -> str:
    return f"{name} {pid}" if name else str(pid)


URGENT = 10
"""Items the terminal lists without ``--all`` (the most urgent first; the xlsx has them all)."""


def urgent_items(report: StatusReport, limit: int | None = URGENT) -> list[DueItem]:
    """Overdue items by deadline (oldest first), then items due soon by deadline."""
    items = sorted(report.overdue, key=lambda d: (d.deadline, d.leader_id, d.item_id))
    items += sorted(report.due, key=lambda d: (d.deadline, d.leader_id, d.item_id))
    return items if limit is None else items[:limit]


def status_tables(
    report: StatusReport, problem: Problem, lang: str = "zh", *, show_all: bool = False
) -> list[RichTable]:
    """The terminal view, in an 80-column window.

    Without ``show_all``: the most urgent items (:data:`URGENT`). With it: every leader's
    figures and every overdue and due item. The xlsx carries every column.
    """
    from rich.table import Table as RichTable

    from planner.app.status import finding_rows, leader_rows

    zh = lang == "zh"
    tables = []
    if show_all:
        t = RichTable(
            title=msg(
                lang,
                f"联系工作进展({report.cycle},截至 {report.as_of.isoformat()})",
                f"Contact status ({report.cycle}, as of {report.as_of.isoformat()})",
            ),
            caption=msg(
                lang,
                "约谈(面谈)、工作指导、规划发展:已完成/应完成",
                "talks (face to face), guidance, career: met/due",
            ),
        )
        keep = (2, 3, 4, 5, 7, 8)  # counselors, talks, guidance, career, overdue, due
        short = (
            ("领导", "辅导员", "约谈", "指导", "规划", "逾期", "到期")
            if zh
            else ("leader", "counselors", "talks", "guidance", "career", "overdue", "due")
        )
        t.add_column(short[0], overflow="fold")
        for h in short[1:]:
            t.add_column(h, overflow="fold", justify="right")
        for row in leader_rows(report, problem, lang):
            t.add_row(person_cell(row[1], row[0]), *(str(row[j]) for j in keep))
        tables.append(t)
    groups = (
        [("overdue", report.overdue), ("due", report.due)]
        if show_all
        else [("urgent", urgent_items(report))]
    )
    for kind, findings in groups:
        if kind == "urgent":
            total = len(report.overdue) + len(report.due)
            label = msg(
                lang,
                f"最紧急的 {len(findings)} 项(共 {total} 项逾期或近期到期)",
                f"the {len(findings)} most urgent of {total} overdue or due items",
            )
        else:
            label = (
                ("逾期事项" if kind == "overdue" else f"{report.horizon} 天内到期的事项")
                if zh
                else ("Overdue" if kind == "overdue" else f"Due in the next {report.horizon} days")
            )
            label += f"({len(findings)})" if zh else f" ({len(findings)})"
        t = RichTable(title=label)
        for h in (
            msg(lang, "领导", "leader"),
            msg(lang, "辅导员", "counselor"),
            msg(lang, "事项", "item"),
            msg(lang, "截止", "deadline"),
            msg(lang, "状态", "state"),
        ):
            t.add_column(h, overflow="fold")
        for d, row in zip(findings, finding_rows(findings, problem, lang), strict=True):
            t.add_row(
                person_cell(row[1], row[0]),
                person_cell(row[3], row[2]) if row[2] else "",
                f"{row[4]} {row[5]}",
                str(row[7]),
                msg(lang, "逾期", "overdue") if d.kind == "overdue" else msg(lang, "将到期", "due"),
            )
        tables.append(t)
    return tables


def print_duties(report: StatusReport, lang: str) -> None:
    """Overdue or late-closed issues (with leader and department) and short semesters."""
    view = report.duties
    if view is None:
        return
    for n in view.problems[:10]:
        say(msg(lang, "提示:", "note: ") + n.render(lang))
    if view.overdue:
        say(
            msg(lang, f"逾期问题 {len(view.overdue)} 个:", f"{len(view.overdue)} overdue issue(s):")
        )
        for s in view.overdue[:10]:
            i = s.issue
            late = s.timeliness.value == "late_closed"
            state = (
                msg(lang, "超时办结", "closed late") if late else msg(lang, "逾期未办结", "overdue")
            )
            who = i.leader_id or "-"
            dept = i.department or "-"
            say(
                f"  {i.issue_id} {i.category} {state}"
                + msg(
                    lang,
                    f"(时限 {s.deadline.date},受理领导 {who},责任部门 {dept})",
                    f" (deadline {s.deadline.date}, leader {who}, department {dept})",
                )
            )
        if len(view.overdue) > 10:
            say(
                msg(
                    lang,
                    f"  ……另有 {len(view.overdue) - 10} 个,见 xlsx",
                    f"  … {len(view.overdue) - 10} more in the xlsx",
                )
            )
    for sf in view.shortfalls:
        say(msg(lang, "会议:", "meetings: ") + sf.text(lang))


def status_cmd(
    data: DataArg,
    plan: Annotated[Path, typer.Option("--plan", help="联系对应表 plan.csv / plan.xlsx")],
    schedule: Annotated[Path, typer.Option("--schedule", help="日程 schedule.csv")],
    as_of: Annotated[str, typer.Option("--as-of", help="统计截止日期,如 2027-09-01")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="输出文件夹(写入 status-<日期>.xlsx;默认:日程所在文件夹)"),
    ] = None,
    horizon: Annotated[int, typer.Option("--days", min=1, help="提示多少天内到期的事项")] = 30,
    show_all: Annotated[
        bool, typer.Option("--all", help="列出全部领导和全部逾期、到期事项(默认只列最紧急的 10 项)")
    ] = False,
    lang: LangOpt = "zh",
) -> None:
    """联系工作进展:最紧急的事项与逾期问题(终端),全部明细写入 status-日期.xlsx(默认写在日程旁)。"""
    check_lang(lang)
    day = parse_day(as_of, "--as-of", lang)

    def body() -> int:
        from planner.app.data import load_data
        from planner.app.status import status_of_files, write_status

        ds = load_data(data)
        print_notes(ds.notes, lang)
        if out is not None:
            check_out(out)
        report = status_of_files(ds, plan, schedule, day, horizon=horizon)
        print_notes(report.notes, lang)
        for t in status_tables(report, ds.problem, lang, show_all=show_all):
            out_console.print(t)
        print_excluded(report.excluded, lang)
        print_duties(report, lang)
        say(
            msg(
                lang,
                f"逾期 {len(report.overdue)} 项,{report.horizon} 天内到期 {len(report.due)} 项。",
                f"{len(report.overdue)} overdue, {len(report.due)} due in {report.horizon} days.",
            )
        )
        folder = out if out is not None else (schedule.parent if schedule.is_file() else schedule)
        path = write_status(folder, report, ds, lang)
        say(msg(lang, "全部明细:", "full detail: ") + str(path))
        return EXIT_OK

    guard(lang, body)


def report_cmd(
    data: DataArg,
    plan: Annotated[list[Path], typer.Option("--plan", help="本年度有效的联系对应表(可多次给出)")],
    year: Annotated[int, typer.Option("--year", min=1900, max=2200, help="统计年度,如 2027")],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹")],
    schedule: Annotated[
        Path | None, typer.Option("--schedule", help="日程 schedule.csv(联系卡中列出计划日期)")
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template", help="汇总表列设置 report.toml(默认:数据文件夹中的 report.toml)"
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="达标统计截止日期(默认该年 12 月 31 日)")
    ] = None,
    no_docs: Annotated[
        bool, typer.Option("--no-docs", help="只生成年度汇总表,不生成 .docx 文档")
    ] = False,
    lang: LangOpt = "zh",
) -> None:
    """年度汇总表-Y.xlsx、工作记录汇编、联系卡、总结报告初稿。"""
    check_lang(lang)
    day = parse_day(as_of, "--as-of", lang) if as_of else None

    def body() -> int:
        from planner.app.data import load_data
        from planner.app.report import annual_report, write_report

        ds = load_data(data)
        print_notes(ds.notes, lang)
        check_out(out)
        rep = annual_report(
            ds,
            plan,
            year,
            schedule=schedule,
            as_of=day,
            template=template,
            data_dir=data if data.is_dir() else None,
        )
        files = write_report(out, rep, ds, lang, documents=not no_docs)
        print_notes(rep.notes, lang)
        s = rep.summary
        say(
            msg(
                lang,
                f"{year} 年:{len(s.leaders)} 名领导干部,计入记录 {len(s.records)} 条。",
                f"{year}: {len(s.leaders)} leaders, {len(s.records)} records counted.",
            )
        )
        print_excluded(rep.excluded, lang)
        wrote(files, lang, msg(lang, "已写入:", "wrote:"))
        return EXIT_OK

    guard(lang, body)


def register(app: typer.Typer) -> None:
    """Add ``init``, ``status`` and ``report``."""
    app.command("init")(init_cmd)
    app.command("status")(status_cmd)
    app.command("report")(report_cmd)
