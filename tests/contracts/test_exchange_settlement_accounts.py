"""Settlement accounts and fee credits: deposit, withdraw, withdrawMerchantFees,
withdrawPayeeCredit."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import ZERO_ADDRESS, accounts
from eth_utils import keccak

from tests.helpers import call_failed, reverts_with


def _next_proposal(platform: Any) -> int:
    return int(platform.governance.proposalCount()) + 1


def _balance(platform: Any, token: Any) -> int:
    return int(platform.exchange.market(token)["settlementBalance"])


@pytest.fixture
def relayed_swap(platform: Any, users: list[Any], make_order: Any, sign: Any, relayer: Any) -> Any:
    """5 000 SKYM → 498 BEAN through the relayer: fee 200 = source 40, target 40, relayer 40,
    platform 80."""
    order = make_order(users[0], "SKYM", "BEAN", 5_000)
    return platform.exchange.settle([order.as_tuple()], [sign(users[0], order)], {"from": relayer})


# ─── deposit ────────────────────────────────────────────────────────────────────────────────


def test_deposit_moves_settlement_tokens_into_the_merchant_account(
    platform: Any, tokens: dict[str, Any], settler: Any
) -> None:
    funder, bean = accounts[3], tokens["BEAN"]
    platform.settlement.mint(funder, 5_000, keccak(text="top-up"), {"from": settler})
    platform.settlement.approve(platform.exchange, 5_000, {"from": funder})
    before, held = _balance(platform, bean), platform.settlement.balanceOf(platform.exchange)

    tx = platform.exchange.deposit(bean, 5_000, {"from": funder})

    assert tx.events["SettlementDeposited"] == {"token": bean, "from": funder, "amount": 5_000}
    assert _balance(platform, bean) == before + 5_000
    assert platform.settlement.balanceOf(platform.exchange) == held + 5_000
    assert platform.settlement.balanceOf(funder) == 0


def test_deposit_into_a_suspended_market_is_accepted(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], settler: Any, vote: Any
) -> None:
    fresh, admin = tokens["FRESH"], admins["FRESH"]
    vote((platform.registry, "suspendMerchant", (platform.registry.merchantIdOf(fresh),)))
    platform.settlement.mint(admin, 100, keccak(text="top-up"), {"from": settler})
    platform.settlement.approve(platform.exchange, 100, {"from": admin})
    before = _balance(platform, fresh)

    platform.exchange.deposit(fresh, 100, {"from": admin})

    assert _balance(platform, fresh) == before + 100


def test_deposit_reverts_on_zero_amount(platform: Any, tokens: dict[str, Any]) -> None:
    with reverts_with("ExchangeZeroAmount"):
        platform.exchange.deposit(tokens["BEAN"], 0, {"from": accounts[3]})


def test_deposit_reverts_for_an_unknown_market(platform: Any, users: list[Any]) -> None:
    with reverts_with("ExchangeUnknownMarket", accounts[2]):
        platform.exchange.deposit(accounts[2], 100, {"from": accounts[3]})


def test_deposit_reverts_without_allowance(
    platform: Any, tokens: dict[str, Any], settler: Any
) -> None:
    funder = accounts[3]
    platform.settlement.mint(funder, 100, keccak(text="top-up"), {"from": settler})

    with reverts_with("ERC20InsufficientAllowance", platform.exchange, 0, 100):
        platform.exchange.deposit(tokens["BEAN"], 100, {"from": funder})


# ─── withdraw ───────────────────────────────────────────────────────────────────────────────


def test_withdraw_pays_the_merchant_out_of_its_account(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    bean, admin, treasury = tokens["BEAN"], admins["BEAN"], accounts[3]
    before = _balance(platform, bean)

    tx = platform.exchange.withdraw(bean, treasury, 1_234, {"from": admin})

    assert tx.events["SettlementWithdrawn"] == {"token": bean, "to": treasury, "amount": 1_234}
    assert _balance(platform, bean) == before - 1_234
    assert platform.settlement.balanceOf(treasury) == 1_234


def test_withdraw_may_empty_the_account_but_not_more(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    bean, admin = tokens["BEAN"], admins["BEAN"]
    balance = _balance(platform, bean)

    with reverts_with("ExchangeInsufficientSettlementBalance", bean, balance, balance + 1):
        platform.exchange.withdraw(bean, admin, balance + 1, {"from": admin})

    platform.exchange.withdraw(bean, admin, balance, {"from": admin})
    assert _balance(platform, bean) == 0


def test_withdraw_reverts_on_zero_amount(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("ExchangeZeroAmount"):
        platform.exchange.withdraw(tokens["BEAN"], admins["BEAN"], 0, {"from": admins["BEAN"]})


def test_withdraw_reverts_to_the_zero_address(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("ExchangeZeroAddress"):
        platform.exchange.withdraw(tokens["BEAN"], ZERO_ADDRESS, 1, {"from": admins["BEAN"]})


@pytest.mark.parametrize("caller", ["other_merchant", "user", "relayer"])
def test_withdraw_reverts_unless_the_caller_is_the_merchant_admin(
    caller: str,
    platform: Any,
    tokens: dict[str, Any],
    admins: dict[str, Any],
    users: list[Any],
    relayer: Any,
) -> None:
    account = {"other_merchant": admins["SKYM"], "user": users[1], "relayer": relayer}[caller]

    with reverts_with("ExchangeNotMerchantAdmin", tokens["BEAN"], account):
        platform.exchange.withdraw(tokens["BEAN"], account, 1, {"from": account})


def test_withdraw_reverts_for_an_unknown_market(platform: Any, admins: dict[str, Any]) -> None:
    with reverts_with("ExchangeUnknownMarket", accounts[2]):
        platform.exchange.withdraw(accounts[2], admins["BEAN"], 1, {"from": admins["BEAN"]})


# ─── withdrawMerchantFees ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("symbol", ["SKYM", "BEAN"])
def test_withdraw_merchant_fees_pays_out_the_fee_credit_once(
    symbol: str,
    platform: Any,
    tokens: dict[str, Any],
    admins: dict[str, Any],
    relayed_swap: Any,
) -> None:
    token, admin, treasury = tokens[symbol], admins[symbol], accounts[3]
    assert platform.exchange.market(token)["feeCredit"] == 40

    tx = platform.exchange.withdrawMerchantFees(token, treasury, {"from": admin})

    assert tx.return_value == 40
    assert tx.events["MerchantFeesWithdrawn"] == {"token": token, "to": treasury, "amount": 40}
    assert platform.settlement.balanceOf(treasury) == 40
    assert platform.exchange.market(token)["feeCredit"] == 0
    with reverts_with("ExchangeNothingToWithdraw", token):
        platform.exchange.withdrawMerchantFees(token, treasury, {"from": admin})


def test_withdraw_merchant_fees_reverts_with_no_credit(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("ExchangeNothingToWithdraw", tokens["FRESH"]):
        platform.exchange.withdrawMerchantFees(
            tokens["FRESH"], admins["FRESH"], {"from": admins["FRESH"]}
        )


def test_withdraw_merchant_fees_reverts_to_the_zero_address(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], relayed_swap: Any
) -> None:
    with reverts_with("ExchangeZeroAddress"):
        platform.exchange.withdrawMerchantFees(
            tokens["SKYM"], ZERO_ADDRESS, {"from": admins["SKYM"]}
        )


def test_withdraw_merchant_fees_reverts_unless_the_caller_is_the_merchant_admin(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], relayed_swap: Any
) -> None:
    intruder = admins["BEAN"]

    with reverts_with("ExchangeNotMerchantAdmin", tokens["SKYM"], intruder):
        platform.exchange.withdrawMerchantFees(tokens["SKYM"], intruder, {"from": intruder})


def test_withdraw_merchant_fees_reverts_for_an_unknown_market(
    platform: Any, admins: dict[str, Any]
) -> None:
    with reverts_with("ExchangeUnknownMarket", accounts[2]):
        platform.exchange.withdrawMerchantFees(accounts[2], accounts[3], {"from": admins["BEAN"]})


# ─── withdrawPayeeCredit ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("payee_name", "credit"), [("platform", 80), ("relayer", 40)])
def test_withdraw_payee_credit_pays_out_the_callers_credit_once(
    payee_name: str,
    credit: int,
    platform: Any,
    platform_payee: Any,
    relayer: Any,
    relayed_swap: Any,
) -> None:
    payee, to = (platform_payee if payee_name == "platform" else relayer), accounts[3]
    assert platform.exchange.payeeCredit(payee) == credit

    tx = platform.exchange.withdrawPayeeCredit(to, {"from": payee})

    assert tx.return_value == credit
    assert tx.events["PayeeCreditWithdrawn"] == {"payee": payee, "to": to, "amount": credit}
    assert platform.settlement.balanceOf(to) == credit
    assert platform.exchange.payeeCredit(payee) == 0
    with reverts_with("ExchangeNothingToWithdraw", payee):
        platform.exchange.withdrawPayeeCredit(to, {"from": payee})


def test_withdraw_payee_credit_reverts_for_an_account_without_credit(
    platform: Any, users: list[Any], relayed_swap: Any
) -> None:
    with reverts_with("ExchangeNothingToWithdraw", users[0]):
        platform.exchange.withdrawPayeeCredit(users[0], {"from": users[0]})


def test_withdraw_payee_credit_reverts_to_the_zero_address(
    platform: Any, platform_payee: Any, relayed_swap: Any
) -> None:
    with reverts_with("ExchangeZeroAddress"):
        platform.exchange.withdrawPayeeCredit(ZERO_ADDRESS, {"from": platform_payee})


# ─── withdrawals while the holders are locked in ────────────────────────────────────────────


def _suspend(platform: Any, vote: Any, token: Any) -> None:
    vote((platform.registry, "suspendMerchant", (platform.registry.merchantIdOf(token),)))


def test_suspended_merchant_cannot_withdraw_its_holders_cover(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], vote: Any
) -> None:
    # The attack: once suspended, the merchant's holders cannot swap out, but the merchant
    # took its whole settlement account; after reinstatement every swap out lacked cover.
    bean, admin = tokens["BEAN"], admins["BEAN"]
    balance = _balance(platform, bean)
    _suspend(platform, vote, bean)

    with reverts_with("ExchangeMarketInactive", bean):
        platform.exchange.withdraw(bean, admin, balance, {"from": admin})
    assert _balance(platform, bean) == balance


def test_suspended_merchant_cannot_withdraw_its_fee_credit(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], vote: Any, relayed_swap: Any
) -> None:
    bean, admin = tokens["BEAN"], admins["BEAN"]
    _suspend(platform, vote, bean)

    with reverts_with("ExchangeMarketInactive", bean):
        platform.exchange.withdrawMerchantFees(bean, admin, {"from": admin})
    assert platform.exchange.market(bean)["feeCredit"] == 40


def test_paused_exchange_blocks_merchant_withdrawals(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], vote: Any, relayed_swap: Any
) -> None:
    bean, admin = tokens["BEAN"], admins["BEAN"]
    vote((platform.exchange, "pause", ()))

    with reverts_with("EnforcedPause"):
        platform.exchange.withdraw(bean, admin, 1, {"from": admin})
    with reverts_with("EnforcedPause"):
        platform.exchange.withdrawMerchantFees(bean, admin, {"from": admin})

    vote((platform.exchange, "unpause", ()))
    platform.exchange.withdraw(bean, admin, 1, {"from": admin})
    assert platform.exchange.withdrawMerchantFees(bean, admin, {"from": admin}).return_value == 40


def test_withdrawal_below_the_cover_floor_is_refused(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], vote: Any
) -> None:
    # The floor: a withdrawal racing a suspension vote cannot take the cover below a share of
    # the outstanding points' value (supply × point value), whatever the vote's speed.
    fresh, admin = tokens["FRESH"], admins["FRESH"]
    tx = vote((platform.exchange, "setCoverFloor", (10_000,)))
    assert tx.events["CoverFloorChanged"] == {"coverFloorBps": 10_000}
    liability = fresh.totalSupply() * platform.exchange.market(fresh)["pointValue"]
    balance = _balance(platform, fresh)
    assert balance > liability  # the demo: 100 000 yuan against 100 000 points of 1 fen each

    with reverts_with("ExchangeBelowCoverFloor", fresh, liability - 1, liability):
        platform.exchange.withdraw(fresh, admin, balance - liability + 1, {"from": admin})
    platform.exchange.withdraw(fresh, admin, balance - liability, {"from": admin})
    assert _balance(platform, fresh) == liability


def test_set_cover_floor_reverts_above_100_percent(platform: Any, vote: Any) -> None:
    with call_failed(_next_proposal(platform), 0, "ExchangeInvalidCoverFloor", 10_001):
        vote((platform.exchange, "setCoverFloor", (10_001,)))


# ─── surplus: settlement tokens sent straight to the exchange ──────────────────────────────


def test_stray_settlement_transfer_is_swept_by_governance(
    platform: Any, settler: Any, vote: Any
) -> None:
    # The attack (or the mistake): one unit of sCNY sent straight to the exchange broke the
    # custody identity held == owed forever, and could never be recovered.
    sender, refund = accounts[3], accounts[2]
    platform.settlement.mint(sender, 1, keccak(text="stray"), {"from": settler})
    owed = platform.exchange.settlementAccounted()
    assert platform.settlement.balanceOf(platform.exchange) == owed

    platform.settlement.transfer(platform.exchange, 1, {"from": sender})

    assert platform.exchange.settlementSurplus() == 1
    tx = vote((platform.exchange, "sweepSurplus", (refund,)))
    assert tx.events["SurplusSwept"] == {"to": refund, "amount": 1}
    assert platform.settlement.balanceOf(refund) == 1
    assert platform.settlement.balanceOf(platform.exchange) == owed
    assert platform.exchange.settlementSurplus() == 0


def test_sweep_surplus_takes_nothing_an_account_owns(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], vote: Any, relayed_swap: Any
) -> None:
    # Deposits, swaps, fee credits: all accounted, so there is nothing to sweep.
    with call_failed(_next_proposal(platform), 0, "ExchangeNothingToWithdraw", platform.exchange):
        vote((platform.exchange, "sweepSurplus", (accounts[2],)))
    platform.exchange.withdrawMerchantFees(tokens["BEAN"], admins["BEAN"], {"from": admins["BEAN"]})
    assert platform.exchange.settlementSurplus() == 0
    assert platform.settlement.balanceOf(platform.exchange) == (
        platform.exchange.settlementAccounted()
    )
