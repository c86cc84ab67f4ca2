"""The year-round duties (CONTRACT.md §10): 问题台账, meetings, development plans, 备案评价.

Pure computations on plain data — the reader's typed rows or objects with the same names;
no file I/O, no solver. Each module's docstring states the rule it applies.

- :mod:`planner.duties.issues` — deadlines in working days, 逾期/超时办结, 普遍性, the exchange
  meeting's agenda, records linked to issues.
- :mod:`planner.duties.meetings` — meetings held per kind, semesters short of meetings,
  issues a meeting closes.
- :mod:`planner.duties.devplans` — what a plan must contain per tier, whether a pair's
  规划发展 item is done.
- :mod:`planner.duties.ratings` — 满意率 and the year-end grade.
- :mod:`planner.duties.guidance` — whether a record counts as 工作指导.
"""

from planner.duties.devplans import (
    CareerCheck,
    CareerStatus,
    DevPlan,
    Lack,
    career_item,
    plan_lacks,
    plan_tier,
    plans_from_rows,
)
from planner.duties.guidance import GuidanceVerdict, guidance_verdict
from planner.duties.issues import (
    CommonCategory,
    Deadline,
    Issue,
    IssueLinks,
    IssueState,
    RecordRef,
    Timeliness,
    add_working_days,
    agenda_lines,
    assess_issues,
    common_categories,
    deadline,
    deadline_detail,
    exchange_agenda,
    issue_problems,
    issues_from_rows,
    link_records,
    overdue_by_leader,
    timeliness,
    with_closures,
)
from planner.duties.meetings import (
    COUNTED_KINDS,
    Closure,
    Meeting,
    SemesterShortfall,
    closures,
    meetings_from_rows,
    meetings_per_kind,
    short_semesters,
)
from planner.duties.ratings import (
    Grade,
    Grading,
    GradingRule,
    Override,
    Rating,
    Tally,
    basis_text,
    grade_leader,
    grade_leaders,
    grading_config,
    ratings_from_rows,
    rule_text,
    tally_ratings,
)

__all__ = [
    "COUNTED_KINDS",
    "CareerCheck",
    "CareerStatus",
    "Closure",
    "CommonCategory",
    "Deadline",
    "DevPlan",
    "Grade",
    "Grading",
    "GradingRule",
    "GuidanceVerdict",
    "Issue",
    "IssueLinks",
    "IssueState",
    "Lack",
    "Meeting",
    "Override",
    "Rating",
    "RecordRef",
    "SemesterShortfall",
    "Tally",
    "Timeliness",
    "add_working_days",
    "agenda_lines",
    "assess_issues",
    "basis_text",
    "career_item",
    "closures",
    "common_categories",
    "deadline",
    "deadline_detail",
    "exchange_agenda",
    "grade_leader",
    "grade_leaders",
    "grading_config",
    "guidance_verdict",
    "issue_problems",
    "issues_from_rows",
    "link_records",
    "meetings_from_rows",
    "meetings_per_kind",
    "overdue_by_leader",
    "plan_lacks",
    "plan_tier",
    "plans_from_rows",
    "ratings_from_rows",
    "rule_text",
    "short_semesters",
    "tally_ratings",
    "timeliness",
    "with_closures",
]
