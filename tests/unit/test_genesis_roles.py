"""Genesis defaults of `tongdui deploy`: no lone decider among several members, and the
embedded chain starts with a demo auditor holding AUDITOR_ROLE."""

from __future__ import annotations

import pytest
from eth_account import Account

from tongdui.bootstrap import genesis_roles
from tongdui.core.config import ANVIL_KEYS, DEMO_AUDITOR_KEY, Settings
from tongdui.core.errors import ConfigurationError

MEMBERS = ",".join(Account.from_key(k).address for k in ANVIL_KEYS[1:4])


def consortium_settings(monkeypatch: pytest.MonkeyPatch, threshold: int, members: str) -> Settings:
    for name, value in {
        "TONGDUI_RPC_URL": "http://127.0.0.1:1",
        "TONGDUI_DEPLOYER_KEY": ANVIL_KEYS[0],
        "TONGDUI_MEMBERS": members,
        "TONGDUI_THRESHOLD": str(threshold),
        "TONGDUI_PLATFORM_PAYEE": Account.from_key(ANVIL_KEYS[9]).address,
        "TONGDUI_RELAYER_KEYS": ANVIL_KEYS[8],
        "TONGDUI_AUDITORS": Account.from_key(DEMO_AUDITOR_KEY).address,
    }.items():
        monkeypatch.setenv(name, value)
    return Settings()


def test_deploy_refuses_a_lone_signer_threshold_among_several_members(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigurationError, match="at least 2"):
        genesis_roles(consortium_settings(monkeypatch, 1, MEMBERS))


def test_deploy_refuses_a_threshold_above_the_member_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigurationError, match="TONGDUI_THRESHOLD=4"):
        genesis_roles(consortium_settings(monkeypatch, 4, MEMBERS))


def test_a_single_member_may_decide_alone_and_auditors_come_from_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    solo = MEMBERS.split(",")[0]
    _, roles = genesis_roles(consortium_settings(monkeypatch, 1, solo))
    assert (roles.members, roles.threshold) == ([solo], 1)
    assert roles.auditors == [Account.from_key(DEMO_AUDITOR_KEY).address]


def test_the_embedded_chain_starts_with_the_demo_auditor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TONGDUI_RPC_URL", raising=False)
    _, roles = genesis_roles(Settings())
    assert roles.auditors == [Account.from_key(DEMO_AUDITOR_KEY).address]
    assert roles.threshold == 2 and len(roles.members) == 3


def test_the_embedded_chain_starts_with_the_demo_payment_provider(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 16: the test payment provider's key holds PROVIDER_ROLE on the VoucherBook; a
    consortium's own deployment names none (governance grants providers by vote)."""
    from tongdui.core.dev_keys import DEMO_PAYMENT_PROVIDER_KEY

    monkeypatch.delenv("TONGDUI_RPC_URL", raising=False)
    _, roles = genesis_roles(Settings())
    assert roles.providers == [Account.from_key(DEMO_PAYMENT_PROVIDER_KEY).address]
    _, consortium = genesis_roles(consortium_settings(monkeypatch, 2, MEMBERS))
    assert consortium.providers == []
