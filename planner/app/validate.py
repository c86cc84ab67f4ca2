"""Use case ``validate``: re-check a plan or a schedule file against every rule, one line each.

The file may be the product's own or edited by hand. A schedule is told from a plan by its
columns (事项编号 and 形式).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from models import Plan, Problem
from planner.app.data import calendar_of, load_data
from planner.errors import Note
from planner.io.change_files import read_pair_starts
from planner.io.read import match_plan_ids, plan_cycle_labels, read_plan_pairs
from planner.io.schedule_files import looks_like_schedule, read_schedule, schedule_plan
from planner.rules.validate import Violation, removable_pairs, validate_plan
from planner.rules.validate_schedule import validate_schedule

__all__ = ["PlanCheck", "Validation", "check_plan", "validate_file"]

PAIR_STARTS = "pair_starts.csv"


@dataclass
class Validation:
    """The verdict on one file.

    Attributes
    ----------
    kind
        ``plan`` or ``schedule``.
    count
        Pairs (plan) or items (schedule) checked.
    violations
        Every broken rule, in file order.
    mixed_cycles
        The cycle labels of a plan that mixes cycles (then nothing else is checked).
    spare
        Second-leader pairs that could be dropped within the loads (a plan that is valid but
        not the fewest pairs).
    notes
        The DATA's notes.
    """

    kind: str
    count: int = 0
    violations: list[Violation] = field(default_factory=list)
    mixed_cycles: list[str] = field(default_factory=list)
    spare: list[tuple[str, str]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations and not self.mixed_cycles


def validate_file(data: Path, path: Path) -> Validation:
    """Check the plan or schedule file ``path`` against the DATA ``data``.

    Raises
    ------
    InputError
        For an unreadable DATA or file.
    """
    try:
        is_schedule = looks_like_schedule(path)
    except OSError:
        is_schedule = False  # read_plan_pairs names the file and the problem
    if is_schedule:
        return _validate_schedule(data, path)
    cycle, pairs = read_plan_pairs(path)
    labels = plan_cycle_labels(path)
    if len(labels) > 1:
        return Validation("plan", len(pairs), mixed_cycles=labels)
    ds = load_data(data, cycle=cycle)
    pairs, id_notes = match_plan_ids(ds.problem, pairs, path.name)
    violations = validate_plan(ds.problem, [(a, b) for a, b, _ in pairs], [r for _, _, r in pairs])
    spare = [] if violations else removable_pairs(ds.problem, [(a, b) for a, b, _ in pairs])
    notes = [*ds.notes, *id_notes]
    return Validation("plan", len(pairs), violations, spare=spare, notes=notes)


def _validate_schedule(data: Path, path: Path) -> Validation:
    items = read_schedule(path)
    plan = schedule_plan(items)
    ds = load_data(data, cycle=plan.cycle or None)
    starts_file = path.parent / PAIR_STARTS
    starts = read_pair_starts(starts_file) if starts_file.is_file() else None
    violations = validate_schedule(
        ds.problem,
        plan,
        calendar_of(ds),
        ds.tables.get("unavailable", []),
        ds.tables.get("events", []),
        items,
        pair_starts=starts,
    )
    return Validation("schedule", len(items), violations, notes=list(ds.notes))


@dataclass
class PlanCheck:
    """The independent validator's verdict on a plan held in memory (a hand-edited one)."""

    violations: list[Violation]
    flagged: set[tuple[str, str]]
    spare: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        return not self.violations


def check_plan(problem: Problem, plan: Plan | list[tuple[str, str]]) -> PlanCheck:
    """Validate pairs in memory; ``flagged`` holds the pairs a pair rule names."""
    keys = list(dict.fromkeys([p.key for p in plan.pairs] if isinstance(plan, Plan) else plan))
    violations = validate_plan(problem, keys, range(len(keys)))
    flagged = {keys[v.row] for v in violations if v.row is not None}
    spare = [] if violations else removable_pairs(problem, keys)
    return PlanCheck(violations, flagged, spare)
