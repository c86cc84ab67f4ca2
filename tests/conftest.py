"""Shared fixtures for tiny, hand-sized instances (the builders live in tests/builders.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from builders import make_problem

from models import Problem


@pytest.fixture
def build() -> Callable[..., Problem]:
    return make_problem
