"""PointsToken: metadata, roles and issuer keys, and the entry points only the registry may call
(cap, suspension, admin rotation).

Seeded holdings: users[0] 50 000 SKYM and 20 000 FRESH, users[1] 300 BEAN, users[2] 80 000
FRESH. SKYM's cap is 100 000 000 and its operator key is admins["SKYM"]. The signed
messages and their fields are in points_token_messages.py.
"""

from __future__ import annotations

from typing import Any

from brownie import accounts

from tests.contracts.points_token_messages import ADMIN_ROLE, next_proposal
from tests.helpers import call_failed, reverts_with, unauthorized

# ─── metadata and roles ─────────────────────────────────────────────────────────────────────


def test_points_are_whole(tokens: dict[str, Any]) -> None:
    for token in tokens.values():
        assert token.decimals() == 0


def test_token_knows_its_name_exchange_and_registry(platform: Any, tokens: dict[str, Any]) -> None:
    skym = tokens["SKYM"]
    assert (skym.name(), skym.symbol()) == ("Skyway Airlines Miles", "SKYM")
    assert skym.exchange() == platform.exchange
    assert skym.registry() == platform.registry
    assert skym.issuanceCap() == 100_000_000
    assert not skym.issuanceSuspended()


def test_roles_are_governance_merchant_and_issuer(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    skym, merchant = tokens["SKYM"], admins["SKYM"]
    assert skym.hasRole(ADMIN_ROLE, platform.governance)
    assert skym.hasRole(skym.MERCHANT_ROLE(), merchant)
    assert skym.hasRole(skym.ISSUER_ROLE(), merchant)
    assert skym.getRoleAdmin(skym.ISSUER_ROLE()) == skym.MERCHANT_ROLE()
    assert skym.getRoleAdmin(skym.MERCHANT_ROLE()) == ADMIN_ROLE
    assert not skym.hasRole(ADMIN_ROLE, platform.registry)
    assert not skym.hasRole(ADMIN_ROLE, accounts[0])


def test_supports_the_points_token_and_access_control_interfaces(tokens: dict[str, Any]) -> None:
    skym = tokens["SKYM"]
    assert skym.supportsInterface("0x7965db0b")  # IAccessControl
    assert skym.supportsInterface("0x01ffc9a7")  # IERC165
    assert not skym.supportsInterface("0xffffffff")


def test_merchant_grants_the_issuer_role_to_an_issuer_key(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, issuer = tokens["SKYM"], accounts[0]
    skym.grantRole(skym.ISSUER_ROLE(), issuer, {"from": admins["SKYM"]})
    skym.issue(users[1], 10, {"from": issuer})
    assert skym.balanceOf(users[1]) == 10


def test_granting_the_issuer_role_reverts_for_a_non_merchant(tokens: dict[str, Any]) -> None:
    skym = tokens["SKYM"]
    with unauthorized(accounts[0], skym.MERCHANT_ROLE()):
        skym.grantRole(skym.ISSUER_ROLE(), accounts[0], {"from": accounts[0]})


def test_granting_the_merchant_role_reverts_for_the_merchant(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    skym = tokens["SKYM"]
    with unauthorized(admins["SKYM"], ADMIN_ROLE):
        skym.grantRole(skym.MERCHANT_ROLE(), accounts[0], {"from": admins["SKYM"]})


# ─── issuers ────────────────────────────────────────────────────────────────────────────────


def test_issuers_lists_the_current_issuer_keys(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    skym = tokens["SKYM"]
    skym.grantRole(skym.ISSUER_ROLE(), accounts[0], {"from": admins["SKYM"]})
    assert set(skym.issuers()) == {admins["SKYM"].address, accounts[0].address}
    assert skym.issuerEpoch() == 0


def test_rotation_revokes_issuers_planted_by_stolen_admin(
    platform: Any,
    tokens: dict[str, Any],
    admins: dict[str, Any],
    make_order: Any,
    vote: Any,
) -> None:
    skym, stolen_admin = tokens["SKYM"], admins["SKYM"]
    planted, new_admin = accounts[3], accounts[0]
    skym.grantRole(skym.ISSUER_ROLE(), planted, {"from": stolen_admin})
    cover = platform.exchange.market(skym)["settlementBalance"]

    tx = vote((platform.registry, "setMerchantAdmin", (1, new_admin)))

    assert tx.events["IssuersRevoked"]["epoch"] == 1
    assert skym.issuers() == [new_admin]
    assert not skym.hasRole(skym.ISSUER_ROLE(), planted)
    room = skym.issuanceCap() - skym.totalSupply()
    with unauthorized(planted, skym.ISSUER_ROLE()):
        skym.issue(planted, room, {"from": planted})
    # 500,000 SKYM (¥50,000): within the per-user limit on at genesis (¥100,000 a day), so
    # only the missing balance refuses it: the planted key could issue nothing to swap out.
    with reverts_with("ERC20InsufficientBalance", planted, 0, 500_000):
        platform.exchange.swap(
            make_order(planted, "SKYM", "BEAN", 500_000).as_tuple(), {"from": planted}
        )
    assert platform.exchange.market(skym)["settlementBalance"] == cover


def test_governance_revokes_one_issuer_by_vote(
    tokens: dict[str, Any], admins: dict[str, Any], vote: Any
) -> None:
    skym, planted = tokens["SKYM"], accounts[3]
    skym.grantRole(skym.ISSUER_ROLE(), planted, {"from": admins["SKYM"]})

    tx = vote((skym, "revokeIssuer", (planted,)))

    assert tx.events["RoleRevoked"]["account"] == planted
    assert skym.issuers() == [admins["SKYM"]]


def test_governance_revokes_every_issuer_by_vote(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], vote: Any
) -> None:
    skym = tokens["SKYM"]
    skym.grantRole(skym.ISSUER_ROLE(), accounts[3], {"from": admins["SKYM"]})

    vote((skym, "revokeAllIssuers", ()))

    assert skym.issuers() == []
    assert skym.issuerEpoch() == 1
    with unauthorized(admins["SKYM"], skym.ISSUER_ROLE()):
        skym.issue(users[1], 1, {"from": admins["SKYM"]})
    skym.grantRole(skym.ISSUER_ROLE(), admins["SKYM"], {"from": admins["SKYM"]})
    skym.issue(users[1], 1, {"from": admins["SKYM"]})


def test_the_merchant_revokes_an_issuer(tokens: dict[str, Any], admins: dict[str, Any]) -> None:
    skym = tokens["SKYM"]
    skym.grantRole(skym.ISSUER_ROLE(), accounts[3], {"from": admins["SKYM"]})
    skym.revokeIssuer(accounts[3], {"from": admins["SKYM"]})
    assert skym.issuers() == [admins["SKYM"]]
    with reverts_with("PointsTokenNotIssuer", accounts[3]):
        skym.revokeIssuer(accounts[3], {"from": admins["SKYM"]})


def test_revoking_issuers_reverts_for_anyone_else(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    skym = tokens["SKYM"]
    with reverts_with("PointsTokenNotMerchantOrGovernance", admins["BEAN"]):
        skym.revokeIssuer(admins["SKYM"], {"from": admins["BEAN"]})
    with unauthorized(admins["SKYM"], ADMIN_ROLE):
        skym.revokeAllIssuers({"from": admins["SKYM"]})


# ─── registry-only: cap and suspension ──────────────────────────────────────────────────────


def test_set_issuance_cap_reverts_for_anyone_but_the_registry(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("PointsTokenOnlyRegistry", admins["SKYM"]):
        tokens["SKYM"].setIssuanceCap(1, {"from": admins["SKYM"]})


def test_set_issuance_cap_reverts_even_for_governance(
    platform: Any, tokens: dict[str, Any], vote: Any
) -> None:
    with call_failed(next_proposal(platform), 0, "PointsTokenOnlyRegistry", platform.governance):
        vote((tokens["SKYM"], "setIssuanceCap", (1,)))


def test_set_issuance_suspended_reverts_for_anyone_but_the_registry(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("PointsTokenOnlyRegistry", admins["SKYM"]):
        tokens["SKYM"].setIssuanceSuspended(True, {"from": admins["SKYM"]})


def test_rotate_merchant_admin_reverts_for_anyone_but_the_registry(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("PointsTokenOnlyRegistry", admins["SKYM"]):
        tokens["SKYM"].rotateMerchantAdmin(admins["SKYM"], accounts[0], {"from": admins["SKYM"]})


def test_the_registry_suspends_and_resumes_issuance(
    platform: Any, tokens: dict[str, Any], vote: Any
) -> None:
    skym = tokens["SKYM"]
    tx = vote((platform.registry, "suspendMerchant", (1,)))
    assert tx.events["IssuanceSuspended"]["suspended"] is True
    assert skym.issuanceSuspended()
    vote((platform.registry, "reinstateMerchant", (1,)))
    assert not skym.issuanceSuspended()
