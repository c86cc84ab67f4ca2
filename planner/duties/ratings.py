"""备案评价: counselors' ratings of their leaders, 满意率, and a year-end grade (CONTRACT.md §10).

The plan (五.3) asks for a 备案评价制度 and a year-end summary of each leader's contact work;
comparable schemes put it into the year-end cadre assessment. Each counselor rates each of
their leaders once a year: 满意, 基本满意 or 不满意. Per leader and year: 评价人数, the three
counts, and 满意率 = 满意 ÷ 评价人数 as a percentage (no ratings: none, never a division by
zero).

The grade (default rule, every number configurable in ``report.toml``'s ``[grading]``)
--------------------------------------------------------------------------------------
score = 100 × (0.5 × 完成率 + 0.3 × 满意率 + 0.2 × 问题办理分), where

- 完成率 (compliance) is the share of the year's contact items done, 0–1 (from ``status``);
- 满意率 is 满意 ÷ 评价人数, 0–1;
- 问题办理分 = max(0, 1 − 0.25 × the leader's 逾期 issues that year) — each overdue or
  late-closed issue costs a quarter, four or more cost it all.

A leader with no ratings is graded on the other two parts, their weights scaled to sum to 1
(0.5 : 0.2 → 5/7 : 2/7), and the grade says so. Grades: 优秀 ≥ 90 and at most
``excellent_max_overdue`` (0) overdue issues; 合格 ≥ 75; 基本合格 ≥ 60; else 不合格. An office
override per leader (a grade and a reason) wins and is shown as 办公室评定.

``[grading]`` keys (all optional)::

    weight_compliance = 0.5      # weights: non-negative; compliance + issues must be > 0
    weight_satisfaction = 0.3
    weight_issues = 0.2
    overdue_penalty = 0.25       # issue score lost per overdue issue, 0–1
    excellent = 90               # score thresholds, 0–100, excellent ≥ qualified ≥ basic
    qualified = 75
    basic = 60
    excellent_max_overdue = 0    # 优秀 needs at most this many overdue issues
    [[grading.override]]         # the office's decision, one block per leader
    leader_id = "L003"
    grade = "优秀"               # 优秀 / 合格 / 基本合格 / 不合格 (or excellent, …)
    reason = "牵头完成省级辅导员工作室建设"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from planner.duties.rows import as_text, field_of, located
from planner.errors import InputError, InputProblem
from planner.schema import norm_name

__all__ = [
    "Grade",
    "Grading",
    "GradingRule",
    "Override",
    "Rating",
    "Tally",
    "basis_text",
    "grade_leader",
    "grade_leaders",
    "grading_config",
    "ratings_from_rows",
    "rule_text",
    "tally_ratings",
]


@dataclass(frozen=True)
class Rating:
    """One row of 评价. ``rating``: satisfied (满意), fair (基本满意), dissatisfied (不满意)."""

    year: int
    counselor_id: str
    leader_id: str
    rating: str
    comment: str = ""
    file: str = ""
    sheet: str | None = None
    row: int = 0

    @classmethod
    def from_row(cls, row: Any) -> Rating | None:
        """Build from a reader row (or an object); None when a required cell is missing."""
        year = field_of(row, "year")
        cid, lid = as_text(field_of(row, "counselor_id")), as_text(field_of(row, "leader_id"))
        rating = as_text(field_of(row, "rating"))
        if not isinstance(year, int) or isinstance(year, bool) or not cid or not lid or not rating:
            return None
        file, sheet, num = located(row)
        return cls(year, cid, lid, rating, as_text(field_of(row, "comment")), file, sheet, num)


def ratings_from_rows(rows: Iterable[Any]) -> list[Rating]:
    """The ratings of a 评价 table, in file order."""
    return [r for r in (Rating.from_row(x) for x in rows) if r is not None]


@dataclass(frozen=True)
class Tally:
    """One leader's ratings in one year."""

    leader_id: str
    year: int
    satisfied: int = 0
    fair: int = 0
    dissatisfied: int = 0

    @property
    def raters(self) -> int:
        """评价人数."""
        return self.satisfied + self.fair + self.dissatisfied

    @property
    def rate(self) -> float | None:
        """满意率 as a percentage (0–100), None when nobody rated."""
        return None if self.raters == 0 else 100.0 * self.satisfied / self.raters

    def rate_text(self, lang: str = "zh") -> str:
        """``80.0%``, or 无评价 / no ratings."""
        r = self.rate
        if r is None:
            return "无评价" if lang == "zh" else "no ratings"
        return f"{r:.1f}%"


def tally_ratings(
    ratings: Iterable[Rating], year: int, leaders: Iterable[str] = ()
) -> tuple[dict[str, Tally], list[InputProblem]]:
    """Count each leader's ratings of ``year``.

    A counselor who rated the same leader twice that year counts once, by the later row;
    the earlier row is reported.

    Parameters
    ----------
    ratings
        The 评价 rows.
    year
        The year.
    leaders
        Leader ids to include even without ratings (a zero tally).

    Returns
    -------
    tuple
        ({leader_id: Tally} sorted by leader id, problems for the repeated rows).
    """
    latest: dict[tuple[str, str], Rating] = {}
    problems: list[InputProblem] = []
    for r in ratings:
        if r.year != year:
            continue
        key = (r.leader_id, r.counselor_id)
        if key in latest:
            old = latest[key]
            problems.append(
                InputProblem(
                    file=old.file,
                    sheet=old.sheet,
                    row=old.row or None,
                    column="辅导员工号",
                    value=old.counselor_id,
                    message_zh=(
                        f"辅导员 {old.counselor_id} 对领导 {old.leader_id} 的 {year} 年评价重复,"
                        f"按第 {r.row} 行计"
                    ),
                    message_en=(
                        f"counselor {old.counselor_id} rated leader {old.leader_id} twice in "
                        f"{year}; row {r.row} counts"
                    ),
                )
            )
        latest[key] = r
    counts: dict[str, dict[str, int]] = {lid: {} for lid in leaders}
    for (lid, _), r in latest.items():
        c = counts.setdefault(lid, {})
        c[r.rating] = c.get(r.rating, 0) + 1
    out = {
        lid: Tally(lid, year, c.get("satisfied", 0), c.get("fair", 0), c.get("dissatisfied", 0))
        for lid, c in sorted(counts.items())
    }
    return out, problems


class Grade(StrEnum):
    """评定等级."""

    EXCELLENT = "优秀"
    QUALIFIED = "合格"
    BASIC = "基本合格"
    UNQUALIFIED = "不合格"

    def label(self, lang: str = "zh") -> str:
        if lang == "zh":
            return self.value
        return {
            "优秀": "excellent",
            "合格": "qualified",
            "基本合格": "basically qualified",
            "不合格": "unqualified",
        }[self.value]

    @classmethod
    def parse(cls, text: str) -> Grade | None:
        """The grade a word names (优秀 … or excellent …), else None."""
        want = norm_name(text)
        for g in cls:
            if want in (norm_name(g.value), norm_name(g.label("en")), norm_name(g.name)):
                return g
        return None


@dataclass(frozen=True)
class GradingRule:
    """The grading weights and thresholds (module docstring); defaults are the product's."""

    weight_compliance: float = 0.5
    weight_satisfaction: float = 0.3
    weight_issues: float = 0.2
    overdue_penalty: float = 0.25
    excellent: float = 90.0
    qualified: float = 75.0
    basic: float = 60.0
    excellent_max_overdue: int = 0


@dataclass(frozen=True)
class Override:
    """The office's grade for a leader, with its reason."""

    leader_id: str
    grade: Grade
    reason: str


def _cfg_problem(key: str, value: object, zh: str, en: str, file: str) -> InputProblem:
    return InputProblem(
        file=file, column=f"grading.{key}", value=str(value), message_zh=zh, message_en=en
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def grading_config(
    table: Mapping[str, Any] | None, file: str = "report.toml"
) -> tuple[GradingRule, dict[str, Override]]:
    """Read ``report.toml``'s ``[grading]`` table (already parsed by :mod:`tomllib`).

    Parameters
    ----------
    table
        The ``[grading]`` table as a dict; None or ``{}`` gives the defaults.
    file
        The file name for messages.

    Returns
    -------
    tuple
        (the rule, {leader_id: Override}).

    Raises
    ------
    InputError
        Naming every unknown key, bad number and bad override.
    """
    table = dict(table or {})
    problems: list[InputProblem] = []
    raw_overrides = table.pop("override", [])
    names = {f.name for f in fields(GradingRule)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in names:
            known = ", ".join(sorted(names | {"override"}))
            problems.append(
                _cfg_problem(
                    key,
                    value,
                    f"未知的评定设置项“{key}”,可用的有: {known}",
                    f"unknown grading key '{key}'; known keys: {known}",
                    file,
                )
            )
            continue
        n = _number(value)
        if key == "excellent_max_overdue":
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            if not ok:
                problems.append(
                    _cfg_problem(
                        key,
                        value,
                        "应为不小于 0 的整数",
                        "must be a whole number ≥ 0",
                        file,
                    )
                )
                continue
            values[key] = value
            continue
        hi = (
            1.0
            if key == "overdue_penalty"
            else 100.0
            if key in ("excellent", "qualified", "basic")
            else None
        )
        if n is None or n < 0 or (hi is not None and n > hi):
            rng = f"0 到 {hi:g}" if hi is not None else "不小于 0"
            rng_en = f"from 0 to {hi:g}" if hi is not None else "≥ 0"
            problems.append(
                _cfg_problem(key, value, f"应为{rng}的数", f"must be a number {rng_en}", file)
            )
            continue
        values[key] = n
    rule = GradingRule(**values) if not problems else GradingRule()
    if not problems:
        if rule.weight_compliance + rule.weight_issues <= 0:
            problems.append(
                _cfg_problem(
                    "weight_compliance",
                    rule.weight_compliance,
                    "完成率与问题办理的权重不能都为 0(没有评价的领导无法评定)",
                    "weight_compliance and weight_issues cannot both be 0",
                    file,
                )
            )
        if not rule.excellent >= rule.qualified >= rule.basic:
            problems.append(
                _cfg_problem(
                    "excellent",
                    f"{rule.excellent:g}/{rule.qualified:g}/{rule.basic:g}",
                    "分数线应满足 优秀 ≥ 合格 ≥ 基本合格",
                    "thresholds must satisfy excellent ≥ qualified ≥ basic",
                    file,
                )
            )
    overrides: dict[str, Override] = {}
    items = raw_overrides if isinstance(raw_overrides, list) else [raw_overrides]
    for k, item in enumerate(items, start=1):
        where = f"override[{k}]"
        if not isinstance(item, Mapping):
            problems.append(
                _cfg_problem(where, item, "应为 [[grading.override]] 表", "must be a table", file)
            )
            continue
        lid = as_text(item.get("leader_id"))
        grade = Grade.parse(as_text(item.get("grade")))
        reason = as_text(item.get("reason"))
        extra = sorted(set(item) - {"leader_id", "grade", "reason"})
        if not lid or grade is None or not reason or extra:
            problems.append(
                _cfg_problem(
                    where,
                    dict(item),
                    "需要 leader_id、grade(优秀/合格/基本合格/不合格)和 reason(理由),不能有其他键",
                    "needs leader_id, grade (优秀/合格/基本合格/不合格) and reason, nothing else",
                    file,
                )
            )
            continue
        if lid in overrides:
            problems.append(
                _cfg_problem(
                    where, lid, f"领导 {lid} 的评定改写重复", f"leader {lid} overridden twice", file
                )
            )
            continue
        overrides[lid] = Override(lid, grade, reason)
    if problems:
        raise InputError(problems)
    return rule, overrides


@dataclass(frozen=True)
class Grading:
    """One leader's grade and how it was reached."""

    leader_id: str
    score: float  # 0–100
    computed: Grade
    grade: Grade  # the office's override when there is one
    tally: Tally
    compliance: float
    overdue: int
    override_reason: str = ""
    notes: tuple[tuple[str, str], ...] = field(default=())  # (zh, en)

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)

    @property
    def no_ratings(self) -> bool:
        return self.tally.raters == 0

    def grade_text(self, lang: str = "zh") -> str:
        """``合格``, or ``优秀(办公室评定:理由;按规则为合格)`` when overridden."""
        if not self.overridden:
            return self.grade.label(lang)
        if lang == "zh":
            return (
                f"{self.grade.value}(办公室评定:{self.override_reason};"
                f"按规则为{self.computed.value})"
            )
        return (
            f"{self.grade.label('en')} (office decision: {self.override_reason}; "
            f"by the rule {self.computed.label('en')})"
        )


def _parts(
    rule: GradingRule, compliance: float, tally: Tally, overdue: int
) -> list[tuple[str, str, float, float]]:
    """(zh name, en name, value 0–1, weight) of the parts that apply."""
    issue_score = max(0.0, 1.0 - rule.overdue_penalty * overdue)
    parts = [("完成率", "compliance", compliance, rule.weight_compliance)]
    if tally.raters:
        parts.append(
            ("满意率", "satisfaction", tally.satisfied / tally.raters, rule.weight_satisfaction)
        )
    parts.append(("问题办理", "issues", issue_score, rule.weight_issues))
    return parts


def grade_leader(
    leader_id: str,
    compliance: float,
    tally: Tally,
    overdue: int,
    rule: GradingRule | None = None,
    override: Override | None = None,
) -> Grading:
    """Grade one leader by ``rule`` (module docstring); ``override`` wins when given.

    Parameters
    ----------
    leader_id
        The leader.
    compliance
        The year's compliance ratio, 0–1 (items done ÷ items due).
    tally
        The leader's ratings that year (:func:`tally_ratings`; a zero tally when none).
    overdue
        The leader's 逾期 issues that year (overdue or closed late).
    rule
        Weights and thresholds; default :class:`GradingRule`.
    override
        The office's grade and reason.

    Returns
    -------
    Grading

    Raises
    ------
    ValueError
        If ``compliance`` is outside 0–1 or ``overdue`` is negative (a caller's bug).
    """
    rule = rule or GradingRule()
    if not 0.0 <= compliance <= 1.0:
        raise ValueError(f"compliance of {leader_id} must be 0..1, got {compliance}")
    if overdue < 0:
        raise ValueError(f"overdue of {leader_id} must be ≥ 0, got {overdue}")
    parts = _parts(rule, compliance, tally, overdue)
    total_w = sum(w for *_, w in parts)
    # Rounded so that 0.5*0.9+0.3*0.8+0.2*0.75 is 84.0, not 83.99999999999999.
    score = round(100.0 * sum(v * w for _, _, v, w in parts) / total_w, 6)
    notes: list[tuple[str, str]] = []
    if not tally.raters:
        notes.append(
            (
                "无评价:满意率不计,按完成率和问题办理评定",
                "no ratings: graded on compliance and issues only",
            )
        )
    if score >= rule.excellent and overdue <= rule.excellent_max_overdue:
        computed = Grade.EXCELLENT
    elif score >= rule.qualified:
        computed = Grade.QUALIFIED
        if score >= rule.excellent:
            notes.append(
                (
                    f"有 {overdue} 个逾期问题,不评优秀",
                    f"{overdue} overdue issue(s): not graded excellent",
                )
            )
    elif score >= rule.basic:
        computed = Grade.BASIC
    else:
        computed = Grade.UNQUALIFIED
    return Grading(
        leader_id,
        score,
        computed,
        override.grade if override else computed,
        tally,
        compliance,
        overdue,
        override.reason if override else "",
        tuple(notes),
    )


def grade_leaders(
    leader_ids: Sequence[str],
    year: int,
    compliance: Mapping[str, float],
    tallies: Mapping[str, Tally],
    overdue: Mapping[str, int],
    rule: GradingRule | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> list[Grading]:
    """Grade every leader in ``leader_ids`` (in that order).

    Leaders missing from ``tallies`` have no ratings, from ``overdue`` no overdue issues.

    Raises
    ------
    ValueError
        If a leader has no compliance ratio: the caller must say how much they did.
    """
    out = []
    for lid in leader_ids:
        if lid not in compliance:
            raise ValueError(f"no compliance ratio for leader {lid}")
        out.append(
            grade_leader(
                lid,
                compliance[lid],
                tallies.get(lid, Tally(lid, year)),
                overdue.get(lid, 0),
                rule,
                (overrides or {}).get(lid),
            )
        )
    return out


def basis_text(g: Grading, rule: GradingRule | None = None, lang: str = "zh") -> str:
    """How the score was reached: ``完成率 90.0%×0.5 + 满意率 80.0%×0.3 + 问题办理 75.0%×0.2 = 84.0 分``."""
    rule = rule or GradingRule()
    parts = _parts(rule, g.compliance, g.tally, g.overdue)
    total_w = sum(w for *_, w in parts)
    terms = [
        f"{zh if lang == 'zh' else en} {100 * v:.1f}%×{w / total_w:.3g}" for zh, en, v, w in parts
    ]
    unit = " 分" if lang == "zh" else " points"
    return " + ".join(terms) + f" = {g.score:.1f}{unit}"


def rule_text(rule: GradingRule | None = None, lang: str = "zh") -> list[str]:
    """The grading rule in sentences, for the report's 说明 sheet and the README."""
    r = rule or GradingRule()
    if lang == "zh":
        return [
            f"评定分数 = 100 ×(完成率 × {r.weight_compliance:g} + 满意率 × {r.weight_satisfaction:g}"
            f" + 问题办理分 × {r.weight_issues:g})。",
            "完成率:当年应完成的联系事项中已完成的比例;满意率:评价“满意”人数 ÷ 评价人数。",
            f"问题办理分 = 1 − {r.overdue_penalty:g} × 当年逾期(含超时办结)问题数,最低为 0。",
            "没有评价的领导干部不计满意率,按其余两项(权重按比例放大)评定,并注明“无评价”。",
            f"优秀:≥ {r.excellent:g} 分且逾期问题不超过 {r.excellent_max_overdue} 个;"
            f"合格:≥ {r.qualified:g} 分;基本合格:≥ {r.basic:g} 分;其余为不合格。",
            "权重与分数线可在 report.toml 的 [grading] 中修改;办公室可用 [[grading.override]]"
            " 写明理由改定某位领导的等级,表中标为“办公室评定”。",
        ]
    return [
        f"score = 100 × (compliance × {r.weight_compliance:g} + satisfaction × "
        f"{r.weight_satisfaction:g} + issue score × {r.weight_issues:g}).",
        "compliance: share of the year's contact items done; satisfaction: 满意 ÷ raters.",
        f"issue score = 1 − {r.overdue_penalty:g} × the year's overdue (or late-closed) issues, "
        "at least 0.",
        "A leader with no ratings is graded on the other two parts (weights scaled up), "
        "marked 'no ratings'.",
        f"excellent: ≥ {r.excellent:g} and at most {r.excellent_max_overdue} overdue issues; "
        f"qualified: ≥ {r.qualified:g}; basically qualified: ≥ {r.basic:g}; else unqualified.",
        "Weights and thresholds: report.toml [grading]; the office overrides a grade with a "
        "reason in [[grading.override]], shown as an office decision.",
    ]
