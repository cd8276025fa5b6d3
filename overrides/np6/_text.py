"""Text crossing np6's edges: what may be sent, and how server text is shown to people.

:func:`printable` is the one function that shows text that came from outside (a
server's strings, an id file's lines) on a terminal or in an error message: every
character a terminal could obey or that reorders what follows (ESC and so every
CSI/OSC sequence, BEL, C0 and C1 controls, DEL, bidirectional overrides and
isolates, line and paragraph separators, lone surrogates) is shown as a visible
escape instead. :func:`fit` cuts such text to a column width without splitting an
escape, and counts wide characters as two columns.
"""

from __future__ import annotations

import re
import unicodedata

from ._errors import InvalidArgumentError

__all__ = ["cut", "fit", "printable", "sendable"]

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# what printable() writes: one token for each character it escapes
_ESCAPE = re.compile(r"\\(?:[nrt]|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def _escaped(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with every character that is not printable shown as an escape (``\\x1b``, ``\\u202e``).

    "Printable" is Python's ``str.isprintable``: controls (Cc), format characters (Cf,
    which hold the bidirectional overrides and isolates), surrogates, private-use and
    unassigned code points, and every separator but the plain space are escaped. Text
    that holds none of them (nearly all) is returned as it is.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escaped(char) for char in text)


def _columns(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """``printable(text)`` cut to at most ``width`` terminal columns and padded with spaces to it.

    The cut falls between whole characters and whole escapes, so no sequence is left open
    and no escape is shown half.
    """
    shown = printable(text)
    pieces: list[str] = []
    used = 0
    position = 0
    while position < len(shown):
        match = _ESCAPE.match(shown, position) if shown[position] == "\\" else None
        piece = match.group(0) if match else shown[position]
        size = len(piece) if match else _columns(piece)
        if used + size > width:
            break
        pieces.append(piece)
        used += size
        position += len(piece)
    return "".join(pieces) + " " * (width - used)


def cut(shown: str, limit: int) -> str:
    """``shown`` (text :func:`printable` wrote) to at most ``limit`` characters, never half an escape."""
    if len(shown) <= limit:
        return shown
    start = shown.rfind("\\", max(0, limit - 9), limit)
    if start >= 0:
        match = _ESCAPE.match(shown, start)
        if match is not None and match.end() > limit:
            return shown[:start]
    return shown[:limit]


def sendable(value: str, what: str) -> str:
    """``value`` if it is text that can be sent (UTF-8 encodable), else :class:`InvalidArgumentError`.

    A lone surrogate (``"\\ud800"``; on the command line, bytes that are not UTF-8) can
    be neither encoded into a URL or a body nor shown; it is refused by position.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = value[exc.start]
        raise InvalidArgumentError(
            f"{what} holds a lone surrogate (U+{ord(char):04X}) at position {exc.start + 1}: it is not "
            "text that can be sent (from a file or the command line: bytes that are not UTF-8)"
        ) from None
    return value
