"""The client's configuration (issue 23): one frozen ``np6.ClientOptions``, built in one place.

Conflicting options are refused, naming both; ``with_options`` gives a changed copy that
shares the pool and rate gate; the sync fan-out's async twin carries every option; the
environment is read by one function, and the command, ``np6.dlt`` and the clients take
the same defaults from it and from the library.
"""

from __future__ import annotations

import ast
import asyncio
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import dlt
import httpx
import np6
import np6._fanout
import pytest
from helpers import NP6, JsonServer, RawServer, http_response, leaked
from np6.dlt import np6_source
from np6_mock import MockServer

ROOT = Path(__file__).resolve().parent.parent
KEY = "config-test-key-0123456789abcdef"
OTHER_KEY = "another-config-key-9876543210"


@pytest.fixture
def json_server() -> Iterator[JsonServer]:
    server = JsonServer()
    yield server
    server.close()


def _clients() -> list[Callable[..., Any]]:
    return [np6.Client, np6.AsyncClient]


def _transport(make: Callable[..., Any]) -> Any:
    handler: Callable[[httpx.Request], httpx.Response] = lambda request: httpx.Response(200, json=[])  # noqa: E731
    return httpx.MockTransport(handler)


def _http_client(make: Callable[..., Any]) -> Any:
    return httpx.Client() if make is np6.Client else httpx.AsyncClient()


# --- conflicting options are refused, naming both -------------------------------------------


@pytest.mark.parametrize("make", _clients())
def test_transport_and_http_client_together_are_refused_naming_both(make: Callable[..., Any]) -> None:
    # on main the transport was silently ignored: the http_client's own transport sent everything
    with pytest.raises(np6.InvalidArgumentError) as refused:
        make(KEY, transport=_transport(make), http_client=_http_client(make))
    assert "transport" in str(refused.value) and "http_client" in str(refused.value)


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (
            {"max_retries": 7, "retry_policy": np6.RetryPolicy(max_retries=1)},
            ("max_retries=7", "retry_policy"),
        ),
        (
            {"rate_gate": np6.RateGate(max_pause=5), "retry_policy": np6.RetryPolicy(retry_after_max=60)},
            ("rate_gate", "retry_policy"),
        ),
        (
            {
                "base_url": "https://a.example.com",
                "http_client": httpx.Client(base_url="https://b.example.com"),
            },
            ("base_url", "http_client.base_url"),
        ),
    ],
)
def test_every_conflict_is_refused_by_the_options_the_clients_and_with_options(
    arguments: dict[str, Any], named: tuple[str, ...]
) -> None:
    ways: list[Callable[[], Any]] = [
        lambda: np6.ClientOptions(KEY, **arguments),
        lambda: np6.Client(KEY, **arguments),
        lambda: np6.ClientOptions(KEY).replace(**arguments),
        lambda: np6.Client(KEY).with_options(**arguments),
    ]
    if not isinstance(arguments.get("http_client"), httpx.Client):
        ways.append(lambda: np6.AsyncClient(KEY, **arguments))
    for way in ways:
        with pytest.raises(np6.InvalidArgumentError) as refused:
            way()
        for name in named:
            assert name in str(refused.value)


def test_the_same_thing_said_twice_alike_is_accepted() -> None:
    options = np6.ClientOptions(
        KEY,
        max_retries=1,
        retry_policy=np6.RetryPolicy(max_retries=1),
        base_url="https://a.example.com/",
        http_client=httpx.Client(base_url="https://a.example.com"),
    )
    assert options.retry_policy.max_retries == 1
    assert options.base_url == httpx.URL("https://a.example.com")


def test_options_and_keyword_arguments_together_are_refused() -> None:
    options = np6.ClientOptions(KEY)
    for make in _clients():
        with pytest.raises(np6.InvalidArgumentError, match="options and timeout were both given"):
            make(options=options, timeout=5)
        with pytest.raises(np6.InvalidArgumentError, match="options and api_key were both given"):
            make(OTHER_KEY, options=options)


def test_np6_source_refuses_an_option_given_twice_differently(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NP6_API_KEY", raising=False)
    # on main base_url= silently replaced client_options["base_url"]
    with pytest.raises(np6.InvalidArgumentError, match=r"base_url and client_options\['base_url'\] differ"):
        np6_source(
            contacts=["c1"],
            api_key=KEY,
            base_url="https://a.example.com",
            client_options={"base_url": "https://b.example.com"},
        )
    # on main: a TypeError (two values for api_key) when the run began
    with pytest.raises(
        np6.InvalidArgumentError, match=r"api_key and client_options\['api_key'\] differ"
    ) as refused:
        np6_source(contacts=["c1"], api_key=KEY, client_options={"api_key": OTHER_KEY})
    assert not leaked(KEY, str(refused.value)) and not leaked(OTHER_KEY, str(refused.value))
    with pytest.raises(np6.InvalidArgumentError, match="max_retries=7 and retry_policy"):
        np6_source(
            contacts=["c1"],
            api_key=KEY,
            client_options={"max_retries": 7, "retry_policy": np6.RetryPolicy(max_retries=1)},
        )


# --- with_options ------------------------------------------------------------------------------


def test_with_options_gives_a_changed_copy_and_leaves_the_original_alone() -> None:
    with np6.Client(KEY, timeout=5, max_retries=1, deadline=30) as client:
        before = client.options
        copy = client.with_options(timeout=20, max_retries=4)
        assert type(copy) is np6.Client
        assert copy.timeout == httpx.Timeout(20) and copy.retry_policy.max_retries == 4
        assert copy.deadline == 30  # what was not changed is kept
        assert client.options is before and client.timeout == httpx.Timeout(5)
        assert client.retry_policy.max_retries == 1
        # a change to None restores the default
        assert client.with_options(deadline=None, timeout=None).deadline is None
        assert client.with_options(timeout=None).timeout == np6.ClientOptions(KEY).effective_timeout
        for shown in (repr(client), repr(copy), repr(copy.options), str(copy.options)):
            assert not leaked(KEY, shown), shown
        with pytest.raises(TypeError, match="unexpected keyword argument 'timeot'"):
            client.with_options(timeot=3)  # type: ignore[call-arg]


def test_the_copy_shares_the_pool_and_the_gate_unless_the_connection_or_the_key_changes() -> None:
    with np6.Client(KEY) as client:
        same = client.with_options(timeout=3)
        assert same._http is client._http and same.gate is client.gate
        same.close()  # the pool stays the original's
        assert not client._http.is_closed
        other_key = client.with_options(api_key=OTHER_KEY)
        assert other_key._http is client._http and other_key.gate is not client.gate
        other_policy = client.with_options(retry_policy=np6.RetryPolicy(retry_after_max=5))
        assert other_policy.gate is not client.gate and other_policy.gate.max_pause == 5
        with client.with_options(transport=httpx.HTTPTransport()) as own:
            assert own._http is not client._http and own._owns_http
        # a plain-http server gets a pool without proxies of its own
        local = client.with_options(base_url="http://127.0.0.1:9")
        assert local._http is not client._http and local.gate is not client.gate
        local.close()
        assert not client._http.is_closed


def test_a_copy_sends_with_its_own_settings_on_the_shared_pool(json_server: JsonServer) -> None:
    json_server.payload = b"[]"
    with np6.Client(KEY, base_url=json_server.base_url) as client:
        copy = client.with_options(api_key=OTHER_KEY)
        assert list(copy.raw.events(np6.Contact(id="c1"))) == []
        assert list(client.raw.events(np6.Contact(id="c1"))) == []
    assert [request["key"] for request in json_server.requests] == [OTHER_KEY, KEY]


def test_a_copy_retries_as_its_options_say() -> None:
    raw = RawServer(lambda request, index: [http_response(503, b"busy", {"Retry-After": "0"})])
    try:
        with np6.Client(KEY, base_url=raw.base_url, max_retries=2) as client:
            with pytest.raises(np6.APIStatusError):
                list(client.with_options(max_retries=0).raw.events(np6.Contact(id="c1")))
            assert len(raw.requests) == 1
            with pytest.raises(np6.APIStatusError):
                list(client.raw.events(np6.Contact(id="c1")))
            assert len(raw.requests) == 1 + 3
    finally:
        raw.close()


def test_the_async_copy_is_an_async_client_on_the_same_pool() -> None:
    async def run() -> None:
        async with np6.AsyncClient(KEY) as client:
            copy = client.with_options(deadline=5)
            assert type(copy) is np6.AsyncClient and copy._http is client._http
            assert copy.deadline == 5 and client.deadline is None

    asyncio.run(run())


# --- the sync fan-out's async twin -----------------------------------------------------------


def test_the_fan_out_twin_carries_every_option() -> None:
    gate = np6.RateGate(max_pause=7)
    changed: dict[str, Any] = {
        "api_key": OTHER_KEY,
        "base_url": httpx.URL("https://np6.example.com/prefix"),
        "timeout": httpx.Timeout(3, read=11),
        "deadline": 42.0,
        "retry_policy": np6.RetryPolicy(max_retries=5, backoff=0.1, retry_after_max=7),
        "rate_gate": gate,
        "allow_insecure_http": True,
        # the sync fan-out refuses a client with a transport or http_client (they could not
        # serve its event loop): the twin never has one
        "transport": None,
        "http_client": None,
    }
    default = np6.ClientOptions(KEY)
    names = [field.name for field in attrs.fields(np6.ClientOptions)]
    # a field added to ClientOptions fails here until this test gives it a value of its own
    assert sorted(changed) == sorted(names)
    for name in names:
        if name not in ("transport", "http_client"):
            assert changed[name] != getattr(default, name), f"{name} is not changed from its default"
    with np6.Client(**{k: v for k, v in changed.items() if v is not None}) as client:
        twin = np6._fanout._async_twin(client)
        for name in names:
            assert getattr(twin.options, name) == getattr(client.options, name), name
        assert twin.gate is client.gate  # one gate: a pause either learns holds both
        assert (twin.timeout, twin.deadline, twin.retry_policy) == (client.timeout, 42.0, client.retry_policy)
        assert twin._http is not client._http  # only the connections are the twin's own


# --- the environment, read in one place ------------------------------------------------------


def _reads_of_the_environment(source: str) -> list[int]:
    """Lines of ``source`` reading a variable: ``os.environ.get/[...]/in``, ``os.getenv``."""
    tree = ast.parse(source)
    lines = []
    for node in ast.walk(tree):
        reads = (
            (isinstance(node, ast.Attribute) and node.attr in ("getenv", "getenvb"))
            or (isinstance(node, ast.Attribute) and node.attr == "get" and _is_environ(node.value))
            or (isinstance(node, ast.Subscript) and _is_environ(node.value))
            or (isinstance(node, ast.Compare) and any(_is_environ(c) for c in node.comparators))
        )
        if reads:
            lines.append(node.lineno)
    return lines


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def test_options_deep_copy_keeping_their_rate_gate() -> None:
    import copy

    options = np6.ClientOptions(
        "deep-copy-key", base_url="https://np6.test", timeout=7, rate_gate=np6.RateGate()
    )
    again = copy.deepcopy(options)
    assert again == options
    assert again.rate_gate is options.rate_gate is not None


def test_environment_variables_are_read_by_one_function() -> None:
    home = ROOT / "overrides" / "np6" / "_env.py"
    readers = {
        str(path.relative_to(ROOT)): lines
        for folder in ("overrides/np6", "mock/np6_mock", "maint/np6_maint")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != home and (lines := _reads_of_the_environment(path.read_text(encoding="utf-8")))
    }
    assert readers == {}
    # the check sees each way of reading one
    reads = 'os.environ.get("A")\nos.environ["B"]\nos.getenv("C")\n"D" in os.environ\nenviron.get("E")'
    assert sorted(_reads_of_the_environment(reads)) == [1, 2, 3, 4, 5]


def test_the_key_and_server_from_the_environment_reach_the_client_the_command_and_dlt_alike(
    server: MockServer, contact: np6.Contact, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NP6_API_KEY", server.api_key)
    monkeypatch.setenv("NP6_BASE_URL", server.base_url)
    with np6.Client() as client:
        expected = list(client.raw.events(contact, sort="asc"))
    assert expected
    command = subprocess.run(
        [NP6, "events", "--id", contact.value, "--sort", "asc"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert command.returncode == 0, command.stderr
    assert len(command.stdout.splitlines()) == len(expected)
    pipeline = dlt.pipeline(
        pipeline_name="config_env",
        destination=dlt.destinations.duckdb(str(tmp_path / "events.duckdb")),
        dataset_name="np6",
        pipelines_dir=str(tmp_path / "pipelines"),
    )
    pipeline.run(np6_source(contacts=[contact.value], settle_margin=0), loader_file_format="jsonl")
    with pipeline.sql_client() as sql:
        loaded = sql.execute_sql("SELECT count(*) FROM contact_events")
    assert loaded[0][0] == len({event["id"] for event in expected})


def test_without_a_key_anywhere_each_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NP6_API_KEY", raising=False)
    for build in (np6.Client, np6.AsyncClient, np6.ClientOptions, lambda: np6_source(contacts=["c1"])):
        with pytest.raises(np6.InvalidArgumentError, match="no API key"):
            build()


# --- the command's defaults are the library's ------------------------------------------------


def test_the_commands_default_timeout_and_retries_are_the_librarys(monkeypatch: pytest.MonkeyPatch) -> None:
    from np6._cli import build_parser
    from np6._cli.export import _client

    monkeypatch.setenv("NP6_API_KEY", KEY)
    args = build_parser().parse_args(["events", "--id", "c1"])
    with _client(args) as from_the_command, np6.Client() as from_python:
        # on main: httpx.Timeout(60) for every phase, against connect 10, read 60, write 30, pool 10
        assert from_the_command.timeout == from_python.timeout
        assert from_the_command.retry_policy == from_python.retry_policy
        assert from_the_command.deadline == from_python.deadline
    args = build_parser().parse_args(["events", "--id", "c1", "--timeout", "7", "--max-retries", "0"])
    with _client(args) as given:
        assert given.timeout == httpx.Timeout(7) and given.retry_policy.max_retries == 0


@pytest.mark.parametrize("command", ["events", "campaign-events", "load"])
def test_the_help_shows_the_librarys_defaults(command: str) -> None:
    shown = subprocess.run([NP6, command, "--help"], capture_output=True, text=True, check=True).stdout
    timeout = np6.ClientOptions(KEY).effective_timeout
    phases = (
        f"connect {timeout.connect:g}, read {timeout.read:g}, write {timeout.write:g}, pool {timeout.pool:g}"
    )
    assert phases in " ".join(shown.split())
    assert f"(default: {np6.RetryPolicy().max_retries})" in " ".join(shown.split())
