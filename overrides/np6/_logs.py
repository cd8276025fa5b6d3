"""Keeping the key out of the log records of np6, httpx and httpcore.

np6 never hands the key to a logger, but at DEBUG httpcore logs the response headers
as the server sent them, and a server may echo the key there. A filter on each of
those loggers masks, with the redactor of every live client, the finished message
of each record they emit (filters of a logger apply to its own records only, so each
logger of the family gets one, including those created after np6 was imported).
"""

from __future__ import annotations

import logging
import weakref

from .errors import Redactor

__all__ = ["watch"]

_FAMILIES = ("np6", "httpx", "httpcore", "h11", "h2", "hpack")
_REDACTORS: weakref.WeakSet[Redactor] = weakref.WeakSet()


class _KeyFilter(logging.Filter):
    """Masks the keys of live clients in every record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redactors = list(_REDACTORS)
        if not redactors:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted: let logging report it
            return True
        masked = message
        for redactor in redactors:
            masked = redactor(masked)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_text:
            for redactor in redactors:
                record.exc_text = redactor(record.exc_text)
        return True


_FILTER = _KeyFilter()


def watch(redactor: Redactor) -> None:
    """Mask ``redactor``'s key in the records of np6's, httpx's and httpcore's loggers while it lives."""
    _REDACTORS.add(redactor)
    names = [name for name in list(logging.Logger.manager.loggerDict) if name.split(".")[0] in _FAMILIES]
    for name in {*names, *_FAMILIES}:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
