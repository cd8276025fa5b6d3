"""Lazy, tolerant, lossless views over NP6's JSON, typed by the generated models.

Each view class subclasses a generated attrs model and keeps the decoded mapping as
it arrived. Fields are decoded on first access, from the generated model's own field
list and type hints, so a spec change reaches the views on regeneration with no
hand edits. Polymorphic fields dispatch on ``type`` with one dictionary look-up.

Why lazy: a stream of a million events should cost one small object per event until
the caller looks inside it; the benchmarks hold this path to the speed of ijson.
Why tolerant: the client must not lose a stream because NP6 sent one odd field; the
deviation is recorded on the view (``deviations``) and the contract suite is where
such deviations fail.
"""

from __future__ import annotations

import inspect
import re
import reprlib
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, TypeVar, Union

import attrs
import np6_generated.models as generated_models
from np6_generated.types import UNSET, Unset

__all__ = ["View", "copy_json"]

V = TypeVar("V", bound="View")
Converter = Callable[[Any], tuple[Any, "list[str]"]]

# view classes by the generated model they stand for; filled by View.__init_subclass__
_VIEW_FOR: dict[type, type[View]] = {}
# unknown-kind view classes by polymorphic level (the level's base view class)
_UNKNOWN_FOR: dict[type[View], type[View]] = {}


def copy_json(value: Any) -> Any:
    """Copy a JSON-shaped value (dicts, lists, scalars) deeply and quickly."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value


_POP = re.compile(r'^\s*_?(\w+) = .*?\bd\.pop\("([^"]+)"', re.MULTILINE)


def _wire_names(generated: type) -> dict[str, str]:
    """JSON key of each attribute, read from the generated ``from_dict``.

    The generator renames keys (``type`` to ``type_``, ``itemsEvents`` to
    ``items_events``); its own decoder is the one place that says how.
    """
    try:
        source = inspect.getsource(generated.from_dict)  # type: ignore[attr-defined]
    except (OSError, TypeError, AttributeError):
        return {}
    return {attribute: key for attribute, key in _POP.findall(source)}


def _wire_name(attribute: str) -> str:
    # fallback: openapi-python-client appends "_" to names that clash with Python
    return attribute[:-1] if attribute.endswith("_") else attribute


class _Field:
    """A data descriptor decoding one field of the wrapped mapping on first access."""

    __slots__ = ("attribute", "hint", "key", "owner", "required")

    def __init__(self, owner: type, attribute: str, key: str, hint: Any, required: bool) -> None:
        self.owner = owner
        self.attribute = attribute
        self.key = key
        self.hint = hint
        self.required = required

    def __get__(self, view: View | None, owner: type | None = None) -> Any:
        if view is None:
            return self
        cache = view.__dict__
        try:
            return cache[self.attribute]
        except KeyError:
            pass
        raw = cache["_raw"]
        if self.key in raw:
            value, problems = _converter_for(self.hint)(raw[self.key])
            for problem in problems:
                view._note(f"{self.key}{problem}" if problem.startswith("[") else f"{self.key}: {problem}")
        else:
            value = UNSET
            if self.required:
                view._note(f"{self.key}: required field is missing")
        cache[self.attribute] = value
        return value

    def __set__(self, view: View, value: Any) -> None:
        raise AttributeError(f"{type(view).__name__} is a read-only view of what NP6 sent")


class _AdditionalProperties:
    """The keys the spec does not name, exactly as sent."""

    def __get__(self, view: View | None, owner: type | None = None) -> Any:
        if view is None:
            return self
        known = type(view)._wire_keys
        return {k: v for k, v in view._raw.items() if k not in known}

    def __set__(self, view: View, value: Any) -> None:
        raise AttributeError(f"{type(view).__name__} is a read-only view of what NP6 sent")


class View:
    """Base of every decoded object: keeps the mapping as sent, decodes on access.

    ``to_dict()`` gives back exactly the mapping that was decoded, ``raw`` is that
    mapping itself (do not mutate it), and ``deviations`` lists every way in which
    it departs from the spec (missing required fields, values of the wrong type,
    kinds the spec does not know).
    """

    __slots__ = ()
    _generated: ClassVar[type | None] = None
    _wire_keys: ClassVar[frozenset[str]] = frozenset()
    _fields: ClassVar[tuple[_Field, ...]] = ()
    _level: ClassVar[type[View] | None] = None

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.__dict__["_raw"] = raw

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        generated = next((b for b in cls.__mro__[1:] if attrs.has(b) and not issubclass(b, View)), None)
        if generated is None or generated is cls._generated:
            return
        cls._generated = generated
        hints = _type_hints(generated)
        keys = _wire_names(generated)
        fields: list[_Field] = []
        for attribute in attrs.fields(generated):
            if attribute.name == "additional_properties":
                continue
            required = attribute.default is attrs.NOTHING
            key = keys.get(attribute.name) or _wire_name(attribute.name)
            descriptor = _Field(cls, attribute.name, key, hints[attribute.name], required)
            setattr(cls, attribute.name, descriptor)
            fields.append(descriptor)
        setattr(cls, "additional_properties", _AdditionalProperties())  # noqa: B010
        cls._fields = tuple(fields)
        cls._wire_keys = frozenset(f.key for f in fields)
        _VIEW_FOR.setdefault(generated, cls)

    @property
    def _raw(self) -> Mapping[str, Any]:
        raw: Mapping[str, Any] = self.__dict__["_raw"]
        return raw

    @property
    def raw(self) -> Mapping[str, Any]:
        """The mapping as it was decoded (shared, not copied: do not mutate it)."""
        return self._raw

    def _note(self, problem: str) -> None:
        self.__dict__.setdefault("_problems", []).append(problem)

    @classmethod
    def from_dict(cls: type[V], src_dict: Mapping[str, Any]) -> V:
        """Decode ``src_dict`` as this class, tolerantly (see ``deviations``)."""
        return cls(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """A deep copy of exactly the mapping that was decoded."""
        copied: dict[str, Any] = copy_json(dict(self._raw))
        return copied

    @property
    def deviations(self) -> list[str]:
        """Every departure from the spec found in this object and the ones inside it.

        Each entry starts with the path of the offending field, e.g.
        ``source.detail.client.ip: unknown kind 'v9'``. Reading it decodes every field.
        """
        found: list[str] = []
        self._collect("", found)
        return found

    def _collect(self, path: str, out: list[str]) -> None:
        fields = self._fields
        for field in fields:
            value = field.__get__(self)
            if isinstance(value, View):
                value._collect(f"{path}{field.key}.", out)
        out.extend(f"{path}{problem}" for problem in self.__dict__.get("_problems", ()))

    # mutable-looking and compared by content, like the generated models: not hashable
    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, View):
            return NotImplemented
        return type(self) is type(other) and self._raw == other._raw

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_short.repr(self._raw)})"


_short = reprlib.Repr()
_short.maxdict = 6
_short.maxstring = 60
_short.maxlevel = 3


class Polymorphic(View):
    """Base of a level whose kinds are told apart by ``type`` (events, sources, ...)."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if Polymorphic in cls.__bases__:
            cls._level = cls

    @property
    def kind(self) -> Any:
        """The ``type`` value as sent (``None`` when absent)."""
        return self._raw.get("type")


class Unknown(View):
    """Mixin for the view of a kind that the spec does not know: everything kept raw."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        level = next(b for b in cls.__mro__[1:] if b.__dict__.get("_level") is b)
        _UNKNOWN_FOR[level] = cls

    @property
    def kind(self) -> Any:
        """The ``type`` value as sent (``None`` when absent)."""
        return self._raw.get("type")

    @property
    def type_(self) -> Any:
        """The ``type`` value as sent."""
        return self._raw.get("type")

    @property
    def additional_properties(self) -> dict[str, Any]:
        """Every key, as sent."""
        return dict(self._raw)

    def _collect(self, path: str, out: list[str]) -> None:
        where = f"{path[:-1]}: " if path else ""
        out.append(f"{where}unknown kind {self.kind!r}")


def _type_hints(generated: type) -> dict[str, Any]:
    module = __import__(generated.__module__, fromlist=["_"])
    namespace = {**vars(generated_models), **vars(module)}
    return typing.get_type_hints(generated, globalns=namespace)


_CONVERTERS: dict[Any, Converter] = {}


def _converter_for(hint: Any) -> Converter:
    try:
        return _CONVERTERS[hint]
    except KeyError:
        converter = _CONVERTERS[hint] = _build_converter(hint)
        return converter


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (Union, types.UnionType)


def _build_converter(hint: Any) -> Converter:
    if _is_union(hint):
        members = [m for m in typing.get_args(hint) if m is not Unset and m is not type(None)]
        if len(members) == 1:
            return _build_converter(members[0])
        if all(attrs.has(m) for m in members):
            return _dispatcher(members)
        return _keep
    if hint is uuid.UUID:
        return _to_uuid
    if hint is int:
        return _expect(int, "an integer")
    if hint is str:
        return _expect(str, "a string")
    if hint is bool:
        return _expect(bool, "a boolean")
    if hint is float:
        return _expect((int, float), "a number")
    if typing.get_origin(hint) is Literal:
        return _expect(str, "a string")
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        return _list_of(_converter_for(item))
    if isinstance(hint, type) and attrs.has(hint):
        # a one-kind polymorphic level (identity) is still told apart by its type
        return _dispatcher([hint]) if "type_" in _type_hints(hint) and _is_literal(hint) else _model(hint)
    return _keep


def _keep(value: Any) -> tuple[Any, list[str]]:
    return value, []


def _expect(kind: type | tuple[type, ...], label: str) -> Converter:
    def convert(value: Any) -> tuple[Any, list[str]]:
        if isinstance(value, kind) and not (isinstance(value, bool) and kind is not bool):
            return value, []
        return value, [f"expected {label}, got {type(value).__name__} (kept as sent)"]

    return convert


def _to_uuid(value: Any) -> tuple[Any, list[str]]:
    if isinstance(value, str):
        try:
            return uuid.UUID(value), []
        except ValueError:
            pass
    return value, [f"expected a UUID, got {_short.repr(value)} (kept as sent)"]


def _list_of(item: Converter) -> Converter:
    def convert(value: Any) -> tuple[Any, list[str]]:
        if not isinstance(value, list):
            return value, [f"expected an array, got {type(value).__name__} (kept as sent)"]
        out: list[Any] = []
        problems: list[str] = []
        for index, element in enumerate(value):
            converted, found = item(element)
            out.append(converted)
            problems.extend(f"[{index}]: {p}" for p in found)
        return out, problems

    return convert


def view_class(generated: type) -> type[View]:
    """The view class standing for ``generated``, made on first use if none is declared."""
    try:
        return _VIEW_FOR[generated]
    except KeyError:
        made = type(generated.__name__, (View, generated), {"__module__": __name__})
        return _VIEW_FOR.setdefault(generated, made)


def _model(generated: type) -> Converter:
    def convert(value: Any) -> tuple[Any, list[str]]:
        if not isinstance(value, Mapping):
            return value, [f"expected an object, got {type(value).__name__} (kept as sent)"]
        return view_class(generated)(value), []

    return convert


def _is_literal(generated: type) -> bool:
    return typing.get_origin(_type_hints(generated)["type_"]) is Literal


def _literal_of(generated: type) -> str:
    hint = _type_hints(generated)["type_"]
    (value,) = typing.get_args(hint)
    return str(value)


def _dispatcher(members: list[type]) -> Converter:
    table = {_literal_of(m): view_class(m) for m in members}
    levels = {cls._level for cls in table.values()} - {None}
    level = levels.pop() if len(levels) == 1 else None
    unknown = _UNKNOWN_FOR.get(level) if level is not None else None

    def convert(value: Any) -> tuple[Any, list[str]]:
        if not isinstance(value, Mapping):
            return value, [f"expected an object, got {type(value).__name__} (kept as sent)"]
        kind = value.get("type")
        # a hostile `type` may be a list or an object: unhashable, and never a known kind
        cls = table.get(kind) if isinstance(kind, str) else None
        if cls is not None:
            return cls(value), []
        if unknown is None:
            return value, [f"unknown kind {value.get('type')!r} (kept as sent)"]
        return unknown(value), []

    return convert


def dispatch_table(level: type[View]) -> dict[str, type[View]]:
    """Known kinds of a polymorphic level, by their ``type`` value."""
    return {
        _literal_of(generated): view
        for generated, view in _VIEW_FOR.items()
        if view._level is level and not issubclass(view, Unknown)
    }
