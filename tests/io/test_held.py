"""What held in the adversarial round (issue 11) must keep holding: title rows, merged
headers, UTF-16 exports, Excel serial dates, 10,000 empty rows, every formula-injection form,
and byte-identical output whatever PYTHONHASHSEED, TZ and LANG say.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from planner.io.read import read_data, read_plan_pairs, read_table_file
from planner.io.write import write_csv

ROOT = Path(__file__).resolve().parents[2]
LEADERS = "工号,姓名,单位,教学单位负责人\nL001,王院长,,否\nL003,张主任,外国语系,是\n"
COUNSELORS = (
    "工号,姓名,单位,任辅导员日期\n00017,刘一,外国语系,2020-09-01\n00018,陈二,外国语系,2016/9/1\n"
)


def write(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def ids(path: Path) -> list[str]:
    return [c.counselor_id for c in read_data(path, cycle="2027-2030").problem.counselors]


def test_title_rows_above_the_header(tmp_path: Path) -> None:
    write(tmp_path, "leaders.csv", LEADERS.encode())
    write(tmp_path, "counselors.csv", ("某某学院辅导员名单(2027年)\n,,,\n" + COUNSELORS).encode())
    assert ids(tmp_path) == ["00017", "00018"]


def test_merged_title_and_header_cells(tmp_path: Path) -> None:
    write(tmp_path, "leaders.csv", LEADERS.encode())
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["辅导员名单", None, None, None])
    ws.merge_cells("A1:D1")  # a merged title: its value sits in A1 only
    ws.append(["工号", "姓名", "单位", "备注"])
    ws.append(["00017", "刘一", "外国语系", "x"])
    ws.merge_cells("C3:D3")  # merged body cells read as the first cell's value
    wb.save(tmp_path / "counselors.xlsx")
    ds = read_data(tmp_path, cycle="2027-2030")
    (c,) = ds.problem.counselors
    assert (c.counselor_id, c.unit) == ("00017", "外国语系")


@pytest.mark.parametrize("sep", ["\t", ","])
def test_utf16_unicode_text_export(tmp_path: Path, sep: str) -> None:
    write(tmp_path, "leaders.csv", LEADERS.encode())
    text = COUNSELORS.replace(",", sep)
    write(tmp_path, "counselors.csv", text.encode("utf-16"))  # Excel's "Unicode text"
    assert ids(tmp_path) == ["00017", "00018"]


def test_serial_dates(tmp_path: Path) -> None:
    write(tmp_path, "leaders.csv", LEADERS.encode())
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["工号", "姓名", "单位", "任辅导员日期"])
    ws.append(["00017", "刘一", "外国语系", 43709])  # 43709 = 2019-09-01 (1900 system)
    wb.save(tmp_path / "counselors.xlsx")
    (c,) = read_data(tmp_path, cycle="2027-2030").problem.counselors
    assert c.start_date == date(2019, 9, 1)


def test_ten_thousand_empty_rows(tmp_path: Path) -> None:
    write(tmp_path, "leaders.csv", LEADERS.encode())
    write(tmp_path, "counselors.csv", (COUNSELORS + ",,,\n" * 10_000).encode())
    assert ids(tmp_path) == ["00017", "00018"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_every_formula_form_is_escaped_and_read_back(tmp_path: Path, start: str) -> None:
    value = f"{start}1+cmd|calc!A0"  # the DDE form, without quotes or commas
    path = tmp_path / "plan.csv"
    write_csv(
        path, ["周期", "领导工号", "辅导员工号", "说明"], [["2027-2030", "L001", "00017", value]]
    )
    raw = path.read_text(encoding="utf-8-sig")
    assert f"'{value}" in raw  # no spreadsheet runs it
    _, pairs = read_plan_pairs(path)
    assert pairs == [("L001", "00017", 2)]
    (rec,) = read_table_file(path, "history")  # the reader strips the apostrophe again
    assert rec["_extra"] == {"说明": value}


def _run(args: list[str], env: dict[str, str]) -> None:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    full.pop("PLANNER_TEST_KILL_AT", None)
    r = subprocess.run(
        [sys.executable, "-m", "planner", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stderr


def test_byte_identical_across_hash_seed_timezone_and_locale(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write(data, "leaders.csv", LEADERS.encode())
    write(data, "counselors.csv", COUNSELORS.encode())
    write(data, "calendar.toml", b"cycle_start = 2027-03-01\n")
    outs = []
    for n, env in enumerate(
        (
            {"PYTHONHASHSEED": "1", "TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8"},
            {"PYTHONHASHSEED": "4242", "TZ": "America/Los_Angeles", "LANG": "C"},
        )
    ):
        out = tmp_path / f"out{n}"
        _run(["assign", str(data), "--out", str(out)], env)
        _run(["schedule", str(data), "--plan", str(out / "plan.csv"), "--out", str(out)], env)
        outs.append(out)
    files = sorted(
        p.relative_to(outs[0]).as_posix()
        for p in outs[0].rglob("*")
        if p.suffix in (".csv", ".ics")
    )
    assert "plan.csv" in files and "schedule.ics" in files and len(files) >= 5
    for f in files:
        assert (outs[0] / f).read_bytes() == (outs[1] / f).read_bytes(), f
