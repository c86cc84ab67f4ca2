"""The page's shell (NiceGUI): title, the shared-page line, messages, the job bar, the tabs.

Five tabs follow the office's year: 数据 (load a workbook or the demo college and see every
input problem with file, row and column) → 结对 (solve, look at the pairing table grouped by
leader, edit pairs by hand with the independent validator's verdict at once) → 人员变动
(leavers and joiners, repaired plan and diff side by side, options compared, rotation) →
日程 (per leader and per month; what is overdue and due) → 下载 (plan, schedule, .ics,
年度汇总表). Solves run in a child process (:mod:`planner.web.jobs`) so the page shows
progress and can cancel. Every handler turns errors into a message and every part of the page
draws on its own (:func:`planner.web.widgets.section`): no traceback reaches the page and no
state can make it unusable.

Why NiceGUI: it is event driven (a button runs one handler, not the whole script), which is
what progress plus a real cancel of a long solve needs; it serves its Vue/Quasar assets from
the package itself (no CDN, no telemetry), binds to the host we give it, and its tables,
selects, uploads and downloads cover the page without any JavaScript of ours.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import run, ui

from planner.app.planview import step_name
from planner.app.workspace import WorkspaceError
from planner.errors import InputError, UserError
from planner.i18n import msg
from planner.web.calendar_tab import CalendarTab
from planner.web.changes_tab import ChangesTab
from planner.web.data_tab import DataTab
from planner.web.downloads_tab import DownloadsTab
from planner.web.pairing_tab import PairingTab
from planner.web.rotation_view import RotationView
from planner.web.state import PageState
from planner.web.widgets import section

log = logging.getLogger("planner.web")

__all__ = ["SHARED_ZH", "TITLE_EN", "TITLE_ZH", "Page", "create"]

TITLE_ZH = "领导干部直接联系服务辅导员 · 工作规划"
TITLE_EN = "Leaders contacting counselors · planner"
SHARED_ZH = "本页面数据由本机所有浏览器窗口共享"
SHARED_EN = "Every browser window on this computer shares this page's data"
WORKSPACE_ZH = "一个工作区一份数据:所做的一切随时保存在工作区文件夹"
WORKSPACE_EN = "one state per workspace: everything is saved as it happens in the folder"

CSS = """
body, .q-field, .q-btn, .q-table, .q-item {
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
               "WenQuanYi Micro Hei", sans-serif;
}
.pair-flagged { color: #b91c1c; font-weight: 600; }
.month-grid { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 2px; }
.month-cell { min-height: 4.5rem; border: 1px solid #e5e7eb; padding: 2px 4px; font-size: 0.75rem; }
.month-cell.off { background: #f3f4f6; }
.month-head { font-weight: 600; text-align: center; background: #dbeafe; padding: 2px; }
/* The uploader's "0.0B / 0.00%" line means nothing to a clerk (the page says what it saved). */
.q-uploader__subtitle { display: none; }
/* Printed, a tab shows its tables and text only: no header, tabs, buttons, uploads or inputs,
   and a table prints whole (every row, no pagination bar). */
@media print {
  .q-header, .q-tabs, .q-btn, .q-uploader, .q-field, .no-print, .q-table__bottom { display: none !important; }
  .q-table__middle { max-height: none !important; overflow: visible !important; }
  .q-card { box-shadow: none !important; break-inside: avoid-page; }
  .month-grid { break-inside: avoid-page; }
  body { font-size: 11pt; }
}
"""


class Page:
    """One browser window's view of the shared :class:`PageState`."""

    def __init__(self, state: PageState) -> None:
        self.state = state
        self.lang = state.lang
        self.seen = state.version
        self.job_row: ui.row | None = None
        self.job_label: ui.label | None = None
        self.data = DataTab(self)
        self.pairing = PairingTab(self)
        self.changes = ChangesTab(self)
        self.rotation = RotationView(self)
        self.calendar = CalendarTab(self)
        self.downloads = DownloadsTab(self)

    def t(self, zh: str, en: str) -> str:
        return msg(self.lang, zh, en)

    # ----- plumbing ---------------------------------------------------------------------------
    def guard(self, fn: Callable[..., Any]) -> Callable[..., Awaitable[None]]:
        """Wrap a handler: any error becomes a message on the page (never a traceback)."""

        takes_event = bool(inspect.signature(fn).parameters)

        async def handler(e: Any) -> None:
            try:
                result = fn(e) if takes_event else fn()
                if isinstance(result, Awaitable):
                    await result
            except (UserError, WorkspaceError) as exc:
                self.alert(exc.render(self.lang))
            except InputError as exc:
                self.alert(
                    self.t(
                        f"输入有 {len(exc.problems)} 处问题,请修改后重试:",
                        f"{len(exc.problems)} problem(s) in the input; fix and retry:",
                    )
                    + "\n"
                    + exc.render(self.lang)
                )
            except Exception as exc:
                log.exception("web handler failed")
                self.alert(
                    self.t(
                        f"操作未能完成:{exc}(详细信息见启动窗口)",
                        f"the action failed: {exc} (details in the console window)",
                    )
                )
            self.sync()

        return handler

    def alert(self, text: str) -> None:
        """Show ``text`` as an error in the banner (and briefly as a toast)."""
        self.state.warn(text)
        ui.notify(text.splitlines()[0], type="negative", position="top", timeout=4000)

    def info(self, text: str) -> None:
        """Show ``text`` as done in the banner."""
        self.state.say(text)

    def sections(self) -> list[Any]:
        return [
            self.banner,
            self.header_info,
            *self.data.sections(),
            *self.pairing.sections(),
            *self.changes.sections(),
            *self.rotation.sections(),
            *self.calendar.sections(),
            *self.downloads.sections(),
        ]

    def sync(self) -> None:
        """Redraw every part when the state changed since this window last drew."""
        if self.state.version == self.seen:
            return
        self.seen = self.state.version
        for part in self.sections():
            part.refresh()  # each part catches its own failure (widgets.section)

    async def tick(self) -> None:
        st = self.state
        try:
            if st.job is not None or st.sync_due():
                # Taking a result writes to the workspace and reads it back: off the event
                # loop, so the browser's connection is served meanwhile.
                await run.io_bound(self._poll)
        except Exception:  # pragma: no cover - never let the timer die
            log.exception("poll failed")
        job = self.state.job
        if self.job_row is not None and self.job_label is not None:
            self.job_row.set_visibility(job is not None and job.running)
            if job is not None and job.running:
                step = step_name(job.step, self.lang) if job.step else self.t("启动中", "starting")
                self.job_label.set_text(
                    self.t(
                        f"{job.task.title('zh')}:{step} · 已用 {job.elapsed:.0f} 秒",
                        f"{job.task.title('en')}: {step} · {job.elapsed:.0f} s",
                    )
                )
        self.sync()

    def _poll(self) -> None:
        self.state.poll()
        self.state.sync_workspace()  # another process may have written to the workspace

    # ----- layout -------------------------------------------------------------------------------
    def build(self) -> None:
        ui.add_css(CSS)
        ui.page_title(self.t(TITLE_ZH, TITLE_EN))
        with ui.header(fixed=False).classes("bg-blue-900 items-center py-2"):
            with ui.column().classes("gap-0"):
                ui.label(self.t(TITLE_ZH, TITLE_EN)).classes("text-lg font-bold")
                ui.label(self.t(SHARED_ZH, SHARED_EN)).classes("text-xs text-blue-100").props(
                    "data-testid=shared-note"
                )
                if self.state.ws is not None:
                    ui.label(
                        self.t(WORKSPACE_ZH, WORKSPACE_EN) + f":{self.state.ws.folder}"
                    ).classes("text-xs text-blue-100").props("data-testid=workspace-note")
            ui.space()
            self.header_info()
            ui.button(
                self.t("打印本页", "Print this tab"),
                icon="print",
                on_click=lambda: ui.run_javascript("window.print()"),
            ).props("flat color=white data-testid=print").tooltip(
                self.t(
                    "只打印当前页的表格和文字(按钮、上传框不打印)",
                    "prints the tab's tables and text only",
                )
            )
        with ui.tabs().classes("w-full text-blue-900").props("no-caps") as tabs:
            t_data = ui.tab("data", self.t("① 数据", "① Data"), icon="folder_open")
            t_assign = ui.tab("assign", self.t("② 结对", "② Pairing"), icon="people")
            t_whatif = ui.tab("whatif", self.t("③ 人员变动", "③ Staff changes"), icon="swap_horiz")
            t_cal = ui.tab("calendar", self.t("④ 日程与进度", "④ Calendar"), icon="event")
            t_dl = ui.tab("downloads", self.t("⑤ 下载", "⑤ Downloads"), icon="download")
        with ui.row().classes("w-full items-center gap-3 bg-amber-50 p-2") as row:
            ui.spinner("dots", size="lg", color="primary")
            self.job_label = ui.label("").props("data-testid=job-progress")
            ui.button(
                self.t("取消计算", "Cancel"), icon="stop", on_click=self.guard(self.state.cancel)
            ).props("outline color=negative data-testid=cancel-job")
        self.job_row = row
        row.set_visibility(False)
        self.banner()
        with ui.tab_panels(tabs, value=t_data).classes("w-full"):
            with ui.tab_panel(t_data):
                self.data.build()
            with ui.tab_panel(t_assign):
                self.pairing.build()
            with ui.tab_panel(t_whatif):
                self.changes.build()
                self.rotation.build()
            with ui.tab_panel(t_cal):
                self.calendar.build()
            with ui.tab_panel(t_dl):
                self.downloads.build()
        ui.timer(0.25, self.tick)

    @section
    def header_info(self) -> None:
        st = self.state
        with ui.column().classes("gap-0 items-end"):
            if st.data is not None and st.problem is not None:
                ui.label(
                    self.t(
                        f"数据:{st.source} · 周期 {st.problem.cycle}",
                        f"data: {st.source} · cycle {st.problem.cycle}",
                    )
                ).classes("text-sm").props("data-testid=header-info")
            else:
                ui.label(self.t("尚未载入数据", "no data loaded")).classes("text-sm")
            if st.saved_text():
                ui.label(st.saved_text()).classes("text-xs text-green-200").props(
                    "data-testid=saved-at"
                )

    @section
    def banner(self) -> None:
        st = self.state
        alert = st.alert
        if st.job_error is not None:
            alert = st.job_error.render(self.lang)
            if st.job_error.problems:
                alert += "\n" + "\n".join(p.render(self.lang) for p in st.job_error.problems)
        if st.notice:
            self._card(st.notice, "amber", "info", "notice")
        if alert:
            self._card(alert, "red", "error", "alert")
        elif st.message:
            self._card(st.message, "green", "check_circle", "message")

    def _card(self, text: str, color: str, icon: str, testid: str) -> None:
        with (
            ui.card()
            .classes(f"w-full bg-{color}-50 border border-{color}-300")
            .props(f"data-testid={testid}"),
            ui.row().classes("w-full items-start"),
        ):
            ui.icon(icon, color={"red": "negative", "green": "positive"}.get(color, "warning"))
            with ui.column().classes("gap-0 grow"):
                for line in text.splitlines():
                    ui.label(line).classes(f"text-{color}-800")
            ui.button(icon="close", on_click=self.guard(self.state.clear_messages)).props(
                "flat round dense"
            )


def create(state: PageState) -> Callable[[], None]:
    """The root page function NiceGUI calls for every browser window."""

    def root() -> None:
        page = Page(state)
        try:
            page.build()
        except Exception as exc:  # the page still answers, with a line saying what failed
            log.exception("page failed to build")
            ui.label(
                msg(
                    state.lang,
                    f"页面出错:{exc}(详细信息见启动窗口),请刷新重试。",
                    f"the page failed: {exc} (details in the console window); reload to retry.",
                )
            ).classes("text-red-800")

    return root
