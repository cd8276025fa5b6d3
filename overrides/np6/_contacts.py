"""Choosing a contact: by id, by unicity or by hash, exactly one."""

from __future__ import annotations

import attrs

from ._errors import InvalidArgumentError
from ._text import sendable

__all__ = ["Contact"]


def _non_empty(instance: Contact, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise InvalidArgumentError(f"Contact {attribute.name} must be a non-empty string, got {value!r}")
    if value is not None:
        sendable(value, f"Contact {attribute.name}")


@attrs.frozen
class Contact:
    """A reference to one NP6 contact, by exactly one of ``id``, ``unicity`` or ``hash``.

    >>> Contact(unicity="example@np6.com")
    Contact(unicity='example@np6.com')
    """

    id: str | None = attrs.field(default=None, validator=_non_empty, kw_only=True)
    unicity: str | None = attrs.field(default=None, validator=_non_empty, kw_only=True)
    hash: str | None = attrs.field(default=None, validator=_non_empty, kw_only=True)

    def __attrs_post_init__(self) -> None:
        given = [name for name in ("id", "unicity", "hash") if getattr(self, name) is not None]
        if len(given) != 1:
            raise InvalidArgumentError(
                f"a Contact needs exactly one of id, unicity or hash; got {', '.join(given) or 'none'}"
            )

    @property
    def selector(self) -> str:
        """Which of ``id``, ``unicity`` or ``hash`` this reference uses."""
        return "id" if self.id is not None else "unicity" if self.unicity is not None else "hash"

    @property
    def value(self) -> str:
        """The selector's value."""
        value = self.id or self.unicity or self.hash
        assert value is not None
        return value

    def __repr__(self) -> str:
        # safe on an instance whose validation failed: a traceback's captured locals repr it
        for name in ("id", "unicity", "hash"):
            value = getattr(self, name, None)
            if value is not None:
                return f"Contact({name}={value!r})"
        return "Contact()"
