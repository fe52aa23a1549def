"""The merchant page's risk card: a key with the risk scope adds a rule, sees the order it
holds, releases it (the stack's relayer then settles it) and sees the interception counted;
the Chinese page says it all in Chinese; a read key sees the card without the forms. In
Debian's Chromium against the whole service, as tests/backend/test_web_browser.py."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx

from .relayer_helpers import order_body
from .test_web_browser import browser, expect, open_page, stack
from .test_web_pages_truth import english_in, merchant_key, sign_in
from .web_support import DESKTOP, Stack

__all__ = ["browser", "stack"]


def test_a_risk_key_adds_a_rule_and_releases_the_order_it_held_in_chinese(
    browser: Any, stack: Stack
) -> None:
    page = open_page(browser, stack, DESKTOP, wallet=None, lang="zh", path="/#/merchant")
    key = merchant_key(stack, "SKYM", "read,risk")
    sign_in(page, key)
    page.get_by_test_id("risk-kind").select_option("amount")
    page.get_by_test_id("risk-action").select_option("hold")
    page.get_by_test_id("risk-maxAmount").fill("50")
    page.get_by_test_id("risk-add").click()
    expect(page.get_by_test_id("risk-added")).to_be_visible()
    expect(page.get_by_test_id("risk-rules")).to_contain_text("单笔数额")

    held = httpx.post(
        stack.url + "/orders", json=order_body(stack.chain, stack.services, amount=60)
    ).json()
    assert held["state"] == "held"
    page.get_by_test_id("sign-out").click()
    sign_in(page, key)
    expect(page.get_by_test_id("risk-held-row")).to_have_count(1)
    section = page.get_by_test_id("merchant-risk").text_content() or ""
    assert english_in(re.sub(r"0x[0-9a-fA-F]*(…[0-9a-fA-F]+)?", "", section)) == []
    page.get_by_test_id("risk-release").click()
    expect(page.get_by_test_id("risk-decided")).to_be_visible()
    expect(page.get_by_test_id("risk-held-row")).to_have_count(0)
    expect(page.get_by_test_id("risk-counts")).to_contain_text("审核放行")
    deadline = time.monotonic() + 30
    while httpx.get(f"{stack.url}/orders/{held['orderHash']}").json()["state"] != "settled":
        assert time.monotonic() < deadline, "the released order did not settle"
        time.sleep(0.1)

    page.get_by_test_id("sign-out").click()
    sign_in(page, merchant_key(stack, "SKYM", "read"))
    expect(page.get_by_test_id("risk-rules")).to_contain_text("单笔数额")
    expect(page.get_by_test_id("risk-add")).to_have_count(0)  # read alone cannot configure
