"""The rules np6's clients apply, for the tools built beside them: the ``np6`` command, yours.

np6's own command and its conformance engine import np6 through its public names only
(``np6.__all__``, the public modules and their ``__all__``; ``tests/test_layers.py`` checks
it). What they need beyond the clients is here, so that a tool sending the key or showing
a server's text does it by the clients' rules, not by a copy of them:

- :class:`Redactor`: the key masked out of any text (every run of 6+ of its characters, in
  any common escaping), as in every np6 error message and log record.
- :func:`printable`, :func:`fit`: a server's (or a file's) text made safe to show on a
  terminal, and cut to a column.
- :func:`checked_key`: the key as the clients send it (``$NP6_API_KEY`` when none is given).
- :func:`check_transport`, :func:`may_use_proxies`, :func:`resolve_base_url`: where the key
  may travel, and through which proxies.
- :class:`Bound`, :func:`bounded`, :func:`install_deadline`: a deadline inside every socket
  operation of an httpx client, so that a server trickling bytes cannot outlast it.
- :func:`to_time_bound`, :func:`to_epoch_ms`, :func:`ms_to_datetime`: a time bound as the
  clients read it and send it, and NP6's milliseconds as a datetime (also ``np6.ms_to_datetime``,
  which loads the event classes with it: ``np6 --help`` does not).
- :data:`MAX_CONCURRENCY`, :data:`DEFAULT_MAX_TIME`, :data:`DEFAULT_TIMEOUT`,
  :data:`DEFAULT_MAX_RETRIES`, :func:`describe_timeout`: the limits and defaults the command's
  options share with the library.
- :data:`CONTACT_KINDS`, :func:`cli_spelling`, :func:`python_spelling`, :func:`unknown_kind`:
  the kinds of contact events, one vocabulary for Python and the command line.
- :func:`read_environment`: ``$NP6_API_KEY``, ``$NP6_BASE_URL`` and the other variables np6
  reads, read in that one place.
"""

from __future__ import annotations

from ._backends import install as install_deadline
from ._deadline import Bound, bounded
from ._env import Environment, read_environment
from ._kinds import CONTACT_KINDS, RENAMED_CLI_KINDS, ContactKind, cli_spelling, python_spelling, unknown_kind
from ._limits import DEFAULT_MAX_RETRIES, DEFAULT_MAX_TIME, DEFAULT_TIMEOUT, MAX_CONCURRENCY, describe_timeout
from ._masking import Redactor
from ._text import fit, printable
from ._timebounds import ms_to_datetime, to_epoch_ms, to_time_bound
from ._urls import check_transport, may_use_proxies, resolve_base_url

__all__ = [
    "CONTACT_KINDS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MAX_TIME",
    "DEFAULT_TIMEOUT",
    "MAX_CONCURRENCY",
    "RENAMED_CLI_KINDS",
    "Bound",
    "ContactKind",
    "Environment",
    "Redactor",
    "bounded",
    "check_transport",
    "checked_key",
    "cli_spelling",
    "describe_timeout",
    "fit",
    "install_deadline",
    "may_use_proxies",
    "ms_to_datetime",
    "printable",
    "python_spelling",
    "read_environment",
    "resolve_base_url",
    "to_epoch_ms",
    "to_time_bound",
    "unknown_kind",
]


def checked_key(api_key: str | None) -> str:
    """The key the clients would send: ``api_key`` (or ``$NP6_API_KEY``), stripped and checked.

    Raises :class:`np6.InvalidArgumentError` naming what is wrong (no key, a character no
    header can carry) without quoting the key.
    """
    # imported here: the configuration loads the retry policy and the rate gate, which
    # `np6 --help` need not pay for
    from ._config import checked_key as checked

    return checked(api_key)
