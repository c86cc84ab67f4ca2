"""``planner forms`` → a leader fills the workbook → ``planner collect`` → ``planner province``.

The demo college: L001 (赵振华) contacts 00031 and 00036 in the demo plan. The leader's form
is filled by a script as a leader would: two good rows, one with a category not in the list
(聊天), one exact duplicate of the first good row, one pair outside the plan. Hand count:
5 rows read, 2 merged, 3 listed (填写有误 1, 不在联系对应表中 1, 重复记录 1).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.cli import app

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("office")
    r = run("assign", DEMO, "--out", out)
    assert r.exit_code == 0, r.output
    return out


def _leader_of_plan(plan: Path) -> tuple[str, list[str], str]:
    rows = list(csv.DictReader(plan.read_text(encoding="utf-8-sig").splitlines()))
    lid = rows[0]["领导工号"]
    mine = sorted(r["辅导员工号"] for r in rows if r["领导工号"] == lid)
    other = next(r["辅导员工号"] for r in rows if r["辅导员工号"] not in mine)
    return lid, mine, other


def test_forms_then_collect_lists_every_problem(planned: Path, tmp_path: Path):
    plan = planned / "plan.csv"
    forms = tmp_path / "forms"
    r = run("forms", DEMO, "--plan", plan, "--out", forms, "--as-of", "2027-06-01")
    assert r.exit_code == 0, r.output
    lid, mine, other = _leader_of_plan(plan)
    (form,) = sorted(forms.glob(f"联系记录填报-{lid}-*.xlsx"))
    wb = load_workbook(form)
    ws = wb["填报"]
    # The header row holds 日期 in column A; the rows under it carry the leader's id.
    head = next(i for i in range(1, 10) if ws.cell(i, 1).value == "日期")
    cols = {ws.cell(head, j).value: j for j in range(1, ws.max_column + 1)}
    fill = [
        ("2027-05-06", mine[0], "定期约谈", "面谈", "", "谈工作"),
        ("2027-05-20", mine[1], "工作指导", "面谈", "班会", "参加班会"),
        ("2027-05-21", mine[1], "工作指导", "面谈", "聊天", "不在清单的类别"),
        ("2027-05-06", mine[0], "定期约谈", "面谈", "", "谈工作"),  # the first row again
        ("2027-05-22", other, "定期约谈", "面谈", "", "不在对应表中"),
    ]
    for k, (d, cid, form_word, mode, cat, text) in enumerate(fill):
        row = head + 1 + k
        ws.cell(row, cols["日期"], date.fromisoformat(d))
        ws.cell(row, cols["辅导员工号"], cid)
        ws.cell(row, cols["形式"], form_word)
        ws.cell(row, cols["方式"], mode)
        if cat:
            ws.cell(row, cols["类别"], cat)
        ws.cell(row, cols["主要内容"], text)
    wb.save(form)

    out = tmp_path / "merged"
    r = run("collect", DEMO, "--plan", plan, form, "--out", out)
    assert r.exit_code == 0, r.output
    assert "读取 5 行,合并 2 行,3 行有问题未合并" in r.output
    assert "重复记录" in r.output and "不在联系对应表中" in r.output and "聊天" in r.output
    merged = list(csv.DictReader((out / "联系记录.csv").read_text("utf-8-sig").splitlines()))
    existing = (DEMO / "联系记录.csv").read_text("utf-8-sig").splitlines()
    assert len(merged) == len(existing) - 1 + 2  # header line aside, two rows added
    left = (out / "未合并.csv").read_text("utf-8-sig")
    assert left.count("\n") == 1 + 3


def test_province_refuses_when_nothing_usable(tmp_path: Path):
    bad = tmp_path / "not-a-report.xlsx"
    bad.write_bytes(b"not a workbook")
    r = run("province", bad, "--year", "2027", "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert not (tmp_path / "out" / "全省汇总-2027.xlsx").exists()


def test_forms_one_file_per_leader_whatever_the_ids(tmp_path: Path):
    """Ids that differ only by case (A1, a1) or by a character a file name cannot hold (L/1,
    L_1) still give one form each (the old "_" replacement made L/1 and L_1 one file)."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "领导干部.csv").write_text(
        "工号,姓名,单位,教学单位负责人\nA1,甲,,否\na1,乙,,否\nL/1,丙,,否\nL_1,丁,,否\n",
        encoding="utf-8",
    )
    (data / "辅导员.csv").write_text(
        "工号,姓名,单位\n" + "".join(f"{i:03d},员{i},外语系\n" for i in range(1, 9)),
        encoding="utf-8",
    )
    out = tmp_path / "plan"
    r = run("assign", data, "--out", out, "--cycle", "2027-2030")
    assert r.exit_code == 0, r.output
    forms = tmp_path / "forms"
    r = run("forms", data, "--plan", out / "plan.csv", "--out", forms, "--as-of", "2027-06-01")
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in forms.glob("联系记录填报-*.xlsx"))
    assert len(names) == 4 and len({n.casefold() for n in names}) == 4, names
    assert "联系记录填报-L%2F1-丙.xlsx" in names and "联系记录填报-L_1-丁.xlsx" in names
