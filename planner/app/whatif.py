"""Use cases ``whatif`` and ``compare``: staff changes → a repaired plan with the fewest moves.

Reading (DATA, the old plan, change files) reports every problem at once; the repair is
checked by the independent validator inside :func:`planner.pairing.repair.repair`; writing
is a separate step (:func:`write_whatif`, :func:`write_compare`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from models import Problem, SolveStatus, cycle_first_year
from planner.app.assign import DIAGNOSIS_RESULT, PLAN_RESULT
from planner.app.data import demo_changes, load_data
from planner.app.plans import write_plan_files
from planner.app.planview import person_label
from planner.app.runrecord import run_record
from planner.changes import Change
from planner.errors import InputError, InputProblem, Note
from planner.i18n import msg
from planner.io.change_files import (
    ABSORB_COLUMNS,
    COMPARE_COLUMNS,
    DIFF_COLUMNS,
    absorb_table,
    col_header,
    compare_table,
    diff_rows,
    read_change,
    write_compare_xlsx,
    write_diff_csv,
    write_diff_xlsx,
    write_pair_starts,
)
from planner.io.plan_files import sha256_of
from planner.io.read import DataSet, match_plan_ids, read_plan_pairs
from planner.io.write import built_bytes, staged_output, write_json
from planner.pairing.repair import MOVES, OptionResult, RepairResult, repair
from planner.pairing.repair import compare as compare_options
from planner.rules.precheck import Finding
from planner.rules.validate import Violation, validate_plan
from planner.scenarios import (
    Applied,
    DiffRow,
    apply_change,
    change_summary,
    diff_plans,
    plan_start_dates,
    summary_line,
)
from planner.values import solver_seed

Key = tuple[str, str]

__all__ = [
    "ABSORB_COLUMNS",
    "COMPARE_COLUMNS",
    "DIFF_COLUMNS",
    "MOVES",
    "Applied",
    "Change",
    "CompareOutcome",
    "DiffRow",
    "OptionResult",
    "RepairResult",
    "WhatifInputs",
    "WhatifOutcome",
    "absorb_table",
    "apply_change",
    "change_summary",
    "col_header",
    "compare",
    "compare_table",
    "compare_xlsx_bytes",
    "cycle_start_of",
    "default_repair_date",
    "describe_option",
    "diff_csv_bytes",
    "diff_table",
    "example_changes",
    "findings_text",
    "make_change",
    "read_change",
    "read_whatif_inputs",
    "repair_date",
    "repair_summary",
    "side_by_side",
    "whatif",
    "write_compare",
    "write_whatif",
]


# ----- reading ------------------------------------------------------------------------------
@dataclass
class WhatifInputs:
    """DATA read for the old plan's cycle, the old plan's pairs and the change files."""

    data: DataSet
    old: list[Key]
    changes: list[Change]
    old_violations: list[Violation] = field(default_factory=list)


def read_whatif_inputs(data: Path, plan: Path, changes: Sequence[Path]) -> WhatifInputs:
    """Read DATA, the plan being repaired and the change files, reporting every problem at once.

    Raises
    ------
    InputError
        With the problems of DATA, the plan and every change file together.
    """
    problems: list[InputProblem] = []
    read: list[Change] = []
    for c in changes:
        try:
            read.append(read_change(c))
        except InputError as exc:
            problems += exc.problems
    try:
        label, rows = read_plan_pairs(plan)
        ds = load_data(data, cycle=label)
    except InputError as exc:
        # The change files cannot be checked against rosters that did not read; their
        # own structural problems are reported with the DATA's.
        raise InputError(problems + [p for ch in read for p in ch.problems] + exc.problems) from exc
    if problems:
        raise InputError(problems + [p for ch in read for p in ch.problems])
    rows, id_notes = match_plan_ids(ds.problem, rows, plan.name)
    ds.notes.extend(id_notes)
    old = [(a, b) for a, b, _ in rows]
    broken = validate_plan(ds.problem, old, [r for _, _, r in rows])
    return WhatifInputs(ds, old, read, broken)


def cycle_start_of(problem: Problem) -> dt.date | None:
    """The cycle's first day: the calendar's ``cycle_start``, else 1 Sept of its first year."""
    if problem.cycle_start is not None:
        return problem.cycle_start
    y = cycle_first_year(problem.cycle)
    return dt.date(y, 9, 1) if y else None


def repair_date(
    option: dt.date | None, change: Change, problem: Problem
) -> tuple[dt.date | None, str]:
    """(the repair date, where it came from: ``option``, ``change_file`` or ``cycle_start``).

    ``--date`` if given, else the change file's ``date``, else the cycle start -- never the
    day the command runs, so the same inputs give the same ``pair_starts.csv``. None only
    when no cycle start can be told (a plan label without a year).
    """
    if option is not None:
        return option, "option"
    if change.repair_date is not None:
        return change.repair_date, "change_file"
    return cycle_start_of(problem), "cycle_start"


def make_change(
    name: str,
    *,
    leaders_leave: Iterable[str] = (),
    counselors_leave: Iterable[str] = (),
    leaders_join: Iterable[Mapping[str, Any]] = (),
    counselors_join: Iterable[Mapping[str, Any]] = (),
    when: dt.date | None = None,
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
        repair_date=when,
    )


def default_repair_date(problem: Problem, today: dt.date | None = None) -> dt.date:
    """The date the page proposes for a change: today, or the cycle's start when it has not begun.

    Career guidance of a pair the repair adds is due within 6 months of this date.
    """
    today = today or dt.date.today()
    start = problem.cycle_start or problem.stage_date
    return max(today, start)


def describe_option(problem: Problem, change: Change) -> Change:
    """``change`` checked against ``problem``'s rosters, described by what it does.

    The option list of the page shows each option by this description (离岗 吴海涛(L005), …).

    Raises
    ------
    InputError
        For a change naming unknown people or carrying bad values.
    """
    applied = apply_change(problem, change)
    return replace(
        change,
        description=change_summary(applied, "zh"),
        description_en=change_summary(applied, "en"),
    )


# ----- whatif -------------------------------------------------------------------------------
@dataclass
class WhatifOutcome:
    """A repair and everything the office reads of it.

    Attributes
    ----------
    applied
        The change applied to the rosters (leavers inactive, joiners added).
    result
        The repair (status, plan, moves, levels, findings).
    old
        The pairs of the plan repaired.
    start, start_from
        The date new pairs start (their 规划发展 is due within 6 months of it) and where it
        came from (``option``, ``change_file``, ``cycle_start``).
    diff
        One row per pair added or dropped.
    summary
        One line for the office.
    """

    applied: Applied
    result: RepairResult
    old: list[Key]
    start: dt.date
    start_from: str
    diff: list[DiffRow] = field(default_factory=list)
    summary: str = ""
    lang: str = "zh"

    @property
    def notes(self) -> list[Note]:
        return list(self.applied.notes)

    @property
    def added(self) -> set[Key]:
        return {(r.new_leader_id, r.counselor_id) for r in self.diff if r.added}

    @property
    def starts(self) -> list[tuple[str, str, dt.date]]:
        """(leader, counselor, start) of every pair the repair adds (``pair_starts.csv``)."""
        return plan_start_dates(self.diff, self.start)


def whatif(
    problem: Problem,
    old: Sequence[Key],
    change: Change,
    *,
    when: dt.date | None = None,
    seed: int = 0,
    time_limit: float = 60.0,
    lang: str = "zh",
    progress: Callable[[str], None] | None = None,
) -> WhatifOutcome:
    """Apply ``change`` to ``problem`` and repair ``old`` with the fewest moves.

    Raises
    ------
    InputError
        For a change that does not fit the rosters (unknown ids, bad values), or when no
        repair date can be told.
    """
    applied = apply_change(problem, change)
    start, source = repair_date(when, change, problem)
    if start is None:
        raise InputError(
            [
                InputProblem(
                    Path(change.source).name,
                    f"无法从周期“{problem.cycle}”得知周期开始日,"
                    "请用 --date 或变更文件中的 date 指定人员变动生效日期",
                    f"cannot tell the cycle start from the cycle '{problem.cycle}'; "
                    "give the effective date with --date or date in the change file",
                    column="date",
                    value=problem.cycle,
                )
            ]
        )
    res = repair(
        applied, list(old), seed=solver_seed(seed), time_limit=time_limit, progress=progress
    )
    diff = diff_plans(applied, list(old), res.plan.keys(), lang) if res.plan else []
    out = WhatifOutcome(applied, res, list(old), start, source, diff, lang=lang)
    out.summary = repair_summary(applied, res, diff, lang)
    return out


def repair_summary(
    applied: Applied, result: RepairResult, diff: Sequence[DiffRow], lang: str
) -> str:
    """The one-line summary of a repair, or why there is none."""
    if result.plan is None:
        if result.status == SolveStatus.UNKNOWN:
            return msg(lang, "时限内未找到调整方案,请延长时限。", "no plan within the time limit.")
        return msg(
            lang, "变更后无法满足全部规定:", "no plan satisfies the rules after the change: "
        ) + ";".join(f.render(lang) for f in result.findings)
    return summary_line(applied, diff, lang)


def write_whatif(
    out: Path,
    outcome: WhatifOutcome,
    *,
    data: DataSet,
    seed: int,
    time_limit: float,
    lang: str,
    plan_file: Path | None = None,
    change_file: Path | None = None,
    level_name: Callable[[str], str] = str,
) -> list[Path]:
    """Write the repaired plan, its diff, the pair starts, a summary and ``plan.json``."""
    res = outcome.result
    if res.plan is None:
        raise ValueError("write_whatif needs a repaired plan")
    problem = outcome.applied.problem
    plan = res.plan
    with staged_output(out, PLAN_RESULT, supersedes=(DIAGNOSIS_RESULT,)) as stage:
        write_plan_files(stage, problem, plan, lang, highlight=outcome.added)
        write_diff_csv(stage / "diff.csv", problem, outcome.diff, plan.cycle, lang)
        write_diff_xlsx(
            stage / "diff.xlsx", problem, outcome.diff, plan.cycle, outcome.summary, lang
        )
        write_pair_starts(stage / "pair_starts.csv", outcome.starts, lang)
        text = [
            msg(lang, "变更:", "change: ") + change_summary(outcome.applied, lang),
            *(
                (msg(lang, "警告:", "WARNING: ") if n.loud else msg(lang, "提示:", "note: "))
                + n.render(lang)
                for n in outcome.notes
            ),
            outcome.summary,
            *(f"{level_name(k)}: {v}" for k, v in res.levels.items()),
            msg(
                lang,
                f"新增结对的规划发展自 {outcome.start.isoformat()} 起 6 个月内完成(见 pair_starts.csv)。",
                f"career guidance of added pairs is due within 6 months of {outcome.start.isoformat()} (pair_starts.csv).",
            ),
        ]
        (stage / "summary.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
        repair_info: dict[str, Any] = {
            "plan": str(plan_file) if plan_file else None,
            "change": (
                {"file": str(change_file), "sha256": sha256_of(change_file)}
                if change_file and change_file.is_file()
                else {"name": outcome.applied.change.name}
            ),
            "date": outcome.start.isoformat(),
            "date_from": outcome.start_from,
            "moves": res.moves,
            "added": len(outcome.added),
            "dropped": len(outcome.diff) - len(outcome.added),
        }
        body = {
            "repair": repair_info,
            "objective": res.levels,
            "pair_starts": [
                {"leader_id": a, "counselor_id": b, "start": d.isoformat()}
                for a, b, d in outcome.starts
            ],
            "solve_seconds": round(res.seconds, 4),
        }
        write_json(
            stage / "plan.json",
            run_record(
                problem=problem,
                status=res.status.value,
                seed=seed,
                time_limit=time_limit,
                sources=data.sources,
                body=body,
            ),
        )
    names = ("plan.csv", "plan.xlsx", "diff.csv", "diff.xlsx", "pair_starts.csv", "summary.txt")
    return [out / n for n in (*names, "plan.json")]


def diff_table(outcome: WhatifOutcome) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of ``diff.csv`` as the command line writes it."""
    p = outcome.applied.problem
    head = [col_header(k, outcome.lang) for k in DIFF_COLUMNS]
    return head, diff_rows(p, outcome.diff, p.cycle, outcome.lang)


def diff_csv_bytes(outcome: WhatifOutcome) -> bytes:
    """``diff.csv`` of a repair."""
    p = outcome.applied.problem
    return built_bytes(
        lambda path: write_diff_csv(path, p, outcome.diff, p.cycle, outcome.lang), "diff.csv"
    )


SIDE_COLUMNS = (
    ("counselor", "辅导员", "counselor"),
    ("unit", "单位", "unit"),
    ("old", "现行方案联系领导", "current leader(s)"),
    ("new", "调整后联系领导", "repaired leader(s)"),
    ("change", "变化", "change"),
)


def side_by_side(outcome: WhatifOutcome) -> list[dict[str, str]]:
    """Per counselor: the current plan's leaders next to the repaired plan's, changes first."""
    p = outcome.applied.problem
    lang = outcome.lang
    new = outcome.result.plan.keys() if outcome.result.plan else set()
    old_of: dict[str, list[str]] = defaultdict(list)
    new_of: dict[str, list[str]] = defaultdict(list)
    for lid, cid in outcome.old:
        old_of[cid].append(lid)
    for lid, cid in new:
        new_of[cid].append(lid)
    sep = "、" if lang == "zh" else ", "

    def rank(x: str) -> tuple[int, int]:
        return p.leader_rank(x) if x in p.leader_by_id else (9, 0)

    rows = []
    for cid in sorted(set(old_of) | set(new_of)):
        o = sorted(old_of.get(cid, []), key=rank)
        n = sorted(new_of.get(cid, []), key=rank)
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


# ----- compare ------------------------------------------------------------------------------
@dataclass
class CompareOutcome:
    """Several options repaired side by side, with one summary line each."""

    options: list[OptionResult]
    summaries: list[str]
    lang: str = "zh"

    def table(self) -> tuple[list[str], list[list[object]]]:
        """(headers, rows) of the options as ``compare.xlsx`` has them."""
        head = [col_header(k, self.lang) for k in COMPARE_COLUMNS]
        return head, compare_table(self.options, self.summaries, self.lang)

    def absorb(self) -> tuple[list[str], list[list[object]]]:
        """(headers, rows) of who could take a leaver's counselors, per option."""
        head = [col_header(k, self.lang) for k in ABSORB_COLUMNS]
        return head, absorb_table(self.options, self.lang)


def compare(
    problem: Problem,
    old: Sequence[Key],
    changes: Sequence[Change],
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    top: int = 3,
    lang: str = "zh",
    progress: Callable[[str], None] | None = None,
) -> CompareOutcome:
    """Repair ``old`` under each change and rank the receivers of each leaver's counselors."""
    if progress is not None:
        progress("compare")
    options = compare_options(
        problem,
        list(old),
        list(changes),
        seed=solver_seed(seed),
        time_limit=time_limit,
        top=top,
        lang=lang,
    )
    summaries = [
        summary_line(o.applied, o.diff, lang) if o.feasible else o.reason(lang) for o in options
    ]
    return CompareOutcome(options, summaries, lang)


def write_compare(out: Path, outcome: CompareOutcome) -> Path:
    """``compare.xlsx``: the options side by side."""
    with staged_output(out, "compare") as stage:
        write_compare_xlsx(stage / "compare.xlsx", outcome.options, outcome.summaries, outcome.lang)
    return out / "compare.xlsx"


def compare_xlsx_bytes(outcome: CompareOutcome) -> bytes:
    """``compare.xlsx`` as ``planner compare`` writes it."""
    return built_bytes(
        lambda p: write_compare_xlsx(p, outcome.options, outcome.summaries, outcome.lang),
        "compare.xlsx",
    )


def findings_text(findings: Iterable[Finding], lang: str = "zh") -> list[str]:
    """Why there is no plan, with the cheapest fixes, one line each."""
    return [f.render(lang) for f in findings]


def example_changes(problem: Problem, lang: str = "zh") -> dict[str, Change]:
    """The demo's example change files that fit ``problem``'s rosters, by a name a clerk reads.

    Each example names the demo college's people; on other data it would only fail, so it is
    offered only when :func:`apply_change` accepts it. The name is the first clause of the
    file's description (``副院长吴海涛(L005)退休离岗``), which also names the option in a
    comparison; the file name is the fallback.
    """
    out: dict[str, Change] = {}
    for stem, path in demo_changes().items():
        try:
            change = read_change(path)
            apply_change(problem, change)
        except (InputError, OSError):
            continue
        text = msg(lang, change.description, change.description_en) or stem
        text = text.removeprefix("假设情形:").removeprefix("What-if: ")
        for stop in (",", ",", ";", "。", ". "):
            text = text.split(stop, 1)[0]
        name = text.strip()[:40] or stem
        out[name] = replace(change, source=f"{name}.toml")
    return out
