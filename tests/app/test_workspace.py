"""The workspace as the office uses it over a cycle (CONTRACT.md §11).

Demo college: import → export → import into an empty workspace → export gives the same
bytes under data/; a plan adopted in the workspace validates against the exported data;
a staff change adopted with a joiner updates the rosters so the export still validates;
each record counts against the plan in force on its date (a departed leader's contacts
before the departure count, after it they do not).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.app.assign import assign
from planner.app.records import match_records
from planner.app.whatif import make_change, whatif
from planner.app.workspace import PlanStatus, Workspace
from planner.cli import app
from planner.store import PlanOrigin

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
runner = CliRunner()


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_import_export_import_export_is_byte_identical(tmp_path: Path):
    with Workspace(tmp_path / "a") as ws:
        first = ws.import_source(DEMO)
        assert first.earlier_plans and sum(first.added.values()) > 0
        ws.export(tmp_path / "out1", today=date(2027, 5, 1))
    with Workspace(tmp_path / "b") as ws:
        ws.import_source(tmp_path / "out1" / "data")
        ws.export(tmp_path / "out2", today=date(2027, 5, 1))
    one, two = _files(tmp_path / "out1" / "data"), _files(tmp_path / "out2" / "data")
    assert one == two
    assert "历史联系/2024-2027.csv" in one and "联系记录.csv" in one


def test_reimport_keeps_plans_and_reports_duplicates(tmp_path: Path):
    with Workspace(tmp_path / "ws") as ws:
        ws.import_source(DEMO)
        ds = ws.data()
        out = assign(ds)
        assert out.plan is not None
        vid = ws.add_plan(out.plan, PlanOrigin.SOLVER)
        ws.adopt(vid, date(2027, 3, 1))
        again = ws.import_source(DEMO)
        assert again.data_version == 2
        assert sum(again.added.values()) == 0
        assert sum(len(v) for v in again.duplicates.values()) == sum(
            len(v) for v in ds.tables.values() if v and v is not ds.tables.get("calendar")
        )
        assert [v.id for v in ws.plans()] == [1, vid]  # nothing wiped
        assert ws.in_force(date(2027, 6, 1)).id == vid


def _validate(data: Path, plan: Path) -> int:
    return runner.invoke(app, ["validate", str(data), str(plan)]).exit_code


def test_adopted_plan_and_adopted_repair_with_a_joiner_validate(tmp_path: Path):
    with Workspace(tmp_path / "ws") as ws:
        ws.import_source(DEMO)
        ds = ws.data()
        plan = assign(ds).plan
        assert plan is not None
        first = ws.add_plan(plan, PlanOrigin.SOLVER)
        ws.adopt(first, date(2027, 3, 1))
        draft = ws.plan_xlsx_bytes(first, ds.problem)
        ws.approve(first, date(2027, 3, 10), "领导小组")
        approved = ws.plan_xlsx_bytes(first, ds.problem)
        (tmp_path / "approved.xlsx").write_bytes(approved)
        (tmp_path / "adopted.xlsx").write_bytes(draft)
        line = load_workbook(tmp_path / "approved.xlsx")["联系对应表"]["A3"].value
        assert line.endswith("经领导小组审定(2027年3月10日)")
        assert "审定" not in load_workbook(tmp_path / "adopted.xlsx")["联系对应表"]["A3"].value
        res = ws.export(tmp_path / "out", today=date(2027, 4, 1))
        assert res.plan_in_force is not None and res.plan_in_force.status == PlanStatus.APPROVED
        assert _validate(tmp_path / "out" / "data", tmp_path / "out" / "plan.csv") == 0
        assert (tmp_path / "out" / "plans" / "002-已审定" / "plan.csv").is_file()

        # A leader leaves on 2027-09-01 and a new 系主任 joins; adopt the repair.
        leaver = plan.pairs[0].leader_id
        unit = ds.problem.counselor_by_id[plan.pairs[0].counselor_id].unit
        change = make_change(
            "leaver",
            leaders_leave=[leaver],
            leaders_join=[
                {"leader_id": "L900", "name": "新主任", "unit": unit, "heads_teaching_unit": True}
            ],
            when=date(2027, 9, 1),
        )
        outcome = whatif(ds.problem, [p.key for p in plan.pairs], change)
        assert outcome.result.plan is not None
        vid = ws.adopt_repair(outcome, parent=first, on=date(2027, 9, 1))
        out2 = tmp_path / "out2"
        res2 = ws.export(out2, today=date(2027, 10, 1))
        assert res2.plan_in_force is not None and res2.plan_in_force.id == vid
        leaders = (out2 / "data" / "领导干部.csv").read_text(encoding="utf-8-sig")
        assert "L900,新主任" in leaders
        assert _validate(out2 / "data", out2 / "plan.csv") == 0

        # Each record counts against the plan in force on its date.
        now = ws.data()
        cid = plan.pairs[0].counselor_id
        plans = ws.plans_in_force(now.problem, date(2027, 1, 1), date(2027, 12, 31))
        assert [p.valid_to for p in plans][-2:] == [date(2027, 8, 31), None]
        before = {
            "date": date(2027, 6, 1),
            "leader_id": leaver,
            "counselor_id": cid,
            "form": "talk",
        }
        after = {**before, "date": date(2027, 10, 8)}
        now.tables["records"] = [
            {**r, "_row": i + 2, "_file": "x.csv"} for i, r in enumerate([before, after])
        ]
        matched = match_records(now, now.problem, plans)
        assert [r.date for r in matched.records] == [date(2027, 6, 1)]
        assert [e.date for e in matched.excluded if e.table == "records"] == [date(2027, 10, 8)]


def test_workspace_commands(tmp_path: Path):
    ws = tmp_path / "ws"
    r = runner.invoke(app, ["workspace", "import", str(DEMO), "--workspace", str(ws)])
    assert r.exit_code == 0, r.output
    assert "已导入名单版本 1" in r.output
    r = runner.invoke(app, ["workspace", "export", str(tmp_path / "out"), "--workspace", str(ws)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "data" / "领导干部.csv").is_file()
    r = runner.invoke(
        app, ["workspace", "backup", str(tmp_path / "b.sqlite"), "--workspace", str(ws)]
    )
    assert r.exit_code == 0 and (tmp_path / "b.sqlite").is_file()
    bad = tmp_path / "notws"
    bad.mkdir()
    (bad / "workspace.sqlite").write_bytes(b"garbage" * 100)
    r = runner.invoke(app, ["workspace", "export", str(tmp_path / "o2"), "--workspace", str(bad)])
    assert r.exit_code == 2 and "工作区" in r.output


@pytest.mark.parametrize("missing", ["empty"])
def test_export_of_an_empty_workspace_is_a_clear_error(tmp_path: Path, missing: str):
    r = runner.invoke(
        app, ["workspace", "export", str(tmp_path / "o"), "--workspace", str(tmp_path / missing)]
    )
    assert r.exit_code == 2 and "还没有数据" in r.output


def test_hand_edits_undo_step_by_step_and_records_entered_on_the_page(tmp_path: Path):
    from planner.errors import InputError

    with Workspace(tmp_path / "ws") as ws:
        ws.import_source(DEMO)
        plan = assign(ws.data()).plan
        assert plan is not None
        vid = ws.add_plan(plan, PlanOrigin.SOLVER)
        original = [p.key for p in plan.pairs]
        one = original[1:]
        two = one[1:]
        ws.edit(vid, one, {"op": "remove", "pair": list(original[0])})
        ws.edit(vid, two, {"op": "remove", "pair": list(one[0])})
        assert ws.edit_steps(vid) == 2 and list(ws.plans()[-1].pairs) == two
        assert ws.undo(vid) == one and ws.undo(vid) == original and ws.undo(vid) is None
        assert list(ws.plans()[-1].pairs) == original
        # A record typed on the page is read like a records table; a bad one is refused.
        lid, cid = original[0]
        got = ws.add_records(
            "records",
            [{"日期": "2027年5月6日", "领导工号": lid, "辅导员工号": cid, "形式": "定期约谈"}],
        )
        assert got.added == {"records": 1}
        with pytest.raises(InputError) as err:
            ws.add_records("records", [{"日期": "2027-02-30", "领导工号": lid, "形式": "定期约谈"}])
        assert "日期" in err.value.render("zh")
        rows = ws.data().tables["records"]
        assert any(r["date"] == date(2027, 5, 6) and r["leader_id"] == lid for r in rows)


def test_a_new_roster_version_naming_other_people_keeps_the_history_readable(
    tmp_path: Path,
) -> None:
    """Rosters of another college imported after the demo: the demo's earlier cycle names
    people on no roster now; the DATA still reads (those pairs are left out of 历史联系)."""
    from planner.app.data import demo_data_dir

    other = tmp_path / "other"
    other.mkdir()
    (other / "领导干部.csv").write_text(
        "工号,姓名,级别\nL001,甲,院级\nX002,乙,院级\n", encoding="utf-8-sig"
    )
    (other / "辅导员.csv").write_text(
        "工号,姓名,单位\n00005,丙,一系\n90001,丁,一系\n", encoding="utf-8-sig"
    )
    with Workspace(tmp_path / "ws") as ws:
        ws.import_source(demo_data_dir())
        ws.import_source(other)
        ds = ws.write_data(tmp_path / "data")
        assert {c.counselor_id for c in ds.problem.counselors} == {"00005", "90001"}
        assert [(h.leader_id, h.counselor_id) for h in ds.problem.history] == [("L001", "00005")]
