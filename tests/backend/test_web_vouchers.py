"""Issue 16's pages in Chromium against the whole service: API, indexer, relayer and the
payments loop on the demo chain with its VoucherBook, and the test payment provider as its own
process (``tongdui payment-provider``). A merchant lists a product on its page; a user buys it
with another program's points, or with points and cash paid on the provider's page; the till
redeems the holder's QR code (pasted at the desk) and the wallet shows it used; a voucher is
gifted; points that expire are shown with their day.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.chains import TestChain
from tongdui.runner import make_payments
from tongdui.services import Services

from .payments_support import running_provider, voucher_book_of
from .test_web_browser import browser, expect, open_page  # noqa: F401 - fixture
from .web_support import DESKTOP, PHONE, SigningWallet, Stack, _Loop, running_stack, shot

# user 0 holds 50 000 SKYM (¥0.10 each) and 20 000 FRESH (¥0.01 each), no BEAN
LATTE = {"name": "Latte", "terms": "Any size", "price": 3000, "faceValue": 3200, "stock": 5}
HOTEL = {"name": "Hotel night", "terms": "One night", "price": 22000, "faceValue": 25000}
HOTEL["stock"] = 2


@pytest.fixture
def stack(
    services: Services, clean_chain: TestChain, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Stack]:
    """The browser tests' stack with the payments loop and the test payment provider."""
    with running_provider(services) as provider, running_stack(services, clean_chain) as running:
        monkeypatch.setenv("TONGDUI_PAYMENT_PROVIDER_URL", provider.url)
        monkeypatch.setenv("TONGDUI_PAYMENT_NOTIFY_URL", f"{running.url}/payments/notify")
        payments = _Loop("payments", make_payments(services))
        payments.start()
        try:
            yield running
        finally:
            payments.pause()


def list_product(stack: Stack, symbol: str, terms: dict[str, Any]) -> int:
    """``terms`` listed by the merchant's API (30 days' validity), seen by the shop."""
    token = stack.chain.tokens[symbol]
    body = {"validDays": 30, "perUserLimit": 0, "breakage": 0, **terms}
    headers = {"Authorization": f"Bearer {stack.api_keys[symbol]}"}
    url = f"{stack.url}/merchants/{token}/vouchers/products"
    answer = httpx.post(url, json=body, headers=headers, timeout=60)
    assert answer.status_code < 300, answer.text
    return shop_product(stack, terms["name"])


def shop_product(stack: Stack, name: str) -> int:
    for _ in range(100):
        products = httpx.get(f"{stack.url}/vouchers/products", timeout=10).json()
        found = [p["productId"] for p in products if p["name"] == name]
        if found:
            return int(found[0])
        time.sleep(0.3)
    raise AssertionError(f"{name} never reached the shop")


def quote(stack: Stack, product_id: int, pay_with: str, owner: str) -> dict[str, Any]:
    query = {"productId": product_id, "payWith": pay_with, "owner": owner}
    data: dict[str, Any] = httpx.get(f"{stack.url}/vouchers/quote", params=query, timeout=10).json()
    return data


def connect(page: Any) -> None:
    page.get_by_test_id("connect").click()
    expect(page.get_by_test_id("balances").locator("table")).to_be_visible()


def buy(page: Any, product_id: int, pay_with: str) -> Any:
    page.get_by_test_id("shop-pay-with").select_option(pay_with)
    product = page.get_by_test_id(f"product-{product_id}")
    expect(product.get_by_test_id("product-price")).to_contain_text(pay_with)
    product.get_by_test_id("buy").click()
    expect(product.get_by_test_id("checkout-points")).to_contain_text(pay_with)
    return product


def voucher_status(stack: Stack, voucher_id: int) -> tuple[str, int]:
    """(owner, status) on chain: status 1 active, 2 redeemed, 3 expired."""
    record = voucher_book_of(stack.services).functions.voucher(voucher_id).call()
    return str(record[1]), int(record[3])


def merchant_page(
    chromium: Any, stack: Stack, symbol: str, lang: str, viewport: dict[str, int]
) -> Any:
    page = open_page(chromium, stack, viewport, wallet=None, lang=lang, path="/#/merchant")
    page.get_by_test_id("api-key").fill(stack.api_keys[symbol])
    page.get_by_test_id("api-key-submit").click()
    expect(page.get_by_test_id("merchant-symbol")).to_have_text(symbol)
    return page


# the elements that stick out of a 390 px wide page (each by its test id or tag and class)
# (what scrolls inside a box of its own, a wide table, does not count)
WIDER_THAN_THE_PHONE = """(roots) => {
  const clips = (p) => ["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX);
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) if (clips(p)) return true;
    return false;
  };
  const width = document.documentElement.clientWidth + 1;
  return [...document.querySelectorAll(roots)]
    .filter((el) => el.getBoundingClientRect().right > width && !scrolls(el))
    .map((el) => el.dataset.testid || `${el.tagName.toLowerCase()}.${el.className}`).slice(0, 8);
}"""
# issue 16's sections of the merchant page (the page's older sections are not measured here)
TILL_SECTIONS = ", ".join(
    f"[data-testid=merchant-{name}] *"
    for name in ("desk", "expiryRule", "vouchers", "voucherSales")
)


def test_a_merchant_lists_a_product_and_a_user_buys_it_with_another_programs_points(
    browser: Any,  # noqa: F811
    stack: Stack,
) -> None:
    till = merchant_page(browser, stack, "BEAN", "en", DESKTOP)
    till.get_by_test_id("mv-name").fill("Latte")
    till.get_by_test_id("mv-terms").fill("Any size, any shop")
    till.get_by_test_id("mv-face").fill("32")
    till.get_by_test_id("mv-price").fill("30")
    till.get_by_test_id("mv-stock-initial").fill("5")
    till.get_by_test_id("mv-limit").fill("2")
    till.get_by_test_id("mv-list").click()
    expect(till.get_by_test_id("mv-listed")).to_contain_text("“Latte” is listed")
    expect(till.get_by_test_id("voucher-products")).to_contain_text("Latte")
    product_id = shop_product(stack, "Latte")

    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, PHONE, wallet=wallet)
    connect(page)
    q = quote(stack, product_id, "SKYM", wallet.address)
    assert q["cashAmount"] == 0
    product = buy(page, product_id, "SKYM")
    expect(product.get_by_test_id("checkout-points")).to_have_text(f"{q['pointsIn']:,} SKYM")
    expect(product.get_by_test_id("cash-more")).to_have_count(0)
    product.get_by_test_id("buy-sign").click()
    expect(product.get_by_test_id("purchase-done")).to_contain_text("You bought “Latte”")
    expect(page.get_by_test_id("my-vouchers")).to_contain_text("Latte")
    expect(page.get_by_test_id("points-SKYM")).to_have_text(f"{50_000 - q['pointsIn']:,}")
    assert stack.points("SKYM", wallet.address) == 50_000 - q["pointsIn"]
    signed = wallet.signed[0]
    assert signed["primaryType"] == "Purchase"
    assert signed["domain"]["verifyingContract"] == voucher_book_of(stack.services).address
    shot(page, "vouchers-e2e-1-bought-with-skym-phone")
    expect(till.get_by_test_id("merchant-vouchers").get_by_test_id("mv-sold")).to_have_text("1")
    assert not page.js_errors and not till.js_errors


def test_a_user_pays_points_and_cash_on_the_providers_page_and_gets_the_voucher(
    browser: Any,  # noqa: F811
    stack: Stack,
) -> None:
    product_id = list_product(stack, "BEAN", HOTEL)
    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, PHONE, wallet=wallet)
    connect(page)
    q = quote(stack, product_id, "FRESH", wallet.address)
    assert q["cashAmount"] > 0  # 20 000 FRESH are worth ¥200 of the ¥220
    product = buy(page, product_id, "FRESH")
    cash = f"¥{q['cashAmount'] / 100:,.2f}"
    expect(product.get_by_test_id("cash-more")).to_contain_text(f"{cash} more in cash")
    product.get_by_test_id("buy-sign").click()
    pay = product.get_by_test_id("pay-link")
    expect(pay).to_contain_text(f"Pay {cash}")
    with page.expect_popup() as popup:
        pay.click()
    provider_page = popup.value
    provider_page.locator("#pay").click()
    expect(provider_page.locator("body")).to_contain_text("Paid")
    expect(product.get_by_test_id("purchase-done")).to_contain_text("You bought “Hotel night”")
    expect(page.get_by_test_id("my-vouchers")).to_contain_text("Hotel night")
    assert stack.points("FRESH", wallet.address) == 20_000 - q["pointsIn"]
    assert wallet.signed[0]["message"]["cashAmount"] == str(q["cashAmount"])
    shot(page, "vouchers-e2e-2-points-and-cash-phone")
    assert not page.js_errors


def test_in_chinese_on_a_phone_the_till_redeems_the_pasted_code_and_the_wallet_shows_it_used(
    browser: Any,  # noqa: F811
    stack: Stack,
) -> None:
    product_id = list_product(stack, "BEAN", LATTE)
    wallet = SigningWallet(stack.chain.user_keys[0])
    page = open_page(browser, stack, PHONE, wallet=wallet, lang="zh")
    connect(page)
    product = buy(page, product_id, "SKYM")
    product.get_by_test_id("buy-sign").click()
    expect(product.get_by_test_id("purchase-done")).to_contain_text("已购得「Latte」")
    voucher = page.locator("[data-testid^=voucher-][data-name=Latte]")
    expect(voucher.get_by_test_id("state")).to_have_text("可使用")
    voucher.get_by_test_id("voucher-show").click()
    expect(voucher.locator("svg.qr")).to_be_visible()
    payload = voucher.get_by_test_id("voucher-payload").text_content()
    assert payload
    voucher_id = int(json.loads(payload)["redemption"]["voucherId"])
    shot(page, "vouchers-e2e-3-code-phone-zh")

    till = merchant_page(browser, stack, "BEAN", "zh", PHONE)
    till.get_by_test_id("desk-payload").fill(payload)
    expect(till.get_by_test_id("desk-voucher")).to_have_text(f"#{voucher_id}")
    till.get_by_test_id("desk-redeem").click()
    expect(till.get_by_test_id("desk-done")).to_contain_text(f"卡券 #{voucher_id} 已核销")
    shot(till, "vouchers-e2e-4-desk-phone-zh")
    expect(voucher.get_by_test_id("voucher-used")).to_contain_text("「Latte」已使用")
    assert voucher_status(stack, voucher_id) == (wallet.address, 2)
    shot(page, "vouchers-e2e-5-used-phone-zh")
    for shown, roots in ((page, "main *"), (till, TILL_SECTIONS)):
        assert not shown.js_errors
        assert shown.evaluate(WIDER_THAN_THE_PHONE, roots) == []


def test_a_user_gifts_a_voucher_to_a_friend(
    browser: Any,  # noqa: F811
    stack: Stack,
) -> None:
    product_id = list_product(stack, "BEAN", LATTE)
    wallet = SigningWallet(stack.chain.user_keys[0])
    friend = SigningWallet(stack.chain.user_keys[1]).address
    page = open_page(browser, stack, PHONE, wallet=wallet)
    connect(page)
    product = buy(page, product_id, "SKYM")
    product.get_by_test_id("buy-sign").click()
    expect(product.get_by_test_id("purchase-done")).to_be_visible()
    voucher = page.locator("[data-testid^=voucher-][data-name=Latte]")
    voucher_id = int(str(voucher.get_attribute("data-testid")).rsplit("-", 1)[1])
    voucher.get_by_test_id("voucher-gift").click()
    voucher.get_by_test_id("voucher-gift-to").fill(friend)
    voucher.get_by_test_id("voucher-gift-sign").click()
    expect(page.get_by_test_id("voucher-gift-done")).to_contain_text("gifted to")
    assert voucher_status(stack, voucher_id) == (friend, 1)
    assert wallet.signed[-1]["primaryType"] == "VoucherGift"
    expect(page.get_by_test_id("my-vouchers")).to_contain_text("You have no vouchers yet.")
    shot(page, "vouchers-e2e-6-gifted-phone")


def test_points_that_expire_are_shown_with_their_last_day(
    browser: Any,  # noqa: F811
    stack: Stack,
) -> None:
    points = stack.chain.platform.points_token(stack.chain.tokens["SKYM"])
    if not any(f.get("name") == "setExpiryRule" for f in points.abi):
        pytest.skip("PointsToken has no expiry yet: waits for w7-expiry's contract")
    till = merchant_page(browser, stack, "SKYM", "en", DESKTOP)
    till.get_by_test_id("rule-months").fill("24")
    till.get_by_test_id("rule-rounding").select_option("3")
    till.get_by_test_id("rule-save").click()
    expect(till.get_by_test_id("rule-text")).to_have_text(
        "24 months, rounded up to the end of the quarter"
    )
    last_day = till.get_by_test_id("rule-last-day").text_content()
    assert last_day
    user = SigningWallet(stack.chain.user_keys[2])
    till.get_by_test_id("issue-to").fill(user.address)
    till.get_by_test_id("issue-amount").fill("1200")
    till.get_by_test_id("issue-submit").click()
    expect(till.get_by_test_id("issue-done")).to_be_visible()
    page = open_page(browser, stack, PHONE, wallet=user, lang="zh")
    connect(page)
    day = last_day.rsplit(" ", 1)[-1]
    expect(page.get_by_test_id("expiry")).to_contain_text(f"1,200 SKYM 将于 {day} 到期")
    shot(page, "vouchers-e2e-7-expiry-phone-zh")
