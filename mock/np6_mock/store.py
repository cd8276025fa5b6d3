"""The mock's data: an SQLite database indexed for the queries the API makes."""

from __future__ import annotations

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
CREATE TABLE items (id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, channel TEXT NOT NULL);
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
    body TEXT NOT NULL
);
"""
_INDEXES = """
CREATE INDEX contacts_unicity ON contacts (unicity);
CREATE INDEX contacts_hash ON contacts (hash);
CREATE INDEX events_contact ON events (contact_id, type, timestamp);
CREATE INDEX events_contact_time ON events (contact_id, timestamp);
CREATE INDEX events_campaign ON events (campaign_id, timestamp);
CREATE INDEX events_item ON events (item_id, type, timestamp);
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

    @classmethod
    def generated(
        cls,
        path: str | None = None,
        *,
        seed: int = 6,
        contacts: int = 50,
        campaigns: int = 3,
        events: int = 2000,
    ) -> Store:
        """A store filled with the deterministic data set (see :mod:`np6_mock.dataset`)."""
        store = cls._create(path)
        people, items, stream = generate(seed=seed, contacts=contacts, campaigns=campaigns, events=events)
        store._fill(people, items, stream)
        return store

    @classmethod
    def from_jsonl(cls, source: str | os.PathLike[str], path: str | None = None) -> Store:
        """A store holding the events of a JSON Lines file, one event per line.

        A line is either an event, whose contact and item come from its
        ``source.detail`` (receiver or recipient; execution or activation id), or an
        envelope ``{"event": {...}, "contact": {"id", "unicity", "hash"},
        "campaign": "...", "item": "..."}``.
        """
        store = cls._create(path)
        contacts: dict[str, Contact] = {}
        items: dict[str, Item] = {}

        def events() -> Iterator[StoredEvent]:
            with open(source, encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except ValueError as exc:
                        raise ValueError(f"{source}:{number}: not JSON ({exc})") from None
                    yield _from_record(record, contacts, items, f"{source}:{number}")

        store._fill([], [], events())
        store._add(contacts.values(), items.values())
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

    def _add(self, contacts: Iterable[Contact], items: Iterable[Item]) -> None:
        with self.connect() as db:
            db.executemany(
                "INSERT OR IGNORE INTO contacts VALUES (?, ?, ?)",
                [(c.id, c.unicity, c.hash) for c in contacts],
            )
            db.executemany(
                "INSERT OR IGNORE INTO items VALUES (?, ?, ?)",
                [(i.id, i.campaign_id, i.channel) for i in items],
            )

    def _fill(
        self, contacts: Sequence[Contact], items: Sequence[Item], events: Iterable[StoredEvent]
    ) -> None:
        self._add(contacts, items)
        db = self.connect()
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            batch: list[tuple[Any, ...]] = []
            for event in events:
                batch.append(
                    (
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
                    )
                )
                if len(batch) >= _BATCH:
                    db.executemany(_INSERT, batch)
                    batch.clear()
            db.executemany(_INSERT, batch)
            db.executescript(_INDEXES)
            db.commit()
        finally:
            db.close()

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
        """Whether the campaign has any item."""
        return (
            db.execute("SELECT 1 FROM items WHERE campaign_id = ? LIMIT 1", (campaign_id,)).fetchone()
            is not None
        )

    def sample(self) -> dict[str, Any]:
        """A contact and a campaign that have events: handy for demos and conformance runs."""
        with self.connect() as db:
            row = db.execute(
                "SELECT c.id, c.unicity, c.hash FROM contacts c JOIN events e ON e.contact_id = c.id "
                "GROUP BY c.id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()
            campaign = db.execute(
                "SELECT campaign_id, count(*) FROM events GROUP BY campaign_id ORDER BY 2 DESC LIMIT 1"
            ).fetchone()
            items = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM items WHERE campaign_id = ? AND channel = 'email'",
                    (campaign[0] if campaign else "",),
                )
            ]
            count = db.execute("SELECT count(*) FROM events").fetchone()[0]
        return {
            "contact": dict(zip(("id", "unicity", "hash"), row, strict=True)) if row else None,
            "campaign": campaign[0] if campaign else None,
            "email_items": items,
            "events": count,
        }

    def select(
        self, db: sqlite3.Connection, where: str, params: Sequence[Any], sort: str | None
    ) -> Iterator[str]:
        """The JSON text of each matching event, from a cursor."""
        # No ORDER BY without sort: rows come in index order, so the first one leaves
        # at once instead of after a sort of the whole answer (NP6 promises no order).
        # seq is the rowid, the last column of every index: these orders need no sort.
        order = {"asc": " ORDER BY timestamp ASC, seq ASC", "desc": " ORDER BY timestamp DESC, seq DESC"}
        cursor = db.execute(f"SELECT body FROM events WHERE {where}{order.get(sort or '', '')}", params)
        while True:
            rows = cursor.fetchmany(1000)
            if not rows:
                return
            for (body,) in rows:
                yield body


_INSERT = (
    "INSERT INTO events (type, subtype, robot, keyword, timestamp, contact_id, campaign_id, item_id, "
    "channel, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _from_record(
    record: Any, contacts: dict[str, Contact], items: dict[str, Item], where: str
) -> StoredEvent:
    if not isinstance(record, dict):
        raise ValueError(f"{where}: expected a JSON object")
    envelope = "event" in record and isinstance(record["event"], dict)
    body = record["event"] if envelope else record
    detail = ((body.get("source") or {}).get("detail") or {}) if isinstance(body.get("source"), dict) else {}
    part = detail.get("execution") or detail.get("activation") or {}
    receiver = (
        part.get("recipient") if isinstance(part.get("recipient"), dict) else part.get("receiver") or {}
    )
    contact = record.get("contact") if envelope else None
    if not isinstance(contact, dict):
        contact = {
            "id": receiver.get("id") or receiver.get("value"),
            "unicity": receiver.get("unicity"),
            "hash": receiver.get("hash"),
        }
    contact_id = contact.get("id") if isinstance(contact.get("id"), str) else None
    item_id = record.get("item") if envelope else None
    item_id = item_id or part.get("id")
    campaign_id = (record.get("campaign") if envelope else None) or item_id
    channel = (body.get("source") or {}).get("type", "email")
    if contact_id:
        contacts.setdefault(
            contact_id, Contact(contact_id, contact.get("unicity") or "", contact.get("hash") or "", "")
        )
    if item_id and campaign_id:
        items.setdefault(item_id, Item(item_id, campaign_id, channel))
    if not isinstance(body.get("type"), str) or not isinstance(body.get("timestamp"), int):
        raise ValueError(f"{where}: an event needs a string 'type' and an integer 'timestamp'")
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
    )
