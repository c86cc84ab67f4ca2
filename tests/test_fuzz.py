"""Seeded mutations of the demo's files: every run ends in exit 0, 2 or 3 with a
message, never a traceback; any plan produced validates."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo"
ROSTERS = ["领导干部.csv", "辅导员.csv", "约束.csv", "历史联系/2024-2027.csv"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def mutate(data: bytes, rnd: random.Random) -> bytes:
    text = data.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    kind = rnd.randrange(11)
    if kind == 0:  # truncated file
        return data[: rnd.randrange(len(data))]
    if kind == 1:  # garbage bytes
        pos = rnd.randrange(len(data))
        return data[:pos] + bytes(rnd.randrange(256) for _ in range(20)) + data[pos:]
    if kind == 2:  # NUL bytes
        return data.replace(b",", b",\x00", 3)
    if kind == 3:  # swapped columns (header and body disagree)
        head = lines[0].split(",")
        if len(head) > 2:
            head[0], head[1] = head[1], head[0]
        return ("\n".join([",".join(head), *lines[1:]]) + "\n").encode("utf-8-sig")
    if kind == 4:  # full-width digits everywhere
        return text.translate(FULLWIDTH).encode("gb18030")
    if kind == 5:  # huge / negative numbers in a random cell
        row = rnd.randrange(1, max(2, len(lines)))
        cells = lines[row % len(lines)].split(",")
        cells[rnd.randrange(len(cells))] = rnd.choice(
            ["-5", "99999999999999999999", "1e308", "NaN"]
        )
        lines[row % len(lines)] = ",".join(cells)
        return ("\n".join(lines) + "\n").encode("utf-8-sig")
    if kind == 6:  # stray quotes
        return data.replace(b",", b',"', 2)
    if kind == 7:  # a duplicated row
        return ("\n".join([*lines, lines[-1]]) + "\n").encode("utf-8-sig")
    if kind == 8:  # header only
        return (lines[0] + "\n").encode("utf-8-sig")
    if kind == 9:  # GB18030 re-encoding (valid, should read)
        return text.encode("gb18030")
    # formula-looking cells
    return text.replace("系", "=系", 2).encode("utf-8-sig")


@pytest.mark.parametrize("seed", range(40))
def test_mutated_input_never_crashes(seed, tmp_path):
    rnd = random.Random(seed)
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    for name in rnd.sample(ROSTERS, rnd.randint(1, 2)):
        f = data / name
        f.write_bytes(mutate(f.read_bytes(), rnd))
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
