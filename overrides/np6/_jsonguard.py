"""What np6 checks in a body's bytes before ijson sees them: depth, token boundaries, surrogates.

ijson's C backend has three costly habits with hostile input: it tracks a path prefix
per nesting level (memory grows with the square of the depth), it re-reads a token
that spans chunks from its start at every chunk (time grows with the square of a
long string or number), and it turns a lone surrogate escape into ``?`` (or fails
with a ``UnicodeDecodeError``). :class:`JsonGuard` scans each chunk once, in C-speed
passes (``re`` and ``bytes.translate``), and so keeps all three away from ijson: it
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

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_TOKEN_ENDS = frozenset(b" \t\r\n[]{},:")
_SURROGATE = re.compile(rb"(\\+)u[dD]([89a-fA-F])[0-9a-fA-F]{2}")
_LOW_SURROGATE = re.compile(rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_OPEN = frozenset(b"[{")


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
        outside = self._outside_strings(chunk)
        brackets = outside.translate(None, _NOT_BRACKETS)
        if brackets:
            self._track_depth(brackets)
        if self._in_string or (outside and outside[-1] not in _TOKEN_ENDS):
            # a token goes on into the next chunk: ijson gets it whole, in one piece
            self._held.append(chunk)
            return b""
        if self._held:
            self._held.append(chunk)
            chunk = b"".join(self._held)
            self._held = []
        if b"\\u" in chunk and _SURROGATE.search(chunk):
            _check_surrogates(chunk)
        return chunk

    def flush(self) -> bytes:
        """What is still held back when the body ends (an unfinished token, for ijson to judge)."""
        chunk = b"".join(self._held)
        self._held = []
        if b"\\u" in chunk and _SURROGATE.search(chunk):
            _check_surrogates(chunk)
        return chunk

    def _outside_strings(self, chunk: bytes) -> bytes:
        """The bytes of ``chunk`` that are not inside a string; tracks strings across chunks."""
        start = 0
        if self._in_string:
            if self._escape:
                start, self._escape = 1, False
            end = _STRING_REST.match(chunk, start).end()  # type: ignore[union-attr]
            if end >= len(chunk):
                return b""
            if chunk[end] != 0x22:  # a backslash ends the chunk: it escapes the next one's first byte
                self._escape = True
                return b""
            self._in_string = False
            start = end + 1
        outside = _STRING.sub(b"", chunk[start:] if start else chunk)
        quote = outside.find(b'"')
        if quote >= 0:
            # an opening quote left after removing every complete string starts one that goes on
            self._in_string = True
            trailing = len(chunk) - len(chunk.rstrip(b"\\"))
            self._escape = trailing % 2 == 1 and chunk[-1:] == b"\\"
            outside = outside[:quote]
        return outside

    def _track_depth(self, brackets: bytes) -> None:
        opens = brackets.count(b"[") + brackets.count(b"{")
        if self.depth + opens <= self.max_depth:
            self.depth += 2 * opens - len(brackets)
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
