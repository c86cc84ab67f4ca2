"""Long solves in a child process: progress messages, one result, and a real cancel.

CP-SAT cannot be interrupted from Python once a solve has started, so every solve of
the page (assign, what-if repair, comparing options, rotation, scheduling) runs in its own
process; *cancel* ends that process at once and the page stays as it was. Progress
comes back through a queue as short step names; the result (or the error, already
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.context import BaseContext
from typing import Any

from models import Plan, Problem
from planner.errors import InputError, InputProblem

Progress = Callable[[str], None]


# ----- tasks (run in the child) ---------------------------------------------------------------
def task_assign(data: Any, seed: int, time_limit: float, *, progress: Progress) -> Any:
    """:func:`planner.app.assign.assign` (precheck, solve, independent validation)."""
    from planner.app.assign import assign

    return assign(data, seed=seed, time_limit=time_limit, progress=progress)


def task_repair(
    applied: Any,
    old: Sequence[tuple[str, str]],
    seed: int,
    time_limit: float,
    *,
    progress: Progress,
) -> Any:
    """:func:`planner.pairing.repair.repair`: the fewest moves after a what-if change."""
    from planner.pairing.repair import repair

    return repair(applied, old, seed=seed, time_limit=time_limit, progress=progress)


def task_compare(
    problem: Problem,
    old: Sequence[tuple[str, str]],
    changes: Sequence[Any],
    seed: int,
    time_limit: float,
    lang: str,
    *,
    progress: Progress,
) -> Any:
    """:func:`planner.pairing.repair.compare`: several what-if options side by side."""
    from planner.pairing.repair import compare

    progress("compare")
    return compare(problem, old, changes, seed=seed, time_limit=time_limit, lang=lang)


def task_rotate(
    problem: Problem, cycles: int, seed: int, time_limit: float, *, progress: Progress
) -> Any:
    """:func:`planner.pairing.rotation.rotate`: the next ``cycles`` cycles, lookahead and greedy."""
    from planner.web.workspace import run_rotation

    return run_rotation(problem, cycles, seed, time_limit, progress)


def task_schedule(
    problem: Problem,
    plan: Plan,
    config: Any,
    unavailable: Iterable[Mapping[str, object]],
    events: Iterable[Mapping[str, object]],
    pair_starts: Mapping[tuple[str, str], date] | None,
    seed: int,
    *,
    progress: Progress,
) -> Any:
    """:func:`planner.scheduling.builder.build_schedule` for the current plan."""
    from planner.scheduling.builder import build_schedule

    progress("schedule")
    return build_schedule(
        problem,
        plan,
        config,
        list(unavailable),
        list(events),
        pair_starts=pair_starts,
        seed=seed,
        workers=1,
    )


def task_sleep(seconds: float, *, progress: Progress) -> str:
    """A stand-in job for tests of cancel and progress: sleeps, reporting each second."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        progress(f"tick {n}")
        n += 1
        time.sleep(min(1.0, max(0.0, end - time.monotonic())))
    return "slept"


def task_fail(kind: str, *, progress: Progress) -> None:
    """A job that fails (tests): ``input`` raises InputError, anything else a bug."""
    if kind == "input":
        raise InputError([InputProblem("x.csv", "坏值", "bad value", row=3, column="工号")])
    raise RuntimeError("boom")


TASKS: dict[str, Callable[..., Any]] = {
    "assign": task_assign,
    "repair": task_repair,
    "compare": task_compare,
    "schedule": task_schedule,
    "rotate": task_rotate,
    "sleep": task_sleep,
    "fail": task_fail,
}


@dataclass
class JobError:
    """Why a job failed, worded for the office; ``problems`` for bad input."""

    zh: str
    en: str
    problems: list[InputProblem] = field(default_factory=list)

    def render(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def _child(q: Any, name: str, args: tuple[Any, ...]) -> None:
    def progress(step: str) -> None:
        q.put(("progress", str(step)))

    try:
        result = TASKS[name](*args, progress=progress)
    except InputError as exc:
        q.put(
            (
                "error",
                JobError(
                    f"输入有 {len(exc.problems)} 处问题,请修改后重试。",
                    f"{len(exc.problems)} problem(s) in the input; fix and retry.",
                    list(exc.problems),
                ),
            )
        )
        return
    except Exception as exc:
        from planner.errors import SolverBug

        # The traceback goes to the server's console for a bug report, never to the page.
        traceback.print_exc(file=sys.stderr)
        if isinstance(exc, SolverBug):
            err = JobError(
                f"内部错误:独立校验未通过(请报告此问题):{exc}",
                f"internal error: the independent validator rejected the plan (please report): {exc}",
            )
        else:
            err = JobError(
                f"计算未能完成:{exc}(详细信息见启动窗口)",
                f"the computation failed: {exc} (details in the console window)",
            )
        q.put(("error", err))
        return
    q.put(("done", result))


# ----- the parent's side -----------------------------------------------------------------------
_CONTEXT: BaseContext | None = None


def job_context() -> BaseContext:
    """``forkserver`` (solver preloaded) where available, else ``spawn`` (Windows)."""
    global _CONTEXT
    if _CONTEXT is None:
        if "forkserver" in mp.get_all_start_methods() and os.name != "nt":
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(
                [
                    "planner.web.jobs",
                    "planner.app.assign",
                    "planner.pairing.repair",
                    "planner.pairing.rotation",
                ]
            )
            _CONTEXT = ctx
        else:
            _CONTEXT = mp.get_context("spawn")
    return _CONTEXT


class Job:
    """One task running in a child process.

    Call :meth:`poll` regularly (the page does, four times a second): it collects the
    progress steps and, once, the result or the error. :meth:`cancel` ends the process.

    Attributes
    ----------
    kind
        The task's name (``assign``, ``repair``, …).
    state
        ``running``, ``done``, ``error`` or ``cancelled``.
    steps
        Progress steps received so far, in order.
    """

    def __init__(self, kind: str, *args: Any) -> None:
        if kind not in TASKS:
            raise KeyError(kind)
        ctx = job_context()
        self.kind = kind
        self.state = "running"
        self.steps: list[str] = []
        self.result: Any = None
        self.error: JobError | None = None
        self.started = time.monotonic()
        self.ended: float | None = None
        self._queue: Any = ctx.Queue()
        self._process: Any = ctx.Process(  # type: ignore[attr-defined]
            target=_child, args=(self._queue, kind, args), daemon=True
        )
        self._process.start()

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
        """Collect messages; True once the job has ended (done, error or cancelled)."""
        if not self.running:
            return True
        self._drain()
        if self.running and not self._process.is_alive():
            self._drain()  # everything the child sent is in the pipe by now
            if self.running:
                self.error = JobError(
                    f"计算进程意外退出(代码 {self._process.exitcode}),请重试。",
                    f"the computation stopped unexpectedly (exit code {self._process.exitcode}); retry.",
                )
                self._finish("error")
        return not self.running

    def wait(self, timeout: float = 60.0) -> bool:
        """Poll until the job ends or ``timeout`` passes (tests and scripts)."""
        end = time.monotonic() + timeout
        while not self.poll():
            if time.monotonic() > end:
                return False
            time.sleep(0.05)
        return True

    def cancel(self) -> None:
        """End the child process now; the job's state becomes ``cancelled``."""
        if not self.running:
            return
        self._process.kill()
        self._process.join(timeout=5)
        self.state = "cancelled"
        self.ended = time.monotonic()
        self._queue.close()


__all__ = ["TASKS", "Job", "JobError", "job_context"]
