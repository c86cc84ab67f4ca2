"""``planner report``: the 年度汇总表 counts equal the hand counts of a small records file.

The college: L1 (院长, college level) and L2 (系主任 of 机电系); counselors 001, 002
(机电系), 003, 004 (信息系). Plan 2027-2030 (cycle from 2027-03-01): L1—003, L1—004,
L2—001, L2—002. Semesters 2026-2027-2 (03-01…07-09) and 2027-2028-1 (09-01…2028-01-19).

Records (row as in the spreadsheet → what it counts for in 2027):

  2  04-10 L2 001 定期约谈 面谈, issue 宿舍, 已办结   L2 talk, in person, issue, resolved
  3  05-10 L2 001 定期约谈 电话, issue 无             L2 talk (not in person), no issue
  4  05-20 L2 002 定期约谈 面谈, issue 经费, 办理中   L2 talk, in person, issue
  5  04-15 L2 001 规划发展                            L2 career
  6  05-05 L2 001 工作指导 班会                       L2 guidance (班会)
  7  06-01 L2 002 工作指导 谈心                       L2 guidance (谈心)
  8  06-02 L1 003 工作指导 线上 主题班会              L1 guidance (班会: alias)
  9  04-20 L1 003 定期约谈 面谈                       L1 talk, in person
 10  06-29 L1 ——  交流会                               L1 exchange
 11  07-01 L1 004 困难帮扶                            L1 hardship
 12  2026-12-01 L2 001 定期约谈                       another year: not counted
 13  05-01 L1 001 定期约谈                            pair not in the plan: excluded
 14  05-02 L9 001 定期约谈                            unknown leader: excluded
 15  05-03 L2 999 规划发展                            unknown counselor: excluded
 16  2028-01-05 L2 002 定期约谈                       another year: not counted

Hand counts, 2027:     talks  in person  career  guidance  exchange  hardship  issues  resolved
  L1                    1      1          0       1         1         1         0       0
  L2                    3      2          1       2         0         0         2       1
  合计                  4      3          1       3         1         1         2       1

Growth: 003/L1 院级 project 主持 已结项 (L1 课题(院级) 1; 003 meets the target);
001/L2 paper 已发表 (L2 论文 1; 001 meets it); 002/L2 省部级 project 参与 在研 (L2
课题(省部级) 1; not completed); 004/L2 市厅级 project 已结项 — 004 is not L2's counselor,
so L2 gets no credit (reported) but 004 meets the target.
News 2027: "部署会" L1、L2; "班会" L2; "未知" L9 (reported) → L1 1, L2 2.

Compliance (as of 2027-12-31), talks need a face-to-face talk in each quarter of the
cycle in 2027 (Q1 = 03-01…03-31, Q2, Q3, Q4):
  L2—001: Q2 met (04-10), Q1 Q3 Q4 missed; guidance 2026-2027-2 met, 2027-2028-1 pending;
          career met (04-15).
  L2—002: Q2 met (05-20), 3 missed; guidance met; career missed.
  → L2 talks 2/8, guidance 2/2, career 1/2.
  L1—003: Q2 met; guidance met (06-02, online counts); career missed.
  L1—004: nothing met.  → L1 talks 1/8, guidance 1/2, career 0/2.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.app.report import annual_report, write_report
from planner.cli import app
from planner.io.read import read_data
from planner.report import DEFAULT_COLUMNS, METRICS

runner = CliRunner()

LEADERS = "工号,姓名,职务,单位,教学单位负责人,电话\nL1,甲院长,院长,,否,0311-1\nL2,乙主任,系主任,机电系,是,0311-2\n"
COUNSELORS = (
    "工号,姓名,单位,任辅导员日期,电话\n"
    "001,张一,机电系,2020-09-01,139-1\n002,张二,机电系,2015-09-01,139-2\n"
    "003,张三,信息系,2024-09-01,139-3\n004,张四,信息系,2010-09-01,139-4\n"
)
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
RECORDS = """日期,领导工号,辅导员工号,形式,方式,类别,主要内容,反映问题,解决措施,办理状态
2027-04-10,L2,001,定期约谈,面谈,,谈心,宿舍问题,已协调,已办结
2027-05-10,L2,001,定期约谈,电话,,电话了解,无,,无需办理
2027-05-20,L2,002,定期约谈,面谈,,谈话,经费不足,申请中,办理中
2027-04-15,L2,001,规划发展,面谈,,规划,,,
2027-05-05,L2,001,工作指导,面谈,班会,参加班会,,,
2027-06-01,L2,002,工作指导,面谈,谈心,参加谈心,,,
2027-06-02,L1,003,工作指导,面谈,主题班会,线上\x0b班会,,,
2027-04-20,L1,003,定期约谈,面谈,,谈话,,,
2027-06-29,L1,,交流会,面谈,,交流会,,,
2027-07-01,L1,004,困难帮扶,面谈,,家访,,,
2026-12-01,L2,001,定期约谈,面谈,,去年,,,
2027-05-01,L1,001,定期约谈,面谈,,不在对应表,,,
2027-05-02,L9,001,定期约谈,面谈,,未知领导,,,
2027-05-03,L2,999,规划发展,面谈,,未知辅导员,,,
2028-01-05,L2,002,定期约谈,面谈,,明年,,,
"""
GROWTH = """辅导员工号,领导工号,类型,名称,级别,角色,状态,日期
003,L1,科研项目,课题甲,院级,主持,已结项,2027-11-01
001,L2,论文,论文乙,,,已发表,2027-08-01
002,L2,科研项目,课题丙,省部级,参与,在研,2027-06-01
004,L2,科研项目,课题丁,市厅级,参与,已结项,2027-09-01
"""
NEWS = """日期,标题,领导工号,报送单位,状态
2027-03-26,部署会,L1、L2,省教育厅,已采用
2027-05-20,班会,L2,省教育厅,已报送
2027-06-01,未知,L9,省教育厅,已报送
2026-12-01,去年,L1,省教育厅,已报送
"""
PLAN = "周期,领导工号,领导姓名,辅导员工号\n2027-2030,L1,甲院长,003\n2027-2030,L1,甲院长,004\n2027-2030,L2,乙主任,001\n2027-2030,L2,乙主任,002\n"


@pytest.fixture(scope="module")
def college(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("college")
    data = root / "data"
    data.mkdir()
    for name, text in (
        ("领导干部.csv", LEADERS),
        ("辅导员.csv", COUNSELORS),
        ("calendar.toml", CALENDAR),
        ("联系记录.csv", RECORDS),
        ("成长记录.csv", GROWTH),
        ("新闻报送.csv", NEWS),
    ):
        (data / name).write_text(text, encoding="utf-8")
    (root / "plan.csv").write_text(PLAN, encoding="utf-8-sig")
    return root


@pytest.fixture(scope="module")
def report(college: Path, tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("out")
    args = ["report", str(college / "data"), "--plan", str(college / "plan.csv")]
    r = runner.invoke(app, [*args, "--year", "2027", "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out, r.output


def summary_table(path: Path) -> tuple[list[str], dict[str, dict[str, object]]]:
    """(headers, leader id → {header: value}) of the 汇总 sheet; the header row is found."""
    ws = load_workbook(path)["汇总"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    h = next(i for i, r in enumerate(rows) if "领导工号" in r or "leader_id" in r)
    head = [str(x) for x in rows[h]]
    key = head.index("领导工号") if "领导工号" in head else head.index("leader_id")
    return head, {str(r[key]): dict(zip(head, r, strict=True)) for r in rows[h + 1 :] if r[key]}


def test_counts_equal_hand_counts(report):
    out, _ = report
    head, by = summary_table(out / "年度汇总表-2027.xlsx")
    assert head[:6] == ["领导工号", "领导姓名", "职务", "联系辅导员人数", "约谈次数", "其中面谈"]
    assert list(by) == ["L1", "L2", "合计"]
    want = {
        "L1": (2, 1, 1, 0, 1, 1, 1, 0, 0),
        "L2": (2, 3, 2, 1, 2, 0, 0, 2, 1),
        "合计": (4, 4, 3, 1, 3, 1, 1, 2, 1),
    }
    cols = ["联系辅导员人数", "约谈次数", "其中面谈", "规划发展次数", "工作指导次数"]
    cols += ["交流会次数", "困难帮扶次数", "反映问题数", "已解决问题数"]
    for lid, numbers in want.items():
        assert tuple(by[lid][c] for c in cols) == numbers, lid
    assert by["L1"]["领导姓名"] == "甲院长" and by["L2"]["职务"] == "系主任"
    assert by["L1"]["工作指导类别"] == "班会1" and by["L2"]["工作指导类别"] == "班会1、谈心1"
    # Growth and news.
    assert (by["L1"]["课题(院级)"], by["L2"]["课题(省部级)"], by["L2"]["课题(市厅级)"]) == (1, 1, 0)
    assert (by["L1"]["发表论文数"], by["L2"]["发表论文数"]) == (0, 1)
    assert (by["L1"]["新闻报送数"], by["L2"]["新闻报送数"], by["合计"]["新闻报送数"]) == (1, 2, 3)
    # Compliance.
    assert (by["L1"]["约谈达标(季度)"], by["L2"]["约谈达标(季度)"]) == ("1/8", "2/8")
    assert (by["L1"]["工作指导达标(学期)"], by["L2"]["工作指导达标(学期)"]) == ("1/2", "2/2")
    assert (by["L1"]["规划发展达标"], by["L2"]["规划发展达标"]) == ("0/2", "1/2")
    assert by["合计"]["约谈达标(季度)"] == "3/16"
    assert str(by["L2"]["达标情况"]).startswith("未达标(约谈缺6季度")
    assert by["合计"]["达标情况"] == "0/2人达标"


def test_other_sheets(report):
    out, _ = report
    wb = load_workbook(out / "年度汇总表-2027.xlsx")
    assert wb.sheetnames == [
        "汇总",
        "报送",
        "联系明细",
        "辅导员情况",
        "科研目标",
        "新闻报送",
        "完成情况图",
        "未计入记录",
        "说明",
        "报送信息",  # the identity the province reads (学院名称 …), CONTRACT.md §12
        "问题台账",
        "评价",
        "会议记录",
    ]
    c = {r[0]: r for r in wb["辅导员情况"].iter_rows(min_row=2, values_only=True)}
    assert list(c) == ["001", "002", "003", "004"]  # ids stay text
    assert c["001"][3] == "乙主任" and c["001"][4:8] == (
        2,
        1,
        1,
        1,
    )  # talks, in person, career, guidance
    rs = {r[0]: r for r in wb["科研目标"].iter_rows(min_row=3, values_only=True)}
    assert [rs[k][6] for k in ("001", "002", "003", "004")] == ["是", "否", "是", "是"]
    assert "课题丁" in rs["004"][7]  # 004's own project counts for 004
    assert "每名辅导员三年内主持或参与院级及以上课题1项或发表论文1篇" in wb["科研目标"]["A1"].value
    news = [r[1] for r in wb["新闻报送"].iter_rows(min_row=2, values_only=True)]
    assert news == ["部署会", "班会"]
    assert wb["完成情况图"]._charts  # the bar chart of completion per leader
    ex = list(wb["未计入记录"].iter_rows(min_row=2, values_only=True))
    rows = sorted((r[0], r[2]) for r in ex)
    assert rows == [
        ("成长记录", 5),
        ("新闻报送", 4),
        ("联系记录", 13),
        ("联系记录", 14),
        ("联系记录", 15),
    ]


def test_unknown_people_and_pairs_reported_on_screen(report):
    _, output = report
    assert "有 5 条记录涉及未知人员或不在联系对应表中的结对" in output
    assert "第13行" in output and "结对 L1—001 不在所给的联系对应表中" in output
    assert "领导工号 L9 不在领导干部名单中" in output
    assert "辅导员工号 999 不在辅导员名单中" in output


def test_documents_open(report):
    out, _ = report
    booklet = Document(str(out / "工作记录汇编-2027.docx"))
    text = "\n".join(p.text for p in booklet.paragraphs)
    assert "乙主任(系主任)" in text and "张一(机电系)" in text and "宿舍问题" in text
    assert "不在对应表" not in text  # excluded records are not compiled
    assert "线上 班会" in text  # a pasted vertical tab cannot go into XML
    rfonts = booklet.styles["Normal"].element.rPr.rFonts
    assert (
        rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "宋体"
    )
    cards = Document(str(out / "联系卡-2027.docx"))
    titles = [p for p in cards.paragraphs if p.style.name == "Title"]
    assert len(titles) == 2  # one page per leader
    cells = {c.text for t in cards.tables for r in t.rows for c in r.cells}
    assert {"0311-2", "139-1", "已完成", "逾期"} <= cells  # phones from the rosters; states
    draft = "\n".join(p.text for p in Document(str(out / "总结报告-2027.docx")).paragraphs)
    assert "全年开展定期约谈4次,其中面对面约谈3次" in draft


def test_two_plans_in_force(college: Path, tmp_path: Path):
    """A year spanning two cycles: the earlier plan's pair L1—001 now counts."""
    old = tmp_path / "old.csv"
    old.write_text("周期,领导工号,辅导员工号\n2024-2027,L1,001\n", encoding="utf-8")
    data = read_data(college / "data")
    res = annual_report(data, [college / "plan.csv", old], 2027)
    files = write_report(tmp_path / "o", res, data, documents=False)
    by = {ly.leader_id: ly for ly in res.summary.leaders}
    assert by["L1"].forms()["talk"] == 2 and sorted(by["L1"].counselors) == ["001", "003", "004"]
    assert len(res.excluded) == 4  # row 13 is no longer excluded
    assert files == [tmp_path / "o" / "年度汇总表-2027.xlsx"]


def test_layout_from_report_toml(college: Path, tmp_path: Path):
    tpl = tmp_path / "report.toml"
    tpl.write_text(
        'title = "某省汇总表"\n'
        '[[column]]\nheader = "序号"\nmetric = "seq"\n'
        '[[column]]\nheader = "姓名"\nmetric = "leader_name"\n'
        '[[column]]\nheader = "领导工号"\nmetric = "leader_id"\n'
        '[[column]]\nheader = "参加班会"\nmetric = "guidance:班会"\n'
        '[[column]]\nheader = "谈话"\nmetric = "talks"\nheader_en = "talks"\n',
        encoding="utf-8",
    )
    args = ["report", str(college / "data"), "--plan", str(college / "plan.csv"), "--year"]
    r = runner.invoke(
        app, [*args, "2027", "--out", str(tmp_path / "o"), "--template", str(tpl), "--no-docs"]
    )
    assert r.exit_code == 0, r.output
    path = tmp_path / "o" / "年度汇总表-2027.xlsx"
    assert not (tmp_path / "o" / "联系卡-2027.docx").exists()
    head, by = summary_table(path)
    assert head == ["序号", "姓名", "领导工号", "参加班会", "谈话"]
    assert (by["L1"]["参加班会"], by["L2"]["参加班会"], by["合计"]["参加班会"]) == (1, 1, 2)
    assert (by["L1"]["谈话"], by["合计"]["谈话"], by["合计"]["序号"]) == (1, 4, None)
    assert "某省汇总表" in load_workbook(path)["汇总"]["A1"].value
    tpl.write_text('[[column]]\nheader = "x"\nmetric = "no_such"\n', encoding="utf-8")
    r = runner.invoke(app, [*args, "2027", "--out", str(tmp_path / "p"), "--template", str(tpl)])
    assert r.exit_code == 2 and "no_such" in r.output
    assert not (tmp_path / "p").exists() or not list((tmp_path / "p").iterdir())


def test_english(college: Path, tmp_path: Path):
    args = ["report", str(college / "data"), "--plan", str(college / "plan.csv")]
    r = runner.invoke(app, [*args, "--year", "2027", "--out", str(tmp_path), "--lang", "en"])
    assert r.exit_code == 0, r.output
    head, by = summary_table(tmp_path / "年度汇总表-2027.xlsx")
    assert head[:5] == ["leader_id", "leader_name", "position", "counselors", "talks"]
    assert by["L2"]["talks"] == 3 and "Total" in by
    assert "pair L1-001 is in no given plan" in r.output


def test_english_coded_values_in_every_sheet(college: Path, tmp_path: Path):
    """--lang en: forms, kinds, levels and yes/no are English codes in every sheet."""
    args = ["report", str(college / "data"), "--plan", str(college / "plan.csv")]
    r = runner.invoke(
        app, [*args, "--year", "2027", "--out", str(tmp_path), "--lang", "en", "--no-docs"]
    )
    assert r.exit_code == 0, r.output
    assert "(2027-05-01 L1/001 talk)" in r.output and "定期约谈" not in r.output
    wb = load_workbook(tmp_path / "年度汇总表-2027.xlsx")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in str(wb["汇总"]["A1"].value))
    ex = list(wb["未计入记录"].iter_rows(values_only=True))
    assert ex[0][6] == "what"
    assert {(r[0], r[2]): r[6] for r in ex[1:]} == {
        ("records", 13): "talk",
        ("records", 14): "talk",
        ("records", 15): "career",
        ("growth", 5): "课题丁",  # a title stays as written
        ("news", 4): "未知",
    }
    _, by = summary_table(tmp_path / "年度汇总表-2027.xlsx")
    assert by["L2"]["guidance_by_category"] == "class_meeting 1; heart_talk 1"
    rs = {r[0]: r for r in wb["科研目标"].iter_rows(min_row=3, values_only=True)}
    assert rs["001"][6] == "true" and "(paper, " in rs["001"][7]
    assert "(project, provincial, member, " in rs["002"][8]


def test_english_header_of_a_category_metric():
    from planner.report import metric

    m = metric("guidance:主题班会")
    assert m is not None and (m.zh, m.en) == ("工作指导·班会", "guidance: class_meeting")


def test_deterministic(college: Path, tmp_path: Path, report):
    out, _ = report
    args = ["report", str(college / "data"), "--plan", str(college / "plan.csv")]
    assert runner.invoke(app, [*args, "--year", "2027", "--out", str(tmp_path)]).exit_code == 0
    for name in ("年度汇总表-2027.xlsx",):
        a, b = load_workbook(out / name), load_workbook(tmp_path / name)
        for ws in a.worksheets:
            assert list(ws.values) == list(b[ws.title].values)


def test_metric_catalog():
    assert set(DEFAULT_COLUMNS) <= set(METRICS)
    for key in ("leader_id", "leader_name", "counselors", "talks", "career", "guidance"):
        assert key in DEFAULT_COLUMNS  # the columns CONTRACT.md §10 pins


def test_bad_plan_is_exit_2(college: Path, tmp_path: Path):
    args = ["report", str(college / "data"), "--plan", str(tmp_path / "nope.csv")]
    r = runner.invoke(app, [*args, "--year", "2027", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
