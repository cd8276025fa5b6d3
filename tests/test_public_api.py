"""The public names: importable as documented, no builtin shadowed, one error hierarchy."""

from __future__ import annotations

import builtins
import importlib
import inspect

import np6
import np6_generated
import pytest


def test_np6_generated_is_the_generated_package_itself() -> None:
    from np6.generated import models
    from np6.generated.api.contact_events import get_target_hits

    assert np6.generated is np6_generated
    assert models is np6_generated.models
    assert get_target_hits is importlib.import_module("np6_generated.api.contact_events.get_target_hits")
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("np6.generated.no_such_module")


def test_no_public_name_shadows_a_builtin() -> None:
    assert set(np6.__all__) & set(dir(builtins)) == set()
    namespace: dict[str, object] = {}
    exec("from np6 import *", namespace)
    assert namespace.get("ConnectionError", builtins.ConnectionError) is builtins.ConnectionError
    assert namespace.get("TimeoutError", builtins.TimeoutError) is builtins.TimeoutError


def test_network_errors_are_also_the_builtin_ones() -> None:
    assert issubclass(np6.APIConnectionError, builtins.ConnectionError)
    assert issubclass(np6.APITimeoutError, builtins.TimeoutError)
    assert issubclass(np6.APITimeoutError, np6.APIConnectionError)


def test_every_exception_np6_exports_is_an_np6_error() -> None:
    exported = [getattr(np6, name) for name in np6.__all__]
    exceptions = [obj for obj in exported if inspect.isclass(obj) and issubclass(obj, BaseException)]
    assert exceptions and all(issubclass(cls, np6.Error) for cls in exceptions)


def test_errors_are_named_as_users_import_them() -> None:
    """A traceback says ``np6.InvalidArgumentError``, and the name it gives is importable as written."""
    import subprocess
    import sys

    errors = [getattr(np6, name) for name in np6.__all__ if name.endswith("Error")]
    assert len(errors) > 5
    for cls in errors:
        assert cls.__module__ == "np6", cls
        assert getattr(importlib.import_module(cls.__module__), cls.__qualname__) is cls
    shown = subprocess.run(
        [sys.executable, "-c", "import np6; raise np6.InvalidArgumentError('wrong')"],
        capture_output=True,
        text=True,
        check=False,
    ).stderr
    assert shown.splitlines()[-1] == "np6.InvalidArgumentError: wrong"


@pytest.mark.parametrize("name", [name for name in np6.__all__ if name.endswith("Error")])
def test_every_error_pickles_and_copies_with_its_attributes(name: str) -> None:
    import copy
    import pickle

    cls = getattr(np6, name)
    keywords = (
        {"status_code": 404, "method": "GET", "url": "http://h/x", "attempts": 3, "retry_after": 1.5}
        if issubclass(cls, np6.APIStatusError)
        else {"offset": 7, "events_yielded": 2}
        if issubclass(cls, np6.DecodeError)
        else {}
    )
    error = cls("what happened", **keywords)
    for again in (pickle.loads(pickle.dumps(error)), copy.copy(error), copy.deepcopy(error)):
        assert type(again) is cls
        assert str(again) == "what happened"
        assert vars(again) == vars(error)


def test_an_unexpected_keyword_is_an_np6_error_and_a_type_error() -> None:
    client = np6.Client("k", base_url="http://127.0.0.1:9")
    calls = [
        lambda: client.events(np6.Contact(id="c1"), nope=1),  # type: ignore[call-arg]
        lambda: client.actions.bounces("A1", classification="mpp"),  # type: ignore[call-arg]
        lambda: client.actions.many("bounces", ["A1"], nope=1),  # type: ignore[call-arg]
        lambda: client.with_options(nope=1),  # type: ignore[call-arg]
    ]
    for call in calls:
        with pytest.raises(np6.UnexpectedArgumentError) as refused:
            call()
        assert isinstance(refused.value, TypeError) and isinstance(refused.value, np6.InvalidArgumentError)
    client.close()


def test_sync_and_async_clients_offer_the_same_operations() -> None:
    def operations(cls: type) -> dict[str, inspect.Signature]:
        return {
            name: inspect.signature(member)
            for name, member in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_")
        }

    sync, asynchronous = operations(np6.Events), operations(np6.AsyncEvents)
    assert set(sync) == set(asynchronous) >= {"events", "hits", "campaign_events"}
    for name, signature in sync.items():
        assert list(signature.parameters) == list(asynchronous[name].parameters), name
