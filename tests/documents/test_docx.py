"""The year's Word documents: the records booklet and the 总结报告, from a hand-sized college.

The college (settings: college = 测试职业学院, office = 测试办公室): L1 甲院长 (院长),
L2 乙主任 (系主任 of 机电系, heads it), L3 丙处长 (学生处处长); counselors 001, 002 (机电系),
003 (信息系). Plan 2027-2030: L1—003, L2—001, L2—002, L3—001 (4 pairs; 2 own-unit, L2's;
001 has two leaders). Every record has the extra column 地点.

Records of 2027 (15, all counted):
  L1—003 定期约谈 面谈 03-10, 05-10, 08-10, 11-10 (one in each quarter)
  L1—003 工作指导 班会 04-15 (典型案例 是), 规划发展 04-20
  L2—001 定期约谈 面谈 04-10 (典型案例 是), 11-01; 工作指导 谈心 05-20
  L2—002 定期约谈 面谈 05-06, 电话 09-15; 帮助成长 06-10
  L1 交流会 06-29, 12-20; L2 交流会 06-29 (3 attendances)
  → talks 8 (7 face to face), guidance 2, career 1, growth help 1, attendance 3;
  L1 8 records, L2 7.
L1 meets every requirement whose window closed in 2027 (a face-to-face talk each quarter,
the spring guidance, career within six months); L2 misses talks and career; L3 has no
record at all → 3 leaders, 1 compliant. Plan with L1 alone → "1名领导干部全部达标".

Meetings held in 2027: 领导小组会议 03-05, 交流会 06-29, 推进会 12-20 (1 each; 3 held,
though 3 attendances are recorded too).
问题台账: W1 04-10 closed 04-12 (in time); W2 05-06 closed 06-30 (its deadline, 5 working
days, long past: 超时办结); W3 11-01 待办 (overdue on 12-31) → 3 raised, 2 closed, 2 overdue.
成长记录 2027: 003 院级 project 已结项 (L1); 001 职称评聘 (L2); 002 学位进修 (L2); 001 paper
已发表 (L3) → 1 project (1 completed), 1 paper, 1 title, 1 degree; research target met by
003 and 001 = 2.
评价 2027: 001→L2 满意, 002→L2 基本满意, 003→L1 满意, 001→L3 不满意 → 4 ratings, 满意率 50.0%.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from planner.app.report import annual_report, write_report
from planner.io.read import read_data

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

LEADERS = (
    "工号,姓名,职务,级别,单位,教学单位负责人\n"
    "L1,甲院长,院长,院级,,否\nL2,乙主任,系主任,中层,机电系,是\nL3,丙处长,学生处处长,中层,学生处,否\n"
)
COUNSELORS = (
    "工号,姓名,单位,任辅导员日期\n"
    "001,张一,机电系,2020-09-01\n002,张二,机电系,2015-09-01\n003,张三,信息系,2024-09-01\n"
)
SETTINGS = 'college = "测试职业学院"\noffice = "测试办公室"\ncontact = "李四"\nphone = "0311-1"\n'
CALENDAR = """cycle_start = 2027-03-01
[[semester]]
name = "2026-2027-2"
start = 2027-03-01
end = 2027-07-09
[[semester]]
name = "2027-2028-1"
start = 2027-09-01
end = 2028-01-19
"""
RECORDS = """日期,领导工号,辅导员工号,形式,方式,类别,主要内容,反映问题,解决措施,办理状态,典型案例,地点
2027-03-10,L1,003,定期约谈,面谈,,一季度谈话,,,,,院长办公室
2027-05-10,L1,003,定期约谈,面谈,,二季度谈话,,,,,院长办公室
2027-08-10,L1,003,定期约谈,面谈,,三季度谈话,,,,,院长办公室
2027-11-10,L1,003,定期约谈,面谈,,四季度谈话,,,,,院长办公室
2027-04-15,L1,003,工作指导,面谈,班会,参加主题班会,,,,是,信息系教室
2027-04-20,L1,003,规划发展,面谈,,制定三年规划,,,,,辅导员工作室
2027-04-10,L2,001,定期约谈,面谈,,谈宿舍管理,宿舍问题,已协调,已办结,是,机电系办公室
2027-11-01,L2,001,定期约谈,面谈,,谈工作,宿舍问题,,办理中,,机电系办公室
2027-05-20,L2,001,工作指导,面谈,谈心,参加谈心,,,,,机电系活动室
2027-05-06,L2,002,定期约谈,面谈,,谈经费,经费不足,申请中,办理中,,机电系办公室
2027-09-15,L2,002,定期约谈,电话,,电话了解,,,,,电话
2027-06-10,L2,002,帮助成长,面谈,,指导学位进修,,,,,机电系办公室
2027-06-29,L1,,交流会,面谈,,参加交流会,,,,,第一会议室
2027-06-29,L2,,交流会,面谈,,参加交流会,,,,,第一会议室
2027-12-20,L1,,交流会,面谈,,参加推进会,,,,,第一会议室
"""
GROWTH = """辅导员工号,领导工号,类型,名称,级别,角色,状态,日期
003,L1,科研项目,课题甲,院级,主持,已结项,2027-11-01
001,L2,职称评聘,晋升讲师,,,已评聘,2027-12-01
002,L2,学位进修,在职硕士,,,在读,2027-09-01
001,L3,论文,论文乙,,,已发表,2027-10-01
"""
MEETINGS = """日期,类型,名称,主持,参会领导工号,议定事项
2027-03-05,领导小组会议,领导小组会议,甲院长,L1,审定联系对应表
2027-06-29,交流会,春季交流会,甲院长,L1、L2,交流经验
2027-12-20,推进会,年度推进会,甲院长,L1,通报完成情况
"""
ISSUES = """问题编号,反映日期,反映辅导员工号,受理领导工号,类别,问题描述,办理状态,办结日期
W1,2027-04-10,001,L2,宿舍,宿舍问题,已办结,2027-04-12
W2,2027-05-06,002,L2,经费,经费不足,已办结,2027-06-30
W3,2027-11-01,001,L2,宿舍,宿舍问题,待办,
"""
RATINGS = """年度,辅导员工号,领导工号,评价
2027,001,L2,满意
2027,002,L2,基本满意
2027,003,L1,满意
2027,001,L3,不满意
"""
PLAN = (
    "周期,领导工号,辅导员工号\n"
    "2027-2030,L1,003\n2027-2030,L2,001\n2027-2030,L2,002\n2027-2030,L3,001\n"
)


@pytest.fixture(scope="module")
def college(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("college")
    data = root / "data"
    data.mkdir()
    for name, text in (
        ("领导干部.csv", LEADERS),
        ("辅导员.csv", COUNSELORS),
        ("settings.toml", SETTINGS),
        ("calendar.toml", CALENDAR),
        ("联系记录.csv", RECORDS),
        ("成长记录.csv", GROWTH),
        ("会议记录.csv", MEETINGS),
        ("问题台账.csv", ISSUES),
        ("评价.csv", RATINGS),
    ):
        (data / name).write_text(text, encoding="utf-8")
    (root / "plan.csv").write_text(PLAN, encoding="utf-8-sig")
    (root / "plan_l1.csv").write_text("周期,领导工号,辅导员工号\n2027-2030,L1,003\n", "utf-8-sig")
    return root


def _write(college: Path, out: Path, plan: str = "plan.csv") -> Path:
    ds = read_data(college / "data")
    rep = annual_report(ds, [college / plan], 2027)
    write_report(out, rep, ds)
    return out


@pytest.fixture(scope="module")
def out(college: Path, tmp_path_factory) -> Path:
    return _write(college, tmp_path_factory.mktemp("out"))


def _text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _instr(doc_part_element) -> list[str]:
    return [el.text for el in doc_part_element.iter(f"{W}instrText")]


# ----- the booklet ---------------------------------------------------------------------------
def test_booklet_cover_contents_and_page_numbers(out: Path):
    doc = Document(str(out / "工作记录汇编-2027.docx"))
    first = [p.text for p in doc.paragraphs[:30] if p.text.strip()]
    assert first[:4] == ["测试职业学院", "领导干部直接联系服务辅导员", "工作记录汇编", "(2027年度)"]
    assert "测试办公室" in first and "2027年12月31日" in first
    # A real TOC field over Heading 1-2, shown with the headings until Word updates it.
    toc = [t for t in _instr(doc.element.body) if "TOC" in t]
    assert toc == [' TOC \\o "1-2" \\h \\z \\u ']
    assert doc.settings.element.find(f"{W}updateFields") is not None
    footer = doc.sections[0].footer._element
    assert {t.strip() for t in _instr(footer)} == {"PAGE", "NUMPAGES"}
    assert "测试职业学院" in doc.sections[0].header.paragraphs[0].text
    heads = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    h1 = [t for s, t in heads if s == "Heading 1"]
    assert h1 == ["前  言", "一、联系对应表(2027-2030)", "二、联系工作记录", "三、典型案例"]


def test_booklet_groups_records_and_lists_the_silent_leader_once(out: Path):
    doc = Document(str(out / "工作记录汇编-2027.docx"))
    paras = doc.paragraphs
    h2 = [p.text for p in paras if p.style.name == "Heading 2"]
    # L1 and L2 have records; L3 has none: no entry, one line.
    assert h2[:2] == ["(一)甲院长(院长)", "(二)乙主任(系主任)"]
    assert not any("丙处长" in t for t in h2)
    text = "\n".join(p.text for p in paras)
    assert text.count("丙处长") == 1 and "本年度无记录:丙处长(学生处处长)" in text
    assert "本年度暂无记录" not in text
    # Every leader entry holds records: 8 under 甲院长 (6 with 003, 2 meetings), 7 under 乙主任.
    assert "联系辅导员:张三(信息系);全年记录8条。" in text
    assert "联系辅导员:张一(机电系)、张二(机电系);全年记录7条。" in text
    assert "前  言" in text and "工作记录15条" in text and "典型案例2个" in text
    # The extra column 地点 is kept on every record.
    assert text.count("地点:") == 15 + 2  # each record once, the two typical cases again
    assert "地点:信息系教室" in text and "地点:电话" in text
    # The approved pairing table: the 领导小组会议 of 03-05 审定联系对应表.
    assert "经领导小组审定(2027年3月5日)。" in text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "领导干部",
        "职务",
        "联系辅导员(所在单位)",
    ]
    assert [c.text for c in table.rows[3].cells] == ["3", "丙处长", "学生处处长", "张一(机电系)"]


def test_booklet_typical_cases(out: Path):
    doc = Document(str(out / "工作记录汇编-2027.docx"))
    paras = [p.text for p in doc.paragraphs]
    k = next(
        i
        for i, p in enumerate(doc.paragraphs)
        if p.style.name == "Heading 1" and p.text == "三、典型案例"
    )
    cases = [p for p in paras[k:] if p.startswith("案例")]
    # The contents list the cases too (the TOC field's shown text, before the heading).
    assert all(c in paras[:k] for c in cases)
    assert cases == [
        "案例一:乙主任(系主任)联系张一(机电系)——定期约谈",
        "案例二:甲院长(院长)联系张三(信息系)——工作指导",
    ]
    assert "【典型案例】" in "\n".join(paras)


# ----- the summary report ----------------------------------------------------------------------
def test_summary_report_sections_and_hand_counts(out: Path):
    text = _text(out / "总结报告-2027.docx")
    for sec in (
        "一、组织领导",
        "二、主要做法",
        "三、工作成效",
        "四、典型案例",
        "五、存在问题",
        "六、下一步打算",
    ):
        assert sec in text
    assert text.startswith("测试职业学院2027年领导干部直接联系服务辅导员工作总结报告")
    assert "测试办公室  2027年12月31日" in text
    assert "院级领导1名、中层正职2名全员参与,共3名领导干部联系3名辅导员,结成联系关系4对" in text
    assert "本单位辅导员2对;因领导干部人数较多,1名辅导员由两位领导干部联系" in text
    assert "领导小组全年召开会议1次(3月5日),审定联系对应表" in text
    assert "全年开展定期约谈8次,其中面对面约谈7次" in text
    assert "开展工作指导2次,涵盖班会1次、谈心1次" in text
    assert "完成职业生涯发展指导1次" in text and "开展帮助成长1次、困难帮扶0次" in text
    # Meetings held (1 + 1), not the 3 attendances.
    assert "全年召开工作交流会1次、推进会1次,领导干部参会3人次" in text
    assert "3名领导干部中1名达标" in text and "全部达标" not in text
    assert "新增科研项目1项(其中市厅级及以上0项,已结项1项),发表论文1篇" in text
    assert "职称评聘1人次,学位进修1人次;已有2名辅导员完成" in text
    assert "反映问题3个,已办结2个(办结率66.7%),逾期2个" in text
    assert "4人次评价中,满意2、基本满意1、不满意1,满意率50.0%" in text
    assert "案例一:乙主任(系主任)联系张一(机电系)" in text
    assert "2个问题逾期或超时办结(W2、W3)" in text
    assert "对仍在办理的1个问题" in text
    # The data holds every section's facts: no placeholder.
    assert "【" not in text.replace("【典型案例】", "")


def test_summary_all_compliant_says_so(college: Path, tmp_path: Path):
    text = _text(_write(college, tmp_path, "plan_l1.csv") / "总结报告-2027.docx")
    assert "1名领导干部全部达标" in text
    assert "少数领导干部联系工作未按期完成" not in text


def test_summary_placeholder_only_where_the_data_is_absent(college: Path, tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(college / "data", data)
    for name in ("会议记录.csv", "问题台账.csv", "评价.csv"):
        (data / name).unlink()
    (data / "联系记录.csv").write_text(RECORDS.replace(",是,", ",,"), encoding="utf-8")
    ds = read_data(data)
    rep = annual_report(ds, [college / "plan.csv"], 2027)
    write_report(tmp_path / "o", rep, ds)
    booklet = _text(tmp_path / "o" / "工作记录汇编-2027.docx")
    assert "审定" not in booklet  # no meetings table: no approval line
    text = _text(tmp_path / "o" / "总结报告-2027.docx")
    assert "【请补充领导小组会议情况】" in text
    assert "【请补充工作交流会、推进会召开情况】" in text
    assert "【请补充典型案例" in text
    # Still filled from what is there.
    assert "全年开展定期约谈8次" in text and "职称评聘1人次" in text


# ----- printed through LibreOffice ---------------------------------------------------------------
def _soffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def _pdf_pages(docx: Path, tmp: Path) -> list[str]:
    profile = (tmp / "profile").as_uri()
    office = _soffice()
    assert office is not None
    args = ["--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(docx)]
    subprocess.run(
        [office, f"-env:UserInstallation={profile}", *args],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp / (docx.stem + ".pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    # pdftotext spaces CJK text unevenly: compare without whitespace.
    return [re.sub(r"\s+", "", p) for p in text.split("\f") if p.strip()]


@pytest.mark.skipif(
    _soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler (pdftotext) print the documents",
)
@pytest.mark.parametrize("name", ["工作记录汇编-2027.docx", "总结报告-2027.docx"])
def test_printed_through_libreoffice(out: Path, tmp_path: Path, name: str):
    pages = _pdf_pages(out / name, tmp_path)
    n = len(pages)
    assert n >= 2
    for i, page in enumerate(pages, start=1):
        assert f"第{i}页共{n}页" in page, (i, page[-40:])
    assert "测试职业学院" in pages[0]
