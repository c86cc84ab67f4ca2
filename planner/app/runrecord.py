"""The machine-readable record of a run (``plan.json``, ``rotation.json``): one builder.

Every record carries the same frame -- what was run, on which inputs (their SHA-256), with
which seed, time limit, settings and versions, and when -- plus what the use case adds.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from models import Problem
from planner.io.plan_files import sha256_of
from planner.values import solver_seed
from planner.version import __version__


def versions() -> dict[str, str]:
    """The versions that decide a run's result: this product, OR-Tools and Python."""
    try:
        ortools = version("ortools")
    except PackageNotFoundError:  # pragma: no cover - ortools is a core dependency
        ortools = "?"
    return {
        "counselor-planner": __version__,
        "ortools": ortools,
        "python": platform.python_version(),
    }


def input_files(sources: Mapping[str, Path]) -> dict[str, dict[str, str]]:
    """Table name → the file read and its SHA-256 (files only; folders are skipped)."""
    return {
        name: {"file": str(path), "sha256": sha256_of(path)}
        for name, path in sorted(sources.items())
        if path.is_file()
    }


def run_record(
    *,
    problem: Problem,
    status: str,
    seed: int,
    time_limit: float,
    sources: Mapping[str, Path] | None = None,
    body: Mapping[str, Any] | None = None,
    extra_inputs: Mapping[str, Path] | None = None,
) -> dict[str, Any]:
    """A run's record: cycle and status first, ``body`` (the use case's own keys), then the frame.

    Parameters
    ----------
    problem
        The problem solved (its cycle and settings are recorded).
    status
        The result's status (``optimal``, ``feasible``, …).
    seed, time_limit
        The solver options of the run.
    sources
        The DATA files read, recorded with their SHA-256.
    body
        What the use case adds (objective levels, repair figures, rotation totals, …).
    extra_inputs
        Other files the run read (a change file, the old plan).
    """
    record: dict[str, Any] = {"cycle": problem.cycle, "status": status}
    record.update(body or {})
    record.update(
        {
            "seed": seed,
            **({"solver_seed": solver_seed(seed)} if solver_seed(seed) != seed else {}),
            "time_limit_s": time_limit,
            "settings": problem.settings.model_dump(),
            "inputs": input_files({**(sources or {}), **(extra_inputs or {})}),
            "versions": versions(),
            "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        }
    )
    return record
