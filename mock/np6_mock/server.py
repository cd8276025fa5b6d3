"""Running the mock: in a background thread for tests, or in the foreground for ``np6 mock``."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType
from typing import Self

import uvicorn

from .app import DEFAULT_API_KEY, create_app
from .store import Store

__all__ = ["MockServer", "bind", "serve"]


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` (0: any free port), not yet listening.

    Binding first tells at once whether the port is free (``OSError`` with
    ``errno.EADDRINUSE`` when it is not) while connections are still refused, so
    nothing reaches the server before it is ready to serve.
    """
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        # lets a restarted mock reuse a port its predecessor left in TIME_WAIT; Linux
        # still refuses a port another socket listens on
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


class MockServer:
    """The mock NP6 server on a real socket, in a background thread.

    >>> with MockServer(Store.generated(events=500)) as server:
    ...     client = np6.Client(server.api_key, base_url=server.base_url)
    """

    def __init__(
        self,
        store: Store,
        *,
        api_key: str = DEFAULT_API_KEY,
        fault: str | None = None,
        rate_limit: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        clock_skew: float = 0.0,
    ) -> None:
        self.store = store
        self.api_key = api_key
        self.app = create_app(
            store, api_key=api_key, fault=fault, rate_limit=rate_limit, clock_skew=clock_skew
        )
        self._socket = bind(host, port)
        self.host, self.port = self._socket.getsockname()[:2]
        # the app dates its answers (with its clock skew): uvicorn's own Date would be a second one
        config = uvicorn.Config(
            self.app, log_level="critical", access_log=False, lifespan="off", date_header=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"np6-mock-{self.port}",
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server."""
        return f"http://{self.host}:{self.port}"

    def open_gate(self, name: str = "default") -> None:
        """Release the streams held by a ``hold-after`` fault at gate ``name``."""
        self.app.state.faults.open(name)

    def start(self) -> Self:
        """Start serving; returns once the socket accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the mock server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def serve(
    store: Store,
    sock: socket.socket,
    *,
    api_key: str,
    fault: str | None,
    rate_limit: int | None = None,
    clock_skew: float = 0.0,
) -> None:
    """Serve on ``sock`` (from :func:`bind`) in the foreground until interrupted.

    An interrupt (Ctrl-C, SIGINT, SIGTERM) is how serving normally ends: it returns.
    """
    app = create_app(store, api_key=api_key, fault=fault, rate_limit=rate_limit, clock_skew=clock_skew)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", date_header=False)
    # uvicorn shuts down gracefully, then re-raises the signal it caught
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[sock])
