"""Keeping the key out of the log records of np6, httpx and httpcore.

np6 never hands the key to a logger, but at DEBUG httpcore logs the response headers
as the server sent them, and a server may echo the key there. The records of those
loggers are masked, with the redactor of every live client, as they are made: a log
record factory (``logging.setLogRecordFactory``, chained to the one in place) covers
the loggers of the family whenever they are created, before or after the client, which
a filter cannot (a logger's filters apply to its own records only, not to those its
children pass up). A filter on the loggers that exist stays as a second line, for a
program that later replaces the record factory without chaining it.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

from .errors import Redactor

__all__ = ["watch"]

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
