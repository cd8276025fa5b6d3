"""Helpers shared by the tests."""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from np6_mock import Store

# The generated data set ends on the day before this date: tests that read it pass
# it, so they see the same events (January 2024) whatever the day they run.
ANCHOR = dt.date(2024, 2, 1)


def events_in_db(store: Store, where: str = "1=1", params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Every stored event matching ``where``, as the server would send it."""
    with store.connect() as db:
        return [json.loads(body) for (body,) in db.execute(f"SELECT body FROM events WHERE {where}", params)]


class JsonServer:
    """A plain HTTP server on a real socket: answers 200 with ``payload``, records every request."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlsplit

        self.payload = b"[]"
        self.requests: list[dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                url = urlsplit(self.path)
                body = self.rfile.read(length) if length else b""
                owner.requests.append(
                    {
                        "method": self.command,
                        "path": url.path,
                        "query": parse_qs(url.query),
                        "key": self.headers.get("X-Key"),
                        "body": json.loads(body) if body else None,
                    }
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(owner.payload)))
                self.end_headers()
                self.wfile.write(owner.payload)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()


class Recorder:
    """What a recording transport saw: every request sent, and every response body left open.

    Passed to np6 through the public ``transport=`` hook; ``fault`` adds the mock's
    fault header to every request (a unique ``id`` keeps the server's ``times``
    counters apart between tests).
    """

    def __init__(self, fault: str | None = None) -> None:
        self.fault: str | None = None
        if fault is not None:
            self.set_fault(fault)
        self.requests: list[Any] = []
        self.open_bodies = 0
        self.responses = 0

    def set_fault(self, fault: str) -> None:
        """Ask the mock for ``fault`` on every request from now on."""
        import random

        self.fault = f"{fault},id={random.getrandbits(64)}"

    def _sent(self, request: Any) -> None:
        from np6_mock import FAULT_HEADER

        if self.fault is not None:
            request.headers[FAULT_HEADER] = self.fault
        self.requests.append(request)

    @property
    def all_closed(self) -> bool:
        """Whether every response body was closed (the connection went back to the pool or away)."""
        return self.responses > 0 and self.open_bodies == 0

    def transport(self) -> Any:
        """A real sync transport that records into this recorder."""
        import httpx

        recorder = self

        class Body(httpx.SyncByteStream):
            def __init__(self, inner: Any) -> None:
                self.inner = inner

            def __iter__(self) -> Any:
                yield from self.inner

            def close(self) -> None:
                recorder.open_bodies -= 1
                self.inner.close()

        class Transport(httpx.HTTPTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                recorder._sent(request)
                response = super().handle_request(request)
                recorder.responses += 1
                recorder.open_bodies += 1
                response.stream = Body(response.stream)
                return response

        return Transport()

    def async_transport(self) -> Any:
        """A real async transport that records into this recorder."""
        import httpx

        recorder = self

        class Body(httpx.AsyncByteStream):
            def __init__(self, inner: Any) -> None:
                self.inner = inner

            async def __aiter__(self) -> Any:
                async for chunk in self.inner:
                    yield chunk

            async def aclose(self) -> None:
                recorder.open_bodies -= 1
                await self.inner.aclose()

        class Transport(httpx.AsyncHTTPTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                recorder._sent(request)
                response = await super().handle_async_request(request)
                recorder.responses += 1
                recorder.open_bodies += 1
                response.stream = Body(response.stream)
                return response

        return Transport()


def recording_policy(recorded: list[float], **kwargs: Any) -> Any:
    """A retry policy that records the waits np6 asks for and sleeps none of them."""
    import attrs
    import np6

    @attrs.frozen
    class Recording(np6.RetryPolicy):
        def delay(self, retry_number: int, retry_after: float | None = None) -> float:
            recorded.append(super().delay(retry_number, retry_after))
            return 0.0

    return Recording(**kwargs)


NP6 = str(Path(sys.executable).with_name("np6"))
"""The installed ``np6`` command, next to this interpreter."""
NP6_MAINT = str(Path(sys.executable).with_name("np6-maint"))
"""The maintainers' ``np6-maint`` command (``maint/``), next to this interpreter."""


Step = bytes | float
"""What a :class:`RawServer` script does next: send these bytes, or pause this many seconds."""


def http_response(
    status: int = 200,
    body: bytes = b"[]",
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
    *,
    length: bool = True,
) -> bytes:
    """The bytes of an HTTP/1.1 answer that closes the connection; ``length=False`` omits Content-Length."""
    pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    names = {name.lower() for name, _ in pairs}
    if "content-type" not in names:
        pairs.append(("Content-Type", "application/json"))
    if length and "content-length" not in names:
        pairs.append(("Content-Length", str(len(body))))
    pairs.append(("Connection", "close"))
    head = f"HTTP/1.1 {status} {'OK' if status == 200 else 'Status'}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in pairs)
    return head.encode("latin-1") + b"\r\n" + body


class RawServer:
    """A TCP server on 127.0.0.1 answering each connection with a script, byte for byte.

    ``script(request, index)`` gets the raw request (head and body) and its number
    (from 0) and returns the steps to play: bytes are sent as they are, a number
    pauses that many seconds; then the connection is closed. Nothing is parsed for
    the answer, so it can be anything a hostile or broken server sends: lying
    headers, a trickle, a stall, a cut. ``requests`` keeps every raw request.
    """

    def __init__(self, script: Any = None, host: str = "127.0.0.1") -> None:
        import socket
        import threading

        self.script = script or (lambda request, index: [http_response()])
        self.requests: list[bytes] = []
        self._closed = threading.Event()
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.base_url = f"http://{host}:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while not self._closed.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: Any) -> None:
        import socket

        with connection:
            connection.settimeout(5)
            try:
                request = self._read_request(connection)
                if request is None:
                    return
                self.requests.append(request)
                for step in self.script(request, len(self.requests) - 1):
                    if self._closed.is_set():
                        return
                    if isinstance(step, (int, float)):
                        self._closed.wait(step)  # a long stall ends when the test closes the server
                    else:
                        connection.sendall(step)
                # a graceful close: closing with unread bytes would reset the connection and
                # could destroy the end of the answer before the client reads it
                connection.shutdown(socket.SHUT_WR)
                connection.settimeout(1)
                while connection.recv(65536):
                    pass
            except OSError:
                pass  # the client went away: that is its right

    @staticmethod
    def _read_request(connection: Any) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            piece = connection.recv(65536)
            if not piece:
                return None
            data += piece
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            piece = connection.recv(65536)
            if not piece:
                break
            rest += piece
        return head + b"\r\n\r\n" + rest

    def header(self, index: int, name: str) -> str | None:
        """Header ``name`` of request number ``index`` (``None`` when absent)."""
        head = self.requests[index].split(b"\r\n\r\n", 1)[0].decode("latin-1")
        for line in head.split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return None

    def close(self) -> None:
        """Stop accepting; connections still playing a script stop at their next step."""
        self._closed.set()
        self._listener.close()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def key_runs(key: str, width: int = 6) -> list[str]:
    """Every run of ``width`` characters of ``key``: none may appear in anything np6 shows."""
    return [key[i : i + width] for i in range(len(key) - width + 1)]


def leaked(key: str, text: str) -> list[str]:
    """The runs of 6 characters of ``key`` found in ``text`` (empty when nothing leaked)."""
    return [run for run in key_runs(key) if run in text]


TESTS = str(Path(__file__).parent)
SCRUBBED_BY_TRACKERS = frozenset({"api_key", "password", "secret", "token", "passwd"})
"""Local variable names Sentry-like trackers filter by default; np6 may keep the key under them."""


def everything_shown(error: BaseException) -> str:
    """All an error shows: message, repr, attributes, and the traceback with chains and captured locals."""
    import traceback

    parts = [str(error), repr(error), repr(vars(error))]
    formatted = traceback.TracebackException.from_exception(error, capture_locals=True)
    # as error trackers do by default: a variable named as a secret is scrubbed
    pending: list[Any] = [formatted]
    while pending:
        link = pending.pop()
        for frame in link.stack:
            if frame.filename.startswith(TESTS):
                frame.locals = None  # the caller's frames (these tests) hold the key on purpose
            for name in list(frame.locals or {}):
                if name in SCRUBBED_BY_TRACKERS:
                    frame.locals[name] = "[Filtered]"
        pending.extend(x for x in (link.__cause__, link.__context__) if x is not None)
    parts.extend(formatted.format(chain=True))
    chained: BaseException | None = error
    while chained is not None:
        try:
            request = chained.request  # type: ignore[attr-defined]
            parts.append(repr(dict(request.headers)))
        except (AttributeError, RuntimeError):
            pass
        parts.append(repr(vars(chained)))
        chained = chained.__cause__ or chained.__context__
    return "\n".join(parts)


Rule = Callable[[int, str, float], tuple[int, dict[str, str], bytes] | None]
"""``rule(number, contact_id, arrival)``: an answer to send instead of the contact's events."""


def scripted_events(contact: str, count: int) -> list[dict[str, Any]]:
    """``count`` hits of ``contact``, as :class:`ScriptedServer` serves them."""
    return [
        {"type": "hit", "id": f"{contact}-{n}", "timestamp": 1_700_000_000_000 + n, "contact": contact}
        for n in range(count)
    ]


class ScriptedServer:
    """NP6's contact events over a real socket, with answers a test scripts per request.

    Contacts ``c0``, ``c1``, ... have ``per_contact`` events each; any other id is a
    404; ``cut`` ids get a body that stops in the middle. ``rule`` may replace any
    answer (a 429, rate headers). Every request's arrival time and contact is kept.
    """

    def __init__(self, contacts: int, per_contact: int = 3, rule: Rule | None = None) -> None:
        self.known = {f"c{n}": scripted_events(f"c{n}", per_contact) for n in range(contacts)}
        self.cut: set[str] = set()
        self.rule = rule
        self.arrivals: list[tuple[float, str]] = []
        self.answers: list[tuple[float, int, dict[str, str]]] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                arrival = time.monotonic()
                query = parse_qs(urlsplit(self.path).query)
                contact = query.get("id", ["?"])[0]
                with owner._lock:
                    number = len(owner.arrivals)
                    owner.arrivals.append((arrival, contact))
                answer = owner.rule(number, contact, arrival) if owner.rule else None
                if answer is None:
                    answer = owner._default(contact)
                status, headers, body = answer
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body) + (40 if contact in owner.cut else 0)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                with owner._lock:
                    owner.answers.append((time.monotonic(), status, headers))
                self.wfile.write(body)
                if contact in owner.cut:
                    self.close_connection = True

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _default(self, contact: str) -> tuple[int, dict[str, str], bytes]:
        if contact not in self.known:
            body = json.dumps({"title": "Not Found", "detail": f"no contact {contact}"}).encode()
            return 404, {}, body
        body = json.dumps(self.known[contact]).encode()
        if contact in self.cut:
            body = body[: len(body) // 2]
        return 200, {}, body

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def scripted_contacts(count: int, extra: tuple[str, ...] = ()) -> list[Any]:
    """Contacts ``c0`` ... of a :class:`ScriptedServer`, then ``extra`` ids (unknown to it: 404s)."""
    import np6

    return [np6.Contact(id=f"c{n}") for n in range(count)] + [np6.Contact(id=i) for i in extra]


def every_event_once(items: list[Any], server: ScriptedServer) -> None:
    """Every event the server knows (but for cut contacts), in ``items`` once, tagged with its contact."""
    import np6

    tagged = [item for item in items if isinstance(item, np6.Tagged)]
    seen = sorted((item.target.id, item.event["id"]) for item in tagged)
    expected = sorted(
        (c, e["id"]) for c, events in server.known.items() for e in events if c not in server.cut
    )
    assert seen == expected
    # each event arrives with the contact it was asked for, unchanged
    assert all(item.event["contact"] == item.target.id for item in tagged)
