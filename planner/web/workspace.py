"""State of the web page and the plain functions behind its panels.

Nothing here imports the web framework: every number and table the page shows is
computed by the project's own functions (:func:`~planner.io.read.read_data`,
:func:`~planner.rules.validate.validate_plan`, :func:`~planner.io.plan_files.plan_rows`,
:func:`~planner.scenarios.diff_plans`, :func:`~planner.status.compute_status`, …) and
only arranged for display here, so the page and the command line never disagree.

Errors the office can act on are :class:`UserError` (a message in both languages) or
:class:`~planner.errors.InputError` (file, row, column, value); the page shows either as
a message, never a traceback.
"""

from __future__ import annotations

import calendar as _calendar
import io
import shutil
import tempfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from models import Pair, Plan, Problem, ScheduleItem, SolveStatus, Status
from planner.app.data import calendar_of, demo_data_dir
from planner.app.plans import plan_csv_bytes as _plan_csv
from planner.app.plans import plan_rows
from planner.app.plans import plan_xlsx_bytes as _plan_xlsx
from planner.app.records import match_records
from planner.app.report import annual_report, report_file_names, write_report
from planner.changes import Change
from planner.errors import InputError, InputProblem
from planner.i18n import msg
from planner.io.change_files import (
    COMPARE_COLUMNS,
    DIFF_COLUMNS,
    col_header,
    compare_table,
    diff_rows,
    rotation_header,
    rotation_rows,
    write_diff_csv,
    write_rotation_summary,
)
from planner.io.read import DataSet, read_data, read_plan_pairs
from planner.io.schedule_files import (
    SCHEDULE_COLUMNS,
    SCHEDULE_HEADERS_ZH,
    schedule_rows,
    write_ics_files,
    write_schedule_xlsx,
)
from planner.pairing import LEVELS
from planner.pairing.repair import MOVES, OptionResult, RepairResult
from planner.pairing.rotation import RotationResult, cycle_labels
from planner.records import PlanInForce, cycle_bounds
from planner.rules.precheck import Finding
from planner.rules.validate import objective_levels, removable_pairs, validate_plan
from planner.scenarios import Applied, DiffRow, summary_line
from planner.scheduling.builder import Schedule
from planner.status import StatusReport, compute_status, tracked_items
from planner.workdays.school_year import CalendarConfig

Key = tuple[str, str]

DATA_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".toml")
"""Files accepted in an uploaded data folder (CONTRACT.md §1: tables, settings, calendar)."""

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Largest upload accepted (a college's workbook is a few hundred KB)."""


class UserError(Exception):
    """Something the office can fix, in both languages (shown as a message, exit-free)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def render(self, lang: str = "zh") -> str:
        return msg(lang, self.zh, self.en)


# ----- loading ---------------------------------------------------------------------------
PROBLEM_COLUMNS = (
    ("file", "文件", "file"),
    ("row", "行", "row"),
    ("column", "列", "column"),
    ("value", "值", "value"),
    ("message", "问题", "problem"),
)
"""Columns of the input-problem table: (key, 中文, English)."""


def problem_rows(problems: Iterable[InputProblem], lang: str = "zh") -> list[dict[str, str]]:
    """One row per input problem: file (and sheet), spreadsheet row, column, value, message."""
    out = []
    for p in problems:
        out.append(
            {
                "file": p.file + (f"[{p.sheet}]" if p.sheet else ""),
                "row": "" if p.row is None else str(p.row),
                "column": p.column or "",
                "value": "" if p.value is None else p.value,
                "message": msg(lang, p.message_zh, p.message_en),
            }
        )
    return out


@dataclass
class Loaded:
    """What reading DATA gave: the data set, or the problems to fix."""

    data: DataSet | None
    problems: list[InputProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None


def load_data(path: Path, cycle: str | None = None) -> Loaded:
    """Read DATA (a folder or a workbook); bad input becomes a list of problems."""
    try:
        return Loaded(read_data(path, cycle=cycle or None))
    except InputError as exc:
        return Loaded(None, list(exc.problems))


def _safe_name(name: str) -> str:
    """The base name of an uploaded file (browsers may send a path)."""
    base = PurePosixPath(name.replace("\\", "/")).name.strip()
    if not base or base in {".", ".."}:
        raise UserError(f"文件名无效:{name}", f"invalid file name: {name}")
    return base


def _extract_zip(blob: bytes, dest: Path) -> Path:
    """Extract a zipped data folder safely; the single top folder if there is one."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(blob))
    except zipfile.BadZipFile as exc:
        raise UserError("压缩包已损坏,无法打开", "the .zip file is damaged") from exc
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    total = 0
    with zf:
        for info in zf.infolist():
            name = _zip_name(info)
            parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
            if not parts or any(p == ".." for p in parts) or name.startswith("/"):
                continue  # never write outside the folder
            if parts[0] == "__MACOSX" or parts[-1].startswith("."):
                continue
            target = root.joinpath(*parts)
            if not target.resolve().is_relative_to(root):
                continue
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            total += info.file_size
            if total > MAX_UPLOAD_BYTES * 4:
                raise UserError("压缩包解压后过大", "the .zip expands to too much data")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(info))
    entries = [p for p in root.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    if not entries:
        raise UserError("压缩包是空的", "the .zip is empty")
    return root


def _zip_name(info: zipfile.ZipInfo) -> str:
    """The member's name; archives made on Chinese Windows store names in GBK, not UTF-8."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        return name.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def save_upload(files: Sequence[tuple[str, bytes]], dest: Path) -> Path:
    """Store uploaded files as DATA and return its path.

    One ``.xlsx`` workbook is DATA itself; one ``.zip`` is a zipped data folder;
    otherwise the files (``领导干部.csv``, ``辅导员.csv``, ``settings.toml``, …) form a folder.

    Raises
    ------
    UserError
        For no file, an unsupported type or a damaged archive.
    """
    if not files:
        raise UserError("没有收到文件", "no file received")
    dest.mkdir(parents=True, exist_ok=True)
    named = [(_safe_name(n), b) for n, b in files]
    if sum(len(b) for _, b in named) > MAX_UPLOAD_BYTES:
        raise UserError("文件过大(超过 50 MB)", "the upload is larger than 50 MB")
    if len(named) == 1:
        name, blob = named[0]
        suffix = Path(name).suffix.lower()
        if suffix == ".zip":
            return _extract_zip(blob, dest / Path(name).stem)
        if suffix in (".xlsx", ".xlsm"):
            path = dest / name
            path.write_bytes(blob)
            return path
    folder = dest / "data"
    folder.mkdir(parents=True, exist_ok=True)
    for name, blob in named:
        if Path(name).suffix.lower() not in DATA_SUFFIXES:
            raise UserError(
                f"不支持的文件类型:{name}(请上传 .xlsx 工作簿、.zip 数据文件夹或 .csv 表格)",
                f"unsupported file: {name} (upload an .xlsx workbook, a .zip folder or .csv tables)",
            )
        (folder / name).write_bytes(blob)
    return folder


def read_plan_upload(
    name: str, blob: bytes, dest: Path, problem: Problem
) -> tuple[str | None, list[Key]]:
    """Read an uploaded ``plan.csv``/``plan.xlsx`` as the plan in force.

    Returns the plan's cycle label (its 周期 column, if one value) and its pairs in file
    order.

    Raises
    ------
    InputError
        For an unreadable file or pairs naming people not on the rosters.
    """
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / _safe_name(name)
    path.write_bytes(blob)
    label, rows = read_plan_pairs(path)
    unknown = [
        InputProblem(
            file=path.name,
            row=r,
            column="领导工号" if lid not in problem.leader_by_id else "辅导员工号",
            value=lid if lid not in problem.leader_by_id else cid,
            message_zh="名单中没有这个工号",
            message_en="no one on the rosters has this id",
        )
        for lid, cid, r in rows
        if lid not in problem.leader_by_id or cid not in problem.counselor_by_id
    ]
    if unknown:
        raise InputError(unknown)
    return label, list(dict.fromkeys((lid, cid) for lid, cid, _ in rows))


def data_summary(data: DataSet, lang: str = "zh") -> list[tuple[str, str]]:
    """(label, value) lines describing the data set read."""
    p = data.problem
    zh = lang == "zh"
    heads = sum(1 for x in p.active_leaders if x.heads_teaching_unit)
    return [
        (msg(lang, "联系周期", "cycle"), p.cycle),
        (
            msg(lang, "领导干部", "leaders"),
            msg(
                lang,
                f"{len(p.leaders)} 人(在岗 {len(p.active_leaders)} 人,其中教学单位负责人 {heads} 人)",
                f"{len(p.leaders)} ({len(p.active_leaders)} active, {heads} teaching-unit heads)",
            ),
        ),
        (
            msg(lang, "辅导员", "counselors"),
            msg(
                lang,
                f"{len(p.counselors)} 人(在岗 {len(p.active_counselors)} 人)",
                f"{len(p.counselors)} ({len(p.active_counselors)} active)",
            ),
        ),
        (
            msg(lang, "历史周期", "earlier cycles"),
            ("、" if zh else ", ").join(p.earlier_cycles) or msg(lang, "无", "none"),
        ),
        (
            msg(lang, "约束", "rules"),
            msg(
                lang,
                f"必须 {len(p.musts)} 条,禁止 {len(p.nevers)} 条",
                f"{len(p.musts)} must, {len(p.nevers)} never",
            ),
        ),
        (
            msg(lang, "其他表", "other tables"),
            ("、" if zh else ", ").join(_TABLE_ZH.get(k, k) if zh else k for k in data.tables)
            or msg(lang, "无", "none"),
        ),
    ]


_TABLE_ZH = {
    "calendar": "校历",
    "unavailable": "不可用时间",
    "events": "辅导员活动",
    "records": "联系记录",
    "growth": "成长记录",
    "news": "新闻报送",
}


# ----- the plan ----------------------------------------------------------------------------
def make_plan(problem: Problem, keys: Iterable[Key]) -> Plan:
    """A plan of ``problem``'s cycle holding exactly ``keys``."""
    return Plan(
        cycle=problem.cycle,
        pairs=tuple(Pair(leader_id=a, counselor_id=b) for a, b in dict.fromkeys(keys)),
    )


def units(problem: Problem) -> list[str]:
    """Every unit named on the rosters, counselors' units first (the teaching units)."""
    seen = dict.fromkeys(c.unit for c in problem.counselors if c.unit)
    seen.update(dict.fromkeys(ld.unit for ld in problem.leaders if ld.unit))
    return list(seen)


def person_label(problem: Problem, pid: str) -> str:
    """``姓名(工号)`` of a leader or counselor (the id alone when unknown)."""
    x = problem.leader_by_id.get(pid) or problem.counselor_by_id.get(pid)
    return f"{x.name}({pid})" if x is not None else pid


def leader_options(problem: Problem, active_only: bool = True) -> dict[str, str]:
    """Leader id → ``姓名(工号) 职务 单位`` in rank order, for pickers."""
    people = problem.active_leaders if active_only else problem.leaders
    return {
        ld.leader_id: " ".join(x for x in (person_label(problem, ld.leader_id), ld.position) if x)
        for ld in people
    }


def counselor_options(problem: Problem, active_only: bool = True) -> dict[str, str]:
    """Counselor id → ``姓名(工号) 单位`` by id, for pickers."""
    people = problem.active_counselors if active_only else problem.counselors
    return {c.counselor_id: f"{person_label(problem, c.counselor_id)} {c.unit}" for c in people}


@dataclass
class LeaderGroup:
    """One leader's block of the pairing table (联系对应表, grouped by leader)."""

    leader_id: str
    name: str
    position: str
    unit: str
    load: int
    low: int
    high: int
    own: int
    heads: bool
    active: bool
    rows: list[dict[str, str]]

    @property
    def load_ok(self) -> bool:
        return not self.active or self.low <= self.load <= self.high


def _matches(row: Mapping[str, str], unit: str | None) -> bool:
    return not unit or unit in (row["leader_unit"], row["counselor_unit"])


def leader_groups(
    problem: Problem, keys: Iterable[Key], lang: str = "zh", unit: str | None = None
) -> list[LeaderGroup]:
    """The plan grouped by leader in rank order, with loads and own-unit counts.

    Every active leader appears (an empty block shows a load of 0); with ``unit`` only
    the pairs whose leader or counselor belongs to it, and the leaders of that unit.
    """
    keys = list(dict.fromkeys(keys))
    rows = plan_rows(problem, make_plan(problem, keys), lang)
    by_leader: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by_leader[r["leader_id"]].append(r)
    order = [ld.leader_id for ld in problem.active_leaders]
    order += sorted({lid for lid, _ in keys} - set(order), key=problem.leader_rank)
    out = []
    for lid in order:
        ld = problem.leader_by_id[lid]
        mine = by_leader.get(lid, [])
        shown = [r for r in mine if _matches(r, unit)]
        if unit and not shown and ld.unit != unit:
            continue
        lo, hi = problem.load_bounds(ld)
        out.append(
            LeaderGroup(
                leader_id=lid,
                name=ld.name,
                position=ld.position,
                unit=ld.unit,
                load=len(mine),
                low=lo,
                high=hi,
                own=sum(1 for a, c in keys if a == lid and problem.is_own_unit(a, c)),
                heads=ld.heads_teaching_unit,
                active=ld.active,
                rows=shown,
            )
        )
    return out


def pair_table(
    problem: Problem, keys: Iterable[Key], lang: str = "zh", unit: str | None = None
) -> list[dict[str, str]]:
    """The plan as :func:`~planner.io.plan_files.plan_rows` gives it, filtered by unit."""
    rows = plan_rows(problem, make_plan(problem, keys), lang)
    return [r for r in rows if _matches(r, unit)]


@dataclass
class PlanFigures:
    """At-a-glance figures of a plan (the objective's levels plus coverage and loads)."""

    pairs: int
    own_unit_pairs: int
    heads_covered: int
    heads: int
    counselors_covered: int
    counselors: int
    load_min: int
    load_max: int
    second_leaders: int


def plan_figures(problem: Problem, keys: Iterable[Key], seed: int = 0) -> PlanFigures:
    """Figures of a plan, recomputed by the independent validator's level function."""
    keys = list(dict.fromkeys(keys))
    levels = objective_levels(problem, keys, seed)
    load = Counter(lid for lid, _ in keys)
    loads = [load[ld.leader_id] for ld in problem.active_leaders] or [0]
    per_c = Counter(cid for _, cid in keys)
    active_c = {c.counselor_id for c in problem.active_counselors}
    return PlanFigures(
        pairs=levels["pairs"],
        own_unit_pairs=levels["own_unit_pairs"],
        heads_covered=levels["heads_covered"],
        heads=sum(1 for ld in problem.active_leaders if ld.heads_teaching_unit),
        counselors_covered=sum(1 for c in active_c if per_c[c] > 0),
        counselors=len(active_c),
        load_min=min(loads),
        load_max=max(loads),
        second_leaders=sum(1 for c in active_c if per_c[c] > 1),
    )


@dataclass
class Verdict:
    """The independent validator's verdict on a (hand-edited) plan."""

    ok: bool
    lines: list[str]
    flagged: set[Key]
    note: str = ""


def verdict(problem: Problem, keys: Iterable[Key], lang: str = "zh") -> Verdict:
    """Run :func:`~planner.rules.validate.validate_plan` on ``keys``.

    ``flagged`` holds the pairs a pair rule (never, repeat, inactive, unknown) names;
    ``note`` says when valid second-leader pairs could be dropped (not the fewest pairs).
    """
    keys = list(dict.fromkeys(keys))
    violations = validate_plan(problem, keys, range(len(keys)))
    lines = [msg(lang, v.message_zh, v.message_en) for v in violations]
    flagged = {keys[v.row] for v in violations if v.row is not None}
    note = ""
    if not violations:
        spare = removable_pairs(problem, keys)
        if spare:
            note = msg(
                lang,
                f"提示:有 {len(spare)} 对第二联系领导可以去掉而不违反负荷(不是最少结对方案)。",
                f"note: {len(spare)} second-leader pair(s) could be dropped within the loads.",
            )
    return Verdict(not violations, lines, flagged, note)


# ----- hand edits ------------------------------------------------------------------------------
def _check_ids(problem: Problem, lid: str, cid: str) -> None:
    if lid not in problem.leader_by_id:
        raise UserError(f"名单中没有领导工号 {lid}", f"no leader has id {lid}")
    if cid not in problem.counselor_by_id:
        raise UserError(f"名单中没有辅导员工号 {cid}", f"no counselor has id {cid}")


def reassign(problem: Problem, keys: Sequence[Key], key: Key, new_leader: str) -> list[Key]:
    """Give the counselor of ``key`` to ``new_leader`` instead (the pair keeps its place)."""
    if key not in keys:
        raise UserError("当前方案中没有这对结对", "the plan has no such pair")
    cid = key[1]
    _check_ids(problem, new_leader, cid)
    new = (new_leader, cid)
    if new == key:
        return list(keys)
    if new in keys:
        raise UserError(
            f"{person_label(problem, new_leader)} 已联系 {person_label(problem, cid)}",
            f"{new_leader} already has {cid}",
        )
    return [new if k == key else k for k in keys]


def add_pair(problem: Problem, keys: Sequence[Key], lid: str, cid: str) -> list[Key]:
    """Add the pair ``(lid, cid)``."""
    _check_ids(problem, lid, cid)
    if (lid, cid) in keys:
        raise UserError("这对结对已在方案中", "the pair is already in the plan")
    return [*keys, (lid, cid)]


def remove_pair(keys: Sequence[Key], key: Key) -> list[Key]:
    """Drop the pair ``key``."""
    if key not in keys:
        raise UserError("当前方案中没有这对结对", "the plan has no such pair")
    return [k for k in keys if k != key]


# ----- solving outcomes ------------------------------------------------------------------------
def step_name(step: str, lang: str = "zh") -> str:
    """A solver step (``pairs``, ``moves+pairs+…``) in the office's words."""
    names = {lv.name: (lv.zh if lang == "zh" else lv.en) for lv in LEVELS}
    names[MOVES] = msg(lang, "变动最少", "fewest moves")
    names["flow"] = msg(lang, "网络流求最优", "min-cost flow")
    names["greedy"] = msg(lang, "逐周期规划", "greedy, cycle by cycle")
    names["bounds"] = msg(lang, "估算各周期上界", "bounding the cycles")
    names["lift"] = msg(lang, "由上界构造方案", "lifting the bound")
    names["joint"] = msg(lang, "多周期联合规划", "joint lookahead")
    return " + ".join(names.get(part, part) for part in step.split("+"))


def status_text(status: SolveStatus, seconds: float, lang: str = "zh") -> str:
    """One line about how a solve ended (the page shows it above the plan)."""
    if status == SolveStatus.OPTIMAL:
        return msg(
            lang,
            f"已得到最优方案(用时 {seconds:.2f} 秒),并已通过独立校验。",
            f"optimal plan found in {seconds:.2f} s, checked by the independent validator.",
        )
    return msg(
        lang,
        f"时限内未能证明最优,以下为可行方案(用时 {seconds:.2f} 秒),已通过独立校验。",
        f"time ran out before optimality was proven; feasible plan ({seconds:.2f} s), validated.",
    )


def finding_lines(findings: Iterable[Finding], lang: str = "zh") -> list[str]:
    """Why there is no plan, with the cheapest fixes (precheck / diagnosis findings)."""
    return [f.render(lang) for f in findings]


def levels_rows(levels: Mapping[str, int], lang: str = "zh") -> list[tuple[str, int]]:
    """(level name, value) in priority order, ``moves`` first when present."""
    out = []
    if MOVES in levels:
        out.append((step_name(MOVES, lang), levels[MOVES]))
    for lv in LEVELS:
        if lv.name in levels and lv.name != "tie_break":
            out.append((lv.zh if lang == "zh" else lv.en, levels[lv.name]))
    return out


# ----- what-if ---------------------------------------------------------------------------------
def make_change(
    name: str,
    *,
    leaders_leave: Iterable[str] = (),
    counselors_leave: Iterable[str] = (),
    leaders_join: Iterable[Mapping[str, Any]] = (),
    counselors_join: Iterable[Mapping[str, Any]] = (),
) -> Change:
    """A what-if option picked on the page (the same structure a change file gives)."""
    label = (name or "").strip() or "方案"
    return Change(
        source=f"{label}.toml",
        description=label,
        description_en=label,
        leaders_leave=tuple(dict.fromkeys(leaders_leave)),
        counselors_leave=tuple(dict.fromkeys(counselors_leave)),
        leaders_join=tuple(dict(r) for r in leaders_join),
        counselors_join=tuple(dict(r) for r in counselors_join),
    )


def default_repair_date(problem: Problem, today: date | None = None) -> date:
    """Today, or the cycle's start when the cycle has not begun (career guidance counts from it)."""
    today = today or date.today()
    start = problem.cycle_start or problem.stage_date
    return max(today, start)


def example_changes() -> dict[str, Path]:
    """The bundled what-if change files (``scenarios/changes/*.toml``) by option name."""
    try:
        folder = demo_data_dir().parent / "changes"
    except FileNotFoundError:
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.toml"))} if folder.is_dir() else {}


SIDE_COLUMNS = (
    ("counselor", "辅导员", "counselor"),
    ("unit", "单位", "unit"),
    ("old", "现行方案联系领导", "current leader(s)"),
    ("new", "调整后联系领导", "repaired leader(s)"),
    ("change", "变化", "change"),
)


def side_by_side(
    applied: Applied, old: Iterable[Key], new: Iterable[Key], lang: str = "zh"
) -> list[dict[str, str]]:
    """Per counselor: the current plan's leaders next to the repaired plan's, changes first."""
    p = applied.problem
    old_of: dict[str, list[str]] = defaultdict(list)
    new_of: dict[str, list[str]] = defaultdict(list)
    for lid, cid in old:
        old_of[cid].append(lid)
    for lid, cid in new:
        new_of[cid].append(lid)
    sep = "、" if lang == "zh" else ", "
    rows = []
    for cid in sorted(set(old_of) | set(new_of)):
        o = sorted(
            old_of.get(cid, []), key=lambda x: p.leader_rank(x) if x in p.leader_by_id else (9, 0)
        )
        n = sorted(
            new_of.get(cid, []), key=lambda x: p.leader_rank(x) if x in p.leader_by_id else (9, 0)
        )
        c = p.counselor_by_id.get(cid)
        if c is not None and not c.active:
            change = msg(lang, "辅导员离岗", "counselor left")
        elif not o:
            change = msg(lang, "新增", "added")
        elif set(o) == set(n):
            change = ""
        else:
            change = msg(lang, "调整", "changed")
        rows.append(
            {
                "counselor": person_label(p, cid),
                "unit": c.unit if c else "",
                "old": sep.join(person_label(p, x) for x in o),
                "new": sep.join(person_label(p, x) for x in n),
                "change": change,
            }
        )
    rows.sort(key=lambda r: r["change"] == "")
    return rows


def diff_table(
    applied: Applied, diff: Sequence[DiffRow], lang: str = "zh"
) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of ``diff.csv`` as the command line writes it."""
    head = [col_header(k, lang) for k in DIFF_COLUMNS]
    return head, diff_rows(applied.problem, diff, applied.problem.cycle, lang)


def repair_summary(
    applied: Applied, result: RepairResult, diff: Sequence[DiffRow], lang: str
) -> str:
    """The one-line summary of a repair, or why there is none."""
    if result.plan is None:
        if result.status == SolveStatus.UNKNOWN:
            return msg(lang, "时限内未找到调整方案,请延长时限。", "no plan within the time limit.")
        return msg(
            lang, "变更后无法满足全部规定:", "no plan satisfies the rules after the change: "
        ) + (";".join(finding_lines(result.findings, lang)))
    return summary_line(applied, diff, lang)


def compare_rows(
    options: Sequence[OptionResult], lang: str = "zh"
) -> tuple[list[str], list[list[object]]]:
    """(headers, rows) of the options side by side, as ``compare.xlsx`` has them."""
    summaries = [
        summary_line(o.applied, o.diff, lang) if o.feasible else o.reason(lang) for o in options
    ]
    return [col_header(k, lang) for k in COMPARE_COLUMNS], compare_table(options, summaries, lang)


# ----- rotation over cycles ----------------------------------------------------------------------
ROTATION_MAX_CYCLES = 5
"""Most cycles the page plans at once (the command line allows more)."""


def rotation_base(problem: Problem, cycles: int) -> list[str]:
    """Labels of the ``cycles`` cycles a rotation from ``problem`` plans (checked on the page).

    Raises
    ------
    UserError
        For a number of cycles outside 1-5 or a cycle label without years.
    """
    if not 1 <= cycles <= ROTATION_MAX_CYCLES:
        raise UserError(
            f"周期数应为 1-{ROTATION_MAX_CYCLES}", f"cycles must be 1-{ROTATION_MAX_CYCLES}"
        )
    try:
        return cycle_labels(problem.cycle, cycles)
    except ValueError as exc:
        raise UserError(
            f"周期“{problem.cycle}”中没有起止年份(如 2027-2030),无法推算后续周期;"
            "请在“① 数据”页填写联系周期后重新载入",
            f"the cycle '{problem.cycle}' has no years (like 2027-2030) to count on from",
        ) from exc


def run_rotation(
    problem: Problem,
    cycles: int,
    seed: int = 0,
    time_limit: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> RotationResult:
    """:func:`planner.pairing.rotation.rotate` from ``problem``'s cycle (what the job runs)."""
    from planner.pairing.rotation import rotate

    rotation_base(problem, cycles)
    return rotate(problem, cycles, seed=seed, time_limit=time_limit, progress=progress)


def rotation_note(res: RotationResult, lang: str = "zh") -> str:
    """How a rotation ended, in the words ``planner rotate`` prints and writes."""
    from planner.app.rotate import rotation_note as note_of

    return note_of(res, lang)


def rotation_table(res: RotationResult, lang: str = "zh") -> tuple[list[str], list[list[object]]]:
    """(headers, rows) of ``rotation-summary.csv``: per cycle, lookahead and greedy side by side.

    One row per cycle plus the totals row (合计); greedy's cells are empty from the
    cycle it found no plan for.
    """
    joint = [cp.levels for cp in res.joint or []]
    greedy = [cp.levels for cp in res.greedy]
    return rotation_header(lang), rotation_rows(res.labels, joint, greedy, lang)


def rotation_pairs(
    res: RotationResult, index: int, lang: str = "zh", which: str = "joint"
) -> list[dict[str, str]]:
    """The pairing table of planned cycle ``index`` (0-based) of the kept or greedy plan."""
    plans = (res.joint or []) if which == "joint" else res.greedy
    if not 0 <= index < len(plans):
        raise UserError("该周期没有方案", "no plan for that cycle")
    cp = plans[index]
    return pair_table(cp.problem, cp.plan.keys(), lang)


def rotation_summary_bytes(res: RotationResult, lang: str = "zh") -> bytes:
    """``rotation-summary.xlsx`` as ``planner rotate`` writes it."""
    if res.joint is None:
        raise UserError("还没有多周期轮换方案", "no rotation plan yet")
    joint = [cp.levels for cp in res.joint]
    greedy = [cp.levels for cp in res.greedy]
    note = rotation_note(res, lang)
    with tempfile.TemporaryDirectory(prefix="planner-web-") as tmp:
        root = Path(tmp)
        xlsx = root / "rotation-summary.xlsx"
        write_rotation_summary(
            root / "rotation-summary.csv", xlsx, res.labels, joint, greedy, note, lang
        )
        return xlsx.read_bytes()


# ----- calendar and status -----------------------------------------------------------------------
def calendar_config(data: DataSet, problem: Problem) -> CalendarConfig:
    """The academic calendar of DATA for ``problem``'s cycle (raises InputError)."""
    return calendar_of(data, problem)


def schedule_months(schedule: Schedule) -> list[str]:
    """``YYYY-MM`` of every month of the cycle."""
    out = []
    d = date(schedule.cycle_start.year, schedule.cycle_start.month, 1)
    while d <= schedule.cycle_end:
        out.append(f"{d.year:04d}-{d.month:02d}")
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def _in_month(item: ScheduleItem, first: date, last: date) -> bool:
    if item.date is not None:
        return first <= item.date <= last
    return item.window_start <= last and item.window_end >= first


def _month_bounds(month: str) -> tuple[date, date]:
    y, m = (int(x) for x in month.split("-"))
    return date(y, m, 1), date(y, m, _calendar.monthrange(y, m)[1])


def leader_items(items: Iterable[ScheduleItem], leader_id: str | None) -> list[ScheduleItem]:
    """A leader's pair items plus the group items (exchange, summary); all with None."""
    if not leader_id:
        return list(items)
    return [it for it in items if it.leader_id == leader_id or not it.counselor_id]


def calendar_rows(
    problem: Problem,
    schedule: Schedule,
    leader_id: str | None = None,
    month: str | None = None,
    lang: str = "zh",
) -> tuple[list[str], list[dict[str, str]]]:
    """(headers, rows) of the schedule for one leader (or all) and one month (or all).

    Rows are :func:`~planner.io.schedule_files.schedule_rows` keyed by
    :data:`~planner.io.schedule_files.SCHEDULE_COLUMNS`; an unmet item is listed in
    every month its window touches.
    """
    items = leader_items(schedule.items, leader_id)
    if month:
        first, last = _month_bounds(month)
        items = [it for it in items if _in_month(it, first, last)]
    head = [SCHEDULE_HEADERS_ZH[k] if lang == "zh" else k for k in SCHEDULE_COLUMNS]
    return head, schedule_rows(problem, items, lang)


@dataclass
class DayCell:
    """One day of the month view."""

    day: date | None
    entries: list[str] = field(default_factory=list)
    workday: bool = True


def month_grid(
    problem: Problem,
    schedule: Schedule,
    month: str,
    leader_id: str | None = None,
    lang: str = "zh",
    is_working: Callable[[date], bool] | None = None,
) -> list[list[DayCell]]:
    """Weeks (Monday first) of ``month`` with each planned item's short label on its day.

    ``is_working`` marks days off (the calendar's working-day provider: holidays and 调休
    included); without it, weekends are the days off.
    """
    working = is_working or (lambda d: d.weekday() < 5)
    first, last = _month_bounds(month)
    by_day: dict[date, list[str]] = defaultdict(list)
    for it in leader_items(schedule.items, leader_id):
        if it.status is Status.PLANNED and it.date is not None and first <= it.date <= last:
            form = it.form.zh if lang == "zh" else it.form.value
            who = (
                person_label(problem, it.counselor_id)
                if it.counselor_id
                else msg(lang, "全体领导", "all leaders")
            )
            if not leader_id and it.counselor_id:
                who = (
                    f"{problem.leader_by_id[it.leader_id].name}→{who}"
                    if it.leader_id in problem.leader_by_id
                    else who
                )
            by_day[it.date].append(f"{form} {who}")
    weeks: list[list[DayCell]] = []
    week: list[DayCell] = [DayCell(None) for _ in range(first.weekday())]
    d = first
    while d <= last:
        week.append(DayCell(d, sorted(by_day.get(d, [])), working(d)))
        if len(week) == 7:
            weeks.append(week)
            week = []
        d += timedelta(days=1)
    if week:
        week += [DayCell(None) for _ in range(7 - len(week))]
        weeks.append(week)
    return weeks


def plan_in_force(
    problem: Problem, keys: Iterable[Key], calendar_start: date | None = None
) -> PlanInForce:
    """The current plan as the status check and the annual report take it."""
    start, end, years = cycle_bounds(problem.cycle, problem, calendar_start)
    return PlanInForce(
        cycle=problem.cycle,
        pairs=tuple(dict.fromkeys(keys)),
        start=start,
        end=end,
        source=msg("zh", "网页当前方案", "current plan"),
        years=years,
    )


def default_as_of(schedule: Schedule, today: date | None = None) -> date:
    """Today, kept inside the cycle (a cycle not yet started is checked at its start)."""
    today = today or date.today()
    return min(max(today, schedule.cycle_start), schedule.cycle_end)


def status_report(
    data: DataSet,
    problem: Problem,
    keys: Iterable[Key],
    schedule: Schedule,
    as_of: date,
    horizon: int = 30,
) -> StatusReport:
    """What is done, overdue and due as of ``as_of`` (the ``planner status`` figures)."""
    plan = plan_in_force(problem, keys, schedule.cycle_start)
    matched = match_records(data, problem, [plan])
    return compute_status(
        problem, plan, tracked_items(schedule.items), matched, as_of, horizon=horizon
    )


# ----- downloads --------------------------------------------------------------------------------
def _built(write: Any, name: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="planner-web-") as tmp:
        path = Path(tmp) / name
        write(path)
        return path.read_bytes()


def plan_csv_bytes(problem: Problem, keys: Iterable[Key], lang: str = "zh") -> bytes:
    """``plan.csv`` of the current plan, byte for byte what ``planner assign`` writes."""
    return _plan_csv(problem, make_plan(problem, keys), lang)


def plan_xlsx_bytes(problem: Problem, keys: Iterable[Key], lang: str = "zh") -> bytes:
    """``plan.xlsx`` (printable 联系对应表, loads, details) of the current plan."""
    return _plan_xlsx(problem, make_plan(problem, keys), lang)


def diff_csv_bytes(applied: Applied, diff: Sequence[DiffRow], lang: str = "zh") -> bytes:
    """``diff.csv`` of a repair."""
    return _built(
        lambda p: write_diff_csv(p, applied.problem, diff, applied.problem.cycle, lang),
        "diff.csv",
    )


def schedule_xlsx_bytes(problem: Problem, schedule: Schedule, lang: str = "zh") -> bytes:
    """``schedule.xlsx``: 总表, 月历 and one sheet per leader."""
    return _built(
        lambda p: write_schedule_xlsx(
            p, problem, schedule.items, schedule.cycle_start, schedule.cycle_end, lang
        ),
        "schedule.xlsx",
    )


def ics_zip_bytes(problem: Problem, schedule: Schedule, lang: str = "zh") -> bytes:
    """A zip of ``schedule.ics`` and ``ics/领导-<id>.ics`` / ``ics/辅导员-<id>.ics``."""
    with tempfile.TemporaryDirectory(prefix="planner-web-") as tmp:
        root = Path(tmp)
        files = write_ics_files(root, problem, schedule.items, schedule.cycle_start, lang)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(files):
                info = zipfile.ZipInfo(f.relative_to(root).as_posix(), (1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.flag_bits |= 0x800  # UTF-8 names (领导-L001.ics)
                zf.writestr(info, f.read_bytes())
        return buf.getvalue()


def report_years(problem: Problem, calendar_start: date | None = None) -> list[int]:
    """Years the current cycle touches (the 年度汇总表 can be made for each)."""
    start, end, _ = cycle_bounds(problem.cycle, problem, calendar_start)
    return list(range(start.year, end.year + 1))


def annual_report_bytes(
    data: DataSet,
    problem: Problem,
    keys: Iterable[Key],
    year: int,
    schedule: Schedule | None = None,
    lang: str = "zh",
    data_dir: Path | None = None,
) -> tuple[str, bytes]:
    """(file name, bytes) of ``年度汇总表-Y.xlsx`` for the current plan."""
    ds = replace(data, problem=problem)
    cal_start = schedule.cycle_start if schedule else None
    plan = plan_in_force(problem, keys, cal_start)
    name = report_file_names(year)["xlsx"]
    rep = annual_report(
        ds,
        [plan],
        year,
        schedule=schedule.items if schedule else None,
        data_dir=data_dir if data_dir and data_dir.is_dir() else None,
    )
    with tempfile.TemporaryDirectory(prefix="planner-web-") as tmp:
        out = Path(tmp) / "out"
        write_report(out, rep, ds, lang, documents=False)
        return name, (out / name).read_bytes()


def template_bytes(lang: str = "zh") -> bytes:
    """The empty workbook to fill in (``planner init``)."""
    from planner.io.template import write_template

    return _built(lambda p: write_template(p, lang), "template.xlsx")


def remove_tree(path: Path) -> None:
    """Delete a temporary folder of the page (uploads), ignoring what is already gone."""
    shutil.rmtree(path, ignore_errors=True)


# ----- the page's state ---------------------------------------------------------------------------
@dataclass
class Workspace:
    """Everything the page holds for the office: data, current plan, what-if, schedule.

    One workspace per server (the page serves one office PC), so reloading the page
    keeps the work. ``version`` grows on every change; pages redraw when it moves.

    Attributes
    ----------
    data
        The data set read (None before a successful load).
    problem
        The problem the current plan is made for: the data's, or the what-if's after a
        repair was adopted (leavers inactive, joiners added).
    keys
        The current plan's pairs, in order (hand edits change them).
    solver_keys
        The pairs as the solver (or the adopted repair, or the uploaded plan) gave them.
    origin
        Where ``solver_keys`` came from: ``solver``, ``repair`` or ``upload``.
    """

    lang: str = "zh"
    tmp: Path | None = None
    version: int = 0
    data: DataSet | None = None
    data_path: Path | None = None
    source: str = ""
    problems: list[InputProblem] = field(default_factory=list)
    problem: Problem | None = None
    keys: list[Key] = field(default_factory=list)
    solver_keys: list[Key] = field(default_factory=list)
    origin: str = ""
    status_line: str = ""
    findings: list[str] = field(default_factory=list)
    seed: int = 0
    applied: Applied | None = None
    repair_old: list[Key] = field(default_factory=list)
    repair_result: RepairResult | None = None
    diff: list[DiffRow] = field(default_factory=list)
    repair_date: date | None = None
    pair_starts: dict[Key, date] = field(default_factory=dict)
    options: list[Change] = field(default_factory=list)
    compared: list[OptionResult] | None = None
    rotation: RotationResult | None = None
    schedule: Schedule | None = None
    schedule_keys: list[Key] = field(default_factory=list)
    calendar: CalendarConfig | None = None
    job: Any = None
    job_error: Any = None
    message: str = ""
    form: dict[str, Any] = field(default_factory=dict)
    _uploads: int = 0

    def touch(self) -> None:
        self.version += 1

    @property
    def has_plan(self) -> bool:
        return self.problem is not None and bool(self.keys)

    @property
    def edited(self) -> bool:
        return self.keys != self.solver_keys

    @property
    def schedule_stale(self) -> bool:
        """The schedule was built for other pairs than the current plan's."""
        return self.schedule is not None and set(self.schedule_keys) != set(self.keys)

    def upload_dir(self) -> Path:
        """A fresh folder for one upload (under a temporary folder made on first use)."""
        if self.tmp is None:
            self.tmp = Path(tempfile.mkdtemp(prefix="planner-web-"))
        self._uploads += 1
        return self.tmp / f"upload-{self._uploads}"

    def close(self) -> None:
        """Cancel a running job and delete the uploads (the server is stopping)."""
        self.cancel()
        if self.tmp is not None:
            remove_tree(self.tmp)
            self.tmp = None

    # -- data ----------------------------------------------------------------------------------
    def load(self, path: Path, source: str, cycle: str | None = None) -> Loaded:
        """Read DATA; on success the previous plan, what-if and schedule are dropped."""
        return self.accept(load_data(path, cycle), path, source)

    def accept(self, got: Loaded, path: Path, source: str) -> Loaded:
        """Take what :func:`load_data` read (the page reads off the event loop, then accepts)."""
        self.problems = list(got.problems)
        if got.data is not None:
            self.data = got.data
            self.data_path = path
            self.source = source
            self.problem = got.data.problem
            self._reset_plan()
            self.reset_form()
        self.touch()
        return got

    FORM_KEEP = (
        "cycle",
        "seed",
        "time_limit",
        "wi_limit",
        "view",
        "horizon",
        "rot_cycles",
        "rot_limit",
    )

    def reset_form(self) -> None:
        """Forget the picks that name people (new rosters); keep the settings typed."""
        self.form = {k: v for k, v in self.form.items() if k in self.FORM_KEEP}

    def _reset_plan(self) -> None:
        self.keys, self.solver_keys, self.origin = [], [], ""
        self.status_line, self.findings = "", []
        self.applied, self.repair_result, self.diff, self.repair_old = None, None, [], []
        self.pair_starts = {}
        self.options, self.compared = [], None
        self.schedule, self.schedule_keys = None, []
        self.rotation = None

    def set_plan(self, keys: Iterable[Key], origin: str, status_line: str = "") -> None:
        """Make ``keys`` the current (unedited) plan."""
        self.keys = list(dict.fromkeys(keys))
        self.solver_keys = list(self.keys)
        self.origin = origin
        self.status_line = status_line
        self.findings = []
        self.applied, self.repair_result, self.diff, self.repair_old = None, None, [], []
        self.compared = None
        self.touch()

    def edit(self, keys: Iterable[Key]) -> None:
        self.keys = list(keys)
        self.touch()

    def undo_edits(self) -> None:
        self.keys = list(self.solver_keys)
        self.touch()

    # -- jobs ------------------------------------------------------------------------------------
    def start(self, kind: str, *args: Any) -> None:
        """Start a job (one at a time)."""
        from planner.web.jobs import Job

        if self.job is not None and self.job.running:
            raise UserError(
                "已有计算在进行中,请等待完成或先取消", "a computation is already running"
            )
        self.job_error = None
        self.job = Job(kind, *args)
        self.touch()

    def start_assign(self, seed: int, time_limit: float) -> None:
        if self.data is None:
            raise UserError("请先载入数据", "load data first")
        self.seed = seed
        data = replace(self.data, problem=self.data.problem)
        self.start("assign", data, seed, time_limit)

    def start_repair(self, change: Change, seed: int, time_limit: float, when: date) -> None:
        """Apply ``change`` to the current problem (errors at once) and repair in a job."""
        from planner.scenarios import apply_change

        if self.problem is None or not self.keys:
            raise UserError("请先生成或上传联系对应表", "make or upload a plan first")
        if change.is_empty():
            raise UserError("请先选择离岗或新到岗人员", "pick leavers or joiners first")
        applied = apply_change(self.problem, change)
        self.applied = applied
        self.repair_old = list(self.keys)
        self.repair_result, self.diff = None, []
        self.repair_date = when
        self.start("repair", applied, list(self.keys), seed, time_limit)

    def start_compare(self, seed: int, time_limit: float) -> None:
        if self.problem is None or not self.keys:
            raise UserError("请先生成或上传联系对应表", "make or upload a plan first")
        if not self.options:
            raise UserError("对比列表是空的,请先加入方案", "add options to compare first")
        self.compared = None
        self.start(
            "compare",
            self.problem,
            list(self.keys),
            list(self.options),
            seed,
            time_limit,
            self.lang,
        )

    def start_rotation(self, cycles: int, seed: int, time_limit: float) -> None:
        """Plan ``cycles`` cycles from the current rosters (the data's, or an adopted what-if's)."""
        problem = self.problem
        if self.data is None or problem is None:
            raise UserError("请先载入数据", "load data first")
        rotation_base(problem, cycles)  # bad input is a message now, not a failed job
        self.rotation = None
        self.start("rotate", problem, cycles, seed, time_limit)

    def start_schedule(self) -> None:
        if self.data is None or self.problem is None or not self.keys:
            raise UserError("请先生成或上传联系对应表", "make or upload a plan first")
        config = calendar_config(self.data, self.problem)
        self.calendar = config
        plan = make_plan(self.problem, self.keys)
        starts = {k: d for k, d in self.pair_starts.items() if k in set(self.keys)}
        self.schedule_keys = list(self.keys)
        self.start(
            "schedule",
            self.problem,
            plan,
            config,
            self.data.tables.get("unavailable", ()),
            self.data.tables.get("events", ()),
            starts or None,
            self.seed,
        )

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.message = msg(self.lang, "已取消计算。", "computation cancelled.")
            self.job = None
            self.touch()

    def poll(self) -> bool:
        """Collect the running job's messages; apply its result once it ends.

        Returns True when something changed that the page should redraw.
        """
        job = self.job
        if job is None:
            return False
        if not job.poll():
            return False
        self.job = None
        if job.state == "done":
            self._apply(job.kind, job.result)
        elif job.state == "error":
            self.job_error = job.error
        self.touch()
        return True

    def _apply(self, kind: str, result: Any) -> None:
        lang = self.lang
        if kind == "assign":
            out = result
            if out.plan is None:
                self._reset_plan()
                self.findings = finding_lines(out.findings, lang) or [
                    msg(lang, "时限内未找到方案,请延长时限。", "no plan within the time limit.")
                ]
                self.status_line = msg(
                    lang,
                    "无法生成满足全部规定的联系对应表:",
                    "no plan satisfies the hard rules:",
                )
                return
            assert self.data is not None
            self.problem = self.data.problem
            self._reset_plan()
            keys = [p.key for p in out.plan.pairs]
            secs = out.result.seconds if out.result is not None else 0.0
            self.set_plan(keys, "solver", status_text(out.status, secs, lang))
        elif kind == "repair":
            res: RepairResult = result
            self.repair_result = res
            if res.plan is not None and self.applied is not None:
                from planner.scenarios import diff_plans

                self.diff = diff_plans(self.applied, self.repair_old, res.plan.keys(), lang)
        elif kind == "compare":
            self.compared = list(result)
        elif kind == "schedule":
            self.schedule = result
        elif kind == "rotate":
            self.rotation = result

    def adopt_repair(self) -> None:
        """Make the repaired plan the current one (the what-if's rosters become current)."""
        from planner.scenarios import plan_start_dates

        res, applied = self.repair_result, self.applied
        if res is None or res.plan is None or applied is None:
            raise UserError("还没有可采用的调整方案", "no repaired plan to adopt")
        when = self.repair_date or date.today()
        starts = {(a, b): d for a, b, d in plan_start_dates(self.diff, when)}
        self.problem = applied.problem
        line = repair_summary(applied, res, self.diff, self.lang)
        self.set_plan([p.key for p in res.plan.pairs], "repair", line)
        self.pair_starts.update(starts)
        self.schedule, self.schedule_keys = None, []
        self.rotation = None  # planned for the rosters before the change
        for k in ("leavers", "c_leavers", "joins_l", "joins_c", "edit_pair", "edit_leader"):
            self.form.pop(k, None)
