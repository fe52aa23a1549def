"""MerchantRegistry: admission, suspension, reinstatement, cap and operator key changes.

The seeded consortium has merchants 1 SKYM, 2 BEAN, 3 FRESH. Every write is governance-only,
so success paths run through a vote and reverts inside a vote surface as GovernanceCallFailed
carrying the registry's (or the exchange's) error.
"""

from __future__ import annotations

from typing import Any

from brownie import MerchantRegistry, PointsToken, accounts

from tests.helpers import call_failed, reverts_with, unauthorized

ADMIN_ROLE = "0x" + "00" * 32
ZERO_ADDRESS = "0x" + "00" * 20
NONE, ACTIVE, SUSPENDED = 0, 1, 2
SKYM_ID = 1


def _next_proposal(platform: Any) -> int:
    return platform.governance.proposalCount() + 1


# ─── constructor ────────────────────────────────────────────────────────────────────────────


def test_constructor_reverts_on_a_zero_governance(platform: Any) -> None:
    with reverts_with("RegistryZeroAddress"):
        MerchantRegistry.deploy(
            ZERO_ADDRESS, platform.exchange, platform.factory, {"from": accounts[0]}
        )


def test_constructor_reverts_on_a_zero_exchange(platform: Any) -> None:
    with reverts_with("RegistryZeroAddress"):
        MerchantRegistry.deploy(
            platform.governance, ZERO_ADDRESS, platform.factory, {"from": accounts[0]}
        )


def test_constructor_makes_governance_the_admin(platform: Any) -> None:
    registry = platform.registry
    assert registry.hasRole(ADMIN_ROLE, platform.governance)
    assert registry.governance() == platform.governance
    assert registry.exchange() == platform.exchange
    assert registry.factory() == platform.factory


# ─── admitMerchant ──────────────────────────────────────────────────────────────────────────


def test_admit_merchant_deploys_the_token_and_lists_its_market(
    platform: Any, users: list[Any], vote: Any
) -> None:
    registry, admin = platform.registry, accounts[0]

    tx = vote((registry, "admitMerchant", ("Jade Hotel Points", "JADE", admin, 5_000, 7)))

    admitted = tx.events["MerchantAdmitted"]
    assert admitted["id"] == 4
    assert admitted["admin"] == admin
    assert admitted["name"] == "Jade Hotel Points"
    assert admitted["symbol"] == "JADE"
    token = PointsToken.at(admitted["token"])
    assert (token.name(), token.symbol(), token.decimals()) == ("Jade Hotel Points", "JADE", 0)
    assert token.issuanceCap() == 5_000
    assert token.registry() == registry
    assert token.exchange() == platform.exchange
    assert token.hasRole(token.MERCHANT_ROLE(), admin)
    assert token.hasRole(token.ISSUER_ROLE(), admin)
    assert token.hasRole(ADMIN_ROLE, platform.governance)
    assert registry.merchantCount() == 4
    assert registry.merchantIdOf(token) == 4
    name, token_address, merchant_admin, status, admitted_at = registry.merchant(4)
    assert (name, token_address, merchant_admin, status) == (
        "Jade Hotel Points",
        token.address,
        admin.address,
        ACTIVE,
    )
    assert admitted_at == tx.timestamp
    market = platform.exchange.market(token)
    assert market["pointValue"] == 7
    assert market["listed"] and market["active"]
    assert market["admin"] == admin


def test_admit_merchant_reverts_unless_called_by_governance(platform: Any) -> None:
    with unauthorized(accounts[1], ADMIN_ROLE):
        platform.registry.admitMerchant("X", "X", accounts[0], 1, 1, {"from": accounts[1]})


def test_admit_merchant_reverts_on_a_zero_admin(platform: Any, vote: Any) -> None:
    with call_failed(_next_proposal(platform), 0, "RegistryZeroAddress"):
        vote((platform.registry, "admitMerchant", ("X", "X", ZERO_ADDRESS, 1, 1)))


def test_admit_merchant_reverts_on_an_empty_name(platform: Any, vote: Any) -> None:
    with call_failed(_next_proposal(platform), 0, "RegistryEmptyName"):
        vote((platform.registry, "admitMerchant", ("", "X", accounts[0], 1, 1)))


def test_admit_merchant_reverts_on_an_empty_symbol(platform: Any, vote: Any) -> None:
    with call_failed(_next_proposal(platform), 0, "RegistryEmptyName"):
        vote((platform.registry, "admitMerchant", ("X", "", accounts[0], 1, 1)))


def test_admit_merchant_reverts_on_a_zero_point_value(platform: Any, vote: Any) -> None:
    with call_failed(_next_proposal(platform), 0, "ExchangeInvalidPointValue", 0):
        vote((platform.registry, "admitMerchant", ("X", "X", accounts[0], 1, 0)))


def test_admit_merchant_reverts_on_a_point_value_above_uint64(platform: Any, vote: Any) -> None:
    value = 2**64
    with call_failed(_next_proposal(platform), 0, "ExchangeInvalidPointValue", value):
        vote((platform.registry, "admitMerchant", ("X", "X", accounts[0], 1, value)))


# ─── suspendMerchant ────────────────────────────────────────────────────────────────────────


def test_suspend_merchant_stops_swaps_and_issuance(
    platform: Any, users: list[Any], tokens: dict[str, Any], admins: dict[str, Any], vote: Any
) -> None:
    skym = tokens["SKYM"]

    tx = vote((platform.registry, "suspendMerchant", (SKYM_ID,)))

    assert tx.events["MerchantStatusChanged"]["id"] == SKYM_ID
    assert tx.events["MerchantStatusChanged"]["status"] == SUSPENDED
    assert tx.events["MarketStatusChanged"]["active"] is False
    assert tx.events["IssuanceSuspended"]["suspended"] is True
    assert platform.registry.merchant(SKYM_ID)[3] == SUSPENDED
    assert not platform.exchange.market(skym)["active"]
    assert skym.issuanceSuspended()
    with reverts_with("PointsTokenIssuanceSuspended"):
        skym.issue(users[0], 1, {"from": admins["SKYM"]})


def test_suspend_merchant_reverts_unless_called_by_governance(platform: Any, users: Any) -> None:
    with unauthorized(accounts[1], ADMIN_ROLE):
        platform.registry.suspendMerchant(SKYM_ID, {"from": accounts[1]})


def test_suspend_merchant_reverts_for_an_unknown_merchant(
    platform: Any, users: Any, vote: Any
) -> None:
    with call_failed(_next_proposal(platform), 0, "RegistryUnknownMerchant", 99):
        vote((platform.registry, "suspendMerchant", (99,)))


def test_suspend_merchant_reverts_if_already_suspended(
    platform: Any, users: Any, vote: Any
) -> None:
    vote((platform.registry, "suspendMerchant", (SKYM_ID,)))
    with call_failed(_next_proposal(platform), 0, "RegistryInvalidStatus", SKYM_ID, SUSPENDED):
        vote((platform.registry, "suspendMerchant", (SKYM_ID,)))


# ─── reinstateMerchant ──────────────────────────────────────────────────────────────────────


def test_reinstate_merchant_resumes_swaps_and_issuance(
    platform: Any, users: list[Any], tokens: dict[str, Any], admins: dict[str, Any], vote: Any
) -> None:
    skym = tokens["SKYM"]
    vote((platform.registry, "suspendMerchant", (SKYM_ID,)))

    tx = vote((platform.registry, "reinstateMerchant", (SKYM_ID,)))

    assert tx.events["MerchantStatusChanged"]["status"] == ACTIVE
    assert tx.events["MarketStatusChanged"]["active"] is True
    assert tx.events["IssuanceSuspended"]["suspended"] is False
    assert platform.registry.merchant(SKYM_ID)[3] == ACTIVE
    assert platform.exchange.market(skym)["active"]
    skym.issue(users[0], 1, {"from": admins["SKYM"]})
    assert skym.balanceOf(users[0]) == 50_001


def test_reinstate_merchant_reverts_unless_called_by_governance(platform: Any, users: Any) -> None:
    with unauthorized(accounts[1], ADMIN_ROLE):
        platform.registry.reinstateMerchant(SKYM_ID, {"from": accounts[1]})


def test_reinstate_merchant_reverts_for_an_unknown_merchant(
    platform: Any, users: Any, vote: Any
) -> None:
    with call_failed(_next_proposal(platform), 0, "RegistryUnknownMerchant", 0):
        vote((platform.registry, "reinstateMerchant", (0,)))


def test_reinstate_merchant_reverts_for_an_active_merchant(
    platform: Any, users: Any, vote: Any
) -> None:
    with call_failed(_next_proposal(platform), 0, "RegistryInvalidStatus", SKYM_ID, ACTIVE):
        vote((platform.registry, "reinstateMerchant", (SKYM_ID,)))


# ─── setIssuanceCap ─────────────────────────────────────────────────────────────────────────


def test_set_issuance_cap_changes_the_tokens_cap(
    platform: Any, users: list[Any], tokens: dict[str, Any], admins: dict[str, Any], vote: Any
) -> None:
    skym = tokens["SKYM"]

    tx = vote((platform.registry, "setIssuanceCap", (SKYM_ID, 50_010)))

    assert tx.events["IssuanceCapChanged"]["cap"] == 50_010
    assert skym.issuanceCap() == 50_010
    assert platform.registry.merchantView(SKYM_ID)["issuanceCap"] == 50_010
    with reverts_with("PointsTokenCapExceeded", 50_011, 50_010):
        skym.issue(users[0], 11, {"from": admins["SKYM"]})


def test_set_issuance_cap_reverts_unless_called_by_governance(platform: Any, users: Any) -> None:
    with unauthorized(accounts[1], ADMIN_ROLE):
        platform.registry.setIssuanceCap(SKYM_ID, 1, {"from": accounts[1]})


def test_set_issuance_cap_reverts_for_an_unknown_merchant(
    platform: Any, users: Any, vote: Any
) -> None:
    with call_failed(_next_proposal(platform), 0, "RegistryUnknownMerchant", 4):
        vote((platform.registry, "setIssuanceCap", (4, 1)))


# ─── setMerchantAdmin ───────────────────────────────────────────────────────────────────────


def test_set_merchant_admin_hands_the_market_to_the_new_key(
    platform: Any, tokens: dict[str, Any], vote: Any
) -> None:
    new_admin = accounts[0]

    tx = vote((platform.registry, "setMerchantAdmin", (SKYM_ID, new_admin)))

    assert tx.events["MerchantAdminChanged"]["id"] == SKYM_ID
    assert tx.events["MerchantAdminChanged"]["admin"] == new_admin
    assert tx.events["MarketAdminChanged"]["admin"] == new_admin
    assert platform.registry.merchant(SKYM_ID)[2] == new_admin
    assert platform.exchange.market(tokens["SKYM"])["admin"] == new_admin


def test_set_merchant_admin_moves_the_token_roles_to_the_new_key(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], vote: Any
) -> None:
    skym, old_admin, new_admin = tokens["SKYM"], admins["SKYM"], accounts[0]

    vote((platform.registry, "setMerchantAdmin", (SKYM_ID, new_admin)))

    for role in (skym.MERCHANT_ROLE(), skym.ISSUER_ROLE()):
        assert skym.hasRole(role, new_admin)
        assert not skym.hasRole(role, old_admin)
    skym.issue(accounts[1], 5, {"from": new_admin})
    with unauthorized(old_admin, skym.ISSUER_ROLE()):
        skym.issue(accounts[1], 5, {"from": old_admin})


def test_set_merchant_admin_reverts_unless_called_by_governance(platform: Any, users: Any) -> None:
    with unauthorized(accounts[1], ADMIN_ROLE):
        platform.registry.setMerchantAdmin(SKYM_ID, accounts[0], {"from": accounts[1]})


def test_set_merchant_admin_reverts_on_a_zero_admin(platform: Any, users: Any, vote: Any) -> None:
    with call_failed(_next_proposal(platform), 0, "RegistryZeroAddress"):
        vote((platform.registry, "setMerchantAdmin", (SKYM_ID, ZERO_ADDRESS)))


def test_set_merchant_admin_reverts_for_an_unknown_merchant(
    platform: Any, users: Any, vote: Any
) -> None:
    with call_failed(_next_proposal(platform), 0, "RegistryUnknownMerchant", 9):
        vote((platform.registry, "setMerchantAdmin", (9, accounts[0])))


# ─── views ──────────────────────────────────────────────────────────────────────────────────


def test_merchant_view_joins_token_and_market_figures(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    view = platform.registry.merchantView(SKYM_ID)
    market = platform.exchange.market(tokens["SKYM"])
    assert view["id"] == SKYM_ID
    assert view["name"] == "Skyway Airlines Miles"
    assert view["token"] == tokens["SKYM"]
    assert view["admin"] == admins["SKYM"]
    assert view["status"] == ACTIVE
    assert view["issuanceCap"] == 100_000_000
    assert view["pointsOutstanding"] == 50_000
    assert view["pointValue"] == 10
    assert view["settlementBalance"] == market["settlementBalance"] == 50_000_000
    assert view["feeCredit"] == 0


def test_merchant_reverts_for_an_unknown_merchant(platform: Any, users: Any) -> None:
    with reverts_with("RegistryUnknownMerchant", 0):
        platform.registry.merchant(0)
    with reverts_with("RegistryUnknownMerchant", 4):
        platform.registry.merchant(4)


def test_merchant_view_reverts_for_an_unknown_merchant(platform: Any, users: Any) -> None:
    with reverts_with("RegistryUnknownMerchant", 4):
        platform.registry.merchantView(4)


def test_merchant_id_of_an_unknown_token_is_zero(platform: Any, users: Any) -> None:
    assert platform.registry.merchantIdOf(accounts[0]) == 0
    assert platform.registry.merchantCount() == 3
