"""The page's state: the data loaded, the current plan, the results of what-if, comparison,
rotation and schedule, and the running job. No web framework here.

One state per server: every browser window on this computer sees and changes the same state
(the page says so). Every change takes :attr:`PageState.lock`, so two windows acting at once
never interleave half-made changes, and only one job runs at a time.

A job's result belongs to what it was started on. Three counters say what changed: new data
moves all three, new rosters (an adopted staff change) the last two, a new or edited plan the
last one. A job records the counter of what it needs (its task's ``needs``); a result that
arrives after that counter moved is discarded with a notice instead of being attached to data
it was not computed for. Loading new data also stops a running job at once.
"""

from __future__ import annotations

import functools
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from models import Problem
from planner.app.assign import AssignOutcome
from planner.app.data import DataSet, Loaded, try_load
from planner.app.plans import make_plan
from planner.app.planview import status_text
from planner.app.rotate import RotationOutcome, rotation_labels
from planner.app.schedule import ScheduleOutcome
from planner.app.uploads import remove_tree
from planner.app.whatif import (
    Change,
    CompareOutcome,
    WhatifOutcome,
    apply_change,
    findings_text,
)
from planner.errors import InputProblem, UserError
from planner.i18n import msg
from planner.web.jobs import (
    AssignTask,
    CompareTask,
    Job,
    JobBase,
    JobError,
    RotateTask,
    ScheduleTask,
    Spawn,
    Task,
    WhatifTask,
)

Key = tuple[str, str]
P = ParamSpec("P")
R = TypeVar("R")

__all__ = ["ROTATION_MAX_CYCLES", "PageState"]

ROTATION_MAX_CYCLES = 5
"""Most cycles the page plans at once (the command line allows more)."""

KEEP = ("cycle", "seed", "time_limit", "wi_limit", "view", "horizon", "rot_cycles", "rot_limit")
"""Form fields kept when new data is loaded (settings typed, not people picked)."""

_NEEDS = {
    "data": ("数据", "the data"),
    "rosters": ("名单", "the rosters"),
    "plan": ("联系对应表", "the plan"),
}


def _locked(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a method of :class:`PageState` holding its lock."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        self = args[0]
        assert isinstance(self, PageState)
        with self.lock:
            return fn(*args, **kwargs)

    return wrapper


@dataclass(eq=False)
class PageState:
    """Everything the page holds for the office.

    ``version`` grows on every change; each browser window redraws when it moves.

    Attributes
    ----------
    data
        The data set read (None before a successful load).
    problem
        The rosters the current plan is made for: the data's, or an adopted what-if's
        (leavers inactive, joiners added).
    keys
        The current plan's pairs, in order (hand edits change them).
    solver_keys
        The pairs as the solver (or the adopted repair, or the uploaded plan) gave them.
    origin
        Where ``solver_keys`` came from: ``solver``, ``repair`` or ``upload``.
    upload
        The folder of the upload the data was read from (deleted when other data replaces it).
    """

    lang: str = "zh"
    spawn: Spawn = Job
    lock: threading.RLock = field(default_factory=threading.RLock)
    tmp: Path | None = None
    version: int = 0
    data_token: int = 0
    roster_token: int = 0
    plan_token: int = 0
    data: DataSet | None = None
    data_path: Path | None = None
    upload: Path | None = None
    source: str = ""
    problems: list[InputProblem] = field(default_factory=list)
    problem: Problem | None = None
    keys: list[Key] = field(default_factory=list)
    solver_keys: list[Key] = field(default_factory=list)
    origin: str = ""
    status_line: str = ""
    findings: list[str] = field(default_factory=list)
    seed: int = 0
    whatif: WhatifOutcome | None = None
    pair_starts: dict[Key, date] = field(default_factory=dict)
    options: list[Change] = field(default_factory=list)
    compared: CompareOutcome | None = None
    rotation: RotationOutcome | None = None
    schedule: ScheduleOutcome | None = None
    job: JobBase | None = None
    job_basis: int = 0
    job_error: JobError | None = None
    message: str = ""
    notice: str = ""
    alert: str = ""
    form: dict[str, Any] = field(default_factory=dict)
    uploads: int = 0

    def t(self, zh: str, en: str) -> str:
        return msg(self.lang, zh, en)

    def touch(self) -> None:
        self.version += 1

    # -- what the page reads ----------------------------------------------------------------
    @property
    def has_plan(self) -> bool:
        return self.problem is not None and bool(self.keys)

    @property
    def edited(self) -> bool:
        return self.keys != self.solver_keys

    @property
    def schedule_stale(self) -> bool:
        """The schedule was built for other pairs than the current plan's."""
        return self.schedule is not None and set(self.schedule.pairs) != set(self.keys)

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    # -- messages ------------------------------------------------------------------------------
    @_locked
    def say(self, text: str) -> None:
        """A message that something was done (green)."""
        self.alert, self.message = "", text
        self.touch()

    @_locked
    def warn(self, text: str) -> None:
        """A message that something failed (red)."""
        self.message, self.alert = "", text
        self.touch()

    @_locked
    def clear_messages(self) -> None:
        self.alert, self.notice, self.message = "", "", ""
        self.job_error = None
        self.touch()

    # -- uploads ---------------------------------------------------------------------------------
    @_locked
    def upload_dir(self) -> Path:
        """A fresh folder for one upload (under a temporary folder made on first use)."""
        if self.tmp is None:
            self.tmp = Path(tempfile.mkdtemp(prefix="planner-web-"))
        self.uploads += 1
        return self.tmp / f"upload-{self.uploads}"

    @_locked
    def close(self) -> None:
        """Stop a running job and delete the uploads (the server is stopping)."""
        self.cancel()
        if self.tmp is not None:
            remove_tree(self.tmp)
            self.tmp = None

    # -- data --------------------------------------------------------------------------------------
    def load(self, path: Path, source: str, cycle: str | None = None) -> Loaded:
        """Read DATA and take it (tests, scripts; the page reads off the event loop, then accepts)."""
        return self.accept(try_load(path, cycle), path, source)

    @_locked
    def accept(self, got: Loaded, path: Path, source: str, upload: Path | None = None) -> Loaded:
        """Take what :func:`planner.app.data.try_load` read from ``path``.

        Good data replaces the old (its plan, what-if, rotation and schedule are dropped, a
        running job is stopped); bad data leaves the old in place and shows its problems.
        ``upload`` is the folder the files were saved in: kept while its data is in use,
        deleted at once when the data was refused.
        """
        self.problems = list(got.problems)
        if got.data is None:
            if upload is not None:
                remove_tree(upload)
            self.touch()
            return got
        self._stop_for_new_data()
        previous = self.upload
        self.data, self.data_path, self.upload, self.source = got.data, path, upload, source
        self.problem = got.data.problem
        if previous is not None and previous != upload:
            remove_tree(previous)
        self._reset_plan()
        self.reset_form()
        self._changed("data")
        return got

    @_locked
    def show_problems(self, problems: Iterable[InputProblem]) -> None:
        """List input problems on the data tab (the data in use stays)."""
        self.problems = list(problems)
        self.touch()

    def _stop_for_new_data(self) -> None:
        job = self.job
        if job is not None and job.running:
            job.cancel()
            self.job = None
            self.notice = self.t(
                f"已载入新数据:原数据上进行中的“{job.task.title('zh')}”已停止,其结果不会用于新数据。",
                f"new data loaded: the running '{job.task.title('en')}' on the old data was stopped; "
                "its result will not be used.",
            )

    def reset_form(self) -> None:
        """Forget the picks that name people (new rosters); keep the settings typed."""
        self.form = {k: v for k, v in self.form.items() if k in KEEP}

    def _changed(self, what: str) -> None:
        """Move the counters of ``what`` (``data``, ``rosters``, ``plan``) and what depends on it."""
        if what == "data":
            self.data_token += 1
        if what in ("data", "rosters"):
            self.roster_token += 1
        self.plan_token += 1
        self.touch()

    def basis(self, needs: str) -> int:
        """The counter a job that ``needs`` the data, the rosters or the plan is tied to."""
        return {"data": self.data_token, "rosters": self.roster_token, "plan": self.plan_token}[
            needs
        ]

    def _reset_plan(self) -> None:
        self.keys, self.solver_keys, self.origin = [], [], ""
        self.status_line, self.findings = "", []
        self.whatif, self.pair_starts = None, {}
        self.options, self.compared = [], None
        self.schedule, self.rotation = None, None

    # -- the plan ------------------------------------------------------------------------------------
    @_locked
    def set_plan(self, keys: Iterable[Key], origin: str, status_line: str = "") -> None:
        """Make ``keys`` the current (unedited) plan."""
        self.keys = list(dict.fromkeys(keys))
        self.solver_keys = list(self.keys)
        self.origin = origin
        self.status_line = status_line
        self.findings = []
        self.whatif, self.compared = None, None
        self._changed("plan")

    @_locked
    def take_uploaded_plan(
        self, keys: Iterable[Key], name: str, token: int, reread: Loaded | None = None
    ) -> None:
        """Make an uploaded plan the plan in force.

        ``token`` is :attr:`data_token` when the upload was read; ``reread`` the DATA read
        again for the plan's own cycle, when it differs from the data's.

        Raises
        ------
        UserError
            When other data was loaded while the plan was being read.
        """
        if token != self.data_token or self.data is None:
            raise UserError(
                "读取联系对应表期间数据已更换,请重新上传联系对应表",
                "the data changed while the plan was read; upload the plan again",
            )
        if reread is not None and reread.data is not None:
            self._stop_for_new_data()
            self.data = reread.data
            self._changed("data")
        self.problem = self.data.problem
        self._reset_plan()
        keys = list(keys)
        self.set_plan(
            keys, "upload", self.t(f"已载入现行联系对应表 {name}。", f"plan {name} loaded.")
        )

    @_locked
    def edit(self, keys: Iterable[Key]) -> None:
        self.keys = list(keys)
        self._changed("plan")

    @_locked
    def undo_edits(self) -> None:
        self.keys = list(self.solver_keys)
        self._changed("plan")

    @_locked
    def adopt_whatif(self) -> None:
        """Make the repaired plan the current one (the what-if's rosters become current)."""
        out = self.whatif
        if out is None or out.result.plan is None:
            raise UserError("还没有可采用的调整方案", "no repaired plan to adopt")
        starts = {(a, b): d for a, b, d in out.starts}
        self.problem = out.applied.problem
        self._changed("rosters")
        self.set_plan([p.key for p in out.result.plan.pairs], "repair", out.summary)
        self.pair_starts.update(starts)
        self.schedule = None
        self.rotation = None  # planned for the rosters before the change
        for k in ("leavers", "c_leavers", "joins_l", "joins_c", "edit_pair", "edit_leader"):
            self.form.pop(k, None)

    # -- options to compare ----------------------------------------------------------------------------
    @_locked
    def add_option(self, change: Change) -> None:
        if change.name in {c.name for c in self.options}:
            raise UserError(
                f"对比列表中已有名为“{change.name}”的方案,请换个名称",
                f"an option named '{change.name}' is already in the comparison",
            )
        self.options.append(change)
        self.touch()

    @_locked
    def drop_option(self, i: int) -> None:
        if 0 <= i < len(self.options):
            self.options.pop(i)
            self.compared = None
            self.touch()

    # -- jobs ------------------------------------------------------------------------------------------
    @_locked
    def start(self, task: Task) -> None:
        """Start ``task`` as the one job (UserError while another runs)."""
        if self.running:
            raise UserError(
                "已有计算在进行中,请等待完成或先取消(所有浏览器窗口共用一个计算)",
                "a computation is already running (shared by every browser window); wait or cancel it",
            )
        self.job_error, self.notice = None, ""
        self.job_basis = self.basis(task.needs)
        self.job = self.spawn(task)
        self.touch()

    def _need_plan(self) -> tuple[DataSet, Problem]:
        if self.data is None or self.problem is None or not self.keys:
            raise UserError("请先生成或上传联系对应表", "make or upload a plan first")
        return self.data, self.problem

    @_locked
    def start_assign(self, seed: int, time_limit: float) -> None:
        if self.data is None:
            raise UserError("请先载入数据", "load data first")
        self.seed = seed
        self.start(AssignTask(self.data, seed, time_limit))

    @_locked
    def start_whatif(self, change: Change, seed: int, time_limit: float, when: date) -> None:
        """Repair the current plan after ``change`` (bad ids are a message now, not a failed job)."""
        _, problem = self._need_plan()
        if change.is_empty():
            raise UserError("请先选择离岗或新到岗人员", "pick leavers or joiners first")
        apply_change(problem, change)
        self.whatif = None
        self.start(WhatifTask(problem, tuple(self.keys), change, when, seed, time_limit, self.lang))

    @_locked
    def start_compare(self, seed: int, time_limit: float) -> None:
        _, problem = self._need_plan()
        if not self.options:
            raise UserError("对比列表是空的,请先加入方案", "add options to compare first")
        self.compared = None
        self.start(
            CompareTask(problem, tuple(self.keys), tuple(self.options), seed, time_limit, self.lang)
        )

    @_locked
    def start_rotation(self, cycles: int, seed: int, time_limit: float) -> None:
        """Plan ``cycles`` cycles from the current rosters (the data's, or an adopted what-if's)."""
        if self.data is None or self.problem is None:
            raise UserError("请先载入数据", "load data first")
        rotation_labels(self.problem, cycles, ROTATION_MAX_CYCLES)
        self.rotation = None
        self.start(RotateTask(self.problem, cycles, seed, time_limit, self.lang))

    @_locked
    def start_schedule(self) -> None:
        data, problem = self._need_plan()
        keys = set(self.keys)
        starts = {k: d for k, d in self.pair_starts.items() if k in keys}
        plan = make_plan(problem, self.keys)
        self.start(ScheduleTask(data, plan, problem, starts or None, self.seed))

    @_locked
    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.job = None
            self.message = self.t("已取消计算。", "computation cancelled.")
            self.touch()

    @_locked
    def poll(self) -> bool:
        """Collect the running job's messages; take its result once it ends.

        Returns True when something changed that the page should redraw.
        """
        job = self.job
        if job is None or not job.poll():
            return False
        self.job = None
        if job.state == "done":
            if self.basis(job.task.needs) == self.job_basis:
                self.take(job.result)
            else:
                zh, en = _NEEDS[job.task.needs]
                self.notice = self.t(
                    f"“{job.task.title('zh')}”的结果已舍弃:计算期间{zh}已改动,请重新计算。",
                    f"the result of '{job.task.title('en')}' was discarded: {en} changed "
                    "while it ran; run it again.",
                )
        elif job.state == "error":
            self.job_error = job.error
        self.touch()
        return True

    # -- results, one method per result type -------------------------------------------------------------
    @functools.singledispatchmethod
    def take(self, result: object) -> None:
        """Attach a finished job's result (dispatched on its type)."""
        raise TypeError(f"no page state for a result of type {type(result).__name__}")

    @take.register
    def _take_assign(self, result: AssignOutcome) -> None:
        if result.plan is None:
            self._reset_plan()
            self.findings = findings_text(result.findings, self.lang) or [
                self.t("时限内未找到方案,请延长时限。", "no plan within the time limit.")
            ]
            self.status_line = self.t(
                "无法生成满足全部规定的联系对应表:", "no plan satisfies the hard rules:"
            )
            self._changed("plan")
            return
        assert self.data is not None
        if self.problem is not self.data.problem:
            self.problem = self.data.problem
            self._changed("rosters")
        self._reset_plan()
        keys = [p.key for p in result.plan.pairs]
        self.set_plan(keys, "solver", status_text(result.status, result.seconds, self.lang))

    @take.register
    def _take_whatif(self, result: WhatifOutcome) -> None:
        self.whatif = result

    @take.register
    def _take_compare(self, result: CompareOutcome) -> None:
        self.compared = result

    @take.register
    def _take_rotation(self, result: RotationOutcome) -> None:
        self.rotation = result

    @take.register
    def _take_schedule(self, result: ScheduleOutcome) -> None:
        self.schedule = result
