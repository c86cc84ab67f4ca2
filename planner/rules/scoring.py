"""The objective's named levels and the weights of the planner's own levels.

Kept apart from the solver (no ortools) so the independent validator, the
reasons and the pages can recompute and compare every level of a plan with the
same definitions as the solver.

Levels, in the order of CONTRACT.md §3 (``own_unit_first = true`` swaps the first two):

1. ``pairs`` (min) — fewest pairs: one leader per counselor wherever loads allow;
2. ``own_unit_pairs`` (max) — pairs of a teaching-unit head with a counselor of that unit;
3. ``heads_covered`` (max) — heads with at least one own-unit counselor;
4. ``leaders_squared`` (min) — Σ over counselors of (number of leaders)²: the extra
   leaders spread evenly (广大辅导员普遍受益);
5. ``new_multi`` (max) — 新任 counselors (stage < 3 years) with more than one leader;
6. ``older_repeats`` (min) — repeats of cycles older than the no-repeat window,
   weighted by recency (a repeat of a more recent cycle costs more);
7. ``tie_break`` (min) — a seeded pseudo-random cost per pair, so that ``--seed``
   chooses among equally good plans.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

import numpy as np

from models import Problem, Settings

Sense = Literal["min", "max"]


@dataclass(frozen=True)
class Level:
    """A named objective level, its sense and its names for people."""

    name: str
    sense: Sense
    zh: str
    en: str


LEVELS: tuple[Level, ...] = (
    Level("pairs", "min", "结对总数", "pairs in total"),
    Level("own_unit_pairs", "max", "本单位结对数", "own-unit pairs"),
    Level("heads_covered", "max", "联系本单位辅导员的负责人数", "heads with an own-unit counselor"),
    Level(
        "leaders_squared",
        "min",
        "各辅导员联系领导数的平方和(额外领导均衡分配)",
        "sum of squared leaders per counselor (extra leaders spread)",
    ),
    Level(
        "new_multi",
        "max",
        "有多名联系领导的新任辅导员数",
        "新任 counselors with more than one leader",
    ),
    Level("older_repeats", "min", "较早周期重复(加权)", "older-cycle repeats (weighted)"),
    Level("tie_break", "min", "随机种子次序", "seeded tie-break"),
)
"""Every level in the default order (``own_unit_first = false``)."""

LEVEL_BY_NAME = {lv.name: lv for lv in LEVELS}

POLICY_LEVELS = ("pairs", "own_unit_pairs", "heads_covered", "leaders_squared", "new_multi")
"""The levels CONTRACT.md §3 pins (1-5); the others are the planner's own."""


def level_order(settings: Settings) -> tuple[Level, ...]:
    """The levels in priority order for ``settings``: own-unit pairs first when
    ``own_unit_first`` is true (a head may then take a third own-unit counselor
    although that gives another counselor a second leader)."""
    if not settings.own_unit_first:
        return LEVELS
    return (LEVELS[1], LEVELS[0], *LEVELS[2:])


def level_key(levels: dict[str, int], settings: Settings | None = None) -> tuple[int, ...]:
    """Lexicographic sort key of objective levels: smaller is better on every level.

    Levels missing from ``levels`` are left out (e.g. a summary without the tie-break).
    """
    order = level_order(settings) if settings is not None else LEVELS
    return tuple(
        levels[lv.name] * (1 if lv.sense == "min" else -1) for lv in order if lv.name in levels
    )


def repeat_weight(problem: Problem, key: tuple[str, str]) -> int:
    """Penalty of repeating ``key`` from an older cycle: more recent, heavier; 0 if new."""
    age = problem.repeat_age.get(key)
    if age is None or age <= problem.settings.no_repeat_cycles:
        return 0
    return max(1, len(problem.earlier_cycles) + 1 - age)


_MASK = (1 << 64) - 1
_GOLD = 0x9E3779B97F4A7C15


_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3


def _seed_salt(seed: int, role: str) -> int:
    h = hashlib.sha256(f"{seed}|{role}".encode()).digest()
    return int.from_bytes(h[:8], "big")


def person_hash(seed: int, role: str, person_id: str) -> int:
    """A stable 64-bit hash of one person under ``seed`` (never Python's salted hash).

    FNV-1a over the id's UTF-8 bytes, mixed with a sha256 salt of (seed, role):
    cheap enough to compute for 50,000 people at once (:func:`hashes`).
    """
    x = _FNV_OFFSET
    for byte in person_id.encode():
        x = ((x ^ byte) * _FNV_PRIME) & _MASK
    return _mix(x ^ _seed_salt(seed, role))


def _mix(x: int) -> int:
    """splitmix64's finaliser on Python ints (the same arithmetic as :func:`tie_break_costs`)."""
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9 & _MASK
    x = (x ^ (x >> 27)) * 0x94D049BB133111EB & _MASK
    return x ^ (x >> 31)


def tie_break_cost(seed: int, key: tuple[str, str]) -> int:
    """A stable pseudo-random cost in [0, 1000) of one pair.

    Built from one hash per person, mixed per pair, so that the solver can
    compute it for hundreds of thousands of pairs at once (:func:`tie_break_costs`).
    """
    a = person_hash(seed, "l", key[0])
    b = person_hash(seed, "c", key[1])
    return _mix(a ^ (b * _GOLD & _MASK)) % 1000


def mix_array(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on a uint64 array (wrapping arithmetic, as in :func:`_mix`)."""
    x = x.astype(np.uint64)
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def tie_break_costs(leader_hash: np.ndarray, counselor_hash: np.ndarray) -> np.ndarray:
    """:func:`tie_break_cost` for arrays of person hashes (uint64), as int64."""
    with np.errstate(over="ignore"):
        x = leader_hash.astype(np.uint64) ^ (counselor_hash.astype(np.uint64) * np.uint64(_GOLD))
    return (mix_array(x) % np.uint64(1000)).astype(np.int64)


def hashes(seed: int, role: str, ids: list[str] | tuple[str, ...]) -> np.ndarray:
    """:func:`person_hash` of every id as a uint64 array (role ``"l"`` or ``"c"``)."""
    if not ids:
        return np.zeros(0, dtype=np.uint64)
    raw = [i.encode() for i in ids]
    lengths = np.fromiter((len(b) for b in raw), dtype=np.int64, count=len(raw))
    width = max(1, int(lengths.max()))
    table = np.frombuffer(b"".join(b.ljust(width, b"\0") for b in raw), dtype=np.uint8)
    table = table.reshape(len(raw), width)
    x = np.full(len(raw), _FNV_OFFSET, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in range(width):
            step = (x ^ table[:, col].astype(np.uint64)) * np.uint64(_FNV_PRIME)
            x = np.where(lengths > col, step, x)
    return mix_array(x ^ np.uint64(_seed_salt(seed, role)))
