"""counselor-planner: 领导干部直接联系服务辅导员 pairing, calendar and reports.

The public API is the application layer (:mod:`planner.app`), one function per use case::

    from planner import load_data, assign, schedule, demo_data_dir

    data = load_data(demo_data_dir())
    outcome = assign(data)                       # precheck → solve → independent validation
    cal = schedule(data, outcome.plan)           # a compliant calendar, validated too

Names are loaded on first use, so ``import planner`` (and ``planner --help``) stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from planner.version import __version__

_API: dict[str, str] = {
    # reading
    "load_data": "planner.app.data",
    "calendar_of": "planner.app.data",
    "demo_data_dir": "planner.app.data",
    "demo_changes": "planner.app.data",
    # pairing
    "assign": "planner.app.assign",
    "write_assign": "planner.app.assign",
    "validate_file": "planner.app.validate",
    "check_plan": "planner.app.validate",
    "make_plan": "planner.app.plans",
    "plan_rows": "planner.app.plans",
    "write_plan_files": "planner.app.plans",
    # staff changes and rotation
    "read_change": "planner.app.whatif",
    "make_change": "planner.app.whatif",
    "read_whatif_inputs": "planner.app.whatif",
    "whatif": "planner.app.whatif",
    "write_whatif": "planner.app.whatif",
    "compare": "planner.app.whatif",
    "write_compare": "planner.app.whatif",
    "rotate": "planner.app.rotate",
    "write_rotation": "planner.app.rotate",
    # calendar, progress, reports
    "schedule": "planner.app.schedule",
    "write_schedule": "planner.app.schedule",
    "status": "planner.app.status",
    "status_of_files": "planner.app.status",
    "write_status": "planner.app.status",
    "annual_report": "planner.app.report",
    "write_report": "planner.app.report",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
