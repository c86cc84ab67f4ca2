"""CP-SAT model that gives each pair item a day, one connected component at a time.

The scheduler (:mod:`planner.scheduling.builder`) turns the rules into plain data first: per
item a list of candidate day indexes with a cost each (days the rules allow; the preferred
ones cheaper), the leader and counselor whose daily caps it counts against, and the talk
spacing between items of one pair. This module only sees integers, never ids or dates.

One :class:`Component` is a set of leaders joined through counselors they share (the
counselor's daily cap couples them); components share nothing, so each is solved alone.

Rules, one ``add_*`` each:

- Hard: each item on at most one candidate day, else it is unmet (:func:`add_one_day_per_item`).
- Hard: at most ``leader_cap`` items per leader per day (:func:`add_leader_daily_cap`).
- Hard: at most ``counselor_cap`` items per counselor per day (:func:`add_counselor_daily_cap`).
- Hard: consecutive talks of a pair at least ``min_days`` apart (:func:`add_talk_spacing`).
- Objective (:func:`set_objective`), lexicographic through the weights: fewest unmet items,
  then least candidate cost (preferred days, spread across the window).

Solving one component (:func:`solve_component`): a greedy answer first; if every item got
its cheapest day it is optimal and no model is built. Otherwise :func:`prune` drops the
days no optimum can use (exact: a day dearer than the item's cheapest by more than the
greedy answer's gap to the bound) and CP-SAT, hinted with the greedy answer, finishes. A
component too large for one model is solved in chunks of whole leaders, each chunk seeing
the counselor-days the earlier chunks filled (:func:`_solve_in_chunks`).

Determinism: one worker, a fixed seed, and a *deterministic* time limit, so the same data
gives the same days whatever the machine's load; components are solved in a fixed order
and, with several processes, merged back in that order. The wall-clock limit is only a
safety net far above what the deterministic budget takes.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

#: Deterministic-time budget per component (CP-SAT's machine-independent work units).
DETERMINISTIC_SECONDS = 5.0
#: Wall-clock safety net per component; the deterministic budget normally stops first.
WALL_SECONDS = 60.0
#: Above this many candidate days in total, components are solved in two processes.
PARALLEL_MIN_CANDIDATES = 150_000
MAX_WORKERS = 2


@dataclass
class ComponentItem:
    """One pair item as the model sees it.

    ``days`` are candidate day indexes (days since the cycle start) and ``costs`` the cost
    of each; ``leader``/``counselor`` are indexes into the component's people.
    """

    days: list[int]
    costs: list[int]
    leader: int
    counselor: int


@dataclass
class Component:
    """Items whose daily caps interact; solved as one CP-SAT model."""

    items: list[ComponentItem]
    leader_cap: int
    counselor_cap: int
    #: (earlier item, later item, minimum days between them), for talks of one pair.
    spacing: list[tuple[int, int, int]] = field(default_factory=list)
    #: Items counted against a counselor's cap on a day already, by (counselor, day).
    counselor_used: dict[tuple[int, int], int] = field(default_factory=dict)
    #: Item indexes solved one after another (each the items of a few leaders), for a
    #: component too large for one model; None: one model.
    chunks: list[list[int]] | None = None

    @property
    def size(self) -> int:
        """Number of candidate (item, day) choices: the model's Boolean variables."""
        return sum(len(it.days) for it in self.items)


# ----- rules ------------------------------------------------------------------------------


def add_one_day_per_item(
    model: cp_model.CpModel, x: list[list[cp_model.IntVar]], unmet: list[cp_model.IntVar]
) -> None:
    """Hard: every item gets exactly one of its candidate days, or is unmet."""
    for xs, u in zip(x, unmet, strict=True):
        model.add_exactly_one([*xs, u])


def _add_daily_cap(
    model: cp_model.CpModel,
    comp: Component,
    x: list[list[cp_model.IntVar]],
    person_of: Sequence[int],
    cap: int,
    used: Mapping[tuple[int, int], int],
) -> None:
    by_day: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for i, it in enumerate(comp.items):
        for k, d in enumerate(it.days):
            by_day[(person_of[i], d)].append(x[i][k])
    for key in sorted(by_day):
        lits = by_day[key]
        room = cap - used.get(key, 0)
        if len(lits) <= room:
            continue
        if room == 1:
            model.add_at_most_one(lits)
        else:
            model.add(sum(lits) <= max(0, room))


def add_leader_daily_cap(
    model: cp_model.CpModel, comp: Component, x: list[list[cp_model.IntVar]]
) -> None:
    """Hard: at most ``max_items_per_leader_day`` pair items per leader per day."""
    _add_daily_cap(model, comp, x, [it.leader for it in comp.items], comp.leader_cap, {})


def add_counselor_daily_cap(
    model: cp_model.CpModel, comp: Component, x: list[list[cp_model.IntVar]]
) -> None:
    """Hard: at most ``max_items_per_counselor_day`` pair items per counselor per day."""
    counselors = [it.counselor for it in comp.items]
    _add_daily_cap(model, comp, x, counselors, comp.counselor_cap, comp.counselor_used)


def add_talk_spacing(
    model: cp_model.CpModel,
    comp: Component,
    x: list[list[cp_model.IntVar]],
    unmet: list[cp_model.IntVar],
) -> None:
    """Hard: two talks of a pair, both placed, lie at least ``min_days_between_talks`` apart."""
    for i, j, gap in comp.spacing:
        di = cp_model.LinearExpr.weighted_sum(x[i], comp.items[i].days)
        dj = cp_model.LinearExpr.weighted_sum(x[j], comp.items[j].days)
        model.add(dj - di >= gap).only_enforce_if([~unmet[i], ~unmet[j]])


def unmet_weight(comp: Component) -> int:
    """Weight of one unmet item: more than every candidate cost together, so no saving in
    cost can ever buy an unmet item (the objective is lexicographic)."""
    return 1 + sum(max(it.costs, default=0) for it in comp.items)


def set_objective(
    model: cp_model.CpModel,
    comp: Component,
    x: list[list[cp_model.IntVar]],
    unmet: list[cp_model.IntVar],
) -> None:
    """Soft: fewest unmet items first, then the cheapest days (preferred, spread out)."""
    lits: list[cp_model.IntVar] = []
    coefs: list[int] = []
    for xs, it in zip(x, comp.items, strict=True):
        lits += xs
        coefs += it.costs
    big = unmet_weight(comp)
    lits += unmet
    coefs += [big] * len(unmet)
    model.minimize(cp_model.LinearExpr.weighted_sum(lits, coefs))


# ----- solving ----------------------------------------------------------------------------


def greedy(comp: Component) -> list[int]:
    """A quick feasible answer: items with the fewest candidates first, cheapest free day.

    Returns the chosen candidate position per item, -1 for unmet. Used as the solver's hint
    and as the answer should the solver return nothing.
    """
    leader_load: dict[tuple[int, int], int] = defaultdict(int)
    counselor_load: dict[tuple[int, int], int] = defaultdict(int, comp.counselor_used)
    partners: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for i, j, gap in comp.spacing:
        partners[i].append((j, gap, 1))
        partners[j].append((i, gap, -1))
    chosen = [-1] * len(comp.items)
    order = sorted(range(len(comp.items)), key=lambda i: (len(comp.items[i].days), i))
    for i in order:
        it = comp.items[i]
        for k in sorted(range(len(it.days)), key=lambda k: (it.costs[k], it.days[k])):
            d = it.days[k]
            if leader_load[(it.leader, d)] >= comp.leader_cap:
                continue
            if counselor_load[(it.counselor, d)] >= comp.counselor_cap:
                continue
            ok = True
            for j, gap, sign in partners[i]:
                if chosen[j] >= 0:
                    dj = comp.items[j].days[chosen[j]]
                    # sign 1: j is the later talk; -1: j is the earlier one
                    if (dj - d if sign == 1 else d - dj) < gap:
                        ok = False
                        break
            if ok:
                chosen[i] = k
                leader_load[(it.leader, d)] += 1
                counselor_load[(it.counselor, d)] += 1
                break
    return chosen


def is_certainly_optimal(comp: Component, chosen: list[int]) -> bool:
    """Whether ``chosen`` places every item on its cheapest candidate.

    Then no schedule can cost less (each item's cheapest day is a lower bound even without
    the caps and the spacing), so the answer is optimal without a search.
    """
    for it, k in zip(comp.items, chosen, strict=True):
        if k < 0 or it.costs[k] != min(it.costs):
            return False
    return True


def prune(comp: Component, chosen: list[int]) -> tuple[Component, list[list[int]]]:
    """Drop candidate days no optimal schedule can use; exact, not a heuristic.

    With ``chosen`` costing ``G`` and the sum of every item's cheapest candidate ``LB``, an
    item on a day costing more than its cheapest plus ``G - LB`` makes any schedule cost
    more than ``G``. Such days go; ``chosen`` stays feasible. When the greedy answer is
    close to the bound, most items keep one or two days and the model is tiny.

    Returns
    -------
    tuple[Component, list[list[int]]]
        The smaller component and, per item, the original positions of its kept days.
    """
    big = unmet_weight(comp)
    value = sum(it.costs[k] if k >= 0 else big for it, k in zip(comp.items, chosen, strict=True))
    lower = sum(min(it.costs, default=big) for it in comp.items)
    slack = value - lower
    items = []
    kept: list[list[int]] = []
    for it in comp.items:
        limit = min(it.costs, default=0) + slack
        keep = [k for k, c in enumerate(it.costs) if c <= limit]
        kept.append(keep)
        items.append(
            ComponentItem(
                [it.days[k] for k in keep], [it.costs[k] for k in keep], it.leader, it.counselor
            )
        )
    pruned = Component(
        items, comp.leader_cap, comp.counselor_cap, comp.spacing, comp.counselor_used
    )
    return pruned, kept


def solve_component(comp: Component, seed: int = 0, always_solve: bool = False) -> list[int]:
    """Solve one component; the chosen candidate position per item, -1 for unmet.

    The greedy answer comes first. If every item got its cheapest day it is optimal and
    returned as is; otherwise :func:`prune` shrinks the model and CP-SAT finishes the job.

    Parameters
    ----------
    comp
        The items, caps and spacing of one component.
    seed
        CP-SAT's random seed (one worker, so the search is reproducible).
    always_solve
        Run CP-SAT on the whole, unpruned model even when the greedy answer is provably
        optimal (tests use it to exercise the model).
    """
    if not comp.items:
        return []
    if comp.chunks is not None:
        return _solve_in_chunks(comp, seed)
    hint = greedy(comp)
    if always_solve:
        small, kept = comp, [list(range(len(it.days))) for it in comp.items]
    elif is_certainly_optimal(comp, hint):
        return hint
    else:
        small, kept = prune(comp, hint)
    back = [{k: n for n, k in enumerate(keep)} for keep in kept]
    small_hint = [back[i][k] if k >= 0 else -1 for i, k in enumerate(hint)]
    picks = _solve_model(small, small_hint, seed)
    return [kept[i][k] if k >= 0 else -1 for i, k in enumerate(picks)]


def _solve_in_chunks(comp: Component, seed: int) -> list[int]:
    """Solve the chunks in order, each seeing the counselor-days the earlier ones filled.

    A chunk holds whole leaders, so a pair's talks (and their spacing) never straddle two
    chunks; only the counselor cap couples chunks, through a counselor shared by leaders
    in different chunks. The later chunk adapts to the earlier one: not a proven optimum
    for the whole component, but each model stays small.
    """
    assert comp.chunks is not None
    out = [-1] * len(comp.items)
    used: dict[tuple[int, int], int] = defaultdict(int, comp.counselor_used)
    for chunk in comp.chunks:
        pos = {i: n for n, i in enumerate(chunk)}
        items = []
        kept: list[list[int]] = []
        for i in chunk:
            it = comp.items[i]
            keep = [
                k for k, d in enumerate(it.days) if used[(it.counselor, d)] < comp.counselor_cap
            ]
            kept.append(keep)
            items.append(
                ComponentItem(
                    [it.days[k] for k in keep], [it.costs[k] for k in keep], it.leader, it.counselor
                )
            )
        spacing = [(pos[a], pos[b], g) for a, b, g in comp.spacing if a in pos and b in pos]
        sub = Component(items, comp.leader_cap, comp.counselor_cap, spacing, dict(used))
        for n, k in enumerate(solve_component(sub, seed)):
            if k >= 0:
                i = chunk[n]
                out[i] = kept[n][k]
                used[(comp.items[i].counselor, comp.items[i].days[out[i]])] += 1
    return out


def _solve_model(comp: Component, hint: list[int], seed: int) -> list[int]:
    model = cp_model.CpModel()
    x = [[model.new_bool_var("") for _ in it.days] for it in comp.items]
    unmet = [model.new_bool_var(f"unmet[{i}]") for i in range(len(comp.items))]
    add_one_day_per_item(model, x, unmet)
    add_leader_daily_cap(model, comp, x)
    add_counselor_daily_cap(model, comp, x)
    add_talk_spacing(model, comp, x, unmet)
    set_objective(model, comp, x, unmet)
    # A partial hint (the chosen day and the unmet flag) is enough for CP-SAT to complete.
    for xs, u, h in zip(x, unmet, hint, strict=True):
        model.add_hint(u, h < 0)
        if h >= 0:
            model.add_hint(xs[h], True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = DETERMINISTIC_SECONDS
    solver.parameters.max_time_in_seconds = WALL_SECONDS
    # The model is an assignment with caps whose LP relaxation is nearly tight; presolve
    # and probing cost more than the search itself (measured: 0.23 s vs 1.6 s, 168 items).
    solver.parameters.cp_model_presolve = False
    solver.parameters.cp_model_probing_level = 0
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint
    out = []
    for xs in x:
        pick = -1
        for k, v in enumerate(xs):
            if solver.boolean_value(v):
                pick = k
                break
        out.append(pick)
    return out


def _solve_batch(batch: list[Component], seed: int) -> list[list[int]]:
    return [solve_component(c, seed) for c in batch]


def _batches(comps: list[Component], n: int) -> list[list[Component]]:
    """Consecutive runs of components of roughly equal size (order kept for merging)."""
    total = sum(c.size for c in comps) or 1
    target = max(1, total // n)
    out: list[list[Component]] = [[]]
    acc = 0
    for c in comps:
        if acc >= target and out[-1]:
            out.append([])
            acc = 0
        out[-1].append(c)
        acc += c.size
    return out


def solve_components(
    comps: list[Component], seed: int = 0, workers: int | None = None
) -> list[list[int]]:
    """Solve every component; results in the order given.

    Parameters
    ----------
    comps
        The components, in a fixed order.
    seed
        CP-SAT's seed for every component.
    workers
        Processes to use; None: two when the input is large
        (:data:`PARALLEL_MIN_CANDIDATES`), else one (starting processes costs more than
        it saves on a small college). Results do not depend on it.
    """
    if workers is None:
        workers = MAX_WORKERS if sum(c.size for c in comps) >= PARALLEL_MIN_CANDIDATES else 1
    workers = max(1, min(workers, MAX_WORKERS, len(comps)))
    if workers == 1:
        return _solve_batch(comps, seed)
    # Several batches per worker even out the load; spawn avoids forking a process that
    # may hold solver threads.
    batches = _batches(comps, workers * 8)
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        results = list(pool.map(_solve_batch, batches, [seed] * len(batches)))
    return [r for batch in results for r in batch]
