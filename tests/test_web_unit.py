"""The web page's helpers without a browser: loading, edits + verdict, what-if, downloads, jobs.

Everything the page shows comes from :mod:`planner.web.workspace`; these tests pin it
on hand-sized instances and on the demo college.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from models import Problem
from planner.app.data import demo_data_dir
from planner.scenarios import apply_change
from planner.web import workspace as W
from planner.web.jobs import Job
from planner.web.workspace import UserError, Workspace

DEMO = demo_data_dir()


@pytest.fixture(scope="module")
def demo_ws() -> Workspace:
    """The demo college loaded and assigned once (through a real job)."""
    ws = Workspace()
    assert ws.load(DEMO, "示例学院").ok
    ws.start_assign(0, 60.0)
    assert ws.job is not None and ws.job.wait(60)
    assert ws.poll()
    assert ws.has_plan and ws.origin == "solver"
    return ws


# ----- a hand-sized instance ---------------------------------------------------------------
def small(build: Callable[..., Problem]) -> Problem:
    # Two heads of unit A and B (2-3 each), one college leader (2-2); six counselors.
    # A valid plan: L1-a1,a2 · L2-b1,b2 · L3-c1,c2. L3 may never take a1.
    return build(
        [("L1", "A", True), ("L2", "B", True), ("L3", "", False, 2, 2)],
        [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B"), ("c1", "C"), ("c2", "C")],
        rules=[("L3", "a1", "never")],
    )


GOOD = [("L1", "a1"), ("L1", "a2"), ("L2", "b1"), ("L2", "b2"), ("L3", "c1"), ("L3", "c2")]


def test_verdict_valid_plan(build: Callable[..., Problem]) -> None:
    p = small(build)
    v = W.verdict(p, GOOD)
    assert v.ok and v.lines == [] and v.flagged == set()
    fig = W.plan_figures(p, GOOD)
    # Own-unit pairs: L1 with a1, a2 and L2 with b1, b2 → 4; both heads covered.
    assert (fig.pairs, fig.own_unit_pairs, fig.heads_covered, fig.heads) == (6, 4, 2, 2)
    assert (fig.counselors_covered, fig.counselors, fig.load_min, fig.load_max) == (6, 6, 2, 2)


def test_reassign_into_a_never_pair_is_flagged(build: Callable[..., Problem]) -> None:
    p = small(build)
    # a1 from L1 to L3: L3 may never take a1; L1 drops to 1 (< 2) and L3 rises to 3 (> 2).
    keys = W.reassign(p, GOOD, ("L1", "a1"), "L3")
    assert keys[0] == ("L3", "a1")  # the edited pair keeps its place
    v = W.verdict(p, keys)
    assert not v.ok
    assert v.flagged == {("L3", "a1")}
    text = "\n".join(v.lines)
    assert "被约束禁止结对" in text
    assert "领导L1(L1) 联系 1 名辅导员,应为 2-3 名" in text
    assert "领导L3(L3) 联系 3 名辅导员,应为 2-2 名" in text
    en = W.verdict(p, keys, "en")
    assert any("never rule" in line for line in en.lines)


def test_add_and_remove_pairs(build: Callable[..., Problem]) -> None:
    p = small(build)
    more = W.add_pair(p, GOOD, "L2", "a1")  # a second leader for a1: valid, not minimal
    v = W.verdict(p, more)
    assert v.ok and "第二联系领导可以去掉" in v.note
    less = W.remove_pair(GOOD, ("L3", "c2"))
    assert not W.verdict(p, less).ok  # c2 uncovered, L3 below 2
    with pytest.raises(UserError, match="already"):
        W.add_pair(p, GOOD, "L1", "a1")
    with pytest.raises(UserError):
        W.add_pair(p, GOOD, "L9", "a1")
    assert W.reassign(p, GOOD, ("L1", "a2"), "L1") == GOOD  # same pair: unchanged
    with pytest.raises(UserError):
        W.reassign(p, more, ("L1", "a1"), "L2")  # L2 already has a1
    with pytest.raises(UserError):
        W.reassign(p, GOOD, ("L2", "a1"), "L3")  # no such pair
    with pytest.raises(UserError):
        W.remove_pair(GOOD, ("L1", "b1"))


def test_leader_groups_and_unit_filter(build: Callable[..., Problem]) -> None:
    p = small(build)
    groups = W.leader_groups(p, GOOD)
    assert [g.leader_id for g in groups] == ["L3", "L1", "L2"]  # 院级 first, then input order
    g1 = next(g for g in groups if g.leader_id == "L1")
    assert (g1.load, g1.low, g1.high, g1.own, g1.load_ok) == (2, 2, 3, 2, True)
    only_b = W.leader_groups(p, GOOD, unit="B")
    assert [g.leader_id for g in only_b] == ["L2"]
    assert [r["counselor_id"] for r in only_b[0].rows] == ["b1", "b2"]
    assert {r["counselor_unit"] for r in W.pair_table(p, GOOD, unit="C")} == {"C"}
    assert W.units(p) == ["A", "B", "C"]
    # A leader left with no counselor still shows, out of range.
    empty = W.leader_groups(p, [k for k in GOOD if k[0] != "L3"])
    l3 = next(g for g in empty if g.leader_id == "L3")
    assert l3.load == 0 and not l3.load_ok


# ----- loading ---------------------------------------------------------------------------------
def _zip_demo(dest: Path, edit: tuple[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in sorted(DEMO.rglob("*")):
            if f.is_file():
                data = f.read_bytes()
                if edit and f.name == "辅导员.csv":
                    data = data.decode("utf-8-sig").replace(*edit, 1).encode("utf-8-sig")
                zf.writestr(f"demo/{f.relative_to(DEMO).as_posix()}", data)
        zf.writestr("../evil.txt", b"outside")  # never written outside the folder
    return buf.getvalue()


def test_upload_zip_folder_and_problems(tmp_path: Path) -> None:
    path = W.save_upload([("demo.zip", _zip_demo(tmp_path))], tmp_path / "u1")
    assert path.name == "demo" and (path / "领导干部.csv").is_file()
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "u1" / "evil.txt").exists()
    assert W.load_data(path).ok

    blob = _zip_demo(tmp_path, ("00002,张雨桐,机电工程系,2016/9/1", "00002,张雨桐,,2016/9/31"))
    bad = W.save_upload([("bad.zip", blob)], tmp_path / "u2")
    got = W.load_data(bad)
    assert not got.ok
    rows = W.problem_rows(got.problems)
    assert {r["file"] for r in rows} == {"辅导员.csv"}
    assert {r["row"] for r in rows} == {"3"}
    assert {r["column"] for r in rows} >= {"单位", "任辅导员日期"}


def test_upload_csv_files_and_workbook(tmp_path: Path) -> None:
    files = [(f.name, f.read_bytes()) for f in DEMO.iterdir() if f.is_file()]
    files = [(n, b) for n, b in files if n.endswith((".csv", ".toml"))]
    folder = W.save_upload(files, tmp_path / "u")
    got = W.load_data(folder)
    assert got.ok and got.data is not None
    assert len(got.data.problem.counselors) == 45
    book = W.save_upload([("college.xlsx", W.template_bytes())], tmp_path / "x")
    assert book.name == "college.xlsx"
    assert not W.load_data(book).ok  # the empty template: the rosters are missing
    with pytest.raises(UserError, match="unsupported"):
        W.save_upload([("a.csv", b"x"), ("virus.exe", b"MZ")], tmp_path / "y")
    with pytest.raises(UserError):
        W.save_upload([("broken.zip", b"not a zip")], tmp_path / "z")
    with pytest.raises(UserError):
        W.save_upload([], tmp_path / "e")


def test_plan_upload_names_unknown_people(tmp_path: Path, demo_ws: Workspace) -> None:
    assert demo_ws.problem is not None
    blob = W.plan_csv_bytes(demo_ws.problem, demo_ws.keys)
    label, keys = W.read_plan_upload("plan.csv", blob, tmp_path / "p", demo_ws.problem)
    assert label == "2027-2030" and keys == demo_ws.keys
    text = blob.decode("utf-8-sig").replace("L001", "L777", 1)
    from planner.errors import InputError

    with pytest.raises(InputError) as exc:
        W.read_plan_upload("plan.csv", text.encode("utf-8-sig"), tmp_path / "q", demo_ws.problem)
    assert exc.value.problems[0].value == "L777" and exc.value.problems[0].row == 2


# ----- the demo college through the workspace -------------------------------------------------
def test_demo_assign_edit_undo(demo_ws: Workspace) -> None:
    ws = demo_ws
    p = ws.problem
    assert p is not None
    assert len(ws.keys) == 50 and W.verdict(p, ws.keys).ok
    assert "最优" in ws.status_line
    key = next(k for k in ws.keys if k[1] == "00012")
    ws.edit(W.reassign(p, ws.keys, key, "L009"))
    assert ws.edited
    v = W.verdict(p, ws.keys)
    assert ("L009", "00012") in v.flagged
    ws.undo_edits()
    assert not ws.edited and W.verdict(p, ws.keys).ok


def test_demo_downloads(demo_ws: Workspace) -> None:
    ws = demo_ws
    p = ws.problem
    assert p is not None
    data = W.plan_csv_bytes(p, ws.keys)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["周期", "领导工号"] and len(rows) == 51
    assert W.plan_csv_bytes(p, ws.keys) == data  # deterministic
    assert W.plan_xlsx_bytes(p, ws.keys)[:2] == b"PK"
    assert W.template_bytes()[:2] == b"PK"


def test_demo_whatif_and_adopt() -> None:
    ws = Workspace()
    assert ws.load(DEMO, "demo").ok
    ws.start_assign(0, 60.0)
    assert ws.job.wait(60) and ws.poll()
    with pytest.raises(UserError):
        ws.start_repair(W.make_change("空"), 0, 30.0, date(2027, 9, 1))
    change = W.make_change("方案1", leaders_leave=["L005"])
    ws.start_repair(change, 0, 30.0, date(2027, 9, 1))
    assert ws.job.wait(60) and ws.poll()
    res, applied = ws.repair_result, ws.applied
    assert res is not None and res.plan is not None and applied is not None
    assert res.moves == 0 and len(ws.diff) == 4
    side = W.side_by_side(applied, ws.repair_old, res.plan.keys())
    changed = [r for r in side if r["change"]]
    assert len(changed) == 2 and all("吴海涛(L005)" in r["old"] for r in changed)
    assert side[:2] == changed  # changes first
    head, _ = W.diff_table(applied, ws.diff)
    assert head[:4] == ["辅导员工号", "原领导工号", "新领导工号", "说明"]
    assert "由吴海涛改为" in W.repair_summary(applied, res, ws.diff, "zh")
    assert W.diff_csv_bytes(applied, ws.diff).startswith(b"\xef\xbb\xbf")
    ws.adopt_repair()
    assert ws.origin == "repair" and not ws.edited
    assert all(a != "L005" for a, _ in ws.keys)
    assert ws.problem is applied.problem and W.verdict(ws.problem, ws.keys).ok
    assert len(ws.pair_starts) == 2 and set(ws.pair_starts.values()) == {date(2027, 9, 1)}

    # Schedule and status for the adopted plan; downloads of the schedule and the report.
    ws.start_schedule()
    assert ws.job.wait(90) and ws.poll()
    s = ws.schedule
    assert s is not None and not ws.schedule_stale
    months = W.schedule_months(s)
    assert months[0] == "2027-03" and months[-1] == "2030-02" and len(months) == 36
    grid = W.month_grid(ws.problem, s, "2027-03", "L001")
    assert len(grid[0]) == 7 and grid[0][0].day == date(2027, 3, 1)  # a Monday
    assert any("定期约谈" in e for week in grid for cell in week for e in cell.entries)
    assert ws.calendar is not None
    oct_ = W.month_grid(ws.problem, s, "2027-10", None, "zh", ws.calendar.provider().is_working)
    days = {c.day: c for w in oct_ for c in w if c.day}
    assert not days[date(2027, 10, 1)].workday  # 国庆节, a Friday
    head, rows = W.calendar_rows(ws.problem, s, "L001", "2027-03")
    assert rows and {r["leader_id"] for r in rows} <= {"L001", ""}
    rep = W.status_report(ws.data, ws.problem, ws.keys, s, date(2027, 12, 31))
    assert rep.overdue and rep.due
    assert W.default_as_of(s, date(2020, 1, 1)) == s.cycle_start
    assert W.schedule_xlsx_bytes(ws.problem, s)[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(W.ics_zip_bytes(ws.problem, s))) as zf:
        assert "schedule.ics" in zf.namelist()
    name, blob = W.annual_report_bytes(ws.data, ws.problem, ws.keys, 2027, s)
    assert name == "年度汇总表-2027.xlsx" and blob[:2] == b"PK"
    assert W.report_years(ws.problem, s.cycle_start) == [2027, 2028, 2029, 2030]
    ws.edit(ws.keys[1:])
    assert ws.schedule_stale


def test_compare_options(demo_ws: Workspace) -> None:
    ws = Workspace()
    ws.load(DEMO, "demo")
    ws.set_plan(demo_ws.keys, "upload")
    with pytest.raises(UserError):
        ws.start_compare(0, 30.0)
    ws.options = [
        W.make_change("甲", leaders_leave=["L005"]),
        W.make_change("乙", counselors_leave=["00017"]),
    ]
    ws.start_compare(0, 60.0)
    assert ws.job.wait(120) and ws.poll()
    assert ws.compared is not None
    head, rows = W.compare_rows(ws.compared)
    assert head[0] == "方案" and [r[0] for r in rows] == ["甲", "乙"]


def test_joiners_change_is_checked(demo_ws: Workspace) -> None:
    p = demo_ws.problem
    assert p is not None
    change = W.make_change(
        "新人",
        leaders_join=[
            {"leader_id": "L100", "name": "新领导", "unit": "外国语系", "heads_teaching_unit": True}
        ],
        counselors_join=[{"counselor_id": "00100", "name": "新辅导员", "unit": "外国语系"}],
    )
    applied = apply_change(p, change)
    assert applied.joined_leaders == ("L100",) and applied.joined_counselors == ("00100",)
    from planner.errors import InputError

    with pytest.raises(InputError):
        apply_change(p, W.make_change("坏", leaders_leave=["L999"]))


def test_step_names() -> None:
    assert W.step_name("pairs") != "pairs"
    assert "变动最少" in W.step_name("moves+pairs")
    assert W.step_name("unknown step") == "unknown step"


# ----- jobs -----------------------------------------------------------------------------------
def test_job_progress_and_cancel() -> None:
    job = Job("sleep", 30.0)
    deadline = time.monotonic() + 20
    while not job.steps and time.monotonic() < deadline:
        job.poll()
        time.sleep(0.05)
    assert job.running and job.step == "tick 0"
    job.cancel()
    assert job.state == "cancelled" and job.poll()
    assert job.elapsed < 20


def test_job_errors_are_messages() -> None:
    bad = Job("fail", "input")
    assert bad.wait(30) and bad.state == "error" and bad.error is not None
    assert bad.error.problems[0].row == 3 and "输入有 1 处问题" in bad.error.render("zh")
    bug = Job("fail", "bug")
    assert bug.wait(30) and bug.state == "error" and bug.error is not None
    assert "boom" in bug.error.render("zh") and "Traceback" not in bug.error.render("zh")


def test_workspace_cancel_keeps_the_plan(demo_ws: Workspace) -> None:
    ws = Workspace()
    ws.load(DEMO, "demo")
    ws.set_plan(demo_ws.keys, "upload")
    ws.start("sleep", 30.0)
    with pytest.raises(UserError):
        ws.start("sleep", 1.0)  # one computation at a time
    ws.cancel()
    assert ws.job is None and "取消" in ws.message
    assert ws.keys == demo_ws.keys


def test_bad_input_never_raises(tmp_path: Path) -> None:
    ws = Workspace()
    got = ws.load(tmp_path, "empty")
    assert not got.ok and got.problems
    assert ws.data is None
    (tmp_path / "领导干部.csv").write_bytes(b"\xff\xfe\x00garbage")
    assert not W.load_data(tmp_path).ok


# ----- the command -----------------------------------------------------------------------------
def test_serve_refuses_a_busy_port() -> None:
    import socket

    import typer
    from typer.testing import CliRunner

    from planner.cli.serve import port_free, register

    app = typer.Typer()
    register(app)
    register(app)  # idempotent
    app.command("noop")(lambda: None)  # a second command, so "serve" is a subcommand
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert not port_free(port)
        got = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert got.exit_code == 2
    assert "已被占用" in got.output and f"http://127.0.0.1:{port}" in got.output
    bad = CliRunner().invoke(app, ["serve", "--lang", "fr"])
    assert bad.exit_code == 2


def test_new_data_forgets_picks_but_keeps_settings() -> None:
    ws = Workspace()
    ws.form.update({"leavers": ["L005"], "edit_pair": "L001|00031", "seed": 7, "cycle": ""})
    assert ws.load(DEMO, "demo").ok
    assert "leavers" not in ws.form and "edit_pair" not in ws.form
    assert ws.form["seed"] == 7


def test_demo_rotation_two_cycles(demo_ws: Workspace) -> None:
    p = demo_ws.data.problem if demo_ws.data is not None else None
    assert p is not None
    res = W.run_rotation(p, 2, seed=0, time_limit=30.0)
    assert res.joint is not None and len(res.joint) == 2 and len(res.greedy) == 2
    head, rows = W.rotation_table(res)
    assert head[0] == "周期" and "结对总数(联合规划)" in head and "结对总数(逐周期)" in head
    assert [r[0] for r in rows] == [*res.labels, "合计"] and rows[0][0] == "2027-2030"
    for t, row in enumerate(rows[:2]):
        assert row[1:3] == [res.joint[t].levels["pairs"], res.greedy[t].levels["pairs"]]
    totals = res.totals("joint")
    assert rows[-1][1] == totals["pairs"] and rows[-1][3] == totals["own_unit_pairs"]
    assert W.rotation_note(res)  # the words planner rotate prints
    pairs = W.rotation_pairs(res, 1)
    assert len(pairs) == res.joint[1].levels["pairs"]
    assert W.rotation_summary_bytes(res)[:2] == b"PK"  # an .xlsx
    with pytest.raises(UserError):
        W.rotation_base(p, 6)
    with pytest.raises(UserError):
        W.rotation_base(p.replace(cycle="本周期"), 2)
    # The page's path: a cancellable job in a child process, applied on poll.
    ws = Workspace()
    assert ws.load(DEMO, "demo").ok
    ws.start_rotation(2, 0, 30.0)
    assert ws.job is not None and ws.job.kind == "rotate" and ws.job.wait(30)
    assert ws.poll() and ws.rotation is not None and ws.job_error is None
    assert W.rotation_table(ws.rotation)[1] == rows
