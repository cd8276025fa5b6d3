"""Reading NP6 API reference pages saved as text into the operations they document.

Three layouts are understood, alone or mixed in one file:

* the *table* layout: an operation title, a ``Request`` heading, ``Path``/``Query``/
  ``Headers`` tables whose rows run name, type and required-ness together
  (``idstringrequired``, ``startstring(date-time)``) with ``Enum"asc""desc"`` lines,
  a curl sample, then ``Response`` / media type / response sample. The wider reference
  pages put a ``Production server <url>`` line and the list of sample languages between
  the tables and the curl sample, and flatten the curl's line continuations to a backslash and a blank:
  both are read as one operation;
* the *compact* layout: a ``Production server<url>`` line naming the path (and the
  selecting query parameter, ``?id=``), a curl sample, and the response sample glued
  to the end of the curl command. Lines may start with ``- `` (the "dash" rendering of
  the wider pages, which shows the operation *before* the titled one: what is read is
  credited to the path its server line and curl name, never to the page title);
* the *markdown* layout (a page's ``.md`` rendering): ``# title``, ``Endpoint: GET
  /path``, then ``## Path parameters:`` / ``## Query parameters:`` / ``## Header
  parameters:`` lists of ``- `name` (type, required) description`` items, ``Enum:
  "asc", "desc"`` inside an item, and ``## Response 200 fields`` (field lists, no sample).

Facts that a page does not state are ``None``, never guessed: a compact page says
nothing about whether ``sort`` is required, so neither does its :class:`Parameter`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

import np6

__all__ = [
    "Operation",
    "Page",
    "Parameter",
    "Sample",
    "UnreadablePageError",
    "parse_page",
    "read_page",
]

#: Largest page read, in bytes: a reference page is a few kilobytes.
MAX_PAGE_BYTES = 16 * 1024 * 1024

#: Values that the reference renderer puts in curl samples for a type, and that type.
PLACEHOLDER_TYPES = {
    "string": "string",
    "2019-08-24T14:15:22Z": "string(date-time)",
    "2019-08-24": "string(date)",
    "14:15:22Z": "string(time)",
    "497f6eca-6276-4993-bfeb-53cbbbba6f08": "string(uuid)",
    "user@example.com": "string(email)",
    "http://example.com": "string(uri)",
    "0": "integer",
    "0.1": "number",
    "true": "boolean",
}

_LOCATIONS = {
    "path": "path",
    "path parameters": "path",
    "query": "query",
    "query parameters": "query",
    "headers": "header",
    "header": "header",
    "header parameters": "header",
    "cookies": "cookie",
    "cookie parameters": "cookie",
}
_TYPE_WORDS = r"Array of \w+|string|integer|number|boolean|object|array|null"
_ROW = re.compile(
    rf"^(?P<name>[A-Za-z0-9_.\-\[\]$]+?)(?P<type>{_TYPE_WORDS})"
    r"(?:\((?P<format>[^()\s]+)\))?(?P<required>required)?$"
)
_ENUM = re.compile(r'^Enum\s*(?P<values>(?:"(?:[^"\\]|\\.)*"\s*)+)$')
_ENUM_VALUE = re.compile(r'"((?:[^"\\]|\\.)*)"')
# one lazy run before "erver", not two overlapping ones: a long line of blanks stays linear
_SERVER_LINE = re.compile(r"^[^\n]*?[Ss]erver[ \t]*(?P<url>https?://[^\s'\"]+)[ \t]*$", re.M)
_REQUEST_HEADING = re.compile(r"^[ \t]*Request[ \t]*$", re.M)
_CURL = re.compile(r"^[ \t]*curl[ \t]", re.M)
_BODY_HEADING = re.compile(r"^Body(?P<media>[\w.+-]+/[\w.+-]+)?(?P<rest>.*)$")
_RESPONSE_PANEL = re.compile(r"^[ \t]*Response[ \t]*\n[ \t]*(?P<media>[\w.+-]+/[\w.+-]+)[ \t]*\n", re.M)
_PATH_PARAMETER = re.compile(r"\{([^{}/]+)\}")
_ENDPOINT = re.compile(r"^[ \t]*Endpoint:[ \t]*(?P<method>[A-Za-z]+)[ \t]+(?P<target>\S+)[ \t]*$", re.M)
_MD_HEADING = re.compile(r"^#{2,}[ \t]*(?P<title>.*?)[ \t]*:?[ \t]*$")
_MD_ITEM = re.compile(
    r"^-[ \t]+`(?P<name>[^`]+)`[ \t]*\((?P<type>[^()]*(?:\([^()]*\))?[^()]*)\)(?P<rest>.*)$"
)
_MD_ENUM = re.compile(r'Enum:[ \t]*(?P<values>"(?:[^"\\]|\\.)*"(?:[ \t]*,[ \t]*"(?:[^"\\]|\\.)*")*)')
_NOT_PARAMETER_HEADERS = {"content-type", "accept", "content-length"}
_OPTIONS_WITH_VALUE = {
    "-X": "method",
    "--request": "method",
    "-H": "header",
    "--header": "header",
    "-d": "data",
    "--data": "data",
    "--data-raw": "data",
    "--data-binary": "data",
    "--data-ascii": "data",
    "--json": "data",
    "--url": "url",
    "-u": None,
    "--user": None,
    "-o": None,
    "--output": None,
}


class UnreadablePageError(np6.Error):
    """A page could not be read, or holds no operation this reader recognises."""


@dataclass(frozen=True)
class Parameter:
    """One parameter as a page shows it; ``None`` where the page does not say."""

    name: str
    location: str
    type: str | None = None
    required: bool | None = None
    enum: tuple[str, ...] | None = None
    sample: str | None = None
    type_inferred: bool = False
    """``type`` was read off a curl sample's placeholder, not a parameter table."""


@dataclass(frozen=True)
class Sample:
    """A JSON sample (request or response body) with its text as the page has it."""

    text: str
    value: Any = None
    error: str | None = None
    """Why the text is not JSON, or ``None`` when ``value`` holds it."""


@dataclass(frozen=True)
class Operation:
    """One documented operation: a method, a path, and what selects it."""

    method: str | None
    path: str | None
    selector: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    request_samples: tuple[Sample, ...] = ()
    response_samples: tuple[Sample, ...] = ()
    body_required: bool | None = None
    line: int = 1
    problem: str | None = None
    """Why the method or path could not be read (the operation is then unusable)."""

    @property
    def label(self) -> str:
        """``GET /targets/events/hits``, or what is known of it."""
        return f"{self.method or '?'} {self.path or '?'}"


@dataclass(frozen=True)
class Page:
    """A page and the operations found in it."""

    name: str
    operations: tuple[Operation, ...] = field(default_factory=tuple)


def read_page(path: Path, name: str | None = None) -> Page:
    """Read and parse one saved page; raises :class:`UnreadablePageError`, naming it."""
    label = name or str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as error:
        raise UnreadablePageError(f"{label}: cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_PAGE_BYTES:
        raise UnreadablePageError(f"{label}: larger than {MAX_PAGE_BYTES} bytes, not a reference page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadablePageError(f"{label}: not UTF-8 text (byte {error.start})") from None
    page = parse_page(text, label)
    if not page.operations:
        raise UnreadablePageError(
            f"{label}: holds nothing recognisable (no server line, no Request section with a curl sample)"
        )
    return page


def parse_page(text: str, name: str = "<page>") -> Page:
    """The operations documented in ``text`` (either layout, any line ends)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    anchors: list[tuple[int, str]] = [(m.start(), "table") for m in _REQUEST_HEADING.finditer(text)]
    anchors += [
        (m.start(), "compact")
        for m in _SERVER_LINE.finditer(text)
        if _split(m.group("url")).path not in ("", "/")
    ]
    anchors += [(m.start(), "markdown") for m in _ENDPOINT.finditer(text)]
    anchors.sort()
    operations = []
    skip = -1
    for index, (start, layout) in enumerate(anchors):
        if index == skip:
            continue
        end = anchors[index + 1][0] if index + 1 < len(anchors) else len(text)
        segment = text[start:end]
        line = text.count("\n", 0, start) + 1
        if (
            layout == "table"
            and _CURL.search(segment) is None
            and index + 1 < len(anchors)
            and anchors[index + 1][1] == "compact"
        ):
            # the wider pages' clean rendering: the tables, then the server line and the
            # curl sample of the same operation
            end = anchors[index + 2][0] if index + 2 < len(anchors) else len(text)
            segment, skip = text[start:end], index + 1
        if layout == "table":
            operation = _table_operation(segment, line)
        elif layout == "markdown":
            operation = _markdown_operation(segment, line)
        else:
            operation = _compact_operation(segment, line)
        if operation is not None:
            operations.append(operation)
    return Page(name, tuple(operations))


# --- the two layouts -------------------------------------------------------------


def _compact_operation(segment: str, line: int) -> Operation | None:
    server = _SERVER_LINE.match(segment)
    if server is None:  # pragma: no cover - anchors are server lines
        return None
    url = _split(server.group("url"))
    path = _clean_path(url.path)
    selector = tuple(name for name, _ in parse_qsl(url.query, keep_blank_values=True))
    curl = _find_curl(segment)
    parameters: dict[tuple[str, str], Parameter] = {}
    for name in _PATH_PARAMETER.findall(path):
        parameters[("path", name)] = Parameter(name, "path", required=True)
    for name in selector:
        parameters[("query", name)] = Parameter(name, "query", required=True)
    if curl.problem is not None:
        return Operation(
            curl.method, path, selector, tuple(parameters.values()), line=line, problem=curl.problem
        )
    _add_curl_parameters(parameters, curl)
    return Operation(
        method=curl.method,
        path=path,
        selector=selector,
        parameters=tuple(parameters.values()),
        request_samples=curl.body,
        response_samples=curl.response,
        line=line,
    )


def _table_operation(segment: str, line: int) -> Operation | None:
    curl_at = _CURL.search(segment)
    request_part = segment[: curl_at.start()] if curl_at else segment
    rows = _table_rows(request_part)
    curl = _find_curl(segment) if curl_at else None
    if not rows.parameters and curl is None:
        return None  # a heading named "Request" in prose, not an operation
    parameters = {(p.location, _key(p)): p for p in rows.parameters}
    selector = tuple(p.name for p in rows.parameters if p.location == "query" and p.required)
    if curl is None or curl.problem is not None:
        problem = curl.problem if curl is not None else "no curl sample, so no method and path"
        return Operation(None, None, selector, tuple(parameters.values()), line=line, problem=problem)
    if curl.path is not None:
        for name in _PATH_PARAMETER.findall(curl.path):
            parameters.setdefault(("path", name), Parameter(name, "path", required=True))
    _add_curl_parameters(parameters, curl)
    return Operation(
        method=curl.method,
        path=curl.path,
        selector=selector,
        parameters=tuple(parameters.values()),
        request_samples=curl.body,
        response_samples=curl.response or _panel_samples(segment[curl_at.end() :] if curl_at else ""),
        body_required=rows.body_required,
        line=line,
    )


def _markdown_operation(segment: str, line: int) -> Operation | None:
    endpoint = _ENDPOINT.match(segment)
    if endpoint is None:  # pragma: no cover - anchors are endpoint lines
        return None
    target = _split(endpoint.group("target"))
    path = _clean_path(unquote(target.path))
    parameters: dict[tuple[str, str], Parameter] = {}
    for name in _PATH_PARAMETER.findall(path):
        parameters[("path", name)] = Parameter(name, "path", required=True)
    location: str | None = None
    current: tuple[str, str] | None = None
    for raw in segment.split("\n")[1:]:
        stripped = raw.strip()
        heading = _MD_HEADING.match(stripped)
        if heading is not None:
            location = _LOCATIONS.get(heading.group("title").lower())
            current = None
            if heading.group("title").lower().startswith("response"):
                break
            continue
        item = _MD_ITEM.match(stripped)
        if location is not None and item is not None:
            words = [w.strip() for w in item.group("type").split(",")]
            kind = words[0].replace(" ", "") or None
            parameter = Parameter(
                item.group("name"), location, kind, "required" in words[1:], (), type_inferred=False
            )
            current = (location, _key(parameter))
            parameters[current] = parameter
            stripped = item.group("rest")
        enum = _MD_ENUM.search(stripped)
        if enum is not None and current is not None:
            known = parameters[current]
            values = tuple(_unescape(v) for v in _ENUM_VALUE.findall(enum.group("values")))
            parameters[current] = Parameter(known.name, known.location, known.type, known.required, values)
    selector = tuple(name for name, _ in parse_qsl(target.query, keep_blank_values=True))
    return Operation(
        method=endpoint.group("method").upper(),
        path=path,
        selector=selector,
        parameters=tuple(parameters.values()),
        line=line,
    )


@dataclass
class _Rows:
    parameters: list[Parameter] = field(default_factory=list)
    body_required: bool | None = None


def _table_rows(text: str) -> _Rows:
    rows = _Rows()
    location: str | None = None
    for raw in text.split("\n"):
        stripped = raw.strip()
        heading = _LOCATIONS.get(stripped.lower())
        if heading is not None:
            location = heading
            continue
        body = _BODY_HEADING.match(stripped)
        if body is not None and (body.group("media") or stripped == "Body"):
            location = "body"
            rows.body_required = "required" in body.group("rest")
            continue
        if stripped in ("Responses", "Response"):
            break
        if location in (None, "body"):
            continue
        row = _ROW.match(stripped)
        if row is not None:
            kind = "array" if row.group("type").startswith("Array of") else row.group("type")
            fmt = row.group("format")
            rows.parameters.append(
                Parameter(
                    name=row.group("name"),
                    location=location,
                    type=f"{kind}({fmt})" if fmt else kind,
                    required=row.group("required") is not None,
                    enum=(),
                )
            )
            continue
        enum = _ENUM.match(stripped)
        if enum is not None and rows.parameters:
            values = tuple(_unescape(v) for v in _ENUM_VALUE.findall(enum.group("values")))
            last = rows.parameters[-1]
            rows.parameters[-1] = Parameter(
                last.name, last.location, last.type, last.required, values, last.sample
            )
    return rows


def _panel_samples(text: str) -> tuple[Sample, ...]:
    panel = _RESPONSE_PANEL.search(text)
    if panel is None:
        return ()
    return (_json_sample(text, panel.end()),)


# --- curl samples -------------------------------------------------------------------


@dataclass
class _Curl:
    method: str | None = None
    path: str | None = None
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: tuple[Sample, ...] = ()
    response: tuple[Sample, ...] = ()
    problem: str | None = None


def _find_curl(segment: str) -> _Curl:
    found = _CURL.search(segment)
    if found is None:
        return _Curl(problem="no curl sample, so no method")
    start = found.start() + len(found.group()) - 1
    try:
        tokens, end = _shell_words(segment, start)
    except ValueError as error:
        return _Curl(problem=f"curl sample cut short ({error})")
    curl = _Curl()
    data: list[str] = []
    url: str | None = None
    words = iter(tokens)
    for word in words:
        if word in _OPTIONS_WITH_VALUE:
            value = next(words, None)
            if value is None:
                return _Curl(problem=f"curl option {word} without its value")
            role = _OPTIONS_WITH_VALUE[word]
            if role == "method":
                curl.method = value.upper()
            elif role == "header":
                name, _, header_value = value.partition(":")
                curl.headers.append((name.strip(), header_value.strip()))
            elif role == "data":
                data.append(value)
            elif role == "url":
                url = value
        elif not word.startswith("-") and url is None and "://" in word:
            url = word
    if url is None:
        return _Curl(problem="curl sample without a URL")
    parts = _split(url)
    if not parts.path:
        return _Curl(problem=f"curl sample URL {url[:80]!r} cannot be read")
    curl.path = _clean_path(unquote(parts.path))
    curl.query = parse_qsl(parts.query, keep_blank_values=True)
    curl.method = curl.method or ("POST" if data else "GET")
    curl.body = tuple(_json_sample(text, 0) for text in data)
    rest = segment[end:]
    if rest.lstrip(" \t")[:1] in ("[", "{"):
        curl.response = (_json_sample(rest, len(rest) - len(rest.lstrip(" \t"))),)
    return curl


def _shell_words(text: str, start: int) -> tuple[list[str], int]:
    """Split one shell command into words, from ``start`` to its end.

    The command ends at an unescaped newline, or where a quoted word is directly
    followed by ``[`` or ``{`` (the compact layout glues the response sample there).
    """
    words: list[str] = []
    word: list[str] = []
    started = False
    i, n = start, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n:
            if text[i + 1] == "\n" or (text[i + 1] in " \t" and not started):
                # a line continuation; the wider pages flatten it to a backslash and a blank
                i += 2
            else:
                word.append(text[i + 1])
                started = True
                i += 2
            continue
        if char == "\n":
            break
        if char in " \t":
            if started:
                words.append("".join(word))
                word, started = [], False
            i += 1
            continue
        if char in "'\"":
            close = _closing_quote(text, i)
            raw = text[i + 1 : close]
            word.append(raw if char == "'" else re.sub(r"\\(.)", r"\1", raw))
            started = True
            i = close + 1
            if i < n and text[i] in "[{":
                break
            continue
        word.append(char)
        started = True
        i += 1
    if started:
        words.append("".join(word))
    return words, i


def _closing_quote(text: str, at: int) -> int:
    quote = text[at]
    i = at + 1
    while i < len(text):
        if text[i] == "\\" and quote == '"':
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    raise ValueError(f"unterminated {quote} quote")


def _add_curl_parameters(parameters: dict[tuple[str, str], Parameter], curl: _Curl) -> None:
    for name, value in curl.query:
        _add_sample(parameters, "query", name, value)
    for name, value in curl.headers:
        if name.lower() not in _NOT_PARAMETER_HEADERS and name:
            _add_sample(parameters, "header", name, value)


def _add_sample(parameters: dict[tuple[str, str], Parameter], location: str, name: str, value: str) -> None:
    key = (location, name.lower() if location == "header" else name)
    known = parameters.get(key)
    if known is None:
        placeholder = PLACEHOLDER_TYPES.get(value)
        parameters[key] = Parameter(
            name, location, placeholder, None, None, value, type_inferred=placeholder is not None
        )
    elif known.sample is None:
        inferred = known.type is None and value in PLACEHOLDER_TYPES
        parameters[key] = Parameter(
            known.name,
            known.location,
            PLACEHOLDER_TYPES[value] if inferred else known.type,
            known.required,
            known.enum,
            value,
            inferred or known.type_inferred,
        )


def _key(parameter: Parameter) -> str:
    return parameter.name.lower() if parameter.location == "header" else parameter.name


def _json_sample(text: str, at: int) -> Sample:
    while at < len(text) and text[at] in " \t\n":
        at += 1
    try:
        value, end = json.JSONDecoder().raw_decode(text, at)
    except ValueError as error:
        return Sample(_excerpt(text[at:]), error=f"not JSON: {error}")
    except RecursionError:
        return Sample(_excerpt(text[at:]), error="not JSON: nested too deeply")
    return Sample(text[at:end], value)


def _excerpt(text: str) -> str:
    first = text.split("\n", 1)[0]
    return first if len(first) <= 80 else first[:77] + "..."


def _split(url: str) -> SplitResult:
    """``urlsplit``, with an unreadable URL (``http://[``) read as empty."""
    try:
        return urlsplit(url)
    except ValueError:
        return SplitResult("", "", "", "", "")


def _clean_path(path: str) -> str:
    return "/" + path.strip("/") if path else "/"


def _unescape(value: str) -> str:
    try:
        decoded: str = json.loads(f'"{value}"')
    except ValueError:
        return value
    return decoded
