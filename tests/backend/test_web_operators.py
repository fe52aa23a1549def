"""The merchant page's operators and operation-log cards (issue 18.4): an admin adds a cashier
and sees the key once, the cashier's key signs in with only its role's forms, the admin
revokes it, and the log lists each action with who did it beside an intact hash chain; the
Chinese page says it all in Chinese. In Debian's Chromium against the whole service, as
tests/backend/test_web_browser.py."""

from __future__ import annotations

import re
from typing import Any

from .test_web_browser import browser, expect, open_page, stack
from .test_web_pages_truth import english_in, merchant_key, sign_in
from .web_support import DESKTOP, Stack

__all__ = ["browser", "stack"]

ALL = "issue,redeem,value,funds,read,webhooks,risk,vouchers"


def test_an_admin_adds_a_cashier_whose_key_only_redeems_then_revokes_it_in_the_log(
    browser: Any, stack: Stack
) -> None:
    page = open_page(browser, stack, DESKTOP, wallet=None, path="/#/merchant")
    admin = merchant_key(stack, "SKYM", ALL)
    sign_in(page, admin)
    page.get_by_test_id("operators-name").fill("Li Na")
    page.get_by_test_id("operators-role").select_option("cashier")
    page.get_by_test_id("operators-add").click()
    key = page.get_by_test_id("operators-key-value")
    expect(key).to_have_text(re.compile(r"^tdk_[0-9a-f]+_"))
    cashier_key = key.text_content() or ""
    listed = page.get_by_test_id("operators-list")
    expect(listed).to_contain_text("Li Na")
    expect(listed).to_contain_text("cashier")
    prefix = cashier_key.split("_")[1]

    page.get_by_test_id("sign-out").click()
    sign_in(page, cashier_key)
    expect(page.get_by_test_id("merchant-redeem")).to_be_visible()
    expect(page.get_by_test_id("merchant-issue")).to_have_count(0)
    expect(page.get_by_test_id("operators-add")).to_have_count(0)

    page.get_by_test_id("sign-out").click()
    sign_in(page, admin)
    page.get_by_test_id(f"revoke-{prefix}").click()
    expect(page.get_by_test_id("operators-key")).to_contain_text(f"tdk_{prefix}_")
    expect(page.get_by_test_id(f"revoke-{prefix}")).to_have_count(0)
    page.get_by_test_id("oplog-refresh").click()
    entries = page.get_by_test_id("oplog-entries")
    expect(entries).to_contain_text("operator.key.revoke")
    expect(entries).to_contain_text("operator.create")
    expect(page.get_by_test_id("oplog-state")).to_contain_text("Intact")

    page.get_by_test_id("sign-out").click()
    page.get_by_test_id("api-key").fill(cashier_key)
    page.get_by_test_id("api-key-submit").click()
    expect(page.locator(".state.error")).to_be_visible()  # the revoked key signs in nowhere


def test_the_operators_and_log_cards_speak_chinese(browser: Any, stack: Stack) -> None:
    page = open_page(browser, stack, DESKTOP, wallet=None, lang="zh", path="/#/merchant")
    sign_in(page, merchant_key(stack, "SKYM", ALL))
    page.get_by_test_id("operators-name").fill("李娜")
    page.get_by_test_id("operators-add").click()
    expect(page.get_by_test_id("operators-list")).to_contain_text("收银员")
    page.get_by_test_id("oplog-refresh").click()
    expect(page.get_by_test_id("oplog-entries")).to_contain_text("operator.create")
    for part in ("merchant-operators", "merchant-oplog"):
        text = page.get_by_test_id(part).text_content() or ""
        # keys, hashes and their shortened forms (``3f2a1b…abef``: hex, not English)
        text = re.sub(r"tdk_[0-9a-f]+(_[A-Za-z0-9_-]*…?)?|(0x)?[0-9a-fA-F]*…[0-9a-fA-F]*", "", text)
        text = re.sub(r"\b(0x)?[0-9a-fA-F]{16,}\b", "", text)
        for technical in ("operator.create", "127.0.0.1", "testclient"):
            text = text.replace(technical, "")
        assert english_in(text) == [], text
