"""Min-cost-flow view of the pairing: exact optima at any size, on numpy arrays.

Every hard rule of CONTRACT.md §3 and objective levels 1-5 are a network flow
with convex costs:

    S ══[k parallel arcs]══▶ counselor ──[0,1]──▶ leader ──[lo, hi]──▶ T ──▶ S
                                     └──[0,1]──▶ head' ══(1 arc at −1 level 3, 1 free)══▶ head

* the counselor's j-th leader is its j-th parallel arc from S (the first with lower
  bound 1: coverage), costing 2j − 1 on level 4 — so a counselor with n leaders
  costs n² (convex: the arcs fill in order) — and the second one of a 新任
  counselor earns 1 on level 5;
* pair arcs exist only for allowed pairs (rotation and ``never`` by construction);
  a ``must`` pair has lower bound 1; own-unit pairs go through ``head'``, whose
  first unit of flow earns level 3;
* level 1 is the flow on the circulation arc T → S.

:func:`planner.pairing.lexflow.solve_lex` optimises the levels in the problem's
order (``own_unit_first`` swaps 1 and 2), level group by level group, so the
weights never overflow. Network LPs are integral: the optima are exact.

Large colleges use the **pool network**: own-unit and ``must`` pairs stay explicit,
every other pair goes through one pool node (counselor → pool → leader), as an
aggregated flow does. It allows more than the real problem (a pool pair may be
barred), so its levels bound the optimum; :func:`disaggregate` then turns the pool
flow into real pairs (distinct, allowed, not own-unit, preferring no older repeat)
by a small transportation problem. When that succeeds the plan meets the bound on
levels 1-5 and is optimal (and on level 6 too when it needed no older repeat).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models import Problem, Stage
from planner.pairing.lexflow import LevelCost, solve_lex
from planner.rules.scoring import hashes, level_order, mix_array, tie_break_costs

Key = tuple[str, str]


# ----- the problem as arrays ---------------------------------------------------------------
@dataclass
class Coded:
    """The problem's active people and rules as integer arrays (ids never reach the solver).

    A pair is coded ``leader index · N + counselor index``.
    """

    problem: Problem
    seed: int
    n_l: int
    n_c: int
    k: int
    lo: np.ndarray
    hi: np.ndarray
    is_head: np.ndarray
    l_unit: np.ndarray  # unit index of a head, -1 for others
    c_unit: np.ndarray
    new: np.ndarray  # 新任 counselors
    lh: np.ndarray  # person hashes (tie-break, seeded orders)
    ch: np.ndarray
    barred: np.ndarray  # sorted codes of pairs hard rules 3-4 forbid
    musts: np.ndarray  # sorted codes of active must pairs
    older: np.ndarray  # sorted codes of pairs repeating an older cycle ...
    older_w: np.ndarray  # ... and their level-6 weights
    musts_ok: bool  # False when a must names an inactive person or a barred pair

    def keys(self, li: np.ndarray, ci: np.ndarray) -> list[Key]:
        ls, cs = self.problem.active_leaders, self.problem.active_counselors
        return [
            (ls[a].leader_id, cs[b].counselor_id)
            for a, b in zip(li.tolist(), ci.tolist(), strict=True)
        ]

    def code(self, li: np.ndarray, ci: np.ndarray) -> np.ndarray:
        return li.astype(np.int64) * self.n_c + ci.astype(np.int64)

    def is_barred(self, codes: np.ndarray) -> np.ndarray:
        return _member(codes, self.barred)

    def is_own(self, li: np.ndarray, ci: np.ndarray) -> np.ndarray:
        return self.is_head[li] & (self.l_unit[li] == self.c_unit[ci])

    def older_weight(self, codes: np.ndarray) -> np.ndarray:
        if not len(self.older):
            return np.zeros(len(codes), dtype=np.int64)
        pos = np.searchsorted(self.older, codes).clip(0, len(self.older) - 1)
        return np.where(self.older[pos] == codes, self.older_w[pos], 0).astype(np.int64)

    def tie_break(self, li: np.ndarray, ci: np.ndarray) -> np.ndarray:
        return tie_break_costs(self.lh[li], self.ch[ci])


def _member(codes: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if not len(sorted_set):
        return np.zeros(np.shape(codes), dtype=bool)
    pos = np.searchsorted(sorted_set, codes).clip(0, len(sorted_set) - 1)
    return sorted_set[pos] == codes


def encode(problem: Problem, seed: int = 0) -> Coded:
    """Code ``problem`` as arrays: one pass over people, history and rules (no L × N work)."""
    leaders, counselors = problem.active_leaders, problem.active_counselors
    n_l, n_c = len(leaders), len(counselors)
    li_of = {ld.leader_id: i for i, ld in enumerate(leaders)}
    ci_of = {c.counselor_id: i for i, c in enumerate(counselors)}
    units: dict[str, int] = {}
    c_unit = np.fromiter(
        (units.setdefault(c.unit, len(units)) for c in counselors), dtype=np.int64, count=n_c
    )
    l_unit = np.fromiter(
        (units.get(ld.unit, -1) if ld.heads_teaching_unit else -1 for ld in leaders),
        dtype=np.int64,
        count=n_l,
    )
    bounds = [problem.load_bounds(ld) for ld in leaders]
    on = problem.stage_date
    from models import stage_of

    new = np.fromiter(
        (stage_of(c.start_date, on) == Stage.NEW for c in counselors), dtype=bool, count=n_c
    )

    def codes(keys: object) -> list[int]:
        out = []
        for a, b in keys:  # type: ignore[attr-defined]
            i, j = li_of.get(a), ci_of.get(b)
            if i is not None and j is not None:
                out.append(i * n_c + j)
        return out

    musts = problem.musts
    barred = codes(k for k in (problem.nevers | problem.forbidden_repeats) if k not in musts)
    barred += codes(k for k in musts if k in problem.nevers)
    must_codes = codes(k for k in musts if k not in problem.nevers)
    musts_ok = len(must_codes) == len(musts)
    window = problem.settings.no_repeat_cycles
    n_hist = len(problem.earlier_cycles)
    older: dict[int, int] = {}
    for key, age in problem.repeat_age.items():
        if age > window:
            for c in codes([key]):
                older[c] = max(1, n_hist + 1 - age)
    older_codes = np.array(sorted(older), dtype=np.int64)
    return Coded(
        problem=problem,
        seed=seed,
        n_l=n_l,
        n_c=n_c,
        k=problem.settings.max_leaders_per_counselor,
        lo=np.array([b[0] for b in bounds], dtype=np.int64),
        hi=np.array([b[1] for b in bounds], dtype=np.int64),
        is_head=np.array([ld.heads_teaching_unit for ld in leaders], dtype=bool),
        l_unit=l_unit,
        c_unit=c_unit,
        new=new,
        lh=hashes(seed, "l", [ld.leader_id for ld in leaders]),
        ch=hashes(seed, "c", [c.counselor_id for c in counselors]),
        barred=np.unique(np.array(barred, dtype=np.int64)),
        musts=np.unique(np.array(must_codes, dtype=np.int64)),
        older=older_codes,
        older_w=np.array([older[c] for c in older_codes.tolist()], dtype=np.int64),
        musts_ok=musts_ok,
    )


def own_pairs(cd: Coded) -> tuple[np.ndarray, np.ndarray]:
    """Every allowed own-unit pair (a head and a counselor of its unit) as index arrays."""
    heads = np.flatnonzero(cd.is_head & (cd.l_unit >= 0))
    if not len(heads) or not cd.n_c:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.argsort(cd.c_unit, kind="stable")
    sorted_units = cd.c_unit[order]
    start = np.searchsorted(sorted_units, cd.l_unit[heads], side="left")
    end = np.searchsorted(sorted_units, cd.l_unit[heads], side="right")
    sizes = end - start
    li = np.repeat(heads, sizes)
    offs = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    ci = order[np.repeat(start, sizes) + offs]
    keep = ~cd.is_barred(cd.code(li, ci))
    return li[keep], ci[keep]


def all_pairs(cd: Coded) -> tuple[np.ndarray, np.ndarray]:
    """Every allowed pair (small colleges only: L × N arrays)."""
    li = np.repeat(np.arange(cd.n_l, dtype=np.int64), cd.n_c)
    ci = np.tile(np.arange(cd.n_c, dtype=np.int64), cd.n_l)
    keep = ~cd.is_barred(cd.code(li, ci))
    return li[keep], ci[keep]


def must_pairs(cd: Coded) -> tuple[np.ndarray, np.ndarray]:
    return cd.musts // max(1, cd.n_c), cd.musts % max(1, cd.n_c)


# ----- the network ------------------------------------------------------------------------
@dataclass
class Network:
    """Arc arrays of the pairing network plus where each kind of arc sits."""

    n: int
    tail: np.ndarray
    head: np.ndarray
    low: np.ndarray
    cap: np.ndarray
    levels: list[LevelCost]
    src: slice  # S → counselor parallel arcs, counselor-major (k per counselor)
    pair: slice  # explicit pair arcs
    pair_li: np.ndarray
    pair_ci: np.ndarray
    to_pool: slice  # counselor → pool (pool network only)
    from_pool: slice  # pool → leader
    first: slice  # head' → head arcs earning level 3
    first_li: np.ndarray
    circ: int


def build_network(
    cd: Coded, li: np.ndarray, ci: np.ndarray, *, pool: bool, tie_break: bool = True
) -> Network:
    """The network over explicit pairs ``(li, ci)`` (deduplicated), with a pool or without."""
    codes = np.unique(cd.code(li, ci))
    li, ci = codes // max(1, cd.n_c), codes % max(1, cd.n_c)
    order = np.argsort(cd.tie_break(li, ci), kind="stable")
    codes, li, ci = codes[order], li[order], ci[order]
    n_c, n_l, k = cd.n_c, cd.n_l, cd.k
    own = cd.is_own(li, ci)
    head_ids = np.unique(li[own])
    s_, t_ = 0, 1
    c0 = 2
    l0 = c0 + n_c
    h0 = l0 + n_l
    hp = np.full(n_l, -1, dtype=np.int64)
    hp[head_ids] = h0 + np.arange(len(head_ids))
    pool_node = h0 + len(head_ids)
    n = pool_node + (1 if pool else 0)
    big = max(1, n_c * k)

    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(
        tail: np.ndarray, head: np.ndarray, low: np.ndarray | int, cap: np.ndarray | int
    ) -> slice:
        start = sum(len(p[0]) for p in parts)
        parts.append(
            (
                tail.astype(np.int64),
                head.astype(np.int64),
                np.broadcast_to(np.asarray(low, dtype=np.int64), tail.shape).copy(),
                np.broadcast_to(np.asarray(cap, dtype=np.int64), tail.shape).copy(),
            )
        )
        return slice(start, start + len(tail))

    cs = np.arange(n_c, dtype=np.int64)
    j = np.tile(np.arange(1, k + 1, dtype=np.int64), n_c)
    src = add(np.zeros(n_c * k, np.int64), np.repeat(c0 + cs, k), (j == 1).astype(np.int64), 1)
    must = _member(codes, cd.musts)
    pair = add(c0 + ci, np.where(own, hp[li], l0 + li), must.astype(np.int64), 1)
    first = add(h0 + np.arange(len(head_ids)), l0 + head_ids, 0, 1)
    add(h0 + np.arange(len(head_ids)), l0 + head_ids, 0, big)
    ls = np.arange(n_l, dtype=np.int64)
    add(l0 + ls, np.full(n_l, t_), cd.lo, cd.hi)
    if pool:
        to_pool = add(c0 + cs, np.full(n_c, pool_node), 0, k)
        from_pool = add(np.full(n_l, pool_node), l0 + ls, 0, cd.hi)
    else:
        to_pool = from_pool = slice(0, 0)
    circ = add(np.array([t_]), np.array([s_]), 0, big).start
    tail = np.concatenate([p[0] for p in parts])
    head = np.concatenate([p[1] for p in parts])
    low = np.concatenate([p[2] for p in parts])
    cap = np.concatenate([p[3] for p in parts])
    m = len(tail)

    def level(name: str) -> np.ndarray:
        c = np.zeros(m, dtype=np.int64)
        if name == "pairs":
            c[circ] = 1
        elif name == "own_unit_pairs":
            c[pair] = -own.astype(np.int64)
        elif name == "heads_covered":
            c[first] = -1
        elif name == "leaders_squared":
            c[src] = 2 * j - 1
        elif name == "new_multi":
            c[src] = -((j == 2) & np.repeat(cd.new, k)).astype(np.int64)
        elif name == "older_repeats":
            c[pair] = cd.older_weight(codes)
        elif name == "tie_break":
            c[pair] = cd.tie_break(li, ci)
        return c

    levels = [
        LevelCost(lv.name, level(lv.name))
        for lv in level_order(cd.problem.settings)
        if tie_break or lv.name != "tie_break"
    ]
    return Network(
        n,
        tail,
        head,
        low,
        cap,
        levels,
        src,
        pair,
        li,
        ci,
        to_pool,
        from_pool,
        first,
        head_ids,
        circ,
    )


def _square_range(n_c: int, k: int, total: int) -> int:
    """Exact range of Σ n² over n_c counselors with 1 <= n <= k and Σ n = total."""
    extra = total - n_c
    if n_c == 0 or extra <= 0 or k <= 1:
        return 0
    q, r = divmod(total, n_c)
    low = r * (q + 1) ** 2 + (n_c - r) * q * q
    full, rest = divmod(extra, k - 1)
    full = min(full, n_c)
    high = full * k * k + ((1 + rest) ** 2 if full < n_c else 0) + max(0, n_c - full - 1)
    return max(0, high - low)


def _hint(net: Network, cd: Coded) -> object:
    """Range bounds once the total is fixed: levels 4-5 depend on the extra leaders only."""

    def hint(name: str, low: np.ndarray, cap: np.ndarray) -> int | None:
        if low[net.circ] != cap[net.circ]:
            return None
        total = int(low[net.circ])
        if name == "leaders_squared":
            return _square_range(cd.n_c, cd.k, total)
        if name == "new_multi":
            return max(0, min(int(cd.new.sum()), total - cd.n_c))
        if name == "tie_break":
            return 999 * total
        return None

    return hint


# ----- solving ----------------------------------------------------------------------------
@dataclass
class FlowSolution:
    """A solved network: the chosen explicit pairs, the pool flows, the bound's levels."""

    pair_li: np.ndarray
    pair_ci: np.ndarray
    pool_c: np.ndarray  # pool units per counselor (pool network), else zeros
    pool_l: np.ndarray  # pool units per leader
    bound: dict[str, int]  # levels of the network's optimum, in the usual senses
    solves: int
    fixings: int


def solve_network(net: Network, cd: Coded) -> FlowSolution | None:
    """Optimise the network's levels lexicographically; None when no flow exists."""
    res = solve_lex(net.n, net.tail, net.head, net.low, net.cap, net.levels, hint=_hint(net, cd))  # type: ignore[arg-type]
    if res is None:
        return None
    f = res.flow
    chosen = f[net.pair] > 0
    li, ci = net.pair_li[chosen], net.pair_ci[chosen]
    per_c = f[net.src].reshape(cd.n_c, cd.k).sum(axis=1) if cd.n_c else np.zeros(0, np.int64)
    own = cd.is_own(li, ci)
    bound = {
        "pairs": int(f[net.circ]),
        "own_unit_pairs": int(own.sum()),
        "heads_covered": len(np.unique(li[own])),
        "leaders_squared": int((per_c**2).sum()),
        "new_multi": int(((per_c > 1) & cd.new).sum()),
        "older_repeats": int(cd.older_weight(cd.code(li, ci)).sum()),
    }
    return FlowSolution(
        li,
        ci,
        f[net.to_pool] if net.to_pool.stop else np.zeros(cd.n_c, np.int64),
        f[net.from_pool] if net.from_pool.stop else np.zeros(cd.n_l, np.int64),
        bound,
        res.solves,
        res.fixings,
    )


def disaggregate(
    cd: Coded, sol: FlowSolution, *, width: int = 6
) -> tuple[np.ndarray, np.ndarray] | None:
    """Real pairs for the pool flow: counselor c takes ``pool_c[c]`` leaders, leader l
    ``pool_l[l]`` counselors, each pair allowed, new to the plan and not own-unit.

    Seeded slots: the pool's units are laid out counselor by counselor and leader
    by leader in seeded orders; each counselor may take the leaders of the next
    ``width`` slots. A transportation problem over those candidates (older
    repeats first, then the tie-break) picks the pairs; the window doubles until
    it is feasible or holds every leader. None when even that fails.
    """
    d, s = sol.pool_c, sol.pool_l
    total = int(d.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    cs = np.flatnonzero(d > 0)
    ls = np.flatnonzero(s > 0)
    cs = cs[np.argsort(mix_array(cd.ch[cs] ^ np.uint64(0x5EED)), kind="stable")]
    ls = ls[np.argsort(mix_array(cd.lh[ls] ^ np.uint64(0x5EED)), kind="stable")]
    c_slots = np.repeat(cs, d[cs])
    l_slots = np.repeat(ls, s[ls])
    taken = np.unique(np.concatenate([cd.code(sol.pair_li, sol.pair_ci), cd.musts]))
    w = width
    while True:
        w = min(w, total)
        off = np.arange(w, dtype=np.int64)
        li = l_slots[(np.arange(total)[:, None] + off[None, :]) % total].ravel()
        ci = np.repeat(c_slots, w)
        codes = np.unique(cd.code(li, ci))
        li, ci = codes // max(1, cd.n_c), codes % max(1, cd.n_c)
        ok = ~cd.is_barred(codes) & ~_member(codes, taken) & ~cd.is_own(li, ci)
        li, ci, codes = li[ok], ci[ok], codes[ok]
        got = _transport(cd, d, s, li, ci, codes)
        if got is not None:
            return got
        if w >= total or w >= 4 * len(ls) + 8:
            return None
        w *= 2


def _transport(
    cd: Coded,
    d: np.ndarray,
    s: np.ndarray,
    li: np.ndarray,
    ci: np.ndarray,
    codes: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Counselors supply ``d``, leaders take ``s``, over the candidate pairs (li, ci)."""
    cs = np.flatnonzero(d > 0)
    ls = np.flatnonzero(s > 0)
    c_pos = np.full(cd.n_c, -1, np.int64)
    c_pos[cs] = np.arange(len(cs))
    l_pos = np.full(cd.n_l, -1, np.int64)
    l_pos[ls] = np.arange(len(ls))
    keep = (c_pos[ci] >= 0) & (l_pos[li] >= 0)
    li, ci, codes = li[keep], ci[keep], codes[keep]
    nc, nl, m = len(cs), len(ls), len(li)
    n = 2 + nc + nl
    c0, l0 = 2, 2 + nc
    tail = np.concatenate([np.zeros(nc, np.int64), c0 + c_pos[ci], l0 + np.arange(nl), [1]])
    head = np.concatenate([c0 + np.arange(nc), l0 + l_pos[li], np.ones(nl, np.int64), [0]])
    low = np.concatenate([d[cs], np.zeros(m, np.int64), s[ls], [0]]).astype(np.int64)
    cap = np.concatenate([d[cs], np.ones(m, np.int64), s[ls], [int(d.sum())]]).astype(np.int64)
    older = np.zeros(len(tail), np.int64)
    tb = np.zeros(len(tail), np.int64)
    older[nc : nc + m] = cd.older_weight(codes)
    tb[nc : nc + m] = cd.tie_break(li, ci)
    res = solve_lex(
        n, tail, head, low, cap, [LevelCost("older_repeats", older), LevelCost("tie_break", tb)]
    )
    if res is None:
        return None
    chosen = res.flow[nc : nc + m] > 0
    return li[chosen], ci[chosen]


@dataclass(frozen=True)
class FlowPlan:
    """A plan found by the flow: its pairs (index arrays) and what is proven about it."""

    li: np.ndarray
    ci: np.ndarray
    bound: dict[str, int]
    mode: str  # "all_pairs" | "pool" | "candidates"
    solves: int
    fixings: int


def levels_of(cd: Coded, li: np.ndarray, ci: np.ndarray) -> dict[str, int]:
    """Every objective level of the pairs ``(li, ci)``, computed on the arrays.

    The same definitions as :func:`planner.rules.validate.objective_levels`, which
    recomputes them independently from the ids.
    """
    own = cd.is_own(li, ci)
    per_c = np.bincount(ci, minlength=cd.n_c)
    return {
        "pairs": len(li),
        "own_unit_pairs": int(own.sum()),
        "heads_covered": len(np.unique(li[own])),
        "leaders_squared": int((per_c.astype(np.int64) ** 2).sum()),
        "new_multi": int(((per_c > 1) & cd.new).sum()),
        "older_repeats": int(cd.older_weight(cd.code(li, ci)).sum()),
        "tie_break": int(cd.tie_break(li, ci).sum()),
    }


def solve_explicit(cd: Coded, li: np.ndarray, ci: np.ndarray) -> FlowPlan | None:
    """Exact lexicographic optimum over the explicit pairs ``(li, ci)`` (all levels)."""
    net = build_network(cd, li, ci, pool=False)
    sol = solve_network(net, cd)
    if sol is None:
        return None
    return FlowPlan(sol.pair_li, sol.pair_ci, sol.bound, "candidates", sol.solves, sol.fixings)


def pool_bound(cd: Coded) -> FlowSolution | None:
    """The pool relaxation solved: levels 1-5 (and 6 on explicit pairs) bound the optimum."""
    oli, oci = own_pairs(cd)
    mli, mci = must_pairs(cd)
    # No tie-break level here: its range (999 per pair) would multiply every weight
    # above it; the pairs are listed in seeded order instead, which is how the
    # seed picks among equally good own-unit pairs, and the transport problem of
    # :func:`disaggregate` minimises the tie-break of the pool pairs.
    net = build_network(
        cd, np.concatenate([oli, mli]), np.concatenate([oci, mci]), pool=True, tie_break=False
    )
    return solve_network(net, cd)


def solve_pool(cd: Coded) -> tuple[FlowSolution, FlowPlan | None] | None:
    """Solve the pool relaxation and disaggregate it; None when the relaxation is infeasible.

    Returns the relaxation (its ``bound``) and the plan, or None for the plan when
    the pool flow could not be turned into real pairs.
    """
    sol = pool_bound(cd)
    if sol is None:
        return None
    got = disaggregate(cd, sol)
    if got is None:
        return sol, None
    li = np.concatenate([sol.pair_li, got[0]])
    ci = np.concatenate([sol.pair_ci, got[1]])
    return sol, FlowPlan(li, ci, sol.bound, "pool", sol.solves, sol.fixings)


def as_keys(cd: Coded, li: np.ndarray, ci: np.ndarray) -> list[Key]:
    """Decode index arrays into sorted (leader_id, counselor_id) keys."""
    return sorted(cd.keys(li, ci))


def keys_to_arrays(cd: Coded, keys: Sequence[Key]) -> tuple[np.ndarray, np.ndarray]:
    """Encode keys of active people into index arrays (others are skipped)."""
    li_of = {ld.leader_id: i for i, ld in enumerate(cd.problem.active_leaders)}
    ci_of = {c.counselor_id: i for i, c in enumerate(cd.problem.active_counselors)}
    pairs = [(li_of[a], ci_of[b]) for a, b in keys if a in li_of and b in ci_of]
    if not pairs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    arr = np.array(pairs, dtype=np.int64)
    return arr[:, 0], arr[:, 1]


def min_pairs_bound(problem: Problem) -> int | None:
    """A lower bound on level 1 (pairs) from the pool relaxation alone: one flow solve.

    None when even the relaxation has no flow (then the problem has no plan).
    """
    cd = encode(problem)
    oli, oci = own_pairs(cd)
    mli, mci = must_pairs(cd)
    net = build_network(
        cd, np.concatenate([oli, mli]), np.concatenate([oci, mci]), pool=True, tie_break=False
    )
    pairs = [lv for lv in net.levels if lv.name == "pairs"]
    res = solve_lex(net.n, net.tail, net.head, net.low, net.cap, pairs)
    return None if res is None else int(res.flow[net.circ])
