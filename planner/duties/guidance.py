"""工作指导 that counts: face to face, on one of the plan's listed activities.

The plan (四.3) defines 工作指导 as taking part in the work counselors organise — 班会, 谈心,
党员发展, 学业指导, 综合测评, 评奖评优, 贫困生资助, 心理教育, 文体活动, 就业创业指导, 社会实践 —
"了解辅导员的工作状况,给予指导". A phone call, an online chat or a record with no listed 类别
is not that: such a record is kept but listed as 不计入 with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.duties.rows import as_text, field_of
from planner.schema import EVENT_CATEGORIES, EVENTS, MODES, match_choice

__all__ = ["GuidanceVerdict", "guidance_verdict"]

_CATEGORY = EVENTS.column("category")
_LISTED_ZH = "、".join(ch.zh for ch in EVENT_CATEGORIES)
_MODE_ZH = {ch.code: ch.zh for ch in MODES}


@dataclass(frozen=True)
class GuidanceVerdict:
    """Whether a record counts as 工作指导, and if not, why (zh and en).

    ``category`` is the event category code (``class_meeting`` …) when the 类别 names one.
    """

    counts: bool
    category: str | None
    reasons_zh: tuple[str, ...] = ()
    reasons_en: tuple[str, ...] = ()

    def reason(self, lang: str = "zh") -> str:
        """``不计入:方式为电话(须面谈);未填写类别`` — empty when it counts."""
        if self.counts:
            return ""
        if lang == "zh":
            return "不计入:" + ";".join(self.reasons_zh)
        return "not counted: " + "; ".join(self.reasons_en)


def guidance_verdict(record: Any) -> GuidanceVerdict:
    """Decide whether ``record`` counts as 工作指导.

    Parameters
    ----------
    record
        A records row or object with ``form``, ``mode`` (code; blank means 面谈, the table's
        default) and ``category`` (类别 text).

    Returns
    -------
    GuidanceVerdict
        Counts only for form ``guidance``, mode ``in_person`` and a 类别 that is one of the
        11 listed activities (its aliases accepted: 主题班会, 就业指导 …). Otherwise every
        reason that applies is given.
    """
    form = as_text(field_of(record, "form"))
    mode = as_text(field_of(record, "mode")) or "in_person"
    text = as_text(field_of(record, "category"))
    code = match_choice(_CATEGORY, text) if text else None
    zh: list[str] = []
    en: list[str] = []
    if form != "guidance":
        zh.append("不是工作指导记录")
        en.append("not a guidance record")
    if mode != "in_person":
        word = _MODE_ZH.get(mode, mode)
        zh.append(f"方式为{word}(工作指导须面对面参加辅导员组织的工作)")
        en.append(f"mode is {mode} (guidance must be face to face)")
    if not text:
        zh.append(f"未填写类别(须为{_LISTED_ZH}之一)")
        en.append("no category (must be one of the 11 listed activities)")
    elif code is None:
        zh.append(f"类别“{text}”不在实施方案所列工作之内({_LISTED_ZH})")
        en.append(f"category '{text}' is not one of the 11 listed activities")
    return GuidanceVerdict(not zh, code, tuple(zh), tuple(en))
