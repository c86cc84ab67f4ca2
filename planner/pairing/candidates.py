"""Candidate pairs: all of them for small colleges, a sparse set for large ones.

A college of 5,000 counselors and 2,000 leaders has 10 million possible pairs;
no solver needs them. Own-unit pairs and ``must`` pairs are always candidates
(they carry objective levels 2-3 and hard rule 4); every counselor also gets
``k`` generic leaders from a seeded rotation among the leaders who head no unit
and ``k`` among all leaders, so each leader sees about ``2k·N/L`` counselors.
Whether that was enough is checked, not assumed: a plan found on the candidates
is compared with the pool relaxation's bound (:func:`planner.pairing.flow.pool_bound`).
Built on numpy arrays: no Python loop over pairs.
"""

from __future__ import annotations

import numpy as np

from models import Problem
from planner.pairing.flow import Coded, encode, must_pairs, own_pairs
from planner.rules.scoring import mix_array

Key = tuple[str, str]
DENSE_LIMIT = 40_000  # leaders x counselors up to which every pair is a candidate


def is_dense(problem: Problem) -> bool:
    """Whether every pair is a candidate (small colleges)."""
    return len(problem.active_leaders) * len(problem.active_counselors) <= DENSE_LIMIT


def candidate_arrays(cd: Coded, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Own-unit, ``must`` and ``k`` + ``k`` generic allowed leaders per counselor (index arrays).

    Heads spend most of their load on their own unit, so the counselors left over
    must reach the other leaders: ``k`` generic leaders are drawn from those first,
    then ``k`` from everyone (heads of small units still need counselors from elsewhere).
    """
    oli, oci = own_pairs(cd)
    mli, mci = must_pairs(cd)
    lis, cis = [oli, mli], [oci, mci]
    cs = np.arange(cd.n_c, dtype=np.int64)
    for salt, pool in (
        (0xC0FFEE, np.flatnonzero(~cd.is_head)),
        (0xBEEF, np.arange(cd.n_l, dtype=np.int64)),
    ):
        n = len(pool)
        if n == 0 or cd.n_c == 0:
            continue
        start = (mix_array(cd.ch ^ np.uint64(salt)) % np.uint64(n)).astype(np.int64)
        w = min(n, 2 * k + 2)
        idx = pool[(start[:, None] + np.arange(w)[None, :]) % n]
        ok = ~cd.is_barred(cd.code(idx, cs[:, None])).reshape(idx.shape)
        keep = ok & (np.cumsum(ok, axis=1) <= k)
        lis.append(idx[keep])
        cis.append(np.broadcast_to(cs[:, None], idx.shape)[keep])
    codes = np.unique(cd.code(np.concatenate(lis), np.concatenate(cis)))
    return codes // max(1, cd.n_c), codes % max(1, cd.n_c)


def candidate_edges(problem: Problem, k: int, seed: int = 0) -> list[Key]:
    """Own-unit, ``must`` and generic allowed leaders per counselor, deterministic, sorted."""
    cd = encode(problem, seed)
    li, ci = candidate_arrays(cd, k)
    return sorted(cd.keys(li, ci))
