"""The resume ledger of a ``sort="asc"`` stream keeps a fixed-size digest per event, never the event.

Measured with tracemalloc (what the ledger holds once the events it saw are gone), not
with timings: ``bench/ledger_memory.py`` measures the whole stream's peak memory.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
from np6._resume import ResumeContradictionError, ResumeLedger

EVENTS = 5_000
PER_EVENT_BYTES = 40
"""A 16-byte digest, and the slack of the buffer that grows to hold them."""


def _events(shared: bool, with_id: bool) -> Iterator[dict[str, Any]]:
    """Events made one at a time: only what the ledger keeps outlives each one."""
    for n in range(EVENTS):
        event: dict[str, Any] = {
            "type": "hit",
            "timestamp": 1_706_000_000_000 if shared else 1_706_000_000_000 + n,
            "source": {"type": "link", "detail": {"url": f"https://example.com/{n}/" + "x" * 200}},
        }
        if with_id:
            event["id"] = f"0b1f7c57-0000-4000-8000-{n:012d}"
        yield event


def _held_per_event(shared: bool, with_id: bool) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        ledger = ResumeLedger(enabled=True)
        for position, event in enumerate(_events(shared, with_id), 1):
            assert not ledger.replayed(event, position)
        del event
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert ledger.last_timestamp is not None
    return held / EVENTS


@pytest.mark.parametrize("with_id", [True, False], ids=["with-id", "without-id"])
def test_the_ledger_holds_a_fixed_size_digest_per_event_sharing_the_last_timestamp(with_id: bool) -> None:
    per_event = _held_per_event(shared=True, with_id=with_id)
    # before: the id string in a Counter (about 150 bytes), or the whole event as JSON (over 300)
    assert per_event <= PER_EVENT_BYTES, f"{per_event:.0f} bytes held per event"


def test_the_ledger_holds_nothing_per_event_when_timestamps_differ() -> None:
    assert _held_per_event(shared=False, with_id=True) <= 1


def _ledger_after(events: list[dict[str, Any]]) -> ResumeLedger:
    ledger = ResumeLedger(enabled=True)
    for position, event in enumerate(events, 1):
        assert not ledger.replayed(event, position)
    assert ledger.resume_params() == {"start": events[-1]["timestamp"]}
    return ledger


def test_digests_skip_each_replayed_event_as_often_as_it_was_yielded() -> None:
    twin = {"type": "hit", "timestamp": 5}  # no id: told apart by content only
    other = {"type": "bounce", "timestamp": 5}
    ledger = _ledger_after([{"id": "a", "timestamp": 4}, {"id": "b", "timestamp": 5}, twin, dict(twin)])
    replay = [
        {"id": "b", "timestamp": 5},
        dict(twin),
        other,
        dict(twin),
        dict(twin),
        {"id": "c", "timestamp": 6},
    ]
    kept = [event for n, event in enumerate(replay) if not ledger.replayed(event, n)]
    # the third copy of the twin, the other id-less event and what is new are yielded
    assert kept == [other, twin, {"id": "c", "timestamp": 6}]


def test_digests_still_notice_a_resumed_answer_that_leaves_out_an_event() -> None:
    ledger = _ledger_after([{"id": "a", "timestamp": 5}, {"id": "b", "timestamp": 5}])
    assert ledger.replayed({"id": "a", "timestamp": 5}, 1)
    with pytest.raises(ResumeContradictionError, match="1 event"):
        ledger.replayed({"id": "c", "timestamp": 6}, 2)


def test_an_id_and_an_id_less_event_with_that_text_are_told_apart() -> None:
    # the digest of an id and of an event's JSON come from separate domains
    ledger = _ledger_after([{"id": '{"timestamp": 5}', "timestamp": 5}])
    assert not ledger.replayed({"timestamp": 5}, 1)
