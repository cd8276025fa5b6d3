"""Reading a spec from a file or, with ``git:REV``, from a revision of the repository."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import np6

from .expansion import ExpansionError, expanded_size

__all__ = ["DEFAULT_SPEC_IN_REPOSITORY", "SpecSourceError", "load_source"]

DEFAULT_SPEC_IN_REPOSITORY = "openapi/np6-events.yaml"
_GIT_TIMEOUT = 60


class SpecSourceError(np6.Error):
    """A spec to compare could not be read."""


def load_source(source: str, cwd: Path | None = None) -> dict[str, Any]:
    """The spec named by ``source``: a file path, ``git:REV`` or ``git:REV:PATH``.

    ``git:REV`` is ``openapi/np6-events.yaml`` at that revision of the repository
    the working directory is in.
    """
    import yaml

    if source.startswith("git:"):
        text = _git_show(source, cwd or Path.cwd())
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise SpecSourceError(f"{source}: cannot be read: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise SpecSourceError(f"{source}: not UTF-8 text") from None
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SpecSourceError(f"{source}: not YAML: {' '.join(str(error).split())[:200]}") from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("paths", {}), dict):
        raise SpecSourceError(f"{source}: not an OpenAPI document")
    try:
        # the differ walks the document as a tree: YAML aliases must not make that tree huge
        expanded_size(loaded)
    except ExpansionError as error:
        raise SpecSourceError(f"{source}: its YAML aliases (*name) {error}; refused") from None
    return loaded


def _git_show(source: str, cwd: Path) -> str:
    revision, _, path = source[len("git:") :].partition(":")
    if not revision:
        raise SpecSourceError(f"{source}: name a revision, as in git:HEAD")
    top = _git(["rev-parse", "--show-toplevel"], cwd, source).strip()
    return _git(["show", f"{revision}:{path or DEFAULT_SPEC_IN_REPOSITORY}"], Path(top), source)


def _git(arguments: list[str], cwd: Path, source: str) -> str:
    try:
        done = subprocess.run(
            ["git", *arguments], cwd=cwd, capture_output=True, timeout=_GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SpecSourceError(f"{source}: git could not be run: {error}") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
        raise SpecSourceError(f"{source}: {message or 'git failed'}")
    try:
        return done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecSourceError(f"{source}: not UTF-8 text") from None
