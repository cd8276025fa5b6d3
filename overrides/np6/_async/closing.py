"""What np6's objects that hold connections share: ``async with`` closes them, and the
iterators among them are their generator (the client, the streams, the fan-outs)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import TracebackType
from typing import Generic, Self, TypeVar

T = TypeVar("T")


class AsyncClosing:
    """Leaving the ``async with`` block calls :meth:`aclose`."""

    async def aclose(self) -> None:
        """Release what this object holds."""
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


class AsyncIterating(AsyncClosing, Generic[T]):
    """An iterator that is its generator ``_iterator``, which holds the connections."""

    _iterator: AsyncIterator[T]

    def __aiter__(self) -> AsyncIterator[T]:
        # the generator itself, so that a for loop pays no extra call per event
        return self._iterator

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def aclose(self) -> None:
        """Stop early: release the connections (and end the workers of a fan-out)."""
        await self._iterator.aclose()  # type: ignore[attr-defined]
