"""Browser tests of ``planner serve``: headless Chromium (Debian's package) driven by Playwright.

One server per module on a free 127.0.0.1 port; one page walks the office's path:
a bad upload shows its problems (file, row, column) → the demo college uploaded →
assign → a pair edited into a violation is flagged → what-if with a leaver → schedule
→ downloads checked as files. Every request the page makes must stay on 127.0.0.1.
Then what an adversary tries (issue 11 #16-18): other data loaded during a long solve, a
file over the upload limit and a zip bomb (a message, no file left behind), and a page of
another site whose name resolves to 127.0.0.1 (DNS rebinding: refused).

Screenshots go to ``$PLANNER_SCREENSHOTS`` (default: a folder under the system temp
dir, printed at the end); they are never written into the repository.

Skipped, with the reason, when ``/usr/bin/chromium`` or Playwright is missing
(``apt-get install chromium fonts-noto-cjk``; ``pip install playwright`` — never
``playwright install``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scenarios" / "demo"

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests skipped: {CHROMIUM} not found (apt-get install chromium fonts-noto-cjk)",
        allow_module_level=True,
    )
try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    pytest.skip(
        "browser tests skipped: the playwright package is not installed (pip install playwright)",
        allow_module_level=True,
    )

import openpyxl  # noqa: E402

from planner.changes import Change  # noqa: E402
from planner.io.read import read_data, read_plan_pairs  # noqa: E402
from planner.rules.validate import validate_plan  # noqa: E402
from planner.scenarios import apply_change  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVE = "from planner.cli import app; app(prog_name='planner')"
TIMEOUT_MS = 20_000
EVIL = "MAP evil.example 127.0.0.1"
# The same patience for assertions as for actions: a loaded 2-core machine can take seconds to
# draw a redrawn page (Playwright's own default for expect is 5 s).
expect.set_options(timeout=TIMEOUT_MS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _zip_folder(src: Path, dest: Path, edit: dict[str, tuple[str, str]] | None = None) -> Path:
    """Zip ``src`` (a data folder) as ``dest``; ``edit`` replaces text in named files."""
    with zipfile.ZipFile(dest, "w") as zf:
        for f in sorted(src.rglob("*")):
            if f.is_dir():
                continue
            rel = f.relative_to(src.parent).as_posix()
            data = f.read_bytes()
            if edit and f.name in edit:
                old, new = edit[f.name]
                data = data.decode("utf-8-sig").replace(old, new, 1).encode("utf-8-sig")
            zf.writestr(rel, data)
    return dest


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(
        os.environ.get("PLANNER_SCREENSHOTS")
        or Path(tempfile.gettempdir()) / "planner-web-screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server_tmp() -> Iterator[Path]:
    """The server's own temporary folder (its TMPDIR): what uploads leave behind lands here."""
    folder = Path(tempfile.mkdtemp(prefix="planner-web-server-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def workspace() -> Iterator[Path]:
    """The module server's workspace folder (outside its TMPDIR: it is kept, not left behind)."""
    folder = Path(tempfile.mkdtemp(prefix="planner-web-workspace-"))
    try:
        yield folder / "workspace"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def server(server_tmp: Path, workspace: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    # NiceGUI takes PYTEST_CURRENT_TEST to mean its own test harness: hide it from the server.
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env["PYTHONUNBUFFERED"] = "1"
    env["TMPDIR"] = str(server_tmp)
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVE,
            "serve",
            "--port",
            str(port),
            "--workspace",
            str(workspace),
        ],
        cwd=tempfile.gettempdir(),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail("server did not start:\n" + log.read().decode(errors="replace"))
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.seek(0)
        out = log.read().decode(errors="replace")
        log.close()
        assert f"http://127.0.0.1:{port}" in out, out  # serve prints its address
        assert "Traceback" not in out, out


@pytest.fixture(scope="module")
def page(server: tuple[str, subprocess.Popen[bytes]]) -> Iterator[tuple[Page, list[str]]]:
    url, _ = server
    requests: list[str] = []
    with sync_playwright() as pw:
        # evil.example resolves to this machine, as a DNS rebinding attack makes it (only the
        # foreign-host test goes there).
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, f"--host-resolver-rules={EVIL}"]
        )
        ctx = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN"
        )
        pg = ctx.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        pg.on("request", lambda r: requests.append(r.url))
        pg.goto(url)
        try:
            yield pg, requests
        finally:
            ctx.close()
            browser.close()


def _pick(page: Page, testid: str, text: str, typed: str | None = None) -> None:
    """Choose the option containing ``text`` in the Quasar select ``testid``."""
    page.get_by_test_id(testid).click()
    if typed:
        page.keyboard.type(typed)
    page.locator(".q-menu .q-item").filter(has_text=text).first.click()
    page.keyboard.press("Escape")


def _download(page: Page, testid: str, dest: Path) -> Path:
    with page.expect_download() as dl:
        page.get_by_test_id(testid).click()
    dl.value.save_as(dest)
    return dest


def _tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_office_walkthrough(
    page: tuple[Page, list[str]], server: tuple[str, subprocess.Popen[bytes]], shots: Path
) -> None:
    pg, requests = page
    url, _ = server
    tmp = Path(tempfile.mkdtemp(prefix="planner-web-test-"))
    try:
        expect(pg.get_by_text("领导干部直接联系服务辅导员 · 工作规划").first).to_be_visible()
        # One state for every window until the workspace lands; the page says so (issue 11 #19).
        expect(pg.get_by_test_id("shared-note")).to_have_text("本页面数据由本机所有浏览器窗口共享")

        # 1. A workbook with a bad cell: every problem with file, row and column.
        bad = _zip_folder(
            DEMO,
            tmp / "bad.zip",
            {
                "领导干部.csv": (
                    "L003,孙立群,党委副书记,院级,,否,,",
                    "L003,孙立群,党委副书记,院级,,否,两,",
                )
            },
        )
        pg.get_by_test_id("upload-data").locator("input[type=file]").set_input_files(str(bad))
        problems = pg.get_by_test_id("problems-table")
        expect(problems).to_contain_text("领导干部.csv")
        expect(problems).to_contain_text("最少联系人数")
        expect(problems).to_contain_text("两")
        expect(problems.locator("tbody tr").first.locator("td").nth(1)).to_have_text("4")
        pg.screenshot(path=str(shots / "01-input-problems.png"), full_page=True)

        # 2. The demo college, uploaded as a zipped folder.
        good = _zip_folder(DEMO, tmp / "demo.zip")
        pg.get_by_test_id("upload-data").locator("input[type=file]").set_input_files(str(good))
        expect(pg.get_by_test_id("data-summary")).to_contain_text("2027-2030")
        expect(pg.get_by_test_id("problems-table")).to_have_count(0)
        expect(pg.get_by_test_id("header-info")).to_contain_text("demo.zip")
        pg.screenshot(path=str(shots / "02-data-loaded.png"), full_page=True)

        # 3. Assign: the pairing table grouped by leader, validated.
        _tab(pg, "② 结对")
        pg.get_by_test_id("run-assign").click()
        verdict = pg.get_by_test_id("verdict")
        expect(verdict).to_contain_text("符合全部规定")
        expect(pg.get_by_test_id("figures")).to_contain_text("结对 76 对")
        expect(pg.get_by_test_id("figures")).to_contain_text("覆盖辅导员 45/45")
        expect(pg.get_by_test_id("leader-L001")).to_contain_text("赵振华")
        pg.screenshot(path=str(shots / "03-assigned.png"), full_page=True)
        _pick(pg, "unit-filter", "外国语系")
        groups = pg.get_by_test_id("leader-groups")
        expect(groups.locator(":scope > div")).not_to_have_count(38)
        expect(groups).to_contain_text("外国语系")
        _pick(pg, "unit-filter", "全部单位")

        # 4. Hand edit into a violation: 胡天宇(00012) given to 黄国栋(L009), a never rule.
        _pick(pg, "edit-pair", "胡天宇(00012)", "00012")
        _pick(pg, "edit-leader", "黄国栋(L009)", "L009")
        pg.get_by_test_id("do-reassign").click()
        expect(verdict).to_contain_text("发现")
        expect(verdict).to_contain_text("黄国栋(L009) 与 胡天宇(00012) 被约束禁止结对")
        expect(pg.get_by_test_id("leader-L009").locator(".pair-flagged")).to_contain_text("00012")
        pg.screenshot(path=str(shots / "04-edit-flagged.png"), full_page=True)
        pg.get_by_test_id("undo-edits").click()
        expect(verdict).to_contain_text("符合全部规定")

        # 5. What-if: 杨秀梅(L008) leaves (her two counselors have no other leader, so each
        # gets a new one); options compared; repair adopted.
        _tab(pg, "③ 人员变动")
        _pick(pg, "leavers", "杨秀梅(L008)", "L008")
        pg.get_by_test_id("run-whatif").click()
        expect(pg.get_by_test_id("repair-summary")).to_contain_text("由杨秀梅改为", timeout=60_000)
        side = pg.get_by_test_id("side-by-side")
        expect(side).to_contain_text("调整")
        expect(side).to_contain_text("杨秀梅(L008)")
        expect(pg.get_by_test_id("diff-table")).to_contain_text("L008")
        pg.screenshot(path=str(shots / "05-whatif.png"), full_page=True)
        pg.get_by_test_id("add-option").click()
        options = pg.get_by_test_id("compare-options")
        expect(options).to_contain_text("方案1")
        _pick(pg, "example", "汽车工程系系主任曹文静")
        pg.get_by_test_id("add-example").click()
        expect(options).to_contain_text("汽车工程系系主任曹文静(L018)调任他职")
        pg.get_by_test_id("run-compare").click()
        compare = pg.get_by_test_id("compare-table")
        # Two repairs of the 38-leader demo, one after the other, on a shared machine.
        expect(compare).to_contain_text("方案1", timeout=120_000)
        expect(compare).to_contain_text("汽车工程系系主任曹文静(L018)调任他职")
        pg.screenshot(path=str(shots / "06-compare.png"), full_page=True)
        pg.get_by_test_id("run-rotation").click()  # 3 cycles by default
        rotation = pg.get_by_test_id("rotation-table")
        expect(rotation).to_contain_text("2033-2036", timeout=40_000)
        expect(rotation).to_contain_text("合计")
        expect(pg.get_by_test_id("rotation-pairs")).to_contain_text("领导工号")
        summary = openpyxl.load_workbook(_download(pg, "dl-rotation", tmp / "rotation.xlsx"))
        assert summary.active.cell(row=4, column=1).value == "2027-2030"
        pg.screenshot(path=str(shots / "06b-rotation.png"), full_page=True)
        pg.get_by_test_id("adopt-repair").click()
        _tab(pg, "② 结对")
        expect(pg.get_by_test_id("assign-status")).to_contain_text("采用的人员变动调整方案")
        expect(verdict).to_contain_text("符合全部规定")
        expect(pg.get_by_test_id("leader-L008")).to_have_count(0)

        # 6. Schedule per leader and month; the status dashboard at the end of 2027.
        _tab(pg, "④ 日程与进度")
        pg.get_by_test_id("run-schedule").click()
        expect(pg.get_by_test_id("month-grid")).to_contain_text("定期约谈", timeout=40_000)
        _pick(pg, "cal-leader", "赵振华(L001)")
        _pick(pg, "cal-month", "2027-11")
        expect(pg.get_by_test_id("calendar-table")).to_contain_text("赵振华")
        pg.get_by_test_id("as-of").fill("2027-12-31")
        pg.get_by_test_id("status-refresh").click()
        status = pg.get_by_test_id("status-card")
        expect(status.locator("[data-testid=status-overdue]")).to_contain_text("定期约谈")
        pg.screenshot(path=str(shots / "07-calendar.png"), full_page=True)

        # 7. Downloads: plan.csv is the adopted plan, valid for the changed rosters.
        _tab(pg, "⑤ 下载")
        plan_path = _download(pg, "dl-plan-csv", tmp / "plan.csv")
        raw = plan_path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel/WPS
        head = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert head[:3] == ["周期", "领导工号", "领导姓名"]
        cycle, rows = read_plan_pairs(plan_path)
        keys = [(a, b) for a, b, _ in rows]
        assert cycle == "2027-2030" and len(keys) == 76  # 2 pairs dropped, 2 added
        assert all(a != "L008" for a, _ in keys)
        problem = read_data(DEMO, cycle=cycle).problem
        changed = apply_change(problem, Change(leaders_leave=("L008",))).problem
        assert validate_plan(changed, keys) == []
        ics = _download(pg, "dl-ics", tmp / "ics.zip")
        with zipfile.ZipFile(ics) as zf:
            names = zf.namelist()
            assert "schedule.ics" in names and "ics/领导-L001.ics" in names
            assert zf.read("schedule.ics").startswith(b"BEGIN:VCALENDAR")
        wb = openpyxl.load_workbook(_download(pg, "dl-schedule", tmp / "schedule.xlsx"))
        assert "总表" in wb.sheetnames
        report = _download(pg, "dl-report", tmp / "report.xlsx")
        assert report.stat().st_size > 0
        ws = openpyxl.load_workbook(report)["汇总"]
        cells = {str(c.value) for row in ws.iter_rows(max_row=6) for c in row if c.value}
        assert {"领导工号", "领导姓名", "约谈次数"} <= cells
        pg.screenshot(path=str(shots / "08-downloads.png"), full_page=True)

        # 8. The downloaded plan uploaded back as the plan in force.
        _tab(pg, "① 数据")
        pg.get_by_test_id("upload-plan").locator("input[type=file]").set_input_files(str(plan_path))
        expect(pg.get_by_test_id("message")).to_contain_text("76 对")
        _tab(pg, "② 结对")
        expect(pg.get_by_test_id("assign-status")).to_contain_text("上传的现行方案")
        # Adopting the repair updated the rosters in the workspace (杨秀梅 L008 离岗), so the
        # downloaded plan is valid for them as it is.
        expect(verdict).to_contain_text("符合全部规定")

        # Nothing left the machine: every request went to our server.
        outside = [r for r in requests if not r.startswith((url, "data:", "blob:", "about:"))]
        assert outside == []
        print(f"\nscreenshots: {shots}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _big_college(folder: Path, n: int) -> list[Path]:
    """A seeded synthetic college of ``n`` counselors as the two roster CSVs."""
    from planner.synth import random_college

    p = random_college(n, seed=1)
    folder.mkdir(parents=True, exist_ok=True)
    leaders, counselors = folder / "领导干部.csv", folder / "辅导员.csv"
    with leaders.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["工号", "姓名", "级别", "单位", "教学单位负责人"])
        for ld in p.leaders:
            w.writerow([ld.leader_id, ld.name, ld.level.value, ld.unit, ld.heads_teaching_unit])
    with counselors.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["工号", "姓名", "单位"])
        for c in p.counselors:
            w.writerow([c.counselor_id, c.name, c.unit])
    return [leaders, counselors]


def test_long_solve_shows_progress_and_cancels(page: tuple[Page, list[str]], shots: Path) -> None:
    pg, _ = page
    tmp = Path(tempfile.mkdtemp(prefix="planner-web-test-"))
    try:
        _tab(pg, "① 数据")
        files = _big_college(tmp / "big", 20000)  # a solve of several seconds
        pg.get_by_test_id("upload-data").locator("input[type=file]").set_input_files(
            [str(f) for f in files]
        )
        # The workspace holds data already: the page asks how to keep the upload.
        pg.get_by_test_id("pending-roster").click()
        # Kept in the workspace and read back: 20000 counselors take a while on 2 cores.
        expect(pg.get_by_test_id("data-summary")).to_contain_text("20000", timeout=120_000)
        _tab(pg, "② 结对")
        # What the tab shows before the solve (a kept version whose people are on the new
        # rosters, or nothing) is what it shows after the cancel: no plan was made.
        status = pg.get_by_test_id("assign-status")
        before = status.all_inner_texts()
        pg.get_by_test_id("run-assign").click()
        progress = pg.get_by_test_id("job-progress")
        expect(progress).to_contain_text("求解联系对应表")
        pg.screenshot(path=str(shots / "09-progress.png"))
        pg.get_by_test_id("cancel-job").click()
        expect(pg.get_by_test_id("message")).to_contain_text("已取消计算")
        expect(progress).to_be_hidden()
        assert status.all_inner_texts() == before
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_new_data_during_a_solve_leaves_the_page_working(
    page: tuple[Page, list[str]], server: tuple[str, subprocess.Popen[bytes]], shots: Path
) -> None:
    """Issue 11 #16: a long solve started, the demo college loaded before it ends. The
    solve's plan must not be attached to the demo (it once raised KeyError on every request,
    HTTP 500 in every browser until a restart): the job stops with a notice, the demo is
    drawn, a new solve on it works, and a fresh window of the page still opens."""
    pg, _ = page
    url, _ = server
    tmp = Path(tempfile.mkdtemp(prefix="planner-web-test-"))
    try:
        _tab(pg, "① 数据")
        files = _big_college(tmp / "big", 20000)
        pg.get_by_test_id("upload-data").locator("input[type=file]").set_input_files(
            [str(f) for f in files]
        )
        pg.get_by_test_id("pending-roster").click()
        # Kept in the workspace and read back: 20000 counselors take a while on 2 cores.
        expect(pg.get_by_test_id("data-summary")).to_contain_text("20000", timeout=120_000)
        _tab(pg, "② 结对")
        pg.get_by_test_id("run-assign").click()
        progress = pg.get_by_test_id("job-progress")
        expect(progress).to_contain_text("求解联系对应表")
        _tab(pg, "① 数据")
        pg.get_by_test_id("use-demo").click()
        pg.get_by_test_id("pending-roster").click()
        expect(pg.get_by_test_id("notice")).to_contain_text("已停止")
        expect(pg.get_by_test_id("header-info")).to_contain_text("示例学院")
        expect(progress).to_be_hidden()
        pg.screenshot(path=str(shots / "10-race-notice.png"), full_page=True)
        _tab(pg, "② 结对")
        # The stopped solve's plan is not attached to the demo (a kept demo version may show).
        assert "20000" not in " ".join(pg.get_by_test_id("figures").all_inner_texts())
        pg.get_by_test_id("run-assign").click()
        expect(pg.get_by_test_id("figures")).to_contain_text("结对 76 对", timeout=40_000)
        expect(pg.get_by_test_id("section-error")).to_have_count(0)
        # Another window: the same (shared) state, drawn without error.
        other = pg.context.new_page()
        try:
            response = other.goto(url)
            assert response is not None and response.status == 200
            expect(other.get_by_test_id("header-info")).to_contain_text("示例学院")
            expect(other.get_by_test_id("section-error")).to_have_count(0)
        finally:
            other.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _left_behind(root: Path) -> list[tuple[str, int]]:
    """Files under the server's TMPDIR outside NiceGUI's own storage and multiprocessing's
    sockets: what uploads left behind."""
    out = []
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root)
        if (
            not f.is_file()
            or rel.parts[0] == "planner-web"
            or rel.parts[0].startswith(("pymp-", "planner-workspace-"))
        ):
            continue  # NiceGUI's storage, multiprocessing, the workspace's DATA written out
        out.append((rel.as_posix(), f.stat().st_size))
    return out


def test_refused_uploads_get_a_message_and_leave_no_files(
    page: tuple[Page, list[str]], server_tmp: Path, shots: Path
) -> None:
    """Issue 11 #18: a file over 50 MB is refused in the browser with a message; a zip bomb
    (200 KB expanding past 200 MB) is refused by the server with a message; neither leaves a
    file on disk, and the data loaded before stays."""
    pg, _ = page
    tmp = Path(tempfile.mkdtemp(prefix="planner-web-test-"))
    try:
        _tab(pg, "① 数据")
        pg.get_by_test_id("use-demo").click()
        pg.get_by_test_id("pending-roster").click()
        expect(pg.get_by_test_id("message")).to_contain_text("已保存“示例学院”")
        before = _left_behind(server_tmp)
        assert before == []  # the 5000-counselor upload went when the demo replaced it
        big = tmp / "辅导员.csv"
        with big.open("wb") as f:
            f.truncate(51 * 1024 * 1024)  # one byte-for-byte file over the limit
        pg.get_by_test_id("upload-data").locator("input[type=file]").set_input_files(str(big))
        alert = pg.get_by_test_id("alert")
        expect(alert).to_contain_text("50 MB")
        expect(alert).to_contain_text("未保存任何文件")
        pg.screenshot(path=str(shots / "11-upload-too-large.png"), full_page=True)
        assert _left_behind(server_tmp) == []
        pg.get_by_test_id("alert").get_by_role("button").click()

        bomb = tmp / "bomb.zip"
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("data/领导干部.csv", "工号,姓名\n")
            with zf.open("data/辅导员.csv", "w", force_zip64=True) as member:
                chunk = b"0" * (1024 * 1024)
                for _ in range(201):
                    member.write(chunk)
        assert bomb.stat().st_size < 1024 * 1024
        pg.get_by_test_id("upload-data").locator("input[type=file]").set_input_files(str(bomb))
        expect(alert).to_contain_text("压缩包解压后超过 200 MB", timeout=40_000)
        assert _left_behind(server_tmp) == []
        expect(pg.get_by_test_id("header-info")).to_contain_text("示例学院")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_a_foreign_host_is_refused(
    page: tuple[Page, list[str]], server: tuple[str, subprocess.Popen[bytes]]
) -> None:
    """Issue 11 #17 (DNS rebinding): evil.example is made to resolve to 127.0.0.1. Its page
    gets no content (421), and neither it nor any other origin may open the page's socket;
    the page's own origin can."""
    pg, _ = page
    url, _ = server
    port = url.rsplit(":", 1)[1]
    socket_url = f"ws://127.0.0.1:{port}/_nicegui_ws/socket.io/?EIO=4&transport=websocket"
    probe = """url => new Promise(done => {
        const ws = new WebSocket(url);
        ws.onopen = () => { ws.close(); done('open'); };
        ws.onerror = () => done('refused');
    })"""
    browser = pg.context.browser
    assert browser is not None
    ctx = browser.new_context()
    try:
        evil = ctx.new_page()
        response = evil.goto(f"http://evil.example:{port}/")
        assert response is not None and response.status == 421
        expect(evil.locator("body")).to_contain_text(f"http://127.0.0.1:{port}")
        expect(evil.locator("body")).not_to_contain_text("领导干部直接联系服务辅导员")
        assert evil.evaluate(probe, socket_url) == "refused"
        assert evil.evaluate(probe, socket_url.replace("127.0.0.1", "evil.example")) == "refused"
        own = ctx.new_page()
        own.goto(url)
        assert own.evaluate(probe, socket_url) == "open"
    finally:
        ctx.close()


# Latin letters a zh page may show: file names (pinned by CONTRACT.md), ids, sizes, and the
# office programs a clerk knows by name.
LATIN_ALLOWED = re.compile(
    r"[\w.()-]*\.(?:csv|xlsx|xlsm|ics|zip|toml|docx|json)\b"  # file names
    r"|\b[A-Z]\d+\b"  # ids such as L005
    r"|\b(?:MB|Excel|WPS|Ctrl)\b"
    r"|(?:[A-Za-z]:)?(?:[/\\][\w.~-]+)+"  # folder paths (the workspace folder the page names)
)
VISIBLE_TEXT = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('script, style, template, i, .q-icon, .material-icons, [aria-hidden="true"]')) continue;
        if (!el.checkVisibility()) continue;  // hidden framework popups are not on the page
        parts.push(n.textContent);
    }
    return parts.join(' ');
}"""


def _latin_words(text: str) -> list[str]:
    # Words, and period codes such as 2027Q1 or +6m (a clerk reads 2027年第1季度, 起6个月).
    return re.findall(r"[A-Za-z]{2,}|\d[A-Za-z]\b|\d[Qq]\d", LATIN_ALLOWED.sub(" ", text))


def test_the_zh_page_speaks_chinese(page: tuple[Page, list[str]]) -> None:
    """Issue 16: no Latin-letter words on the zh page outside the allow-list, on every tab,
    with the demo college loaded and a plan made."""
    pg, _ = page
    _tab(pg, "① 数据")
    pg.get_by_test_id("use-demo").click()
    expect(pg.get_by_test_id("header-info")).to_contain_text("示例学院")
    _tab(pg, "② 结对")
    pg.get_by_test_id("run-assign").click()
    expect(pg.get_by_test_id("verdict")).to_contain_text("符合全部规定")
    found: dict[str, list[str]] = {}
    for name in ("① 数据", "② 结对", "③ 人员变动", "④ 日程与进度", "⑤ 下载"):
        _tab(pg, name)
        pg.wait_for_timeout(300)
        words = _latin_words(pg.evaluate(VISIBLE_TEXT))
        if words:
            found[name] = sorted(set(words))
    assert found == {}


# ----- the office's year on a workspace, across a restart (issue 12) ----------------------------
def _serve(workspace: Path, tmpdir: Path, port: int) -> tuple[subprocess.Popen[bytes], Any]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env["PYTHONUNBUFFERED"] = "1"
    env["TMPDIR"] = str(tmpdir)
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _halt
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--port", str(port), "--workspace", str(workspace)],
        cwd=tempfile.gettempdir(),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}", timeout=2) as r:
                if r.status == 200:
                    return proc, log
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail("server did not start:\n" + log.read().decode(errors="replace"))
        time.sleep(0.2)


def _halt(proc: subprocess.Popen[bytes], log: Any) -> str:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.seek(0)
    out = log.read().decode(errors="replace")
    log.close()
    return str(out)


def _summary_rows(path: Path) -> dict[str, dict[str, Any]]:
    """The 汇总 sheet's rows by 领导工号."""
    sheet = openpyxl.load_workbook(path)["汇总"]
    rows = list(sheet.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if "领导工号" in [str(c) for c in r])
    head = [str(c) if c is not None else "" for c in rows[at]]
    return {
        str(r[head.index("领导工号")]): dict(zip(head, r, strict=False))
        for r in rows[at + 1 :]
        if r[head.index("领导工号")]
    }


def _talks_expected(
    records: list[dict[str, Any]], plans: list[tuple[date, date | None, set[tuple[str, str]]]]
) -> dict[str, int]:
    """约谈 records of 2027 per leader, each counted when its pair is in the plan in force on
    its date (worked out here from the files, not by the product)."""
    out: dict[str, int] = {}
    for r in records:
        day, pair = r["date"], (r["leader_id"], r["counselor_id"])
        if r["form"] != "talk" or day.year != 2027:
            continue
        if any(a <= day and (b is None or day <= b) and pair in keys for a, b, keys in plans):
            out[pair[0]] = out.get(pair[0], 0) + 1
    return out


def test_office_year_on_the_workspace(page: tuple[Page, list[str]], shots: Path) -> None:
    """Import the demo workbook, assign, edit by hand, undo, adopt, approve; restart the
    server; a talk entered; a leader leaves and one joins; the repair adopted; a record for
    the joiner entered; the 年度汇总表 downloaded counts each talk against the plan in force on
    its date (the departed leader's talks before the departure included)."""
    root = Path(tempfile.mkdtemp(prefix="planner-web-year-"))
    workspace, server_tmp = root / "workspace", root / "tmp"
    server_tmp.mkdir()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc, log = _serve(workspace, server_tmp, port)
    outputs: list[str] = []
    try:
        # The module's browser (one Playwright per thread); contexts of its own.
        browser = page[0].context.browser
        assert browser is not None
        ctx = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN"
        )
        pg = ctx.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        pg.goto(url)
        expect(pg.get_by_test_id("workspace-note")).to_contain_text(str(workspace))
        expect(pg.get_by_text("尚未载入数据")).to_be_visible()

        # Import the demo workbook (a zipped DATA folder): the first data is kept at once.
        good = _zip_folder(DEMO, root / "demo.zip")
        pg.get_by_test_id("upload-data").locator("input[type=file]").set_input_files(str(good))
        expect(pg.get_by_test_id("message")).to_contain_text("已保存“demo.zip”")
        expect(pg.get_by_test_id("saved-at")).to_contain_text("已保存")
        expect(pg.get_by_test_id("data-summary")).to_contain_text("2027-2030")

        # Assign; edit by hand; undo the step; adopt; approve.
        _tab(pg, "② 结对")
        pg.get_by_test_id("run-assign").click()
        verdict = pg.get_by_test_id("verdict")
        expect(verdict).to_contain_text("符合全部规定", timeout=60_000)
        versions = pg.get_by_test_id("versions-table")
        expect(versions).to_contain_text("草案")
        _pick(pg, "edit-pair", "胡天宇(00012)", "00012")
        _pick(pg, "edit-leader", "黄国栋(L009)", "L009")
        pg.get_by_test_id("do-reassign").click()
        expect(verdict).to_contain_text("被约束禁止结对")
        expect(pg.get_by_test_id("edit-summary")).to_contain_text("手工调整 1 步")
        pg.get_by_test_id("undo-step").click()
        expect(verdict).to_contain_text("符合全部规定")
        expect(pg.get_by_test_id("undo-step")).to_have_count(0)
        pg.get_by_test_id("adopt-on").fill("2027-03-01")
        pg.get_by_test_id("adopt-plan").click()
        expect(versions).to_contain_text("已采用")
        pg.get_by_test_id("approve-on").fill("2027-03-10")
        pg.get_by_test_id("approve-plan").click()
        expect(versions).to_contain_text("2027-03-10")
        expect(versions.locator("tbody tr").first).to_contain_text("已审定")
        _tab(pg, "⑤ 下载")
        before = _download(pg, "dl-plan-csv", root / "plan-approved.csv")
        pg.screenshot(path=str(shots / "20-year-approved.png"), full_page=True)
        ctx.close()

        # Restart the server on the same workspace: everything is still there.
        outputs.append(_halt(proc, log))
        proc, log = _serve(workspace, server_tmp, port)
        ctx = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN"
        )
        pg = ctx.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        pg.goto(url)
        expect(pg.get_by_test_id("header-info")).to_contain_text("周期 2027-2030")
        _tab(pg, "② 结对")
        versions = pg.get_by_test_id("versions-table")
        expect(versions.locator("tbody tr").first).to_contain_text("已审定")
        expect(versions).to_contain_text("2027-03-10")
        expect(pg.get_by_test_id("verdict")).to_contain_text("符合全部规定")

        # A talk of 吴海涛(L005) in May, before he leaves.
        _, rows = read_plan_pairs(before)
        approved = {(a, b) for a, b, _ in rows}
        l005 = sorted(b for a, b in approved if a == "L005")
        assert l005
        _tab(pg, "④ 日程与进度")
        _pick(pg, "rec-pair", f"({l005[0]})", l005[0])
        pg.get_by_test_id("rec-date").fill("2027-05-20")
        pg.get_by_test_id("rec-summary").fill("离岗前约谈")
        pg.get_by_test_id("save-record").click()
        expect(pg.get_by_test_id("message")).to_contain_text("联系记录已保存")
        expect(pg.get_by_test_id("records-table")).to_contain_text("离岗前约谈")

        # 吴海涛 leaves on 2027-09-01; 钱新来 (L090) joins as 副院长; the repair adopted.
        _tab(pg, "③ 人员变动")
        _pick(pg, "leavers", "吴海涛(L005)", "L005")
        pg.get_by_text("新到岗人员", exact=True).click()
        pg.get_by_test_id("jl-id").fill("L090")
        pg.get_by_test_id("jl-name").fill("钱新来")
        pg.get_by_test_id("jl-position").fill("副院长")
        pg.get_by_test_id("add-joiner-leader").click()
        expect(pg.get_by_text("钱新来(L090)")).to_have_count(1)  # a chip (the panel folds up)
        pg.get_by_test_id("repair-date").fill("2027-09-01")
        pg.get_by_test_id("run-whatif").click()
        expect(pg.get_by_test_id("repair-summary")).to_contain_text("钱新来", timeout=60_000)
        pg.get_by_test_id("adopt-repair").click()
        expect(pg.get_by_test_id("message")).to_contain_text("名单已按变动更新")
        _tab(pg, "② 结对")
        expect(pg.get_by_test_id("leader-L090")).to_contain_text("钱新来")
        expect(pg.get_by_test_id("leader-L005")).to_have_count(0)
        expect(pg.get_by_test_id("versions-table")).to_contain_text("人员变动调整")

        # A talk of the joiner in October.
        _tab(pg, "④ 日程与进度")
        _pick(pg, "rec-pair", "钱新来(L090)", "L090")
        pg.get_by_test_id("rec-date").fill("2027-10-12")
        pg.get_by_test_id("rec-summary").fill("到岗后首次约谈")
        pg.get_by_test_id("save-record").click()
        expect(pg.get_by_test_id("records-table")).to_contain_text("到岗后首次约谈")
        pg.screenshot(path=str(shots / "21-year-record.png"), full_page=True)

        # A second browser context sees the same state.
        other_ctx = browser.new_context(locale="zh-CN")
        other = other_ctx.new_page()
        other.set_default_timeout(TIMEOUT_MS)
        other.goto(url)
        other.get_by_role("tab", name="② 结对").click()
        expect(other.get_by_test_id("leader-L090")).to_contain_text("钱新来")
        other_ctx.close()

        # The 年度汇总表 of 2027 counts each talk against the plan in force on its date.
        _tab(pg, "⑤ 下载")
        expect(pg.get_by_test_id("report-note")).to_contain_text("当天施行的方案版本")
        after = _download(pg, "dl-plan-csv", root / "plan-repaired.csv")
        report = _download(pg, "dl-report", root / "report.xlsx")
        export = _download(pg, "dl-export", root / "export.zip")
        pg.screenshot(path=str(shots / "22-year-downloads.png"), full_page=True)
        ctx.close()

        _, rows = read_plan_pairs(after)
        repaired = {(a, b) for a, b, _ in rows}
        assert any(a == "L090" for a, _ in repaired) and all(a != "L005" for a, _ in repaired)
        _, rows = read_plan_pairs(DEMO / "历史联系" / "2024-2027.csv")
        earlier = {(a, b) for a, b, _ in rows}
        records = [dict(r) for r in read_data(DEMO).tables["records"]]
        for day, (lid, cid) in (
            (date(2027, 5, 20), ("L005", l005[0])),
            (date(2027, 10, 12), next(k for k in sorted(repaired) if k[0] == "L090")),
        ):
            records.append({"date": day, "leader_id": lid, "counselor_id": cid, "form": "talk"})
        expected = _talks_expected(
            records,
            [
                (date(2024, 3, 1), date(2027, 2, 28), earlier),
                (date(2027, 3, 1), date(2027, 8, 31), approved),
                (date(2027, 9, 1), None, repaired),
            ],
        )
        got = _summary_rows(report)
        assert got["L005"]["约谈次数"] == expected["L005"] >= 1  # before the departure
        assert got["L090"]["约谈次数"] == expected["L090"] == 1
        for lid, n in expected.items():
            assert got[lid]["约谈次数"] == n, lid
        # The workspace export: a DATA folder the command line accepts with the plan in force.
        out = root / "export"
        with zipfile.ZipFile(export) as zf:
            zf.extractall(out)
        from typer.testing import CliRunner

        from planner.cli import app

        # OUT/plan.csv is the plan in force today, which may still be the history's cycle;
        # the adopted repair is the last plan version.
        latest = sorted((out / "plans").iterdir())[-1]
        assert latest.name.endswith("已采用")
        assert {(a, b) for a, b, _ in read_plan_pairs(latest / "plan.csv")[1]} == repaired
        res = CliRunner().invoke(app, ["validate", str(out / "data"), str(latest / "plan.csv")])
        assert res.exit_code == 0, res.output
        assert "L090" in (out / "data" / "领导干部.csv").read_text(encoding="utf-8-sig")
    finally:
        outputs.append(_halt(proc, log))
        shutil.rmtree(root, ignore_errors=True)
    for out_text in outputs:
        assert f"工作区(所有数据保存在此):{workspace}" in out_text, out_text
        assert "Traceback" not in out_text, out_text
