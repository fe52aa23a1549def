"""Risk rules at intake on a real chain (issue 18.6): a merchant configures rules through its
API; orders and gifts that trip one are refused with the rule's code or held; a reviewer
releases a held order (it settles) or refuses it (it ends rejected); the merchant's webhook
endpoint hears ``risk.intercepted`` and ``order.rejected`` once each."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from tests.backend.api_support import LiveApi, live_api, make_keys
from tests.backend.webhook_support import Receiver
from tests.chains import TestChain
from tongdui.client import TongduiApiError, TongduiClient
from tongdui.core.db import transaction
from tongdui.members.directory import MemberDirectory, load_pepper
from tongdui.merchant.keys import create_api_key
from tongdui.operations.models import OpLogEntry
from tongdui.relayer import Relayer
from tongdui.relayer.models import RECEIVED, SUBMITTED, RelayerOrder
from tongdui.risk.store import RuleSpec, create_rule
from tongdui.services import Services
from tongdui.webhooks.delivery import Deliverer

from .relayer_helpers import address, make_relayer, order_body


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(services) as live:
        live.keys = make_keys(services, clean_chain.tokens)
        with transaction(services.sessions) as session:
            live.keys["SKYM:risk"] = create_api_key(session, clean_chain.tokens["SKYM"], ["risk"])
            live.keys["BEAN:risk"] = create_api_key(session, clean_chain.tokens["BEAN"], ["risk"])
        yield live


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.down()


def add_rule(api: LiveApi, chain: TestChain, **rule: Any) -> dict[str, Any]:
    answer = api.client.post(
        f"/merchants/{chain.tokens['SKYM']}/risk/rules", json=rule, headers=api.auth("SKYM:risk")
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def post_order(api: LiveApi, chain: TestChain, services: Services, **fields: Any) -> Any:
    return api.client.post("/orders", json=order_body(chain, services, **fields))


def review(
    api: LiveApi, chain: TestChain, order_hash: str, decision: str, key: str = "SKYM:risk"
) -> httpx.Response:
    return api.client.post(
        f"/merchants/{chain.tokens['SKYM']}/risk/reviews",
        json={"hash": order_hash, "decision": decision},
        headers=api.auth(key),
    )


def state_of(api: LiveApi, order_hash: str) -> dict[str, Any]:
    result: dict[str, Any] = api.client.get(f"/orders/{order_hash}").json()
    return result


def settle_queue(relayer: Relayer, timeout: float = 30.0) -> None:
    """Relayer passes until no order is queued or in flight (held ones stay held)."""
    deadline = time.monotonic() + timeout
    while True:
        with relayer.services.sessions() as session:
            busy = session.scalar(
                select(RelayerOrder.id).where(RelayerOrder.state.in_((RECEIVED, SUBMITTED)))
            )
        if busy is None:
            return
        assert time.monotonic() < deadline, "orders still queued"
        relayer.run_once()
        time.sleep(0.02)


def test_an_order_over_the_amount_threshold_is_refused_at_intake_with_risk_amount(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    add_rule(api, clean_chain, kind="amount", action="refuse", maxAmount=500)
    refused = post_order(api, clean_chain, services, amount=501)
    assert refused.status_code == 400 and refused.json()["code"] == "RISK_AMOUNT"
    assert post_order(api, clean_chain, services, amount=500).status_code == 202
    # SKYM's rule does not touch an order that neither spends nor receives SKYM points
    other = post_order(api, clean_chain, services, src="FRESH", dst="BEAN", amount=501)
    assert other.status_code == 202, other.text


def test_a_velocity_burst_is_held_then_a_released_order_settles_and_a_refused_one_ends_rejected(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    add_rule(
        api, clean_chain, kind="velocity_address", action="hold", maxCount=1, windowSeconds=3600
    )
    answers = [post_order(api, clean_chain, services, amount=100) for _ in range(3)]
    assert [a.status_code for a in answers] == [202, 202, 202]
    first, second, third = (a.json() for a in answers)
    assert [first["state"], second["state"], third["state"]] == ["received", "held", "held"]
    assert second["reason"]["code"] == "RISK_VELOCITY"
    held = api.client.get(
        f"/merchants/{clean_chain.tokens['SKYM']}/risk/held", headers=api.auth("SKYM:read")
    ).json()
    assert [h["hash"] for h in held] == [second["orderHash"], third["orderHash"]]

    relayer = make_relayer(services)
    settle_queue(relayer)
    assert state_of(api, first["orderHash"])["state"] == "settled"
    assert review(api, clean_chain, second["orderHash"], "release").json()["state"] == "received"
    assert review(api, clean_chain, third["orderHash"], "refuse").json()["state"] == "rejected"
    settle_queue(relayer)
    assert state_of(api, second["orderHash"])["state"] == "settled"
    rejected = state_of(api, third["orderHash"])
    assert rejected["state"] == "rejected" and rejected["reason"]["code"] == "RISK_VELOCITY"
    again = review(api, clean_chain, third["orderHash"], "release")
    assert again.status_code == 409 and again.json()["code"] == "RISK_NOT_HELD"

    counts = api.client.get(
        f"/merchants/{clean_chain.tokens['SKYM']}/risk/interceptions", headers=api.auth("SKYM:read")
    ).json()
    assert sorted((c["outcome"], c["count"]) for c in counts) == [
        ("refused_on_review", 1),
        ("released", 1),
    ]
    with services.sessions() as session:
        actions = session.scalars(select(OpLogEntry.action).order_by(OpLogEntry.seq)).all()
    assert actions == ["risk.rule.create", "risk.review", "risk.review", "risk.review"]


def test_a_blocked_address_is_refused_with_risk_blocked(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    blocked = address(clean_chain.user_keys[1])
    add_rule(api, clean_chain, kind="blocklist", action="refuse", addresses=[blocked.lower()])
    refused = post_order(api, clean_chain, services, user=1, src="BEAN", dst="SKYM", amount=10)
    assert refused.status_code == 400 and refused.json()["code"] == "RISK_BLOCKED"
    assert post_order(api, clean_chain, services, user=0).status_code == 202


def test_a_new_address_within_its_cooling_period_is_held_and_an_old_one_is_not(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    known = post_order(api, clean_chain, services, user=0, amount=1_000).json()  # seen before
    with transaction(services.sessions) as session:
        session.execute(  # first seen two hours ago
            RelayerOrder.__table__.update()
            .where(RelayerOrder.order_hash == known["orderHash"])
            .values(created_at=time.time() - 7200)
        )
    add_rule(api, clean_chain, kind="cooling", action="hold", windowSeconds=3600)
    fresh = post_order(api, clean_chain, services, user=1, src="BEAN", dst="SKYM", amount=10).json()
    assert fresh["state"] == "held" and fresh["reason"]["code"] == "RISK_COOLING"
    old = post_order(api, clean_chain, services, user=0, amount=1_000).json()
    assert old["state"] == "received"


def test_a_held_order_is_never_settled_by_the_batcher_until_released(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    add_rule(api, clean_chain, kind="amount", action="hold", maxAmount=50)
    held = post_order(api, clean_chain, services, amount=60).json()
    assert held["state"] == "held"
    relayer = make_relayer(services)
    for _ in range(20):  # batch_max_wait is 0.05 s: every pass would take a queued order
        relayer.run_once()
        time.sleep(0.01)
    assert not relayer.batch_due()
    assert state_of(api, held["orderHash"])["state"] == "held"
    review(api, clean_chain, held["orderHash"], "release")
    settle_queue(relayer)
    assert state_of(api, held["orderHash"])["state"] == "settled"


def test_a_key_without_the_risk_scope_or_of_another_merchant_cannot_release_a_held_order(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    add_rule(api, clean_chain, kind="amount", action="hold", maxAmount=50)
    held = post_order(api, clean_chain, services, amount=60).json()
    read_only = review(api, clean_chain, held["orderHash"], "release", key="SKYM:read")
    assert read_only.status_code == 403 and read_only.json()["code"] == "FORBIDDEN"
    other = review(api, clean_chain, held["orderHash"], "release", key="BEAN:risk")
    assert other.status_code == 403
    bean = api.client.post(
        f"/merchants/{clean_chain.tokens['BEAN']}/risk/reviews",
        json={"hash": held["orderHash"], "decision": "release"},
        headers=api.auth("BEAN:risk"),
    )
    assert bean.status_code == 409 and bean.json()["code"] == "RISK_NOT_HELD"
    no_rules = api.client.post(
        f"/merchants/{clean_chain.tokens['SKYM']}/risk/rules",
        json={"kind": "amount", "action": "hold", "maxAmount": 1},
        headers=api.auth("SKYM:read"),
    )
    assert no_rules.status_code == 403
    assert state_of(api, held["orderHash"])["state"] == "held"


def test_a_gift_tripping_a_rule_is_refused_or_held_and_released_like_an_order(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    sky, friend = clean_chain.tokens["SKYM"], address(clean_chain.user_keys[2])
    add_rule(api, clean_chain, kind="amount", action="refuse", maxAmount=1_000)
    add_rule(api, clean_chain, kind="amount", action="hold", maxAmount=100)
    add_rule(api, clean_chain, kind="blocklist", action="refuse", addresses=[friend])
    with TongduiClient(api.url) as client:
        with pytest.raises(TongduiApiError) as too_much:
            client.gift(clean_chain.user_keys[0], sky, address(clean_chain.user_keys[1]), 1_001)
        assert too_much.value.code == "RISK_AMOUNT"
        with pytest.raises(TongduiApiError) as blocked:
            client.gift(clean_chain.user_keys[0], sky, friend, 5)
        assert blocked.value.code == "RISK_BLOCKED"
        gift = client.gift(clean_chain.user_keys[0], sky, address(clean_chain.user_keys[1]), 500)
        assert gift["state"] == "held" and gift["reason"]["code"] == "RISK_AMOUNT"
        relayer = make_relayer(services)
        relayer.run_once()
        assert client.gift_status(gift["requestHash"])["state"] == "held"
        assert (
            review(api, clean_chain, gift["requestHash"], "release").json()["state"] == "received"
        )
        deadline = time.monotonic() + 30
        while client.gift_status(gift["requestHash"])["state"] != "done":
            assert time.monotonic() < deadline
            relayer.run_once()
            time.sleep(0.02)
    points = clean_chain.platform.points_token(sky).functions
    assert points.balanceOf(address(clean_chain.user_keys[1])).call() >= 500


def test_a_member_who_moves_to_a_new_wallet_is_still_counted_by_member_velocity(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    sky = clean_chain.tokens["SKYM"]
    add_rule(
        api, clean_chain, kind="velocity_member", action="refuse", maxCount=1, windowSeconds=3600
    )
    with services.sessions() as session:
        members = MemberDirectory(session, load_pepper(services.settings.data_dir), sky)
        members.link("CRM-0042", address(clean_chain.user_keys[0]))
    assert post_order(api, clean_chain, services, user=0, amount=1_000).status_code == 202
    with services.sessions() as session:
        members = MemberDirectory(session, load_pepper(services.settings.data_dir), sky)
        members.link("CRM-0042", address(clean_chain.user_keys[1]))  # re-linked to a new wallet
    refused = post_order(api, clean_chain, services, user=1, src="BEAN", dst="SKYM", amount=10)
    assert refused.status_code == 400 and refused.json()["code"] == "RISK_VELOCITY"
    # an address linked to no member is not counted by the member rule
    unlinked = post_order(api, clean_chain, services, user=2, src="FRESH", dst="SKYM", amount=100)
    assert unlinked.status_code == 202, unlinked.text


def test_the_merchants_endpoint_hears_risk_intercepted_and_order_rejected_once_each(
    api: LiveApi, clean_chain: TestChain, services: Services, receiver: Receiver
) -> None:
    sky = clean_chain.tokens["SKYM"]
    registered = api.client.post(
        f"/merchants/{sky}/webhooks",
        json={"url": receiver.url, "eventTypes": ["risk.intercepted", "order.rejected"]},
        headers=api.auth("SKYM"),
    )
    assert registered.status_code == 200, registered.text
    add_rule(api, clean_chain, kind="amount", action="hold", maxAmount=50)
    body = order_body(clean_chain, services, amount=60)
    held = api.client.post("/orders", json=body).json()
    assert api.client.post("/orders", json=body).status_code == 200  # the same order again
    deliverer = Deliverer(services.sessions, services.chain_id)
    deliverer.run_once()
    review(api, clean_chain, held["orderHash"], "refuse")
    for _ in range(3):
        deliverer.run_once()
    bodies = receiver.bodies()
    assert sorted(b["type"] for b in bodies) == ["order.rejected", "risk.intercepted"]
    assert len(set(receiver.event_ids())) == len(bodies) == 2
    by_type = {b["type"]: b for b in bodies}
    assert by_type["risk.intercepted"]["data"]["hash"] == held["orderHash"]
    assert by_type["risk.intercepted"]["data"]["code"] == "RISK_AMOUNT"
    assert by_type["order.rejected"]["data"]["orderHash"] == held["orderHash"]
    assert by_type["order.rejected"]["data"]["code"] == "RISK_AMOUNT"


def test_a_consortium_default_holds_an_order_for_the_merchant_whose_points_are_spent(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    with transaction(services.sessions) as session:
        rule = create_rule(
            session, services.sessions, None, RuleSpec("amount", "hold", max_amount=50)
        )
        rule_id = rule.id
    held = post_order(api, clean_chain, services, src="FRESH", dst="BEAN", amount=5_000).json()
    assert held["state"] == "held"
    fresh, bean = clean_chain.tokens["FRESH"], clean_chain.tokens["BEAN"]
    listed = api.client.get(f"/merchants/{bean}/risk/rules", headers=api.auth("BEAN")).json()
    assert [(r["id"], r["scope"]) for r in listed] == [(rule_id, "consortium")]
    gone = api.client.delete(f"/merchants/{bean}/risk/rules/{rule_id}", headers=api.auth("BEAN"))
    assert gone.status_code == 404 and gone.json()["code"] == "RISK_RULE_NOT_FOUND"
    huge = api.client.delete(f"/merchants/{bean}/risk/rules/{2**70}", headers=api.auth("BEAN"))
    assert huge.status_code == 422  # not a 500 from a rule id SQLite cannot hold
    assert api.client.get(f"/merchants/{bean}/risk/held", headers=api.auth("BEAN")).json() == []
    waiting = api.client.get(f"/merchants/{fresh}/risk/held", headers=api.auth("FRESH")).json()
    assert [h["hash"] for h in waiting] == [held["orderHash"]]
    released = api.client.post(
        f"/merchants/{fresh}/risk/reviews",
        json={"hash": held["orderHash"], "decision": "release"},
        headers=api.auth("FRESH"),
    )
    assert released.json()["state"] == "received"
    # the order touches BEAN too: BEAN's card counts the interception
    counts = api.client.get(f"/merchants/{bean}/risk/interceptions", headers=api.auth("BEAN"))
    assert [(c["ruleId"], c["outcome"], c["count"]) for c in counts.json()] == [
        (rule_id, "released", 1)
    ]


def test_a_held_order_whose_deadline_passes_is_rejected_as_expired_and_leaves_the_review_list(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    add_rule(api, clean_chain, kind="amount", action="hold", maxAmount=50)
    held = post_order(api, clean_chain, services, amount=60, deadline=int(time.time()) + 2).json()
    assert held["state"] == "held"
    time.sleep(3)
    make_relayer(services).run_once()
    expired = state_of(api, held["orderHash"])
    assert expired["state"] == "rejected" and expired["reason"]["code"] == "ORDER_EXPIRED"
    sky = clean_chain.tokens["SKYM"]
    assert api.client.get(f"/merchants/{sky}/risk/held", headers=api.auth("SKYM")).json() == []
    late = review(api, clean_chain, held["orderHash"], "release")
    assert late.status_code == 409 and late.json()["code"] == "RISK_NOT_HELD"


def test_an_owner_cancelling_a_held_order_voids_it_and_it_leaves_the_review_list(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    add_rule(api, clean_chain, kind="amount", action="hold", maxAmount=50)
    held = post_order(api, clean_chain, services, amount=60, nonce=77).json()
    assert held["state"] == "held"
    with TongduiClient(api.url) as client:
        client.cancel(clean_chain.user_keys[0], [77])
    voided = state_of(api, held["orderHash"])
    assert voided["state"] == "rejected" and voided["reason"]["code"] == "ORDER_CANCELLED"
    sky = clean_chain.tokens["SKYM"]
    assert api.client.get(f"/merchants/{sky}/risk/held", headers=api.auth("SKYM")).json() == []
