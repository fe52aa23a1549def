"""Corrupted signed orders — 1,000 (quick) or 10,000 (TONGDUI_SUITE=full) — are all refused,
each with the code that names what is wrong, and none reaches the relayer's queue.

Kinds, cycled with a seeded RNG: signed by another key; signature bytes flipped; a field
tampered after signing (amount in, minimum out, from token, to token, owner); signed for another
chain or another exchange (with and without the optional chainId/verifyingContract fields);
expired; a nonce already used on chain; malformed fields (bad hex, negative, too large, missing,
short signature, wrong types).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from eth_account import Account
from fastapi.testclient import TestClient

from tests.backend.relayer_helpers import api, domain_of, drain, make_relayer, order_body
from tests.chains import TestChain
from tongdui.chain.eip712 import Domain
from tongdui.relayer.models import RelayerOrder
from tongdui.services import Services

from .conftest import FULL

COUNT = 10_000 if FULL else 1_000
OTHER_KEY = "0x" + "11" * 32
MALFORMED = {"INVALID_REQUEST", "MALFORMED_ORDER"}


def corruptions(
    chain: TestChain, services: Services, used_nonce: int
) -> list[tuple[str, set[str], Callable[[random.Random], dict[str, Any]]]]:
    """(kind, acceptable codes, maker of a corrupted body)."""
    dom = domain_of(services)

    def fresh(**fields: Any) -> dict[str, Any]:
        return order_body(chain, services, **fields)

    def tamper(field: str, value: Any) -> Callable[[random.Random], dict[str, Any]]:
        def make(rng: random.Random) -> dict[str, Any]:
            body = fresh(amount=rng.randint(1, 500))
            body[field] = value(body) if callable(value) else value
            return body

        return make

    def flip(rng: random.Random) -> dict[str, Any]:
        body = fresh()
        sig = bytearray(bytes.fromhex(body["signature"][2:]))
        sig[rng.randrange(64)] ^= 1 << rng.randrange(8)
        body["signature"] = "0x" + sig.hex()
        return body

    def malformed(rng: random.Random) -> dict[str, Any]:
        body = fresh()
        field, value = rng.choice(
            [
                ("owner", "0x1234"),
                ("owner", "not an address"),
                ("fromToken", 12),
                ("amountIn", "-5"),
                ("amountIn", "1e3"),
                ("amountIn", str(2**256)),
                ("nonce", "0x-1"),
                ("deadline", None),
                ("signature", "0x" + "ab" * 10),
                ("signature", "zz"),
                ("minAmountOut", [1]),
                ("counter", {"a": 1}),
            ]
        )
        body[field] = value
        if rng.random() < 0.2:
            body.pop("owner")
        return body

    sky, bean, fresh_token = (chain.tokens[s] for s in ("SKYM", "BEAN", "FRESH"))
    return [
        ("signed by another key", {"INVALID_SIGNER"}, lambda r: fresh(sign_with=OTHER_KEY)),
        ("signature bits flipped", {"INVALID_SIGNER", "INVALID_SIGNATURE"}, flip),
        (
            "amount tampered",
            {"INVALID_SIGNER"},
            tamper("amountIn", lambda b: str(int(b["amountIn"]) + 1)),
        ),
        ("minimum tampered", {"INVALID_SIGNER"}, tamper("minAmountOut", "0")),
        ("from token tampered", {"INVALID_SIGNER"}, tamper("fromToken", fresh_token)),
        ("to token tampered", {"INVALID_SIGNER"}, tamper("toToken", sky)),
        (
            "owner tampered",
            {"INVALID_SIGNER"},
            tamper("owner", Account.from_key(OTHER_KEY).address),
        ),
        (
            "signed for another chain",
            {"INVALID_SIGNER"},
            lambda r: fresh(domain=Domain(dom.chain_id + 1, dom.verifying_contract)),
        ),
        (
            "another chain, declared",
            {"WRONG_CHAIN"},
            lambda r: {**fresh(), "chainId": dom.chain_id + r.randint(1, 9)},
        ),
        (
            "signed for another exchange",
            {"INVALID_SIGNER"},
            lambda r: fresh(domain=Domain(dom.chain_id, bean)),
        ),
        (
            "another exchange, declared",
            {"WRONG_DOMAIN"},
            lambda r: {**fresh(), "verifyingContract": bean},
        ),
        (
            "expired",
            {"ORDER_EXPIRED"},
            lambda r: fresh(deadline=int(time.time()) - r.randint(1, 10**6)),
        ),
        ("nonce already used on chain", {"NONCE_USED"}, lambda r: fresh(nonce=used_nonce)),
        ("malformed field", MALFORMED, malformed),
    ]


def test_no_corrupted_order_is_accepted_and_each_gets_its_code(
    clean_chain: TestChain, services: Services
) -> None:
    client: TestClient = api(services)
    # One good order settles first, so its nonce is used on chain.
    good = order_body(clean_chain, services, amount=20)
    assert client.post("/orders", json=good).status_code == 202
    drain(make_relayer(services))
    assert (
        client.get(f"/orders/{client.post('/orders', json=good).json()['orderHash']}").json()[
            "state"
        ]
        == "settled"
    )
    used_nonce = int(good["nonce"])

    kinds = corruptions(clean_chain, services, used_nonce)
    rng = random.Random(7)
    wrong: list[str] = []
    seen: Counter[str] = Counter()
    for i in range(COUNT):
        kind, codes, make = kinds[i % len(kinds)]
        answer = client.post("/orders", json=make(rng))
        body = (
            answer.json()
            if answer.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        seen[kind] += 1
        if answer.status_code < 400 or answer.status_code >= 500 or body.get("code") not in codes:
            wrong.append(f"{kind}: {answer.status_code} {body.get('code')} {answer.text[:120]}")
    with services.sessions() as session:
        queued = session.query(RelayerOrder).count()
    print(f"\n{COUNT} corrupted orders over {len(kinds)} kinds: {dict(seen)}")
    assert wrong == [], f"{len(wrong)} answered wrongly, e.g. {wrong[:5]}"
    assert queued == 1  # only the good order was ever stored
