"""Sparse candidates on a college with nothing barred (no history, no never rules).

A regression: with no barred pair the membership test returned a 1-D array for a 2-D query
and ``rotate`` at 500 counselors crashed in ``candidate_arrays`` ("cannot reshape").
"""

from __future__ import annotations

from builders import make_problem

from planner.pairing.candidates import DENSE_LIMIT, candidate_edges, is_dense


def test_sparse_candidates_without_any_barred_pair():
    leaders = [(f"L{i:03d}", "", False) for i in range(210)]
    counselors = [(f"C{j:03d}", f"系{j % 20}") for j in range(200)]
    p = make_problem(leaders, counselors)
    assert len(leaders) * len(counselors) > DENSE_LIMIT and not is_dense(p)
    edges = candidate_edges(p, 4, seed=0)
    # Every counselor gets its 4 + 4 generic leaders (no head: both pools are all leaders,
    # so the two draws may overlap): at least 4 and at most 8 per counselor.
    per = {}
    for _, c in edges:
        per[c] = per.get(c, 0) + 1
    assert len(per) == 200 and all(4 <= n <= 8 for n in per.values())
