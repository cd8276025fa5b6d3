"""Hypothesis strategies for the spec's response schemas, built from the spec itself.

hypothesis-jsonschema handles these schemas too, but takes 1.5 to 5 seconds per
example on the event unions (measured here: 20 events lists in 95 s), which would
put the suite far beyond its ten minutes. This converter covers exactly the keywords
the spec uses and raises on any other, so that a spec change cannot silently weaken
the property tests.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import hypothesis.strategies as st

HANDLED = {
    "$ref",
    "type",
    "properties",
    "required",
    "items",
    "minItems",
    "oneOf",
    "discriminator",
    "const",
    "enum",
    "format",
    "minimum",
    "maximum",
    "minLength",
    "description",
    "examples",
    "additionalProperties",
}
JSON_LEAF = st.none() | st.booleans() | st.integers(-(2**63) + 1, 2**63 - 1) | st.text(max_size=8)
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
EXTRA_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10).map(lambda k: f"x_{k}")


class SpecStrategies:
    """``strategy(schema)`` for any schema of ``spec``."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.schemas = spec["components"]["schemas"]

    def strategy(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        unknown = set(schema) - HANDLED
        if unknown:
            raise NotImplementedError(f"spec_strategies does not handle {sorted(unknown)}")
        if "$ref" in schema:
            return self.strategy(self.schemas[schema["$ref"].rsplit("/", 1)[1]])
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        if "oneOf" in schema:
            return st.one_of([self.strategy(member) for member in schema["oneOf"]])
        kind = schema.get("type")
        if isinstance(kind, list):  # a value of any of these types (an item id: string or integer)
            return st.one_of([self.strategy({**schema, "type": one}) for one in kind])
        if kind == "object":
            return self._object(schema)
        if kind == "array":
            return st.lists(self.strategy(schema["items"]), min_size=schema.get("minItems", 0), max_size=4)
        if kind == "integer":
            return st.integers(schema.get("minimum", -(2**63) + 1), schema.get("maximum", 2**63 - 1))
        if kind == "string":
            return self._string(schema)
        raise NotImplementedError(f"spec_strategies does not handle type {kind!r}")

    def _object(self, schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        fixed = st.fixed_dictionaries(
            {name: self.strategy(sub) for name, sub in properties.items() if name in required},
            optional={name: self.strategy(sub) for name, sub in properties.items() if name not in required},
        )
        if not properties:
            return st.dictionaries(st.text(max_size=8), JSON, max_size=4)
        if schema.get("additionalProperties", True) is False:
            return fixed
        extra = st.dictionaries(EXTRA_KEYS, JSON, max_size=2)
        return st.tuples(fixed, extra).map(lambda pair: {**pair[1], **pair[0]})

    @staticmethod
    def _string(schema: dict[str, Any]) -> st.SearchStrategy[str]:
        fmt = schema.get("format")
        if fmt == "uuid":
            return st.uuids().map(str)
        if fmt == "ipv4":
            return st.ip_addresses(v=4).map(str)
        if fmt == "ipv6":
            return st.ip_addresses(v=6).map(lambda a: ipaddress.IPv6Address(a).compressed)
        if fmt is not None:
            raise NotImplementedError(f"spec_strategies does not handle format {fmt!r}")
        return st.text(min_size=schema.get("minLength", 0), max_size=20)
