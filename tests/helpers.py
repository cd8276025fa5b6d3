"""Helpers shared by the tests."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

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
