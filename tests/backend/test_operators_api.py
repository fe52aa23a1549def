"""Operators over a live server: an admin adds a cashier, an issuer and a viewer, each with its
own key; the role's scopes decide what the key may do (a cashier key cannot issue, a viewer
cannot write); every write that ran is in the operation log with who, what, from which key and
signer, and the result; the log verifies through the API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from eth_account import Account
from typer.testing import CliRunner

from tests.chains import TestChain
from tongdui.cli import app
from tongdui.core.config import Settings
from tongdui.core.db import make_engine, session_factory
from tongdui.operations import oplog
from tongdui.query import chain as live
from tongdui.services import Services

from .api_support import LiveApi, live_api, make_keys
from .test_merchant_api_auth import WRITES, send


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(services) as live:
        live.keys = make_keys(services, clean_chain.tokens)
        yield live


def add_operator(api: LiveApi, token: str, name: str, role: str, admin: str = "SKYM") -> Any:
    return api.client.post(
        f"/merchants/{token}/operators", json={"name": name, "role": role}, headers=api.auth(admin)
    )


def operator_key(api: LiveApi, token: str, name: str, role: str) -> dict[str, str]:
    answer = add_operator(api, token, name, role)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['key']}"}


def test_an_admin_adds_an_operator_whose_key_carries_the_roles_scopes(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    answer = add_operator(api, token, "李娜", "cashier")
    assert answer.status_code == 200, answer.text
    created = answer.json()
    assert created["operator"]["role"] == "cashier"
    assert created["operator"]["scopes"] == ["read", "redeem"]
    key = api.client.get(
        f"/merchants/{token}/key", headers={"Authorization": f"Bearer {created['key']}"}
    )
    assert key.json()["scopes"] == ["read", "redeem"]
    assert created["operator"]["keyPrefixes"] == [key.json()["keyPrefix"]]


def test_a_cashier_key_cannot_issue(api: LiveApi, clean_chain: TestChain) -> None:
    token = clean_chain.tokens["SKYM"]
    cashier = operator_key(api, token, "李娜", "cashier")
    answer = api.client.post(
        f"/merchants/{token}/issue",
        json={"to": str(Account.create().address), "amount": 5},
        headers=cashier,
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "FORBIDDEN"
    assert answer.json()["details"] == {"reason": "missing_scope", "scope": "issue"}


@pytest.mark.parametrize("write", WRITES, ids=[f"{m} {p}" for m, p, _, _ in WRITES])
def test_a_viewer_cannot_write(api: LiveApi, clean_chain: TestChain, write: Any) -> None:
    token = clean_chain.tokens["SKYM"]
    viewer = operator_key(api, token, "张伟", "viewer")
    answer = send(api, token, write, viewer)
    assert answer.status_code == 403
    assert answer.json()["code"] == "FORBIDDEN"


def test_only_an_admin_key_manages_operators(api: LiveApi, clean_chain: TestChain) -> None:
    token = clean_chain.tokens["SKYM"]
    issuer = operator_key(api, token, "赵磊", "issuer")
    answer = api.client.post(
        f"/merchants/{token}/operators", json={"name": "x", "role": "admin"}, headers=issuer
    )
    assert answer.status_code == 403
    assert answer.json()["details"]["reason"] == "not_admin"


def test_an_unknown_role_is_refused(api: LiveApi, clean_chain: TestChain) -> None:
    answer = add_operator(api, clean_chain.tokens["SKYM"], "王芳", "owner")
    assert answer.status_code == 422
    assert answer.json()["code"] == "INVALID_REQUEST"


def test_an_issuers_issue_is_logged_with_who_what_key_signer_and_result(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token, user = clean_chain.tokens["SKYM"], str(Account.create().address)
    issuer = operator_key(api, token, "赵磊", "issuer")
    issued = api.client.post(
        f"/merchants/{token}/issue", json={"to": user, "amount": 7}, headers=issuer
    )
    assert issued.status_code == 200, issued.text
    prefix = api.client.get(f"/merchants/{token}/key", headers=issuer).json()["keyPrefix"]
    log = api.client.get(f"/merchants/{token}/oplog", headers=api.auth("SKYM:read"))
    assert log.status_code == 200, log.text
    entries = log.json()["entries"]
    assert [e["action"] for e in entries] == ["operator.create", "issue"]
    entry = entries[-1]
    assert entry["target"] == user
    assert entry["actor"]["operator_name"] == "赵磊"
    assert entry["actor"]["key_prefix"] == prefix
    assert entry["actor"]["signer"] == live.merchant(clean_chain.platform, token)["admin"]
    assert entry["result"]["status"] == "ok"
    assert entry["result"]["tx_hash"] == issued.json()["txHash"]
    assert entry["prevHash"] == entries[0]["hash"]
    verified = api.client.get("/audit/oplog/verify").json()
    assert verified["ok"] is True and verified["entries"] == 2


def test_a_write_the_contract_refuses_is_logged_with_its_code(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["BEAN"]  # cap 10 000 000
    answer = api.client.post(
        f"/merchants/{token}/issue",
        json={"to": str(Account.create().address), "amount": 10_000_000},
        headers=api.auth("BEAN"),
    )
    assert answer.json()["code"] == "CAP_EXCEEDED"
    entries = api.client.get(f"/merchants/{token}/oplog", headers=api.auth("BEAN")).json()
    assert entries["entries"][-1]["result"] == {"status": "refused", "code": "CAP_EXCEEDED"}


def test_a_merchant_reads_only_its_own_entries(api: LiveApi, clean_chain: TestChain) -> None:
    add_operator(api, clean_chain.tokens["SKYM"], "李娜", "cashier")
    other = api.client.get(
        f"/merchants/{clean_chain.tokens['BEAN']}/oplog", headers=api.auth("BEAN")
    )
    assert other.json()["entries"] == []


def test_key_management_from_the_shell_is_logged_without_the_key(
    settings: Settings, clean_chain: TestChain
) -> None:
    runner, where = CliRunner(), ["--rpc", clean_chain.url, "--data-dir", str(settings.data_dir)]
    created = runner.invoke(app, ["merchant-key", "create", "SKYM", "--scopes", "read", *where])
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    revoked = runner.invoke(app, ["merchant-key", "revoke", key.split("_")[1], *where])
    assert revoked.exit_code == 0, revoked.output
    engine = make_engine(settings.database_url())
    with session_factory(engine)() as session:
        entries = [oplog.as_dict(r) for r in oplog.read(session)]
        assert oplog.verify(session).ok
    engine.dispose()
    assert [(e["action"], e["target"]) for e in entries] == [
        ("key.create", key.split("_")[1]),
        ("key.revoke", key.split("_")[1]),
    ]
    assert entries[0]["merchant_token"] == clean_chain.tokens["SKYM"]
    assert key not in str(entries)


def test_an_admin_revokes_an_operators_key_which_then_answers_401(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    created = add_operator(api, token, "李娜", "cashier").json()
    operator_id, prefix = created["operator"]["id"], created["operator"]["keyPrefixes"][0]
    cashier = {"Authorization": f"Bearer {created['key']}"}
    assert api.client.get(f"/merchants/{token}/key", headers=cashier).status_code == 200
    revoked = api.client.post(
        f"/merchants/{token}/operators/{operator_id}/keys/{prefix}/revoke",
        headers=api.auth("SKYM"),
    )
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["keyPrefixes"] == []
    assert api.client.get(f"/merchants/{token}/key", headers=cashier).status_code == 401
    actions = [
        e["action"]
        for e in api.client.get(f"/merchants/{token}/oplog", headers=api.auth("SKYM")).json()[
            "entries"
        ]
    ]
    assert actions == ["operator.create", "operator.key.revoke"]


def test_a_prefix_of_another_operators_key_is_not_revoked(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    cashier = add_operator(api, token, "李娜", "cashier").json()
    issuer = add_operator(api, token, "赵磊", "issuer").json()
    answer = api.client.post(
        f"/merchants/{token}/operators/{cashier['operator']['id']}/keys/"
        f"{issuer['operator']['keyPrefixes'][0]}/revoke",
        headers=api.auth("SKYM"),
    )
    assert answer.status_code == 404
    assert answer.json()["code"] == "API_KEY_NOT_FOUND"
    issuer_key = {"Authorization": f"Bearer {issuer['key']}"}
    assert api.client.get(f"/merchants/{token}/key", headers=issuer_key).status_code == 200


def test_a_cashier_cannot_revoke_keys(api: LiveApi, clean_chain: TestChain) -> None:
    token = clean_chain.tokens["SKYM"]
    cashier = add_operator(api, token, "李娜", "cashier").json()
    answer = api.client.post(
        f"/merchants/{token}/operators/{cashier['operator']['id']}/keys/"
        f"{cashier['operator']['keyPrefixes'][0]}/revoke",
        headers={"Authorization": f"Bearer {cashier['key']}"},
    )
    assert answer.status_code == 403
    assert answer.json()["details"]["reason"] == "not_admin"
