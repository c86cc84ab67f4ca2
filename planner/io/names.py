"""File names made from ids: never two people in one file, on any disk the office uses.

An id may hold characters a file name cannot (``c/3``, ``a:b``), and Windows and macOS do not
tell ``A1`` from ``a1``. Replacing a bad character by ``_`` made ``c/3`` and ``c_3`` one file
(one calendar lost). Here a bad character is written as ``%`` and its hex code (``c/3`` →
``c%2F3``; ``%`` itself → ``%25``), which no other id can give; ids that still meet when case
is ignored get a short suffix derived from the id (``~3f2a9c``). Either way the name differs
from the id, and the caller says so.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

__all__ = ["file_part", "unique_file_names"]

# Refused by Windows (and "/" everywhere), plus "%" so the encoding stays one-to-one.
_BAD = re.compile(r'[<>:"/\\|?*%\x00-\x1f\x7f]')
_MAX_PART = 80  # characters; with a prefix and .ics well under 255 bytes of UTF-8


def _encode(ch: str) -> str:
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8"))


def file_part(text: str) -> str:
    """``text`` as part of a file name: characters a file name cannot hold written as ``%XX``.

    Trailing dots and spaces (Windows drops them) are encoded too; an empty text gives ``_``.
    One-to-one for texts of up to 80 characters; longer ones are cut and given a suffix.
    """
    part = _BAD.sub(lambda m: _encode(m.group(0)), text)
    stripped = part.rstrip(". ")
    if stripped != part:
        part = stripped + "".join(_encode(c) for c in part[len(stripped) :])
    if not part:
        return "_"
    if len(part) > _MAX_PART:
        part = part[:_MAX_PART] + "~" + _digest(text)
    return part


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def unique_file_names(
    ids: Iterable[str], name: Callable[[str], str]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """A distinct file name for each id: ``name(file_part(id))``, unique even ignoring case.

    Parameters
    ----------
    ids
        The ids (duplicates are ignored).
    name
        Builds the file name from the id's file part (``lambda p: f"领导-{p}.ics"``).

    Returns
    -------
    tuple
        (id → file name; the ``(id, file name)`` pairs whose name does not carry the id as
        written -- a character was encoded, or a suffix was added -- in the order given).
    """
    order = list(dict.fromkeys(ids))
    names = {i: name(file_part(i)) for i in order}
    by_fold: dict[str, list[str]] = {}
    for i in order:
        by_fold.setdefault(names[i].casefold(), []).append(i)
    for group in by_fold.values():
        if len(group) < 2:
            continue
        for i in group:
            # Only names that meet case-insensitively get the suffix; it is the same whichever
            # other ids are present, so a person's file keeps its name across runs.
            names[i] = name(file_part(i) + "~" + _digest(i))
    taken: dict[str, str] = {}
    for i in order:
        n = names[i]
        k = 6
        while n.casefold() in taken and taken[n.casefold()] != i:
            # A digest clash (practically never): lengthen until distinct.
            k += 2
            n = name(file_part(i) + "~" + hashlib.sha1(i.encode()).hexdigest()[:k])
        names[i] = n
        taken[n.casefold()] = i
    changed = [(i, names[i]) for i in order if names[i] != name(i)]
    return names, changed
