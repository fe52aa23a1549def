"""Intake takes exactly the signatures the contracts take: v of 0/1 is normalised to 27/28,
every other v and every high-s signature is refused, for orders, gifts, cancellations and
redemption consents; so nobody can post a copy of a user's signed request that intake keeps
and the chain refuses (which used to make the user's real signature useless)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from eth_account import Account
from fastapi.testclient import TestClient
from sqlalchemy import update

from tests.chains import TestChain
from tongdui.chain.eip712 import CancelNonces, digest, gift_struct_hash, sign_digest
from tongdui.chain.signature_rules import SECP256K1_N
from tongdui.core.db import transaction
from tongdui.relayer.models import RelayerOrder
from tongdui.relayer.signed_requests import token_domain
from tongdui.services import Services

from .relayer_helpers import address, api, domain_of, drain, make_relayer, order_body


def v_shifted(signature: str) -> str:
    """The same signature with v as 0/1 (what raw-ECDSA signers emit)."""
    raw = bytes.fromhex(signature[2:])
    return "0x" + (raw[:64] + bytes([raw[64] - 27])).hex()


def high_s(signature: str) -> str:
    """The signature's malleable twin: s' = n - s and v flipped; recovers the same signer."""
    raw = bytes.fromhex(signature[2:])
    s = int.from_bytes(raw[32:64], "big")
    return "0x" + (raw[:32] + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - raw[64]])).hex()


def with_v(signature: str, v: int) -> str:
    raw = bytes.fromhex(signature[2:])
    return "0x" + (raw[:64] + bytes([v])).hex()


@pytest.fixture
def client(services: Services) -> TestClient:
    return api(services)


def order_state(client: TestClient, order_hash: str) -> dict[str, Any]:
    answer: dict[str, Any] = client.get(f"/orders/{order_hash}").json()
    return answer


def test_stranger_cannot_kill_valid_order_with_v_shifted_copy(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    real = order_body(clean_chain, services)
    copy = {**real, "signature": v_shifted(real["signature"])}
    first = client.post("/orders", json=copy)  # the stranger is first
    assert first.status_code == 202, first.text
    stored = first.json()["orderHash"]
    victim = client.post("/orders", json=real)
    assert victim.status_code == 200 and victim.json()["orderHash"] == stored
    drain(make_relayer(services))
    final = order_state(client, stored)
    assert final["state"] == "settled", final  # was: rejected INVALID_SIGNER, nonce unused
    assert clean_chain.platform.exchange.functions.isNonceUsed(
        real["owner"], int(real["nonce"])
    ).call()


def test_stranger_cannot_kill_valid_order_with_high_s_copy(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    real = order_body(clean_chain, services)
    copy = client.post("/orders", json={**real, "signature": high_s(real["signature"])})
    assert copy.status_code == 400 and copy.json()["code"] == "INVALID_SIGNATURE", copy.text
    assert copy.json()["details"]["problem"] == "high_s"
    victim = client.post("/orders", json=real)
    assert victim.status_code == 202, victim.text
    drain(make_relayer(services))
    assert order_state(client, victim.json()["orderHash"])["state"] == "settled"


@pytest.mark.parametrize("v", [2, 26, 29, 37, 38, 255])
def test_an_order_with_any_other_v_is_refused(
    client: TestClient, clean_chain: TestChain, services: Services, v: int
) -> None:
    real = order_body(clean_chain, services)
    answer = client.post("/orders", json={**real, "signature": with_v(real["signature"], v)})
    assert answer.status_code == 400 and answer.json()["code"] == "INVALID_SIGNATURE"
    assert answer.json()["details"]["problem"] == "v"


def gift_body(
    chain: TestChain, services: Services, to: str | None = None, value: int = 5, nonce: bytes = b""
) -> dict[str, Any]:
    token, giver = chain.tokens["SKYM"], chain.user_keys[0]
    to = to or address(chain.user_keys[1])
    nonce = nonce or Account.create().key
    before = int(time.time()) + 600
    signature = sign_digest(
        giver,
        digest(
            token_domain(services, token),
            gift_struct_hash(address(giver), to, value, 0, before, nonce),
        ),
    )
    return {
        "token": token,
        "from": address(giver),
        "to": to,
        "value": str(value),
        "validAfter": "0",
        "validBefore": str(before),
        "nonce": "0x" + nonce.hex(),
        "signature": "0x" + signature.hex(),
    }


def test_stranger_cannot_spoil_a_gift_with_a_v_shifted_or_high_s_copy(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    real = gift_body(clean_chain, services)
    refused = client.post("/gifts", json={**real, "signature": high_s(real["signature"])})
    assert refused.status_code == 400 and refused.json()["code"] == "INVALID_SIGNATURE"
    copy = client.post("/gifts", json={**real, "signature": v_shifted(real["signature"])})
    assert copy.status_code == 202, copy.text
    assert client.post("/gifts", json=real).status_code == 200  # the same gift
    drain(make_relayer(services))
    final = client.get(f"/gifts/{copy.json()['requestHash']}").json()
    assert final["state"] == "done", final


def test_stranger_cannot_spoil_a_cancellation_with_a_high_s_copy(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    key = clean_chain.user_keys[0]
    deadline = int(time.time()) + 600
    request = CancelNonces(address(key), 7, 1 << 3, deadline)
    signature = "0x" + sign_digest(key, digest(domain_of(services), request.struct_hash())).hex()
    body = {
        "owner": address(key),
        "word": "7",
        "mask": str(1 << 3),
        "deadline": str(deadline),
        "signature": high_s(signature),
    }
    refused = client.post("/cancellations", json=body)
    assert refused.status_code == 400 and refused.json()["code"] == "INVALID_SIGNATURE"
    copy = client.post("/cancellations", json={**body, "signature": v_shifted(signature)})
    assert copy.status_code == 202, copy.text
    drain(make_relayer(services))
    assert client.get(f"/cancellations/{copy.json()['requestHash']}").json()["state"] == "done"
    assert clean_chain.platform.exchange.functions.isNonceUsed(address(key), 7 * 256 + 3).call()


def test_a_stored_order_killed_by_a_bad_copy_gives_way_to_the_real_signature(
    client: TestClient, clean_chain: TestChain, services: Services
) -> None:
    """A row as the old intake left it (a v-shifted copy, rejected on chain INVALID_SIGNER,
    nonce unused) no longer answers for the owner's real post: the order is queued again."""
    real = order_body(clean_chain, services)
    order_hash = client.post("/orders", json=real).json()["orderHash"]
    with transaction(services.sessions) as session:
        session.execute(
            update(RelayerOrder)
            .where(RelayerOrder.order_hash == order_hash)
            .values(
                state="rejected",
                reason_code="INVALID_SIGNER",
                signature=v_shifted(real["signature"]),
            )
        )
    again = client.post("/orders", json=real)
    assert again.status_code == 202, again.text  # was: 200 with the dead row
    assert again.json()["state"] == "received"
    assert client.post("/orders", json=real).status_code == 200  # and now idempotent again
    drain(make_relayer(services))
    assert order_state(client, order_hash)["state"] == "settled"
