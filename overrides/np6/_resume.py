"""The resume ledger of a ``sort=asc`` stream: where to resume, and which events a resumed answer replays."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

__all__ = ["ResumeContradictionError", "ResumeLedger"]


class ResumeContradictionError(Exception):
    """A resumed answer disagrees with what the cut answer already yielded."""


class ResumeLedger:
    """What a cut ``sort=asc`` stream has yielded at its latest instant.

    A resumed request asks again from that instant (``start`` inclusive, or the
    operation's own lower bound on the timestamp its ``sort`` orders by); each event
    there is skipped as many times as it was yielded, so events NP6 sends twice, or
    without an ``id``, are neither lost nor doubled. Each event at that instant is
    kept as a 16-byte digest of its ``id`` (of its whole content when it has none),
    so memory stays flat when many events share one timestamp. Events without an integer
    timestamp, or out of order, make resuming inexact: ``blocker`` says why. A resumed
    answer that leaves out an event already yielded at the resume instant, or that is
    not sorted, raises :class:`ResumeContradictionError`.
    """

    def __init__(self, enabled: bool, param: str = "start") -> None:
        self.enabled = enabled
        self.param = param
        """The query parameter a resumed request sets: the lower bound of the timestamp ``sort``
        orders by (``start``, or ``reactivityStart`` on a reactivity operation; see ``np6._operations``)."""
        self.last_timestamp: int | None = None
        self.blocker: str | None = None
        # the digests of the events yielded at last_timestamp, end to end: a bytes
        # object per event would cost three times as much
        self._seen_at_last = bytearray()
        self._to_skip: Counter[bytes] = Counter()
        self._resumed = False

    @property
    def resumable(self) -> bool:
        """Whether a cut can be resumed at all (``sort=asc`` and one timed event yielded)."""
        return self.enabled and self.last_timestamp is not None

    def resume_params(self) -> dict[str, int]:
        """The query parameters of the next request; arms the replay skipping."""
        if not self.resumable:
            return {}
        seen = self._seen_at_last
        self._to_skip = Counter(bytes(seen[i : i + DIGEST_BYTES]) for i in range(0, len(seen), DIGEST_BYTES))
        self._resumed = True
        assert self.last_timestamp is not None
        return {self.param: self.last_timestamp}

    def replayed(self, item: dict[str, Any], position: int) -> bool:
        """Whether ``item`` (event number ``position``) is a replay to skip; records it otherwise."""
        if not self.enabled or self.blocker is not None:
            return False
        timestamp = item.get("timestamp")
        if type(timestamp) is not int:
            self.blocker = f"event #{position} has no integer timestamp"
        elif self.last_timestamp is not None and timestamp < self.last_timestamp:
            self.blocker = f"event #{position} is older than the one before it (not sorted)"
        if self.blocker is not None:
            if self._resumed and +self._to_skip:
                # replays still due: skipping blind could drop or double events
                raise ResumeContradictionError(self.blocker)
            return False
        assert type(timestamp) is int
        key = _digest(item)
        if timestamp == self.last_timestamp:
            if self._to_skip[key]:
                self._to_skip[key] -= 1
                return True
        else:
            self.check_replayed()
            self.last_timestamp = timestamp
            self._seen_at_last.clear()
            if self._to_skip:
                self._to_skip = Counter()
        self._seen_at_last += key
        return False

    def check_replayed(self) -> None:
        """Raise :class:`ResumeContradictionError` if the resumed answer left out an event already yielded.

        Called when the answer moves past the resume instant, and when it ends.
        """
        missing = sum(count for count in self._to_skip.values() if count > 0)
        if missing:
            self._to_skip = Counter()
            raise ResumeContradictionError(
                f"{missing} event(s) already yielded at timestamp {self.last_timestamp} are missing from it"
            )


DIGEST_BYTES = 16
"""The size of what the ledger keeps per event: 128 bits, so that two events at one instant never collide."""


def _digest(item: dict[str, Any]) -> bytes:
    """The event's identity: its ``id`` if it has one, else its whole content, in separate domains."""
    identity = item.get("id")
    if type(identity) is str:
        text = b"i" + identity.encode("utf-8", "surrogatepass")
    else:
        # C-encoded, so that nesting within np6's depth limit never meets Python's recursion limit
        canonical = json.dumps(item, sort_keys=True, default=repr, ensure_ascii=False, check_circular=False)
        text = b"j" + canonical.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=DIGEST_BYTES).digest()
