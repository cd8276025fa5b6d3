"""The sync code generated from ``_async/`` reads as sync code, and its generator fails loudly."""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType

import np6
import np6._sync.client
import np6._sync.streaming
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _make_sync() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sync_under_test", ROOT / "scripts" / "make_sync.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("module", [np6._sync, np6._sync.client, np6._sync.streaming])
def test_no_docstring_or_comment_of_the_sync_code_speaks_of_async(module: ModuleType) -> None:
    source = inspect.getsource(module).split("\n", 1)[1]  # past the "generated from _async" header
    words = re.findall(r"\b(?:[Aa]sync\w*|await|aclose|__a(?:iter|next|enter|exit)__)\b", source)
    assert words == []


def test_the_sync_client_documents_itself_with_sync_code() -> None:
    doc = np6.Client.__doc__ or ""
    assert "with np6.Client() as client:" in doc
    assert "Asynchronous" not in doc
    assert "Asynchronous" in (np6.AsyncClient.__doc__ or "")


def test_a_text_substitution_that_matches_nothing_fails_the_generation() -> None:
    make_sync = _make_sync()
    make_sync.TEXT_SUBSTITUTIONS.append((r"a sentence no source holds", "x"))
    with pytest.raises(SystemExit, match="matches nothing"):
        make_sync.rewrite_text({"client.py": "class Client: ..."})


@pytest.mark.parametrize("path", sorted((ROOT / "tests" / "_sync").glob("*.py")), ids=lambda path: path.name)
def test_the_generated_sync_tests_speak_of_no_async(path: Path) -> None:
    source = path.read_text(encoding="utf-8").split("\n", 1)[1]
    twin = ROOT / "tests" / "_async" / path.name
    assert twin.is_file(), "a module of tests/_sync/ without its source in tests/_async/"
    words = re.findall(r"\b(?:[Aa]sync(?!/)\w*|await|aclose|anext|__a(?:iter|next|enter|exit)__)\b", source)
    assert words == []
