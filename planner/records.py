"""Contact records (联系记录), the growth ledger (成长记录) and news items (新闻报送).

What the leaders actually did, as the office collects it (CONTRACT.md §10), and how
each row is matched to the plans in force. The reader (:mod:`planner.io.read`) has
already typed the cells; here they become small frozen dataclasses, and every row is
either *counted* (its people are on the rosters and its pair is in a given plan) or
*excluded* with a reason the office can act on. Excluded rows are reported, never
counted (CONTRACT.md §10).

Rules read here
---------------
- Only face-to-face (面谈) talks count for the quarterly talk rule; phone and online
  talks are recorded and counted as talks, but do not meet the quarter.
- ``exchange`` (交流会) records a leader's attendance at an exchange meeting;
  ``exchange`` and ``summary`` records may leave the counselor empty.
- The three-year research target counts completed items only: a project of
  院级 or higher with status 已结项 (led 主持 or joined 参与), or a paper with status
  已发表.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from models import Problem, cycle_first_year
from planner.duties.guidance import guidance_verdict
from planner.i18n import msg
from planner.schema import EVENTS, choice_label, match_choice, norm_name
from planner.workdays.school_year import add_years

__all__ = [
    "PAIR_FORMS",
    "Excluded",
    "Growth",
    "Ledger",
    "Matched",
    "News",
    "PlanInForce",
    "Record",
    "category_label",
    "cycle_bounds",
    "form_label",
    "match_ledger",
    "xml_safe",
]

#: Forms that belong to one leader-counselor pair (a counselor id is needed).
PAIR_FORMS = frozenset({"talk", "career", "guidance", "growth", "hardship"})


# Words clerks write in 反映问题 when nothing was raised.
_NO_ISSUE = frozenset(
    norm_name(w)
    for w in ("无", "没有", "暂无", "无问题", "无意见", "none", "no", "n/a", "na", "-", "—", "/")
)
# 办理状态 words meaning the issue is settled.
_RESOLVED = frozenset(
    norm_name(w)
    for w in (
        "已办结",
        "办结",
        "已解决",
        "解决",
        "已完成",
        "完成",
        "已落实",
        "已答复",
        "resolved",
        "done",
        "closed",
    )
)
_PROJECT_DONE = frozenset(
    norm_name(w) for w in ("已结项", "结项", "已结题", "结题", "已验收", "completed", "closed")
)
_PAPER_DONE = frozenset(
    norm_name(w) for w in ("已发表", "发表", "已刊发", "刊发", "已见刊", "见刊", "published")
)


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(text: str) -> str:
    """``text`` without the control characters XML (xlsx, docx) cannot hold.

    Cells pasted from Word or web pages sometimes carry a vertical tab or form feed;
    openpyxl and python-docx refuse them, so they become spaces.
    """
    return _XML_ILLEGAL.sub(" ", text)


def form_label(code: str, lang: str = "zh") -> str:
    """定期约谈 … for a form code (``talk`` …) in ``lang``."""
    return choice_label("records", "form", code, lang)


def category_label(text: str, lang: str = "zh") -> str:
    """A record's 类别 as the event category word (``班会``), or the text as written."""
    code = match_choice(EVENTS.column("category"), text) if text else None
    if code is None:
        return text
    return choice_label("events", "category", code, lang)


# ----- rows ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Record:
    """One contact record (联系记录).

    ``form`` is a code of :data:`planner.schema.FORMS` (talk, career, guidance, growth,
    hardship, exchange, summary); ``mode`` one of in_person, phone, online. ``row``,
    ``file`` and ``sheet`` locate the row for the office.
    """

    date: date
    leader_id: str
    counselor_id: str
    form: str
    mode: str = "in_person"
    category: str = ""
    summary: str = ""
    issues_raised: str = ""
    resolution: str = ""
    status: str = ""
    evidence: str = ""
    row: int = 0
    file: str = ""
    sheet: str | None = None
    issue_ids: tuple[str, ...] = ()
    typical: bool = False
    """典型案例: the office marks the record as a typical case for the booklet."""
    extra: tuple[tuple[str, str], ...] = ()
    """The row's extra columns (header, text) in input order, e.g. (("地点", "…"),)."""

    @property
    def pair(self) -> tuple[str, str]:
        return (self.leader_id, self.counselor_id)

    @property
    def in_person(self) -> bool:
        """Face to face (面谈): the only talks that meet the quarterly rule."""
        return self.mode == "in_person"

    @property
    def has_issue(self) -> bool:
        """The counselor raised something (反映问题 not blank and not 无)."""
        return bool(self.issues_raised) and norm_name(self.issues_raised) not in _NO_ISSUE

    @property
    def resolved(self) -> bool:
        """An issue raised and settled (办理状态 已办结/已解决/…)."""
        return self.has_issue and norm_name(self.status) in _RESOLVED

    @property
    def category_text(self) -> str:
        """The guidance category as the event word, ``未分类`` when blank."""
        return category_label(self.category) or "未分类"


@dataclass(frozen=True)
class Growth:
    """One growth-ledger row (成长记录): a project, paper, title or degree of a counselor.

    ``kind``: project/paper/title/degree; ``level``: college/municipal/provincial/national
    or None; ``role``: lead/member or None; ``status`` free text (在研, 已结项, 已发表 …).
    """

    counselor_id: str
    kind: str
    leader_id: str = ""
    title: str = ""
    level: str | None = None
    role: str | None = None
    status: str = ""
    date: date | None = None
    row: int = 0
    file: str = ""
    sheet: str | None = None

    @property
    def completed_research(self) -> bool:
        """Counts for the three-year target: a 院级+ project 已结项, or a paper 已发表."""
        st = norm_name(self.status)
        if self.kind == "project":
            return self.level is not None and st in _PROJECT_DONE
        if self.kind == "paper":
            return st in _PAPER_DONE
        return False

    @property
    def published(self) -> bool:
        """A paper with status 已发表."""
        return self.kind == "paper" and norm_name(self.status) in _PAPER_DONE


@dataclass(frozen=True)
class News:
    """One news item sent to the province (新闻报送)."""

    title: str
    date: date | None = None
    leader_ids: tuple[str, ...] = ()
    channel: str = ""
    status: str = ""
    row: int = 0
    file: str = ""
    sheet: str | None = None


def _s(v: object) -> str:
    return "" if v is None else str(v)


def _d(v: object) -> date | None:
    return v if isinstance(v, date) else None


def _ids(v: object) -> tuple[str, ...]:
    return tuple(str(x) for x in v) if isinstance(v, tuple | list) else ()


def _extra(v: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(v, Mapping):
        return ()
    return tuple((str(k), _s(x)) for k, x in v.items())


def _where(r: Mapping[str, object]) -> tuple[int, str, str | None]:
    """(spreadsheet row, file, sheet) of a reader row."""
    row, sheet = r.get("_row"), r.get("_sheet")
    return (
        row if isinstance(row, int) else 0,
        _s(r.get("_file")),
        sheet if isinstance(sheet, str) else None,
    )


@dataclass(frozen=True)
class Ledger:
    """The three tables as read: records, growth rows and news items."""

    records: tuple[Record, ...] = ()
    growth: tuple[Growth, ...] = ()
    news: tuple[News, ...] = ()
    dev_plans: tuple[tuple[str, str, date], ...] = ()
    """(leader_id, counselor_id, date) of each development plan (发展规划) row."""

    @classmethod
    def from_tables(cls, tables: Mapping[str, Sequence[Mapping[str, object]]]) -> Ledger:
        """Build from :attr:`planner.io.read.DataSet.tables` (absent tables are empty).

        Rows the reader could not fully type (they only reach here when the reader
        reported nothing, so in practice none) are skipped rather than guessed.
        """
        recs = []
        for r in tables.get("records", ()):
            day = _d(r.get("date"))
            loc = _where(r)
            if day is None or not r.get("leader_id") or not r.get("form"):
                continue
            recs.append(
                Record(
                    date=day,
                    leader_id=_s(r.get("leader_id")),
                    counselor_id=_s(r.get("counselor_id")),
                    form=_s(r.get("form")),
                    mode=_s(r.get("mode")) or "in_person",
                    category=_s(r.get("category")),
                    summary=_s(r.get("summary")),
                    issues_raised=_s(r.get("issues_raised")),
                    resolution=_s(r.get("resolution")),
                    status=_s(r.get("status")),
                    evidence=_s(r.get("evidence")),
                    row=loc[0],
                    file=loc[1],
                    sheet=loc[2],
                    issue_ids=_ids(r.get("issue_ids")),
                    typical=r.get("typical") is True,
                    extra=_extra(r.get("_extra")),
                )
            )
        growth = []
        for r in tables.get("growth", ()):
            if not r.get("counselor_id") or not r.get("kind"):
                continue
            loc = _where(r)
            growth.append(
                Growth(
                    counselor_id=_s(r.get("counselor_id")),
                    kind=_s(r.get("kind")),
                    leader_id=_s(r.get("leader_id")),
                    title=_s(r.get("title")),
                    level=_s(r.get("level")) or None,
                    role=_s(r.get("role")) or None,
                    status=_s(r.get("status")),
                    date=_d(r.get("date")),
                    row=loc[0],
                    file=loc[1],
                    sheet=loc[2],
                )
            )
        news = []
        for r in tables.get("news", ()):
            ids = r.get("leader_ids") or ()
            loc = _where(r)
            news.append(
                News(
                    title=_s(r.get("title")),
                    date=_d(r.get("date")),
                    leader_ids=tuple(str(x) for x in ids) if isinstance(ids, tuple | list) else (),
                    channel=_s(r.get("channel")),
                    status=_s(r.get("status")),
                    row=loc[0],
                    file=loc[1],
                    sheet=loc[2],
                )
            )
        plans = []
        for r in tables.get("development_plans", ()):
            day = _d(r.get("date"))
            if day is not None and r.get("counselor_id"):
                plans.append((_s(r.get("leader_id")), _s(r.get("counselor_id")), day))
        key_r = lambda x: (x.date, x.leader_id, x.counselor_id, x.file, x.row)  # noqa: E731
        return cls(
            tuple(sorted(recs, key=key_r)),
            tuple(growth),
            tuple(sorted(news, key=lambda n: (n.date or date.max, n.file, n.row))),
            tuple(sorted(plans)),
        )


# ----- plans in force ----------------------------------------------------------------
@dataclass(frozen=True)
class PlanInForce:
    """One plan a report or status check is made against.

    Attributes
    ----------
    cycle
        The plan's cycle label (``2027-2030``).
    pairs
        (leader_id, counselor_id) in file order.
    start, end
        The cycle's first and last day (inclusive).
    source
        The plan file's name, for messages.
    years
        The cycle's length in years (3).
    names
        Id → name as the plan file writes it (领导姓名/辅导员姓名), for people no longer
        on the rosters.
    """

    cycle: str
    pairs: tuple[tuple[str, str], ...]
    start: date
    end: date
    source: str = ""
    names: Mapping[str, str] = field(default_factory=dict)
    years: int = 3
    valid_from: date | None = None
    valid_to: date | None = None

    def in_force(self, day: date | None) -> bool:
        """Whether the plan was in force on ``day`` (a plan with no validity: always)."""
        if day is None:
            return True
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to

    def keys(self) -> frozenset[tuple[str, str]]:
        return frozenset(self.pairs)


def cycle_bounds(
    label: str, problem: Problem, calendar_start: date | None = None
) -> tuple[date, date, int]:
    """First and last day of the cycle ``label``, and its length in years.

    The DATA's own cycle uses its calendar start; another cycle (a year spanning two
    cycles) starts on the same month and day in its own first year (1 September when no
    start is known). The length is the label's span (``2024-2027`` → 3 years).
    """
    first = cycle_first_year(label) or problem.stage_date.year
    years = 3
    nums = [int(x) for x in _years_in(label)]
    if len(nums) >= 2 and 1 <= nums[1] - nums[0] <= 10:
        years = nums[1] - nums[0]
    base = problem.cycle_start or calendar_start
    if label == problem.cycle and base is not None:
        start = base
    elif base is not None:
        start = add_years(base, first - base.year)
    else:
        start = date(first, 9, 1)
    return start, add_years(start, years) - timedelta(days=1), years


def _years_in(label: str) -> list[str]:
    return re.findall(r"(?<!\d)(\d{4})(?!\d)", label)


# ----- matching -----------------------------------------------------------------------
@dataclass(frozen=True)
class Excluded:
    """A row that names an unknown person or a pair in no given plan: listed, not counted."""

    table: str  # records / growth / news
    file: str
    row: int
    reason_zh: str
    reason_en: str
    sheet: str | None = None
    date: date | None = None
    leader_id: str = ""
    counselor_id: str = ""
    what: str = ""  # form, kind or title (coded values as the Chinese word)
    what_en: str = ""  # the same with coded values as English codes (empty: as ``what``)

    def what_text(self, lang: str = "zh") -> str:
        """The form, kind or title in ``lang`` (``定期约谈`` / ``talk``; a title as written)."""
        return self.what if lang == "zh" or not self.what_en else self.what_en

    def where(self, lang: str = "zh") -> str:
        """``联系记录.csv 第5行`` / ``联系记录.csv row 5``."""
        f = self.file + (f"[{self.sheet}]" if self.sheet else "")
        return f"{f} 第{self.row}行" if lang == "zh" else f"{f} row {self.row}"

    def render(self, lang: str = "zh") -> str:
        """One line for the screen."""
        who = "/".join(x for x in (self.leader_id, self.counselor_id) if x)
        day = self.date.isoformat() if self.date else ""
        head = " ".join(x for x in (day, who, self.what_text(lang)) if x)
        if lang == "zh":
            return f"{self.where(lang)}({head}):{self.reason_zh}"
        return f"{self.where(lang)} ({head}): {self.reason_en}"


@dataclass(frozen=True)
class Matched:
    """The ledger split into counted rows and excluded ones."""

    records: tuple[Record, ...]
    growth: tuple[Growth, ...]
    news: tuple[News, ...]
    excluded: tuple[Excluded, ...]
    career_plans: dict[tuple[str, str], tuple[date, ...]] = field(default_factory=dict)
    """Per planned pair, the dates of its development plans: a plan row in the 规划发展 window
    does that item (CONTRACT.md §10), as a 规划发展 record would."""

    def career_done(self, pair: tuple[str, str], start: date, end: date, as_of: date) -> bool:
        """Whether a development plan of ``pair`` is dated in [start, end] (and by ``as_of``)."""
        return any(start <= d <= end and d <= as_of for d in self.career_plans.get(pair, ()))


class _Matcher:
    def __init__(self, problem: Problem, plans: Sequence[PlanInForce]) -> None:
        self.plans = [(frozenset(p.pairs), p) for p in plans]
        self.lids = set(problem.leader_by_id)
        self.cids = set(problem.counselor_by_id)
        self.pairs = {k for p in plans for k in p.pairs}
        self.plan_leaders = {lid for lid, _ in self.pairs}
        self.plan_counselors = {cid for _, cid in self.pairs}

    def people(
        self, lid: str, cid: str, *, need_counselor: bool, day: date | None = None
    ) -> tuple[str, str] | None:
        """(zh, en) reason when the row cannot be counted, else None.

        With ``day``, a pair counts only against a plan in force on that day (a plan version
        of the workspace carries the days it was in force; a plan file is in force always).
        """
        if lid and lid not in self.lids:
            return (f"领导工号 {lid} 不在领导干部名单中", f"leader id {lid} is not on the roster")
        if cid and cid not in self.cids:
            return (
                f"辅导员工号 {cid} 不在辅导员名单中",
                f"counselor id {cid} is not on the roster",
            )
        if need_counselor and not cid:
            return ("缺少辅导员工号", "the counselor id is missing")
        if lid and cid and (lid, cid) not in self.pairs:
            return (
                f"结对 {lid}—{cid} 不在所给的联系对应表中",
                f"the pair {lid}-{cid} is in no given plan",
            )
        if (
            lid
            and cid
            and not any((lid, cid) in keys and p.in_force(day) for keys, p in self.plans)
        ):
            return (
                f"结对 {lid}—{cid} 在 {day} 不在当时有效的联系对应表中",
                f"the pair {lid}-{cid} was in no plan in force on {day}",
            )
        if lid and not cid and lid not in self.plan_leaders:
            return (
                f"领导 {lid} 不在所给的联系对应表中",
                f"leader {lid} is in no given plan",
            )
        if cid and not lid and cid not in self.plan_counselors:
            return (
                f"辅导员 {cid} 不在所给的联系对应表中",
                f"counselor {cid} is in no given plan",
            )
        return None


def match_ledger(ledger: Ledger, problem: Problem, plans: Sequence[PlanInForce]) -> Matched:
    """Split the ledger into rows that count and rows that are reported.

    A record counts when its leader and counselor are on the rosters and their pair is
    in a given plan; ``exchange``/``summary`` records without a counselor need only the
    leader to be in a plan. A growth row counts when its counselor is on the roster and
    in a plan, and its leader (if named) forms a planned pair with it. A news item
    counts when every leader it names is on the roster; a news item naming an unknown
    leader is reported (its known leaders are not credited either, so the office fixes
    the row once). A growth row whose counselor is known and planned but whose leader
    is unknown or not paired with them still counts for the counselor (research
    target) and is reported as not credited to the leader.
    """
    m = _Matcher(problem, plans)
    recs: list[Record] = []
    growth: list[Growth] = []
    news: list[News] = []
    out: list[Excluded] = []
    for r in ledger.records:
        why = m.people(r.leader_id, r.counselor_id, need_counselor=r.form in PAIR_FORMS, day=r.date)
        if why is None and r.form == "guidance":
            # 工作指导 counts only face to face on one of the plan's listed activities.
            verdict = guidance_verdict(r)
            if not verdict.counts:
                why = (verdict.reason("zh"), verdict.reason("en"))
        if why is None:
            recs.append(r)
        else:
            out.append(
                Excluded(
                    "records",
                    r.file,
                    r.row,
                    *why,
                    sheet=r.sheet,
                    date=r.date,
                    leader_id=r.leader_id,
                    counselor_id=r.counselor_id,
                    what=form_label(r.form),
                    what_en=form_label(r.form, "en"),
                )
            )
    for g in ledger.growth:
        why = m.people("", g.counselor_id, need_counselor=True)
        if why is None:
            # The counselor's own achievement counts for them; a leader credit needs a
            # known leader and a planned pair, else it is reported and withheld.
            credit = m.people(g.leader_id, g.counselor_id, need_counselor=True)
            if credit is not None:
                why = (
                    credit[0] + "(不计入该领导,仍计入辅导员本人)",
                    credit[1] + " (not credited to the leader; still counts for the counselor)",
                )
            growth.append(g if credit is None else replace(g, leader_id=""))
        if why is not None:
            out.append(
                Excluded(
                    "growth",
                    g.file,
                    g.row,
                    *why,
                    sheet=g.sheet,
                    date=g.date,
                    leader_id=g.leader_id,
                    counselor_id=g.counselor_id,
                    what=g.title or choice_label("growth", "kind", g.kind),
                    what_en=g.title or choice_label("growth", "kind", g.kind, "en"),
                )
            )
    for n in ledger.news:
        unknown = [x for x in n.leader_ids if x not in m.lids]
        if unknown:
            ids = "、".join(unknown)
            out.append(
                Excluded(
                    "news",
                    n.file,
                    n.row,
                    f"领导工号 {ids} 不在领导干部名单中",
                    f"leader id(s) {', '.join(unknown)} not on the roster",
                    sheet=n.sheet,
                    date=n.date,
                    leader_id="、".join(n.leader_ids),
                    what=n.title,
                )
            )
        else:
            news.append(n)
    career: dict[tuple[str, str], list[date]] = {}
    for lid, cid, day in ledger.dev_plans:
        # A plan without a leader belongs to every planned leader of the counselor.
        for pair in [(lid, cid)] if lid else [k for k in m.pairs if k[1] == cid]:
            if pair in m.pairs:
                career.setdefault(pair, []).append(day)
    return Matched(
        tuple(recs),
        tuple(growth),
        tuple(news),
        tuple(out),
        {k: tuple(v) for k, v in career.items()},
    )


def research_items(
    growth: Iterable[Growth], counselor_id: str, start: date, end: date
) -> list[Growth]:
    """The counselor's completed research items inside [start, end] (undated items count)."""
    return [
        g
        for g in growth
        if g.counselor_id == counselor_id
        and g.completed_research
        and (g.date is None or start <= g.date <= end)
    ]


def excluded_summary(excluded: Sequence[Excluded], lang: str) -> str:
    """One heading line for the excluded rows (empty when none)."""
    if not excluded:
        return ""
    return msg(
        lang,
        f"有 {len(excluded)} 条记录涉及未知人员或不在联系对应表中的结对,未计入统计:",
        f"{len(excluded)} row(s) name unknown people or pairs in no given plan; not counted:",
    )
