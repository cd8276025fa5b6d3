"""The mock's data: an SQLite database indexed for the queries the API makes."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .dataset import Contact, Item, StoredEvent, generate

__all__ = ["Store"]

_SCHEMA = """
CREATE TABLE contacts (id TEXT PRIMARY KEY, unicity TEXT, hash TEXT);
CREATE TABLE items (
    id TEXT NOT NULL, campaign_id TEXT NOT NULL, channel TEXT NOT NULL, PRIMARY KEY (id, campaign_id)
);
CREATE TABLE campaigns (id TEXT PRIMARY KEY);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    subtype TEXT,
    robot TEXT,
    keyword TEXT,
    timestamp INTEGER NOT NULL,
    contact_id TEXT,
    campaign_id TEXT,
    item_id TEXT,
    channel TEXT,
    body TEXT NOT NULL,
    event_id TEXT,
    named INTEGER NOT NULL DEFAULT 0,
    activated INTEGER
);
CREATE TABLE others AS SELECT * FROM events WHERE 0;
CREATE VIEW every_event AS SELECT * FROM events UNION ALL SELECT * FROM others;
"""
# ``events`` holds what the contact and campaign operations answer (the spec's event
# union); ``others`` the events only the wider operations answer: the kinds the reference
# names without detailing, and display events (which name no contact or campaign). Their
# ``seq`` starts here, so that every event of ``every_event`` has its own.
_OTHERS_SEQ = 2**40
# The reaction kinds a reactivity operation answers (DECISIONS #44), and the kinds the
# reference names without detailing (#45), which only the reactivity operations answer:
# the contact and campaign operations' event union does not hold them.
REACTIONS = (
    "bounce",
    "hit",
    "reply",
    "creation",
    "modification",
    "impression",
    "suppression",
    "optout",
    "complaint",
)
UNDETAILED = ("creation", "modification", "impression", "suppression", "optout", "complaint")
_INDEXES = """
CREATE INDEX contacts_unicity ON contacts (unicity);
CREATE INDEX contacts_hash ON contacts (hash);
CREATE INDEX events_contact ON events (contact_id, type, timestamp);
CREATE INDEX events_contact_time ON events (contact_id, timestamp);
CREATE INDEX events_campaign ON events (campaign_id, timestamp);
CREATE INDEX events_item ON events (item_id, type, timestamp);
CREATE INDEX events_reactions ON events (channel, type, timestamp);
CREATE INDEX others_reactions ON others (channel, type, timestamp);
CREATE INDEX others_item ON others (item_id, type, timestamp);
"""
# A reactivity joins each reaction to its activation (DECISIONS #39, #50): the latest
# activation of the same item for the same contact at or before the reaction. Decided
# once, when the store is filled, into the reaction's ``activated`` column.
_JOIN = (
    "CREATE INDEX events_activations ON events (contact_id, item_id, timestamp) WHERE type = 'activation';\n"
)
_JOIN += "".join(
    f"""
UPDATE {table} SET activated = (
    SELECT max(a.timestamp) FROM events a
    WHERE a.type = 'activation' AND a.contact_id = {table}.contact_id AND a.item_id = {table}.item_id
        AND a.timestamp <= {table}.timestamp
) WHERE type IN ({", ".join(f"'{kind}'" for kind in REACTIONS)}) AND contact_id != '' AND item_id != '';
"""
    for table in ("events", "others")
)
_JOIN += "DROP INDEX events_activations;\n"
# What the store serves is decided here, once: a campaign answers 200 when it has an
# item or an event, and its items are those listed or seen in its events.
_COMPLETE = """
INSERT OR IGNORE INTO items
    SELECT DISTINCT item_id, campaign_id, channel FROM events WHERE item_id != '' AND campaign_id != '';
INSERT OR IGNORE INTO campaigns SELECT DISTINCT campaign_id FROM items;
INSERT OR IGNORE INTO campaigns SELECT DISTINCT campaign_id FROM events WHERE campaign_id != '';
"""
_BATCH = 5000


class Store:
    """An SQLite database file of contacts, campaign items and events.

    Each request opens its own connection, so a streamed answer reads from a cursor
    while others are served.
    """

    def __init__(self, path: str | os.PathLike[str], *, temporary: bool = False) -> None:
        self.path = Path(path)
        self.temporary = temporary
        self.notes: list[str] = []
        """What a person serving loaded events should know about how they were read (the banner's)."""

    @classmethod
    def generated(
        cls,
        path: str | None = None,
        *,
        seed: int = 6,
        contacts: int = 50,
        campaigns: int = 3,
        events: int = 2000,
        anchor: dt.date | None = None,
    ) -> Store:
        """A store filled with the deterministic data set (see :mod:`np6_mock.dataset`).

        ``anchor`` (default: today, UTC) is the date the data set ends at: the same
        ``seed`` and ``anchor`` give the same data, byte for byte.
        """
        store = cls._create(path)
        people, items, stream = generate(
            seed=seed, contacts=contacts, campaigns=campaigns, events=events, anchor=anchor
        )
        store._fill(stream, people, items)
        return store

    @classmethod
    def from_jsonl(
        cls, source: str | os.PathLike[str], path: str | None = None, *, campaign: str | None = None
    ) -> Store:
        """A store holding the events of a JSON Lines file, one event per line.

        A line is either an event, whose contact and item come from its
        ``source.detail`` (the receiver or recipient of its execution or activation, on
        any channel), or an envelope ``{"event": {...}, "contact": {"id", "unicity",
        "hash"}, "campaign": "...", "item": "..."}`` (what ``np6 events --id-file``
        writes). ``campaign`` names the campaign of every event of the file (an export
        of ``np6 campaign-events ID``); without it an event belongs to the campaign its
        envelope names, else to one named after its item. See :meth:`from_files`.
        """
        return cls.from_files([(campaign, source)], path)

    @classmethod
    def from_files(
        cls, sources: Sequence[tuple[str | None, str | os.PathLike[str]]], path: str | None = None
    ) -> Store:
        """A store holding the events of several JSON Lines files, each ``(campaign, file)``.

        ``campaign`` (or ``None``) is as in :meth:`from_jsonl`. An event given more than
        once in several files (the same ``id`` and the same event: a contact's export and
        its campaign's) is served once, in each campaign a file names for it; an event no operation would
        serve (with neither a contact nor an item) is refused by line. :attr:`notes` says
        what was merged or guessed.
        """
        store = cls._create(path)
        contacts: dict[str, Contact] = {}
        guessed: dict[str, set[str]] = {}

        def events() -> Iterator[StoredEvent]:
            for campaign, source in sources:
                with open(source, encoding="utf-8") as handle:
                    for number, line in enumerate(handle, 1):
                        if not line.strip():
                            continue
                        try:
                            record = json.loads(line)
                        except ValueError as exc:
                            raise ValueError(f"{source}:{number}: not JSON ({exc})") from None
                        stored = _from_record(record, contacts, f"{source}:{number}", campaign)
                        if campaign is None and stored.campaign_id and stored.campaign_id == stored.item_id:
                            guessed.setdefault(str(source), set()).add(stored.item_id)
                        yield stored

        # one file is served as written, repeats and all (NP6 does send an event twice, and
        # clients are tested on it); copies are merged only between files (an export of a
        # contact and one of its campaign)
        store._fill(events(), _values(contacts), (), merge=len(sources) > 1)
        with store.connect() as db:
            # an item's events all merged into copies named by another file are not guessed any more
            still = {
                item
                for (item,) in db.execute(
                    "SELECT DISTINCT item_id FROM events WHERE named = 0 AND campaign_id = item_id"
                )
            }
        for source, found in guessed.items():
            items = found & still
            if not items:
                continue
            shown = ", ".join(sorted(items)[:3]) + (f" and {len(items) - 3} more" if len(items) > 3 else "")
            store.notes.append(
                f"{source} names no campaign: each item stands for its own campaign ({shown}); "
                f"--load CAMPAIGN={source} names theirs"
            )
        return store

    @classmethod
    def _create(cls, path: str | None) -> Store:
        temporary = path is None
        if path is None:
            handle, path = tempfile.mkstemp(prefix="np6-mock-", suffix=".sqlite3")
            os.close(handle)
            os.unlink(path)
        store = cls(path, temporary=temporary)
        with store.connect() as db:
            db.executescript(_SCHEMA)
        return store

    def _fill(
        self,
        events: Iterable[StoredEvent],
        contacts: Iterable[Contact],
        items: Iterable[Item],
        *,
        merge: bool = False,
    ) -> None:
        """Insert ``events``, then ``contacts`` and ``items`` (read after the events, so a
        loader can collect them while the events stream), then complete the tables.

        ``merge`` keeps one of the events given more than once (see :meth:`from_files`).
        """
        db = self.connect()
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            batch: list[tuple[Any, ...]] = []
            others: list[tuple[Any, ...]] = []
            for event in events:
                other = event.type in UNDETAILED or event.channel == "display"
                (others if other else batch).append(
                    (
                        _OTHERS_SEQ + len(others) if other else None,
                        event.type,
                        event.subtype,
                        event.robot,
                        event.keyword,
                        event.timestamp,
                        event.contact_id,
                        event.campaign_id,
                        event.item_id,
                        event.channel,
                        json.dumps(event.body, separators=(",", ":"), ensure_ascii=False),
                        event.body.get("id") if merge and isinstance(event.body.get("id"), str) else None,
                        int(event.named),
                    )
                )
                if len(batch) >= _BATCH:
                    db.executemany(_INSERT.format(table="events"), batch)
                    batch.clear()
            db.executemany(_INSERT.format(table="events"), batch)
            db.executemany(_INSERT.format(table="others"), others)
            db.executemany(
                "INSERT OR IGNORE INTO contacts VALUES (?, ?, ?)",
                [(c.id, c.unicity or None, c.hash or None) for c in contacts],
            )
            db.executemany(
                "INSERT OR IGNORE INTO items VALUES (?, ?, ?)",
                [(i.id, i.campaign_id, i.channel) for i in items],
            )
            if merge:
                self._merge(db)
            db.executescript(_INDEXES)
            db.executescript(_JOIN)
            db.executescript(_COMPLETE)
            db.commit()
        finally:
            db.close()

    def _merge(self, db: sqlite3.Connection) -> None:
        # Copies of one event (same id, same body): one per campaign a file named for it,
        # or the first when none did. Events that only share an id are all kept.
        # Only ids given more than once are compared, body and all: a million events cost an
        # index of their ids, not a sort of their bodies.
        db.execute("CREATE INDEX events_event_id ON events (event_id)")
        removed = db.execute(
            "DELETE FROM events WHERE seq IN (SELECT seq FROM (SELECT seq, named, row_number() OVER ("
            "PARTITION BY event_id, body, named, CASE WHEN named THEN campaign_id END ORDER BY seq) AS copy, "
            "max(named) OVER (PARTITION BY event_id, body) AS any_named FROM events WHERE event_id IN ("
            "SELECT event_id FROM events WHERE event_id IS NOT NULL GROUP BY event_id HAVING count(*) > 1)) "
            "WHERE copy > 1 OR (any_named = 1 AND named = 0))"
        ).rowcount
        db.execute("DROP INDEX events_event_id")
        if removed:
            self.notes.append(
                f"{removed:,} copies of events given more than once (same id, same event) left out"
            )

    def connect(self) -> sqlite3.Connection:
        """A new connection (usable from any thread)."""
        return sqlite3.connect(self.path, check_same_thread=False)

    def close(self) -> None:
        """Remove the database file when it was a temporary one."""
        if self.temporary:
            self.path.unlink(missing_ok=True)

    # --- look-ups -------------------------------------------------------------------

    def contact_id(self, db: sqlite3.Connection, selector: str, value: str) -> str | None:
        """The contact's id for ``selector`` (id, unicity or hash) = ``value``, if known."""
        column = {"id": "id", "unicity": "unicity", "hash": "hash"}[selector]
        row = db.execute(f"SELECT id FROM contacts WHERE {column} = ? LIMIT 1", (value,)).fetchone()
        return None if row is None else str(row[0])

    def campaign_exists(self, db: sqlite3.Connection, campaign_id: str) -> bool:
        """Whether the store serves this campaign (it has an item or an event)."""
        return db.execute("SELECT 1 FROM campaigns WHERE id = ?", (campaign_id,)).fetchone() is not None

    def item_exists(self, db: sqlite3.Connection, item_id: str, channels: Sequence[str]) -> bool:
        """Whether the store serves this action, notification or display content.

        An action or a notification is a campaign item (of an email or text message channel,
        or of the notification channel); a display content is known by its events.
        """
        marks = ", ".join("?" for _ in channels)
        if "display" in channels:
            found = db.execute(
                f"SELECT 1 FROM others WHERE item_id = ? AND channel IN ({marks}) LIMIT 1",
                (item_id, *channels),
            )
        else:
            found = db.execute(
                f"SELECT 1 FROM items WHERE id = ? AND channel IN ({marks})", (item_id, *channels)
            )
        return found.fetchone() is not None

    def sample(self) -> dict[str, Any]:
        """A contact and a campaign that have events, the campaign's actions, and a few
        notifications and display contents: handy for demos and conformance runs."""
        with self.connect() as db:
            row = db.execute(
                "SELECT c.id, c.unicity, c.hash FROM contacts c JOIN events e ON e.contact_id = c.id "
                "GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1"
            ).fetchone()
            campaign = db.execute(
                "SELECT c.id, count(*) FROM campaigns c JOIN events e ON e.campaign_id = c.id "
                "GROUP BY c.id ORDER BY 2 DESC, c.id LIMIT 1"
            ).fetchone()
            items = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM items WHERE campaign_id = ? AND channel = 'email' ORDER BY id",
                    (campaign[0] if campaign else "",),
                )
            ]
            count = db.execute("SELECT count(*) FROM events").fetchone()[0]
            actions = [
                {"id": i, "channel": c}
                for i, c in db.execute(
                    "SELECT id, channel FROM items WHERE campaign_id = ? AND channel IN ('email', 'sms') "
                    "ORDER BY id",
                    (campaign[0] if campaign else "",),
                )
            ]
            notifications = [
                int(i) if i.isascii() and i.isdigit() else i
                for (i,) in db.execute(
                    "SELECT id FROM items WHERE channel = 'notification' ORDER BY id LIMIT 3"
                )
            ]
            contents = [
                i
                for (i,) in db.execute(
                    "SELECT DISTINCT item_id FROM others WHERE channel = 'display' ORDER BY 1 LIMIT 3"
                )
            ]
        return {
            "actions": actions,
            "notifications": notifications,
            "contents": contents,
            "contact": dict(zip(("id", "unicity", "hash"), row, strict=True)) if row else None,
            "campaign": campaign[0] if campaign else None,
            "email_items": items,
            "events": count,
        }

    def manifest(self) -> dict[str, Any]:
        """Every contact (``id``, ``unicity``, ``hash``; null when unknown), campaign
        (``id``, ``items`` with their ``id`` and ``channel``), action (``id``, ``channel``,
        ``campaign``), notification (``id``, an integer, ``campaign``) and display content
        (``id``) the store serves."""
        with self.connect() as db:
            contacts = [
                {"id": i, "unicity": u, "hash": h}
                for i, u, h in db.execute("SELECT id, unicity, hash FROM contacts ORDER BY id")
            ]
            campaigns: dict[str, list[dict[str, str]]] = {}
            for campaign, item, channel in db.execute(
                "SELECT c.id, i.id, i.channel FROM campaigns c LEFT JOIN items i ON i.campaign_id = c.id "
                "ORDER BY c.id, i.id"
            ):
                found = campaigns.setdefault(campaign, [])
                if item is not None:
                    found.append({"id": item, "channel": channel})
            actions = [
                {"id": i, "channel": channel, "campaign": campaign}
                for i, channel, campaign in db.execute(
                    "SELECT id, channel, campaign_id FROM items WHERE channel IN ('email', 'sms') ORDER BY id"
                )
            ]
            notifications = [
                {"id": int(i) if i.isascii() and i.isdigit() else i, "campaign": campaign}
                for i, campaign in db.execute(
                    "SELECT id, campaign_id FROM items WHERE channel = 'notification' ORDER BY id"
                )
            ]
            contents = [
                {"id": i}
                for (i,) in db.execute(
                    "SELECT DISTINCT item_id FROM others WHERE channel = 'display' AND item_id != '' "
                    "ORDER BY 1"
                )
            ]
        return {
            "contacts": contacts,
            "campaigns": [{"id": c, "items": items} for c, items in campaigns.items()],
            "actions": actions,
            "notifications": notifications,
            "contents": contents,
        }

    def showcase(self, limit: int = 5) -> list[dict[str, Any]]:
        """A few contacts worth trying, each with what it has.

        The contact with the most events first, then one each with a bounce, a STOP
        reply, hits by robots, a form hit, a cancellation, no hash: whichever the data
        holds, the first found in the order events were stored (so the same data always
        shows the same contacts, and a million events cost no full count). Each is
        ``{"id", "unicity", "hash", "events", "kinds": {type: count}, "robot_hits",
        "form_hits", "stops"}``.
        """
        features = (
            "e.type = 'bounce'",
            "e.type = 'reply' AND e.keyword = 'STOP'",
            "e.type = 'hit' AND e.robot IS NOT NULL",
            "e.type = 'hit' AND e.subtype = 'form'",
            "e.type = 'cancellation'",
            "c.hash IS NULL",
        )
        first = (self.sample()["contact"] or {}).get("id")
        chosen = [first] if first else []
        with self.connect() as db:
            for feature in features:
                if len(chosen) >= limit:
                    break
                row = db.execute(
                    "SELECT e.contact_id FROM events e JOIN contacts c ON c.id = e.contact_id "
                    f"WHERE {feature} AND e.contact_id NOT IN ({', '.join('?' for _ in chosen)}) "
                    "ORDER BY e.seq LIMIT 1",
                    chosen,
                ).fetchone()
                if row is not None:
                    chosen.append(row[0])
            return [self._described(db, contact) for contact in chosen]

    def _described(self, db: sqlite3.Connection, contact: str) -> dict[str, Any]:
        unicity, hash_ = db.execute("SELECT unicity, hash FROM contacts WHERE id = ?", (contact,)).fetchone()
        kinds: dict[str, int] = {}
        robots = forms = stops = 0
        for kind, subtype, robot, keyword, count in db.execute(
            "SELECT type, subtype, robot IS NOT NULL, keyword, count(*) FROM events WHERE contact_id = ? "
            "GROUP BY 1, 2, 3, 4",
            (contact,),
        ):
            kinds[kind] = kinds.get(kind, 0) + count
            robots += count if kind == "hit" and robot else 0
            forms += count if kind == "hit" and subtype == "form" else 0
            stops += count if kind == "reply" and keyword == "STOP" else 0
        return {
            "id": contact,
            "unicity": unicity,
            "hash": hash_,
            "events": sum(kinds.values()),
            "kinds": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
            "robot_hits": robots,
            "form_hits": forms,
            "stops": stops,
        }

    def select(
        self,
        db: sqlite3.Connection,
        where: str,
        params: Sequence[Any],
        sort: str | None,
        table: str = "events",
    ) -> Iterator[str]:
        """The JSON text of each matching event of ``table`` (``events``, ``others`` or
        ``every_event``: see ``_SCHEMA``), from a cursor."""
        # No ORDER BY without sort: rows come in index order, so the first one leaves
        # at once instead of after a sort of the whole answer (NP6 promises no order).
        # seq is the rowid, the last column of every index: these orders need no sort.
        order = {"asc": " ORDER BY timestamp ASC, seq ASC", "desc": " ORDER BY timestamp DESC, seq DESC"}
        cursor = db.execute(f"SELECT body FROM {table} WHERE {where}{order.get(sort or '', '')}", params)
        while True:
            rows = cursor.fetchmany(1000)
            if not rows:
                return
            for (body,) in rows:
                yield body


def _remember(contacts: dict[str, Contact], contact_id: str, unicity: Any, hash_: Any) -> None:
    # a contact's unicity or hash may show only in some of its events (a text message's
    # receiver is a bare id): keep the first of each that any event gives
    known = contacts.get(contact_id) or Contact(contact_id, "", "", "")
    contacts[contact_id] = Contact(
        contact_id,
        known.unicity or (unicity if isinstance(unicity, str) else ""),
        known.hash or (hash_ if isinstance(hash_, str) else ""),
        "",
    )


def _values(found: dict[str, Any]) -> Iterator[Any]:
    # read when iterated, after the events that fill ``found``
    yield from found.values()


_INSERT = (
    "INSERT INTO {table} (seq, type, subtype, robot, keyword, timestamp, contact_id, campaign_id, item_id, "
    "channel, body, event_id, named) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


_SELECTORS = ("id", "unicity", "hash")


def _receiver(detail: dict[str, Any]) -> dict[str, str]:
    """The contact an event's detail names, whatever its channel.

    An email's receiver is a footprint (``id``, ``unicity``, ``hash``), a text
    message's ``{"type": "id", "value": ID}``, a push notification's ``{"type":
    "contact", "value": {"id": ..., ...}}``; an execution names it ``recipient``, an
    activation ``receiver`` (its ``recipient`` is the address the message went to).
    """
    parts = [detail.get("execution"), detail.get("activation")]
    parts += [part for part in detail.values() if part not in parts]
    for part in parts:
        if not isinstance(part, dict):
            continue
        for name in ("recipient", "receiver"):
            receiver = part.get(name)
            if not isinstance(receiver, dict):
                continue
            found = {k: receiver[k] for k in _SELECTORS if isinstance(receiver.get(k), str) and receiver[k]}
            value = receiver.get("value")
            if isinstance(value, dict):
                inner = {k: value[k] for k in _SELECTORS if isinstance(value.get(k), str) and value[k]}
                found = inner | found
            elif isinstance(value, str) and value:
                kind = receiver.get("type")
                found.setdefault(kind if kind in ("unicity", "hash") else "id", value)
            if found:
                return found
    return {}


def _from_record(
    record: Any, contacts: dict[str, Contact], where: str, campaign: str | None = None
) -> StoredEvent:
    if not isinstance(record, dict):
        raise ValueError(f"{where}: expected a JSON object")
    envelope = "event" in record and isinstance(record["event"], dict)
    body = record["event"] if envelope else record
    if not isinstance(body.get("type"), str) or not isinstance(body.get("timestamp"), int):
        raise ValueError(f"{where}: an event needs a string 'type' and an integer 'timestamp'")
    source = body.get("source") if isinstance(body.get("source"), dict) else {}
    detail = source.get("detail") if isinstance(source.get("detail"), dict) else {}
    part = detail.get("execution") or detail.get("activation") or {}
    part = part if isinstance(part, dict) else {}
    # what the envelope says of the contact (the selector it was asked by) completes the event's own
    contact = _receiver(detail)
    asked = record.get("contact") if envelope else None
    if isinstance(asked, dict):
        contact |= {k: asked[k] for k in _SELECTORS if isinstance(asked.get(k), str) and asked[k]}
    contact_id = contact.get("id")
    item_id = (record.get("item") if envelope else None) or part.get("id")
    display = source.get("type") == "display"
    if display:
        # a display event names its content, and no contact or campaign (DECISIONS #47)
        content = detail.get("content") if isinstance(detail.get("content"), dict) else {}
        item_id, contact_id = content.get("id"), None
    # a notification's id is an integer (DECISIONS #46): kept as its decimal text
    item_id = str(item_id) if isinstance(item_id, int) and not isinstance(item_id, bool) else item_id
    item_id = item_id if isinstance(item_id, str) else None
    named = None if display else campaign or (record.get("campaign") if envelope else None)
    campaign_id = None if display else named or item_id
    if display and not item_id:
        raise ValueError(
            f"{where}: a display event without source.detail.content.id, so no operation would serve it"
        )
    if not contact_id and not campaign_id and not display:
        raise ValueError(
            f"{where}: neither a contact id nor a campaign item found in this event, so no operation "
            'would serve it: wrap it as {"event": ..., "contact": {"id": ...}} or {"event": ..., '
            '"campaign": ...}'
        )
    channel = source.get("type") if isinstance(source.get("type"), str) else "email"
    if contact_id:
        _remember(contacts, contact_id, contact.get("unicity"), contact.get("hash"))
    link = detail.get("link") if isinstance(detail.get("link"), dict) else {}
    client = detail.get("client") if isinstance(detail.get("client"), dict) else {}
    reply = detail.get("reply") if isinstance(detail.get("reply"), dict) else {}
    return StoredEvent(
        body,
        contact_id or "",
        campaign_id or "",
        item_id or "",
        channel,
        subtype=link.get("type"),
        robot=client.get("classification"),
        keyword=str(reply.get("keyword", "")).upper() or None,
        named=bool(named),
    )
