"""The auditor page shows exactly what the report says: a run that exited 1 because the
index differs from the chain is "Failed" on the page, with the differences listed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from .test_web_browser import browser, expect, open_page, stack  # noqa: F401 - fixtures
from .web_support import DESKTOP, Stack

TONGDUI = str(Path(sys.executable).with_name("tongdui"))


def _tampered_copy(running: Stack, folder: Path) -> Path:
    """A consistent copy of the live index with one holder's address lower-cased."""
    source = running.services.settings.database_url().removeprefix("sqlite:///")
    copy = folder / "tampered.db"
    with sqlite3.connect(source) as live, sqlite3.connect(copy) as target:
        live.backup(target)
        target.execute(
            "UPDATE balances SET holder = lower(holder) WHERE rowid = "
            "(SELECT min(rowid) FROM balances WHERE holder <> lower(holder))"
        )
    return copy


@pytest.mark.parametrize("lang,failed", [("en", "Failed"), ("zh", "未通过")])
def test_the_auditor_page_shows_failed_for_a_run_that_exited_1(
    browser: Any,  # noqa: F811
    stack: Stack,  # noqa: F811
    tmp_path: Path,
    lang: str,
    failed: str,
) -> None:
    settings = stack.services.settings
    deadline = time.monotonic() + 30
    # lagBlocks is None until the indexer's first checkpoint: not caught up either
    while httpx.get(f"{stack.url}/health", timeout=5).json()["indexer"]["lagBlocks"] != 0:
        assert time.monotonic() < deadline, "the index did not catch up"
        time.sleep(0.2)
    copy = _tampered_copy(stack, tmp_path)
    ran = subprocess.run(
        [
            TONGDUI, "audit", "--rpc", settings.node_url(), "--data-dir", str(settings.data_dir),
            "--db", f"sqlite:///{copy}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert ran.returncode == 1, ran.stdout + ran.stderr
    latest = httpx.get(f"{stack.url}/audit/latest", timeout=10).json()
    assert latest["ok"] is True and latest["passed"] is False and latest["exitCode"] == 1
    page = open_page(browser, stack, DESKTOP, wallet=None, lang=lang, path="/#/auditor")
    expect(page.get_by_test_id("audit-verdict")).to_have_text(failed)
    expect(page.get_by_test_id("audit-findings")).to_contain_text("db:balances")
