"""All-or-nothing outputs (CONTRACT.md §4; issue 11 cases 5-7), at the level of staged_output.

Each test builds an OUT by hand with an earlier result and the office's own files, commits a
new result and checks the exact file set and bytes afterwards.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from planner.errors import OutputError
from planner.io.write import MANIFEST, preflight, recover_output, result_files, staged_output


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but the product's bookkeeping (manifest, lock)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name not in (MANIFEST, ".planner-lock")
    }


def write(folder: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit(out: Path, result: str | None, files: dict[str, str], **kw: object) -> None:
    with staged_output(out, result, **kw) as stage:  # type: ignore[arg-type]
        write(stage, files)


def test_departed_leaders_calendar_goes_office_files_stay(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit(
        out,
        "schedule",
        {"schedule.csv": "v1", "ics/领导-L1.ics": "L1 v1", "ics/领导-L3.ics": "L3 v1"},
    )
    # The office keeps its own files in OUT, also inside ics/.
    write(out, {"会议纪要.docx": "office", "ics/说明.txt": "office note"})
    commit(out, "schedule", {"schedule.csv": "v2", "ics/领导-L1.ics": "L1 v2"})
    # L3 left: their calendar is gone with the earlier result; the office's files are untouched.
    assert files_of(out) == {
        "schedule.csv": b"v2",
        "ics/领导-L1.ics": b"L1 v2",
        "ics/说明.txt": b"office note",
        "会议纪要.docx": b"office",
    }
    assert result_files(out, "schedule") == ["ics/领导-L1.ics", "schedule.csv"]
    assert not [p for p in out.iterdir() if p.name.startswith(".planner-staging")]


def test_results_of_other_commands_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit(out, "plan", {"plan.csv": "p1", "diff.csv": "d1", "pair_starts.csv": "s1"})
    commit(out, "schedule", {"schedule.csv": "s"})
    # assign after whatif: the same result (the plan), so whatif's diff and pair starts go --
    # a pair_starts.csv of another plan beside plan.csv would mislead `schedule`.
    commit(out, "plan", {"plan.csv": "p2"})
    assert files_of(out) == {"plan.csv": b"p2", "schedule.csv": b"s"}


def test_a_result_supersedes_another(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit(out, "plan", {"plan.csv": "p1"})
    commit(out, "diagnosis", {"diagnosis.json": "{}"})  # exit 3 keeps the earlier plan
    assert files_of(out) == {"plan.csv": b"p1", "diagnosis.json": b"{}"}
    commit(out, "plan", {"plan.csv": "p2"}, supersedes=("diagnosis",))
    assert files_of(out) == {"plan.csv": b"p2"}


def test_files_of_an_earlier_version_are_owned_by_pattern(tmp_path: Path) -> None:
    out = tmp_path / "out"
    # Written before manifests existed: no manifest names these.
    write(out, {"ics/领导-L9.ics": "old", "ics/mine.txt": "office"})
    commit(out, "schedule", {"ics/领导-L1.ics": "new"}, owns=("ics/领导-*.ics",))
    assert files_of(out) == {"ics/领导-L1.ics": b"new", "ics/mine.txt": b"office"}


def test_failing_writer_leaves_out_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit(out, "plan", {"plan.csv": "p1", "plan.xlsx": "x1"})
    before = files_of(out)
    with pytest.raises(RuntimeError), staged_output(out, "plan") as stage:
        (stage / "plan.csv").write_text("half", encoding="utf-8")
        raise RuntimeError("solver blew up half way")
    assert files_of(out) == before
    assert sorted(p.name for p in out.iterdir()) == [
        ".planner-lock",
        MANIFEST,
        "plan.csv",
        "plan.xlsx",
    ]


def test_full_disk_while_writing_names_the_path(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit(out, "plan", {"plan.csv": "p1"})
    before = files_of(out)
    with pytest.raises(OutputError) as got, staged_output(out, "plan") as stage:
        raise OSError(errno.ENOSPC, "No space left on device", str(stage / "plan.xlsx"))
    assert "磁盘空间不足" in got.value.message_zh and "plan.xlsx" in got.value.message_zh
    assert "disk is full" in got.value.message_en
    assert files_of(out) == before


def test_out_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    for check in (lambda: preflight(out), lambda: commit(out, "plan", {"plan.csv": "p"})):
        with pytest.raises(OutputError) as got:
            check()
        assert got.value.message_zh == (
            f"{out} 是一个文件,不是文件夹:输出(--out)需要一个文件夹,请换一个名字"
        )
        assert str(out) in got.value.message_en
    assert out.read_text(encoding="utf-8") == "not a folder"
    # A file further up the path is named too.
    with pytest.raises(OutputError) as got:
        preflight(out / "sub")
    assert str(out) in got.value.message_zh


def test_read_only_folder_is_said_before_writing(tmp_path: Path) -> None:
    # Root ignores permission bits; sysfs refuses even root.
    target = Path("/sys/planner-out")
    if not Path("/sys").is_dir() or (os.access("/sys", os.W_OK) and _writable("/sys")):
        pytest.skip("needs a folder this user cannot write")
    with pytest.raises(OutputError) as got:
        preflight(target)
    assert "没有写入" in got.value.message_zh and "/sys" in got.value.message_zh
    assert "no permission to write" in got.value.message_en


def _writable(folder: str) -> bool:
    try:
        probe = Path(folder) / ".planner-test-probe"
        probe.write_text("x")
        probe.unlink()
    except OSError:
        return False
    return True


def test_low_free_space_refused_before_solving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(OutputError) as got:
        preflight(tmp_path / "new-out")
    assert "只剩 0.0 MB" in got.value.message_zh and str(tmp_path) in got.value.message_zh
    assert not (tmp_path / "new-out").exists()  # nothing created by the check


def test_stale_staging_folders_are_cleared(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit(out, "plan", {"plan.csv": "p1"})
    # A run killed while writing (no journal) and an earlier version's leftover.
    write(out, {".planner-staging-dead/new/plan.csv": "half", ".staging-abc123/plan.csv": "half"})
    assert recover_output(out) == ["removed"]
    assert files_of(out) == {"plan.csv": b"p1"}
    assert sorted(p.name for p in out.iterdir()) == [".planner-lock", MANIFEST, "plan.csv"]


def test_killed_mid_swap_is_put_back(tmp_path: Path) -> None:
    """A journal whose run never reached the manifest: every unit back from old/."""
    out = tmp_path / "out"
    commit(
        out, "schedule", {"schedule.csv": "v1", "ics/领导-L1.ics": "L1 v1", "ics/领导-L3.ics": "L3"}
    )
    before = files_of(out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    stage = out / ".planner-staging-0123456789abcdef"
    # The state right after "ics/ moved to old/, new ics/ moved in, schedule.csv replaced":
    (stage / "old").mkdir(parents=True)
    os.rename(out / "ics", stage / "old" / "ics")
    write(out, {"ics/领导-L1.ics": "L1 v2"})
    os.link(out / "schedule.csv", stage / "old" / "schedule.csv")
    os.unlink(out / "schedule.csv")  # replaced by the new file (a new inode)
    (out / "schedule.csv").write_text("v2", encoding="utf-8")
    write(stage, {"new/schedule.ics": "new ics"})  # not yet moved in
    journal = {
        "run": "0123456789abcdef",
        "result": "schedule",
        "units": [
            {"name": "ics", "dir": True, "existed": True, "action": "swap"},
            {"name": "schedule.csv", "dir": False, "existed": True, "action": "replace"},
            {"name": "schedule.ics", "dir": False, "existed": False, "action": "replace"},
        ],
        "manifest": manifest,
    }
    (stage / "journal.json").write_text(json.dumps(journal), encoding="utf-8")
    assert recover_output(out) == ["restored"]
    assert files_of(out) == before
    assert recover_output(out) == []  # nothing left to settle
