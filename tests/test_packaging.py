"""The distribution: one wheel with both packages and the mock, typed, with the spec."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_holds_everything_a_user_imports(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("np6-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "np6/__init__.py",
        "np6/py.typed",
        "np6/np6-events.yaml",
        "np6_generated/py.typed",
        "np6_generated/api/contact_events/get_target_hits.py",
        "np6_mock/app.py",
        "np6_mock/py.typed",
    ):
        assert required in names, required
    # the maintainers' tools are a distribution of their own (maint/): no user installs them
    assert not any(name.startswith(("np6_maint/", "np6/docs/", "np6/specdiff/")) for name in names)
    assert "np6/acknowledged.yaml" not in names
    assert not any(".ruff_cache" in name or "__pycache__" in name for name in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Requires-Python: >=3.11" in metadata
    entry_points = (
        zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    )
    assert "np6 = np6.cli:main" in entry_points
