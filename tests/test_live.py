"""Live conformance: the same server-against-spec suite, against NP6 itself.

Runs only when ``NP6_LIVE_BASE_URL`` and ``NP6_API_KEY`` are set (read-only calls;
contact and campaign ids from ``NP6_CONFORMANCE_*``); otherwise it is skipped with
the reason shown in the summary.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers import NP6

LIVE_URL = os.environ.get("NP6_LIVE_BASE_URL")
KEY = os.environ.get("NP6_API_KEY")

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not (LIVE_URL and KEY), reason="live conformance needs NP6_LIVE_BASE_URL and NP6_API_KEY (not set)"
    ),
]


def test_the_live_api_conforms_to_the_spec(tmp_path: Path) -> None:
    junit = Path(os.environ.get("NP6_LIVE_JUNIT", tmp_path / "junit-live.xml"))
    result = subprocess.run(
        [
            NP6,
            "conformance",
            "--base-url",
            str(LIVE_URL),
            "--junit-xml",
            str(junit),
            "--max-examples",
            os.environ.get("NP6_LIVE_MAX_EXAMPLES", "10"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    assert KEY not in result.stdout + result.stderr
    assert result.returncode == 0, result.stdout[-5000:]
