"""Issue 16's pages in Chromium, in Chinese at phone size, against the answers SPEC16 section 3
fixes: the voucher, payment and expiry routes are answered in the browser (Playwright routes)
by a small in-memory model of them, the rest of the service (merchants, balances, keys) is the
real one. What is checked is the pages' side of the contract: what they show, what they ask
the wallet to sign and what they post. tests/backend/test_web_vouchers.py runs the same flows
against the real routes, the chain and the test payment provider.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from eth_account import Account
from eth_account.messages import encode_typed_data

from .test_web_browser import browser, expect, open_page, stack  # noqa: F401 - fixtures
from .web_support import PHONE, SCREENSHOTS, SigningWallet, Stack, shot

VOUCHER_BOOK = "0x" + "b0" * 20
DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
TYPES = {
    "Purchase": [
        {"name": "owner", "type": "address"},
        {"name": "productId", "type": "uint256"},
        {"name": "payToken", "type": "address"},
        {"name": "pointsIn", "type": "uint256"},
        {"name": "cashAmount", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ],
    "VoucherGift": [
        {"name": "from", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "voucherId", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ],
    "VoucherRedemption": [
        {"name": "voucherId", "type": "uint256"},
        {"name": "holder", "type": "address"},
        {"name": "deadline", "type": "uint256"},
    ],
}


@dataclass
class VoucherModel:
    """The voucher, payment and expiry routes as SPEC16 describes their answers."""

    stack: Stack
    holder: str
    vouchers: list[dict[str, Any]] = field(default_factory=list)
    purchases: dict[str, dict[str, Any]] = field(default_factory=dict)
    posted: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def products(self, pay_with: str | None) -> list[dict[str, Any]]:
        coffee = {
            "productId": 1, "merchant": self.stack.chain.tokens["BEAN"], "symbol": "BEAN",
            "name": "Latte", "terms": "Any size, any shop", "termsHash": "0x" + "33" * 32,
            "price": 3000, "faceValue": 3200, "stock": 40, "sold": 2, "perUserLimit": 2,
            "saleEndsAt": 0, "validUntil": 0, "validDays": 30, "breakage": 1, "paused": False,
        }  # fmt: skip
        if pay_with:  # BEAN at ¥1.00 a point; SKYM at ¥0.10
            coffee["quote"] = {"pointsIn": 30 if pay_with == "BEAN" else 300, "cashAmount": 0}
        return [coffee]

    def quote(self, query: dict[str, str]) -> dict[str, Any]:
        if query["payWith"] == "SKYM":  # 50 000 SKYM cover ¥30 many times over
            return {"pointsIn": 300, "cashAmount": 0, "pointsAvailable": 50_000, "cashNeeded": 0}
        # 10 BEAN held (¥10): ¥20 more in cash
        return {"pointsIn": 10, "cashAmount": 2000, "pointsAvailable": 10, "cashNeeded": 2000}

    def answer(self, route: Any) -> None:
        request = route.request
        url = urlsplit(request.url)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = json.loads(request.post_data) if request.post_data else {}
        path = url.path
        if request.method == "POST":
            self.posted.append((path, body))
        if path == "/vouchers/eip712":
            domain = {
                "name": "Tongdui VoucherBook", "version": "1",
                "chainId": str(self.stack.services.chain_id), "verifyingContract": VOUCHER_BOOK,
            }  # fmt: skip
            data: Any = {"domain": domain, "types": TYPES}
        elif path == "/vouchers/products":
            data = self.products(query.get("payWith"))
        elif path == "/vouchers/quote":
            data = self.quote(query)
        elif path == "/vouchers/purchases":
            purchase = body["purchase"]
            purchase_id = "0x" + f"{len(self.purchases) + 1:064x}"
            cash = int(purchase["cashAmount"])
            self.purchases[purchase_id] = {
                "purchaseId": purchase_id,
                "state": "received",
                "cash": cash,
                "polls": 0,
            }
            route.fulfill(status=202, json={"purchaseId": purchase_id, "state": "received"})
            return
        elif path.startswith("/vouchers/purchases/"):
            data = self.purchase_state(path.rsplit("/", 1)[-1])
        elif path == "/vouchers/gifts":
            gift = body["gift"]
            self.vouchers = [v for v in self.vouchers if str(v["voucherId"]) != gift["voucherId"]]
            received = {"requestHash": "0x" + "11" * 32, "state": "received", "to": gift["to"]}
            route.fulfill(status=202, json=received | {"voucherId": int(gift["voucherId"])})
            return
        elif path.startswith("/vouchers/gifts/"):
            data = {"requestHash": path.rsplit("/", 1)[-1], "state": "done", "voucherId": 1}
        elif path.endswith("/vouchers") and path.startswith("/accounts/"):
            data = list(reversed(self.vouchers))
        elif path.endswith("/expiry"):
            data = [
                {"token": self.stack.chain.tokens["SKYM"], "symbol": "SKYM", "key": 686,
                 "expiresAt": "2027-03-31", "lastDay": "2027-03-31", "expiresAtTime": 1_806_537_600,
                 "amount": 1200, "expired": False, "soon": False},
            ]  # fmt: skip
        elif path.endswith("/vouchers/products"):
            data = [
                dict(p, redeemed=sum(v["status"] == "redeemed" for v in self.vouchers), expired=0)
                for p in self.products(None)
            ]
        elif path.endswith("/vouchers/sales"):
            day = {"day": "2026-12-01", "sales": 2, "salesValue": 6000, "redemptions": 1}
            day |= {"redemptionsValue": 3000, "breakage": 0, "breakageValue": 0}
            data = {"token": self.stack.chain.tokens["BEAN"], "period": "day", "points": [day]}
        elif path.endswith("/vouchers/redeem"):
            redemption = body["redemption"]
            signer = Account.recover_message(
                encode_typed_data(full_message=self.redemption_document(redemption)),
                signature=body["signature"],
            )
            assert signer == redemption["holder"]
            for voucher in self.vouchers:
                if str(voucher["voucherId"]) == redemption["voucherId"]:
                    voucher["status"] = "redeemed"
            data = {"state": "redeemed", "txHash": "0x" + "ab" * 32, "voucherId": 1}
        elif path.endswith("/expiry-rule"):
            data = {"validityMonths": 24, "roundingMonths": 3, "currentKey": 707}
            data["currentLastDay"] = "2028-12-31"
        elif path.startswith("/mock-pay/"):
            purchase_id = path.rsplit("/", 1)[-1]
            if request.method == "POST":
                self.purchases[purchase_id]["paid"] = True
                route.fulfill(status=200, content_type="text/html", body="<p id=done>paid</p>")
                return
            button = "<button id=pay>Pay</button>"
            page = f"<form method=post action='/mock-pay/{purchase_id}'>{button}</form>"
            route.fulfill(status=200, content_type="text/html", body=page)
            return
        else:
            route.continue_()
            return
        route.fulfill(status=200, json=data)

    def purchase_state(self, purchase_id: str) -> dict[str, Any]:
        p = self.purchases[purchase_id]
        p["polls"] += 1
        answer: dict[str, Any] = {"purchaseId": purchase_id, "state": "received"}
        if p["cash"] and p["polls"] > 1:
            pay_url = f"{self.stack.url}/mock-pay/{purchase_id}"
            state = "settled" if p.get("paid") else "pending_cash"
            answer |= {
                "state": state,
                "payment": {
                    "paymentId": "0x" + "22" * 32,
                    "payUrl": pay_url,
                    "amount": p["cash"],
                    "state": "paid" if p.get("paid") else "open",
                },
            }
        elif p["polls"] > 1:
            answer["state"] = "settled"
        if answer["state"] == "settled" and not p.get("issued"):
            p["issued"] = True
            self.vouchers.append(
                {
                    "voucherId": len(self.vouchers) + 1,
                    "productId": 1,
                    "name": "Latte",
                    "status": "active",
                    "expiresAt": 1_798_675_200,
                    "merchant": self.stack.chain.tokens["BEAN"],
                    "faceValue": 3200,
                    "owner": self.holder,
                }
            )
        return answer

    def redemption_document(self, redemption: dict[str, str]) -> dict[str, Any]:
        domain = {
            "name": "Tongdui VoucherBook",
            "version": "1",
            "chainId": self.stack.services.chain_id,
            "verifyingContract": VOUCHER_BOOK,
        }
        message = {k: int(v) if k != "holder" else v for k, v in redemption.items()}
        return {
            "types": {
                "EIP712Domain": DOMAIN_FIELDS,
                "VoucherRedemption": TYPES["VoucherRedemption"],
            },
            "primaryType": "VoucherRedemption",
            "domain": domain,
            "message": message,
        }


MOCKED = re.compile(
    r"/(vouchers|mock-pay)/"
    r"|/accounts/0x[0-9a-fA-F]{40}/(vouchers|expiry)$"
    r"|/merchants/0x[0-9a-fA-F]{40}/(vouchers/|expiry-rule)"
)


def mocked(page: Any, model: VoucherModel) -> None:
    page.context.route(lambda url: bool(MOCKED.search(urlsplit(url).path)), model.answer)


def test_in_chinese_on_a_phone_a_user_pays_points_and_cash_shows_the_code_and_sees_it_used(
    browser: Any,  # noqa: F811
    stack: Stack,  # noqa: F811
) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    model = VoucherModel(stack, wallet.address)
    page = open_page(browser, stack, PHONE, wallet=wallet, lang="zh", path="/assets/logo.svg")
    mocked(page, model)
    page.goto(stack.url + "/")
    page.get_by_test_id("connect").click()
    expect(page.get_by_test_id("expiry")).to_contain_text("1,200 SKYM 将于 2027-03-31 到期")

    product = page.get_by_test_id("product-1")
    expect(product).to_contain_text("Latte")
    page.get_by_test_id("shop-pay-with").select_option("BEAN")
    expect(product.get_by_test_id("product-price")).to_contain_text("30 BEAN")
    expect(product).to_contain_text("购买后 30 天内有效")
    product.get_by_test_id("buy").click()
    expect(product.get_by_test_id("cash-more")).to_contain_text("还需另付 ¥20.00")
    shot(page, "vouchers-1-cash-more-phone-zh")
    product.get_by_test_id("buy-sign").click()
    pay = product.get_by_test_id("pay-link")
    expect(pay).to_contain_text("去支付 ¥20.00")
    with page.expect_popup() as popup:
        pay.click()
    popup.value.locator("#pay").click()
    expect(popup.value.locator("#done")).to_have_text("paid")
    expect(product.get_by_test_id("purchase-done")).to_contain_text("已购得「Latte」")
    signed = wallet.signed[0]
    assert signed["primaryType"] == "Purchase"
    assert signed["domain"]["name"] == "Tongdui VoucherBook"
    assert signed["message"]["cashAmount"] == "2000"
    assert signed["message"]["pointsIn"] == "10"
    assert signed["message"]["payToken"] == stack.chain.tokens["BEAN"]

    voucher = page.get_by_test_id("voucher-1")
    expect(voucher.get_by_test_id("state")).to_have_text("可使用")
    voucher.get_by_test_id("voucher-show").click()
    expect(voucher.locator("svg.qr")).to_be_visible()
    expect(voucher.get_by_test_id("voucher-countdown")).to_contain_text("秒内有效")
    shot(page, "vouchers-2-code-phone-zh")
    payload = voucher.get_by_test_id("voucher-payload").text_content()
    assert payload and json.loads(payload)["redemption"]["voucherId"] == "1"

    till = open_page(browser, stack, PHONE, wallet=None, lang="zh", path="/assets/logo.svg")
    mocked(till, model)
    till.goto(stack.url + "/#/merchant")
    till.get_by_test_id("api-key").fill(stack.api_keys["BEAN"])
    till.get_by_test_id("api-key-submit").click()
    expect(till.get_by_test_id("merchant-vouchers")).to_contain_text("Latte")
    expect(till.get_by_test_id("mv-charts").locator("svg rect")).not_to_have_count(0)
    expect(till.get_by_test_id("rule-text")).to_have_text("24 个月，向上取整到季末")
    expect(till.get_by_test_id("rule-last-day")).to_have_text("可使用至 2028-12-31")
    till.get_by_test_id("desk-payload").fill(payload)
    expect(till.get_by_test_id("desk-voucher")).to_have_text("#1")
    till.get_by_test_id("desk-redeem").click()
    expect(till.get_by_test_id("desk-done")).to_contain_text("卡券 #1 已核销")
    shot(till, "vouchers-3-desk-phone-zh")
    for part in ("desk", "vouchers", "voucherSales", "expiryRule"):  # the merchant page is long
        locator = till.get_by_test_id(f"merchant-{part}").locator("xpath=..")
        locator.screenshot(path=str(SCREENSHOTS / f"vouchers-3-merchant-{part}-phone-zh.png"))

    expect(voucher.get_by_test_id("voucher-used")).to_contain_text("「Latte」已使用")
    shot(page, "vouchers-4-used-phone-zh")
    assert [d["primaryType"] for d in wallet.signed] == ["Purchase", "VoucherRedemption"]
    assert not page.js_errors and not till.js_errors
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the wallet is {width} px wide on a 390 px phone"


def test_in_english_a_user_buys_with_another_programs_points_and_gifts_the_voucher(
    browser: Any,  # noqa: F811
    stack: Stack,  # noqa: F811
) -> None:
    wallet = SigningWallet(stack.chain.user_keys[0])
    friend = SigningWallet(stack.chain.user_keys[1]).address
    model = VoucherModel(stack, wallet.address)
    page = open_page(browser, stack, PHONE, wallet=wallet, lang="en", path="/assets/logo.svg")
    mocked(page, model)
    page.goto(stack.url + "/")
    page.get_by_test_id("connect").click()
    product = page.get_by_test_id("product-1")
    page.get_by_test_id("shop-pay-with").select_option("SKYM")
    expect(product.get_by_test_id("product-price")).to_contain_text("300 SKYM")
    product.get_by_test_id("buy").click()
    expect(product.get_by_test_id("checkout-points")).to_have_text("300 SKYM")
    expect(product.get_by_test_id("cash-more")).to_have_count(0)
    product.get_by_test_id("buy-sign").click()
    expect(product.get_by_test_id("purchase-done")).to_contain_text("You bought “Latte”")
    voucher = page.get_by_test_id("voucher-1")
    voucher.get_by_test_id("voucher-gift").click()
    voucher.get_by_test_id("voucher-gift-to").fill(friend)
    voucher.get_by_test_id("voucher-gift-sign").click()
    expect(page.get_by_test_id("voucher-gift-done")).to_contain_text("gifted to")
    gift = wallet.signed[-1]
    assert gift["primaryType"] == "VoucherGift"
    assert gift["message"]["to"] == friend and gift["message"]["voucherId"] == "1"
    assert (
        "/vouchers/gifts",
        {"gift": gift["message"], "signature": model.posted[-1][1]["signature"]},
    ) == model.posted[-1]
    expect(page.get_by_test_id("my-vouchers")).to_contain_text("You have no vouchers yet.")
    shot(page, "vouchers-5-gifted-phone-en")
    assert not page.js_errors
