"""Lazy, tolerant, lossless read-only views over NP6's JSON, named after the generated models.

The object model
----------------
A view wraps one JSON object exactly as it arrived (``raw``) and decodes each field the
first time it is read, under the attribute name the generated model gives it
(``type_``, ``hash_``, ``items_events`` ...) and with the generated model's type. A view is
**not** an instance of the generated attrs model and does not pretend to be one:

- it is immutable: setting or deleting an attribute raises ``AttributeError``, item
  assignment raises ``TypeError``, and ``attrs.evolve(view)`` raises attrs'
  ``NotAnAttrsClassError``; build the attrs model with ``view.to_generated()`` to change
  things;
- ``view == other`` holds for a view of the same class over an equal mapping, and for the
  generated model of the same data (``g.HitEvent.from_dict(raw) == np6.decode_event(raw)``,
  either way round); views are not hashable, like the generated models;
- ``to_dict()`` gives back exactly what was sent, unknown keys included, and
  ``additional_properties`` the keys the spec does not name;
- ``deviations`` lists every departure from the spec (missing required field, value of the
  wrong type, unknown kind), with its path; ``to_generated()`` refuses a view that has any.

Type checkers are shown each declared class over the generated declaration of its fields
(``np6/_fields.pyi``, written by ``scripts/make_fields.py``), so an editor knows that
``event.timestamp`` is an ``int`` and ``event.source`` an ``EmailSource | NotificationSource |
SmsSource | UnknownSource``; an optional field NP6 did not send reads ``None``. At run time the
generated model is not a base class (see ``models`` below), and
``isinstance(view, np6.generated.models.HitEvent)`` is false.

How fields are decoded
----------------------
Each field is a descriptor built once per class and field, when the class is made, from
the generated model's type hints and its ``JSON_KEYS`` (emitted by the project's custom
generator template, ``openapi/templates/model.py.jinja``; never read from source text).
No look-up keyed by a typing object happens after that. Decoding is lazy per object:

- the first read of a scalar or object field of a view fills all of them in one call,
  to straight-line code compiled once per class from its field descriptions: scalars
  (strings, numbers, booleans, literals) are the values as sent, objects become views
  (by one dictionary look-up on ``type`` where kinds are told apart), not decoded until
  read in turn; an event's own scalars are read from the mapping at each read instead,
  so that reading ``timestamp`` alone costs one call and builds nothing;
- UUIDs are parsed in the same call (an event's ``id`` on its own first read); a list
  (rare in events) on its own first read;
- values land in the view's ``__dict__``, where later reads find them without calling
  any Python code.

Nothing is allocated on the happy path beyond the values and views themselves. The
checks that only produce messages (a scalar of the wrong type) run when ``deviations``
is read; a value that cannot be decoded (a string where an object belongs, an unknown
kind with no ``Unknown`` class) takes the descriptor's slow path, which records it.

Why lazy: a stream of a million events should cost one small object per event until the
caller looks inside it. Why tolerant: the client must not lose a stream because NP6 sent
one odd field; the contract suite is where deviations fail.
"""

from __future__ import annotations

import reprlib
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, TypeVar, Union

import attrs
import np6_generated.models as generated_models
from np6_generated.types import Unset

from ._errors import DecodeError

__all__ = ["View", "copy_json", "models"]

V = TypeVar("V", bound="View")
Decoder = Callable[[Any], Any]

# view classes by the generated model they stand for; filled by View.__init_subclass__
_VIEW_FOR: dict[type, type[View]] = {}
# unknown-kind view classes by polymorphic level (the level's base view class)
_UNKNOWN_FOR: dict[type[View], type[View]] = {}
_MISSING: Any = object()


_new_object = object.__new__
_set_slot = object.__setattr__
_UNKNOWN_SAFETY = uuid.SafeUUID.unknown


def parse_uuid(text: str) -> uuid.UUID:
    """``uuid.UUID(text)``, a third faster on the 36-character form NP6 sends.

    Events carry several UUIDs each, and ``uuid.UUID.__init__``'s general parsing (braces,
    ``urn:uuid:``, keyword forms) was a third of the cost of decoding a whole event. The
    canonical form is read here with the same rules (four hyphens removed, 32 hex digits
    for ``int(..., 16)``); every other form, and every refusal, is ``uuid.UUID``'s own.
    """
    digits = text.replace("-", "")
    if len(text) == 36 and len(digits) == 32:
        parsed = _new_object(uuid.UUID)
        _set_slot(parsed, "int", int(digits, 16))
        _set_slot(parsed, "is_safe", _UNKNOWN_SAFETY)
        return parsed
    return uuid.UUID(text)


def copy_json(value: Any) -> Any:
    """Copy a JSON-shaped value (dicts, lists, scalars) deeply and quickly."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value


class _Deviation(Exception):  # noqa: N818 - a signal between decoders, never leaves this module
    """A value departs from the spec: ``kept`` is what the field holds, ``problems`` say how.

    Each problem starts with the path below the field (``""``, ``"[2]"``, ``"[2].id"``)
    followed by ``": "`` and the description.
    """

    def __init__(self, kept: Any, problems: list[str]) -> None:
        super().__init__(kept, problems)
        self.kept = kept
        self.problems = problems


def _deviate(kept: Any, problem: str) -> _Deviation:
    return _Deviation(kept, [f": {problem}"])


class _ModelRef:
    """A base-class placeholder naming a view's generated model, removed from the bases."""

    def __init__(self, model: type) -> None:
        self.model = model

    def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[type, ...]:
        return ()


class _Models:
    """Run-time stand-in for ``np6_generated.models`` in ``class X(Level, models.X)``."""

    def __getattr__(self, name: str) -> _ModelRef:
        return _ModelRef(getattr(generated_models, name))


models: Any = _Models()
"""``models.HitEvent`` as a base names the generated model of a view class (see events.py)."""


# --- field descriptors ----------------------------------------------------------------


class _Field:
    """One field of a view class: decodes on first read, caches in the view's ``__dict__``.

    A non-data descriptor, so that once the value is cached a read never reaches
    ``__get__``. Subclasses specialise the happy path; every odd case goes through
    ``_slow`` and the kind's full ``decode``.
    """

    __slots__ = ("decode", "hint", "key", "name", "required")

    def __init__(self, name: str, key: str, hint: Any, required: bool) -> None:
        self.name = name
        self.key = key
        self.hint = hint
        self.required = required
        self.decode: Decoder = _decoder_for(hint)

    def __get__(self, view: View | None, owner: type | None = None) -> Any:
        if view is None:
            return self
        return self._slow(view, view._raw.get(self.key, _MISSING))

    def _slow(self, view: View, value: Any) -> Any:
        if value is _MISSING:
            value = None
            if self.required:
                view._note(f"{self.key}: required field is missing")
        else:
            try:
                value = self.decode(value)
            except _Deviation as odd:
                value = odd.kept
                for problem in odd.problems:
                    view._note(f"{self.key}{problem}")
        view.__dict__[self.name] = value
        return value


class _Filled(_Field):
    """A field filled in together with the others of its group, on the first read of any.

    Scalars (strings, numbers, booleans, literals) are kept as sent: they need no
    conversion, and their types are checked only when ``deviations`` is read (a value of
    the wrong type is kept as sent either way). Objects become the view of their model,
    or of their kind (one dictionary look-up on ``type``); the views made are not decoded
    until read in turn. UUIDs are parsed. Anything else (a missing required object, an
    object that is not one, an unknown kind, a string that is no UUID) goes through ``_slow``.

    A view's scalar, UUID and object fields form one group (an event's object fields
    alone: its scalars are ``_Plain``, its ``id`` a ``_Uuid``). Each group is filled by one function
    compiled for it on first use (see ``_compile``), with its keys, names and classes as
    constants: no loop over field descriptions and no look-up by type on the way.
    """

    __slots__ = ("exact", "group")

    def __init__(self, name: str, key: str, hint: Any, required: bool) -> None:
        super().__init__(name, key, hint, required)
        self.exact = _SCALAR_CLASSES.get(_scalar_kind(hint))  # None for an object
        # shared by the fields of one group (see View); compiled on the first read, when
        # every view class it names exists
        self.group: list[type[_Filled]] = []

    def __get__(self, view: View | None, owner: type | None = None) -> Any:
        if view is None:
            return self
        # the first read of the group: compile, then read through the compiled __get__
        _compile(self.group, type(view))
        return type(self).__get__(self, view, owner)

    def check(self, raw: Mapping[str, Any], path: str, out: list[str]) -> None:
        """Add the deviations of this scalar field's value in ``raw`` to ``out``."""
        value = raw.get(self.key, _MISSING)
        if value is _MISSING:
            if self.required:
                out.append(f"{path}{self.key}: required field is missing")
        elif self.exact is not None and value.__class__ not in self.exact:
            try:
                self.decode(value)
            except _Deviation as odd:
                out += [f"{path}{self.key}{problem}" for problem in odd.problems]


class _Plain(_Filled):
    """A scalar read from the mapping at each read, never stored: an event's own scalars.

    Streams are often read for one or two of them (``timestamp``, ``type``) and nothing
    else; not storing them spares each event its ``__dict__``.
    """

    __slots__ = ()

    def __get__(self, view: View | None, owner: type | None = None) -> Any:
        if view is None:
            return self
        return view._raw.get(self.key)


def _compile(group: list[type[_Filled]], owner: type[View]) -> None:
    """Give the fields of ``group`` a ``__get__`` compiled for them that fills them all.

    Straight-line code, one block per field, with the keys, names and classes as
    constants: what a hand-written decoder of this class would say, made once from the
    field descriptions. The fields become instances of a subclass of ``_Filled`` holding
    that ``__get__`` (same layout), so that a first read costs one Python call.
    """
    if group:
        return
    env: dict[str, Any] = {
        "MISSING": _MISSING,
        "UUID": parse_uuid,
        "new": _new,
        "set_raw": _set_raw,
    }
    lines = [
        "def __get__(self, view, owner=None):",
        "    if view is None:",
        "        return self",
        "    get = view._raw.get",
        "    cache = view.__dict__",
    ]
    members = [f for f in owner._fields if isinstance(f, _Filled) and f.group is group]
    for index, field in enumerate(members):
        key, name = repr(field.key), repr(field.name)
        env[f"F{index}"] = field
        if field.exact is not None:
            lines.append(f"    cache[{name}] = get({key})")
            continue
        found = _models_in(field.hint)
        lines.append(f"    v = get({key}, MISSING)")
        if _bare(field.hint) is uuid.UUID:
            lines += [
                "    if v.__class__ is str:",
                "        try:",
                f"            cache[{name}] = UUID(v)",
                "        except ValueError:",
                f"            F{index}._slow(view, v)",
            ]
        elif _is_kinds(field.hint):
            env[f"K{index}"] = _kind_table(found)[0]
            lines += [
                "    if v.__class__ is dict and (k := v.get('type')).__class__ is str "
                f"and (t := K{index}.get(k)) is not None:",
                f"        m = new(t); set_raw(m, v); cache[{name}] = m",
            ]
        else:
            env[f"T{index}"] = view_class(found[0])
            lines += [
                "    if v.__class__ is dict:",
                f"        m = new(T{index}); set_raw(m, v); cache[{name}] = m",
            ]
        if not field.required:
            lines += ["    elif v is MISSING:", f"        cache[{name}] = None"]
        lines += ["    else:", f"        F{index}._slow(view, v)"]
    lines.append("    return cache[self.name]")
    exec(compile("\n".join(lines), f"<np6 fields of {owner.__qualname__}>", "exec"), env)  # noqa: S102
    compiled = type(f"_Filled{owner.__name__}", (_Filled,), {"__slots__": (), "__get__": env["__get__"]})
    for member in members:
        member.__class__ = compiled
    group.append(compiled)


class _Uuid(_Field):
    """A UUID sent as a string."""

    __slots__ = ()

    def __get__(self, view: View | None, owner: type | None = None) -> Any:
        if view is None:
            return self
        value = view._raw.get(self.key, _MISSING)
        if value.__class__ is str:
            try:
                value = parse_uuid(value)
            except ValueError:
                return self._slow(view, value)
            view.__dict__[self.name] = value
            return value
        return self._slow(view, value)


_KINDS: list[tuple[Callable[[Any], bool], type[_Field]]] = []


def _field_for(name: str, key: str, hint: Any, required: bool) -> _Field:
    for accepts, kind in _KINDS:
        if accepts(hint):
            return kind(name, key, hint, required)
    return _Field(name, key, hint, required)


# --- what a hint means ------------------------------------------------------------------


def _bare(hint: Any) -> Any:
    """The hint without ``Unset`` and ``None``: one member, or the union of several."""
    if typing.get_origin(hint) not in (Union, types.UnionType):
        return hint
    members = [m for m in typing.get_args(hint) if m is not Unset and m is not type(None)]
    return members[0] if len(members) == 1 else Union[tuple(members)]  # noqa: UP007


def _models_in(hint: Any) -> list[type]:
    """The generated models a hint stands for ([] when it is not only models)."""
    bare = _bare(hint)
    members = list(typing.get_args(bare)) if typing.get_origin(bare) in (Union, types.UnionType) else [bare]
    return members if all(isinstance(m, type) and attrs.has(m) for m in members) else []


def _has_kind(model: type) -> bool:
    hint = _type_hints(model).get("type_")
    return typing.get_origin(hint) is Literal


def _is_kinds(hint: Any) -> bool:
    found = _models_in(hint)
    # a one-kind polymorphic level (identity) is still told apart by its type
    return bool(found) and (len(found) > 1 or _has_kind(found[0]))


def _is_nested(hint: Any) -> bool:
    return len(_models_in(hint)) == 1 and not _is_kinds(hint)


def _scalar_kind(hint: Any) -> Any:
    bare = _bare(hint)
    return str if typing.get_origin(bare) is Literal else bare


_SCALAR_CLASSES: dict[Any, frozenset[type]] = {
    str: frozenset({str}),
    int: frozenset({int}),
    bool: frozenset({bool}),
    float: frozenset({int, float}),
}

_KINDS += [
    (lambda hint: _scalar_kind(hint) in _SCALAR_CLASSES, _Filled),
    (lambda hint: _bare(hint) is uuid.UUID, _Uuid),
    (lambda hint: _is_kinds(hint) or _is_nested(hint), _Filled),
]


# --- full decoders: every case, deviations included ---------------------------------------

_DECODERS: dict[Any, Decoder] = {}


def _decoder_for(hint: Any) -> Decoder:
    """The full decoder of a hint, built once per hint (at class creation)."""
    try:
        return _DECODERS[hint]
    except KeyError:
        made = _DECODERS[hint] = _build_decoder(hint)
        return made


def _build_decoder(hint: Any) -> Decoder:
    if _is_kinds(hint):
        return _kinds(_models_in(hint))
    if _is_nested(hint):
        return _nested(_models_in(hint)[0])
    if _scalar_kind(hint) in _SCALAR_CLASSES:
        return _scalar(_scalar_kind(hint))
    bare = _bare(hint)
    if bare is uuid.UUID:
        return _to_uuid
    if typing.get_origin(bare) is list:
        (item,) = typing.get_args(bare)
        return _list_of(_decoder_for(item))
    if isinstance(bare, type) and issubclass(bare, str):  # a generated StrEnum: kept as sent
        return _scalar(str)
    return _keep


def _keep(value: Any) -> Any:
    return value


_LABELS = {str: "a string", int: "an integer", bool: "a boolean", float: "a number"}


def _scalar(kind: type) -> Decoder:
    accepted = float if kind is float else kind
    label = _LABELS[kind]

    def decode(value: Any) -> Any:
        of_kind = isinstance(value, accepted) or (kind is float and isinstance(value, int))
        if of_kind and (kind is bool or not isinstance(value, bool)):
            return value
        raise _deviate(value, f"expected {label}, got {type(value).__name__} (kept as sent)")

    return decode


def _to_uuid(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return parse_uuid(value)
        except ValueError:
            pass
    raise _deviate(value, f"expected a UUID, got {_short.repr(value)} (kept as sent)")


def _list_of(item: Decoder) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, list):
            raise _deviate(value, f"expected an array, got {type(value).__name__} (kept as sent)")
        try:
            return [item(element) for element in value]
        except _Deviation:
            pass
        out: list[Any] = []
        problems: list[str] = []
        for index, element in enumerate(value):
            try:
                out.append(item(element))
            except _Deviation as odd:
                out.append(odd.kept)
                problems += [f"[{index}]{p}" for p in odd.problems]
        raise _Deviation(out, problems)

    return decode


def _nested(model: type) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise _deviate(value, f"expected an object, got {type(value).__name__} (kept as sent)")
        return view_class(model)(value)

    return decode


def _kind_table(members: list[type]) -> tuple[dict[Any, type[View]], type[View] | None]:
    table: dict[Any, type[View]] = {_literal_of(m): view_class(m) for m in members}
    levels = {cls._level for cls in table.values()} - {None}
    level = levels.pop() if len(levels) == 1 else None
    return table, (_UNKNOWN_FOR.get(level) if level is not None else None)


def _kinds(members: list[type]) -> Decoder:
    resolved: list[tuple[dict[Any, type[View]], type[View] | None]] = []

    def decode(value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise _deviate(value, f"expected an object, got {type(value).__name__} (kept as sent)")
        if not resolved:
            resolved.append(_kind_table(members))
        table, unknown = resolved[0]
        kind = value.get("type")
        cls = table.get(kind) if isinstance(kind, str) else None
        if cls is not None:
            return cls(value)
        if unknown is None:
            raise _deviate(value, f"unknown kind {kind!r} (kept as sent)")
        return unknown(value)  # its own deviations say "unknown kind"

    return decode


# --- views --------------------------------------------------------------------------


class View:
    """Base of every decoded object: keeps the mapping as sent, decodes on access.

    ``to_dict()`` gives back exactly the mapping that was decoded, ``raw`` is that
    mapping itself (do not mutate it), and ``deviations`` lists every way in which
    it departs from the spec (missing required fields, values of the wrong type,
    kinds the spec does not know).
    """

    __slots__ = ("__dict__", "_raw")
    _raw: Mapping[str, Any]
    _model: ClassVar[type | None] = None
    _fields: ClassVar[tuple[_Field, ...]] = ()
    _wire_keys: ClassVar[frozenset[str]] = frozenset()
    _level: ClassVar[type[View] | None] = None
    # own scalars read from the mapping at each read, never stored (see _Plain): for events
    _plain_scalars: ClassVar[bool] = False

    def __init__(self, raw: Mapping[str, Any]) -> None:
        _set_raw(self, raw)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        ref = next((b for b in cls.__dict__.get("__orig_bases__", ()) if isinstance(b, _ModelRef)), None)
        if ref is None:
            return
        model = ref.model
        cls._model = model
        hints = _type_hints(model)
        keys: dict[str, str] = getattr(model, "JSON_KEYS")  # noqa: B009 - emitted by our template
        fields: list[_Field] = []
        for attribute in attrs.fields(model):
            if attribute.name == "additional_properties":
                continue
            required = attribute.default is attrs.NOTHING
            field = _field_for(attribute.name, keys[attribute.name], hints[attribute.name], required)
            if cls._plain_scalars and isinstance(field, _Filled) and field.exact is not None:
                field = _Plain(attribute.name, keys[attribute.name], hints[attribute.name], required)
            elif not cls._plain_scalars and isinstance(field, _Uuid):  # filled with the others
                field = _Filled(attribute.name, keys[attribute.name], hints[attribute.name], required)
            setattr(cls, attribute.name, field)
            fields.append(field)
        group: list[Any] = []
        for field in fields:
            if isinstance(field, _Filled) and not isinstance(field, _Plain):
                field.group = group
        cls._fields = tuple(fields)
        cls._wire_keys = frozenset(f.key for f in fields)
        setattr(cls, "__match_args__", tuple(f.name for f in fields))  # noqa: B010
        _VIEW_FOR.setdefault(model, cls)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"{type(self).__name__} is a read-only view of what NP6 sent; "
            "use .to_generated() for a model you can change"
        )

    def __delattr__(self, name: str) -> None:
        self.__setattr__(name, None)

    @property
    def additional_properties(self) -> dict[str, Any]:
        """The keys the spec does not name, exactly as sent (a new dict)."""
        known = self._wire_keys
        return {k: v for k, v in self._raw.items() if k not in known}

    @property
    def raw(self) -> Mapping[str, Any]:
        """The mapping as it was decoded (shared, not copied: do not mutate it)."""
        return self._raw

    def __reduce__(self) -> tuple[Any, ...]:
        # copy and pickle rebuild the view from its mapping (setting attributes is refused)
        return (type(self), (self._raw,))

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

    def to_generated(self) -> Any:
        """The generated attrs model of this object (a new, mutable, eagerly decoded copy).

        Raises :class:`np6.DecodeError` when the object deviates from the spec (the
        generated model could not hold it faithfully) or is of a kind the spec does not know.
        """
        model = self._model
        if model is None:
            raise DecodeError(f"{type(self).__name__} has no generated model (a kind the spec does not know)")
        found = self.deviations
        if found:
            raise DecodeError(f"{type(self).__name__} deviates from the spec: {'; '.join(found)}")
        return getattr(model, "from_dict")(self.to_dict())  # noqa: B009

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
        raw = self._raw
        for field in self._fields:
            if isinstance(field, _Filled) and field.exact is not None:
                field.check(raw, path, out)
            else:
                _collect_in(getattr(self, field.name), f"{path}{field.key}", out)
        out.extend(f"{path}{problem}" for problem in self.__dict__.get("_problems", ()))

    # compared by content, like the generated models: not hashable
    __hash__: ClassVar[None] = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, View):
            return type(self) is type(other) and self._raw == other._raw
        model = self._model
        if model is not None and type(other) is model and not self.deviations:
            equal: bool = self.to_generated() == other
            return equal
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_short.repr(self._raw)})"


_new = object.__new__
_set_raw = View.__dict__["_raw"].__set__


def _collect_in(value: Any, path: str, out: list[str]) -> None:
    if isinstance(value, View):
        value._collect(f"{path}.", out)
    elif isinstance(value, list):
        for index, element in enumerate(value):
            _collect_in(element, f"{path}[{index}]", out)


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
        elif cls._model is not None and _has_kind(cls._model):
            # the kind the class stands for, even when ``type`` was absent and the
            # operation's one kind was assumed (``decode_event(default_type=...)``)
            setattr(cls, "kind", _literal_of(cls._model))  # noqa: B010

    @property
    def kind(self) -> str | None:
        """The kind of this object: its ``type``, a string (``None`` if it has none).

        On a class of a known kind it is that kind (a ``Literal``); on an ``Unknown...``
        object the ``type`` as sent, when it is a string.
        """
        kind = self._raw.get("type")
        return kind if isinstance(kind, str) else None


class Unknown(View):
    """Mixin for the view of a kind that the spec does not know: everything kept raw."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        level = next(b for b in cls.__mro__[1:] if b.__dict__.get("_level") is b)
        _UNKNOWN_FOR[level] = cls

    @property
    def type_(self) -> object:
        """The ``type`` value as sent (``None`` when absent)."""
        return self._raw.get("type")

    @property
    def additional_properties(self) -> dict[str, Any]:
        """Every key, as sent."""
        return dict(self._raw)

    def _collect(self, path: str, out: list[str]) -> None:
        where = f"{path[:-1]}: " if path else ""
        out.append(f"{where}unknown kind {self._raw.get('type')!r}")


def _type_hints(model: type) -> dict[str, Any]:
    module = __import__(model.__module__, fromlist=["_"])
    namespace = {**vars(generated_models), **vars(module)}
    return typing.get_type_hints(model, globalns=namespace)


def view_class(model: type) -> type[View]:
    """The view class standing for a generated model, made on first use if none is declared."""
    try:
        return _VIEW_FOR[model]
    except KeyError:
        made = types.new_class(model.__name__, (View, _ModelRef(model)), exec_body=_in_this_module)
        return _VIEW_FOR.setdefault(model, made)


def _in_this_module(namespace: dict[str, Any]) -> None:
    namespace["__module__"] = __name__


def _literal_of(model: type) -> Any:
    (value,) = typing.get_args(_type_hints(model)["type_"])
    return value


def dispatch_table(level: type[View]) -> dict[str, type[View]]:
    """Known kinds of a polymorphic level, by their ``type`` value."""
    return {
        _literal_of(model): view
        for model, view in _VIEW_FOR.items()
        if view._level is level and not issubclass(view, Unknown)
    }
