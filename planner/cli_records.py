"""Commands for records and reports: ``init``, ``status``, ``report``.

Registered on the main typer app by :func:`register` (``planner.cli`` calls it). The
shared helpers of :mod:`planner.cli` (``_guard``, ``_notes``, the consoles, exit codes) are
looked up when a command runs, so this module and ``planner.cli`` can import each other
in either order.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from planner.i18n import msg

__all__ = ["init_cmd", "register", "report_cmd", "status_cmd"]

LangOpt = Annotated[str, typer.Option("--lang", help="zh(默认)或 en: 提示、表头和单元格的语言")]
DataArg = Annotated[Path, typer.Argument(help="数据文件夹或 .xlsx 工作簿")]


def _cli() -> Any:
    from planner import cli

    return cli


def _parse_day(text: str, option: str) -> date:
    from planner.io.read import parse_date

    d = parse_date(text)
    if d is None:
        raise typer.BadParameter(
            f"无法识别的日期“{text}”,请写成 2027-09-01 (not a date; write it like 2027-09-01)",
            param_hint=option,
        )
    return d


def init_cmd(
    path: Annotated[Path, typer.Argument(help="要生成的空白模板 .xlsx 文件")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    lang: LangOpt = "zh",
) -> None:
    """生成空白的数据填报模板(.xlsx):每张表一个工作表,带下拉列表和说明。"""
    cli = _cli()
    cli._check_lang(lang)

    def body() -> int:
        from planner.template import write_template

        if path.suffix.lower() != ".xlsx":
            cli._fail(
                cli.EXIT_INPUT,
                msg(lang, "模板文件名应以 .xlsx 结尾", "the template must be an .xlsx file"),
            )
        if path.exists() and not force:
            cli._fail(
                cli.EXIT_INPUT,
                msg(
                    lang,
                    f"{path} 已存在,未覆盖(如确需覆盖,请加 --force)",
                    f"{path} exists and was left as it is (use --force to overwrite)",
                ),
            )
        write_template(path, lang)
        cli.out_console.print(
            msg(
                lang,
                f"已生成模板:{path}。填好后可直接作为数据使用:planner assign {path} --out 输出文件夹",
                f"template written: {path}. Once filled: planner assign {path} --out OUT",
            ),
            markup=False,
        )
        return cli.EXIT_OK

    cli._guard(lang, body)


def _print_excluded(excluded: Any, lang: str) -> None:
    from planner.records import excluded_summary

    if not excluded:
        return
    cli = _cli()
    cli.out_console.print(excluded_summary(excluded, lang), markup=False)
    for e in excluded:
        cli.out_console.print("  " + e.render(lang), markup=False)


def status_cmd(
    data: DataArg,
    plan: Annotated[Path, typer.Option("--plan", help="联系对应表 plan.csv / plan.xlsx")],
    schedule: Annotated[Path, typer.Option("--schedule", help="日程 schedule.csv")],
    as_of: Annotated[str, typer.Option("--as-of", help="统计截止日期,如 2027-09-01")],
    out: Annotated[
        Path | None, typer.Option("--out", help="输出文件夹(写入 status-<日期>.xlsx)")
    ] = None,
    horizon: Annotated[int, typer.Option("--days", min=1, help="提示多少天内到期的事项")] = 30,
    lang: LangOpt = "zh",
) -> None:
    """联系工作进展:已完成、逾期、近期到期的事项(终端表格,--out 另存 xlsx)。"""
    cli = _cli()
    cli._check_lang(lang)
    day = _parse_day(as_of, "--as-of")

    def body() -> int:
        from planner.io.write import staged_output
        from planner.records import Ledger, load_plan, match_ledger
        from planner.report import base_calendar
        from planner.status import (
            compute_status,
            read_schedule_items,
            status_tables,
            write_status_xlsx,
        )

        ds = cli._read(data)
        cli._notes(ds, lang)
        cal = base_calendar(ds)
        p = load_plan(plan, ds.problem, cal.cycle_start)
        items = read_schedule_items(schedule)
        matched = match_ledger(Ledger.from_data(ds), ds.problem, [p])
        report = compute_status(ds.problem, p, items, matched, day, horizon=horizon)
        for note in report.notes:
            cli.err_console.print(msg(lang, "提示:", "note: ") + note.render(lang), markup=False)
        for t in status_tables(report, ds.problem, lang):
            cli.out_console.print(t)
        _print_excluded(report.excluded, lang)
        cli.out_console.print(
            msg(
                lang,
                f"逾期 {len(report.overdue)} 项,{report.horizon} 天内到期 {len(report.due)} 项。",
                f"{len(report.overdue)} overdue, {len(report.due)} due in {report.horizon} days.",
            ),
            markup=False,
        )
        if out is not None:
            name = f"status-{day.isoformat()}.xlsx"
            with staged_output(out) as stage:
                write_status_xlsx(stage / name, report, ds.problem, lang)
            cli.out_console.print(msg(lang, "已写入:", "wrote: ") + str(out / name), markup=False)
        return cli.EXIT_OK

    cli._guard(lang, body)


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
        typer.Option("--template", help="汇总表列设置 report.toml(默认:DATA 中的 report.toml)"),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="达标统计截止日期(默认该年 12 月 31 日)")
    ] = None,
    no_docs: Annotated[
        bool, typer.Option("--no-docs", help="只生成年度汇总表,不生成 Word 文档")
    ] = False,
    lang: LangOpt = "zh",
) -> None:
    """年度汇总表-Y.xlsx、工作记录汇编、联系卡、总结报告初稿。"""
    cli = _cli()
    cli._check_lang(lang)
    day = _parse_day(as_of, "--as-of") if as_of else None

    def body() -> int:
        from planner.report import run_reports

        ds = cli._read(data)
        cli._notes(ds, lang)
        result = run_reports(
            ds,
            plan,
            schedule,
            year,
            out,
            lang,
            day,
            template=template,
            data_dir=data if data.is_dir() else None,
            documents=not no_docs,
        )
        for note in result.notes:
            cli.err_console.print(msg(lang, "提示:", "note: ") + note.render(lang), markup=False)
        s = result.summary
        cli.out_console.print(
            msg(
                lang,
                f"{year} 年:{len(s.leaders)} 名领导干部,计入记录 {len(s.records)} 条。",
                f"{year}: {len(s.leaders)} leaders, {len(s.records)} records counted.",
            ),
            markup=False,
        )
        _print_excluded(result.excluded, lang)
        cli.out_console.print(msg(lang, "已写入:", "wrote:"), markup=False)
        for f in result.files:
            cli.out_console.print(f"  {f}", markup=False)
        return cli.EXIT_OK

    cli._guard(lang, body)


def register(app: typer.Typer) -> None:
    """Add ``init``, ``status`` and ``report`` to ``app`` (idempotent)."""
    have = {c.name for c in app.registered_commands}
    for name, fn in (("init", init_cmd), ("status", status_cmd), ("report", report_cmd)):
        if name not in have:
            app.command(name)(fn)
