"""Min-cost-flow view of the pairing: exact optima, hints and bounds for CP-SAT.

Every hard rule of CONTRACT.md §3 and every objective level is a network flow:

    S ──[1, K]──▶ counselor ──[0,1]──▶ leader ──[lo, hi]──▶ T ──▶ S
                          └─[0,1]──▶ head' ──(1 arc at −W3, 1 free)──▶ head

* pair arcs exist only for allowed pairs (rotation and ``never`` by construction),
  a ``must`` pair is an arc with lower bound 1;
* own-unit pairs go through ``head'``, whose first unit of flow earns the
  level-3 reward (concave reward = convex cost, so min-cost flow handles it);
* level 1 (fewest pairs) is solved first as the least circulation; levels 2-5
  then share one weighted cost with the total flow fixed.

Network LPs are integral, so these optima are exact. The **hub relaxation**
routes every generic pair through one hub node instead of a pair arc: it allows
more than the real problem (forbidden generic pairs, repeated pairs), so its
levels 1-3 bound the true optimum; a plan on a sparse candidate set that meets
the bound is optimal for the full problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from models import Problem
from planner.rules.scoring import repeat_weight, tie_break_cost
from planner.rules.validate import objective_levels

Key = tuple[str, str]
INT64_SAFE = 2**62


@dataclass(frozen=True)
class FlowResult:
    """Outcome of a flow solve: ``pairs`` is None when infeasible."""

    pairs: tuple[Key, ...] | None
    levels: dict[str, int]


class _Net:
    """Arcs with lower bounds, turned into supplies for SimpleMinCostFlow."""

    def __init__(self) -> None:
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.lows: list[int] = []
        self.caps: list[int] = []
        self.costs: list[int] = []
        self.n = 0

    def node(self) -> int:
        self.n += 1
        return self.n - 1

    def arc(self, u: int, v: int, low: int, high: int, cost: int) -> int:
        self.tails.append(u)
        self.heads.append(v)
        self.lows.append(low)
        self.caps.append(high)
        self.costs.append(cost)
        return len(self.tails) - 1

    def solve(self) -> np.ndarray | None:
        """Return the flow on every arc (lower bounds included), or None if infeasible."""
        lows = np.asarray(self.lows, dtype=np.int64)
        caps = np.asarray(self.caps, dtype=np.int64) - lows
        if (caps < 0).any():
            return None
        tails = np.asarray(self.tails, dtype=np.int64)
        heads = np.asarray(self.heads, dtype=np.int64)
        supply = np.zeros(self.n, dtype=np.int64)
        np.subtract.at(supply, tails, lows)
        np.add.at(supply, heads, lows)
        smcf = min_cost_flow.SimpleMinCostFlow()
        arcs = smcf.add_arcs_with_capacity_and_unit_cost(
            tails, heads, caps, np.asarray(self.costs, dtype=np.int64)
        )
        # A pre-sent lower bound leaves a surplus at the head and a deficit at the tail.
        smcf.set_nodes_supplies(np.arange(self.n, dtype=np.int64), supply)
        if smcf.solve() != smcf.OPTIMAL:
            return None
        return np.asarray(smcf.flows(arcs), dtype=np.int64) + lows


def _build(
    problem: Problem,
    edges: Iterable[Key] | None,
    *,
    total: int | None,
    weighted: bool,
    seed: int,
    tie_levels: bool,
) -> tuple[_Net, list[tuple[int, Key]], int] | None:
    """Build the network; returns (net, [(arc, pair)], circulation arc)."""
    leaders = problem.active_leaders
    counselors = problem.active_counselors
    k = problem.settings.max_leaders_per_counselor
    n_c = len(counselors)
    p_max = max(1, n_c * k)
    heads = [ld for ld in leaders if ld.heads_teaching_unit]
    r_max = max(1, len(problem.earlier_cycles))
    # Lexicographic weights for levels 2-5 (level 1 is fixed through ``total``).
    w5 = 1
    r5 = 999 * p_max if tie_levels else 0
    w4 = r5 + 1
    r4 = w4 * r_max * p_max
    w3 = r4 + r5 + 1
    r3 = w3 * (len(heads) + 1)
    w2 = r3 + r4 + r5 + 1
    if w2 * p_max * 2 >= INT64_SAFE:
        raise OverflowError("objective weights exceed int64")

    net = _Net()
    s, t = net.node(), net.node()
    c_node = {c.counselor_id: net.node() for c in counselors}
    l_node = {ld.leader_id: net.node() for ld in leaders}
    h_node = {ld.leader_id: net.node() for ld in heads}
    for c in counselors:
        net.arc(s, c_node[c.counselor_id], 1, k, 0)
    for ld in leaders:
        lo, hi = problem.load_bounds(ld)
        net.arc(l_node[ld.leader_id], t, lo, hi, 0)
    for ld in heads:
        if weighted:
            net.arc(h_node[ld.leader_id], l_node[ld.leader_id], 0, 1, -w3)
        net.arc(h_node[ld.leader_id], l_node[ld.leader_id], 0, p_max, 0)
    pair_arcs: list[tuple[int, Key]] = []
    musts = problem.musts
    if edges is None:
        # Hub relaxation: generic pairs share one hub; own-unit and must pairs stay explicit.
        hub = net.node()
        for c in counselors:
            net.arc(c_node[c.counselor_id], hub, 0, k, 0)
        for ld in leaders:
            net.arc(hub, l_node[ld.leader_id], 0, problem.load_bounds(ld)[1], 0)
        by_unit: dict[str, list[str]] = {}
        for c in counselors:
            by_unit.setdefault(c.unit, []).append(c.counselor_id)
        explicit = [
            (ld.leader_id, cid)
            for ld in heads
            for cid in by_unit.get(ld.unit, ())
            if problem.allowed((ld.leader_id, cid))
        ]
        edge_list = sorted(set(explicit) | {m for m in musts if m[0] in l_node and m[1] in c_node})
    else:
        edge_list = list(edges)
    for key in edge_list:
        lid, cid = key
        if lid not in l_node or cid not in c_node:
            continue
        own = problem.is_own_unit(lid, cid)
        cost = 0
        if weighted:
            cost = w4 * repeat_weight(problem, key) + (
                w5 * tie_break_cost(seed, key) if tie_levels else 0
            )
            if own:
                cost -= w2
        low = 1 if key in musts else 0
        target = h_node[lid] if own else l_node[lid]
        pair_arcs.append((net.arc(c_node[cid], target, low, 1, cost), key))
    circ = net.arc(
        t, s, total or 0, total if total is not None else p_max, 0 if total is not None else 1
    )
    return net, pair_arcs, circ


def _solve(
    problem: Problem, edges: list[Key] | None, seed: int, tie_levels: bool
) -> tuple[int, list[Key]] | None:
    """Level 1 as the least circulation, then levels 2-5 weighted with that total fixed.

    Returns (total flow, explicit pairs carrying flow), or None when infeasible.
    ``edges=None`` solves the hub relaxation (its hub flow is not a pair list).
    """
    first = _build(problem, edges, total=None, weighted=False, seed=seed, tie_levels=False)
    assert first is not None
    net, _, circ = first
    flow = net.solve()
    if flow is None:
        return None
    total = int(flow[circ])
    second = _build(problem, edges, total=total, weighted=True, seed=seed, tie_levels=tie_levels)
    assert second is not None
    net, pair_arcs, _ = second
    flow = net.solve()
    if flow is None:  # cannot happen: the first solve proved a flow of this size exists
        return None
    return total, sorted(key for arc, key in pair_arcs if flow[arc] > 0)


def lexicographic_flow(problem: Problem, edges: Iterable[Key], seed: int = 0) -> FlowResult:
    """Exact lexicographic optimum (levels 1-5) over the candidate ``edges``."""
    solved = _solve(problem, list(edges), seed, tie_levels=True)
    if solved is None:
        return FlowResult(None, {})
    keys = solved[1]
    return FlowResult(tuple(keys), objective_levels(problem, keys, seed))


def hub_bound(problem: Problem) -> dict[str, int] | None:
    """Levels 1-3 of the hub relaxation: pairs ≥, own-unit pairs ≤, heads covered ≤ (lexicographically).

    None when even the relaxation is infeasible (then so is the problem).
    """
    solved = _solve(problem, None, 0, tie_levels=False)
    if solved is None:
        return None
    total, own_or_must = solved
    own = [k for k in own_or_must if problem.is_own_unit(*k)]
    return {"pairs": total, "own_unit_pairs": len(own), "heads_covered": len({a for a, _ in own})}
