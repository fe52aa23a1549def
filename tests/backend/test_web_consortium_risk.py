"""The consortium page's risk card in a real browser (Chromium, as ``test_web_browser.py``):
before a reviewer signs in it says how to; signed in, the reviewer adds a default that every
merchant's orders meet, sees it listed with a retire button, and sees every merchant's
interceptions; signing out hides it again. In Chinese, on a phone."""

# ruff: noqa: F401, F811 - pytest fixtures are imported by name
from __future__ import annotations

from typing import Any

from .test_web_browser import browser, expect, open_page, stack
from .test_web_onboarding_browser import reviewer_key, sign_in
from .web_support import PHONE, Stack, shot


def test_a_reviewer_sets_a_consortium_default_and_sees_every_merchants_interceptions(
    browser: Any, stack: Stack
) -> None:
    page = open_page(browser, stack, PHONE, wallet=None, lang="zh", path="/#/consortium")
    card = page.get_by_test_id("consortium-risk")
    expect(card).to_contain_text("审核员密钥登录")
    sign_in(page, reviewer_key(stack))
    expect(card.get_by_test_id("risk-add")).to_be_visible()
    card.get_by_test_id("risk-kind").select_option("amount")
    card.get_by_test_id("risk-action").select_option("refuse")
    card.get_by_test_id("risk-maxAmount").fill("500")
    card.get_by_test_id("risk-add").click()
    expect(card.get_by_test_id("risk-added")).to_be_visible()
    rules = card.get_by_test_id("risk-rules")
    expect(rules).to_contain_text("500")
    expect(rules).to_contain_text("联盟默认")  # the rule's scope: the consortium's …
    expect(rules).not_to_contain_text("只读")  # … which this page may change
    expect(rules.get_by_role("button")).to_have_count(1)  # retire
    expect(card.get_by_test_id("risk-held")).to_have_count(0)  # merchants review holds
    expect(card.get_by_test_id("risk-counts")).to_be_visible()
    shot(page, "consortium-risk-phone-zh")
    rules.get_by_role("button").click()
    expect(rules).not_to_contain_text("500")
