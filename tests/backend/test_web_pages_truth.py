"""What a user touches tells the truth (issue 15, "The pages"): the fee apart from rounding
with a lossless amount to use, a cancelled order shown as cancelled, no raw English on the
Chinese pages, and no button disabled or form offered without a reason. In Debian's Chromium
against the whole service, as tests/backend/test_web_browser.py."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from tongdui.core.db import transaction
from tongdui.merchant.keys import create_api_key

from .test_web_browser import browser, connect, expect, fill_swap, open_page, stack
from .web_support import DESKTOP, PHONE, SigningWallet, Stack, shot

__all__ = ["browser", "stack"]

# English a Chinese page may carry: names, not sentences
LATIN = re.compile(r"[A-Za-z]{4,}")
NAMES = {"SKYM", "BEAN", "FRESH", "Skyway", "Airlines", "Miles", "Blue", "Bean", "Coffee"}


def english_in(text: str) -> list[str]:
    return [w for w in LATIN.findall(text) if w not in NAMES]


def disabled_without_reason(page: Any) -> list[str]:
    """Every disabled button on the page that does not say why (title and the text beside)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll("button:disabled")]
              .filter((b) => !b.title
                || !document.getElementById(b.getAttribute("aria-describedby") || "")?.textContent)
              .map((b) => b.textContent)"""
        )
    )


def sign_in(page: Any, key: str) -> None:
    page.get_by_test_id("api-key").fill(key)
    page.get_by_test_id("api-key-submit").click()
    expect(page.get_by_test_id("merchant-symbol")).to_be_visible()


def merchant_key(stack: Stack, symbol: str, scopes: str) -> str:
    with transaction(stack.services.sessions) as session:
        return create_api_key(session, stack.chain.tokens[symbol], scopes, label="scoped test")


# ─── 18: fee and rounding apart ─────────────────────────────────────────────────────────


def test_fee_hides_rounding_the_quote_shows_fee_and_rounding_apart_and_a_lossless_amount(
    browser: Any,
    stack: Stack,
) -> None:
    page = open_page(browser, stack, PHONE, wallet=SigningWallet(stack.chain.user_keys[0]))
    connect(page)
    page.get_by_test_id("swap-from").select_option(stack.chain.tokens["SKYM"])
    page.get_by_test_id("swap-to").select_option(stack.chain.tokens["BEAN"])
    with page.expect_response(lambda r: "/quote?" in r.url) as answer:
        page.get_by_test_id("swap-amount").fill("1000")  # ¥100 → 99 BEAN
    quote = answer.value.json()
    assert (quote["fee"], quote["feeCharged"], quote["rounding"]) == (100, 30, 70)
    expect(page.get_by_test_id("quote-fee")).to_have_text("¥0.30 (0.3%, rounded up to the fen)")
    expect(page.get_by_test_id("quote-rounding")).to_contain_text("¥0.70")
    expect(page.get_by_test_id("quote-cost")).to_contain_text("¥1.00 in all, 1% of the value")
    best = quote["losslessAmounts"][0]
    expect(page.get_by_test_id("lossless")).to_contain_text(
        f"Swap {best['amountIn']:,} SKYM instead: you get {best['amountOut']} BEAN and lose nothing"
    )
    shot(page, "pages-18-rounding-phone")
    page.get_by_test_id("lossless-use").click()
    expect(page.get_by_test_id("swap-amount")).to_have_value(str(best["amountIn"]))
    expect(page.get_by_test_id("quote-rounding")).to_contain_text("¥0.00")
    expect(page.get_by_test_id("quote-out")).to_contain_text(f"{best['amountOut']} BEAN")
    expect(page.get_by_test_id("lossless")).to_have_count(0)
    page.get_by_test_id("swap-submit").click()
    expect(page.get_by_test_id("order").get_by_test_id("state")).to_have_text("Settled")
    assert (
        stack.points("BEAN", SigningWallet(stack.chain.user_keys[0]).address) == best["amountOut"]
    )


# ─── 19: a cancelled order ──────────────────────────────────────────────────────────────


def test_a_cancelled_order_shows_cancelled_with_only_the_steps_it_went_through(
    browser: Any,
    stack: Stack,
) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, PHONE, wallet=wallet, lang="zh")
    connect(page)
    stack.relayer.pause()
    fill_swap(page, stack, "FRESH", "SKYM", 5000)
    page.get_by_test_id("swap-submit").click()
    orders = page.get_by_test_id("orders")
    with page.expect_response(lambda r: r.url.endswith("/cancellations")) as answer:
        orders.get_by_test_id("cancel-order").click()
    assert answer.value.status == 202
    stack.relayer.start()
    order = page.get_by_test_id("order")
    expect(order.get_by_test_id("state")).to_have_text("已撤销")
    expect(order.locator(".steps li")).to_have_text(["已接收", "已撤销"])  # never submitted
    note = order.get_by_test_id("cancel-note")
    expect(note).to_contain_text("这笔订单已撤销")
    assert "全部订单均已失效" not in note.inner_text()
    expect(order.get_by_test_id("reject-reason")).to_have_count(0)
    assert "badge cancelled" in order.get_by_test_id("state").get_attribute("class")
    expect(orders.get_by_test_id("state").first).to_have_text("已撤销")
    shot(page, "pages-19-cancelled-zh-phone")
    page.get_by_test_id("lang").click()
    connect(page)
    expect(page.get_by_test_id("orders").get_by_test_id("state").first).to_have_text("Cancelled")
    assert "nonce" not in page.get_by_test_id("orders").inner_text().lower()


# ─── 20: no raw English on the Chinese pages ────────────────────────────────────────────


def test_a_gift_to_the_zero_address_is_refused_in_chinese_before_anything_is_signed(
    browser: Any,
    stack: Stack,
) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, PHONE, wallet=wallet, lang="zh")
    connect(page)
    page.get_by_test_id("gift-to").fill("0x" + "0" * 40)
    page.get_by_test_id("gift-amount").fill("10")
    page.get_by_test_id("gift-form").get_by_role("button").click()
    error = page.get_by_test_id("gift-error")
    expect(error).to_contain_text("不能转赠给零地址")
    assert not english_in(error.inner_text())
    assert wallet.signed == []


def test_a_gift_that_fails_on_chain_says_it_failed_in_chinese_not_gifted(
    browser: Any,
    stack: Stack,
) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, PHONE, wallet=wallet, lang="zh")
    connect(page)
    failed = {
        "requestHash": "0x" + "11" * 32, "kind": "gift", "state": "failed", "owner": wallet.address,
        "request": {}, "reason": {"code": "ERC20_INVALID_RECEIVER",
                                  "message": "The contract refused: ERC20InvalidReceiver."},
    }  # fmt: skip
    page.route("**/gifts/0x*", lambda route: route.fulfill(json=failed))
    page.get_by_test_id("gift-to").fill(SigningWallet(stack.chain.user_keys[1]).address)
    page.get_by_test_id("gift-amount").fill("10")
    page.get_by_test_id("gift-form").get_by_role("button").click()
    final = page.get_by_test_id("gift-final")
    expect(final).to_contain_text("未成功")
    expect(final).to_contain_text("接收地址无效")
    assert "已转赠" not in final.inner_text()
    assert not english_in(final.inner_text())


def test_the_chinese_merchant_page_says_a_bad_address_and_a_contract_revert_in_chinese(
    browser: Any,
    stack: Stack,
) -> None:
    page = open_page(browser, stack, PHONE, wallet=None, lang="zh", path="/#/merchant")
    sign_in(page, stack.api_keys["SKYM"])
    page.get_by_test_id("issue-to").fill("0x12")  # the API answers 422: not an address
    page.get_by_test_id("issue-amount").fill("5")
    with page.expect_response(lambda r: r.url.endswith("/issue")) as answer:
        page.get_by_test_id("issue-submit").click()
    assert answer.value.status == 422
    raw = answer.value.json()["details"]["errors"][0]["problem"]
    error = page.get_by_test_id("merchant-issue").get_by_test_id("error")
    expect(error).to_contain_text("请求内容有误：接收地址")
    assert raw not in error.inner_text()
    assert not english_in(error.inner_text())
    holder = SigningWallet(stack.chain.user_keys[2]).address
    page.get_by_test_id("issue-to").fill(holder)
    page.get_by_test_id("issue-amount").fill(str(10**9))  # past SKYM's cap: the contract refuses
    page.get_by_test_id("issue-submit").click()
    expect(error).to_contain_text("发放后将超过本商户的发行上限")
    assert not english_in(error.inner_text())
    scopes = page.get_by_test_id("merchant-scopes").inner_text()
    assert not english_in(scopes), scopes  # "权限：清算资金、发放 …", not "funds, issue"
    shot(page, "pages-20-merchant-errors-zh-phone")


def test_an_amount_off_the_pattern_is_said_in_chinese_not_as_pydantic_english(
    browser: Any,
    stack: Stack,
) -> None:
    page = open_page(
        browser, stack, PHONE, wallet=SigningWallet(stack.chain.user_keys[0]), lang="zh"
    )
    connect(page)

    def off_pattern(route: Any) -> None:  # what a client gets wrong: "12a" for ^[0-9]+$
        body = route.request.post_data_json
        route.continue_(post_data=json.dumps({**body, "amountIn": "12a", "nonce": "0x1z"}))

    page.route(
        "**/orders",
        lambda route: off_pattern(route) if route.request.method == "POST" else route.continue_(),
    )
    fill_swap(page, stack, "SKYM", "BEAN", 1000)
    with page.expect_response(
        lambda r: r.url.endswith("/orders") and r.request.method == "POST"
    ) as answer:
        page.get_by_test_id("swap-submit").click()
    assert answer.value.status == 422
    raw = [p["problem"] for p in answer.value.json()["details"]["errors"]]
    error = page.get_by_test_id("order-watch").get_by_test_id("error")
    expect(error).to_contain_text("转出数量")
    for problem in raw:
        assert problem not in error.inner_text()
    assert not english_in(error.inner_text()), error.inner_text()
    shot(page, "pages-20-bad-amount-zh-phone")


def test_the_chinese_auditor_page_names_its_checks_in_chinese(
    browser: Any,
    stack: Stack,
) -> None:
    report = {
        "ok": True, "fromBlock": 0, "toBlock": 10, "events": 3, "historyDigest": "0x" + "ab" * 32,
        "reportHash": "0x" + "cd" * 32, "findings": [],
        "invariants": {"invariant-1": {"ok": True, "checks": 4,
                                       "statement": "Σ balances == totalSupply"}},
    }  # fmt: skip
    page = open_page(browser, stack, PHONE, wallet=None, lang="zh", path="/#/auditor")
    page.route("**/audit/latest", lambda route: route.fulfill(json=report))
    page.reload()
    checks = page.get_by_test_id("audit-results").locator(".checks")
    expect(checks).to_contain_text("各账户余额之和等于发行总量")
    assert "totalSupply" not in checks.inner_text()


# ─── 21: every disabled button says why; forms by scope; deposit; dates; phone selects ──


def test_a_tiny_swap_says_why_it_cannot_be_signed(
    browser: Any,
    stack: Stack,
) -> None:
    page = open_page(browser, stack, PHONE, wallet=SigningWallet(stack.chain.user_keys[0]))
    connect(page)
    why = page.get_by_test_id("swap-why")
    expect(why).to_have_text("Enter the amount to swap first.")
    page.get_by_test_id("swap-from").select_option(stack.chain.tokens["FRESH"])
    page.get_by_test_id("swap-to").select_option(stack.chain.tokens["BEAN"])
    page.get_by_test_id("swap-amount").fill("5")  # 5 FRESH = ¥0.05 < one BEAN (¥1)
    expect(page.get_by_test_id("quote-refused")).to_contain_text("too small to buy even one point")
    expect(why).to_have_text("No valid quote (the reason is above), so nothing to sign.")
    expect(page.get_by_test_id("swap-submit")).to_be_disabled()
    assert disabled_without_reason(page) == []
    shot(page, "pages-21-tiny-swap-phone")
    page.get_by_test_id("swap-amount").fill("60000")  # more than the 20 000 FRESH held
    expect(why).to_have_text("Not enough points to sign this swap.")
    assert disabled_without_reason(page) == []


def test_a_read_only_merchant_key_sees_no_form_it_cannot_use(
    browser: Any,
    stack: Stack,
) -> None:
    page = open_page(browser, stack, DESKTOP, wallet=None, lang="zh", path="/#/merchant")
    forbidden: list[str] = []
    page.on("response", lambda r: forbidden.append(r.url) if r.status == 403 else None)
    sign_in(page, merchant_key(stack, "SKYM", "read"))
    expect(page.get_by_test_id("merchant-scopes")).to_have_text("权限：只读")
    expect(page.get_by_test_id("merchant-limited")).to_be_visible()
    expect(page.get_by_test_id("value-bounds")).to_be_visible()
    expect(page.get_by_test_id("merchant-swaps")).to_be_visible()
    for form in ("issue-submit", "redeem-holder", "value-input", "funds-amount", "webhooks-add"):
        expect(page.get_by_test_id(form)).to_have_count(0)
    shot(page, "pages-21-read-only-key-zh-desktop")
    assert [u for u in forbidden if "/key" not in u] == []


def test_a_key_without_read_still_signs_in_and_sees_only_its_form(
    browser: Any,
    stack: Stack,
) -> None:
    page = open_page(browser, stack, PHONE, wallet=None, path="/#/merchant")
    forbidden: list[str] = []
    page.on("response", lambda r: forbidden.append(r.url) if r.status == 403 else None)
    sign_in(page, merchant_key(stack, "BEAN", "issue"))
    expect(page.get_by_test_id("merchant-scopes")).to_have_text("scopes: issue")
    expect(page.get_by_test_id("issue-submit")).to_be_visible()
    for form in ("redeem-holder", "value-input", "funds-amount", "merchant-swaps"):
        expect(page.get_by_test_id(form)).to_have_count(0)
    assert [u for u in forbidden if "/key" not in u] == []


def test_the_demo_merchant_deposits_from_its_operator_and_a_shortfall_is_said_in_yuan(
    browser: Any,
    stack: Stack,
) -> None:
    page = open_page(browser, stack, PHONE, wallet=None, path="/#/merchant")
    sign_in(page, stack.api_keys["SKYM"])
    expect(page.get_by_test_id("tile-settlement")).to_have_text("¥500,000.00")
    expect(page.get_by_test_id("value-submit")).to_be_visible()
    assert disabled_without_reason(page) == []  # "Set value" waits for the interval, and says so
    page.get_by_test_id("funds-amount").fill("100")
    page.get_by_test_id("funds-deposit").click()
    expect(page.get_by_test_id("funds-done")).to_contain_text(
        "Deposited ¥100.00; balance ¥500,100.00"
    )
    page.get_by_test_id("funds-amount").fill("20000")  # the operator kept ¥10,000 − ¥100
    page.get_by_test_id("funds-deposit").click()
    error = page.get_by_test_id("funds-result").get_by_test_id("error")
    expect(error).to_contain_text("holds ¥9,900.00 of sCNY, less than the ¥20,000.00 to deposit")
    assert "units" not in error.inner_text()
    shot(page, "pages-21-deposit-phone")


def test_the_statement_date_picker_can_pick_today_in_china_time(
    browser: Any,
    stack: Stack,
) -> None:
    page = open_page(browser, stack, PHONE, wallet=None, lang="zh", path="/#/consortium")
    # 20:00 UTC on 1 Dec is 04:00 on 2 Dec in China: "today" is the 2nd
    page.clock.set_fixed_time(datetime(2026, 12, 1, 20, 0, tzinfo=UTC))
    page.goto(stack.url + "/#/auditor")
    page.reload()
    expect(page.get_by_test_id("statement-to")).to_have_attribute("max", "2026-12-02")


def test_phone_selects_show_the_whole_program_name(
    browser: Any,
    stack: Stack,
) -> None:
    page = open_page(browser, stack, PHONE, wallet=SigningWallet(stack.chain.user_keys[0]))
    connect(page)
    cut = page.evaluate(
        """() => [...document.querySelectorAll("select")].flatMap((select) => {
          const style = getComputedStyle(select);
          const pen = document.createElement("canvas").getContext("2d");
          pen.font = `${style.fontSize} ${style.fontFamily}`;
          const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
          const room = select.clientWidth - padding - 16; // 16 px: the arrow
          return [...select.options].filter((o) => pen.measureText(o.text).width > room)
            .map((o) => o.text);
        })"""
    )
    assert cut == []
