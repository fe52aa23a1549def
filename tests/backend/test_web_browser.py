"""The web app in a real browser (Debian's Chromium driven by Playwright) against the whole
service: API, indexer and relayer on the demo chain, a test wallet signing with
eth_signTypedData_v4. Screenshots go to reports/screenshots/.

Setup: ``scripts/browser.sh`` installs Chromium and Playwright if they are missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.chains import TestChain
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS
from tongdui.services import Services

from .web_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SigningWallet,
    Stack,
    install_wallet,
    running_stack,
    shot,
)

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="run scripts/browser.sh to install Playwright"
)
expect = sync_api.expect
TIMEOUT = 30_000  # ms: a settlement is a batch wait, a block and an indexer poll
expect.set_options(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run scripts/browser.sh (Debian's chromium package)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def stack(services: Services, clean_chain: TestChain) -> Iterator[Stack]:
    with running_stack(services, clean_chain) as running:
        yield running


def open_page(
    browser: Any,
    stack: Stack,
    viewport: dict[str, int],
    *,
    wallet: SigningWallet | None,
    chain_id: int | None = None,
    lang: str = "en",
    path: str = "/",
) -> Any:
    context = browser.new_context(viewport=viewport, locale="en-US" if lang == "en" else "zh-CN")
    # the first visit's language; a choice made on the page later is kept across reloads
    context.add_init_script(
        f"if (!localStorage.getItem('tongdui.lang')) localStorage.setItem('tongdui.lang', '{lang}')"
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    if wallet is not None:
        install_wallet(page, wallet, chain_id or stack.services.chain_id)
    page.goto(stack.url + path)
    return page


def points_cell(page: Any, symbol: str) -> Any:
    return page.get_by_test_id(f"points-{symbol}")


def connect(page: Any) -> None:
    page.get_by_test_id("connect").click()
    expect(page.get_by_test_id("balances").locator("table")).to_be_visible()


def fill_swap(page: Any, stack: Stack, src: str, dst: str, amount: int) -> None:
    page.get_by_test_id("swap-from").select_option(stack.chain.tokens[src])
    page.get_by_test_id("swap-to").select_option(stack.chain.tokens[dst])
    page.get_by_test_id("swap-amount").fill(str(amount))
    expect(page.get_by_test_id("quote-out")).to_be_visible()


def test_a_user_connects_quotes_signs_and_sees_the_swap_settle_and_the_balances_change(
    browser: Any, stack: Stack
) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])  # holds 50 000 SKYM, 20 000 FRESH
    page = open_page(browser, stack, PHONE, wallet=wallet)
    shot(page, "wallet-1-not-connected-phone")
    connect(page)
    expect(points_cell(page, "SKYM")).to_have_text("50,000")
    expect(points_cell(page, "BEAN")).to_have_text("0")

    fill_swap(page, stack, "SKYM", "BEAN", 1000)  # 1 000 × ¥0.10 = ¥100 → BEAN at ¥1.00
    quote = stack.chain.platform.exchange.functions.quote(
        stack.chain.tokens["SKYM"], stack.chain.tokens["BEAN"], 1000
    ).call()
    expect(page.get_by_test_id("quote-out")).to_contain_text(f"{quote[0]} BEAN")
    expect(page.get_by_test_id("quote-fee")).to_contain_text("¥")
    page.get_by_test_id("slippage").select_option("100")  # 1%
    expect(page.get_by_test_id("quote-min")).to_contain_text(f"{quote[0] * 99 // 100} BEAN")
    shot(page, "wallet-2-quote-phone")

    page.get_by_test_id("swap-submit").click()
    order = page.get_by_test_id("order")
    expect(order.get_by_test_id("state")).to_have_text("Settled")
    expect(points_cell(page, "SKYM")).to_have_text("49,000")
    expect(points_cell(page, "BEAN")).to_have_text(f"{quote[0]:,}")
    expect(page.get_by_test_id("history")).to_contain_text(
        f"Swapped 1,000 SKYM for {quote[0]} BEAN"
    )
    shot(page, "wallet-3-settled-phone")

    signed = wallet.signed[0]
    assert signed["primaryType"] == "SwapOrder"
    assert signed["domain"]["verifyingContract"] == stack.chain.platform.exchange.address
    assert int(signed["message"]["minAmountOut"]) == quote[0] * 99 // 100
    assert stack.points("BEAN", wallet.address) == quote[0]
    assert not page.js_errors


def test_an_order_whose_cover_vanishes_before_settlement_shows_rejected_with_the_reason(
    browser: Any, stack: Stack
) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, DESKTOP, wallet=wallet)
    connect(page)
    stack.relayer.pause()  # the order waits in the queue …
    fill_swap(page, stack, "SKYM", "BEAN", 2000)
    page.get_by_test_id("swap-submit").click()
    expect(page.get_by_test_id("order").get_by_test_id("state")).to_have_text("Received")
    stack.withdraw_cover("SKYM", leave=100)  # … while the merchant empties its account
    stack.relayer.start()
    expect(page.get_by_test_id("order").get_by_test_id("state")).to_have_text("Rejected")
    reason = page.get_by_test_id("reject-reason")
    expect(reason).to_contain_text("settlement account cannot cover this swap")
    expect(points_cell(page, "SKYM")).to_have_text("50,000")
    shot(page, "wallet-4-rejected-desktop")


def test_a_pending_order_can_be_cancelled_by_signature(browser: Any, stack: Stack) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, PHONE, wallet=wallet)
    connect(page)
    stack.relayer.pause()
    fill_swap(page, stack, "FRESH", "SKYM", 5000)
    page.get_by_test_id("swap-submit").click()
    orders = page.get_by_test_id("orders")
    expect(orders.get_by_test_id("cancel-order")).to_be_visible()
    shot(page, "wallet-5-pending-phone")
    with page.expect_response(lambda r: r.url.endswith("/cancellations")) as answer:
        orders.get_by_test_id("cancel-order").click()
    assert answer.value.status == 202
    stack.relayer.start()
    expect(page.get_by_test_id("order").get_by_test_id("state")).to_have_text("Cancelled")
    expect(orders.get_by_test_id("cancel-order")).to_have_count(0)
    assert [d["primaryType"] for d in wallet.signed] == ["SwapOrder", "CancelNonces"]
    assert stack.points("FRESH", wallet.address) == 20_000


def test_a_user_gifts_points_to_another_address(browser: Any, stack: Stack) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    friend = SigningWallet(stack.chain.user_keys[1]).address
    page = open_page(browser, stack, PHONE, wallet=wallet)
    connect(page)
    page.get_by_test_id("gift-token").select_option(stack.chain.tokens["SKYM"])
    page.get_by_test_id("gift-to").fill(friend)
    page.get_by_test_id("gift-amount").fill("250")
    page.get_by_test_id("gift-form").get_by_role("button").click()
    expect(page.get_by_test_id("gift-final").get_by_test_id("state")).to_have_text("Done")
    expect(points_cell(page, "SKYM")).to_have_text("49,750")
    assert stack.points("SKYM", friend) == 250
    gift = wallet.signed[0]
    assert gift["primaryType"] == "TransferWithAuthorization"
    assert gift["domain"]["name"] == "Skyway Airlines Miles"
    assert gift["domain"]["verifyingContract"] == stack.chain.tokens["SKYM"]
    shot(page, "wallet-6-gift-phone")


def test_a_wallet_on_another_chain_is_told_to_switch(browser: Any, stack: Stack) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, PHONE, wallet=wallet, chain_id=1)
    page.get_by_test_id("connect").click()
    expect(page.get_by_test_id("wrong-chain")).to_contain_text(
        f"Your wallet is on chain 1; Tongdui runs on chain {stack.services.chain_id}"
    )
    expect(page.get_by_test_id("balances")).to_have_count(0)


def test_without_a_wallet_the_page_says_how_to_get_one(browser: Any, stack: Stack) -> None:
    page = open_page(browser, stack, PHONE, wallet=None)
    expect(page.get_by_test_id("no-wallet")).to_contain_text("Install an EIP-1193 wallet")


def test_the_language_switch_translates_the_page_and_is_remembered(
    browser: Any, stack: Stack
) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, PHONE, wallet=wallet, lang="en")
    expect(page.get_by_test_id("connect")).to_have_text("Connect wallet")
    page.get_by_test_id("lang").click()
    expect(page.get_by_test_id("connect")).to_have_text("连接钱包")
    expect(page.locator("#nav a[data-page=merchant]")).to_have_text("商户")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    connect(page)
    fill_swap(page, stack, "SKYM", "FRESH", 100)
    expect(page.get_by_test_id("quote")).to_contain_text("预计获得")
    shot(page, "wallet-7-chinese-phone")
    page.reload()  # the stored choice wins
    expect(page.get_by_test_id("connect")).to_have_text("连接钱包")
    page.get_by_test_id("lang").click()
    expect(page.get_by_test_id("connect")).to_have_text("Connect wallet")


def test_a_merchant_issues_points_with_its_api_key(browser: Any, stack: Stack) -> None:
    user = SigningWallet(stack.chain.user_keys[2]).address
    page = open_page(browser, stack, PHONE, wallet=None, path="/#/merchant")
    page.get_by_test_id("api-key").fill("tdk_notakey_x")
    page.get_by_test_id("api-key-submit").click()
    expect(page.get_by_test_id("error")).to_be_visible()
    page.get_by_test_id("api-key").fill(stack.api_keys["BEAN"])
    page.get_by_test_id("api-key-submit").click()
    expect(page.get_by_test_id("merchant-symbol")).to_have_text("BEAN")
    expect(page.get_by_test_id("value-bounds")).to_contain_text("fen")
    page.get_by_test_id("issue-to").fill(user)
    page.get_by_test_id("issue-amount").fill("1200")
    page.get_by_test_id("issue-submit").click()
    expect(page.get_by_test_id("issue-done")).to_contain_text("Issued 1,200 points")
    expect(page.get_by_test_id("tile-outstanding")).to_have_text("1,500")  # 300 seeded + 1 200
    assert stack.points("BEAN", user) == 1200
    assert page.evaluate("sessionStorage.getItem('tongdui.merchantKey')") == stack.api_keys["BEAN"]
    assert page.evaluate("localStorage.getItem('tongdui.merchantKey')") is None
    shot(page, "merchant-1-issued-phone")


def test_a_merchant_links_a_member_and_issues_to_it_by_member_id_from_the_page(
    browser: Any, stack: Stack
) -> None:
    user = SigningWallet(stack.chain.user_keys[1]).address
    page = open_page(browser, stack, PHONE, wallet=None, path="/#/merchant")
    page.get_by_test_id("api-key").fill(stack.api_keys["BEAN"])
    page.get_by_test_id("api-key-submit").click()
    page.get_by_test_id("member-id").fill("CRM-77")
    page.get_by_test_id("member-address").fill(user)
    page.get_by_test_id("member-link").click()
    expect(page.get_by_test_id("member-done")).to_contain_text("linked")
    before = stack.points("BEAN", user)
    page.get_by_test_id("member-amount").fill("25")
    page.get_by_test_id("member-issue").click()
    expect(page.get_by_test_id("member-done")).to_contain_text("Issued 25 points")
    assert stack.points("BEAN", user) == before + 25
    page.get_by_test_id("member-erase").click()
    expect(page.get_by_test_id("member-done")).to_contain_text("erased")
    page.get_by_test_id("member-issue").click()
    expect(page.get_by_test_id("error")).to_be_visible()
    assert stack.points("BEAN", user) == before + 25


def test_the_merchant_page_charts_its_swaps(browser: Any, stack: Stack) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, DESKTOP, wallet=wallet)
    connect(page)
    for amount in (1000, 3000):
        fill_swap(page, stack, "SKYM", "BEAN", amount)
        page.get_by_test_id("swap-submit").click()
        expect(page.get_by_test_id("order").get_by_test_id("state")).to_have_text("Settled")
    page.goto(stack.url + "/#/merchant")
    page.get_by_test_id("api-key").fill(stack.api_keys["SKYM"])
    page.get_by_test_id("api-key-submit").click()
    expect(page.get_by_test_id("tile-out")).to_have_text("2")
    expect(page.get_by_test_id("merchant-charts").locator("svg rect")).not_to_have_count(0)
    expect(page.get_by_test_id("merchant-swaps").locator("tbody tr")).to_have_count(2)
    shot(page, "merchant-2-charts-desktop")


def test_the_consortium_page_shows_members_merchants_and_votes(browser: Any, stack: Stack) -> None:
    page = open_page(browser, stack, PHONE, wallet=None, path="/#/consortium")
    expect(page.get_by_test_id("members-count")).to_have_text("3")
    expect(page.get_by_test_id("threshold")).to_have_text("2 / 3")
    expect(page.get_by_test_id("consortium-merchants").locator("tbody tr")).to_have_count(3)
    proposal = page.get_by_test_id("proposal-1")
    expect(proposal).to_contain_text("Admit demo merchants")
    expect(proposal).to_contain_text("Executed")
    expect(proposal.get_by_test_id("approvals")).to_contain_text("2 approvals, 2 needed")
    shot(page, "consortium-phone")


def test_the_consortium_page_shows_an_open_proposals_deadline_and_cancel_votes_in_chinese(
    browser: Any, stack: Stack, clean_chain: TestChain
) -> None:
    w3, governance = clean_chain.w3, clean_chain.platform.governance
    proposer, canceller = (Signer(w3, key) for key in ANVIL_KEYS[1:3])
    data = governance.encode_abi("setThreshold", args=[3])
    call = governance.functions.propose([(governance.address, 0, data)], "门槛升为 3")
    wait_for(w3, [proposer.transact(call)])
    wait_for(w3, [canceller.transact(governance.functions.cancel(2))])

    page = open_page(browser, stack, PHONE, wallet=None, lang="zh", path="/#/consortium")

    expect(page.get_by_test_id("cancel-threshold")).to_have_text("2 / 3")
    expect(page.get_by_test_id("voting-period")).to_have_text("7 天")
    proposal = page.get_by_test_id("proposal-2")
    expect(proposal).to_contain_text("表决中")
    expect(proposal.get_by_test_id("deadline")).to_contain_text("表决截止")
    expect(proposal.get_by_test_id("cancel-votes")).to_contain_text("撤销票 1 / 需 2")
    expect(page.get_by_test_id("proposal-1").get_by_test_id("deadline")).to_have_count(0)
    shot(page, "consortium-open-proposal-phone")


def test_the_auditor_page_shows_its_sections_in_chinese_and_downloads_a_statement(
    browser: Any, stack: Stack
) -> None:
    page = open_page(browser, stack, PHONE, wallet=None, lang="zh", path="/#/auditor")
    expect(page.get_by_test_id("audit-results")).to_contain_text("还没有运行过审计")
    expect(page.get_by_test_id("attestations")).to_contain_text("还没有审计方发布证明")
    expect(page.get_by_test_id("audit-oplog")).to_contain_text("完整")
    page.get_by_test_id("digest-compute").click()
    expect(page.get_by_test_id("digest-value")).to_have_text(re.compile(r"^0x[0-9a-f]{64}$"))
    expect(page.get_by_test_id("statements").locator("ul.list > li")).to_have_count(4)
    with page.expect_download() as download:
        page.get_by_test_id("statement-csv-SKYM").click()
    csv = download.value.path().read_text()
    assert csv.startswith("field,value\n")
    assert "merchant.symbol,SKYM" in csv
    expect(page.get_by_test_id("statement-done")).to_contain_text("已下载")
    shot(page, "auditor-phone")


def test_an_unreachable_chain_is_said_in_words_and_retry_recovers(
    browser: Any, stack: Stack
) -> None:
    page = open_page(browser, stack, PHONE, wallet=None, lang="zh", path="/#/consortium")
    expect(page.get_by_test_id("members-count")).to_have_text("3")
    down = {"code": "CHAIN_UNAVAILABLE", "message": "cannot reach the node", "details": {}}
    page.route("**/web/consortium", lambda route: route.fulfill(status=503, json=down))
    page.reload()
    error = page.get_by_test_id("error")
    expect(error).to_contain_text("区块链节点暂时无法连接")
    shot(page, "consortium-error-phone")
    page.unroute("**/web/consortium")
    error.get_by_role("button").click()
    expect(page.get_by_test_id("members-count")).to_have_text("3")
