"""The OpenAPI spec the mock serves by: the file the np6 wheel ships, or ``openapi/`` in a checkout.

The mock reads the file itself rather than through np6's code, so that it depends on
the client only through the client's public names (and this one data file).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["load_spec"]

_NAME = "np6-events.yaml"


def load_spec() -> dict[str, Any]:
    """The spec as a dictionary."""
    candidates = (
        Path(str(resources.files("np6").joinpath(_NAME))),
        Path(__file__).resolve().parents[2] / "openapi" / _NAME,
    )
    found = next((path for path in candidates if path.is_file()), None)
    if found is None:
        raise FileNotFoundError(f"{_NAME} is neither in the installed np6 package nor in openapi/")
    loaded: dict[str, Any] = yaml.safe_load(found.read_text(encoding="utf-8"))
    return loaded
