"""Helpers shared by the tests."""

from __future__ import annotations

import json
from typing import Any

from np6_mock import Store


def events_in_db(store: Store, where: str = "1=1", params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Every stored event matching ``where``, as the server would send it."""
    with store.connect() as db:
        return [json.loads(body) for (body,) in db.execute(f"SELECT body FROM events WHERE {where}", params)]
