"""Schemas of the tables the office hands in (CONTRACT.md §1, §2, §8, §10).

Each table has an English and a Chinese name (the file or sheet may use either); each
column an English key (used in code and in English headers), a Chinese header, a
required flag and a kind that says how a cell is read. A few aliases cover headers
clerks commonly type instead (``工号`` vs ``领导工号``, ``id``).

Enumerated cells (``级别``, ``规则``, ``形式`` ...) are read into an English code
(``college``, ``must``, ``talk`` ...); :func:`choice_label` gives the Chinese word back
for output. The writers use :func:`header_zh` so that output headers and input headers
are the same words, which is what makes a written ``plan.csv`` a valid history file.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from planner.i18n import HEADERS


class Kind(StrEnum):
    """How the cells of a column are read."""

    TEXT = "text"  # free text, NFKC-normalised and trimmed
    ID = "id"  # an identifier: text, never a number (``007`` stays ``007``)
    IDS = "ids"  # several ids separated by ``;`` ``,`` or ``、``
    BOOL = "bool"  # 是/否, true/false, 1/0, Y/N, √/×
    ACTIVE = "active"  # a boolean that also understands 在职/退休/调离 ...
    DATE = "date"  # 2026-09-01, 2026/9/1, 2026年9月1日, Excel dates
    INT = "int"  # a non-negative whole number (at most MAX_INT)
    YEAR = "year"  # a year 1900-2200: 2027, 2027年, 2027.0 (an Excel number)
    CHOICE = "choice"  # one of ``Column.choices``, read into its English code


# Loads and counts above this are typing mistakes, not plans (45 counselors in the plan).
MAX_INT = 1000


@dataclass(frozen=True)
class Choice:
    """One allowed value of a :attr:`Kind.CHOICE` column: its code, Chinese word, aliases."""

    code: str
    zh: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``default`` is used for a blank cell or a missing optional column.
    """

    key: str
    zh: str
    required: bool = False
    kind: Kind = Kind.TEXT
    aliases: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    default: object = None

    @property
    def names(self) -> tuple[str, ...]:
        """Every header text that means this column (before normalisation)."""
        return (self.key, self.zh, *self.aliases)


@dataclass(frozen=True)
class Table:
    """A table: its English name (file/sheet name), Chinese name and columns."""

    name: str
    zh: str
    columns: tuple[Column, ...]
    required: bool = False  # whether DATA must hold it
    file_aliases: tuple[str, ...] = field(default=())

    @property
    def file_names(self) -> tuple[str, ...]:
        """Names a file (without extension) or a sheet of this table may have."""
        return (self.name, self.zh, *self.file_aliases)

    def column(self, key: str) -> Column:
        """The column with English key ``key`` (KeyError if none)."""
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"table {self.name} has no column {key!r}")

    @property
    def required_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.required)


# ----- enumerations ----------------------------------------------------------------
LEVELS = (
    Choice("college", "院级", ("院级领导", "院领导", "校级", "校级领导", "校领导")),
    Choice("middle", "中层", ("中层正职", "中层干部", "中层领导", "中层正职干部")),
)
RULE_KINDS = (
    Choice("must", "必须", ("必需", "指定", "固定")),
    Choice("never", "禁止", ("不得", "不能", "回避", "排除")),
)
CALENDAR_KINDS = (
    Choice("semester", "学期"),
    Choice("closed", "放假", ("假期", "停课", "休息", "不上班")),
    Choice("workday", "调休上班", ("调休", "补班", "上班")),
    Choice("cycle_start", "周期开始", ("周期起始", "联系周期开始")),
)
EVENT_CATEGORIES = (
    Choice("class_meeting", "班会", ("主题班会",)),
    Choice("heart_talk", "谈心", ("谈心谈话",)),
    Choice("party_development", "党员发展"),
    Choice("academic_guidance", "学业指导"),
    Choice("evaluation", "综合测评"),
    Choice("awards", "评奖评优"),
    Choice("financial_aid", "贫困生资助", ("资助",)),
    Choice("mental_health", "心理教育", ("心理健康教育",)),
    Choice("recreation", "文体活动"),
    Choice("career_employment", "就业创业指导", ("就业指导", "创业指导")),
    Choice("social_practice", "社会实践"),
)
FORMS = (
    Choice("talk", "定期约谈", ("约谈",)),
    Choice("career", "规划发展", ("职业规划", "职业生涯发展指导")),
    Choice("guidance", "工作指导"),
    Choice("growth", "帮助成长"),
    Choice("hardship", "困难帮扶"),
    Choice("exchange", "交流会", ("工作交流会", "推进会")),
    Choice("summary", "年度总结", ("总结",)),
)
MODES = (
    Choice("in_person", "面谈", ("面对面", "当面", "face")),
    Choice("phone", "电话", ("电话联系",)),
    Choice("online", "线上", ("网络", "视频", "微信")),
)
GROWTH_KINDS = (
    Choice("project", "科研项目", ("项目", "课题")),
    Choice("paper", "论文", ("学术论文",)),
    Choice("title", "职称评聘", ("职称",)),
    Choice("degree", "学位进修", ("攻读学位", "进修", "学位")),
)
ISSUE_STATUSES = (
    Choice("pending", "待办", ("待办理", "未办理", "未办", "新提出")),
    Choice("in_progress", "办理中", ("正在办理", "处理中", "在办")),
    Choice("closed", "已办结", ("办结", "已解决", "已完成", "已答复", "已落实")),
    Choice("deferred", "暂缓", ("暂缓办理", "搁置")),
)
MEETING_KINDS = (
    Choice("exchange", "交流会", ("工作交流会", "经验交流会")),
    Choice("progress", "推进会", ("工作推进会",)),
    Choice("group", "领导小组会议", ("领导小组会", "工作领导小组会议")),
)
RATING_VALUES = (
    Choice("satisfied", "满意", ("非常满意",)),
    Choice("fair", "基本满意", ("比较满意", "一般")),
    Choice("dissatisfied", "不满意", ("很不满意",)),
)
GROWTH_LEVELS = (
    Choice("college", "院级", ("校级",)),
    Choice("municipal", "市厅级", ("市级", "厅级", "city")),
    Choice("provincial", "省部级", ("省级", "部级", "province")),
    Choice("national", "国家级", ("国家",)),
)
GROWTH_ROLES = (
    Choice("lead", "主持", ("负责人", "第一作者", "独著")),
    Choice("member", "参与", ("参加", "成员", "join")),
)

# ----- tables ----------------------------------------------------------------------
_ACTIVE = Column(
    "active", "在岗", kind=Kind.ACTIVE, default=True, aliases=("在职", "是否在岗", "状态")
)

LEADERS = Table(
    "leaders",
    "领导干部",
    (
        Column("leader_id", "工号", True, Kind.ID, ("领导工号", "id", "编号")),
        Column("name", "姓名", True, aliases=("领导姓名",)),
        Column("position", "职务", aliases=("领导职务",), default=""),
        Column("level", "级别", kind=Kind.CHOICE, choices=LEVELS, aliases=("领导级别",)),
        Column("unit", "单位", aliases=("领导单位", "所在单位", "部门"), default=""),
        Column(
            "heads_teaching_unit",
            "教学单位负责人",
            kind=Kind.BOOL,
            default=False,
            aliases=("是否教学单位负责人", "单位负责人"),
        ),
        Column("min_load", "最少联系人数", kind=Kind.INT, aliases=("最少人数",)),
        Column("max_load", "最多联系人数", kind=Kind.INT, aliases=("最多人数",)),
        _ACTIVE,
    ),
    required=True,
)

COUNSELORS = Table(
    "counselors",
    "辅导员",
    (
        Column("counselor_id", "工号", True, Kind.ID, ("辅导员工号", "id", "编号")),
        Column("name", "姓名", True, aliases=("辅导员姓名",)),
        Column("unit", "单位", True, aliases=("辅导员单位", "所在单位", "院系", "系部")),
        Column(
            "start_date",
            "任辅导员日期",
            kind=Kind.DATE,
            aliases=("任辅导员时间", "任职日期", "任职时间"),
        ),
        _ACTIVE,
    ),
    required=True,
)

HISTORY = Table(
    "history",
    "历史联系",
    (
        Column("cycle", "周期", True, aliases=("联系周期",)),
        Column("leader_id", "领导工号", True, Kind.ID),
        Column("counselor_id", "辅导员工号", True, Kind.ID),
    ),
)

RULES = Table(
    "rules",
    "约束",
    (
        Column("leader_id", "领导工号", True, Kind.ID),
        Column("counselor_id", "辅导员工号", True, Kind.ID),
        Column("rule", "规则", True, Kind.CHOICE, choices=RULE_KINDS, aliases=("kind",)),
        Column("reason", "原因", aliases=("说明", "理由"), default=""),
    ),
)

SETTINGS = Table(
    "settings",
    "设置",
    (
        Column("key", "键", True, aliases=("设置项", "项目", "参数")),
        Column("value", "值", aliases=("设定值", "取值", "数值"), default=""),
    ),
)

CALENDAR = Table(
    "calendar",
    "校历",
    (
        Column("kind", "类型", True, Kind.CHOICE, choices=CALENDAR_KINDS),
        Column("name", "名称", default=""),
        Column("start", "开始日期", True, Kind.DATE, ("开始", "日期")),
        Column("end", "结束日期", kind=Kind.DATE, aliases=("结束",)),
    ),
)

UNAVAILABLE = Table(
    "unavailable",
    "不可用时间",
    (
        Column("leader_id", "领导工号", True, Kind.ID, ("工号",)),
        Column("start", "开始日期", True, Kind.DATE, ("开始",)),
        Column("end", "结束日期", kind=Kind.DATE, aliases=("结束",)),
        Column("reason", "原因", aliases=("说明", "事由"), default=""),
    ),
)

EVENTS = Table(
    "events",
    "辅导员活动",
    (
        Column("counselor_id", "辅导员工号", True, Kind.ID, ("工号",)),
        Column("date", "日期", True, Kind.DATE),
        Column("category", "类别", True, Kind.CHOICE, choices=EVENT_CATEGORIES),
        Column("title", "名称", aliases=("活动名称",), default=""),
    ),
)

RECORDS = Table(
    "records",
    "联系记录",
    (
        Column("date", "日期", True, Kind.DATE),
        Column("leader_id", "领导工号", True, Kind.ID),
        Column("counselor_id", "辅导员工号", kind=Kind.ID, default=""),
        Column("form", "形式", True, Kind.CHOICE, choices=FORMS),
        Column("mode", "方式", kind=Kind.CHOICE, choices=MODES, default="in_person"),
        Column("category", "类别", default=""),
        Column("summary", "主要内容", default=""),
        Column("issues_raised", "反映问题", default=""),
        Column("resolution", "解决措施", default=""),
        Column("status", "办理状态", default=""),
        Column("evidence", "佐证材料", default=""),
        # The issues (问题台账) this contact raised; several separated by ; or 、.
        Column("issue_ids", "问题编号", kind=Kind.IDS, default=()),
        # A typical case (典型案例) the office may print in the booklet.
        Column("typical", "典型案例", kind=Kind.BOOL, default=False),
    ),
)

GROWTH = Table(
    "growth",
    "成长记录",
    (
        Column("counselor_id", "辅导员工号", True, Kind.ID),
        Column("leader_id", "领导工号", kind=Kind.ID, default=""),
        Column("kind", "类型", True, Kind.CHOICE, choices=GROWTH_KINDS),
        Column("title", "名称", default=""),
        Column("level", "级别", kind=Kind.CHOICE, choices=GROWTH_LEVELS),
        Column("role", "角色", kind=Kind.CHOICE, choices=GROWTH_ROLES),
        Column("status", "状态", default=""),
        Column("date", "日期", kind=Kind.DATE),
    ),
)

NEWS = Table(
    "news",
    "新闻报送",
    (
        Column("date", "日期", kind=Kind.DATE),
        Column("title", "标题", True),
        Column("leader_ids", "领导工号", kind=Kind.IDS, default=()),
        Column("channel", "报送单位", default=""),
        Column("status", "状态", default=""),
    ),
)

ISSUES = Table(
    "issues",
    "问题台账",
    (
        Column("issue_id", "问题编号", True, Kind.ID, ("编号",)),
        Column("date", "反映日期", True, Kind.DATE, ("日期", "提出日期")),
        Column(
            "counselor_ids", "反映辅导员工号", kind=Kind.IDS, default=(), aliases=("辅导员工号",)
        ),
        Column("leader_id", "受理领导工号", kind=Kind.ID, default="", aliases=("领导工号",)),
        Column("category", "类别", default="", aliases=("问题类别",)),
        Column("summary", "问题描述", default="", aliases=("反映问题", "问题")),
        Column("department", "责任部门", default="", aliases=("承办部门",)),
        Column("needs_study", "需集体研究", kind=Kind.BOOL, default=False),
        Column("deadline", "办结时限", kind=Kind.DATE),
        # Blank: 已办结 when 办结日期 is given, else 待办 (planner.duties.issues).
        Column("status", "办理状态", kind=Kind.CHOICE, choices=ISSUE_STATUSES, aliases=("状态",)),
        Column("closed", "办结日期", kind=Kind.DATE),
        Column("solution", "解决方案", default="", aliases=("解决措施",)),
        Column("feedback", "反馈辅导员日期", kind=Kind.DATE, aliases=("反馈日期",)),
        Column("satisfaction", "辅导员评价", default=""),
    ),
)

MEETINGS = Table(
    "meetings",
    "会议记录",
    (
        Column("date", "日期", True, Kind.DATE, ("会议日期",)),
        Column("kind", "类型", True, Kind.CHOICE, choices=MEETING_KINDS, aliases=("会议类型",)),
        Column("title", "名称", default="", aliases=("会议名称",)),
        Column("host", "主持", default="", aliases=("主持人",)),
        Column("leader_ids", "参会领导工号", kind=Kind.IDS, default=(), aliases=("领导工号",)),
        Column("decisions", "议定事项", default=""),
        Column("issue_ids", "研究问题编号", kind=Kind.IDS, default=(), aliases=("问题编号",)),
    ),
)

DEVELOPMENT_PLANS = Table(
    "development_plans",
    "发展规划",
    (
        Column("counselor_id", "辅导员工号", True, Kind.ID),
        Column("leader_id", "领导工号", True, Kind.ID),
        Column("date", "日期", kind=Kind.DATE, aliases=("制定日期",)),
        Column("direction", "发展方向", default=""),
        Column("goals", "三年目标", default="", aliases=("目标",)),
        Column("milestones", "节点安排", default="", aliases=("时间节点",)),
    ),
    file_aliases=("devplans", "职业发展规划"),
)

RATINGS = Table(
    "ratings",
    "评价",
    (
        Column("year", "年度", True, Kind.YEAR, ("年份",)),
        Column("counselor_id", "辅导员工号", True, Kind.ID),
        Column("leader_id", "领导工号", True, Kind.ID),
        Column("rating", "评价", True, Kind.CHOICE, choices=RATING_VALUES, aliases=("评价结果",)),
        Column("comment", "意见", default="", aliases=("意见建议",)),
    ),
    file_aliases=("备案评价",),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        LEADERS,
        COUNSELORS,
        HISTORY,
        RULES,
        SETTINGS,
        CALENDAR,
        UNAVAILABLE,
        EVENTS,
        RECORDS,
        GROWTH,
        NEWS,
        ISSUES,
        MEETINGS,
        DEVELOPMENT_PLANS,
        RATINGS,
    )
}
"""Every input table by English name."""

OPTIONAL_TABLES = (
    "calendar",
    "unavailable",
    "events",
    "records",
    "growth",
    "news",
    "issues",
    "meetings",
    "development_plans",
    "ratings",
)
"""Tables read raw-but-typed into ``DataSet.tables`` when present."""

# Chinese labels of the settings keys, accepted in the 设置 sheet next to the English keys.
SETTINGS_ZH: dict[str, str] = {
    "min_load": "最少联系人数",
    "max_load": "最多联系人数",
    "max_leaders_per_counselor": "每名辅导员最多领导数",
    "no_repeat_cycles": "不重复周期数",
    "max_items_per_leader_day": "领导每日最多事项数",
    "max_items_per_counselor_day": "辅导员每日最多事项数",
    "min_days_between_talks": "约谈最少间隔天数",
    "exchange_meetings_per_semester": "每学期交流会次数",
    "issue_answer_days": "问题办结工作日数",
    "issue_study_days": "集体研究问题办结工作日数",
    "common_issue_counselors": "普遍性问题辅导员人数",
    "common_issue_units": "普遍性问题单位数",
    "own_unit_first": "本单位优先于最少结对",
    "college": "学院名称",
    "office": "填报单位",
    "contact": "填报人",
    "phone": "联系电话",
    "wide_paper": "宽表纸张",
}

# Output headers (CONTRACT.md §5, §6, §9) plus the input headers the outputs repeat.
# One table so that a plan written in zh reads back as history without a mapping.
HEADERS_ZH = HEADERS  # one map of output headers, owned by planner.i18n


def header_zh(key: str, table: str | None = None) -> str:
    """Return the Chinese header for an English column key.

    Parameters
    ----------
    key
        English column key, e.g. ``"leader_id"``.
    table
        Table name (English or Chinese). When given, the header of that input table
        (``leaders``' ``leader_id`` is ``工号``); otherwise the output header
        (``leader_id`` → ``领导工号``, ``reason`` → ``说明``).

    Returns
    -------
    str
        The Chinese header.

    Raises
    ------
    KeyError
        If the key is unknown, so a typo in a writer fails loudly instead of
        producing an English header in a Chinese file.
    """
    if table is not None:
        return get_table(table).column(key).zh
    return HEADERS_ZH[key]


def get_table(name: str) -> Table:
    """Return the table schema named ``name`` (English or Chinese; KeyError if none)."""
    want = norm_name(name)
    for t in TABLES.values():
        if want in {norm_name(n) for n in t.file_names}:
            return t
    raise KeyError(f"unknown table {name!r}")


def choice_label(table: str, key: str, code: str, lang: str = "zh") -> str:
    """Return the word for an enumerated code in ``lang`` (``must`` → ``必须``).

    Unknown codes are returned unchanged.
    """
    if lang != "zh":
        return code
    for ch in get_table(table).column(key).choices:
        if ch.code == code:
            return ch.zh
    return code


# Invisible format characters copied in from web pages or chat tools make ``00017`` differ from
# ``00017`` (CONTRACT.md §1): soft hyphen, Mongolian vowel separator, zero-width space / non-joiner
# / joiner, direction marks and embeddings, word joiner and invisible operators, BOM (zero-width
# no-break space), interlinear annotation marks, tag characters.
INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f]"
)


def strip_invisible(text: str) -> str:
    """``text`` without invisible characters (zero-width space, word joiner, BOM, soft hyphen, …)."""
    # Fast path: plain ASCII (most cells) cannot hold one.
    if text.isascii():
        return text
    return INVISIBLE.sub("", text)


def norm_text(text: str) -> str:
    """NFKC-normalise and trim: full-width digits, spaces and brackets become ASCII.

    Invisible characters are removed first (:func:`strip_invisible`); NFKC turns no-break and
    ideographic spaces into plain spaces, so they are trimmed like any space.
    """
    if text.isascii():
        return text.strip()  # NFKC leaves ASCII as it is; most cells are ids and dates
    return unicodedata.normalize("NFKC", strip_invisible(text)).strip()


_SPACE = re.compile(r"\s+")
_ANNOTATION = re.compile(r"\([^()]*\)$")


def norm_name(text: str) -> str:
    """Normalise a header, sheet or file name for matching: NFKC, no spaces, any case."""
    return _SPACE.sub("", norm_text(text)).casefold()


def loose_name(text: str) -> str:
    """A header without marks clerks add: ``*工号``, ``最少联系人数(默认2)``."""
    name = norm_name(text).strip("*")
    return _ANNOTATION.sub("", name).strip("*")


def match_column(table: Table, header: str) -> Column | None:
    """The column a header means, or None for an extra column.

    Exact names (any case, NFKC, spaces ignored) first; then the header with a
    trailing ``(...)`` note or ``*`` required mark removed.
    """
    want = norm_name(header)
    for c in table.columns:
        if want in {norm_name(n) for n in c.names}:
            return c
    loose = loose_name(header)
    if loose and loose != want:
        for c in table.columns:
            if loose in {norm_name(n) for n in c.names}:
                return c
    return None


def match_choice(column: Column, text: str) -> str | None:
    """The code of the choice ``text`` names (code, Chinese word or alias), else None."""
    return _choice_index(column.choices).get(norm_name(text))


@functools.lru_cache(maxsize=256)
def _choice_index(choices: tuple[Choice, ...]) -> dict[str, str]:
    # Built once per column: a records table calls this for every cell of 形式/方式/类别.
    index: dict[str, str] = {}
    for ch in choices:
        for n in (ch.code, ch.zh, *ch.aliases):
            index.setdefault(norm_name(n), ch.code)
    return index
