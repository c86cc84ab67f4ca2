"""The office's web page (NiceGUI), served on 127.0.0.1 only.

Five tabs follow the office's year: 数据 (load a workbook or the demo college and see
every input problem with file, row and column) → 结对 (solve, look at the pairing table
grouped by leader, edit pairs by hand with the independent validator's verdict at once)
→ 人员变动 (leavers and joiners, repaired plan and diff side by side, options compared)
→ 日程 (per leader and per month; what is overdue and due) → 下载 (plan, schedule,
.ics, 年度汇总表). Solves run in a child process (:mod:`planner.web.jobs`) so the page
shows progress and can cancel. Every handler turns errors into a message; no traceback
reaches the page.

Why NiceGUI: it is event driven (a button runs one handler, not the whole script), which
is what progress plus a real cancel of a long solve needs; it serves its Vue/Quasar
assets from the package itself (no CDN, no telemetry), binds to the host we give it, and
its tables, selects, uploads and downloads cover the page without any JavaScript of ours.
"""

from __future__ import annotations

import inspect
import logging
import os
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

# NiceGUI keeps its storage files in ./.nicegui unless told otherwise; keep the office's
# folder (and the repository) clean.
os.environ.setdefault("NICEGUI_STORAGE_PATH", str(Path(tempfile.gettempdir()) / "planner-web"))

from nicegui import app, run, ui
from nicegui.events import MultiUploadEventArguments, UploadEventArguments

from planner.errors import InputError
from planner.i18n import header, msg
from planner.io.change_files import ABSORB_COLUMNS, absorb_table, col_header
from planner.io.plan_files import PLAN_COLUMNS
from planner.status import (
    FINDING_HEAD,
    LEADER_HEAD,
    finding_rows,
    leader_rows,
)
from planner.values import parse_date
from planner.web import workspace as W
from planner.web.workspace import UserError, Workspace

log = logging.getLogger("planner.web")
T = TypeVar("T")

HOST = "127.0.0.1"
TITLE_ZH = "领导干部直接联系服务辅导员 · 工作规划"
TITLE_EN = "Leaders contacting counselors · planner"

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
"""


async def _io(fn: Callable[..., T], *args: Any) -> T:
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


class Page:
    """One browser tab's view of the shared :class:`Workspace`."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.lang = ws.lang
        self.seen = ws.version
        self.job_row: ui.row | None = None
        self.job_label: ui.label | None = None

    def t(self, zh: str, en: str) -> str:
        return msg(self.lang, zh, en)

    # ----- plumbing -------------------------------------------------------------------------------
    def guard(self, fn: Callable[..., Any]) -> Callable[..., Awaitable[None]]:
        """Wrap a handler: any error becomes a message on the page (never a traceback)."""

        takes_event = bool(inspect.signature(fn).parameters)

        async def handler(e: Any) -> None:
            try:
                result = fn(e) if takes_event else fn()
                if isinstance(result, Awaitable):
                    await result
            except UserError as exc:
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
        self.ws.message = ""
        self.ws.form["alert"] = text
        self.ws.touch()
        ui.notify(text.splitlines()[0], type="negative", position="top", timeout=4000)

    def info(self, text: str) -> None:
        self.ws.form["alert"] = ""
        self.ws.message = text
        self.ws.touch()

    def sync(self) -> None:
        """Redraw every section when the workspace changed since this tab last drew."""
        if self.ws.version == self.seen:
            return
        self.seen = self.ws.version
        for section in (
            self.banner,
            self.header_info,
            self.data_view,
            self.assign_panel,
            self.whatif_panel,
            self.rotation_view,
            self.calendar_panel,
            self.downloads_panel,
        ):
            try:
                section.refresh()
            except Exception as exc:  # a section that cannot draw must not take the page down
                log.exception("section failed to draw")
                ui.notify(
                    self.t(f"页面部分内容无法显示:{exc}", f"part of the page failed: {exc}"),
                    type="negative",
                    position="top",
                )

    def tick(self) -> None:
        try:
            self.ws.poll()
        except Exception:  # pragma: no cover - never let the timer die
            log.exception("poll failed")
        job = self.ws.job
        if self.job_row is not None and self.job_label is not None:
            self.job_row.set_visibility(job is not None and job.running)
            if job is not None and job.running:
                step = (
                    W.step_name(job.step, self.lang) if job.step else self.t("启动中", "starting")
                )
                self.job_label.set_text(
                    self.t(
                        f"{_JOB_ZH.get(job.kind, job.kind)}:{step} · 已用 {job.elapsed:.0f} 秒",
                        f"{job.kind}: {step} · {job.elapsed:.0f} s",
                    )
                )
        self.sync()

    # ----- layout -------------------------------------------------------------------------------
    def build(self) -> None:
        ui.add_css(CSS)
        ui.page_title(self.t(TITLE_ZH, TITLE_EN))
        with ui.header(fixed=False).classes("bg-blue-900 items-center py-2"):
            ui.label(self.t(TITLE_ZH, TITLE_EN)).classes("text-lg font-bold")
            ui.space()
            self.header_info()
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
                self.t("取消计算", "Cancel"), icon="stop", on_click=self.guard(self.on_cancel)
            ).props("outline color=negative data-testid=cancel-job")
        self.job_row = row
        row.set_visibility(False)
        self.banner()
        with ui.tab_panels(tabs, value=t_data).classes("w-full"):
            with ui.tab_panel(t_data):
                self.data_static()
                self.data_view()
            with ui.tab_panel(t_assign):
                self.assign_panel()
            with ui.tab_panel(t_whatif):
                self.whatif_panel()
                self.rotation_view()
            with ui.tab_panel(t_cal):
                self.calendar_panel()
            with ui.tab_panel(t_dl):
                self.downloads_panel()
        ui.timer(0.25, self.tick)

    @ui.refreshable_method
    def header_info(self) -> None:
        ws = self.ws
        if ws.data is not None and ws.problem is not None:
            ui.label(
                self.t(
                    f"数据:{ws.source} · 周期 {ws.problem.cycle}",
                    f"data: {ws.source} · cycle {ws.problem.cycle}",
                )
            ).classes("text-sm").props("data-testid=header-info")
        else:
            ui.label(self.t("尚未载入数据", "no data loaded")).classes("text-sm")

    @ui.refreshable_method
    def banner(self) -> None:
        ws = self.ws
        alert = ws.form.get("alert", "")
        if ws.job_error is not None:
            alert = ws.job_error.render(self.lang)
            if ws.job_error.problems:
                alert += "\n" + "\n".join(p.render(self.lang) for p in ws.job_error.problems)
        if alert:
            with (
                ui.card()
                .classes("w-full bg-red-50 border border-red-300")
                .props("data-testid=alert"),
                ui.row().classes("w-full items-start"),
            ):
                ui.icon("error", color="negative", size="md")
                with ui.column().classes("gap-0 grow"):
                    for line in alert.splitlines():
                        ui.label(line).classes("text-red-800")
                ui.button(icon="close", on_click=self.guard(self.on_clear_alert)).props(
                    "flat round dense"
                )
        elif ws.message:
            with (
                ui.card()
                .classes("w-full bg-green-50 border border-green-300")
                .props("data-testid=message"),
                ui.row().classes("w-full items-center"),
            ):
                ui.icon("check_circle", color="positive")
                ui.label(ws.message).classes("grow")
                ui.button(icon="close", on_click=self.guard(self.on_clear_alert)).props(
                    "flat round dense"
                )

    def on_clear_alert(self) -> None:
        self.ws.form["alert"] = ""
        self.ws.message = ""
        self.ws.job_error = None
        self.ws.touch()

    def on_cancel(self) -> None:
        self.ws.cancel()

    # ----- ① data ----------------------------------------------------------------------------------
    def data_static(self) -> None:
        ws = self.ws
        ws.form.setdefault("cycle", "")
        with ui.card().classes("w-full"):
            ui.label(self.t("载入数据", "Load data")).classes("text-base font-bold")
            ui.label(
                self.t(
                    "上传填好的工作簿(每张表一个工作表),或把数据文件夹压缩成 .zip 上传,也可一次选中多个 .csv 文件。"
                    "没有数据时可先用示例学院试一试。",
                    "Upload the filled workbook (one sheet per table), a .zip of the data folder, "
                    "or several .csv files at once. Try the demo college first if you like.",
                )
            ).classes("text-sm text-gray-700")
            with ui.row().classes("items-center gap-4"):
                ui.button(
                    self.t("使用示例学院数据", "Use the demo college"),
                    icon="school",
                    on_click=self.guard(self.on_demo),
                ).props("data-testid=use-demo")
                ui.button(
                    self.t("下载空白模板", "Empty template"),
                    icon="description",
                    on_click=self.guard(self.on_template),
                ).props("flat data-testid=dl-template")
                ui.input(self.t("周期(可留空)", "cycle (optional)")).bind_value(
                    ws.form, "cycle"
                ).props("dense clearable").classes("w-48").tooltip(
                    self.t(
                        "例如 2027-2030;留空时按校历的周期开始日期或历史联系推算",
                        "e.g. 2027-2030; blank: from the calendar or the history",
                    )
                )
            ui.upload(
                label=self.t("上传数据(.xlsx / .zip / .csv)", "Upload data (.xlsx / .zip / .csv)"),
                multiple=True,
                auto_upload=True,
                on_multi_upload=self.guard(self.on_upload),
                max_total_size=W.MAX_UPLOAD_BYTES,
            ).props('accept=".xlsx,.xlsm,.zip,.csv,.toml" data-testid=upload-data').classes(
                "w-full max-w-xl"
            )
            ui.upload(
                label=self.t(
                    "可选:上传现行联系对应表 plan.csv / plan.xlsx(用于人员变动调整、日程与进度)",
                    "optional: upload the plan in force (plan.csv / plan.xlsx)",
                ),
                auto_upload=True,
                on_upload=self.guard(self.on_plan_upload),
            ).props('accept=".csv,.xlsx" data-testid=upload-plan').classes("w-full max-w-xl")

    @ui.refreshable_method
    def data_view(self) -> None:
        ws = self.ws
        if ws.problems:
            with (
                ui.card()
                .classes("w-full border border-red-300")
                .props("data-testid=input-problems")
            ):
                ui.label(
                    self.t(
                        f"输入有 {len(ws.problems)} 处问题,请在表格中修改后重新上传:",
                        f"{len(ws.problems)} problem(s) in the input; fix them and upload again:",
                    )
                ).classes("text-red-800 font-bold")
                rows = W.problem_rows(ws.problems, self.lang)
                heads = [zh if self.lang == "zh" else en for _, zh, en in W.PROBLEM_COLUMNS]
                simple_table(
                    heads,
                    [[r[k] for k, _, _ in W.PROBLEM_COLUMNS] for r in rows],
                    testid="problems-table",
                    per_page=20,
                )
        if ws.data is None:
            return
        with ui.card().classes("w-full").props("data-testid=data-summary"):
            ui.label(self.t(f"已载入:{ws.source}", f"loaded: {ws.source}")).classes(
                "text-base font-bold"
            )
            with ui.grid(columns=2).classes("gap-x-6 gap-y-1"):
                for label, value in W.data_summary(ws.data, self.lang):
                    ui.label(label).classes("text-gray-600")
                    ui.label(value)
            if ws.data.notes:
                ui.label(self.t("提示:", "notes:")).classes("mt-2 font-bold")
                for n in ws.data.notes:
                    ui.label("· " + n.render(self.lang)).classes("text-sm text-amber-800")
            ui.label(
                self.t(
                    "下一步:到“② 结对”页生成联系对应表。",
                    "Next: make the pairing table on the ② tab.",
                )
            ).classes("mt-2 text-blue-900")

    async def _load(self, path: Path, source: str) -> None:
        ws = self.ws
        cycle = (ws.form.get("cycle") or "").strip() or None
        got = ws.accept(await _io(W.load_data, path, cycle), path, source)
        if got.ok:
            self.info(self.t(f"已载入 {source}。", f"loaded {source}."))
        else:
            self.alert(
                self.t(
                    f"“{source}”有 {len(got.problems)} 处问题,见下表(文件、行、列、值)。",
                    f"'{source}' has {len(got.problems)} problem(s); see the table.",
                )
            )

    async def on_demo(self) -> None:
        from planner.app.data import demo_data_dir

        await self._load(demo_data_dir(), self.t("示例学院", "demo college"))

    async def on_upload(self, e: MultiUploadEventArguments) -> None:
        files = [(f.name, await f.read()) for f in e.files]
        path = W.save_upload(files, self.ws.upload_dir())
        label = (
            files[0][0]
            if len(files) == 1
            else self.t(f"{len(files)} 个文件", f"{len(files)} files")
        )
        e.sender.run_method("reset")
        await self._load(path, label)

    async def on_plan_upload(self, e: UploadEventArguments) -> None:
        ws = self.ws
        if ws.data is None or ws.problem is None:
            raise UserError("请先载入数据,再上传联系对应表", "load the data first")
        blob = await e.file.read()
        label, keys = W.read_plan_upload(e.file.name, blob, ws.upload_dir(), ws.data.problem)
        e.sender.run_method("reset")
        if label and label != ws.data.problem.cycle and ws.data_path is not None:
            # The plan belongs to another cycle: read the data for that cycle (as `whatif` does).
            got = ws.accept(await _io(W.load_data, ws.data_path, label), ws.data_path, ws.source)
            if not got.ok:
                raise UserError(
                    f"按联系对应表的周期 {label} 读取数据时出现问题,见“① 数据”页",
                    f"reading the data for the plan's cycle {label} failed",
                )
        ws.problem = ws.data.problem
        ws.set_plan(
            keys,
            "upload",
            self.t(f"已载入现行联系对应表 {e.file.name}。", f"plan {e.file.name} loaded."),
        )
        self.info(
            self.t(
                f"已载入现行联系对应表 {e.file.name}({len(keys)} 对)。",
                f"plan loaded ({len(keys)} pairs).",
            )
        )

    async def on_template(self) -> None:
        blob = await _io(W.template_bytes, self.lang)
        ui.download.content(blob, "数据模板.xlsx")

    # ----- ② pairing -------------------------------------------------------------------------------
    @ui.refreshable_method
    def assign_panel(self) -> None:
        ws = self.ws
        f = ws.form
        f.setdefault("seed", 0)
        f.setdefault("time_limit", 60)
        f.setdefault("unit", "")
        if ws.problem is not None and f["unit"] and f["unit"] not in W.units(ws.problem):
            f["unit"] = ""
        f.setdefault("view", "cards")
        if ws.data is None:
            ui.label(self.t("请先在“① 数据”页载入数据。", "Load data on the ① tab first."))
            return
        with ui.row().classes("items-end gap-4"):
            ui.number(self.t("随机种子", "seed"), min=0, precision=0).bind_value(f, "seed").classes(
                "w-28"
            )
            ui.number(
                self.t("时限(秒)", "time limit (s)"), min=1, max=3600, precision=0
            ).bind_value(f, "time_limit").classes("w-28")
            ui.button(
                self.t("生成联系对应表", "Make the pairing table"),
                icon="play_arrow",
                on_click=self.guard(self.on_assign),
            ).props("data-testid=run-assign")
        if ws.findings:
            with ui.card().classes("w-full border border-red-300").props("data-testid=findings"):
                ui.label(ws.status_line).classes("text-red-800 font-bold")
                for line in ws.findings:
                    ui.label("· " + line).classes("text-red-800")
        if not ws.has_plan or ws.problem is None:
            return
        p = ws.problem
        origin = {
            "solver": "",
            "repair": self.t("(采用的人员变动调整方案)", " (adopted repair)"),
            "upload": self.t("(上传的现行方案)", " (uploaded plan)"),
        }.get(ws.origin, "")
        ui.label(ws.status_line + origin).classes("text-green-800").props(
            "data-testid=assign-status"
        )
        fig = W.plan_figures(p, ws.keys, ws.seed)
        with ui.row().classes("gap-2").props("data-testid=figures"):
            for text in (
                self.t(f"结对 {fig.pairs} 对", f"{fig.pairs} pairs"),
                self.t(
                    f"覆盖辅导员 {fig.counselors_covered}/{fig.counselors}",
                    f"counselors covered {fig.counselors_covered}/{fig.counselors}",
                ),
                self.t(
                    f"本单位结对 {fig.own_unit_pairs} 对", f"own-unit pairs {fig.own_unit_pairs}"
                ),
                self.t(
                    f"联系本单位辅导员的负责人 {fig.heads_covered}/{fig.heads}",
                    f"heads with own-unit counselor {fig.heads_covered}/{fig.heads}",
                ),
                self.t(
                    f"负荷 {fig.load_min}–{fig.load_max} 人", f"loads {fig.load_min}–{fig.load_max}"
                ),
                self.t(
                    f"有两位联系领导的辅导员 {fig.second_leaders}",
                    f"second leaders {fig.second_leaders}",
                ),
            ):
                ui.chip(text, color="blue-1").props("square")
        v = W.verdict(p, ws.keys, self.lang)
        self.verdict_card(v, ws.edited)
        self.edit_card()
        with ui.row().classes("items-center gap-4"):
            ui.select(
                {"": self.t("全部单位", "all units"), **{u: u for u in W.units(p)}},
                label=self.t("按单位筛选", "filter by unit"),
                on_change=lambda _: self.groups_view.refresh(),
            ).bind_value(f, "unit").classes("w-56").props("dense data-testid=unit-filter")
            ui.toggle(
                {"cards": self.t("按领导分组", "by leader"), "table": self.t("表格", "table")},
                on_change=lambda _: self.groups_view.refresh(),
            ).bind_value(f, "view").props("dense")
        self.groups_view(v)

    def verdict_card(self, v: W.Verdict, edited: bool) -> None:
        color = "green" if v.ok else "red"
        with (
            ui.card()
            .classes(f"w-full bg-{color}-50 border border-{color}-300")
            .props("data-testid=verdict")
        ):
            if v.ok:
                ui.label(
                    self.t(
                        "独立校验:符合全部规定" + ("(含手工调整)" if edited else ""),
                        "independent validator: every rule is met"
                        + (" (with hand edits)" if edited else ""),
                    )
                ).classes("text-green-800 font-bold")
                if v.note:
                    ui.label(v.note).classes("text-sm text-amber-800")
            else:
                ui.label(
                    self.t(
                        f"独立校验:发现 {len(v.lines)} 处违反规定",
                        f"independent validator: {len(v.lines)} broken rule(s)",
                    )
                ).classes("text-red-800 font-bold")
                for line in v.lines:
                    ui.label("✗ " + line).classes("text-red-800")

    @ui.refreshable_method
    def groups_view(self, v: W.Verdict | None = None) -> None:
        ws = self.ws
        p = ws.problem
        if p is None:
            return
        if v is None:
            v = W.verdict(p, ws.keys, self.lang)
        unit = ws.form.get("unit") or None
        if ws.form.get("view") == "table":
            rows = W.pair_table(p, ws.keys, self.lang, unit)
            simple_table(
                [header(k, self.lang) for k in PLAN_COLUMNS],
                [[r[k] for k in PLAN_COLUMNS] for r in rows],
                testid="plan-table",
                per_page=25,
            )
            return
        groups = W.leader_groups(p, ws.keys, self.lang, unit)
        with (
            ui.element("div")
            .classes("grid grid-cols-1 md:grid-cols-2 xl:grid-cols-3 gap-3 w-full")
            .props("data-testid=leader-groups")
        ):
            for g in groups:
                with ui.card().classes("p-3").props(f"data-testid=leader-{g.leader_id}"):
                    with ui.row().classes("w-full items-center gap-2"):
                        ui.label(f"{g.name}").classes("font-bold")
                        ui.label(" ".join(x for x in (g.position, g.unit) if x)).classes(
                            "text-sm text-gray-600"
                        )
                        ui.space()
                        ui.badge(
                            f"{g.load}/{g.low}–{g.high}" + self.t("人", ""),
                            color="positive" if g.load_ok else "negative",
                        ).tooltip(self.t("联系人数/规定范围", "load / allowed range"))
                        if g.heads:
                            ui.badge(
                                self.t(f"本单位 {g.own}", f"own {g.own}"), color="teal"
                            ).tooltip(
                                self.t(
                                    "教学单位负责人:本单位辅导员人数",
                                    "teaching-unit head: own-unit counselors",
                                )
                            )
                    if not g.rows:
                        ui.label(self.t("(无联系对象)", "(no counselor)")).classes(
                            "text-sm text-gray-500"
                        )
                    for r in g.rows:
                        key = (r["leader_id"], r["counselor_id"])
                        flagged = key in v.flagged
                        with ui.row().classes("w-full items-center gap-1 text-sm"):
                            if flagged:
                                ui.icon("warning", color="negative", size="xs")
                            ui.label(f"{r['counselor_name']}({r['counselor_id']})").classes(
                                "pair-flagged" if flagged else ""
                            )
                            ui.label(r["counselor_unit"]).classes("text-gray-600")
                            if r["same_unit"] in ("是", "true"):
                                ui.badge(self.t("本单位", "own unit"), color="teal").props(
                                    "outline"
                                )
                        ui.label(r["reason"]).classes("text-xs text-gray-500 ml-4")

    def edit_card(self) -> None:
        ws = self.ws
        p = ws.problem
        assert p is not None
        f = ws.form
        pairs = {f"{a}|{b}": f"{W.person_label(p, a)} → {W.person_label(p, b)}" for a, b in ws.keys}
        leaders = W.leader_options(p)
        counselors = W.counselor_options(p)
        for k, opts in (
            ("edit_pair", pairs),
            ("edit_leader", leaders),
            ("add_leader", leaders),
            ("add_counselor", counselors),
        ):
            if f.get(k) not in opts:
                f[k] = None
        with ui.card().classes("w-full").props("data-testid=edit-card"):
            ui.label(
                self.t(
                    "手工调整结对(调整后立即由独立校验器检查)",
                    "Edit pairs by hand (checked at once)",
                )
            ).classes("font-bold")
            with ui.row().classes("items-end gap-3 w-full"):
                ui.select(pairs, label=self.t("要调整的结对", "pair"), with_input=True).bind_value(
                    f, "edit_pair"
                ).classes("w-96").props("dense data-testid=edit-pair")
                ui.select(
                    leaders, label=self.t("改由领导", "new leader"), with_input=True
                ).bind_value(f, "edit_leader").classes("w-72").props(
                    "dense data-testid=edit-leader"
                )
                ui.button(
                    self.t("改派", "Reassign"),
                    icon="swap_horiz",
                    on_click=self.guard(self.on_reassign),
                ).props("data-testid=do-reassign")
                ui.button(
                    self.t("删除此结对", "Remove"),
                    icon="delete",
                    on_click=self.guard(self.on_remove),
                ).props("outline color=negative data-testid=do-remove")
            with ui.row().classes("items-end gap-3 w-full"):
                ui.select(leaders, label=self.t("领导", "leader"), with_input=True).bind_value(
                    f, "add_leader"
                ).classes("w-72").props("dense data-testid=add-leader")
                ui.select(
                    counselors, label=self.t("辅导员", "counselor"), with_input=True
                ).bind_value(f, "add_counselor").classes("w-72").props(
                    "dense data-testid=add-counselor"
                )
                ui.button(
                    self.t("新增结对", "Add pair"), icon="add", on_click=self.guard(self.on_add)
                ).props("data-testid=do-add")
            if ws.edited:
                added = len(set(ws.keys) - set(ws.solver_keys))
                dropped = len(set(ws.solver_keys) - set(ws.keys))
                with ui.row().classes("items-center gap-3"):
                    ui.label(
                        self.t(
                            f"与原方案相比:新增 {added} 对、去掉 {dropped} 对。",
                            f"against the original plan: {added} added, {dropped} removed.",
                        )
                    ).classes("text-amber-800")
                    ui.button(
                        self.t("撤销全部手工调整", "Undo all edits"),
                        icon="undo",
                        on_click=self.guard(self.on_undo),
                    ).props("flat data-testid=undo-edits")

    def _picked_pair(self) -> tuple[str, str]:
        value = self.ws.form.get("edit_pair")
        if not value:
            raise UserError("请先选择要调整的结对", "pick a pair first")
        a, b = str(value).split("|", 1)
        return a, b

    def on_assign(self) -> None:
        f = self.ws.form
        seed = int(f.get("seed") or 0)
        limit = float(f.get("time_limit") or 60)
        self.ws.message = ""
        self.ws.form["alert"] = ""
        self.ws.start_assign(seed, limit)

    def on_reassign(self) -> None:
        ws = self.ws
        assert ws.problem is not None
        key = self._picked_pair()
        new = ws.form.get("edit_leader")
        if not new:
            raise UserError("请选择改由哪位领导联系", "pick the new leader")
        ws.edit(W.reassign(ws.problem, ws.keys, key, str(new)))
        ws.form["edit_pair"] = f"{new}|{key[1]}"

    def on_remove(self) -> None:
        ws = self.ws
        ws.edit(W.remove_pair(ws.keys, self._picked_pair()))
        ws.form["edit_pair"] = None

    def on_add(self) -> None:
        ws = self.ws
        assert ws.problem is not None
        lid, cid = ws.form.get("add_leader"), ws.form.get("add_counselor")
        if not lid or not cid:
            raise UserError("请选择领导和辅导员", "pick a leader and a counselor")
        ws.edit(W.add_pair(ws.problem, ws.keys, str(lid), str(cid)))

    def on_undo(self) -> None:
        self.ws.undo_edits()

    # ----- ③ what-if ------------------------------------------------------------------------------
    @ui.refreshable_method
    def whatif_panel(self) -> None:
        ws = self.ws
        f = ws.form
        if not ws.has_plan or ws.problem is None:
            ui.label(
                self.t(
                    "请先在“② 结对”页生成联系对应表,或在“① 数据”页上传现行联系对应表。",
                    "Make a plan on the ② tab or upload the plan in force on the ① tab first.",
                )
            )
            return
        p = ws.problem
        f.setdefault("opt_name", self.t("方案1", "option 1"))
        f["leavers"] = [x for x in f.get("leavers") or [] if x in W.leader_options(p)]
        f["c_leavers"] = [x for x in f.get("c_leavers") or [] if x in W.counselor_options(p)]
        f.setdefault("joins_l", [])
        f.setdefault("joins_c", [])
        f.setdefault("repair_date", W.default_repair_date(p).isoformat())
        f.setdefault("wi_limit", 60)
        with ui.card().classes("w-full"):
            ui.label(
                self.t(
                    "选择离岗或新到岗人员,计算以最少变动调整后的联系对应表",
                    "Pick leavers and joiners; the plan is repaired with the fewest moves",
                )
            ).classes("font-bold")
            with ui.row().classes("items-end gap-3 w-full"):
                ui.input(self.t("方案名称", "option name")).bind_value(f, "opt_name").classes(
                    "w-40"
                ).props("dense")
                ui.select(
                    W.leader_options(p),
                    label=self.t("离岗领导", "leaders leaving"),
                    multiple=True,
                    with_input=True,
                ).bind_value(f, "leavers").classes("w-96").props(
                    "dense use-chips data-testid=leavers"
                )
                ui.select(
                    W.counselor_options(p),
                    label=self.t("离岗辅导员", "counselors leaving"),
                    multiple=True,
                    with_input=True,
                ).bind_value(f, "c_leavers").classes("w-96").props(
                    "dense use-chips data-testid=c-leavers"
                )
            with ui.expansion(self.t("新到岗人员", "joiners"), icon="person_add").classes("w-full"):
                self.joiners_form()
            with ui.row().classes("items-end gap-3"):
                ui.input(self.t("调整日期", "repair date")).bind_value(f, "repair_date").props(
                    "dense"
                ).classes("w-40").tooltip(
                    self.t(
                        "新增结对的规划发展自此日起 6 个月内完成",
                        "career guidance of added pairs is due within 6 months",
                    )
                )
                ui.number(
                    self.t("时限(秒)", "time limit (s)"), min=1, max=3600, precision=0
                ).bind_value(f, "wi_limit").classes("w-28").props("dense")
                ui.button(
                    self.t("计算调整方案", "Repair the plan"),
                    icon="build",
                    on_click=self.guard(self.on_whatif),
                ).props("data-testid=run-whatif")
                ui.button(
                    self.t("加入对比列表", "Add to comparison"),
                    icon="playlist_add",
                    on_click=self.guard(self.on_add_option),
                ).props("outline data-testid=add-option")
        self.repair_view()
        self.compare_view()

    def joiners_form(self) -> None:
        ws = self.ws
        f = ws.form
        unit_opts = W.units(ws.problem) if ws.problem else []
        with ui.row().classes("items-end gap-2"):
            ui.label(self.t("新领导:", "new leader:")).classes("w-20")
            ui.input(self.t("工号", "id")).bind_value(f, "jl_id").classes("w-24").props("dense")
            ui.input(self.t("姓名", "name")).bind_value(f, "jl_name").classes("w-24").props("dense")
            ui.input(self.t("职务", "position")).bind_value(f, "jl_position").classes("w-28").props(
                "dense"
            )
            ui.select(
                unit_opts,
                label=self.t("单位", "unit"),
                with_input=True,
                new_value_mode="add-unique",
            ).bind_value(f, "jl_unit").classes("w-40").props("dense clearable")
            ui.checkbox(self.t("教学单位负责人", "heads the unit")).bind_value(f, "jl_heads")
            ui.button(
                self.t("添加", "Add"), icon="add", on_click=self.guard(self.on_join_leader)
            ).props("dense outline")
        with ui.row().classes("items-end gap-2"):
            ui.label(self.t("新辅导员:", "new counselor:")).classes("w-20")
            ui.input(self.t("工号", "id")).bind_value(f, "jc_id").classes("w-24").props("dense")
            ui.input(self.t("姓名", "name")).bind_value(f, "jc_name").classes("w-24").props("dense")
            ui.select(
                unit_opts,
                label=self.t("单位", "unit"),
                with_input=True,
                new_value_mode="add-unique",
            ).bind_value(f, "jc_unit").classes("w-40").props("dense clearable")
            ui.button(
                self.t("添加", "Add"), icon="add", on_click=self.guard(self.on_join_counselor)
            ).props("dense outline")
        joins = [(self.t("新领导", "leader"), i, r) for i, r in enumerate(f.get("joins_l", []))]
        joins += [
            (self.t("新辅导员", "counselor"), i, r) for i, r in enumerate(f.get("joins_c", []))
        ]
        with ui.row().classes("gap-2"):
            for kind, i, r in joins:
                pid = r.get("leader_id") or r.get("counselor_id")
                is_leader = "leader_id" in r
                ui.chip(
                    f"{kind} {r.get('name')}({pid}) {r.get('unit', '')}",
                    removable=True,
                    on_value_change=self.guard(
                        lambda _e, i=i, is_leader=is_leader: self.on_drop_join(is_leader, i)
                    ),
                )

    def on_join_leader(self) -> None:
        f = self.ws.form
        lid, name = (f.get("jl_id") or "").strip(), (f.get("jl_name") or "").strip()
        if not lid or not name:
            raise UserError("新领导需填写工号和姓名", "a new leader needs an id and a name")
        row: dict[str, Any] = {"leader_id": lid, "name": name}
        if f.get("jl_position"):
            row["position"] = str(f["jl_position"]).strip()
        if f.get("jl_unit"):
            row["unit"] = str(f["jl_unit"]).strip()
            row["level"] = "middle"
        if f.get("jl_heads"):
            row["heads_teaching_unit"] = True
        f["joins_l"] = [*f.get("joins_l", []), row]
        for k in ("jl_id", "jl_name", "jl_position", "jl_unit", "jl_heads"):
            f[k] = None
        self.ws.touch()

    def on_join_counselor(self) -> None:
        f = self.ws.form
        cid, name, unit = (
            (f.get("jc_id") or "").strip(),
            (f.get("jc_name") or "").strip(),
            (f.get("jc_unit") or "").strip(),
        )
        if not cid or not name or not unit:
            raise UserError(
                "新辅导员需填写工号、姓名和单位", "a new counselor needs an id, a name and a unit"
            )
        f["joins_c"] = [*f.get("joins_c", []), {"counselor_id": cid, "name": name, "unit": unit}]
        for k in ("jc_id", "jc_name", "jc_unit"):
            f[k] = None
        self.ws.touch()

    def on_drop_join(self, is_leader: bool, i: int) -> None:
        f = self.ws.form
        key = "joins_l" if is_leader else "joins_c"
        rows = list(f.get(key, []))
        if 0 <= i < len(rows):
            rows.pop(i)
        f[key] = rows
        self.ws.touch()

    def _change(self) -> Any:
        f = self.ws.form
        return W.make_change(
            str(f.get("opt_name") or ""),
            leaders_leave=f.get("leavers") or [],
            counselors_leave=f.get("c_leavers") or [],
            leaders_join=f.get("joins_l") or [],
            counselors_join=f.get("joins_c") or [],
        )

    def on_whatif(self) -> None:
        f = self.ws.form
        when = parse_date(f.get("repair_date") or "")
        if when is None:
            raise UserError(
                "调整日期无法识别,请写成 2027-09-01", "write the repair date like 2027-09-01"
            )
        self.ws.form["alert"] = ""
        self.ws.message = ""
        self.ws.start_repair(
            self._change(), int(f.get("seed") or 0), float(f.get("wi_limit") or 60), when
        )

    def on_add_option(self) -> None:
        ws = self.ws
        change = self._change()
        if change.is_empty():
            raise UserError("请先选择离岗或新到岗人员", "pick leavers or joiners first")
        if ws.problem is not None:
            from dataclasses import replace

            from planner.scenarios import apply_change, change_summary

            applied = apply_change(ws.problem, change)  # errors now, not in the comparison
            change = replace(
                change,
                description=change_summary(applied, "zh"),
                description_en=change_summary(applied, "en"),
            )
        names = {c.name for c in ws.options}
        if change.name in names:
            raise UserError(
                f"对比列表中已有名为“{change.name}”的方案,请换个名称",
                "an option of that name exists",
            )
        ws.options.append(change)
        n = len(ws.options) + 1
        ws.form["opt_name"] = self.t(f"方案{n}", f"option {n}")
        ws.touch()

    def on_add_example(self) -> None:
        ws = self.ws
        name = ws.form.get("example")
        if not name or ws.problem is None:
            raise UserError("请选择示例变更文件", "pick an example change file")
        from planner.io.change_files import read_change
        from planner.scenarios import apply_change

        change = read_change(W.example_changes()[str(name)])
        apply_change(ws.problem, change)
        if change.name in {c.name for c in ws.options}:
            raise UserError("对比列表中已有这个方案", "already in the comparison")
        ws.options.append(change)
        ws.touch()

    @ui.refreshable_method
    def repair_view(self) -> None:
        ws = self.ws
        res, applied = ws.repair_result, ws.applied
        if res is None or applied is None:
            return
        from planner.scenarios import change_summary

        with ui.card().classes("w-full").props("data-testid=repair-result"):
            ui.label(self.t("变更:", "change: ") + change_summary(applied, self.lang)).classes(
                "font-bold"
            )
            summary = W.repair_summary(applied, res, ws.diff, self.lang)
            ui.label(summary).classes("text-green-800" if res.plan else "text-red-800").props(
                "data-testid=repair-summary"
            )
            if res.plan is None:
                return
            with ui.row().classes("gap-2"):
                for name, value in W.levels_rows(res.levels, self.lang):
                    ui.chip(f"{name}:{value}", color="blue-1").props("square")
            with ui.row().classes("w-full gap-4 no-wrap items-start"):
                with ui.column().classes("w-1/2"):
                    ui.label(
                        self.t(
                            "现行方案与调整后方案(按辅导员对照,变化在前)",
                            "current vs repaired, per counselor",
                        )
                    ).classes("font-bold")
                    rows = W.side_by_side(applied, ws.repair_old, res.plan.keys(), self.lang)
                    heads = [zh if self.lang == "zh" else en for _, zh, en in W.SIDE_COLUMNS]
                    simple_table(
                        heads,
                        [[r[k] for k, _, _ in W.SIDE_COLUMNS] for r in rows],
                        testid="side-by-side",
                        per_page=12,
                    )
                with ui.column().classes("w-1/2"):
                    ui.label(self.t("变动明细(diff.csv)", "diff (diff.csv)")).classes("font-bold")
                    head, cells = W.diff_table(applied, ws.diff, self.lang)
                    simple_table(head[:8], [r[:8] for r in cells], testid="diff-table", per_page=12)
            with ui.row().classes("gap-3"):
                ui.button(
                    self.t("采用调整后的方案", "Adopt the repaired plan"),
                    icon="done_all",
                    on_click=self.guard(self.on_adopt),
                ).props("data-testid=adopt-repair")
                ui.button(
                    self.t("下载 diff.csv", "Download diff.csv"),
                    icon="download",
                    on_click=self.guard(self.on_dl_diff),
                ).props("outline data-testid=dl-diff")

    @ui.refreshable_method
    def compare_view(self) -> None:
        ws = self.ws
        f = ws.form
        examples = W.example_changes()
        with ui.card().classes("w-full").props("data-testid=compare-card"):
            ui.label(self.t("多个方案对比", "Compare options")).classes("font-bold")
            with ui.row().classes("items-end gap-3"):
                if examples:
                    ui.select(
                        {k: k for k in examples},
                        label=self.t("示例变更文件", "example change file"),
                    ).bind_value(f, "example").classes("w-64").props("dense data-testid=example")
                    ui.button(
                        self.t("加入", "Add"),
                        icon="playlist_add",
                        on_click=self.guard(self.on_add_example),
                    ).props("outline dense data-testid=add-example")
            with ui.row().classes("gap-2").props("data-testid=compare-options"):
                if not ws.options:
                    ui.label(
                        self.t(
                            "对比列表为空:在上方选择人员后点“加入对比列表”。",
                            "empty: add options above.",
                        )
                    ).classes("text-sm text-gray-600")
                for i, c in enumerate(ws.options):
                    ui.chip(
                        c.name,
                        removable=True,
                        on_value_change=self.guard(lambda _e, i=i: self.on_drop_option(i)),
                    )
            with ui.row().classes("gap-3"):
                ui.button(
                    self.t("对比全部方案", "Compare all"),
                    icon="compare",
                    on_click=self.guard(self.on_compare),
                ).props("data-testid=run-compare")
            if ws.compared:
                head, rows = W.compare_rows(ws.compared, self.lang)
                simple_table(head, rows, testid="compare-table")
                absorb = absorb_table(ws.compared, self.lang)
                if absorb:
                    ui.label(
                        self.t(
                            "离岗领导所联系辅导员的接收方案(按变动、结对、本单位排序)",
                            "who could take each leaver's counselors (ranked)",
                        )
                    ).classes("font-bold mt-2")
                    simple_table(
                        [col_header(k, self.lang) for k in ABSORB_COLUMNS],
                        absorb,
                        testid="absorb-table",
                        per_page=10,
                    )

    def on_drop_option(self, i: int) -> None:
        if 0 <= i < len(self.ws.options):
            self.ws.options.pop(i)
            self.ws.compared = None
            self.ws.touch()

    def on_compare(self) -> None:
        f = self.ws.form
        self.ws.start_compare(int(f.get("seed") or 0), float(f.get("wi_limit") or 60))

    def on_adopt(self) -> None:
        self.ws.adopt_repair()
        self.info(
            self.t(
                "已采用调整后的方案,作为当前联系对应表。",
                "the repaired plan is now the current plan.",
            )
        )

    async def on_dl_diff(self) -> None:
        ws = self.ws
        if ws.applied is None:
            raise UserError("还没有调整方案", "no repair yet")
        blob = await _io(W.diff_csv_bytes, ws.applied, ws.diff, self.lang)
        ui.download.content(blob, "diff.csv")

    # ----- ③ rotation over cycles -----------------------------------------------------------------
    @ui.refreshable_method
    def rotation_view(self) -> None:
        ws = self.ws
        f = ws.form
        f.setdefault("rot_cycles", 3)
        f.setdefault("rot_limit", 60)
        with ui.card().classes("w-full mt-4").props("data-testid=rotation-card"):
            ui.label(self.t("多周期轮换", "Rotation over cycles")).classes("font-bold")
            ui.label(
                self.t(
                    "按现行名单联合规划后续若干个周期(每周期调整一次联系对象),"
                    "并与逐周期规划对比:逐周期规划可能让负责人在后续周期无本单位辅导员可联系。",
                    "Plan the next cycles jointly from the current rosters and compare with "
                    "planning cycle by cycle, which can leave unit heads without own-unit "
                    "counselors later.",
                )
            ).classes("text-sm text-gray-600")
            if ws.data is None or ws.problem is None:
                ui.label(self.t("请先在“① 数据”页载入数据。", "Load data on the ① tab first."))
                return
            with ui.row().classes("items-end gap-3"):
                ui.select(
                    list(range(1, W.ROTATION_MAX_CYCLES + 1)),
                    label=self.t("周期数", "cycles"),
                ).bind_value(f, "rot_cycles").classes("w-28").props("dense data-testid=rot-cycles")
                ui.number(
                    self.t("时限(秒)", "time limit (s)"), min=1, max=3600, precision=0
                ).bind_value(f, "rot_limit").classes("w-28").props("dense")
                ui.button(
                    self.t("计算多周期轮换", "Plan the rotation"),
                    icon="autorenew",
                    on_click=self.guard(self.on_rotate),
                ).props("data-testid=run-rotation")
            res = ws.rotation
            if res is None:
                return
            note = W.rotation_note(res, self.lang)
            ui.label(note).classes("text-green-800" if res.joint else "text-red-800").props(
                "data-testid=rotation-note"
            )
            if res.joint is None:
                return
            ui.label(
                self.t(
                    "各周期结果:联合规划 / 逐周期规划(同 rotation-summary)",
                    "per cycle: lookahead / greedy (as rotation-summary)",
                )
            ).classes("font-bold mt-2")
            head, rows = W.rotation_table(res, self.lang)
            simple_table(head, rows, testid="rotation-table")
            labels = {i: cp.label for i, cp in enumerate(res.joint)}
            if f.get("rot_cycle") not in labels:
                f["rot_cycle"] = 0
            if f.get("rot_which") not in ("joint", "greedy"):
                f["rot_which"] = "joint"
            with ui.row().classes("items-end gap-3 mt-2"):
                ui.select(labels, label=self.t("周期", "cycle")).bind_value(f, "rot_cycle").classes(
                    "w-40"
                ).props("dense data-testid=rot-cycle").on_value_change(
                    lambda e: self.on_rot_pick("rot_cycle", e.value)
                )
                ui.toggle(
                    {
                        "joint": self.t("联合规划", "lookahead"),
                        "greedy": self.t("逐周期规划", "greedy"),
                    }
                ).bind_value(f, "rot_which").props("dense no-caps").on_value_change(
                    lambda e: self.on_rot_pick("rot_which", e.value)
                )
                ui.button(
                    self.t("下载 rotation-summary.xlsx", "Download rotation-summary.xlsx"),
                    icon="download",
                    on_click=self.guard(self.on_dl_rotation),
                ).props("outline data-testid=dl-rotation")
            self.rotation_pairs_view()

    @ui.refreshable_method
    def rotation_pairs_view(self) -> None:
        res = self.ws.rotation
        if res is None or res.joint is None:
            return
        f = self.ws.form
        i = int(f.get("rot_cycle") or 0)
        which = str(f.get("rot_which") or "joint")
        plans = res.joint if which == "joint" else res.greedy
        if i >= len(plans):
            ui.label(
                self.t(
                    "逐周期规划在该周期无解(前面周期的选择堵死了轮换)。",
                    "greedy planning finds no plan for this cycle.",
                )
            ).classes("text-red-800")
            return
        rows = W.rotation_pairs(res, i, self.lang, which)
        simple_table(
            [header(k, self.lang) for k in PLAN_COLUMNS],
            [[r[k] for k in PLAN_COLUMNS] for r in rows],
            testid="rotation-pairs",
            per_page=15,
        )

    def on_rot_pick(self, key: str, value: Any) -> None:
        self.ws.form[key] = value
        self.rotation_pairs_view.refresh()

    def on_rotate(self) -> None:
        f = self.ws.form
        self.ws.form["alert"] = ""
        self.ws.message = ""
        self.ws.start_rotation(
            int(f.get("rot_cycles") or 3), int(f.get("seed") or 0), float(f.get("rot_limit") or 60)
        )

    async def on_dl_rotation(self) -> None:
        res = self.ws.rotation
        if res is None:
            raise UserError("还没有多周期轮换方案", "no rotation plan yet")
        blob = await _io(W.rotation_summary_bytes, res, self.lang)
        ui.download.content(blob, "rotation-summary.xlsx")

    # ----- ④ calendar ----------------------------------------------------------------------------
    @ui.refreshable_method
    def calendar_panel(self) -> None:
        ws = self.ws
        f = ws.form
        if not ws.has_plan or ws.problem is None:
            ui.label(self.t("请先生成或上传联系对应表。", "Make or upload a plan first."))
            return
        p = ws.problem
        with ui.row().classes("items-center gap-3"):
            ui.button(
                self.t("生成日程", "Build the schedule"),
                icon="event",
                on_click=self.guard(self.on_schedule),
            ).props("data-testid=run-schedule")
            if ws.schedule_stale:
                ui.label(
                    self.t(
                        "联系对应表已改动,日程按改动前的方案生成,请重新生成。",
                        "the plan changed; rebuild the schedule.",
                    )
                ).classes("text-amber-800")
        s = ws.schedule
        if s is None:
            return
        planned, unmet = len(s.planned), len(s.unmet)
        with ui.row().classes("gap-2"):
            ui.chip(self.t(f"已排 {planned} 项", f"{planned} planned"), color="green-1").props(
                "square"
            )
            ui.chip(
                self.t(f"未排 {unmet} 项", f"{unmet} unmet"), color="red-1" if unmet else "grey-3"
            ).props("square")
            ui.chip(
                self.t(
                    f"周期 {s.cycle_start} 至 {s.cycle_end}",
                    f"cycle {s.cycle_start} to {s.cycle_end}",
                ),
                color="blue-1",
            ).props("square")
        if s.warnings:
            with ui.expansion(
                self.t(f"提示({len(s.warnings)} 条)", f"notes ({len(s.warnings)})"), icon="info"
            ).classes("w-full"):
                for w in s.warnings:
                    ui.label("· " + w.render(self.lang)).classes("text-sm text-amber-800")
        months = W.schedule_months(s)
        if f.get("cal_month") not in months:
            f["cal_month"] = months[0] if months else None
        leader_opts = {"": self.t("全部领导", "all leaders")}
        leader_opts.update(
            {lid: W.person_label(p, lid) for lid in dict.fromkeys(a for a, _ in ws.schedule_keys)}
        )
        if f.get("cal_leader") not in leader_opts:
            f["cal_leader"] = ""
        with ui.row().classes("items-center gap-3"):
            ui.select(
                leader_opts,
                label=self.t("领导", "leader"),
                with_input=True,
                on_change=lambda _: self.month_view.refresh(),
            ).bind_value(f, "cal_leader").classes("w-56").props("dense data-testid=cal-leader")
            ui.select(
                months, label=self.t("月份", "month"), on_change=lambda _: self.month_view.refresh()
            ).bind_value(f, "cal_month").classes("w-36").props("dense data-testid=cal-month")
        self.month_view()
        self.status_view()

    @ui.refreshable_method
    def month_view(self) -> None:
        ws = self.ws
        s, p = ws.schedule, ws.problem
        month = ws.form.get("cal_month")
        if s is None or p is None or not month:
            return
        leader = ws.form.get("cal_leader") or None
        working = ws.calendar.provider().is_working if ws.calendar is not None else None
        grid = W.month_grid(p, s, str(month), leader, self.lang, working)
        with ui.element("div").classes("month-grid w-full").props("data-testid=month-grid"):
            for d in self.t("一二三四五六日", "MTWTFSS"):
                ui.label(d).classes("month-head")
            for week in grid:
                for cell in week:
                    with ui.element("div").classes("month-cell" + ("" if cell.workday else " off")):
                        if cell.day is not None:
                            ui.label(str(cell.day.day)).classes("font-bold")
                            for e in cell.entries:
                                ui.label(e)
        head, rows = W.calendar_rows(p, s, leader, str(month), self.lang)
        keys = (
            "date",
            "form",
            "leader_name",
            "counselor_name",
            "window_start",
            "window_end",
            "status",
            "note",
        )
        idx = [W.SCHEDULE_COLUMNS.index(k) for k in keys]
        simple_table(
            [head[i] for i in idx],
            [[r[k] for k in keys] for r in rows],
            testid="calendar-table",
            per_page=15,
        )

    @ui.refreshable_method
    def status_view(self) -> None:
        ws = self.ws
        s, p, data = ws.schedule, ws.problem, ws.data
        if s is None or p is None or data is None:
            return
        f = ws.form
        if not f.get("as_of"):
            f["as_of"] = W.default_as_of(s).isoformat()
        f.setdefault("horizon", 30)
        with ui.card().classes("w-full").props("data-testid=status-card"):
            ui.label(self.t("工作进度:逾期与近期到期事项", "Status: overdue and due")).classes(
                "font-bold"
            )
            with ui.row().classes("items-end gap-3"):
                ui.input(self.t("统计截止日期", "as of")).bind_value(f, "as_of").classes(
                    "w-40"
                ).props("dense data-testid=as-of")
                ui.number(
                    self.t("提前提示天数", "days ahead"), min=1, max=365, precision=0
                ).bind_value(f, "horizon").classes("w-32").props("dense")
                ui.button(
                    self.t("刷新", "Refresh"),
                    icon="refresh",
                    on_click=lambda: self.status_view.refresh(),
                ).props("flat dense data-testid=status-refresh")
            day = parse_date(f.get("as_of") or "")
            if day is None:
                ui.label(
                    self.t("日期无法识别,请写成 2027-09-01", "write the date like 2027-09-01")
                ).classes("text-red-800")
                return
            try:
                rep = W.status_report(
                    data, p, ws.schedule_keys, s, day, int(f.get("horizon") or 30)
                )
            except (InputError, ValueError) as exc:
                text = exc.render(self.lang) if isinstance(exc, InputError) else str(exc)
                ui.label(self.t("无法统计:", "cannot compute: ") + text).classes("text-red-800")
                return
            with ui.row().classes("gap-2"):
                ui.chip(
                    self.t(f"逾期 {len(rep.overdue)} 项", f"{len(rep.overdue)} overdue"),
                    color="red-1",
                ).props("square")
                ui.chip(
                    self.t(
                        f"{rep.horizon} 天内到期 {len(rep.due)} 项",
                        f"{len(rep.due)} due in {rep.horizon} days",
                    ),
                    color="amber-1",
                ).props("square")
            for n in rep.notes:
                ui.label("· " + n.render(self.lang)).classes("text-sm text-amber-800")
            heads = [zh if self.lang == "zh" else en for zh, en in LEADER_HEAD]
            simple_table(
                heads, leader_rows(rep, p, self.lang), testid="status-leaders", per_page=10
            )
            fh = [zh if self.lang == "zh" else en for zh, en in FINDING_HEAD]
            if rep.overdue:
                ui.label(self.t("逾期事项", "overdue")).classes("font-bold text-red-800 mt-2")
                simple_table(
                    fh,
                    finding_rows(rep.overdue, p, self.lang),
                    testid="status-overdue",
                    per_page=10,
                )
            if rep.due:
                ui.label(self.t("近期到期", "due soon")).classes("font-bold text-amber-800 mt-2")
                simple_table(
                    fh, finding_rows(rep.due, p, self.lang), testid="status-due", per_page=10
                )

    def on_schedule(self) -> None:
        self.ws.form["alert"] = ""
        self.ws.start_schedule()

    # ----- ⑤ downloads ---------------------------------------------------------------------------
    @ui.refreshable_method
    def downloads_panel(self) -> None:
        ws = self.ws
        f = ws.form
        if not ws.has_plan or ws.problem is None:
            ui.label(self.t("请先生成或上传联系对应表。", "Make or upload a plan first."))
            return
        p = ws.problem
        with ui.card().classes("w-full"):
            ui.label(self.t("联系对应表", "Pairing table")).classes("font-bold")
            if ws.edited:
                ui.label(self.t("(含手工调整)", "(with hand edits)")).classes(
                    "text-amber-800 text-sm"
                )
            with ui.row().classes("gap-3"):
                ui.button(
                    "plan.csv", icon="download", on_click=self.guard(self.on_dl_plan_csv)
                ).props("data-testid=dl-plan-csv")
                ui.button(
                    "plan.xlsx", icon="download", on_click=self.guard(self.on_dl_plan_xlsx)
                ).props("data-testid=dl-plan-xlsx")
        with ui.card().classes("w-full"):
            ui.label(self.t("日程", "Schedule")).classes("font-bold")
            if ws.schedule is None:
                ui.label(
                    self.t(
                        "请先在“④ 日程与进度”页生成日程。", "Build the schedule on the ④ tab first."
                    )
                ).classes("text-sm text-gray-600")
            with ui.row().classes("gap-3"):
                b1 = ui.button(
                    "schedule.xlsx", icon="download", on_click=self.guard(self.on_dl_schedule)
                ).props("data-testid=dl-schedule")
                b2 = ui.button(
                    self.t("日历 .ics(zip)", "calendars .ics (zip)"),
                    icon="download",
                    on_click=self.guard(self.on_dl_ics),
                ).props("data-testid=dl-ics")
                if ws.schedule is None:
                    b1.disable()
                    b2.disable()
        with ui.card().classes("w-full"):
            ui.label(self.t("年度汇总表", "Annual summary")).classes("font-bold")
            years = W.report_years(p, ws.schedule.cycle_start if ws.schedule else None)
            if f.get("year") not in years:
                today = date.today().year
                f["year"] = min(max(today, years[0]), years[-1])
            with ui.row().classes("items-end gap-3"):
                ui.select(years, label=self.t("年度", "year")).bind_value(f, "year").classes(
                    "w-28"
                ).props("dense")
                ui.button(
                    self.t("下载年度汇总表", "annual summary"),
                    icon="download",
                    on_click=self.guard(self.on_dl_report),
                ).props("data-testid=dl-report")
            ui.label(
                self.t(
                    "按联系记录表中该年度的记录统计;只计入当前联系对应表中的结对。",
                    "counted from the year's records; only pairs of the current plan count.",
                )
            ).classes("text-sm text-gray-600")

    async def on_dl_plan_csv(self) -> None:
        ws = self.ws
        assert ws.problem is not None
        blob = await _io(W.plan_csv_bytes, ws.problem, list(ws.keys), self.lang)
        ui.download.content(blob, "plan.csv", "text/csv")

    async def on_dl_plan_xlsx(self) -> None:
        ws = self.ws
        assert ws.problem is not None
        blob = await _io(W.plan_xlsx_bytes, ws.problem, list(ws.keys), self.lang)
        ui.download.content(blob, "plan.xlsx")

    async def on_dl_schedule(self) -> None:
        ws = self.ws
        if ws.schedule is None or ws.problem is None:
            raise UserError("请先生成日程", "build the schedule first")
        blob = await _io(W.schedule_xlsx_bytes, ws.problem, ws.schedule, self.lang)
        ui.download.content(blob, "schedule.xlsx")

    async def on_dl_ics(self) -> None:
        ws = self.ws
        if ws.schedule is None or ws.problem is None:
            raise UserError("请先生成日程", "build the schedule first")
        blob = await _io(W.ics_zip_bytes, ws.problem, ws.schedule, self.lang)
        ui.download.content(blob, "schedule-ics.zip", "application/zip")

    async def on_dl_report(self) -> None:
        ws = self.ws
        if ws.data is None or ws.problem is None:
            raise UserError("请先载入数据", "load data first")
        year = int(ws.form.get("year") or date.today().year)
        name, blob = await _io(
            W.annual_report_bytes,
            ws.data,
            ws.problem,
            list(ws.keys),
            year,
            ws.schedule,
            self.lang,
            ws.data_path,
        )
        ui.download.content(blob, name)


_JOB_ZH = {
    "assign": "求解联系对应表",
    "repair": "计算调整方案",
    "compare": "对比方案",
    "schedule": "生成日程",
    "rotate": "多周期轮换",
}


def create(ws: Workspace) -> Callable[[], None]:
    """The root page function NiceGUI calls for every browser tab."""

    def root() -> None:
        Page(ws).build()

    return root


def run_server(port: int, lang: str = "zh", open_browser: bool = False) -> None:
    """Serve the page on ``127.0.0.1:port`` until Ctrl+C (or the window is closed).

    Binds the loopback address only; NiceGUI sends no telemetry and serves every asset
    from the installed package, so no request leaves the machine.
    """
    ws = Workspace(lang=lang)

    def error_page(exc: Exception) -> None:
        log.error("page failed: %s", exc)
        ui.label(msg(lang, "页面出错,请刷新重试。", "The page failed; reload to retry.")).classes(
            "text-red-800"
        )

    app.on_page_exception(error_page)
    ui.button.default_props("no-caps")

    app.on_shutdown(ws.close)
    ui.run(
        create(ws),
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


__all__ = ["HOST", "Page", "create", "run_server", "simple_table"]
