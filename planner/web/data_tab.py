"""Tab ① 数据: load a workbook, a zipped folder, loose tables or the demo college; see every
input problem (file, row, column, value); upload the plan in force."""

from __future__ import annotations

from pathlib import Path

from nicegui import ui
from nicegui.events import MultiUploadEventArguments, UploadEventArguments

from planner.app.data import (
    PROBLEM_COLUMNS,
    data_summary,
    demo_data_dir,
    problem_rows,
    try_load,
)
from planner.app.template import template_bytes
from planner.app.uploads import MAX_UPLOAD_BYTES, read_plan_upload, save_upload
from planner.errors import UserError
from planner.web.widgets import Tab, io_bound, section, simple_table

__all__ = ["DataTab"]


class DataTab(Tab):
    """The data tab of one browser window."""

    def build(self) -> None:
        self.controls()
        self.panel()

    def controls(self) -> None:
        st, guard = self.state, self.shell.guard
        st.form.setdefault("cycle", "")
        mb = MAX_UPLOAD_BYTES // (1024 * 1024)
        with ui.card().classes("w-full"):
            ui.label(self.t("载入数据", "Load data")).classes("text-base font-bold")
            ui.label(
                self.t(
                    "上传填好的工作簿(每张表一个工作表),或把数据文件夹压缩成压缩包上传,也可一次选中多个表格文件。"
                    f"单次上传不超过 {mb} MB。没有数据时可先用示例学院试一试。",
                    "Upload the filled workbook (one sheet per table), a .zip of the data folder, "
                    f"or several .csv files at once (at most {mb} MB). Try the demo college first if you like.",
                )
            ).classes("text-sm text-gray-700")
            with ui.row().classes("items-center gap-4"):
                ui.button(
                    self.t("使用示例学院数据", "Use the demo college"),
                    icon="school",
                    on_click=guard(self.on_demo),
                ).props("data-testid=use-demo")
                ui.button(
                    self.t("下载空白模板", "Empty template"),
                    icon="description",
                    on_click=guard(self.on_template),
                ).props("flat data-testid=dl-template")
                ui.input(self.t("周期(可留空)", "cycle (optional)")).bind_value(
                    st.form, "cycle"
                ).props("dense clearable").classes("w-48").tooltip(
                    self.t(
                        "例如 2027-2030;留空时按校历的周期开始日期或历史联系推算",
                        "e.g. 2027-2030; blank: from the calendar or the history",
                    )
                )
            ui.upload(
                label=self.t(
                    "上传数据(工作簿、压缩包或表格文件)", "Upload data (.xlsx / .zip / .csv)"
                ),
                multiple=True,
                auto_upload=True,
                on_multi_upload=guard(self.on_upload),
                on_rejected=guard(self.on_rejected),
                max_file_size=MAX_UPLOAD_BYTES,
                max_total_size=MAX_UPLOAD_BYTES,
            ).props('accept=".xlsx,.xlsm,.zip,.csv,.toml" data-testid=upload-data').classes(
                "w-full max-w-xl"
            )
            ui.upload(
                label=self.t(
                    "可选:上传现行联系对应表(本工具下载的联系对应表文件,用于人员变动调整、日程与进度)",
                    "optional: upload the plan in force (plan.csv / plan.xlsx)",
                ),
                auto_upload=True,
                on_upload=guard(self.on_plan_upload),
                on_rejected=guard(self.on_rejected),
                max_file_size=MAX_UPLOAD_BYTES,
            ).props('accept=".csv,.xlsx" data-testid=upload-plan').classes("w-full max-w-xl")

    @section
    def panel(self) -> None:
        st = self.state
        if st.pending is not None:
            self.pending_card()
        if st.problems:
            with (
                ui.card()
                .classes("w-full border border-red-300")
                .props("data-testid=input-problems")
            ):
                ui.label(
                    self.t(
                        f"输入有 {len(st.problems)} 处问题,请在表格中修改后重新上传:",
                        f"{len(st.problems)} problem(s) in the input; fix them and upload again:",
                    )
                ).classes("text-red-800 font-bold")
                rows = problem_rows(st.problems, self.lang)
                heads = [zh if self.lang == "zh" else en for _, zh, en in PROBLEM_COLUMNS]
                simple_table(
                    heads,
                    [[r[k] for k, _, _ in PROBLEM_COLUMNS] for r in rows],
                    testid="problems-table",
                    per_page=20,
                )
        if st.data is None:
            return
        with ui.card().classes("w-full").props("data-testid=data-summary"):
            ui.label(self.t(f"已载入:{st.source}", f"loaded: {st.source}")).classes(
                "text-base font-bold"
            )
            with ui.grid(columns=2).classes("gap-x-6 gap-y-1"):
                for label, value in data_summary(st.data, self.lang):
                    ui.label(label).classes("text-gray-600")
                    ui.label(value)
            if st.data.notes:
                ui.label(self.t("提示:", "notes:")).classes("mt-2 font-bold")
                for n in st.data.notes:
                    ui.label("· " + n.render(self.lang)).classes("text-sm text-amber-800")
            if st.ws is not None:
                ui.label(
                    self.t(
                        f"工作区:{st.ws.folder}(名单版本 {st.ws_data_version},"
                        f"方案版本 {len(st.versions)} 份)。再次上传工作簿不会覆盖已有的方案与记录。",
                        f"workspace: {st.ws.folder} (data version {st.ws_data_version}, "
                        f"{len(st.versions)} plan version(s)); uploading again never wipes them.",
                    )
                ).classes("text-sm text-gray-700 mt-2").props("data-testid=workspace-summary")
            ui.label(
                self.t(
                    "下一步:到“② 结对”页生成联系对应表。",
                    "Next: make the pairing table on the ② tab.",
                )
            ).classes("mt-2 text-blue-900")

    async def _load(self, path: Path, source: str, upload: Path | None = None) -> None:
        st = self.state
        cycle = (st.form.get("cycle") or "").strip() or None
        got = st.accept(await io_bound(try_load, path, cycle), path, source, upload)
        if got.ok and st.pending is not None:
            self.shell.info(
                self.t(
                    f"已读取“{source}”。工作区中已有数据:请在下方选择作为新的名单版本导入,"
                    "还是只合并其中的联系记录(已有的方案与记录都会保留)。",
                    f"'{source}' read. The workspace already holds data: choose below whether "
                    "this is a new roster version or records to merge (plans and records stay).",
                )
            )
        elif got.ok:
            if st.ws is None:
                self.shell.info(self.t(f"已载入 {source}。", f"loaded {source}."))
            # on a workspace the state said what was kept
        else:
            self.shell.alert(
                self.t(
                    f"“{source}”有 {len(got.problems)} 处问题,见下表(文件、行、列、值)。",
                    f"'{source}' has {len(got.problems)} problem(s); see the table.",
                )
            )

    def pending_card(self) -> None:
        st, guard = self.state, self.shell.guard
        pend = st.pending
        assert pend is not None
        with (
            ui.card()
            .classes("w-full bg-amber-50 border border-amber-300")
            .props("data-testid=pending-upload")
        ):
            ui.label(
                self.t(f"“{pend.source}”如何保存到工作区?", f"How should '{pend.source}' be kept?")
            ).classes("font-bold")
            ui.label(
                self.t(
                    "新的名单版本:领导干部、辅导员、约束、设置、校历以此为准(旧版本保留),其中的记录表合并;"
                    "只合并记录:名单不变,只把其中的联系记录等表合并进来,重复的行列出、不重复保存。"
                    "两种方式都不会删除已有的方案、手工调整、日程和记录。",
                    "A new roster version: its rosters, rules, settings and calendar are used from now "
                    "on (older versions kept) and its records merged; records only: the rosters stay, "
                    "its records are merged, duplicates listed. Neither removes plans, edits, "
                    "schedules or records.",
                )
            ).classes("text-sm")
            with ui.row().classes("gap-3"):
                ui.button(
                    self.t("作为新的名单版本导入", "New roster version"),
                    icon="fiber_new",
                    on_click=guard(lambda: io_bound(st.resolve_pending, "roster")),
                ).props("data-testid=pending-roster")
                b = ui.button(
                    self.t("只合并其中的记录", "Merge its records only"),
                    icon="merge",
                    on_click=guard(lambda: io_bound(st.resolve_pending, "records")),
                ).props("outline data-testid=pending-records")
                if not pend.has_records:
                    b.disable()
                ui.button(self.t("不保存", "Discard"), on_click=guard(st.drop_pending)).props(
                    "flat data-testid=pending-drop"
                )

    async def on_demo(self) -> None:
        await self._load(demo_data_dir(), self.t("示例学院", "demo college"))

    async def on_upload(self, e: MultiUploadEventArguments) -> None:
        e.sender.run_method("reset")
        files = [(f.name, await f.read()) for f in e.files]
        dest = self.state.upload_dir()
        # save_upload removes ``dest`` itself when it refuses the files.
        path = await io_bound(save_upload, files, dest)
        label = (
            files[0][0]
            if len(files) == 1
            else self.t(f"{len(files)} 个文件", f"{len(files)} files")
        )
        await self._load(path, label, dest)

    def on_rejected(self) -> None:
        mb = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise UserError(
            f"文件未上传:单次上传不能超过 {mb} MB,且只接受 .xlsx、.zip、.csv、.toml 文件;未保存任何文件。",
            f"file refused: uploads are limited to {mb} MB and to .xlsx, .zip, .csv and .toml files; nothing was saved.",
        )

    async def on_plan_upload(self, e: UploadEventArguments) -> None:
        st = self.state
        e.sender.run_method("reset")
        data, path = st.data, st.data_path
        if data is None or path is None:
            raise UserError("请先载入数据,再上传联系对应表", "load the data first")
        token = st.data_token
        blob = await e.file.read()
        label, keys = read_plan_upload(e.file.name, blob, data.problem)
        reread = None
        if label and label != data.problem.cycle:
            # The plan belongs to another cycle: read the data for that cycle (as `whatif` does).
            reread = await io_bound(try_load, path, label)
            if not reread.ok:
                st.show_problems(reread.problems)
                raise UserError(
                    f"按联系对应表的周期 {label} 读取数据时出现问题,见“① 数据”页",
                    f"reading the data for the plan's cycle {label} failed; see the ① tab",
                )
        st.take_uploaded_plan(keys, e.file.name, token, reread)
        self.shell.info(
            self.t(
                f"已载入现行联系对应表 {e.file.name}({len(keys)} 对)。",
                f"plan loaded ({len(keys)} pairs).",
            )
        )

    async def on_template(self) -> None:
        blob = await io_bound(template_bytes, self.lang)
        ui.download.content(blob, "数据模板.xlsx")
