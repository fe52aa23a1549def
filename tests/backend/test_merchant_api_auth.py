"""Every merchant write refuses a missing, unknown, revoked, other merchant's or under-scoped
key with the right status and code, and sends nothing to the chain."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.chains import TestChain
from tongdui.query import chain as live
from tongdui.services import Services

from .api_support import LiveApi, live_api, make_keys

USER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

# (method, path under /merchants/{token}, body, scope)
WRITES: list[tuple[str, str, dict[str, Any], str]] = [
    ("POST", "/issue", {"to": USER, "amount": 5}, "issue"),
    (
        "POST",
        "/redeem",
        {"holder": USER, "amount": 5, "deadline": 2**40, "signature": "0x" + "11" * 65},
        "redeem",
    ),
    ("PUT", "/point-value", {"value": 11}, "value"),
    ("POST", "/deposit", {"amount": 100}, "funds"),
    ("POST", "/withdraw", {"amount": 100}, "funds"),
]
IDS = [f"{method} {path}" for method, path, _, _ in WRITES]


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(services) as live:
        live.keys = make_keys(services, clean_chain.tokens)
        yield live


def chain_state(chain: TestChain) -> tuple[int, ...]:
    """What any of the writes would change: SKYM's supply, value and settlement balance."""
    token = chain.tokens["SKYM"]
    market = live.market(chain.platform, token)
    supply = chain.platform.points_token(token).functions.totalSupply().call()
    return supply, market["pointValue"], market["settlementBalance"], chain.w3.eth.block_number


def send(
    api: LiveApi, token: str, write: tuple[str, str, dict[str, Any], str], headers: dict[str, str]
) -> Any:
    method, path, body, _ = write
    return api.client.request(method, f"/merchants/{token}{path}", json=body, headers=headers)


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_a_write_without_a_key_is_unauthorized(
    api: LiveApi, clean_chain: TestChain, write: Any
) -> None:
    before = chain_state(clean_chain)
    answer = send(api, clean_chain.tokens["SKYM"], write, {})
    assert answer.status_code == 401
    assert answer.json()["code"] == "UNAUTHORIZED"
    assert answer.json()["details"]["reason"] == "missing"
    assert "Authorization: Bearer" in answer.json()["message"]
    assert chain_state(clean_chain) == before


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_a_write_with_a_revoked_key_is_unauthorized(
    api: LiveApi, clean_chain: TestChain, write: Any
) -> None:
    before = chain_state(clean_chain)
    answer = send(api, clean_chain.tokens["SKYM"], write, api.auth("SKYM:revoked"))
    assert answer.status_code == 401
    assert answer.json()["code"] == "UNAUTHORIZED"
    assert answer.json()["details"]["reason"] == "revoked"
    assert "revoked" in answer.json()["message"]
    assert chain_state(clean_chain) == before


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_a_write_with_an_unknown_key_is_unauthorized(
    api: LiveApi, clean_chain: TestChain, write: Any
) -> None:
    forged = api.keys["SKYM"][:-4] + "AAAA"
    answer = send(api, clean_chain.tokens["SKYM"], write, {"X-API-Key": forged})
    assert answer.status_code == 401
    assert answer.json()["details"]["reason"] == "unknown"


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_a_write_with_another_merchants_key_is_forbidden(
    api: LiveApi, clean_chain: TestChain, write: Any
) -> None:
    before = chain_state(clean_chain)
    answer = send(api, clean_chain.tokens["SKYM"], write, api.auth("BEAN"))
    assert answer.status_code == 403
    assert answer.json()["code"] == "FORBIDDEN"
    assert answer.json()["details"]["reason"] == "wrong_merchant"
    assert chain_state(clean_chain) == before


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_a_write_with_a_key_lacking_its_scope_is_forbidden(
    api: LiveApi, clean_chain: TestChain, write: Any
) -> None:
    before = chain_state(clean_chain)
    other_scope = "read" if write[3] != "read" else "issue"
    answer = send(api, clean_chain.tokens["SKYM"], write, api.auth(f"SKYM:{other_scope}"))
    assert answer.status_code == 403
    assert answer.json()["code"] == "FORBIDDEN"
    assert answer.json()["details"] == {"reason": "missing_scope", "scope": write[3]}
    assert f"`{write[3]}` scope" in answer.json()["message"]
    assert chain_state(clean_chain) == before


def test_the_key_with_the_scope_is_admitted_to_its_own_merchant(
    api: LiveApi, clean_chain: TestChain
) -> None:
    answer = api.client.get(
        f"/merchants/{clean_chain.tokens['SKYM']}/key", headers={"X-API-Key": api.keys["SKYM:read"]}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["symbol"] == "SKYM"
    assert answer.json()["scopes"] == ["read"]
    assert answer.json()["operatorKeyHeld"] is True


def test_a_key_without_the_read_scope_still_learns_its_own_scopes(
    api: LiveApi, clean_chain: TestChain
) -> None:
    """The merchant page shows only the forms a key's scopes allow, so it must learn them
    from any key; the other reads still need `read`."""
    token = clean_chain.tokens["SKYM"]
    headers = {"X-API-Key": api.keys["SKYM:issue"]}
    answer = api.client.get(f"/merchants/{token}/key", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["scopes"] == ["issue"]
    assert api.client.get(f"/merchants/{token}/swaps", headers=headers).status_code == 403
    other = api.client.get(f"/merchants/{clean_chain.tokens['BEAN']}/key", headers=headers)
    assert other.status_code == 403  # still only its own merchant's


def test_reads_need_a_key_too(api: LiveApi, clean_chain: TestChain) -> None:
    answer = api.client.get(f"/merchants/{clean_chain.tokens['SKYM']}/swaps")
    assert answer.status_code == 401
    assert answer.json()["code"] == "UNAUTHORIZED"
