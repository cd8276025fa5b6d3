"""Comparing the operations the pages document with the spec's, one difference at a time."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .pages import Operation, Page, Parameter, Sample
from .specmodel import (
    SpecOperation,
    SpecParameter,
    enum_values,
    normalised_path,
    operations,
    type_alternatives,
    type_summary,
)

__all__ = ["KINDS", "Difference", "check"]

KINDS = {
    "operation-not-in-spec": "an operation the pages document and the spec lacks",
    "operation-not-in-pages": "an operation the spec has and no page documents",
    "operation-unreadable": "an operation whose method or path the page does not let us read",
    "parameter-not-in-spec": "a parameter the pages show and the spec lacks",
    "parameter-not-in-pages": "a parameter the spec has and the pages for its operation no longer show",
    "parameter-type": "a parameter whose type differs",
    "parameter-format": "a parameter whose format differs",
    "parameter-required": "a parameter whose required-ness differs",
    "parameter-enum": "a parameter whose enumerated values differ",
    "parameter-sample-rejected": "a curl sample value the spec's parameter schema rejects",
    "request-body-not-in-spec": "a request body the pages show for an operation that takes none in the spec",
    "request-body-required": "a request body whose required-ness differs",
    "request-sample-rejected": "a request body sample the spec's schema rejects",
    "response-sample-rejected": "a response sample the spec's schema rejects",
    "sample-unparseable": "a sample that is not JSON",
}
"""Every kind of difference, with what it means."""

_ABSENT = "(absent)"
_MAX_DETAIL = 200


@dataclass(frozen=True)
class Difference:
    """One way the pages and the spec disagree.

    ``documented`` is the exact value the pages show (a type, an enumeration, a
    sample's JSON, ``(absent)``): acknowledgements match on it.
    """

    kind: str
    operation: str
    parameter: str | None
    detail: str
    page: str | None
    documented: str

    def as_json(self) -> dict[str, Any]:
        """The JSON form of the report."""
        return {
            "kind": self.kind,
            "operation": self.operation,
            "parameter": self.parameter,
            "detail": self.detail,
            "page": self.page,
            "documented": self.documented,
        }


def check(pages: Iterable[Page], spec: Mapping[str, Any]) -> list[Difference]:
    """Every difference between the operations of ``pages`` and ``spec``, in page order."""
    return _Checker(spec).run(pages)


class _Checker:
    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        self.operations = operations(spec)
        self.by_key = {(op.method, normalised_path(op.path)): op for op in self.operations}
        self.base_path = _server_path(spec)
        self.found: dict[Difference, None] = {}
        self.validators: dict[str, Any] = {}

    def run(self, pages: Iterable[Page]) -> list[Difference]:
        observed: dict[tuple[str, str], list[tuple[str, Operation]]] = {}
        for page in pages:
            for operation in page.operations:
                spec_operation = self._match(page, operation)
                if spec_operation is not None:
                    key = (spec_operation.method, spec_operation.path)
                    observed.setdefault(key, []).append((page.name, operation))
                    self._operation(page.name, operation, spec_operation)
        for spec_operation in self.operations:
            seen = observed.get((spec_operation.method, spec_operation.path))
            if seen is None:
                self._add("operation-not-in-pages", spec_operation.label, None, "no page documents it", None)
                continue
            shown = {_key(p) for _, operation in seen for p in operation.parameters}
            shown_in = ", ".join(dict.fromkeys(name for name, _ in seen))
            for parameter in spec_operation.parameters:
                if parameter.key not in shown:
                    self._add(
                        "parameter-not-in-pages",
                        spec_operation.label,
                        parameter.name,
                        f"the spec has {parameter.location} parameter {parameter.name!r}; no page shows it",
                        shown_in,
                    )
        return list(self.found)

    def _add(
        self,
        kind: str,
        operation: str,
        parameter: str | None,
        detail: str,
        page: str | None,
        documented: str = _ABSENT,
    ) -> None:
        if len(detail) > _MAX_DETAIL:
            detail = detail[: _MAX_DETAIL - 3] + "..."
        self.found.setdefault(Difference(kind, operation, parameter, detail, page, documented), None)

    def _match(self, page: Page, operation: Operation) -> SpecOperation | None:
        if operation.problem is not None or operation.method is None or operation.path is None:
            self._add(
                "operation-unreadable",
                operation.label,
                None,
                f"line {operation.line}: {operation.problem}",
                page.name,
                operation.problem or "",
            )
            return None
        path = operation.path
        if self.base_path and (path == self.base_path or path.startswith(self.base_path + "/")):
            path = path[len(self.base_path) :] or "/"
        spec_operation = self.by_key.get((operation.method, normalised_path(path)))
        if spec_operation is None:
            methods = [
                op.method for op in self.operations if normalised_path(op.path) == normalised_path(path)
            ]
            selector = "".join(f"?{name}=" for name in operation.selector[:1])
            label = f"{operation.method} {path}"
            detail = (
                f"a new method on a known path (the spec has {', '.join(methods)} {path})"
                if methods
                else "a new path"
            )
            self._add("operation-not-in-spec", label, None, detail, page.name, label + selector)
        return spec_operation

    def _operation(self, page: str, operation: Operation, spec_operation: SpecOperation) -> None:
        parameters = {p.key: p for p in spec_operation.parameters}
        label = spec_operation.label
        for parameter in operation.parameters:
            spec_parameter = parameters.get(_key(parameter))
            if spec_parameter is None:
                shown = f"{parameter.location} {parameter.type or 'untyped'}"
                if parameter.required:
                    shown += " required"
                self._add(
                    "parameter-not-in-spec",
                    label,
                    parameter.name,
                    f"the pages show {parameter.location} parameter {parameter.name!r}; the spec lacks it",
                    page,
                    shown,
                )
                continue
            self._parameter(page, label, parameter, spec_parameter)
        self._samples(page, label, operation, spec_operation)

    def _parameter(self, page: str, label: str, parameter: Parameter, spec_parameter: SpecParameter) -> None:
        name, schema = parameter.name, spec_parameter.schema
        if parameter.type is not None:
            alternatives = type_alternatives(self.spec, schema)
            if alternatives and not _same_type(parameter, alternatives):
                bases = {_base(a) for a in alternatives}
                kind = "parameter-type" if {_base(parameter.type)} != bases else "parameter-format"
                detail = f"pages: {parameter.type}; spec: {type_summary(self.spec, schema)}"
                self._add(kind, label, name, detail, page, parameter.type)
        if parameter.required is not None and parameter.required != spec_parameter.required:
            shown = "required" if parameter.required else "optional"
            spec_says = "required" if spec_parameter.required else "optional"
            self._add("parameter-required", label, name, f"pages: {shown}; spec: {spec_says}", page, shown)
        if parameter.enum is not None:
            spec_enum = enum_values(self.spec, schema)
            if set(parameter.enum) != set(spec_enum or ()):
                shown = json.dumps(list(parameter.enum))
                spec_says = json.dumps(list(spec_enum)) if spec_enum is not None else "no enumeration"
                pages_say = shown if parameter.enum else "no enumeration"
                self._add(
                    "parameter-enum", label, name, f"pages: {pages_say}; spec: {spec_says}", page, shown
                )
        if parameter.sample is not None and parameter.location != "path":
            problem = self._rejects_value(schema, parameter.sample)
            if problem is not None:
                detail = f"the spec rejects the sample value {parameter.sample!r}: {problem}"
                self._add("parameter-sample-rejected", label, name, detail, page, parameter.sample)

    def _samples(self, page: str, label: str, operation: Operation, spec_operation: SpecOperation) -> None:
        if (
            operation.body_required is not None
            and spec_operation.request_body is not None
            and operation.body_required != spec_operation.request_required
        ):
            shown = "required" if operation.body_required else "optional"
            spec_says = "required" if spec_operation.request_required else "optional"
            detail = f"pages: body {shown}; spec: body {spec_says}"
            self._add("request-body-required", label, None, detail, page, shown)
        request_schemas = spec_operation.request_schemas()
        for sample in operation.request_samples:
            if sample.error is not None:
                self._add("sample-unparseable", label, "request body", sample.error, page, sample.text)
            elif not request_schemas:
                detail = "the pages send a request body; the spec declares none"
                self._add("request-body-not-in-spec", label, None, detail, page, _canonical(sample))
            else:
                self._sample("request-sample-rejected", page, label, sample, request_schemas)
        response_schemas = spec_operation.success_schemas()
        for sample in operation.response_samples:
            if sample.error is not None:
                self._add("sample-unparseable", label, "response body", sample.error, page, sample.text)
            elif not response_schemas:
                detail = "the pages show a response body; the spec declares no success body"
                self._add("response-sample-rejected", label, None, detail, page, _canonical(sample))
            else:
                self._sample("response-sample-rejected", page, label, sample, response_schemas)

    def _sample(self, kind: str, page: str, label: str, sample: Sample, schemas: dict[str, Any]) -> None:
        schema = next((s for media, s in schemas.items() if "json" in media), next(iter(schemas.values())))
        problem = self._rejects(schema, sample.value)
        if problem is not None:
            field, message = problem
            self._add(kind, label, field, f"{field}: {message}", page, _canonical(sample))

    def _rejects_value(self, schema: Any, text: str) -> str | None:
        """Why ``schema`` refuses every reading of a query or header value, or ``None``."""
        readings: list[Any] = [text]
        if re.fullmatch(r"-?\d+", text):
            readings.append(int(text))
        elif re.fullmatch(r"-?\d+\.\d*(?:[eE][-+]?\d+)?", text):
            readings.append(float(text))
        elif text in ("true", "false"):
            readings.append(text == "true")
        problems = [self._rejects(schema, reading) for reading in readings]
        if any(problem is None for problem in problems):
            return None
        return problems[0][1] if problems[0] else None

    def _rejects(self, schema: Any, value: Any) -> tuple[str, str] | None:
        """``(field, message)`` of the most relevant reason ``schema`` rejects ``value``, or ``None``."""
        import jsonschema  # type: ignore[import-untyped]  # no stubs pinned
        import referencing.exceptions

        validator = self._validator(schema)
        try:
            error = jsonschema.exceptions.best_match(validator.iter_errors(value))
        except RecursionError:
            return ("$", "nested too deeply to check")
        except (jsonschema.exceptions.SchemaError, referencing.exceptions.Unresolvable) as failure:
            return ("$", f"the spec's schema cannot be used: {' '.join(str(failure).split())[:120]}")
        if error is None:
            return None
        error = _inside_union(error)
        return (error.json_path, " ".join(error.message.split()))

    def _validator(self, schema: Any) -> Any:
        import jsonschema

        key = json.dumps(schema, sort_keys=True, default=str)
        validator = self.validators.get(key)
        if validator is None:
            body = dict(schema) if isinstance(schema, Mapping) else {"allOf": [schema]}
            body["components"] = self.spec.get("components", {})
            validator = jsonschema.Draft202012Validator(body, format_checker=jsonschema.FormatChecker())
            self.validators[key] = validator
        return validator


def _inside_union(error: Any) -> Any:
    """The error inside the union branch the value was meant for (its ``type`` matched)."""
    import jsonschema

    for _ in range(64):
        if not error.context:
            return error
        branches: dict[Any, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else 0, []).append(
                sub
            )
        meant = [errs for errs in branches.values() if not any(e.validator == "const" for e in errs)]
        chosen = min(meant or list(branches.values()), key=len)
        error = jsonschema.exceptions.best_match(chosen)
    return error


def _key(parameter: Parameter) -> tuple[str, str]:
    return (parameter.location, parameter.name.lower() if parameter.location == "header" else parameter.name)


def _base(kind: str) -> str:
    return kind.split("(", 1)[0]


def _same_type(parameter: Parameter, alternatives: list[str]) -> bool:
    shown = parameter.type or ""
    if {shown} == set(alternatives):
        return True
    # a placeholder such as `0` names the type but not its format
    return parameter.type_inferred and "(" not in shown and {_base(a) for a in alternatives} == {shown}


def _canonical(sample: Sample) -> str:
    return json.dumps(sample.value, ensure_ascii=False, separators=(", ", ": "))


def _server_path(spec: Mapping[str, Any]) -> str:
    servers = spec.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], Mapping):
        url = servers[0].get("url")
        if isinstance(url, str):
            try:
                return urlsplit(url).path.rstrip("/")
            except ValueError:
                return ""
    return ""
