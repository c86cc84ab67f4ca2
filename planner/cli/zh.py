"""The command line's own words in Chinese: help headings, option notes and usage errors.

typer formats help and usage errors in English ("Usage:", "Show this message and exit.",
"Missing option '--out'."). For a clerk the command line speaks Chinese unless ``--lang en``
is given: help text goes through a formatter that translates the framework's words, and a
usage error is reworded here before it is printed (exit 2, as CONTRACT.md §4 says).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import typer._coercion
import typer.core
from typer import _click
from typer._click import formatting as click_formatting

__all__ = ["install", "is_english", "usage_error_text"]

_WORDS = {
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "default: {default}": "默认:{default}",
    "required": "必填",
    "env var: {var}": "环境变量:{var}",
    "(dynamic)": "(动态)",
    "Aborted!": "已取消。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有这个命令 {name!r}。",
}
_DL = {
    "Show this message and exit.": "显示本帮助并退出。",
}


def is_english(argv: Sequence[str] | None = None) -> bool:
    """Whether the command line asks for English (``--lang en`` or ``--lang=en``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args) and args[i + 1] == "en":
            return True
        if a == "--lang=en":
            return True
    return False


def _translate(message: str) -> str:
    return _WORDS.get(message, message)


class ChineseHelpFormatter(click_formatting.HelpFormatter):
    """click's help formatter with its own words in Chinese."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(
            prog,
            args.replace("[OPTIONS]", "[选项]")
            .replace("COMMAND", "命令")
            .replace("[ARGS]...", "[参数]..."),
            prefix="用法:",
        )

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        super().write_dl([(a, _DL.get(b, b)) for a, b in rows], col_max, col_spacing)


_TYPE_WORDS = {
    "path": "路径",
    "str": "文字",
    "int": "整数",
    "float": "数字",
    "int range": "整数",
    "float range": "数字",
    "bool": "是/否",
    "list[path]": "文件(可多个)",
    "list[Path]": "文件(可多个)",
}
_PYDANTIC = {
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为是/否",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
}


def _number_range(min: float | None, max: float | None) -> str | None:
    if min is None and max is None:
        return None
    if min is None:
        return f"不大于 {max}"
    if max is None:
        return f"不小于 {min}"
    return f"{min} 至 {max}"


def _error_msg(exc: Any) -> str:
    errors = exc.errors() if hasattr(exc, "errors") else []
    if errors:
        e = errors[0]
        zh = _PYDANTIC.get(str(e.get("type")))
        if zh:
            return zh.format(**(e.get("ctx") or {}))
    return _ORIGINAL_ERROR_MSG(exc)


_ORIGINAL_ERROR_MSG = typer._coercion.get_error_msg
_ORIGINAL_DISPLAY = typer.core._TyperParameter.display_type


def _display_type(self: Any, ctx: Any) -> str:
    label = _ORIGINAL_DISPLAY(self, ctx)
    inner = label[1:-1] if label.startswith("<") and label.endswith(">") else label
    return f"<{_TYPE_WORDS.get(inner, inner)}>"


def install(argv: Sequence[str] | None = None) -> None:
    """Make help and usage errors Chinese unless the command line asks for English.

    The patched names are typer's (its vendored click, its help and error helpers), pinned by
    requirements.lock; a typer upgrade is checked by the CLI's help tests.
    """
    if is_english(argv):
        return
    typer.core._ = _translate
    typer.core.describe_number_range = _number_range
    typer._coercion.get_error_msg = _error_msg
    typer.core._TyperParameter.display_type = _display_type  # type: ignore[method-assign]
    _click.core.Context.formatter_class = ChineseHelpFormatter


_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Missing option '(.+?)'\.?$"), "缺少必填选项 {0}"),
    (re.compile(r"^Missing argument '(.+?)'\.?$"), "缺少参数 {0}"),
    (re.compile(r"^Missing parameter: (.+)$"), "缺少参数 {0}"),
    (re.compile(r"^No such option: (\S+)(?: \(Possible options: (.+)\))?$"), "没有这个选项 {0}{1}"),
    (re.compile(r"^No such command '(.+?)'\.?$"), "没有这个命令 {0}"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), "多余的参数:{0}"),
    (
        re.compile(r"^Invalid value for '?(.+?)'?: '(.+?)' is not a valid (\w+)\.?$"),
        "选项 {0} 的值“{1}”不是有效的{2}",
    ),
    (re.compile(r"^Invalid value for '?(.+?)'?: (.+)$"), "选项 {0} 的值有误:{1}"),
    (re.compile(r"^Option '(.+?)' requires an argument\.?$"), "选项 {0} 后面需要写一个值"),
)
_TYPES = {"integer": "整数", "float": "数字", "boolean": "是/否", "path": "路径"}
_RANGE = re.compile(r"(-?\d+(?:\.\d+)?) is not in the range (.+)\.")


def usage_error_text(exc: Any, prog: str = "planner") -> str:
    """A usage error (typer's ``UsageError``) in Chinese, with how to get help."""
    message = exc.format_message()
    text = message
    for pat, zh in _PATTERNS:
        m = pat.match(message)
        if m:
            groups = [g or "" for g in m.groups()]
            if "Possible options" in message and len(groups) > 1 and groups[1]:
                groups[1] = f"(可用的相近选项:{groups[1]})"
            groups = [_TYPES.get(g, g) for g in groups]
            text = zh.format(*groups)
            break
    text = _RANGE.sub(lambda m: f"{m.group(1)} 不在允许范围 {m.group(2)} 内", text)
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else prog
    usage = ctx.get_usage().replace("Usage:", "用法:") if ctx is not None else ""
    hint = f"运行 {command} --help 查看用法。"
    return "\n".join(x for x in (usage, f"错误:{text}", hint) if x)
