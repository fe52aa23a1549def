"""The merchant page's webhook section: a key with the webhooks scope registers an endpoint
and sees its secret once; the Chinese page says it all in Chinese. In Debian's Chromium
against the whole service, as tests/backend/test_web_browser.py."""

from __future__ import annotations

import re
from typing import Any

from .test_web_browser import browser, expect, open_page, stack
from .test_web_pages_truth import english_in, merchant_key, sign_in
from .web_support import DESKTOP, Stack

__all__ = ["browser", "stack"]


def test_a_webhooks_key_registers_an_endpoint_and_sees_its_secret_once_in_chinese(
    browser: Any, stack: Stack
) -> None:
    page = open_page(browser, stack, DESKTOP, wallet=None, lang="zh", path="/#/merchant")
    sign_in(page, merchant_key(stack, "SKYM", "read,webhooks"))
    page.get_by_test_id("webhooks-url").fill("http://127.0.0.1:9/hooks")
    page.get_by_test_id("webhooks-add").click()
    secret = page.get_by_test_id("webhooks-secret-value")
    expect(secret).to_have_text(re.compile(r"^whsec_"))
    expect(page.get_by_test_id("webhooks-list")).to_contain_text("127.0.0.1:9/hooks")
    shown = secret.text_content() or ""
    page.get_by_test_id("sign-out").click()
    sign_in(page, merchant_key(stack, "SKYM", "read"))
    expect(page.get_by_test_id("webhooks-list")).to_contain_text("127.0.0.1:9/hooks")
    assert shown not in page.content()
    expect(page.get_by_test_id("webhooks-add")).to_have_count(0)  # read alone cannot add
    section = page.get_by_test_id("merchant-webhooks").text_content() or ""
    assert english_in(section.replace("http://127.0.0.1:9/hooks", "")) == []
