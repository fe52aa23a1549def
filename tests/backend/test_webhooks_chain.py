"""Webhooks on a real chain: a merchant registers an endpoint through its API (the secret
answered once), points issued on anvil reach a real receiver signed and final, and a reorg
(evm_snapshot/evm_revert) that undoes an issuance sends its reversal."""

# ruff: noqa: F401, F811 - pytest fixtures are imported by name

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.backend.api_support import LiveApi, live_api, make_keys
from tests.backend.indexer_support import database_url, index_services, issue, postgres_server_url
from tests.backend.webhook_support import Receiver
from tests.chains import TestChain
from tongdui.demo import demo_user_addresses
from tongdui.indexer import Indexer
from tongdui.services import Services
from tongdui.webhooks.delivery import Deliverer
from tongdui.webhooks.verify import HEADER, verify


def rpc(chain: TestChain, method: str, *params: object) -> object:
    return chain.w3.provider.make_request(method, list(params))["result"]  # type: ignore[arg-type]


@pytest.fixture
def api(index_services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(index_services) as live:
        live.keys = make_keys(index_services, clean_chain.tokens)
        yield live


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.down()


def register(api: LiveApi, token: str, url: str) -> tuple[int, str]:
    answer = api.client.post(
        f"/merchants/{token}/webhooks",
        json={"url": url, "eventTypes": ["points.issued"]},
        headers=api.auth("SKYM"),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return int(body["endpoint"]["id"]), str(body["secret"])


def test_a_read_key_lists_endpoints_but_cannot_register_one_or_see_a_secret(
    api: LiveApi, clean_chain: TestChain, receiver: Receiver
) -> None:
    token = clean_chain.tokens["SKYM"]
    endpoint_id, secret = register(api, token, receiver.url)
    refused = api.client.post(
        f"/merchants/{token}/webhooks",
        json={"url": receiver.url, "eventTypes": ["points.issued"]},
        headers=api.auth("SKYM:read"),
    )
    assert refused.status_code == 403
    listed = api.client.get(f"/merchants/{token}/webhooks", headers=api.auth("SKYM:read"))
    assert [e["id"] for e in listed.json()] == [endpoint_id]
    assert secret not in listed.text
    other = api.client.get(
        f"/merchants/{token}/webhooks/{endpoint_id + 1}/deliveries", headers=api.auth("SKYM")
    )
    assert other.json()["code"] == "WEBHOOK_NOT_FOUND"
    bad = api.client.post(
        f"/merchants/{token}/webhooks",
        json={"url": "ftp://example.test/x", "eventTypes": ["points.issued"]},
        headers=api.auth("SKYM"),
    )
    assert bad.json()["code"] == "WEBHOOK_INVALID"


def test_points_issued_on_chain_reach_the_receiver_signed_and_a_reorg_sends_the_reversal(
    api: LiveApi, clean_chain: TestChain, receiver: Receiver
) -> None:
    services = api.services
    token = clean_chain.tokens["SKYM"]
    indexer, deliverer = Indexer(services), Deliverer(services.sessions, services.chain_id)
    indexer.run_once()  # the seeded history: before the endpoint, so not sent to it
    endpoint_id, secret = register(api, token, receiver.url)
    user = demo_user_addresses()[1]
    issue(clean_chain.w3, clean_chain.platform, "SKYM", token, user, 7)
    fork_point = rpc(clean_chain, "evm_snapshot")
    issue(clean_chain.w3, clean_chain.platform, "SKYM", token, user, 8)
    indexer.run_once()
    deliverer.run_once()
    kept, undone = receiver.bodies()
    assert (kept["type"], kept["data"]["amount"], undone["data"]["amount"]) == (
        "points.issued",
        "7",
        "8",
    )
    for headers, body in receiver.received:
        verify(headers[HEADER], body, secret)

    rpc(clean_chain, "evm_revert", fork_point)
    issue(clean_chain.w3, clean_chain.platform, "SKYM", token, user, 9)
    rpc(clean_chain, "evm_mine")
    indexer.run_once()
    deliverer.run_once()
    bodies = receiver.bodies()
    assert [(b["type"], b["data"]["amount"]) for b in bodies[2:]] == [
        ("event.reversed", "8"),
        ("points.issued", "9"),
    ]
    assert bodies[2]["reverses"] == undone["id"]

    listed = api.client.get(
        f"/merchants/{token}/webhooks/{endpoint_id}/deliveries", headers=api.auth("SKYM:read")
    ).json()
    assert [d["eventId"] for d in listed] == [b["id"] for b in reversed(bodies)]
    assert all(d["state"] == "succeeded" and len(d["attempts"]) == 1 for d in listed)
    replayed = api.client.post(
        f"/merchants/{token}/webhooks/deliveries/{listed[-1]['id']}/replay",
        headers=api.auth("SKYM"),
    )
    assert replayed.json()["ok"] is True
    assert receiver.event_ids()[-1] == kept["id"]
