"""A deterministic, realistic NP6 data set: contacts, campaigns, and their events.

The same ``seed`` and ``anchor`` date always give the same contacts, campaigns and
events, byte for byte. Sends go backwards in time from the anchor (default: today,
UTC): the newest send is a little over a day before the anchor's midnight, so that
every event lies before it and a window such as "the last 7 days" holds events.
Moving the anchor by N days moves every timestamp by exactly N days and changes
nothing else. Events follow NP6's life cycle per message: an execution, then (rarely) a
cancellation or an activation, then bounces, hits (opens, clicks, forms, mirror
views, unsubscribes; some by robots) or, for text messages, STOP replies.

An action is an email or text message item of a campaign, named by a string id
(``C000XYZA0``); a push notification item is named by an integer (``101``), as NP6's
notification pages show, and its activations are followed by impressions and, rarely,
opt-outs (or, rarely, a bounce instead of all of these). Display contents (``D01XYZ``)
are apart from campaigns and contacts: they have activation events of their own. The
notifications' bounces, impressions and opt-outs and the display activations are drawn
from a random generator of their own (seeded like the others).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
import uuid
from collections.abc import Iterator
from typing import Any

import attrs

__all__ = ["Contact", "Item", "StoredEvent", "generate", "make_contents", "wire_id"]

AGENCY = "DEMO"
CUSTOMER = "028"
DAY_MS = 24 * 3600 * 1000
SPAN_MS = 90 * DAY_MS
# The newest send leaves this long before the anchor's midnight: a send's last event
# (a STOP reply) comes at most a day and a few minutes after it, so none is later.
TRAIL_MS = 25 * 3600 * 1000

FIRST_NAMES = [
    "alice",
    "bruno",
    "chloe",
    "david",
    "emma",
    "farid",
    "gael",
    "hana",
    "ines",
    "jules",
    "karim",
    "lea",
    "marc",
    "nina",
    "omar",
    "paul",
    "quentin",
    "rose",
    "sacha",
    "theo",
]
DOMAINS = ["example.com", "example.org", "example.net", "np6.com"]
DESTINATIONS = [
    ("homepage", "https://www.np6.fr"),
    ("offer", "https://www.np6.fr/offres"),
    ("blog", "https://www.np6.fr/blog"),
    ("contact", "https://www.np6.fr/contact"),
]
BROWSERS = [
    (
        "Mozilla/5.0 (Linux; Android 9; AMN-LX9) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/91.0.4472.88 Mobile Safari/537.36",
        {
            "type": "Mobile browser",
            "name": "Chrome Mobile",
            "version": "91.0.4472.88",
            "vendor": "Google Inc.",
        },
        {"name": "Android 9.0 Pie", "family": "Android", "vendor": "Google Inc."},
        {"type": "Smartphone", "name": "Y5 (2019)", "brand": "Huawei"},
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        {"type": "Mobile browser", "name": "Mobile Safari", "version": "17.4", "vendor": "Apple Inc."},
        {"name": "iOS 17.4", "family": "iOS", "vendor": "Apple Inc."},
        {"type": "Smartphone", "name": "iPhone", "brand": "Apple"},
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        {"type": "Browser", "name": "Chrome", "version": "124.0.0.0", "vendor": "Google Inc."},
        {"name": "Windows 10", "family": "Windows", "vendor": "Microsoft Corporation"},
        {"type": "Desktop", "name": "Desktop", "brand": "Unknown"},
    ),
    (
        "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
        {
            "type": "Mail client",
            "name": "Outlook",
            "version": "16.0.17328",
            "vendor": "Microsoft Corporation",
        },
        {"name": "Windows 10", "family": "Windows", "vendor": "Microsoft Corporation"},
        {"type": "Desktop", "name": "Desktop", "brand": "Unknown"},
    ),
]
ROBOTS = [
    ("mpp", "Mozilla/5.0"),
    ("gsr", "Mozilla/5.0 (compatible; Google-Safety; +https://www.google.com/bot.html)"),
    ("genericrobot", "python-requests/2.31.0"),
]
BOUNCES = [
    ("soft", "sync", "4.2.2", "452 4.2.2 Mailbox full", "other or undefined status"),
    (
        "soft",
        "sync",
        "5.4.4",
        "550 5.4.4 Unable to route: no mail hosts for domain",
        "other or undefined status",
    ),
    (
        "hard",
        "async",
        "5.1.1",
        "550 5.1.1 The email account that you tried to reach does not exist",
        "bad destination mailbox address",
    ),
]


@attrs.frozen
class Contact:
    """A contact: NP6 id, unicity (email) and hash."""

    id: str
    unicity: str
    hash: str
    phone: str


@attrs.frozen
class Item:
    """A campaign item (action) on one channel."""

    id: str
    campaign_id: str
    channel: str


@attrs.frozen
class StoredEvent:
    """One event with the columns the server filters on."""

    body: dict[str, Any]
    contact_id: str
    campaign_id: str
    item_id: str
    channel: str
    subtype: str | None = None
    robot: str | None = None
    keyword: str | None = None
    named: bool = False
    """Whether the campaign was named by whoever gave the event (not taken from its item)."""

    @property
    def type(self) -> str:
        """The event kind."""
        return str(self.body["type"])

    @property
    def timestamp(self) -> int:
        """Milliseconds since the epoch."""
        return int(self.body["timestamp"])


def _np6_id(rng: random.Random, length: int = 8) -> str:
    return "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTVWXZ") for _ in range(length))


def make_contacts(rng: random.Random, count: int) -> list[Contact]:
    """``count`` distinct contacts."""
    contacts = []
    for n in range(count):
        name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]}.{n:04d}"
        email = f"{name}@{DOMAINS[n % len(DOMAINS)]}"
        contacts.append(
            Contact(
                id=f"{n:04d}{_np6_id(rng, 4)}",
                unicity=email,
                hash=hashlib.md5(email.encode(), usedforsecurity=False).hexdigest(),
                phone=f"+336{rng.randrange(10**8):08d}",
            )
        )
    return contacts


NOTIFICATION_BASE = 101
"""The first notification id: notification ids are integers (DECISIONS #46)."""


def make_items(rng: random.Random, campaigns: int) -> list[Item]:
    """Items for ``campaigns`` campaigns: mostly email, some text messages and push.

    A push notification's id is an integer (kept as its decimal text in :attr:`Item.id`);
    the others are the action ids NP6 shows, strings.
    """
    items = []
    for c in range(campaigns):
        campaign_id = f"C{c:03d}{_np6_id(rng, 3)}"
        for i, channel in enumerate(("email", "email", "sms", "notification")):
            item_id = str(NOTIFICATION_BASE + c) if channel == "notification" else f"{campaign_id}A{i}"
            items.append(Item(id=item_id, campaign_id=campaign_id, channel=channel))
    return items


def make_contents(seed: int, count: int = 3) -> list[str]:
    """The display contents' ids, from a generator of their own."""
    rng = random.Random(seed * 104_729 + 3)
    return [f"D{n:02d}{_np6_id(rng, 3)}" for n in range(count)]


def wire_id(item: Item) -> str | int:
    """The item's id as events carry it: an integer for a push notification."""
    return int(item.id) if item.channel == "notification" else item.id


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamp(self, time: int) -> dict[str, Any]:
        return {"time": time, "id": self.uuid(), "thread": self.uuid()}

    def base(self, kind: str, timestamp: int, channel: str, detail: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": kind,
            "id": self.uuid(),
            "timestamp": timestamp,
            "identity": {"type": "customer", "agency": AGENCY, "customer": CUSTOMER},
            "source": {"type": channel, "detail": detail},
        }

    def receiver(self, contact: Contact, channel: str) -> dict[str, Any]:
        if channel == "notification":
            return {"type": "contact", "value": {"id": contact.id, "email": contact.unicity}}
        if channel == "sms":
            return {"type": "id", "value": contact.id}
        return {"type": "footprint", "id": contact.id, "unicity": contact.unicity, "hash": contact.hash}

    def client(self, robot: str | None) -> dict[str, Any]:
        rng = self.rng
        ip = (
            {
                "type": "v4",
                "value": f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}."
                f"{rng.randrange(1, 255)}",
            }
            if rng.random() < 0.85
            else {"type": "v6", "value": f"2001:db8::{rng.randrange(1, 0xFFFF):x}"}
        )
        if robot is not None:
            ua = next(agent for name, agent in ROBOTS if name == robot)
            return {"type": "robot", "classification": robot, "ip": ip, "ua": {"type": "raw", "ua": ua}}
        agent, client, os, device = rng.choice(BROWSERS)
        return {
            "type": "web",
            "ip": ip,
            "ua": {"type": "parsed", "ua": agent, "client": client, "os": os, "device": device},
        }


def _message_events(
    w: _Writer, contact: Contact, item: Item, at: int, extra: random.Random
) -> Iterator[StoredEvent]:
    rng = w.rng
    push = item.channel == "notification"

    def stored(body: dict[str, Any], **columns: Any) -> StoredEvent:
        return StoredEvent(body, contact.id, item.campaign_id, item.id, item.channel, **columns)

    receiver = w.receiver(contact, item.channel)
    execution = {
        "id": wire_id(item),
        "kind": "application" if push else "message",
        "recipient": receiver,
        "data": {"firstname": contact.unicity.split(".")[0].title(), "segment": rng.choice("ABC")},
        "stamp": w.stamp(at - rng.randrange(50, 500)),
    }
    yield stored(w.base("execution", at, item.channel, {"execution": execution}))
    if rng.random() < 0.04:
        yield stored(
            w.base(
                "cancellation",
                at + 5,
                item.channel,
                {
                    "execution": execution,
                    "cancellation": {
                        "type": "user defined policy",
                        "value": {"type": "render", "message": "missing value for field 'firstname'"},
                    },
                },
            )
        )
        return
    address = contact.phone if item.channel == "sms" else contact.unicity
    activation: dict[str, Any] = {
        "id": wire_id(item),
        "kind": "application" if push else "message",
        "receiver": receiver,
        "stamp": w.stamp(at),
        "recipient": address,
    }
    if push:
        # the notification's version, as NP6's opt-out example shows (taken from no generator)
        activation = {"id": activation["id"], "version": _version(item), **activation}
    # seconds-rounded timestamps make ties, as NP6's batch activations do
    activated = (at // 1000 + rng.randrange(1, 60)) * 1000
    yield stored(w.base("activation", activated, item.channel, {"activation": activation}))
    if push:
        # bounces, impressions and opt-outs, from the generator of their own (see the module's docstring)
        if extra.random() < 0.04:
            bounce = _extra_event(
                extra, "bounce", activated + extra.randrange(1_000, 60_000), item, activation
            )
            bounce["source"]["detail"]["bounce"] = {
                "status": {"type": "async", "diagnostic": "device token no longer registered"},
                "analysis": {"verdict": "hard", "subject": {"type": "unknown device"}},
            }
            yield stored(bounce)
            return
        if extra.random() < 0.7:
            yield stored(
                _extra_event(
                    extra, "impression", activated + extra.randrange(1_000, 600_000), item, activation
                )
            )
        if extra.random() < 0.05:
            yield stored(
                _extra_event(
                    extra, "optout", activated + extra.randrange(600_000, 3_600_000), item, activation
                )
            )
    if item.channel == "email" and rng.random() < 0.08:
        verdict, status, code, diagnostic, subject = rng.choice(BOUNCES)
        yield stored(
            w.base(
                "bounce",
                activated + rng.randrange(1000, 600_000),
                item.channel,
                {
                    "activation": activation,
                    "bounce": {
                        "status": {
                            "type": status,
                            "code": {"enhanced": code},
                            "diagnostic": diagnostic,
                            "mta": "",
                        },
                        "analysis": {"verdict": verdict, "subject": {"type": subject}},
                    },
                },
            )
        )
        return
    if item.channel == "sms":
        if rng.random() < 0.15:
            yield stored(
                w.base(
                    "reply",
                    activated + rng.randrange(60_000, 86_400_000),
                    "sms",
                    {
                        "activation": activation,
                        "reply": {"keyword": "STOP", "content": rng.choice(["STOP", "stop", "Stop SMS"])},
                    },
                ),
                keyword="STOP",
            )
        return
    when = activated
    for _ in range(rng.choice((0, 1, 1, 2, 3, 5))):
        when += rng.randrange(1_000, 3_600_000)
        robot = rng.choice([name for name, _ in ROBOTS]) if rng.random() < 0.2 else None
        if item.channel == "notification":
            subtype, link = "open", {"type": "open", "source": "push"}
        else:
            subtype = rng.choices(
                ["open", "redirection", "form", "mirror", "unsubscribe"], [50, 30, 8, 7, 5]
            )[0]
            # Apple's privacy proxy only loads images; Google's scanner follows links
            subtype = {"mpp": "open", "gsr": "redirection"}.get(robot or "", subtype)
            label, destination = rng.choice(DESTINATIONS)
            link = {"type": subtype, "source": "html"}
            if subtype != "open":
                link |= {
                    "label": label if subtype == "redirection" else subtype,
                    "destination": destination
                    if subtype == "redirection"
                    else f"https://www.np6.fr/{subtype}",
                }
        detail = {"activation": activation, "link": link, "client": w.client(robot)}
        yield stored(w.base("hit", when, item.channel, detail), subtype=subtype, robot=robot)


def _version(item: Item) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"np6-mock:notification:{item.id}"))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _extra_event(
    rng: random.Random, kind: str, timestamp: int, item: Item, activation: dict[str, Any]
) -> dict[str, Any]:
    return {
        "type": kind,
        "id": _uuid(rng),
        "timestamp": timestamp,
        "identity": {"type": "customer", "agency": AGENCY, "customer": CUSTOMER},
        "source": {"type": item.channel, "detail": {"activation": activation}},
    }


def _display_events(rng: random.Random, contents: list[str], at: int) -> Iterator[StoredEvent]:
    # a content shown a few times around a send; display events name no contact or campaign
    content = rng.choice(contents)
    for _ in range(rng.randrange(1, 4)):
        when = at + rng.randrange(0, 3_600_000)
        body = {
            "type": "activation",
            "id": _uuid(rng),
            "timestamp": when,
            "identity": {"type": "customer", "agency": AGENCY, "customer": CUSTOMER},
            "source": {"type": "display", "detail": {"content": {"id": content}}},
        }
        yield StoredEvent(body, "", "", content, "display")


def today() -> dt.date:
    """Today's date in UTC: the default anchor."""
    return dt.datetime.now(dt.UTC).date()


def generate(
    seed: int = 6,
    contacts: int = 50,
    campaigns: int = 3,
    events: int = 2000,
    anchor: dt.date | None = None,
) -> tuple[list[Contact], list[Item], Iterator[StoredEvent]]:
    """Contacts, items and an iterator of exactly ``events`` events, from ``seed`` and ``anchor``.

    Every event lies in the 92 days before ``anchor`` (default: today, UTC) at 00:00 UTC.
    """
    day = anchor if anchor is not None else today()
    end_ms = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()) * 1000
    newest = end_ms - TRAIL_MS - 3600 * 1000  # room for the send's spread (up to an hour)
    rng = random.Random(seed)
    people = make_contacts(rng, max(contacts, 1))
    items = make_items(rng, max(campaigns, 1))

    def events_iter() -> Iterator[StoredEvent]:
        # Campaigns go out in sends: each send of an item reaches most contacts within
        # seconds, so executions (and, rounded to the second, activations) share
        # timestamps, as in NP6's batch sends.
        w = _Writer(random.Random(seed * 7919 + 1))
        extra = random.Random(seed * 7919 + 2)
        contents = make_contents(seed)
        produced, send = 0, 0
        while True:
            item = items[send % len(items)]
            blast = newest - (send * 7 * DAY_MS // len(items)) % SPAN_MS + w.rng.randrange(3600) * 1000
            send += 1
            audience = w.rng.sample(people, max(1, int(len(people) * w.rng.uniform(0.5, 0.9))))
            sent = (
                event
                for contact in audience
                for event in _message_events(w, contact, item, blast + w.rng.randrange(20) * 1000, extra)
            )
            for event in itertools.chain(sent, _display_events(extra, contents, blast)):
                yield event
                produced += 1
                if produced >= events:
                    return

    return people, items, events_iter()
