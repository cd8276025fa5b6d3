"""Checking requests the way the spec describes them: parameters, selectors, body."""

from __future__ import annotations

import re
from typing import Any

import jsonschema

from .spec import load_spec

__all__ = [
    "BadRequest",
    "body_validator",
    "parse_classification",
    "parse_sort",
    "parse_time",
    "selector_rules",
]

INT64_MAX = 2**63 - 1
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_CLASSIFICATION = re.compile(r"^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$")


class BadRequest(Exception):  # noqa: N818 - it is the 400 answer, not an internal error
    """The request breaks the spec; ``str(self)`` says how."""


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Howard Hinnant's algorithm: any proleptic Gregorian year, year 0 included.
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_time(name: str, value: str) -> int:
    """An RFC 3339 date-time, a full date (00:00 UTC) or epoch milliseconds, as epoch milliseconds."""
    if value.isascii() and value.isdigit():  # "¹" is a digit to str.isdigit, not to int()
        number = int(value)
        if number > INT64_MAX:
            raise BadRequest(f"{name}: {value} is beyond the int64 range")
        return number
    date = _DATE.match(value)
    if date:
        year, month, day = (int(g) for g in date.groups())
        if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
            raise BadRequest(f"{name}: {value!r} is not a valid date")
        return _days_from_civil(year, month, day) * 86_400_000
    match = _RFC3339.match(value)
    if not match:
        raise BadRequest(
            f"{name}: {value!r} is neither an ISO 8601 date-time nor epoch milliseconds "
            "(nor a YYYY-MM-DD date)"
        )
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, offset = match.group(7), match.group(8)
    if not (
        1 <= month <= 12
        and 1 <= day <= _days_in_month(year, month)
        and hour < 24
        and minute < 60
        and second <= 60
    ):
        raise BadRequest(f"{name}: {value!r} is not a valid date-time")
    shift = 0
    if offset not in ("Z", "z"):
        sign = -1 if offset[0] == "-" else 1
        off_h, off_m = int(offset[1:3]), int(offset[4:6])
        if off_h > 23 or off_m > 59:
            raise BadRequest(f"{name}: {value!r} has an invalid offset")
        shift = sign * (off_h * 60 + off_m) * 60_000
    millis = int((fraction or ".0")[1:4].ljust(3, "0"))
    seconds = min(second, 59)  # a leap second counts as the last second of the minute
    return (
        ((_days_from_civil(year, month, day) * 24 + hour) * 60 + minute) * 60_000
        + seconds * 1000
        + millis
        - shift
    )


def parse_sort(value: str | None) -> str | None:
    """``asc``, ``desc`` or absent."""
    if value is None:
        return None
    if value not in ("asc", "desc"):
        raise BadRequest(f"sort: {value!r} is not 'asc' or 'desc'")
    return value


def parse_classification(value: str | None) -> list[str]:
    """The comma-separated robot classifications."""
    if value is None:
        return []
    if not _CLASSIFICATION.match(value):
        raise BadRequest(f"classification: {value!r} is not a comma-separated list of names")
    return value.split(",")


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        folder, name = node["$ref"].rsplit("/", 1)
        node = spec["components"][folder.rsplit("/", 1)[1]][name]
    return node


def selector_rules(spec: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    """The contact selectors of each operation that takes exactly one, by (method, path).

    The spec says "exactly one of" with one exploded (``style: form``) query object
    holding at most and at least one property; the selectors are its properties.
    """
    rules = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for parameter in (_resolve(spec, p) for p in operation.get("parameters", [])):
                schema = _resolve(spec, parameter["schema"])
                if (
                    parameter["in"] == "query"
                    and parameter.get("explode")
                    and schema.get("maxProperties") == 1
                ):
                    rules[(method.upper(), path)] = list(schema["properties"])
    return rules


def body_validator(spec: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A validator for the campaign operations' ``itemsEvents`` body."""
    schema = {"$ref": "#/components/schemas/ItemsEventsQuery", "components": spec["components"]}
    return jsonschema.Draft202012Validator(schema)


SPEC = load_spec()
