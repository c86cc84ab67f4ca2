"""Explicit decisions of the leading group: pairs that must or must never be made."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class RuleKind(StrEnum):
    """``must`` (必须) pins a pair; ``never`` (禁止) forbids it."""

    MUST = "must"
    NEVER = "never"


class Rule(BaseModel):
    """A ``must``/``never`` decision about one pair, with the office's reason."""

    model_config = ConfigDict(frozen=True)

    leader_id: str = Field(min_length=1)
    counselor_id: str = Field(min_length=1)
    kind: RuleKind
    reason: str = ""
