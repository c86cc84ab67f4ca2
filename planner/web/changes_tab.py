"""Tab ③ 人员变动: leavers and joiners, the plan repaired with the fewest moves (current and
repaired side by side, diff.csv), several options compared."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from planner.app.data import parse_date
from planner.app.planview import counselor_options, leader_options, levels_rows, units
from planner.app.whatif import (
    SIDE_COLUMNS,
    Change,
    change_summary,
    default_repair_date,
    describe_option,
    diff_csv_bytes,
    diff_table,
    example_changes,
    make_change,
    side_by_side,
)
from planner.errors import UserError
from planner.web.widgets import Tab, io_bound, section, simple_table

__all__ = ["ChangesTab"]


class ChangesTab(Tab):
    """The staff-changes tab of one browser window (the rotation card is its own module)."""

    @section
    def panel(self) -> None:
        st, guard = self.state, self.shell.guard
        f = st.form
        if not st.has_plan or st.problem is None:
            ui.label(
                self.t(
                    "请先在“② 结对”页生成联系对应表,或在“① 数据”页上传现行联系对应表。",
                    "Make a plan on the ② tab or upload the plan in force on the ① tab first.",
                )
            )
            return
        p = st.problem
        leaders, counselors = leader_options(p), counselor_options(p)
        f.setdefault("opt_name", self.t("方案1", "option 1"))
        f["leavers"] = [x for x in f.get("leavers") or [] if x in leaders]
        f["c_leavers"] = [x for x in f.get("c_leavers") or [] if x in counselors]
        f.setdefault("joins_l", [])
        f.setdefault("joins_c", [])
        f.setdefault("repair_date", default_repair_date(p).isoformat())
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
                    leaders,
                    label=self.t("离岗领导", "leaders leaving"),
                    multiple=True,
                    with_input=True,
                ).bind_value(f, "leavers").classes("w-96").props(
                    "dense use-chips data-testid=leavers"
                )
                ui.select(
                    counselors,
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
                    "dense data-testid=repair-date"
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
                    on_click=guard(self.on_whatif),
                ).props("data-testid=run-whatif")
                ui.button(
                    self.t("加入对比列表", "Add to comparison"),
                    icon="playlist_add",
                    on_click=guard(self.on_add_option),
                ).props("outline data-testid=add-option")
        self.repair_view()
        self.compare_view()

    def joiners_form(self) -> None:
        st, guard = self.state, self.shell.guard
        f = st.form
        unit_opts = units(st.problem) if st.problem else []
        with ui.row().classes("items-end gap-2"):
            ui.label(self.t("新领导:", "new leader:")).classes("w-20")
            ui.input(self.t("工号", "id")).bind_value(f, "jl_id").classes("w-24").props(
                "dense data-testid=jl-id"
            )
            ui.input(self.t("姓名", "name")).bind_value(f, "jl_name").classes("w-24").props(
                "dense data-testid=jl-name"
            )
            ui.input(self.t("职务", "position")).bind_value(f, "jl_position").classes("w-28").props(
                "dense data-testid=jl-position"
            )
            ui.select(
                unit_opts,
                label=self.t("单位", "unit"),
                with_input=True,
                new_value_mode="add-unique",
            ).bind_value(f, "jl_unit").classes("w-40").props("dense clearable")
            ui.checkbox(self.t("教学单位负责人", "heads the unit")).bind_value(f, "jl_heads")
            ui.button(self.t("添加", "Add"), icon="add", on_click=guard(self.on_join_leader)).props(
                "dense outline data-testid=add-joiner-leader"
            )
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
                self.t("添加", "Add"), icon="add", on_click=guard(self.on_join_counselor)
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
                    on_value_change=guard(
                        lambda _e, i=i, is_leader=is_leader: self.on_drop_join(is_leader, i)
                    ),
                )

    def on_join_leader(self) -> None:
        f = self.state.form
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
        self.state.touch()

    def on_join_counselor(self) -> None:
        f = self.state.form
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
        self.state.touch()

    def on_drop_join(self, is_leader: bool, i: int) -> None:
        f = self.state.form
        key = "joins_l" if is_leader else "joins_c"
        rows = list(f.get(key, []))
        if 0 <= i < len(rows):
            rows.pop(i)
        f[key] = rows
        self.state.touch()

    def _change(self) -> Change:
        f = self.state.form
        return make_change(
            str(f.get("opt_name") or ""),
            leaders_leave=f.get("leavers") or [],
            counselors_leave=f.get("c_leavers") or [],
            leaders_join=f.get("joins_l") or [],
            counselors_join=f.get("joins_c") or [],
        )

    def on_whatif(self) -> None:
        st = self.state
        f = st.form
        when = parse_date(f.get("repair_date") or "")
        if when is None:
            raise UserError(
                "调整日期无法识别,请写成 2027-09-01", "write the repair date like 2027-09-01"
            )
        st.clear_messages()
        st.start_whatif(
            self._change(), int(f.get("seed") or 0), float(f.get("wi_limit") or 60), when
        )

    def on_add_option(self) -> None:
        st = self.state
        change = self._change()
        if change.is_empty():
            raise UserError("请先选择离岗或新到岗人员", "pick leavers or joiners first")
        if st.problem is None:
            raise UserError("请先生成或上传联系对应表", "make or upload a plan first")
        st.add_option(describe_option(st.problem, change))  # errors now, not in the comparison
        n = len(st.options) + 1
        st.form["opt_name"] = self.t(f"方案{n}", f"option {n}")

    def on_add_example(self) -> None:
        st = self.state
        name = st.form.get("example")
        if not name or st.problem is None:
            raise UserError("请选择示例变更", "pick an example change")
        examples = example_changes(st.problem, self.lang)
        if str(name) not in examples:
            raise UserError("这个示例变更不适用于当前数据", "this example does not fit the data")
        st.add_option(examples[str(name)])

    @section
    def repair_view(self) -> None:
        st, guard = self.state, self.shell.guard
        out = st.whatif
        if out is None:
            return
        res = out.result
        with ui.card().classes("w-full").props("data-testid=repair-result"):
            ui.label(self.t("变更:", "change: ") + change_summary(out.applied, self.lang)).classes(
                "font-bold"
            )
            ui.label(out.summary).classes("text-green-800" if res.plan else "text-red-800").props(
                "data-testid=repair-summary"
            )
            if res.plan is None:
                return
            with ui.row().classes("gap-2"):
                for name, value in levels_rows(res.levels, self.lang):
                    ui.chip(f"{name}:{value}", color="blue-1").props("square")
            with ui.row().classes("w-full gap-4 no-wrap items-start"):
                with ui.column().classes("w-1/2"):
                    ui.label(
                        self.t(
                            "现行方案与调整后方案(按辅导员对照,变化在前)",
                            "current vs repaired, per counselor",
                        )
                    ).classes("font-bold")
                    rows = side_by_side(out)
                    heads = [zh if self.lang == "zh" else en for _, zh, en in SIDE_COLUMNS]
                    simple_table(
                        heads,
                        [[r[k] for k, _, _ in SIDE_COLUMNS] for r in rows],
                        testid="side-by-side",
                        per_page=12,
                    )
                with ui.column().classes("w-1/2"):
                    ui.label(self.t("变动明细", "diff (diff.csv)")).classes("font-bold")
                    head, cells = diff_table(out)
                    simple_table(head[:8], [r[:8] for r in cells], testid="diff-table", per_page=12)
            with ui.row().classes("gap-3"):
                ui.button(
                    self.t("采用调整后的方案", "Adopt the repaired plan"),
                    icon="done_all",
                    on_click=guard(self.on_adopt),
                ).props("data-testid=adopt-repair")
                ui.button(
                    self.t("下载变动明细表", "Download diff.csv"),
                    icon="download",
                    on_click=guard(self.on_dl_diff),
                ).props("outline data-testid=dl-diff")

    @section
    def compare_view(self) -> None:
        st, guard = self.state, self.shell.guard
        f = st.form
        # The example change files name the demo college's people: offered where they fit.
        examples = example_changes(st.problem, self.lang) if st.problem is not None else {}
        with ui.card().classes("w-full").props("data-testid=compare-card"):
            ui.label(self.t("多个方案对比", "Compare options")).classes("font-bold")
            with ui.row().classes("items-end gap-3"):
                if examples:
                    ui.select(
                        list(examples),
                        label=self.t("示例变更(示例学院)", "example change (demo college)"),
                    ).bind_value(f, "example").classes("w-64").props("dense data-testid=example")
                    ui.button(
                        self.t("加入", "Add"),
                        icon="playlist_add",
                        on_click=guard(self.on_add_example),
                    ).props("outline dense data-testid=add-example")
            with ui.row().classes("gap-2").props("data-testid=compare-options"):
                if not st.options:
                    ui.label(
                        self.t(
                            "对比列表为空:在上方选择人员后点“加入对比列表”。",
                            "empty: add options above.",
                        )
                    ).classes("text-sm text-gray-600")
                for i, c in enumerate(st.options):
                    ui.chip(
                        c.name,
                        removable=True,
                        on_value_change=guard(lambda _e, i=i: st.drop_option(i)),
                    )
            with ui.row().classes("gap-3"):
                ui.button(
                    self.t("对比全部方案", "Compare all"),
                    icon="compare",
                    on_click=guard(self.on_compare),
                ).props("data-testid=run-compare")
            if st.compared is not None:
                head, rows = st.compared.table()
                simple_table(head, rows, testid="compare-table")
                a_head, absorb = st.compared.absorb()
                if absorb:
                    ui.label(
                        self.t(
                            "离岗领导所联系辅导员的接收方案(按变动、结对、本单位排序)",
                            "who could take each leaver's counselors (ranked)",
                        )
                    ).classes("font-bold mt-2")
                    simple_table(a_head, absorb, testid="absorb-table", per_page=10)

    def on_compare(self) -> None:
        f = self.state.form
        self.state.start_compare(int(f.get("seed") or 0), float(f.get("wi_limit") or 60))

    def on_adopt(self) -> None:
        self.state.adopt_whatif()
        if self.state.ws is not None:
            return  # the state said what was kept
        self.shell.info(
            self.t(
                "已采用调整后的方案,作为当前联系对应表。",
                "the repaired plan is now the current plan.",
            )
        )

    async def on_dl_diff(self) -> None:
        out = self.state.whatif
        if out is None:
            raise UserError("还没有调整方案", "no repair yet")
        blob = await io_bound(diff_csv_bytes, out)
        ui.download.content(blob, "diff.csv")
