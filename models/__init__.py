"""Pure domain data for counselor-planner (pydantic v2; no ortools, no pandas).

Glossary: 领导干部 leader · 辅导员 counselor · 结对 pair · 联系周期 cycle.
"""

from models.history import HistoryPair, cycle_first_year, cycle_span_years
from models.people import Counselor, Leader, Level, Stage, stage_of
from models.plan import Pair, Plan, SolveStatus
from models.problem import Problem
from models.rules import Rule, RuleKind
from models.schedule import FORM_ZH, SOURCE_ZH, Form, ScheduleItem, Source, Status, item_id
from models.settings import Settings

__all__ = [
    "FORM_ZH",
    "SOURCE_ZH",
    "Counselor",
    "Form",
    "HistoryPair",
    "Leader",
    "Level",
    "Pair",
    "Plan",
    "Problem",
    "Rule",
    "RuleKind",
    "ScheduleItem",
    "Settings",
    "SolveStatus",
    "Source",
    "Stage",
    "Status",
    "cycle_first_year",
    "cycle_span_years",
    "item_id",
    "stage_of",
]
