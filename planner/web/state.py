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
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from models import Problem
from planner.app.assign import AssignOutcome
from planner.app.data import DataSet, Loaded, calendar_of, try_load
from planner.app.plans import make_plan
from planner.app.planview import status_text
from planner.app.records import PlanInForce
from planner.app.rotate import RotationOutcome, rotation_labels
from planner.app.schedule import ScheduleOutcome, schedule_from_rows, schedule_table
from planner.app.uploads import remove_tree
from planner.app.whatif import (
    Change,
    CompareOutcome,
    WhatifOutcome,
    apply_change,
    findings_text,
)
from planner.app.workspace import (
    STATUS_FOLDER,
    ImportResult,
    PlanOrigin,
    PlanStatus,
    PlanVersion,
    Workspace,
    records_in,
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

__all__ = ["ROTATION_MAX_CYCLES", "PageState", "Pending"]

BY_PAGE = "网页"
"""Who a change made on the page is recorded as (the workspace keeps it with the version)."""

SYNC_SECONDS = 2.0
"""How often a window asks the workspace whether another process wrote to it."""

_ORIGIN = {
    PlanOrigin.SOLVER: "solver",
    PlanOrigin.REPAIR: "repair",
    PlanOrigin.UPLOAD: "upload",
    PlanOrigin.IMPORT: "upload",
    PlanOrigin.HAND_EDIT: "edit",
}


@dataclass
class Pending:
    """An upload read and waiting for the office's answer: a new roster version, or only its
    records merged into the workspace."""

    got: Loaded
    path: Path
    source: str
    upload: Path | None
    has_records: bool


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
    ws: Workspace | None = None
    plan_id: int | None = None
    versions: list[PlanVersion] = field(default_factory=list)
    steps: int = 0
    schedule_id: int | None = None
    saved_at: datetime | None = None
    pending: Pending | None = None
    last_import: ImportResult | None = None
    ws_rev: tuple[object, ...] = ()
    ws_data_version: int | None = None
    ws_checked: float = 0.0
    ws_folders: int = 0
    ws_tmp: Path | None = None

    @classmethod
    def on_workspace(cls, folder: Path | None, lang: str = "zh", spawn: Spawn = Job) -> PageState:
        """The page's state kept in the workspace ``folder`` (None: the per-user default),
        loaded from it: the latest data version, every plan version, the plan worked on,
        its schedule and the records.

        Raises
        ------
        WorkspaceError
            When the workspace cannot be opened (the message names the folder).
        """
        state = cls(lang=lang, spawn=spawn, ws=Workspace(folder))
        state.reload()
        return state

    def t(self, zh: str, en: str) -> str:
        return msg(self.lang, zh, en)

    def touch(self) -> None:
        self.version += 1

    # -- the workspace ---------------------------------------------------------------------------
    @property
    def draft(self) -> bool:
        """The plan worked on is a draft (hand edits change it in place)."""
        v = self.current_version
        return v is None or v.status == PlanStatus.DRAFT

    @property
    def current_version(self) -> PlanVersion | None:
        return next((v for v in self.versions if v.id == self.plan_id), None)

    def saved_text(self) -> str:
        """保存于 HH:MM — when the page last wrote to the workspace."""
        if self.saved_at is None:
            return ""
        hm = self.saved_at.strftime("%H:%M")
        return self.t(f"已保存 {hm}", f"saved {hm}")

    def _saved(self) -> None:
        """After a write (one transaction, on disk): say so, and take the state from the
        workspace again, so every window shows what is kept."""
        self.saved_at = datetime.now()
        self.reload()

    def _ws_folder(self) -> Path:
        """A fresh folder for the workspace's DATA written out (the previous one is removed
        once the new one is in use; all of them when the server stops)."""
        if self.ws_tmp is None:
            self.ws_tmp = Path(tempfile.mkdtemp(prefix="planner-workspace-"))
        self.ws_folders += 1
        return self.ws_tmp / f"workspace-data-{self.ws_folders}"

    @_locked
    def reload(self) -> None:
        """Take everything from the workspace: the DATA in force (rosters of the latest
        version, every records table), the plan versions, the plan worked on (the one picked,
        else the latest of the data's cycle), its hand-edit steps and its schedule."""
        ws = self.ws
        if ws is None:
            return
        self.ws_rev = ws.revision()
        self.ws_checked = time.monotonic()
        if not ws.has_data():
            self.versions = ws.plans()
            self.touch()
            return
        previous = self.data_path
        folder = self._ws_folder()
        data = ws.write_data(folder)
        version = ws.data_version_id()
        new_version = version != self.ws_data_version
        self.data, self.data_path, self.source = data, folder, ws.data_note() or "工作区"
        if previous is not None and previous != folder and previous.name.startswith("workspace-"):
            remove_tree(previous)
        if new_version:
            self._stop_for_new_data()
            self.ws_data_version = version
            self.problem = data.problem
            self.reset_form()
            self._changed("data")
        else:
            self.problem = data.problem
        self.versions = ws.plans()
        self._take_version(self.plan_id)
        self.touch()

    def _fits(self, v: PlanVersion) -> bool:
        """Whether most of a version's pairs name people on the rosters in force: a plan made
        for other rosters (another college's workbook imported as a new version) is not shown
        as the current one; it stays in the version list and can be picked."""
        p = self.problem
        if p is None or not v.pairs:
            return True
        known = sum(1 for a, b in v.pairs if a in p.leader_by_id and b in p.counselor_by_id)
        return 2 * known >= len(v.pairs)

    def _take_version(self, wanted: int | None, *, picked: bool = False) -> None:
        """Show plan version ``wanted`` (else the latest of the data's cycle); unless the
        office ``picked`` it, only a version that fits the rosters (:meth:`_fits`)."""
        ws, p = self.ws, self.problem
        assert ws is not None and p is not None
        ids = {v.id for v in self.versions if picked or self._fits(v)}
        if wanted not in ids:
            of_cycle = [v for v in self.versions if v.cycle == p.cycle and v.id in ids]
            wanted = of_cycle[-1].id if of_cycle else None
        if wanted is None:
            if self.plan_id is not None or self.keys:
                self.plan_id = None
                self._reset_plan()
                self._changed("plan")
            self.steps = 0
            return
        v = next(x for x in self.versions if x.id == wanted)
        keys = list(v.pairs)
        draft = v.status == PlanStatus.DRAFT
        solver = ws.original_pairs(v.id) if draft else keys
        changed = wanted != self.plan_id or keys != self.keys or solver != self.solver_keys
        self.plan_id = wanted
        self.steps = ws.edit_steps(v.id) if draft else 0
        if changed:
            self.keys, self.solver_keys = keys, solver
            self.origin = _ORIGIN.get(v.origin, "solver")
            self.status_line = self.version_label(v)
            self.findings = []
            self.pair_starts = self._starts_of(v)
            self._changed("plan")
        self._take_schedule_of(v)

    def _starts_of(self, v: PlanVersion) -> dict[Key, date]:
        """A repair's added pairs start on the change's date (their 规划发展 is due from it)."""
        change = v.change if isinstance(v.change, dict) else {}
        day = change.get("date")
        if v.origin != PlanOrigin.REPAIR or not isinstance(day, str) or v.parent_id is None:
            return {}
        parent = next((x for x in self.versions if x.id == v.parent_id), None)
        old = set(parent.pairs) if parent else set()
        when = date.fromisoformat(day)
        return {k: when for k in v.pairs if k not in old}

    def _take_schedule_of(self, v: PlanVersion) -> None:
        ws, data, p = self.ws, self.data, self.problem
        assert ws is not None and data is not None and p is not None
        got = ws.schedule_rows(v.id)
        if got is None:
            self.schedule = None
            return
        sid = ws.schedule_id(v.id)
        if self.schedule is not None and self.schedule_id == sid:
            return
        self.schedule = schedule_from_rows(data, p, got[0], got[1], ws.schedule_extra(v.id))
        self.schedule_id = sid

    def version_label(self, v: PlanVersion) -> str:
        """方案版本 3 · 已采用(2027-03-01 起)…"""
        status = STATUS_FOLDER[v.status]
        parts = [self.t(f"方案版本 {v.id} · {status}", f"plan version {v.id} · {v.status.value}")]
        if v.adopted_on:
            parts.append(self.t(f"{v.adopted_on} 起施行", f"in force from {v.adopted_on}"))
        if v.approved_on:
            parts.append(self.t(f"{v.approved_on} 审定", f"approved {v.approved_on}"))
        return " · ".join(parts)

    def sync_due(self) -> bool:
        """Whether :meth:`sync_workspace` would look at the workspace now."""
        return self.ws is not None and time.monotonic() - self.ws_checked >= SYNC_SECONDS

    @_locked
    def sync_workspace(self, force: bool = False) -> bool:
        """Take the workspace again when another process wrote to it (checked at most every
        :data:`SYNC_SECONDS`). Returns True when it did."""
        if self.ws is None:
            return False
        now = time.monotonic()
        if not force and now - self.ws_checked < SYNC_SECONDS:
            return False
        self.ws_checked = now
        if self.ws.revision() == self.ws_rev:
            return False
        known = {v.id for v in self.versions}
        self.reload()
        # A version made elsewhere (another window's process) is the one worked on now.
        p = self.problem
        new = [v.id for v in self.versions if v.id not in known and p and v.cycle == p.cycle]
        if new and self.plan_id != max(new):
            self._take_version(max(new))
            self.touch()
        return True

    @_locked
    def pick_version(self, version: int) -> None:
        """Work on plan version ``version`` (shown, scheduled, downloaded)."""
        if version not in {v.id for v in self.versions}:
            raise UserError(f"没有方案版本 {version}", f"no plan version {version}")
        if version == self.plan_id:
            return  # the list drawn again, not a new pick
        self.whatif, self.compared = None, None
        self._take_version(version, picked=True)
        self.touch()

    def _cycle_start(self) -> date | None:
        if self.data is None or self.problem is None:
            return None
        try:
            return calendar_of(self.data, self.problem).cycle_start
        except Exception:  # a calendar the schedule itself will refuse, with its message
            return None

    def cycle_start_passed(self, today: date | None = None) -> date | None:
        """The cycle's first day when it lies before ``today`` (the schedule would start with
        items already overdue), else None."""
        start = self._cycle_start()
        today = today or date.today()
        return start if start is not None and start < today else None

    def plans_in_force(self, start: date, end: date) -> list[PlanInForce]:
        """The adopted plan versions in force at some day of [start, end], each with its
        days, so status and report count a record against the plan in force on its date.
        Empty (the page's plan counts alone) until a version of the data's cycle is adopted."""
        ws, problem = self.ws, self.problem
        if ws is None or problem is None:
            return []
        # No state lock: the page draws status with this, and must not wait on the event
        # loop for a save running in a thread (the store serialises its own reads).
        plans = ws.plans_in_force(problem, start, end)
        if not any(p.cycle == problem.cycle for p in plans):
            return []
        return plans

    @_locked
    def adopt(self, on: date, by: str = BY_PAGE) -> None:
        """采用 the plan worked on: in force from ``on``."""
        if self.ws is None or self.plan_id is None:
            raise UserError("请先生成或上传联系对应表", "make or upload a plan first")
        self.ws.adopt(self.plan_id, on, by)
        self.say(self.t(f"方案版本 {self.plan_id} 已采用,自 {on} 起施行。", f"adopted from {on}."))
        self._saved()

    @_locked
    def approve(self, on: date, by: str = "领导小组") -> None:
        """已审定: the leading group approved the adopted plan on ``on``."""
        if self.ws is None or self.plan_id is None:
            raise UserError("请先生成或上传联系对应表", "make or upload a plan first")
        self.ws.approve(self.plan_id, on, by)
        self.say(self.t(f"方案版本 {self.plan_id} 已审定({on})。", f"approved on {on}."))
        self._saved()

    @_locked
    def add_record(self, row: Mapping[str, object], table: str = "records") -> ImportResult:
        """A record entered on the page, validated as a records table of DATA, kept at once.

        Raises
        ------
        InputError
            For a value the records table would refuse (nothing is kept then).
        """
        if self.ws is None:
            raise UserError("网页未连接工作区", "the page has no workspace")
        got = self.ws.add_records(table, [row])
        if got.duplicates:
            self.warn(
                self.t(
                    "这条记录与工作区已有记录重复,未重复保存。",
                    "this record is already kept; not saved again.",
                )
            )
        else:
            self.say(self.t("联系记录已保存。", "record saved."))
        self._saved()
        return got

    @_locked
    def resolve_pending(self, kind: str) -> ImportResult:
        """Answer the pending upload: ``roster`` (a new version of the rosters, rules,
        settings and calendar; its records merged) or ``records`` (only its records merged).
        Plans, hand edits, schedules and records already kept stay."""
        pend, ws = self.pending, self.ws
        if pend is None or ws is None or pend.got.data is None:
            raise UserError("没有等待处理的上传", "no upload is waiting")
        self.pending = None
        try:
            if kind == "roster":
                got = ws.import_data(pend.got.data, by=BY_PAGE, source=Path(pend.source))
            elif kind == "records":
                got = ws.merge_records(pend.got.data)
            else:
                raise ValueError(kind)
        finally:
            if pend.upload is not None:
                remove_tree(pend.upload)
        self.last_import = got
        self.say(self._import_text(got, pend.source))
        self._saved()
        return got

    @_locked
    def drop_pending(self) -> None:
        pend = self.pending
        self.pending = None
        if pend is not None and pend.upload is not None:
            remove_tree(pend.upload)
        self.touch()

    def _import_text(self, got: ImportResult, source: str) -> str:
        n_add = sum(got.added.values())
        n_dup = sum(len(v) for v in got.duplicates.values())
        return self.t(
            f"已保存“{source}”:名单版本 {got.data_version};新增记录 {n_add} 行"
            + (f",重复 {n_dup} 行未重复导入" if n_dup else "")
            + "。已有的方案、手工调整与日程保持不变。",
            f"'{source}' kept: data version {got.data_version}; {n_add} record row(s) added"
            + (f", {n_dup} duplicate(s) skipped" if n_dup else "")
            + "; plans, edits and schedules stay.",
        )

    def _new_plan(self, keys: Iterable[Key], origin: PlanOrigin, **kw: Any) -> int:
        assert self.ws is not None and self.problem is not None
        vid = self.ws.add_plan(make_plan(self.problem, keys), origin, by=BY_PAGE, **kw)
        self.plan_id = vid
        return vid

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
        if self.ws_tmp is not None:
            remove_tree(self.ws_tmp)
            self.ws_tmp = None
        if self.ws is not None:
            self.ws.close()

    # -- data --------------------------------------------------------------------------------------
    def load(
        self, path: Path, source: str, cycle: str | None = None, mode: str | None = None
    ) -> Loaded:
        """Read DATA and take it (tests, scripts; the page reads off the event loop, then accepts).

        ``mode`` answers the workspace's question for data after the first: ``roster`` or
        ``records`` (None: leave it pending for the office to answer)."""
        return self.accept(try_load(path, cycle), path, source, mode=mode)

    @_locked
    def accept(
        self,
        got: Loaded,
        path: Path,
        source: str,
        upload: Path | None = None,
        mode: str | None = None,
    ) -> Loaded:
        """Take what :func:`planner.app.data.try_load` read from ``path``.

        Good data replaces the old (its plan, what-if, rotation and schedule are dropped, a
        running job is stopped); bad data leaves the old in place and shows its problems.
        ``upload`` is the folder the files were saved in: kept while its data is in use,
        deleted at once when the data was refused.

        On a workspace the data is kept in it instead (:meth:`resolve_pending`): plans,
        hand edits, schedules and records already kept stay.
        """
        self.problems = list(got.problems)
        if got.data is None:
            if upload is not None:
                remove_tree(upload)
            self.touch()
            return got
        if self.ws is not None:
            # Kept in the workspace: the first data at once; later data only when the office
            # says whether it is a new roster version or records to merge (never a wipe).
            has_records = bool(records_in(got.data))
            self.drop_pending()
            self.pending = Pending(got, path, source, upload, has_records)
            if not self.ws.has_data():
                self.resolve_pending("roster")
            elif mode is not None:
                self.resolve_pending(mode)
            else:
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
        if self.ws is not None:
            self._new_plan(keys, PlanOrigin.UPLOAD, run_record={"file": name})
            self._saved()

    @_locked
    def edit(self, keys: Iterable[Key], step: Mapping[str, Any] | None = None) -> None:
        """A hand edit: the new pairs, and what was done (a step of the undo log).

        On a workspace the edit is kept at once; editing a plan already adopted makes a new
        draft version of it first (an adopted plan never changes)."""
        keys = list(keys)
        if self.ws is not None and self.plan_id is not None:
            if not self.draft:
                self._new_plan(self.keys, PlanOrigin.HAND_EDIT, parent=self.plan_id)
            self.ws.edit(self.plan_id, keys, dict(step or {"kind": "edit"}))
            self._saved()
            return
        self.keys = keys
        self._changed("plan")

    @_locked
    def undo_step(self) -> None:
        """Undo the last hand edit (one step)."""
        if self.ws is not None and self.plan_id is not None:
            if self.ws.undo(self.plan_id) is None:
                raise UserError("没有可撤销的手工调整", "no hand edit to undo")
            self._saved()
            return
        self.undo_edits()

    @_locked
    def undo_edits(self) -> None:
        """Undo every hand edit of the plan worked on."""
        if self.ws is not None and self.plan_id is not None:
            while self.ws.undo(self.plan_id) is not None:
                pass
            self._saved()
            return
        self.keys = list(self.solver_keys)
        self._changed("plan")

    @_locked
    def adopt_whatif(self) -> None:
        """Make the repaired plan the current one (the what-if's rosters become current)."""
        out = self.whatif
        if out is None or out.result.plan is None:
            raise UserError("还没有可采用的调整方案", "no repaired plan to adopt")
        if self.ws is not None:
            # Kept: the rosters change (leavers 离岗 from the date, joiners added) and the
            # repaired plan is in force from the change's date.
            vid = self.ws.adopt_repair(out, parent=self.plan_id, on=out.start, by=BY_PAGE)
            self.plan_id = vid
            self.whatif = None
            for k in ("leavers", "c_leavers", "joins_l", "joins_c", "edit_pair", "edit_leader"):
                self.form.pop(k, None)
            self.say(
                self.t(
                    f"已采用调整方案(方案版本 {vid}),自 {out.start} 起施行;名单已按变动更新。",
                    f"repair adopted (version {vid}) from {out.start}; rosters updated.",
                )
            )
            self._saved()
            return
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
    def start_schedule(self, past_ok: bool = False, today: date | None = None) -> None:
        """Lay the plan's schedule; a cycle whose start has passed (before ``today``) is
        refused until the office confirms it (``past_ok``): its first items would be overdue
        on day one."""
        data, problem = self._need_plan()
        passed = self.cycle_start_passed(today)
        if passed is not None and not past_ok:
            raise UserError(
                f"本周期的开始日期 {passed} 已经过去:按此排出的日程,开头的事项一开始就是逾期。"
                "请在校历(calendar.toml 的 cycle_start)中写明周期开始日期后重新导入,"
                "或勾选“仍按此开始日期排日程”。",
                f"the cycle's start {passed} has passed: the first items would be overdue at "
                "once. Set cycle_start in the calendar and import again, or tick 'schedule "
                "from this start anyway'.",
            )
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
        line = status_text(result.status, result.seconds, self.lang)
        self.set_plan(keys, "solver", line)
        if self.ws is not None:
            self._new_plan(keys, PlanOrigin.SOLVER, run_record={"seed": self.seed})
            self._saved()
            v = self.current_version
            if v is not None:
                self.status_line = f"{line} · {self.version_label(v)}"

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
        if self.ws is not None and self.plan_id is not None and self.problem is not None:
            cols, rows, extra = schedule_table(self.problem, result)
            self.schedule_id = self.ws.save_schedule(
                self.plan_id, rows, cols, by=BY_PAGE, extra=extra
            )
            self.say(self.t("日程已生成并保存。", "schedule built and saved."))
            # Only the schedule changed: no need to read the DATA back (this runs on the
            # page's event loop, which a long pause would cut off from the browser).
            self.saved_at = datetime.now()
            self.ws_rev = self.ws.revision()
            self.ws_checked = time.monotonic()
