"""CLI: exit codes 0/1/2/3/4, atomic outputs, byte-identical re-runs."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from models import SolveStatus
from planner.app import assign as pipeline
from planner.cli import app
from planner.pairing import PairingResult

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    r = run("assign", DEMO, "--out", out)
    assert r.exit_code == 0, r.output
    return out


def test_assign_writes_plan_files(demo_plan):
    raw = (demo_plan / "plan.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel shows Chinese
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert list(rows[0])[:10] == [
        "周期",
        "领导工号",
        "领导姓名",
        "职务",
        "领导单位",
        "辅导员工号",
        "辅导员姓名",
        "辅导员单位",
        "本单位",
        "说明",
    ]
    assert {r["周期"] for r in rows} == {"2027-2030"}
    assert len({r["辅导员工号"] for r in rows}) == 45
    assert all(r["说明"] for r in rows)
    assert all(r["辅导员工号"].startswith("000") for r in rows)  # ids stay text
    meta = json.loads((demo_plan / "plan.json").read_text(encoding="utf-8"))
    assert meta["status"] == "optimal"
    assert meta["objective"]["pairs"]["value"] == len(rows)
    assert all(len(v["sha256"]) == 64 for v in meta["inputs"].values())
    wb = load_workbook(demo_plan / "plan.xlsx")
    assert wb.sheetnames == ["联系对应表", "结对说明", "领导负荷", "明细"]
    ws = wb["联系对应表"]
    assert "联系服务辅导员对应表(2027-2030)" in ws["A1"].value
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$4:$4" and ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert "说明" not in [c.value for c in ws[4]]  # the reasons are on their own sheet
    assert "填报单位:" in ws["A2"].value and "None" not in ws["A2"].value
    reasons = [c.value for c in wb["结对说明"][2]]
    assert reasons[-1] == "说明" and all(r[-1].value for r in wb["结对说明"].iter_rows(min_row=3))
    detail = wb["明细"]
    heads = [c.value for c in detail[1]]
    assert "领导电话" in heads and "辅导员电话" in heads  # roster extra columns carried through


def test_plan_is_byte_identical_on_rerun(demo_plan, tmp_path):
    r = run("assign", DEMO, "--out", tmp_path)
    assert r.exit_code == 0
    assert (tmp_path / "plan.csv").read_bytes() == (demo_plan / "plan.csv").read_bytes()


def test_validate_accepts_own_plan(demo_plan):
    r = run("validate", DEMO, demo_plan / "plan.csv")
    assert r.exit_code == 0, r.output


def _drop_a_single_leader_row(plan: Path, out: Path) -> None:
    """Drop the first row whose counselor has no other leader: that counselor loses the
    only leader, the row's leader falls below the minimum."""
    lines = plan.read_text(encoding="utf-8-sig").splitlines()
    cid = [line.split(",")[5] for line in lines[1:]]
    i = next(i for i, c in enumerate(cid, start=1) if cid.count(c) == 1)
    out.write_text("\n".join(lines[:i] + lines[i + 1 :]) + "\n", encoding="utf-8-sig")


def test_validate_flags_hand_broken_plan(demo_plan, tmp_path):
    broken = tmp_path / "plan.csv"
    _drop_a_single_leader_row(demo_plan / "plan.csv", broken)
    r = run("validate", DEMO, broken)
    assert r.exit_code == 1
    assert "应为 2-3 名" in r.output or "没有联系领导" in r.output


def test_validate_english(demo_plan, tmp_path):
    broken = tmp_path / "plan.csv"
    _drop_a_single_leader_row(demo_plan / "plan.csv", broken)
    r = run("validate", DEMO, broken, "--lang", "en")
    assert r.exit_code == 1
    assert "must have 2-3" in r.output or "has no leader" in r.output


def test_english_plan_headers(tmp_path):
    r = run("assign", DEMO, "--out", tmp_path, "--lang", "en")
    assert r.exit_code == 0
    head = (tmp_path / "plan.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("cycle,leader_id,leader_name")


def test_bad_input_exit_2(tmp_path):
    (tmp_path / "领导干部.csv").write_text("工号,姓名\nL1,张三\n", encoding="utf-8")
    r = run("assign", tmp_path, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert "辅导员" in r.output
    assert not (tmp_path / "out" / "plan.csv").exists()


def test_missing_data_folder_exit_2(tmp_path):
    r = run("assign", tmp_path / "nope", "--out", tmp_path / "out")
    assert r.exit_code == 2


def test_usage_error_exit_2(tmp_path):
    assert run("assign", DEMO, "--out", tmp_path, "--lang", "fr").exit_code == 2
    assert run("assign").exit_code == 2


def _infeasible_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    lines = (data / "领导干部.csv").read_text(encoding="utf-8-sig").splitlines()
    (data / "领导干部.csv").write_text(
        "\n".join(lines[:8]) + "\n", encoding="utf-8-sig"
    )  # 7 leaders
    (data / "约束.csv").unlink()  # its rules name leaders no longer on the roster
    return data


def test_infeasible_exit_3_keeps_old_files(tmp_path):
    data = _infeasible_copy(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.csv").write_text("old", encoding="utf-8")
    r = run("assign", data, "--out", out)
    assert r.exit_code == 3, r.output
    assert "缺" in r.output and "名额" in r.output
    assert (out / "plan.csv").read_text(encoding="utf-8") == "old"
    assert not (out / "plan.xlsx").exists()
    diag = json.loads((out / "diagnosis.json").read_text(encoding="utf-8"))
    assert diag["findings"][0]["kind"] == "shortfall"
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_timeout_exit_4(tmp_path, monkeypatch):
    monkeypatch.setattr(
        pipeline, "solve_pairing", lambda *a, **k: PairingResult(SolveStatus.UNKNOWN, None)
    )
    r = run("assign", DEMO, "--out", tmp_path, "--time-limit", "0.01")
    assert r.exit_code == 4
    assert not (tmp_path / "plan.csv").exists()


def test_module_entry_point_no_traceback(tmp_path):
    bad = tmp_path / "data"
    bad.mkdir()
    (bad / "leaders.csv").write_bytes(b"\x00\xff\xfegarbage\x00")
    p = subprocess.run(
        [sys.executable, "-m", "planner", "assign", str(bad), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert p.returncode == 2
    assert "Traceback" not in p.stderr + p.stdout


def test_bad_cycle_label_and_time_limit_are_usage_errors(tmp_path):
    assert run("assign", DEMO, "--out", tmp_path, "--cycle", "bogus").exit_code == 2
    assert run("assign", DEMO, "--out", tmp_path, "--time-limit", "-5").exit_code == 2
    assert run("assign", DEMO, "--out", tmp_path, "--time-limit", "0").exit_code == 2
    assert not (tmp_path / "plan.csv").exists()


def test_history_cycle_without_a_year_is_named(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    (data / "历史联系" / "2024-2027.csv").unlink()
    (data / "历史联系.csv").write_text(
        "周期,领导工号,辅导员工号\n上一轮,L001,00001\n", encoding="utf-8-sig"
    )
    shutil.rmtree(data / "历史联系")
    r = run("assign", data, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert "历史联系.csv" in r.output and "第2行" in r.output and "上一轮" in r.output


def test_validate_mixed_cycles_and_unreadable_plans(demo_plan, tmp_path):
    lines = (demo_plan / "plan.csv").read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace("2027-2030", "2030-2033", 1)
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    r = run("validate", DEMO, mixed)
    assert r.exit_code == 1
    assert "多个周期" in r.output
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 3)
    r = run("validate", DEMO, junk)
    assert r.exit_code == 2
    assert "junk.csv" in r.output and "编码" in r.output
