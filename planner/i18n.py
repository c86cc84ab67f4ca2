"""zh/en switch for headers, cell values and messages (``--lang zh|en``, default zh).

File and sheet names stay Chinese/pinned whatever the language; only headers,
cell values (是/否 ↔ true/false, 定期约谈 ↔ talk, …) and messages switch.
"""

from __future__ import annotations

import re

HEADERS: dict[str, str] = {
    "cycle": "周期",
    "leader_id": "领导工号",
    "leader_name": "领导姓名",
    "leader_position": "职务",
    "leader_unit": "领导单位",
    "leader_level": "领导级别",
    "counselor_stage": "发展阶段",
    "load": "联系人数",
    "own_unit_count": "本单位人数",
    "counselor_id": "辅导员工号",
    "counselor_name": "辅导员姓名",
    "counselor_unit": "辅导员单位",
    "same_unit": "本单位",
    "reason": "说明",
    "old_leader_id": "原领导工号",
    "new_leader_id": "新领导工号",
    "item_id": "事项编号",
    "form": "形式",
    "date": "日期",
    "window_start": "窗口开始",
    "window_end": "窗口结束",
    "status": "状态",
    "note": "说明",
    "calendar_source": "日历来源",
    "name": "姓名",
    "position": "职务",
    "level": "级别",
    "unit": "单位",
    "heads_teaching_unit": "教学单位负责人",
    "min_load": "最少联系人数",
    "max_load": "最多联系人数",
    "active": "在岗",
    "start_date": "任辅导员日期",
    "rule": "规则",
}

VALUES: dict[str, str] = {
    "college": "院级",
    "middle": "中层",
    "true": "是",
    "false": "否",
    "新任": "new",
    "骨干": "core",
    "资深": "senior",
    "未知": "unknown",
}


def header(key: str, lang: str) -> str:
    """Column header of ``key`` in ``lang`` (the English key itself for ``en``)."""
    return HEADERS.get(key, key) if lang == "zh" else key


def yes_no(value: bool, lang: str) -> str:
    """是/否 in Chinese, true/false in English."""
    if lang == "zh":
        return "是" if value else "否"
    return "true" if value else "false"


def level_name(level: str, lang: str) -> str:
    """院级/中层 or college/middle."""
    return VALUES.get(level, level) if lang == "zh" else level


def stage_name(stage: str, lang: str) -> str:
    """Stages are stored in Chinese (新任/骨干/资深); English on request."""
    return stage if lang == "zh" else VALUES.get(stage, stage)


def msg(lang: str, zh: str, en: str) -> str:
    """Pick the message of ``lang``."""
    return zh if lang == "zh" else en


_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_CAREER = re.compile(r"^(\d{4}-\d{2}-\d{2})\+6m$")
_QUARTER_ZH = re.compile(r"^(\d{4})年第([1-4])季度$")
_CAREER_ZH = re.compile(r"^(\d{4}-\d{2}-\d{2}) 起6个月$")


def period_label(code: str, lang: str = "zh") -> str:
    """An item's period as the office reads it: ``2027Q1`` → 2027年第1季度, ``2027-03-01+6m`` →
    2027-03-01 起6个月; a semester name stays as it is. English keeps the codes."""
    if lang != "zh":
        return code
    m = _QUARTER.match(code)
    if m:
        return f"{m.group(1)}年第{m.group(2)}季度"
    m = _CAREER.match(code)
    if m:
        return f"{m.group(1)} 起6个月"
    return code


def period_code(text: str) -> str:
    """The period code of a label :func:`period_label` wrote (a code stays as it is)."""
    t = text.strip()
    m = _QUARTER_ZH.match(t)
    if m:
        return f"{m.group(1)}Q{m.group(2)}"
    m = _CAREER_ZH.match(t)
    if m:
        return f"{m.group(1)}+6m"
    return t
