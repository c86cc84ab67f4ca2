"""Tab ⑤ 下载: every file the command line writes for the page's state, byte for byte: the
plan, the schedule (csv, xlsx, .ics), status, the year's 年度汇总表 and its .docx files, diff and
compare; and the workspace exported as a zip."""

from __future__ import annotations

from datetime import date
from typing import Any

from nicegui import ui

from planner.app.data import parse_date, with_problem
from planner.app.plans import make_plan, plan_csv_bytes, plan_xlsx_bytes
from planner.app.records import report_years
from planner.app.report import report_of_pairs, report_xlsx_bytes, report_zip_bytes
from planner.app.schedule import ics_zip_bytes, schedule_csv_bytes, schedule_xlsx_bytes
from planner.app.status import (
    default_as_of,
    status_file_name,
    status_of_pairs,
    status_xlsx_bytes,
)
from planner.app.whatif import compare_xlsx_bytes, diff_csv_bytes
from planner.app.workspace import PlanStatus
from planner.errors import UserError
from planner.web.widgets import Tab, io_bound, section

__all__ = ["DownloadsTab"]


class DownloadsTab(Tab):
    """The downloads tab of one browser window."""

    @section
    def panel(self) -> None:
        st, guard = self.state, self.shell.guard
        f = st.form
        if not st.has_plan or st.problem is None:
            ui.label(self.t("请先生成或上传联系对应表。", "Make or upload a plan first."))
            return
        sched = st.schedule.schedule if st.schedule is not None else None
        with ui.card().classes("w-full"):
            ui.label(self.t("联系对应表", "Pairing table")).classes("font-bold")
            if st.edited:
                ui.label(self.t("(含手工调整)", "(with hand edits)")).classes(
                    "text-amber-800 text-sm"
                )
            with ui.row().classes("gap-3"):
                ui.button(
                    self.t("联系对应表(数据文件)", "plan.csv"),
                    icon="download",
                    on_click=guard(self.on_plan_csv),
                ).props("data-testid=dl-plan-csv")
                ui.button(
                    self.t("联系对应表(打印版)", "plan.xlsx"),
                    icon="download",
                    on_click=guard(self.on_plan_xlsx),
                ).props("data-testid=dl-plan-xlsx")
        with ui.card().classes("w-full"):
            ui.label(self.t("日程", "Schedule")).classes("font-bold")
            if sched is None:
                ui.label(
                    self.t(
                        "请先在“④ 日程与进度”页生成日程。", "Build the schedule on the ④ tab first."
                    )
                ).classes("text-sm text-gray-600")
            with ui.row().classes("gap-3"):
                b0 = ui.button(
                    "schedule.csv", icon="download", on_click=guard(self.on_schedule_csv)
                ).props("data-testid=dl-schedule-csv")
                b1 = ui.button(
                    self.t("日程表(打印版)", "schedule.xlsx"),
                    icon="download",
                    on_click=guard(self.on_schedule),
                ).props("data-testid=dl-schedule")
                b2 = ui.button(
                    self.t("日历文件(可导入手机、电脑日历)", "calendars .ics (zip)"),
                    icon="download",
                    on_click=guard(self.on_ics),
                ).props("data-testid=dl-ics")
                if sched is None:
                    b0.disable()
                    b1.disable()
                    b2.disable()
        with ui.card().classes("w-full"):
            ui.label(self.t("年度汇总表", "Annual summary")).classes("font-bold")
            years = report_years(st.problem, sched.cycle_start if sched else None)
            if f.get("year") not in years:
                f["year"] = min(max(date.today().year, years[0]), years[-1])
            with ui.row().classes("items-end gap-3"):
                ui.select(years, label=self.t("年度", "year")).bind_value(f, "year").classes(
                    "w-28"
                ).props("dense")
                ui.button(
                    self.t("下载年度汇总表", "annual summary"),
                    icon="download",
                    on_click=guard(self.on_report),
                ).props("data-testid=dl-report")
                ui.button(
                    self.t("年度材料全套(工作簿和文档,压缩包)", "all report files (zip)"),
                    icon="download",
                    on_click=guard(self.on_report_zip),
                ).props("outline data-testid=dl-report-zip")
            adopted = st.ws is not None and any(v.adopted_on for v in st.versions)
            ui.label(
                self.t(
                    "按联系记录表中该年度的记录统计:每条记录按其日期当天施行的方案版本计入"
                    "(离岗领导在离岗前的联系照常计入)。"
                    if adopted
                    else "按联系记录表中该年度的记录统计;尚未采用方案,只计入当前联系对应表中的结对。",
                    "counted from the year's records, each against the plan version in force "
                    "on its date."
                    if adopted
                    else "counted from the year's records; no plan adopted yet, so only the "
                    "current plan's pairs count.",
                )
            ).classes("text-sm text-gray-600").props("data-testid=report-note")
        with ui.card().classes("w-full"):
            ui.label(self.t("工作进度与人员变动", "Status and staff changes")).classes("font-bold")
            with ui.row().classes("gap-3"):
                b = ui.button(
                    self.t("工作进度 status.xlsx", "status.xlsx"),
                    icon="download",
                    on_click=guard(self.on_status),
                ).props("data-testid=dl-status")
                if sched is None:
                    b.disable()
                b = ui.button("diff.csv", icon="download", on_click=guard(self.on_diff)).props(
                    "data-testid=dl-diff-csv"
                )
                if st.whatif is None or st.whatif.result.plan is None:
                    b.disable()
                b = ui.button(
                    "compare.xlsx", icon="download", on_click=guard(self.on_compare)
                ).props("data-testid=dl-compare")
                if st.compared is None:
                    b.disable()
        if st.ws is not None:
            with ui.card().classes("w-full"):
                ui.label(self.t("工作区", "Workspace")).classes("font-bold")
                ui.label(
                    self.t(
                        "导出工作区:数据文件夹(可直接再次导入,含历史联系)、每个方案版本、"
                        "今天施行的联系对应表 plan.csv 与日程 schedule.csv,打包为一个压缩包。",
                        "the workspace as the office's files: data/, plans/, plan.csv and "
                        "schedule.csv, as a zip.",
                    )
                ).classes("text-sm text-gray-600")
                ui.button(
                    self.t("导出工作区(压缩包)", "Export the workspace (zip)"),
                    icon="archive",
                    on_click=guard(self.on_export),
                ).props("data-testid=dl-export")

    def _plan(self) -> tuple[Any, Any]:
        st = self.state
        with st.lock:
            if st.problem is None or not st.keys:
                raise UserError("请先生成或上传联系对应表", "make or upload a plan first")
            return st.problem, make_plan(st.problem, st.keys)

    def _schedule(self) -> tuple[Any, Any]:
        st = self.state
        with st.lock:
            if st.schedule is None or st.problem is None:
                raise UserError("请先生成日程", "build the schedule first")
            return st.problem, st.schedule.schedule

    async def on_plan_csv(self) -> None:
        problem, plan = self._plan()
        blob = await io_bound(plan_csv_bytes, problem, plan, self.lang)
        ui.download.content(blob, "plan.csv", "text/csv")

    async def on_plan_xlsx(self) -> None:
        problem, plan = self._plan()
        # Once the leading group approved this version, the printed table says so (with the day).
        v = self.state.current_version
        approved = (
            v.approved_on
            if v is not None
            and v.status == PlanStatus.APPROVED
            and sorted(v.pairs) == sorted(p.key for p in plan.pairs)
            else None
        )
        blob = await io_bound(plan_xlsx_bytes, problem, plan, self.lang, approved)
        ui.download.content(blob, "plan.xlsx")

    async def on_schedule(self) -> None:
        problem, sched = self._schedule()
        blob = await io_bound(schedule_xlsx_bytes, problem, sched, self.lang)
        ui.download.content(blob, "schedule.xlsx")

    async def on_ics(self) -> None:
        problem, sched = self._schedule()
        blob = await io_bound(ics_zip_bytes, problem, sched, self.lang)
        ui.download.content(blob, "schedule-ics.zip", "application/zip")

    def _report(self) -> Any:
        """The year's report as the page has it: each record against the plan in force on
        its date (the workspace's adopted versions), else the current plan."""
        st = self.state
        with st.lock:
            if st.data is None or st.problem is None:
                raise UserError("请先载入数据", "load data first")
            data, problem, keys = st.data, st.problem, list(st.keys)
            sched = st.schedule.schedule if st.schedule is not None else None
            data_path = st.data_path
        year = int(st.form.get("year") or date.today().year)
        in_force = st.plans_in_force(date(year, 1, 1), date(year, 12, 31))

        def build() -> Any:
            return report_of_pairs(
                data,
                problem,
                keys,
                year,
                schedule=sched.items if sched else None,
                calendar_start=sched.cycle_start if sched else None,
                data_dir=data_path,
                in_force=in_force,
            )

        return data, problem, build

    async def on_report(self) -> None:
        _, problem, build = self._report()
        name, blob = await io_bound(lambda: report_xlsx_bytes(build(), problem, self.lang))
        ui.download.content(blob, name)

    async def on_report_zip(self) -> None:
        data, problem, build = self._report()
        year = int(self.state.form.get("year") or date.today().year)
        blob = await io_bound(
            lambda: report_zip_bytes(build(), with_problem(data, problem), self.lang)
        )
        ui.download.content(blob, f"年度材料-{year}.zip", "application/zip")

    async def on_schedule_csv(self) -> None:
        problem, sched = self._schedule()
        blob = await io_bound(schedule_csv_bytes, problem, sched, self.lang)
        ui.download.content(blob, "schedule.csv", "text/csv")

    async def on_status(self) -> None:
        st = self.state
        with st.lock:
            if st.schedule is None or st.problem is None or st.data is None:
                raise UserError("请先生成日程", "build the schedule first")
            data, problem, keys, s = st.data, st.problem, list(st.keys), st.schedule.schedule
        day = parse_date(str(st.form.get("as_of") or "")) or default_as_of(
            s.cycle_start, s.cycle_end
        )
        in_force = st.plans_in_force(s.cycle_start, day)

        def build() -> bytes:
            rep = status_of_pairs(
                data,
                problem,
                keys,
                s.items,
                day,
                calendar_start=s.cycle_start,
                horizon=int(st.form.get("horizon") or 30),
                in_force=in_force,
            )
            return status_xlsx_bytes(rep, with_problem(data, problem), self.lang)

        blob = await io_bound(build)
        ui.download.content(blob, status_file_name(day))

    async def on_diff(self) -> None:
        out = self.state.whatif
        if out is None:
            raise UserError("还没有调整方案", "no repair yet")
        ui.download.content(await io_bound(diff_csv_bytes, out), "diff.csv", "text/csv")

    async def on_compare(self) -> None:
        out = self.state.compared
        if out is None:
            raise UserError("还没有对比结果", "nothing compared yet")
        ui.download.content(await io_bound(compare_xlsx_bytes, out), "compare.xlsx")

    async def on_export(self) -> None:
        ws = self.state.ws
        if ws is None:
            raise UserError("网页未连接工作区", "the page has no workspace")

        def build() -> bytes:
            with self.state.lock:
                return ws.export_zip_bytes(lang=self.lang)

        blob = await io_bound(build)
        ui.download.content(blob, f"工作区导出-{date.today().isoformat()}.zip", "application/zip")
