"""The distribution: one wheel with both packages and the mock, typed, with the spec.

And what a user does with it: a fresh virtual environment, ``pip install`` of the wheel
with the mock extra, ``np6 mock``, and a README example against it, all from the installed
files, none from this repository.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ANCHOR
from test_readme import blocks

ROOT = Path(__file__).resolve().parent.parent

# one worker for the module under pytest-xdist (--dist loadgroup): the wheel is built once
pytestmark = pytest.mark.xdist_group("packaging")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("wheel")
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
    (built,) = tmp_path.glob("np6-*.whl")
    return built


def test_the_wheel_holds_everything_a_user_imports(wheel: Path) -> None:
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
    assert not any(".ruff_cache" in name or "__pycache__" in name for name in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Requires-Python: >=3.11" in metadata
    for version in ("3.11", "3.12", "3.13"):
        assert f"Classifier: Programming Language :: Python :: {version}" in metadata
    for extra in ("mock", "conformance", "dlt", "postgres"):
        assert f"Provides-Extra: {extra}" in metadata
    entry_points = (
        zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    )
    assert "np6 = np6._cli:main" in entry_points


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel and its mock extra, pinned as the project is."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    # without a pip of its own: the project's pip installs into it (`pip --python`), as it
    # would its own, and the copy of pip that ensurepip installs (7 s of CPU) is not needed
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(ROOT / "requirements" / "constraints.txt"),
            f"{wheel}[mock]",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin"


@pytest.fixture(scope="module")
def installed_mock(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``np6 mock`` of the installed wheel, started from a folder that holds nothing of the repository."""
    workdir = tmp_path_factory.mktemp("user")
    env = {"PATH": f"{installed}:/usr/bin:/bin", "HOME": str(workdir), "NP6_MOCK_API_KEY": "np6-mock-key"}
    mock = subprocess.Popen(
        [str(installed / "np6"), "mock", "--port", "0", "--anchor", ANCHOR.isoformat()],
        cwd=workdir,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert mock.stderr is not None
    banner = [mock.stderr.readline()]
    found = re.search(r"serving (http://\S+)", banner[0])
    assert found, banner
    yield found.group(1)
    mock.send_signal(signal.SIGINT)
    assert mock.wait(timeout=60) == 0


def test_the_installed_wheel_runs_the_mock_and_a_readme_example(
    installed: Path, installed_mock: str, tmp_path: Path
) -> None:
    env = {
        "PATH": f"{installed}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NP6_BASE_URL": installed_mock,
        "NP6_API_KEY": "np6-mock-key",
    }
    where = subprocess.run(
        [str(installed / "python"), "-c", "import np6, np6_mock, np6.spec; print(np6.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
        timeout=120,
    ).stdout
    assert str(installed.parent) in where and str(ROOT) not in where  # the wheel's files, not the clone's
    example = blocks("python")[0]  # the README's first example: a contact's events, typed
    result = subprocess.run(
        [str(installed / "python"), "-c", example],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) >= 5, result.stdout
    command = subprocess.run(
        [str(installed / "np6"), "events", "--id", "00348CVX", "--kind", "hits", "--format", "csv"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=300,
    )
    assert command.returncode == 0, command.stderr
    assert command.stdout.startswith("type,id,timestamp"), command.stdout[:200]
