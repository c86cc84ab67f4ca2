"""The rotation card of tab ③: plan the next cycles jointly beside cycle by cycle."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from planner.app.plans import PLAN_COLUMNS
from planner.app.rotate import rotation_pairs, rotation_summary_bytes, rotation_table
from planner.errors import UserError
from planner.i18n import header
from planner.web.state import ROTATION_MAX_CYCLES
from planner.web.widgets import Tab, io_bound, section, simple_table

__all__ = ["RotationView"]


class RotationView(Tab):
    """The rotation card of one browser window."""

    @section
    def panel(self) -> None:
        st, guard = self.state, self.shell.guard
        f = st.form
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
            if st.data is None or st.problem is None:
                ui.label(self.t("请先在“① 数据”页载入数据。", "Load data on the ① tab first."))
                return
            with ui.row().classes("items-end gap-3"):
                ui.select(
                    list(range(1, ROTATION_MAX_CYCLES + 1)), label=self.t("周期数", "cycles")
                ).bind_value(f, "rot_cycles").classes("w-28").props("dense data-testid=rot-cycles")
                ui.number(
                    self.t("时限(秒)", "time limit (s)"), min=1, max=3600, precision=0
                ).bind_value(f, "rot_limit").classes("w-28").props("dense")
                ui.button(
                    self.t("计算多周期轮换", "Plan the rotation"),
                    icon="autorenew",
                    on_click=guard(self.on_rotate),
                ).props("data-testid=run-rotation")
            out = st.rotation
            if out is None:
                return
            res = out.result
            ui.label(out.note).classes("text-green-800" if out.ok else "text-red-800").props(
                "data-testid=rotation-note"
            )
            if res.joint is None:
                return
            ui.label(
                self.t(
                    "各周期结果:联合规划 / 逐周期规划",
                    "per cycle: lookahead / greedy (as rotation-summary)",
                )
            ).classes("font-bold mt-2")
            head, rows = rotation_table(res, self.lang)
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
                    lambda e: self.on_pick("rot_cycle", e.value)
                )
                ui.toggle(
                    {
                        "joint": self.t("联合规划", "lookahead"),
                        "greedy": self.t("逐周期规划", "greedy"),
                    }
                ).bind_value(f, "rot_which").props("dense no-caps").on_value_change(
                    lambda e: self.on_pick("rot_which", e.value)
                )
                ui.button(
                    self.t("下载轮换汇总表", "Download rotation-summary.xlsx"),
                    icon="download",
                    on_click=guard(self.on_download),
                ).props("outline data-testid=dl-rotation")
            self.pairs_view()

    @section
    def pairs_view(self) -> None:
        out = self.state.rotation
        if out is None or out.result.joint is None:
            return
        f = self.state.form
        i = int(f.get("rot_cycle") or 0)
        which = str(f.get("rot_which") or "joint")
        plans = out.result.joint if which == "joint" else out.result.greedy
        if i >= len(plans):
            ui.label(
                self.t(
                    "逐周期规划在该周期无解(前面周期的选择堵死了轮换)。",
                    "greedy planning finds no plan for this cycle.",
                )
            ).classes("text-red-800")
            return
        rows = rotation_pairs(out, i, self.lang, which)
        simple_table(
            [header(k, self.lang) for k in PLAN_COLUMNS],
            [[r[k] for k in PLAN_COLUMNS] for r in rows],
            testid="rotation-pairs",
            per_page=15,
        )

    def on_pick(self, key: str, value: Any) -> None:
        self.state.form[key] = value
        self.pairs_view.refresh()

    def on_rotate(self) -> None:
        st = self.state
        f = st.form
        st.clear_messages()
        st.start_rotation(
            int(f.get("rot_cycles") or 3), int(f.get("seed") or 0), float(f.get("rot_limit") or 60)
        )

    async def on_download(self) -> None:
        out = self.state.rotation
        if out is None or out.result.joint is None:
            raise UserError("还没有多周期轮换方案", "no rotation plan yet")
        blob = await io_bound(rotation_summary_bytes, out, self.lang)
        ui.download.content(blob, "rotation-summary.xlsx")
