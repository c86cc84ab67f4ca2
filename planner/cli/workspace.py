"""Commands ``workspace import``, ``workspace export`` and ``workspace backup`` (CONTRACT.md §11)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from planner.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    LangOpt,
    check_lang,
    fail,
    guard,
    note,
    print_notes,
    say,
    wrote,
)
from planner.i18n import msg

__all__ = ["register", "workspace_app"]

workspace_app = typer.Typer(
    help="工作区:保存学院三年的全部数据(名单各版本、方案版本、人员变动、记录)。",
    no_args_is_help=True,
    add_completion=False,
)

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", help="工作区文件夹(默认:本用户的数据文件夹,planner serve 会显示)"),
]


def _run(lang: str, body: Callable[[], int]) -> None:
    """``guard`` plus the workspace's own errors (a locked, damaged or too new file)."""

    def wrapped() -> int:
        from planner.app.workspace import WorkspaceError

        try:
            return body()
        except WorkspaceError as exc:
            fail(EXIT_INPUT, exc.render(lang))

    guard(lang, wrapped)


@workspace_app.command("import")
def import_cmd(
    src: Annotated[Path, typer.Argument(metavar="数据", help="数据文件夹或 .xlsx 工作簿")],
    workspace: WorkspaceOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """导入一个新版本的名单、约束、设置与校历;历史联系成为往届方案;记录表合并(重复的列出,不重复导入)。"""
    check_lang(lang)

    def body() -> int:
        from planner.app.workspace import Workspace

        with Workspace(workspace) as ws:
            res = ws.import_source(src)
            print_notes(res.notes, lang)
            for table, rows in res.duplicates.items():
                note(
                    msg(
                        lang,
                        f"提示:{table} 中有 {len(rows)} 行与工作区已有记录重复,未重复导入(第 {', '.join(str(r + 2) for r in rows[:10])} 行…)",
                        f"note: {len(rows)} row(s) of {table} duplicate rows already kept; not imported again",
                    )
                )
            say(res.summary(lang))
            say(msg(lang, f"工作区:{ws.folder}", f"workspace: {ws.folder}"))
        return EXIT_OK

    _run(lang, body)


@workspace_app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Argument(metavar="输出文件夹", help="输出文件夹")],
    workspace: WorkspaceOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """导出工作区:data/(可直接使用的数据文件夹)、plans/(每个方案版本)、当前有效的 plan.csv 与日程。"""
    check_lang(lang)

    def body() -> int:
        from planner.app.workspace import Workspace

        with Workspace(workspace) as ws:
            res = ws.export(out, lang=lang)
        if res.plan_in_force is None:
            note(msg(lang, "提示:今天没有生效的联系对应表。", "note: no plan is in force today."))
        wrote(res.files[:12], lang)
        if len(res.files) > 12:
            say(msg(lang, f"  ……共 {len(res.files)} 个文件", f"  … {len(res.files)} files in all"))
        return EXIT_OK

    _run(lang, body)


@workspace_app.command("backup")
def backup_cmd(
    file: Annotated[Path, typer.Argument(metavar="备份文件", help="备份文件(.sqlite)")],
    workspace: WorkspaceOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """备份工作区为一个文件(网页运行时也可备份,得到一致的副本)。"""
    check_lang(lang)

    def body() -> int:
        from planner.app.workspace import Workspace

        with Workspace(workspace) as ws:
            path = ws.backup(file)
        say(msg(lang, f"已备份到 {path}", f"backed up to {path}"))
        return EXIT_OK

    _run(lang, body)


def register(app: typer.Typer) -> None:
    """Add the ``workspace`` command group."""
    app.add_typer(workspace_app, name="workspace")
