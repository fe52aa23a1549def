"""Answers that tell the truth: a transaction never sent is not "pending", a rejected order is
named by its code (and a cancelled one as cancelled), a misspelt query parameter is refused
rather than ignored, and one address is taken in the same forms everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.chains import TestChain
from tongdui.indexer import Indexer
from tongdui.services import Services

from .api_support import LiveApi, live_api, make_keys
from .relayer_helpers import address, drain, make_relayer, order_body, user_sends, withdraw_cover


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(services) as live:
        live.keys = make_keys(services, clean_chain.tokens)
        yield live


def test_a_transaction_never_sent_is_not_found_not_pending(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    answer = api.client.get(
        f"/merchants/{token}/transactions/0x{'ab' * 32}", headers=api.auth("SKYM")
    )
    assert answer.status_code == 404, answer.text  # was: 200 {"status": "pending"}
    assert answer.json()["code"] == "TRANSACTION_NOT_FOUND"
    issued = api.client.post(
        f"/merchants/{token}/issue",
        json={"to": address(clean_chain.user_keys[2]), "amount": 5},
        headers=api.auth("SKYM"),
    ).json()
    known = api.client.get(
        f"/merchants/{token}/transactions/{issued['txHash']}", headers=api.auth("SKYM")
    )
    assert known.status_code == 200 and known.json()["status"] == "mined"


def rejected_items(api: LiveApi, services: Services, owner: str) -> list[dict[str, object]]:
    Indexer(services, progress=False).run_once()
    history = api.client.get(f"/history/{owner}", params={"kind": "rejected"}).json()
    return [item["swap"] for item in history["items"]]


def test_history_names_a_rejected_order_by_its_code_not_its_selector(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    body = order_body(clean_chain, services, amount=1_000)
    assert api.client.post("/orders", json=body).status_code == 202
    withdraw_cover(clean_chain, "SKYM", leave=100)
    drain(make_relayer(services))
    (swap,) = rejected_items(api, services, body["owner"])
    assert swap["reason"] == "INSUFFICIENT_COVER"  # was: "0x…" (the error's selector)
    assert str(swap["reasonSelector"]).startswith("0x") and len(str(swap["reasonSelector"])) == 10
    assert "cannot cover" in str(swap["reasonMessage"])


def test_an_order_whose_nonce_was_cancelled_is_order_cancelled_not_nonce_used(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    key = clean_chain.user_keys[0]
    body = order_body(clean_chain, services, amount=1_000)
    posted = api.client.post("/orders", json=body)
    assert posted.status_code == 202
    nonce = int(body["nonce"])
    exchange = clean_chain.platform.exchange.functions
    # the owner cancels the nonce on chain itself while the order waits in the queue
    user_sends(clean_chain, key, exchange.cancelNonces(nonce >> 8, 1 << (nonce & 0xFF)))
    drain(make_relayer(services))
    final = api.client.get(f"/orders/{posted.json()['orderHash']}").json()
    assert final["state"] == "rejected"
    assert final["reason"]["code"] == "ORDER_CANCELLED"  # was: NONCE_USED
    # The chain's rejection names a nonce the relayer claims and the owner's cancellation had
    # already used (nonceConsumed = false): it is not verified as the owner's, so it stays out
    # of the owner's history (issue 13, point 14); the order itself says ORDER_CANCELLED.
    assert rejected_items(api, services, body["owner"]) == []


@pytest.mark.parametrize(
    ("path", "params", "unknown"),
    [
        ("/statements", {"from": "2026-11-01", "to": "2026-11-30"}, "from"),
        ("/history/{owner}", {"kinds": "swap"}, "kinds"),
        ("/orders", {"owner": "{owner}", "limt": "5"}, "limt"),
        (
            "/quote",
            {"from": "{token}", "to": "{other}", "amount": "5", "minblock": "3"},
            "minblock",
        ),
        ("/merchants", {"block": "3"}, "block"),
    ],
)
def test_a_misspelt_query_parameter_is_refused_naming_it(
    api: LiveApi, clean_chain: TestChain, path: str, params: dict[str, str], unknown: str
) -> None:
    values = {
        "owner": address(clean_chain.user_keys[0]),
        "token": clean_chain.tokens["SKYM"],
        "other": clean_chain.tokens["BEAN"],
    }
    answer = api.client.get(
        path.format(**values), params={k: v.format(**values) for k, v in params.items()}
    )
    assert answer.status_code == 422, answer.text  # was: ignored (a whole-history statement …)
    body = answer.json()
    assert body["code"] == "INVALID_REQUEST" and body["details"]["parameter"] == unknown
    assert repr(unknown) in body["message"]


@pytest.mark.parametrize("limit", ["５", " 5", "5 ", "5_0", "+5"])
def test_integer_query_parameters_take_ascii_digits_only(
    api: LiveApi, clean_chain: TestChain, limit: str
) -> None:
    owner = address(clean_chain.user_keys[0])
    answer = api.client.get("/orders", params={"owner": owner, "limit": limit})
    assert answer.status_code == 422 and answer.json()["details"]["parameter"] == "limit"


def test_orders_take_an_owner_in_the_forms_balances_takes(
    api: LiveApi, clean_chain: TestChain
) -> None:
    owner = address(clean_chain.user_keys[0])
    for form in (owner, owner.lower(), owner[2:].lower(), owner[2:]):
        balances = api.client.get(f"/balances/{form}")
        orders = api.client.get("/orders", params={"owner": form})
        assert (balances.status_code, orders.status_code) == (200, 200), (form, orders.text)
    for bad in (owner + "\n", " " + owner, owner[:-1]):
        assert api.client.get("/orders", params={"owner": bad}).status_code == 422
        assert api.client.get(f"/balances/{quote(bad)}").status_code == 422
