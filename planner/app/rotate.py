"""Use case ``rotate``: plan the next N cycles jointly (look ahead) beside cycle by cycle.

Each cycle of the result obeys the repeat rule against the cycles before it (planned ones
included) and is checked by the independent validator inside
:func:`planner.pairing.rotation.rotate`. Writing is a separate step (:func:`write_rotation`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models import Problem, SolveStatus
from planner.app.plans import write_plan_files
from planner.app.planview import pair_table
from planner.app.runrecord import run_record
from planner.errors import UserError
from planner.i18n import msg
from planner.io.change_files import rotation_header, rotation_rows, write_rotation_summary
from planner.io.read import DataSet
from planner.io.write import built_bytes, staged_output, write_json
from planner.pairing import LEVELS
from planner.pairing.rotation import (
    REPORT_LEVELS,
    CyclePlan,
    RotationResult,
    cycle_labels,
    rotation_verdict,
)
from planner.pairing.rotation import rotate as rotate_cycles
from planner.values import solver_seed

__all__ = [
    "REPORT_LEVELS",
    "CyclePlan",
    "RotationOutcome",
    "RotationResult",
    "cycle_labels",
    "folder_name",
    "rotate",
    "rotation_labels",
    "rotation_note",
    "rotation_pairs",
    "rotation_summary_bytes",
    "rotation_table",
    "write_rotation",
]

_SHORT = {
    "pairs": ("结对", "pairs"),
    "own_unit_pairs": ("本单位结对", "own-unit"),
    "heads_covered": ("负责人覆盖", "heads"),
    "older_repeats": ("较早重复", "older repeats"),
}


def short_level_name(name: str, lang: str) -> str:
    """A level's short column name (结对, 本单位结对, …)."""
    zh, en = _SHORT.get(name, (name, name))
    return zh if lang == "zh" else en


def _level_name(name: str, lang: str) -> str:
    for lv in LEVELS:
        if lv.name == name:
            return lv.zh if lang == "zh" else lv.en
    return name


@dataclass
class RotationOutcome:
    """A rotation and its one-paragraph verdict for the office."""

    result: RotationResult
    note: str

    @property
    def ok(self) -> bool:
        return self.result.joint is not None


def rotation_labels(problem: Problem, cycles: int, most: int | None = None) -> list[str]:
    """Labels of the ``cycles`` cycles a rotation from ``problem``'s cycle plans.

    Raises
    ------
    UserError
        For fewer than one cycle, more than ``most``, or a cycle label without years
        (nothing to count on from).
    """
    if cycles < 1 or (most is not None and cycles > most):
        top = most if most is not None else "N"
        raise UserError(f"周期数应为 1-{top}", f"cycles must be 1-{top}")
    try:
        return cycle_labels(problem.cycle, cycles)
    except ValueError as exc:
        raise UserError(
            f"周期“{problem.cycle}”中没有起止年份(如 2027-2030),无法推算后续周期;"
            "请填写联系周期后重新载入数据",
            f"the cycle '{problem.cycle}' has no years (like 2027-2030) to count on from",
        ) from exc


def rotate(
    problem: Problem,
    cycles: int,
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    lang: str = "zh",
    progress: Callable[[str], None] | None = None,
) -> RotationOutcome:
    """Plan ``cycles`` cycles from ``problem``'s cycle.

    Raises
    ------
    ValueError
        When the cycle label has no years to count on from.
    """
    cycle_labels(problem.cycle, cycles)  # a label without years fails before any solve
    res = rotate_cycles(
        problem, cycles, seed=solver_seed(seed), time_limit=time_limit, progress=progress
    )
    return RotationOutcome(res, rotation_note(res, lang))


def rotation_note(res: RotationResult, lang: str) -> str:
    """How the joint plan compares with planning cycle by cycle, in the office's words:
    equal, better (and by what), or not proven (with the proven gap); or why there is none."""
    if res.joint is None and res.status == SolveStatus.INFEASIBLE:
        n = len(res.labels)
        return msg(
            lang,
            f"无法在 {n} 个周期内都满足全部规定:",
            f"no {n}-cycle plan satisfies the hard rules: ",
        ) + ";".join(f.render(lang) for f in res.findings)
    if res.joint is None:
        return msg(lang, "时限内未找到方案,请延长时限。", "no plan within the time limit.")
    return rotation_verdict(res, lang)


def folder_name(label: str) -> str:
    """A cycle label as a folder name (labels are ``2027-2030``; anything odd becomes ``_``)."""
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", label) or "cycle"


def rotation_record(
    data: DataSet, res: RotationResult, seed: int, time_limit: float
) -> dict[str, Any]:
    """The record of a rotation run (``rotation.json``)."""
    body = {
        "cycles": list(res.labels),
        "kept": "greedy" if res.used_greedy else "lookahead",
        "proof": res.proof,
        "bounds": res.bounds,
        "greedy_failed_at": (
            res.labels[res.greedy_failed_at] if res.greedy_failed_at is not None else None
        ),
        "lookahead": {cp.label: cp.levels for cp in res.joint or []},
        "greedy": {cp.label: cp.levels for cp in res.greedy},
        "totals": {"lookahead": res.totals("joint"), "greedy": res.totals("greedy")},
        "seconds": {
            "greedy": round(res.greedy_seconds, 4),
            "lookahead": round(res.joint_seconds, 4),
        },
    }
    return run_record(
        problem=data.problem,
        status=res.status.value,
        seed=seed,
        time_limit=time_limit,
        sources=data.sources,
        body=body,
    )


def write_rotation(
    out: Path, data: DataSet, outcome: RotationOutcome, *, seed: int, time_limit: float, lang: str
) -> list[Path]:
    """Write ``OUT/<label>/plan.csv`` (+ xlsx) per cycle, the summary and ``rotation.json``."""
    res = outcome.result
    if res.joint is None:
        raise ValueError("write_rotation needs a plan for every cycle")
    written: list[Path] = []
    with staged_output(out, "rotation", supersedes=("diagnosis",)) as stage:
        for cp in res.joint:
            folder = stage / folder_name(cp.label)
            folder.mkdir(parents=True, exist_ok=True)
            write_plan_files(folder, cp.problem, cp.plan, lang)
            written += [out / folder.name / "plan.csv", out / folder.name / "plan.xlsx"]
        write_rotation_summary(
            stage / "rotation-summary.csv",
            stage / "rotation-summary.xlsx",
            res.labels,
            [cp.levels for cp in res.joint],
            [cp.levels for cp in res.greedy],
            outcome.note,
            lang,
            college=data.problem.settings.college,
        )
        write_json(stage / "rotation.json", rotation_record(data, res, seed, time_limit))
    written += [out / n for n in ("rotation-summary.csv", "rotation-summary.xlsx")]
    written.append(out / "rotation.json")
    return written


def rotation_table(res: RotationResult, lang: str = "zh") -> tuple[list[str], list[list[object]]]:
    """(headers, rows) of ``rotation-summary.csv``: per cycle, lookahead and greedy side by side."""
    joint = [cp.levels for cp in res.joint or []]
    greedy = [cp.levels for cp in res.greedy]
    return rotation_header(lang), rotation_rows(res.labels, joint, greedy, lang)


def rotation_summary_bytes(outcome: RotationOutcome, lang: str = "zh") -> bytes:
    """``rotation-summary.xlsx`` as ``planner rotate`` writes it."""
    res = outcome.result
    joint = [cp.levels for cp in res.joint or []]
    greedy = [cp.levels for cp in res.greedy]

    def write(path: Path) -> None:
        write_rotation_summary(
            path.with_suffix(".csv"), path, res.labels, joint, greedy, outcome.note, lang
        )

    return built_bytes(write, "rotation-summary.xlsx")


def rotation_pairs(
    outcome: RotationOutcome, index: int, lang: str = "zh", which: str = "joint"
) -> list[dict[str, str]]:
    """The pairing table of planned cycle ``index`` (0-based) of the lookahead or greedy plans.

    Raises
    ------
    UserError
        When that cycle has no plan (greedy may stop early).
    """
    res = outcome.result
    plans = (res.joint or []) if which == "joint" else res.greedy
    if not 0 <= index < len(plans):
        raise UserError("该周期没有方案", "no plan for that cycle")
    cp = plans[index]
    return pair_table(cp.problem, cp.plan.keys(), lang)
