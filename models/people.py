"""People of the plan: leaders (领导干部) and counselors (辅导员)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Level(StrEnum):
    """A leader's level: 院级 (college) or 中层 (middle)."""

    COLLEGE = "college"
    MIDDLE = "middle"


class Stage(StrEnum):
    """A counselor's career stage by years of service at the cycle start."""

    NEW = "新任"  # < 3 years
    CORE = "骨干"  # 3-8 years
    SENIOR = "资深"  # >= 8 years
    UNKNOWN = "未知"


def stage_of(start: date | None, on: date) -> Stage:
    """Return the stage of a counselor who started on ``start``, as of ``on``.

    Years are whole years of service: someone who started 2024-09-01 has 2 full
    years on 2026-09-01 and 3 on 2027-09-01.
    """
    if start is None:
        return Stage.UNKNOWN
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    if years < 3:
        return Stage.NEW
    if years < 8:
        return Stage.CORE
    return Stage.SENIOR


class Leader(BaseModel):
    """A leader (领导干部) who contacts 2-3 counselors.

    ``min_load``/``max_load`` of ``None`` mean "use the settings' default".
    ``order`` is the row order in the input, used for the ranked output.
    ``extra`` keeps columns the office added (电话, 邮箱, ...) to carry them through.
    """

    model_config = ConfigDict(frozen=True)

    leader_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    position: str = ""
    level: Level = Level.COLLEGE
    unit: str = ""
    heads_teaching_unit: bool = False
    min_load: int | None = Field(default=None, ge=0)
    max_load: int | None = Field(default=None, ge=0)
    active: bool = True
    order: int = 0
    extra: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Leader:
        if self.heads_teaching_unit and not self.unit:
            raise ValueError(f"leader {self.leader_id}: heads_teaching_unit needs a unit")
        if (
            self.min_load is not None
            and self.max_load is not None
            and self.min_load > self.max_load
        ):
            raise ValueError(f"leader {self.leader_id}: min_load > max_load")
        return self


class Counselor(BaseModel):
    """A front-line counselor (一线辅导员) serving one teaching unit."""

    model_config = ConfigDict(frozen=True)

    counselor_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    start_date: date | None = None
    active: bool = True
    order: int = 0
    extra: dict[str, str] = Field(default_factory=dict)
