"""``run_server``: the page on 127.0.0.1 only, for this computer's browsers only (CONTRACT.md §4).

- Bound to the loopback address; NiceGUI sends no telemetry and serves every asset from the
  installed package, so no request leaves the machine.
- DNS rebinding: a page of another site whose name is made to resolve to 127.0.0.1 still
  sends its own name as ``Host`` and its own origin as ``Origin``. :class:`LoopbackOnly`
  refuses any request whose Host is not ``127.0.0.1:PORT`` or ``localhost:PORT`` (421) and any
  request or websocket handshake that carries a foreign ``Origin`` (403), before NiceGUI or
  socket.io see it. An upload whose body is larger than the limit is refused from its
  ``Content-Length`` (413) before a byte of it is stored.
- Address reuse: uvicorn binds through asyncio's ``create_server``, which sets
  ``SO_REUSEADDR`` on POSIX, so a restart right after a stop works although the last
  connections linger in TIME_WAIT; :func:`port_free` asks the same question the same way.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from nicegui import app, core, ui

from planner.app.uploads import MAX_UPLOAD_BYTES
from planner.i18n import msg
from planner.web.jobs import warm_up
from planner.web.page import TITLE_EN, TITLE_ZH, create
from planner.web.state import PageState

log = logging.getLogger("planner.web")

__all__ = ["HOST", "LoopbackOnly", "open_state", "port_free", "run_server"]

HOST = "127.0.0.1"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_SLACK = 1024 * 1024
"""Room for the multipart framing around an upload of :data:`MAX_UPLOAD_BYTES`."""


def port_free(port: int, host: str = HOST) -> bool:
    """Whether ``host:port`` can be bound now, with the same address reuse as the server.

    A port whose last connections are in TIME_WAIT (the page was stopped a moment ago) is
    free: the server binds it with ``SO_REUSEADDR`` as well. On Windows, where that option
    would let two programs share a port, the exclusive option is used instead.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        if os.name == "nt":  # pragma: no cover - Windows only
            s.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)  # type: ignore[attr-defined]
        else:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


class LoopbackOnly:
    """ASGI middleware: only this computer's own pages may talk to the server.

    Parameters
    ----------
    app
        The application behind it.
    port
        The port served; Host must be ``127.0.0.1:port`` or ``localhost:port``.
    max_upload
        Largest request body accepted on an upload route (by its Content-Length).
    """

    def __init__(self, app: ASGIApp, port: int, max_upload: int = MAX_UPLOAD_BYTES) -> None:
        self.app = app
        self.port = port
        names = ("127.0.0.1", "localhost")
        self.hosts = {f"{n}:{port}" for n in names} | (set(names) if port == 80 else set())
        self.origins = {f"http://{h}" for h in self.hosts}
        self.max_upload = max_upload + UPLOAD_SLACK

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "").strip().lower()
        if host not in self.hosts:
            log.warning("refused a request for host %r (only %s)", host, sorted(self.hosts))
            await self._refuse(
                scope,
                send,
                421,
                f"此网页只能在本机通过 http://127.0.0.1:{self.port} 打开。\n"
                f"This page is served only at http://127.0.0.1:{self.port} on this computer.\n",
            )
            return
        origin = headers.get("origin")
        if origin is not None and origin.strip().lower() not in self.origins:
            log.warning("refused a cross-origin request from %r", origin)
            await self._refuse(
                scope,
                send,
                403,
                "拒绝来自其他网站的请求。\nRequests from other sites are refused.\n",
            )
            return
        if (
            scope["type"] == "http"
            and scope.get("method") == "POST"
            and "/upload/" in scope["path"]
        ):
            length = headers.get("content-length", "")
            if not length.isdigit():
                await self._refuse(scope, send, 411, "Content-Length required.\n")
                return
            if int(length) > self.max_upload:
                mb = (self.max_upload - UPLOAD_SLACK) // (1024 * 1024)
                await self._refuse(
                    scope,
                    send,
                    413,
                    f"文件过大:单次上传不能超过 {mb} MB。\nThe upload is larger than {mb} MB.\n",
                )
                return
        await self.app(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, status: int, text: str) -> None:
        if scope["type"] == "websocket":
            # Closing before the handshake is accepted makes the server answer it with 403.
            await send({"type": "websocket.close", "code": 1008})
            return
        body = text.encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def open_state(folder: Path | None, lang: str = "zh") -> PageState:
    """The page's state on the workspace ``folder`` (None: the per-user default), loaded.

    Raises
    ------
    WorkspaceError
        When the workspace cannot be opened (locked, damaged, from a newer program, …).
    """
    return PageState.on_workspace(folder, lang)


def run_server(
    port: int,
    lang: str = "zh",
    open_browser: bool = False,
    state: PageState | None = None,
    workspace: Path | None = None,
) -> None:
    """Serve the page on ``127.0.0.1:port`` until Ctrl+C (or the window is closed).

    One state per server, kept in the workspace (``state``, else the one opened on
    ``workspace``): every browser window of this computer shares it.
    """
    if state is None:
        state = open_state(workspace, lang)

    def error_page(exc: Exception) -> None:
        log.error("page failed: %s", exc)
        ui.label(msg(lang, "页面出错,请刷新重试。", "The page failed; reload to retry.")).classes(
            "text-red-800"
        )

    app.add_middleware(LoopbackOnly, port=port)
    # socket.io answers cross-origin handshakes only for the page's own origins as well.
    core.sio.eio.cors_allowed_origins = sorted(
        f"http://{n}:{port}" for n in ("127.0.0.1", "localhost")
    )
    app.on_page_exception(error_page)
    ui.button.default_props("no-caps")
    app.on_startup(warm_up)
    app.on_shutdown(state.close)
    ui.run(
        create(state),
        host=HOST,
        port=port,
        title=msg(lang, TITLE_ZH, TITLE_EN),
        language="zh-CN" if lang == "zh" else "en-US",
        reload=False,
        show=open_browser,
        show_welcome_message=False,
        uvicorn_logging_level="warning",
        favicon="🗂",
    )
