"""The province's roll-up: many colleges' 年度汇总表 → ``全省汇总-Y.xlsx`` (CONTRACT.md §12).

The 省委教育工委 receives one 年度汇总表 from every college. :func:`roll_up` reads each
(:func:`planner.io.province_files.read_report_workbook` gives plain cells), decides whether
it can be used, and sums the colleges it accepts:

- **refused** (sheet 未汇总, with the reason): a file that is not a 年度汇总表 (unreadable,
  not an ``.xlsx``, password-protected, no sheet 汇总, no header row, a required column
  missing, a count that is not a whole number), one of another year or of no year found,
  one whose college's name is found nowhere, and a second report of a college already
  accepted (the first in argument order is kept);
- **flagged** (column 标记, accepted all the same): numbers that look incomplete —
  see :data:`RULES_ZH`.

Where a report says which college and year it is (first found wins):
the sheet 报送信息 (学院名称, 年度), the title rows above the 汇总 header
("XX学院2027年领导干部直接联系服务辅导员工作年度汇总表"), the workbook's document title,
the file name (``甲学院-年度汇总表-2027.xlsx``; ``年度汇总表-2027.xlsx`` gives the year only).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from planner.i18n import msg
from planner.io.province_files import (
    IDENTITY_SHEET,
    REPORT_SUMMARY_SHEET,
    PrintSheet,
    RawWorkbook,
    Unreadable,
    read_report_workbook,
    write_print_workbook,
)
from planner.schema import norm_name
from planner.values import cell_text, parse_date

__all__ = [
    "RULES_EN",
    "RULES_ZH",
    "CollegeReport",
    "Counts",
    "LeaderLine",
    "Note",
    "ProvinceResult",
    "ProvinceStatus",
    "Refusal",
    "RefusalKind",
    "parse_report",
    "province_file_name",
    "province_sheets",
    "quarters_elapsed",
    "roll_up",
    "write_province_xlsx",
]

PROVINCE_TITLE_ZH = "全省高校领导干部直接联系服务辅导员工作汇总表"
PROVINCE_TITLE_EN = "Province summary of college leaders' direct contact with counselors"

HEADER_SEARCH_ROWS = 10
"""The 汇总 header row (the cell 领导工号) is looked for in the first this many rows."""

RULES_ZH = (
    "应有约谈次数:每名辅导员每季度应约谈1次。年度汇总表有“约谈达标(季度)”列(如“2/8”)时,"
    "取其分母(本年度已到期的季度×辅导员数,由学院按对应表计算);否则为联系辅导员人数×本年度"
    "已结束的季度数(统计截止日取自标题中的“至 YYYY-MM-DD”,其次报送信息的填报日期;都没有时按"
    "全年4个季度计)。",
    "标记规则(标记不影响汇总,只提示核实):① 某领导干部联系了辅导员但约谈次数为0;"
    "② 某领导干部的约谈次数少于应有约谈次数;③ 学院约谈总数少于应有约谈总数;"
    "④ 表中的合计行与逐行相加不一致,或没有合计行;⑤ 领导工号重复,或有数据的行缺领导工号"
    "(未计入);⑥ 联系辅导员人数为0的领导干部;⑦ 报送信息与标题的年度不一致。",
)
RULES_EN = (
    "Expected talks: one talk per counselor per quarter. When the report has the column "
    "约谈达标(季度) (e.g. 2/8), its denominator (quarters due so far × counselors, computed by "
    "the college from its plan); else counselors × quarters of the year ended by the report's "
    "cut-off day (the title's '至 YYYY-MM-DD', else 填报日期 in 报送信息; all four quarters when "
    "neither is given).",
    "Flags (accepted all the same; they ask for a check): (1) a leader with counselors but no "
    "talk; (2) a leader with fewer talks than expected; (3) a college with fewer talks than "
    "expected in total; (4) the report's own total row differs from the sum of its rows, or "
    "there is none; (5) a leader id twice, or a row with numbers but no leader id (not "
    "counted); (6) a leader with no counselor; (7) the year in 报送信息 differs from the title's.",
)


def province_file_name(year: int) -> str:
    """The file ``planner province`` writes into OUT: ``全省汇总-Y.xlsx``."""
    return f"全省汇总-{year}.xlsx"


# ----- results ------------------------------------------------------------------------
@dataclass(frozen=True)
class Note:
    """A message in both languages."""

    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return msg(lang, self.zh, self.en)


class RefusalKind(StrEnum):
    """Why an input was left out of the roll-up."""

    UNREADABLE = "unreadable"  # missing, not an .xlsx, encrypted, .xls, corrupt
    NOT_REPORT = "not_report"  # a workbook, but not a 年度汇总表 (or counts unusable)
    OTHER_YEAR = "other_year"
    NO_YEAR = "no_year"
    NO_NAME = "no_name"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Refusal:
    """One input left out, with the reason; ``college``/``year`` when they were found."""

    file: str
    path: Path
    kind: RefusalKind
    reason: Note
    college: str = ""
    year: int | None = None


@dataclass(frozen=True)
class Counts:
    """The summed figures of a leader, a college or the province."""

    leaders: int = 0
    counselors: int = 0
    talks: int = 0
    career: int = 0
    guidance: int = 0
    expected_talks: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.leaders + other.leaders,
            self.counselors + other.counselors,
            self.talks + other.talks,
            self.career + other.career,
            self.guidance + other.guidance,
            self.expected_talks + other.expected_talks,
        )

    @property
    def talks_per_counselor(self) -> float | None:
        """约谈次数 / 联系辅导员人数, two decimals; None without counselors."""
        return round(self.talks / self.counselors, 2) if self.counselors else None


@dataclass(frozen=True)
class LeaderLine:
    """One leader row of a college's 汇总 sheet (``row``: the spreadsheet row)."""

    leader_id: str
    leader_name: str
    counselors: int
    talks: int
    career: int
    guidance: int
    expected_talks: int
    row: int
    flags: tuple[Note, ...] = ()

    @property
    def counts(self) -> Counts:
        return Counts(
            1, self.counselors, self.talks, self.career, self.guidance, self.expected_talks
        )


@dataclass(frozen=True)
class CollegeReport:
    """A college's 年度汇总表 as read, with where its name and year came from."""

    file: str
    path: Path
    college: str
    year: int
    leaders: tuple[LeaderLine, ...]
    identity: Mapping[str, str] = field(default_factory=dict)
    flags: tuple[Note, ...] = ()
    college_source: str = ""  # 报送信息, 标题, 文件属性, 文件名
    year_source: str = ""
    as_of: date | None = None

    @property
    def totals(self) -> Counts:
        """The college's figures, recomputed from its leader rows."""
        return sum((ld.counts for ld in self.leaders), Counts())


class ProvinceStatus(StrEnum):
    """``ok``: at least one college summed; ``no_input``: none (the CLI exits 2)."""

    OK = "ok"
    NO_INPUT = "no_input"


@dataclass(frozen=True)
class ProvinceResult:
    """What :func:`roll_up` found: colleges accepted (argument order) and inputs refused."""

    year: int
    colleges: tuple[CollegeReport, ...]
    refused: tuple[Refusal, ...]

    @property
    def totals(self) -> Counts:
        """The province's figures: the sum over accepted colleges."""
        return sum((c.totals for c in self.colleges), Counts())

    @property
    def status(self) -> ProvinceStatus:
        return ProvinceStatus.OK if self.colleges else ProvinceStatus.NO_INPUT

    @property
    def flagged(self) -> tuple[CollegeReport, ...]:
        """Accepted colleges with at least one flag."""
        return tuple(c for c in self.colleges if c.flags)

    def message(self, lang: str = "zh") -> str:
        """One line for the screen: how many summed, refused, flagged."""
        n, m, k = len(self.colleges), len(self.refused), len(self.flagged)
        if not n:
            return msg(
                lang,
                f"没有可汇总的{self.year}年度汇总表(共{m}个文件,均未汇总)",
                f"no usable {self.year} report ({m} file(s), none summed)",
            )
        return msg(
            lang,
            f"已汇总{n}所学院,未汇总{m}个文件,{k}所学院有标记",
            f"{n} college(s) summed, {m} file(s) refused, {k} college(s) flagged",
        )


# ----- reading one report -----------------------------------------------------------
_FIELDS: dict[str, tuple[str, ...]] = {
    "leader_id": ("领导工号", "leader_id"),
    "leader_name": ("领导姓名", "leader_name"),
    "counselors": ("联系辅导员人数", "counselors"),
    "talks": ("约谈次数", "talks"),
    "career": ("规划发展次数", "career"),
    "guidance": ("工作指导次数", "guidance"),
}
_OPTIONAL: dict[str, tuple[str, ...]] = {
    "talk_quarters": ("约谈达标(季度)", "talk_quarters_met"),
}
_COUNTS = ("counselors", "talks", "career", "guidance")
_TOTAL_LABELS = {norm_name(x) for x in ("合计", "总计", "Total")}
_ZERO_MARKS = {"-", "—", "–", "/", "无"}

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|[))])")
_YEAR_TOKEN = re.compile(r"[((]?\s*(?<!\d)(?:19|20)\d{2}\s*(?:年度|年)?\s*[))]?")
_TITLE_STOP = re.compile(r"领导干部|直接联系|联系服务|辅导员|年度汇总|汇总|年度|关于")
# "学院名称:XX学院" in one cell; the name ends at a space (another label may follow).
_COLLEGE_LABEL = re.compile(r"^(?:学院名称|学校名称|高校名称|学院|学校)\s*[::]\s*(\S*)")
_PERIOD_END = re.compile(
    r"(?:至|到|截至|截止)\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)"
)
_COPY_SUFFIX = re.compile(r"(?:\s*[(]\d+[)]|\s*-\s*副本|\s*副本|\s*copy)+$", re.IGNORECASE)
# Quotes, brackets, colons and separators around a name taken from a title or file name.
_EDGE_MARKS = re.compile(r"^[\s《》<>“”\"':,,。.·\-—_]+|[\s《》<>“”\"':,,。.·\-—_]+$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_RATIO = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def _college_key(name: str) -> str:
    """Two spellings of one college compare equal (full-width, spaces, case)."""
    return norm_name(name)


def _clean_college(text: str) -> str:
    name = _EDGE_MARKS.sub("", text)
    if name.endswith("年度"):
        name = name[:-2].strip()
    return name if _CJK.search(name) or (len(name) >= 2 and name.isalpha()) else ""


def _title_college(text: str) -> str:
    """The college in a title: the text before its year / 领导干部 / 汇总表."""
    t = cell_text(text)
    m = _COLLEGE_LABEL.match(t)
    if m:
        return _clean_college(m.group(1))
    # The year may come first ("2027年XX学院…") or after the name ("XX学院2027年…").
    t = _YEAR_TOKEN.sub("", t)
    stop = _TITLE_STOP.search(t)
    if stop is None:
        return ""
    return _clean_college(t[: stop.start()])


def _title_year(text: str) -> int | None:
    m = _TITLE_YEAR.search(cell_text(text))
    return int(m.group(1)) if m else None


def _is_title(text: str) -> bool:
    # The subtitle (统计期间…领导干部 25 人…) names leaders too; only a title names the table.
    return "汇总" in text and "统计期间" not in text


def _file_college(stem: str) -> str:
    t = cell_text(stem)
    t = _COPY_SUFFIX.sub("", t)
    # Only the 年 of the year goes: 青年政治学院 keeps its own.
    t = _YEAR_TOKEN.sub("", t)
    for word in ("领导干部直接联系服务辅导员工作", "年度汇总表", "汇总表"):
        t = t.replace(word, "")
    t = _clean_college(t)
    return t if _CJK.search(t) and "汇总" not in t else ""


def _count(value: object) -> int | None:
    """A whole non-negative count; blank and dash marks are 0; None when not a count."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = cell_text(value)
    if not text or text in _ZERO_MARKS:
        return 0
    try:
        f = float(text)
    except ValueError:
        return None
    return int(f) if f.is_integer() and f >= 0 else None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def quarters_elapsed(year: int, as_of: date | None) -> int:
    """Calendar quarters of ``year`` ended on or before ``as_of`` (4 when unknown)."""
    if as_of is None or as_of.year > year:
        return 4
    if as_of.year < year:
        return 0
    ends = (date(year, 3, 31), date(year, 6, 30), date(year, 9, 30), date(year, 12, 31))
    return sum(1 for e in ends if e <= as_of)


@dataclass(frozen=True)
class _Sheet:
    """The 汇总 sheet taken apart (no decision on year or name yet)."""

    header_row: int  # 0-based
    leaders: list[tuple[int, dict[str, object]]]  # (spreadsheet row, field → raw cell)
    total: dict[str, object] | None
    orphan_rows: list[int]
    title_texts: list[str]
    title_cells: list[list[str]]


def _locate(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int], list[str]] | None:
    """(header row, field → column, missing required headers) or None without 领导工号."""
    wanted = {norm_name(a): k for k, names in {**_FIELDS, **_OPTIONAL}.items() for a in names}
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        heads = [norm_name(cell_text(v)) for v in row]
        if not any(h in (norm_name(x) for x in _FIELDS["leader_id"]) for h in heads):
            continue
        cols: dict[str, int] = {}
        for j, h in enumerate(heads):
            k = wanted.get(h)
            if k is not None and k not in cols:
                cols[k] = j
        missing = [names[0] for k, names in _FIELDS.items() if k not in cols]
        return i, cols, missing
    return None


def _split(rows: Sequence[Sequence[object]], h: int, cols: dict[str, int]) -> _Sheet:
    def at(row: Sequence[object], j: int) -> object:
        return row[j] if j < len(row) else None

    label_cols = range(max(cols["leader_id"], cols["leader_name"]) + 1)
    leaders: list[tuple[int, dict[str, object]]] = []
    orphans: list[int] = []
    total: dict[str, object] | None = None
    for i in range(h + 1, len(rows)):
        row = rows[i]
        if any(norm_name(cell_text(at(row, j))) in _TOTAL_LABELS for j in label_cols):
            total = {k: at(row, j) for k, j in cols.items()}
            break  # whatever follows the totals row is notes, not leaders
        cells = {k: at(row, j) for k, j in cols.items()}
        others = [cells["leader_name"], *(cells[k] for k in _COUNTS)]
        if all(_blank(v) for v in others):
            continue  # blank, or a note written in the 工号 column
        if _blank(cells["leader_id"]):
            orphans.append(i + 1)
            continue
        leaders.append((i + 1, cells))
    titles = [cell_text(v) for r in rows[:h] for v in r if not _blank(v)]
    title_cells = [[cell_text(v) for v in r] for r in rows[:h]]
    return _Sheet(h, leaders, total, orphans, titles, title_cells)


def _identity(raw: RawWorkbook) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in raw.sheets.get(IDENTITY_SHEET, ()):
        if len(row) < 2:
            continue
        key = cell_text(row[0]).removesuffix(":").strip()
        value = cell_text(row[1])
        if key and value and key != "项目" and key not in out:
            out[key] = value
    return out


def _find_name(
    identity: Mapping[str, str], sheet: _Sheet, raw: RawWorkbook, stem: str
) -> tuple[str, str]:
    if identity.get("学院名称"):
        return identity["学院名称"], "报送信息"
    for cells in sheet.title_cells:
        for j, text in enumerate(cells):
            label = text.removesuffix(":").strip()
            if label in ("学院名称", "学校名称", "高校名称", "学院", "学校"):
                value = next((v for v in cells[j + 1 :] if v), "")
                if _clean_college(value):
                    return _clean_college(value), "标题"
            if _COLLEGE_LABEL.match(text) or _is_title(text):
                name = _title_college(text)
                if name:
                    return name, "标题"
    for text in (raw.title, raw.subject):
        if text and _is_title(text) and _title_college(text):
            return _title_college(text), "文件属性"
    name = _file_college(stem)
    return (name, "文件名") if name else ("", "")


def _find_years(
    identity: Mapping[str, str], sheet: _Sheet, raw: RawWorkbook, stem: str
) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    m = _YEAR.search(identity.get("年度", ""))
    if m:
        found.append((int(m.group(1)), "报送信息"))
    for text in sheet.title_texts:
        if _is_title(text):
            y = _title_year(text)
            if y is not None:
                found.append((y, "标题"))
                break
    for text in (raw.title, raw.subject):
        y = _title_year(text) if text else None
        if y is not None:
            found.append((y, "文件属性"))
            break
    m = _YEAR.search(cell_text(stem))
    if m:
        found.append((int(m.group(1)), "文件名"))
    return found


def _as_of(identity: Mapping[str, str], sheet: _Sheet) -> date | None:
    for text in sheet.title_texts:
        m = _PERIOD_END.search(text)
        if m:
            d = parse_date(re.sub(r"\s+", "", m.group(1)))
            if d is not None:
                return d
    return parse_date(identity.get("填报日期", "")) if identity.get("填报日期") else None


_SOURCE_EN = {
    "报送信息": "sheet 报送信息",
    "标题": "title",
    "文件属性": "properties",
    "文件名": "file name",
}


def _expected(cells: Mapping[str, object], counselors: int, quarters: int) -> int:
    if "talk_quarters" in cells:
        text = cell_text(cells["talk_quarters"])
        m = _RATIO.match(text)
        if m:
            return int(m.group(2))
        if text in _ZERO_MARKS:
            return 0
    return counselors * quarters


def _leader_flags(ld: LeaderLine) -> tuple[Note, ...]:
    out: list[Note] = []
    if ld.counselors == 0:
        out.append(Note("联系辅导员人数为0", "no counselor"))
    elif ld.talks == 0 and ld.expected_talks > 0:
        out.append(
            Note(
                f"约谈次数为0(联系辅导员{ld.counselors}人)",
                f"no talk ({ld.counselors} counselors)",
            )
        )
    elif ld.talks < ld.expected_talks:
        out.append(
            Note(
                f"约谈次数少于应有次数({ld.talks}<{ld.expected_talks})",
                f"fewer talks than expected ({ld.talks} < {ld.expected_talks})",
            )
        )
    return tuple(out)


_LABEL_ZH = {
    "counselors": "联系辅导员人数",
    "talks": "约谈次数",
    "career": "规划发展次数",
    "guidance": "工作指导次数",
}
_LABEL_EN = {
    "counselors": "counselors",
    "talks": "talks",
    "career": "career",
    "guidance": "guidance",
}


def _college_flags(
    leaders: Sequence[LeaderLine], sheet: _Sheet, years: Sequence[tuple[int, str]]
) -> list[Note]:
    out: list[Note] = []
    tot = sum((ld.counts for ld in leaders), Counts())
    if not leaders:
        out.append(Note("汇总表中没有领导干部数据", "no leader rows in the 汇总 sheet"))
    if sheet.total is None:
        out.append(Note("没有合计行(未核对)", "no total row (not checked)"))
    else:
        wrong_zh, wrong_en = [], []
        for k in _COUNTS:
            got = _count(sheet.total.get(k))
            want = getattr(tot, k)
            if _blank(sheet.total.get(k)):
                continue
            if got != want:
                shown = cell_text(sheet.total.get(k))
                wrong_zh.append(f"{_LABEL_ZH[k]}表中合计{shown}、逐行相加{want}")
                wrong_en.append(f"{_LABEL_EN[k]} total {shown}, rows add up to {want}")
        if wrong_zh:
            out.append(
                Note(
                    "合计行与逐行相加不符(" + ";".join(wrong_zh) + ")",
                    "the total row differs from the rows (" + "; ".join(wrong_en) + ")",
                )
            )
    zero = [ld for ld in leaders if ld.counselors > 0 and ld.talks == 0 and ld.expected_talks > 0]
    if zero:
        out.append(Note(f"{len(zero)}名领导干部约谈次数为0", f"{len(zero)} leader(s) with no talk"))
    if leaders and tot.talks < tot.expected_talks:
        out.append(
            Note(
                f"约谈共{tot.talks}次,少于应有的{tot.expected_talks}次",
                f"{tot.talks} talks, fewer than the {tot.expected_talks} expected",
            )
        )
    none = [ld for ld in leaders if ld.counselors == 0]
    if none:
        out.append(
            Note(
                f"{len(none)}名领导干部联系辅导员人数为0",
                f"{len(none)} leader(s) with no counselor",
            )
        )
    dup = sorted(k for k, n in Counter(ld.leader_id for ld in leaders).items() if n > 1)
    if dup:
        out.append(Note("领导工号重复:" + "、".join(dup), "leader id repeated: " + ", ".join(dup)))
    if sheet.orphan_rows:
        rows = "、".join(str(r) for r in sheet.orphan_rows)
        out.append(
            Note(
                f"第{rows}行有数据但缺领导工号,未计入",
                f"row(s) {rows} have numbers but no leader id (not counted)",
            )
        )
    ids = {src: y for y, src in years if src in ("报送信息", "标题")}
    if len(set(ids.values())) > 1:
        out.append(
            Note(
                f"报送信息年度{ids['报送信息']}与标题年度{ids['标题']}不一致",
                f"year {ids['报送信息']} in 报送信息 differs from the title's {ids['标题']}",
            )
        )
    return out


def parse_report(
    raw: RawWorkbook | Unreadable, path: Path, year: int, file: str | None = None
) -> CollegeReport | Refusal:
    """One college's report as read, or why it is refused (not yet checked for duplicates).

    Parameters
    ----------
    raw
        What :func:`planner.io.province_files.read_report_workbook` gave for ``path``.
    path
        The file (its name is the last source of the college's name and year).
    year
        The year being summed.
    file
        The file as shown to the clerk (default: ``path`` as given).
    """
    shown = file if file is not None else str(path)

    def refuse(
        kind: RefusalKind, zh: str, en: str, college: str = "", y: int | None = None
    ) -> Refusal:
        return Refusal(shown, path, kind, Note(zh, en), college, y)

    if isinstance(raw, Unreadable):
        return refuse(RefusalKind.UNREADABLE, raw.zh, raw.en)
    rows = raw.sheets.get(REPORT_SUMMARY_SHEET)
    if rows is None:
        return refuse(
            RefusalKind.NOT_REPORT,
            f"不是年度汇总表:没有“{REPORT_SUMMARY_SHEET}”工作表",
            f"not a 年度汇总表: no sheet '{REPORT_SUMMARY_SHEET}'",
        )
    where = _locate(rows)
    if where is None:
        return refuse(
            RefusalKind.NOT_REPORT,
            f"不是年度汇总表:“{REPORT_SUMMARY_SHEET}”表前{HEADER_SEARCH_ROWS}行中没有“领导工号”表头",
            f"not a 年度汇总表: no header 领导工号 in the first {HEADER_SEARCH_ROWS} rows of "
            f"'{REPORT_SUMMARY_SHEET}'",
        )
    h, cols, missing = where
    if missing:
        return refuse(
            RefusalKind.NOT_REPORT,
            f"不是年度汇总表:“{REPORT_SUMMARY_SHEET}”表第{h + 1}行缺少列“"
            + "”“".join(missing)
            + "”",
            f"not a 年度汇总表: row {h + 1} of '{REPORT_SUMMARY_SHEET}' lacks "
            + ", ".join(missing),
        )
    sheet = _split(rows, h, cols)
    identity = _identity(raw)
    stem = path.stem
    years = _find_years(identity, sheet, raw, stem)
    college, college_src = _find_name(identity, sheet, raw, stem)
    if not years:
        return refuse(
            RefusalKind.NO_YEAR,
            "未能确定年度(报送信息、标题、文件属性、文件名中都没有年份)",
            "no year found (not in 报送信息, the title, the properties or the file name)",
            college,
        )
    got_year, year_src = years[0]
    if got_year != year:
        return refuse(
            RefusalKind.OTHER_YEAR,
            f"是{got_year}年的汇总表(依据{year_src}),不是{year}年",
            f"a {got_year} report (from the {_SOURCE_EN[year_src]}), not {year}",
            college,
            got_year,
        )
    if not college:
        return refuse(
            RefusalKind.NO_NAME,
            "未能确定学院名称(报送信息、标题、文件属性、文件名中都没有)",
            "no college name found (not in 报送信息, the title, the properties or the file name)",
            "",
            got_year,
        )
    # Counts are checked last: a report of another year is refused for its year even when
    # its numbers are also wrong, which is the reason the college most needs to hear.
    bad: list[tuple[int, str, str]] = []
    as_of = _as_of(identity, sheet)
    quarters = quarters_elapsed(year, as_of)
    leaders: list[LeaderLine] = []
    for r, cells in sheet.leaders:
        nums: dict[str, int] = {}
        for k in _COUNTS:
            n = _count(cells[k])
            if n is None:
                bad.append((r, _LABEL_ZH[k], cell_text(cells[k])))
                n = 0
            nums[k] = n
        ld = LeaderLine(
            cell_text(cells["leader_id"]),
            cell_text(cells["leader_name"]),
            nums["counselors"],
            nums["talks"],
            nums["career"],
            nums["guidance"],
            _expected(cells, nums["counselors"], quarters),
            r,
        )
        leaders.append(replace(ld, flags=_leader_flags(ld)))
    if bad:
        zh = ";".join(f"第{r}行“{c}”值“{v}”" for r, c, v in bad[:5])
        en = "; ".join(f"row {r} '{c}' value '{v}'" for r, c, v in bad[:5])
        more = len(bad) - 5
        return refuse(
            RefusalKind.NOT_REPORT,
            f"“{REPORT_SUMMARY_SHEET}”表中有不是非负整数的次数:{zh}"
            + (f" 等{len(bad)}处" if more > 0 else ""),
            f"counts that are not whole numbers in '{REPORT_SUMMARY_SHEET}': {en}"
            + (f" and {more} more" if more > 0 else ""),
            college,
            got_year,
        )
    return CollegeReport(
        shown,
        path,
        college,
        got_year,
        tuple(leaders),
        identity,
        tuple(_college_flags(leaders, sheet, years)),
        college_src,
        year_src,
        as_of,
    )


def roll_up(paths: Sequence[Path], year: int) -> ProvinceResult:
    """Read every college's 年度汇总表 and sum those that can be used.

    Parameters
    ----------
    paths
        The reports, in the order given (the first report of a college is kept).
    year
        The year being summed; reports of another year are refused.

    Returns
    -------
    ProvinceResult
        Colleges accepted (in argument order, each with its flags), inputs refused with
        the reason (zh/en), and the totals; ``status`` is ``no_input`` when nothing could
        be used (the CLI exits 2 then).
    """
    colleges: list[CollegeReport] = []
    refused: list[Refusal] = []
    first: dict[str, CollegeReport] = {}
    for p in paths:
        path = Path(p)
        got = parse_report(read_report_workbook(path), path, year)
        if isinstance(got, Refusal):
            refused.append(got)
            continue
        key = _college_key(got.college)
        if key in first:
            keep = first[key]
            refused.append(
                Refusal(
                    got.file,
                    path,
                    RefusalKind.DUPLICATE,
                    Note(
                        f"与已汇总的“{keep.file}”是同一学院({keep.college}),只汇总先给出的一份",
                        f"the same college ({keep.college}) as '{keep.file}', already summed; "
                        "only the first is used",
                    ),
                    got.college,
                    got.year,
                )
            )
            continue
        first[key] = got
        colleges.append(got)
    return ProvinceResult(year, tuple(colleges), tuple(refused))


# ----- the workbook -----------------------------------------------------------------
def _flags_text(flags: Iterable[Note], lang: str) -> str:
    return (";" if lang == "zh" else "; ").join(f.text(lang) for f in flags)


def province_sheets(result: ProvinceResult, lang: str = "zh") -> list[PrintSheet]:
    """The sheets of ``全省汇总-Y.xlsx`` as plain rows: 学院汇总, 领导干部明细, 未汇总, 说明."""
    zh = lang == "zh"
    y = result.year
    base = f"{PROVINCE_TITLE_ZH}({y}年)" if zh else f"{PROVINCE_TITLE_EN} ({y})"
    tot = result.totals
    n, m, k = len(result.colleges), len(result.refused), len(result.flagged)
    total_label = msg(lang, "合计", "Total")

    head = [
        msg(lang, "序号", "No."),
        msg(lang, "学院名称", "college"),
        msg(lang, "领导干部人数", "leaders"),
        msg(lang, "联系辅导员人数", "counselors"),
        msg(lang, "约谈次数", "talks"),
        msg(lang, "规划发展次数", "career"),
        msg(lang, "工作指导次数", "guidance"),
        msg(lang, "人均约谈次数", "talks per counselor"),
        msg(lang, "应有约谈次数", "expected talks"),
        msg(lang, "填报人", "filed by"),
        msg(lang, "联系电话", "phone"),
        msg(lang, "来源文件", "file"),
        msg(lang, "标记", "flags"),
    ]
    rows: list[list[object]] = []
    for i, c in enumerate(result.colleges, start=1):
        t = c.totals
        rows.append(
            [
                i,
                c.college,
                t.leaders,
                t.counselors,
                t.talks,
                t.career,
                t.guidance,
                t.talks_per_counselor,
                t.expected_talks,
                c.identity.get("填报人", ""),
                c.identity.get("联系电话", ""),
                c.file,
                _flags_text(c.flags, lang),
            ]
        )
    rows.append(
        [
            None,
            total_label,
            tot.leaders,
            tot.counselors,
            tot.talks,
            tot.career,
            tot.guidance,
            tot.talks_per_counselor,
            tot.expected_talks,
            "",
            "",
            "",
            msg(lang, f"{k}所学院有标记", f"{k} college(s) flagged") if n else "",
        ]
    )
    sub = msg(
        lang,
        f"汇总学院{n}所,领导干部{tot.leaders}人;未汇总文件{m}个(见“未汇总”);"
        f"有标记的学院{k}所(标记规则见“说明”)。联系辅导员人数为各领导干部所联系人数之和。",
        f"{n} college(s), {tot.leaders} leaders; {m} file(s) not summed (see 未汇总); "
        f"{k} college(s) flagged (rules in 说明). Counselors are summed over leaders.",
    )
    summary = PrintSheet(
        "学院汇总",
        base,
        sub,
        head,
        rows,
        (6, 22, 8, 10, 8, 10, 10, 9, 9, 10, 14, 24, 40),
        total_rows=1,
        wrap=(1, 11, 12),
        flag=12,
        number_formats={7: "0.00"},
    )

    dhead = [
        msg(lang, "序号", "No."),
        msg(lang, "学院名称", "college"),
        msg(lang, "领导工号", "leader_id"),
        msg(lang, "领导姓名", "leader_name"),
        msg(lang, "联系辅导员人数", "counselors"),
        msg(lang, "约谈次数", "talks"),
        msg(lang, "规划发展次数", "career"),
        msg(lang, "工作指导次数", "guidance"),
        msg(lang, "应有约谈次数", "expected talks"),
        msg(lang, "标记", "flags"),
    ]
    drows: list[list[object]] = []
    seq = 0
    for c in result.colleges:
        for ld in c.leaders:
            seq += 1
            drows.append(
                [
                    seq,
                    c.college,
                    ld.leader_id,
                    ld.leader_name,
                    ld.counselors,
                    ld.talks,
                    ld.career,
                    ld.guidance,
                    ld.expected_talks,
                    _flags_text(ld.flags, lang),
                ]
            )
    drows.append(
        [
            None,
            total_label,
            "",
            msg(lang, f"{tot.leaders}人", f"{tot.leaders}"),
            tot.counselors,
            tot.talks,
            tot.career,
            tot.guidance,
            tot.expected_talks,
            "",
        ]
    )
    detail = PrintSheet(
        "领导干部明细",
        base + msg(lang, "——领导干部明细", " — per leader"),
        msg(
            lang,
            "每行一名领导干部,数字取自各学院年度汇总表“汇总”表;标记只提示核实。",
            "One row per leader, from each college's 汇总 sheet; flags ask for a check.",
        ),
        dhead,
        drows,
        (6, 22, 12, 12, 10, 8, 10, 10, 10, 40),
        total_rows=1,
        wrap=(1, 9),
        flag=9,
    )

    rhead = [
        msg(lang, "序号", "No."),
        msg(lang, "文件", "file"),
        msg(lang, "学院名称", "college"),
        msg(lang, "年度", "year"),
        msg(lang, "原因", "reason"),
    ]
    rrows: list[list[object]] = [
        [i, r.file, r.college, r.year, r.reason.text(lang)]
        for i, r in enumerate(result.refused, start=1)
    ]
    refused = PrintSheet(
        "未汇总",
        base + msg(lang, "——未汇总的文件", " — files not summed"),
        msg(
            lang,
            f"未汇总文件{m}个,请相关学院按原因修改后重新报送。",
            f"{m} file(s) not summed; the colleges should fix them and send them again.",
        )
        if m
        else msg(lang, "全部文件均已汇总。", "Every file was summed."),
        rhead,
        rrows,
        (6, 40, 20, 8, 80),
        wrap=(1, 2, 4),
    )

    rules = RULES_ZH if zh else RULES_EN
    notes: list[list[object]] = [
        [
            msg(lang, "汇总内容", "what is summed"),
            msg(
                lang,
                f"各学院报送的{y}年度汇总表(本工具“planner report”生成的年度汇总表-{y}.xlsx)"
                "“汇总”表中的每名领导干部一行;学院的数字由逐行相加得出,不取表中的合计行。",
                f"every leader row of the 汇总 sheet of each college's {y} report "
                f"(年度汇总表-{y}.xlsx as 'planner report' writes it); a college's figures "
                "are the sum of its rows, not its own total row.",
            ),
        ],
        [
            msg(lang, "联系辅导员人数", "counselors"),
            msg(
                lang,
                "各领导干部所联系辅导员人数之和;一名辅导员由两名领导干部联系时计2人次。",
                "summed over leaders: a counselor with two leaders counts twice.",
            ),
        ],
        [
            msg(lang, "人均约谈次数", "talks per counselor"),
            msg(
                lang,
                "约谈次数÷联系辅导员人数(全年应不少于4)。",
                "talks ÷ counselors (at least 4 in a full year).",
            ),
        ],
        [msg(lang, "应有约谈次数", "expected talks"), rules[0]],
        [msg(lang, "标记", "flags"), rules[1]],
        [
            msg(lang, "学院名称与年度", "college and year"),
            msg(
                lang,
                "依次取自:报送信息表的“学院名称”“年度”;汇总表标题(如“XX学院2027年领导干部直接联系"
                "服务辅导员工作年度汇总表”);文件属性中的标题;文件名(如“XX学院-年度汇总表-2027.xlsx”)。",
                "in this order: 学院名称 and 年度 of the sheet 报送信息; the 汇总 title "
                "(e.g. 'XX学院2027年…年度汇总表'); the document title; the file name "
                "(e.g. XX学院-年度汇总表-2027.xlsx).",
            ),
        ],
        [
            msg(lang, "不汇总的文件", "files not summed"),
            msg(
                lang,
                f"不是{y}年的;不是年度汇总表的(无法打开、加密、不是.xlsx、没有“汇总”表或“领导工号”表头、"
                "缺少必需的列、次数不是非负整数);找不到学院名称的;同一学院的第二份"
                "(按给出顺序保留第一份)。均列在“未汇总”表中并注明原因。",
                f"another year than {y}; not a 年度汇总表 (cannot be opened, encrypted, not "
                ".xlsx, no sheet 汇总 or header 领导工号, a required column missing, a count "
                "that is not a whole number); no college name; a second report of a college "
                "(the first given is kept). Each is listed in 未汇总 with the reason.",
            ),
        ],
    ]
    explain = PrintSheet(
        "说明",
        base + msg(lang, "——说明", " — notes"),
        msg(lang, "本表由 counselor-planner 生成。", "Written by counselor-planner."),
        [msg(lang, "项目", "item"), msg(lang, "说明", "explanation")],
        notes,
        (18, 110),
        wrap=(0, 1),
    )
    return [summary, detail, refused, explain]


def write_province_xlsx(path: Path, result: ProvinceResult, lang: str = "zh") -> None:
    """Write ``全省汇总-Y.xlsx`` (:func:`province_file_name`): 学院汇总, 领导干部明细, 未汇总, 说明.

    Every sheet prints on A4 landscape with its header row repeated, 第 N 页 共 M 页 in
    the footer, fitted to the page width but never below 60 %; every text cell is safe
    against formula injection. The same result gives the same bytes.
    """
    title = PROVINCE_TITLE_ZH if lang == "zh" else PROVINCE_TITLE_EN
    write_print_workbook(
        path,
        province_sheets(result, lang),
        title=f"{title}({result.year}年)" if lang == "zh" else f"{title} ({result.year})",
        stamp=datetime(result.year, 12, 31),
    )
