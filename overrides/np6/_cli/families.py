"""``np6 action-events``, ``np6 notification-events``, ``np6 reactivities`` and ``np6 display-events``.

Each streams one call of a client namespace (``client.raw.actions``, ``.notifications``,
``.display``) with the output, ``-o``, exit statuses and error lines of ``np6 events``.
Kinds are the Python API's method names, read from the command line through
:func:`np6._cli._common.kind_name`; the client refuses a kind it lacks, naming those it has.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .. import InvalidArgumentError
from ..toolkit import cli_spelling
from ._common import connection_options, kind_name, subparser, text, time_bound
from .export import _export, _output_options

if TYPE_CHECKING:
    from .. import Client

__all__ = ["ACTION_KINDS", "NOTIFICATION_KINDS", "register"]

ACTION_KINDS = ("activations", "cancellations", "bounces", "mirror_hits")
"""The methods of ``client.actions`` that read one action (tests/test_cli_families.py checks they are)."""

NOTIFICATION_KINDS = ("executions", "cancellations", "activations")
"""The methods of ``client.notifications`` that read one notification (checked likewise)."""

CHANNELS = {"email": "action", "notification": "notification"}
"""``np6 reactivities --channel``, and the option naming one target of that channel."""


def _spelled(kinds: tuple[str, ...]) -> str:
    return ", ".join(map(cli_spelling, kinds))


def _one_of(kinds: tuple[str, ...]) -> Callable[[str], str]:
    """``--kind``'s type: a word of ``kinds`` in either spelling, refused in the command line's."""

    def kind(word: str) -> str:
        name = kind_name(word)
        if name not in kinds:
            raise argparse.ArgumentTypeError(f"kind must be one of {_spelled(kinds)}, got {word!r}")
        return name

    return kind


def _notification_id(value: str) -> int:
    digits = value.strip()
    if not (digits.isascii() and digits.isdigit()) or int(digits) >= 2**31:
        raise argparse.ArgumentTypeError(f"{value!r}: a notification id is a whole number (int32)")
    return int(value)


def register(commands: Any) -> None:
    """Add the commands of the action, notification, reactivity and display families to ``np6``."""
    action = subparser(
        commands,
        "action-events",
        help="stream an email or text message action's events",
        description="Stream the events of one action (an item of a campaign) of one kind: "
        f"{_spelled(ACTION_KINDS)}.",
    )
    action.add_argument("action_id", metavar="ACTION_ID", type=text, help="the action's id")
    _kind_option(action, ACTION_KINDS)
    action.add_argument(
        "--classification",
        type=text,
        help="mirror-hits only: also include the robot hits of these classifications, comma-separated",
    )
    _exports(action, _action_events)

    notification = subparser(
        commands,
        "notification-events",
        help="stream a push notification's events",
        description=f"Stream the events of one notification of one kind: {_spelled(NOTIFICATION_KINDS)}.",
    )
    notification.add_argument(
        "notification_id", metavar="NOTIFICATION_ID", type=_notification_id, help="the notification's id"
    )
    _kind_option(notification, NOTIFICATION_KINDS)
    _exports(notification, _notification_events)

    reactivities = subparser(
        commands,
        "reactivities",
        help="stream the reactions to a channel's activations, whole account",
        description="Stream the reactions (hits, bounces, opt-outs ...) to the activations of every "
        "action (--channel email) or notification (--channel notification), or of one (--action, "
        "--notification), in one request whatever the number of contacts. Two windows choose them: "
        "the activation's time (--activation-start/--activation-end) and the reaction's own "
        "(--reactivity-start/--reactivity-end). --kind picks the operation NP6 has for that scope "
        "(email, every action: all kinds when absent, bounces, open-hits, mirror-hits; one action: "
        "redirection-hits, unsubscribe-hits; notification, every one: all kinds when absent, hits, "
        "bounces; one notification: optouts).",
    )
    reactivities.add_argument("--channel", choices=list(CHANNELS), required=True, help="whose activations")
    one = reactivities.add_mutually_exclusive_group()
    one.add_argument("--action", type=text, metavar="ACTION_ID", help="one action (--channel email)")
    one.add_argument(
        "--notification",
        type=_notification_id,
        metavar="NOTIFICATION_ID",
        help="one notification (--channel notification)",
    )
    reactivities.add_argument("--kind", type=kind_name, metavar="KIND", help="which reactions (default: all)")
    window = reactivities.add_argument_group("windows (start inclusive, end exclusive; forms as --start)")
    for bound in ("activation-start", "activation-end", "reactivity-start", "reactivity-end"):
        window.add_argument(f"--{bound}", type=time_bound, help=f"the {bound.replace('-', ' ')}")
    _exports(reactivities, _reactivities, window=False)

    display = subparser(
        commands,
        "display-events",
        help="stream display contents' activation events",
        description="Stream the activation events of every display content, or of one (--content).",
    )
    display.add_argument("--content", type=text, metavar="CONTENT_ID", help="one display content")
    _exports(display, _display_events)


def _kind_option(parser: argparse.ArgumentParser, kinds: tuple[str, ...]) -> None:
    """``--kind``, required: which of the family's operations streams the events."""
    parser.add_argument(
        "--kind",
        type=_one_of(kinds),
        metavar="KIND",
        required=True,
        help=f"which events: {_spelled(kinds)}",
    )


def _exports(
    parser: argparse.ArgumentParser,
    events: Callable[[argparse.Namespace, Client], Iterator[dict[str, Any]]],
    *,
    window: bool = True,
) -> None:
    """A command that exports what ``events`` streams: its output and connection options, its handler."""
    _output_options(parser, window=window)
    connection_options(parser)
    parser.set_defaults(handler=lambda args: _export(args, events))


def _window(args: argparse.Namespace) -> dict[str, Any]:
    return {"start": args.start, "end": args.end, "sort": args.sort}


def _action_events(args: argparse.Namespace, client: Client) -> Iterator[dict[str, Any]]:
    options = _window(args)
    if args.classification:
        if args.kind != "mirror_hits":
            raise InvalidArgumentError("--classification applies to --kind mirror-hits only")
        options["classification"] = args.classification
    method: Callable[..., Iterator[dict[str, Any]]] = getattr(client.raw.actions, args.kind)
    return method(args.action_id, **options)


def _notification_events(args: argparse.Namespace, client: Client) -> Iterator[dict[str, Any]]:
    method: Callable[..., Iterator[dict[str, Any]]] = getattr(client.raw.notifications, args.kind)
    return method(args.notification_id, **_window(args))


def _reactivities(args: argparse.Namespace, client: Client) -> Iterator[dict[str, Any]]:
    windows = {
        name: getattr(args, name)
        for name in ("activation_start", "activation_end", "reactivity_start", "reactivity_end")
    }
    if args.channel == "email":
        if args.notification is not None:
            raise InvalidArgumentError("--notification goes with --channel notification")
        return client.raw.actions.reactivities(args.kind, args.action, sort=args.sort, **windows)
    if args.action is not None:
        raise InvalidArgumentError("--action goes with --channel email")
    return client.raw.notifications.reactivities(args.kind, args.notification, sort=args.sort, **windows)


def _display_events(args: argparse.Namespace, client: Client) -> Iterator[dict[str, Any]]:
    return client.raw.display.activations(args.content, **_window(args))
