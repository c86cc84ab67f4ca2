"""Tab ④ 日程与进度: build the schedule, look at it per leader and month, see what is overdue
and due as of a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from nicegui import ui

from planner.app.data import parse_date
from planner.app.planview import person_label
from planner.app.records import RECORD_LIST, record_choices, record_rows
from planner.app.schedule import SCHEDULE_COLUMNS, calendar_rows, month_grid, schedule_months
from planner.app.status import (
    FINDING_HEAD,
    LEADER_HEAD,
    default_as_of,
    finding_rows,
    leader_rows,
    status_of_pairs,
)
from planner.errors import InputError, UserError
from planner.web.widgets import Tab, section, simple_table

__all__ = ["CalendarTab"]

_TABLE_KEYS = (
    "date",
    "form",
    "leader_name",
    "counselor_name",
    "window_start",
    "window_end",
    "status",
    "note",
)


class CalendarTab(Tab):
    """The calendar tab of one browser window."""

    @section
    def panel(self) -> None:
        st, guard = self.state, self.shell.guard
        f = st.form
        if not st.has_plan or st.problem is None:
            ui.label(self.t("请先生成或上传联系对应表。", "Make or upload a plan first."))
            return
        p = st.problem
        passed = st.cycle_start_passed()
        if passed is not None and st.schedule is None:
            with (
                ui.card()
                .classes("w-full bg-amber-50 border border-amber-300")
                .props("data-testid=cycle-passed")
            ):
                ui.label(
                    self.t(
                        f"注意:本周期 {p.cycle} 的开始日期 {passed} 已经过去。按此排日程,开头的约谈、"
                        "指导等事项一开始就是逾期。若周期实际从别的日期开始,请在校历(calendar.toml 的 "
                        "cycle_start 或“校历”工作表)中写明后重新导入。",
                        f"Note: cycle {p.cycle} started on {passed}, in the past: a schedule from "
                        "then has its first items overdue at once. Set the real start in the "
                        "calendar and import again.",
                    )
                ).classes("text-amber-900")
                ui.checkbox(
                    self.t("仍按此开始日期排日程", "schedule from this start anyway")
                ).bind_value(f, "past_ok").props("data-testid=past-ok")
        with ui.row().classes("items-center gap-3"):
            ui.button(
                self.t("生成日程", "Build the schedule"),
                icon="event",
                on_click=guard(self.on_schedule),
            ).props("data-testid=run-schedule")
            if st.schedule_stale:
                ui.label(
                    self.t(
                        "联系对应表已改动,日程按改动前的方案生成,请重新生成。",
                        "the plan changed; rebuild the schedule.",
                    )
                ).classes("text-amber-800")
        if st.schedule is None:
            return
        s = st.schedule.schedule
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
            ui.chip(self.t("已通过独立校验", "checked by the validator"), color="green-1").props(
                "square data-testid=schedule-validated"
            )
        if s.warnings:
            with ui.expansion(
                self.t(f"提示({len(s.warnings)} 条)", f"notes ({len(s.warnings)})"), icon="info"
            ).classes("w-full"):
                for w in s.warnings:
                    ui.label("· " + w.render(self.lang)).classes("text-sm text-amber-800")
        months = schedule_months(s)
        if f.get("cal_month") not in months:
            f["cal_month"] = months[0] if months else None
        leader_opts = {"": self.t("全部领导", "all leaders")}
        leader_opts.update(
            {lid: person_label(p, lid) for lid in dict.fromkeys(a for a, _ in st.schedule.pairs)}
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

    @section
    def month_view(self) -> None:
        st = self.state
        out, p = st.schedule, st.problem
        month = st.form.get("cal_month")
        if out is None or p is None or not month:
            return
        leader = st.form.get("cal_leader") or None
        working = out.calendar.provider().is_working
        grid = month_grid(p, out.schedule, str(month), leader, self.lang, working)
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
        head, rows = calendar_rows(p, out.schedule, leader, str(month), self.lang)
        idx = [SCHEDULE_COLUMNS.index(k) for k in _TABLE_KEYS]
        simple_table(
            [head[i] for i in idx],
            [[r[k] for k in _TABLE_KEYS] for r in rows],
            testid="calendar-table",
            per_page=15,
        )

    @section
    def status_view(self) -> None:
        st = self.state
        out, p, data = st.schedule, st.problem, st.data
        if out is None or p is None or data is None:
            return
        s = out.schedule
        f = st.form
        if not f.get("as_of"):
            f["as_of"] = default_as_of(s.cycle_start, s.cycle_end).isoformat()
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
                rep = status_of_pairs(
                    data,
                    p,
                    out.pairs,
                    s.items,
                    day,
                    calendar_start=s.cycle_start,
                    horizon=int(f.get("horizon") or 30),
                    in_force=st.plans_in_force(s.cycle_start, day),
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

    def build(self) -> None:
        self.panel()
        self.records_card()

    def sections(self) -> list[Any]:
        return [self.panel, self.records_card]

    @section
    def records_card(self) -> None:
        """A record entered on the page: kept in the workspace, counted in status at once."""
        st, guard = self.state, self.shell.guard
        p, data = st.problem, st.data
        if st.ws is None or p is None or data is None or not st.has_plan:
            return
        f = st.form
        pairs = {f"{a}|{b}": f"{person_label(p, a)} → {person_label(p, b)}" for a, b in st.keys}
        if f.get("rec_pair") not in pairs:
            f["rec_pair"] = None
        forms, modes = record_choices("form"), record_choices("mode")
        f.setdefault("rec_date", date.today().isoformat())
        if f.get("rec_form") not in forms:
            f["rec_form"] = forms[0]
        if f.get("rec_mode") not in modes:
            f["rec_mode"] = modes[0]
        with ui.card().classes("w-full").props("data-testid=record-card"):
            ui.label(
                self.t(
                    "录入联系记录(保存到工作区,与联系记录表的校验相同,进度立即更新)",
                    "Enter a contact record (kept in the workspace, checked as the records "
                    "table is; status updates at once)",
                )
            ).classes("font-bold")
            with ui.row().classes("items-end gap-3 w-full"):
                ui.select(pairs, label=self.t("结对", "pair"), with_input=True).bind_value(
                    f, "rec_pair"
                ).classes("w-96").props("dense data-testid=rec-pair")
                ui.input(self.t("日期", "date")).bind_value(f, "rec_date").classes("w-32").props(
                    "dense data-testid=rec-date"
                )
                ui.select(forms, label=self.t("形式", "form")).bind_value(f, "rec_form").classes(
                    "w-32"
                ).props("dense data-testid=rec-form")
                ui.select(modes, label=self.t("方式", "mode")).bind_value(f, "rec_mode").classes(
                    "w-24"
                ).props("dense data-testid=rec-mode")
            with ui.row().classes("items-end gap-3 w-full"):
                ui.input(self.t("类别(如 班会、谈心)", "category")).bind_value(
                    f, "rec_category"
                ).classes("w-44").props("dense data-testid=rec-category")
                ui.input(self.t("主要内容", "summary")).bind_value(f, "rec_summary").classes(
                    "w-96"
                ).props("dense data-testid=rec-summary")
                ui.input(self.t("反映问题", "issues raised")).bind_value(f, "rec_issues").classes(
                    "w-64"
                ).props("dense data-testid=rec-issues")
                ui.button(
                    self.t("保存记录", "Save the record"),
                    icon="save",
                    on_click=guard(self.on_record),
                ).props("data-testid=save-record")
            rows = record_rows(data, limit=10)
            if rows:
                ui.label(self.t("最近录入的联系记录", "the records entered last")).classes(
                    "text-sm mt-2"
                )
                heads = [zh if self.lang == "zh" else en for _, zh, en in RECORD_LIST]
                simple_table(heads, rows, testid="records-table")

    def on_record(self) -> None:
        st = self.state
        f = st.form
        pair = f.get("rec_pair")
        if not pair:
            raise UserError("请选择结对(领导 → 辅导员)", "pick the pair")
        lid, cid = str(pair).split("|", 1)
        st.add_record(
            {
                "日期": f.get("rec_date") or "",
                "领导工号": lid,
                "辅导员工号": cid,
                "形式": f.get("rec_form") or "",
                "方式": f.get("rec_mode") or "",
                "类别": f.get("rec_category") or "",
                "主要内容": f.get("rec_summary") or "",
                "反映问题": f.get("rec_issues") or "",
            }
        )
        for k in ("rec_category", "rec_summary", "rec_issues"):
            f[k] = ""

    def on_schedule(self) -> None:
        self.state.clear_messages()
        self.state.start_schedule(bool(self.state.form.get("past_ok")))
