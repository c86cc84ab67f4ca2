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
        if got.ok:
            self.shell.info(self.t(f"已载入 {source}。", f"loaded {source}."))
        else:
            self.shell.alert(
                self.t(
                    f"“{source}”有 {len(got.problems)} 处问题,见下表(文件、行、列、值)。",
                    f"'{source}' has {len(got.problems)} problem(s); see the table.",
                )
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
