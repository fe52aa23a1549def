"""Orders from intake to settlement: one order, a batch of several users, idempotency."""

from __future__ import annotations

from tongdui.services import Services

from .conftest import TestChain
from .relayer_helpers import address, api, drain, make_relayer, order_body


def test_a_signed_order_is_accepted_then_settles_with_its_amounts(
    clean_chain: TestChain, services: Services
) -> None:
    client = api(services)
    answer = client.post("/orders", json=order_body(clean_chain, services, amount=1_000))
    assert answer.status_code == 202, answer.text
    order_hash = answer.json()["orderHash"]
    assert answer.json()["state"] == "received"
    drain(make_relayer(services))
    final = client.get(f"/orders/{order_hash}").json()
    assert final["state"] == "settled", final["reason"]
    # 1 000 SKYM × 10 = 10 000 fen; fee 30; 9 970 / 100 → 99 BEAN; dust 70 joins the fee
    assert final["amountOut"] == 99 and final["fee"] == 100 and final["grossValue"] == 10_000
    assert final["txHash"] and final["blockNumber"]
    bean = clean_chain.platform.points_token(clean_chain.tokens["BEAN"])
    assert bean.functions.balanceOf(address(clean_chain.user_keys[0])).call() == 99
