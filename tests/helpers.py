"""Helpers shared by the tests."""

from __future__ import annotations

import json
from typing import Any

from np6_mock import Store


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
