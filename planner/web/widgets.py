"""What every tab of the page shares: the shell it draws in, tables, and safe sections.

The tabs receive the page's shell (:class:`Shell`: the state, the language, the error guard
and the message helpers) instead of importing :mod:`planner.web.page`, which imports them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from nicegui import run, ui

from planner.errors import UserError
from planner.i18n import msg
from planner.web.state import PageState

log = logging.getLogger("planner.web")
T = TypeVar("T")

__all__ = ["Shell", "Tab", "io_bound", "section", "simple_table"]


class Shell(Protocol):
    """The page as a tab sees it."""

    state: PageState
    lang: str

    def t(self, zh: str, en: str) -> str: ...

    def guard(self, fn: Callable[..., Any]) -> Callable[..., Awaitable[None]]: ...

    def alert(self, text: str) -> None: ...

    def info(self, text: str) -> None: ...


class Tab:
    """A tab (or a card) of the page in one browser window: its shell and its parts.

    A tab draws its parts in :meth:`build`; :meth:`sections` lists the parts the shell redraws
    when the state changes (by default the one ``panel``).
    """

    panel: Any

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.state = shell.state
        self.lang = shell.lang

    def t(self, zh: str, en: str) -> str:
        return msg(self.lang, zh, en)

    def sections(self) -> list[Any]:
        return [self.panel]

    def build(self) -> None:
        self.panel()


async def io_bound(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking work (reading, writing files) off the event loop."""
    result = await run.io_bound(fn, *args)
    if result is None:
        raise UserError("程序正在关闭", "the program is shutting down")
    return result


def _columns(headers: list[str]) -> list[dict[str, Any]]:
    return [
        {"name": f"c{i}", "label": h, "field": f"c{i}", "align": "left", "sortable": True}
        for i, h in enumerate(headers)
    ]


def simple_table(
    headers: list[str], rows: list[list[Any]], *, testid: str = "", per_page: int = 0
) -> ui.table:
    """A read-only table of strings (numbers shown as they are)."""
    data = [
        {"_id": n, **{f"c{i}": ("" if v is None else str(v)) for i, v in enumerate(r)}}
        for n, r in enumerate(rows)
    ]
    t = ui.table(
        columns=_columns(headers),
        rows=data,
        row_key="_id",
        pagination={"rowsPerPage": per_page} if per_page else None,
    ).classes("w-full")
    t.props("dense flat bordered wrap-cells")
    if testid:
        t.props(f"data-testid={testid}")
    return t


def section(fn: Callable[..., None]) -> Any:
    """A refreshable part of a tab that can never take the page down.

    A part that fails to draw shows one line saying so (the traceback goes to the console);
    the rest of the page, and every other browser window, keeps working.
    """

    @functools.wraps(fn)
    def draw(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            fn(self, *args, **kwargs)
        except Exception as exc:
            log.exception("section %s failed to draw", fn.__name__)
            lang = getattr(self, "lang", "zh")
            ui.label(
                f"此部分内容无法显示:{exc}(详细信息见启动窗口)"
                if lang == "zh"
                else f"this part of the page failed: {exc} (details in the console window)"
            ).classes("text-red-800").props("data-testid=section-error")

    return ui.refreshable_method(draw)
