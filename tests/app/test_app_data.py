"""The data summary tells an empty table from one holding rows (issue 16: 其他表)."""

from __future__ import annotations

from pathlib import Path

from planner.app.data import data_summary, load_data

LEADERS = "工号,姓名,单位,教学单位负责人\nL1,王院长,,否\nL2,张主任,外国语系,是\n"
COUNSELORS = (
    "工号,姓名,单位\n001,刘一,外国语系\n002,陈二,外国语系\n003,李三,外国语系\n004,赵四,外国语系\n"
)
RECORDS_HEAD = "日期,领导工号,辅导员工号,形式\n"


def _other_tables(folder: Path, records: str) -> str:
    folder.mkdir()
    (folder / "领导干部.csv").write_text(LEADERS, encoding="utf-8")
    (folder / "辅导员.csv").write_text(COUNSELORS, encoding="utf-8")
    (folder / "联系记录.csv").write_text(records, encoding="utf-8")
    lines = dict(data_summary(load_data(folder, cycle="2027-2030")))
    return lines["其他表"]


def test_empty_and_filled_tables_read_differently(tmp_path: Path) -> None:
    assert _other_tables(tmp_path / "empty", RECORDS_HEAD) == "联系记录(空表)"
    filled = RECORDS_HEAD + "2027-03-02,L1,001,定期约谈\n2027-04-02,L2,002,定期约谈\n"
    assert _other_tables(tmp_path / "two", filled) == "联系记录 2 行"


def test_example_changes_only_where_they_fit(tmp_path: Path) -> None:
    """The demo's example change files are offered on the demo's rosters, by a Chinese name,
    and never on a college whose people they do not name (issue 16)."""
    from planner.app.data import demo_data_dir
    from planner.app.whatif import example_changes

    demo = example_changes(load_data(demo_data_dir()).problem)
    assert "副院长吴海涛(L005)退休离岗" in demo
    assert demo["副院长吴海涛(L005)退休离岗"].name == "副院长吴海涛(L005)退休离岗"
    assert demo["副院长吴海涛(L005)退休离岗"].leaders_leave == ("L005",)
    folder = tmp_path / "own"
    _other_tables(folder, RECORDS_HEAD)
    assert example_changes(load_data(folder, cycle="2027-2030").problem) == {}
