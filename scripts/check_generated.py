"""Fail with a readable diff when generated/ is not what the spec produces.

Regenerates the client into a temporary folder with the same pinned generator,
configuration, custom templates and ruff, then compares it file by file with the
committed tree.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "np6-events.yaml"
CONFIG = ROOT / "openapi" / "generator.yaml"
TEMPLATES = ROOT / "openapi" / "templates"
COMMITTED = ROOT / "generated" / "np6_generated"
IGNORED = {".ruff_cache", "__pycache__"}


def _files(folder: Path) -> set[str]:
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and not IGNORED.intersection(p.relative_to(folder).parts)
    }


def _generate(spec: Path, tmp: Path) -> Path:
    # The post hooks find the ruff config relative to the output folder, so the
    # fresh tree sits at the same depth as generated/np6_generated.
    out = tmp / "generated" / "np6_generated"
    (tmp / "openapi").mkdir()
    # the post hooks read these relative to the output folder (see openapi/generator.yaml)
    for name in ("ruff-generated.toml", "py.typed"):
        shutil.copy(ROOT / "openapi" / name, tmp / "openapi")
    generator = Path(sys.executable).parent / "openapi-python-client"
    command = [
        str(generator),
        "generate",
        "--path",
        str(spec),
        "--config",
        str(CONFIG),
        "--custom-template-path",
        str(TEMPLATES),
        "--meta",
        "none",
        "--output-path",
        str(out),
    ]
    # the post hooks call `ruff`: the pinned one, next to this interpreter
    env = {**os.environ, "PATH": f"{generator.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp, env=env)
    if result.returncode != 0 or not out.is_dir() or "not in PATH" in result.stdout + result.stderr:
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
        raise SystemExit("check-generated: the generator failed on the spec")
    return out


def _differences(fresh_tree: Path, committed_tree: Path) -> list[str]:
    fresh, committed = _files(fresh_tree), _files(committed_tree)
    problems = [f"missing from generated/: {name}" for name in sorted(fresh - committed)]
    problems += [
        f"not produced by the spec (hand-added?): generated/np6_generated/{name}"
        for name in sorted(committed - fresh)
    ]
    for name in sorted(fresh & committed):
        if filecmp.cmp(fresh_tree / name, committed_tree / name, shallow=False):
            continue
        diff = difflib.unified_diff(
            (committed_tree / name).read_text().splitlines(keepends=True),
            (fresh_tree / name).read_text().splitlines(keepends=True),
            fromfile=f"generated/np6_generated/{name} (committed)",
            tofile=f"generated/np6_generated/{name} (from the spec)",
        )
        problems.append("".join(diff))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spec", type=Path, default=SPEC, help="the spec to generate from")
    parser.add_argument("--generated", type=Path, default=COMMITTED, help="the generated tree to compare")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = _generate(args.spec.resolve(), Path(tmp))
        problems = _differences(fresh, args.generated.resolve())
        count = len(_files(fresh))
    if problems:
        print("\n".join(problems))
        print(
            f"check-generated: {len(problems)} difference(s) between generated/ and the spec. "
            "Run `make generate` and commit the result; never edit generated/ by hand.",
            file=sys.stderr,
        )
        return 1
    print(f"check-generated: generated/ matches {args.spec.name} ({count} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
