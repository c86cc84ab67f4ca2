"""The problem aggregate: rosters, history, rules and settings of one cycle."""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.history import HistoryPair, cycle_first_year
from models.people import Counselor, Leader, Level, Stage, stage_of
from models.rules import Rule, RuleKind
from models.settings import Settings

PairKey = tuple[str, str]  # (leader_id, counselor_id)


class Problem(BaseModel):
    """Everything the pairing needs for one cycle.

    Cross-reference checks (unique ids, no id both leader and counselor, rules
    naming known people) run on construction; the reader performs the same
    checks first so the office sees file, row and column.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    leaders: tuple[Leader, ...]
    counselors: tuple[Counselor, ...]
    history: tuple[HistoryPair, ...] = ()
    rules: tuple[Rule, ...] = ()
    settings: Settings = Field(default_factory=Settings)
    cycle: str = "cycle"
    cycle_start: date | None = None

    @model_validator(mode="after")
    def _cross_check(self) -> Problem:
        problems: list[str] = []
        for what, ids in (
            ("leader", [x.leader_id for x in self.leaders]),
            ("counselor", [x.counselor_id for x in self.counselors]),
        ):
            dup = sorted(i for i, n in Counter(ids).items() if n > 1)
            if dup:
                problems.append(f"duplicate {what} ids: {', '.join(dup)}")
        both = sorted(
            {x.leader_id for x in self.leaders} & {x.counselor_id for x in self.counselors}
        )
        if both:
            problems.append(f"ids both leader and counselor: {', '.join(both)}")
        lids = {x.leader_id for x in self.leaders}
        cids = {x.counselor_id for x in self.counselors}
        for r in self.rules:
            if r.leader_id not in lids or r.counselor_id not in cids:
                problems.append(f"rule names unknown ids: {r.leader_id}-{r.counselor_id}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def replace(self, **changes: object) -> Problem:
        """A new problem with ``changes`` applied, re-validated, with fresh caches.

        Never use ``model_copy(update=...)`` here: it copies the cached
        properties (forbidden pairs, ranks, ...) computed from the old fields.
        """
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        fields.update(changes)
        return type(self).model_validate(fields)

    # ----- people -------------------------------------------------------
    @cached_property
    def leader_by_id(self) -> dict[str, Leader]:
        return {x.leader_id: x for x in self.leaders}

    @cached_property
    def counselor_by_id(self) -> dict[str, Counselor]:
        return {x.counselor_id: x for x in self.counselors}

    @cached_property
    def active_leaders(self) -> tuple[Leader, ...]:
        """Active leaders in rank order: 院级 before 中层, then input order."""
        act = [x for x in self.leaders if x.active]
        return tuple(sorted(act, key=lambda x: (x.level != Level.COLLEGE, x.order)))

    @cached_property
    def active_counselors(self) -> tuple[Counselor, ...]:
        """Active counselors ordered by id (the output order within a leader)."""
        return tuple(sorted((x for x in self.counselors if x.active), key=lambda x: x.counselor_id))

    def leader_rank(self, leader_id: str) -> tuple[int, int]:
        """Sort key of a leader in outputs: 院级 before 中层, then input order."""
        x = self.leader_by_id[leader_id]
        return (x.level != Level.COLLEGE, x.order)

    def load_bounds(self, leader: Leader) -> tuple[int, int]:
        """(min, max) number of counselors for ``leader``, roster over settings."""
        lo = self.settings.min_load if leader.min_load is None else leader.min_load
        hi = self.settings.max_load if leader.max_load is None else leader.max_load
        return lo, hi

    def is_own_unit(self, leader_id: str, counselor_id: str) -> bool:
        """The own-unit pair of objective level 2 (本单位): a head and a counselor of the unit."""
        ld = self.leader_by_id[leader_id]
        return ld.heads_teaching_unit and ld.unit == self.counselor_by_id[counselor_id].unit

    @property
    def stage_date(self) -> date:
        """The day stages are measured on: the cycle start, else 1 Sept of its first year."""
        if self.cycle_start is not None:
            return self.cycle_start
        y = cycle_first_year(self.cycle)
        return date(y, 9, 1) if y else date.today()

    def stage(self, counselor_id: str) -> Stage:
        return stage_of(self.counselor_by_id[counselor_id].start_date, self.stage_date)

    # ----- rules --------------------------------------------------------
    @cached_property
    def musts(self) -> frozenset[PairKey]:
        return frozenset(
            (r.leader_id, r.counselor_id) for r in self.rules if r.kind == RuleKind.MUST
        )

    @cached_property
    def nevers(self) -> frozenset[PairKey]:
        return frozenset(
            (r.leader_id, r.counselor_id) for r in self.rules if r.kind == RuleKind.NEVER
        )

    def rule_reason(self, key: PairKey) -> str:
        for r in self.rules:
            if (r.leader_id, r.counselor_id) == key and r.reason:
                return r.reason
        return ""

    # ----- history ------------------------------------------------------
    @cached_property
    def earlier_cycles(self) -> tuple[str, ...]:
        """Labels of earlier cycles, latest first (rows of the planned cycle are not history)."""
        labels = {h.cycle for h in self.history if h.cycle != self.cycle}
        return tuple(sorted(labels, key=lambda c: (cycle_first_year(c) or 0, c), reverse=True))

    @cached_property
    def repeat_age(self) -> dict[PairKey, int]:
        """For each earlier pair, how many cycles ago it last was (1 = the latest cycle)."""
        age_of = {c: i + 1 for i, c in enumerate(self.earlier_cycles)}
        out: dict[PairKey, int] = {}
        for h in self.history:
            if h.cycle in age_of:
                k = (h.leader_id, h.counselor_id)
                out[k] = min(out.get(k, 10**6), age_of[h.cycle])
        return out

    @cached_property
    def forbidden_repeats(self) -> frozenset[PairKey]:
        """Pairs of the latest ``no_repeat_cycles`` earlier cycles (hard rule 3)."""
        n = self.settings.no_repeat_cycles
        return frozenset(k for k, age in self.repeat_age.items() if age <= n)

    def history_cycle_of(self, key: PairKey) -> str | None:
        """The latest earlier cycle holding ``key``, if any."""
        age = self.repeat_age.get(key)
        return None if age is None else self.earlier_cycles[age - 1]

    @cached_property
    def previous_leaders(self) -> dict[str, tuple[str, ...]]:
        """Counselor id → leader ids in the latest earlier cycle."""
        if not self.earlier_cycles:
            return {}
        last = self.earlier_cycles[0]
        out: dict[str, list[str]] = {}
        for h in self.history:
            if h.cycle == last:
                out.setdefault(h.counselor_id, []).append(h.leader_id)
        return {c: tuple(v) for c, v in out.items()}

    def allowed(self, key: PairKey) -> bool:
        """Whether hard rules 3-4 allow the pair (``must`` beats the repeat rule)."""
        if key in self.nevers:
            return False
        if key in self.musts:
            return True
        return key not in self.forbidden_repeats
