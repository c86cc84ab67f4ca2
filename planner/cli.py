"""Command line: thin — parse → read → precheck → solve → validate → write.

Exit codes (CONTRACT.md §4): 0 done · 1 ``validate`` found broken rules ·
2 bad input or usage · 3 no result satisfies the hard rules (proven) ·
4 the time limit ran out before any result was found.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from models import SolveStatus
from planner import pipeline
from planner.errors import InputError, SolverBug
from planner.i18n import msg
from planner.io.read import DataSet, plan_cycle_labels, read_data, read_plan_pairs
from planner.pairing import LEVELS
from planner.rules.validate import removable_pairs

EXIT_OK, EXIT_BROKEN, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_TIMEOUT = 0, 1, 2, 3, 4

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="领导干部直接联系服务辅导员:结对、日程、统计。 Leader-counselor pairing planner.",
)
out_console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

LangOpt = Annotated[str, typer.Option("--lang", help="zh(默认)或 en: 提示、表头和单元格的语言")]
SeedOpt = Annotated[int, typer.Option("--seed", help="随机种子:同样输入与种子得到同样结果")]
TimeOpt = Annotated[float, typer.Option("--time-limit", min=0.01, help="求解时限(秒,大于 0)")]
DataArg = Annotated[Path, typer.Argument(help="数据文件夹或 .xlsx 工作簿")]
OutOpt = Annotated[Path, typer.Option("--out", help="输出文件夹")]


def _check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise typer.BadParameter("--lang 只能是 zh 或 en (must be zh or en)")
    return lang


def _fail(code: int, text: str) -> NoReturn:
    err_console.print(text, markup=False)
    raise typer.Exit(code)


def _guard(lang: str, body: Callable[[], int]) -> None:
    """Run a command body; turn bad input into a message and exit 2, never a traceback."""
    try:
        code = body()
    except typer.Exit:
        raise
    except InputError as exc:
        head = msg(
            lang,
            f"输入有 {len(exc.problems)} 处问题,请修改后重试:",
            f"{len(exc.problems)} problem(s) in the input; fix and retry:",
        )
        _fail(EXIT_INPUT, head + "\n" + exc.render(lang))
    except SolverBug as exc:
        _fail(
            EXIT_BROKEN,
            msg(
                lang,
                f"内部错误:独立校验未通过(请报告此问题):{exc}",
                f"internal error: the independent validator rejected the solver's plan (please report): {exc}",
            ),
        )
    except (OSError, UnicodeError, ValueError) as exc:
        if os.environ.get("PLANNER_DEBUG"):
            raise
        _fail(EXIT_INPUT, msg(lang, f"无法完成:{exc}", f"cannot complete: {exc}"))
    raise typer.Exit(code)


def _notes(data: DataSet, lang: str) -> None:
    for note in data.notes:
        err_console.print(msg(lang, "提示:", "note: ") + note.render(lang), markup=False)


def _levels_table(levels: dict[str, int], lang: str) -> Table:
    t = Table(title=msg(lang, "目标各层次(按优先级)", "objective levels (in priority order)"))
    t.add_column(msg(lang, "层次", "level"))
    t.add_column(msg(lang, "值", "value"), justify="right")
    for lv in LEVELS:
        if lv.name in levels:
            t.add_row(lv.zh if lang == "zh" else lv.en, str(levels[lv.name]))
    return t


def _read(data: Path, cycle: str | None = None) -> DataSet:
    return read_data(data, cycle=cycle)


@app.command()
def assign(
    data: DataArg,
    out: OutOpt,
    cycle: Annotated[str | None, typer.Option("--cycle", help="周期标签,如 2027-2030")] = None,
    seed: SeedOpt = 0,
    time_limit: TimeOpt = 60.0,
    no_repeat_cycles: Annotated[
        int | None,
        typer.Option("--no-repeat-cycles", min=0, help="禁止重复最近 N 个周期的结对(覆盖设置)"),
    ] = None,
    lang: LangOpt = "zh",
) -> None:
    """生成联系对应表 (plan.csv / plan.xlsx / plan.json)。"""
    _check_lang(lang)

    def body() -> int:
        ds = _read(data, cycle)
        if no_repeat_cycles is not None:
            s = ds.problem.settings.model_copy(update={"no_repeat_cycles": no_repeat_cycles})
            ds.problem = ds.problem.replace(settings=s)
        _notes(ds, lang)
        return _assign_and_write(ds, out, seed=seed, time_limit=time_limit, lang=lang)

    _guard(lang, body)


def _assign_and_write(ds: DataSet, out: Path, *, seed: int, time_limit: float, lang: str) -> int:
    p = ds.problem
    err_console.print(
        msg(
            lang,
            f"周期 {p.cycle}:{len(p.active_leaders)} 名领导干部,{len(p.active_counselors)} 名辅导员,求解中…",
            f"cycle {p.cycle}: {len(p.active_leaders)} leaders, {len(p.active_counselors)} counselors; solving…",
        ),
        markup=False,
    )
    with err_console.status(msg(lang, "求解中…", "solving…")) as status:

        def progress(level: str) -> None:
            name = next(
                (lv.zh if lang == "zh" else lv.en for lv in LEVELS if lv.name == level), level
            )
            status.update(msg(lang, f"求解中:{name}", f"solving: {name}"))

        outcome = pipeline.assign(ds, seed=seed, time_limit=time_limit, progress=progress)
    if outcome.status == SolveStatus.INFEASIBLE:
        path = pipeline.write_diagnosis(out, ds, outcome)
        lines = [
            msg(lang, "无法生成满足全部规定的联系对应表:", "no plan satisfies the hard rules:")
        ]
        lines += [f"- {f.render(lang)}" for f in outcome.findings]
        lines.append(msg(lang, f"诊断已写入 {path}", f"diagnosis written to {path}"))
        _fail(EXIT_INFEASIBLE, "\n".join(lines))
    if outcome.status == SolveStatus.UNKNOWN or outcome.plan is None:
        _fail(
            EXIT_TIMEOUT,
            msg(
                lang,
                f"在 {time_limit:g} 秒内未找到方案,请用 --time-limit 延长时限。",
                f"no plan found within {time_limit:g} s; raise --time-limit.",
            ),
        )
    files = pipeline.write_assign_outputs(
        out, ds, outcome, seed=seed, time_limit=time_limit, lang=lang
    )
    res = outcome.result
    assert res is not None
    out_console.print(_levels_table(res.levels, lang))
    if outcome.status == SolveStatus.FEASIBLE:
        err_console.print(
            msg(
                lang,
                "注意:时限内未能证明最优,结果为可行方案。",
                "note: time ran out before optimality was proven; the plan is feasible.",
            )
        )
    out_console.print(
        msg(
            lang,
            f"完成({res.seconds:.2f} 秒,{'最优' if outcome.status == SolveStatus.OPTIMAL else '可行'}),已通过独立校验。已写入:",
            f"done ({res.seconds:.2f} s, {outcome.status.value}), checked by the independent validator. Wrote:",
        )
    )
    for f in files:
        out_console.print(f"  {f}", markup=False)
    return EXIT_OK


@app.command()
def validate(
    data: DataArg,
    plan: Annotated[Path, typer.Argument(help="要检查的 plan.csv / plan.xlsx(可手工修改过)")],
    lang: LangOpt = "zh",
) -> None:
    """检查(手工修改过的)联系对应表是否违反规定:每条问题一行。"""
    _check_lang(lang)

    def body() -> int:
        from planner.io.schedule_files import looks_like_schedule

        try:
            is_schedule = looks_like_schedule(plan)
        except (UnicodeError, OSError):
            is_schedule = False  # read_plan_pairs names the file and the encoding problem
        if is_schedule:
            return _validate_schedule(data, plan, lang)
        cycle, pairs = read_plan_pairs(plan)
        labels = plan_cycle_labels(plan)
        if len(labels) > 1:
            out_console.print(
                msg(
                    lang,
                    f"联系对应表混有多个周期({'、'.join(labels)}),一份对应表只能属于一个周期",
                    f"the plan mixes cycles ({', '.join(labels)}); a plan belongs to one cycle",
                ),
                markup=False,
            )
            return EXIT_BROKEN
        ds = _read(data, cycle)
        violations = pipeline.validate_plan_file(ds.problem, pairs)
        for v in violations:
            out_console.print(v.render(lang), markup=False)
        if violations:
            err_console.print(
                msg(
                    lang,
                    f"发现 {len(violations)} 处违反规定。",
                    f"{len(violations)} broken rule(s).",
                )
            )
            return EXIT_BROKEN
        spare = removable_pairs(ds.problem, [(a, b) for a, b, _ in pairs])
        if spare:
            err_console.print(
                msg(
                    lang,
                    f"提示:有 {len(spare)} 对第二联系领导可以去掉而不违反负荷(不是最少结对方案)。",
                    f"note: {len(spare)} second-leader pair(s) could be dropped within the loads (not the fewest pairs).",
                )
            )
        out_console.print(
            msg(
                lang,
                f"通过:{len(pairs)} 对联系关系符合全部规定。",
                f"valid: {len(pairs)} pairs obey every rule.",
            )
        )
        return EXIT_OK

    _guard(lang, body)


def _validate_schedule(data: Path, path: Path, lang: str) -> int:
    """``validate`` on a schedule.csv: every scheduling rule re-checked, one line each."""
    from planner.cli_schedule import calendar_of, read_pair_starts
    from planner.io.schedule_files import read_schedule, schedule_plan
    from planner.rules.validate_schedule import validate_schedule

    items = read_schedule(path)
    plan = schedule_plan(items)
    ds = _read(data, plan.cycle or None)
    starts_file = path.parent / "pair_starts.csv"
    starts = read_pair_starts(starts_file) if starts_file.is_file() else None
    config = calendar_of(ds)
    violations = validate_schedule(
        ds.problem,
        plan,
        config,
        ds.tables.get("unavailable", []),
        ds.tables.get("events", []),
        items,
        pair_starts=starts,
    )
    for v in violations:
        out_console.print(v.render(lang), markup=False)
    if violations:
        err_console.print(
            msg(lang, f"发现 {len(violations)} 处违反规定。", f"{len(violations)} broken rule(s).")
        )
        return EXIT_BROKEN
    out_console.print(
        msg(
            lang,
            f"通过:日程 {len(items)} 项符合全部规定。",
            f"valid: {len(items)} schedule items obey every rule.",
        ),
        markup=False,
    )
    return EXIT_OK


def demo_data_dir() -> Path:
    """The bundled demo college (``scenarios/demo``)."""
    here = Path(__file__).resolve().parent
    for cand in (here.parent / "scenarios" / "demo", here / "scenarios" / "demo"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("scenarios/demo")


@app.command()
def demo(out: OutOpt = Path("out/demo"), seed: SeedOpt = 0, lang: LangOpt = "zh") -> None:
    """用内置示例学院(45 名辅导员)跑通全流程。"""
    _check_lang(lang)

    def body() -> int:
        from planner.demo import run_demo

        src = demo_data_dir()
        out_console.print(
            msg(lang, f"示例学院数据:{src}", f"demo college data: {src}"), markup=False
        )
        rc = run_demo(app, src, out, seed, lang, lambda t: out_console.print(t, markup=False))
        if rc == EXIT_OK:
            out_console.print(
                msg(lang, f"\n全部完成,结果在 {out}/", f"\nall done; results in {out}/"),
                markup=False,
            )
        return rc

    _guard(lang, body)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("已取消 (cancelled)")
        sys.exit(130)


# Commands of the records/report side live in their own module (init, status, report).
from planner.cli_records import register as _register_records  # noqa: E402
from planner.cli_rotation import register as _register_rotation  # noqa: E402
from planner.cli_schedule import register as _register_schedule  # noqa: E402

_register_rotation(app)
_register_schedule(app)
_register_records(app)

from planner.cli_serve import register as _register_serve  # noqa: E402

_register_serve(app)
