"""Keeping the API key out of everything np6 shows: messages, log records, tracebacks.

The one home of the masking algorithm (:class:`Redactor`): every np6 error message is
finished beside the code that raises it, then passes through a :class:`Redactor` last,
after every other transformation of its text. The same redactors mask the records of
np6's, httpx's and httpcore's loggers (:func:`watch`), and :func:`detached` drops the
chain and frames of an error on its way out.

Log records: np6 never hands the key to a logger, but at DEBUG httpcore logs the response
headers as the server sent them, and a server may echo the key there. The records of those
loggers are masked, with the redactor of every live client, as they are made: a log record
factory (``logging.setLogRecordFactory``, chained to the one in place) covers the loggers
of the family whenever they are created, before or after the client, which a filter cannot
(a logger's filters apply to its own records only, not to those its children pass up). A
filter on the loggers that exist stays as a second line, for a program that later replaces
the record factory without chaining it.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from ._text import cut, printable

__all__ = ["MASK", "Redactor", "detached", "watch"]

_E = TypeVar("_E", bound=BaseException)

EXCERPT_CHARS = 200
"""The longest excerpt of a server's text a message quotes."""

_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _char(match: re.Match[str]) -> str:
    """The character one match of ``_CHAR`` stands for."""
    index = match.lastindex or 7
    if index == 7:
        return match.group(7)
    if index == 6:
        return _ENTITIES[match.group(6)]
    return chr(int(match.group(index), 10 if index == 5 else 16))


_CHAR = re.compile(
    r"\\+u([0-9a-fA-F]{4})"  # JSON or Python escapes, however many times escaped
    r"|\\+x([0-9a-fA-F]{2})"
    r"|%([0-7][0-9a-fA-F])"  # percent-encoding
    r"|&#[xX]0*([0-9a-fA-F]{1,4});"  # HTML character references
    r"|&#0*([0-9]{1,5});"
    r"|&(amp|lt|gt|quot|apos);"  # the entities XML and HTML escape with
    r"|\\*(\S)"  # any other visible character, possibly backslash-escaped (``\/``, ``\\``)
)
_RUN_MIN = 6
"""The shortest run of the key's characters that is masked."""
_SHORTEST_MASKED = 4
MASK = "***"


class Redactor:
    """The API key of one client (or command), masked out of any text.

    Masking covers every run of 6 or more consecutive characters of the key (the whole
    key when it is shorter, from 4 characters), written plainly or escaped as JSON,
    Python, URLs or HTML write it, however many times escaped. A message is finished
    first, then masked by :meth:`__call__`; excerpts are cut after that.
    """

    __slots__ = ("__weakref__", "_charset", "_width", "_windows")

    def __init__(self, secret: str | None) -> None:
        secret = secret or ""
        # a key shorter than 6 characters is masked whole, unless it is too short (under 4) to
        # tell from ordinary text: masking every "k" would garble each message and hide nothing
        self._width = min(_RUN_MIN, len(secret)) if len(secret) >= _SHORTEST_MASKED else 0
        self._windows = frozenset(secret[i : i + self._width] for i in range(len(secret) - self._width + 1))
        self._charset = frozenset(secret)

    def __repr__(self) -> str:
        return "Redactor(***)"

    def __call__(self, text: str) -> str:
        """``text`` with every run of 6+ characters of the key masked, in any common escaping."""
        if not self._width:
            return text
        spans: list[tuple[int, int]] = []
        decoded: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for match in _CHAR.finditer(text):
            char = _char(match)
            if char not in self._charset or (starts and ends[-1] != match.start()):
                self._mask_run(decoded, starts, ends, spans)
                decoded, starts, ends = [], [], []
                if char not in self._charset:
                    continue
            decoded.append(char)
            starts.append(match.start())
            ends.append(match.end())
        self._mask_run(decoded, starts, ends, spans)
        if not spans:
            return text
        pieces, last = [], 0
        for start, end in spans:
            if start < last:  # overlapping windows: extend the previous mask
                continue
            pieces.append(text[last:start])
            pieces.append(MASK)
            last = end
        pieces.append(text[last:])
        return "".join(pieces)

    def _mask_run(
        self, run: list[str], starts: list[int], ends: list[int], spans: list[tuple[int, int]]
    ) -> None:
        width = self._width
        if len(run) < width:
            return
        decoded = "".join(run)
        begin = end = -1
        for i in range(len(decoded) - width + 1):
            if decoded[i : i + width] in self._windows:
                if begin >= 0 and i <= end:
                    end = i + width
                else:
                    if begin >= 0:
                        spans.append((starts[begin], ends[end - 1]))
                    begin, end = i, i + width
        if begin >= 0:
            spans.append((starts[begin], ends[end - 1]))

    def url(self, url: httpx.URL | str) -> str:
        """A request URL as it may be shown."""
        return self(str(url))

    def excerpt(self, text: str, limit: int = EXCERPT_CHARS) -> str:
        """``text`` folded to one line, controls shown escaped, masked, then cut to ``limit`` characters.

        A server's text never reaches a terminal or a log able to act on it: ESC, BEL and
        bidirectional overrides show as ``\\x1b``, ``\\x07``, ``\\u202e``.
        """
        flat = self(printable(" ".join(text.split())))
        return cut(flat, limit) + "…" if len(flat) > limit else flat


def detached(error: _E) -> _E:
    """``error`` without the chain and frames that led to it.

    The exceptions np6 turns into its own carry httpx requests (with the key header) and
    frames whose locals hold raw body bytes: the np6 error leaves without them.
    """
    error.__cause__ = None
    error.__context__ = None
    error.__suppress_context__ = False
    return error.with_traceback(None)


_FAMILIES = ("np6", "httpx", "httpcore", "h11", "h2", "hpack")
_REDACTORS: weakref.WeakSet[Redactor] = weakref.WeakSet()


def _mask(record: logging.LogRecord) -> None:
    """Mask the keys of live clients in ``record``'s message (formatted now) and exception text."""
    redactors = list(_REDACTORS)
    if not redactors:
        return
    try:
        message = record.getMessage()
    except Exception:  # a record that cannot be formatted: let logging report it
        return
    masked = message
    for redactor in redactors:
        masked = redactor(masked)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_text:
        for redactor in redactors:
            record.exc_text = redactor(record.exc_text)


class _KeyFilter(logging.Filter):
    """Masks the keys of live clients in every record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask(record)
        return True


class _MaskingFactory:
    """The log record factory in place, with the records of np6's families masked as they are made."""

    def __init__(self, inner: Callable[..., logging.LogRecord]) -> None:
        self.inner = inner

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.inner(*args, **kwargs)
        if record.name.partition(".")[0] in _FAMILIES:
            _mask(record)
        return record


_FILTER = _KeyFilter()


def watch(redactor: Redactor) -> None:
    """Mask ``redactor``'s key in the records of np6's, httpx's and httpcore's loggers while it lives."""
    _REDACTORS.add(redactor)
    if not isinstance(logging.getLogRecordFactory(), _MaskingFactory):
        logging.setLogRecordFactory(_MaskingFactory(logging.getLogRecordFactory()))
    names = [name for name in list(logging.Logger.manager.loggerDict) if name.split(".")[0] in _FAMILIES]
    for name in {*names, *_FAMILIES}:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
