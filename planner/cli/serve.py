"""``planner serve``: the local web page for the office (CONTRACT.md §4).

The one place the command line touches the web package: it starts it. The page never imports
the command line; both call :mod:`planner.app`.

Serves on 127.0.0.1 only and prints the address; no request leaves the machine (the
page's assets come from the installed package and the framework sends no telemetry).
:func:`register` adds the command to the main typer app.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from planner.cli.common import EXIT_INPUT, LangOpt, check_lang, fail, out_console
from planner.i18n import msg

__all__ = ["register", "serve_cmd"]

HOST = "127.0.0.1"


def serve_cmd(
    port: Annotated[
        int,
        typer.Option("--port", min=1, max=65535, help="端口(默认 8501),只在本机 127.0.0.1 上提供"),
    ] = 8501,
    open_browser: Annotated[
        bool, typer.Option("--open", help="启动后自动用默认浏览器打开网页")
    ] = False,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            help="工作区文件夹:网页所做的一切都保存在这里(默认:本用户的数据文件夹)",
        ),
    ] = None,
    lang: LangOpt = "zh",
) -> None:
    """启动本机网页(http://127.0.0.1:端口):上传数据、结对、人员变动、日程、下载,无需命令行。"""

    check_lang(lang)
    url = f"http://{HOST}:{port}"
    try:
        from planner.app.workspace import WorkspaceError, default_folder
        from planner.web.server import open_state, port_free, run_server
    except ImportError as exc:
        fail(
            EXIT_INPUT,
            msg(
                lang,
                f"缺少网页组件({exc.name}),请重新安装依赖:pip install -r requirements.lock",
                f"the web page's packages are missing ({exc.name}); reinstall: pip install -r requirements.lock",
            ),
        )
    if not port_free(port):
        fail(
            EXIT_INPUT,
            msg(
                lang,
                f"端口 {port} 已被占用:规划工具可能已在运行(请直接打开 {url}),或用 --port 换一个端口。",
                f"port {port} is in use: the planner may already be running (open {url}), or pick another --port.",
            ),
        )
    folder = (workspace or default_folder()).expanduser().absolute()
    try:
        state = open_state(folder, lang)
    except WorkspaceError as exc:
        fail(EXIT_INPUT, exc.render(lang))
    out_console.print(
        msg(
            lang,
            f"规划工具网页已启动:{url}\n工作区(所有数据保存在此):{folder}\n"
            "仅本机可访问,数据不会离开这台电脑。关闭此窗口(或按 Ctrl+C)即停止。",
            f"planner page running at {url}\nworkspace (everything is kept here): {folder}\n"
            "local only; no data leaves this computer. Close this window (or Ctrl+C) to stop.",
        ),
        markup=False,
        highlight=False,
    )
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C ends the server quietly
        run_server(port, lang=lang, open_browser=open_browser, state=state)


def register(app: typer.Typer) -> None:
    """Add ``serve`` (idempotent)."""
    if "serve" not in {c.name for c in app.registered_commands}:
        app.command("serve")(serve_cmd)
