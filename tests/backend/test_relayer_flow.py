"""Orders from intake to settlement: one order, a batch of several users, idempotency."""

from __future__ import annotations

import time

from tests.chains import TestChain
from tongdui.services import Services

from .relayer_helpers import (
    address,
    api,
    drain,
    make_relayer,
    order_body,
    user_sends,
    withdraw_cover,
)


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


def test_the_same_order_twice_is_one_order(clean_chain: TestChain, services: Services) -> None:
    client = api(services)
    body = order_body(clean_chain, services)
    first = client.post("/orders", json=body)
    second = client.post("/orders", json=body)
    assert (first.status_code, second.status_code) == (202, 200)
    assert first.json()["orderHash"] == second.json()["orderHash"]
    assert len(client.get("/orders", params={"owner": body["owner"]}).json()["orders"]) == 1
    drain(make_relayer(services))
    again = client.post("/orders", json=body)
    assert again.status_code == 200 and again.json()["state"] == "settled"


def test_the_order_hash_is_the_contracts_digest(clean_chain: TestChain, services: Services) -> None:
    body = order_body(clean_chain, services)
    answer = api(services).post("/orders", json=body).json()
    order = (
        body["owner"],
        body["fromToken"],
        body["toToken"],
        int(body["amountIn"]),
        int(body["minAmountOut"]),
        int(body["nonce"]),
        int(body["deadline"]),
        0,
    )
    digest = services.platform.exchange.functions.orderDigest(order).call()
    assert answer["orderHash"] == "0x" + digest.hex()


def test_a_batch_of_several_users_settles_in_one_transaction(
    clean_chain: TestChain, services: Services
) -> None:
    client = api(services)
    bodies = [
        order_body(clean_chain, services, user=0, amount=2_000),
        order_body(clean_chain, services, user=0, src="FRESH", dst="SKYM", amount=500),
        order_body(clean_chain, services, user=1, src="BEAN", dst="FRESH", amount=10),
        order_body(clean_chain, services, user=2, src="FRESH", dst="BEAN", amount=5_000),
    ]
    hashes = [client.post("/orders", json=b).json()["orderHash"] for b in bodies]
    relayer = make_relayer(services)
    time.sleep(services.settings.batch_max_wait)  # four orders are a batch once they waited
    report = relayer.run_once()
    assert len(report.batches) == 1
    drain(relayer)
    finals = [client.get(f"/orders/{h}").json() for h in hashes]
    assert [f["state"] for f in finals] == ["settled"] * 4
    assert len({f["txHash"] for f in finals}) == 1
    assert [f["amountOut"] for f in finals] == [199, 49, 997, 49]
    user1 = address(clean_chain.user_keys[1])
    fresh = clean_chain.platform.points_token(clean_chain.tokens["FRESH"])
    assert fresh.functions.balanceOf(user1).call() == 997


def test_an_owners_orders_list_shows_pending_and_finished_ones(
    clean_chain: TestChain, services: Services
) -> None:
    client = api(services)
    settled = client.post("/orders", json=order_body(clean_chain, services)).json()
    drain(make_relayer(services))
    pending = client.post("/orders", json=order_body(clean_chain, services, amount=100)).json()
    listed = client.get("/orders", params={"owner": settled["owner"]}).json()["orders"]
    assert [(o["orderHash"], o["state"]) for o in listed] == [
        (pending["orderHash"], "received"),
        (settled["orderHash"], "settled"),
    ]


def test_an_order_whose_cover_vanishes_before_settlement_is_rejected_with_the_reason(
    clean_chain: TestChain, services: Services
) -> None:
    client = api(services)
    answer = client.post("/orders", json=order_body(clean_chain, services, amount=1_000))
    withdraw_cover(clean_chain, "SKYM", leave=100)  # the merchant withdraws meanwhile
    drain(make_relayer(services))
    final = client.get(f"/orders/{answer.json()['orderHash']}").json()
    assert final["state"] == "rejected"
    assert final["reason"]["code"] == "INSUFFICIENT_COVER"
    assert final["blockNumber"] and final["amountOut"] is None


def test_an_order_whose_points_are_moved_away_is_rejected(
    clean_chain: TestChain, services: Services
) -> None:
    client = api(services)
    key = clean_chain.user_keys[0]
    answer = client.post("/orders", json=order_body(clean_chain, services, amount=40_000))
    sky = clean_chain.platform.points_token(clean_chain.tokens["SKYM"])
    user_sends(clean_chain, key, sky.functions.transfer(address(clean_chain.user_keys[1]), 20_000))
    drain(make_relayer(services))
    final = client.get(f"/orders/{answer.json()['orderHash']}").json()
    assert final["state"] == "rejected"
    assert final["reason"]["code"] == "ERC20_INSUFFICIENT_BALANCE"


def test_an_order_that_expires_in_the_queue_is_rejected_without_a_transaction(
    clean_chain: TestChain, services: Services
) -> None:
    import time

    client = api(services)
    # Long enough to pass intake even on a loaded machine, short enough to expire queued.
    deadline = int(time.time()) + 4
    answer = client.post("/orders", json=order_body(clean_chain, services, deadline=deadline))
    assert answer.status_code == 202, answer.text
    answer = answer.json()
    time.sleep(max(0.0, deadline - time.time()) + 1.1)
    drain(make_relayer(services))
    final = client.get(f"/orders/{answer['orderHash']}").json()
    assert (final["state"], final["reason"]["code"], final["txHash"]) == (
        "rejected",
        "ORDER_EXPIRED",
        None,
    )


def test_an_unknown_hash_is_not_found(services: Services) -> None:
    answer = api(services).get("/orders/0x" + "00" * 32)
    assert answer.status_code == 404 and answer.json()["code"] == "NOT_FOUND"


def test_the_domain_endpoint_gives_what_a_wallet_signs_with(services: Services) -> None:
    answer = api(services).get("/orders/domain").json()
    assert answer["domain"] == {
        "name": "Tongdui PointsExchange",
        "version": "1",
        "chainId": str(services.chain_id),  # every uint handed to a wallet is a string
        "verifyingContract": services.platform.exchange.address,
    }
    assert [f["name"] for f in answer["types"]["SwapOrder"]][-1] == "counter"
    # one primary type per set and no EIP712Domain: what ethers' signTypedData takes
    assert (list(answer["types"]), list(answer["cancelTypes"]), list(answer["giftTypes"])) == (
        ["SwapOrder"],
        ["CancelNonces"],
        ["TransferWithAuthorization"],
    )
    assert list(answer["domainTypes"]) == ["EIP712Domain"]


def test_the_openapi_document_describes_every_relayer_route(services: Services) -> None:
    paths = api(services).get("/openapi.json").json()["paths"]
    for path in (
        "/orders",
        "/orders/{order_hash}",
        "/orders/domain",
        "/gifts",
        "/gifts/{request_hash}",
        "/cancellations",
        "/cancellations/{request_hash}",
        "/cancel-all",
        "/cancel-all/{request_hash}",
        "/counters/{owner}",
    ):
        assert path in paths
    post = paths["/orders"]["post"]
    assert {"202", "200", "400", "409", "422"} <= set(post["responses"])
