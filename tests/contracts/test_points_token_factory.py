"""PointsTokenFactory: the merchant registry's maker of points tokens, for the registry alone.

Why a factory: `new PointsToken` in the registry embedded PointsToken's whole creation code and
left the registry 55 bytes under EIP-170's limit, no room for vouchers or expiry (issue 16).
The seeded consortium has merchants 1 SKYM, 2 BEAN, 3 FRESH, all made by the factory.
"""

from __future__ import annotations

from typing import Any

from brownie import MerchantRegistry, PointsToken, PointsTokenFactory, accounts, web3
from web3.utils.address import get_create_address

from tests.helpers import call_failed, reverts_with

ADMIN_ROLE = "0x" + "00" * 32
ZERO_ADDRESS = "0x" + "00" * 20


def _create_args(platform: Any, admin: Any) -> tuple[Any, ...]:
    return ("Forged Points", "FAKE", platform.governance, admin, platform.exchange, 10**9)


def test_the_registry_and_the_factory_name_each_other(platform: Any) -> None:
    assert platform.registry.factory() == platform.factory
    assert platform.factory.registry() == platform.registry
    assert platform.deployment.address("PointsTokenFactory") == platform.factory.address


def test_a_stranger_cannot_mint_a_points_token_through_the_factory(platform: Any) -> None:
    stranger = accounts[3]
    with reverts_with("PointsTokenOnlyRegistry", stranger):
        platform.factory.createToken(*_create_args(platform, stranger), {"from": stranger})


def test_a_merchant_operator_cannot_mint_a_points_token_through_the_factory(
    platform: Any, users: list[Any], admins: dict[str, Any]
) -> None:
    operator = admins["SKYM"]
    with reverts_with("PointsTokenOnlyRegistry", operator):
        platform.factory.createToken(*_create_args(platform, operator), {"from": operator})


def test_not_even_a_governance_vote_mints_through_the_factory(platform: Any, vote: Any) -> None:
    """Governance admits merchants through the registry; a vote calling the factory directly
    would make a token no registry record holds (unlisted, unknown to the audit)."""
    proposal = platform.governance.proposalCount() + 1
    with call_failed(proposal, 0, "PointsTokenOnlyRegistry", platform.governance):
        vote((platform.factory, "createToken", _create_args(platform, accounts[0])))


def test_a_merchant_admitted_through_governance_gets_a_token_made_by_the_factory(
    platform: Any, users: list[Any], vote: Any
) -> None:
    admin = accounts[2]
    factory_nonce = web3.eth.get_transaction_count(platform.factory.address)

    tx = vote((platform.registry, "admitMerchant", ("Jade Hotel Points", "JADE", admin, 5_000, 7)))

    token = PointsToken.at(tx.events["MerchantAdmitted"]["token"])
    # CREATE from the factory, at its next nonce: the factory made it, not the registry.
    assert token.address == get_create_address(platform.factory.address, factory_nonce)
    assert (token.name(), token.symbol(), token.decimals()) == ("Jade Hotel Points", "JADE", 0)
    assert token.issuanceCap() == 5_000
    assert token.registry() == platform.registry  # the registry, not the factory (msg.sender)
    assert token.exchange() == platform.exchange
    assert token.hasRole(ADMIN_ROLE, platform.governance)
    assert token.hasRole(token.MERCHANT_ROLE(), admin)
    assert token.hasRole(token.ISSUER_ROLE(), admin)
    assert not token.hasRole(ADMIN_ROLE, platform.factory)
    assert not token.hasRole(ADMIN_ROLE, platform.registry)
    assert platform.registry.merchantIdOf(token) == 4
    # The registry manages the factory's token: its calls pass the token's onlyRegistry.
    suspended = vote((platform.registry, "suspendMerchant", (4,)))
    assert suspended.events["IssuanceSuspended"]["suspended"] is True
    assert token.issuanceSuspended()


def test_the_seeded_merchants_tokens_are_the_factorys(platform: Any, users: list[Any]) -> None:
    made = [get_create_address(platform.factory.address, nonce) for nonce in (1, 2, 3)]
    assert [token.address for token in platform.merchants.values()] == made


def test_the_registry_refuses_a_factory_bound_to_another_registry(platform: Any) -> None:
    elsewhere = accounts[3]
    factory = PointsTokenFactory.deploy(elsewhere, {"from": accounts[0]})
    with reverts_with("RegistryFactoryMismatch", factory, elsewhere):
        MerchantRegistry.deploy(
            platform.governance, platform.exchange, factory, {"from": accounts[0]}
        )


def test_the_registry_refuses_the_factory_of_the_deployed_registry(platform: Any) -> None:
    """A second registry cannot share the platform's factory: the factory names the first."""
    with reverts_with("RegistryFactoryMismatch", platform.factory, platform.registry):
        MerchantRegistry.deploy(
            platform.governance, platform.exchange, platform.factory, {"from": accounts[0]}
        )


def test_the_registry_refuses_a_zero_factory(platform: Any) -> None:
    with reverts_with("RegistryZeroAddress"):
        MerchantRegistry.deploy(
            platform.governance, platform.exchange, ZERO_ADDRESS, {"from": accounts[0]}
        )


def test_the_registry_carries_no_points_token_code(platform: Any) -> None:
    """The point of the factory: PointsToken's creation code is in the factory only."""
    token_creation = PointsToken.bytecode
    assert token_creation not in MerchantRegistry._build["deployedBytecode"]
    assert token_creation in PointsTokenFactory._build["deployedBytecode"]
