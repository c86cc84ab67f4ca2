"""Tunables (设置), loadable from ``settings.toml``; defaults follow CONTRACT.md §2."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_OFFICE = "领导干部联系服务辅导员工作领导小组办公室"
"""填报单位 when ``settings.office`` is empty."""

TEXT_SETTINGS = ("college", "office", "contact", "phone", "wide_paper")
"""The settings whose values are text, not numbers."""


class Settings(BaseModel):
    """Every key is optional; the defaults are the policy's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_load: int = Field(default=2, ge=0)
    max_load: int = Field(default=3, ge=1)
    max_leaders_per_counselor: int = Field(default=2, ge=1)
    no_repeat_cycles: int = Field(default=1, ge=0)
    max_items_per_leader_day: int = Field(default=2, ge=1)
    max_items_per_counselor_day: int = Field(default=1, ge=1)
    min_days_between_talks: int = Field(default=30, ge=0)
    exchange_meetings_per_semester: int = Field(default=1, ge=0)
    # 问题台账 (CONTRACT.md §10): working days to answer an issue, and when it needs
    # collective study; a category is 普遍性 when this many counselors, or counselors of
    # this many units, raise it in a year.
    issue_answer_days: int = Field(default=5, ge=1)
    issue_study_days: int = Field(default=15, ge=1)
    common_issue_counselors: int = Field(default=3, ge=1)
    common_issue_units: int = Field(default=2, ge=1)
    # true: own-unit pairs (objective level 2) rank above fewest pairs (level 1), so a
    # head may take a third own-unit counselor though another counselor then gets a
    # second leader (CONTRACT.md §3).
    own_unit_first: bool = False
    # The college's identity on every document (CONTRACT.md §12): 学院名称, 填报单位,
    # 填报人, 联系电话. Empty means "not given": documents then print a blank to fill in,
    # and 填报单位 falls back to the leading group's office.
    college: str = Field(default="", max_length=100)
    office: str = Field(default="", max_length=100)
    contact: str = Field(default="", max_length=50)
    phone: str = Field(default="", max_length=50)
    # Paper of the wide sheets (年度汇总表's 汇总, the schedule's 总表): A4 or A3.
    wide_paper: str = Field(default="A4", pattern="^A[34]$")

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.min_load > self.max_load:
            raise ValueError("min_load > max_load")
        return self

    def office_name(self) -> str:
        """填报单位: the configured office, else the leading group's office."""
        return self.office or DEFAULT_OFFICE

    def is_policy_load(self) -> bool:
        """Whether the load bounds are the policy's 2-3 (每人联系2-3名辅导员)."""
        return self.min_load >= 2 and self.max_load <= 3
