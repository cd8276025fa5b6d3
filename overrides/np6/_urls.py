"""Which server the key may go to, and the absolute URLs of requests to it."""

from __future__ import annotations

import ipaddress

import httpx

from ._env import read_environment
from ._errors import InsecureTransportError, InvalidArgumentError
from ._text import sendable

__all__ = [
    "DEFAULT_BASE_URL",
    "absolute",
    "check_transport",
    "is_loopback",
    "may_use_proxies",
    "resolve_base_url",
]

DEFAULT_BASE_URL = "https://api-cm.np6.com"


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_transport(base_url: httpx.URL, allow_insecure_http: bool) -> None:
    """Refuse to send the key in clear text to anything but this machine."""
    if base_url.scheme == "https":
        return
    if base_url.scheme == "http" and (allow_insecure_http or is_loopback(base_url.host)):
        return
    raise InsecureTransportError(
        f"refusing to send the API key to {base_url.scheme}://{base_url.host}: use https, a "
        "loopback address, or pass allow_insecure_http=True if you really mean it"
    )


def may_use_proxies(base_url: httpx.URL) -> bool:
    """Whether requests to ``base_url`` may go through a proxy.

    Over https a proxy only tunnels, and the key stays encrypted; a plain-http base URL is
    this machine (see :func:`check_transport`), and a proxy would read the key in clear.
    """
    return base_url.scheme == "https"


def resolve_base_url(given: str | None, http_client: httpx.Client | httpx.AsyncClient | None) -> httpx.URL:
    """The server to talk to: ``base_url``, else the http_client's, else $NP6_BASE_URL, else NP6's."""
    if given is not None and not isinstance(given, str):
        raise InvalidArgumentError(
            f"base_url must be a URL string such as 'https://api-cm.np6.com', got {type(given).__name__}"
        )
    if given is not None:
        sendable(given, "base_url")
    own = str(http_client.base_url).rstrip("/") if http_client is not None else ""
    # a base_url that differs from http_client.base_url is refused before (np6._config)
    url = (given or own or read_environment().base_url or DEFAULT_BASE_URL).rstrip("/")
    return _with_scheme(url)


def _with_scheme(text: str) -> httpx.URL:
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise InvalidArgumentError(f"base_url {text!r} is not a URL: {exc}") from None
    if url.scheme in ("http", "https") and url.host:
        return url
    scheme, separator, _ = text.partition("://")
    if separator and scheme.lower() not in ("http", "https"):
        # a scheme was given, only not one np6 speaks: prefixing another would make it worse
        raise InvalidArgumentError(
            f"base_url {text!r}: the scheme {scheme!r} is not supported; use https://, or http:// "
            "to this machine"
        )
    if separator:
        raise InvalidArgumentError(f"base_url {text!r} has no host: give one after {scheme}://")
    guess = "http" if is_loopback(text.split(":", maxsplit=1)[0].split("/", maxsplit=1)[0]) else "https"
    raise InvalidArgumentError(
        f"base_url {text!r} needs http:// or https:// and a host: did you mean {guess}://{text}?"
    )


def absolute(base_url: httpx.URL, relative: str) -> httpx.URL:
    """``relative`` (a generated operation's path) under ``base_url``, keeping its path prefix.

    Absolute, so that the server checked by :func:`check_transport` is the one the
    request goes to, whatever base_url a caller's own http_client carries.
    """
    try:
        path = httpx.URL(relative).raw_path.lstrip(b"/")
        return base_url.copy_with(raw_path=base_url.raw_path.rstrip(b"/") + b"/" + path)
    except httpx.InvalidURL as exc:
        problem = str(exc)
    # raised outside the except clause: an np6 error without httpx's chain
    raise InvalidArgumentError(f"the request URL cannot be built from these arguments: {problem}")
