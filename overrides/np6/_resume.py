"""The resume ledger of a ``sort=asc`` stream: where to resume, and which events a resumed answer replays."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

__all__ = ["ResumeLedger"]


class ResumeLedger:
    """What a cut ``sort=asc`` stream has yielded at its latest instant.

    A resumed request asks again from that instant (``start`` inclusive); each event
    there is skipped as many times as it was yielded, so events NP6 sends twice, or
    without an ``id``, are neither lost nor doubled. Events without an integer
    timestamp, or out of order, make resuming inexact: ``blocker`` says why.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.last_timestamp: int | None = None
        self.blocker: str | None = None
        self._seen_at_last: Counter[Any] = Counter()
        self._to_skip: Counter[Any] = Counter()

    @property
    def resumable(self) -> bool:
        """Whether a cut can be resumed at all (``sort=asc`` and one timed event yielded)."""
        return self.enabled and self.last_timestamp is not None

    def resume_params(self) -> dict[str, int]:
        """The query parameters of the next request; arms the replay skipping."""
        if not self.resumable:
            return {}
        self._to_skip = self._seen_at_last.copy()
        assert self.last_timestamp is not None
        return {"start": self.last_timestamp}

    def replayed(self, item: dict[str, Any], position: int) -> bool:
        """Whether ``item`` (event number ``position``) is a replay to skip; records it otherwise."""
        if not self.enabled or self.blocker is not None:
            return False
        timestamp = item.get("timestamp")
        if type(timestamp) is not int:
            self.blocker = f"event #{position} has no integer timestamp"
            return False
        if self.last_timestamp is not None and timestamp < self.last_timestamp:
            self.blocker = f"event #{position} is older than the one before it (not sorted)"
            return False
        identity = item.get("id")
        key = identity if type(identity) is str else json.dumps(item, sort_keys=True, default=repr)
        if timestamp == self.last_timestamp:
            if self._to_skip[key]:
                self._to_skip[key] -= 1
                return True
        else:
            self.last_timestamp = timestamp
            self._seen_at_last = Counter()
            self._to_skip = Counter()
        self._seen_at_last[key] += 1
        return False
