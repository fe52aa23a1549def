"""The consortium's risk defaults over a live server (issue 18.6, the consortium side): a
reviewer signed in with a consortium key sets a default that every merchant's orders meet,
sees every merchant's interceptions while a merchant sees only its own, retires the default;
a merchant cannot retire it, a merchant key cannot reach the consortium's routes, and each
change is a line of the operation log naming the reviewer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from eth_account import Account

from tests.backend.api_support import LiveApi, live_api, make_keys
from tests.chains import TestChain
from tongdui.core.config import ANVIL_KEYS
from tongdui.core.db import transaction
from tongdui.onboarding.keys import create_consortium_key
from tongdui.services import Services

from .relayer_helpers import order_body


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(services) as live:
        live.keys = make_keys(services, clean_chain.tokens)
        with transaction(services.sessions) as session:
            member = Account.from_key(ANVIL_KEYS[1]).address
            live.keys["reviewer"] = create_consortium_key(session, member, "王芳")
        yield live


def add_default(api: LiveApi, **rule: Any) -> dict[str, Any]:
    answer = api.client.post("/consortium/risk/rules", json=rule, headers=api.auth("reviewer"))
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def post_order(api: LiveApi, chain: TestChain, services: Services, **fields: Any) -> Any:
    return api.client.post("/orders", json=order_body(chain, services, **fields))


def test_a_reviewers_default_refuses_every_merchants_orders_over_it_until_retired(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    rule = add_default(api, kind="amount", action="refuse", maxAmount=500)
    assert rule["scope"] == "consortium"
    for src, dst in (("SKYM", "BEAN"), ("FRESH", "BEAN")):
        refused = post_order(api, clean_chain, services, src=src, dst=dst, amount=501)
        assert (refused.status_code, refused.json()["code"]) == (400, "RISK_AMOUNT"), src
    listed = api.client.get("/consortium/risk/rules", headers=api.auth("reviewer")).json()
    assert [r["id"] for r in listed] == [rule["id"]]
    retired = api.client.delete(
        f"/consortium/risk/rules/{rule['id']}", headers=api.auth("reviewer")
    )
    assert retired.status_code == 200, retired.text
    assert api.client.get("/consortium/risk/rules", headers=api.auth("reviewer")).json() == []
    accepted = post_order(api, clean_chain, services, amount=501)
    assert accepted.status_code == 202, accepted.text


def test_the_consortium_counts_every_merchants_interceptions_and_a_merchant_only_its_own(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    add_default(api, kind="amount", action="refuse", maxAmount=500)
    post_order(api, clean_chain, services, src="SKYM", dst="BEAN", amount=501)
    post_order(api, clean_chain, services, src="FRESH", dst="BEAN", amount=501)
    post_order(api, clean_chain, services, src="FRESH", dst="BEAN", amount=502)
    every = api.client.get(
        "/consortium/risk/interceptions", params={"days": 7}, headers=api.auth("reviewer")
    ).json()
    assert sum(r["count"] for r in every) == 3
    skym = api.client.get(
        f"/merchants/{clean_chain.tokens['SKYM']}/risk/interceptions",
        headers=api.auth("SKYM:read"),
    ).json()
    assert sum(r["count"] for r in skym) == 1


def test_a_merchant_sees_the_default_but_cannot_retire_it(
    api: LiveApi, clean_chain: TestChain
) -> None:
    rule = add_default(api, kind="cooling", action="hold", windowSeconds=60)
    token = clean_chain.tokens["SKYM"]
    seen = api.client.get(f"/merchants/{token}/risk/rules", headers=api.auth("SKYM")).json()
    assert [(r["id"], r["scope"]) for r in seen] == [(rule["id"], "consortium")]
    answer = api.client.delete(
        f"/merchants/{token}/risk/rules/{rule['id']}", headers=api.auth("SKYM")
    )
    assert (answer.status_code, answer.json()["code"]) == (404, "RISK_RULE_NOT_FOUND")


@pytest.mark.parametrize("who", ["none", "merchant"])
def test_the_consortiums_risk_routes_need_a_consortium_key(
    api: LiveApi, clean_chain: TestChain, who: str
) -> None:
    headers = {} if who == "none" else api.auth("SKYM")
    for method, path in (
        ("GET", "/consortium/risk/rules"),
        ("POST", "/consortium/risk/rules"),
        ("GET", "/consortium/risk/interceptions"),
    ):
        body = {"kind": "amount", "action": "refuse", "maxAmount": 1} if method == "POST" else None
        answer = api.client.request(method, path, json=body, headers=headers)
        assert answer.status_code == 401, (method, path, answer.text)
    assert api.client.get("/consortium/risk/rules", headers=api.auth("reviewer")).json() == []


def test_a_default_rules_creation_and_retirement_are_logged_with_the_reviewer(
    api: LiveApi, clean_chain: TestChain
) -> None:
    rule = add_default(api, kind="amount", action="hold", maxAmount=10)
    api.client.delete(f"/consortium/risk/rules/{rule['id']}", headers=api.auth("reviewer"))
    entries = api.client.get("/consortium/oplog", headers=api.auth("reviewer")).json()["entries"]
    risk = [e for e in entries if e["action"].startswith("risk.")]
    assert [(e["action"], e["result"]["status"]) for e in risk] == [
        ("risk.rule.create", "ok"),
        ("risk.rule.delete", "ok"),
    ]
    assert {e["actor"]["reviewer"] for e in risk} == {"王芳"}
    assert risk[1]["target"] == str(rule["id"])
    assert api.client.get("/audit/oplog/verify").json()["ok"] is True
