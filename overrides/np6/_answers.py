"""``client.generated``'s answers checked before the generated code parses them.

The generated functions parse an answer with ``response.json()`` and the models'
``from_dict``: a hostile or broken answer escapes as ``JSONDecodeError``, ``KeyError``
or ``ValueError``, with frames whose locals hold the body (and the key, when the body
echoes it). np6 gives the generated client's httpx clients a response hook that reads
the answer and runs the same generated parser first: when it fails, the call raises
np6's error instead (a typed status error, or :class:`np6.DecodeError` for a 200),
masked and without the chain or frames of the failure.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Awaitable, Generator
from types import ModuleType
from typing import Any

import httpx
import np6_generated.api

from ._errors import DecodeError, Error
from ._masking import Redactor, detached
from ._retries import EXCERPT_BYTES, status_error

__all__ = ["OPERATIONS", "AnswerCheck"]


def _generated_operations() -> dict[str, ModuleType]:
    """Each generated operation module under the operation it sends (its ``OPERATION``)."""
    found: dict[str, ModuleType] = {}
    for tag in pkgutil.iter_modules(np6_generated.api.__path__, f"{np6_generated.api.__name__}."):
        package = importlib.import_module(tag.name)
        for info in pkgutil.iter_modules(package.__path__, f"{tag.name}."):
            module = importlib.import_module(info.name)
            found[module.OPERATION] = module
    return dict(sorted(found.items()))


OPERATIONS: dict[str, ModuleType] = _generated_operations()
"""Every operation of the spec and its generated module (a test checks it against the spec)."""

_ROUTES = [
    (label.split()[0], re.compile(re.escape(label.split()[1]).replace(r"\{id\}", "[^/]+")), module)
    for label, module in OPERATIONS.items()
]


class _Done:
    """What the hook returns to a sync client: nothing to wait for."""

    def __await__(self) -> Generator[Any, None, None]:
        yield from ()


_DONE = _Done()


class AnswerCheck:
    """An httpx response hook, for the sync and the async client alike (see the module's doc)."""

    def __init__(self, redactor: Redactor, base_url: httpx.URL) -> None:
        self._redactor = redactor
        self._prefix = base_url.path.rstrip("/")

    def __repr__(self) -> str:
        return "AnswerCheck()"

    def __call__(self, response: httpx.Response) -> Awaitable[None]:
        if isinstance(response.stream, httpx.AsyncByteStream):
            return self._acheck(response)
        module = self._module(response.request)
        if module is not None:
            response.read()
            self._check(module, response)
        return _DONE

    async def _acheck(self, response: httpx.Response) -> None:
        module = self._module(response.request)
        if module is not None:
            await response.aread()
            self._check(module, response)

    def _module(self, request: httpx.Request) -> ModuleType | None:
        path = request.url.path
        if self._prefix and path.startswith(self._prefix):
            path = path[len(self._prefix) :]
        for method, pattern, module in _ROUTES:
            if request.method == method and pattern.fullmatch(path):
                return module
        return None

    def _check(self, module: ModuleType, response: httpx.Response) -> None:
        failure: Error | None = None
        try:
            module.parse_response(client=_NotRaising, response=response)
        except Exception as exc:  # whatever the generated parser raises on this answer
            failure = _generated_answer(self._redactor, exc, response)
        if failure is not None:
            # raised outside the except clause: no chain, no frame of the parser (its locals hold the body)
            raise detached(failure)


def _generated_answer(redactor: Redactor, exc: BaseException, response: httpx.Response) -> Error:
    """An answer the generated client cannot parse: its status error, or a DecodeError for a 2xx."""
    if response.status_code >= 400:
        return status_error(redactor, response, response.content[:EXCERPT_BYTES], 1)
    request = response.request
    return DecodeError(
        redactor(
            f"the answer to {request.method} {redactor.url(request.url)} (status {response.status_code}) "
            f"is not what the spec describes: {redactor.excerpt(f'{type(exc).__name__}: {exc}')}"
        ),
        offset=None,
    )


class _NotRaising:
    """What ``parse_response`` reads of its client: undocumented statuses are the caller's to judge."""

    raise_on_unexpected_status = False
