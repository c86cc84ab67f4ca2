"""A corpus of bad rosters through the CLI: exit 2, the file, row, column and value named,
never a traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_zh_help import english_words
from typer.testing import CliRunner

from planner.cli import app

LEADERS = "工号,姓名,职务,单位,教学单位负责人\nL1,王院长,院长,,否\nL2,李主任,系主任,外语系,是\nL3,张书记,书记,外语系,是\n"
COUNSELORS = "工号,姓名,单位,任辅导员日期\n001,甲,外语系,2020-09-01\n002,乙,外语系,2019/9/1\n003,丙,外语系,2021年9月1日\n004,丁,外语系,20180901\n005,戊,外语系,2015.9.1\n006,己,外语系,\n"

# (name, {file: (text, encoding)}, expected fragments of the message)
CASES = [
    (
        "gb18030 duplicate id",
        {"领导干部.csv": (LEADERS + "L2,赵某,副院长,,否\n", "gb18030")},
        ["领导干部.csv", "第5行", "工号", "L2"],
    ),
    ("empty file", {"辅导员.csv": ("", "utf-8")}, ["辅导员.csv"]),
    (
        "min greater than max",
        {
            "领导干部.csv": (
                "工号,姓名,最少联系人数,最多联系人数\nL1,王院长,3,2\nL2,李主任,,\nL3,张书记,,\n",
                "utf-8-sig",
            )
        },
        ["领导干部.csv", "第2行", "最少联系人数"],
    ),
    (
        "unknown rule id",
        {"约束.csv": ("领导工号,辅导员工号,规则,原因\nL9,001,必须,测试\n", "utf-8-sig")},
        ["约束.csv", "第2行", "领导工号", "L9"],
    ),
    (
        "bad date",
        {"辅导员.csv": (COUNSELORS.replace("2019/9/1", "去年九月"), "gb18030")},
        ["辅导员.csv", "第3行", "任辅导员日期", "去年九月"],
    ),
    (
        "bad boolean",
        {"领导干部.csv": (LEADERS.replace(",是\n", ",也许\n", 1), "utf-8")},
        ["领导干部.csv", "第3行", "教学单位负责人", "也许"],
    ),
    (
        "missing required column",
        {"辅导员.csv": ("工号,姓名\n001,甲\n", "utf-8")},
        ["辅导员.csv", "第1行", "单位"],
    ),
    (
        "id both leader and counselor",
        {"辅导员.csv": (COUNSELORS + "L1,庚,外语系,2020-09-01\n", "utf-8")},
        ["L1"],
    ),
]


def write(folder: Path, files: dict[str, tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    base = {"领导干部.csv": (LEADERS, "utf-8-sig"), "辅导员.csv": (COUNSELORS, "utf-8-sig")}
    base.update(files)
    for name, (text, enc) in base.items():
        (folder / name).write_bytes(text.encode(enc))


def test_the_base_roster_is_fine(tmp_path):
    write(tmp_path / "data", {})
    r = CliRunner().invoke(app, ["assign", str(tmp_path / "data"), "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize(("name", "files", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_exit_2_names_the_place(tmp_path, name, files, fragments):
    write(tmp_path / "data", files)
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["assign", str(tmp_path / "data"), "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    for frag in fragments:
        assert frag in r.output, (frag, r.output)
    assert not (out / "plan.csv").exists()
    # Issue 16: every message of the corpus in Chinese (names, ids and values aside).
    assert english_words(r.output) == [], r.output
