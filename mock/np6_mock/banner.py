"""What ``np6 mock`` says when it starts: where it serves, and what to ask it for.

Every contact and campaign id the banner names comes from the store's own
look-ups (:meth:`Store.showcase`, :meth:`Store.sample`), so each one answers 200.
A line names a few actions, notifications and display contents for the wider
operations (``/actions/ID/...``, ``/notifications/N/...``, ``/display/content/ID/...``).
The first two lines keep a fixed form that scripts read (``make demo``, the
benchmarks): ``... serving http://HOST:PORT ...`` and ``try contact id ID / unicity
U, campaign C``; the last line ends with ``Ctrl-C to stop``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["banner_lines"]

PREFIX = "np6 mock: "


def banner_lines(
    sample: dict[str, Any],
    showcase: list[dict[str, Any]],
    *,
    base_url: str,
    key_shown: str,
    seconds: float,
    rate_limit: int | None = None,
    manifest: str | None = None,
    notes: Sequence[str] = (),
) -> list[str]:
    """The banner, one string a line."""
    contact = sample["contact"] or {}
    campaign = sample["campaign"]
    lines = [
        f"{PREFIX}{sample['events']:,} events ready in {seconds:.1f}s; "
        f"serving {base_url} (key: X-Key {key_shown})",
        f"{PREFIX}try contact id {contact.get('id') or '(none)'} / unicity "
        f"{contact.get('unicity') or '(none)'}, campaign {campaign or '(none)'}",
    ]
    if showcase:
        lines.append(f"{PREFIX}contacts to try with np6 events --id, --unicity or --hash:")
        lines.extend(f"  {_contact_line(c)}" for c in showcase)
    if campaign:
        items = ", ".join(f"{i} (email)" for i in sample["email_items"]) or "no email item"
        lines.append(f"{PREFIX}campaign {campaign} (np6 campaign-events {campaign}); email items: {items}")
    wider = _wider_line(sample)
    if wider:
        lines.append(f"{PREFIX}{wider}")
    if rate_limit is not None:
        lines.append(
            f"{PREFIX}at most {rate_limit} requests a second per key; beyond, 429 with Retry-After "
            "(X-RateLimit-Limit, -Remaining, -Reset on every answer)"
        )
    if manifest is not None:
        lines.append(f"{PREFIX}the manifest of every contact and campaign: {manifest}")
    lines.extend(f"{PREFIX}{note}" for note in notes)
    lines.append(f"{PREFIX}Ctrl-C to stop")
    return lines


def _contact_line(contact: dict[str, Any]) -> str:
    kinds = []
    for kind, count in contact["kinds"].items():
        notes = []
        if kind == "hit" and contact["robot_hits"]:
            notes.append(f"{contact['robot_hits']} by robots")
        if kind == "hit" and contact["form_hits"]:
            notes.append(f"{contact['form_hits']} form")
        if kind == "reply" and contact["stops"]:
            notes.append(f"{contact['stops']} STOP")
        kinds.append(f"{count} {kind}" + (f" ({', '.join(notes)})" if notes else ""))
    return (
        f"id {contact['id']}  unicity {contact['unicity'] or '(none)'}  "
        f"hash {contact['hash'] or '(none)'}  {contact['events']} events: {', '.join(kinds)}"
    )


def _wider_line(sample: dict[str, Any]) -> str:
    # the ids the wider operations take: actions (/actions/ID/...), notifications
    # (/notifications/N/..., integers) and display contents (/display/content/ID/...)
    parts = []
    if sample.get("actions"):
        parts.append("actions " + ", ".join(f"{a['id']} [{a['channel']}]" for a in sample["actions"]))
    if sample.get("notifications"):
        parts.append("notifications " + ", ".join(str(n) for n in sample["notifications"]))
    if sample.get("contents"):
        parts.append("display contents " + ", ".join(sample["contents"]))
    return "; ".join(parts)
