"""Command ``demo``: every command, in the order the office uses them, on the demo college.

Each step runs the real command (same code path, same messages, same files) so
the demo is also an end-to-end smoke test of the CLI.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable
from pathlib import Path

import typer
from typer.main import get_command

from planner.cli.common import EXIT_OK, LangOpt, OutOpt, SeedOpt, check_lang, guard, say
from planner.i18n import msg

AS_OF = "2027-09-01"  # a day inside the demo cycle's first year, for the status view
YEAR = "2027"


def demo_steps(data: Path, out: Path, seed: int, lang: str) -> list[tuple[str, str, list[str]]]:
    """(Chinese title, English title, argv) of each step."""
    plan = out / "plan.csv"
    changes = sorted((data.parent / "changes").glob("*.toml"))
    common = ["--lang", lang]
    steps: list[tuple[str, str, list[str]]] = [
        (
            "生成联系对应表",
            "pairing table",
            ["assign", str(data), "--out", str(out), "--seed", str(seed), *common],
        ),
        ("独立校验联系对应表", "validate the plan", ["validate", str(data), str(plan), *common]),
        (
            "排出三年联系日程",
            "contact calendar",
            ["schedule", str(data), "--plan", str(plan), "--out", str(out), *common],
        ),
        (
            "独立校验日程",
            "validate the schedule",
            ["validate", str(data), str(out / "schedule.csv"), *common],
        ),
        (
            f"工作进展(截至 {AS_OF})",
            f"status as of {AS_OF}",
            [
                "status",
                str(data),
                "--plan",
                str(plan),
                "--schedule",
                str(out / "schedule.csv"),
                "--as-of",
                AS_OF,
                "--out",
                str(out),
                *common,
            ],
        ),
        (
            f"{YEAR} 年度汇总表与文档",
            f"{YEAR} annual summary and documents",
            [
                "report",
                str(data),
                "--plan",
                str(plan),
                "--year",
                YEAR,
                "--schedule",
                str(out / "schedule.csv"),
                "--out",
                str(out),
                *common,
            ],
        ),
        (
            f"{YEAR} 全省汇总(省委教育工委汇总各学院的年度汇总表)",
            f"{YEAR} province roll-up of the colleges' annual summaries",
            [
                "province",
                str(out / f"年度汇总表-{YEAR}.xlsx"),
                "--year",
                YEAR,
                "--out",
                str(out / "province"),
                *common,
            ],
        ),
        (
            "三个周期轮换(联合规划 vs 逐期)",
            "rotation over three cycles",
            ["rotate", str(data), "--cycles", "3", "--out", str(out / "rotation"), *common],
        ),
    ]
    for ch in changes:
        steps.append(
            (
                f"假设情形:{ch.stem}",
                f"what-if: {ch.stem}",
                [
                    "whatif",
                    str(data),
                    "--plan",
                    str(plan),
                    "--change",
                    str(ch),
                    "--out",
                    str(out / "whatif" / ch.stem),
                    *common,
                ],
            )
        )
    if changes:
        compare = ["compare", str(data), "--plan", str(plan)]
        for ch in changes:
            compare += ["--change", str(ch)]
        steps.append(
            (
                "比较各方案",
                "compare the options",
                [*compare, "--out", str(out / "compare"), *common],
            )
        )
    steps += [
        (
            "各领导的联系记录填报表",
            "fill-in forms for the leaders",
            [
                "forms",
                str(data),
                "--plan",
                str(plan),
                "--out",
                str(out / "forms"),
                "--as-of",
                AS_OF,
                *common,
            ],
        ),
        (
            "导入工作区",
            "import into a workspace",
            ["workspace", "import", str(data), "--workspace", str(out / "workspace"), *common],
        ),
        (
            "导出工作区",
            "export the workspace",
            [
                "workspace",
                "export",
                str(out / "workspace-export"),
                "--workspace",
                str(out / "workspace"),
                *common,
            ],
        ),
        (
            "空白填报模板",
            "blank template workbook",
            ["init", str(out / "数据填报模板.xlsx"), "--force", *common],
        ),
    ]
    return steps


def run_demo(
    app: typer.Typer, data: Path, out: Path, seed: int, lang: str, say: Callable[[str], None]
) -> int:
    """Run every step; one line each on screen, every step's own output in ``OUT/demo.log``.

    Stops at the first step that fails, shows its output and returns its exit code.
    """
    cmd = get_command(app)
    steps = demo_steps(data, out, seed, lang)
    out.mkdir(parents=True, exist_ok=True)
    log = out / "demo.log"
    with log.open("w", encoding="utf-8") as fh:
        for k, (zh, en, argv) in enumerate(steps, start=1):
            title = zh if lang == "zh" else en
            fh.write(f"\n== {k}/{len(steps)} {title}: planner {' '.join(argv)}\n")
            buf = io.StringIO()
            t0 = time.perf_counter()
            with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
                try:
                    rc = cmd.main(args=argv, standalone_mode=False, prog_name="planner")
                except SystemExit as exc:  # pragma: no cover - a command exiting on its own
                    rc = exc.code
            fh.write(buf.getvalue())
            secs = time.perf_counter() - t0
            if rc not in (0, None):
                say(buf.getvalue())
                say(
                    msg(
                        lang,
                        f"✗ {k}/{len(steps)} {title} 失败(退出码 {rc})",
                        f"✗ {k}/{len(steps)} {title} failed (exit {rc})",
                    )
                )
                return int(rc) if isinstance(rc, int) else 1
            say(
                f"✓ {k}/{len(steps)} {title}({secs:.1f} 秒)"
                if lang == "zh"
                else f"✓ {k}/{len(steps)} {title} ({secs:.1f} s)"
            )
    say(msg(lang, f"每一步的详细输出见 {log}", f"every step's own output: {log}"))
    return 0


def demo_cmd(out: OutOpt = Path("out/demo"), seed: SeedOpt = 0, lang: LangOpt = "zh") -> None:
    """用内置示例学院(45 名辅导员)跑通全流程。"""
    check_lang(lang)

    def body() -> int:
        from planner.app.data import demo_data_dir

        src = demo_data_dir()
        say(msg(lang, f"示例学院数据:{src}", f"demo college data: {src}"))
        app = click_app()
        rc = run_demo(app, src, out, seed, lang, say)
        if rc == EXIT_OK:
            say(msg(lang, f"\n全部完成,结果在 {out}/", f"\nall done; results in {out}/"))
        return rc

    guard(lang, body)


_APP: list[typer.Typer] = []


def click_app() -> typer.Typer:
    """The main typer app (set by :func:`register`)."""
    return _APP[0]


def register(app: typer.Typer) -> None:
    """Add ``demo`` (it runs the other commands of ``app``)."""
    _APP[:] = [app]
    app.command("demo")(demo_cmd)
