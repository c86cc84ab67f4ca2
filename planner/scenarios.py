"""What-if changes (假设情形): read a change file, apply it to a copy of the problem, diff plans.

A change file (CONTRACT.md §6) is TOML with every key optional::

    leaders_leave = ["L0003"]          # set active = false
    counselors_leave = ["00017"]
    [[leaders_join]]     ...           # roster rows (extra keys become extra columns)
    [[counselors_join]]  ...
    [[leaders_update]]   leader_id = "L0005"; max_load = 2   # only the columns that change
    [[counselors_update]] ...
    [[rules]]            leader_id, counselor_id, rule = "never" | "must", reason
    date = 2027-09-01                  # when the change takes effect (optional)

``date`` is the repair date: career guidance (规划发展) of every pair the repair adds is
due within six months of it (``pair_starts.csv``). It is a TOML date or a string in any
date form of the rosters (``2027-09-01``, ``2027/9/1``, ``2027.9.1``, ``20270901``,
``2027年9月1日``). ``planner whatif --date`` overrides it; without either the cycle start
is used (the calendar's ``cycle_start``, else 1 September of the cycle's first year).

Leavers stay on the copy as inactive people (so a diff can still name them); the
``must`` rules naming a leaver no longer apply and are dropped with a note. A rule of
the change replaces a rule of the rules table for the same pair (a newer decision).
Every malformed entry is collected into one :class:`~planner.errors.InputError`
naming the file, the key (and entry number) and the value: :func:`read_change` keeps the
problems of the file's structure (unknown keys, wrong shapes, a bad ``date``) and
:func:`apply_change` raises them together with the problems found against the rosters
(unknown ids, duplicate joins, bad values).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from models import Counselor, Leader, Level, Problem, Rule, RuleKind
from planner.changes import CHANGE_KEYS, DATE_KEY, KEY_ZH, Change
from planner.errors import Note
from planner.io.change_files import ChangeProblems, id_text, read_change, short_value
from planner.schema import (
    COUNSELORS,
    LEADERS,
    RULE_KINDS,
    Column,
    Kind,
    Table,
    match_column,
    norm_text,
)
from planner.values import convert_value

PairKey = tuple[str, str]


@dataclass
class Applied:
    """A change applied to a problem: the new problem and what happened."""

    problem: Problem
    change: Change
    left_leaders: tuple[str, ...] = ()
    left_counselors: tuple[str, ...] = ()
    joined_leaders: tuple[str, ...] = ()
    joined_counselors: tuple[str, ...] = ()
    new_nevers: frozenset[PairKey] = frozenset()
    notes: list[Note] = field(default_factory=list)

    @property
    def gone(self) -> frozenset[str]:
        """Ids of everyone who left (leaders and counselors)."""
        return frozenset(self.left_leaders) | frozenset(self.left_counselors)


# ----- reading -----------------------------------------------------------------------
# ----- applying ----------------------------------------------------------------------
_UPDATABLE = {
    "leaders": (
        "name",
        "position",
        "level",
        "unit",
        "heads_teaching_unit",
        "min_load",
        "max_load",
        "active",
    ),
    "counselors": ("name", "unit", "start_date", "active"),
}


def _convert(value: object, col: Column) -> tuple[object, tuple[str, str] | None]:
    """One TOML value of a roster column, through the product's one value converter.

    TOML has its own types: ``true`` is not a name and a table is not a value, so those are
    refused here; everything else reads as the same text in a spreadsheet cell would.
    """
    if isinstance(value, list | dict):
        return None, ("应为单个值", "must be a single value")
    if isinstance(value, bool) and col.kind not in (Kind.BOOL, Kind.ACTIVE):
        return None, ("应为文字", "must be text")
    if value is None or (isinstance(value, str) and not norm_text(value)):
        return None, ("不能为空", "must not be empty")
    return convert_value(value, col)


class _Applier:
    def __init__(self, problem: Problem, change: Change) -> None:
        self.p = problem
        self.c = change
        self.bad = ChangeProblems(Path(change.source).name)
        self.bad.items.extend(change.problems)
        self.notes: list[Note] = []

    def problem(self, zh: str, en: str, key: str, i: int | None, col: str | None, value: object):
        where = f"{key}[{i + 1}]" if i is not None else key
        column = f"{where}.{col}" if col else where
        self.bad.add(zh, en, column=column, value=value)

    def typed_row(
        self, key: str, i: int, row: Mapping[str, Any], table: Table, allowed: Sequence[str]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """(known columns → typed value, extra columns → text) of one join/update row."""
        typed: dict[str, Any] = {}
        extra: dict[str, str] = {}
        for name, value in row.items():
            col = match_column(table, name)
            if col is None or col.key not in allowed:
                if key.endswith("_update") and col is None:
                    self.problem(
                        f"无法修改未知的列“{name}”,可修改: {', '.join(allowed)}",
                        f"unknown column '{name}'; can change: {', '.join(allowed)}",
                        key,
                        i,
                        name,
                        short_value(value),
                    )
                elif col is None:
                    extra[name] = "" if value is None else norm_text(str(value))
                else:
                    self.problem(
                        f"不能修改“{name}”", f"'{name}' cannot be changed", key, i, name, value
                    )
                continue
            v, why = _convert(value, col)
            if why is not None:
                self.problem(why[0], why[1], key, i, name, value)
                continue
            typed[col.key] = v
        return typed, extra

    # -- leave ----------------------------------------------------------------------
    def leave(self, key: str, ids: Iterable[str], known: Mapping[str, Any]) -> list[str]:
        out = []
        for x in ids:
            if x not in known:
                who = "领导干部" if key.startswith("leaders") else "辅导员"
                self.problem(
                    f"{who}名单中没有这个工号",
                    f"no {'leader' if key.startswith('leaders') else 'counselor'} has this id",
                    key,
                    None,
                    None,
                    x,
                )
            else:
                out.append(x)
        return out

    def run(self) -> Applied:
        p, c = self.p, self.c
        leaders: dict[str, Leader] = {x.leader_id: x for x in p.leaders}
        counselors: dict[str, Counselor] = {x.counselor_id: x for x in p.counselors}
        left_l = self.leave("leaders_leave", c.leaders_leave, leaders)
        left_c = self.leave("counselors_leave", c.counselors_leave, counselors)

        # Joins: roster rows appended after the existing ones (input order = rank).
        joined_l: list[str] = []
        next_order = max((x.order for x in p.leaders), default=-1) + 1
        for i, row in enumerate(c.leaders_join):
            typed, extra = self.typed_row(
                "leaders_join", i, row, LEADERS, [col.key for col in LEADERS.columns]
            )
            ld = self.new_person(
                "leaders_join", i, typed, leaders, counselors, LEADERS, joined=joined_l
            )
            if ld is None:
                continue
            unit = typed.get("unit") or ""
            try:
                leader = Leader(
                    leader_id=typed["leader_id"],
                    name=typed["name"],
                    position=typed.get("position") or "",
                    level=Level(typed.get("level") or ("middle" if unit else "college")),
                    unit=unit,
                    heads_teaching_unit=bool(typed.get("heads_teaching_unit", False)),
                    min_load=typed.get("min_load"),
                    max_load=typed.get("max_load"),
                    active=bool(typed.get("active", True)),
                    order=next_order,
                    extra=extra,
                )
            except ValueError as exc:
                self.problem(
                    f"领导信息有误: {_pydantic_message(exc, 'zh')}",
                    f"bad leader row: {_pydantic_message(exc)}",
                    "leaders_join",
                    i,
                    None,
                    ld,
                )
                continue
            next_order += 1
            leaders[leader.leader_id] = leader
            joined_l.append(leader.leader_id)
        joined_c: list[str] = []
        next_order = max((x.order for x in p.counselors), default=-1) + 1
        for i, row in enumerate(c.counselors_join):
            typed, extra = self.typed_row(
                "counselors_join", i, row, COUNSELORS, [col.key for col in COUNSELORS.columns]
            )
            cid = self.new_person(
                "counselors_join", i, typed, counselors, leaders, COUNSELORS, joined=joined_c
            )
            if cid is None:
                continue
            counselors[cid] = Counselor(
                counselor_id=cid,
                name=typed["name"],
                unit=typed["unit"],
                start_date=typed.get("start_date"),
                active=bool(typed.get("active", True)),
                order=next_order,
                extra=extra,
            )
            next_order += 1
            joined_c.append(cid)

        # Updates: only the columns given change.
        self.apply_updates("leaders_update", c.leaders_update, LEADERS, leaders, Leader, "领导")
        self.apply_updates(
            "counselors_update", c.counselors_update, COUNSELORS, counselors, Counselor, "辅导员"
        )

        # Leaving last: a leave wins over an update of the same person.
        for lid in left_l:
            leaders[lid] = leaders[lid].model_copy(update={"active": False})
        for cid in left_c:
            counselors[cid] = counselors[cid].model_copy(update={"active": False})

        rules, new_nevers = self.rules(leaders, counselors, set(left_l) | set(left_c))
        self.bad.raise_if_any()
        try:
            problem = p.replace(
                leaders=tuple(leaders.values()),
                counselors=tuple(counselors.values()),
                rules=tuple(rules),
            )
        except ValueError as exc:  # the checks above should have caught it first
            self.bad.add(f"变更后数据不一致: {exc}", f"inconsistent after the change: {exc}")
            self.bad.raise_if_any()
            raise
        return Applied(
            problem=problem,
            change=c,
            left_leaders=tuple(left_l),
            left_counselors=tuple(left_c),
            joined_leaders=tuple(joined_l),
            joined_counselors=tuple(joined_c),
            new_nevers=frozenset(new_nevers),
            notes=self.notes,
        )

    def new_person(
        self,
        key: str,
        i: int,
        typed: Mapping[str, Any],
        same: Mapping[str, Any],
        other: Mapping[str, Any],
        table: Table,
        *,
        joined: Sequence[str] = (),
    ) -> str | None:
        """The id of a joining person, or None after reporting what is missing or clashing.

        ``joined`` are the ids this change already added to ``same`` (a second join of
        one id is a duplicate within the change file).
        """
        ok = True
        for col in table.columns:
            if col.required and not typed.get(col.key):
                self.problem(
                    f"缺少必填项“{col.key}”({col.zh})",
                    f"missing required '{col.key}' ({col.zh})",
                    key,
                    i,
                    col.key,
                    None,
                )
                ok = False
        idkey = table.columns[0].key
        pid = typed.get(idkey)
        if pid and pid in joined:
            self.problem(
                f"工号重复:变更文件中已有一项 {key} 使用此工号",
                f"duplicate id: another {key} entry of the change file has this id",
                key,
                i,
                idkey,
                pid,
            )
            ok = False
        elif pid and pid in same:
            self.problem(
                "工号重复:名单中已有此人(重新到岗请用 *_update 设 active = true)",
                "duplicate id: already on the roster (to bring someone back use *_update active = true)",
                key,
                i,
                idkey,
                pid,
            )
            ok = False
        elif pid and pid in other:
            self.problem(
                "该工号已是另一张名单上的人员,同一工号不能既是领导又是辅导员",
                "this id is on the other roster; an id cannot be both a leader and a counselor",
                key,
                i,
                idkey,
                pid,
            )
            ok = False
        if typed.get("heads_teaching_unit") and not typed.get("unit"):
            self.problem(
                "教学单位负责人需要填写 unit(单位)",
                "heads_teaching_unit needs a unit",
                key,
                i,
                "unit",
                None,
            )
            ok = False
        return str(pid) if ok and pid else None

    def apply_updates(
        self,
        key: str,
        rows: Sequence[Mapping[str, Any]],
        table: Table,
        people: dict[str, Any],
        model: type[Leader] | type[Counselor],
        who_zh: str,
    ) -> None:
        """Apply ``*_update`` rows to ``people`` in place, re-validating each person."""
        id_key = table.columns[0].key
        kind = key.split("_")[0]
        for i, row in enumerate(rows):
            pid = self.update_target(key, i, row, table, people)
            typed, extra = self.typed_row(key, i, row, table, (id_key, *_UPDATABLE[kind]))
            if pid is None:
                continue
            typed.pop(id_key, None)
            old = people[pid]
            fields = old.model_dump()
            fields.update(typed)
            fields["extra"] = {**old.extra, **extra}
            try:
                people[pid] = model.model_validate(fields)
            except ValueError as exc:
                self.problem(
                    f"修改后{who_zh}信息有误: {_pydantic_message(exc, 'zh')}",
                    f"the updated {kind[:-1]} is invalid: {_pydantic_message(exc)}",
                    key,
                    i,
                    None,
                    pid,
                )

    def update_target(
        self, key: str, i: int, row: Mapping[str, Any], table: Table, known: Mapping[str, Any]
    ) -> str | None:
        idcol = table.columns[0]
        raw = next((v for k, v in row.items() if match_column(table, k) is idcol), None)
        pid = id_text(raw)
        if pid is None:
            self.problem(
                f"缺少要修改人员的工号 {idcol.key}",
                f"missing the id '{idcol.key}' of the person to change",
                key,
                i,
                idcol.key,
                None,
            )
            return None
        if pid not in known:
            self.problem(
                "名单中没有这个工号", "no one on the roster has this id", key, i, idcol.key, pid
            )
            return None
        return pid

    def rules(
        self,
        leaders: Mapping[str, Leader],
        counselors: Mapping[str, Counselor],
        gone: set[str],
    ) -> tuple[list[Rule], set[PairKey]]:
        rule_col = Column("rule", "规则", True, Kind.CHOICE, choices=RULE_KINDS)
        new: dict[PairKey, Rule] = {}
        for i, row in enumerate(self.c.rules):
            lid = id_text(row.get("leader_id", row.get("领导工号")))
            cid = id_text(row.get("counselor_id", row.get("辅导员工号")))
            kind_raw = row.get("rule", row.get("规则", row.get("kind")))
            for name, val, known in (
                ("leader_id", lid, leaders),
                ("counselor_id", cid, counselors),
            ):
                if val is None:
                    self.problem(
                        f"缺少必填项“{name}”", f"missing required '{name}'", "rules", i, name, None
                    )
                elif val not in known:
                    self.problem(
                        "名单中没有这个工号",
                        "no one on the roster has this id",
                        "rules",
                        i,
                        name,
                        val,
                    )
            kind, why = _convert(kind_raw, rule_col)
            if why is not None:
                self.problem(
                    "规则应为“必须”(must)或“禁止”(never)",
                    "rule must be must or never",
                    "rules",
                    i,
                    "rule",
                    kind_raw,
                )
            unknown = set(row) - {
                "leader_id",
                "counselor_id",
                "rule",
                "kind",
                "reason",
                "领导工号",
                "辅导员工号",
                "规则",
                "原因",
            }
            for k in sorted(unknown):
                self.problem(
                    f"未知的列“{k}”,可用: leader_id, counselor_id, rule, reason",
                    f"unknown column '{k}'; use leader_id, counselor_id, rule, reason",
                    "rules",
                    i,
                    k,
                    short_value(row[k]),
                )
            if lid in leaders and cid in counselors and why is None and lid and cid:
                key = (lid, cid)
                reason = norm_text(str(row.get("reason", row.get("原因", "")) or ""))
                rule = Rule(
                    leader_id=lid, counselor_id=cid, kind=RuleKind(str(kind)), reason=reason
                )
                if key in new and new[key].kind != rule.kind:
                    self.problem(
                        "同一对不能既“必须”又“禁止”",
                        "a pair cannot be both must and never",
                        "rules",
                        i,
                        "rule",
                        kind_raw,
                    )
                new[key] = rule
        out: list[Rule] = []
        for r in self.p.rules:
            key = (r.leader_id, r.counselor_id)
            if key in new:
                if new[key].kind != r.kind:
                    self.notes.append(_overridden(r, new[key], leaders, counselors))
                continue  # the change's decision replaces the table's
            if r.kind == RuleKind.MUST and (r.leader_id in gone or r.counselor_id in gone):
                ld = leaders[r.leader_id]
                co = counselors[r.counselor_id]
                self.notes.append(
                    Note(
                        f"约束“{ld.name} 必须联系 {co.name}”因人员离岗不再适用",
                        f"the must rule {ld.name} - {co.name} no longer applies (someone left)",
                    )
                )
                continue
            out.append(r)
        out.extend(new.values())
        nevers = {k for k, r in new.items() if r.kind == RuleKind.NEVER}
        return out, nevers


def _overridden(
    old: Rule, new: Rule, leaders: Mapping[str, Leader], counselors: Mapping[str, Counselor]
) -> Note:
    """A stated decision: the change's rule for a pair replaces the opposite rule of 约束."""
    ld, co = leaders[old.leader_id], counselors[old.counselor_id]
    pair_zh = f"{ld.name}({ld.leader_id})—{co.name}({co.counselor_id})"
    pair_en = f"{ld.name} ({ld.leader_id}) - {co.name} ({co.counselor_id})"
    word = {RuleKind.MUST: ("必须", "must"), RuleKind.NEVER: ("禁止", "never")}
    return Note(
        f"变更文件把 {pair_zh} 改为“{word[new.kind][0]}”,取代约束表中的“{word[old.kind][0]}”"
        "(变更是更新的决定,以变更为准);若采用这一方案,请同时修改约束表,"
        "否则用现行数据校验新方案时会报告这一对",
        f"the change makes {pair_en} '{word[new.kind][1]}', overriding the rules table's "
        f"'{word[old.kind][1]}' (the change is the newer decision); if this plan is adopted, "
        "update the rules table too, or validating it against the current data reports this pair",
        loud=True,
    )


# The models' own checks (models/people.py) in the office's words.
_MODEL_MESSAGES_ZH = {
    "min_load > max_load": "“最少联系人数”大于“最多联系人数”",
    "heads_teaching_unit needs a unit": "教学单位负责人须填写所负责的“单位”",
}


def _pydantic_message(exc: Exception, lang: str = "en") -> str:
    errors = getattr(exc, "errors", None)
    text = str(exc)
    if callable(errors):
        with contextlib.suppress(Exception):  # defensive: any pydantic shape
            text = "; ".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in errors())
    if lang == "zh":
        for en, zh in _MODEL_MESSAGES_ZH.items():
            if en in text:
                return zh
    return text


def apply_change(problem: Problem, change: Change) -> Applied:
    """Apply ``change`` to a copy of ``problem``.

    Parameters
    ----------
    problem
        The problem as read from DATA (its cycle label is kept).
    change
        What :func:`read_change` returned.

    Returns
    -------
    Applied
        The new problem (leavers inactive, joiners appended, updates applied,
        rules added) with what changed.

    Raises
    ------
    InputError
        With every problem at once: those :func:`read_change` kept (unknown keys,
        wrong shapes, a bad ``date``) and those found here -- an unknown id (leave,
        update, rule), a duplicate id in a join, a missing required column or a bad
        value. Each names the change file, the key with the entry number
        (``leaders_join[2].unit``) and the value.
    """
    return _Applier(problem, change).run()


def load_change(path: Path, problem: Problem) -> Applied:
    """:func:`read_change` then :func:`apply_change`."""
    return apply_change(problem, read_change(path))


def change_summary(applied: Applied, lang: str = "zh") -> str:
    """One line saying what the change does (``离岗领导 L005;新到岗辅导员 00046``)."""
    p = applied.problem
    c = applied.change
    zh = lang == "zh"
    parts: list[str] = []

    def names(ids: Iterable[str], people: Mapping[str, Any]) -> str:
        return ("、" if zh else ", ").join(
            f"{people[i].name}({i})" if i in people else i for i in ids
        )

    for key, ids, people in (
        ("leaders_leave", applied.left_leaders, p.leader_by_id),
        ("counselors_leave", applied.left_counselors, p.counselor_by_id),
        ("leaders_join", applied.joined_leaders, p.leader_by_id),
        ("counselors_join", applied.joined_counselors, p.counselor_by_id),
    ):
        if ids:
            parts.append(f"{KEY_ZH[key] if zh else key} {names(ids, people)}")
    for key in ("leaders_update", "counselors_update", "rules"):
        n = len(getattr(c, key))
        if n:
            parts.append(f"{KEY_ZH[key]} {n} 项" if zh else f"{key} ×{n}")
    if not parts:
        return "无变更" if zh else "no change"
    return (";" if zh else "; ").join(parts)


# ----- plan diff ---------------------------------------------------------------------
@dataclass(frozen=True)
class DiffRow:
    """One pair added or dropped by a repair (one row of ``diff.csv``).

    ``move`` is true for a dropped pair that counts as a move (both people still
    present and the pair not forbidden by the change).
    """

    counselor_id: str
    old_leader_id: str
    new_leader_id: str
    reason: str
    move: bool = False

    @property
    def added(self) -> bool:
        return bool(self.new_leader_id)


def moves_of(applied: Applied, old: Iterable[PairKey], new: Iterable[PairKey]) -> list[PairKey]:
    """Old pairs the new plan drops although it could keep them (the repair's moves)."""
    keep = movable_pairs(applied, old)
    new_set = set(new)
    return sorted(k for k in keep if k not in new_set)


def movable_pairs(applied: Applied, old: Iterable[PairKey]) -> list[PairKey]:
    """Old pairs between two people still present and not forbidden by the change."""
    p = applied.problem
    out = []
    for lid, cid in sorted(set(old)):
        ld = p.leader_by_id.get(lid)
        c = p.counselor_by_id.get(cid)
        if ld is None or c is None or not ld.active or not c.active:
            continue
        if (lid, cid) in p.nevers:
            continue
        out.append((lid, cid))
    return out


def diff_plans(
    applied: Applied,
    old: Iterable[PairKey],
    new: Iterable[PairKey],
    lang: str = "zh",
) -> list[DiffRow]:
    """One row per pair added or dropped, each with a reason (说明).

    Rows are ordered by counselor id, a dropped pair before the pair that
    replaces it.
    """
    p = applied.problem
    zh = lang == "zh"
    old_set, new_set = set(old), set(new)
    dropped = sorted(old_set - new_set, key=lambda k: (k[1], k[0]))
    added = sorted(new_set - old_set, key=lambda k: (k[1], k[0]))
    movable = set(movable_pairs(applied, old_set))
    old_of: dict[str, list[str]] = defaultdict(list)
    new_of: dict[str, list[str]] = defaultdict(list)
    for lid, cid in sorted(old_set):
        old_of[cid].append(lid)
    for lid, cid in sorted(new_set):
        new_of[cid].append(lid)
    joined_l = set(applied.joined_leaders)
    joined_c = set(applied.joined_counselors)

    def lname(lid: str) -> str:
        ld = p.leader_by_id.get(lid)
        return f"{ld.name}({lid})" if ld else lid

    def cname(cid: str) -> str:
        c = p.counselor_by_id.get(cid)
        return f"{c.name}({cid})" if c else cid

    rows: list[DiffRow] = []
    for lid, cid in dropped:
        ld = p.leader_by_id.get(lid)
        c = p.counselor_by_id.get(cid)
        move = (lid, cid) in movable
        if ld is None or c is None:
            why = (
                "原对应表中的人员不在名单中"
                if zh
                else "a person of the old plan is not on the rosters"
            )
        elif not ld.active and not c.active:
            why = "领导与辅导员均已离岗" if zh else "both left"
        elif not ld.active:
            why = f"{lname(lid)}离岗" if zh else f"{lname(lid)} left"
        elif not c.active:
            why = f"辅导员{cname(cid)}离岗" if zh else f"counselor {cname(cid)} left"
        elif (lid, cid) in applied.new_nevers:
            why = "变更新增禁止约束" if zh else "forbidden by a never rule of the change"
        elif (lid, cid) in p.nevers:
            why = "约束禁止结对" if zh else "forbidden by a never rule"
        elif not p.allowed((lid, cid)):
            why = "按轮换规定不得保留" if zh else "the rotation rule forbids keeping it"
        else:
            others = [x for x in new_of.get(cid, []) if (x, cid) not in old_set]
            if others and p.is_own_unit(others[0], cid):
                why = (
                    f"调整:改由本单位负责人{lname(others[0])}联系(本单位优先)"
                    if zh
                    else f"moved: now with own-unit head {lname(others[0])} (own-unit priority)"
                )
            elif others:
                why = (
                    f"调整:改由{lname(others[0])}联系,以满足负荷要求"
                    if zh
                    else f"moved: now with {lname(others[0])} to meet the loads"
                )
            else:
                why = (
                    "调整:去掉该对以满足负荷要求(仍有其他联系领导)"
                    if zh
                    else "moved: dropped to meet the loads (another leader remains)"
                )
        rows.append(DiffRow(cid, lid, "", why, move))
    for lid, cid in added:
        ld = p.leader_by_id[lid]
        before = old_of.get(cid, [])
        gone = [x for x in before if (x, cid) not in new_set]
        parts: list[str] = []
        if cid in joined_c:
            parts.append("新到岗辅导员" if zh else "newly joined counselor")
        elif gone:
            parts.append(
                f"接替原联系领导{'、'.join(lname(x) for x in gone)}"
                if zh
                else f"takes over from {', '.join(lname(x) for x in gone)}"
            )
        elif not before:
            parts.append("原无联系领导" if zh else "had no leader")
        else:
            parts.append("增加第二位联系领导" if zh else "a second leader")
        if lid in joined_l:
            parts.append("新到岗领导" if zh else "newly joined leader")
        if p.is_own_unit(lid, cid):
            parts.append("本单位优先" if zh else "own-unit priority")
        if (lid, cid) in p.musts:
            parts.append("按约束必须结对" if zh else "pinned by a must rule")
        if not ld.active:  # pragma: no cover - a repair never adds an inactive leader
            parts.append("领导不在岗" if zh else "leader inactive")
        rows.append(DiffRow(cid, "", lid, (";" if zh else "; ").join(parts)))
    rows.sort(key=lambda r: (r.counselor_id, r.added, r.old_leader_id or r.new_leader_id))
    return rows


def summary_line(applied: Applied, rows: Sequence[DiffRow], lang: str = "zh") -> str:
    """The short summary printed after a repair (``调整 2 对联系关系:…``)."""
    p = applied.problem
    zh = lang == "zh"
    moves = sum(1 for r in rows if r.move)
    n_add = sum(1 for r in rows if r.added)
    n_drop = len(rows) - n_add
    if not rows:
        return "无需调整:原联系对应表在变更后仍符合全部规定。" if zh else "no change needed."

    def lname(lid: str) -> str:
        ld = p.leader_by_id.get(lid)
        return ld.name if ld else lid

    def cname(cid: str) -> str:
        c = p.counselor_by_id.get(cid)
        return c.name if c else cid

    items: list[str] = []
    by_c: dict[str, list[DiffRow]] = defaultdict(list)
    for r in rows:
        by_c[r.counselor_id].append(r)
    for cid, rs in by_c.items():
        olds = [lname(r.old_leader_id) for r in rs if not r.added]
        news = [lname(r.new_leader_id) for r in rs if r.added]
        if olds and news:
            items.append(
                f"{cname(cid)} 由{'、'.join(olds)}改为{'、'.join(news)}"
                if zh
                else f"{cname(cid)}: {', '.join(olds)} → {', '.join(news)}"
            )
        elif news:
            items.append(
                f"{cname(cid)} 增加{'、'.join(news)}"
                if zh
                else f"{cname(cid)}: + {', '.join(news)}"
            )
        else:
            items.append(
                f"{cname(cid)} 去掉{'、'.join(olds)}"
                if zh
                else f"{cname(cid)}: − {', '.join(olds)}"
            )
    if zh:
        return (
            f"调整 {len(items)} 对联系关系:"
            + ";".join(items)
            + f"(新增 {n_add} 对、取消 {n_drop} 对,其中变动在岗人员原有结对 {moves} 对)。"
        )
    return (
        f"{len(items)} change(s): "
        + "; ".join(items)
        + f" ({n_add} pair(s) added, {n_drop} dropped, {moves} move(s) of people still present)."
    )


def plan_start_dates(rows: Sequence[DiffRow], start: date) -> list[tuple[str, str, date]]:
    """(leader_id, counselor_id, start) of every added pair: career guidance starts on ``start``."""
    return [(r.new_leader_id, r.counselor_id, start) for r in rows if r.added]


__all__ = [
    "CHANGE_KEYS",
    "DATE_KEY",
    "Applied",
    "Change",
    "DiffRow",
    "apply_change",
    "change_summary",
    "diff_plans",
    "load_change",
    "movable_pairs",
    "moves_of",
    "plan_start_dates",
    "read_change",
    "summary_line",
]
