"""POST /orders refuses every order the chain would refuse, each with its own code."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.chains import TestChain
from tongdui.chain.eip712 import Domain
from tongdui.services import Services

from .relayer_helpers import (
    address,
    api,
    drain,
    make_relayer,
    order_body,
    set_issuance_cap,
    set_user_limit,
    user_sends,
    withdraw_cover,
)


def refused(client: TestClient, body: dict[str, Any], code: str, status: int = 400) -> str:
    answer = client.post("/orders", json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["code"] == code
    message: str = answer.json()["message"]
    assert len(message) > 20  # a sentence, not a code
    return message


@pytest.fixture
def client(services: Services) -> TestClient:
    return api(services)


def test_a_body_without_a_field_is_malformed(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    body = order_body(clean_chain, services)
    del body["amountIn"]
    message = refused(client, body, "MALFORMED_ORDER", 422)
    assert "amountIn" in message


def test_an_amount_that_is_not_a_decimal_number_is_malformed(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    refused(
        client, {**order_body(clean_chain, services), "amountIn": "12.5"}, "MALFORMED_ORDER", 422
    )


def test_amounts_may_be_json_integers_or_decimal_strings(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    body = order_body(clean_chain, services)
    body["amountIn"] = int(body["amountIn"])
    assert client.post("/orders", json=body).status_code == 202


def test_an_order_signed_for_another_chain_is_wrong_chain(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    refused(client, {**order_body(clean_chain, services), "chainId": 1}, "WRONG_CHAIN")


def test_an_order_signed_for_another_exchange_is_wrong_domain(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    other = "0x" + "12" * 20
    body = order_body(clean_chain, services, domain=Domain(services.chain_id, other))
    refused(client, {**body, "verifyingContract": other}, "WRONG_DOMAIN")


def test_a_signature_by_someone_else_is_invalid_signer(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    body = order_body(clean_chain, services, sign_with=clean_chain.user_keys[1])
    refused(client, body, "INVALID_SIGNER")


def test_a_signature_for_another_domain_is_invalid_signer(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    body = order_body(clean_chain, services, domain=Domain(5, services.platform.exchange.address))
    assert "GET /orders/domain" in refused(client, body, "INVALID_SIGNER")


def test_an_order_past_its_deadline_is_expired(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    refused(
        client, order_body(clean_chain, services, deadline=int(time.time()) - 1), "ORDER_EXPIRED"
    )


def test_a_nonce_taken_by_a_pending_order_is_used(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    assert (
        client.post("/orders", json=order_body(clean_chain, services, nonce=7)).status_code == 202
    )
    refused(client, order_body(clean_chain, services, nonce=7, amount=5), "NONCE_USED", 409)


def test_a_nonce_used_on_chain_is_used(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    assert (
        client.post("/orders", json=order_body(clean_chain, services, nonce=8)).status_code == 202
    )
    drain(make_relayer(services))
    refused(client, order_body(clean_chain, services, nonce=8, amount=5), "NONCE_USED", 409)


def test_an_order_signed_before_a_cancel_all_is_cancelled(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    key = clean_chain.user_keys[0]
    user_sends(clean_chain, key, services.platform.exchange.functions.incrementCounter())
    refused(client, order_body(clean_chain, services, counter=0), "ORDER_CANCELLED")
    assert (
        client.post("/orders", json=order_body(clean_chain, services, counter=1)).status_code == 202
    )


def test_a_counter_ahead_of_the_chain_is_wrong_counter(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    refused(client, order_body(clean_chain, services, counter=3), "WRONG_COUNTER")


def test_more_points_than_held_is_insufficient_balance(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    refused(client, order_body(clean_chain, services, amount=50_001), "INSUFFICIENT_BALANCE")


def test_pending_orders_count_against_the_balance(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    assert (
        client.post("/orders", json=order_body(clean_chain, services, amount=30_000)).status_code
        == 202
    )
    message = refused(
        client, order_body(clean_chain, services, amount=30_000), "INSUFFICIENT_BALANCE"
    )
    assert "30000 are promised to pending orders" in message


def test_a_minimum_above_the_quote_is_insufficient_output(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    refused(
        client,
        order_body(clean_chain, services, amount=1_000, min_amount_out=100),
        "INSUFFICIENT_OUTPUT",
    )


def test_a_swap_the_merchant_cannot_pay_is_insufficient_cover(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    withdraw_cover(clean_chain, "SKYM", leave=15_000)
    assert (
        client.post("/orders", json=order_body(clean_chain, services, amount=1_000)).status_code
        == 202
    )  # 10 000 of the 15 000 now promised
    refused(client, order_body(clean_chain, services, amount=1_000), "INSUFFICIENT_COVER")


def test_a_swap_above_the_users_window_limit_is_refused(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    set_user_limit(clean_chain, max_value=15_000, window=3_600)
    assert (
        client.post("/orders", json=order_body(clean_chain, services, amount=1_000)).status_code
        == 202
    )
    refused(client, order_body(clean_chain, services, amount=1_000), "USER_LIMIT_EXCEEDED")


def test_swap_in_filling_past_the_targets_cap_is_refused_up_front_as_cap_exceeded(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    set_issuance_cap(clean_chain, "BEAN", 350)  # 300 BEAN outstanding; 1,000 SKYM gives 99
    message = refused(client, order_body(clean_chain, services, amount=1_000), "CAP_EXCEEDED")
    assert "cap" in message
    assert (
        client.post("/orders", json=order_body(clean_chain, services, amount=500)).status_code
        == 202
    )


def test_zero_points_is_zero_amount(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    refused(client, order_body(clean_chain, services, amount=0), "ZERO_AMOUNT")


def test_swapping_a_program_into_itself_is_same_token(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    refused(client, order_body(clean_chain, services, dst="SKYM"), "SAME_TOKEN")


def test_a_token_that_is_no_program_is_unknown_market(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    body = order_body(clean_chain, services, to_token=address(clean_chain.user_keys[2]))
    refused(client, body, "UNKNOWN_MARKET")


def test_too_few_points_for_one_target_point_is_zero_output(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    refused(
        client,
        # 100 FRESH: the minimum order (100 fen), 1 fen of fee, and a BEAN star costs 100.
        order_body(clean_chain, services, user=2, src="FRESH", dst="BEAN", amount=100),
        "ZERO_OUTPUT",
    )


def test_dust_order_below_the_minimum_order_value_is_refused_at_intake(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    # The attack's intake side: orders too small to carry a fee, sent by the thousand for the
    # relayer to pay the gas. 99 FRESH are worth 99 fen, under the 100 fen minimum.
    answer = client.post(
        "/orders",
        json=order_body(clean_chain, services, user=2, src="FRESH", dst="SKYM", amount=99),
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "ORDER_VALUE_TOO_LOW"
    assert (body["details"]["gross_value"], body["details"]["min_order_value"]) == (99, 100)
