"""The documented code type-checks as written: mypy --strict and pyright (strict) on each block.

Every ```python block of README.md and docs/*.md is written to a file of its own (as a
user would paste it), next to ``tests/typing_usage.py``, and both checkers run on them
with the project's environment. Errors are given with the Markdown file and line they
come from. Run by ``make lint-types`` (part of ``make lint`` and ``make test``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
TYPING_USAGE = ROOT / "tests" / "typing_usage.py"
PYRIGHT = ROOT / "node_modules" / ".bin" / "pyright"


@dataclass(frozen=True)
class Block:
    """One Python block of a Markdown file: where it starts and what it says."""

    document: Path
    line: int  # of the block's first code line, 1-based
    code: str

    @property
    def module(self) -> str:
        stem = re.sub(r"\W", "_", self.document.stem.lower())
        return f"{stem}_line_{self.line}"


def blocks(documents: list[Path]) -> list[Block]:
    """Every ```python block of ``documents``, in order."""
    found: list[Block] = []
    for document in documents:
        text = document.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match.group(1) == "python":
                line = text.count("\n", 0, match.start(2)) + 1
                found.append(Block(document, line, match.group(2)))
    return found


def documents() -> list[Path]:
    """README.md and every docs/*.md."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _where(output: str, written: dict[str, Block]) -> str:
    """The checkers' output with each block's file:line replaced by its Markdown file:line."""

    def replace(match: re.Match[str]) -> str:
        block = written.get(Path(match.group(1)).stem)
        if block is None:
            return match.group(0)
        return f"{block.document.relative_to(ROOT)}:{block.line + int(match.group(2)) - 1}"

    return re.sub(r"(\S+\.py):(\d+)", replace, output)


def check(found: list[Block], tmp: Path, *, usage: bool = True, cache: Path | None = None) -> int:
    """Run both checkers on ``found`` (and tests/typing_usage.py); the number that failed.

    ``cache`` is mypy's cache folder (default: the project's, as ``make lint-python`` uses).
    """
    written = {block.module: block for block in found}
    paths = []
    for name, block in written.items():
        path = tmp / f"{name}.py"
        path.write_text(block.code, encoding="utf-8")
        paths.append(path)
    if usage:
        shutil.copy(TYPING_USAGE, tmp / TYPING_USAGE.name)
        paths.append(tmp / TYPING_USAGE.name)
    failed = 0

    mypy = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml")]
    mypy += ["--cache-dir", str(cache or ROOT / ".mypy_cache")]
    result = subprocess.run([*mypy, *map(str, paths)], capture_output=True, text=True, check=False, cwd=tmp)
    print(f"mypy --strict: {_where(result.stdout.strip(), written)}")
    failed += result.returncode != 0

    config = {"typeCheckingMode": "strict", "pythonVersion": "3.11", "include": [p.name for p in paths]}
    (tmp / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    pyright = [str(PYRIGHT), "--pythonpath", sys.executable, "--project", str(tmp)]
    result = subprocess.run(pyright, capture_output=True, text=True, check=False, cwd=tmp)
    print(f"pyright (strict): {_where(result.stdout.strip(), written)}")
    failed += result.returncode != 0
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--list", action="store_true", help="list the blocks found and stop")
    args = parser.parse_args()
    found = blocks(documents())
    if args.list:
        for block in found:
            print(f"{block.document.relative_to(ROOT)}:{block.line}")
        return 0
    print(f"{len(found)} Python blocks in README.md and docs/, and {TYPING_USAGE.relative_to(ROOT)}")
    with tempfile.TemporaryDirectory(prefix="np6-typing-") as tmp:
        return 1 if check(found, Path(tmp)) else 0


if __name__ == "__main__":
    sys.exit(main())
