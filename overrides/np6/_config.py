"""``np6.ClientOptions``: everything a client is built from, in one frozen object.

The clients' keyword arguments, ``client.with_options(...)``, the sync fan-out's async
twin, ``np6.dlt``, the ``np6`` command and ``np6 conformance`` all go through
:class:`ClientOptions`, so that a default, an environment variable or a conflict
between two options is settled here and nowhere else:

- :func:`np6._env.read_environment` gives ``$NP6_API_KEY`` and ``$NP6_BASE_URL``;
- :func:`_refuse_conflicts` refuses two options that say different things (the one
  place for it: a conflict is an :class:`np6.InvalidArgumentError` naming both);
- each value is checked and stored in its final form (the key stripped and checked, the
  base URL resolved, the retry policy built), so a client never checks again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypedDict

import attrs
import httpx

from ._env import read_environment
from ._errors import InvalidArgumentError, UnexpectedArgumentError
from ._gate import RateGate
from ._limits import DEFAULT_TIMEOUT
from ._retries import RetryPolicy
from ._urls import check_transport, may_use_proxies, resolve_base_url

__all__ = ["DEFAULT_TIMEOUT", "ClientOptions", "OptionChanges", "checked_key", "options_from"]

Transport = httpx.BaseTransport | httpx.AsyncBaseTransport
HttpClient = httpx.Client | httpx.AsyncClient


class OptionChanges(TypedDict, total=False):
    """The keyword arguments of :meth:`ClientOptions.replace` but the key, each optional."""

    base_url: str | httpx.URL | None
    timeout: float | httpx.Timeout | None
    max_retries: int | None
    retry_policy: RetryPolicy | None
    rate_gate: RateGate | None
    transport: Any
    http_client: Any
    allow_insecure_http: bool
    deadline: float | None


def _seconds(value: object) -> bool:
    """Whether ``value`` is a positive, finite number of seconds (not a bool, not nan or inf)."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and 0 < value < math.inf


def checked_timeout(value: float | httpx.Timeout) -> httpx.Timeout:
    """``timeout`` (of a client or of one call) as an ``httpx.Timeout``, or the error naming it."""
    if isinstance(value, httpx.Timeout):
        phases = {"connect": value.connect, "read": value.read, "write": value.write, "pool": value.pool}
        for phase, seconds in phases.items():
            if seconds is not None and not _seconds(seconds):
                raise InvalidArgumentError(
                    f"timeout: the {phase} phase of the httpx.Timeout must be a positive, finite number "
                    f"of seconds or None, got {seconds!r}"
                )
        return value
    if not _seconds(value):
        raise InvalidArgumentError(
            f"timeout must be a positive, finite number of seconds or an httpx.Timeout, got {value!r}"
        )
    return httpx.Timeout(value)


def checked_max_retries(value: object) -> int:
    """``max_retries`` (of a client or of one call), or the error naming it."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"max_retries must be a whole number of at least 0, got {value!r}")
    return value


def checked_deadline(value: float | None) -> float | None:
    """``deadline`` (of a client or of one call) in seconds, or the error naming it."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
        raise InvalidArgumentError(f"deadline must be a positive, finite number of seconds, got {value!r}")
    return float(value)


def checked_key(api_key: str | None) -> str:
    """The key to send (``$NP6_API_KEY`` when ``None``), or the error naming the problem, never the key.

    Surrounding whitespace (a key read from a file ends in a newline) is stripped; any
    other character that is not visible ASCII is refused: it could not travel in a
    header, and a guess at what was meant could send the wrong key.
    """
    if api_key is None:
        api_key = read_environment().api_key
    if api_key is not None and not isinstance(api_key, str):
        raise InvalidArgumentError(f"api_key must be a str, got {type(api_key).__name__}")
    api_key = (api_key or "").strip()
    if not api_key:
        raise InvalidArgumentError("no API key: pass api_key=... or set NP6_API_KEY")
    for position, char in enumerate(api_key, 1):
        if not "!" <= char <= "~":
            if char.isspace():
                what = "whitespace"
            elif char.isascii():
                what = f"a control character (U+{ord(char):04X})"
            else:
                what = "a non-ASCII character"
            raise InvalidArgumentError(
                f"the API key holds {what} at position {position} of {len(api_key)}: only visible "
                "ASCII characters can be sent in the X-Key header (the key is not shown)"
            )
    return api_key


def _refuse_conflicts(given: dict[str, Any]) -> None:
    """Refuse two of ``given``'s options that say different things: the one place where that is decided.

    ``given`` holds the options a caller passed (not their defaults). Two options
    that say the same thing twice are accepted; saying it twice differently is
    refused, naming both, rather than one silently winning.
    """
    policy, retries = given.get("retry_policy"), given.get("max_retries")
    if isinstance(policy, RetryPolicy) and retries is not None and retries != policy.max_retries:
        raise InvalidArgumentError(
            f"max_retries={retries!r} and retry_policy (max_retries={policy.max_retries}) "
            "disagree: give the number of retries once, in the RetryPolicy or as max_retries alone"
        )
    gate = given.get("rate_gate")
    if (
        isinstance(policy, RetryPolicy)
        and isinstance(gate, RateGate)
        and gate.max_pause != policy.retry_after_max
    ):
        raise InvalidArgumentError(
            f"rate_gate (max_pause={gate.max_pause}) and retry_policy (retry_after_max="
            f"{policy.retry_after_max}) disagree on the longest wait a server may impose: give a "
            "RateGate whose max_pause is the policy's retry_after_max"
        )
    if given.get("transport") is not None and given.get("http_client") is not None:
        raise InvalidArgumentError(
            "transport and http_client were both given, and the transport would be ignored: give "
            "transport alone (np6 builds the httpx client around it), or http_client built with it"
        )
    base_url, http_client = given.get("base_url"), given.get("http_client")
    if base_url is not None and isinstance(http_client, (httpx.Client, httpx.AsyncClient)):
        own = str(http_client.base_url).rstrip("/")
        if own and isinstance(base_url, (str, httpx.URL)) and _same_url(base_url, own) is False:
            raise InvalidArgumentError(
                f"base_url {str(base_url).rstrip('/')!r} and http_client.base_url {own!r} differ: "
                "give the server once"
            )


def _same_url(first: str | httpx.URL, second: str) -> bool | None:
    """Whether two URLs name the same server and path; ``None`` when one is not a URL (refused later)."""
    try:
        return httpx.URL(str(first).rstrip("/")) == httpx.URL(second)
    except (httpx.InvalidURL, ValueError):  # UnicodeError included
        return None


@attrs.frozen(init=False, repr=False)
class ClientOptions:
    """How a client talks to NP6: key, server, timeouts, deadline, retries, rate gate, transport.

    >>> options = np6.ClientOptions(timeout=20, max_retries=5)   # key from $NP6_API_KEY
    >>> client = np6.Client(options=options)

    Built from the same keyword arguments as :class:`np6.Client` (which builds one from
    its own), checked once, and frozen: :meth:`replace` (or ``client.with_options``)
    gives a changed copy. Conflicting arguments are refused, naming both:
    ``max_retries`` and a ``retry_policy`` of another ``max_retries``, ``transport`` and
    ``http_client``, a ``base_url`` that is not ``http_client.base_url``, a ``rate_gate``
    whose ``max_pause`` is not the policy's ``retry_after_max``.

    - ``api_key``: ``$NP6_API_KEY`` by default; stripped, checked, never shown (repr ``'***'``).
    - ``base_url``: ``http_client.base_url``, else ``$NP6_BASE_URL``, else NP6's.
    - ``timeout``: an ``httpx.Timeout`` for each network phase of each attempt, ``None``
      meaning the default: :data:`DEFAULT_TIMEOUT` (connect 10 s, read 60, write 30,
      pool 10), or with an ``http_client``, that client's own.
    - ``deadline``: seconds a whole call may take, retries and streaming included (``None``: none).
    - ``retry_policy``: a :class:`np6.RetryPolicy` (``max_retries`` alone gives the default
      policy with that many retries).
    - ``rate_gate``: the :class:`np6.RateGate` every request of the client waits on (a 429
      or ``X-RateLimit-Remaining: 0`` pauses them all); a new one by default, whose
      ``max_pause`` is the policy's ``retry_after_max``. Pass one to share it between clients
      of the same key.
    - ``transport`` / ``http_client``: an httpx transport that np6 builds its own client
      around, or a whole httpx client of the caller's (one of them, or neither).
    - ``allow_insecure_http``: send the key over plain http to another machine than this one.
    """

    api_key: str
    base_url: httpx.URL
    timeout: httpx.Timeout | None = attrs.field(hash=False)
    deadline: float | None
    retry_policy: RetryPolicy
    rate_gate: RateGate
    transport: Transport | None
    http_client: HttpClient | None
    allow_insecure_http: bool

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        rate_gate: RateGate | None = None,
        transport: Transport | None = None,
        http_client: HttpClient | None = None,
        allow_insecure_http: bool = False,
        deadline: float | None = None,
    ) -> None:
        given = {
            "base_url": base_url,
            "max_retries": max_retries,
            "retry_policy": retry_policy,
            "rate_gate": rate_gate,
            "transport": transport,
            "http_client": http_client,
        }
        _refuse_conflicts({name: value for name, value in given.items() if value is not None})
        if transport is not None and not isinstance(
            transport, (httpx.BaseTransport, httpx.AsyncBaseTransport)
        ):
            raise InvalidArgumentError(
                f"transport must be an httpx transport, got {type(transport).__name__}"
            )
        if http_client is not None and not isinstance(http_client, (httpx.Client, httpx.AsyncClient)):
            raise InvalidArgumentError(
                f"http_client must be an httpx client, got {type(http_client).__name__}"
            )
        if not isinstance(allow_insecure_http, bool):
            raise InvalidArgumentError(
                f"allow_insecure_http must be True or False, got {allow_insecure_http!r}"
            )
        api_key = checked_key(api_key)  # under this name only: error trackers scrub it from tracebacks
        url = resolve_base_url(str(base_url) if isinstance(base_url, httpx.URL) else base_url, http_client)
        check_transport(url, allow_insecure_http)
        policy = _policy(max_retries, retry_policy)
        if rate_gate is not None and not isinstance(rate_gate, RateGate):
            raise InvalidArgumentError(f"rate_gate must be an np6.RateGate, got {type(rate_gate).__name__}")
        self.__attrs_init__(
            api_key=api_key,
            base_url=url,
            timeout=None if timeout is None else checked_timeout(timeout),
            deadline=checked_deadline(deadline),
            retry_policy=policy,
            rate_gate=rate_gate or RateGate(max_pause=policy.retry_after_max),
            transport=transport,
            http_client=http_client,
            allow_insecure_http=allow_insecure_http,
        )

    def __repr__(self) -> str:
        # the key never shown; safe on options whose __init__ failed (a traceback's locals repr them)
        shown = [
            f"{field.name}={'***' if field.name == 'api_key' else getattr(self, field.name, '?')!r}"
            for field in attrs.fields(ClientOptions)
        ]
        return f"ClientOptions({', '.join(shown)})"

    def replace(self, api_key: str | None = None, **changes: Any) -> ClientOptions:
        """These options with ``changes`` (the keyword arguments of :class:`ClientOptions`).

        What is not changed is kept; a change to ``None`` gives that option its default
        (``deadline=None``: no deadline), except ``api_key=None``, which keeps the key.
        ``max_retries=n`` changes the retry policy's ``max_retries``; ``transport`` or
        ``http_client`` replaces the other. The rate gate is kept (so a client and its
        copy pause together) unless the key or the server changes, or the policy's
        ``retry_after_max`` does, or a new one is given. Conflicting changes are refused
        as they are by the constructor.
        """
        unknown = sorted(set(changes) - set(OptionChanges.__annotations__))
        if unknown:
            raise UnexpectedArgumentError(f"with_options() got an unexpected keyword argument {unknown[0]!r}")
        _refuse_conflicts({name: value for name, value in changes.items() if value is not None})
        # the key stays in names error trackers scrub (api_key, self's masked repr), never in a dict
        same_key = api_key is None or checked_key(api_key) == self.api_key
        api_key = self.api_key if api_key is None else api_key
        merged: dict[str, Any] = {
            field.name: getattr(self, field.name)
            for field in attrs.fields(ClientOptions)
            if field.name != "api_key"
        }
        merged.update(changes)
        if "transport" in changes and "http_client" not in changes:
            merged["http_client"] = None
        if "http_client" in changes and "transport" not in changes:
            merged["transport"] = None
        if changes.get("max_retries") is not None and "retry_policy" not in changes:
            merged["retry_policy"] = attrs.evolve(
                self.retry_policy, max_retries=checked_max_retries(changes["max_retries"])
            )
        if "base_url" not in changes and "http_client" in changes:
            merged["base_url"] = None  # the new http_client's, $NP6_BASE_URL's or NP6's, as at first
        if "rate_gate" not in changes:
            policy = merged["retry_policy"]
            same_gate = (
                same_key
                and (merged["base_url"] is None or _same_url(merged["base_url"], str(self.base_url)))
                and isinstance(policy, RetryPolicy)
                and policy.retry_after_max == self.rate_gate.max_pause
            )
            merged["rate_gate"] = self.rate_gate if same_gate else None
        return ClientOptions(api_key, **merged)

    @property
    def effective_timeout(self) -> httpx.Timeout:
        """The timeout requests get: ``timeout``, else the http_client's own, else :data:`DEFAULT_TIMEOUT`."""
        if self.timeout is not None:
            return self.timeout
        return self.http_client.timeout if self.http_client is not None else DEFAULT_TIMEOUT

    def shares_connections_with(self, other: ClientOptions) -> bool:
        """Whether a client of ``other`` may use the connection pool of a client of these options.

        Yes unless the transport or http_client differs, or the base URL moves between
        https and plain http: np6's own pool lets proxies carry https only (where they
        see nothing of the key), so a pool built for one cannot serve the other.
        """
        return (
            self.transport is other.transport
            and self.http_client is other.http_client
            and may_use_proxies(self.base_url) == may_use_proxies(other.base_url)
        )


def _policy(max_retries: int | None, retry_policy: RetryPolicy | None) -> RetryPolicy:
    """The retry policy: ``retry_policy``, or the default with ``max_retries`` (conflicts refused before)."""
    if retry_policy is None:
        return (
            RetryPolicy()
            if max_retries is None
            else RetryPolicy(max_retries=checked_max_retries(max_retries))
        )
    if not isinstance(retry_policy, RetryPolicy):
        raise InvalidArgumentError(
            f"retry_policy must be an np6.RetryPolicy, got {type(retry_policy).__name__}"
        )
    return retry_policy


def options_from(
    arguments: Mapping[str, Any], extra: Mapping[str, Any] | ClientOptions | None, where: str
) -> ClientOptions:
    """The options of a function that takes some options itself and the rest in one argument.

    ``arguments`` are the function's own (``np6_source``'s ``api_key`` and ``base_url``),
    ``None`` when not given; ``extra`` the rest (its ``client_options``: a mapping of
    keyword arguments, or a whole :class:`ClientOptions`). An option given in both with
    different values is refused, naming both places (not the values: one may be the key).
    """
    given = {name: value for name, value in arguments.items() if value is not None}
    if isinstance(extra, ClientOptions):
        for name, value in given.items():
            if not _same_option(name, value, getattr(extra, name)):
                raise InvalidArgumentError(
                    f"{name} and {where}.{name} differ: give it once, as {name}= or in {where}"
                )
        return extra
    if extra is not None and not isinstance(extra, Mapping):
        raise InvalidArgumentError(
            f"{where} must be a mapping of np6.ClientOptions arguments or an np6.ClientOptions, "
            f"got {type(extra).__name__}"
        )
    extra = dict(extra or {})
    for name, value in given.items():
        if extra.get(name) is not None and not _same_option(name, value, extra[name]):
            raise InvalidArgumentError(
                f"{name} and {where}[{name!r}] differ: give it once, as {name}= or in {where}"
            )
    extra.update(given)
    return ClientOptions(**extra)


def _same_option(name: str, first: object, second: object) -> bool:
    if name == "api_key" and isinstance(first, str) and isinstance(second, str):
        return first.strip() == second.strip()
    if name == "base_url" and isinstance(first, (str, httpx.URL)) and isinstance(second, (str, httpx.URL)):
        return _same_url(first, str(second).rstrip("/")) is not False
    return first == second
