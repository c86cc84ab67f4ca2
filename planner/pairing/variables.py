"""Decision variables of the pairing model.

Ids never reach the solver: leaders and counselors are encoded as indexes, and
only *allowed* pairs get a variable. Hard rules 3-4 (no repeat of the latest
cycles, ``never``) are therefore enforced by construction: a forbidden pair has
no variable at all, which also keeps the model sparse.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def make_variables(
    model: cp_model.CpModel, problem: Problem, edges: Iterable[tuple[str, str]] | None = None
) -> PairVariables:
    """Create ``x`` for every allowed pair (hard rules 3-4 by construction).

    ``edges`` restricts the variables to a candidate set of (leader_id,
    counselor_id) pairs (see :mod:`planner.pairing.candidates`); None means
    every pair of active people.
    """
    v = PairVariables(problem.active_leaders, problem.active_counselors)
    li_of = {ld.leader_id: i for i, ld in enumerate(v.leaders)}
    ci_of = {c.counselor_id: i for i, c in enumerate(v.counselors)}
    for li in range(len(v.leaders)):
        v.by_leader[li] = []
    for ci in range(len(v.counselors)):
        v.by_counselor[ci] = []
    if edges is None:
        keys: Iterable[tuple[str, str]] = (
            (ld.leader_id, c.counselor_id) for ld in v.leaders for c in v.counselors
        )
    else:
        keys = edges
    for key in keys:
        li_, ci_ = li_of.get(key[0]), ci_of.get(key[1])
        if li_ is None or ci_ is None or not problem.allowed(key) or (li_, ci_) in v.x:
            continue
        li, ci = li_, ci_
        e = (li, ci)
        v.x[e] = model.new_bool_var(f"pair[{key[0]},{key[1]}]")
        v.by_leader[li].append(e)
        v.by_counselor[ci].append(e)
    return v
