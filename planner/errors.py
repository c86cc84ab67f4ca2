"""Errors and warnings a clerk can act on.

Malformed input raises :class:`InputError` carrying *every* problem found, each
naming the file (and sheet), the spreadsheet row (header = row 1), the column
header and the bad value. Infeasibility is never an exception: it is a status.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InputProblem:
    """One problem in the input, in both languages.

    ``row`` is the row number as the user sees it in a spreadsheet (header = 1);
    ``None`` when the problem concerns a whole file or table.
    """

    file: str
    message_zh: str
    message_en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def render(self, lang: str = "zh") -> str:
        """One line: where, then what."""
        where = self.file + (f"[{self.sheet}]" if self.sheet else "")
        parts = [where]
        if lang == "zh":
            if self.row is not None:
                parts.append(f"第{self.row}行")
            if self.column:
                parts.append(f"列“{self.column}”")
            if self.value is not None:
                parts.append(f"值“{self.value}”")
            return ",".join(parts) + ":" + self.message_zh
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.value is not None:
            parts.append(f"value '{self.value}'")
        return ", ".join(parts) + ": " + self.message_en


@dataclass
class InputError(Exception):
    """Bad input: all problems found, collected before giving up (exit 2)."""

    problems: list[InputProblem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.render("en") for p in self.problems)

    def render(self, lang: str = "zh") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


@dataclass(frozen=True)
class Note:
    """A warning or remark about the input that does not stop the run.

    ``loud`` marks a warning the office must not overlook (most of the history names nobody
    on the rosters, say): the front ends show it as a warning, not as a passing remark.
    """

    message_zh: str
    message_en: str
    loud: bool = False

    def render(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en


class SolverBug(RuntimeError):
    """The independent validator rejected a solver's result: a bug, never the user's fault."""


class UserError(Exception):
    """Something the office can fix, worded in both languages (shown as a message, never a traceback).

    The page raises it for a wrong click (no data loaded yet, a pair not in the plan, an upload
    that is too large); the command line's own usage errors are exit codes instead.
    """

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def render(self, lang: str = "zh") -> str:
        """The message in ``lang`` (``zh`` or ``en``)."""
        return self.zh if lang == "zh" else self.en


@dataclass
class OutputError(Exception):
    """The output folder cannot take the result: it is a file, read-only, full, or in use.

    ``path`` is the file or folder concerned; the messages name it in both languages. The
    command exits 2 and OUT keeps its earlier result (CONTRACT.md §4).
    """

    message_zh: str
    message_en: str
    path: str = ""

    def __str__(self) -> str:
        return self.message_en

    def render(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en
