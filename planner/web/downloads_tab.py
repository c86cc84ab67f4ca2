"""Tab ⑤ 下载: the plan, the schedule, the calendars and the year's 年度汇总表 as files, byte
for byte what the command line writes."""

from __future__ import annotations

from datetime import date
from typing import Any

from nicegui import ui

from planner.app.plans import make_plan, plan_csv_bytes, plan_xlsx_bytes
from planner.app.records import report_years
from planner.app.report import report_of_pairs, report_xlsx_bytes
from planner.app.schedule import ics_zip_bytes, schedule_xlsx_bytes
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
            ui.label(
                self.t(
                    "按联系记录表中该年度的记录统计;只计入当前联系对应表中的结对。",
                    "counted from the year's records; only pairs of the current plan count.",
                )
            ).classes("text-sm text-gray-600")

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
        blob = await io_bound(plan_xlsx_bytes, problem, plan, self.lang)
        ui.download.content(blob, "plan.xlsx")

    async def on_schedule(self) -> None:
        problem, sched = self._schedule()
        blob = await io_bound(schedule_xlsx_bytes, problem, sched, self.lang)
        ui.download.content(blob, "schedule.xlsx")

    async def on_ics(self) -> None:
        problem, sched = self._schedule()
        blob = await io_bound(ics_zip_bytes, problem, sched, self.lang)
        ui.download.content(blob, "schedule-ics.zip", "application/zip")

    async def on_report(self) -> None:
        st = self.state
        with st.lock:
            if st.data is None or st.problem is None:
                raise UserError("请先载入数据", "load data first")
            data, problem, keys = st.data, st.problem, list(st.keys)
            sched = st.schedule.schedule if st.schedule is not None else None
            data_path = st.data_path
        year = int(st.form.get("year") or date.today().year)

        def build() -> tuple[str, bytes]:
            rep = report_of_pairs(
                data,
                problem,
                keys,
                year,
                schedule=sched.items if sched else None,
                calendar_start=sched.cycle_start if sched else None,
                data_dir=data_path,
            )
            return report_xlsx_bytes(rep, problem, self.lang)

        name, blob = await io_bound(build)
        ui.download.content(blob, name)
