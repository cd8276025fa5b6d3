"""Where the OpenAPI spec this package was generated from lives, and reading it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["load_spec", "spec_path"]


def spec_path() -> Path:
    """The spec file: shipped inside the wheel, or ``openapi/`` in a source checkout."""
    shipped = resources.files("np6").joinpath("np6-events.yaml")
    if shipped.is_file():
        return Path(str(shipped))
    checkout = Path(__file__).resolve().parents[2] / "openapi" / "np6-events.yaml"
    if checkout.is_file():
        return checkout
    raise FileNotFoundError("np6-events.yaml is neither in the installed package nor in openapi/")


def load_spec() -> dict[str, Any]:
    """The spec as a dictionary (needs PyYAML, installed with the ``mock`` extra)."""
    import yaml

    # libyaml's safe loader when PyYAML has it (its wheels do): the same document, read about
    # four times faster, and every mock, conformance run and test process reads it
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with spec_path().open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader, C or Python
    return loaded
