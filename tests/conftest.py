"""Shared fixtures: a generated data set, the mock server on a real socket, clients."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis
import np6
import pytest
from helpers import ANCHOR, ScriptedServer
from np6.spec import load_spec
from np6_mock import MockServer, Store

ROOT = Path(__file__).resolve().parent.parent

# too_slow times data generation, so a busy machine trips it: every profile suppresses it, and
# a test's own @settings must not pass suppress_health_check (that list would replace this one)
hypothesis.settings.register_profile(
    "default",
    max_examples=25,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow, hypothesis.HealthCheck.function_scoped_fixture],
)
hypothesis.settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow, hypothesis.HealthCheck.function_scoped_fixture],
)
hypothesis.settings.register_profile(
    "mutants",  # scripts/mutants.py: that a property fails is the finding, no need to shrink it
    parent=hypothesis.settings.get_profile("default"),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.reuse, hypothesis.Phase.generate],
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return load_spec()


@pytest.fixture(scope="session")
def np6_examples(spec: dict[str, Any]) -> dict[str, Any]:
    return {name: example["value"] for name, example in spec["components"]["examples"].items()}


@pytest.fixture(scope="session")
def store() -> Iterator[Store]:
    # anchored: tests read the data set of January 2024, whatever the day they run
    store = Store.generated(events=3000, contacts=40, campaigns=2, anchor=ANCHOR)
    yield store
    store.close()


@pytest.fixture(scope="session")
def sample(store: Store) -> dict[str, Any]:
    return store.sample()


@pytest.fixture(scope="session")
def server(store: Store) -> Iterator[MockServer]:
    with MockServer(store) as running:
        yield running


@pytest.fixture
def client(server: MockServer) -> Iterator[np6.Client]:
    with np6.Client(
        server.api_key, base_url=server.base_url, retry_policy=np6.RetryPolicy(backoff=0.01)
    ) as c:
        yield c


@pytest.fixture
def contact(sample: dict[str, Any]) -> np6.Contact:
    return np6.Contact(id=sample["contact"]["id"])


@pytest.fixture
def scripted() -> Iterator[Callable[..., ScriptedServer]]:
    """Start :class:`helpers.ScriptedServer` s (``scripted(contacts, rule=...)``), closed after the test."""
    servers: list[ScriptedServer] = []

    def make(*args: Any, **kwargs: Any) -> ScriptedServer:
        servers.append(ScriptedServer(*args, **kwargs))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


# The modules whose tests take longest (a wheel built and installed, `np6 load` and `np6
# conformance` subprocesses, schemathesis runs), longest first: pytest-xdist hands tests out in
# collection order, so these start at once and the suite does not end on one worker finishing a
# 50 s test while the other cores idle. Order within a module is kept; no test relies on order.
SLOW_FIRST = (
    "test_packaging.py",
    "test_dlt.py",
    "test_conformance.py",
    "test_hostile.py",
    "test_readme.py",
    "test_dlt_postgres.py",
    "test_daily_load.py",
    "test_mock_load.py",
    "test_typing_check.py",
    "test_timebounds.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slowest modules' tests first (a stable sort: any other order is kept)."""
    rank = {name: index for index, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_FIRST)))
