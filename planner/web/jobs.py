"""Long solves in a child process: progress messages, one result, and a real cancel.

CP-SAT cannot be interrupted from Python once a solve has started, so every solve of the
page runs in its own process; *cancel* ends that process at once and the page stays as it
was. Each kind of job is a task object that calls its :mod:`planner.app` use case — the same
function the command line calls — and returns that use case's result object:

=============== ========================================= =========================
task            use case                                  result
=============== ========================================= =========================
AssignTask      :func:`planner.app.assign.assign`         ``AssignOutcome``
WhatifTask      :func:`planner.app.whatif.whatif`         ``WhatifOutcome``
CompareTask     :func:`planner.app.whatif.compare`        ``CompareOutcome``
RotateTask      :func:`planner.app.rotate.rotate`         ``RotationOutcome``
ScheduleTask    :func:`planner.app.schedule.schedule`     ``ScheduleOutcome``
=============== ========================================= =========================

A task also says what part of the page's state its result depends on (``needs``: the data,
the rosters or the plan), so the page can discard a result whose basis changed meanwhile.
Progress comes back through a queue as short step names; the result (or the error, already
worded for the office) comes back the same way. On POSIX the processes fork from a
``forkserver`` that has the solver imported (fast start); Windows uses ``spawn``.

Nothing here imports the web framework.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue as _queue
import sys
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.context import BaseContext
from typing import Any, ClassVar, Protocol

from models import Plan, Problem
from planner.app.assign import AssignOutcome, assign
from planner.app.data import DataSet
from planner.app.rotate import RotationOutcome, rotate
from planner.app.schedule import ScheduleOutcome, schedule
from planner.app.whatif import Change, CompareOutcome, WhatifOutcome, compare, whatif
from planner.errors import InputError, InputProblem, SolverBug
from planner.i18n import msg

Progress = Callable[[str], None]
Key = tuple[str, str]

__all__ = [
    "AssignTask",
    "CompareTask",
    "FailTask",
    "InlineJob",
    "Job",
    "JobBase",
    "JobError",
    "RotateTask",
    "ScheduleTask",
    "SleepTask",
    "Spawn",
    "Task",
    "WhatifTask",
    "job_context",
    "run_task",
    "warm_up",
]


class Task(Protocol):
    """One job's work: picklable (it crosses into the child process), run there."""

    kind: ClassVar[str]
    needs: ClassVar[str]

    def title(self, lang: str) -> str: ...

    def run(self, progress: Progress) -> Any: ...


# ----- the tasks (each runs in the child) --------------------------------------------------------
@dataclass(frozen=True)
class AssignTask:
    """Precheck, solve and independently validate the pairing of ``data``."""

    data: DataSet
    seed: int = 0
    time_limit: float = 60.0
    kind: ClassVar[str] = "assign"
    needs: ClassVar[str] = "data"

    def title(self, lang: str) -> str:
        return msg(lang, "求解联系对应表", "solving the pairing")

    def run(self, progress: Progress) -> AssignOutcome:
        return assign(self.data, seed=self.seed, time_limit=self.time_limit, progress=progress)


@dataclass(frozen=True)
class WhatifTask:
    """Repair ``old`` after ``change`` with the fewest moves (``planner whatif``)."""

    problem: Problem
    old: tuple[Key, ...]
    change: Change
    when: date
    seed: int = 0
    time_limit: float = 60.0
    lang: str = "zh"
    kind: ClassVar[str] = "whatif"
    needs: ClassVar[str] = "plan"

    def title(self, lang: str) -> str:
        return msg(lang, "计算调整方案", "repairing the plan")

    def run(self, progress: Progress) -> WhatifOutcome:
        return whatif(
            self.problem,
            list(self.old),
            self.change,
            when=self.when,
            seed=self.seed,
            time_limit=self.time_limit,
            lang=self.lang,
            progress=progress,
        )


@dataclass(frozen=True)
class CompareTask:
    """Repair ``old`` under each option, side by side (``planner compare``)."""

    problem: Problem
    old: tuple[Key, ...]
    changes: tuple[Change, ...]
    seed: int = 0
    time_limit: float = 60.0
    lang: str = "zh"
    kind: ClassVar[str] = "compare"
    needs: ClassVar[str] = "plan"

    def title(self, lang: str) -> str:
        return msg(lang, "对比方案", "comparing options")

    def run(self, progress: Progress) -> CompareOutcome:
        return compare(
            self.problem,
            list(self.old),
            list(self.changes),
            seed=self.seed,
            time_limit=self.time_limit,
            lang=self.lang,
            progress=progress,
        )


@dataclass(frozen=True)
class RotateTask:
    """Plan the next ``cycles`` cycles jointly beside cycle by cycle (``planner rotate``)."""

    problem: Problem
    cycles: int
    seed: int = 0
    time_limit: float = 60.0
    lang: str = "zh"
    kind: ClassVar[str] = "rotate"
    needs: ClassVar[str] = "rosters"

    def title(self, lang: str) -> str:
        return msg(lang, "多周期轮换", "rotation over cycles")

    def run(self, progress: Progress) -> RotationOutcome:
        return rotate(
            self.problem,
            self.cycles,
            seed=self.seed,
            time_limit=self.time_limit,
            lang=self.lang,
            progress=progress,
        )


@dataclass(frozen=True)
class ScheduleTask:
    """The plan's calendar, checked by the independent schedule validator (``planner schedule``)."""

    data: DataSet
    plan: Plan
    problem: Problem
    pair_starts: Mapping[Key, date] | None = None
    seed: int = 0
    kind: ClassVar[str] = "schedule"
    needs: ClassVar[str] = "plan"

    def title(self, lang: str) -> str:
        return msg(lang, "生成日程", "building the schedule")

    def run(self, progress: Progress) -> ScheduleOutcome:
        return schedule(
            self.data,
            self.plan,
            problem=self.problem,
            seed=self.seed,
            pair_starts=self.pair_starts,
            workers=1,
            progress=progress,
        )


@dataclass(frozen=True)
class SleepTask:
    """A stand-in job for tests of cancel and progress: sleeps, reporting each second."""

    seconds: float
    kind: ClassVar[str] = "sleep"
    needs: ClassVar[str] = "data"

    def title(self, lang: str) -> str:
        return msg(lang, "等待", "waiting")

    def run(self, progress: Progress) -> str:
        end = time.monotonic() + self.seconds
        n = 0
        while time.monotonic() < end:
            progress(f"tick {n}")
            n += 1
            time.sleep(min(1.0, max(0.0, end - time.monotonic())))
        return "slept"


@dataclass(frozen=True)
class FailTask:
    """A job that fails (tests): ``input`` raises InputError, ``bug`` a SolverBug, else a crash."""

    how: str
    kind: ClassVar[str] = "fail"
    needs: ClassVar[str] = "data"

    def title(self, lang: str) -> str:
        return msg(lang, "失败的计算", "a failing job")

    def run(self, progress: Progress) -> None:
        if self.how == "input":
            raise InputError([InputProblem("x.csv", "坏值", "bad value", row=3, column="工号")])
        if self.how == "bug":
            raise SolverBug("talk of L1/c1 on a Sunday")
        raise RuntimeError("boom")


# ----- running a task -------------------------------------------------------------------------------
@dataclass
class JobError:
    """Why a job failed, worded for the office; ``problems`` for bad input."""

    zh: str
    en: str
    problems: list[InputProblem] = field(default_factory=list)

    def render(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def run_task(task: Task, progress: Progress) -> tuple[str, Any]:
    """Run ``task``: ``("done", result)`` or ``("error", JobError)`` (what the child sends).

    A :class:`SolverBug` (the independent validator rejected the solver's result) is an
    internal error naming the failed check; any other crash is worded for the office, with
    the traceback printed to the server's console for a bug report, never to the page.
    """
    try:
        return "done", task.run(progress)
    except InputError as exc:
        return "error", JobError(
            f"输入有 {len(exc.problems)} 处问题,请修改后重试。",
            f"{len(exc.problems)} problem(s) in the input; fix and retry.",
            list(exc.problems),
        )
    except SolverBug as exc:
        traceback.print_exc(file=sys.stderr)
        return "error", JobError(
            f"内部错误:独立校验未通过,结果未采用(请报告此问题):{exc}",
            f"internal error: the independent validator rejected the result, which was not used (please report): {exc}",
        )
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return "error", JobError(
            f"计算未能完成:{exc}(详细信息见启动窗口)",
            f"the computation failed: {exc} (details in the console window)",
        )


def _child(q: Any, task: Task) -> None:
    def progress(step: str) -> None:
        q.put(("progress", str(step)))

    q.put(run_task(task, progress))


_CONTEXT: BaseContext | None = None


def job_context() -> BaseContext:
    """``forkserver`` (solver preloaded) where available, else ``spawn`` (Windows)."""
    global _CONTEXT
    if _CONTEXT is None:
        if "forkserver" in mp.get_all_start_methods() and os.name != "nt":
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(["planner.web.jobs"])
            _CONTEXT = ctx
        else:
            _CONTEXT = mp.get_context("spawn")
    return _CONTEXT


def warm_up() -> None:
    """Start the forkserver now, so it has the solver imported before the office's first solve.

    Called when the server starts; without it the first job pays for the imports (seconds).
    """
    ctx = job_context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class JobBase:
    """What the page reads of a job, whichever way it runs."""

    task: Task
    state: str
    steps: list[str]
    result: Any
    error: JobError | None
    started: float
    ended: float | None

    def _begin(self, task: Task) -> None:
        self.task = task
        self.state = "running"
        self.steps = []
        self.result = None
        self.error = None
        self.started = time.monotonic()
        self.ended = None

    @property
    def kind(self) -> str:
        return self.task.kind

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def elapsed(self) -> float:
        """Seconds since the start (until the end, once ended)."""
        return (self.ended or time.monotonic()) - self.started

    @property
    def step(self) -> str:
        """The latest progress step ('' before the first)."""
        return self.steps[-1] if self.steps else ""

    def poll(self) -> bool:
        """Collect messages; True once the job has ended (done, error or cancelled)."""
        raise NotImplementedError

    def cancel(self) -> None:
        """Stop the job; its state becomes ``cancelled``."""
        raise NotImplementedError

    def wait(self, timeout: float = 60.0) -> bool:
        """Poll until the job ends or ``timeout`` passes (tests and scripts)."""
        end = time.monotonic() + timeout
        while not self.poll():
            if time.monotonic() > end:
                return False
            time.sleep(0.05)
        return True


class Job(JobBase):
    """One task running in a child process.

    Call :meth:`poll` regularly (the page does, four times a second): it collects the
    progress steps and, once, the result or the error. :meth:`cancel` ends the process.

    Attributes
    ----------
    task
        What runs (its ``kind``, ``needs`` and ``title``).
    state
        ``running``, ``done``, ``error`` or ``cancelled``.
    steps
        Progress steps received so far, in order.
    """

    def __init__(self, task: Task) -> None:
        ctx = job_context()
        self._begin(task)
        self._queue: Any = ctx.Queue()
        self._process: Any = ctx.Process(  # type: ignore[attr-defined]
            target=_child, args=(self._queue, task), daemon=True
        )
        self._process.start()

    def _drain(self) -> None:
        while self.running:
            try:
                kind, payload = self._queue.get_nowait()
            except _queue.Empty:
                return
            except (EOFError, OSError):
                return
            if kind == "progress":
                self.steps.append(payload)
            elif kind == "done":
                self.result = payload
                self._finish("done")
            else:
                self.error = payload
                self._finish("error")

    def _finish(self, state: str) -> None:
        self.state = state
        self.ended = time.monotonic()
        self._process.join(timeout=5)
        if self._process.is_alive():  # pragma: no cover - a child that will not exit
            self._process.kill()
            self._process.join(timeout=5)
        self._queue.close()

    def poll(self) -> bool:
        if not self.running:
            return True
        self._drain()
        if self.running and not self._process.is_alive():
            self._drain()  # everything the child sent is in the pipe by now
            if self.running:
                code = self._process.exitcode
                self.error = JobError(
                    f"计算进程意外退出(代码 {code}),请重试。",
                    f"the computation stopped unexpectedly (exit code {code}); retry.",
                )
                self._finish("error")
        return not self.running

    def cancel(self) -> None:
        """End the child process now; the job's state becomes ``cancelled``."""
        if not self.running:
            return
        self._process.kill()
        self._process.join(timeout=5)
        self.state = "cancelled"
        self.ended = time.monotonic()
        self._queue.close()


class InlineJob(JobBase):
    """A task run in this process at its first :meth:`poll` (tests, notebooks).

    Same interface as :class:`Job` and the same :func:`run_task`, but no child process: it
    cannot be cancelled once it runs, and it sees this process's state (a test's monkeypatch
    included).
    """

    def __init__(self, task: Task) -> None:
        self._begin(task)

    def poll(self) -> bool:
        if self.running:
            state, payload = run_task(self.task, self.steps.append)
            if state == "done":
                self.result = payload
            else:
                self.error = payload
            self.state = state
            self.ended = time.monotonic()
        return True

    def cancel(self) -> None:
        if self.running:
            self.state = "cancelled"
            self.ended = time.monotonic()


Spawn = Callable[[Task], JobBase]
"""How the page starts a job: :class:`Job` (a child process) or :class:`InlineJob`."""
