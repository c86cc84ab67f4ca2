"""Commands ``whatif``, ``compare`` and ``rotate`` (CONTRACT.md §4, §6, §7)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli.common import (
    EXIT_OK,
    DataArg,
    LangOpt,
    NoRepeatOpt,
    OutOpt,
    PlanOpt,
    SeedOpt,
    TimeOpt,
    before_solve,
    check_lang,
    err_console,
    guard,
    note,
    out_console,
    parse_day,
    print_notes,
    say,
    timeout_exit,
    wrote,
)
from planner.cli.pairing import infeasible_exit, levels_table
from planner.errors import Note
from planner.i18n import msg

if TYPE_CHECKING:
    pass

__all__ = ["compare_cmd", "register", "rotate_cmd", "whatif_cmd"]


# ----- rotate -----------------------------------------------------------------------------
def rotate_cmd(
    data: DataArg,
    out: OutOpt,
    cycles: Annotated[
        int, typer.Option("--cycles", min=1, max=10, help="联合规划的周期数(默认 3)")
    ] = 3,
    cycle: Annotated[
        str | None, typer.Option("--cycle", help="第一个周期的标签,如 2027-2030")
    ] = None,
    seed: SeedOpt = 0,
    time_limit: TimeOpt = 60.0,
    no_repeat_cycles: NoRepeatOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """多周期轮换:联合规划后续 N 个周期(每周期一个 plan.csv),并与逐周期规划对比。"""
    from rich.table import Table

    from models import SolveStatus

    check_lang(lang)

    def body() -> int:
        from planner.app.data import load_data
        from planner.app.rotate import REPORT_LEVELS, rotate, short_level_name, write_rotation

        ds = load_data(data, cycle=cycle, no_repeat_cycles=no_repeat_cycles)
        before_solve(ds.notes, out, seed, lang)
        p = ds.problem
        note(
            msg(
                lang,
                f"从 {p.cycle} 起联合规划 {cycles} 个周期:{len(p.active_leaders)} 名领导干部,"
                f"{len(p.active_counselors)} 名辅导员,不重复最近 {p.settings.no_repeat_cycles} 个周期的结对…",
                f"planning {cycles} cycles from {p.cycle}: {len(p.active_leaders)} leaders, "
                f"{len(p.active_counselors)} counselors, no repeat of the latest "
                f"{p.settings.no_repeat_cycles} cycle(s)…",
            )
        )
        with err_console.status(msg(lang, "求解中…", "solving…")) as status:

            def progress(step: str) -> None:
                status.update(msg(lang, f"求解中:{step}", f"solving: {step}"))

            outcome = rotate(
                p, cycles, seed=seed, time_limit=time_limit, lang=lang, progress=progress
            )
        res = outcome.result
        if res.status == SolveStatus.INFEASIBLE:
            infeasible_exit(
                out,
                p,
                res.findings,
                lang,
                msg(
                    lang,
                    f"无法在 {cycles} 个周期内都满足全部规定:",
                    f"no {cycles}-cycle plan satisfies the hard rules:",
                ),
            )
        if res.joint is None:
            timeout_exit(time_limit, lang)
        files = write_rotation(out, ds, outcome, seed=seed, time_limit=time_limit, lang=lang)
        zh = lang == "zh"
        t = Table(
            title=msg(lang, "多周期轮换:联合规划 / 逐周期规划", "rotation: lookahead / greedy")
        )
        t.add_column(msg(lang, "周期", "cycle"))
        for k in REPORT_LEVELS:
            t.add_column(short_level_name(k, lang), justify="right")
        joint = res.joint or []
        for i, label in enumerate(res.labels):
            cells = [label]
            for k in REPORT_LEVELS:
                a = str(joint[i].levels[k]) if i < len(joint) else "-"
                b = (
                    str(res.greedy[i].levels[k])
                    if i < len(res.greedy)
                    else "无解"
                    if zh
                    else "none"
                )
                cells.append(f"{a} / {b}")
            t.add_row(*cells)
        jt, gt = res.totals("joint"), res.totals("greedy")
        full = res.greedy_failed_at is None
        t.add_row(
            "合计" if zh else "total",
            *[f"{jt[k]} / {gt[k] if full else '-'}" for k in REPORT_LEVELS],
        )
        out_console.print(t)
        say(outcome.note)
        wrote(
            files,
            lang,
            msg(
                lang,
                f"完成({res.greedy_seconds + res.joint_seconds:.2f} 秒),每个周期均已通过独立校验。已写入:",
                f"done ({res.greedy_seconds + res.joint_seconds:.2f} s), every cycle checked by the independent validator. Wrote:",
            ),
        )
        return EXIT_OK

    guard(lang, body)


# ----- whatif -----------------------------------------------------------------------------
def whatif_cmd(
    data: DataArg,
    plan: PlanOpt,
    change: Annotated[Path, typer.Option("--change", help="变更文件(.toml,见 scenarios/changes/)")],
    out: OutOpt,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="人员变动生效日期 YYYY-MM-DD:新增结对的规划发展从此日起算"
            "(默认取变更文件中的 date = 2027-09-01,再无则取周期开始日)",
        ),
    ] = None,
    seed: SeedOpt = 0,
    time_limit: TimeOpt = 60.0,
    lang: LangOpt = "zh",
) -> None:
    """假设情形:人员变动后,以最少变动调整联系对应表(plan.csv、diff.csv)。

    变更文件可写顶层键 date = 2027-09-01(人员变动生效日期);--date 优先于它,两者都没有时按周期开始日计算新结对的规划发展期限。
    """
    from models import SolveStatus

    check_lang(lang)
    when = parse_day(date, "--date", lang) if date is not None else None

    def body() -> int:
        from planner.app.assign import level_label
        from planner.app.whatif import (
            MOVES,
            change_summary,
            read_whatif_inputs,
            whatif,
            write_whatif,
        )

        inputs = read_whatif_inputs(data, plan, [change])
        ds = inputs.data
        before_solve(ds.notes, out, seed, lang)
        if inputs.old_violations:
            note(
                msg(
                    lang,
                    f"提示:原联系对应表有 {len(inputs.old_violations)} 处不符合现行规定(调整时一并修正),例如:{inputs.old_violations[0].render(lang)}",
                    f"note: the old plan breaks {len(inputs.old_violations)} rule(s) already (fixed by the repair), e.g. {inputs.old_violations[0].render(lang)}",
                )
            )
        with err_console.status(msg(lang, "求解中…", "solving…")):
            outcome = whatif(
                ds.problem,
                inputs.old,
                inputs.changes[0],
                when=when,
                seed=seed,
                time_limit=time_limit,
                lang=lang,
            )
        if outcome.start_from == "cycle_start":
            note(
                msg(
                    lang,
                    "提示:未指定人员变动生效日期(--date 或变更文件中的 date),"
                    f"新结对的规划发展期限按周期开始日 {outcome.start.isoformat()} 计算。",
                    "note: no effective date of the change given (--date or date in the "
                    "change file); career guidance of new pairs is due counting from the "
                    f"cycle start {outcome.start.isoformat()}.",
                )
            )
        print_notes(outcome.notes, lang)
        note(msg(lang, "变更:", "change: ") + change_summary(outcome.applied, lang))
        res = outcome.result
        if res.status == SolveStatus.INFEASIBLE:
            infeasible_exit(
                out,
                outcome.applied.problem,
                res.findings,
                lang,
                msg(
                    lang,
                    "变更后无法得到满足全部规定的联系对应表:",
                    "after the change no plan satisfies the hard rules:",
                ),
            )
        if res.plan is None:
            timeout_exit(time_limit, lang)

        def name(k: str) -> str:
            return msg(lang, "变动结对数", "moves") if k == MOVES else level_label(k, lang)

        files = write_whatif(
            out,
            outcome,
            data=ds,
            seed=seed,
            time_limit=time_limit,
            lang=lang,
            plan_file=plan,
            change_file=change,
            level_name=name,
        )
        out_console.print(
            levels_table(
                res.levels, lang, msg(lang, "调整结果(按优先级)", "repair (in priority order)")
            )
        )
        say(outcome.summary)
        wrote(
            files,
            lang,
            msg(
                lang,
                f"完成({res.seconds:.2f} 秒),已通过独立校验。已写入:",
                f"done ({res.seconds:.2f} s), checked by the independent validator. Wrote:",
            ),
        )
        return EXIT_OK

    guard(lang, body)


# ----- compare ----------------------------------------------------------------------------
def compare_cmd(
    data: DataArg,
    plan: PlanOpt,
    change: Annotated[
        list[Path], typer.Option("--change", help="变更文件(.toml),可多次给出,每个是一个方案")
    ],
    out: OutOpt,
    top: Annotated[
        int, typer.Option("--top", min=1, max=20, help="离岗领导的每名辅导员列出几名接收领导")
    ] = 3,
    seed: SeedOpt = 0,
    time_limit: TimeOpt = 60.0,
    lang: LangOpt = "zh",
) -> None:
    """对比多个假设情形:各需变动几对、结对与本单位情况、是否可行(compare.xlsx)。"""
    from rich.table import Table

    check_lang(lang)

    def body() -> int:
        from planner.app.whatif import MOVES, compare, read_whatif_inputs, write_compare

        inputs = read_whatif_inputs(data, plan, list(change))
        before_solve(inputs.data.notes, out, seed, lang)
        with err_console.status(msg(lang, "求解中…", "solving…")):
            outcome = compare(
                inputs.data.problem,
                inputs.old,
                inputs.changes,
                seed=seed,
                time_limit=time_limit,
                top=top,
                lang=lang,
            )
        path = write_compare(out, outcome)
        for o in outcome.options:
            # A change overriding a rule of 约束 is a decision the office must see per option.
            loud = [n for n in o.applied.notes if n.loud]
            print_notes(
                [
                    Note(
                        f"{o.change.name}:" + n.message_zh,
                        f"{o.change.name}: " + n.message_en,
                        True,
                    )
                    for n in loud
                ],
                lang,
            )
        zh = lang == "zh"
        t = Table(title=msg(lang, "假设情形对比", "what-if options"))
        t.add_column(msg(lang, "方案", "option"), overflow="fold")
        for col in (
            msg(lang, "可行", "feasible"),
            msg(lang, "变动", "moves"),
            msg(lang, "结对", "pairs"),
            msg(lang, "本单位", "own-unit"),
            msg(lang, "负责人", "heads"),
            msg(lang, "负荷", "loads"),
            msg(lang, "新增", "added"),
            msg(lang, "取消", "dropped"),
        ):
            t.add_column(col, justify="right")
        for o in outcome.options:
            loads = o.loads()
            lv = o.result.levels
            n_add = sum(1 for r in o.diff if r.added)
            t.add_row(
                o.change.name,
                ("是" if o.feasible else "否") if zh else str(o.feasible).lower(),
                str(o.result.moves) if o.feasible else "-",
                str(lv.get("pairs", "-")),
                str(lv.get("own_unit_pairs", "-")),
                str(lv.get("heads_covered", "-")),
                f"{loads[0]}-{loads[1]}" if loads else "-",
                str(n_add) if o.feasible else "-",
                str(len(o.diff) - n_add) if o.feasible else "-",
            )
        out_console.print(t)
        for o, s in zip(outcome.options, outcome.summaries, strict=True):
            say(f"- {o.change.name}: {s}")
            if o.unranked_note(lang):
                say("  " + o.unranked_note(lang))
        ranked = [(o, a) for o in outcome.options for a in o.absorb]
        if ranked:
            ta = Table(
                title=msg(
                    lang, "离岗领导所联系辅导员的接收方案", "who could take a leaver's counselors"
                )
            )
            # Names wrap at 80 columns, never cut; the short figures keep their width.
            for col, names in (
                (msg(lang, "方案", "option"), True),
                (msg(lang, "辅导员", "counselor"), True),
                (msg(lang, "排序", "rank"), False),
                (msg(lang, "接收领导", "receiving leader"), True),
                (msg(lang, "变动", "moves"), False),
                (msg(lang, "结对", "pairs"), False),
                (msg(lang, "本单位", "own-unit"), False),
                (msg(lang, "推荐", "chosen"), False),
            ):
                ta.add_column(col, overflow="fold", no_wrap=not names)
            for o, a in ranked:
                p = o.applied.problem
                c = p.counselor_by_id[a.counselor_id]
                recv = (
                    f"{p.leader_by_id[a.leader_id].name}({a.leader_id})"
                    if a.leader_id
                    else msg(lang, "无需新增", "none needed")
                )
                ta.add_row(
                    o.change.name,
                    f"{c.name}({c.counselor_id})",
                    str(a.rank),
                    recv,
                    str(a.levels[MOVES]),
                    str(a.levels["pairs"]),
                    str(a.levels["own_unit_pairs"]),
                    "✓" if a.chosen else "",
                )
            out_console.print(ta)
        say(msg(lang, f"已写入 {path}", f"wrote {path}"))
        return EXIT_OK

    guard(lang, body)


def register(app: typer.Typer) -> None:
    """Add ``rotate``, ``whatif`` and ``compare``."""
    app.command("rotate")(rotate_cmd)
    app.command("whatif")(whatif_cmd)
    app.command("compare")(compare_cmd)
