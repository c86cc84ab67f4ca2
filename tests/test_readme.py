"""The README's Chinese part, followed literally on a fresh clone (issue 16).

The office's part gives two commands for a technician on Linux/macOS (``make demo``,
``make serve``) and names ``planner init`` and ``planner workspace backup`` in its steps. The test
clones the repository, gives the clone a ``.venv`` made of links to the installed one (so the
Makefile's install step is already done, as after a first ``make demo``), and runs the commands
exactly as the README writes them.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def office_part() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## 第一部分")
    return text[start : text.index("## 第二部分")]


def code_commands(part: str) -> list[str]:
    """The commands of the part's ```bash blocks, comments dropped."""
    cmds: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", part, flags=re.S):
        for line in block.splitlines():
            cmd = line.split("#", 1)[0].strip()
            if cmd:
                cmds.append(cmd)
    return cmds


def _clone(tmp: Path) -> Path:
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git and make are needed to follow the README")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    venv = Path(sys.prefix)
    (clone / ".venv").mkdir()
    for name in ("bin", "lib", "lib64", "include", "pyvenv.cfg"):
        if (venv / name).exists():
            (clone / ".venv" / name).symlink_to(venv / name)
    # Newer than the clone's requirements.lock and pyproject.toml: make sees the install done.
    (clone / ".venv" / ".installed").touch()
    return clone


def _env(tmp: Path) -> dict[str, str]:
    # NiceGUI behaves as under test when it sees pytest's variables; the clerk's shell has none.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    # The per-user workspace folder lands in the test's home, never the developer's.
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), BROWSER="true")
    env.pop("DISPLAY", None)
    return env


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_the_office_part_gives_the_two_commands() -> None:
    assert code_commands(office_part()) == ["make demo", "make serve"]
    part = office_part()
    assert "planner init 模板.xlsx" in part and "planner workspace backup" in part


def test_readme_office_part_followed_literally(tmp_path: Path) -> None:
    clone = _clone(tmp_path)
    env = _env(tmp_path)
    demo = subprocess.run(
        ["make", "demo"], cwd=clone, env=env, capture_output=True, text=True, timeout=600
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    out = clone / "out" / "demo"  # "结果在 out/demo/"
    for name in ("plan.xlsx", "schedule.xlsx", "年度汇总表-2027.xlsx", "demo.log"):
        assert (out / name).is_file(), name
    lines = demo.stdout.splitlines()
    assert len(lines) < 40, demo.stdout  # one short line per step, no install noise
    assert not re.search(r"Traceback|WARNING|Editable", demo.stdout + demo.stderr)

    # "planner init 模板.xlsx": the blank workbook, from the venv the README says to use.
    planner = clone / ".venv" / "bin" / "planner"
    r = subprocess.run(
        [str(planner), "init", "模板.xlsx"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert r.returncode == 0 and (tmp_path / "模板.xlsx").is_file(), r.stdout + r.stderr

    # "make serve": the page on 127.0.0.1:8501, the address printed.
    if not _port_free(8501):
        pytest.skip("port 8501 is in use on this machine")
    serve = subprocess.Popen(
        ["make", "serve"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert serve.stdout is not None
        seen = ""
        deadline = time.monotonic() + 90
        while "http://127.0.0.1:8501" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([serve.stdout], [], [], deadline - time.monotonic())
            if not ready:
                break
            line = serve.stdout.readline()
            if not line:
                break
            seen += line
        assert "http://127.0.0.1:8501" in seen, seen
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen("http://127.0.0.1:8501/", timeout=5) as resp:
                    body = resp.read().decode("utf-8", "replace")
                    break
            except OSError:
                time.sleep(0.5)
        assert "<html" in body.lower()

        # "planner workspace backup 文件": one consistent copy while the page runs.
        backup = tmp_path / "备份" / "工作区-2027.sqlite"
        backup.parent.mkdir()
        r = subprocess.run(
            [str(planner), "workspace", "backup", str(backup)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 0 and backup.is_file(), r.stdout + r.stderr
    finally:
        os.killpg(serve.pid, 15)
        serve.wait(timeout=30)
