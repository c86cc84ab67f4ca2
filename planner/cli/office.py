"""Commands ``forms``, ``collect`` and ``province``: records from the leaders, the province's roll-up."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    DataArg,
    LangOpt,
    OutOpt,
    PlanOpt,
    check_lang,
    fail,
    guard,
    note,
    parse_day,
    print_notes,
    say,
    wrote,
)
from planner.i18n import msg

if TYPE_CHECKING:
    from planner.app.schedule import ScheduleInputs

__all__ = ["collect_cmd", "forms_cmd", "province_cmd", "register"]


def _plan_of(data: Path, plan: Path) -> ScheduleInputs:
    from planner.app.schedule import read_schedule_inputs

    return read_schedule_inputs(data, plan)


def forms_cmd(
    data: DataArg,
    plan: PlanOpt,
    out: OutOpt,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="列出截至该日逾期及 30 天内到期的事项(默认今天)")
    ] = None,
    lang: LangOpt = "zh",
) -> None:
    """为每位领导生成联系记录填报表(联系记录填报-工号-姓名.xlsx):所联系辅导员、待办事项、下拉选项。"""
    check_lang(lang)
    day = parse_day(as_of, "--as-of", lang) if as_of else date.today()

    def body() -> int:
        from planner.app.collect import write_forms

        inputs = _plan_of(data, plan)
        print_notes(inputs.data.notes, lang)
        res = write_forms(out, inputs.data, inputs.plan, day, lang)
        n_due = sum(len(v) for v in res.due.values())
        wrote(
            res.files,
            lang,
            msg(
                lang,
                f"已生成 {len(res.files)} 份填报表(截至 {day.isoformat()},待办事项共 {n_due} 项):",
                f"{len(res.files)} form(s) written (as of {day.isoformat()}, {n_due} item(s) due):",
            ),
        )
        return EXIT_OK

    guard(lang, body)


def collect_cmd(
    data: DataArg,
    plan: PlanOpt,
    forms: Annotated[
        list[Path], typer.Argument(metavar="填报表", help="交回的填报表 .xlsx(可多个)")
    ],
    out: OutOpt,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="晚于该日的记录不合并(默认不检查)")
    ] = None,
    lang: LangOpt = "zh",
) -> None:
    """合并各领导交回的填报表与已有联系记录(联系记录.csv);重复、名单外人员、对应表外结对、周期外日期逐条列出,不合并。"""
    check_lang(lang)
    day = parse_day(as_of, "--as-of", lang) if as_of else None

    def body() -> int:
        from planner.app.collect import collect_forms, write_collected

        inputs = _plan_of(data, plan)
        print_notes(inputs.data.notes, lang)
        res = collect_forms(inputs.data, inputs.plan, forms, as_of=day)
        for n in res.notes:
            note(msg(lang, "提示:", "note: ") + n.render(lang))
        files = write_collected(out, res, lang)
        say(res.summary(lang))
        for p in res.problems:
            say(f"  [{p.kind_label(lang)}] {p.render(lang)}")
        wrote(files, lang)
        return EXIT_OK

    guard(lang, body)


def province_cmd(
    reports: Annotated[
        list[Path], typer.Argument(metavar="年度汇总表", help="各学院的 年度汇总表-Y.xlsx")
    ],
    year: Annotated[int, typer.Option("--year", min=1900, max=2200, help="汇总年度,如 2027")],
    out: OutOpt,
    lang: LangOpt = "zh",
) -> None:
    """全省汇总:读取各学院的年度汇总表,写出 全省汇总-Y.xlsx(学院汇总、领导干部明细、未汇总)。"""
    check_lang(lang)

    def body() -> int:
        from planner.app.province import ProvinceStatus, province, write_province

        res = province(reports, year)
        for r in res.refused:
            note(msg(lang, "未汇总:", "refused: ") + f"{r.file}:{r.reason.text(lang)}")
        if res.status == ProvinceStatus.NO_INPUT:
            fail(EXIT_INPUT, res.message(lang))
        path = write_province(out, res, lang)
        say(res.message(lang))
        wrote([path], lang)
        return EXIT_OK

    guard(lang, body)


def register(app: typer.Typer) -> None:
    """Add ``forms``, ``collect`` and ``province``."""
    app.command("forms")(forms_cmd)
    app.command("collect")(collect_cmd)
    app.command("province")(province_cmd)
