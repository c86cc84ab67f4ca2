"""A plan as the office sees it: its rows with reasons, and its files (plan.csv/xlsx).

The writers in :mod:`planner.io.plan_files` take the 说明 column from here
(:func:`planner.rules.reasons.explain`), so the command line, the page and the notebook
write the same file for the same plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from models import Pair, Plan, Problem
from planner.io.plan_files import PLAN_COLUMNS, sorted_keys, write_plan_csv, write_plan_xlsx
from planner.io.plan_files import plan_rows as plan_file_rows
from planner.io.write import built_bytes
from planner.rules.reasons import explain

Key = tuple[str, str]

__all__ = [
    "PLAN_COLUMNS",
    "make_plan",
    "plan_csv_bytes",
    "plan_reasons",
    "plan_rows",
    "plan_xlsx_bytes",
    "write_plan_files",
]


def make_plan(problem: Problem, keys: Iterable[Key], cycle: str | None = None) -> Plan:
    """A plan of ``problem``'s cycle (or ``cycle``) holding exactly ``keys``, in order."""
    return Plan(
        cycle=cycle or problem.cycle,
        pairs=tuple(Pair(leader_id=a, counselor_id=b) for a, b in dict.fromkeys(keys)),
    )


def plan_reasons(problem: Problem, plan: Plan, lang: str = "zh") -> dict[Key, str]:
    """The 说明 of every pair of ``plan`` (why this pair)."""
    return explain(problem, sorted_keys(problem, plan.keys()), lang)


def plan_rows(problem: Problem, plan: Plan, lang: str = "zh") -> list[dict[str, str]]:
    """The rows of ``plan.csv`` as dicts keyed by :data:`PLAN_COLUMNS`, in output order."""
    return plan_file_rows(problem, plan, plan_reasons(problem, plan, lang), lang)


def write_plan_files(
    folder: Path,
    problem: Problem,
    plan: Plan,
    lang: str = "zh",
    *,
    highlight: set[Key] | None = None,
    approved_on: date | None = None,
) -> list[Path]:
    """Write ``plan.csv`` and ``plan.xlsx`` of ``plan`` into ``folder``; returns their paths.

    ``approved_on``: the day the leading group approved the plan (已审定), printed on
    the 联系对应表.
    """
    reasons = plan_reasons(problem, plan, lang)
    write_plan_csv(folder / "plan.csv", problem, plan, reasons, lang)
    write_plan_xlsx(
        folder / "plan.xlsx",
        problem,
        plan,
        reasons,
        lang,
        highlight=highlight,
        approved_on=approved_on,
    )
    return [folder / "plan.csv", folder / "plan.xlsx"]


def plan_csv_bytes(problem: Problem, plan: Plan, lang: str = "zh") -> bytes:
    """``plan.csv`` of ``plan``, byte for byte what ``planner assign`` writes."""
    reasons = plan_reasons(problem, plan, lang)
    return built_bytes(lambda p: write_plan_csv(p, problem, plan, reasons, lang), "plan.csv")


def plan_xlsx_bytes(
    problem: Problem, plan: Plan, lang: str = "zh", approved_on: date | None = None
) -> bytes:
    """``plan.xlsx`` (printable 联系对应表, reasons, loads, details) of ``plan``.

    ``approved_on``: the day the leading group approved it (已审定), when it has been.
    """
    reasons = plan_reasons(problem, plan, lang)
    return built_bytes(
        lambda p: write_plan_xlsx(p, problem, plan, reasons, lang, approved_on=approved_on),
        "plan.xlsx",
    )
