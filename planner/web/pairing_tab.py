"""Tab ② 结对: solve, look at the pairing table grouped by leader, edit pairs by hand with the
independent validator's verdict at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from nicegui import ui

from planner.app.data import parse_date
from planner.app.plans import PLAN_COLUMNS
from planner.app.planview import (
    Verdict,
    add_pair,
    counselor_options,
    leader_groups,
    leader_options,
    pair_table,
    person_label,
    plan_figures,
    reassign,
    remove_pair,
    units,
    verdict,
)
from planner.app.workspace import STATUS_FOLDER, PlanStatus, version_row
from planner.errors import UserError
from planner.i18n import header
from planner.web.widgets import Tab, section, simple_table

__all__ = ["PairingTab"]


class PairingTab(Tab):
    """The pairing tab of one browser window."""

    @section
    def panel(self) -> None:
        st, guard = self.state, self.shell.guard
        f = st.form
        f.setdefault("seed", 0)
        f.setdefault("time_limit", 60)
        f.setdefault("unit", "")
        if st.problem is not None and f["unit"] and f["unit"] not in units(st.problem):
            f["unit"] = ""
        f.setdefault("view", "cards")
        if st.data is None:
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
                on_click=guard(self.on_assign),
            ).props("data-testid=run-assign")
        if st.findings:
            with ui.card().classes("w-full border border-red-300").props("data-testid=findings"):
                ui.label(st.status_line).classes("text-red-800 font-bold")
                for line in st.findings:
                    ui.label("· " + line).classes("text-red-800")
        if not st.has_plan or st.problem is None:
            return
        p = st.problem
        origin = {
            "solver": "",
            "repair": self.t("(采用的人员变动调整方案)", " (adopted repair)"),
            "upload": self.t("(上传的现行方案)", " (uploaded plan)"),
            "edit": self.t("(手工调整的新版本)", " (hand-edited version)"),
        }.get(st.origin, "")
        ui.label(st.status_line + origin).classes("text-green-800").props(
            "data-testid=assign-status"
        )
        if st.ws is not None:
            self.versions_card()
        self.figures()
        v = verdict(p, st.keys, self.lang)
        self.verdict_card(v, st.edited)
        self.edit_card()
        with ui.row().classes("items-center gap-4"):
            ui.select(
                {"": self.t("全部单位", "all units"), **{u: u for u in units(p)}},
                label=self.t("按单位筛选", "filter by unit"),
                on_change=lambda _: self.groups_view.refresh(),
            ).bind_value(f, "unit").classes("w-56").props("dense data-testid=unit-filter")
            ui.toggle(
                {"cards": self.t("按领导分组", "by leader"), "table": self.t("表格", "table")},
                on_change=lambda _: self.groups_view.refresh(),
            ).bind_value(f, "view").props("dense")
        self.groups_view(v)

    def figures(self) -> None:
        st = self.state
        assert st.problem is not None
        fig = plan_figures(st.problem, st.keys, st.seed)
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

    def verdict_card(self, v: Verdict, edited: bool) -> None:
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

    @section
    def groups_view(self, v: Verdict | None = None) -> None:
        st = self.state
        p = st.problem
        if p is None:
            return
        if v is None:
            v = verdict(p, st.keys, self.lang)
        unit = st.form.get("unit") or None
        if st.form.get("view") == "table":
            rows = pair_table(p, st.keys, self.lang, unit)
            simple_table(
                [header(k, self.lang) for k in PLAN_COLUMNS],
                [[r[k] for k in PLAN_COLUMNS] for r in rows],
                testid="plan-table",
                per_page=25,
            )
            return
        groups = leader_groups(p, st.keys, self.lang, unit)
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
                        ).props(f'title="{self.t("联系人数/规定范围", "load / allowed range")}"')
                        if g.heads:
                            ui.badge(self.t(f"本单位 {g.own}", f"own {g.own}"), color="teal").props(
                                # A native title, not ui.tooltip: dozens of Quasar tooltips on a
                                # part that is redrawn whole lose their anchors, and the browser
                                # then drops later updates of the page (seen: a what-if result
                                # drawn on the server never shown until a reload).
                                f'title="{self.t("教学单位负责人:本单位辅导员人数", "teaching-unit head: own-unit counselors")}"'
                            )
                    if not g.rows:
                        ui.label(self.t("(无联系对象)", "(no counselor)")).classes(
                            "text-sm text-gray-500"
                        )
                    for r in g.rows:
                        flagged = (r["leader_id"], r["counselor_id"]) in v.flagged
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
        st, guard = self.state, self.shell.guard
        p = st.problem
        assert p is not None
        f = st.form
        pairs = {f"{a}|{b}": f"{person_label(p, a)} → {person_label(p, b)}" for a, b in st.keys}
        leaders = leader_options(p)
        counselors = counselor_options(p)
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
                    self.t("改派", "Reassign"), icon="swap_horiz", on_click=guard(self.on_reassign)
                ).props("data-testid=do-reassign")
                ui.button(
                    self.t("删除此结对", "Remove"), icon="delete", on_click=guard(self.on_remove)
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
                    self.t("新增结对", "Add pair"), icon="add", on_click=guard(self.on_add)
                ).props("data-testid=do-add")
            if not st.draft:
                ui.label(
                    self.t(
                        "此版本已采用,不再改动:手工调整将另存为新的草案版本。",
                        "this version is adopted and never changes: an edit makes a new draft.",
                    )
                ).classes("text-sm text-gray-600")
            if st.edited or st.steps:
                added = len(set(st.keys) - set(st.solver_keys))
                dropped = len(set(st.solver_keys) - set(st.keys))
                with ui.row().classes("items-center gap-3"):
                    ui.label(
                        self.t(
                            f"与原方案相比:新增 {added} 对、去掉 {dropped} 对"
                            + (f"(手工调整 {st.steps} 步,可逐步撤销)。" if st.steps else "。"),
                            f"against the original plan: {added} added, {dropped} removed"
                            + (f" ({st.steps} step(s), undone one by one)." if st.steps else "."),
                        )
                    ).classes("text-amber-800").props("data-testid=edit-summary")
                    if st.steps:
                        ui.button(
                            self.t("撤销上一步", "Undo last step"),
                            icon="undo",
                            on_click=guard(self.state.undo_step),
                        ).props("flat data-testid=undo-step")
                    ui.button(
                        self.t("撤销全部手工调整", "Undo all edits"),
                        icon="undo",
                        on_click=guard(self.state.undo_edits),
                    ).props("flat data-testid=undo-edits")

    def versions_card(self) -> None:
        """The plan versions with status and dates; adopt (采用) and approve (已审定)."""
        st, guard = self.state, self.shell.guard
        f = st.form
        today = date.today().isoformat()
        f.setdefault("adopt_on", today)
        f.setdefault("approve_on", today)
        cur = st.current_version
        with ui.card().classes("w-full").props("data-testid=versions-card"):
            ui.label(
                self.t("方案版本(保存在工作区)", "Plan versions (kept in the workspace)")
            ).classes("font-bold")
            heads = [
                self.t(zh, en)
                for zh, en in (
                    ("版本", "version"),
                    ("周期", "cycle"),
                    ("状态", "status"),
                    ("来源", "origin"),
                    ("结对数", "pairs"),
                    ("保存时间", "saved"),
                    ("施行日期", "in force from"),
                    ("审定日期", "approved"),
                    ("说明", "note"),
                )
            ]
            rows = [version_row(v, self.lang, v.id == st.plan_id) for v in reversed(st.versions)]
            simple_table(heads, rows, testid="versions-table", per_page=8)
            with ui.row().classes("items-end gap-3"):
                # A version just made may be drawn before the list holds it: no value then.
                choices = {
                    v.id: f"{v.id} · {v.cycle} · {STATUS_FOLDER[v.status]}" for v in st.versions
                }
                ui.select(
                    choices,
                    label=self.t("查看/使用版本", "work on version"),
                    value=st.plan_id if st.plan_id in choices else None,
                    on_change=guard(lambda e: st.pick_version(int(e.value)) if e.value else None),
                ).classes("w-64").props("dense data-testid=pick-version")
                if cur is not None and cur.status == PlanStatus.DRAFT:
                    ui.input(self.t("施行日期", "in force from")).bind_value(f, "adopt_on").classes(
                        "w-36"
                    ).props("dense data-testid=adopt-on")
                    ui.button(
                        self.t("采用此版本", "Adopt this version"),
                        icon="how_to_reg",
                        on_click=guard(self.on_adopt),
                    ).props("data-testid=adopt-plan")
                if cur is not None and cur.status == PlanStatus.ADOPTED:
                    ui.input(self.t("领导小组审定日期", "approved on")).bind_value(
                        f, "approve_on"
                    ).classes("w-40").props("dense data-testid=approve-on")
                    ui.button(
                        self.t("记为已审定", "Mark approved"),
                        icon="verified",
                        on_click=guard(self.on_approve),
                    ).props("data-testid=approve-plan")

    def _day(self, key: str) -> date:
        day = parse_date(str(self.state.form.get(key) or ""))
        if day is None:
            raise UserError("日期无法识别,请写成 2027-03-01", "write the date like 2027-03-01")
        return day

    def on_adopt(self) -> None:
        self.state.adopt(self._day("adopt_on"))

    def on_approve(self) -> None:
        self.state.approve(self._day("approve_on"))

    def _picked_pair(self) -> tuple[str, str]:
        value = self.state.form.get("edit_pair")
        if not value:
            raise UserError("请先选择要调整的结对", "pick a pair first")
        a, b = str(value).split("|", 1)
        return a, b

    def _problem(self) -> Any:
        if self.state.problem is None:
            raise UserError("请先生成或上传联系对应表", "make or upload a plan first")
        return self.state.problem

    def on_assign(self) -> None:
        st = self.state
        seed = int(st.form.get("seed") or 0)
        limit = float(st.form.get("time_limit") or 60)
        st.clear_messages()
        st.start_assign(seed, limit)

    def on_reassign(self) -> None:
        st = self.state
        key = self._picked_pair()
        new = st.form.get("edit_leader")
        if not new:
            raise UserError("请选择改由哪位领导联系", "pick the new leader")
        with st.lock:
            st.edit(
                reassign(self._problem(), st.keys, key, str(new)),
                {"kind": "reassign", "pair": list(key), "leader": str(new)},
            )
            st.form["edit_pair"] = f"{new}|{key[1]}"

    def on_remove(self) -> None:
        st = self.state
        with st.lock:
            key = self._picked_pair()
            st.edit(remove_pair(st.keys, key), {"kind": "remove", "pair": list(key)})
            st.form["edit_pair"] = None

    def on_add(self) -> None:
        st = self.state
        lid, cid = st.form.get("add_leader"), st.form.get("add_counselor")
        if not lid or not cid:
            raise UserError("请选择领导和辅导员", "pick a leader and a counselor")
        with st.lock:
            st.edit(
                add_pair(self._problem(), st.keys, str(lid), str(cid)),
                {"kind": "add", "pair": [str(lid), str(cid)]},
            )
