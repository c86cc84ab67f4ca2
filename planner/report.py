"""The year-end report: 《领导干部直接联系服务辅导员工作年度汇总表》 and its documents.

``planner report DATA --plan PLAN [--plan PLAN2 …] --year Y --out OUT`` writes
``OUT/年度汇总表-Y.xlsx`` (CONTRACT.md §10) plus the records booklet, the contact cards and
a draft of the year-end summary (:mod:`planner.documents`).

Every figure is recomputed from the records: a record dated in year Y counts when its
people are on the rosters and its pair is in one of the given plans (a year can span two
cycles, or a plan repaired mid-cycle: pass every plan in force). Records naming an unknown
person or a pair in no given plan are listed in the sheet 未计入记录 and on screen, never
counted.

The province's template is not public, so the columns of the sheet 汇总 are a mapping
(header → metric key), by default :data:`DEFAULT_COLUMNS`; a ``report.toml`` in DATA or
``--template FILE`` replaces it::

    title = "领导干部直接联系服务辅导员工作年度汇总表"
    [[column]]
    header = "领导工号"
    metric = "leader_id"
    [[column]]
    header = "谈心谈话次数"
    metric = "talks"

Metric keys are listed in :data:`METRICS` (plus ``guidance:<类别>``, e.g. ``guidance:班会``,
for the guidance visits of one event category).

Compliance in year Y (达标情况), per pair of each plan, reuses the scheduler's windows
(:func:`planner.rules.windows.pair_requirements`): a face-to-face talk in each quarter of
Y inside the cycle, a guidance visit in each semester overlapping Y, career guidance within
six months of the cycle start. A window that closed by the as-of date (31 December of Y by
default) without a matching record is *missed*; one still open and unmet is *pending* and
not held against anyone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models import Problem
from planner.errors import InputError, InputProblem, Note
from planner.i18n import level_name, msg, yes_no
from planner.records import (
    Excluded,
    Growth,
    Ledger,
    Matched,
    News,
    PlanInForce,
    Record,
    category_label,
    match_ledger,
    research_items,
    xml_safe,
)
from planner.rules.windows import pair_requirements
from planner.schema import GROWTH_LEVELS, choice_label
from planner.status import TrackedItem
from planner.values import escape_cell
from planner.workdays.school_year import CalendarConfig, Semester

__all__ = [
    "DEFAULT_COLUMNS",
    "METRICS",
    "AnnualSummary",
    "Layout",
    "annual_summary",
]

REPORT_TOML = "report.toml"
SUMMARY_SHEET = "汇总"
TOTAL_LABEL = {"zh": "合计", "en": "Total"}
RESEARCH_TARGET_ZH = "每名辅导员三年内主持或参与院级及以上课题1项或发表论文1篇"
RESEARCH_TARGET_EN = (
    "each counselor leads or joins one completed college-level-or-higher project, "
    "or publishes one paper, within the three years"
)


# ----- metrics ------------------------------------------------------------------------
@dataclass(frozen=True)
class Metric:
    """A column the 汇总 sheet can show. ``kind``: text, int or ratio (``met/due``)."""

    key: str
    zh: str
    en: str
    kind: str = "int"


def _metrics() -> dict[str, Metric]:
    m = [
        Metric("seq", "序号", "No.", "int"),
        Metric("leader_id", "领导工号", "leader_id", "text"),
        Metric("leader_name", "领导姓名", "leader_name", "text"),
        Metric("leader_position", "职务", "position", "text"),
        Metric("leader_unit", "单位", "unit", "text"),
        Metric("leader_level", "级别", "level", "text"),
        Metric("counselors", "联系辅导员人数", "counselors"),
        Metric("counselor_names", "联系辅导员", "counselor_names", "text"),
        Metric("contacts", "联系总次数", "contacts"),
        Metric("talks", "约谈次数", "talks"),
        Metric("talks_in_person", "其中面谈", "talks_in_person"),
        Metric("career", "规划发展次数", "career"),
        Metric("guidance", "工作指导次数", "guidance"),
        Metric("guidance_by_category", "工作指导类别", "guidance_by_category", "text"),
        Metric("growth_help", "帮助成长次数", "growth_help"),
        Metric("hardship", "困难帮扶次数", "hardship"),
        Metric("exchange", "交流会次数", "exchange_meetings"),
        Metric("issues", "反映问题数", "issues_raised"),
        Metric("resolved", "已解决问题数", "issues_resolved"),
        Metric("projects", "课题数", "projects"),
        *(
            Metric(f"projects_{lv.code}", f"课题({lv.zh})", f"projects_{lv.code}")
            for lv in GROWTH_LEVELS
        ),
        Metric("projects_completed", "结项课题数", "projects_completed"),
        Metric("papers", "发表论文数", "papers_published"),
        *(
            Metric(f"papers_{lv.code}", f"论文({lv.zh})", f"papers_{lv.code}")
            for lv in GROWTH_LEVELS
        ),
        Metric("titles", "职称评聘", "titles"),
        Metric("degrees", "学位进修", "degrees"),
        Metric("research_met", "科研目标达成人数", "research_target_met"),
        Metric("news", "新闻报送数", "news_items"),
        Metric("talk_quarters", "约谈达标(季度)", "talk_quarters_met", "ratio"),
        Metric("guidance_semesters", "工作指导达标(学期)", "guidance_semesters_met", "ratio"),
        Metric("career_met", "规划发展达标", "career_met", "ratio"),
        Metric("completion", "完成率", "completion_rate", "text"),
        Metric("compliance", "达标情况", "compliance", "text"),
    ]
    return {x.key: x for x in m}


METRICS: dict[str, Metric] = _metrics()
"""Every metric key the 汇总 layout may use (plus ``guidance:<类别>``)."""

DEFAULT_COLUMNS: tuple[str, ...] = (
    "leader_id",
    "leader_name",
    "leader_position",
    "counselors",
    "talks",
    "talks_in_person",
    "career",
    "guidance",
    "guidance_by_category",
    "growth_help",
    "hardship",
    "exchange",
    "issues",
    "resolved",
    "projects_college",
    "projects_municipal",
    "projects_provincial",
    "projects_national",
    "papers",
    "news",
    "talk_quarters",
    "guidance_semesters",
    "career_met",
    "compliance",
)
"""The default 汇总 columns, in order (Chinese headers from :data:`METRICS`)."""


def metric(key: str) -> Metric | None:
    """The metric of ``key``, including ``guidance:<类别>``; None when unknown."""
    if key in METRICS:
        return METRICS[key]
    if key.startswith("guidance:") and key[9:].strip():
        word = category_label(key[9:].strip())
        word_en = category_label(word, "en")
        return Metric(f"guidance:{word}", f"工作指导·{word}", f"guidance: {word_en}")
    return None


# ----- layout -------------------------------------------------------------------------
@dataclass(frozen=True)
class LayoutColumn:
    """One column of the 汇总 sheet: its headers and the metric it shows."""

    header_zh: str
    header_en: str
    metric: Metric

    def header(self, lang: str) -> str:
        return self.header_zh if lang == "zh" else self.header_en


@dataclass(frozen=True)
class Layout:
    """The 汇总 sheet's title and columns, and where they came from."""

    title: str
    columns: tuple[LayoutColumn, ...]
    source: str = "default"

    def has(self, key: str) -> bool:
        return any(c.metric.key == key for c in self.columns)


DEFAULT_TITLE = "领导干部直接联系服务辅导员工作年度汇总表"
DEFAULT_TITLE_EN = "Annual summary of leaders' direct contact with counselors"


def default_layout() -> Layout:
    """The built-in layout (:data:`DEFAULT_COLUMNS`)."""
    cols = tuple(LayoutColumn(METRICS[k].zh, METRICS[k].en, METRICS[k]) for k in DEFAULT_COLUMNS)
    return Layout(DEFAULT_TITLE, cols)


def layout_from_toml(conf: Mapping[str, Any], fname: str = REPORT_TOML) -> Layout:
    """The 汇总 layout described by a parsed ``report.toml``.

    The TOML holds an optional ``title`` and ``[[column]]`` tables with ``header``,
    ``metric`` and optional ``header_en``; ``columns = [["领导工号", "leader_id"], …]``
    is accepted too.

    Raises
    ------
    InputError
        For a column without header or metric, or an unknown metric (the message lists the
        known keys).
    """
    specs: list[tuple[str, str, str | None]] = []
    problems: list[InputProblem] = []
    for col in conf.get("column", []) or []:
        if not isinstance(col, Mapping):
            problems.append(InputProblem(fname, "列定义格式不对", "a column is not a table"))
            continue
        head, key = str(col.get("header", "")).strip(), str(col.get("metric", "")).strip()
        en = col.get("header_en")
        specs.append((head, key, str(en) if en else None))
    for i, col in enumerate(conf.get("columns", []) or [], start=1):
        if isinstance(col, list | tuple) and len(col) >= 2:
            specs.append((str(col[0]).strip(), str(col[1]).strip(), None))
        else:
            problems.append(
                InputProblem(
                    fname,
                    f'columns 第{i}项应写成 ["表头", "指标"]',
                    f'columns item {i} must be ["header", "metric"]',
                    column="columns",
                    value=str(col),
                )
            )
    if not specs and not problems:
        problems.append(
            InputProblem(
                fname,
                '没有定义任何列:请用 [[column]] header = "领导工号" metric = "leader_id"',
                'no columns defined: use [[column]] header = "领导工号" metric = "leader_id"',
            )
        )
    cols: list[LayoutColumn] = []
    known = ", ".join(METRICS)
    for head, key, en in specs:
        m = metric(key)
        if m is None:
            problems.append(
                InputProblem(
                    fname,
                    f"未知的指标“{key}”,可用: {known}, guidance:<类别>",
                    f"unknown metric '{key}'; known: {known}, guidance:<category>",
                    column="metric",
                    value=key,
                )
            )
            continue
        cols.append(LayoutColumn(head or m.zh, en or m.en, m))
    if problems:
        raise InputError(problems)
    title = str(conf.get("title") or DEFAULT_TITLE)
    return Layout(title, tuple(cols), fname)


# ----- compliance checks ---------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    """One requirement of a pair touching the year: met, missed or pending."""

    rule: str  # talk / guidance / career
    leader_id: str
    counselor_id: str
    period: str
    window_start: date
    window_end: date
    state: str  # met / missed / pending


def _semesters_for(base: CalendarConfig, plan: PlanInForce) -> tuple[Semester, ...]:
    """Semesters of ``plan``'s cycle: the calendar's (with its estimates), plus the usual
    terms for any earlier stretch the calendar does not list (an earlier cycle)."""
    cfg = CalendarConfig(
        cycle_start=plan.start,
        cycle_years=plan.years,
        closed=base.closed,
        workdays=base.workdays,
        semesters=base.semesters,
    )
    sems = list(cfg.cycle_semesters())
    first = min((s.start for s in base.semesters), default=None)
    if first is not None and plan.start < first:
        for y in range(plan.start.year - 1, first.year + 1):
            for s in (
                Semester(f"{y - 1}-{y}-2", date(y, 3, 1), date(y, 7, 10), True),
                Semester(f"{y}-{y + 1}-1", date(y, 9, 1), date(y + 1, 1, 15), True),
            ):
                inside = s.end < first and s.end >= plan.start and s.start <= plan.end
                if inside and not any(o.start <= s.end and s.start <= o.end for o in sems):
                    sems.append(s)
    return tuple(sorted(sems, key=lambda s: s.start))


def plan_checks(
    plan: PlanInForce,
    base: CalendarConfig,
    records: Sequence[Record],
    year: int,
    as_of: date,
    matched: Matched | None = None,
) -> list[Check]:
    """Every requirement of ``plan``'s pairs whose window overlaps ``year`` (and the days the
    plan was in force, when it says so).

    ``records`` are the counted records (any date); one dated inside the window, up to
    ``as_of``, meets it (talks: face to face only).
    """
    y0, y1 = date(year, 1, 1), date(year, 12, 31)
    cfg = CalendarConfig(cycle_start=plan.start, cycle_years=plan.years, semesters=base.semesters)
    sems = _semesters_for(base, plan)
    by_pair: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in records:
        if r.date <= as_of:
            by_pair[r.pair].append(r)
    out: list[Check] = []
    for lid, cid in sorted(set(plan.pairs)):
        recs = by_pair.get((lid, cid), [])
        for req in pair_requirements(plan.cycle, lid, cid, cfg, semesters=sems):
            if req.window_end < y0 or req.window_start > y1:
                continue
            # A version in force for part of the year (a departed leader's, a repair's)
            # answers only for the windows that overlap its days.
            if plan.valid_from is not None and req.window_end < plan.valid_from:
                continue
            if plan.valid_to is not None and req.window_start > plan.valid_to:
                continue
            form = req.form.value
            ok = any(
                r.form == form
                and req.window_start <= r.date <= req.window_end
                and (r.in_person or form != "talk")
                for r in recs
            ) or (
                form == "career"
                and matched is not None
                and matched.career_done((lid, cid), req.window_start, req.window_end, as_of)
            )
            state = "met" if ok else "missed" if req.window_end <= as_of else "pending"
            out.append(Check(form, lid, cid, req.period, req.window_start, req.window_end, state))
    return out


# ----- the year's figures ---------------------------------------------------------------
@dataclass
class LeaderYear:
    """One leader's year: counted records, growth rows, news and compliance checks."""

    leader_id: str
    counselors: list[str]
    records: list[Record] = field(default_factory=list)
    growth: list[Growth] = field(default_factory=list)
    news: list[News] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    research_met: int = 0

    def forms(self) -> Counter[str]:
        return Counter(r.form for r in self.records)

    def ratio(self, rule: str) -> tuple[int, int]:
        """(met, met + missed) for ``rule``; pending checks are left out."""
        cs = [c for c in self.checks if c.rule == rule and c.state != "pending"]
        return sum(c.state == "met" for c in cs), len(cs)

    @property
    def missed(self) -> Counter[str]:
        return Counter(c.rule for c in self.checks if c.state == "missed")


@dataclass
class CounselorYear:
    """One counselor's year (the per-counselor sheet)."""

    counselor_id: str
    leaders: list[str]
    records: list[Record] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    cycle: str = ""
    cycle_start: date | None = None
    cycle_end: date | None = None
    research: list[Growth] = field(default_factory=list)  # completed items in the cycle
    other_growth: list[Growth] = field(default_factory=list)  # the rest of their ledger


@dataclass
class AnnualSummary:
    """Everything the year's files show."""

    year: int
    as_of: date
    plans: list[PlanInForce]
    leaders: list[LeaderYear]
    counselors: list[CounselorYear]
    records: list[Record]  # counted, dated in the year
    news: list[News]  # counted, dated in the year
    excluded: list[Excluded]  # dated in the year (or undated)
    notes: list[Note] = field(default_factory=list)
    all_records: list[Record] = field(default_factory=list)  # counted, any date

    @property
    def checks(self) -> list[Check]:
        return [c for ld in self.leaders for c in ld.checks]


def _in_year(d: date | None, year: int) -> bool:
    return d is not None and d.year == year


def _ordered_leaders(problem: Problem, ids: Iterable[str]) -> list[str]:
    def key(lid: str) -> tuple[int, int, str]:
        if lid in problem.leader_by_id:
            a, b = problem.leader_rank(lid)
            return (int(a), b, lid)
        return (2, 0, lid)

    return sorted(set(ids), key=key)


def annual_summary(
    problem: Problem,
    plans: Sequence[PlanInForce],
    ledger: Ledger,
    year: int,
    calendar: CalendarConfig,
    *,
    as_of: date | None = None,
) -> AnnualSummary:
    """Recompute the year's figures from the records.

    Parameters
    ----------
    problem
        Rosters (names, rank order; who is "known").
    plans
        Every plan in force during the year.
    ledger
        Records, growth rows and news as read.
    year
        The report year.
    calendar
        The DATA's calendar (semesters for the guidance check).
    as_of
        Windows closing after this day are pending, not missed (default 31 December).
    """
    y1 = date(year, 12, 31)
    as_of = min(as_of or y1, y1)
    matched: Matched = match_ledger(ledger, problem, plans)
    recs = [r for r in matched.records if _in_year(r.date, year)]
    news = [n for n in matched.news if _in_year(n.date, year)]
    excluded = [e for e in matched.excluded if e.date is None or e.date.year == year]
    notes: list[Note] = []
    undated = [n for n in matched.news if n.date is None]
    if undated:
        notes.append(
            Note(
                f"新闻报送中有 {len(undated)} 条没有日期,无法归入年度,未计入",
                f"{len(undated)} news item(s) have no date and were not counted in any year",
            )
        )
    checks: list[Check] = []
    for plan in plans:
        checks += plan_checks(plan, calendar, matched.records, year, as_of, matched)
    checks = list(dict.fromkeys(checks))

    pair_set = {k for p in plans for k in p.pairs}
    counselors_of: dict[str, list[str]] = defaultdict(list)
    leaders_of: dict[str, list[str]] = defaultdict(list)
    for lid, cid in sorted(pair_set):
        counselors_of[lid].append(cid)
        leaders_of[cid].append(lid)
    leaders = [
        LeaderYear(lid, counselors_of[lid]) for lid in _ordered_leaders(problem, counselors_of)
    ]
    by_id = {ly.leader_id: ly for ly in leaders}
    for r in recs:
        if r.leader_id in by_id:
            by_id[r.leader_id].records.append(r)
    for g in matched.growth:
        if g.leader_id in by_id and _in_year(g.date, year):
            by_id[g.leader_id].growth.append(g)
    for n in news:
        for lid in dict.fromkeys(n.leader_ids):
            if lid in by_id:
                by_id[lid].news.append(n)
    for c in checks:
        by_id[c.leader_id].checks.append(c)

    # The research target: per counselor, over the latest plan (cycle) holding them.
    counselors: list[CounselorYear] = []
    for cid in sorted(leaders_of):
        cy = CounselorYear(cid, _ordered_leaders(problem, leaders_of[cid]))
        holding = [p for p in plans if any(k[1] == cid for k in p.pairs)]
        latest = max(holding, key=lambda p: (p.start, p.cycle))
        cy.cycle, cy.cycle_start, cy.cycle_end = latest.cycle, latest.start, latest.end
        cy.research = research_items(matched.growth, cid, latest.start, min(latest.end, as_of))
        cy.research = [g for g in cy.research if g.date is None or g.date <= as_of]
        done = set(map(id, cy.research))
        cy.other_growth = [g for g in matched.growth if g.counselor_id == cid and id(g) not in done]
        cy.records = [r for r in recs if r.counselor_id == cid]
        cy.checks = [c for c in checks if c.counselor_id == cid]
        counselors.append(cy)
    met = {cy.counselor_id for cy in counselors if cy.research}
    for ly in leaders:
        ly.research_met = sum(1 for c in ly.counselors if c in met)
    return AnnualSummary(
        year,
        as_of,
        list(plans),
        leaders,
        counselors,
        recs,
        news,
        excluded,
        notes,
        [r for r in matched.records if r.date <= as_of],
    )


# ----- metric values ---------------------------------------------------------------------
def _guidance_categories(records: Iterable[Record]) -> Counter[str]:
    return Counter(r.category_text for r in records if r.form == "guidance")


def _category_text(c: Counter[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(f"{k}{v}" for k, v in sorted(c.items()))
    return "; ".join(
        f"{category_label(k, 'en') if k != '未分类' else 'other'} {v}" for k, v in sorted(c.items())
    )


def person_name(problem: Problem, pid: str, plans: Sequence[PlanInForce] = ()) -> str:
    if pid in problem.leader_by_id:
        return problem.leader_by_id[pid].name
    if pid in problem.counselor_by_id:
        return problem.counselor_by_id[pid].name
    for p in plans:
        if pid in p.names:
            return p.names[pid]
    return ""


def _compliance(ly: LeaderYear, lang: str) -> str:
    missed = ly.missed
    pending = sum(1 for c in ly.checks if c.state == "pending")
    if not ly.checks:
        return "—"
    if not missed:
        base = msg(lang, "达标", "met")
        if pending:
            base += msg(lang, f"(另有{pending}项未到期)", f" ({pending} not yet due)")
        return base
    zh_parts = {"talk": "约谈缺{}季度", "guidance": "工作指导缺{}学期", "career": "规划发展缺{}人"}
    en_parts = {
        "talk": "{} quarter(s) without a talk",
        "guidance": "{} semester(s) without guidance",
        "career": "{} career session(s) missing",
    }
    parts = [
        (zh_parts if lang == "zh" else en_parts)[k].format(missed[k])
        for k in ("talk", "guidance", "career")
        if missed[k]
    ]
    if lang == "zh":
        return "未达标(" + "、".join(parts) + ")"
    return "not met (" + "; ".join(parts) + ")"


def leader_value(
    ly: LeaderYear, key: str, problem: Problem, plans: Sequence[PlanInForce], lang: str, seq: int
) -> object:
    """The value of metric ``key`` for one leader (int, or text)."""
    ld = problem.leader_by_id.get(ly.leader_id)
    forms = ly.forms()
    projects = [g for g in ly.growth if g.kind == "project"]
    papers = [g for g in ly.growth if g.published]
    if key.startswith("guidance:"):
        return _guidance_categories(ly.records)[key[9:]]
    if key.startswith("projects_") and key != "projects_completed":
        return sum(1 for g in projects if g.level == key[9:])
    if key.startswith("papers_"):
        return sum(1 for g in papers if g.level == key[7:])
    simple: dict[str, Any] = {
        "seq": seq,
        "leader_id": ly.leader_id,
        "leader_name": person_name(problem, ly.leader_id, plans),
        "leader_position": ld.position if ld else "",
        "leader_unit": ld.unit if ld else "",
        "leader_level": level_name(ld.level.value, lang) if ld else "",
        "counselors": len(ly.counselors),
        "counselor_names": ("、" if lang == "zh" else ", ").join(
            person_name(problem, c, plans) or c for c in ly.counselors
        ),
        "contacts": len(ly.records),
        "talks": forms["talk"],
        "talks_in_person": sum(1 for r in ly.records if r.form == "talk" and r.in_person),
        "career": forms["career"],
        "guidance": forms["guidance"],
        "guidance_by_category": _category_text(_guidance_categories(ly.records), lang),
        "growth_help": forms["growth"],
        "hardship": forms["hardship"],
        "exchange": forms["exchange"],
        "issues": sum(1 for r in ly.records if r.has_issue),
        "resolved": sum(1 for r in ly.records if r.resolved),
        "projects": len(projects),
        "projects_completed": sum(1 for g in projects if g.completed_research),
        "papers": len(papers),
        "titles": sum(1 for g in ly.growth if g.kind == "title"),
        "degrees": sum(1 for g in ly.growth if g.kind == "degree"),
        "research_met": ly.research_met,
        "news": len(ly.news),
        "talk_quarters": ly.ratio("talk"),
        "guidance_semesters": ly.ratio("guidance"),
        "career_met": ly.ratio("career"),
        "completion": _percent(*sum_ratios([ly])),
        "compliance": _compliance(ly, lang),
    }
    return simple[key]


def sum_ratios(leaders: Iterable[LeaderYear]) -> tuple[int, int]:
    a = b = 0
    for ly in leaders:
        for rule in ("talk", "guidance", "career"):
            x, y = ly.ratio(rule)
            a, b = a + x, b + y
    return a, b


def _percent(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "—"


def cell_value(value: object) -> object:
    if isinstance(value, tuple):
        a, b = value
        return f"{a}/{b}" if b else "—"
    if isinstance(value, str):
        return xml_safe(escape_cell(value))
    return value


def summary_rows(
    summary: AnnualSummary, layout: Layout, problem: Problem, lang: str = "zh"
) -> tuple[list[list[object]], list[object]]:
    """(one row per leader, the totals row) of the 汇总 sheet, as cell values."""
    rows: list[list[object]] = []
    for i, ly in enumerate(summary.leaders, start=1):
        rows.append(
            [
                cell_value(leader_value(ly, c.metric.key, problem, summary.plans, lang, i))
                for c in layout.columns
            ]
        )
    total: list[object] = []
    label_done = False
    n_ok = sum(1 for ly in summary.leaders if ly.checks and not ly.missed)
    for j, c in enumerate(layout.columns):
        key = c.metric.key
        if key == "leader_id" or (not label_done and j == 0 and not layout.has("leader_id")):
            total.append(TOTAL_LABEL.get(lang, "合计"))
            label_done = True
            continue
        if c.metric.kind == "int" and key != "seq":
            values = [
                leader_value(ly, key, problem, summary.plans, lang, 0) for ly in summary.leaders
            ]
            total.append(sum(v for v in values if isinstance(v, int)))
        elif c.metric.kind == "ratio":
            rule = {"talk_quarters": "talk", "guidance_semesters": "guidance"}.get(key, "career")
            a = sum(ly.ratio(rule)[0] for ly in summary.leaders)
            b = sum(ly.ratio(rule)[1] for ly in summary.leaders)
            total.append(cell_value((a, b)))
        elif key == "completion":
            total.append(_percent(*sum_ratios(summary.leaders)))
        elif key == "compliance":
            total.append(
                msg(
                    lang,
                    f"{n_ok}/{len(summary.leaders)}人达标",
                    f"{n_ok}/{len(summary.leaders)} met",
                )
            )
        elif key == "guidance_by_category":
            total.append(cell_value(_category_text(_guidance_categories(summary.records), lang)))
        else:
            total.append("")
    return rows, total


def _y(d: date | None) -> str:
    return d.isoformat() if d else ""


COUNSELOR_HEAD = (
    ("辅导员工号", "counselor_id"),
    ("辅导员姓名", "counselor_name"),
    ("单位", "unit"),
    ("联系领导", "leaders"),
    ("约谈次数", "talks"),
    ("其中面谈", "talks_in_person"),
    ("规划发展次数", "career"),
    ("工作指导次数", "guidance"),
    ("帮助成长次数", "growth_help"),
    ("困难帮扶次数", "hardship"),
    ("反映问题数", "issues_raised"),
    ("已解决问题数", "issues_resolved"),
    ("约谈达标(季度)", "talk_quarters_met"),
    ("工作指导达标(学期)", "guidance_semesters_met"),
    ("规划发展达标", "career_met"),
    ("科研目标", "research_target"),
)
RESEARCH_HEAD = (
    ("辅导员工号", "counselor_id"),
    ("辅导员姓名", "counselor_name"),
    ("单位", "unit"),
    ("周期", "cycle"),
    ("周期起止", "cycle_dates"),
    ("已完成项数", "completed_items"),
    ("是否达成", "met"),
    ("已完成的课题/论文", "completed"),
    ("其他成长记录", "other_growth"),
)
NEWS_HEAD = (
    ("日期", "date"),
    ("标题", "title"),
    ("领导工号", "leader_ids"),
    ("领导姓名", "leader_names"),
    ("报送单位", "channel"),
    ("状态", "status"),
)


def _ratio_of(checks: Iterable[Check], rule: str) -> tuple[int, int]:
    cs = [c for c in checks if c.rule == rule and c.state != "pending"]
    return sum(c.state == "met" for c in cs), len(cs)


def _growth_text(g: Growth, lang: str) -> str:
    bits = [
        choice_label("growth", "kind", g.kind, lang),
        choice_label("growth", "level", g.level, lang) if g.level else "",
        choice_label("growth", "role", g.role, lang) if g.role else "",
        g.status,
        _y(g.date),
    ]
    return (
        f"{g.title}(" + ",".join(b for b in bits if b) + ")"
        if lang == "zh"
        else (f"{g.title} (" + ", ".join(b for b in bits if b) + ")")
    )


def counselor_rows(
    summary: AnnualSummary, problem: Problem, lang: str = "zh"
) -> list[list[object]]:
    """Rows of the per-counselor sheet (:data:`COUNSELOR_HEAD`)."""
    out: list[list[object]] = []
    for cy in summary.counselors:
        c = problem.counselor_by_id.get(cy.counselor_id)
        forms = Counter(r.form for r in cy.records)
        out.append(
            [
                cy.counselor_id,
                person_name(problem, cy.counselor_id, summary.plans),
                c.unit if c else "",
                ("、" if lang == "zh" else ", ").join(
                    person_name(problem, x, summary.plans) or x for x in cy.leaders
                ),
                forms["talk"],
                sum(1 for r in cy.records if r.form == "talk" and r.in_person),
                forms["career"],
                forms["guidance"],
                forms["growth"],
                forms["hardship"],
                sum(1 for r in cy.records if r.has_issue),
                sum(1 for r in cy.records if r.resolved),
                _ratio_of(cy.checks, "talk"),
                _ratio_of(cy.checks, "guidance"),
                _ratio_of(cy.checks, "career"),
                msg(lang, "已达成", "met") if cy.research else msg(lang, "未达成", "not yet"),
            ]
        )
    return out


def research_rows(summary: AnnualSummary, problem: Problem, lang: str = "zh") -> list[list[object]]:
    """Rows of the research-target sheet (:data:`RESEARCH_HEAD`)."""
    sep = ";" if lang == "zh" else "; "
    out: list[list[object]] = []
    for cy in summary.counselors:
        c = problem.counselor_by_id.get(cy.counselor_id)
        out.append(
            [
                cy.counselor_id,
                person_name(problem, cy.counselor_id, summary.plans),
                c.unit if c else "",
                cy.cycle,
                f"{_y(cy.cycle_start)}—{_y(cy.cycle_end)}",
                len(cy.research),
                yes_no(bool(cy.research), lang),
                sep.join(_growth_text(g, lang) for g in cy.research),
                sep.join(_growth_text(g, lang) for g in cy.other_growth),
            ]
        )
    return out


def news_rows(summary: AnnualSummary, problem: Problem, lang: str = "zh") -> list[list[object]]:
    """Rows of the 新闻报送 sheet (:data:`NEWS_HEAD`)."""
    sep = "、" if lang == "zh" else ", "
    return [
        [
            _y(n.date),
            n.title,
            sep.join(n.leader_ids),
            sep.join(person_name(problem, x, summary.plans) or x for x in n.leader_ids),
            n.channel,
            n.status,
        ]
        for n in summary.news
    ]


def year_items(
    summary: AnnualSummary,
    calendar: CalendarConfig,
    schedule: Sequence[TrackedItem] | None,
) -> list[TrackedItem]:
    """The pair items of the report year: from the schedule when given, else the rule
    windows of each plan (no planned dates)."""
    y0, y1 = date(summary.year, 1, 1), date(summary.year, 12, 31)
    pairs = {k for p in summary.plans for k in p.pairs}
    if schedule is not None:
        return [
            it
            for it in schedule
            if it.pair in pairs and it.window_end >= y0 and it.window_start <= y1
        ]
    out = []
    for plan in summary.plans:
        cfg = CalendarConfig(
            cycle_start=plan.start, cycle_years=plan.years, semesters=calendar.semesters
        )
        sems = _semesters_for(calendar, plan)
        for lid, cid in sorted(set(plan.pairs)):
            for req in pair_requirements(plan.cycle, lid, cid, cfg, semesters=sems):
                if req.window_end >= y0 and req.window_start <= y1:
                    out.append(
                        TrackedItem(
                            req.item_id,
                            lid,
                            cid,
                            req.form.value,
                            req.window_start,
                            req.window_end,
                            None,
                            "planned",
                            req.period,
                        )
                    )
    return out
