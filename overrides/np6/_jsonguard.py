"""What np6 checks in a body's bytes before ijson sees them: depth, token boundaries, surrogates.

ijson's C backend has three costly habits with hostile input: it tracks a path prefix
per nesting level (memory grows with the square of the depth), it re-reads a token
that spans chunks from its start at every chunk (time grows with the square of a
long string or number), and it turns a lone surrogate escape into ``?`` (or fails
with a ``UnicodeDecodeError``). :class:`JsonGuard` scans each chunk once, in a few
whole-chunk C passes (``re.sub`` with a fixed replacement, ``bytes.translate``,
``replace``, ``count``, ``rfind``; no Python loop per byte, per string or per escape), and
so keeps all three away from ijson: it raises when the nesting passes :data:`MAX_DEPTH`;
it hands on everything up to the start of the token a chunk ends in and holds back only
that unfinished token, joined with what follows once it is complete (a few bytes on an
ordinary body, a whole 200 MB string on a hostile one, each byte scanned once); and it
finds lone surrogate escapes in what it hands on, which holds whole strings only.

ijson is fed chunks of about the size they arrived in: fed pieces of a megabyte, its time
doubles (issue 22), which is why the held-back part is one token and never a chunk.
"""

from __future__ import annotations

import re

__all__ = ["MAX_DEPTH", "JsonGuard", "LoneSurrogateError", "TooDeepError"]

MAX_DEPTH = 256
"""The deepest nesting of arrays and objects np6 decodes (the events array counts as one).

Below what Python's recursion limit lets the rest of the toolchain handle (``to_dict()``,
``json.dumps``, the CLI's output), far above what NP6 sends (under ten levels).
"""

_NOT_MARKS = bytes(b for b in range(256) if b not in b'"[]{}')
_TOKEN_ENDS = frozenset(b' \t\r\n[]{},:"')
# what a number or a word (true, false, null) is made of; anything else ends a token or is
# a byte no JSON token holds, which ijson refuses wherever it is cut
_BARE = b"0123456789+-.eEtrufalsn"
# an escaped quote or backslash: the only escapes that hide a quote or a backslash
_QUOTING = re.compile(rb'\\[\\"]')
_HIGH = rb"u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = rb"u[dD][c-fC-F][0-9a-fA-F]{2}"
# a surrogate escape without its other half next to it (exact once escaped backslashes are
# blanked, so that every backslash left starts an escape)
_LONE_ESCAPE = rb"%s(?!\\%s)|%s(?<!\\%s\\%s)" % (_HIGH, _LOW, _LOW, _HIGH, _LOW)
_LONE = re.compile(rb"\\(?:" + _LONE_ESCAPE + rb")")
# what makes a chunk worth a closer look: a quoting escape or what looks like a lone
# surrogate (also the half of a pair that the end of the chunk splits)
_SUSPECT = re.compile(rb'\\(?:[\\"]|' + _LONE_ESCAPE + rb")")
# the longest escape is 6 bytes: a backslash in the last 11 may start or pair one the
# next chunk ends
_ESCAPE_REACH = 11
_OPEN = ord("(")
# the brackets as parentheses, in the pass that drops everything else
_PARENS = bytes.maketrans(b"[]{}", b"()()")
_PASSES = 16


class TooDeepError(Exception):
    """The nesting passed :data:`MAX_DEPTH`."""


class LoneSurrogateError(Exception):
    """A ``\\uD800``-``\\uDFFF`` escape without its pair."""


class JsonGuard:
    """Scans the chunks of one JSON body in order; :meth:`feed` returns what ijson may parse now."""

    __slots__ = ("_escape", "_held", "_in_string", "_suspect", "depth", "max_depth")

    def __init__(self, max_depth: int = MAX_DEPTH) -> None:
        self.max_depth = max_depth
        self.depth = 0
        self._in_string = False
        self._escape = False
        # the unfinished token at the end of what arrived: one piece per chunk it spans
        self._held: list[bytes] = []
        # whether what is held needs the exact surrogate check when it is handed on
        self._suspect = False

    def feed(self, chunk: bytes) -> bytes:
        """The bytes to hand to ijson after ``chunk``: all of it but the token it ends in.

        What is held back is the unfinished last token (a string or a bare number or word),
        which ijson then gets whole once it is complete: a few bytes on an ordinary body.
        Raises :class:`TooDeepError` or :class:`LoneSurrogateError` before ijson sees the bytes.
        """
        if not chunk:
            return b""
        suspect = self._escape
        if b"\\" in chunk and not suspect:
            # one C pass tells the usual escapes (\n, \u00e9, a surrogate pair) from those
            # worth a closer look; without them, no escape hides a quote or a backslash
            suspect = _SUSPECT.search(chunk) is not None or b"\\" in chunk[-_ESCAPE_REACH:]
        plain = _blanked(chunk, self._escape) if suspect else chunk
        brackets = self._brackets_outside_strings(plain)
        if brackets:
            self._track_depth(brackets)
        if self._in_string or self._escape:
            # the last quote (not escaped) opens the string the chunk ends in; none: the
            # string began in an earlier chunk and goes on through all of this one
            cut = plain.rfind(b'"')
        elif chunk[-1] in _TOKEN_ENDS:
            cut = len(chunk)
        else:
            # a number or a word goes on into the next chunk
            cut = len(chunk.rstrip(_BARE)) or -1
        if cut < 0:
            self._held.append(chunk)
            self._suspect = self._suspect or suspect
            return b""
        if cut < len(chunk):
            ready, tail = chunk[:cut], chunk[cut:]
        else:
            ready, tail = chunk, b""
        if self._held:
            self._held.append(ready)
            ready = b"".join(self._held)
            self._held = []
            suspect = suspect or self._suspect
        if tail:
            self._held.append(tail)
        self._suspect = bool(tail) and suspect
        if suspect:
            # what is handed on holds whole strings: a pair is never split in it
            _check_surrogates(ready)
        return ready

    def flush(self) -> bytes:
        """What is still held back when the body ends (an unfinished token, for ijson to judge)."""
        chunk = b"".join(self._held)
        self._held = []
        if b"\\" in chunk:
            _check_surrogates(chunk)
        return chunk

    def _brackets_outside_strings(self, plain: bytes) -> bytes:
        """The brackets of ``plain`` outside strings, as ``(`` and ``)``; tracks strings across chunks.

        ``plain`` is a chunk with its quoting escapes blanked out (:func:`_blanked`). Whole-chunk
        passes only: everything but quotes and brackets is dropped (the brackets turned into
        parentheses in the same pass); what lies between an odd quote and the next one is
        inside a string.
        """
        # a backslash ends the chunk: it escapes the next chunk's first byte
        self._escape = plain.endswith(b"\\")
        marks = plain.translate(_PARENS, _NOT_MARKS)
        if self._in_string:
            marks = b'"' + marks
        quotes = marks.count(b'"')
        closed = marks[: marks.rfind(b'"')] if quotes % 2 else marks
        if 2 * closed.count(b'""') == quotes - quotes % 2:
            # the usual case, told by two counts: every string's quotes are adjacent, so no
            # string holds a bracket; an odd last quote opens a string that goes on
            self._in_string = quotes % 2 == 1
            return closed.translate(None, b'"')
        # an empty pair of quotes is a string without brackets (or the gap between two):
        # removing it keeps the parity, hence the inside/outside, of every other mark
        marks = marks.replace(b'""', b"")
        if b'"' not in marks:
            self._in_string = False
            return marks
        parts = marks.split(b'"')
        self._in_string = len(parts) % 2 == 0
        return b"".join(parts[0::2])

    def _track_depth(self, brackets: bytes) -> None:
        """Follow the nesting through ``brackets`` (``(`` and ``)``); raise :class:`TooDeepError` past it.

        Removing innermost pairs a few times (C passes) leaves the unmatched brackets; the
        depth inside the chunk is at most the start, plus the unmatched openings, plus the
        passes. Only when that bound passes the limit is the chunk walked bracket by bracket.
        """
        rest = brackets
        opens = rest.count(b"(")
        end_depth = self.depth + 2 * opens - len(rest)
        passes = 0
        while passes < _PASSES and b"()" in rest:
            rest = rest.replace(b"()", b"")
            passes += 1
        if b"()" not in rest and self.depth + rest.count(b"(") + passes <= self.max_depth:
            self.depth = end_depth
            return
        depth = self.depth
        for byte in brackets:
            if byte == _OPEN:
                depth += 1
                if depth > self.max_depth:
                    raise TooDeepError
            else:
                depth -= 1
        self.depth = depth


def _blanked(chunk: bytes, starts_escaped: bool) -> bytes:
    """``chunk`` with its escaped quotes and backslashes blanked (and a first byte escaped by
    the chunk before), same length.

    Blanking keeps every offset, so the quotes left are the real ones, where they are; a
    backslash left at the end escapes the next chunk's first byte.
    """
    if starts_escaped:
        return b"_" + _QUOTING.sub(b"__", chunk[1:])
    return _QUOTING.sub(b"__", chunk)


def _check_surrogates(text: bytes) -> None:
    """Raise :class:`LoneSurrogateError` unless every surrogate escape in ``text`` is half of a pair.

    ``text`` holds whole strings only. Two whole-text C passes, none per escape: escaped
    backslashes are blanked (so that every backslash left starts an escape), then one
    search for a surrogate escape without its other half next to it.
    """
    if b"\\\\" in text:
        text = text.replace(b"\\\\", b"__")
    if _LONE.search(text) is not None:
        raise LoneSurrogateError
