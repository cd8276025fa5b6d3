"""What np6 checks in a body's bytes before ijson sees them: depth, token boundaries, surrogates.

ijson's C backend has three costly habits with hostile input: it tracks a path prefix
per nesting level (memory grows with the square of the depth), it re-reads a token
that spans chunks from its start at every chunk (time grows with the square of a
long string or number), and it turns a lone surrogate escape into ``?`` (or fails
with a ``UnicodeDecodeError``). :class:`JsonGuard` scans each chunk once, in a few
whole-chunk C passes (``bytes.translate``, ``replace``, ``count``; no Python loop per
byte or per string), and so keeps all three away from ijson: it
raises when the nesting passes :data:`MAX_DEPTH`, holds chunks back until the token
they end in is complete, and finds lone surrogate escapes in what it hands on.
"""

from __future__ import annotations

import re

__all__ = ["MAX_DEPTH", "JsonGuard", "LoneSurrogateError", "TooDeepError"]

MAX_DEPTH = 256
"""The deepest nesting of arrays and objects np6 decodes (the events array counts as one).

Below what Python's recursion limit lets the rest of the toolchain handle (``to_dict()``,
``json.dumps``, the CLI's output), far above what NP6 sends (under ten levels).
"""

_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_NOT_MARKS = bytes(b for b in range(256) if b not in b'"[]{}')
_TOKEN_ENDS = frozenset(b' \t\r\n[]{},:"')
_SURROGATE = re.compile(rb"(\\+)u[dD]([89a-fA-F])[0-9a-fA-F]{2}")
_LOW_SURROGATE = re.compile(rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_OPEN = frozenset(b"[{")
_PARENS = bytes.maketrans(b"[]{}", b"()()")
_PASSES = 16


class TooDeepError(Exception):
    """The nesting passed :data:`MAX_DEPTH`."""


class LoneSurrogateError(Exception):
    """A ``\\uD800``-``\\uDFFF`` escape without its pair."""


class JsonGuard:
    """Scans the chunks of one JSON body in order; :meth:`feed` returns what ijson may parse now."""

    __slots__ = ("_escape", "_held", "_in_string", "depth", "max_depth")

    def __init__(self, max_depth: int = MAX_DEPTH) -> None:
        self.max_depth = max_depth
        self.depth = 0
        self._in_string = False
        self._escape = False
        self._held: list[bytes] = []

    def feed(self, chunk: bytes) -> bytes:
        """The bytes to hand to ijson after ``chunk`` (``b""`` while a token is incomplete).

        Raises :class:`TooDeepError` or :class:`LoneSurrogateError` before ijson sees the bytes.
        """
        if not chunk:
            return b""
        brackets = self._brackets_outside_strings(chunk)
        if brackets:
            self._track_depth(brackets)
        if self._in_string or self._escape or chunk[-1] not in _TOKEN_ENDS:
            # a token goes on into the next chunk: ijson gets it whole, in one piece
            self._held.append(chunk)
            return b""
        if self._held:
            self._held.append(chunk)
            chunk = b"".join(self._held)
            self._held = []
        if b"\\" in chunk and b"\\u" in chunk and _SURROGATE.search(chunk):
            _check_surrogates(chunk)
        return chunk

    def flush(self) -> bytes:
        """What is still held back when the body ends (an unfinished token, for ijson to judge)."""
        chunk = b"".join(self._held)
        self._held = []
        if b"\\" in chunk and b"\\u" in chunk and _SURROGATE.search(chunk):
            _check_surrogates(chunk)
        return chunk

    def _brackets_outside_strings(self, chunk: bytes) -> bytes:
        """The brackets of ``chunk`` that are not inside a string, in order; tracks strings across chunks.

        Whole-chunk passes only: escape pairs are dropped, then everything but quotes and
        brackets; what lies between an odd quote and the next one is inside a string.
        """
        if self._escape:
            chunk, self._escape = chunk[1:], False
        if b"\\" in chunk:
            chunk = _ESCAPE.sub(b"", chunk)
            if chunk.endswith(b"\\"):
                # a backslash ends the chunk: it escapes the next chunk's first byte
                chunk, self._escape = chunk[:-1], True
        marks = chunk.translate(None, _NOT_MARKS)
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
        """Follow the nesting through ``brackets``; raise :class:`TooDeepError` past the limit.

        Removing innermost pairs a few times (C passes) leaves the unmatched brackets; the
        depth inside the chunk is at most the start, plus the unmatched openings, plus the
        passes. Only when that bound passes the limit is the chunk walked bracket by bracket.
        """
        rest = brackets.translate(_PARENS)
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
            if byte in _OPEN:
                depth += 1
                if depth > self.max_depth:
                    raise TooDeepError
            else:
                depth -= 1
        self.depth = depth


def _check_surrogates(chunk: bytes) -> None:
    """Raise :class:`LoneSurrogateError` unless every surrogate escape in ``chunk`` is half of a pair."""
    low_expected_at = -1
    for match in _SURROGATE.finditer(chunk):
        if len(match.group(1)) % 2 == 0:  # an escaped backslash followed by the letter u
            continue
        escape_at = match.end(1) - 1
        if match.group(2) in b"89abAB":
            if _LOW_SURROGATE.match(chunk, match.end()) is None:
                raise LoneSurrogateError
            low_expected_at = match.end()
        elif escape_at != low_expected_at:
            raise LoneSurrogateError
