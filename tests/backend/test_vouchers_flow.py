"""Vouchers end to end on anvil: a product listed through the merchant API, bought over HTTP
with another program's points or the merchant's own, settled by the relayer's purchaseBatch,
indexed and served; refusals at intake and rejections on chain with their codes; gifts; the
till's redemption (once, not after expiry, a cashier's key yes, a key without redeem no)."""

from __future__ import annotations

from tests.chains import TestChain
from tongdui.services import Services

from .voucher_support import (
    address,
    drain,
    list_product,
    purchase_body,
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
    assert [(v["voucherId"], v["status"], v["name"]) for v in mine] == [
        (1, "active", "Any coffee")
    ]
