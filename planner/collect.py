"""``planner collect``: merge the leaders' returned forms into the records table.

Plain data in, plain result out: the existing 联系记录 rows (as read), and per returned file
its rows (:func:`planner.io.forms.read_returned_form`). A returned row is merged only when
nothing is wrong with it; otherwise every problem of the row is listed — file, row,
column, value and the reason in Chinese (and English) — and the row is left out, never
merged in silence (CONTRACT.md §4):

- **bad_value** — a cell that could not be read (a date that is not a date, a 形式 or
  方式 not in the list), a blank 日期 or 形式, a 类别 not in the drop-down list (the plan's
  11 activities; aliases such as 主题班会 are accepted and written as 班会), a pair form
  without a 辅导员工号;
- **unknown_person** — a 领导工号 or 辅导员工号 not on the rosters (an id that matches one
  once leading zeros are restored or removed — Excel turns ``00017`` into ``17`` — is
  corrected, with a note);
- **outside_plan** — a leader–counselor pair not in the plan;
- **outside_cycle** — a date before the cycle starts or after it ends;
- **future** — a date after the as-of day, when one is given;
- **duplicate** — the same 日期, 领导, 辅导员 and 形式 as an existing record, or as a returned
  row merged before it (the first copy is merged, later ones are listed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.errors import Note
from planner.records import PAIR_FORMS
from planner.schema import EVENTS, RECORDS, choice_label, match_choice

__all__ = ["PROBLEM_KINDS", "CollectProblem", "CollectResult", "collect", "problem_rows"]

#: Problem kinds in the order they are listed, with their Chinese and English names.
PROBLEM_KINDS: dict[str, tuple[str, str]] = {
    "bad_value": ("填写有误", "wrong value"),
    "unknown_person": ("人员不在名单中", "unknown person"),
    "outside_plan": ("不在联系对应表中", "pair not in the plan"),
    "outside_cycle": ("日期不在联系周期内", "date outside the cycle"),
    "future": ("日期晚于今天", "date in the future"),
    "duplicate": ("重复记录", "duplicate"),
}

_CATEGORY = EVENTS.column("category")
_CATEGORY_WORDS = "、".join(ch.zh for ch in _CATEGORY.choices)


@dataclass(frozen=True)
class CollectProblem:
    """One thing wrong with one returned row (the row is not merged)."""

    kind: str  # a key of PROBLEM_KINDS
    file: str
    sheet: str | None
    row: int | None
    column: str
    value: str
    reason_zh: str
    reason_en: str

    def kind_label(self, lang: str = "zh") -> str:
        zh, en = PROBLEM_KINDS[self.kind]
        return zh if lang == "zh" else en

    def render(self, lang: str = "zh") -> str:
        """``联系记录填报-L001-张三.xlsx[填报],第5行,列“类别”,值“聊天”:类别…``."""
        where = self.file + (f"[{self.sheet}]" if self.sheet else "")
        if lang == "zh":
            parts = [where]
            if self.row is not None:
                parts.append(f"第{self.row}行")
            parts.append(f"列“{self.column}”")
            if self.value:
                parts.append(f"值“{self.value}”")
            return ",".join(parts) + ":" + self.reason_zh
        parts = [where]
        if self.row is not None:
            parts.append(f"row {self.row}")
        parts.append(f"column '{self.column}'")
        if self.value:
            parts.append(f"value '{self.value}'")
        return ", ".join(parts) + ": " + self.reason_en


@dataclass
class CollectResult:
    """What :func:`collect` made of the returned forms.

    Attributes
    ----------
    merged
        The existing rows as they were, then the accepted returned rows (by date, leader,
        counselor, form): the new 联系记录 table.
    added
        The accepted returned rows alone.
    problems
        Every problem of every row left out, by file, row, then kind.
    notes
        Corrections made (leading zeros restored) — each names file, row and value.
    rows_read
        Returned rows looked at (filled rows only).
    """

    merged: list[dict[str, object]] = field(default_factory=list)
    added: list[dict[str, object]] = field(default_factory=list)
    problems: list[CollectProblem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    rows_read: int = 0

    @property
    def rows_left_out(self) -> int:
        """Returned rows not merged (each has at least one problem)."""
        return len({(p.file, p.sheet, p.row) for p in self.problems})

    def by_kind(self) -> dict[str, list[CollectProblem]]:
        """Problems grouped by kind, in :data:`PROBLEM_KINDS` order (only kinds present)."""
        out: dict[str, list[CollectProblem]] = {}
        for kind in PROBLEM_KINDS:
            got = [p for p in self.problems if p.kind == kind]
            if got:
                out[kind] = got
        return out

    def summary(self, lang: str = "zh") -> str:
        """``读取 12 行,合并 9 行,3 行有问题未合并(重复记录 1、填写有误 2)``."""
        kinds = self.by_kind()
        if lang == "zh":
            detail = "、".join(f"{PROBLEM_KINDS[k][0]} {len(v)}" for k, v in kinds.items())
            tail = f",{self.rows_left_out} 行有问题未合并({detail})" if kinds else ""
            return f"读取 {self.rows_read} 行,合并 {len(self.added)} 行{tail}"
        detail = ", ".join(f"{PROBLEM_KINDS[k][1]} {len(v)}" for k, v in kinds.items())
        tail = f"; {self.rows_left_out} row(s) left out ({detail})" if kinds else ""
        return f"{self.rows_read} row(s) read, {len(self.added)} merged{tail}"


def _text(v: object) -> str:
    return "" if v is None else str(v)


def _key(row: Mapping[str, Any]) -> tuple[object, str, str, str]:
    return (
        row.get("date"),
        _text(row.get("leader_id")),
        _text(row.get("counselor_id")),
        _text(row.get("form")),
    )


def _fix_zeros(value: str, known: set[str]) -> str | None:
    """The one known id equal to ``value`` up to leading zeros, else None."""
    core = value.lstrip("0")
    hits = [k for k in known if k.lstrip("0") == core and k != value]
    return hits[0] if len(hits) == 1 else None


def _where_text(row: Mapping[str, Any]) -> str:
    sheet = row.get("_sheet")
    return f"{row.get('_file', '')}" + (f"[{sheet}]" if sheet else "") + f" 第{row.get('_row')}行"


class _Check:
    """Collects the problems of one returned row."""

    def __init__(self, file: str, row: Mapping[str, Any]) -> None:
        self.file = file
        self.row = row
        self.found: list[CollectProblem] = []

    def add(self, kind: str, key: str, zh: str, en: str, value: str | None = None) -> None:
        texts = self.row.get("_text") or {}
        shown = value if value is not None else _text(texts.get(key, self.row.get(key)))
        num = self.row.get("_row")
        sheet = self.row.get("_sheet")
        self.found.append(
            CollectProblem(
                kind,
                _text(self.row.get("_file")) or self.file,
                sheet if isinstance(sheet, str) else None,
                num if isinstance(num, int) else None,
                RECORDS.column(key).zh,
                shown,
                zh,
                en,
            )
        )


def collect(
    existing_records: Sequence[Mapping[str, Any]],
    returned: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
    plan_pairs: set[tuple[str, str]],
    known_leaders: Iterable[str],
    known_counselors: Iterable[str],
    cycle_start: date,
    cycle_end: date,
    *,
    as_of: date | None = None,
) -> CollectResult:
    """Merge the rows of returned forms into the records, listing every row left out.

    Parameters
    ----------
    existing_records
        DATA's 联系记录 rows as read (``DataSet.tables["records"]``).
    returned
        ``(file name, rows)`` per returned form, rows from
        :func:`planner.io.forms.read_returned_form` (their ``_bad`` marks are honoured).
    plan_pairs
        ``(leader_id, counselor_id)`` of the plan.
    known_leaders, known_counselors
        The roster ids.
    cycle_start, cycle_end
        The cycle, both inclusive.
    as_of
        When given, a date after it is listed (``future``).

    Returns
    -------
    CollectResult
    """
    lids, cids = set(known_leaders), set(known_counselors)
    seen: dict[tuple[object, str, str, str], str] = {}
    for r in existing_records:
        seen.setdefault(_key(r), f"已有记录 {_where_text(r)}")
    result = CollectResult()
    accepted: list[dict[str, object]] = []
    for file, rows in returned:
        for raw in sorted(rows, key=lambda r: (_text(r.get("_sheet")), int(r.get("_row") or 0))):
            result.rows_read += 1
            row = {k: v for k, v in raw.items() if k not in ("_bad", "_text")}
            row.setdefault("_file", file)
            chk = _Check(file, raw)
            bad: Mapping[str, tuple[str, str]] = raw.get("_bad") or {}
            for key, (zh, en) in bad.items():
                chk.add("bad_value", key, zh, en)
            # -- people -------------------------------------------------------------
            for key, known, word, word_en in (
                ("leader_id", lids, "领导工号", "leader id"),
                ("counselor_id", cids, "辅导员工号", "counselor id"),
            ):
                value = _text(row.get(key))
                if not value or value in known:
                    continue
                fixed = _fix_zeros(value, known)
                if fixed is not None:
                    row[key] = fixed
                    result.notes.append(
                        Note(
                            f"{_where_text(raw)}:{word} {value} 按名单中的 {fixed} 处理(前导零被表格去掉或多加)",
                            f"{raw.get('_file')} row {raw.get('_row')}: {word_en} {value} read as {fixed} "
                            "(leading zeros)",
                        )
                    )
                    continue
                roster = "领导干部" if key == "leader_id" else "辅导员"
                chk.add(
                    "unknown_person",
                    key,
                    f"{word} {value} 不在{roster}名单中",
                    f"{word_en} {value} is not on the roster",
                )
            lid, cid, form = (
                _text(row.get("leader_id")),
                _text(row.get("counselor_id")),
                _text(row.get("form")),
            )
            if form in PAIR_FORMS and not cid and "counselor_id" not in bad:
                chk.add(
                    "bad_value",
                    "counselor_id",
                    f"“{choice_label('records', 'form', form)}”须填写辅导员工号",
                    f"a {form} record needs the counselor id",
                )
            # -- category -----------------------------------------------------------
            category = _text(row.get("category"))
            if category:
                code = match_choice(_CATEGORY, category)
                if code is None:
                    chk.add(
                        "bad_value",
                        "category",
                        f"类别“{category}”不在下拉列表中,请从 {_CATEGORY_WORDS} 中选择",
                        f"category '{category}' is not one of the listed activities",
                    )
                else:
                    row["category"] = choice_label("events", "category", code)
            # -- plan ----------------------------------------------------------------
            if lid in lids and cid in cids and cid and (lid, cid) not in plan_pairs:
                chk.add(
                    "outside_plan",
                    "counselor_id",
                    f"结对 {lid}—{cid} 不在联系对应表中",
                    f"the pair {lid}-{cid} is not in the plan",
                )
            # -- dates ---------------------------------------------------------------
            day = row.get("date")
            if isinstance(day, date) and "date" not in bad:
                if not cycle_start <= day <= cycle_end:
                    chk.add(
                        "outside_cycle",
                        "date",
                        f"日期不在本联系周期内({cycle_start.isoformat()} 至 {cycle_end.isoformat()})",
                        f"the date is outside the cycle ({cycle_start} to {cycle_end})",
                        day.isoformat(),
                    )
                elif as_of is not None and day > as_of:
                    chk.add(
                        "future",
                        "date",
                        f"日期晚于 {as_of.isoformat()}",
                        f"the date is after {as_of.isoformat()}",
                        day.isoformat(),
                    )
            # -- duplicates ----------------------------------------------------------
            dup = _key(row)
            if isinstance(day, date) and form and dup in seen:
                chk.add(
                    "duplicate",
                    "date",
                    f"与{seen[dup]}的日期、领导、辅导员和形式都相同",
                    f"same date, leader, counselor and form as {seen[dup]}",
                    day.isoformat(),
                )
            if chk.found:
                result.problems.extend(chk.found)
                continue
            seen[dup] = _where_text(raw)
            accepted.append(row)
    accepted.sort(
        key=lambda r: (
            r.get("date") or date.max,
            _text(r.get("leader_id")),
            _text(r.get("counselor_id")),
            _text(r.get("form")),
            _text(r.get("_file")),
            int(r.get("_row") or 0),  # type: ignore[call-overload]
        )
    )
    result.added = accepted
    result.merged = [dict(r) for r in existing_records] + accepted
    kinds = list(PROBLEM_KINDS)
    result.problems.sort(key=lambda p: (p.file, p.sheet or "", p.row or 0, kinds.index(p.kind)))
    return result


def problem_rows(result: CollectResult, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """(header, rows) listing the problems, for the terminal table and a 未合并 sheet/CSV."""
    head = (
        ["文件", "工作表", "行", "列", "值", "问题类型", "原因"]
        if lang == "zh"
        else ["file", "sheet", "row", "column", "value", "kind", "reason"]
    )
    rows = [
        [
            p.file,
            p.sheet or "",
            "" if p.row is None else str(p.row),
            p.column,
            p.value,
            p.kind_label(lang),
            p.reason_zh if lang == "zh" else p.reason_en,
        ]
        for p in result.problems
    ]
    return head, rows
