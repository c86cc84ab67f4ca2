"""Pure domain data for counselor-planner (pydantic v2; no ortools, no pandas).

Glossary: 领导干部 leader · 辅导员 counselor · 结对 pair · 联系周期 cycle.
"""

from models.history import HistoryPair, cycle_first_year
from models.people import Counselor, Leader, Level, Stage, stage_of
from models.plan import Pair, Plan, SolveStatus
from models.problem import Problem
from models.rules import Rule, RuleKind
from models.settings import Settings

__all__ = [
    "Counselor",
    "HistoryPair",
    "Leader",
    "Level",
    "Pair",
    "Plan",
    "Problem",
    "Rule",
    "RuleKind",
    "Settings",
    "SolveStatus",
    "Stage",
    "cycle_first_year",
    "stage_of",
]
