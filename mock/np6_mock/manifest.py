"""``np6 mock --manifest FILE``: what the mock serves, as JSON, for scripts and benchmarks.

``{"contacts": [{"id", "unicity", "hash"}, ...], "campaigns": [{"id", "items":
[{"id", "channel"}, ...]}, ...], "actions": [{"id", "channel", "campaign"}, ...],
"notifications": [{"id", "campaign"}, ...], "contents": [{"id"}, ...]}``, sorted by id; a
``unicity`` or ``hash`` the data does not know is ``null``, a notification's ``id`` is an
integer. Every contact answers 200 on its id (and on its unicity and hash when given),
every campaign on its id, every action on ``/actions/ID/...``, every notification on
``/notifications/N/...`` and every display content on ``/display/content/ID/...``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .store import Store

__all__ = ["write_manifest"]


def write_manifest(store: Store, path: str | os.PathLike[str]) -> Path:
    """Write the manifest of ``store`` to ``path`` atomically; returns the path.

    The file appears complete or not at all: it is written beside its destination,
    flushed to disk, then renamed over it.
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(store.manifest(), out, ensure_ascii=False, indent=1)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
