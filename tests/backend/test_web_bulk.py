"""The merchant page's Bulk card (issue 18 point 3): a CSV with a row error is refused whole with
the line and field shown; the corrected file is uploaded through the page, its progress shown
until done, and the per-row results downloaded; the same file again is skipped row by row (one
issue per idempotency key). In Debian's Chromium against the whole service, as
tests/backend/test_web_browser.py, with the runner's bulk loop running beside it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest

from tongdui.merchant.operators import MerchantOperators
from tongdui.runner import BulkLoop

from .api_support import MERCHANT_ADMIN_KEYS
from .test_web_browser import browser, expect, open_page, stack
from .web_support import DESKTOP, SigningWallet, Stack, _Loop

__all__ = ["browser", "stack"]


@pytest.fixture
def bulk_loop(stack: Stack) -> Iterator[None]:
    operators = MerchantOperators(stack.services.w3, list(MERCHANT_ADMIN_KEYS.values()))
    loop = _Loop("bulk", BulkLoop(stack.services, operators))
    loop.start()
    try:
        yield
    finally:
        loop.pause()


def choose(page: Any, name: str, data: bytes) -> None:
    page.get_by_test_id("bulk-file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_test_id("bulk-upload").click()


def test_a_merchant_uploads_a_bulk_file_and_sees_progress_and_per_row_results(
    browser: Any, stack: Stack, bulk_loop: None
) -> None:
    users = [SigningWallet(key).address for key in stack.chain.user_keys]
    before = [stack.points("BEAN", user) for user in users]
    page = open_page(browser, stack, DESKTOP, wallet=None, path="/#/merchant")
    page.get_by_test_id("api-key").fill(stack.api_keys["BEAN"])
    page.get_by_test_id("api-key-submit").click()
    expect(page.get_by_test_id("merchant-symbol")).to_have_text("BEAN")

    header = "address,amount,idempotency_key\n"
    bad = f"{header}{users[0]},5,web-1\n0xnope,6,web-2\n".encode()
    choose(page, "bad.csv", bad)
    expect(page.get_by_test_id("bulk-errors")).to_contain_text("Line 3 address")
    assert [stack.points("BEAN", user) for user in users] == before  # refused whole

    rows = "".join(f"{user},{10 + n},web-{n}\n" for n, user in enumerate(users))
    choose(page, "rows.csv", (header + rows).encode())
    progress = page.get_by_test_id("bulk-progress")
    expect(progress).to_have_text(
        f"Issued {len(users)} of {len(users)} rows, 0 failed, 0 skipped (key used before)."
    )
    expect(progress).to_have_class("state ok")  # done
    assert [stack.points("BEAN", u) for u in users] == [b + 10 + n for n, b in enumerate(before)]

    with page.expect_download() as downloading:
        page.get_by_test_id("bulk-download").click()
    download = downloading.value
    assert download.suggested_filename.startswith("bulk-")
    with open(download.path(), encoding="utf-8") as saved:
        results = list(csv.DictReader(io.StringIO(saved.read())))
    assert [(r["idempotency_key"], r["state"]) for r in results] == [
        (f"web-{n}", "issued") for n in range(len(users))
    ]
    assert all(r["tx_hash"].startswith("0x") for r in results)

    choose(page, "rows.csv", (header + rows).encode())  # the same file again
    expect(progress).to_have_text(
        f"Issued 0 of 0 rows, 0 failed, {len(users)} skipped (key used before)."
    )
    assert [stack.points("BEAN", u) for u in users] == [b + 10 + n for n, b in enumerate(before)]
    assert page.js_errors == []
