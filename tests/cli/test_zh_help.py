"""The command line speaks Chinese to a clerk: no English words in any --help or usage error.

Run as the clerk runs it (``python -m planner …``, a subprocess through ``main()``). Allowed
Latin text: option names (``--out``), file names (``plan.csv``, ``年度汇总表-Y.xlsx``), the
command names, the language codes zh/en and a few fixed words listed below.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

COMMANDS = [
    "",
    "assign",
    "validate",
    "rotate",
    "whatif",
    "compare",
    "schedule",
    "init",
    "status",
    "report",
    "forms",
    "collect",
    "province",
    "serve",
    "demo",
    "workspace",
    "workspace import",
    "workspace export",
    "workspace backup",
]
ALLOWED = {
    "planner",
    "python",
    "zh",
    "en",
    "N",
    "Y",
    "YYYY-MM-DD",
    "http",
    "date",
    "plan",
    "data",
    "plans",
    "toml",
    "csv",
    "xlsx",
    "ics",
    "docx",
    "sqlite",
    "Excel",
    "WPS",
    "whatif",
    "scenarios",
    "changes",
    "assign",
    "schedule",
    "workspace",
    "import",
    "serve",
    "m",
}
COMMAND_WORDS = {w for c in COMMANDS for w in c.split()}


def english_words(text: str) -> list[str]:
    """Latin words that are not option names, file names or allowed words."""
    text = re.sub(r"--[a-z][a-z-]*", " ", text)  # option names
    text = re.sub(r"'[^']*'", " ", text)  # the user's own input, quoted back
    text = re.sub(r"“[^”]*”", " ", text)  # values and headers quoted back: 值“L2”, 列“unit”
    text = re.sub(r"英文(?:列名|键) [\w/、 ]+", " ", text)  # the English header a file may use
    text = re.sub(r"[\w.\-<>一-鿿]*\.(csv|xlsx|ics|toml|json|docx|sqlite|bat)\b", " ", text)
    text = re.sub(r"\b[\w\-]+/", " ", text)  # folder names like data/, plans/
    text = re.sub(r"https?://\S+", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z_\-]*", text)
    return [w for w in words if w not in ALLOWED and w not in COMMAND_WORDS]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_chinese(command: str):
    r = run(*command.split(), "--help")
    assert r.returncode == 0, r.stderr
    assert "用法" in r.stdout and "选项" in r.stdout
    assert english_words(r.stdout) == [], r.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["assign", "scenarios/demo"],  # missing --out
        ["assign", "scenarios/demo", "--out", "x", "--time-limit", "0"],
        ["status", "x", "--plan", "y", "--schedule", "z", "--as-of", "2027-01-01", "--days", "abc"],
        ["nosuch"],
        ["assign", "scenarios/demo", "--out", "x", "--bogus"],
        ["rotate", "scenarios/demo", "--out", "x", "--cycles", "99"],
    ],
)
def test_usage_errors_are_chinese(args: list[str]):
    r = run(*args)
    assert r.returncode == 2
    assert "错误" in r.stderr and "查看用法" in r.stderr
    assert "Traceback" not in r.stderr
    assert english_words(r.stderr) == [], r.stderr


def test_english_on_request():
    r = run("assign", "scenarios/demo", "--lang", "en")
    assert r.returncode == 2 and "Missing option" in r.stderr


def test_the_checker_finds_english():
    assert english_words("Show this message and exit. --out plan.csv") == [
        "Show",
        "this",
        "message",
        "and",
        "exit",
    ]
