"""A pairing plan (联系对应表) and the status of the solve that made it."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class SolveStatus(StrEnum):
    """How a solve ended. Infeasible is a status, not an exception."""

    OPTIMAL = "optimal"  # every objective level proven optimal
    FEASIBLE = "feasible"  # a plan obeying the hard rules; time ran out before proof
    INFEASIBLE = "infeasible"  # proven: no plan obeys the hard rules
    UNKNOWN = "unknown"  # time ran out before any plan was found


class Pair(BaseModel):
    """One leader-counselor pair of a plan."""

    model_config = ConfigDict(frozen=True)

    leader_id: str
    counselor_id: str
    reason: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.leader_id, self.counselor_id)


class Plan(BaseModel):
    """The pairs of one cycle plus how they were found."""

    cycle: str
    pairs: tuple[Pair, ...] = ()
    status: SolveStatus = SolveStatus.OPTIMAL
    objective: dict[str, int] = Field(default_factory=dict)
    solve_seconds: float = 0.0

    def keys(self) -> set[tuple[str, str]]:
        return {p.key for p in self.pairs}
