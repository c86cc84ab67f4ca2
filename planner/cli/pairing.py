"""Commands ``assign`` and ``validate``: the pairing table and its independent check."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli.common import (
    EXIT_BROKEN,
    EXIT_INFEASIBLE,
    EXIT_OK,
    DataArg,
    LangOpt,
    NoRepeatOpt,
    OutOpt,
    SeedOpt,
    TimeOpt,
    before_solve,
    check_lang,
    err_console,
    fail,
    guard,
    note,
    out_console,
    print_notes,
    say,
    timeout_exit,
    wrote,
)
from planner.i18n import msg

if TYPE_CHECKING:
    from rich.table import Table

    from models import Problem
    from planner.app.assign import Finding

__all__ = ["assign_cmd", "infeasible_exit", "levels_table", "register", "validate_cmd"]


def levels_table(levels: dict[str, int], lang: str, title: str | None = None) -> Table:
    """The objective's levels in priority order (``moves`` first when present)."""
    from rich.table import Table

    from planner.app.assign import LEVELS, level_label
    from planner.app.whatif import MOVES

    t = Table(
        title=title or msg(lang, "目标各层次(按优先级)", "objective levels (in priority order)")
    )
    t.add_column(msg(lang, "层次", "level"))
    t.add_column(msg(lang, "值", "value"), justify="right")
    names = [MOVES, *(lv.name for lv in LEVELS)]
    for name in names:
        if name in levels:
            label = msg(lang, "变动结对数", "moves") if name == MOVES else level_label(name, lang)
            t.add_row(label, str(levels[name]))
    return t


def infeasible_exit(
    out: Path, problem: Problem, findings: Sequence[Finding], lang: str, head: str
) -> None:
    """Exit 3: write ``diagnosis.json`` and print why, with the cheapest fixes."""
    from models import SolveStatus
    from planner.app.assign import write_diagnosis

    path = write_diagnosis(out, problem, SolveStatus.INFEASIBLE, findings)
    lines = [head] + [f"- {f.render(lang)}" for f in findings]
    lines.append(msg(lang, f"诊断已写入 {path}", f"diagnosis written to {path}"))
    fail(EXIT_INFEASIBLE, "\n".join(lines))


def assign_cmd(
    data: DataArg,
    out: OutOpt,
    cycle: Annotated[str | None, typer.Option("--cycle", help="周期标签,如 2027-2030")] = None,
    seed: SeedOpt = 0,
    time_limit: TimeOpt = 60.0,
    no_repeat_cycles: NoRepeatOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """生成联系对应表 (plan.csv / plan.xlsx / plan.json)。"""
    from models import SolveStatus

    check_lang(lang)

    def body() -> int:
        from planner.app.assign import assign, level_label, write_assign
        from planner.app.data import load_data

        ds = load_data(data, cycle=cycle, no_repeat_cycles=no_repeat_cycles)
        before_solve(ds.notes, out, seed, lang)
        p = ds.problem
        note(
            msg(
                lang,
                f"周期 {p.cycle}:{len(p.active_leaders)} 名领导干部,{len(p.active_counselors)} 名辅导员,求解中…",
                f"cycle {p.cycle}: {len(p.active_leaders)} leaders, {len(p.active_counselors)} counselors; solving…",
            )
        )
        with err_console.status(msg(lang, "求解中…", "solving…")) as status:

            def progress(level: str) -> None:
                status.update(msg(lang, "求解中:", "solving: ") + level_label(level, lang))

            outcome = assign(ds, seed=seed, time_limit=time_limit, progress=progress)
        if outcome.status == SolveStatus.INFEASIBLE:
            infeasible_exit(
                out,
                ds.problem,
                outcome.findings,
                lang,
                msg(lang, "无法生成满足全部规定的联系对应表:", "no plan satisfies the hard rules:"),
            )
        if outcome.plan is None or outcome.result is None:
            timeout_exit(time_limit, lang)
        files = write_assign(out, ds, outcome, seed=seed, time_limit=time_limit, lang=lang)
        out_console.print(levels_table(outcome.result.levels, lang))
        optimal = outcome.status == SolveStatus.OPTIMAL
        if not optimal:
            note(
                msg(
                    lang,
                    "注意:时限内未能证明最优,结果为可行方案。",
                    "note: time ran out before optimality was proven; the plan is feasible.",
                )
            )
        wrote(
            files,
            lang,
            msg(
                lang,
                f"完成({outcome.seconds:.2f} 秒,{'最优' if optimal else '可行'}),已通过独立校验。已写入:",
                f"done ({outcome.seconds:.2f} s, {outcome.status.value}), checked by the independent validator. Wrote:",
            ),
        )
        return EXIT_OK

    guard(lang, body)


def validate_cmd(
    data: DataArg,
    plan: Annotated[
        Path,
        typer.Argument(
            metavar="对应表或日程",
            help="要检查的 plan.csv / plan.xlsx 或 schedule.csv(可手工修改过)",
        ),
    ],
    lang: LangOpt = "zh",
) -> None:
    """检查(手工修改过的)联系对应表或日程是否违反规定:每条问题一行。"""
    check_lang(lang)

    def body() -> int:
        from planner.app.validate import validate_file

        v = validate_file(data, plan)
        if v.mixed_cycles:
            say(
                msg(
                    lang,
                    f"联系对应表混有多个周期({'、'.join(v.mixed_cycles)}),一份对应表只能属于一个周期",
                    f"the plan mixes cycles ({', '.join(v.mixed_cycles)}); a plan belongs to one cycle",
                )
            )
            return EXIT_BROKEN
        print_notes(v.notes, lang)
        for x in v.violations:
            say(x.render(lang))
        if v.violations:
            note(
                msg(
                    lang,
                    f"发现 {len(v.violations)} 处违反规定。",
                    f"{len(v.violations)} broken rule(s).",
                )
            )
            return EXIT_BROKEN
        if v.kind == "schedule":
            say(
                msg(
                    lang,
                    f"通过:日程 {v.count} 项符合全部规定。",
                    f"valid: {v.count} schedule items obey every rule.",
                )
            )
            return EXIT_OK
        if v.spare:
            note(
                msg(
                    lang,
                    f"提示:有 {len(v.spare)} 对第二联系领导可以去掉而不违反负荷(不是最少结对方案)。",
                    f"note: {len(v.spare)} second-leader pair(s) could be dropped within the loads (not the fewest pairs).",
                )
            )
        say(
            msg(
                lang,
                f"通过:{v.count} 对联系关系符合全部规定。",
                f"valid: {v.count} pairs obey every rule.",
            )
        )
        return EXIT_OK

    guard(lang, body)


def register(app: typer.Typer) -> None:
    """Add ``assign`` and ``validate``."""
    app.command("assign")(assign_cmd)
    app.command("validate")(validate_cmd)
