"""The exchange's voucher hooks (VOUCHER_ROLE only) and the VoucherBook's deployment wiring:
the roles it holds and grants, and governance as its admin."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts
from web3 import Web3

from tests.helpers import reverts_with, unauthorized
from tongdui.chain.deploy import address_of
from tongdui.core.dev_keys import ANVIL_KEYS, DEMO_PAYMENT_PROVIDER_KEY

ROLE = {
    name: Web3.keccak(text=name)
    for name in ("VOUCHER_ROLE", "SETTLER_ROLE", "RELAYER_ROLE", "PROVIDER_ROLE")
}
ADMIN = b"\x00" * 32


@pytest.fixture
def hook_caller(platform: Any, vote: Any, users: list[Any]) -> Any:
    """A test account voted VOUCHER_ROLE on the exchange, to call the hooks directly."""
    caller = accounts[2]
    vote((platform.exchange, "grantRole", (ROLE["VOUCHER_ROLE"], caller)), text="hook caller")
    return caller


def test_the_deployment_wires_the_voucher_books_roles(platform: Any) -> None:
    book, exchange, settlement = platform.voucher_book, platform.exchange, platform.settlement
    assert exchange.hasRole(ROLE["VOUCHER_ROLE"], book)
    assert settlement.hasRole(ROLE["SETTLER_ROLE"], book)
    assert book.hasRole(ROLE["RELAYER_ROLE"], accounts[8])
    assert book.hasRole(ROLE["PROVIDER_ROLE"], address_of(DEMO_PAYMENT_PROVIDER_KEY))
    assert book.hasRole(ADMIN, platform.governance)
    assert not book.hasRole(ADMIN, address_of(ANVIL_KEYS[0]))
    assert book.exchange() == exchange and book.settlementToken() == settlement
    assert platform.deployment.address("VoucherBook") == book.address
    assert platform.deployment.to_json()["voucherBook"] == book.address
    assert platform.backend.voucher_book.address == book.address


def test_the_voucher_books_domain_is_tongdui_voucher_book_version_1(platform: Any) -> None:
    domain = platform.voucher_book.eip712Domain()
    assert (domain[1], domain[2], domain[4]) == ("Tongdui VoucherBook", "1", platform.voucher_book)


@pytest.mark.parametrize("hook", ["voucherPay", "voucherBurn", "voucherMint"])
def test_only_the_voucher_role_calls_the_exchanges_hooks(
    platform: Any, tokens: dict[str, Any], users: list[Any], hook: str
) -> None:
    args = {
        "voucherPay": (
            b"\x00" * 32,
            users[0],
            tokens["SKYM"],
            100,
            tokens["BEAN"],
            900,
            accounts[8],
            True,
        ),
        "voucherBurn": (tokens["SKYM"], users[0], 100),
        "voucherMint": (tokens["SKYM"], users[0], 100, 0),
    }[hook]
    with unauthorized(accounts[1], ROLE["VOUCHER_ROLE"]):
        getattr(platform.exchange, hook)(*args, {"from": accounts[1]})


def test_voucher_pay_refuses_zero_amounts_and_the_same_token(
    platform: Any, tokens: dict[str, Any], users: list[Any], hook_caller: Any
) -> None:
    pay = platform.exchange.voucherPay
    skym, bean = tokens["SKYM"], tokens["BEAN"]
    with reverts_with("ExchangeZeroAmount"):
        pay(b"\x00" * 32, users[0], skym, 0, bean, 900, accounts[8], True, {"from": hook_caller})
    with reverts_with("ExchangeZeroAmount"):
        pay(b"\x00" * 32, users[0], skym, 100, bean, 0, accounts[8], True, {"from": hook_caller})
    with reverts_with("ExchangeSameToken", skym):
        pay(b"\x00" * 32, users[0], skym, 100, skym, 900, accounts[8], True, {"from": hook_caller})


def test_voucher_pay_refuses_a_value_below_the_minimum_order(
    platform: Any, tokens: dict[str, Any], users: list[Any], hook_caller: Any
) -> None:
    with reverts_with("ExchangeOrderValueTooLow", 90, 100):
        platform.exchange.voucherPay(
            b"\x00" * 32,
            users[0],
            tokens["SKYM"],
            9,
            tokens["BEAN"],
            50,
            accounts[8],
            True,
            {"from": hook_caller},
        )


def test_voucher_pay_without_burning_moves_value_only(
    platform: Any, tokens: dict[str, Any], users: list[Any], hook_caller: Any
) -> None:
    balance = tokens["SKYM"].balanceOf(users[0])
    tx = platform.exchange.voucherPay(
        b"\x07" * 32,
        users[0],
        tokens["SKYM"],
        100,
        tokens["BEAN"],
        900,
        accounts[8],
        False,
        {"from": hook_caller},
    )
    assert tx.return_value == 0
    assert tx.events["VoucherPaid"]["paidToTarget"] == 900
    assert tokens["SKYM"].balanceOf(users[0]) == balance


def test_voucher_pay_is_refused_while_the_exchange_is_paused(
    platform: Any, tokens: dict[str, Any], users: list[Any], hook_caller: Any, vote: Any
) -> None:
    vote((platform.exchange, "pause", ()), text="pause")
    with reverts_with("EnforcedPause"):
        platform.exchange.voucherPay(
            b"\x00" * 32,
            users[0],
            tokens["SKYM"],
            100,
            tokens["BEAN"],
            900,
            accounts[8],
            True,
            {"from": hook_caller},
        )
    with reverts_with("EnforcedPause"):
        platform.exchange.voucherBurn(tokens["SKYM"], users[0], 1, {"from": hook_caller})


def test_voucher_burn_returns_the_earliest_key_and_voucher_mint_restores_it(
    platform: Any, tokens: dict[str, Any], users: list[Any], hook_caller: Any
) -> None:
    skym = tokens["SKYM"]
    balance = skym.balanceOf(users[0])
    tx = platform.exchange.voucherBurn(skym, users[0], 40, {"from": hook_caller})
    key = tx.return_value
    assert key == 0xFFFF  # never-expiring points
    assert skym.balanceOf(users[0]) == balance - 40
    platform.exchange.voucherMint(skym, users[0], 40, key, {"from": hook_caller})
    platform.exchange.voucherMint(skym, users[0], 5, 0, {"from": hook_caller})  # the key now
    assert skym.balanceOf(users[0]) == balance + 5


def test_the_hooks_refuse_a_token_that_is_not_a_market(
    platform: Any, users: list[Any], hook_caller: Any
) -> None:
    stranger = accounts[3]
    with reverts_with("ExchangeUnknownMarket", stranger):
        platform.exchange.voucherBurn(stranger, users[0], 1, {"from": hook_caller})
    with reverts_with("ExchangeUnknownMarket", stranger):
        platform.exchange.voucherMint(stranger, users[0], 1, 0, {"from": hook_caller})
