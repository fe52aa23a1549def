"""POST /orders/bulk: up to 500 signed orders in one request, each accepted or refused on its
own with what POST /orders would answer for it alone, the chain read in one JSON-RPC batch per
hundred orders, and the valid ones stored and settled as any order."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web3 import HTTPProvider, Web3

from tests.chains import TestChain, free_port
from tongdui.chain.client import Platform
from tongdui.chain.rpc import rpc_for
from tongdui.relayer.chain_facts import FACTS_PER_BATCH, read_chain_facts, read_chain_facts_many
from tongdui.relayer.intake_checks import to_order
from tongdui.relayer.models import RelayerOrder
from tongdui.relayer.schemas import MAX_BULK_ORDERS, SwapOrderIn
from tongdui.services import Services

from .relayer_helpers import address, api, drain, make_relayer, order_body


@pytest.fixture
def client(services: Services) -> TestClient:
    return api(services)


def valid_orders(chain: TestChain, services: Services, count: int) -> list[dict[str, Any]]:
    """Orders of users 0 (SKYM → BEAN) and 2 (FRESH → BEAN), each well within its balance."""
    return [
        order_body(chain, services, user=0, amount=100 + i)
        if i % 2 == 0
        else order_body(chain, services, user=2, src="FRESH", dst="BEAN", amount=500 + i)
        for i in range(count)
    ]


def stored_hashes(services: Services) -> list[str]:
    with services.sessions() as session:
        return [row.order_hash for row in session.query(RelayerOrder).order_by(RelayerOrder.id)]


@pytest.fixture
def batches(services: Services, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The size of every JSON-RPC batch the backend sends to its node, counted by wrapping the
    real client (the chain is the real anvil)."""
    rpc = rpc_for(services.w3)
    sizes: list[int] = []
    real: Callable[[list[Any]], list[dict[str, Any]]] = rpc.answers

    def counted(calls: list[Any]) -> list[dict[str, Any]]:
        sizes.append(len(calls))
        return real(calls)

    monkeypatch.setattr(rpc, "answers", counted)
    yield sizes


def test_a_bulk_of_valid_orders_is_accepted_and_every_order_settles(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    bodies = valid_orders(clean_chain, services, 6)
    answer = client.post("/orders/bulk", json={"orders": bodies})
    assert answer.status_code == 200, answer.text
    bulk = answer.json()
    assert (bulk["accepted"], bulk["refused"]) == (6, 0)
    results = bulk["results"]
    assert [(r["index"], r["status"], r["error"]) for r in results] == [
        (i, 202, None) for i in range(6)
    ]
    assert [r["order"]["state"] for r in results] == ["received"] * 6
    assert all(r["orderHash"] == r["order"]["orderHash"] for r in results)
    drain(make_relayer(services))
    finals = [client.get(f"/orders/{r['orderHash']}").json() for r in results]
    assert [f["state"] for f in finals] == ["settled"] * 6, [f["reason"] for f in finals]
    bean = clean_chain.platform.points_token(clean_chain.tokens["BEAN"])
    user2 = address(clean_chain.user_keys[2])
    assert bean.functions.balanceOf(user2).call() == sum(f["amountOut"] for f in finals[1::2])


def test_a_mixed_bulk_answers_each_order_on_its_own_and_stores_only_the_valid_ones(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    valid = order_body(clean_chain, services, amount=1_000)
    badly_signed = order_body(clean_chain, services, sign_with=clean_chain.user_keys[1])
    expired = order_body(clean_chain, services, deadline=int(time.time()) - 1)
    over_balance = order_body(clean_chain, services, amount=50_001)
    malformed = {**order_body(clean_chain, services), "amountIn": "12.5"}
    items = [valid, badly_signed, malformed, expired, over_balance, valid, "not an order"]
    answer = client.post("/orders/bulk", json={"orders": items})
    assert answer.status_code == 200, answer.text
    bulk = answer.json()
    said = [(r["status"], (r["error"] or {}).get("code")) for r in bulk["results"]]
    assert said == [
        (202, None),
        (400, "INVALID_SIGNER"),
        (422, "MALFORMED_ORDER"),
        (400, "ORDER_EXPIRED"),
        (400, "INSUFFICIENT_BALANCE"),
        (200, None),  # the same order again in this bulk: stored once, answered as itself
        (422, "MALFORMED_ORDER"),
    ]
    assert (bulk["accepted"], bulk["refused"]) == (2, 5)
    results = bulk["results"]
    assert results[5]["orderHash"] == results[0]["orderHash"] == results[5]["order"]["orderHash"]
    problems = results[2]["error"]["details"]["errors"]
    assert [p["field"] for p in problems] == ["orders.2.amountIn"]
    assert results[2]["orderHash"] is None and results[6]["orderHash"] is None
    assert results[1]["orderHash"] and results[1]["order"] is None
    assert stored_hashes(services) == [results[0]["orderHash"]]
    # each refusal is what POST /orders answers for that order alone
    for index, body in ((1, badly_signed), (3, expired), (4, over_balance)):
        alone = client.post("/orders", json=body)
        error = results[index]["error"]
        assert (alone.status_code, alone.json()["code"], alone.json()["message"]) == (
            results[index]["status"],
            error["code"],
            error["message"],
        )
        assert alone.json()["details"] == error["details"]


def test_a_bulk_of_501_orders_is_refused_saying_the_limit_and_to_split_it(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    body = order_body(clean_chain, services)
    answer = client.post("/orders/bulk", json={"orders": [body] * (MAX_BULK_ORDERS + 1)})
    assert answer.status_code == 413, answer.text
    error = answer.json()
    assert error["code"] == "TOO_MANY_ORDERS"
    assert "at most 500" in error["message"] and "split" in error["message"]
    assert error["details"] == {"limit": 500, "count": 501}
    assert stored_hashes(services) == []


def test_an_empty_bulk_or_one_without_orders_is_malformed(client: TestClient) -> None:
    for body in ({"orders": []}, {}, {"orders": "0x12"}):
        answer = client.post("/orders/bulk", json=body)
        assert answer.status_code == 422 and answer.json()["code"] == "MALFORMED_ORDER", body


def test_posting_the_same_bulk_twice_answers_200_for_each_order(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    bodies = valid_orders(clean_chain, services, 4)
    first = client.post("/orders/bulk", json={"orders": bodies}).json()
    again = client.post("/orders/bulk", json={"orders": bodies}).json()
    assert [r["status"] for r in first["results"]] == [202] * 4
    assert [r["status"] for r in again["results"]] == [200] * 4
    hashes = [r["orderHash"] for r in first["results"]]
    assert [r["orderHash"] for r in again["results"]] == hashes
    assert (again["accepted"], again["refused"]) == (4, 0)
    assert stored_hashes(services) == hashes


def test_while_the_node_is_down_a_bulk_is_queued_unchecked_and_settles_when_it_is_back(
    clean_chain: TestChain, services: Services
) -> None:
    dead = Web3(HTTPProvider(f"http://127.0.0.1:{free_port()}"))
    platform = Platform(dead, services.deployment)
    offline = Services(services.settings, dead, platform, services.engine, services.sessions)
    bodies = valid_orders(clean_chain, services, 3)
    answer = api(offline).post("/orders/bulk", json={"orders": bodies})
    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == [202] * 3
    drain(make_relayer(services))
    hashes = [r["orderHash"] for r in answer.json()["results"]]
    finals = [api(services).get(f"/orders/{h}").json()["state"] for h in hashes]
    assert finals == ["settled"] * 3


def test_the_chain_facts_of_n_orders_are_read_in_ceil_n_over_the_batch_size_batches(
    clean_chain: TestChain, services: Services, batches: list[int]
) -> None:
    orders = [
        to_order(SwapOrderIn.model_validate(body))
        for body in valid_orders(clean_chain, services, FACTS_PER_BATCH * 2 + 1)
    ]
    facts = read_chain_facts_many(services, orders)
    assert len(batches) == math.ceil(len(orders) / FACTS_PER_BATCH) == 3
    assert len(read_chain_facts_many(services, orders[:7], per_batch=3)) == 7
    assert len(batches) == 3 + math.ceil(7 / 3)
    # the same facts as one order read alone
    assert [read_chain_facts(services, order) for order in orders[:3]] == facts[:3]


def test_a_bulk_reads_the_chain_in_one_batch_per_hundred_orders_and_nothing_per_order(
    client: TestClient, clean_chain: TestChain, services: Services, batches: list[int]
) -> None:
    bodies = valid_orders(clean_chain, services, 150)
    answer = client.post("/orders/bulk", json={"orders": bodies})
    assert answer.status_code == 200 and answer.json()["accepted"] == 150, answer.text
    assert len(batches) == 2


def test_the_openapi_document_describes_the_bulk_route_and_its_refusals(services: Services) -> None:
    document = api(services).get("/openapi.json").json()
    post = document["paths"]["/orders/bulk"]["post"]
    answer = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/BulkOrdersOut"}
    assert "`TOO_MANY_ORDERS`" in post["responses"]["413"]["description"]
    assert "`MALFORMED_ORDER`" in post["responses"]["422"]["description"]
    orders = document["components"]["schemas"]["BulkOrdersIn"]["properties"]["orders"]
    assert orders["items"] == {"$ref": "#/components/schemas/SwapOrderIn"}
    assert (orders["minItems"], orders["maxItems"]) == (1, MAX_BULK_ORDERS)
    assert "SwapOrderIn" in document["components"]["schemas"]
