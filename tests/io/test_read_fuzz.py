"""Seeded mutations of the demo's files: every mutant is read to a result or to a message that
names the file, never a traceback; a sample of them runs ``assign`` end to end, where every run
ends in exit 0, 2 or 3 with a message, and any plan produced validates.

300 mutants (issue 11): the reader is exercised on all of them (fast, in process), the whole
command on every 30th. The kinds include what office files really hold: invisible characters,
ids Excel turned into numbers, hidden sheets, saved later-cycle history files, UTF-16 ("Unicode
text") exports, title rows, formulas without a cached value, impossible dates.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from models import cycle_first_year
from planner.cli import app
from planner.errors import InputError
from planner.io.read import DataSet, read_data

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo"
ROSTERS = ["领导干部.csv", "辅导员.csv", "约束.csv", "历史联系/2024-2027.csv"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u00a0", "\u3000"]
RECORD_TABLES = ("联系记录.csv", "成长记录.csv", "新闻报送.csv", "辅导员活动.csv", "不可用时间.csv")
MUTANTS = 300
END_TO_END_EVERY = 30
KINDS = 21


def _rows(text: str) -> list[list[str]]:
    return [r for r in csv.reader(io.StringIO(text))]


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _to_xlsx(path: Path, text: str, *, numbers: bool, hidden: bool, formulas: bool) -> Path:
    """Replace ``path`` (a CSV) by a workbook of the same stem, as the office might hand it in."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    if hidden:
        # A hidden old version first: it must never be read instead of the visible sheet.
        ws.title = "旧版"
        ws.append(["工号", "姓名", "单位"])
        ws.append(["X1", "旧人", "旧单位"])
        ws.sheet_state = "hidden"
        ws = wb.create_sheet("Sheet1")
    for i, row in enumerate(_rows(text)):
        cells: list[object] = []
        for j, cell in enumerate(row):
            if numbers and i > 0 and cell.isdigit():
                cells.append(int(cell))  # Excel's General format: 00017 becomes 17
            elif formulas and i > 0 and j == 0:
                cells.append(f'="{cell}"')  # written by a script: no cached value
            else:
                cells.append(cell)
        ws.append(cells)
    target = path.with_suffix(".xlsx")
    path.unlink()
    wb.save(target)
    return target


def mutate(path: Path, kind: int, rnd: random.Random) -> None:
    data = path.read_bytes()
    text = data.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()

    def put(t: str, enc: str = "utf-8-sig") -> None:
        path.write_bytes(t.encode(enc, errors="replace"))

    if kind == 0:  # truncated file
        path.write_bytes(data[: rnd.randrange(len(data))])
    elif kind == 1:  # garbage bytes
        pos = rnd.randrange(len(data))
        path.write_bytes(data[:pos] + bytes(rnd.randrange(256) for _ in range(20)) + data[pos:])
    elif kind == 2:  # NUL bytes
        path.write_bytes(data.replace(b",", b",\x00", 3))
    elif kind == 3:  # swapped columns (header and body disagree)
        head = lines[0].split(",")
        if len(head) > 2:
            head[0], head[1] = head[1], head[0]
        put("\n".join([",".join(head), *lines[1:]]) + "\n")
    elif kind == 4:  # full-width digits everywhere
        put(text.translate(FULLWIDTH), "gb18030")
    elif kind == 5:  # huge / negative numbers in a random cell
        row = rnd.randrange(1, max(2, len(lines)))
        cells = lines[row % len(lines)].split(",")
        cells[rnd.randrange(len(cells))] = rnd.choice(
            ["-5", "99999999999999999999", "1e308", "NaN"]
        )
        lines[row % len(lines)] = ",".join(cells)
        put("\n".join(lines) + "\n")
    elif kind == 6:  # stray quotes
        path.write_bytes(data.replace(b",", b',"', 2))
    elif kind == 7:  # a duplicated row
        put("\n".join([*lines, lines[-1]]) + "\n")
    elif kind == 8:  # header only
        put(lines[0] + "\n")
    elif kind == 9:  # GB18030 re-encoding (valid, should read)
        put(text, "gb18030")
    elif kind == 10:  # formula-looking cells (every injection form)
        put(text.replace("系", rnd.choice(["=系", "+系", "-系", "@系"]), 2))
    elif kind == 11:  # invisible characters glued to cells and headers
        out = []
        for ch in text:
            out.append(ch)
            if ch == "," and rnd.random() < 0.3:
                out.append(rnd.choice(INVISIBLE))
        put("".join(out))
    elif kind == 12:  # ids typed as numbers in a workbook
        _to_xlsx(path, text, numbers=True, hidden=False, formulas=False)
    elif kind == 13:  # a hidden old sheet before the real one
        _to_xlsx(path, text, numbers=False, hidden=True, formulas=False)
    elif kind == 14:  # a saved later cycle in the history folder (or this cycle's own plan)
        earlier = (DEMO / "历史联系" / "2024-2027.csv").read_text(encoding="utf-8-sig")
        label = rnd.choice(["2030-2033", "2033-2036", "2027-2030"])
        hist = path.parent if path.parent.name == "历史联系" else path.parent / "历史联系"
        (hist / f"{label}.csv").write_text(earlier.replace("2024-2027", label), "utf-8-sig")
    elif kind == 15:  # Excel's "Unicode text": UTF-16 with a BOM, tab- or comma-separated
        sep = rnd.choice(["\t", ","])
        rows = _rows(text)
        path.write_bytes("\n".join(sep.join(r) for r in rows).encode("utf-16"))
    elif kind == 16:  # title rows above the header
        put("某某学院名单(2027年)\n,,\n" + text)
    elif kind == 17:  # formulas never computed (a script wrote the workbook)
        _to_xlsx(path, text, numbers=False, hidden=False, formulas=True)
    elif kind == 18:  # leading zeros lost in a CSV saved from Excel
        rows = _rows(text)
        put(_csv([rows[0]] + [[c.lstrip("0") if c.isdigit() else c for c in r] for r in rows[1:]]))
    elif kind == 19:  # impossible dates and reversed cycles
        put(text.replace("2016/9/1", "2016/9/31").replace("2024-2027", "2027-2024"))
    else:  # 10k empty rows after the data
        put(text + ",,,\n" * 10_000)


def draw(seed: int) -> tuple[random.Random, list[tuple[str, int]]]:
    """The files a mutant changes and the kind of change of each (drawn first, so the
    coverage test below sees exactly what the mutants do)."""
    rnd = random.Random(seed)
    names = rnd.sample(ROSTERS, rnd.randint(1, 2))
    return rnd, [(n, rnd.randrange(KINDS)) for n in names]


def make_mutant(seed: int, tmp_path: Path) -> Path:
    rnd, plan = draw(seed)
    data = tmp_path / "data"
    # The tables `assign` reads; the records-side tables (联系记录 …) only slow the reading.
    shutil.copytree(DEMO, data, ignore=shutil.ignore_patterns(*RECORD_TABLES))
    for name, kind in plan:
        mutate(data / name, kind, rnd)
    return data


def test_every_kind_is_drawn_for_every_table() -> None:
    # A kind never drawn tests nothing: each kind hits each table in some mutant.
    drawn = {(n, k) for seed in range(MUTANTS) for n, k in draw(seed)[1]}
    assert {k for _, k in drawn} == set(range(KINDS))
    for name in ROSTERS:
        assert len({k for n, k in drawn if n == name}) >= KINDS - 3, name


@pytest.mark.parametrize("seed", range(MUTANTS))
def test_mutated_input_never_crashes(seed: int, tmp_path: Path) -> None:
    data = make_mutant(seed, tmp_path)
    try:
        got = read_data(data)
    except InputError as exc:
        assert exc.problems
        for lang in ("zh", "en"):
            text = exc.render(lang)
            assert text.strip() and "Traceback" not in text
        # Each problem names a file (or the option) so the clerk knows where to look.
        assert all(p.file for p in exc.problems)
    else:
        assert isinstance(got, DataSet)
        assert got.problem.counselors and got.problem.leaders
        # A later cycle never counts as earlier; the planned cycle is not history.
        first = cycle_first_year(got.problem.cycle)
        assert first is not None
        assert all((cycle_first_year(c) or 0) <= first for c in got.problem.earlier_cycles)
    if seed % END_TO_END_EVERY:
        return
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["assign", str(data), "--out", str(out), "--time-limit", "20"])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in (0, 2, 3), r.output
    assert r.output.strip()
    assert "Traceback" not in r.output
    if r.exit_code == 0:
        v = CliRunner().invoke(app, ["validate", str(data), str(out / "plan.csv")])
        assert v.exit_code == 0, v.output
    else:
        assert not (out / "plan.csv").exists()
