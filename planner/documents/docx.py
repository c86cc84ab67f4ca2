"""The year's Word documents (python-docx), written by ``planner report``.

- ``工作记录汇编-Y.docx`` — the records booklet: every counted record of the year, grouped
  by leader, then counselor (group meetings last), as the plan asks the office to compile
  the contact records (工作记录) into a booklet;
- ``联系卡-Y.docx`` — one page per leader: their counselors with the contact details of the
  roster's extra columns (电话 …) and this year's items with their state;
- ``总结报告-Y.docx`` — a draft of the year-end summary report with the figures filled in
  and 【…】 placeholders for the office to complete.

Fonts: 宋体 (SimSun) for Chinese body text and 黑体 (SimHei) for headings, set on the East
Asian slot (``w:rFonts w:eastAsia``) so Word and WPS render Chinese with a CJK font.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from models import Problem, stage_of
from planner.i18n import msg, stage_name
from planner.records import Record, form_label, xml_safe
from planner.report import (
    RESEARCH_TARGET_EN,
    RESEARCH_TARGET_ZH,
    AnnualSummary,
    person_name,
    sum_ratios,
)
from planner.status import TrackedItem, rule_label

__all__ = ["write_booklet", "write_cards", "write_summary_report"]

BODY_FONT = "宋体"
HEAD_FONT = "黑体"
LATIN_FONT = "Times New Roman"
_THEME_ATTRS = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")


def _set_fonts(
    target: Any, east_asia: str, latin: str = LATIN_FONT, size: float | None = None
) -> None:
    """Set Latin and East Asian fonts on a style or run (theme fonts removed: they win)."""
    font = target.font
    font.name = latin
    if size is not None:
        font.size = Pt(size)
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        key = qn(attr)
        if key in rfonts.attrib:
            del rfonts.attrib[key]
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)


def _document(year: int, title: str, *, landscape: bool = False) -> Any:
    doc = Document()
    _set_fonts(doc.styles["Normal"], BODY_FONT, size=12)
    for name, size in (("Title", 20), ("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12)):
        st = doc.styles[name]
        _set_fonts(st, HEAD_FONT, size=size)
        st.font.color.rgb = None
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(2.2))
    sec.top_margin = sec.bottom_margin = Cm(2.0)
    props = doc.core_properties
    props.title = title
    props.author = "counselor-planner"
    # Stable metadata: the same inputs give the same document.
    props.created = props.modified = datetime(year, 12, 31)
    props.last_modified_by = "counselor-planner"
    props.revision = 1
    return doc


def _title(doc: Any, text: str, sub: str = "") -> None:
    p = doc.add_paragraph(style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(text)
    if sub:
        s = doc.add_paragraph(sub)
        s.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(
    doc: Any, head: Sequence[str], rows: Iterable[Sequence[object]], size: float = 10
) -> Any:
    rows = list(rows)
    t = doc.add_table(rows=1 + len(rows), cols=len(head))
    t.style = "Table Grid"
    for j, h in enumerate(head):
        cell = t.rows[0].cells[j]
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(h))
        run.bold = True
        _set_fonts(run, HEAD_FONT, size=size)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            cell = t.rows[i].cells[j]
            cell.text = ""
            run = cell.paragraphs[0].add_run("" if v is None else xml_safe(str(v)))
            _set_fonts(run, BODY_FONT, size=size)
    return t


def _who(problem: Problem, pid: str, summary: AnnualSummary) -> str:
    name = person_name(problem, pid, summary.plans)
    return f"{name}({pid})" if name else pid


# ----- the records booklet -----------------------------------------------------------------
_FIELDS = (
    ("summary", "主要内容", "summary"),
    ("issues_raised", "反映问题", "issues raised"),
    ("resolution", "解决措施", "resolution"),
    ("status", "办理状态", "status"),
    ("evidence", "佐证材料", "evidence"),
)
_MODE = {
    "in_person": ("面谈", "in person"),
    "phone": ("电话", "phone"),
    "online": ("线上", "online"),
}


def _record_block(doc: Any, r: Record, lang: str) -> None:
    zh = lang == "zh"
    mode = _MODE.get(r.mode, (r.mode, r.mode))[0 if zh else 1]
    head = f"{r.date.isoformat()}  {form_label(r.form, lang)}({mode})"
    if r.category:
        head += f" · {r.category}"
    p = doc.add_paragraph()
    run = p.add_run(xml_safe(head))
    run.bold = True
    for key, zh_label, en_label in _FIELDS:
        value = getattr(r, key)
        if value:
            q = doc.add_paragraph(style="List Bullet")
            q.add_run(f"{zh_label}:" if zh else f"{en_label}: ").bold = True
            q.add_run(xml_safe(value))


def write_booklet(path: Path, summary: AnnualSummary, problem: Problem, lang: str = "zh") -> None:
    """``工作记录汇编-Y.docx``: the counted records of the year by leader and counselor."""
    zh = lang == "zh"
    y = summary.year
    title = (
        f"领导干部直接联系服务辅导员工作记录汇编({y}年)"
        if zh
        else f"Leader-counselor contact records, {y}"
    )
    doc = _document(y, title)
    _title(
        doc,
        title,
        msg(
            lang,
            f"共 {len(summary.records)} 条记录,{len(summary.leaders)} 名领导干部",
            f"{len(summary.records)} records, {len(summary.leaders)} leaders",
        ),
    )
    by_leader: dict[str, list[Record]] = defaultdict(list)
    for r in summary.records:
        by_leader[r.leader_id].append(r)
    for i, ly in enumerate(summary.leaders, start=1):
        ld = problem.leader_by_id.get(ly.leader_id)
        pos = f" {ld.position}" if ld and ld.position else ""
        doc.add_heading(
            (f"{_cn_number(i)}、" if zh else f"{i}. ") + _who(problem, ly.leader_id, summary) + pos,
            level=1,
        )
        recs = by_leader.get(ly.leader_id, [])
        if not recs:
            doc.add_paragraph(msg(lang, "本年度暂无记录。", "No records this year."))
            continue
        by_c: dict[str, list[Record]] = defaultdict(list)
        for r in recs:
            by_c[r.counselor_id].append(r)
        order = [c for c in ly.counselors if c in by_c] + sorted(
            c for c in by_c if c not in ly.counselors
        )
        for cid in order:
            if cid:
                c = problem.counselor_by_id.get(cid)
                unit = f" {c.unit}" if c else ""
                doc.add_heading(_who(problem, cid, summary) + unit, level=2)
            else:
                doc.add_heading(msg(lang, "工作交流会、年度总结", "Meetings"), level=2)
            for r in sorted(by_c[cid], key=lambda r: (r.date, r.form, r.row)):
                _record_block(doc, r, lang)
    doc.save(str(path))


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


# ----- contact cards ------------------------------------------------------------------------
def _met(item: TrackedItem, records: Sequence[Record]) -> bool:
    for r in records:
        if r.pair != item.pair or r.form != item.form:
            continue
        if item.window_start <= r.date <= item.window_end and (r.in_person or item.form != "talk"):
            return True
    return False


def write_cards(
    path: Path,
    summary: AnnualSummary,
    problem: Problem,
    items: Sequence[TrackedItem],
    lang: str = "zh",
) -> None:
    """``联系卡-Y.docx``: one page per leader — counselors, contact details, the year's items.

    ``items`` are the pair items of the year (schedule items, or the rule windows); each
    shows 已完成 when a counted record meets it, 逾期 when its window closed by the
    report's as-of date, else 待办.
    """
    zh = lang == "zh"
    y = summary.year
    title = f"领导干部直接联系服务辅导员联系卡({y}年)" if zh else f"Contact card, {y}"
    doc = _document(y, title)
    extra_keys = sorted({k for c in problem.counselors for k in c.extra})
    lextra = sorted({k for ld in problem.leaders for k in ld.extra})
    by_leader: dict[str, list[TrackedItem]] = defaultdict(list)
    for it in items:
        by_leader[it.leader_id].append(it)
    all_recs = summary.all_records or summary.records
    for i, ly in enumerate(summary.leaders):
        if i:
            doc.add_page_break()
        p = doc.add_paragraph(style="Title")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(title)
        ld = problem.leader_by_id.get(ly.leader_id)
        info = [
            (msg(lang, "姓名", "name"), person_name(problem, ly.leader_id, summary.plans)),
            (msg(lang, "工号", "id"), ly.leader_id),
            (msg(lang, "职务", "position"), ld.position if ld else ""),
            (msg(lang, "单位", "unit"), ld.unit if ld else ""),
        ] + [(k, ld.extra.get(k, "") if ld else "") for k in lextra]
        _table(doc, [a for a, _ in info], [[b for _, b in info]], size=10.5)
        doc.add_heading(msg(lang, "联系的辅导员", "Counselors"), level=2)
        head = [
            msg(lang, "姓名", "name"),
            msg(lang, "工号", "id"),
            msg(lang, "单位", "unit"),
            msg(lang, "发展阶段", "stage"),
            *extra_keys,
        ]
        rows = []
        for cid in ly.counselors:
            c = problem.counselor_by_id.get(cid)
            stage = stage_of(c.start_date, problem.stage_date).value if c else ""
            rows.append(
                [
                    person_name(problem, cid, summary.plans),
                    cid,
                    c.unit if c else "",
                    stage_name(stage, lang) if stage else "",
                    *[(c.extra.get(k, "") if c else "") for k in extra_keys],
                ]
            )
        _table(doc, head, rows, size=10)
        doc.add_heading(msg(lang, f"{y}年联系事项", f"Items in {y}"), level=2)
        its = sorted(
            by_leader.get(ly.leader_id, []),
            key=lambda it: (it.date or it.window_start, it.counselor_id, it.form),
        )
        if not its:
            doc.add_paragraph(msg(lang, "本年度没有需安排的事项。", "No items this year."))
        else:
            rows = []
            for it in its:
                if _met(it, all_recs):
                    state = msg(lang, "已完成", "done")
                elif it.window_end <= summary.as_of:
                    state = msg(lang, "逾期", "overdue")
                else:
                    state = msg(lang, "待办", "to do")
                rows.append(
                    [
                        rule_label(it.form, lang).replace("(面谈)", ""),
                        person_name(problem, it.counselor_id, summary.plans),
                        it.date.isoformat() if it.date else "",
                        f"{it.window_start.isoformat()}—{it.window_end.isoformat()}",
                        state,
                    ]
                )
            _table(
                doc,
                [
                    msg(lang, "事项", "item"),
                    msg(lang, "辅导员", "counselor"),
                    msg(lang, "计划日期", "planned"),
                    msg(lang, "时间窗口", "window"),
                    msg(lang, "完成情况", "state"),
                ],
                rows,
                size=9,
            )
        doc.add_paragraph(
            msg(
                lang,
                "要求:每季度至少面谈约谈1次;每学期至少参加辅导员组织的活动开展工作指导1次;"
                "结对6个月内完成规划发展指导;帮助辅导员三年内完成院级及以上课题或发表论文。",
                "Each quarter a face-to-face talk; each semester a guidance visit at a counselor's "
                "activity; career guidance within 6 months; help each counselor complete a "
                "project or publish a paper within the three years.",
            )
        )
    doc.save(str(path))


# ----- the year-end summary draft --------------------------------------------------------------
def write_summary_report(
    path: Path, summary: AnnualSummary, problem: Problem, lang: str = "zh"
) -> None:
    """``总结报告-Y.docx``: a draft of the year-end summary with the figures filled in."""
    zh = lang == "zh"
    y = summary.year
    title = (
        f"{y}年领导干部直接联系服务辅导员工作总结"
        if zh
        else f"Year-end summary {y}: leaders serving counselors"
    )
    doc = _document(y, title)
    _title(doc, title, msg(lang, "(初稿,请修改完善)", "(draft for the office to edit)"))
    forms = Counter(r.form for r in summary.records)
    talks_ip = sum(1 for r in summary.records if r.form == "talk" and r.in_person)
    issues = sum(1 for r in summary.records if r.has_issue)
    resolved = sum(1 for r in summary.records if r.resolved)
    n_l, n_c = len(summary.leaders), len(summary.counselors)
    n_pairs = len({k for p in summary.plans for k in p.pairs})
    cycles = "、".join(dict.fromkeys(p.cycle for p in summary.plans))
    met, due = sum_ratios(summary.leaders)
    ok_leaders = sum(1 for ly in summary.leaders if ly.checks and not ly.missed)
    research_ok = sum(1 for c in summary.counselors if c.research)
    cats = Counter(r.category_text for r in summary.records if r.form == "guidance")

    def para(text: str) -> None:
        p = doc.add_paragraph(text)
        p.paragraph_format.first_line_indent = Pt(24)

    if zh:
        para(
            f"{y}年,我院认真落实领导干部直接联系服务辅导员工作实施方案,按照{cycles}周期联系对应表,"
            f"{n_l}名领导干部直接联系{n_c}名一线辅导员(共{n_pairs}对联系关系)。现将全年工作总结如下。"
        )
        doc.add_heading("一、工作开展情况", level=1)
        para(
            f"全年共记录联系工作{len(summary.records)}次,其中定期约谈{forms['talk']}次(面谈{talks_ip}次),"
            f"规划发展指导{forms['career']}次,工作指导{forms['guidance']}次,帮助成长{forms['growth']}次,"
            f"困难帮扶{forms['hardship']}次,领导干部参加工作交流会{forms['exchange']}人次。"
        )
        if cats:
            para(
                "工作指导中,领导干部深入"
                + "、".join(f"{k}{v}次" for k, v in sorted(cats.items()))
                + "等辅导员组织的活动一线。"
            )
        para(
            f"辅导员在联系中反映问题{issues}个,已解决{resolved}个"
            + (f",解决率{100 * resolved / issues:.0f}%。" if issues else "。")
            + "【请补充典型问题及解决情况】"
        )
        para(
            f"帮助成长方面,已有{research_ok}名辅导员完成院级及以上课题或发表论文"
            f"(目标:{RESEARCH_TARGET_ZH})。【请补充职称评聘、学位进修等情况】"
        )
        para(f"全年向上级报送新闻稿件{len(summary.news)}篇。【请补充采用情况】")
        doc.add_heading("二、达标情况", level=1)
        para(
            f"按季度约谈、每学期工作指导、结对6个月内规划发展的要求,截至{summary.as_of.isoformat()},"
            f"应完成事项{due}项,已完成{met}项"
            + (f"(完成率{100 * met / due:.0f}%)" if due else "")
            + f";{ok_leaders}名领导干部全部达标。"
        )
    else:
        para(
            f"In {y}, following the plans of {cycles}, {n_l} leaders contacted {n_c} counselors "
            f"({n_pairs} pairs)."
        )
        doc.add_heading("1. Work done", level=1)
        para(
            f"{len(summary.records)} contacts were recorded: {forms['talk']} talks ({talks_ip} "
            f"face to face), {forms['career']} career sessions, {forms['guidance']} guidance "
            f"visits, {forms['growth']} growth help, {forms['hardship']} hardship help, "
            f"{forms['exchange']} exchange-meeting attendances."
        )
        para(f"Issues raised: {issues}; resolved: {resolved}. [add examples]")
        para(
            f"{research_ok} counselors met the research target ({RESEARCH_TARGET_EN}). "
            f"News items sent: {len(summary.news)}."
        )
        doc.add_heading("2. Compliance", level=1)
        para(
            f"Items due by {summary.as_of.isoformat()}: {due}; met: {met}; leaders fully compliant: {ok_leaders}."
        )
    head = [
        msg(lang, "领导干部", "leader"),
        msg(lang, "约谈", "talks"),
        msg(lang, "规划发展", "career"),
        msg(lang, "工作指导", "guidance"),
        msg(lang, "完成/应完成", "met/due"),
    ]
    rows = []
    for ly in summary.leaders:
        f = ly.forms()
        a, b = sum_ratios([ly])
        rows.append(
            [
                person_name(problem, ly.leader_id, summary.plans) or ly.leader_id,
                f["talk"],
                f["career"],
                f["guidance"],
                f"{a}/{b}" if b else "—",
            ]
        )
    _table(doc, head, rows, size=9)
    missed = [c for c in summary.checks if c.state == "missed"]
    doc.add_heading(msg(lang, "三、存在的问题", "3. Problems"), level=1)
    if missed:
        by_rule = Counter(c.rule for c in missed)
        para(
            msg(
                lang,
                "部分联系事项未按期完成:"
                + "、".join(f"{rule_label(k, 'zh')}{v}项" for k, v in sorted(by_rule.items()))
                + "。【请分析原因】",
                "Some items were missed: "
                + ", ".join(f"{rule_label(k, 'en')} {v}" for k, v in sorted(by_rule.items()))
                + ". [analyse why]",
            )
        )
    else:
        para(msg(lang, "【请填写】", "[to be written]"))
    if summary.excluded:
        para(
            msg(
                lang,
                f"另有{len(summary.excluded)}条记录因人员或结对与联系对应表不符未计入统计,需核实更正。",
                f"{len(summary.excluded)} records did not match the plans and were not counted.",
            )
        )
    doc.add_heading(msg(lang, "四、下一步工作", "4. Next steps"), level=1)
    para(msg(lang, "【请填写】", "[to be written]"))
    p = doc.add_paragraph(msg(lang, "领导小组办公室\n【日期】", "Leading-group office"))
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(str(path))
