"""Decision variables of the pairing model.

Ids never reach the solver: leaders and counselors are encoded as indexes, and
only *allowed* pairs get a variable. Hard rules 3-4 (no repeat of the latest
cycles, ``never``) are therefore enforced by construction: a forbidden pair has
no variable at all, which also keeps the model sparse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models import Counselor, Leader, Problem


@dataclass
class PairVariables:
    """Encoder plus one Boolean ``x[l, c]`` per allowed (leader, counselor) pair."""

    leaders: tuple[Leader, ...]
    counselors: tuple[Counselor, ...]
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    by_leader: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    by_counselor: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def key(self, edge: tuple[int, int]) -> tuple[str, str]:
        """Decode an edge into (leader_id, counselor_id)."""
        return (self.leaders[edge[0]].leader_id, self.counselors[edge[1]].counselor_id)


def make_variables(model: cp_model.CpModel, problem: Problem) -> PairVariables:
    """Create ``x`` for every allowed pair of active people (hard rules 3-4 by construction)."""
    v = PairVariables(problem.active_leaders, problem.active_counselors)
    for li in range(len(v.leaders)):
        v.by_leader[li] = []
    for ci in range(len(v.counselors)):
        v.by_counselor[ci] = []
    for li, ld in enumerate(v.leaders):
        for ci, c in enumerate(v.counselors):
            if not problem.allowed((ld.leader_id, c.counselor_id)):
                continue
            e = (li, ci)
            v.x[e] = model.new_bool_var(f"pair[{ld.leader_id},{c.counselor_id}]")
            v.by_leader[li].append(e)
            v.by_counselor[ci].append(e)
    return v
