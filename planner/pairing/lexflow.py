"""Lexicographic min-cost flow on numpy arc arrays (OR-Tools ``SimpleMinCostFlow``).

Several objective levels, each a cost per arc, are optimised in priority order
without ever overflowing int64:

* consecutive levels are combined into one weighted cost while the weights stay
  small enough (a level whose cost sits on one arc ends its group) — each level is weighted by the product of (range + 1) of the
  levels below it, so one unit of it outweighs any change of all of them, and
  OR-Tools' cost scaling needs ``max |cost| · n · (n + 1) < 2**63`` (measured:
  beyond it ``solve()`` returns ``BAD_COST_RANGE``);
* the ranges are taken from the network as it is then (Σ |cost| · free capacity,
  or a tighter bound the caller knows), so they shrink as earlier levels are fixed;
* after a group is solved its optimum is fixed before the next group: a level
  whose cost sits on one arc (the pairs level on the circulation arc) by that
  arc's bounds, the others by complementary slackness — potentials from the
  residual network (Bellman-Ford on numpy arrays) give every arc's reduced
  cost, and an arc with a non-zero reduced cost keeps its flow in every optimal
  solution, so fixing it leaves exactly the optimal face.

Network LPs are integral, so every optimum found this way is exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

COST_LIMIT = 1 << 62
"""Bound on ``max |arc cost| · n · (n + 1)`` (OR-Tools refuses from about 2**63)."""

TOTAL_LIMIT = 1 << 62
"""Bound on Σ |arc cost| · capacity, so the optimal cost itself fits in int64."""


class FlowBug(RuntimeError):
    """The flow solver reported something that cannot happen for a valid network."""


@dataclass(frozen=True)
class LevelCost:
    """One objective level as a cost per arc, to be minimised (negate a maximised one)."""

    name: str
    cost: np.ndarray


RangeHint = Callable[[str, np.ndarray, np.ndarray], int | None]
"""``(level name, low, cap) -> a bound on that level's range, or None``."""


@dataclass
class LexResult:
    """A lexicographically optimal flow (lower bounds included) and its level values."""

    flow: np.ndarray
    values: dict[str, int]
    solves: int
    fixings: int  # how many times the optimal face was fixed by potentials


def _mcf(
    n: int, tail: np.ndarray, head: np.ndarray, low: np.ndarray, cap: np.ndarray, cost: np.ndarray
) -> np.ndarray | None:
    """Min-cost circulation with lower bounds; None when infeasible."""
    free = cap - low
    supply = np.bincount(head, weights=low, minlength=n) - np.bincount(
        tail, weights=low, minlength=n
    )
    smcf = min_cost_flow.SimpleMinCostFlow()
    arcs = smcf.add_arcs_with_capacity_and_unit_cost(tail, head, free, cost)
    # A pre-sent lower bound leaves a surplus at the head and a deficit at the tail.
    smcf.set_nodes_supplies(np.arange(n, dtype=np.int64), supply.astype(np.int64))
    status = smcf.solve()
    if status == smcf.OPTIMAL:
        return np.asarray(smcf.flows(arcs), dtype=np.int64) + low
    if status == smcf.INFEASIBLE:
        return None
    raise FlowBug(f"min-cost flow returned {status}")


def _range(cost: np.ndarray, low: np.ndarray, cap: np.ndarray) -> int:
    # Level costs are small (at most a few thousand per arc), so int64 holds the sum.
    return int(np.abs(cost).dot(cap - low)) if len(cost) else 0


def _weights(
    group: Sequence[LevelCost], low: np.ndarray, cap: np.ndarray, n: int, hint: RangeHint | None
) -> list[int] | None:
    """Lexicographic weights of ``group`` (first = most important), or None if too large."""
    weights = [0] * len(group)
    w = 1
    for i in range(len(group) - 1, -1, -1):
        weights[i] = w
        r = _range(group[i].cost, low, cap)
        if hint is not None:
            h = hint(group[i].name, low, cap)
            if h is not None:
                r = min(r, h)
        w *= r + 1
    top = 0
    total = 0
    for lv, wt in zip(group, weights, strict=True):
        m = int(np.abs(lv.cost).max()) if len(lv.cost) else 0
        top += wt * m
        total += wt * _range(lv.cost, np.zeros_like(low), cap)
    if top * n * (n + 1) >= COST_LIMIT or total >= TOTAL_LIMIT:
        return None
    return weights


def _combine(group: Sequence[LevelCost], weights: Sequence[int]) -> np.ndarray:
    out = np.zeros_like(group[0].cost)
    for lv, w in zip(group, weights, strict=True):
        if w == 1:
            out += lv.cost
        else:
            out += np.int64(w) * lv.cost
    return out


def potentials(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    low: np.ndarray,
    cap: np.ndarray,
    cost: np.ndarray,
    flow: np.ndarray,
) -> np.ndarray:
    """Node potentials for an optimal ``flow``: shortest distances in its residual network.

    Bellman-Ford from a virtual source joined to every node at cost 0, relaxing
    only the arcs out of nodes whose distance changed (vectorised). The residual
    network of an optimal flow has no negative cycle; finding one is a bug.
    """
    fwd = flow < cap
    bwd = flow > low
    ru = np.concatenate([tail[fwd], head[bwd]])
    rv = np.concatenate([head[fwd], tail[bwd]])
    rc = np.concatenate([cost[fwd], -cost[bwd]])
    d = np.zeros(n, dtype=np.int64)
    changed = np.ones(n, dtype=bool)
    for _ in range(n + 1):
        sel = changed[ru]
        u, v, c = ru[sel], rv[sel], rc[sel]
        cand = d[u] + c
        better = cand < d[v]
        if not better.any():
            return d
        nd = d.copy()
        np.minimum.at(nd, v[better], cand[better])
        changed = nd < d
        d = nd
    raise FlowBug("negative cycle in the residual network of an optimal flow")


def solve_lex(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    low: np.ndarray,
    cap: np.ndarray,
    levels: Sequence[LevelCost],
    *,
    hint: RangeHint | None = None,
) -> LexResult | None:
    """Optimise ``levels`` lexicographically over circulations in ``low <= f <= cap``.

    Parameters
    ----------
    n
        Number of nodes; ``tail``/``head`` index them.
    low, cap
        Bounds of each arc (copied: the caller's arrays are not changed).
    levels
        Costs to minimise, most important first.
    hint
        Tighter range bounds the caller can prove (e.g. from a fixed total).

    Returns
    -------
    LexResult or None
        None when no circulation meets the bounds.
    """
    low = low.astype(np.int64, copy=True)
    cap = cap.astype(np.int64, copy=True)
    if (cap < low).any():
        return None
    if not levels:
        flat = _mcf(n, tail, head, low, cap, np.zeros_like(tail))
        return None if flat is None else LexResult(flat, {}, 1, 0)
    pending = list(levels)
    carried: list[LevelCost] = []
    carried_w: list[int] = []
    flow: np.ndarray | None = None
    solves = fixings = 0
    while True:
        group = list(carried)
        weights: list[int] = (_weights(group, low, cap, n, hint) or carried_w) if group else []
        while pending:
            trial = [*group, pending[0]]
            tw = _weights(trial, low, cap, n, hint)
            if tw is None:
                break
            group, weights = trial, tw
            if np.count_nonzero(pending.pop(0).cost) <= 1:
                # A one-arc level ends its group: fixed right away by that arc's
                # bounds, it tightens the ranges (and so the weights) of the rest.
                # Small weights matter: cost scaling needs a phase per factor of 2.
                break
        if len(group) == len(carried) and (pending or flow is None):
            if carried and flow is not None:
                # The carried levels and the next one do not fit together: fix the
                # carried levels' optimal face by reduced costs, then go on alone.
                combined = _combine(carried, carried_w)
                d = potentials(n, tail, head, low, cap, combined, flow)
                rc = combined + d[tail] - d[head]
                fix = rc != 0
                low[fix] = flow[fix]
                cap[fix] = flow[fix]
                fixings += 1
                carried, carried_w = [], []
                continue
            raise FlowBug(f"level {pending[0].name} alone exceeds the cost range")
        cost = _combine(group, weights) if group else np.zeros_like(tail)
        flow = _mcf(n, tail, head, low, cap, cost)
        solves += 1
        if flow is None:
            return None
        if not pending:
            break
        carried, carried_w = [], []
        for lv, w in zip(group, weights, strict=True):
            nz = np.flatnonzero(lv.cost)
            if len(nz) <= 1:
                # One arc carries the level: its flow is the level's value; fix it.
                low[nz] = flow[nz]
                cap[nz] = flow[nz]
            else:
                carried.append(lv)
                carried_w.append(w)
        if carried:
            # Re-derive the weights of the carried levels alone at the next step.
            carried_w = _weights(carried, low, cap, n, hint) or carried_w
    assert flow is not None
    values = {lv.name: int(lv.cost.dot(flow)) for lv in levels}
    return LexResult(flow, values, solves, fixings)
