"""The version of counselor-planner (one place; plan.json and --version read it)."""

__version__ = "0.1.0"
