"""Live conformance: check any NP6 server (or the mock) against the spec.

Runs schemathesis' CLI with every check, positive and negative data, a bounded number
of examples and a JUnit XML report. The key travels in an environment variable read
by a generated config file, never on a command line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import attrs

from .spec import spec_path

__all__ = ["ConformanceRun", "run_conformance"]

_CONFIG = """\
[headers]
"X-Key" = "${NP6_API_KEY}"
"""


@attrs.frozen
class ConformanceRun:
    """What to check and how hard."""

    base_url: str
    api_key: str = attrs.field(repr=False)
    junit_xml: Path | None = None
    max_examples: int = 20
    seed: int = 1
    contact_id: str | None = None
    unicity: str | None = None
    hash: str | None = None
    campaign_id: str | None = None
    workers: int = 1
    extra_args: tuple[str, ...] = ()


def command(run: ConformanceRun, config_file: Path) -> list[str]:
    """The schemathesis command line for ``run`` (holds no secret)."""
    args = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config_file),
        "run",
        str(spec_path()),
        "--url",
        run.base_url,
        "--checks",
        "all",
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(run.max_examples),
        "--seed",
        str(run.seed),
        "--workers",
        str(run.workers),
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "30",
    ]
    if run.junit_xml is not None:
        args += ["--report", "junit", "--report-junit-path", str(Path(run.junit_xml).resolve())]
    return args + list(run.extra_args)


def run_conformance(run: ConformanceRun) -> int:
    """Run the suite; returns schemathesis' exit code (0 passed, 1 failures, 2 error)."""
    env = {
        **os.environ,
        "NP6_API_KEY": run.api_key,
        "SCHEMATHESIS_HOOKS": "np6.conformance_hooks",
        "NP6_CONFORMANCE_ID": run.contact_id or "",
        "NP6_CONFORMANCE_UNICITY": run.unicity or "",
        "NP6_CONFORMANCE_HASH": run.hash or "",
        "NP6_CONFORMANCE_CAMPAIGN_ID": run.campaign_id or "",
    }
    with tempfile.TemporaryDirectory(prefix="np6-conformance-") as folder:
        config = Path(folder) / "schemathesis.toml"
        config.write_text(_CONFIG, encoding="utf-8")
        # schemathesis keeps a crash cache in its working folder; each run starts afresh
        return subprocess.run(command(run, config), env=env, cwd=folder, check=False).returncode
