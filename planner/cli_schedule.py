"""``planner schedule``: the compliant contact calendar of a plan (CONTRACT.md §8-9)."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from models import Pair, Plan
from planner.errors import InputError, InputProblem
from planner.i18n import msg
from planner.io.read import DataSet, parse_date, read_data, read_plan_pairs
from planner.io.schedule_files import write_schedule_files
from planner.io.write import staged_output
from planner.rules.validate_schedule import validate_schedule
from planner.scheduling.builder import Schedule, build_schedule
from planner.workdays.official import EstimatedYearRefused
from planner.workdays.school_year import CalendarConfig

PAIR_STARTS = "pair_starts.csv"


def read_pair_starts(path: Path) -> dict[tuple[str, str], date]:
    """``pair_starts.csv`` (领导工号, 辅导员工号, 开始日期) written by ``whatif`` for added pairs."""
    out: dict[tuple[str, str], date] = {}
    problems: list[InputProblem] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for n, row in enumerate(csv.reader(fh), start=1):
            if n == 1 or not any(c.strip() for c in row):
                continue
            if len(row) < 3 or parse_date(row[2].strip()) is None:
                problems.append(
                    InputProblem(
                        path.name,
                        "应为 领导工号,辅导员工号,开始日期",
                        "expected leader_id,counselor_id,start",
                        row=n,
                        value=",".join(row),
                    )
                )
                continue
            d = parse_date(row[2].strip())
            assert d is not None
            out[(row[0].strip(), row[1].strip())] = d
    if problems:
        raise InputError(problems)
    return out


def calendar_of(ds: DataSet) -> CalendarConfig:
    """The calendar of a data set: calendar.toml and/or the 校历 table."""
    return CalendarConfig.from_sources(
        ds.calendar_toml, ds.tables.get("calendar", []), ds.problem.cycle_start
    )


def make_schedule(
    ds: DataSet,
    plan: Plan,
    *,
    strict: bool = False,
    seed: int = 0,
    pair_starts: dict[tuple[str, str], date] | None = None,
) -> tuple[Schedule, CalendarConfig]:
    """Build the schedule of ``plan`` and check it with the independent validator."""
    from planner.errors import SolverBug

    config = calendar_of(ds)
    unavailable = ds.tables.get("unavailable", [])
    events = ds.tables.get("events", [])
    sched = build_schedule(
        ds.problem,
        plan,
        config,
        unavailable,
        events,
        strict=strict,
        pair_starts=pair_starts,
        seed=seed,
    )
    bad = validate_schedule(
        ds.problem, plan, config, unavailable, events, sched.items, pair_starts=pair_starts
    )
    if bad:
        raise SolverBug("; ".join(v.render("en") for v in bad[:5]))
    return sched, config


def schedule_cmd(
    data: Annotated[Path, typer.Argument(help="数据文件夹或 .xlsx 工作簿")],
    plan: Annotated[Path, typer.Option("--plan", help="联系对应表 plan.csv / plan.xlsx")],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹")],
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
    seed: Annotated[int, typer.Option("--seed", help="随机种子")] = 0,
    lang: Annotated[str, typer.Option("--lang", help="zh(默认)或 en")] = "zh",
) -> None:
    """排出整个周期的联系日程:schedule.csv、schedule.xlsx 和 .ics 日历文件。"""
    from planner.cli import (
        EXIT_INPUT,
        EXIT_OK,
        _check_lang,
        _fail,
        _guard,
        _notes,
        err_console,
        out_console,
    )

    _check_lang(lang)

    def body() -> int:
        cycle, rows = read_plan_pairs(plan)
        ds = read_data(data, cycle=cycle)
        _notes(ds, lang)
        known_l = {x.leader_id for x in ds.problem.leaders}
        known_c = {x.counselor_id for x in ds.problem.counselors}
        unknown = [
            InputProblem(
                plan.name,
                "名单中没有这个领导或辅导员",
                "not on the rosters",
                row=r,
                value=f"{a}/{b}",
            )
            for a, b, r in rows
            if a not in known_l or b not in known_c
        ]
        if unknown:
            raise InputError(unknown)
        the_plan = Plan(
            cycle=cycle or ds.problem.cycle,
            pairs=tuple(Pair(leader_id=a, counselor_id=b) for a, b, _ in rows),
        )
        starts_file = pair_starts or (
            plan.parent / PAIR_STARTS if plan.is_file() else plan / PAIR_STARTS
        )
        starts = read_pair_starts(starts_file) if starts_file.is_file() else None
        try:
            with err_console.status(msg(lang, "排日程中…", "scheduling…")):
                sched, _ = make_schedule(ds, the_plan, strict=strict, pair_starts=starts)
        except EstimatedYearRefused as exc:
            _fail(EXIT_INPUT, exc.message_zh if lang == "zh" else exc.message_en)
        with (
            staged_output(out) as stage,
            err_console.status(msg(lang, "写入文件…", "writing files…")) as status,
        ):

            def progress(what: str) -> None:
                status.update(msg(lang, f"写入 {what}…", f"writing {what}…"))

            write_schedule_files(
                stage,
                ds.problem,
                sched.items,
                sched.cycle_start,
                sched.cycle_end,
                lang,
                progress=progress,
            )
        for w in sched.warnings:
            err_console.print(msg(lang, "提示:", "note: ") + w.render(lang), markup=False)
        forms = Counter(i.form.zh if lang == "zh" else i.form.value for i in sched.planned)
        out_console.print(
            msg(
                lang,
                f"周期 {sched.cycle}({sched.cycle_start}—{sched.cycle_end}):已排 {len(sched.planned)} 项,未排 {len(sched.unmet)} 项,用时 {sched.seconds:.2f} 秒,已通过独立校验。",
                f"cycle {sched.cycle} ({sched.cycle_start} to {sched.cycle_end}): {len(sched.planned)} planned, {len(sched.unmet)} unmet, {sched.seconds:.2f} s, checked by the independent validator.",
            ),
            markup=False,
        )
        out_console.print(
            "  " + "、".join(f"{k} {v}" for k, v in sorted(forms.items())), markup=False
        )
        for it in sched.unmet[:20]:
            out_console.print(
                f"  {msg(lang, '未排', 'unmet')}: {it.item_id} — {it.note_zh if lang == 'zh' else it.note_en}",
                markup=False,
            )
        if len(sched.unmet) > 20:
            out_console.print(
                msg(
                    lang,
                    f"  ……另有 {len(sched.unmet) - 20} 项未排,见 schedule.csv",
                    f"  … {len(sched.unmet) - 20} more unmet, see schedule.csv",
                )
            )
        out_console.print(
            msg(
                lang,
                f"已写入 {out}/schedule.csv、schedule.xlsx 与 .ics 文件",
                f"wrote {out}/schedule.csv, schedule.xlsx and .ics files",
            ),
            markup=False,
        )
        return EXIT_OK

    _guard(lang, body)


def register(app: typer.Typer) -> None:
    """Add ``schedule`` to the CLI."""
    app.command("schedule")(schedule_cmd)
