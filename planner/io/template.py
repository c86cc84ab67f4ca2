"""The empty input workbook the office fills in WPS/Excel (``planner init PATH.xlsx``).

One sheet per input table of CONTRACT.md (sheet name = the table's Chinese name, headers
= its Chinese column names), plus a 说明 sheet explaining every column. Filled in, the
same workbook is a valid DATA: :func:`planner.io.read.read_data` reads it as it is.

Help for the clerk is built into the sheets:

- id columns are formatted as text (number format ``@``), so ``007`` stays ``007``;
- date columns are formatted ``yyyy-mm-dd``;
- enumerated columns (级别, 是/否, 形式, 方式, 类别, 类型, 规则 …) have drop-down lists
  (openpyxl ``DataValidation``), which still accept the aliases the reader knows when
  typed (the validation only warns);
- the 设置 sheet comes prefilled with the default settings and a 说明 column.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from models import Settings
from planner.io.xlsx import print_setup, sheet_widths, style_header
from planner.schema import SETTINGS_ZH, TABLES, Column, Kind, Table

__all__ = ["SHEET_ORDER", "TEMPLATE_ROWS", "write_template"]

#: Sheets in the order the office fills them (说明 first).
SHEET_ORDER = (
    "leaders",
    "counselors",
    "history",
    "rules",
    "settings",
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
#: How many rows the drop-downs and formats cover.
TEMPLATE_ROWS = 1000

_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")

# What each table is for (说明 sheet).
TABLE_HELP: dict[str, tuple[str, str]] = {
    "leaders": (
        "必填。参与联系工作的领导干部名单,每人一行。",
        "Required. The leaders, one per row.",
    ),
    "counselors": ("必填。全院一线辅导员名单,每人一行。", "Required. All front-line counselors."),
    "history": (
        "选填。以往周期的联系对应表(可直接粘贴以往的 plan.csv),用于“每三年调整一次联系对象”。",
        "Optional. Pairs of earlier cycles (an earlier plan.csv pasted as is).",
    ),
    "rules": (
        "选填。人工决定:必须结对或禁止结对(如亲属回避)。",
        "Optional. Decisions: pairs that must or must never be made.",
    ),
    "settings": (
        "选填。参数设置,已填入系统默认值,可按需修改“值”一列。",
        "Optional. Settings, prefilled with the defaults; change the value column.",
    ),
    "calendar": (
        "选填。校历:学期起止、放假、调休上班、联系周期开始日期。",
        "Optional. Academic calendar: semesters, days off, make-up workdays, cycle start.",
    ),
    "unavailable": (
        "选填。领导干部外出培训、挂职等不能安排联系事项的时段(含首尾两天)。",
        "Optional. Periods a leader cannot be scheduled (inclusive).",
    ),
    "events": (
        "选填。辅导员组织的活动,安排“工作指导”时优先参加。",
        "Optional. Counselors' activities; guidance visits join them.",
    ),
    "records": (
        "选填。领导干部联系工作记录,每次联系一行;只有“面谈”的定期约谈计入每季度约谈要求。",
        "Optional. Contact records, one per contact; only face-to-face talks meet the quarterly rule.",
    ),
    "growth": (
        "选填。辅导员成长记录(科研项目、论文、职称、学位进修);三年科研目标只计"
        "“已结项”的院级及以上课题(主持或参与)或“已发表”的论文。",
        "Optional. Growth ledger; the research target counts a completed (已结项) college-level+ "
        "project or a published (已发表) paper.",
    ),
    "news": (
        "选填。向上级报送的新闻稿件;多位领导用“、”或“;”分隔。",
        "Optional. News items sent to the province; several leaders separated by 、 or ;.",
    ),
    "issues": (
        "选填。问题台账:辅导员反映的问题,每个问题一行;办结时限不填时按设置自动计算"
        "(5 个工作日,需集体研究的 15 个工作日),同类问题多人或多单位反映即为普遍性问题。",
        "Optional. The issue register; the deadline defaults to 5 working days (15 when it "
        "needs collective study).",
    ),
    "meetings": (
        "选填。会议记录:工作交流会、推进会、领导小组会议;填写研究问题编号并写明议定事项的,"
        "该问题视为已办结。",
        "Optional. Meetings held; a meeting with decisions closes the issues it studied.",
    ),
    "development_plans": (
        "选填。辅导员个人发展规划:发展方向、三年目标、节点安排(新任辅导员须有第一年节点,"
        "资深辅导员须有专家型发展目标)。",
        "Optional. Counselors' development plans (direction, three-year goals, milestones).",
    ),
    "ratings": (
        "选填。备案评价:每年年底辅导员对联系领导的评价(满意、基本满意、不满意)。",
        "Optional. Year-end ratings of each leader by their counselors.",
    ),
}

# What each column means (说明 sheet), by (table, key).
COLUMN_HELP: dict[tuple[str, str], str] = {
    ("leaders", "leader_id"): "唯一工号,按文本填写(007 保持 007);不能与辅导员工号相同",
    ("leaders", "name"): "姓名",
    ("leaders", "position"): "如 院长、党委书记、副院长、系主任、系党总支书记、主持工作的副主任",
    ("leaders", "level"): "院级 或 中层;不填时:填了单位为中层,否则为院级",
    ("leaders", "unit"): "所负责的单位(教学单位负责人必填,名称须与辅导员表一致)",
    ("leaders", "heads_teaching_unit"): "是:教学单位正职(或主持工作的副职),优先联系本单位辅导员",
    ("leaders", "min_load"): "最少联系几名辅导员;不填按设置(默认 2)",
    ("leaders", "max_load"): "最多联系几名辅导员;不填按设置(默认 3)",
    ("leaders", "active"): "是/否;不填为“是”。退休、调离填“否”",
    ("counselors", "counselor_id"): "唯一工号,按文本填写",
    ("counselors", "name"): "姓名",
    ("counselors", "unit"): "所服务的教学单位",
    ("counselors", "start_date"): "任辅导员日期,用于划分新任(<3年)、骨干(3—8年)、资深(≥8年)",
    ("counselors", "active"): "是/否;不填为“是”",
    ("history", "cycle"): "周期,如 2024-2027",
    ("history", "leader_id"): "领导工号",
    ("history", "counselor_id"): "辅导员工号",
    ("rules", "leader_id"): "领导工号",
    ("rules", "counselor_id"): "辅导员工号",
    ("rules", "rule"): "必须 或 禁止",
    ("rules", "reason"): "原因,如 亲属关系回避",
    ("settings", "key"): "设置项(中文名或英文键)",
    ("settings", "value"): "整数",
    ("calendar", "kind"): "学期、放假、调休上班 或 周期开始",
    ("calendar", "name"): "学期名称,如 2027-2028-1(事项编号会用到,须唯一)",
    ("calendar", "start"): "开始日期",
    ("calendar", "end"): "结束日期(含);学期必填,放假/调休可只填开始日期",
    ("unavailable", "leader_id"): "领导工号",
    ("unavailable", "start"): "开始日期",
    ("unavailable", "end"): "结束日期(含);不填为一天",
    ("unavailable", "reason"): "事由,如 外出培训",
    ("events", "counselor_id"): "组织活动的辅导员工号",
    ("events", "date"): "活动日期",
    (
        "events",
        "category",
    ): "班会、谈心、党员发展、学业指导、综合测评、评奖评优、贫困生资助、心理教育、"
    "文体活动、就业创业指导、社会实践",
    ("events", "title"): "活动名称",
    ("records", "date"): "联系日期",
    ("records", "leader_id"): "领导工号",
    ("records", "counselor_id"): "辅导员工号;交流会、年度总结可不填",
    (
        "records",
        "form",
    ): "定期约谈、规划发展、工作指导、帮助成长、困难帮扶、交流会(领导参加工作交流会)",
    ("records", "mode"): "面谈(默认)、电话、线上;只有面谈的定期约谈计入每季度约谈要求",
    ("records", "category"): "工作指导参加的活动类别,如 班会、谈心",
    ("records", "summary"): "联系的主要内容",
    ("records", "issues_raised"): "辅导员反映的问题;没有填“无”",
    ("records", "resolution"): "解决措施",
    ("records", "status"): "办理状态:已办结、办理中、无需办理",
    ("records", "evidence"): "佐证材料,如 谈话记录表、活动照片",
    ("growth", "counselor_id"): "辅导员工号",
    ("growth", "leader_id"): "给予指导的领导工号(可不填)",
    ("growth", "kind"): "科研项目、论文、职称评聘、学位进修",
    ("growth", "title"): "项目、论文名称或职称、学位",
    ("growth", "level"): "院级、市厅级、省部级、国家级(科研项目必填)",
    ("growth", "role"): "主持 或 参与",
    ("growth", "status"): "在研、已结项、已发表、已评聘、在读 等",
    ("growth", "date"): "立项、结项、发表或评聘日期",
    ("news", "date"): "报送日期",
    ("news", "title"): "稿件标题",
    ("news", "leader_ids"): "涉及的领导工号,多位用“、”或“;”分隔",
    ("news", "channel"): "报送单位,如 省委教育工委、省教育厅",
    ("news", "status"): "已报送 或 已采用",
}

SETTINGS_HELP: dict[str, str] = {
    "min_load": "每位领导干部最少联系的辅导员人数(领导干部表未填时使用)",
    "max_load": "每位领导干部最多联系的辅导员人数(领导干部表未填时使用)",
    "max_leaders_per_counselor": "每名辅导员最多由几位领导联系;只在负荷必须用满时才安排第二位",
    "no_repeat_cycles": "最近几个周期的联系对象不得重复(每三年调整一次);0 表示允许重复",
    "max_items_per_leader_day": "排期:每位领导干部每天最多安排几项联系事项",
    "max_items_per_counselor_day": "排期:每名辅导员每天最多安排几项联系事项",
    "min_days_between_talks": "排期:同一对两次定期约谈之间至少间隔的天数",
    "exchange_meetings_per_semester": "每学期召开领导干部工作交流会(推进会)的次数",
    "issue_answer_days": "问题台账:反映的问题应在几个工作日内办结",
    "issue_study_days": "问题台账:需集体研究的问题应在几个工作日内办结",
    "common_issue_counselors": "同一类问题一年内有几名辅导员反映即为普遍性问题",
    "common_issue_units": "……或来自几个单位的辅导员反映即为普遍性问题",
    "own_unit_first": "是:系主任、党总支书记可多联系本单位的辅导员,即使另有辅导员因此多一位领导",
    "college": "学院全称,印在每一份文件上(必填,例如 某某职业技术学院)",
    "office": "填报单位(不填则为 领导干部联系服务辅导员工作领导小组办公室)",
    "contact": "填报人姓名,印在年度汇总表和报送文件上",
    "phone": "填报人联系电话",
    "wide_paper": "宽表(年度汇总表、日程总表)打印用纸:A4 或 A3",
}

# Choices written in the drop-downs where the schema's words are not the whole story.
_EXTRA_LISTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("records", "category"): tuple(ch.zh for ch in TABLES["events"].column("category").choices),
    ("records", "status"): ("已办结", "办理中", "无需办理"),
    ("growth", "status"): ("在研", "已结项", "已发表", "已评聘", "在读", "已毕业", "已结业"),
    ("news", "status"): ("已报送", "已采用"),
}


@dataclass(frozen=True)
class _Col:
    column: Column
    header: str


def _list_of(table: Table, col: Column, lang: str) -> tuple[str, ...] | None:
    if (table.name, col.key) in _EXTRA_LISTS:
        return _EXTRA_LISTS[(table.name, col.key)]
    if col.kind == Kind.CHOICE:
        # The words a clerk reads (zh), or the codes (en).
        return tuple(ch.zh if lang == "zh" else ch.code for ch in col.choices)
    if col.kind in (Kind.BOOL, Kind.ACTIVE):
        return ("是", "否") if lang == "zh" else ("true", "false")
    return None


def _columns(table: Table, lang: str) -> list[_Col]:
    return [_Col(c, c.zh if lang == "zh" else c.key) for c in table.columns]


def _validation(values: Sequence[str], ref: str, title: str) -> DataValidation:
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showDropDown=False,  # openpyxl's name is inverted: False shows the arrow
        errorStyle="warning",  # typed aliases (院领导, 约谈 …) are still read
        showErrorMessage=True,
        errorTitle=title,
        error="不在下拉列表中,请确认填写是否正确",
        promptTitle=title,
        prompt="请从下拉列表中选择",
        showInputMessage=True,
    )
    dv.add(ref)
    return dv


def _table_sheet(wb: Workbook, table: Table, lang: str) -> Any:
    ws = wb.create_sheet(table.zh)
    cols = _columns(table, lang)
    for j, c in enumerate(cols, start=1):
        ws.cell(row=1, column=j, value=c.header)
    style_header(ws, 1, len(cols))
    last = TEMPLATE_ROWS + 1
    for j, c in enumerate(cols, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j)
        if c.column.required:
            cell.fill = _REQUIRED_FILL
        help_text = COLUMN_HELP.get((table.name, c.column.key))
        dim = ws.column_dimensions[letter]
        if c.column.kind in (Kind.ID, Kind.IDS, Kind.TEXT):
            # Ids are text (007 stays 007); so is free text (2024-2027 is not a date).
            dim.number_format = "@"
        elif c.column.kind == Kind.DATE:
            dim.number_format = "yyyy-mm-dd"
        dim.width = 14 if c.column.kind != Kind.TEXT else 18
        if c.column.key in ("summary", "resolution", "issues_raised", "title", "reason"):
            dim.width = 30
        values = _list_of(table, c.column, lang)
        if values:
            title = c.header[:32]
            ws.add_data_validation(_validation(values, f"{letter}2:{letter}{last}", title))
        if help_text:
            cell.comment = Comment(help_text, "counselor-planner", width=300, height=80)
    ws.freeze_panes = "A2"
    return ws


def _settings_sheet(wb: Workbook, lang: str) -> None:
    ws = wb.create_sheet(TABLES["settings"].zh)
    zh = lang == "zh"
    head = ["设置项", "值", "说明"] if zh else ["key", "value", "note"]
    ws.append(head)
    style_header(ws, 1, 3)
    defaults = Settings()
    for key in Settings.model_fields:
        label = SETTINGS_ZH.get(key, key) if zh else key
        note = SETTINGS_HELP.get(key, "") + f"(英文键 {key})"
        ws.append([label, getattr(defaults, key), note])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 8
    ws.column_dimensions["C"].width = 70
    ws.freeze_panes = "A2"


def _help_sheet(wb: Workbook, lang: str) -> None:
    ws = wb.active
    ws.title = "说明"
    zh = lang == "zh"
    ws["A1"] = "领导干部直接联系服务辅导员工作 数据填报模板" if zh else "Input workbook template"
    ws["A1"].font = Font(bold=True, size=16)
    lines = [
        "1. 每张工作表是一张表;工作表名称和第1行的列名请勿修改,可在右侧增加列(如 电话),会原样带到输出表。",
        "2. 橙色列名为必填列;带下拉箭头的列请从列表中选择;工号列已设为文本格式,前导零会保留。",
        "3. 日期写成 2027-03-01(2027/3/1、2027年3月1日 也可以)。是/否 列填“是”或“否”。",
        "4. 领导干部、辅导员两张表必填;其余表可以留空(只保留列名)。",
        "5. 工作表“设置”中请填写学院名称、填报人、联系电话:它们印在联系对应表、年度汇总表等每一份文件上。",
        "6. 填好后保存,在规划工具网页上点“上传数据”选择本文件即可。",
    ]
    for i, text in enumerate(lines, start=2):
        ws.cell(row=i, column=1, value=text)
    r = len(lines) + 3
    head = ["工作表", "列名", "英文列名", "是否必填", "说明"]
    for j, h in enumerate(head, start=1):
        ws.cell(row=r, column=j, value=h)
    style_header(ws, r, len(head))
    r += 1
    for name in SHEET_ORDER:
        table = TABLES[name]
        ws.cell(row=r, column=1, value=table.zh).font = Font(bold=True)
        ws.cell(row=r, column=5, value=TABLE_HELP[name][0 if zh else 1])
        r += 1
        for c in table.columns:
            if name == "settings":
                zh_head = {"key": "设置项", "value": "值"}.get(c.key, c.zh)
            else:
                zh_head = c.zh
            ws.cell(row=r, column=2, value=zh_head)
            ws.cell(row=r, column=3, value=c.key)
            ws.cell(
                row=r, column=4, value=("是" if c.required else "否") if zh else str(c.required)
            )
            ws.cell(row=r, column=5, value=COLUMN_HELP.get((name, c.key), ""))
            r += 1
    for letter, w in zip("ABCDE", (14, 16, 22, 10, 90), strict=True):
        ws.column_dimensions[letter].width = w
    for row in ws.iter_rows(min_row=len(lines) + 4, max_row=r):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def write_template(path: Path, lang: str = "zh") -> Path:
    """Write the empty input workbook to ``path`` (atomically: a temp file, then a rename).

    Parameters
    ----------
    path
        The ``.xlsx`` file to write.
    lang
        ``zh``: Chinese headers and drop-down words (default); ``en``: English keys. Sheet
        names are the tables' Chinese names either way; the reader accepts both.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    wb = Workbook()
    _help_sheet(wb, lang)
    for name in SHEET_ORDER:
        if name == "settings":
            _settings_sheet(wb, lang)
        else:
            _table_sheet(wb, TABLES[name], lang)
    # Printable too: a clerk may print the blank tables to collect the rosters by hand.
    for ws in wb.worksheets:
        print_setup(
            ws,
            sheet_widths(ws),
            title_rows=None if ws.title == "说明" else (1, 1),
            landscape=ws.title != "说明",
            college=None,
            name=f"数据填报模板·{ws.title}",
            repeat_cols=1,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
