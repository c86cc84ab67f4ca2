"""The documents as the office prints them (CONTRACT.md §12, issue 14).

plan.xlsx, 年度汇总表-2027.xlsx and schedule.xlsx of the demo college (a copy whose
settings name the college) are printed to PDF through LibreOffice, once for the module,
and read back page by page with ``pdftotext -layout``:

- every page carries 第 N 页 共 M 页, N counting 1..M;
- page 1 of each document names the college;
- the header row is repeated on every page of a table;
- no leader's counselors are split across pages (联系对应表, 联系明细);
- the 报送 sheet is one page; the 月历 prints one month per page.

Skipped only when LibreOffice or poppler is not installed.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
COLLEGE = "河北示范学院"
PAGE_NO = re.compile(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页")

pytestmark = pytest.mark.skipif(
    shutil.which("libreoffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (libreoffice-calc-nogui) and poppler-utils are needed to render",
)


def _demo_copy(root: Path) -> Path:
    data = root / "data"
    shutil.copytree(DEMO, data)
    toml = data / "settings.toml"
    keep = [
        line
        for line in toml.read_text(encoding="utf-8").splitlines()
        if not re.match(r"\s*(college|contact|phone)\s*=", line)
    ]
    keep += [f'college = "{COLLEGE}"', 'contact = "王老师"', 'phone = "0311-12345678"']
    toml.write_text("\n".join(keep) + "\n", encoding="utf-8")
    return data


def _run(*args: object) -> None:
    r = CliRunner().invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Document name → the text of each printed page; plus the plan's rows under "pairs"."""
    root = tmp_path_factory.mktemp("render")
    data = _demo_copy(root)
    _run("assign", data, "--out", root / "plan")
    _run("schedule", data, "--plan", root / "plan" / "plan.csv", "--out", root / "schedule")
    _run(
        "report", data, "--plan", root / "plan" / "plan.csv", "--year", 2027,
        "--out", root / "report", "--no-docs",
    )  # fmt: skip
    files = [
        root / "plan" / "plan.xlsx",
        root / "report" / "年度汇总表-2027.xlsx",
        root / "schedule" / "schedule.xlsx",
    ]
    pdf = root / "pdf"
    # A profile of its own: another LibreOffice running on the machine would otherwise take
    # the job over and return before the files are written.
    profile = (root / "lo-profile").as_uri()
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdf),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    out: dict[str, list[str]] = {}
    for f in files:
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf / f"{f.stem}.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        pages = text.split("\f")
        out[f.stem] = [p for p in pages if p.strip()]
    with (root / "plan" / "plan.csv").open(encoding="utf-8-sig") as fh:
        out["pairs"] = [f"{r['领导姓名']}\t{r['辅导员姓名']}" for r in csv.DictReader(fh)]
    return out


def _sheet_pages(pages: list[str], name: str) -> list[str]:
    """The pages of one sheet: those whose page header (first line) ends with its name."""
    return [p for p in pages if p.strip().splitlines()[0].split()[-1] == name]


@pytest.mark.parametrize("doc", ["plan", "年度汇总表-2027", "schedule"])
def test_page_numbers_and_college(rendered, doc):
    pages = rendered[doc]
    assert pages
    numbers = []
    for p in pages:
        found = PAGE_NO.findall(p)
        assert len(found) == 1, p[-300:]
        numbers.append(tuple(map(int, found[0])))
    assert numbers == [(i, len(pages)) for i in range(1, len(pages) + 1)]
    assert COLLEGE in pages[0]
    # The page header (a chart's labels may come first in the text of its page).
    assert all(COLLEGE in "".join(p.strip().splitlines()[:3]) for p in pages)


def _leaders(rendered) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for line in rendered["pairs"]:
        leader, counselor = line.split("\t")
        out[leader].add(counselor)
    return out


def _never_split(pages: list[str], leaders: dict[str, set[str]]) -> None:
    for leader, counselors in leaders.items():
        # The leader's name opens the block: in the 领导姓名 column after the 序号.
        mark = re.compile(rf"^\s*\d+\s+{re.escape(leader)}\s", re.MULTILINE)
        at = [i for i, p in enumerate(pages) if mark.search(p)]
        assert len(at) == 1, (leader, at)
        page = pages[at[0]]
        assert all(c in page for c in counselors), (leader, counselors)


def test_plan_prints_for_approval(rendered):
    pages = _sheet_pages(rendered["plan"], "联系对应表")
    assert len(pages) >= 2  # the demo's 50 pairs take more than one page
    assert "领导干部联系服务辅导员对应表(2027-2030)" in pages[0]
    assert "填报人:王老师" in pages[0] and "联系电话:0311-12345678" in pages[0]
    for p in pages:
        assert re.search(r"序号\s+领导姓名\s+职务", p), p[:400]  # the header on every page
        assert "说明" not in p  # the reasons are on 结对说明
    _never_split(pages, _leaders(rendered))
    assert _sheet_pages(rendered["plan"], "结对说明")


def test_annual_report_prints(rendered):
    doc = rendered["年度汇总表-2027"]
    summary = [p for p in doc if "年度汇总表(2027年)" in p.strip().splitlines()[0]]
    assert summary and all("领导工号" in p for p in summary)
    assert "填报单位:" in summary[0] and "填报人:王老师" in summary[0]
    report = _sheet_pages(doc, "报送")
    assert len(report) == 1 and "合计" in report[0]  # the compact sheet: one page
    contacts = _sheet_pages(doc, "联系明细")
    assert contacts and all("辅导员姓名" in p for p in contacts)
    _never_split(contacts, _leaders(rendered))
    notes = _sheet_pages(doc, "说明")
    assert any("达标" in p for p in notes)


def test_schedule_prints(rendered):
    doc = rendered["schedule"]
    overview = [p for p in doc if "日程总表(2027-2030)" in p.strip().splitlines()[0]]
    assert overview and all(re.search(r"日期\s+领导姓名\s+辅导员姓名\s+形式", p) for p in overview)
    months = _sheet_pages(doc, "联系日程")
    titles = [re.findall(r"\d{4}年\d{1,2}月 联系日程", p) for p in months]
    assert len(months) == 36 and all(len(t) == 1 for t in titles)  # a month a page, 3 years
    assert all(re.search(r"一\s+二\s+三\s+四\s+五\s+六\s+日", p) for p in months)
    leader_pages = [p for p in doc if "窗口开始" in p and p not in overview]
    assert leader_pages and all("形式" in p for p in leader_pages)
