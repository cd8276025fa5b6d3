"""`make lint-types` checks what the README shows: every block, and it fails on a wrong one."""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check_typing() -> object:
    spec = importlib.util.spec_from_file_location("check_typing", ROOT / "scripts" / "check_typing.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_typing"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


check_typing: object = _check_typing()


def test_every_python_block_of_the_readme_is_checked() -> None:
    found = check_typing.blocks(check_typing.documents())  # type: ignore[attr-defined]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len([b for b in found if b.document.name == "README.md"]) == readme.count("```python\n")
    assert len(found) >= 3
    for block in found:
        lines = block.document.read_text(encoding="utf-8").splitlines()
        assert lines[block.line - 2].startswith("```python"), (block.document, block.line)
        assert lines[block.line - 1] == block.code.splitlines()[0]


PYRIGHT_MISSING = not check_typing.PYRIGHT.exists()  # type: ignore[attr-defined]


@pytest.mark.skipif(PYRIGHT_MISSING, reason="pyright not installed (make install)")
def test_a_block_that_misuses_the_api_fails_both_checkers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = "import np6\n\ndef first(event: np6.Event) -> str:\n    return event.source.detail.link.kind\n"
    block = check_typing.Block(ROOT / "README.md", 100, wrong)  # type: ignore[attr-defined]
    work = tmp_path / "blocks"
    work.mkdir()
    # a copy of the project's mypy cache when there is one (make lint-python fills it): mypy
    # then re-reads np6 and its dependencies from it (about 1 s of CPU, not 20), and checks
    # what changed since, so the verdict is the one a cold cache gives; a copy, because a
    # checker writing the project's cache at the same moment must not see this test's block
    cache = tmp_path / "cache"
    # none yet, or a file replaced while copied: mypy redoes what it cannot read
    with contextlib.suppress(FileNotFoundError, shutil.Error):
        shutil.copytree(ROOT / ".mypy_cache", cache)
    failed = check_typing.check([block], work, usage=False, cache=cache)  # type: ignore[attr-defined]
    assert failed == 2
    out = capsys.readouterr().out
    # each checker names the line of the Markdown file, and the missing narrowing
    assert out.count("README.md:103") >= 2
    assert "union-attr" in out
    assert "reportOptionalMemberAccess" in out or "reportAttributeAccessIssue" in out
