"""The generation pipeline: drift between spec and generated/ is caught and named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECK = [sys.executable, str(ROOT / "scripts" / "check_generated.py")]


def test_generated_matches_the_committed_spec() -> None:
    result = subprocess.run(CHECK, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "generated/ matches np6-events.yaml" in result.stdout


def test_a_description_edited_in_the_spec_is_drift_naming_the_file(tmp_path: Path) -> None:
    spec = (ROOT / "openapi" / "np6-events.yaml").read_text()
    old = "description: A tracked link that redirects to a destination."
    assert spec.count(old) == 1
    edited = tmp_path / "np6-events.yaml"
    edited.write_text(spec.replace(old, "description: A tracked link, followed to its destination."))
    result = subprocess.run(
        [*CHECK, "--spec", str(edited)], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 1
    assert "generated/np6_generated/models/redirection_link.py (committed)" in result.stdout
    assert '-    """A tracked link that redirects to a destination.' in result.stdout
    assert '+    """A tracked link, followed to its destination.' in result.stdout
    assert "Run `make generate`" in result.stderr


def test_a_hand_edit_of_generated_code_is_drift(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "np6_generated"
    shutil.copytree(ROOT / "generated" / "np6_generated", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "models" / "hit_event.py"
    target.write_text(target.read_text().replace("timestamp: int", "timestamp: int | str", 1))
    (copy / "models" / "extra.py").write_text("# hand-made\n")
    result = subprocess.run(
        [*CHECK, "--generated", str(copy)], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 1
    assert "models/hit_event.py" in result.stdout
    assert "not produced by the spec (hand-added?): generated/np6_generated/models/extra.py" in result.stdout
