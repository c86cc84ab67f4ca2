"""Odd but legal requests (issue 11 cases 6-8, 10, 11, 14) and output folders that cannot take
a result (case 7), through the command line.

The instance (``college``): leaders L1 (院级), L2 (head of 外国语系), L3 (head of 经济管理系);
counselors c1-c3 of 外国语系, c4-c6 of 经济管理系; loads 2-3. A must rule pins L2—c1.
Fewest pairs: 6 counselors over 3 leaders is 6 pairs (2+2+2), each head taking own-unit ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
runner = CliRunner()

LEADERS = """工号,姓名,职务,级别,单位,教学单位负责人
L1,王院长,院长,院级,,否
L2,张主任,系主任,中层,外国语系,是
L3,赵主任,系主任,中层,经济管理系,是
"""
CALENDAR = """cycle_start = 2027-03-01
[[semester]]
name = "2026-2027-2"
start = 2027-03-01
end = 2027-07-09
"""


def counselors(ids: list[str]) -> str:
    units = ["外国语系"] * 3 + ["经济管理系"] * 3
    rows = [
        f"{i},辅导员{n},{u},2020-09-01" for n, (i, u) in enumerate(zip(ids, units, strict=True))
    ]
    return "工号,姓名,单位,任辅导员日期\n" + "\n".join(rows) + "\n"


def make_college(folder: Path, ids: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    ids = ids or ["c1", "c2", "c3", "c4", "c5", "c6"]
    (folder / "领导干部.csv").write_text(LEADERS, encoding="utf-8")
    (folder / "辅导员.csv").write_text(counselors(ids), encoding="utf-8")
    (folder / "约束.csv").write_text(
        f"领导工号,辅导员工号,规则\nL2,{ids[0]},必须\n", encoding="utf-8"
    )
    (folder / "calendar.toml").write_text(CALENDAR, encoding="utf-8")
    return folder


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def college(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_college(tmp_path_factory.mktemp("college") / "data")


@pytest.fixture(scope="module")
def planned(college: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("planned")
    r = run("assign", college, "--out", out)
    assert r.exit_code == 0, r.output
    return out


# ----- case 8: any whole number is a seed --------------------------------------------------------
@pytest.mark.parametrize("seed", ["2147483648", "-2147483649", "99999999999999999999"])
def test_big_seeds_on_assign(college: Path, tmp_path: Path, seed: str) -> None:
    r = run("assign", college, "--out", tmp_path / "a", "--seed", seed)
    assert r.exit_code == 0, r.output
    record = json.loads((tmp_path / "a" / "plan.json").read_text(encoding="utf-8"))
    assert record["seed"] == int(seed)  # the seed as given
    assert record["solver_seed"] == int(seed) % 2**31
    # Deterministic: the same plan as the reduced seed gives.
    r = run("assign", college, "--out", tmp_path / "b", "--seed", str(int(seed) % 2**31))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "a" / "plan.csv").read_bytes() == (tmp_path / "b" / "plan.csv").read_bytes()


def test_big_seeds_on_every_solving_command(college: Path, planned: Path, tmp_path: Path) -> None:
    change = tmp_path / "change.toml"
    change.write_text('leaders_leave = ["L3"]\n', encoding="utf-8")
    plan = planned / "plan.csv"
    big = "2147483648"
    for argv in (
        ["rotate", college, "--cycles", "2", "--out", tmp_path / "r"],
        ["whatif", college, "--plan", plan, "--change", change, "--out", tmp_path / "w"],
        ["compare", college, "--plan", plan, "--change", change, "--out", tmp_path / "c"],
        ["schedule", college, "--plan", plan, "--out", tmp_path / "s"],
    ):
        r = run(*argv, "--seed", big)
        assert r.exit_code == 0, (argv[0], r.output)
        assert "Traceback" not in r.output


# ----- case 10: a change forbidding a must pair is a stated decision ------------------------------------
def test_change_overriding_a_must_rule_is_said(
    college: Path, planned: Path, tmp_path: Path
) -> None:
    change = tmp_path / "never.toml"
    change.write_text(
        '[[rules]]\nleader_id = "L2"\ncounselor_id = "c1"\nrule = "never"\nreason = "回避"\n',
        encoding="utf-8",
    )
    out = tmp_path / "w"
    r = run("whatif", college, "--plan", planned / "plan.csv", "--change", change, "--out", out)
    assert r.exit_code == 0, r.output
    said = "警告:变更文件把 张主任(L2)—辅导员0(c1) 改为“禁止”,取代约束表中的“必须”"
    assert said in r.output
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert said in summary
    # compare says it per option too.
    c = run(
        "compare",
        college,
        "--plan",
        planned / "plan.csv",
        "--change",
        change,
        "--out",
        tmp_path / "c",
    )
    assert c.exit_code == 0, c.output
    assert "警告:never:变更文件把 张主任(L2)—辅导员0(c1) 改为“禁止”" in c.output
    # The change wins: the pair is gone from the repaired plan.
    assert ",L2," not in "".join(
        line
        for line in (out / "plan.csv").read_text(encoding="utf-8-sig").splitlines()
        if ",c1," in line
    )


# ----- case 11: validate accepts the product's own schedule.xlsx ------------------------------------------
def test_validate_accepts_own_schedule_xlsx(college: Path, planned: Path, tmp_path: Path) -> None:
    r = run("schedule", college, "--plan", planned / "plan.csv", "--out", tmp_path)
    assert r.exit_code == 0, r.output
    for name in ("schedule.xlsx", "schedule.csv"):
        v = run("validate", college, tmp_path / name)
        assert v.exit_code == 0, (name, v.output)
        assert "通过:日程" in v.output


# ----- case 14: reversed cycle; a plan found at the time limit ---------------------------------------------
def test_reversed_cycle_is_refused(college: Path, tmp_path: Path) -> None:
    r = run("assign", college, "--out", tmp_path, "--cycle", "2030-2027")
    assert r.exit_code == 2
    assert "年份是否写反了?应写成 2027-2030" in r.output
    assert not (tmp_path / "plan.csv").exists()


def test_plan_found_at_the_time_limit_is_given(tmp_path: Path) -> None:
    # On the demo, 0.01 s ends during the first CP-SAT level; the min-cost flow's plan is in hand.
    r = run("assign", DEMO, "--out", tmp_path, "--time-limit", "0.01")
    assert r.exit_code == 0, r.output
    status = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))["status"]
    assert status in ("feasible", "optimal")
    if status == "feasible":
        assert "时限内未能证明最优,结果为可行方案" in r.output
    v = run("validate", DEMO, tmp_path / "plan.csv")
    assert v.exit_code == 0, v.output


def test_a_limit_no_solve_can_meet_still_gives_the_plan_found(college: Path) -> None:
    from planner.app.assign import assign
    from planner.app.data import load_data

    # CP-SAT never starts within 1 ns; the exact min-cost flow's plan is in hand and is given
    # (optimal: the flow is exact; feasible where it could not be proven), never "no plan".
    got = assign(load_data(college), time_limit=1e-9)
    assert got.status.value in ("optimal", "feasible") and got.plan is not None
    assert len(got.plan.pairs) == 6  # 6 counselors, one leader each (worked out above)


# ----- case 6: file names from ids never collide --------------------------------------------------------
def test_calendars_of_ids_that_look_alike_stay_apart(tmp_path: Path) -> None:
    data = make_college(tmp_path / "data", ["c/3", "c_3", "C_3", "c4", "c5", "c6"])
    out = tmp_path / "out"
    r = run("assign", data, "--out", out)
    assert r.exit_code == 0, r.output
    r = run("schedule", data, "--plan", out / "plan.csv", "--out", out)
    assert r.exit_code == 0, r.output
    ics = sorted(p.name for p in (out / "ics").glob("辅导员-*.ics"))
    assert len(ics) == 6  # one calendar per counselor, none lost
    assert "辅导员-c%2F3.ics" in ics
    # c_3 and C_3 meet where case is ignored (Windows, macOS): both get a suffix.
    assert not {"辅导员-c_3.ics", "辅导员-C_3.ics"} & set(ics)
    assert len({n.casefold() for n in ics}) == 6
    assert (
        "以下日历文件名与工号不同" in r.output
        and "辅导员工号 c/3 → ics/辅导员-c%2F3.ics" in r.output
    )
    # Each file holds its own counselor's items only.
    for name in ics:
        text = (out / "ics" / name).read_text(encoding="utf-8")
        assert text.count("BEGIN:VEVENT") >= 1


# ----- case 7: an output folder that cannot take the result --------------------------------------------
@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "是一个文件,不是文件夹"), ("en", "is a file, not a folder")]
)
def test_out_is_a_file_is_said_before_solving(
    college: Path, tmp_path: Path, lang: str, said: str
) -> None:
    out = tmp_path / "out.txt"
    out.write_text("mine", encoding="utf-8")
    r = run("assign", college, "--out", out, "--lang", lang)
    assert r.exit_code == 2
    assert said in r.output and str(out) in r.output
    assert "Errno" not in r.output
    assert "求解中" not in r.output and "solving" not in r.output  # refused before the solve
    assert out.read_text(encoding="utf-8") == "mine"


def test_full_disk_is_said_before_solving(
    college: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(10**9, 10**9, 0))
    for cmd in (["assign", college], ["rotate", college, "--cycles", "2"]):
        r = run(*cmd, "--out", tmp_path / "o", "--lang", "en")
        assert r.exit_code == 2, r.output
        assert "has only 0.0 MB free" in r.output and str(tmp_path) in r.output
        assert "solving" not in r.output
