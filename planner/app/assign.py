"""Use case ``assign``: read → precheck → solve → independent validation → result; writing apart.

Functions return results; only the front ends turn them into exit codes or messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import Plan, Problem, SolveStatus
from planner.app.plans import write_plan_files
from planner.app.runrecord import run_record
from planner.errors import Note
from planner.io.read import DataSet
from planner.io.write import staged_output, write_json
from planner.pairing import LEVELS, PairingResult, solve_pairing
from planner.rules.precheck import Finding, diagnose, precheck
from planner.rules.validate import Violation, check_solution, validate_plan
from planner.values import solver_seed

# Result names in OUT's manifest (planner.io.write): ``assign`` and ``whatif`` both write the
# plan, so a later one replaces the other's files -- a diff.csv or pair_starts.csv of a plan
# that is no longer there goes with it. A plan supersedes an earlier run's diagnosis.
PLAN_RESULT = "plan"
DIAGNOSIS_RESULT = "diagnosis"

__all__ = [
    "DIAGNOSIS_RESULT",
    "LEVELS",
    "PLAN_RESULT",
    "AssignOutcome",
    "Finding",
    "assign",
    "assign_record",
    "level_label",
    "validate_plan_rows",
    "write_assign",
    "write_diagnosis",
]


@dataclass
class AssignOutcome:
    """What ``assign`` produced: a plan, or the reasons there is none.

    Attributes
    ----------
    status
        OPTIMAL / FEASIBLE (a plan), INFEASIBLE (``findings`` say why) or UNKNOWN (the time
        limit ran out before any plan was found).
    plan
        The plan, checked by the independent validator; None without one.
    result
        The solver's result (levels, timings, proof), None when the precheck already failed.
    findings
        Why there is no plan, each with the cheapest fixes.
    notes
        The DATA's notes (warnings that did not stop the run).
    """

    status: SolveStatus
    plan: Plan | None
    result: PairingResult | None
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """Solve time (0 when the precheck stopped the run)."""
        return self.result.seconds if self.result else 0.0


def assign(
    data: DataSet,
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> AssignOutcome:
    """Precheck then solve the pairing of ``data``; the plan is validated independently.

    Raises
    ------
    SolverBug
        When the independent validator disagrees with the solver (a bug, never the user's).
    """
    problem = data.problem
    findings = precheck(problem)
    if findings:
        return AssignOutcome(SolveStatus.INFEASIBLE, None, None, findings, list(data.notes))
    seed = solver_seed(seed)  # any whole number is a seed; CP-SAT takes 32 bits
    result = solve_pairing(problem, seed=seed, time_limit=time_limit, progress=progress)
    if result.plan is not None:
        check_solution(problem, result.plan, seed)
    if result.status == SolveStatus.INFEASIBLE:
        findings = diagnose(problem)
    return AssignOutcome(result.status, result.plan, result, findings, list(data.notes))


def level_label(name: str, lang: str = "zh") -> str:
    """The office's name of an objective level (``pairs`` → 结对总数最少, …)."""
    for lv in LEVELS:
        if lv.name == name:
            return lv.zh if lang == "zh" else lv.en
    return name


def assign_record(
    data: DataSet, outcome: AssignOutcome, seed: int, time_limit: float
) -> dict[str, Any]:
    """The record of an ``assign`` run (``plan.json``)."""
    problem = data.problem
    res = outcome.result
    body = {
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
            "pool_bound": res.bound if res else None,
            "proven_levels": list(res.proven) if res else [],
        },
        "solve_seconds": round(res.seconds, 4) if res else None,
        "level_seconds": {k: round(v, 4) for k, v in (res.level_seconds if res else {}).items()},
        "history_policy": {
            "no_repeat_cycles": problem.settings.no_repeat_cycles,
            "earlier_cycles": list(problem.earlier_cycles),
            "forbidden_repeat_pairs": len(problem.forbidden_repeats),
        },
        "notes": [n.message_zh for n in outcome.notes],
    }
    return run_record(
        problem=problem,
        status=outcome.status.value,
        seed=seed,
        time_limit=time_limit,
        sources=data.sources,
        body=body,
    )


def write_assign(
    out: Path, data: DataSet, outcome: AssignOutcome, *, seed: int, time_limit: float, lang: str
) -> list[Path]:
    """Write ``plan.csv``/``plan.xlsx``/``plan.json`` into ``out``, all or none."""
    if outcome.plan is None:
        raise ValueError("write_assign needs a plan")
    with staged_output(out, PLAN_RESULT, supersedes=(DIAGNOSIS_RESULT,)) as stage:
        write_plan_files(stage, data.problem, outcome.plan, lang)
        write_json(stage / "plan.json", assign_record(data, outcome, seed, time_limit))
    return [out / "plan.csv", out / "plan.xlsx", out / "plan.json"]


def write_diagnosis(
    out: Path, problem: Problem, status: SolveStatus, findings: Sequence[Finding]
) -> Path:
    """On exit 3: ``diagnosis.json`` with every finding and its fixes."""
    with staged_output(out, DIAGNOSIS_RESULT) as stage:
        write_json(
            stage / "diagnosis.json",
            {
                "cycle": problem.cycle,
                "status": status.value,
                "findings": [f.to_json() for f in findings],
            },
        )
    return out / "diagnosis.json"


def validate_plan_rows(problem: Problem, pairs: Sequence[tuple[str, str, int]]) -> list[Violation]:
    """Validate pairs read from a plan file (with their spreadsheet rows)."""
    return validate_plan(problem, [(a, b) for a, b, _ in pairs], [r for _, _, r in pairs])
