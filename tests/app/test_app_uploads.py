"""Uploaded files: a DATA folder, a zipped folder, loose tables, a plan; nothing kept when refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from planner.app.assign import assign
from planner.app.data import demo_data_dir, load_data, problem_rows, try_load
from planner.app.plans import make_plan, plan_csv_bytes
from planner.app.template import template_bytes
from planner.app.uploads import read_plan_upload, save_upload
from planner.errors import InputError, UserError

DEMO = demo_data_dir()


def _zip_demo(edit: tuple[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in sorted(DEMO.rglob("*")):
            if f.is_file():
                data = f.read_bytes()
                if edit and f.name == "辅导员.csv":
                    data = data.decode("utf-8-sig").replace(*edit, 1).encode("utf-8-sig")
                zf.writestr(f"demo/{f.relative_to(DEMO).as_posix()}", data)
        zf.writestr("../evil.txt", b"outside")  # never written outside the folder
    return buf.getvalue()


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_zip_folder_and_problems(tmp_path: Path) -> None:
    path = save_upload([("demo.zip", _zip_demo())], tmp_path / "u1")
    assert path.name == "demo" and (path / "领导干部.csv").is_file()
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "u1" / "evil.txt").exists()
    assert try_load(path).ok

    blob = _zip_demo(("00002,张雨桐,机电工程系,2016/9/1", "00002,张雨桐,,2016/9/31"))
    bad = save_upload([("bad.zip", blob)], tmp_path / "u2")
    got = try_load(bad)
    assert not got.ok
    rows = problem_rows(got.problems)
    assert {r["file"] for r in rows} == {"辅导员.csv"}
    assert {r["row"] for r in rows} == {"3"}
    assert {r["column"] for r in rows} >= {"单位", "任辅导员日期"}


def test_upload_csv_files_and_workbook(tmp_path: Path) -> None:
    files = [(f.name, f.read_bytes()) for f in DEMO.iterdir() if f.is_file()]
    files = [(n, b) for n, b in files if n.endswith((".csv", ".toml"))]
    folder = save_upload(files, tmp_path / "u")
    got = try_load(folder)
    assert got.ok and got.data is not None
    assert len(got.data.problem.counselors) == 45
    book = save_upload([("college.xlsx", template_bytes())], tmp_path / "x")
    assert book.name == "college.xlsx"
    assert not try_load(book).ok  # the empty template: the rosters are missing
    with pytest.raises(UserError, match="unsupported"):
        save_upload([("a.csv", b"x"), ("virus.exe", b"MZ")], tmp_path / "y")
    with pytest.raises(UserError):
        save_upload([("broken.zip", b"not a zip")], tmp_path / "z")
    with pytest.raises(UserError):
        save_upload([], tmp_path / "e")
    # Every refused upload above left nothing behind.
    assert {p.name for p in tmp_path.iterdir()} == {"u", "x"}


def test_zip_bomb_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    # 3 MB of zeros compress to a few KB; with a 1 MB expansion limit the extraction stops
    # inside the second 1 MB chunk and the whole folder is removed.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/领导干部.csv", b"leader_id,name\n")
        zf.writestr("data/bomb.csv", b"\0" * (3 * 1024 * 1024))
    blob = buf.getvalue()
    assert len(blob) < 64 * 1024
    dest = tmp_path / "upload-1"
    with pytest.raises(UserError, match="expands to more than 1 MB"):
        save_upload([("bomb.zip", blob)], dest, expanded_limit=1024 * 1024)
    assert not dest.exists() and _files(tmp_path) == []
    # Within the limit the same archive is extracted whole.
    got = save_upload([("bomb.zip", blob)], dest, expanded_limit=4 * 1024 * 1024)
    assert (got / "bomb.csv").stat().st_size == 3 * 1024 * 1024


def test_damaged_member_and_oversize_leave_nothing(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.csv", b"x" * 10_000)
        zf.writestr("b.csv", b"y" * 10_000)
    blob = bytearray(buf.getvalue())
    # Corrupt the compressed data of the second member (its CRC check then fails).
    start = blob.find(b"b.csv") + len(b"b.csv")
    blob[start + 5 : start + 15] = b"\xff" * 10
    dest = tmp_path / "upload-2"
    with pytest.raises(UserError):
        save_upload([("broken.zip", bytes(blob))], dest)
    assert not dest.exists()
    with pytest.raises(UserError, match="larger than 0 MB"):
        save_upload([("big.csv", b"z" * 2048)], tmp_path / "upload-3", limit=1024)
    assert _files(tmp_path) == []


@pytest.fixture(scope="module")
def demo_plan() -> tuple[object, list[tuple[str, str]]]:
    data = load_data(DEMO)
    out = assign(data)
    assert out.plan is not None
    return data.problem, [p.key for p in out.plan.pairs]


def test_plan_upload_names_unknown_people(demo_plan: tuple[object, list[tuple[str, str]]]) -> None:
    problem, keys = demo_plan
    blob = plan_csv_bytes(problem, make_plan(problem, keys))  # type: ignore[arg-type]
    label, got = read_plan_upload("plan.csv", blob, problem)  # type: ignore[arg-type]
    assert label == "2027-2030" and got == keys
    text = blob.decode("utf-8-sig").replace("L001", "L777", 1)
    with pytest.raises(InputError) as exc:
        read_plan_upload("plan.csv", text.encode("utf-8-sig"), problem)  # type: ignore[arg-type]
    assert exc.value.problems[0].value == "L777" and exc.value.problems[0].row == 2
    with pytest.raises(UserError, match=r"plan\.csv or plan\.xlsx"):
        read_plan_upload("plan.exe", blob, problem)  # type: ignore[arg-type]
