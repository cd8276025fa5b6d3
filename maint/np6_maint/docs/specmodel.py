"""The operations of an OpenAPI 3.x document, read the way a client's user sees them.

Shared by ``np6-maint docs check`` (pages against the spec) and ``np6-maint spec diff`` (spec
against spec): ``$ref`` resolution, parameter lists with the security headers among
them, exploded object query parameters flattened into their properties, and a
short ``type(format)`` summary of a schema. ``x-`` extensions are not read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "HTTP_METHODS",
    "SpecOperation",
    "SpecParameter",
    "enum_values",
    "normalised_path",
    "object_properties",
    "operations",
    "resolve",
    "type_alternatives",
    "type_summary",
]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_REF_HOPS = 64
_MAX_DEPTH = 64


@dataclass(frozen=True)
class SpecParameter:
    """A parameter of an operation; a property of an exploded object parameter counts as one."""

    name: str
    location: str
    required: bool
    schema: Any
    exploded_from: str | None = None
    """Name of the object parameter this one is a property of, if any."""

    @property
    def key(self) -> tuple[str, str]:
        """``(location, name)``, the header name in lower case (header names ignore case)."""
        return (self.location, self.name.lower() if self.location == "header" else self.name)


@dataclass(frozen=True)
class SpecOperation:
    """One path and method of the spec."""

    method: str
    path: str
    parameters: tuple[SpecParameter, ...]
    request_body: Mapping[str, Any] | None
    """The resolved ``requestBody`` object, or ``None``."""
    responses: Mapping[str, Any]
    """Status code to resolved response object."""

    @property
    def label(self) -> str:
        """``GET /targets/events/hits``."""
        return f"{self.method} {self.path}"

    @property
    def request_required(self) -> bool:
        """Whether the request body is required."""
        return bool(self.request_body and self.request_body.get("required", False))

    def request_schemas(self) -> dict[str, Any]:
        """Request body schema by media type."""
        return _media_schemas(self.request_body)

    def success_schemas(self) -> dict[str, Any]:
        """Schemas of the first 2xx response that has a body, by media type."""
        for status in sorted(self.responses, key=str):
            if str(status).startswith("2"):
                schemas = _media_schemas(self.responses[status])
                if schemas:
                    return schemas
        return {}


def resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """``node`` with its local ``$ref`` chain followed; a ``$ref`` that leads nowhere stays."""
    for _ in range(_MAX_REF_HOPS):
        if not isinstance(node, Mapping) or not isinstance(node.get("$ref"), str):
            return node
        target = _pointer(spec, node["$ref"])
        if target is None:
            return node
        node = target
    return node


def normalised_path(path: str) -> str:
    """The path with every ``{name}`` written ``{}``, so renamed path parameters still match."""
    out, depth = [], 0
    for char in path:
        if char == "{":
            depth += 1
            if depth == 1:
                out.append("{}")
            continue
        if char == "}" and depth:
            depth -= 1
            continue
        if not depth:
            out.append(char)
    return "".join(out).rstrip("/") or "/"


def operations(spec: Mapping[str, Any]) -> list[SpecOperation]:
    """Every operation of the spec, in document order."""
    found = []
    paths = spec.get("paths")
    if not isinstance(paths, Mapping):
        return []
    for path, raw_item in paths.items():
        item = resolve(spec, raw_item)
        if not isinstance(item, Mapping):
            continue
        shared = _parameter_list(spec, item.get("parameters"))
        for method in HTTP_METHODS:
            operation = resolve(spec, item.get(method))
            if not isinstance(operation, Mapping):
                continue
            own = _parameter_list(spec, operation.get("parameters"))
            merged = {(p.get("in"), p.get("name")): p for p in [*shared, *own]}
            parameters = [flat for raw in merged.values() for flat in _flatten(spec, raw)]
            parameters += _security_headers(spec, operation)
            body = resolve(spec, operation.get("requestBody"))
            responses = operation.get("responses")
            found.append(
                SpecOperation(
                    method=method.upper(),
                    path=str(path),
                    parameters=tuple(parameters),
                    request_body=body if isinstance(body, Mapping) else None,
                    responses={
                        str(status): resolve(spec, response)
                        for status, response in (responses.items() if isinstance(responses, Mapping) else ())
                    },
                )
            )
    return found


def type_alternatives(spec: Mapping[str, Any], schema: Any, depth: int = 0) -> list[str]:
    """The ``type(format)`` alternatives a schema accepts, e.g. ``["string(date-time)", "integer(int64)"]``.

    An empty list means any type (no ``type`` said anywhere).
    """
    schema = resolve(spec, schema)
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return []
    for union in ("oneOf", "anyOf"):
        branches = schema.get(union)
        if isinstance(branches, list) and branches:
            found: list[str] = []
            for branch in branches:
                for alternative in type_alternatives(spec, branch, depth + 1) or ["any"]:
                    if alternative not in found:
                        found.append(alternative)
            return found
    kinds = schema.get("type")
    if kinds is None:
        for part in schema.get("allOf") or ():
            inner = type_alternatives(spec, part, depth + 1)
            if inner:
                return inner
        constants = list(schema.get("enum") or ()) + ([schema["const"]] if "const" in schema else [])
        kinds = sorted({_json_type(value) for value in constants}) or None
    if kinds is None:
        return []
    names = [kinds] if isinstance(kinds, str) else [str(kind) for kind in kinds]
    fmt = schema.get("format")
    if schema.get("nullable") is True and "null" not in names:
        names.append("null")
    return [f"{name}({fmt})" if fmt and name != "null" else name for name in names]


def type_summary(spec: Mapping[str, Any], schema: Any) -> str:
    """The alternatives of :func:`type_alternatives` joined with `` | `` (``any`` for none)."""
    return " | ".join(type_alternatives(spec, schema)) or "any"


def enum_values(spec: Mapping[str, Any], schema: Any, depth: int = 0) -> tuple[str, ...] | None:
    """The values a schema is restricted to, as text, or ``None`` when it is not an enumeration."""
    schema = resolve(spec, schema)
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return None
    if isinstance(schema.get("enum"), list):
        return tuple(_text(value) for value in schema["enum"])
    if "const" in schema:
        return (_text(schema["const"]),)
    for union in ("oneOf", "anyOf"):
        branches = schema.get(union)
        if isinstance(branches, list) and branches:
            values: list[str] = []
            for branch in branches:
                inner = enum_values(spec, branch, depth + 1)
                if inner is None:
                    return None
                values += [value for value in inner if value not in values]
            return tuple(values)
    for part in schema.get("allOf") or ():
        inner = enum_values(spec, part, depth + 1)
        if inner is not None:
            return inner
    return None


def object_properties(spec: Mapping[str, Any], schema: Any, depth: int = 0) -> list[tuple[str, Any, bool]]:
    """``(name, schema, required)`` of every property an object schema can have.

    ``allOf`` parts are merged; the branches of a ``oneOf``/``anyOf`` are united, a
    property being required only if every branch requires it.
    """
    schema = resolve(spec, schema)
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return []
    found: dict[str, tuple[Any, bool]] = {}
    required = set(schema.get("required") or ())
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        for name, sub in properties.items():
            found[str(name)] = (sub, name in required)
    for part in schema.get("allOf") or ():
        for name, sub, needed in object_properties(spec, part, depth + 1):
            found.setdefault(name, (sub, needed or name in required))
    for union in ("oneOf", "anyOf"):
        branches = [object_properties(spec, b, depth + 1) for b in schema.get(union) or ()]
        for branch in branches:
            for name, sub, needed in branch:
                everywhere = all(any(n == name and r for n, _, r in other) for other in branches)
                if name not in found:
                    found[name] = (sub, (needed and everywhere) or name in required)
    return [(name, sub, needed) for name, (sub, needed) in found.items()]


def _parameter_list(spec: Mapping[str, Any], raw: Any) -> list[Mapping[str, Any]]:
    if not isinstance(raw, list):
        return []
    resolved = (resolve(spec, item) for item in raw)
    return [item for item in resolved if isinstance(item, Mapping)]


def _flatten(spec: Mapping[str, Any], raw: Mapping[str, Any]) -> Iterator[SpecParameter]:
    name, location = str(raw.get("name", "")), str(raw.get("in", ""))
    required = bool(raw.get("required", False))
    schema = raw.get("schema")
    if schema is None and isinstance(raw.get("content"), Mapping):
        schema = next(iter(_media_schemas(raw).values()), None)
    style = raw.get("style", "form" if location in ("query", "cookie") else "simple")
    explode = raw.get("explode", style == "form")
    properties = object_properties(spec, schema) if location == "query" else []
    if properties and style in ("form", "deepObject") and explode:
        for prop, sub, needed in properties:
            flat_name = prop if style == "form" else f"{name}[{prop}]"
            yield SpecParameter(flat_name, location, required and needed, sub, exploded_from=name)
        return
    yield SpecParameter(name, location, required, schema)


def _security_headers(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> list[SpecParameter]:
    requirements = operation.get("security", spec.get("security"))
    schemes = resolve(spec, (spec.get("components") or {}).get("securitySchemes") or {})
    if not isinstance(requirements, list) or not isinstance(schemes, Mapping):
        return []
    headers: dict[str, list[int]] = {}
    for index, requirement in enumerate(requirements):
        if not isinstance(requirement, Mapping):
            continue
        for scheme_name in requirement:
            scheme = resolve(spec, schemes.get(scheme_name))
            if (
                isinstance(scheme, Mapping)
                and scheme.get("type") == "apiKey"
                and scheme.get("in") == "header"
            ):
                headers.setdefault(str(scheme.get("name", "")), []).append(index)
    return [
        SpecParameter(name, "header", len(set(used)) == len(requirements), {"type": "string"})
        for name, used in headers.items()
    ]


def _media_schemas(container: Any) -> dict[str, Any]:
    content = container.get("content") if isinstance(container, Mapping) else None
    if not isinstance(content, Mapping):
        return {}
    return {
        str(media): body.get("schema")
        for media, body in content.items()
        if isinstance(body, Mapping) and "schema" in body
    }


def _pointer(spec: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#"):
        return None
    node: Any = spec
    for escaped in ref[1:].split("/")[1:]:
        part = escaped.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isascii() and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return "string"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
