"""What intake refuses, and how: oversized bodies (413), numbers the schema does not allow
(422), tokens without code and huge quotes (a 4xx or a right answer, never a 500), and gifts
the chain would refuse (a reused EIP-3009 nonce, the zero address)."""

from __future__ import annotations

import json

import pytest
from eth_account import Account
from fastapi.testclient import TestClient

from tests.chains import TestChain
from tongdui.api.body_limit import MAX_BODY_BYTES
from tongdui.api.routes.query import cny
from tongdui.services import Services

from .relayer_helpers import api, drain, make_relayer, order_body
from .test_intake_signatures import gift_body

ZERO = "0x" + "00" * 20


@pytest.fixture
def client(services: Services) -> TestClient:
    return api(services)


def test_a_body_padded_past_the_limit_is_refused_with_413(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    body = {**order_body(clean_chain, services), "padding": "x" * (MAX_BODY_BYTES + 1)}
    answer = client.post("/orders", content=json.dumps(body), headers={"content-type": "json"})
    assert answer.status_code == 413
    assert answer.json()["code"] == "PAYLOAD_TOO_LARGE"
    assert answer.json()["details"]["limit"] == MAX_BODY_BYTES


def test_a_chunked_body_past_the_limit_is_refused_with_413(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    body = json.dumps({**order_body(clean_chain, services), "padding": "x" * 2 * MAX_BODY_BYTES})

    def chunks() -> object:
        data = body.encode()
        for at in range(0, len(data), 4096):
            yield data[at : at + 4096]

    answer = client.post("/orders", content=chunks(), headers={"content-type": "json"})
    assert answer.status_code == 413 and answer.json()["code"] == "PAYLOAD_TOO_LARGE"


def test_an_order_under_the_limit_is_taken(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    answer = client.post("/orders", json=order_body(clean_chain, services))
    assert answer.status_code == 202, answer.text


@pytest.mark.parametrize("amount", ["50\n", " 50", "50 ", "０５０", "5_0", "+50", "50.0", "0x"])
def test_an_amount_the_schema_does_not_allow_is_malformed(
    client: TestClient, clean_chain: TestChain, services: Services, amount: str
) -> None:
    answer = client.post("/orders", json={**order_body(clean_chain, services), "amountIn": amount})
    assert answer.status_code == 422 and answer.json()["code"] == "MALFORMED_ORDER", answer.text


def test_hex_numbers_are_taken_as_wallet_libraries_sign_them(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    """ethers and eth-sig-util sign "0x3e8" as 1000: the same order, the same digest."""
    body = order_body(clean_chain, services, amount=1_000)
    hexed = {
        **body,
        "amountIn": "0x3e8",
        "deadline": hex(int(body["deadline"])),
        "chainId": hex(services.chain_id),
    }
    answer = client.post("/orders", json=hexed)
    assert answer.status_code == 202, answer.text
    assert answer.json()["amountIn"] == 1_000
    assert client.post("/orders", json=body).json()["orderHash"] == answer.json()["orderHash"]


@pytest.mark.parametrize("token", [ZERO, "0x" + "ab" * 20])
def test_an_order_from_a_token_without_code_is_unknown_market(
    client: TestClient, clean_chain: TestChain, services: Services, token: str
) -> None:
    body = order_body(clean_chain, services, from_token=token)
    answer = client.post("/orders", json=body)
    assert answer.status_code == 400, answer.text  # was: 500
    assert answer.json()["code"] == "UNKNOWN_MARKET"


def test_an_order_to_a_token_without_code_is_unknown_market(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    answer = client.post("/orders", json=order_body(clean_chain, services, to_token=ZERO))
    assert answer.status_code == 400 and answer.json()["code"] == "UNKNOWN_MARKET", answer.text


@pytest.mark.parametrize("amount", [10**27, 10**30, 2**128 - 1])
def test_a_huge_quote_is_a_clear_refusal_or_a_right_answer(
    client: TestClient, clean_chain: TestChain, amount: int
) -> None:
    tokens = clean_chain.tokens
    answer = client.get(
        "/quote", params={"from": tokens["SKYM"], "to": tokens["BEAN"], "amount": amount}
    )
    assert answer.status_code != 500, answer.text
    if answer.status_code == 200:
        quote = answer.json()
        assert quote["grossValueCny"] == cny(quote["grossValue"])
    else:
        assert 400 <= answer.status_code < 500 and answer.json()["code"]


def test_cny_is_exact_for_any_integer() -> None:
    assert cny(0) == "0.00" and cny(5) == "0.05" and cny(12_345) == "123.45"
    assert cny(10**40 + 7) == "1" + "0" * 37 + "0.07"
    assert cny(-250) == "-2.50"


def test_two_gifts_with_one_nonce_sent_together_the_second_is_refused(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    nonce = Account.create().key
    first = client.post("/gifts", json=gift_body(clean_chain, services, value=5, nonce=nonce))
    assert first.status_code == 202, first.text
    second = client.post("/gifts", json=gift_body(clean_chain, services, value=6, nonce=nonce))
    assert second.status_code == 409, second.text  # was: 202, then reverted on chain
    assert second.json()["code"] == "AUTHORIZATION_USED"
    assert second.json()["details"]["request"] == first.json()["requestHash"]
    drain(make_relayer(services))
    assert client.get(f"/gifts/{first.json()['requestHash']}").json()["state"] == "done"


def test_a_gift_to_the_zero_address_is_refused_at_intake(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    answer = client.post("/gifts", json=gift_body(clean_chain, services, to=ZERO))
    assert answer.status_code == 400 and answer.json()["code"] == "INVALID_RECIPIENT", answer.text
