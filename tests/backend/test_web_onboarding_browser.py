"""The consortium page's onboarding review in a real browser (Chromium, as
``test_web_browser.py``) against the whole service: a business applies from the page (a
mistyped licence number is marked at its field), looks its status up with the reference it was
shown; a reviewer signs in with a consortium key and approves it, and the card shows the
governance proposal with its votes from the index; a rejection without a reason is refused on
the page and the reason reaches the applicant, in Chinese."""

# ruff: noqa: F401, F811 - pytest fixtures are imported by name
from __future__ import annotations

from typing import Any

from eth_account import Account
from pydantic import SecretStr

from tongdui.core.config import ANVIL_KEYS
from tongdui.core.db import transaction
from tongdui.onboarding.demo import demo_application
from tongdui.onboarding.keys import create_consortium_key
from tongdui.onboarding.service import submit

from .test_web_browser import browser, expect, open_page, stack
from .web_support import DESKTOP, PHONE, Stack, shot

FIELDS = {
    "companyName": "company_name",
    "licenceNumber": "licence_number",
    "contactName": "contact_name",
    "contactEmail": "contact_email",
    "contactPhone": "contact_phone",
    "programName": "program_name",
    "symbol": "symbol",
    "admin": "admin",
    "issuanceCap": "issuance_cap",
    "pointValue": "point_value",
}


def reviewer_key(stack: Stack, label: str = "王芳", member: int = 1) -> str:
    stack.services.settings.member_keys = [SecretStr(k) for k in ANVIL_KEYS[1:4]]
    with transaction(stack.services.sessions) as session:
        address = Account.from_key(ANVIL_KEYS[member]).address
        return create_consortium_key(session, address, label)


def sign_in(page: Any, key: str) -> None:
    page.get_by_test_id("consortium-key").fill(key)
    page.get_by_test_id("consortium-key-submit").click()
    expect(page.get_by_test_id("reviewer")).to_be_visible()


def test_a_business_applies_and_a_reviewer_approves_it_into_a_proposal(
    browser: Any, stack: Stack
) -> None:
    page = open_page(browser, stack, DESKTOP, wallet=None, path="/#/consortium")
    form = demo_application()
    for name, attribute in FIELDS.items():
        page.get_by_test_id(f"apply-{name}").fill(str(getattr(form, attribute)))
    page.get_by_test_id("apply-licenceNumber").fill(form.licence_number[:-1] + "0")
    page.get_by_test_id("apply-submit").click()
    expect(page.get_by_test_id("apply-problem-licenceNumber")).to_contain_text("check")
    expect(page.get_by_test_id("apply-result").get_by_test_id("error")).to_contain_text(
        "invalid fields"
    )
    expect(page.get_by_test_id("apply-problem-contactEmail")).to_be_hidden()

    page.get_by_test_id("apply-licenceNumber").fill(form.licence_number)
    page.get_by_test_id("apply-submit").click()
    reference = page.get_by_test_id("apply-reference").inner_text()
    assert reference.startswith("tdr_")
    page.get_by_test_id("status-check").click()
    expect(page.get_by_test_id("status-badge")).to_have_text("Pending")

    sign_in(page, reviewer_key(stack))
    card = page.get_by_test_id("application-1")
    expect(card).to_contain_text(form.company_name)
    card.get_by_test_id("approve").click()
    expect(card.get_by_test_id("application-status")).to_have_text("Approved")
    # the indexer reaches the proposal and the card looks again by itself
    expect(card.get_by_test_id("application-proposal")).to_have_text(
        "proposal #2: Open, 1 of 2 approvals"
    )
    expect(page.get_by_test_id("proposal-2")).to_contain_text("Admit Chayu Tea Points (TEA)")
    expect(page.get_by_test_id("open-count")).to_have_text("1")
    shot(page, "consortium-onboarding-approved-desktop")

    page.get_by_test_id("status-check").click()
    expect(page.get_by_test_id("status-line")).to_contain_text("governance proposal #2")

    # the second member's reviewer votes, the proposal passes and is executed from the card
    page.get_by_test_id("consortium-sign-out").click()
    sign_in(page, reviewer_key(stack, "张伟", member=2))
    card.get_by_test_id("vote-approve").click()
    expect(card.get_by_test_id("application-proposal")).to_have_text(
        "proposal #2: Open, 2 of 2 approvals"
    )
    card.get_by_test_id("vote-execute").click()
    expect(card.get_by_test_id("application-proposal")).to_have_text(
        "proposal #2: Executed, 2 of 2 approvals"
    )
    expect(page.get_by_test_id("consortium-merchants")).to_contain_text("Chayu Tea Points")
    assert page.js_errors == []


def test_a_reviewer_rejects_with_a_reason_the_applicant_reads_in_chinese(
    browser: Any, stack: Stack
) -> None:
    with transaction(stack.services.sessions) as session:
        filed = submit(session, demo_application())
    page = open_page(browser, stack, PHONE, wallet=None, lang="zh", path="/#/consortium")
    sign_in(page, reviewer_key(stack))
    card = page.get_by_test_id(f"application-{filed.application_id}")
    expect(card.get_by_test_id("application-status")).to_have_text("待审核")
    card.get_by_test_id("reject").click()
    expect(card.get_by_test_id("review-result")).to_contain_text("请填写驳回理由")
    card.get_by_test_id("reject-reason").fill("营业执照已过期，请更新后重新申请")
    card.get_by_test_id("reject").click()
    expect(card.get_by_test_id("application-status")).to_have_text("已驳回")

    page.get_by_test_id("status-reference").fill(filed.reference)
    page.get_by_test_id("status-check").click()
    expect(page.get_by_test_id("status-line")).to_contain_text(
        "未通过，理由：营业执照已过期，请更新后重新申请"
    )
    shot(page, "consortium-onboarding-rejected-phone")
    assert page.js_errors == []
