"""HTTP policy shared by the sync and async clients: retries, safety, error mapping."""

from __future__ import annotations

import email.utils
import ipaddress
import json
import logging
import random
import time
from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from ._version import __version__
from .errors import APIStatusError, InsecureTransportError, RateLimitError, error_class_for

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "RETRYABLE_STATUSES",
    "USER_AGENT",
    "RetryPolicy",
    "check_transport",
    "logger",
    "redact",
    "status_error",
]

DEFAULT_BASE_URL = "https://api-cm.np6.com"
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=10.0)
USER_AGENT = f"np6-python/{__version__} httpx/{httpx.__version__}"
RETRYABLE_STATUSES = frozenset({408, 429, 502, 503, 504})
EXCERPT_BYTES = 2048

logger = logging.getLogger("np6")


@attrs.frozen
class RetryPolicy:
    """How failed requests are retried.

    ``max_retries`` extra attempts are made after the first, on connection errors
    before the first byte, on the statuses in ``RETRYABLE_STATUSES`` and on resumable
    cut streams. The wait doubles from ``backoff`` up to ``backoff_max`` with full
    jitter; a ``Retry-After`` from the server is honoured up to ``retry_after_max``.
    """

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    backoff: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    backoff_max: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    retry_after_max: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))

    def delay(self, retry_number: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry_number`` (1-based)."""
        if retry_after is not None:
            return float(min(max(retry_after, 0.0), self.retry_after_max))
        ceiling = min(self.backoff * 2 ** (retry_number - 1), self.backoff_max)
        return float(ceiling / 2 + random.uniform(0, ceiling / 2))


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(when.timestamp() - current, 0.0)


def _is_loopback(host: str) -> bool:
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
    if base_url.scheme == "http" and (allow_insecure_http or _is_loopback(base_url.host)):
        return
    raise InsecureTransportError(
        f"refusing to send the API key to {base_url.scheme}://{base_url.host}: use https, a "
        "loopback address, or pass allow_insecure_http=True if you really mean it"
    )


def redact(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret`` masked."""
    if secret:
        text = text.replace(secret, "***")
    return text


def _excerpt(body: bytes, secret: str | None) -> tuple[str, str | None]:
    text = redact(body[:EXCERPT_BYTES].decode("utf-8", "replace"), secret)
    summary = None
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, Mapping):
        parts = [str(parsed[k]) for k in ("title", "detail", "message", "error") if parsed.get(k)]
        summary = ": ".join(parts) or None
    flat = " ".join(text.split())
    return (flat[:200] + "…" if len(flat) > 200 else flat), summary


def status_error(response: httpx.Response, body: bytes, secret: str | None, attempts: int) -> APIStatusError:
    """The typed exception for an error answer, with a short excerpt of its body."""
    excerpt, summary = _excerpt(body, secret)
    request = response.request
    url = redact(str(request.url), secret)
    reason = response.reason_phrase or "error"
    said = summary or (f"body starts {excerpt!r}" if excerpt else "empty body")
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    message = f"{response.status_code} {reason} from {request.method} {url}{tries}: {said}"
    cls = error_class_for(response.status_code)
    common: dict[str, Any] = {
        "status_code": response.status_code,
        "method": request.method,
        "url": url,
        "body_excerpt": excerpt,
        "attempts": attempts,
    }
    if cls is RateLimitError:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return RateLimitError(message, retry_after=retry_after, **common)
    return cls(message, **common)
