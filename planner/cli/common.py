"""What every command shares: the consoles, exit codes, options, and turning errors into messages.

Exit codes (CONTRACT.md §4): 0 done · 1 ``validate`` found broken rules · 2 bad input or
usage · 3 no result satisfies the hard rules (proven) · 4 the time limit ran out before any
result was found. Bad input never gives a traceback (set ``PLANNER_DEBUG=1`` to see one).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from planner.errors import InputError, Note, OutputError, SolverBug
from planner.i18n import msg

EXIT_OK, EXIT_BROKEN, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_TIMEOUT = 0, 1, 2, 3, 4


class _LazyConsole:
    """A rich Console made on first use, so ``planner --help`` does not load rich."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, highlight=False, soft_wrap=True)
        return getattr(self._console, name)


out_console: Any = _LazyConsole(stderr=False)
err_console: Any = _LazyConsole(stderr=True)

LangOpt = Annotated[str, typer.Option("--lang", help="zh(默认)或 en: 提示、表头和单元格的语言")]
SeedOpt = Annotated[
    int,
    typer.Option(
        "--seed", help="方案编号:同样的数据和编号总得到同样的方案(一般不用改;任何整数都可以)"
    ),
]
TimeOpt = Annotated[
    float, typer.Option("--time-limit", min=0.01, help="最长计算时间,单位秒(大于 0)")
]
DataArg = Annotated[Path, typer.Argument(metavar="数据", help="数据文件夹或 .xlsx 工作簿")]
OutOpt = Annotated[Path, typer.Option("--out", help="输出文件夹")]
PlanOpt = Annotated[
    Path, typer.Option("--plan", help="联系对应表 plan.csv / plan.xlsx(或其所在文件夹)")
]
NoRepeatOpt = Annotated[
    int | None,
    typer.Option("--no-repeat-cycles", min=0, help="禁止重复最近 N 个周期的结对(覆盖设置)"),
]


def check_lang(lang: str) -> str:
    """``--lang`` must be zh or en (a usage error otherwise)."""
    if lang not in ("zh", "en"):
        raise typer.BadParameter("--lang 只能是 zh 或 en (must be zh or en)")
    return lang


def fail(code: int, text: str) -> NoReturn:
    """Print ``text`` on stderr and exit with ``code``."""
    err_console.print(text, markup=False)
    raise typer.Exit(code)


def say(text: str) -> None:
    """One line of the command's result on stdout (no rich markup)."""
    out_console.print(text, markup=False)


def note(text: str) -> None:
    """One remark on stderr (no rich markup)."""
    err_console.print(text, markup=False)


def guard(lang: str, body: Callable[[], int]) -> None:
    """Run a command body; turn bad input into a message and exit 2, never a traceback.

    An output folder that cannot take the result (a file, read-only, a full disk) and any
    other file error are said in the ``--lang`` language, naming the path (exit 2).
    """
    try:
        code = body()
    except typer.Exit:
        raise
    except OutputError as exc:
        fail(EXIT_INPUT, exc.render(lang))
    except InputError as exc:
        head = msg(
            lang,
            f"输入有 {len(exc.problems)} 处问题,请修改后重试:",
            f"{len(exc.problems)} problem(s) in the input; fix and retry:",
        )
        fail(EXIT_INPUT, head + "\n" + exc.render(lang))
    except SolverBug as exc:
        fail(
            EXIT_BROKEN,
            msg(
                lang,
                f"内部错误:独立校验未通过(请报告此问题):{exc}",
                f"internal error: the independent validator rejected the solver's result (please report): {exc}",
            ),
        )
    except OSError as exc:
        if os.environ.get("PLANNER_DEBUG"):
            raise
        from planner.app.output import describe_os_error

        fail(EXIT_INPUT, describe_os_error(exc).render(lang))
    except (UnicodeError, ValueError) as exc:
        if os.environ.get("PLANNER_DEBUG"):
            raise
        fail(EXIT_INPUT, msg(lang, f"无法完成:{exc}", f"cannot complete: {exc}"))
    raise typer.Exit(code)


def check_out(out: Path, *, pairs: int | None = None) -> None:
    """Before a long solve: exit 2 now if ``out`` cannot take the result (a file, read-only,
    a full disk), and settle what a killed earlier run left in it.

    ``pairs``: the plan's size, for ``schedule`` (its calendars need more room).
    """
    from planner.app.output import check_output, schedule_need_bytes

    if pairs is None:
        check_output(out)
    else:
        check_output(out, need_bytes=schedule_need_bytes(pairs))


def seed_note(seed: int, lang: str) -> None:
    """Say how a seed outside CP-SAT's 32 bits is used (it is recorded as given)."""
    from planner.app.runrecord import solver_seed

    used = solver_seed(seed)
    if used != seed:
        note(
            msg(
                lang,
                f"提示:种子 {seed} 超出求解器的范围,按 2^31 取余后使用 {used}(记录中保留原值)。",
                f"note: seed {seed} is outside the solver's range; {used} (modulo 2^31) is used "
                "(the record keeps the seed given).",
            )
        )


def print_notes(notes: Iterable[Note], lang: str) -> None:
    """The input's notes, one per line on stderr; loud ones as warnings, in bold."""
    for n in notes:
        if n.loud:
            err_console.print(
                msg(lang, "警告:", "WARNING: ") + n.render(lang), markup=False, style="bold"
            )
        else:
            note(msg(lang, "提示:", "note: ") + n.render(lang))


def before_solve(
    notes: Iterable[Note], out: Path, seed: int, lang: str, *, pairs: int | None = None
) -> None:
    """What every solving command does once its inputs are read: print their notes, check OUT
    (:func:`check_out`) and say how the seed is used (:func:`seed_note`)."""
    print_notes(notes, lang)
    check_out(out, pairs=pairs)
    seed_note(seed, lang)


def parse_day(text: str, option: str, lang: str = "zh") -> date:
    """A date option (``--as-of``, ``--date``); a usage error when it is not a date."""
    from planner.app.data import day_problem
    from planner.app.data import parse_day as parse

    d = parse(text)
    if d is None:
        zh, en = day_problem(text)
        raise typer.BadParameter(
            msg(lang, f"日期“{text}”有误:{zh}", f"{text!r} is not a date: {en}"),
            param_hint=option,
        )
    return d


def timeout_exit(time_limit: float, lang: str) -> NoReturn:
    """Exit 4: the time limit ran out before any result was found."""
    fail(
        EXIT_TIMEOUT,
        msg(
            lang,
            f"在 {time_limit:g} 秒内未找到方案,请用 --time-limit 延长时限。",
            f"no plan found within {time_limit:g} s; raise --time-limit.",
        ),
    )


def wrote(files: Iterable[Path], lang: str, head: str | None = None) -> None:
    """List written files, one per line."""
    say(head if head is not None else msg(lang, "已写入:", "wrote:"))
    for f in files:
        say(f"  {f}")
