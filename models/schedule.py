"""Schedule items: the contact forms, where an item landed, and where its day's status came from.

Plain data shared by the scheduler, the validators, the status and the file writers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum


class Source(StrEnum):
    """Where a day's working/off status comes from."""

    OFFICIAL = "official"
    OVERRIDE = "override"
    ESTIMATED = "estimated"


class Form(StrEnum):
    """The scheduled contact forms; values are the English codes used in files."""

    TALK = "talk"
    GUIDANCE = "guidance"
    CAREER = "career"
    EXCHANGE = "exchange"
    SUMMARY = "summary"

    @property
    def zh(self) -> str:
        """The form's Chinese name (定期约谈, …)."""
        return FORM_ZH[self]

    @property
    def is_group(self) -> bool:
        """Group items (exchange, summary) belong to the whole leading group, not a pair."""
        return self in (Form.EXCHANGE, Form.SUMMARY)


FORM_ZH: dict[Form, str] = {
    Form.TALK: "定期约谈",
    Form.GUIDANCE: "工作指导",
    Form.CAREER: "规划发展",
    Form.EXCHANGE: "工作交流会",
    Form.SUMMARY: "年度总结",
}


class Status(StrEnum):
    """Whether an item got a date."""

    PLANNED = "planned"
    UNMET = "unmet"

    @property
    def zh(self) -> str:
        """已排 / 未排."""
        return "已排" if self is Status.PLANNED else "未排"


SOURCE_ZH: dict[Source, str] = {
    Source.OFFICIAL: "官方",
    Source.OVERRIDE: "自定义",
    Source.ESTIMATED: "估算",
}


def item_id(cycle: str, leader_id: str, counselor_id: str, form: Form, period: str) -> str:
    """Stable id of an item from what it *is*, never from when it is placed.

    Pair items read ``cycle/leader/counselor/form/period``; group items ``cycle/form/period``.
    """
    if form.is_group:
        return f"{cycle}/{form.value}/{period}"
    return f"{cycle}/{leader_id}/{counselor_id}/{form.value}/{period}"


@dataclass(frozen=True)
class ScheduleItem:
    """One line of ``schedule.csv``: a required item and where it landed.

    ``date`` is None when ``status`` is unmet; ``note_zh``/``note_en`` then say why.
    ``category``/``event_title`` name the counselor event a guidance item joins; ``stage``
    is the counselor's stage for a career item; ``absent`` the leaders who cannot attend a
    group item. ``row`` is the spreadsheet row when read back from a file.
    """

    item_id: str
    cycle: str
    leader_id: str
    counselor_id: str
    form: Form
    period: str
    date: dt.date | None
    window_start: dt.date
    window_end: dt.date
    status: Status
    note_zh: str = ""
    note_en: str = ""
    calendar_source: Source = Source.OFFICIAL
    category: str = ""
    event_title: str = ""
    stage: str = ""
    absent: tuple[str, ...] = ()
    row: int | None = None

    def note(self, lang: str = "zh") -> str:
        """The note in ``lang``."""
        return self.note_zh if lang == "zh" else self.note_en

    @property
    def key(self) -> tuple[str, str, Form, str]:
        """(leader_id, counselor_id, form, period)."""
        return (self.leader_id, self.counselor_id, self.form, self.period)

    def sort_key(self) -> tuple[int, dt.date, str]:
        """Output order: by date then id, unmet items last."""
        return (self.date is None, self.date or dt.date.max, self.item_id)

    def without_row(self) -> ScheduleItem:
        return replace(self, row=None)
