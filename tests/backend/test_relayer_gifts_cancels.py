"""Gasless gifts (EIP-3009) and cancellations by signature, relayed and tracked."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.chains import TestChain
from tongdui.chain.eip712 import CancelNonces, digest, gift_struct_hash, sign_digest
from tongdui.client import TongduiApiError, TongduiClient
from tongdui.relayer.signed_requests import token_domain
from tongdui.services import Services

from .relayer_helpers import address, api, drain, http_server, make_relayer, order_body


@pytest.fixture
def client(services: Services) -> Iterator[TongduiClient]:
    with http_server(services) as url, TongduiClient(url) as tongdui:
        yield tongdui


def test_a_signed_gift_moves_points_without_the_giver_paying_gas(
    clean_chain: TestChain, services: Services, client: TongduiClient
) -> None:
    giver, friend = clean_chain.user_keys[0], address(clean_chain.user_keys[1])
    sky = clean_chain.platform.points_token(clean_chain.tokens["SKYM"])
    answer = client.gift(giver, clean_chain.tokens["SKYM"], friend, 1_234)
    assert answer["state"] == "received" and answer["kind"] == "gift"
    drain(make_relayer(services))
    final = client.gift_status(answer["requestHash"])
    assert final["state"] == "done" and final["txHash"] and final["blockNumber"]
    assert sky.functions.balanceOf(friend).call() == 1_234
    assert clean_chain.w3.eth.get_balance(address(giver)) == 0


def test_a_gift_signed_by_someone_else_is_invalid_signer(
    clean_chain: TestChain, services: Services
) -> None:
    token, to = clean_chain.tokens["SKYM"], address(clean_chain.user_keys[1])
    nonce, before = b"\x01" * 32, int(time.time()) + 600
    wrong = sign_digest(
        clean_chain.user_keys[2],
        digest(
            token_domain(services, token),
            gift_struct_hash(address(clean_chain.user_keys[0]), to, 5, 0, before, nonce),
        ),
    )
    answer = api(services).post(
        "/gifts",
        json={
            "token": token,
            "from": address(clean_chain.user_keys[0]),
            "to": to,
            "value": 5,
            "validAfter": 0,
            "validBefore": before,
            "nonce": "0x" + nonce.hex(),
            "signature": "0x" + wrong.hex(),
        },
    )
    assert (answer.status_code, answer.json()["code"]) == (400, "INVALID_SIGNER")


def test_an_expired_gift_and_an_oversized_gift_are_refused(
    clean_chain: TestChain, client: TongduiClient
) -> None:
    giver, to = clean_chain.user_keys[0], address(clean_chain.user_keys[1])
    with pytest.raises(TongduiApiError) as expired:
        client.gift(giver, clean_chain.tokens["SKYM"], to, 5, valid_before=int(time.time()) - 1)
    assert expired.value.code == "EXPIRED"
    with pytest.raises(TongduiApiError) as too_much:
        client.gift(giver, clean_chain.tokens["SKYM"], to, 50_001)
    assert too_much.value.code == "INSUFFICIENT_BALANCE"


def test_a_gift_with_a_missing_field_is_malformed(services: Services) -> None:
    answer = api(services).post("/gifts", json={"token": "0x" + "00" * 20})
    assert (answer.status_code, answer.json()["code"]) == (422, "MALFORMED_REQUEST")


def test_a_cancellation_voids_queued_orders_at_once_and_their_nonces_on_chain(
    clean_chain: TestChain, services: Services, client: TongduiClient
) -> None:
    key = clean_chain.user_keys[0]
    http = api(services)
    doomed = http.post("/orders", json=order_body(clean_chain, services, nonce=300)).json()
    kept = http.post("/orders", json=order_body(clean_chain, services, nonce=301)).json()
    [cancel] = client.cancel(key, [300, 302])
    assert cancel["cancelledOrders"] == [doomed["orderHash"]]
    order = http.get(f"/orders/{doomed['orderHash']}").json()
    assert (order["state"], order["reason"]["code"]) == ("rejected", "ORDER_CANCELLED")

    drain(make_relayer(services))
    assert client.cancellation(cancel["requestHash"])["state"] == "done"
    assert http.get(f"/orders/{kept['orderHash']}").json()["state"] == "settled"
    exchange = services.platform.exchange.functions
    owner = address(key)
    assert exchange.isNonceUsed(owner, 300).call() and exchange.isNonceUsed(owner, 302).call()
    refused = http.post("/orders", json=order_body(clean_chain, services, nonce=302))
    assert refused.json()["code"] == "NONCE_USED"


def test_a_cancellation_signed_by_someone_else_or_expired_is_refused(
    clean_chain: TestChain, services: Services
) -> None:
    owner = address(clean_chain.user_keys[0])
    exchange_domain = clean_chain.platform.exchange.address
    from tongdui.chain.eip712 import Domain

    domain = Domain(services.chain_id, exchange_domain)

    def body(signer: str, deadline: int) -> dict[str, object]:
        request = CancelNonces(owner, 0, 1, deadline)
        signature = sign_digest(signer, digest(domain, request.struct_hash()))
        return {
            "owner": owner,
            "word": 0,
            "mask": 1,
            "deadline": deadline,
            "signature": "0x" + signature.hex(),
        }

    http = api(services)
    later, past = int(time.time()) + 600, int(time.time()) - 1
    wrong = http.post("/cancellations", json=body(clean_chain.user_keys[1], later))
    assert (wrong.status_code, wrong.json()["code"]) == (400, "INVALID_SIGNER")
    expired = http.post("/cancellations", json=body(clean_chain.user_keys[0], past))
    assert (expired.status_code, expired.json()["code"]) == (400, "ORDER_EXPIRED")


def test_the_same_cancellation_twice_is_one_request(
    clean_chain: TestChain, services: Services, client: TongduiClient
) -> None:
    deadline = int(time.time()) + 600
    [first] = client.cancel(clean_chain.user_keys[0], [5], deadline=deadline)
    [second] = client.cancel(clean_chain.user_keys[0], [5], deadline=deadline)
    assert first["requestHash"] == second["requestHash"]


def _cancel_all_body(
    services: Services, key: str, counter: int, deadline: int
) -> dict[str, object]:
    from tongdui.chain.eip712 import IncrementCounter
    from tongdui.relayer.intake import exchange_domain

    owner = address(key)
    request = IncrementCounter(owner, counter, deadline)
    signature = sign_digest(key, digest(exchange_domain(services), request.struct_hash()))
    return {
        "owner": owner,
        "counter": counter,
        "deadline": deadline,
        "signature": "0x" + signature.hex(),
    }


def test_a_signed_cancel_all_voids_every_order_without_the_user_paying_gas(
    clean_chain: TestChain, services: Services
) -> None:
    key = clean_chain.user_keys[0]
    http = api(services)
    queued = http.post("/orders", json=order_body(clean_chain, services)).json()
    assert http.get(f"/counters/{address(key)}").json()["counter"] == 0

    accepted = http.post(
        "/cancel-all", json=_cancel_all_body(services, key, 0, int(time.time()) + 600)
    )

    assert accepted.status_code == 202
    answer = accepted.json()
    assert (answer["kind"], answer["cancelledOrders"]) == ("cancel_all", [queued["orderHash"]])
    order = http.get(f"/orders/{queued['orderHash']}").json()
    assert (order["state"], order["reason"]["code"]) == ("rejected", "ORDER_CANCELLED")
    drain(make_relayer(services))
    assert http.get(f"/cancel-all/{answer['requestHash']}").json()["state"] == "done"
    assert http.get(f"/counters/{address(key)}").json()["counter"] == 1
    assert clean_chain.w3.eth.get_balance(address(key)) == 0
    # Orders signed under the old counter are refused; under the new one they are taken.
    stale = http.post("/orders", json=order_body(clean_chain, services))
    assert stale.json()["code"] == "ORDER_CANCELLED"
    renewed = http.post("/orders", json=order_body(clean_chain, services, counter=1))
    assert renewed.status_code == 202


def test_a_cancel_all_for_a_stale_counter_is_refused_at_intake(
    clean_chain: TestChain, services: Services
) -> None:
    http = api(services)
    key = clean_chain.user_keys[0]
    stale = http.post(
        "/cancel-all", json=_cancel_all_body(services, key, 5, int(time.time()) + 600)
    )
    assert (stale.status_code, stale.json()["code"]) == (409, "COUNTER_MISMATCH")
    forged = _cancel_all_body(services, clean_chain.user_keys[1], 0, int(time.time()) + 600)
    forged["owner"] = address(key)
    wrong = http.post("/cancel-all", json=forged)
    assert (wrong.status_code, wrong.json()["code"]) == (400, "INVALID_SIGNER")
