"""The steps every command shares: read → precheck → solve → validate → write.

Kept apart from the CLI so the web page and notebooks run exactly the same
pipeline. Functions return results; only the CLI turns them into exit codes.
"""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import Plan, Problem, SolveStatus
from planner import __version__
from planner.errors import Note
from planner.io.plan_files import (
    sha256_of,
    write_plan_csv,
    write_plan_json,
    write_plan_xlsx,
)
from planner.io.read import DataSet
from planner.io.write import staged_output, write_json
from planner.pairing import LEVELS, PairingResult, solve_pairing
from planner.rules.precheck import Finding, diagnose, precheck
from planner.rules.validate import Violation, check_solution, validate_plan


@dataclass
class AssignOutcome:
    """What ``assign`` produced: a plan, or the reasons there is none."""

    status: SolveStatus
    plan: Plan | None
    result: PairingResult | None
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def assign(
    data: DataSet, *, seed: int = 0, time_limit: float = 60.0, progress: Any = None
) -> AssignOutcome:
    """Precheck then solve the pairing of ``data``; the plan is validated independently."""
    problem = data.problem
    findings = precheck(problem)
    if findings:
        return AssignOutcome(SolveStatus.INFEASIBLE, None, None, findings, list(data.notes))
    result = solve_pairing(problem, seed=seed, time_limit=time_limit, progress=progress)
    if result.plan is not None:
        check_solution(problem, result.plan, seed)
    if result.status == SolveStatus.INFEASIBLE:
        findings = diagnose(problem)
    return AssignOutcome(result.status, result.plan, result, findings, list(data.notes))


def run_record(
    data: DataSet, outcome: AssignOutcome, seed: int, time_limit: float
) -> dict[str, Any]:
    """The machine-readable record of a run (``plan.json``)."""
    from importlib.metadata import version

    ortools_version = version("ortools")

    problem = data.problem
    res = outcome.result
    return {
        "cycle": problem.cycle,
        "status": outcome.status.value,
        "objective": {
            lv.name: {
                "value": (res.levels.get(lv.name) if res else None),
                "sense": lv.sense,
                "zh": lv.zh,
            }
            for lv in LEVELS
        },
        "counts": {
            "leaders_active": len(problem.active_leaders),
            "counselors_active": len(problem.active_counselors),
            "pairs": len(outcome.plan.pairs) if outcome.plan else 0,
        },
        "optimality": {
            "proof": res.proof if res else None,
            "candidate_pairs": res.candidates if res else None,
            "hub_bound_levels_1_3": res.bound if res else None,
        },
        "seed": seed,
        "time_limit_s": time_limit,
        "solve_seconds": round(res.seconds, 4) if res else None,
        "level_seconds": {k: round(v, 4) for k, v in (res.level_seconds if res else {}).items()},
        "settings": problem.settings.model_dump(),
        "history_policy": {
            "no_repeat_cycles": problem.settings.no_repeat_cycles,
            "earlier_cycles": list(problem.earlier_cycles),
            "forbidden_repeat_pairs": len(problem.forbidden_repeats),
        },
        "inputs": {
            name: {"file": str(path), "sha256": sha256_of(path)}
            for name, path in sorted(data.sources.items())
            if path.is_file()
        },
        "notes": [n.message_zh for n in outcome.notes],
        "versions": {
            "counselor-planner": __version__,
            "ortools": ortools_version,
            "python": platform.python_version(),
        },
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
    }


def write_assign_outputs(
    out: Path, data: DataSet, outcome: AssignOutcome, *, seed: int, time_limit: float, lang: str
) -> list[Path]:
    """Write plan.csv/xlsx/json atomically; returns the written paths."""
    assert outcome.plan is not None
    with staged_output(out) as stage:
        write_plan_csv(stage / "plan.csv", data.problem, outcome.plan, lang)
        write_plan_xlsx(stage / "plan.xlsx", data.problem, outcome.plan, lang)
        write_plan_json(stage / "plan.json", run_record(data, outcome, seed, time_limit))
    return [out / "plan.csv", out / "plan.xlsx", out / "plan.json"]


def write_diagnosis(out: Path, data: DataSet, outcome: AssignOutcome) -> Path:
    """On exit 3: ``diagnosis.json`` with every finding and its fixes."""
    with staged_output(out) as stage:
        write_json(
            stage / "diagnosis.json",
            {
                "cycle": data.problem.cycle,
                "status": outcome.status.value,
                "findings": [f.to_json() for f in outcome.findings],
            },
        )
    return out / "diagnosis.json"


def validate_plan_file(problem: Problem, pairs: list[tuple[str, str, int]]) -> list[Violation]:
    """Validate pairs read from a plan file (with their spreadsheet rows)."""
    return validate_plan(problem, [(a, b) for a, b, _ in pairs], [r for _, _, r in pairs])
