"""The comparison: every change between two specs, classified for the client's users."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..docs.specmodel import (
    SpecOperation,
    enum_values,
    normalised_path,
    operations,
    resolve,
    type_alternatives,
)

__all__ = ["BREAKING", "INFORMATIONAL", "LEVELS", "NON_BREAKING", "Change", "diff"]

BREAKING, NON_BREAKING, INFORMATIONAL = "breaking", "non-breaking", "informational"
LEVELS = (BREAKING, NON_BREAKING, INFORMATIONAL)
"""From most to least severe."""

_REQUEST, _RESPONSE = "request", "response"
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")


@dataclass(frozen=True)
class Change:
    """One change, its level, the operation it touches (``None`` for the whole API) and what it is."""

    level: str
    operation: str | None
    message: str


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``, most severe first, then in document order."""
    differ = _Differ(old, new)
    differ.run()
    return sorted(differ.changes, key=lambda change: LEVELS.index(change.level))


class _Differ:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self._known: set[Change] = set()  # a list lookup per change would be quadratic
        self.operation: str | None = None
        self.seen: set[tuple[str, str]] = set()

    def add(self, level: str, message: str) -> None:
        change = Change(level, self.operation, message)
        if change not in self._known:
            self._known.add(change)
            self.changes.append(change)

    def run(self) -> None:
        old_version = (self.old.get("info") or {}).get("version")
        new_version = (self.new.get("info") or {}).get("version")
        if old_version != new_version:
            self.add(INFORMATIONAL, f"API version {old_version} -> {new_version}")
        if _server(self.old) != _server(self.new):
            self.add(INFORMATIONAL, f"default server {_server(self.old)} -> {_server(self.new)}")
        old_ops = {(op.method, normalised_path(op.path)): op for op in operations(self.old)}
        new_ops = {(op.method, normalised_path(op.path)): op for op in operations(self.new)}
        for key, op in old_ops.items():
            if key not in new_ops:
                self.operation = op.label
                self.add(BREAKING, "operation removed")
        for key, op in new_ops.items():
            self.operation = op.label
            if key not in old_ops:
                self.add(NON_BREAKING, "operation added")
            else:
                self.seen = set()
                self._operation(old_ops[key], op)
        self.operation = None

    # --- operations ---------------------------------------------------------------

    def _operation(self, old: SpecOperation, new: SpecOperation) -> None:
        old_params = {p.key: p for p in old.parameters}
        new_params = {p.key: p for p in new.parameters}
        for key, parameter in old_params.items():
            if key not in new_params:
                self.add(BREAKING, f"{parameter.location} parameter '{parameter.name}' removed")
        for key, parameter in new_params.items():
            where = f"{parameter.location} parameter '{parameter.name}'"
            before = old_params.get(key)
            if before is None:
                self.add(
                    BREAKING if parameter.required else NON_BREAKING,
                    f"{'required' if parameter.required else 'optional'} {where} added",
                )
                continue
            if parameter.required != before.required:
                self.add(
                    BREAKING if parameter.required else NON_BREAKING,
                    f"{where} is now {'required' if parameter.required else 'optional'}",
                )
            self._schema(before.schema, parameter.schema, _REQUEST, where)
        self._request_body(old, new)
        self._responses(old, new)

    def _request_body(self, old: SpecOperation, new: SpecOperation) -> None:
        if old.request_body is None and new.request_body is None:
            return
        if old.request_body is None:
            required = new.request_required
            self.add(
                BREAKING if required else NON_BREAKING,
                f"{'required' if required else 'optional'} request body added",
            )
            return
        if new.request_body is None:
            self.add(BREAKING, "request body removed")
            return
        if old.request_required != new.request_required:
            self.add(
                BREAKING if new.request_required else NON_BREAKING,
                f"request body is now {'required' if new.request_required else 'optional'}",
            )
        self._media(old.request_schemas(), new.request_schemas(), _REQUEST, "request body")

    def _responses(self, old: SpecOperation, new: SpecOperation) -> None:
        for status in old.responses:
            if status not in new.responses:
                level = BREAKING if status.startswith("2") else INFORMATIONAL
                self.add(level, f"response {status} removed")
        for status, response in new.responses.items():
            if status not in old.responses:
                self.add(INFORMATIONAL, f"response {status} added")
                continue
            before, after = _schemas(old.responses[status]), _schemas(response)
            self._media(before, after, _RESPONSE, f"response {status}")

    def _media(self, old: dict[str, Any], new: dict[str, Any], direction: str, where: str) -> None:
        for media in old:
            if media not in new:
                self.add(BREAKING, f"{where}: media type {media} removed")
        for media, schema in new.items():
            if media not in old:
                self.add(
                    NON_BREAKING if direction == _REQUEST else INFORMATIONAL,
                    f"{where}: media type {media} added",
                )
            else:
                self._schema(old[media], schema, direction, f"{where} ({media})" if len(new) > 1 else where)

    # --- schemas ------------------------------------------------------------------

    def _schema(self, old_raw: Any, new_raw: Any, direction: str, where: str) -> None:
        refs = (_ref(old_raw), _ref(new_raw))
        if refs[0] and refs[1]:
            if refs in self.seen:
                return
            self.seen.add(refs)
        old, new = resolve(self.old, old_raw), resolve(self.new, new_raw)
        if not isinstance(old, Mapping) or not isinstance(new, Mapping):
            if old != new:
                self.add(BREAKING, f"{where}: schema {old!r} -> {new!r}")
            return
        if _union(old) or _union(new):
            self._union(old, new, direction, where)
            return
        self._types(old, new, direction, where)
        self._enum(old, new, direction, where)
        self._bounds(old, new, direction, where)
        self._pattern(old, new, direction, where)
        self._properties(old, new, direction, where)
        if "items" in old and "items" in new:
            self._schema(old["items"], new["items"], direction, f"{where}[]")

    def _types(self, old: Mapping[str, Any], new: Mapping[str, Any], direction: str, where: str) -> None:
        before = set(type_alternatives(self.old, old))
        after = set(type_alternatives(self.new, new))
        if not before or not after or before == after:
            if before and not after:
                self.add(_widened(direction), f"{where}: type {_show(before)} -> any")
            elif after and not before:
                self.add(_narrowed(direction), f"{where}: type any -> {_show(after)}")
            return
        level = (
            _widened(direction) if after > before else _narrowed(direction) if after < before else BREAKING
        )
        self.add(level, f"{where}: type {_show(before)} -> {_show(after)}")

    def _enum(self, old: Mapping[str, Any], new: Mapping[str, Any], direction: str, where: str) -> None:
        before, after = enum_values(self.old, old), enum_values(self.new, new)
        if before == after:
            return
        if before is None and after is not None:
            self.add(_narrowed(direction), f"{where}: now restricted to {list(after)}")
            return
        if after is None and before is not None:
            self.add(_widened(direction), f"{where}: no longer restricted to {list(before)}")
            return
        if before is None or after is None:  # pragma: no cover - both handled above
            return
        for value in before:
            if value not in after:
                self.add(_narrowed(direction), f"{where}: value '{value}' removed")
        for value in after:
            if value not in before:
                self.add(_widened(direction), f"{where}: value '{value}' added")

    def _bounds(self, old: Mapping[str, Any], new: Mapping[str, Any], direction: str, where: str) -> None:
        for keyword in (*_LOWER_BOUNDS, *_UPPER_BOUNDS):
            before, after = old.get(keyword), new.get(keyword)
            if before == after or not all(isinstance(v, int | float | None) for v in (before, after)):
                continue
            lower = keyword in _LOWER_BOUNDS
            if before is None or after is None:
                tighter = after is not None
            else:
                tighter = after > before if lower else after < before
            level = _narrowed(direction) if tighter else _widened(direction)
            if direction == _RESPONSE:
                # the client decodes whatever arrives; bounds only document the data
                level = INFORMATIONAL
            self.add(level, f"{where}: {keyword} {before} -> {after}")

    def _pattern(self, old: Mapping[str, Any], new: Mapping[str, Any], direction: str, where: str) -> None:
        before, after = old.get("pattern"), new.get("pattern")
        if before == after:
            return
        level = _widened(direction) if after is None else _narrowed(direction)
        if direction == _RESPONSE:
            level = INFORMATIONAL
        self.add(level, f"{where}: pattern {before!r} -> {after!r}")

    def _properties(self, old: Mapping[str, Any], new: Mapping[str, Any], direction: str, where: str) -> None:
        before, after = old.get("properties"), new.get("properties")
        if not isinstance(before, Mapping) or not isinstance(after, Mapping):
            return
        old_required, new_required = set(old.get("required") or ()), set(new.get("required") or ())
        request = direction == _REQUEST
        for name in before:
            if name not in after:
                self.add(BREAKING, f"{where}: property '{name}' removed")
        for name, schema in after.items():
            field = f"{where}.{name}"
            if name not in before:
                needed = name in new_required
                level = (BREAKING if needed else NON_BREAKING) if request else NON_BREAKING
                self.add(level, f"{where}: {'required' if needed else 'optional'} property '{name}' added")
                continue
            if (name in old_required) != (name in new_required):
                now_required = name in new_required
                level = (
                    (BREAKING if now_required else NON_BREAKING)
                    if request
                    else (NON_BREAKING if now_required else BREAKING)
                )
                self.add(level, f"{field}: now {'required' if now_required else 'optional'}")
            self._schema(before[name], schema, direction, field)
        if (
            request
            and old.get("additionalProperties") is not False
            and new.get("additionalProperties") is False
        ):
            self.add(BREAKING, f"{where}: no longer accepts other properties")

    def _union(self, old: Mapping[str, Any], new: Mapping[str, Any], direction: str, where: str) -> None:
        before, after = self._branches(self.old, old), self._branches(self.new, new)
        discriminated = all(key.startswith("kind ") for key in after) and bool(after)
        for key in before:
            if key not in after:
                self.add(_narrowed(direction), f"{where}: alternative {key} removed")
        for key, branch in after.items():
            if key in before:
                self._schema(before[key], branch, direction, f"{where}<{key}>")
            elif direction == _REQUEST:
                self.add(NON_BREAKING, f"{where}: alternative {key} added")
            elif discriminated:
                self.add(
                    INFORMATIONAL,
                    f"{where}: new {key} in a response union (older clients decode it as an unknown kind, "
                    "without loss)",
                )
            else:
                self.add(BREAKING, f"{where}: alternative {key} added to a response")

    def _branches(self, spec: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
        raw = schema.get("oneOf") or schema.get("anyOf") or [schema]
        discriminator = (schema.get("discriminator") or {}).get("propertyName", "type")
        found: dict[str, Any] = {}
        for index, branch in enumerate(raw):
            resolved = resolve(spec, branch)
            kind = None
            if isinstance(resolved, Mapping):
                prop = resolve(spec, (resolved.get("properties") or {}).get(discriminator))
                values = enum_values(spec, prop) if prop is not None else None
                if values is not None and len(values) == 1:
                    kind = f"kind '{values[0]}'"
            if kind is None:
                kind = _ref(branch) or " | ".join(type_alternatives(spec, branch)) or f"#{index}"
            found[kind] = branch
        return found


def _union(schema: Mapping[str, Any]) -> bool:
    return isinstance(schema.get("oneOf") or schema.get("anyOf"), list)


def _ref(schema: Any) -> str:
    ref = schema.get("$ref") if isinstance(schema, Mapping) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else ""


def _widened(direction: str) -> str:
    """A schema that accepts more: fine for requests, a surprise in responses."""
    return NON_BREAKING if direction == _REQUEST else BREAKING


def _narrowed(direction: str) -> str:
    """A schema that accepts less: refuses old requests, never surprises a response reader."""
    return BREAKING if direction == _REQUEST else NON_BREAKING


def _show(types: set[str]) -> str:
    return " | ".join(sorted(types))


def _schemas(response: Any) -> dict[str, Any]:
    content = response.get("content") if isinstance(response, Mapping) else None
    if not isinstance(content, Mapping):
        return {}
    return {str(m): b.get("schema") for m, b in content.items() if isinstance(b, Mapping) and "schema" in b}


def _server(spec: Mapping[str, Any]) -> str | None:
    servers = spec.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], Mapping):
        url = servers[0].get("url")
        return url if isinstance(url, str) else None
    return None
