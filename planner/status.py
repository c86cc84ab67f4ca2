"""Compliance status as of a date: what is done, overdue and due soon (``planner status``).

Each schedule item (a talk per quarter, a guidance visit per semester, the career session,
the group meetings) is *met* by a counted record of the same pair and form dated inside the
item's window — for talks only a face-to-face (面谈) one. As of the date ``as_of``:

- **overdue** — the window has closed (``window_end < as_of``) without a record: a quarter
  without a face-to-face talk, a semester without guidance, career guidance past its six
  months; and, per counselor, no completed research item (a 院级+ project 已结项 or a paper
  已发表) once the cycle's last six months have begun;
- **due** — not met, not overdue, and planned for, or closing within, the next
  ``horizon`` days (30); for research, when the last six months begin within them;
- **done** — the records of each pair up to ``as_of``, counted by form.

The windows come from the schedule (``window_start``/``window_end`` per item), so this
module needs no calendar. Records naming unknown people or pairs outside the plan are
listed, never counted (:func:`planner.records.match_ledger`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from models import Form, Problem, Status
from planner.errors import Note
from planner.i18n import msg, period_label
from planner.records import (
    Excluded,
    Matched,
    PlanInForce,
    Record,
    research_items,
)
from planner.workdays.school_year import add_months

__all__ = [
    "DEFAULT_HORIZON",
    "DueItem",
    "LeaderStatus",
    "PairStatus",
    "StatusReport",
    "TrackedItem",
    "compute_status",
    "tracked_items",
]

DEFAULT_HORIZON = 30
RESEARCH_WARN_MONTHS = 6

# ----- schedule items ----------------------------------------------------------------
_CODES = {f.zh: f.value for f in Form} | {s.zh: s.value for s in Status}


@dataclass(frozen=True)
class TrackedItem:
    """One schedule item as the status check sees it.

    ``form``: talk, guidance, career, exchange or summary; ``date`` the planned day (None
    when unmet); ``period`` the quarter, semester or ``<start>+6m`` of the item.
    """

    item_id: str
    leader_id: str
    counselor_id: str
    form: str
    window_start: date
    window_end: date
    date: date | None = None
    status: str = "planned"
    period: str = ""
    row: int | None = None

    @property
    def pair(self) -> tuple[str, str]:
        return (self.leader_id, self.counselor_id)

    @property
    def is_group(self) -> bool:
        return not self.counselor_id and self.form in ("exchange", "summary")


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def _code(value: Any) -> str:
    """A form or status as its English code (an enum, its code, or its Chinese name)."""
    if value is None:
        return ""
    text = str(getattr(value, "value", value)).strip()
    return _CODES.get(text, text)


def tracked_items(items: Iterable[Any]) -> list[TrackedItem]:
    """Convert schedule items (``ScheduleItem`` objects, reader rows or dicts).

    Items without a window are skipped (a schedule always gives one).
    """
    out = []
    for it in items:
        if isinstance(it, TrackedItem):
            out.append(it)
            continue
        ws, we = _get(it, "window_start"), _get(it, "window_end")
        if not isinstance(ws, date) or not isinstance(we, date):
            continue
        day = _get(it, "date")
        item_id = str(_get(it, "item_id") or "")
        period = _get(it, "period") or (item_id.rsplit("/", 1)[-1] if "/" in item_id else "")
        row = _get(it, "row") if _get(it, "row") is not None else _get(it, "_row")
        out.append(
            TrackedItem(
                item_id=item_id,
                leader_id=str(_get(it, "leader_id") or ""),
                counselor_id=str(_get(it, "counselor_id") or ""),
                form=_code(_get(it, "form")),
                window_start=ws,
                window_end=we,
                date=day if isinstance(day, date) else None,
                status=_code(_get(it, "status")) or "planned",
                period=str(period),
                row=row if isinstance(row, int) else None,
            )
        )
    return out


# ----- findings -----------------------------------------------------------------------
RULE_ZH = {
    "talk": "定期约谈(面谈)",
    "guidance": "工作指导",
    "career": "规划发展",
    "research": "科研目标",
    "exchange": "工作交流会",
    "summary": "年度总结",
}
RULE_EN = {
    "talk": "face-to-face talk",
    "guidance": "work guidance",
    "career": "career guidance",
    "research": "research target",
    "exchange": "exchange meeting",
    "summary": "year-end summary",
}


def rule_label(rule: str, lang: str) -> str:
    """Name of a status rule in ``lang``."""
    return (RULE_ZH if lang == "zh" else RULE_EN).get(rule, rule)


@dataclass(frozen=True)
class DueItem:
    """One overdue or due line.

    ``kind`` is ``overdue`` or ``due``; ``rule`` is talk, guidance, career, research,
    exchange or summary; ``deadline`` the last day (window end, or the cycle end for
    research); ``planned`` the schedule's date, if any.
    """

    kind: str
    rule: str
    leader_id: str
    counselor_id: str
    period: str
    window_start: date
    deadline: date
    planned: date | None = None
    item_id: str = ""

    def text(self, lang: str = "zh") -> str:
        """What is missing, in the office's words."""
        zh = lang == "zh"
        late = self.kind == "overdue"
        if self.rule == "talk":
            return (
                ("该季度没有面谈约谈记录" if late else "本季度尚无面谈约谈记录")
                if zh
                else ("no face-to-face talk recorded this quarter")
            )
        if self.rule == "guidance":
            return "该学期没有工作指导记录" if zh else "no work guidance recorded this semester"
        if self.rule == "career":
            return (
                "结对起6个月内没有规划发展记录"
                if zh
                else "no career guidance recorded within 6 months of the pair's start"
            )
        if self.rule == "research":
            return (
                (
                    "周期最后6个月已开始,尚无完成的院级及以上课题(已结项)或已发表论文"
                    if late
                    else "周期即将进入最后6个月,尚无完成的院级及以上课题或已发表论文"
                )
                if zh
                else "no completed 院级+ project or published paper yet; the cycle ends "
                f"{self.deadline.isoformat()}"
            )
        return "没有会议记录" if zh else "no meeting recorded"


# ----- results ------------------------------------------------------------------------


@dataclass
class PairStatus:
    """Status of one pair as of the date."""

    leader_id: str
    counselor_id: str
    done: Counter[str] = field(default_factory=Counter)
    last_contact: date | None = None
    research_done: bool = False
    due_so_far: Counter[str] = field(default_factory=Counter)  # rule → items due so far
    met: Counter[str] = field(default_factory=Counter)  # rule → of them, met
    overdue: list[DueItem] = field(default_factory=list)
    due: list[DueItem] = field(default_factory=list)
    scheduled: bool = True


@dataclass
class LeaderStatus:
    """A leader's pairs and their totals."""

    leader_id: str
    pairs: list[PairStatus] = field(default_factory=list)
    exchanges_attended: int = 0

    def total(self, attr: str, rule: str) -> int:
        return sum(getattr(p, attr)[rule] for p in self.pairs)

    @property
    def overdue(self) -> list[DueItem]:
        return [f for p in self.pairs for f in p.overdue]

    @property
    def due(self) -> list[DueItem]:
        return [f for p in self.pairs for f in p.due]


@dataclass
class StatusReport:
    """Everything ``planner status`` shows."""

    as_of: date
    horizon: int
    cycle: str
    cycle_start: date
    cycle_end: date
    leaders: list[LeaderStatus]
    group: list[DueItem]
    group_met: Counter[str]
    group_due: Counter[str]
    excluded: tuple[Excluded, ...]
    notes: list[Note]
    duties: Any = None
    """The year-round duties as of the day (:class:`planner.duties.year.DutiesView`)."""

    @property
    def overdue(self) -> list[DueItem]:
        return [f for ld in self.leaders for f in ld.overdue] + [
            f for f in self.group if f.kind == "overdue"
        ]

    @property
    def due(self) -> list[DueItem]:
        return [f for ld in self.leaders for f in ld.due] + [
            f for f in self.group if f.kind == "due"
        ]


def _meets(rec: Record, item: TrackedItem) -> bool:
    if rec.form != item.form or not item.window_start <= rec.date <= item.window_end:
        return False
    return rec.in_person if item.form == "talk" else True


def _classify(
    item: TrackedItem, matched: bool, as_of: date, horizon: int
) -> tuple[str | None, DueItem | None]:
    """(state, finding): state is met / overdue / due / None (not yet)."""
    if matched:
        return "met", None
    soon = as_of + timedelta(days=horizon)
    make = lambda kind: DueItem(  # noqa: E731
        kind,
        item.form,
        item.leader_id,
        item.counselor_id,
        item.period,
        item.window_start,
        item.window_end,
        item.date,
        item.item_id,
    )
    if item.window_end < as_of:
        return "overdue", make("overdue")
    planned_soon = item.date is not None and as_of <= item.date <= soon
    if item.window_start <= soon and (planned_soon or item.window_end <= soon):
        return "due", make("due")
    return None, None


def compute_status(
    problem: Problem,
    plan: PlanInForce,
    items: Sequence[TrackedItem],
    matched: Matched,
    as_of: date,
    *,
    horizon: int = DEFAULT_HORIZON,
) -> StatusReport:
    """Check the plan's pairs against the schedule's windows and the counted records.

    Parameters
    ----------
    problem
        Rosters (for names and rank order).
    plan
        The plan in force; its pairs are checked.
    items
        The schedule's items (:func:`read_schedule_items`); items of pairs outside the
        plan are ignored with a note.
    matched
        The ledger matched against ``[plan]`` (:func:`planner.records.match_ledger`).
    as_of
        The day of the check; records after it are ignored.
    horizon
        Days ahead for the "due" list (30).

    Returns
    -------
    StatusReport
    """
    notes: list[Note] = []
    keys = set(plan.pairs)
    pair_items: dict[tuple[str, str], list[TrackedItem]] = defaultdict(list)
    group_items: list[TrackedItem] = []
    stray = 0
    for it in items:
        if it.is_group:
            group_items.append(it)
        elif it.pair in keys:
            pair_items[it.pair].append(it)
        else:
            stray += 1
    if stray:
        notes.append(
            Note(
                f"日程中有 {stray} 项事项的结对不在联系对应表中,已忽略(日程是否按这份对应表生成?)",
                f"{stray} schedule item(s) belong to pairs not in the plan and were ignored "
                "(was the schedule made from this plan?)",
            )
        )
    own = [it for v in pair_items.values() for it in v] + group_items
    cyc_start = min((it.window_start for it in own), default=plan.start)
    cyc_end = max((it.window_end for it in own), default=plan.end)
    research_from = add_months(cyc_end + timedelta(days=1), -RESEARCH_WARN_MONTHS)

    records = [r for r in matched.records if r.date <= as_of and cyc_start <= r.date <= cyc_end]
    by_pair: dict[tuple[str, str], list[Record]] = defaultdict(list)
    by_form: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_pair[r.pair].append(r)
        by_form[r.form].append(r)
    growth = [g for g in matched.growth if g.date is None or g.date <= as_of]

    unscheduled = []
    leaders: dict[str, LeaderStatus] = {}
    for lid, cid in _ordered(problem, plan.pairs):
        ps = PairStatus(lid, cid)
        recs = by_pair.get((lid, cid), [])
        for r in recs:
            key = (
                ("talk_in_person" if r.in_person else "talk_other") if r.form == "talk" else r.form
            )
            ps.done[key] += 1
        ps.last_contact = max((r.date for r in recs), default=None)
        its = sorted(pair_items.get((lid, cid), []), key=lambda i: (i.window_start, i.item_id))
        ps.scheduled = bool(its)
        if not its:
            unscheduled.append(f"{lid}—{cid}")
        for it in its:
            ok = any(_meets(r, it) for r in recs) or (
                it.form == "career"
                and matched.career_done((lid, cid), it.window_start, it.window_end, as_of)
            )
            state, finding = _classify(it, ok, as_of, horizon)
            if state in ("met", "overdue"):
                ps.due_so_far[it.form] += 1
            if state == "met":
                ps.met[it.form] += 1
            if finding is not None:
                (ps.overdue if finding.kind == "overdue" else ps.due).append(finding)
        ps.research_done = bool(research_items(growth, cid, cyc_start, as_of))
        if not ps.research_done:
            research = DueItem(
                "overdue",
                "research",
                lid,
                cid,
                plan.cycle,
                research_from,
                cyc_end,
            )
            if as_of >= research_from:
                ps.overdue.append(research)
            elif research_from <= as_of + timedelta(days=horizon):
                ps.due.append(replace(research, kind="due"))
        leaders.setdefault(lid, LeaderStatus(lid)).pairs.append(ps)
    if unscheduled:
        notes.append(
            Note(
                f"{len(unscheduled)} 对结对在日程中没有事项(请按这份对应表重新生成日程):"
                + "、".join(unscheduled[:10])
                + ("…" if len(unscheduled) > 10 else ""),
                f"{len(unscheduled)} pair(s) have no schedule items (rebuild the schedule from "
                "this plan): "
                + ", ".join(unscheduled[:10])
                + ("…" if len(unscheduled) > 10 else ""),
            )
        )
    for ld in leaders.values():
        ld.exchanges_attended = sum(
            1 for r in by_form.get("exchange", []) if r.leader_id == ld.leader_id
        )

    group: list[DueItem] = []
    group_met: Counter[str] = Counter()
    group_due: Counter[str] = Counter()
    for it in sorted(group_items, key=lambda i: (i.window_start, i.item_id)):
        ok = any(it.window_start <= r.date <= it.window_end for r in by_form.get(it.form, []))
        state, finding = _classify(it, ok, as_of, horizon)
        if state in ("met", "overdue"):
            group_due[it.form] += 1
        if state == "met":
            group_met[it.form] += 1
        if finding is not None:
            group.append(finding)
    return StatusReport(
        as_of=as_of,
        horizon=horizon,
        cycle=plan.cycle,
        cycle_start=cyc_start,
        cycle_end=cyc_end,
        leaders=list(leaders.values()),
        group=group,
        group_met=group_met,
        group_due=group_due,
        excluded=tuple(e for e in matched.excluded if e.date is None or e.date <= as_of),
        notes=notes,
    )


def _ordered(problem: Problem, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs in output order: leader rank (unknown leaders last), then counselor id."""
    big = (2, 10**9)

    def key(k: tuple[str, str]) -> tuple[tuple[int, int], str, str]:
        rank = problem.leader_rank(k[0]) if k[0] in problem.leader_by_id else big
        return (rank, k[0], k[1])

    return sorted(set(pairs), key=key)


# ----- presentation -------------------------------------------------------------------
def _name(problem: Problem, pid: str, names: Mapping[str, str] | None = None) -> str:
    if pid in problem.leader_by_id:
        return problem.leader_by_id[pid].name
    if pid in problem.counselor_by_id:
        return problem.counselor_by_id[pid].name
    return (names or {}).get(pid, "")


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b}" if b else "—"


LEADER_HEAD = (
    ("领导工号", "leader_id"),
    ("领导姓名", "leader_name"),
    ("联系辅导员人数", "counselors"),
    ("面谈约谈(完成/应完成)", "talks (met/due)"),
    ("工作指导(完成/应完成)", "guidance (met/due)"),
    ("规划发展(完成/应完成)", "career (met/due)"),
    ("交流会出席", "exchange meetings"),
    ("逾期事项", "overdue"),
    ("近期到期", "due soon"),
    ("情况", "state"),
)
PAIR_HEAD = (
    ("领导工号", "leader_id"),
    ("领导姓名", "leader_name"),
    ("辅导员工号", "counselor_id"),
    ("辅导员姓名", "counselor_name"),
    ("面谈约谈", "talks in person"),
    ("其他方式约谈", "talks by phone/online"),
    ("工作指导", "guidance"),
    ("规划发展", "career"),
    ("帮助成长", "growth help"),
    ("困难帮扶", "hardship help"),
    ("最近联系日期", "last contact"),
    ("科研目标", "research target"),
    ("逾期", "overdue"),
    ("近期到期", "due soon"),
)
FINDING_HEAD = (
    ("领导工号", "leader_id"),
    ("领导姓名", "leader_name"),
    ("辅导员工号", "counselor_id"),
    ("辅导员姓名", "counselor_name"),
    ("事项", "item"),
    ("期间", "period"),
    ("窗口开始", "window_start"),
    ("截止日期", "deadline"),
    ("计划日期", "planned"),
    ("说明", "note"),
)
EXCLUDED_HEAD = (
    ("表", "table"),
    ("文件", "file"),
    ("行", "row"),
    ("日期", "date"),
    ("领导工号", "leader_id"),
    ("辅导员工号", "counselor_id"),
    ("内容", "what"),
    ("原因", "reason"),
)


def heads(spec: Sequence[tuple[str, str]], lang: str) -> list[str]:
    return [zh if lang == "zh" else en for zh, en in spec]


def leader_rows(report: StatusReport, problem: Problem, lang: str = "zh") -> list[list[object]]:
    """Rows of the per-leader summary (:data:`LEADER_HEAD`)."""
    out: list[list[object]] = []
    for ld in report.leaders:
        n_over, n_due = len(ld.overdue), len(ld.due)
        state = (
            msg(lang, "有逾期", "overdue")
            if n_over
            else msg(lang, "近期有到期", "due soon")
            if n_due
            else msg(lang, "正常", "on track")
        )
        out.append(
            [
                ld.leader_id,
                _name(problem, ld.leader_id),
                len(ld.pairs),
                _ratio(ld.total("met", "talk"), ld.total("due_so_far", "talk")),
                _ratio(ld.total("met", "guidance"), ld.total("due_so_far", "guidance")),
                _ratio(ld.total("met", "career"), ld.total("due_so_far", "career")),
                ld.exchanges_attended,
                n_over,
                n_due,
                state,
            ]
        )
    return out


def pair_rows(report: StatusReport, problem: Problem, lang: str = "zh") -> list[list[object]]:
    """Rows of the per-pair detail (:data:`PAIR_HEAD`)."""
    out: list[list[object]] = []
    for ld in report.leaders:
        for p in ld.pairs:
            research = (
                msg(lang, "已完成", "met") if p.research_done else msg(lang, "未完成", "not yet")
            )
            out.append(
                [
                    p.leader_id,
                    _name(problem, p.leader_id),
                    p.counselor_id,
                    _name(problem, p.counselor_id),
                    p.done["talk_in_person"],
                    p.done["talk_other"],
                    p.done["guidance"],
                    p.done["career"],
                    p.done["growth"],
                    p.done["hardship"],
                    p.last_contact.isoformat() if p.last_contact else "",
                    research,
                    len(p.overdue),
                    len(p.due),
                ]
            )
    return out


def finding_rows(
    findings: Iterable[DueItem], problem: Problem, lang: str = "zh"
) -> list[list[object]]:
    """Rows of an overdue/due list (:data:`FINDING_HEAD`), by deadline."""
    everyone = msg(lang, "全体", "all")
    out: list[list[object]] = []
    for f in sorted(findings, key=lambda f: (f.deadline, f.leader_id, f.counselor_id, f.rule)):
        out.append(
            [
                f.leader_id or everyone,
                _name(problem, f.leader_id) if f.leader_id else "",
                f.counselor_id,
                _name(problem, f.counselor_id) if f.counselor_id else "",
                rule_label(f.rule, lang),
                period_label(f.period, lang),
                f.window_start.isoformat(),
                f.deadline.isoformat(),
                f.planned.isoformat() if f.planned else "",
                f.text(lang),
            ]
        )
    return out


def excluded_rows(excluded: Iterable[Excluded], lang: str = "zh") -> list[list[object]]:
    """Rows of the 未计入记录 list (:data:`EXCLUDED_HEAD`)."""
    table_zh = {"records": "联系记录", "growth": "成长记录", "news": "新闻报送"}
    return [
        [
            table_zh.get(e.table, e.table) if lang == "zh" else e.table,
            e.file + (f"[{e.sheet}]" if e.sheet else ""),
            e.row,
            e.date.isoformat() if e.date else "",
            e.leader_id,
            e.counselor_id,
            e.what_text(lang),
            e.reason_zh if lang == "zh" else e.reason_en,
        ]
        for e in excluded
    ]
