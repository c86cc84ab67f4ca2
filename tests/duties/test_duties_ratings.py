"""备案评价: 满意率 and grades on a hand-counted case; the [grading] table; 工作指导 verdicts."""

from __future__ import annotations

import pytest

from planner.duties import (
    Grade,
    GradingRule,
    Override,
    basis_text,
    grade_leader,
    grade_leaders,
    grading_config,
    guidance_verdict,
    ratings_from_rows,
    rule_text,
    tally_ratings,
)
from planner.errors import InputError


def _rows():
    r = []
    n = 1
    for lid, cid, rating, year in [
        # L1 in 2027: c1 rated 不满意 then 满意 (the later row counts), c2 满意, c3 基本满意,
        # c4 满意, c5 不满意 -> 5 raters: 3 满意, 1 基本满意, 1 不满意 -> 满意率 60 %.
        ("L1", "c1", "dissatisfied", 2027),
        ("L1", "c1", "satisfied", 2027),
        ("L1", "c2", "satisfied", 2027),
        ("L1", "c3", "fair", 2027),
        ("L1", "c4", "satisfied", 2027),
        ("L1", "c5", "dissatisfied", 2027),
        ("L1", "c6", "satisfied", 2026),  # another year
        # L3: 4 满意 -> 100 %.  L4: 1 满意 1 不满意 -> 50 %.  L5: 1 满意 1 基本满意 -> 50 %.
        ("L3", "c1", "satisfied", 2027),
        ("L3", "c2", "satisfied", 2027),
        ("L3", "c3", "satisfied", 2027),
        ("L3", "c4", "satisfied", 2027),
        ("L4", "c1", "satisfied", 2027),
        ("L4", "c2", "dissatisfied", 2027),
        ("L5", "c1", "satisfied", 2027),
        ("L5", "c2", "fair", 2027),
    ]:
        n += 1
        r.append(
            {
                "year": year,
                "counselor_id": cid,
                "leader_id": lid,
                "rating": rating,
                "_file": "评价.csv",
                "_row": n,
            }
        )
    return r


def test_tally_and_rate():
    tallies, problems = tally_ratings(ratings_from_rows(_rows()), 2027, leaders=["L2"])
    t = tallies["L1"]
    assert (t.raters, t.satisfied, t.fair, t.dissatisfied, t.rate) == (5, 3, 1, 1, 60.0)
    assert t.rate_text() == "60.0%"
    # L2 has no ratings: no division by zero, said in words.
    assert (tallies["L2"].raters, tallies["L2"].rate, tallies["L2"].rate_text()) == (
        0,
        None,
        "无评价",
    )
    assert list(tallies) == ["L1", "L2", "L3", "L4", "L5"]
    # The repeated c1 -> L1 row (row 2) is reported; row 3 counts.
    assert [(p.row, p.value) for p in problems] == [(2, "c1")]


def test_grades_hand_counted():
    tallies, _ = tally_ratings(ratings_from_rows(_rows()), 2027, leaders=["L2"])
    compliance = {"L1": 0.9, "L2": 1.0, "L3": 0.95, "L4": 0.5, "L5": 0.7}
    overdue = {"L1": 1, "L3": 1, "L4": 3}
    got = {
        g.leader_id: g
        for g in grade_leaders(
            ["L1", "L2", "L3", "L4", "L5"],
            2027,
            compliance,
            tallies,
            overdue,
            overrides={"L4": Override("L4", Grade.BASIC, "下半年病休三个月")},
        )
    }
    # L1: 100 × (0.5×0.9 + 0.3×0.6 + 0.2×(1 − 0.25×1)) = 45 + 18 + 15 = 78 -> 合格.
    assert (got["L1"].score, got["L1"].grade) == (78.0, Grade.QUALIFIED)
    assert (
        basis_text(got["L1"])
        == "完成率 90.0%×0.5 + 满意率 60.0%×0.3 + 问题办理 75.0%×0.2 = 78.0 分"
    )
    # L2: no ratings -> (0.5×1 + 0.2×1) / 0.7 = 100 -> 优秀, with the note.
    assert (got["L2"].score, got["L2"].grade, got["L2"].no_ratings) == (
        100.0,
        Grade.EXCELLENT,
        True,
    )
    assert "无评价" in got["L2"].notes[0][0]
    # L3: 47.5 + 30 + 15 = 92.5 ≥ 90, but one overdue issue bars 优秀 -> 合格.
    assert (got["L3"].score, got["L3"].grade) == (92.5, Grade.QUALIFIED)
    assert "不评优秀" in got["L3"].notes[0][0]
    # L4: 25 + 15 + 0.2×25 = 45 -> 不合格 by the rule; the office says 基本合格.
    g4 = got["L4"]
    assert (g4.score, g4.computed, g4.grade, g4.overridden) == (
        45.0,
        Grade.UNQUALIFIED,
        Grade.BASIC,
        True,
    )
    assert g4.grade_text() == "基本合格(办公室评定:下半年病休三个月;按规则为不合格)"
    # L5: 35 + 15 + 20 = 70 -> 基本合格.
    assert (got["L5"].score, got["L5"].grade) == (70.0, Grade.BASIC)
    with pytest.raises(ValueError):
        grade_leaders(["L9"], 2027, compliance, tallies, overdue)


def test_grading_config_from_report_toml():
    rule, overrides = grading_config(
        {
            "weight_compliance": 0.6,
            "weight_satisfaction": 0.4,
            "weight_issues": 0,
            "excellent": 95,
            "override": [{"leader_id": "L1", "grade": "优秀", "reason": "省级表彰"}],
        }
    )
    assert rule == GradingRule(
        weight_compliance=0.6, weight_satisfaction=0.4, weight_issues=0.0, excellent=95.0
    )
    assert overrides == {"L1": Override("L1", Grade.EXCELLENT, "省级表彰")}
    # With these weights L1 of the hand-counted case: 0.6×0.9 + 0.4×0.6 = 0.78 -> 78.
    tallies, _ = tally_ratings(ratings_from_rows(_rows()), 2027)
    g = grade_leader("L1", 0.9, tallies["L1"], 1, rule, overrides["L1"])
    assert (g.score, g.computed, g.grade) == (78.0, Grade.QUALIFIED, Grade.EXCELLENT)
    assert grading_config(None) == (GradingRule(), {})
    with pytest.raises(InputError) as err:
        grading_config(
            {
                "weight_complience": 0.5,  # typo
                "basic": 120,
                "excellent_max_overdue": 1.5,
                "override": [{"leader_id": "L1", "grade": "很好"}],
            }
        )
    cols = [p.column for p in err.value.problems]
    assert cols == [
        "grading.weight_complience",
        "grading.basic",
        "grading.excellent_max_overdue",
        "grading.override[1]",
    ]
    with pytest.raises(InputError):
        grading_config({"excellent": 50, "qualified": 75})  # excellent below qualified
    assert "优秀" in rule_text()[4]


def test_guidance_counts_only_face_to_face_with_a_listed_category():
    ok = guidance_verdict({"form": "guidance", "mode": "in_person", "category": "主题班会"})
    assert (ok.counts, ok.category, ok.reason()) == (True, "class_meeting", "")
    blank_mode = guidance_verdict({"form": "guidance", "mode": "", "category": "社会实践"})
    assert blank_mode.counts  # a blank 方式 is the table's default, 面谈
    phone = guidance_verdict({"form": "guidance", "mode": "phone", "category": "班会"})
    assert not phone.counts and phone.reason().startswith("不计入:方式为电话")
    none = guidance_verdict({"form": "guidance", "mode": "online", "category": ""})
    assert len(none.reasons_zh) == 2 and "未填写类别" in none.reason()
    other = guidance_verdict({"form": "guidance", "mode": "in_person", "category": "聊天"})
    assert other.reasons_en == ("category '聊天' is not one of the 11 listed activities",)
    talk = guidance_verdict({"form": "talk", "mode": "in_person", "category": "班会"})
    assert not talk.counts
