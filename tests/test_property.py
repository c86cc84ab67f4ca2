"""Property test over seeded random colleges.

validate(solve(x)) is empty, and the solver's levels 1-3 equal an independent
optimum: a min-cost circulation written here with networkx, apart from the
solver code (which uses CP-SAT and OR-Tools' min-cost flow).
"""

from __future__ import annotations

import random

import networkx as nx
import pytest

from models import Problem, Settings, SolveStatus
from planner.pairing import solve_pairing
from planner.rules.validate import validate_plan
from planner.synth import random_college


def reference_levels(p: Problem) -> tuple[int, int, int] | None:
    """Lexicographic (pairs min, own-unit max, heads covered max) by one weighted circulation."""
    k = p.settings.max_leaders_per_counselor
    cs, ls = p.active_counselors, p.active_leaders
    n_heads = sum(ld.heads_teaching_unit for ld in ls)
    big_pairs = len(cs) * k + 1
    w3 = 1
    w2 = n_heads + 1
    w1 = w2 * big_pairs + n_heads + 1
    g = nx.DiGraph()
    demand: dict[object, int] = {}

    def arc(u: object, v: object, lo: int, hi: int, cost: int) -> None:
        # lower bounds become demands: lo units are sent in advance
        g.add_edge(u, v, capacity=hi - lo, weight=cost)
        demand[u] = demand.get(u, 0) + lo
        demand[v] = demand.get(v, 0) - lo

    for c in cs:
        arc("S", ("c", c.counselor_id), 1, k, 0)
    for ld in ls:
        lo, hi = p.load_bounds(ld)
        arc(("l", ld.leader_id), "T", lo, hi, 0)
        if ld.heads_teaching_unit:
            arc(("h", ld.leader_id), ("first", ld.leader_id), 0, 1, -w3)
            arc(("first", ld.leader_id), ("l", ld.leader_id), 0, 1, 0)
            arc(("h", ld.leader_id), ("l", ld.leader_id), 0, big_pairs, 0)
        for c in cs:
            key = (ld.leader_id, c.counselor_id)
            if not p.allowed(key):
                continue
            own = p.is_own_unit(*key)
            target = ("h", ld.leader_id) if own else ("l", ld.leader_id)
            arc(
                ("c", c.counselor_id),
                target,
                1 if key in p.musts else 0,
                1,
                w1 - (w2 if own else 0),
            )
    arc("T", "S", 0, big_pairs, 0)
    for node in g.nodes:
        g.nodes[node]["demand"] = demand.get(node, 0)
    try:
        flow = nx.min_cost_flow(g)
    except nx.NetworkXUnfeasible:
        return None
    pairs = own = 0
    covered = set()
    for c in cs:
        for target, f in flow[("c", c.counselor_id)].items():
            lo = 1 if (target[1], c.counselor_id) in p.musts else 0
            if f + lo > 0:
                pairs += 1
                if target[0] == "h":
                    own += 1
                    covered.add(target[1])
    return pairs, own, len(covered)


def college(seed: int) -> Problem:
    rnd = random.Random(seed)
    n = rnd.randint(5, 60)
    settings = Settings(
        max_leaders_per_counselor=rnd.choice([1, 2, 2, 3]),
        no_repeat_cycles=rnd.choice([0, 1, 1]),
        min_load=rnd.choice([1, 2, 2]),
        max_load=rnd.choice([3, 3, 4]),
    )
    return random_college(
        n,
        seed=seed,
        leaders_per_counselor=rnd.choice([0.3, 0.4, 0.5, 0.7]),
        rules=rnd.randint(0, 6),
        settings=settings,
    )


@pytest.mark.parametrize("seed", range(60))
def test_solver_matches_independent_flow(seed):
    p = college(seed)
    ref = reference_levels(p)
    r = solve_pairing(p, seed=seed, time_limit=30)
    if ref is None:
        assert r.status == SolveStatus.INFEASIBLE
        return
    assert r.status == SolveStatus.OPTIMAL
    assert r.plan is not None
    keys = [x.key for x in r.plan.pairs]
    assert validate_plan(p, keys) == []
    assert (r.levels["pairs"], r.levels["own_unit_pairs"], r.levels["heads_covered"]) == ref


def test_some_random_colleges_are_infeasible_and_some_feasible():
    # The property test above must exercise both outcomes to mean anything.
    outcomes = {reference_levels(college(s)) is None for s in range(60)}
    assert outcomes == {True, False}
