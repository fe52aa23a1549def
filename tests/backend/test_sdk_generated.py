"""The committed merchant SDK is exactly what the pinned generator writes from the routes now:
``scripts/generate_sdk.sh --check`` builds the merchant document, runs openapi-python-client
(.venv-sdk) on it into a temporary folder and compares every file, so a route changed without
regenerating, or a hand edit to generated code, fails here with the files it touched named.
(tests/unit/test_sdk_fresh.py compares the document and its hash alone, in a second.)"""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_regenerating_the_sdk_gives_the_committed_files() -> None:
    assert (ROOT / ".venv-sdk" / "bin" / "openapi-python-client").exists(), (
        "the SDK generator is missing: run ./scripts/setup.sh (it makes .venv-sdk)"
    )
    check = subprocess.run(
        [str(ROOT / "scripts" / "generate_sdk.sh"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "the committed SDK is what the routes give" in check.stdout
