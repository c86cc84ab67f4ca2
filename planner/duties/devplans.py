"""发展规划: the counselor's development plan a leader makes with them (规划发展, CONTRACT.md §10).

The plan (四.2) asks each leader, within 6 months, to give their counselors career guidance
"对于不同特点、不同年限、不同阶段的辅导员,予以分层关注、支持发展 … 为打造专家型辅导员奠定基础".
A 发展规划 row records that plan: 发展方向, 三年目标, 节点安排. The pair's 规划发展 item is done
by a plan row or a 规划发展 record dated in the item's window.

What a plan must contain, by tier
---------------------------------
The tier is the counselor's stage from 任辅导员日期 at the day given (the cycle start):
新任 < 3 years, 骨干 3–8, 资深 ≥ 8 (``models.stage_of``).

- **Every plan**: a 发展方向 (direction) and 三年目标 (goals), both non-blank.
- **新任**: a first-year milestone — 节点安排 names the first year: 第一年 / 第1年 / 首年 /
  一年内 / 1年内 / 入职第一年 / 第一学年 / 第一学期, or a month within twelve months of the plan's
  date (``2027年12月``, ``2027-12``, ``2027.12``). A new counselor needs a near step, not only a
  three-year goal.
- **骨干**: 节点安排 not blank — staged steps over the three years towards the chosen path
  (术有专攻).
- **资深**: an expert-track goal in 发展方向 or 三年目标: one of 专家, 名师, 工作室, 课题, 科研,
  论文, 专著, 带头人, 精品项目, 标兵, 年度人物 (专家型辅导员 is the plan's aim for this tier).
- Unknown tier (no 任辅导员日期): only the common requirement; the lack list says the tier is
  unknown so the office can add the date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from models import Stage, stage_of
from planner.duties.rows import as_date, as_text, field_of, located
from planner.workdays.school_year import add_months

__all__ = [
    "EXPERT_WORDS",
    "FIRST_YEAR_WORDS",
    "CareerCheck",
    "CareerStatus",
    "DevPlan",
    "Lack",
    "career_item",
    "plan_lacks",
    "plan_tier",
    "plans_from_rows",
]

#: Words in 节点安排 that name the first year (新任).
FIRST_YEAR_WORDS = (
    "第一年",
    "第1年",
    "首年",
    "一年内",
    "1年内",
    "入职第一年",
    "第一学年",
    "第1学年",
    "第一学期",
    "第1学期",
)
#: Words in 发展方向/三年目标 that name an expert-track goal (资深).
EXPERT_WORDS = (
    "专家",
    "名师",
    "工作室",
    "课题",
    "科研",
    "论文",
    "专著",
    "带头人",
    "精品项目",
    "标兵",
    "年度人物",
)
_MONTH = re.compile(r"(\d{4})\s*(?:年|[-./])\s*(\d{1,2})")


@dataclass(frozen=True)
class DevPlan:
    """One row of 发展规划."""

    counselor_id: str
    leader_id: str
    date: date | None = None
    direction: str = ""
    goals: str = ""
    milestones: str = ""
    file: str = ""
    sheet: str | None = None
    row: int = 0

    @classmethod
    def from_row(cls, row: Any) -> DevPlan | None:
        """Build from a reader row (or an object); None without both ids."""
        cid, lid = as_text(field_of(row, "counselor_id")), as_text(field_of(row, "leader_id"))
        if not cid or not lid:
            return None
        file, sheet, num = located(row)
        return cls(
            counselor_id=cid,
            leader_id=lid,
            date=as_date(field_of(row, "date")),
            direction=as_text(field_of(row, "direction")),
            goals=as_text(field_of(row, "goals")),
            milestones=as_text(field_of(row, "milestones")),
            file=file,
            sheet=sheet,
            row=num,
        )

    @property
    def pair(self) -> tuple[str, str]:
        return (self.leader_id, self.counselor_id)


def plans_from_rows(rows: Iterable[Any]) -> list[DevPlan]:
    """The plans of a 发展规划 table, by pair then date (undated last)."""
    out = [p for p in (DevPlan.from_row(r) for r in rows) if p is not None]
    return sorted(out, key=lambda p: (p.leader_id, p.counselor_id, p.date or date.max, p.row))


def plan_tier(start_date: date | None, on: date) -> Stage:
    """新任 / 骨干 / 资深 (or 未知) of a counselor who started on ``start_date``, on ``on``."""
    return stage_of(start_date, on)


@dataclass(frozen=True)
class Lack:
    """Something a plan lacks for its tier: a code and the sentence in both languages."""

    code: str
    zh: str
    en: str


def _first_year_milestone(plan: DevPlan) -> bool:
    text = plan.milestones.replace(" ", "")
    if any(w in text for w in FIRST_YEAR_WORDS):
        return True
    if plan.date is None:
        return False
    # A month named in the milestones within twelve months of the plan: 2027年12月.
    last = add_months(plan.date, 12)
    for m in _MONTH.finditer(plan.milestones):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            first_day = date(year, month, 1)
            if (plan.date.year, plan.date.month) <= (year, month) and first_day <= last:
                return True
    return False


def plan_lacks(plan: DevPlan, tier: Stage) -> list[Lack]:
    """What ``plan`` lacks for a counselor of ``tier`` (the module's rule); empty when complete."""
    out = []
    if not plan.direction:
        out.append(Lack("direction", "缺少发展方向", "no direction (发展方向)"))
    if not plan.goals:
        out.append(Lack("goals", "缺少三年目标", "no three-year goals (三年目标)"))
    if tier == Stage.NEW and not _first_year_milestone(plan):
        out.append(
            Lack(
                "first_year",
                "新任辅导员的规划应有第一年的节点安排",
                "a new counselor's plan needs a first-year milestone",
            )
        )
    elif tier == Stage.CORE and not plan.milestones:
        out.append(
            Lack(
                "milestones",
                "骨干辅导员的规划应有节点安排",
                "a core counselor's plan needs milestones",
            )
        )
    elif tier == Stage.SENIOR and not any(w in plan.direction + plan.goals for w in EXPERT_WORDS):
        out.append(
            Lack(
                "expert_track",
                "资深辅导员的规划应有专家型发展目标(如名师、工作室、课题、论文)",
                "a senior counselor's plan needs an expert-track goal "
                "(e.g. 名师, 工作室, 课题, 论文)",
            )
        )
    elif tier == Stage.UNKNOWN:
        out.append(
            Lack(
                "tier_unknown",
                "辅导员未填写任辅导员日期,无法按新任/骨干/资深检查规划内容",
                "the counselor has no start date; the plan cannot be checked for its tier",
            )
        )
    return out


class CareerStatus(StrEnum):
    """How a pair's 规划发展 item stands."""

    DONE_PLAN = "done_plan"  # a 发展规划 row dated in the window
    DONE_RECORD = "done_record"  # a 规划发展 record dated in the window
    LATE = "late"  # only a plan or record dated after the window
    UNDATED_PLAN = "undated_plan"  # a plan row without a date: it cannot show the window
    MISSING = "missing"

    @property
    def done(self) -> bool:
        return self in (CareerStatus.DONE_PLAN, CareerStatus.DONE_RECORD)

    def label(self, lang: str = "zh") -> str:
        zh = {
            "done_plan": "已完成(发展规划)",
            "done_record": "已完成(规划发展记录)",
            "late": "超出时限完成",
            "undated_plan": "发展规划未注明日期",
            "missing": "未完成",
        }
        en = {
            "done_plan": "done (development plan)",
            "done_record": "done (career record)",
            "late": "done after the window",
            "undated_plan": "plan has no date",
            "missing": "not done",
        }
        return (zh if lang == "zh" else en)[self.value]


@dataclass(frozen=True)
class CareerCheck:
    """A pair's 规划发展 item: status, the day it was done, the plan and what it lacks.

    ``plan`` is the pair's plan used for ``lacks`` (the one in the window, else the latest
    dated, else an undated one); None when the pair has no plan row. A pair done by a
    record alone has no ``lacks`` to check but is told it has no written plan.
    """

    status: CareerStatus
    done_on: date | None
    plan: DevPlan | None
    lacks: tuple[Lack, ...]

    @property
    def done(self) -> bool:
        return self.status.done


def career_item(
    leader_id: str,
    counselor_id: str,
    window_start: date,
    window_end: date,
    plans: Iterable[DevPlan],
    records: Iterable[Any],
    tier: Stage = Stage.UNKNOWN,
) -> CareerCheck:
    """Whether the pair's 规划发展 item is done by a plan row or a 规划发展 record in its window.

    Parameters
    ----------
    leader_id, counselor_id
        The pair.
    window_start, window_end
        The item's window, both inclusive (cycle start + 6 months − 1 day, CONTRACT.md §9).
    plans
        The 发展规划 rows (any pairs).
    records
        Records rows or objects with ``date``, ``leader_id``, ``counselor_id``, ``form``
        (code ``career``); other forms and pairs are ignored.
    tier
        The counselor's tier (:func:`plan_tier`) for ``lacks``.

    Returns
    -------
    CareerCheck
        A plan in the window wins over a record (it carries the content); the earliest
        such day is ``done_on``.
    """
    mine = [p for p in plans if p.pair == (leader_id, counselor_id)]
    in_window = sorted(
        (p for p in mine if p.date is not None and window_start <= p.date <= window_end),
        key=lambda p: (p.date or date.max, p.row),
    )
    recs = sorted(
        d
        for r in records
        if as_text(field_of(r, "form")) == "career"
        and as_text(field_of(r, "leader_id")) == leader_id
        and as_text(field_of(r, "counselor_id")) == counselor_id
        and (d := as_date(field_of(r, "date"))) is not None
    )
    rec_in = [d for d in recs if window_start <= d <= window_end]
    later = sorted(
        {p.date for p in mine if p.date is not None and p.date > window_end}
        | {d for d in recs if d > window_end}
    )
    undated = [p for p in mine if p.date is None]
    dated = sorted(
        (p for p in mine if p.date is not None), key=lambda p: (p.date or date.max, p.row)
    )
    plan = (
        in_window[0] if in_window else (dated[-1] if dated else (undated[0] if undated else None))
    )
    if in_window:
        status, day = CareerStatus.DONE_PLAN, in_window[0].date
    elif rec_in:
        status, day = CareerStatus.DONE_RECORD, rec_in[0]
    elif later:
        status, day = CareerStatus.LATE, later[0]
    elif undated:
        status, day = CareerStatus.UNDATED_PLAN, None
    else:
        status, day = CareerStatus.MISSING, None
    if plan is not None:
        lacks = tuple(plan_lacks(plan, tier))
    elif status.done or status == CareerStatus.LATE:
        lacks = (
            Lack(
                "no_plan",
                "有规划发展记录,但没有书面发展规划(发展方向、三年目标)",
                "a career record exists but no written plan (direction, goals)",
            ),
        )
    else:
        lacks = ()
    return CareerCheck(status, day, plan, lacks)
