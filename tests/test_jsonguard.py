"""The body guard hands ijson everything but the unfinished last token, whatever the chunking.

ijson's time doubles when it is fed large joined pieces (issue 22): on an ordinary body
each chunk must reach it unchanged in size, give or take the few bytes of the token the
chunk ends in, which the guard holds back until it is complete.
"""

from __future__ import annotations

import itertools
import json
import re
from functools import cache

import hypothesis.strategies as st
import pytest
from hypothesis import given
from np6._jsonguard import JsonGuard, LoneSurrogateError
from np6_mock.dataset import generate

# a string (with its escapes) or a bare token: what the guard may hold back at most
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[-+.0-9eEtrufalsn]+')


@cache
def _body(ascii_only: bool) -> bytes:
    """Events of the mock's shapes; in ASCII escapes, each carries an emoji (a surrogate pair)."""
    _, _, stream = generate(contacts=40, campaigns=1, events=60)
    events = [json.loads(json.dumps(stored.body)) for stored in stream]
    if ascii_only:
        for event in events:
            event["id"] += " \N{PARTY POPPER}"
    return json.dumps(events, ensure_ascii=ascii_only).encode()


def _longest_token(body: bytes) -> int:
    return max(len(token) for token in _TOKEN.findall(body))


@given(
    ascii_only=st.booleans(),
    cuts=st.lists(st.integers(min_value=0, max_value=30_000), min_size=1, max_size=40),
)
def test_each_chunk_reaches_ijson_unchanged_but_for_the_unfinished_token(
    ascii_only: bool, cuts: list[int]
) -> None:
    body = _body(ascii_only)
    bounds = sorted({0, len(body), *(cut % len(body) for cut in cuts)})
    guard = JsonGuard()
    longest = _longest_token(body)
    fed = handed = 0
    pieces = []
    for start, end in itertools.pairwise(bounds):
        piece = guard.feed(body[start:end])
        pieces.append(piece)
        held_before = fed - handed
        fed, handed = end, handed + len(piece)
        held = fed - handed
        assert len(piece) == end - start + held_before - held
        # what stays back is the token the chunk ends in, never more
        assert held <= longest
        if held:
            assert _TOKEN.match(body, handed) or body[handed : handed + 1] == b'"'
    pieces.append(guard.flush())
    assert b"".join(pieces) == body
    assert fed - handed == len(pieces[-1])


@pytest.mark.parametrize("ascii_only", [False, True])
def test_chunks_of_an_ordinary_body_are_handed_on_within_a_token_of_their_size(ascii_only: bool) -> None:
    body = _body(ascii_only)
    guard = JsonGuard()
    for start in range(0, len(body), 4096):
        chunk = body[start : start + 4096]
        assert abs(len(guard.feed(chunk)) - len(chunk)) <= _longest_token(body)


@pytest.mark.parametrize(
    ("text", "lone"),
    [
        (rb'"\ud83c\udf89"', False),
        (rb'"\\\ud83c\udf89"', False),
        (rb'"\\ud83c"', False),
        (rb'"\ud83c\\udf89"', True),
        (rb'"\ud83c\ud83c\udf89"', True),
        (rb'"\ud83c\udf89\udf89"', True),
        (rb'"\udf89\ud83c"', True),
        (rb'"\\\\\ud83c"', True),
    ],
)
def test_a_surrogate_pair_split_anywhere_is_judged_as_a_whole(text: bytes, lone: bool) -> None:
    body = b'[{"a": ' + text + b', "b": ' + text + b"}]"
    for at in range(len(body) + 1):
        for second in range(at, len(body) + 1, 3):
            guard = JsonGuard()
            if lone:
                with pytest.raises(LoneSurrogateError):
                    for piece in (body[:at], body[at:second], body[second:]):
                        guard.feed(piece)
                    guard.flush()
            else:
                handed = [guard.feed(body[:at]), guard.feed(body[at:second]), guard.feed(body[second:])]
                assert json.loads(b"".join([*handed, guard.flush()])) == json.loads(body)


@pytest.mark.parametrize(
    "text",
    [rb'"\ud83c\\\udf89"', rb'"\\ud83c\udf89"', rb'"\ud83c\"\udf89"', rb'"x\\\\\ud83c"'],
)
def test_escapes_between_or_before_the_halves_of_a_pair_leave_them_alone(text: bytes) -> None:
    """An escaped backslash or quote between two halves, or before the first, breaks the pair."""
    body = b"[" + text + b"]"
    for at in range(len(body) + 1):
        guard = JsonGuard()
        with pytest.raises(LoneSurrogateError):
            guard.feed(body[:at])
            guard.feed(body[at:])
            guard.flush()
