"""Write the demo college's year of records (2027) from its own plan and schedule.

Usage (from the repository root)::

    .venv/bin/python scripts/demo_year.py [--data scenarios/demo]

The script runs ``planner assign`` and ``planner schedule`` on the demo in a temporary
folder, then writes, into the demo folder, one year of what the office collects:
联系记录, 成长记录, 新闻报送, 问题台账, 会议记录, 发展规划 and 评价. Every contact record
is one of the schedule's items on its planned day (the pair is in the plan, the day a
working day, the guidance visit at the counselor's activity), so the records match the
pairs and the calendar by construction.

Most leaders do everything; a few fall behind (:data:`LAGGARDS`): a quarter's talk not
held, a talk held by phone (it does not meet the face-to-face rule), a career session
missing, a guidance visit missed. One record names a pair outside the plan on purpose:
``report`` lists it and does not count it.

Deterministic: the plan and schedule are (seed 0), the texts are drawn from
``random.Random(2027)`` in a fixed order, and the CSVs are written in sorted order.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

YEAR = 2027
ROOT = Path(__file__).resolve().parents[1]

#: Leaders who fall behind in the demo year, and how (item filters on the schedule).
#: talk_quarters: quarters whose talk with their *first* counselor was not held;
#: phone_quarters: quarters whose talk with their first counselor was by phone;
#: no_career: their last counselor had no career session;
#: no_spring_guidance: their first counselor had no guidance visit in spring 2027.
LAGGARDS: dict[str, dict[str, tuple[str, ...] | bool]] = {
    "L005": {"talk_quarters": ("2027Q4",)},  # 挂职 11 月—12 月上旬,第四季度约谈未补
    "L019": {"talk_quarters": ("2027Q3",), "no_spring_guidance": True},
    "L038": {"phone_quarters": ("2027Q2",), "no_career": True},
    "L040": {"talk_quarters": ("2027Q4",)},
}


@dataclass
class Pair:
    leader_id: str
    leader_name: str
    position: str
    leader_unit: str
    counselor_id: str
    counselor_name: str
    counselor_unit: str
    stage: str


@dataclass
class Item:
    leader_id: str
    counselor_id: str
    form: str  # 定期约谈 / 工作指导 / 规划发展
    period: str
    day: date
    note: str
    category: str


@dataclass
class Year:
    records: list[dict[str, str]] = field(default_factory=list)
    issues: list[dict[str, str]] = field(default_factory=list)
    devplans: list[dict[str, str]] = field(default_factory=list)


def _run(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"planner {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def plan_and_schedule(data: Path) -> tuple[list[Pair], list[Item]]:
    """The demo's pairs and its schedule items, from the real commands."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        _run(["assign", str(data), "--out", str(out), "--seed", "0"])
        _run(["schedule", str(data), "--plan", str(out / "plan.csv"), "--out", str(out)])
        plan = _read(out / "plan.csv")
        sched = _read(out / "schedule.csv")
    pairs = [
        Pair(
            r["领导工号"],
            r["领导姓名"],
            r["职务"],
            r["领导单位"],
            r["辅导员工号"],
            r["辅导员姓名"],
            r["辅导员单位"],
            r["发展阶段"],
        )
        for r in plan
    ]
    items = [
        Item(
            r["领导工号"],
            r["辅导员工号"],
            r["形式"],
            r["期间"],
            date.fromisoformat(r["日期"]),
            r["说明"],
            r["类别"],
        )
        for r in sched
        if r["日期"] and r["辅导员工号"] and r["形式"] in ("定期约谈", "工作指导", "规划发展")
    ]
    return pairs, items


# ----- texts ------------------------------------------------------------------------------
TALKS = (
    "了解本学期学生工作开展情况和个人思想状况,听取对学院发展建设的意见建议",
    "交流所带班级学风建设情况,了解辅导员工作中的困难和想法",
    "关心身体健康和家庭生活,了解带班压力和工作节奏",
    "听取对辅导员队伍建设的意见建议,交流职业发展打算",
    "了解毕业班就业工作进展和学生心理状况,交流重点学生帮扶办法",
    "交流学生安全稳定工作和宿舍管理情况,听取工作改进建议",
)
CAREERS = {
    "新任": "针对新任辅导员,帮助熟悉岗位职责,制定三年成长计划,明确以学生事务管理为起点",
    "骨干": "结合兴趣特长,指导选择心理健康教育(或职业生涯指导)方向,规划申报院级课题和专项培训",
    "资深": "梳理工作经验,指导向专家型辅导员发展,鼓励牵头辅导员工作室并申报市厅级以上课题",
}
DIRECTIONS = {
    "新任": ("学生事务管理", "熟悉岗位职责,第一年完成岗前培训,第三年能独立带好两个班级"),
    "骨干": ("心理健康教育", "取得心理咨询相关培训证书,主持院级课题1项"),
    "资深": ("思想政治教育专家型辅导员", "牵头辅导员工作室,申报市厅级以上课题1项,发表论文1篇"),
}
ISSUES = (
    (
        "工作负荷",
        "带班人数多,事务性工作占用时间较多",
        "学生处",
        "协调系部安排学生干部协助处理日常事务",
    ),
    ("培训进修", "希望增加外出培训和学历提升机会", "人事处", "推荐参加省级辅导员骨干培训班"),
    (
        "职称评聘",
        "对辅导员职称评审条件和材料要求不够清楚",
        "人事处",
        "人事处专题解读辅导员职称评审办法",
    ),
    (
        "科研支持",
        "申报课题缺少选题指导,经费报销流程繁琐",
        "科研处",
        "科研处开展选题辅导,简化报销流程",
    ),
    (
        "办公条件",
        "辅导员办公室面积小,谈心谈话缺少独立空间",
        "后勤管理处",
        "在学生公寓一楼改建谈心室",
    ),
    ("学生管理", "宿舍晚归学生较多,查寝压力大", "学生处", "与学生处联合开展宿舍文明建设活动"),
)
HARDSHIPS = (
    (
        "了解其家中老人住院情况,协调值班安排",
        "通勤时间长,照顾家人困难",
        "调整值班安排,申请教职工困难慰问",
    ),
    ("了解其租房及子女入托问题", "子女入托困难", "联系学院工会协调附近幼儿园"),
    ("看望生病住院的辅导员,转达学院关心", "住院期间所带班级无人照看", "安排同系辅导员临时代管班级"),
)
GROWTH_HELP = (
    "指导整理职称评审材料,逐项对照评审条件查漏补缺",
    "帮助修改课题申报书,指导研究设计和经费预算",
    "推荐参加在职学位进修,协调工作安排保证学习时间",
    "指导论文选题和写作,推荐投稿期刊",
)
ROUTINE = ("班会", "谈心", "学业指导", "心理教育", "就业创业指导")
EVIDENCE = {
    "定期约谈": "谈话记录表",
    "工作指导": "活动照片、签到表",
    "规划发展": "职业发展规划书",
    "困难帮扶": "慰问登记表",
    "帮助成长": "申报材料修改稿",
}


def _place(p: Pair, form: str, note: str) -> str:
    if form == "工作指导":
        return f"{p.counselor_unit}学生活动室" if "班会" not in note else f"{p.counselor_unit}教室"
    if form == "规划发展":
        return "辅导员工作室"
    if form == "困难帮扶":
        return "辅导员家中"
    return f"{p.leader_unit}办公室" if p.leader_unit else "行政楼领导办公室"


def _quarter(d: date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


def build(pairs: list[Pair], items: list[Item], holiday_free: set[date]) -> Year:
    rng = random.Random(YEAR)
    by_pair = {(p.leader_id, p.counselor_id): p for p in pairs}
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    for p in pairs:
        first.setdefault(p.leader_id, p.counselor_id)
        last[p.leader_id] = p.counselor_id
    year = Year()
    issue_no = 0
    kept: list[tuple[Item, Pair, str]] = []
    for it in sorted(items, key=lambda i: (i.day, i.leader_id, i.counselor_id, i.form)):
        if it.day.year != YEAR:
            continue
        p = by_pair[(it.leader_id, it.counselor_id)]
        lag = LAGGARDS.get(it.leader_id, {})
        mode = "面谈"
        if it.form == "定期约谈" and it.counselor_id == first[it.leader_id]:
            quarters = lag.get("talk_quarters", ())
            if isinstance(quarters, tuple) and _quarter(it.day) in quarters:
                continue
            phone = lag.get("phone_quarters", ())
            if isinstance(phone, tuple) and _quarter(it.day) in phone:
                mode = "电话"
        if it.form == "规划发展" and lag.get("no_career") and it.counselor_id == last[it.leader_id]:
            continue
        if (
            it.form == "工作指导"
            and lag.get("no_spring_guidance")
            and it.counselor_id == first[it.leader_id]
            and it.day.month <= 7
        ):
            continue
        kept.append((it, p, mode))

    for it, p, mode in kept:
        rec = {
            "日期": it.day.isoformat(),
            "领导工号": p.leader_id,
            "辅导员工号": p.counselor_id,
            "形式": it.form,
            "方式": mode,
            "类别": it.category if it.form == "工作指导" else "",
            "主要内容": "",
            "反映问题": "无",
            "解决措施": "",
            "办理状态": "无需办理",
            "佐证材料": EVIDENCE[it.form],
            "问题编号": "",
            "典型案例": "",
            "地点": _place(p, it.form, it.note),
        }
        if mode == "电话":
            rec["地点"] = "电话"
            rec["佐证材料"] = "电话记录"
        if it.form == "定期约谈":
            rec["主要内容"] = rng.choice(TALKS)
        elif it.form == "工作指导":
            if it.category:
                event = it.note.removeprefix("参加活动:").split("(")[0]
            else:  # a teaching day: the leader joins one of the counselor's routine activities
                rec["类别"] = rng.choice(ROUTINE)
                event = f"{p.counselor_name}组织的{rec['类别']}"
            rec["主要内容"] = f"参加“{event}”并现场指导,与辅导员交流活动组织和学生引导方法"
        else:
            rec["主要内容"] = CAREERS.get(p.stage, CAREERS["骨干"])
            rec["解决措施"] = "形成个人职业发展规划书"
            rec["办理状态"] = "已办结"
            direction, goals = DIRECTIONS.get(p.stage, DIRECTIONS["骨干"])
            year.devplans.append(
                {
                    "辅导员工号": p.counselor_id,
                    "领导工号": p.leader_id,
                    "日期": it.day.isoformat(),
                    "发展方向": direction,
                    "三年目标": goals,
                    "节点安排": f"{YEAR}年底前完成第一阶段目标;{YEAR + 1}年申报课题;"
                    f"{YEAR + 2}年总结提升",
                }
            )
        if it.form == "定期约谈" and rng.random() < 0.06:
            cat, text, dept, solution = ISSUES[rng.randrange(len(ISSUES))]
            issue_no += 1
            iid = f"WT{YEAR}-{issue_no:03d}"
            rec["反映问题"] = text
            rec["解决措施"] = solution
            rec["问题编号"] = iid
            closed, status, late = _answer(it.day, issue_no, holiday_free)
            rec["办理状态"] = status
            year.issues.append(
                {
                    "问题编号": iid,
                    "反映日期": it.day.isoformat(),
                    "反映辅导员工号": p.counselor_id,
                    "受理领导工号": p.leader_id,
                    "类别": cat,
                    "问题描述": text,
                    "责任部门": dept,
                    "需集体研究": "是" if cat in ("办公条件", "科研支持") else "否",
                    "办理状态": status,
                    "办结日期": closed.isoformat() if closed else "",
                    "解决方案": solution if closed else "",
                    "反馈辅导员日期": closed.isoformat() if closed else "",
                    "辅导员评价": ("基本满意" if late else "满意") if closed else "",
                }
            )
        year.records.append(rec)

    # Hardship help and growth help: a few pairs, on a day of one of their talks.
    talks = [(it, p) for it, p, mode in kept if it.form == "定期约谈" and mode == "面谈"]
    for k, (it, p) in enumerate(rng.sample(talks, 8)):
        day = it.day + timedelta(days=14)
        while day.weekday() >= 5 or day.year != YEAR:
            day -= timedelta(days=1)
        if k < 3:
            what, problem, solution = HARDSHIPS[k]
            form, rec_issue, status = "困难帮扶", problem, "已办结" if k != 1 else "办理中"
        else:
            what, rec_issue, solution = GROWTH_HELP[k % len(GROWTH_HELP)], "无", ""
            form, status = "帮助成长", "无需办理"
        year.records.append(
            {
                "日期": day.isoformat(),
                "领导工号": p.leader_id,
                "辅导员工号": p.counselor_id,
                "形式": form,
                "方式": "面谈",
                "类别": "",
                "主要内容": what,
                "反映问题": rec_issue,
                "解决措施": solution,
                "办理状态": status,
                "佐证材料": EVIDENCE[form],
                "问题编号": "",
                "典型案例": "",
                "地点": _place(p, form, ""),
            }
        )
    _typical(year.records, rng)
    year.records.sort(key=lambda r: (r["日期"], r["领导工号"], r["辅导员工号"], r["形式"]))
    return year


def _answer(day: date, n: int, holiday_free: set[date]) -> tuple[date | None, str, bool]:
    """(closed day, status, late) of the n-th issue: most answered within a few working
    days, one in ten late (超时办结), those raised in December still 办理中."""
    if day.month == 12 and day.day > 10:
        return None, "办理中", False
    if n % 10 == 7:
        return day + timedelta(days=30), "已办结", True
    if n % 13 == 5:
        return None, "办理中", False  # still open long after its deadline: 逾期
    d, left = day, 3
    while left:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in holiday_free:
            left -= 1
    return d, "已办结", False


TYPICAL_TEXT = (
    "深入班会一线,指导辅导员把专业思政融入主题班会,形成“一班一品”带班案例",
    "针对新任辅导员带班经验不足,连续跟踪指导三个月,所带班级学风明显好转",
    "协助辅导员化解学生宿舍矛盾,总结形成宿舍管理“三步工作法”,在全院推广",
    "指导辅导员开展毕业生就业帮扶,重点帮扶的困难学生全部落实就业岗位",
    "帮助辅导员梳理多年工作经验,形成省级课题申报书并成功立项",
    "关心生病住院辅导员,协调安排代管班级,辅导员安心治疗后返岗",
)


TYPICAL_FOR = (
    lambda r: r["形式"] == "工作指导" and r["类别"] == "班会",
    lambda r: r["形式"] == "定期约谈",
    lambda r: r["形式"] == "定期约谈",
    lambda r: r["形式"] == "工作指导" and r["类别"] == "就业创业指导",
    lambda r: r["形式"] == "帮助成长" and "课题" in r["主要内容"],
    lambda r: r["形式"] == "困难帮扶" and "看望生病住院" in r["主要内容"],
)
"""Which records each of :data:`TYPICAL_TEXT` may describe."""


def _typical(records: list[dict[str, str]], rng: random.Random) -> None:
    used: set[int] = set()
    for text, fits in zip(TYPICAL_TEXT, TYPICAL_FOR, strict=True):
        pool = [i for i, r in enumerate(records) if fits(r) and i not in used]
        i = rng.choice(pool)
        used.add(i)
        records[i]["典型案例"] = "是"
        records[i]["主要内容"] += ";" + text


def growth_rows(pairs: list[Pair], rng: random.Random) -> list[dict[str, str]]:
    """The year's growth ledger: projects, papers, titles and degrees, each with a leader."""
    leaders_of: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        leaders_of[p.counselor_id].append(p)
    specs = (
        (
            "00025",
            "科研项目",
            "高职院校辅导员职业能力提升路径研究",
            "省部级",
            "主持",
            "在研",
            "04-15",
        ),
        (
            "00005",
            "科研项目",
            "高职机电类专业学生职业素养培育研究",
            "院级",
            "主持",
            "已结项",
            "12-20",
        ),
        ("00009", "论文", "高职学生网络素养教育的实践探索", "", "", "已发表", "10-18"),
        ("00011", "科研项目", "高职院校“三全育人”实施路径研究", "市厅级", "参与", "在研", "06-30"),
        ("00013", "职称评聘", "晋升副教授(思想政治教育)", "", "", "已评聘", "12-28"),
        ("00017", "学位进修", "在职攻读教育学硕士学位", "", "", "在读", "09-10"),
        ("00022", "科研项目", "建筑类专业学生安全教育模式研究", "院级", "参与", "已结项", "11-26"),
        ("00029", "职称评聘", "晋升讲师", "", "", "已评聘", "12-28"),
        ("00031", "论文", "汽车专业学生工匠精神培育路径探析", "", "", "已发表", "09-22"),
        (
            "00035",
            "科研项目",
            "化工类专业实习学生安全意识培养研究",
            "院级",
            "主持",
            "已结项",
            "12-15",
        ),
        ("00039", "论文", "高职护理专业学生职业认同感调查", "", "", "已发表", "06-12"),
        ("00041", "学位进修", "参加省高校心理咨询师专项培训", "", "", "已结业", "08-25"),
        ("00043", "职称评聘", "晋升副教授(心理健康教育)", "", "", "已评聘", "12-28"),
        ("00044", "学位进修", "在职攻读心理学硕士学位", "", "", "在读", "09-08"),
    )
    out = []
    for cid, kind, title, level, role, status, md in specs:
        ps = leaders_of.get(cid)
        leader = rng.choice(ps).leader_id if ps else ""
        out.append(
            {
                "辅导员工号": cid,
                "领导工号": leader,
                "类型": kind,
                "名称": title,
                "级别": level,
                "角色": role,
                "状态": status,
                "日期": f"{YEAR}-{md}",
            }
        )
    return out


def meetings_and_news(
    pairs: list[Pair], issues: list[dict[str, str]]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    leaders = list(dict.fromkeys(p.leader_id for p in pairs))
    spring = [x for x in leaders if x not in ("L001", "L019")]  # 院长外出培训,彭学军请假
    autumn = [x for x in leaders if x not in ("L005", "L040")]  # 吴海涛挂职,汪志刚出差
    spring_issues = [i for i in issues if i["反映日期"] < f"{YEAR}-06-29"]
    counts = Counter(i["类别"] for i in spring_issues)
    common = max(sorted(counts), key=lambda c: counts[c])  # the most raised category
    load = [i["问题编号"] for i in spring_issues if i["类别"] == common]
    meetings = [
        {
            "日期": f"{YEAR}-03-05",
            "类型": "领导小组会议",
            "名称": "领导干部直接联系服务辅导员工作领导小组会议",
            "主持": "赵振华",
            "参会领导工号": "、".join(["L001", "L002", "L003", "L004", "L005", "L006"]),
            "议定事项": "审定2027—2030年联系对应表;部署新一轮联系服务工作",
            "研究问题编号": "",
        },
        {
            "日期": f"{YEAR}-06-29",
            "类型": "交流会",
            "名称": "2026—2027学年第二学期工作交流会",
            "主持": "刘慧敏",
            "参会领导工号": "、".join(spring),
            "议定事项": f"交流上半年联系工作经验;集中研究辅导员反映较多的{common}问题,明确责任部门和办结时限",
            "研究问题编号": "、".join(load),
        },
        {
            "日期": f"{YEAR}-11-25",
            "类型": "交流会",
            "名称": "2027—2028学年第一学期工作交流会",
            "主持": "孙立群",
            "参会领导工号": "、".join(autumn),
            "议定事项": "推广“一班一品”带班经验;辅导员职称评审政策解读",
            "研究问题编号": "",
        },
        {
            "日期": f"{YEAR}-12-22",
            "类型": "推进会",
            "名称": "领导干部直接联系服务辅导员年度工作推进会",
            "主持": "赵振华",
            "参会领导工号": "、".join(leaders),
            "议定事项": "通报全年联系工作完成情况;对未按期完成约谈的领导干部提出限期补齐要求",
            "研究问题编号": "",
        },
    ]
    news = [
        (
            f"{YEAR}-03-08",
            "我院召开新一轮领导干部直接联系服务辅导员工作部署会",
            "L001、L002",
            "省委教育工委",
            "已采用",
        ),
        (f"{YEAR}-04-20", "我院领导深入班会一线指导辅导员工作", "L004、L007", "省教育厅", "已报送"),
        (
            f"{YEAR}-05-26",
            "我院为新任辅导员“一对一”制定职业发展规划",
            "L003、L023",
            "省委教育工委",
            "已采用",
        ),
        (f"{YEAR}-07-02", "我院召开领导干部联系服务辅导员工作交流会", "L002", "省教育厅", "已报送"),
        (
            f"{YEAR}-09-28",
            "我院中层干部走进辅导员活动现场",
            "L033、L034、L035",
            "省委教育工委",
            "已报送",
        ),
        (f"{YEAR}-11-12", "我院举办辅导员职称评审政策解读会", "L035", "省教育厅", "已采用"),
        (
            f"{YEAR}-12-24",
            "我院召开领导干部直接联系服务辅导员年度工作推进会",
            "L001、L002、L004",
            "省教育厅",
            "已采用",
        ),
    ]
    return meetings, [
        {"日期": d, "标题": t, "领导工号": ids, "报送单位": ch, "状态": st}
        for d, t, ids, ch, st in news
    ]


def ratings(pairs: list[Pair]) -> list[dict[str, str]]:
    """Every counselor rates each of their leaders; the laggards get fewer 满意."""
    out = []
    for p in sorted(pairs, key=lambda p: (p.leader_id, p.counselor_id)):
        rating, comment = "满意", ""
        if p.leader_id in LAGGARDS:
            rating, comment = "基本满意", "希望约谈更及时"
            if p.leader_id == "L019":
                rating, comment = "不满意", "本学期联系较少,希望多到班级活动现场"
        out.append(
            {
                "年度": str(YEAR),
                "辅导员工号": p.counselor_id,
                "领导工号": p.leader_id,
                "评价": rating,
                "意见": comment,
            }
        )
    return out


def outside_record(pairs: list[Pair]) -> dict[str, str]:
    """A record of a pair that is not in the plan (the report lists it, never counts it)."""
    paired = {(p.leader_id, p.counselor_id) for p in pairs}
    own = sorted({p.counselor_id for p in pairs if p.counselor_unit == "机电工程系"})
    cid = next(c for c in own if ("L007", c) not in paired)
    return {
        "日期": f"{YEAR}-03-25",
        "领导工号": "L007",
        "辅导员工号": cid,
        "形式": "工作指导",
        "方式": "面谈",
        "类别": "贫困生资助",
        "主要内容": "参加“机电工程系勤工助学岗位面试”并现场指导",
        "反映问题": "无",
        "解决措施": "",
        "办理状态": "无需办理",
        "佐证材料": "活动照片、签到表",
        "问题编号": "",
        "典型案例": "",
        "地点": "机电工程系学生活动室",
    }


def attendance(meetings: list[dict[str, str]]) -> list[dict[str, str]]:
    """A 交流会 record for every leader at each exchange or progress meeting."""
    out = []
    for m in meetings:
        if m["类型"] not in ("交流会", "推进会"):
            continue
        for lid in m["参会领导工号"].split("、"):
            out.append(
                {
                    "日期": m["日期"],
                    "领导工号": lid,
                    "辅导员工号": "",
                    "形式": "交流会",
                    "方式": "面谈",
                    "类别": "",
                    "主要内容": f"参加{m['名称']}",
                    "反映问题": "无",
                    "解决措施": "",
                    "办理状态": "无需办理",
                    "佐证材料": "会议纪要、签到表",
                    "问题编号": "",
                    "典型案例": "",
                    "地点": "学院第一会议室",
                }
            )
    return out


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)


def holidays() -> set[date]:
    """Weekdays off in the demo year (official calendar and estimates)."""
    sys.path.insert(0, str(ROOT))
    from planner.workdays.official import WorkdayProvider

    wd = WorkdayProvider()
    out = set()
    d = date(YEAR, 1, 1)
    while d.year == YEAR:
        if d.weekday() < 5 and not wd.is_working(d):
            out.add(d)
        d += timedelta(days=1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "scenarios" / "demo")
    args = ap.parse_args()
    data: Path = args.data
    pairs, items = plan_and_schedule(data)
    year = build(pairs, items, holidays())
    records = year.records
    records.append(outside_record(pairs))
    rng = random.Random(YEAR + 1)
    meetings, news = meetings_and_news(pairs, year.issues)
    records += attendance(meetings)
    records.sort(key=lambda r: (r["日期"], r["领导工号"], r["辅导员工号"], r["形式"]))
    write_csv(data / "联系记录.csv", records)
    write_csv(data / "成长记录.csv", growth_rows(pairs, rng))
    write_csv(data / "新闻报送.csv", news)
    write_csv(data / "问题台账.csv", year.issues)
    write_csv(data / "会议记录.csv", meetings)
    write_csv(
        data / "发展规划.csv", sorted(year.devplans, key=lambda r: (r["日期"], r["领导工号"]))
    )
    write_csv(data / "评价.csv", ratings(pairs))
    print(
        f"{data}: 联系记录 {len(records)} 条,问题台账 {len(year.issues)} 条,"
        f"发展规划 {len(year.devplans)} 条"
    )


if __name__ == "__main__":
    main()
