"""`assign` and `schedule` killed (SIGKILL, SIGINT) at every step of their commit: OUT holds the
complete earlier result or the complete new one, never a mix (CONTRACT.md §4, issue 11 case 5).

``PLANNER_TEST_KILL_AT=N`` makes ``python -m planner`` signal itself at the N-th step of the
commit (planner/io/write.py); N runs from 1 until a run finishes without being stopped, so
every step is hit. The instance: 3 leaders and 6 counselors; the new DATA retires leader L3,
so the new result drops L3's calendar and the earlier one has it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from planner.io.write import MANIFEST, recover_output

ROOT = Path(__file__).resolve().parents[2]

LEADERS = """工号,姓名,职务,级别,单位,教学单位负责人,在岗
L1,王院长,院长,院级,,否,是
L2,张主任,系主任,中层,外国语系,是,是
L3,赵主任,系主任,中层,经济管理系,是,{active}
"""
COUNSELORS = """工号,姓名,单位,任辅导员日期
c1,刘一,外国语系,2020-09-01
c2,陈二,外国语系,2016-09-01
c3,杨三,外国语系,2012-09-01
c4,黄四,经济管理系,2023-09-01
c5,周五,经济管理系,2019-09-01
c6,吴六,经济管理系,2018-09-01
"""
CALENDAR = """cycle_start = 2027-03-01
[[semester]]
name = "2026-2027-2"
start = 2027-03-01
end = 2027-07-09
[[semester]]
name = "2027-2028-1"
start = 2027-09-01
end = 2028-01-15
"""


def make_data(folder: Path, l3_active: bool) -> Path:
    folder.mkdir(parents=True)
    (folder / "领导干部.csv").write_text(
        LEADERS.format(active="是" if l3_active else "退休"), encoding="utf-8"
    )
    (folder / "辅导员.csv").write_text(COUNSELORS, encoding="utf-8")
    (folder / "calendar.toml").write_text(CALENDAR, encoding="utf-8")
    return folder


def planner(*args: str, kill_at: int = 0, sig: str = "KILL") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLANNER_TEST_KILL_SIGNAL": sig}
    env.pop("PLANNER_TEST_KILL_AT", None)
    if kill_at:
        env["PLANNER_TEST_KILL_AT"] = str(kill_at)
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def snapshot(out: Path) -> dict[str, bytes]:
    """The result files in OUT (no bookkeeping, no staging), by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and p.name not in (MANIFEST, ".planner-lock")
        and not p.relative_to(out).parts[0].startswith((".planner-staging", ".planner-trash"))
    }


def same_content(name: str, a: bytes, b: bytes) -> bool:
    """Equal, up to what CONTRACT §4 lets differ between runs (xlsx/json timestamps, timings)."""
    if a == b:
        return True
    if name.endswith(".xlsx"):
        za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
        names = [n for n in za.namelist() if n != "docProps/core.xml"]
        return names == [n for n in zb.namelist() if n != "docProps/core.xml"] and all(
            za.read(n) == zb.read(n) for n in names
        )
    if name.endswith(".json"):
        return _strip_times(json.loads(a)) == _strip_times(json.loads(b))
    return False


def _strip_times(x: object) -> object:
    if isinstance(x, dict):
        return {
            k: _strip_times(v) for k, v in x.items() if k != "generated_at" and "seconds" not in k
        }
    if isinstance(x, list):
        return [_strip_times(v) for v in x]
    return x


def which(state: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes]) -> str:
    """``old`` or ``new`` when ``state`` is exactly that result, else ``mixed``."""
    for label, ref in (("old", old), ("new", new)):
        if set(state) == set(ref) and all(same_content(k, state[k], ref[k]) for k in ref):
            return label
    return "mixed"


def staging_left(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith((".planner-", ".staging")))


def walk_commit(
    out: Path,
    old_out: Path,
    argv: list[str],
    old: dict[str, bytes],
    new: dict[str, bytes],
    sig: str,
) -> list[tuple[int, str, str]]:
    """Kill at step 1, 2, … until a run finishes; (step, state after kill, after recovery)."""
    seen = []
    for n in range(1, 40):
        shutil.rmtree(out)
        shutil.copytree(old_out, out)
        r = planner(*argv, kill_at=n, sig=sig)
        if r.returncode == 0:
            assert which(snapshot(out), old, new) == "new", r.stderr
            assert staging_left(out) == [".planner-lock", ".planner-manifest.json"]
            return seen
        want = -signal.SIGKILL if sig == "KILL" else 130
        assert r.returncode == want, (n, r.returncode, r.stderr)
        assert "Traceback" not in r.stderr
        after_kill = which(snapshot(out), old, new)
        if sig == "INT":
            # Ctrl+C is held back during the swap: never a mix, nothing left behind.
            assert after_kill in ("old", "new"), (n, r.stderr)
            assert staging_left(out) == [".planner-lock", ".planner-manifest.json"], n
        recover_output(out)  # what the next run does first
        after = which(snapshot(out), old, new)
        assert after in ("old", "new"), (n, after_kill)
        assert staging_left(out) == [".planner-lock", ".planner-manifest.json"], n
        if after_kill == "mixed":
            # Killed inside the swap, before the manifest: the earlier result comes back.
            assert after == "old", n
        seen.append((n, after_kill, after))
    raise AssertionError("the commit never finished")


@pytest.fixture(scope="module")
def college(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("kill")
    v1 = make_data(base / "v1", l3_active=True)
    v2 = make_data(base / "v2", l3_active=False)
    paths = {"v1": v1, "v2": v2}
    for name, data in (("v1", v1), ("v2", v2)):
        ref = base / f"ref-{name}"
        r = planner("assign", str(data), "--out", str(ref))
        assert r.returncode == 0, r.stderr
        r = planner("schedule", str(data), "--plan", str(ref / "plan.csv"), "--out", str(ref))
        assert r.returncode == 0, r.stderr
        paths[f"ref-{name}"] = ref
    return paths


@pytest.mark.parametrize("sig", ["KILL", "INT"])
def test_assign_killed_at_every_step(college: dict[str, Path], tmp_path: Path, sig: str) -> None:
    old_out = tmp_path / "old"
    r = planner("assign", str(college["v1"]), "--out", str(old_out))
    assert r.returncode == 0, r.stderr
    old = snapshot(old_out)
    # The new result: plan.csv/xlsx/json of v2 (the schedule files of the reference aside).
    ref = snapshot(college["ref-v2"])
    new = {k: v for k, v in ref.items() if k.startswith("plan.")}
    assert set(old) == set(new) == {"plan.csv", "plan.json", "plan.xlsx"}
    assert old["plan.csv"] != new["plan.csv"]
    out = tmp_path / "out"
    out.mkdir()
    seen = walk_commit(
        out, old_out, ["assign", str(college["v2"]), "--out", str(out)], old, new, sig
    )
    # Steps: staged, journal, three renames, manifest, cleanup -- each hit once.
    assert [n for n, _, _ in seen] == list(range(1, len(seen) + 1)) and len(seen) >= 6
    assert seen[0][2] == "old" and seen[-1][2] == "new"
    if sig == "KILL":
        assert any(k == "mixed" and a == "old" for _, k, a in seen)  # the window recovery closes


@pytest.mark.parametrize("sig", ["KILL", "INT"])
def test_schedule_killed_at_every_step(college: dict[str, Path], tmp_path: Path, sig: str) -> None:
    old_out = tmp_path / "old"
    shutil.copytree(college["ref-v1"], old_out)  # plan and schedule of v1, with L3's calendar
    old = snapshot(old_out)
    assert "ics/领导-L3.ics" in old
    new = {
        **{k: v for k, v in old.items() if k.startswith("plan.")},
        **{k: v for k, v in snapshot(college["ref-v2"]).items() if not k.startswith("plan.")},
    }
    assert "ics/领导-L3.ics" not in new  # the departed leader's calendar goes
    out = tmp_path / "out"
    out.mkdir()
    argv = [
        "schedule",
        str(college["v2"]),
        "--plan",
        str(college["ref-v2"] / "plan.csv"),
        "--out",
        str(out),
    ]
    seen = walk_commit(out, old_out, argv, old, new, sig)
    assert len(seen) >= 7  # ics/ (two renames) and three top-level files, not 7,000 renames
    assert seen[0][2] == "old" and seen[-1][2] == "new"


def test_next_run_clears_leftovers_and_writes(college: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(college["ref-v1"], out)
    old = snapshot(out)
    argv = ["assign", str(college["v2"]), "--out", str(out)]
    r = planner(*argv, kill_at=3)  # killed inside the swap: a mix until the next run
    assert r.returncode == -signal.SIGKILL
    assert any(p.name.startswith(".planner-staging") for p in out.iterdir())
    assert which(snapshot(out), old, old) == "mixed"
    r = planner(*argv)
    assert r.returncode == 0, r.stderr
    assert staging_left(out) == [".planner-lock", ".planner-manifest.json"]
    got = snapshot(out)
    ref = snapshot(college["ref-v2"])
    for name in ("plan.csv", "plan.xlsx", "plan.json"):
        assert same_content(name, got[name], ref[name]), name
    assert got["schedule.csv"] == old["schedule.csv"]  # another command's result stays
