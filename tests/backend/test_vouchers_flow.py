"""Vouchers end to end on anvil: a product listed through the merchant API, bought over HTTP
with another program's points or the merchant's own, settled by the relayer's purchaseBatch,
indexed and served; refusals at intake and rejections on chain with their codes; gifts; the
till's redemption (once, not after expiry, a cashier's key yes, a key without redeem no)."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

from tests.chains import TestChain
from tongdui.services import Services
from tongdui.vouchers.state import (
    PurchaseState,
    on_pending,
    pending_cash_purchases,
    purchase_state,
)

from .voucher_support import (
    address,
    advance,
    drain,
    gift_body,
    index,
    list_product,
    merchant_key,
    purchase_body,
    redemption_body,
    voucher_api,
)


def test_a_voucher_bought_with_another_programs_points_settles_and_moves_value_as_a_swap(
    clean_chain: TestChain, services: Services
) -> None:
    client = voucher_api(services)
    product_id = list_product(client, services, clean_chain, "BEAN")
    drain(services)
    listed = client.get("/vouchers/products", params={"merchant": "BEAN", "payWith": "SKYM"})
    assert listed.status_code == 200, listed.text
    (product,) = listed.json()
    assert product["name"] == "Any coffee" and product["stock"] == 10
    points_in = product["quote"]["pointsIn"]
    # 2 500 fen at 10 fen per SKYM, plus the 0.3 % fee rounded up: 251 SKYM
    assert points_in == 251
    user = clean_chain.user_keys[0]
    body = purchase_body(clean_chain, user, product_id, "SKYM", points_in)
    answer = client.post("/vouchers/purchases", json=body)
    assert answer.status_code == 202, answer.text
    purchase_id = answer.json()["purchaseId"]
    exchange = clean_chain.platform.exchange.functions
    bean, skym = clean_chain.tokens["BEAN"], clean_chain.tokens["SKYM"]
    bean_before, skym_before = exchange.market(bean).call()[5], exchange.market(skym).call()[5]
    drain(services)
    final = client.get(f"/vouchers/purchases/{purchase_id}").json()
    assert final["state"] == "settled", final
    assert final["voucherId"] == 1
    assert exchange.market(bean).call()[5] - bean_before == 2_500
    assert skym_before - exchange.market(skym).call()[5] == 2_510
    mine = client.get(f"/accounts/{address(user)}/vouchers").json()
    assert [(v["voucherId"], v["status"], v["name"]) for v in mine] == [(1, "active", "Any coffee")]


def _bought(client: TestClient, services: Services, chain: TestChain, **terms: Any) -> int:
    """User 1 buys a fresh BEAN product with 25 of its own BEAN; returns the voucher id."""
    product_id = list_product(client, services, chain, "BEAN", **terms)
    body = purchase_body(chain, chain.user_keys[1], product_id, "BEAN", 25)
    answer = client.post("/vouchers/purchases", json=body)
    assert answer.status_code == 202, answer.text
    drain(services)
    final = client.get(f"/vouchers/purchases/{answer.json()['purchaseId']}").json()
    assert final["state"] == "settled", final
    return int(final["voucherId"])


def test_a_voucher_bought_with_the_merchants_own_points_burns_them_without_a_fee(
    clean_chain: TestChain, services: Services
) -> None:
    client = voucher_api(services)
    bean = clean_chain.platform.points_token(clean_chain.tokens["BEAN"]).functions
    holder = address(clean_chain.user_keys[1])
    before = bean.balanceOf(holder).call()
    account = clean_chain.platform.exchange.functions.market(clean_chain.tokens["BEAN"])
    balance_before = account.call()[5]
    product_id = list_product(client, services, clean_chain, "BEAN")
    quote = client.get(
        "/vouchers/quote", params={"productId": product_id, "payWith": "BEAN", "owner": holder}
    ).json()
    assert quote == {"pointsIn": 25, "cashAmount": 0, "pointsAvailable": 300, "cashNeeded": 0}
    voucher_id = _bought(client, services, clean_chain)
    assert bean.balanceOf(holder).call() == before - 25
    assert account.call()[5] == balance_before  # no settlement move, no fee
    assert client.get(f"/accounts/{holder}/vouchers").json()[0]["voucherId"] == voucher_id


def test_the_quote_says_how_much_cash_tops_up_too_few_points(
    clean_chain: TestChain, services: Services
) -> None:
    client = voucher_api(services)
    product_id = list_product(client, services, clean_chain, "BEAN", price=50_000)
    holder = address(clean_chain.user_keys[1])  # 300 BEAN = ¥300 of a ¥500 voucher
    quote = client.get(
        "/vouchers/quote", params={"productId": product_id, "payWith": "BEAN", "owner": holder}
    ).json()
    assert quote == {
        "pointsIn": 300,
        "cashAmount": 20_000,
        "pointsAvailable": 300,
        "cashNeeded": 20_000,
    }


def test_purchases_the_contract_would_refuse_are_refused_at_intake_with_their_codes(
    clean_chain: TestChain, services: Services
) -> None:
    client = voucher_api(services)
    user = clean_chain.user_keys[1]
    token = clean_chain.tokens["BEAN"]
    limited = list_product(client, services, clean_chain, "BEAN", stock=1)
    paused = list_product(client, services, clean_chain, "BEAN", name="Paused coffee")
    ended = list_product(
        client, services, clean_chain, "BEAN", name="Ended", saleEndsAt=int(time.time()) + 5
    )
    client.post(
        f"/merchants/{token}/vouchers/products/{paused}/pause",
        headers=merchant_key(services, token),
    )

    def refused(product_id: int, points: int, **extra: Any) -> str:
        body = purchase_body(clean_chain, user, product_id, "BEAN", points, **extra)
        answer = client.post("/vouchers/purchases", json=body)
        assert answer.status_code >= 400, answer.text
        return str(answer.json()["code"])

    assert refused(limited, 24) == "VOUCHER_INSUFFICIENT_POINTS"
    assert refused(limited, 301) == "VOUCHER_INSUFFICIENT_POINTS"  # holds 300
    assert refused(paused, 25) == "VOUCHER_PRODUCT_PAUSED"
    assert refused(limited, 0, cash=2_501) == "VOUCHER_CASH_ABOVE_PRICE"
    assert refused(limited, 25, deadline=int(time.time()) - 1) == "VOUCHER_REQUEST_EXPIRED"
    assert refused(99, 25) == "VOUCHER_UNKNOWN_PRODUCT"
    first = client.post(
        "/vouchers/purchases", json=purchase_body(clean_chain, user, limited, "BEAN", 25)
    )
    assert first.status_code == 202
    assert refused(limited, 25) == "VOUCHER_SOLD_OUT"  # the one unit is queued
    forged = purchase_body(clean_chain, clean_chain.user_keys[0], limited, "BEAN", 25)
    forged["purchase"]["owner"] = address(user)
    assert (
        client.post("/vouchers/purchases", json=forged).json()["code"] == "VOUCHER_INVALID_SIGNER"
    )
    capped = list_product(client, services, clean_chain, "BEAN", name="Once", perUserLimit=1)
    assert (
        client.post(
            "/vouchers/purchases", json=purchase_body(clean_chain, user, capped, "BEAN", 25)
        ).status_code
        == 202
    )
    assert refused(capped, 25) == "VOUCHER_LIMIT_REACHED"
    # intake judges the sale's end by its own clock, as the contract by the block's
    time.sleep(max(0.0, int(time.time()) + 6 - time.time()))
    assert refused(ended, 25) == "VOUCHER_SALE_ENDED"


def test_a_purchase_the_chain_rejects_ends_rejected_with_the_contracts_reason(
    clean_chain: TestChain, services: Services
) -> None:
    client = voucher_api(services)
    token = clean_chain.tokens["BEAN"]
    product_id = list_product(client, services, clean_chain, "BEAN")
    body = purchase_body(clean_chain, clean_chain.user_keys[1], product_id, "BEAN", 25)
    answer = client.post("/vouchers/purchases", json=body)
    assert answer.status_code == 202, answer.text
    paused = client.post(
        f"/merchants/{token}/vouchers/products/{product_id}/pause",
        headers=merchant_key(services, token),
    )
    assert paused.status_code == 200, paused.text
    drain(services)
    final = client.get(f"/vouchers/purchases/{answer.json()['purchaseId']}").json()
    assert final["state"] == "rejected"
    assert final["reason"]["code"] == "VOUCHER_PRODUCT_PAUSED"


def test_a_voucher_given_away_belongs_to_its_new_holder(
    clean_chain: TestChain, services: Services
) -> None:
    client = voucher_api(services)
    voucher_id = _bought(client, services, clean_chain)
    friend = address(clean_chain.user_keys[2])
    gift = gift_body(clean_chain, clean_chain.user_keys[1], friend, voucher_id)
    answer = client.post("/vouchers/gifts", json=gift)
    assert answer.status_code == 202, answer.text
    drain(services)
    assert client.get(f"/vouchers/gifts/{answer.json()['requestHash']}").json()["state"] == "done"
    theirs = client.get(f"/accounts/{friend}/vouchers").json()
    assert [v["voucherId"] for v in theirs] == [voucher_id]
    giver = address(clean_chain.user_keys[1])
    assert voucher_id not in [
        v["voucherId"] for v in client.get(f"/accounts/{giver}/vouchers").json()
    ]


def _redeem(
    client: TestClient, services: Services, chain: TestChain, voucher_id: int,
    headers: dict[str, str], deadline: int | None = None,
) -> Any:  # fmt: skip
    token = chain.tokens["BEAN"]
    body = redemption_body(chain, chain.user_keys[1], voucher_id, deadline)
    return client.post(f"/merchants/{token}/vouchers/redeem", json=body, headers=headers)


def test_a_cashier_redeems_a_voucher_once_and_only_once(
    clean_chain: TestChain, services: Services
) -> None:
    client = voucher_api(services)
    voucher_id = _bought(client, services, clean_chain)
    token = clean_chain.tokens["BEAN"]
    cashier = merchant_key(services, token, "redeem,read")
    first = _redeem(client, services, clean_chain, voucher_id, cashier)
    assert first.status_code == 200, first.text
    assert first.json()["state"] == "redeemed"
    again = _redeem(client, services, clean_chain, voucher_id, cashier)
    assert again.status_code == 400 and again.json()["code"] == "VOUCHER_NOT_ACTIVE"
    index(services)
    holder = address(clean_chain.user_keys[1])
    assert client.get(f"/accounts/{holder}/vouchers").json()[0]["status"] == "redeemed"
    sales = client.get(
        f"/merchants/{token}/vouchers/sales", headers=merchant_key(services, token, "read")
    ).json()["points"]
    assert sum(p["redemptions"] for p in sales) == 1 and sum(p["sales"] for p in sales) == 1
    log = client.get(f"/merchants/{token}/oplog", headers=merchant_key(services, token))
    assert "voucher_redeem" in log.text


def test_a_key_without_the_redeem_scope_cannot_redeem(
    clean_chain: TestChain, services: Services
) -> None:
    client = voucher_api(services)
    voucher_id = _bought(client, services, clean_chain)
    token = clean_chain.tokens["BEAN"]
    issuer = merchant_key(services, token, "issue,read,vouchers")
    answer = _redeem(client, services, clean_chain, voucher_id, issuer)
    assert answer.status_code == 403, answer.text


def test_a_voucher_cannot_be_redeemed_after_it_expires(
    clean_chain: TestChain, services: Services
) -> None:
    client = voucher_api(services)
    now = clean_chain.w3.eth.get_block("latest")["timestamp"]
    voucher_id = _bought(
        client, services, clean_chain, name="Short", validDays=0, validUntil=now + 30
    )
    advance(clean_chain, 60)
    chain_now = clean_chain.w3.eth.get_block("latest")["timestamp"]
    token = clean_chain.tokens["BEAN"]
    answer = _redeem(
        client, services, clean_chain, voucher_id, merchant_key(services, token, "redeem"),
        deadline=chain_now + 120,
    )  # fmt: skip
    assert answer.status_code >= 400
    assert answer.json()["code"] == "VOUCHER_HAS_EXPIRED"


def test_a_purchase_with_a_cash_part_waits_for_its_cash_and_announces_it(
    clean_chain: TestChain, services: Services
) -> None:
    client = voucher_api(services)
    product_id = list_product(client, services, clean_chain, "BEAN", price=50_000)
    announced: list[PurchaseState] = []
    on_pending(announced.append)
    body = purchase_body(clean_chain, clean_chain.user_keys[1], product_id, "BEAN", 300, 20_000)
    answer = client.post("/vouchers/purchases", json=body)
    assert answer.status_code == 202, answer.text
    purchase_id = answer.json()["purchaseId"]
    drain(services)
    final = client.get(f"/vouchers/purchases/{purchase_id}").json()
    assert final["state"] == "pending_cash" and final["cashAmount"] == 20_000
    assert final["cashDeadline"] and final["voucherId"] is None
    state = purchase_state(services, purchase_id)
    assert state is not None and state.state == "pending_cash"
    assert [s.purchase_id for s in announced] == [purchase_id]
    assert [s.purchase_id for s in pending_cash_purchases(services)] == [purchase_id]
