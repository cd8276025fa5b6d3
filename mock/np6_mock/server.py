"""Running the mock: in a background thread for tests, or in the foreground for ``np6 mock``."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Self

import uvicorn

from .app import DEFAULT_API_KEY, create_app
from .store import Store

__all__ = ["MockServer", "serve"]


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
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.store = store
        self.api_key = api_key
        self.app = create_app(store, api_key=api_key, fault=fault)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()[:2]
        config = uvicorn.Config(self.app, log_level="critical", access_log=False, lifespan="off")
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


def serve(store: Store, *, host: str, port: int, api_key: str, fault: str | None) -> None:
    """Serve in the foreground until interrupted."""
    app = create_app(store, api_key=api_key, fault=fault)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
