"""The one text decoder of every table file the product reads (CSV, plan, schedule, …).

Excel/WPS on Chinese Windows save "CSV" as GB18030 (GBK); Excel's "Unicode text" export is
UTF-16 with a BOM; everything else is UTF-8, with or without a BOM. A workbook or an old
``.xls`` renamed to ``.csv`` is recognised and named as such.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from planner.errors import InputError, InputProblem


class UndecodableText(ValueError):
    """The bytes are not a text table; ``zh``/``en`` say what they are and what to do."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def decode_table_text(data: bytes) -> str:
    """The text of a table file's bytes.

    Raises
    ------
    UndecodableText
        For a workbook or ``.xls`` named ``.csv``, bytes in no known encoding, or NUL bytes.
    """
    if data.startswith(b"PK\x03\x04"):
        raise UndecodableText(
            "这是一个 Excel 工作簿,但扩展名是 .csv:请把扩展名改为 .xlsx,或在 Excel/WPS 中另存为 CSV",
            "this is an Excel workbook named .csv: rename it to .xlsx or save it as CSV",
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UndecodableText(
            "这是旧版 Excel(.xls)文件,请在 Excel/WPS 中另存为 .xlsx 或 CSV 后再试",
            "this is an old Excel .xls file; save it as .xlsx or CSV",
        )
    text: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    elif data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            text = None
    else:
        # UTF-8 first: GB18030 would also "decode" most UTF-8 into nonsense.
        for enc in ("utf-8", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise UndecodableText(
            "无法识别文件的文字编码,请在 Excel/WPS 中另存为“CSV UTF-8(逗号分隔)”",
            "cannot decode the file (neither UTF-8 nor GB18030); save it as CSV UTF-8",
        )
    if "\x00" in text:
        raise UndecodableText(
            "文件中含有空字符,不像是表格文件,请在 Excel/WPS 中另存为 CSV",
            "the file contains NUL bytes and is not a text table; save it as CSV",
        )
    return text


def read_table_text(path: Path) -> str:
    """The decoded text of the table file ``path``.

    Raises
    ------
    InputError
        Naming the file, for a file that cannot be read or decoded.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(
            [InputProblem(Path(path).name, f"无法读取文件:{exc.strerror}", f"cannot read: {exc}")]
        ) from exc
    try:
        return decode_table_text(data)
    except UndecodableText as exc:
        raise InputError([InputProblem(Path(path).name, exc.zh, exc.en)]) from exc
