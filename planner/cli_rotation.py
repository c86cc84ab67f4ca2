"""Commands ``rotate``, ``whatif`` and ``compare`` (CONTRACT.md §4, §6, §7).

Thin like :mod:`planner.cli`: parse → read → solve (:mod:`planner.pairing.rotation`,
:mod:`planner.pairing.repair`) → independent check → write. :func:`register` adds the
commands to the main typer app.
"""

from __future__ import annotations

import datetime as dt
import platform
import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from models import Problem, SolveStatus, cycle_first_year
from planner import __version__, pipeline
from planner.cli import (
    EXIT_INFEASIBLE,
    EXIT_OK,
    EXIT_TIMEOUT,
    DataArg,
    LangOpt,
    OutOpt,
    SeedOpt,
    TimeOpt,
    _check_lang,
    _fail,
    _guard,
    _notes,
    err_console,
    out_console,
)
from planner.errors import InputError, InputProblem
from planner.i18n import msg
from planner.io.change_files import (
    write_compare_xlsx,
    write_diff_csv,
    write_diff_xlsx,
    write_pair_starts,
    write_rotation_summary,
)
from planner.io.plan_files import sha256_of, write_plan_csv, write_plan_json, write_plan_xlsx
from planner.io.read import DataSet, parse_date, read_data, read_plan_pairs
from planner.io.write import staged_output
from planner.pairing import LEVELS
from planner.pairing.repair import MOVES, compare, repair
from planner.pairing.rotation import REPORT_LEVELS, RotationResult, rotate
from planner.rules.precheck import Finding
from planner.scenarios import (
    Change,
    apply_change,
    change_summary,
    diff_plans,
    plan_start_dates,
    read_change,
    summary_line,
)

PlanOpt = Annotated[
    Path, typer.Option("--plan", help="要调整的联系对应表 plan.csv / plan.xlsx(或其所在文件夹)")
]
NoRepeatOpt = Annotated[
    int | None,
    typer.Option("--no-repeat-cycles", min=0, help="禁止重复最近 N 个周期的结对(覆盖设置)"),
]

_LEVEL_ZH = {lv.name: lv.zh for lv in LEVELS} | {MOVES: "变动结对数"}
_LEVEL_EN = {lv.name: lv.en for lv in LEVELS} | {MOVES: "moves"}


_SHORT = {
    "pairs": ("结对", "pairs"),
    "own_unit_pairs": ("本单位结对", "own-unit"),
    "heads_covered": ("负责人覆盖", "heads"),
    "older_repeats": ("较早重复", "older repeats"),
}


def _level_name(name: str, lang: str) -> str:
    return (_LEVEL_ZH if lang == "zh" else _LEVEL_EN).get(name, name)


def _short_name(name: str, lang: str) -> str:
    zh, en = _SHORT.get(name, (name, name))
    return zh if lang == "zh" else en


def _override_window(ds: DataSet, no_repeat_cycles: int | None) -> None:
    if no_repeat_cycles is not None:
        s = ds.problem.settings.model_copy(update={"no_repeat_cycles": no_repeat_cycles})
        ds.problem = ds.problem.replace(settings=s)


def _infeasible(out: Path, ds: DataSet, findings: list[Finding], lang: str, head: str) -> None:
    outcome = pipeline.AssignOutcome(SolveStatus.INFEASIBLE, None, None, findings)
    path = pipeline.write_diagnosis(out, ds, outcome)
    lines = [head] + [f"- {f.render(lang)}" for f in findings]
    lines.append(msg(lang, f"诊断已写入 {path}", f"diagnosis written to {path}"))
    _fail(EXIT_INFEASIBLE, "\n".join(lines))


def _timeout(time_limit: float, lang: str) -> None:
    _fail(
        EXIT_TIMEOUT,
        msg(
            lang,
            f"在 {time_limit:g} 秒内未找到方案,请用 --time-limit 延长时限。",
            f"no plan found within {time_limit:g} s; raise --time-limit.",
        ),
    )


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {
        "counselor-planner": __version__,
        "ortools": version("ortools"),
        "python": platform.python_version(),
    }


def _folder_name(label: str) -> str:
    """A cycle label as a folder name (labels are ``2027-2030``; anything odd becomes ``_``)."""
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", label) or "cycle"


# ----- rotate -----------------------------------------------------------------------------
def rotation_note(res: RotationResult, lang: str) -> str:
    zh = lang == "zh"
    if res.greedy_failed_at is not None:
        label = res.labels[res.greedy_failed_at]
        return (
            f"逐周期规划在 {label} 周期无解(前面周期的选择堵死了轮换),联合规划找到了全部周期的方案。"
            if zh
            else f"greedy planning finds no plan for {label} (earlier choices block the rotation); the lookahead plans every cycle."
        )
    j, g = res.totals("joint"), res.totals("greedy")
    if res.used_greedy and all(j[k] == g[k] for k in REPORT_LEVELS):
        if res.status == SolveStatus.OPTIMAL:
            return (
                "逐周期规划已达到多周期联合最优,两者结果相同(第一个周期即 assign 的方案)。"
                if zh
                else "greedy already reaches the joint optimum; both plans are the same (the first cycle is assign's plan)."
            )
        return (
            "联合规划在时限内未能超过逐周期规划,采用逐周期规划的结果。"
            if zh
            else "the lookahead did not beat greedy within the time limit; greedy's plans are kept."
        )
    parts = []
    for k in ("own_unit_pairs", "heads_covered"):
        d = j[k] - g[k]
        if d:
            parts.append(
                f"{_level_name(k, lang)}{'多' if d > 0 else '少'} {abs(d)}"
                if zh
                else f"{abs(d)} {'more' if d > 0 else 'fewer'} {_level_name(k, lang)}"
            )
    d = g["older_repeats"] - j["older_repeats"]
    if d:
        parts.append(
            f"较早周期重复(加权){'少' if d > 0 else '多'} {abs(d)}"
            if zh
            else f"older repeats {'lower' if d > 0 else 'higher'} by {abs(d)}"
        )
    if g["pairs"] != j["pairs"]:
        parts.append(
            f"结对总数{'少' if g['pairs'] > j['pairs'] else '多'} {abs(g['pairs'] - j['pairs'])}"
            if zh
            else f"pairs {'fewer' if g['pairs'] > j['pairs'] else 'more'} by {abs(g['pairs'] - j['pairs'])}"
        )
    what = ("、" if zh else ", ").join(parts)
    return (
        f"联合规划优于逐周期规划(合计{what})。"
        if zh
        else f"the lookahead beats greedy (in total: {what})."
    )


def _rotation_table(res: RotationResult, lang: str) -> Table:
    zh = lang == "zh"
    t = Table(title=msg(lang, "多周期轮换:联合规划 / 逐周期规划", "rotation: lookahead / greedy"))
    t.add_column(msg(lang, "周期", "cycle"))
    for k in REPORT_LEVELS:
        t.add_column(_short_name(k, lang), justify="right")
    joint = res.joint or []
    for i, label in enumerate(res.labels):
        cells = [label]
        for k in REPORT_LEVELS:
            a = str(joint[i].levels[k]) if i < len(joint) else "-"
            b = str(res.greedy[i].levels[k]) if i < len(res.greedy) else "无解" if zh else "none"
            cells.append(f"{a} / {b}")
        t.add_row(*cells)
    jt, gt = res.totals("joint"), res.totals("greedy")
    full = res.greedy_failed_at is None
    t.add_row(
        "合计" if zh else "total",
        *[f"{jt[k]} / {gt[k] if full else '-'}" for k in REPORT_LEVELS],
    )
    return t


def rotate_cmd(
    data: DataArg,
    out: OutOpt,
    cycles: Annotated[
        int, typer.Option("--cycles", min=1, max=10, help="联合规划的周期数(默认 3)")
    ] = 3,
    cycle: Annotated[
        str | None, typer.Option("--cycle", help="第一个周期的标签,如 2027-2030")
    ] = None,
    seed: SeedOpt = 0,
    time_limit: TimeOpt = 60.0,
    no_repeat_cycles: NoRepeatOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """多周期轮换:联合规划后续 N 个周期(每周期一个 plan.csv),并与逐周期规划对比。"""
    _check_lang(lang)

    def body() -> int:
        ds = read_data(data, cycle=cycle)
        _override_window(ds, no_repeat_cycles)
        _notes(ds, lang)
        p = ds.problem
        err_console.print(
            msg(
                lang,
                f"从 {p.cycle} 起联合规划 {cycles} 个周期:{len(p.active_leaders)} 名领导干部,"
                f"{len(p.active_counselors)} 名辅导员,不重复最近 {p.settings.no_repeat_cycles} 个周期的结对…",
                f"planning {cycles} cycles from {p.cycle}: {len(p.active_leaders)} leaders, "
                f"{len(p.active_counselors)} counselors, no repeat of the latest "
                f"{p.settings.no_repeat_cycles} cycle(s)…",
            ),
            markup=False,
        )
        with err_console.status(msg(lang, "求解中…", "solving…")) as status:

            def progress(step: str) -> None:
                status.update(msg(lang, f"求解中:{step}", f"solving: {step}"))

            res = rotate(p, cycles, seed=seed, time_limit=time_limit, progress=progress)
        if res.status == SolveStatus.INFEASIBLE:
            _infeasible(
                out,
                ds,
                res.findings,
                lang,
                msg(
                    lang,
                    f"无法在 {cycles} 个周期内都满足全部规定:",
                    f"no {cycles}-cycle plan satisfies the hard rules:",
                ),
            )
        if res.joint is None:
            _timeout(time_limit, lang)
        assert res.joint is not None
        note = rotation_note(res, lang)
        written: list[Path] = []
        with staged_output(out) as stage:
            for cp in res.joint:
                folder = stage / _folder_name(cp.label)
                folder.mkdir(parents=True, exist_ok=True)
                write_plan_csv(folder / "plan.csv", cp.problem, cp.plan, lang)
                write_plan_xlsx(folder / "plan.xlsx", cp.problem, cp.plan, lang)
                written += [out / folder.name / "plan.csv", out / folder.name / "plan.xlsx"]
            write_rotation_summary(
                stage / "rotation-summary.csv",
                stage / "rotation-summary.xlsx",
                res.labels,
                [cp.levels for cp in res.joint],
                [cp.levels for cp in res.greedy],
                note,
                lang,
            )
            write_plan_json(stage / "rotation.json", _rotation_record(ds, res, seed, time_limit))
        written += [out / n for n in ("rotation-summary.csv", "rotation-summary.xlsx")]
        written.append(out / "rotation.json")
        out_console.print(_rotation_table(res, lang))
        out_console.print(note, markup=False)
        if res.status != SolveStatus.OPTIMAL:
            err_console.print(
                msg(
                    lang,
                    "注意:时限内未能证明联合规划最优,结果为可行方案(不差于逐周期规划)。",
                    "note: time ran out before the lookahead was proven optimal; the plans are feasible (never worse than greedy).",
                )
            )
        out_console.print(
            msg(
                lang,
                f"完成({res.greedy_seconds + res.joint_seconds:.2f} 秒),每个周期均已通过独立校验。已写入:",
                f"done ({res.greedy_seconds + res.joint_seconds:.2f} s), every cycle checked by the independent validator. Wrote:",
            )
        )
        for f in written:
            out_console.print(f"  {f}", markup=False)
        return EXIT_OK

    _guard(lang, body)


def _rotation_record(
    ds: DataSet, res: RotationResult, seed: int, time_limit: float
) -> dict[str, Any]:
    p = ds.problem
    return {
        "cycles": list(res.labels),
        "status": res.status.value,
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
        "seed": seed,
        "time_limit_s": time_limit,
        "settings": p.settings.model_dump(),
        "inputs": {
            name: {"file": str(path), "sha256": sha256_of(path)}
            for name, path in sorted(ds.sources.items())
            if path.is_file()
        },
        "versions": _versions(),
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
    }


# ----- whatif -----------------------------------------------------------------------------
def _date_option(text: str | None, lang: str) -> dt.date | None:
    """``--date`` as a date (None when not given); a bad date is a usage error."""
    if text is None:
        return None
    d = parse_date(text)
    if d is None:
        raise typer.BadParameter(
            msg(lang, f"无法识别的日期“{text}”,请写成 2027-09-01", f"not a date: {text!r}"),
            param_hint="--date",
        )
    return d


def cycle_start_of(problem: Problem) -> dt.date | None:
    """The cycle's first day: the calendar's ``cycle_start``, else 1 Sept of its first year."""
    if problem.cycle_start is not None:
        return problem.cycle_start
    y = cycle_first_year(problem.cycle)
    return dt.date(y, 9, 1) if y else None


def repair_date(
    option: dt.date | None, change: Change, problem: Problem
) -> tuple[dt.date | None, bool]:
    """(the repair date, whether it fell back to the cycle start).

    ``--date`` if given, else the change file's ``date``, else the cycle start -- never
    the day the command runs, so the same inputs give the same ``pair_starts.csv``.
    None only when no cycle start can be told (a plan label without a year).
    """
    if option is not None:
        return option, False
    if change.repair_date is not None:
        return change.repair_date, False
    return cycle_start_of(problem), True


def _read_inputs(
    plan: Path, data: Path, changes: list[Path], lang: str
) -> tuple[DataSet, list[tuple[str, str]], list[Change]]:
    """The DATA, the old plan and the change files, reporting every problem at once."""
    problems: list[InputProblem] = []
    read: list[Change] = []
    for c in changes:
        try:
            read.append(read_change(c))
        except InputError as exc:
            problems += exc.problems
    try:
        ds, old = _read_old(plan, data, lang)
    except InputError as exc:
        # The change files cannot be checked against rosters that did not read; their
        # own structural problems are reported with the DATA's.
        raise InputError(problems + [p for ch in read for p in ch.problems] + exc.problems) from exc
    if problems:
        raise InputError(problems + [p for ch in read for p in ch.problems])
    return ds, old, read


def _read_old(plan: Path, data: Path, lang: str) -> tuple[DataSet, list[tuple[str, str]]]:
    label, rows = read_plan_pairs(plan)
    ds = read_data(data, cycle=label)
    _notes(ds, lang)
    old = [(a, b) for a, b, _ in rows]
    broken = pipeline.validate_plan_file(ds.problem, rows)
    if broken:
        err_console.print(
            msg(
                lang,
                f"提示:原联系对应表有 {len(broken)} 处不符合现行规定(调整时一并修正),例如:{broken[0].render(lang)}",
                f"note: the old plan breaks {len(broken)} rule(s) already (fixed by the repair), e.g. {broken[0].render(lang)}",
            ),
            markup=False,
        )
    return ds, old


def _levels_table(levels: dict[str, int], lang: str) -> Table:
    t = Table(title=msg(lang, "调整结果(按优先级)", "repair (in priority order)"))
    t.add_column(msg(lang, "层次", "level"))
    t.add_column(msg(lang, "值", "value"), justify="right")
    for name in (MOVES, *(lv.name for lv in LEVELS)):
        if name in levels:
            t.add_row(_level_name(name, lang), str(levels[name]))
    return t


def whatif_cmd(
    data: DataArg,
    plan: PlanOpt,
    change: Annotated[Path, typer.Option("--change", help="变更文件(.toml,见 scenarios/changes/)")],
    out: OutOpt,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="人员变动生效日期 YYYY-MM-DD:新增结对的规划发展从此日起算"
            "(默认取变更文件中的 date = 2027-09-01,再无则取周期开始日)",
        ),
    ] = None,
    seed: SeedOpt = 0,
    time_limit: TimeOpt = 60.0,
    lang: LangOpt = "zh",
) -> None:
    """假设情形:人员变动后,以最少变动调整联系对应表(plan.csv、diff.csv)。

    变更文件可写顶层键 date = 2027-09-01(人员变动生效日期);--date 优先于它,两者都没有时按周期开始日计算新结对的规划发展期限。
    """
    _check_lang(lang)

    def body() -> int:
        date_opt = _date_option(date, lang)
        ds, old, (the_change,) = _read_inputs(plan, data, [change], lang)
        applied = apply_change(ds.problem, the_change)
        found, fell_back = repair_date(date_opt, the_change, ds.problem)
        if found is None:
            raise InputError(
                [
                    InputProblem(
                        plan.name,
                        f"无法从周期“{ds.problem.cycle}”得知周期开始日,"
                        "请用 --date 或变更文件中的 date 指定人员变动生效日期",
                        f"cannot tell the cycle start from the cycle '{ds.problem.cycle}'; "
                        "give the effective date with --date or date in the change file",
                        column="cycle",
                        value=ds.problem.cycle,
                    )
                ]
            )
        start = found
        if fell_back:
            err_console.print(
                msg(
                    lang,
                    "提示:未指定人员变动生效日期(--date 或变更文件中的 date),"
                    f"新结对的规划发展期限按周期开始日 {start.isoformat()} 计算。",
                    "note: no effective date of the change given (--date or date in the "
                    "change file); career guidance of new pairs is due counting from the "
                    f"cycle start {start.isoformat()}.",
                ),
                markup=False,
            )
        for note in applied.notes:
            err_console.print(msg(lang, "提示:", "note: ") + note.render(lang), markup=False)
        err_console.print(
            msg(lang, "变更:", "change: ") + change_summary(applied, lang), markup=False
        )
        with err_console.status(msg(lang, "求解中…", "solving…")):
            res = repair(applied, old, seed=seed, time_limit=time_limit)
        changed = DataSet(problem=applied.problem, notes=ds.notes, sources=ds.sources)
        if res.status == SolveStatus.INFEASIBLE:
            _infeasible(
                out,
                changed,
                res.findings,
                lang,
                msg(
                    lang,
                    "变更后无法得到满足全部规定的联系对应表:",
                    "after the change no plan satisfies the hard rules:",
                ),
            )
        if res.plan is None:
            _timeout(time_limit, lang)
        assert res.plan is not None
        new_plan = res.plan
        diff = diff_plans(applied, old, new_plan.keys(), lang)
        summary = summary_line(applied, diff, lang)
        added = {(r.new_leader_id, r.counselor_id) for r in diff if r.added}
        starts = plan_start_dates(diff, start)
        problem = applied.problem
        with staged_output(out) as stage:
            write_plan_csv(stage / "plan.csv", problem, new_plan, lang)
            write_plan_xlsx(stage / "plan.xlsx", problem, new_plan, lang, highlight=added)
            write_diff_csv(stage / "diff.csv", problem, diff, new_plan.cycle, lang)
            write_diff_xlsx(stage / "diff.xlsx", problem, diff, new_plan.cycle, summary, lang)
            write_pair_starts(stage / "pair_starts.csv", starts, lang)
            text = [
                msg(lang, "变更:", "change: ") + change_summary(applied, lang),
                summary,
                *(f"{_level_name(k, lang)}: {v}" for k, v in res.levels.items()),
                msg(
                    lang,
                    f"新增结对的规划发展自 {start.isoformat()} 起 6 个月内完成(见 pair_starts.csv)。",
                    f"career guidance of added pairs is due within 6 months of {start.isoformat()} (pair_starts.csv).",
                ),
            ]
            (stage / "summary.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
            write_plan_json(
                stage / "plan.json",
                {
                    "cycle": new_plan.cycle,
                    "status": res.status.value,
                    "repair": {
                        "plan": str(plan),
                        "change": {"file": str(change), "sha256": sha256_of(change)},
                        "date": start.isoformat(),
                        "date_from": (
                            "cycle_start"
                            if fell_back
                            else "option"
                            if date_opt is not None
                            else "change_file"
                        ),
                        "moves": res.moves,
                        "added": len(added),
                        "dropped": len(diff) - len(added),
                    },
                    "objective": res.levels,
                    "pair_starts": [
                        {"leader_id": a, "counselor_id": b, "start": d.isoformat()}
                        for a, b, d in starts
                    ],
                    "seed": seed,
                    "time_limit_s": time_limit,
                    "solve_seconds": round(res.seconds, 4),
                    "settings": problem.settings.model_dump(),
                    "versions": _versions(),
                    "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
                },
            )
        out_console.print(_levels_table(res.levels, lang))
        out_console.print(summary, markup=False)
        names = ("plan.csv", "plan.xlsx", "diff.csv", "diff.xlsx", "pair_starts.csv")
        out_console.print(
            msg(
                lang,
                f"完成({res.seconds:.2f} 秒),已通过独立校验。已写入:",
                f"done ({res.seconds:.2f} s), checked by the independent validator. Wrote:",
            )
        )
        for n in (*names, "summary.txt", "plan.json"):
            out_console.print(f"  {out / n}", markup=False)
        return EXIT_OK

    _guard(lang, body)


# ----- compare ----------------------------------------------------------------------------
def compare_cmd(
    data: DataArg,
    plan: PlanOpt,
    change: Annotated[
        list[Path], typer.Option("--change", help="变更文件(.toml),可多次给出,每个是一个方案")
    ],
    out: OutOpt,
    top: Annotated[
        int, typer.Option("--top", min=1, max=20, help="离岗领导的每名辅导员列出几名接收领导")
    ] = 3,
    seed: SeedOpt = 0,
    time_limit: TimeOpt = 60.0,
    lang: LangOpt = "zh",
) -> None:
    """对比多个假设情形:各需变动几对、结对与本单位情况、是否可行(compare.xlsx)。"""
    _check_lang(lang)

    def body() -> int:
        ds, old, changes = _read_inputs(plan, data, list(change), lang)
        with err_console.status(msg(lang, "求解中…", "solving…")):
            options = compare(
                ds.problem, old, changes, seed=seed, time_limit=time_limit, top=top, lang=lang
            )
        summaries = [
            summary_line(o.applied, o.diff, lang) if o.feasible else o.reason(lang) for o in options
        ]
        with staged_output(out) as stage:
            write_compare_xlsx(stage / "compare.xlsx", options, summaries, lang)
        zh = lang == "zh"
        t = Table(title=msg(lang, "假设情形对比", "what-if options"))
        t.add_column(msg(lang, "方案", "option"), no_wrap=True)
        for col in (
            msg(lang, "可行", "feasible"),
            msg(lang, "变动", "moves"),
            msg(lang, "结对", "pairs"),
            msg(lang, "本单位", "own-unit"),
            msg(lang, "负责人", "heads"),
            msg(lang, "负荷", "loads"),
            msg(lang, "新增", "added"),
            msg(lang, "取消", "dropped"),
        ):
            t.add_column(col, justify="right")
        for o in options:
            loads = o.loads()
            lv = o.result.levels
            n_add = sum(1 for r in o.diff if r.added)
            t.add_row(
                o.change.name,
                ("是" if o.feasible else "否") if zh else str(o.feasible).lower(),
                str(o.result.moves) if o.feasible else "-",
                str(lv.get("pairs", "-")),
                str(lv.get("own_unit_pairs", "-")),
                str(lv.get("heads_covered", "-")),
                f"{loads[0]}-{loads[1]}" if loads else "-",
                str(n_add) if o.feasible else "-",
                str(len(o.diff) - n_add) if o.feasible else "-",
            )
        out_console.print(t)
        for o, s in zip(options, summaries, strict=True):
            out_console.print(f"- {o.change.name}: {s}", markup=False)
        ranked = [(o, a) for o in options for a in o.absorb]
        if ranked:
            ta = Table(
                title=msg(
                    lang, "离岗领导所联系辅导员的接收方案", "who could take a leaver's counselors"
                )
            )
            for col in (
                msg(lang, "方案", "option"),
                msg(lang, "辅导员", "counselor"),
                msg(lang, "排序", "rank"),
                msg(lang, "接收领导", "receiving leader"),
                msg(lang, "变动", "moves"),
                msg(lang, "结对", "pairs"),
                msg(lang, "本单位", "own-unit"),
                msg(lang, "推荐", "chosen"),
            ):
                ta.add_column(col)
            for o, a in ranked:
                p = o.applied.problem
                c = p.counselor_by_id[a.counselor_id]
                recv = (
                    f"{p.leader_by_id[a.leader_id].name}({a.leader_id})"
                    if a.leader_id
                    else msg(lang, "无需新增", "none needed")
                )
                ta.add_row(
                    o.change.name,
                    f"{c.name}({c.counselor_id})",
                    str(a.rank),
                    recv,
                    str(a.levels[MOVES]),
                    str(a.levels["pairs"]),
                    str(a.levels["own_unit_pairs"]),
                    "✓" if a.chosen else "",
                )
            out_console.print(ta)
        out_console.print(
            msg(lang, f"已写入 {out / 'compare.xlsx'}", f"wrote {out / 'compare.xlsx'}"),
            markup=False,
        )
        return EXIT_OK

    _guard(lang, body)


def register(app: typer.Typer) -> None:
    """Add ``rotate``, ``whatif`` and ``compare`` to the main app."""
    app.command("rotate")(rotate_cmd)
    app.command("whatif")(whatif_cmd)
    app.command("compare")(compare_cmd)


__all__ = ["compare_cmd", "register", "rotate_cmd", "whatif_cmd"]
