"""The year's Word documents (python-docx), written by ``planner report``.

- ``工作记录汇编-Y.docx`` — the records booklet the plan asks the office to compile: cover,
  目录 (a TOC field), 前言, the 联系对应表, every counted record of the year grouped by leader
  then counselor (meetings last; leaders without records listed once), the typical cases,
  page numbers;
- ``联系卡-Y.docx`` — one page per leader: their counselors with the contact details of the
  roster's extra columns (电话 …) and this year's items with their state;
- ``总结报告-Y.docx`` — the year-end summary report in its six usual sections, written from
  the data (:func:`summary_facts`); a 【请补充…】 placeholder only where the data holds nothing.

Every document carries the college (``settings.college``) in its header and title, and
第 N 页 共 M 页 (PAGE/NUMPAGES fields) in its footer.

Fonts: 宋体 (SimSun) for Chinese body text and 黑体 (SimHei) for headings, set on the East
Asian slot (``w:rFonts w:eastAsia``) so Word and WPS render Chinese with a CJK font.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from models import Problem, stage_of
from planner.duties.year import DutiesView
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

__all__ = [
    "record_fields",
    "summary_facts",
    "write_booklet",
    "write_cards",
    "write_summary_report",
]

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


def _document(year: int, title: str, *, landscape: bool = False, settings: Any = None) -> Any:
    """A new A4 document with the CJK fonts, stable metadata and, on every page, the
    college and title in the header and 第 N 页 共 M 页 (PAGE/NUMPAGES fields) in the footer."""
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
    college = str(getattr(settings, "college", "") or "")
    hp = sec.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head = title if not college or title.startswith(college) else f"{college}  {title}"
    _set_fonts(hp.add_run(xml_safe(head)), BODY_FONT, size=9)
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("第 ", ("PAGE", "1"), " 页  共 ", ("NUMPAGES", "1"), " 页"):
        if isinstance(part, tuple):
            _field(fp, part[0], part[1], size=9)
        else:
            _set_fonts(fp.add_run(part), BODY_FONT, size=9)
    props = doc.core_properties
    props.title = title
    props.subject = college
    props.author = "counselor-planner"
    # Stable metadata: the same inputs give the same document.
    props.created = props.modified = datetime(year, 12, 31)
    props.last_modified_by = "counselor-planner"
    props.revision = 1
    return doc


def _fld_char(kind: str) -> Any:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    return el


def _field(paragraph: Any, instr: str, shown: str = "", size: float | None = None) -> None:
    """A complex field (``PAGE``, ``NUMPAGES`` …) in ``paragraph``, showing ``shown`` until
    Word/WPS/LibreOffice computes it."""
    begin = paragraph.add_run()
    begin._r.append(_fld_char("begin"))
    code = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    code._r.append(text)
    paragraph.add_run()._r.append(_fld_char("separate"))
    result = paragraph.add_run(shown)
    _set_fonts(result, BODY_FONT, size=size)
    paragraph.add_run()._r.append(_fld_char("end"))


def _cover(doc: Any, settings: Any, title: str, sub: str, day: date, lang: str) -> None:
    """The cover page: college, title, year, and at the foot the office and the date."""
    for _ in range(5):
        doc.add_paragraph()
    college = str(getattr(settings, "college", "") or "")
    if college:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(xml_safe(college))
        r.bold = True
        _set_fonts(r, HEAD_FONT, size=22)
    for k, line in enumerate(title.split("\n")):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(18 if k == 0 else 0)
        r = p.add_run(line)
        r.bold = True
        _set_fonts(r, HEAD_FONT, size=26)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(p.add_run(sub), HEAD_FONT, size=18)
    for _ in range(10):
        doc.add_paragraph()
    office = settings.office_name() if settings is not None else ""
    for line in (office, _cn_date(day, lang)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_fonts(p.add_run(xml_safe(line)), BODY_FONT, size=16)
    doc.add_page_break()


def _cn_date(day: date, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def _toc(doc: Any, lang: str) -> Any:
    """The 目录 page: a heading (not itself in the contents) and a TOC field over Heading
    1–2; Word is asked to update fields on opening (``w:updateFields``). Returns the
    field's first paragraph, for :func:`_fill_toc`."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(p.add_run(msg(lang, "目  录", "Contents")), HEAD_FONT, size=18)
    begin = doc.add_paragraph()
    begin.add_run()._r.append(_fld_char("begin"))
    code = begin.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = ' TOC \\o "1-2" \\h \\z \\u '
    code._r.append(text)
    begin.add_run()._r.append(_fld_char("separate"))
    end = doc.add_paragraph()
    end.add_run()._r.append(_fld_char("end"))
    doc.add_page_break()
    upd = OxmlElement("w:updateFields")
    upd.set(qn("w:val"), "true")
    doc.settings.element.append(upd)
    return begin


def _fill_toc(begin: Any, outline: Sequence[tuple[int, str]]) -> None:
    """Write the headings as the TOC field's shown result (until Word/WPS updates it with
    page numbers): one paragraph per heading between the field's begin and end."""
    anchor = begin._p
    for level, text in outline:
        para = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:after"), "40")
        ppr.append(spacing)
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(420 * (level - 1)))
        ppr.append(ind)
        para.append(ppr)
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = xml_safe(text)
        run.append(t)
        para.append(run)
        anchor.addnext(para)
        anchor = para


def _para(doc: Any, text: str, *, indent: bool = True) -> Any:
    p = doc.add_paragraph(xml_safe(text))
    if indent:
        p.paragraph_format.first_line_indent = Pt(24)
    return p


def _title(doc: Any, text: str, sub: str = "") -> None:
    p = doc.add_paragraph(style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(text)
    if sub:
        s = doc.add_paragraph(sub)
        s.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(
    doc: Any,
    head: Sequence[str],
    rows: Iterable[Sequence[object]],
    size: float = 10,
    widths: Sequence[float] | None = None,
) -> Any:
    """A grid table; its header row repeats on every page it spans."""
    rows = list(rows)
    t = doc.add_table(rows=1 + len(rows), cols=len(head))
    t.style = "Table Grid"
    trpr = t.rows[0]._tr.get_or_add_trPr()
    rep = OxmlElement("w:tblHeader")
    rep.set(qn("w:val"), "true")
    trpr.append(rep)
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
    if widths:
        # Both the grid (LibreOffice, WPS) and every cell (Word) carry the widths.
        t.autofit = False
        for j, w in enumerate(widths):
            t.columns[j].width = Cm(w)
        for row_ in t.rows:
            for j, w in enumerate(widths):
                row_.cells[j].width = Cm(w)
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


def _record_head(r: Record, lang: str) -> str:
    zh = lang == "zh"
    mode = _MODE.get(r.mode, (r.mode, r.mode))[0 if zh else 1]
    head = f"{r.date.isoformat()}  {form_label(r.form, lang)}({mode})"
    if r.category:
        head += f" · {r.category}"
    return head


def record_fields(r: Record, lang: str = "zh") -> list[tuple[str, str]]:
    """(label, text) of every non-blank column of a record after date, form, mode and
    category: the pinned ones, 问题编号, then the row's extra columns (地点 …) as written."""
    zh = lang == "zh"
    out = [
        (zh_label if zh else en_label, str(getattr(r, key)))
        for key, zh_label, en_label in _FIELDS
        if getattr(r, key)
    ]
    if r.issue_ids:
        out.append((msg(lang, "问题编号", "issue ids"), "、".join(r.issue_ids)))
    out += [(k, v) for k, v in r.extra if v]
    return out


def _record_block(doc: Any, r: Record, lang: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(4)
    p.paragraph_format.keep_with_next = True  # a record's date line stays with its text
    run = p.add_run(xml_safe(_record_head(r, lang)))
    run.bold = True
    if r.typical:
        p.add_run(msg(lang, "  【典型案例】", "  [typical case]")).bold = True
    sep = ";" if lang == "zh" else "; "
    colon = ":" if lang == "zh" else ": "
    q = doc.add_paragraph()
    q.paragraph_format.left_indent = Pt(24)
    q.paragraph_format.space_after = Pt(6)
    for k, (label, text) in enumerate(record_fields(r, lang)):
        if k:
            q.add_run(sep)
        q.add_run(xml_safe(label) + colon).bold = True
        q.add_run(xml_safe(text))


def _leader_title(problem: Problem, lid: str, summary: AnnualSummary) -> str:
    ld = problem.leader_by_id.get(lid)
    name = person_name(problem, lid, summary.plans) or lid
    return f"{name}({ld.position})" if ld and ld.position else name


def _counselor_text(problem: Problem, cid: str, summary: AnnualSummary) -> str:
    c = problem.counselor_by_id.get(cid)
    name = person_name(problem, cid, summary.plans) or cid
    return f"{name}({c.unit})" if c and c.unit else name


def _approval(duties: DutiesView | None, summary: AnnualSummary) -> date | None:
    """The day of the latest 领导小组会议 up to the as-of day whose 议定事项 say it approved
    (审定) the 联系对应表, None when the meetings table says nothing of it."""
    if duties is None:
        return None
    days = [
        m.date
        for m in duties.meetings
        if m.kind == "group"
        and m.date <= summary.as_of
        and "审定" in m.decisions
        and "联系对应表" in m.decisions
    ]
    return max(days, default=None)


def write_booklet(
    path: Path,
    summary: AnnualSummary,
    problem: Problem,
    lang: str = "zh",
    duties: DutiesView | None = None,
) -> None:
    """``工作记录汇编-Y.docx``: the year's booklet of contact records.

    A cover (college, year, office, date), a table of contents (a Word TOC field over the
    Heading styles, so Word/WPS can update it), a preface with the year's figures, the
    联系对应表 in force, the counted records grouped by leader and counselor (leaders
    without a record listed once, never given an empty entry), the typical cases (records
    whose 典型案例 is 是), and page numbers in the footer. Every column of a record is
    printed, the extra ones (地点 …) included.
    """
    zh = lang == "zh"
    y = summary.year
    settings = problem.settings
    title = "领导干部直接联系服务辅导员工作记录汇编" if zh else "Leader-counselor contact records"
    doc = _document(y, f"{title}({y}年)" if zh else f"{title}, {y}", settings=settings)
    cover = "领导干部直接联系服务辅导员\n工作记录汇编" if zh else title
    _cover(doc, settings, cover, msg(lang, f"({y}年度)", f"({y})"), summary.as_of, lang)
    toc = _toc(doc, lang)
    outline: list[tuple[int, str]] = []

    def head(text: str, level: int) -> None:
        doc.add_heading(xml_safe(text), level=level)
        if level <= 2:
            outline.append((level, text))

    forms = Counter(r.form for r in summary.records)
    typical = [r for r in summary.records if r.typical]
    n_pairs = len({k for p in summary.plans for k in p.pairs})
    cycles = "、".join(dict.fromkeys(p.cycle for p in summary.plans))
    head(msg(lang, "前  言", "Preface"), 1)
    if zh:
        college = settings.college or "我院"
        _para(
            doc,
            "《领导干部直接联系服务辅导员工作实施方案》要求“注意收集、汇总学校领导干部直接联系服务"
            "辅导员的相关工作记录、资料,适时编印成册,形成成果”。领导小组办公室将"
            f"{college}{y}年度的联系工作记录汇编成册,供领导干部交流工作、总结经验。",
        )
        _para(
            doc,
            f"{y}年,{len(summary.leaders)}名领导干部按{cycles}周期联系对应表直接联系"
            f"{len(summary.counselors)}名一线辅导员,共{n_pairs}对联系关系。本汇编收录计入统计的"
            f"工作记录{len(summary.records)}条,其中定期约谈{forms['talk']}次、工作指导"
            f"{forms['guidance']}次、规划发展{forms['career']}次、帮助成长{forms['growth']}次、"
            f"困难帮扶{forms['hardship']}次、参加工作交流会和推进会{forms['exchange']}人次;"
            f"典型案例{len(typical)}个。记录按领导干部分列,同一领导按联系的辅导员排列。",
        )
        if summary.excluded:
            _para(
                doc,
                f"另有{len(summary.excluded)}条记录因人员或结对与联系对应表不符,未收录,"
                "已在年度汇总表“未计入记录”中列出,请核实更正。",
            )
    else:
        _para(
            doc,
            f"In {y}, {len(summary.leaders)} leaders contacted {len(summary.counselors)} "
            f"counselors ({n_pairs} pairs, cycle {cycles}). This booklet holds the "
            f"{len(summary.records)} counted records and {len(typical)} typical cases.",
        )

    # 一、联系对应表
    head(msg(lang, f"一、联系对应表({cycles})", f"1. Pairing table ({cycles})"), 1)
    approved = _approval(duties, summary)
    if approved is not None:
        _para(
            doc,
            msg(
                lang,
                f"经领导小组审定({_cn_date(approved, lang)})。",
                f"Approved by the leading group on {approved.isoformat()}.",
            ),
            indent=False,
        )
    rows = []
    for i, ly in enumerate(summary.leaders, start=1):
        ld = problem.leader_by_id.get(ly.leader_id)
        rows.append(
            [
                i,
                person_name(problem, ly.leader_id, summary.plans) or ly.leader_id,
                ld.position if ld else "",
                ("、" if zh else ", ").join(
                    _counselor_text(problem, c, summary) for c in ly.counselors
                ),
            ]
        )
    _table(
        doc,
        [
            msg(lang, "序号", "No."),
            msg(lang, "领导干部", "leader"),
            msg(lang, "职务", "position"),
            msg(lang, "联系辅导员(所在单位)", "counselors (unit)"),
        ],
        rows,
        size=10,
        widths=(1.2, 2.4, 3.6, 9.4),
    )

    # 二、联系工作记录
    head(msg(lang, "二、联系工作记录", "2. Contact records"), 1)
    by_leader: dict[str, list[Record]] = defaultdict(list)
    for r in summary.records:
        by_leader[r.leader_id].append(r)
    silent = []
    k = 0
    for ly in summary.leaders:
        recs = by_leader.get(ly.leader_id, [])
        if not recs:
            silent.append(ly.leader_id)
            continue
        k += 1
        number = f"({_cn_number(k)})" if zh else f"2.{k} "
        head(number + _leader_title(problem, ly.leader_id, summary), 2)
        _para(
            doc,
            msg(
                lang,
                "联系辅导员:"
                + "、".join(_counselor_text(problem, c, summary) for c in ly.counselors)
                + f";全年记录{len(recs)}条。",
                "Counselors: "
                + ", ".join(_counselor_text(problem, c, summary) for c in ly.counselors)
                + f"; {len(recs)} records.",
            ),
            indent=False,
        )
        by_c: dict[str, list[Record]] = defaultdict(list)
        for r in recs:
            by_c[r.counselor_id].append(r)
        order = [c for c in ly.counselors if c in by_c] + sorted(
            c for c in by_c if c not in ly.counselors
        )
        for cid in order:
            if cid:
                head(_counselor_text(problem, cid, summary), 3)
            else:
                head(msg(lang, "参加工作交流会、推进会", "Meetings attended"), 3)
            for r in sorted(by_c[cid], key=lambda r: (r.date, r.form, r.row)):
                _record_block(doc, r, lang)
    if silent:
        names = ("、" if zh else ", ").join(_leader_title(problem, x, summary) for x in silent)
        p = doc.add_paragraph()
        p.add_run(msg(lang, "本年度无记录:", "No records this year: ")).bold = True
        p.add_run(xml_safe(names))

    # 三、典型案例
    head(msg(lang, "三、典型案例", "3. Typical cases"), 1)
    if not typical:
        _para(
            doc,
            msg(
                lang,
                "本年度的联系记录中没有标注为典型案例的记录(在联系记录的“典型案例”列填“是”即可编入)。",
                "No record is marked as a typical case (典型案例 = 是).",
            ),
        )
    for n, r in enumerate(typical, start=1):
        who = _leader_title(problem, r.leader_id, summary)
        whom = _counselor_text(problem, r.counselor_id, summary) if r.counselor_id else ""
        head(
            msg(
                lang,
                f"案例{_cn_number(n)}:{who}"
                + (f"联系{whom}" if whom else "")
                + f"——{form_label(r.form, lang)}",
                f"Case {n}: {who}"
                + (f" with {whom}" if whom else "")
                + f" — {form_label(r.form, lang)}",
            ),
            2,
        )
        _record_block(doc, r, lang)
    _fill_toc(toc, outline)
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
    doc = _document(y, title, settings=problem.settings)
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


# ----- the year-end summary report ------------------------------------------------------------
_TODO = "【请补充{}】"


def _growth_counts(summary: AnnualSummary) -> dict[str, int]:
    """The year's growth ledger (成长记录 dated in the year) by kind and state."""
    rows = [g for ly in summary.leaders for g in ly.growth]
    rows = list({id(g): g for g in rows}.values())
    done = [g for g in rows if g.completed_research]
    return {
        "projects": sum(1 for g in rows if g.kind == "project"),
        "projects_done": sum(1 for g in done if g.kind == "project"),
        "projects_up": sum(
            1
            for g in rows
            if g.kind == "project" and g.level in ("municipal", "provincial", "national")
        ),
        "papers": sum(1 for g in rows if g.published),
        "titles": sum(1 for g in rows if g.kind == "title"),
        "degrees": sum(1 for g in rows if g.kind == "degree"),
    }


def summary_facts(
    summary: AnnualSummary, problem: Problem, duties: DutiesView | None = None
) -> dict[str, Any]:
    """The figures the 总结报告 states, each counted from the data (a test checks them)."""
    recs = summary.records
    forms = Counter(r.form for r in recs)
    levels = Counter(
        problem.leader_by_id[ly.leader_id].level.value
        for ly in summary.leaders
        if ly.leader_id in problem.leader_by_id
    )
    pairs = {k for p in summary.plans for k in p.pairs}
    own = sum(
        1
        for lid, cid in pairs
        if lid in problem.leader_by_id
        and cid in problem.counselor_by_id
        and problem.leader_by_id[lid].heads_teaching_unit
        and problem.leader_by_id[lid].unit == problem.counselor_by_id[cid].unit
    )
    per_c = Counter(cid for _, cid in pairs)
    ok = [ly for ly in summary.leaders if ly.checks and not ly.missed]
    behind = [ly for ly in summary.leaders if ly.missed]
    met, due = sum_ratios(summary.leaders)
    facts: dict[str, Any] = {
        "leaders": len(summary.leaders),
        "college_leaders": levels.get("college", 0),
        "middle_leaders": levels.get("middle", 0),
        "counselors": len(summary.counselors),
        "pairs": len(pairs),
        "own_unit_pairs": own,
        "two_leaders": sum(1 for v in per_c.values() if v > 1),
        "records": len(recs),
        "talks": forms["talk"],
        "talks_in_person": sum(1 for r in recs if r.form == "talk" and r.in_person),
        "guidance": forms["guidance"],
        "career": forms["career"],
        "growth_help": forms["growth"],
        "hardship": forms["hardship"],
        "attendance": forms["exchange"],
        "guidance_categories": Counter(r.category_text for r in recs if r.form == "guidance"),
        "compliant": len(ok),
        "behind": behind,
        "met": met,
        "due": due,
        "research_met": sum(1 for c in summary.counselors if c.research),
        "news": len(summary.news),
        "news_used": sum(1 for n in summary.news if "采用" in n.status),
        "typical": [r for r in recs if r.typical],
        "record_issues": sum(1 for r in recs if r.has_issue),
        "record_resolved": sum(1 for r in recs if r.resolved),
        **_growth_counts(summary),
    }
    if duties is not None:
        y_issues = duties.year_issues()
        y_meetings = [m for m in duties.meetings if m.date.year == summary.year]
        tallies = [t for t in duties.tallies.values() if t.year == summary.year]
        facts |= {
            "meetings": Counter(m.kind for m in y_meetings),
            "meeting_list": sorted(y_meetings, key=lambda m: m.date),
            "issues": len(y_issues),
            "issues_closed": sum(1 for s in y_issues if s.issue.status == "closed"),
            "issues_overdue": [s for s in y_issues if s.overdue],
            "issues_common": sorted({s.issue.category for s in y_issues if s.is_common}),
            "issues_open": sum(1 for s in y_issues if s.issue.status != "closed"),
            "raters": sum(t.raters for t in tallies),
            "satisfied": sum(t.satisfied for t in tallies),
            "fair": sum(t.fair for t in tallies),
            "dissatisfied": sum(t.dissatisfied for t in tallies),
            "grades": Counter(g.grade.value for g in duties.gradings),
        }
    return facts


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "—"


def write_summary_report(
    path: Path,
    summary: AnnualSummary,
    problem: Problem,
    lang: str = "zh",
    duties: DutiesView | None = None,
) -> None:
    """``总结报告-Y.docx``: the year-end summary report, written from the data.

    The usual sections — 一、组织领导 二、主要做法 三、工作成效 四、典型案例 五、存在问题
    六、下一步打算 — state what the rosters, plans, records, growth ledger, meetings,
    问题台账 and ratings say; a 【请补充…】 placeholder stands only where the data holds
    nothing (no meetings table, no typical case, …). The college, office and date are on
    the title block and at the end.
    """
    zh = lang == "zh"
    y = summary.year
    settings = problem.settings
    college = settings.college
    title = (
        f"{college}{y}年领导干部直接联系服务辅导员工作总结报告"
        if zh
        else f"{college + ': ' if college else ''}year-end report {y} on leaders serving counselors"
    )
    doc = _document(y, title, settings=settings)
    _title(doc, title, f"{settings.office_name()}  {_cn_date(summary.as_of, lang)}")
    f = summary_facts(summary, problem, duties)
    if not zh:
        _summary_en(doc, summary, f)
        doc.save(str(path))
        return
    who = college or "我院"
    cycles = "、".join(dict.fromkeys(p.cycle for p in summary.plans))
    _para(
        doc,
        f"{y}年,{who}深入落实《领导干部直接联系服务辅导员工作实施方案》,坚持以助力辅导员成长和发展"
        f"为宗旨、以直接联系和结对帮扶为主要形式,{f['leaders']}名领导干部直接联系{f['counselors']}名"
        "一线辅导员,较好完成了全年各项联系工作。现将有关情况报告如下。",
    )

    # 一、组织领导
    doc.add_heading("一、组织领导", level=1)
    meets: Counter[str] = f.get("meetings", Counter())
    group = [m for m in f.get("meeting_list", []) if m.kind == "group"]
    text = (
        f"学院成立以院长、书记为组长的领导干部联系服务辅导员工作领导小组,办公室设在院长(党委)办公室。"
        f"本年度执行{cycles}周期联系对应表:院级领导{f['college_leaders']}名、中层正职"
        f"{f['middle_leaders']}名全员参与,共{f['leaders']}名领导干部联系{f['counselors']}名辅导员,"
        f"结成联系关系{f['pairs']}对,其中教学单位负责人联系本单位辅导员{f['own_unit_pairs']}对"
    )
    text += (
        f";因领导干部人数较多,{f['two_leaders']}名辅导员由两位领导干部联系。"
        if f["two_leaders"]
        else "。"
    )
    if group:
        text += (
            f"领导小组全年召开会议{len(group)}次("
            + "、".join(f"{m.date.month}月{m.date.day}日" for m in group)
            + "),"
            + ";".join(m.decisions for m in group if m.decisions)
            + "。"
        )
    elif duties is None or not f.get("meeting_list"):
        text += _TODO.format("领导小组会议情况")
    _para(doc, text)

    # 二、主要做法
    doc.add_heading("二、主要做法", level=1)
    _para(
        doc,
        f"(一)坚持定期约谈。全年开展定期约谈{f['talks']}次,其中面对面约谈{f['talks_in_person']}次,"
        "主动了解辅导员的思想、工作、生活状况,听取对学院发展建设的意见建议。",
    )
    cats = f["guidance_categories"]
    cat_text = "、".join(
        f"{k}{v}次" for k, v in sorted(cats.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    _para(
        doc,
        f"(二)深入一线开展工作指导。领导干部参加辅导员组织的活动开展工作指导{f['guidance']}次"
        + (f",涵盖{cat_text}" if cat_text else "")
        + ",了解辅导员工作状况,给予指导、促进创新。",
    )
    _para(
        doc,
        f"(三)分层开展规划发展指导。针对新任、骨干、资深辅导员的不同特点,完成职业生涯发展指导"
        f"{f['career']}次,帮助辅导员明确发展方向。",
    )
    _para(
        doc,
        f"(四)帮助成长、帮扶解困。开展帮助成长{f['growth_help']}次、困难帮扶{f['hardship']}次,"
        "在职称评聘、学位进修、科研申报和生活困难等方面提供指导和帮助。",
    )
    if duties is not None and f["meeting_list"]:
        kinds = "、".join(
            f"{name}{meets[k]}次"
            for k, name in (("exchange", "工作交流会"), ("progress", "推进会"))
            if meets.get(k)
        )
        _para(
            doc,
            f"(五)定期交流推进。全年召开{kinds or '交流会、推进会0次'},领导干部参会"
            f"{f['attendance']}人次,交流工作经验、研究辅导员反映的普遍性问题。",
        )
    else:
        _para(doc, "(五)定期交流推进。" + _TODO.format("工作交流会、推进会召开情况"))
    _para(
        doc,
        f"(六)做好宣传报送。全年向省委教育工委、省教育厅报送新闻稿件{f['news']}篇"
        + (f",被采用{f['news_used']}篇。" if f["news_used"] else "。"),
    )

    # 三、工作成效
    doc.add_heading("三、工作成效", level=1)
    n_all = f["leaders"]
    if f["compliant"] == n_all and n_all:
        done = f"{n_all}名领导干部全部达标"
    else:
        done = f"{n_all}名领导干部中{f['compliant']}名达标"
    _para(
        doc,
        f"(一)联系工作按要求落实。按每季度约谈、每学期工作指导、结对6个月内完成规划发展的要求,"
        f"截至{_cn_date(summary.as_of, lang)}应完成事项{f['due']}项,已完成{f['met']}项"
        f"(完成率{_pct(f['met'], f['due'])}),{done}。",
    )
    _para(
        doc,
        f"(二)辅导员成长有进展。全年新增科研项目{f['projects']}项(其中市厅级及以上"
        f"{f['projects_up']}项,已结项{f['projects_done']}项),发表论文{f['papers']}篇,"
        f"职称评聘{f['titles']}人次,学位进修{f['degrees']}人次;已有{f['research_met']}名辅导员"
        f"完成院级及以上课题或发表论文(目标:{RESEARCH_TARGET_ZH})。",
    )
    if duties is not None:
        overdue = f["issues_overdue"]
        text = (
            f"(三)问题解决及时。辅导员反映问题{f['issues']}个,已办结{f['issues_closed']}个"
            f"(办结率{_pct(f['issues_closed'], f['issues'])}),逾期{len(overdue)}个"
        )
        if f["issues_common"]:
            text += (
                ";"
                + "、".join(f["issues_common"])
                + "类问题反映较为集中,列为普遍性问题,纳入工作交流会议题"
            )
        _para(doc, text + "。")
        if f["raters"]:
            grades = f["grades"]
            _para(
                doc,
                f"(四)辅导员评价较好。{f['raters']}人次评价中,满意{f['satisfied']}、基本满意"
                f"{f['fair']}、不满意{f['dissatisfied']},满意率{_pct(f['satisfied'], f['raters'])}"
                + (
                    ";领导小组评定"
                    + "、".join(
                        f"{k}{grades[k]}人"
                        for k in ("优秀", "合格", "基本合格", "不合格")
                        if grades.get(k)
                    )
                    if grades
                    else ""
                )
                + "。",
            )
        else:
            _para(doc, "(四)辅导员评价。" + _TODO.format("辅导员对联系领导的评价情况"))
    else:
        _para(
            doc,
            f"(三)问题解决。辅导员在联系中反映问题{f['record_issues']}个,已解决"
            f"{f['record_resolved']}个。" + _TODO.format("问题台账、评价情况"),
        )

    # 四、典型案例
    doc.add_heading("四、典型案例", level=1)
    if f["typical"]:
        for n, r in enumerate(f["typical"], start=1):
            whom = _counselor_text(problem, r.counselor_id, summary) if r.counselor_id else ""
            _para(
                doc,
                f"案例{_cn_number(n)}:{_leader_title(problem, r.leader_id, summary)}"
                + (f"联系{whom}" if whom else "")
                + f"({r.date.month}月{r.date.day}日,{form_label(r.form, lang)})。{r.summary}"
                + (f"。解决措施:{r.resolution}" if r.resolution else "")
                + "。",
            )
    else:
        _para(doc, _TODO.format("典型案例(在联系记录“典型案例”列填“是”可自动编入)"))

    # 五、存在问题
    doc.add_heading("五、存在问题", level=1)
    problems = 0
    if f["behind"]:
        parts = []
        for ly in f["behind"]:
            miss = ly.missed
            bits = "、".join(
                f"{label}{miss[k]}{unit}"
                for k, label, unit in (
                    ("talk", "约谈缺", "个季度"),
                    ("guidance", "工作指导缺", "个学期"),
                    ("career", "规划发展缺", "人"),
                )
                if miss[k]
            )
            parts.append(f"{_leader_title(problem, ly.leader_id, summary)}{bits}")
        problems += 1
        _para(
            doc,
            f"{_cn_number(problems)}是少数领导干部联系工作未按期完成:" + ";".join(parts) + "。",
        )
    if duties is not None and f["issues_overdue"]:
        problems += 1
        ids = "、".join(s.issue.issue_id for s in f["issues_overdue"])
        _para(
            doc,
            f"{_cn_number(problems)}是个别问题办理不够及时,{len(f['issues_overdue'])}个问题逾期"
            f"或超时办结({ids})。",
        )
    if duties is not None and f.get("dissatisfied"):
        problems += 1
        _para(
            doc,
            f"{_cn_number(problems)}是辅导员评价中有{f['dissatisfied']}人次不满意,"
            "联系服务的针对性有待加强。",
        )
    if summary.excluded:
        problems += 1
        _para(
            doc,
            f"{_cn_number(problems)}是{len(summary.excluded)}条联系记录的人员或结对与联系对应表不符,"
            "记录填报需进一步规范。",
        )
    if not problems:
        _para(doc, _TODO.format("存在的问题(本年度数据未见未完成事项、逾期问题和不满意评价)"))

    # 六、下一步打算
    doc.add_heading("六、下一步打算", level=1)
    steps = []
    if f["behind"]:
        names = "、".join(
            person_name(problem, ly.leader_id, summary.plans) or ly.leader_id for ly in f["behind"]
        )
        steps.append(f"督促{names}等领导干部尽快补齐未完成的联系事项,做到每季度面谈约谈不缺项。")
    if duties is not None and (f["issues_overdue"] or f.get("issues_open")):
        steps.append(f"对仍在办理的{f['issues_open']}个问题明确责任部门和办结时限,逐项跟踪销号。")
    if f["research_met"] < f["counselors"]:
        steps.append(
            f"围绕三年科研目标,帮助尚未完成的{f['counselors'] - f['research_met']}名辅导员"
            "申报院级及以上课题或发表论文。"
        )
    steps.append(
        f"按{y + 1}年联系日程开展定期约谈、工作指导,每学期召开工作交流会,年底做好总结和年度汇总表报送。"
    )
    for n, text in enumerate(steps, start=1):
        _para(doc, f"{_cn_number(n)}是{text}")

    doc.add_heading("附表:领导干部联系工作完成情况", level=2)
    _leader_table(doc, summary, problem, lang)
    doc.add_paragraph()
    for line in (settings.office_name(), _cn_date(summary.as_of, lang)):
        p = doc.add_paragraph(xml_safe(line))
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(str(path))


def _leader_table(doc: Any, summary: AnnualSummary, problem: Problem, lang: str) -> None:
    head = [
        msg(lang, "领导干部", "leader"),
        msg(lang, "约谈", "talks"),
        msg(lang, "规划发展", "career"),
        msg(lang, "工作指导", "guidance"),
        msg(lang, "完成/应完成", "met/due"),
    ]
    rows = []
    for ly in summary.leaders:
        fm = ly.forms()
        a, b = sum_ratios([ly])
        rows.append(
            [
                person_name(problem, ly.leader_id, summary.plans) or ly.leader_id,
                fm["talk"],
                fm["career"],
                fm["guidance"],
                f"{a}/{b}" if b else "—",
            ]
        )
    _table(doc, head, rows, size=9)


def _summary_en(doc: Any, summary: AnnualSummary, f: dict[str, Any]) -> None:
    y = summary.year
    sections = (
        (
            "1. Organisation",
            f"{f['leaders']} leaders ({f['college_leaders']} college-level, "
            f"{f['middle_leaders']} middle-level) contacted {f['counselors']} counselors in "
            f"{f['pairs']} pairs ({f['own_unit_pairs']} own-unit).",
        ),
        (
            "2. What was done",
            f"{f['talks']} talks ({f['talks_in_person']} face to face), {f['guidance']} guidance "
            f"visits, {f['career']} career sessions, {f['growth_help']} growth help, "
            f"{f['hardship']} hardship help; {f['news']} news items.",
        ),
        (
            "3. Results",
            f"Items due by {summary.as_of.isoformat()}: {f['due']}; met: {f['met']}; leaders "
            f"compliant: {f['compliant']} of {f['leaders']}. Projects {f['projects']}, papers "
            f"{f['papers']}, titles {f['titles']}, degrees {f['degrees']}; "
            f"{f['research_met']} counselors met the research target ({RESEARCH_TARGET_EN}).",
        ),
        ("4. Typical cases", f"{len(f['typical'])} records marked as typical cases."),
        ("5. Problems", f"{len(f['behind'])} leaders behind in {y}."),
        ("6. Next steps", "[to be written]"),
    )
    for head, text in sections:
        doc.add_heading(head, level=1)
        _para(doc, text)
