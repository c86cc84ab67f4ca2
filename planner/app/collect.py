"""Use cases ``forms`` and ``collect``: records from leaders who never open the tool.

``forms`` writes one fill-in workbook per leader (their counselors, the items due, drop-down
lists); ``collect`` merges the returned workbooks into the records table, listing — never
merging in silence — duplicates, unknown people, pairs outside the plan and dates outside the
cycle (CONTRACT.md §4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from models import Plan
from planner.app.data import calendar_of
from planner.app.records import plan_in_force
from planner.app.status import status
from planner.collect import CollectResult, collect, problem_rows
from planner.errors import InputError, InputProblem
from planner.io.forms import (
    DueItem,
    form_file_name,
    read_returned_form,
    record_cells,
    write_leader_form,
)
from planner.io.names import unique_file_names
from planner.io.read import DataSet
from planner.io.write import staged_output, write_csv
from planner.rules.windows import required_items
from planner.schema import RECORDS
from planner.status import tracked_items

__all__ = [
    "RECORDS_FILE",
    "CollectResult",
    "FormsResult",
    "collect_forms",
    "due_items",
    "problem_rows",
    "write_collected",
    "write_forms",
]

RECORDS_FILE = "联系记录.csv"
DUE_HORIZON_DAYS = 30


def due_items(data: DataSet, plan: Plan, as_of: date) -> dict[str, list[DueItem]]:
    """Per leader: the plan's items overdue or due within 30 days of ``as_of``, unmet by a record.

    The windows are the rules' (no schedule needed): a talk every quarter, guidance every
    semester, career guidance within 6 months.
    """
    cal = calendar_of(data)
    reqs = required_items(plan, cal, data.problem.settings.exchange_meetings_per_semester)
    items = tracked_items(reqs)
    pif = plan_in_force(data.problem, [p.key for p in plan.pairs], cal.cycle_start)
    report = status(data, pif, items, as_of, horizon=DUE_HORIZON_DAYS)
    out: dict[str, list[DueItem]] = defaultdict(list)
    for d in [*report.overdue, *report.due]:
        if not d.counselor_id or d.rule not in ("talk", "guidance", "career"):
            continue
        out[d.leader_id].append(
            DueItem(d.rule, d.window_start, d.deadline, d.item_id, d.counselor_id)
        )
    return dict(out)


@dataclass
class FormsResult:
    """The fill-in workbooks written, one per leader with counselors."""

    files: list[Path] = field(default_factory=list)
    due: dict[str, list[DueItem]] = field(default_factory=dict)


def write_forms(out: Path, data: DataSet, plan: Plan, as_of: date, lang: str = "zh") -> FormsResult:
    """Write ``OUT/联系记录填报-<工号>-<姓名>.xlsx`` for every leader of ``plan``, all or none."""
    p = data.problem
    cal = calendar_of(data)
    due = due_items(data, plan, as_of)
    by_leader: dict[str, list[str]] = defaultdict(list)
    for pair in plan.pairs:
        by_leader[pair.leader_id].append(pair.counselor_id)
    result = FormsResult(due=due)
    leaders = sorted(
        (p.leader_by_id[lid] for lid in by_leader if lid in p.leader_by_id),
        key=lambda x: p.leader_rank(x.leader_id),
    )
    # One file per leader even where ids differ only by case or by a character a file name
    # cannot hold (L/01 and L_01): the id's part of the name is made unique first.
    parts, _ = unique_file_names((ld.leader_id for ld in leaders), lambda part: part)
    with staged_output(out) as stage:
        for ld in leaders:
            name = form_file_name(ld.leader_id, ld.name, parts[ld.leader_id])
            counselors = [
                (cid, p.counselor_by_id[cid].name, p.counselor_by_id[cid].unit)
                for cid in sorted(by_leader[ld.leader_id])
                if cid in p.counselor_by_id
            ]
            write_leader_form(
                stage / name,
                (ld.leader_id, ld.name, ld.position),
                counselors,
                due.get(ld.leader_id, []),
                getattr(p.settings, "college", ""),
                lang,
                date_range=(cal.cycle_start, cal.cycle_end),
            )
            result.files.append(out / name)
    return result


def collect_forms(
    data: DataSet, plan: Plan, forms: Sequence[Path], *, as_of: date | None = None
) -> CollectResult:
    """Merge the returned ``forms`` with DATA's 联系记录.

    Raises
    ------
    InputError
        For a returned file that cannot be read at all (every such file named).
    """
    p = data.problem
    cal = calendar_of(data)
    returned = []
    problems: list[InputProblem] = []
    for f in forms:
        rows, bad = read_returned_form(Path(f))
        problems += bad
        returned.append((Path(f).name, rows))
    if problems:
        raise InputError(problems)
    return collect(
        data.tables.get("records", []),
        returned,
        {pair.key for pair in plan.pairs},
        [ld.leader_id for ld in p.leaders],
        [c.counselor_id for c in p.counselors],
        cal.cycle_start,
        cal.cycle_end,
        as_of=as_of,
    )


def write_collected(out: Path, result: CollectResult, lang: str = "zh") -> list[Path]:
    """``OUT/联系记录.csv`` (the merged table) and ``OUT/未合并.csv`` (the rows left out)."""
    files = [out / RECORDS_FILE]
    # One result: a 未合并.csv of an earlier run goes when this run leaves nothing out.
    with staged_output(out, "collect") as stage:
        write_csv(
            stage / RECORDS_FILE,
            [c.zh if lang == "zh" else c.key for c in RECORDS.columns],
            [record_cells(dict(r), lang) for r in result.merged],
        )
        if result.problems:
            head, rows = problem_rows(result, lang)
            write_csv(stage / "未合并.csv", head, rows)
            files.append(out / "未合并.csv")
    return files
