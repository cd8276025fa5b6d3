#!/usr/bin/env bash
# Make np6's implementation modules underscore-private (issue 23, item 6), in one commit's worth
# of changes: git mv, then every import and mention rewritten, then `make generate`.
#
#   scripts/privatize.sh            rename every module of overrides/np6 that is neither private
#                                   nor documented (DOCUMENTED_MODULES in tests/test_layers.py)
#   scripts/privatize.sh --dry-run  print the plan, change nothing
#   scripts/privatize.sh errors ... rename only these (each must be a public module of np6)
#
# What it rewrites, in overrides/ maint/ mock/ tests/ bench/ scripts/ docs/, README.md,
# pyproject.toml and Makefile (for each renamed module M):
#   - relative imports inside np6 (`from .M import`, `from ..M.x import`), resolved from the
#     file's own package, so that `from . import conformance` inside np6/cli/ (np6.cli.conformance)
#     is left alone;
#   - `from . import M` / `from np6 import M` (M then used as `M.x`): the name becomes `_M`
#     (and its uses); `from . import M as M` (the re-exports for type checkers in
#     np6/__init__.py) is dropped; in maint/ and mock/, which may use np6's public names only,
#     `from np6 import M` becomes `import np6` and `M.x` becomes `np6.x` (the names of every
#     module np6 re-exports are in np6.__all__; mypy says so if one is not);
#   - `np6.M` anywhere (dotted paths, strings such as SCHEMATHESIS_HOOKS, the entry point
#     np6.cli:main, docs), `overrides/np6/M.py` and `overrides/np6/M/` paths, `M.py` in backticks;
#   - np6/__init__.py's tables: `_HOME` and `_ALL_OF` (".M" becomes "._M") and `_SUBMODULES`
#     (M leaves it: a private module is no attribute of np6);
# then removes the xfail marker of the layers test that checks the result, runs
# `make generate` (np6/_sync/, tests/_sync/, np6/_fields.pyi), ruff's import sorting and
# formatter, and `make lint-python`. Commit the result yourself after the tests.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
PYTHON=${PYTHON:-.venv/bin/python}
test -x "$PYTHON" || { echo "privatize.sh: $PYTHON missing: run make install" >&2; exit 1; }
if [[ "${1:-}" != "--dry-run" ]] && ! git diff --quiet HEAD; then
  echo "privatize.sh: the work tree has uncommitted changes; commit or stash them first" >&2
  exit 1
fi

"$PYTHON" - "$@" <<'PY'
from __future__ import annotations

import ast
import io
import re
import shutil
import tokenize
import subprocess
import sys
from pathlib import Path

ROOT = Path.cwd()
PACKAGE = ROOT / "overrides" / "np6"
LAYERS_TEST = ROOT / "tests" / "test_layers.py"
MARKER = "# privatize.sh: remove this line"
TREES = ["overrides", "maint", "mock", "tests", "bench", "scripts", "docs"]
FILES = ["README.md", "pyproject.toml", "maint/pyproject.toml", "Makefile"]
SUFFIXES = {".py", ".pyi", ".md", ".toml", ".yaml", ".yml", ".sh", ".txt", ".cfg", ".ini"}
OTHER_PACKAGES = ("maint/", "mock/")  # layer-checked: np6's public names only


def documented() -> tuple[str, ...]:
    tree = ast.parse(LAYERS_TEST.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DOCUMENTED_MODULES" for t in node.targets
        ):
            return tuple(ast.literal_eval(node.value))
    raise SystemExit("privatize.sh: no DOCUMENTED_MODULES in tests/test_layers.py")


def public_modules() -> list[str]:
    found = []
    for entry in sorted(PACKAGE.iterdir()):
        name = entry.name.split(".")[0]
        if name.startswith("_"):
            continue
        if (entry.suffix in (".py", ".pyi")) or (entry.is_dir() and (entry / "__init__.py").is_file()):
            found.append(name)
    return sorted(set(found))


args = [a for a in sys.argv[1:] if a != "--dry-run"]
dry_run = "--dry-run" in sys.argv[1:]
keep = documented()
candidates = [m for m in public_modules() if m not in keep]
if args:
    unknown = sorted(set(args) - set(public_modules()))
    if unknown:
        raise SystemExit(f"privatize.sh: not a public module of np6: {', '.join(unknown)}")
    modules = sorted(args)
else:
    modules = candidates
print(f"documented, kept public: {', '.join(f'np6.{m}' for m in keep)}")
print(f"renamed: {', '.join(f'np6.{m} -> np6._{m}' for m in modules) or 'nothing'}")
if dry_run or not modules:
    sys.exit(0)

# 1. the files move
for m in modules:
    source = PACKAGE / m if (PACKAGE / m).is_dir() else PACKAGE / f"{m}.py"
    target = source.with_name("_" + source.name)
    if target.exists():
        tracked = subprocess.run(["git", "ls-files", str(target)], capture_output=True, text=True, check=True)
        if tracked.stdout.strip():
            raise SystemExit(f"privatize.sh: {target.relative_to(ROOT)} exists already")
        # what an earlier run left (__pycache__): git mv would move the package inside it
        shutil.rmtree(target)
    subprocess.run(["git", "mv", str(source.relative_to(ROOT)), str(target.relative_to(ROOT))], check=True)

names = "|".join(sorted(modules, key=len, reverse=True))
DOTTED = re.compile(rf"(?<![\w.])(np6|np6_lib)\.({names})\b")
PATH = re.compile(rf"\boverrides/np6/({names})(\.py\b|/)")
BACKTICKED = re.compile(rf"`({names})\.py`")
FROM_RELATIVE = re.compile(r"^(\s*)from (\.+)([\w.]*) import (.*)$")
FROM_NP6 = re.compile(r"^(\s*)from np6 import (.*)$")


# files that write code into np6: their relative imports are read as np6's own
EMITTERS = {ROOT / "scripts" / "make_fields.py": ["np6"]}  # the header of np6/_fields.pyi


def package_of(path: Path) -> list[str] | None:
    """The dotted package a file of np6 belongs to (``["np6", "_cli"]``), None outside np6."""
    if path in EMITTERS:
        return EMITTERS[path]
    try:
        relative = path.relative_to(PACKAGE)
    except ValueError:
        return None
    return ["np6", *relative.parts[:-1]]


def split_names(text: str) -> list[str]:
    return [part.strip() for part in text.split("#")[0].strip().strip("()").split(",") if part.strip()]


def rename_names(text: str, renames: dict[str, str]) -> str:
    """The code's uses of each name (tokens, not strings or comments, not ``x.name``) renamed."""
    lines = text.split("\n")
    skipped = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type not in skipped]
    edits = [
        (token.start, token.string)
        for before, token, after in zip([None, *tokens[:-1]], tokens, [*tokens[1:], None], strict=True)
        if token.type == tokenize.NAME
        and token.string in renames
        and (before is None or before.string != ".")  # x.events is another thing
        and (after is None or after.string != "=")  # a keyword argument events=...
    ]
    for (row, column), name in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:column] + renames[name] + line[column + len(name) :]
    return "\n".join(lines)


def rewrite(path: Path, text: str) -> str:
    package = package_of(path)
    is_python = path.suffix in (".py", ".pyi")
    other = str(path.relative_to(ROOT)).startswith(OTHER_PACKAGES)
    used: set[str] = set()  # modules bound by a bare import: their `M.x` uses follow
    via_np6: set[str] = set()  # (maint, mock) modules whose `M.x` become `np6.x`
    out = []
    for line in text.split("\n"):
        match = FROM_RELATIVE.match(line) if is_python and package else None
        if match:
            indent, dots, module, imported = match.groups()
            base = package[: len(package) - len(dots) + 1]
            full = [*base, *module.split(".")] if module else list(base)
            if len(full) >= 2 and full[1] in modules and len(base) == 1:
                full[1] = "_" + full[1]
                line = f"{indent}from {dots}{'.'.join(full[len(base):])} import {imported}"
            elif not module and base == ["np6"]:
                kept = []
                for item in split_names(imported):
                    name, _, alias = item.partition(" as ")
                    if name in modules and alias.strip() == name:
                        continue  # a re-export for type checkers of a module now private
                    if name in modules:
                        if alias:
                            item = f"_{name} as {alias.strip()}"  # bound to its alias: uses unchanged
                        else:
                            used.add(name)
                            item = "_" + name
                    kept.append(item)
                if not kept:
                    continue
                comment = "  #" + imported.split("#", 1)[1] if "#" in imported else ""
                line = f"{indent}from {dots} import {', '.join(kept)}{comment}"
        match = FROM_NP6.match(line) if is_python else None
        if match:
            indent, imported = match.groups()
            items = split_names(imported)
            hits = [i for i in items if i in modules]
            if hits:
                rest = [i for i in items if i not in modules]
                if other:
                    via_np6.update(hits)
                    line = f"{indent}import np6" + (f"\n{indent}from np6 import {', '.join(rest)}" if rest else "")
                else:
                    used.update(hits)
                    line = f"{indent}from np6 import {', '.join(('_' + i) if i in modules else i for i in items)}"
        out.append(line)
    text = "\n".join(out)
    if used or via_np6:
        text = rename_names(text, {**{m: "_" + m for m in used}, **{m: "np6" for m in via_np6}})
    text = DOTTED.sub(r"\1._\2", text)
    text = PATH.sub(r"overrides/np6/_\1\2", text)
    text = BACKTICKED.sub(r"`_\1.py`", text)
    if path == PACKAGE / "__init__.py":
        text = re.sub(rf'"\.({names})"', r'"._\1"', text)
        start = text.index("_SUBMODULES = frozenset(")
        end = text.index(")\n", text.index("}", start)) + 2
        block = re.sub(rf'^\s*"({names})",\n', "", text[start:end], flags=re.MULTILINE)
        text = text[:start] + block + text[end:]
    return text


listed = subprocess.run(["git", "ls-files", *TREES, *FILES], capture_output=True, text=True, check=True)
changed = 0
for relative in listed.stdout.split():
    path = ROOT / relative
    if relative == "scripts/privatize.sh" or not path.is_file():
        continue
    if path.suffix not in SUFFIXES and path.name != "Makefile":
        continue
    before = path.read_text(encoding="utf-8")
    after = rewrite(path, before)
    if path == LAYERS_TEST:
        after = "\n".join(line for line in after.split("\n") if MARKER not in line)
    if after != before:
        path.write_text(after, encoding="utf-8")
        changed += 1
print(f"rewrote {changed} files")
PY

if [[ "${1:-}" == "--dry-run" ]]; then exit 0; fi
# pyproject.toml's entry point may have changed: the editable install's `np6` script with it
make generate
.venv/bin/ruff check --fix-only --select I001 --quiet overrides maint mock tests bench scripts || true
.venv/bin/ruff format --quiet overrides maint mock tests bench scripts
make lint-python
echo "privatize.sh: done; run make check-generated and the tests (test_imports, test_public_api, test_layers, test_readme), then commit"
