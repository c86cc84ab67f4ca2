"""Compare's receiving-leader ranking agrees with the repair, says what differs, and
reports the candidates it could not rank instead of dropping them."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import planner.pairing.repair as repair_mod
from planner.io.read import read_data
from planner.pairing.model import solve_pairing
from planner.pairing.repair import compare, rank_receivers, repair
from planner.scenarios import load_change, read_change

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scenarios" / "demo"


def change(tmp_path, text, name="c.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def by_counselor(rows):
    out = defaultdict(list)
    for a in rows:
        out[a.counselor_id].append(a)
    return out


def test_the_chosen_receiver_ranks_first_and_others_say_why(build, tmp_path):
    # L3 leaves with e (unit E) and f. H heads E and has room: H-e is the only way to gain
    # an own-unit pair, so the repair picks it and it ranks first for e; L1 taking e ties
    # on moves (0) and pairs (6) but has 0 own-unit pairs: "本单位结对数少 1".
    p = build(
        [("L1", "", False, 2, 3), ("H", "E", True, 2, 3), ("L3", "", False, 2, 3)],
        [("a", "A"), ("b", "A"), ("c", "A"), ("d", "A"), ("e", "E"), ("f", "A")],
    )
    old = [("L1", "a"), ("L1", "b"), ("H", "c"), ("H", "d"), ("L3", "e"), ("L3", "f")]
    a = load_change(change(tmp_path, 'leaders_leave = ["L3"]'), p)
    res = repair(a, old)
    ranking = rank_receivers(a, old, res)
    assert ranking.unranked == []
    rows = by_counselor(ranking.ranked)
    for cid, got in rows.items():
        assert [x.rank for x in got] == list(range(1, len(got) + 1))
        assert sum(x.chosen for x in got) == 1 and got[0].chosen, cid
        assert got[0].differs("zh").startswith("推荐方案采用")
    e = rows["e"]
    assert (e[0].leader_id, e[1].leader_id) == ("H", "L1")
    assert e[1].differs("zh") == "与第1名相比:本单位结对数少 1"
    assert e[1].differs("en") == "vs rank 1: own-unit pairs -1"


def test_on_the_demo_exactly_one_recommendation_per_counselor(tmp_path):
    ds = read_data(DEMO)
    base = solve_pairing(ds.problem)
    assert base.plan is not None
    old = sorted(base.plan.keys())
    retire = read_change(ROOT / "scenarios" / "changes" / "leader_retires.toml")
    (opt,) = compare(ds.problem, old, [retire])
    assert opt.feasible and opt.absorb
    new = opt.result.plan.keys()
    for cid, got in by_counselor(opt.absorb).items():
        made = [lid for lid, c in new if c == cid and (lid, cid) not in set(old)]
        assert sum(x.chosen for x in got) == 1, (cid, made)
        assert got[0].chosen, cid  # rank 1 is the repair's own choice
        assert got[0].levels["moves"] == opt.result.moves
        for x in got[1:]:
            assert x.differs("zh").startswith("与第1名")


def test_candidates_without_a_proven_answer_are_reported(build, tmp_path, monkeypatch):
    # A budget too small for any solve: every candidate but the repair's own choice (which
    # needs no solve) is listed as unranked, and the note names them.
    monkeypatch.setattr(repair_mod, "RANK_DETERMINISTIC_LIMIT", 1e-9)
    p = build(
        [("L1", "", False, 2, 3), ("H", "E", True, 2, 3), ("L3", "", False, 2, 3)],
        [("a", "A"), ("b", "A"), ("c", "A"), ("d", "A"), ("e", "E"), ("f", "A")],
    )
    old = [("L1", "a"), ("L1", "b"), ("H", "c"), ("H", "d"), ("L3", "e"), ("L3", "f")]
    ch = read_change(change(tmp_path, 'leaders_leave = ["L3"]'))
    (opt,) = compare(p, old, [ch])
    assert opt.unranked and all(x.status == "unknown" for x in opt.unranked)
    assert all(x.chosen and x.rank == 1 for x in opt.absorb)
    note = opt.unranked_note("zh")
    assert "时限内未求出,未参与排序" in note and "辅导员e←领导L1" in note
    assert "not ranked" in opt.unranked_note("en")
