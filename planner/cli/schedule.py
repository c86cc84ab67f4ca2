"""Command ``schedule``: the compliant contact calendar of a plan (CONTRACT.md §8-9)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from planner.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    DataArg,
    LangOpt,
    OutOpt,
    PlanOpt,
    SeedOpt,
    before_solve,
    check_lang,
    err_console,
    fail,
    guard,
    print_notes,
    say,
)
from planner.i18n import msg

__all__ = ["register", "schedule_cmd"]


def schedule_cmd(
    data: DataArg,
    plan: PlanOpt,
    out: OutOpt,
    strict: Annotated[
        bool, typer.Option("--strict", help="拒绝使用估算的节假日(国务院安排未公布的年份)")
    ] = False,
    pair_starts: Annotated[
        Path | None,
        typer.Option(
            "--pair-starts",
            help="新结对的开始日期(whatif 生成的 pair_starts.csv;默认取 plan 旁边的同名文件)",
        ),
    ] = None,
    seed: SeedOpt = 0,
    lang: LangOpt = "zh",
) -> None:
    """排出整个周期的联系日程:schedule.csv、schedule.xlsx 和 .ics 日历文件。"""
    check_lang(lang)

    def body() -> int:
        from planner.app.schedule import (
            EstimatedYearRefused,
            read_schedule_inputs,
            schedule,
            write_schedule,
        )

        inputs = read_schedule_inputs(data, plan, pair_starts)
        before_solve(inputs.data.notes, out, seed, lang, pairs=len(inputs.plan.pairs))
        try:
            with err_console.status(msg(lang, "排日程中…", "scheduling…")):
                got = schedule(
                    inputs.data,
                    inputs.plan,
                    strict=strict,
                    seed=seed,
                    pair_starts=inputs.pair_starts,
                )
        except EstimatedYearRefused as exc:
            fail(EXIT_INPUT, exc.message_zh if lang == "zh" else exc.message_en)
        sched = got.schedule
        with err_console.status(msg(lang, "写入文件…", "writing files…")) as status:

            def progress(what: str) -> None:
                status.update(msg(lang, f"写入 {what}…", f"writing {what}…"))

            write_schedule(out, inputs.data.problem, sched, lang, progress=progress)
        print_notes(sched.warnings, lang)
        print_notes(got.notes, lang)
        forms = Counter(i.form.zh if lang == "zh" else i.form.value for i in sched.planned)
        say(
            msg(
                lang,
                f"周期 {sched.cycle}({sched.cycle_start}—{sched.cycle_end}):已排 {len(sched.planned)} 项,未排 {len(sched.unmet)} 项,用时 {sched.seconds:.2f} 秒,已通过独立校验。",
                f"cycle {sched.cycle} ({sched.cycle_start} to {sched.cycle_end}): {len(sched.planned)} planned, {len(sched.unmet)} unmet, {sched.seconds:.2f} s, checked by the independent validator.",
            )
        )
        say("  " + "、".join(f"{k} {v}" for k, v in sorted(forms.items())))
        for it in sched.unmet[:20]:
            say(f"  {msg(lang, '未排', 'unmet')}: {it.item_id} — {it.note(lang)}")
        if len(sched.unmet) > 20:
            say(
                msg(
                    lang,
                    f"  ……另有 {len(sched.unmet) - 20} 项未排,见 schedule.csv",
                    f"  … {len(sched.unmet) - 20} more unmet, see schedule.csv",
                )
            )
        say(
            msg(
                lang,
                f"已写入 {out}/schedule.csv、schedule.xlsx 与 .ics 文件",
                f"wrote {out}/schedule.csv, schedule.xlsx and .ics files",
            )
        )
        return EXIT_OK

    guard(lang, body)


def register(app: typer.Typer) -> None:
    """Add ``schedule``."""
    app.command("schedule")(schedule_cmd)
