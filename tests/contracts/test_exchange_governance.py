"""The consortium's settings on the exchange: setFee, setFeeShares, setPlatformPayee,
setValueBounds, setUserLimit, setMinOrderValue, setCoverFloor, sweepSurplus, pause, unpause
(DEFAULT_ADMIN_ROLE: the governance).

Votes show the real path; the revert cases also run from a test account that a vote made an
admin, so each error is asserted with its own arguments (a failed vote wraps it in
`GovernanceCallFailed`, checked once per setter below too).
"""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import ZERO_ADDRESS, accounts, chain, web3

from tests.helpers import call_failed, reverts_with, unauthorized

DEFAULT_ADMIN_ROLE = "0x" + "00" * 32
DAY = 86_400


@pytest.fixture
def governor(platform: Any, vote: Any) -> Any:
    """A test account a consortium vote made an admin of the exchange."""
    account = accounts[0]
    vote((platform.exchange, "grantRole", (DEFAULT_ADMIN_ROLE, account)))
    return account


def _next_proposal(platform: Any) -> int:
    return int(platform.governance.proposalCount()) + 1


def test_the_exchange_starts_with_the_documented_defaults(
    platform: Any, platform_payee: Any
) -> None:
    assert platform.exchange.feeConfig().dict() == {
        "feeBps": 30,
        "platformBps": 4_000,
        "sourceMerchantBps": 2_000,
        "targetMerchantBps": 2_000,
        "relayerBps": 2_000,
        "platformPayee": platform_payee,
    }
    assert platform.exchange.riskConfig().dict() == {
        "maxValueStepBps": 2_000,
        "minValueInterval": 3_600,
        "limitWindow": DAY,
        "maxValuePerWindow": 10_000_000,
        "maxDailyStepBps": 5_000,
        "minOrderValue": 100,
        "coverFloorBps": 0,
    }
    assert not platform.exchange.paused()
    assert platform.exchange.hasRole(DEFAULT_ADMIN_ROLE, platform.governance)
    assert not platform.exchange.hasRole(DEFAULT_ADMIN_ROLE, accounts[0])


SETTERS = [
    ("setFee", (50,)),
    ("setFeeShares", ((2_500, 2_500, 2_500, 2_500),)),
    ("setPlatformPayee", ("0x000000000000000000000000000000000000dEaD",)),
    ("setValueBounds", (1_000, 3_600, 5_000)),
    ("setUserLimit", (10**6, DAY)),
    ("setMinOrderValue", (500,)),
    ("setCoverFloor", (5_000,)),
    ("sweepSurplus", ("0x000000000000000000000000000000000000dEaD",)),
    ("pause", ()),
    ("unpause", ()),
]


@pytest.mark.parametrize(("function", "args"), SETTERS, ids=[name for name, _ in SETTERS])
@pytest.mark.parametrize("caller", ["member", "merchant", "relayer"])
def test_every_setting_reverts_unless_the_caller_is_an_admin(
    function: str,
    args: tuple[Any, ...],
    caller: str,
    platform: Any,
    admins: dict[str, Any],
    relayer: Any,
) -> None:
    # A single member is not the governance: only a passed vote acts for the consortium.
    account = {"member": platform.members[0], "merchant": admins["SKYM"], "relayer": relayer}[
        caller
    ]

    with unauthorized(account, DEFAULT_ADMIN_ROLE):
        getattr(platform.exchange, function)(*args, {"from": account})


# ─── setFee ─────────────────────────────────────────────────────────────────────────────────


def test_set_fee_by_vote_changes_the_fee(platform: Any, vote: Any) -> None:
    tx = vote((platform.exchange, "setFee", (55,)))

    assert tx.events["FeeChanged"]["feeBps"] == 55
    assert platform.exchange.feeConfig()["feeBps"] == 55


def test_set_fee_accepts_the_maximum_and_zero(platform: Any, governor: Any) -> None:
    platform.exchange.setFee(1_000, {"from": governor})
    assert platform.exchange.feeConfig()["feeBps"] == 1_000

    platform.exchange.setFee(0, {"from": governor})
    assert platform.exchange.feeConfig()["feeBps"] == 0


def test_set_fee_reverts_above_the_maximum(platform: Any, governor: Any, vote: Any) -> None:
    with reverts_with("ExchangeFeeTooHigh", 1_001, 1_000):
        platform.exchange.setFee(1_001, {"from": governor})

    with call_failed(_next_proposal(platform), 0, "ExchangeFeeTooHigh", 5_000, 1_000):
        vote((platform.exchange, "setFee", (5_000,)))


# ─── setFeeShares ───────────────────────────────────────────────────────────────────────────


def test_set_fee_shares_by_vote_changes_the_split(platform: Any, vote: Any) -> None:
    tx = vote((platform.exchange, "setFeeShares", ((10_000, 0, 0, 0),)))

    assert tx.events["FeeSharesChanged"] == {
        "platformBps": 10_000,
        "sourceMerchantBps": 0,
        "targetMerchantBps": 0,
        "relayerBps": 0,
    }
    config = platform.exchange.feeConfig()
    assert (config["platformBps"], config["relayerBps"]) == (10_000, 0)


@pytest.mark.parametrize("shares", [(4_000, 2_000, 2_000, 1_999), (4_000, 2_000, 2_000, 2_001)])
def test_set_fee_shares_reverts_unless_the_shares_sum_to_10000(
    shares: tuple[int, int, int, int], platform: Any, governor: Any
) -> None:
    with reverts_with("ExchangeInvalidFeeShares", sum(shares)):
        platform.exchange.setFeeShares(shares, {"from": governor})


def test_set_fee_shares_by_vote_reverts_unless_the_shares_sum_to_10000(
    platform: Any, vote: Any
) -> None:
    with call_failed(_next_proposal(platform), 0, "ExchangeInvalidFeeShares", 0):
        vote((platform.exchange, "setFeeShares", ((0, 0, 0, 0),)))


# ─── setPlatformPayee ───────────────────────────────────────────────────────────────────────


def test_set_platform_payee_sends_later_platform_shares_to_the_new_payee(
    platform: Any,
    vote: Any,
    users: list[Any],
    make_order: Any,
    platform_payee: Any,
) -> None:
    first = make_order(users[0], "SKYM", "BEAN", 5_000)
    platform.exchange.swap(first.as_tuple(), {"from": users[0]})
    new_payee = accounts[3]

    tx = vote((platform.exchange, "setPlatformPayee", (new_payee,)))
    second = make_order(users[0], "SKYM", "BEAN", 5_000)
    platform.exchange.swap(second.as_tuple(), {"from": users[0]})

    assert tx.events["PlatformPayeeChanged"]["payee"] == new_payee
    assert platform.exchange.feeConfig()["platformPayee"] == new_payee
    # The old payee keeps what it earned before the change.
    assert platform.exchange.payeeCredit(platform_payee) == 120
    assert platform.exchange.payeeCredit(new_payee) == 120


def test_set_platform_payee_reverts_on_the_zero_address(
    platform: Any, governor: Any, vote: Any
) -> None:
    with reverts_with("ExchangeZeroAddress"):
        platform.exchange.setPlatformPayee(ZERO_ADDRESS, {"from": governor})

    with call_failed(_next_proposal(platform), 0, "ExchangeZeroAddress"):
        vote((platform.exchange, "setPlatformPayee", (ZERO_ADDRESS,)))


# ─── setValueBounds ─────────────────────────────────────────────────────────────────────────


def test_set_value_bounds_by_vote_records_the_bounds(platform: Any, vote: Any) -> None:
    tx = vote((platform.exchange, "setValueBounds", (10_000, 600, 10_000)))

    assert tx.events["ValueBoundsChanged"] == {
        "maxStepBps": 10_000,
        "minInterval": 600,
        "maxDailyStepBps": 10_000,
    }
    risk = platform.exchange.riskConfig()
    assert (risk["maxValueStepBps"], risk["minValueInterval"], risk["maxDailyStepBps"]) == (
        10_000,
        600,
        10_000,
    )


def test_value_pump_by_zero_interval_is_refused(platform: Any, governor: Any, vote: Any) -> None:
    # The attack: an interval of 0 lets a merchant chain maximal steps back to back (×8.8
    # in 12 changes at 20%), voiding the step bound. The interval has a floor of 10 minutes.
    with call_failed(_next_proposal(platform), 0, "ExchangeValueIntervalTooShort", 0, 600):
        vote((platform.exchange, "setValueBounds", (2_000, 0, 5_000)))
    with reverts_with("ExchangeValueIntervalTooShort", 599, 600):
        platform.exchange.setValueBounds(2_000, 599, 5_000, {"from": governor})

    platform.exchange.setValueBounds(2_000, 600, 5_000, {"from": governor})
    assert platform.exchange.riskConfig()["minValueInterval"] == 600


@pytest.mark.parametrize("max_step_bps", [0, 10_001])
def test_set_value_bounds_reverts_on_a_zero_or_above_100_percent_step(
    max_step_bps: int, platform: Any, governor: Any
) -> None:
    with reverts_with("ExchangeInvalidValueBounds", max_step_bps):
        platform.exchange.setValueBounds(max_step_bps, 3_600, 5_000, {"from": governor})


@pytest.mark.parametrize("max_daily_bps", [0, 10_001])
def test_set_value_bounds_reverts_on_a_zero_or_above_100_percent_daily_band(
    max_daily_bps: int, platform: Any, governor: Any
) -> None:
    with reverts_with("ExchangeInvalidDailyBand", max_daily_bps):
        platform.exchange.setValueBounds(2_000, 3_600, max_daily_bps, {"from": governor})


def test_set_value_bounds_reverts_on_an_interval_beyond_uint32(
    platform: Any, governor: Any
) -> None:
    with reverts_with("SafeCastOverflowedUintDowncast", 32, 2**32):
        platform.exchange.setValueBounds(1_000, 2**32, 5_000, {"from": governor})


# ─── setUserLimit ───────────────────────────────────────────────────────────────────────────


def _swap(platform: Any, user: Any, make_order: Any, amount_in: int, target: str = "BEAN") -> Any:
    order = make_order(user, "SKYM", target, amount_in)
    return platform.exchange.swap(order.as_tuple(), {"from": user})


def _latest_timestamp() -> int:
    return int(web3.eth.get_block("latest").timestamp)


def test_set_user_limit_by_vote_records_the_limit(platform: Any, vote: Any) -> None:
    tx = vote((platform.exchange, "setUserLimit", (100_000, DAY)))

    assert tx.events["UserLimitChanged"] == {"maxValuePerWindow": 100_000, "window": DAY}
    risk = platform.exchange.riskConfig()
    assert (risk["maxValuePerWindow"], risk["limitWindow"]) == (100_000, DAY)


MONTH = 30 * DAY  # a window so long that usage decays by under one fen per 25 s


def _limit_exceeded(user: Any, limit: int) -> Any:
    """ExchangeUserLimitExceeded(user, any usage, limit): the usage depends on block times."""
    return brownie.reverts(
        revert_pattern=rf"ExchangeUserLimitExceeded: {user.address.lower()}, \d+, {limit}"
    )


def test_user_limit_is_on_at_genesis(
    platform: Any,
    users: list[Any],
    tokens: dict[str, Any],
    admins: dict[str, Any],
    make_order: Any,
) -> None:
    # The attack: with no limit at genesis, one stolen wallet key swaps everything it holds.
    user = users[1]
    tokens["SKYM"].issue(user, 1_000_001, {"from": admins["SKYM"]})  # 10 000 010 fen

    with reverts_with("ExchangeUserLimitExceeded", user, 10_000_010, 10_000_000):
        _swap(platform, user, make_order, 1_000_001)
    _swap(platform, user, make_order, 1_000_000)  # exactly the default limit


def test_user_limit_caps_the_value_one_user_swaps_at_once(
    platform: Any, users: list[Any], make_order: Any, vote: Any
) -> None:
    vote((platform.exchange, "setUserLimit", (100_000, MONTH)))
    user = users[0]

    _swap(platform, user, make_order, 5_000)  # 50 000 fen
    second = _swap(platform, user, make_order, 5_000)  # 100 000 fen: exactly the limit

    state = platform.exchange.userState(user)
    assert (state["limitUpdatedAt"], state["limitUsed"]) == (second.timestamp, 100_000)
    with reverts_with("ExchangeUserLimitExceeded", user, 100_100, 100_000):
        _swap(platform, user, make_order, 10, target="FRESH")  # the minimum order: 100 fen
    # Another user's usage is its own.
    fresh_order = make_order(users[2], "FRESH", "SKYM", 50_000)
    platform.exchange.swap(fresh_order.as_tuple(), {"from": users[2]})


def test_limit_doubling_across_a_window_edge_is_refused(
    platform: Any, users: list[Any], make_order: Any, vote: Any
) -> None:
    # The attack: with fixed windows, a small swap opens a window, the full limit passes
    # just before its edge and the full limit again just after: 2× the limit in a minute.
    vote((platform.exchange, "setUserLimit", (100_000, DAY)))
    user = users[0]
    opened = _swap(platform, user, make_order, 10, target="FRESH")  # opens a window: 100 fen
    chain.sleep(opened.timestamp + DAY - _latest_timestamp() - 30)
    _swap(platform, user, make_order, 9_990)  # 99 900 fen, 30 s before the edge

    chain.sleep(60)  # across the edge: a fixed window would start again from 0
    with _limit_exceeded(user, 100_000):
        _swap(platform, user, make_order, 9_990)
    used = platform.exchange.userState(user)["limitUsed"]
    assert used == 99_900


def test_user_limit_recovers_gradually_over_the_window(
    platform: Any, users: list[Any], make_order: Any, vote: Any
) -> None:
    vote((platform.exchange, "setUserLimit", (100_000, DAY)))
    user = users[0]
    full = _swap(platform, user, make_order, 10_000)  # 100 000 fen: the whole limit

    chain.sleep(full.timestamp + DAY // 2 - _latest_timestamp())
    with _limit_exceeded(user, 100_000):
        _swap(platform, user, make_order, 5_100)  # 51 000 fen: more than half recovered
    half = _swap(platform, user, make_order, 4_900)  # 49 000 fen: within what recovered

    state = platform.exchange.userState(user)
    elapsed = half.timestamp - full.timestamp
    assert state["limitUsed"] == 100_000 - elapsed * 100_000 // DAY + 49_000


def test_a_limit_without_a_window_is_refused(platform: Any, governor: Any) -> None:
    with reverts_with("ExchangeInvalidUserLimit", 50_000, 0):
        platform.exchange.setUserLimit(50_000, 0, {"from": governor})


def test_a_zero_limit_lifts_the_cap(
    platform: Any, users: list[Any], make_order: Any, vote: Any
) -> None:
    vote((platform.exchange, "setUserLimit", (10, DAY)))
    vote((platform.exchange, "setUserLimit", (0, DAY)))

    _swap(platform, users[0], make_order, 50_000)

    assert platform.exchange.userState(users[0])["limitUsed"] == 0


def test_set_user_limit_reverts_on_values_beyond_their_storage(
    platform: Any, governor: Any
) -> None:
    with reverts_with("SafeCastOverflowedUintDowncast", 96, 2**96):
        platform.exchange.setUserLimit(2**96, DAY, {"from": governor})
    with reverts_with("SafeCastOverflowedUintDowncast", 32, 2**32):
        platform.exchange.setUserLimit(1, 2**32, {"from": governor})


# ─── pause / unpause ────────────────────────────────────────────────────────────────────────


def test_pause_stops_swaps_and_unpause_restarts_them(
    platform: Any, users: list[Any], make_order: Any, sign: Any, relayer: Any, vote: Any
) -> None:
    order = make_order(users[0], "SKYM", "BEAN", 5_000)

    paused = vote((platform.exchange, "pause", ()))

    assert paused.events["Paused"]["account"] == platform.governance
    assert platform.exchange.paused()
    with reverts_with("EnforcedPause"):
        platform.exchange.swap(order.as_tuple(), {"from": users[0]})
    with reverts_with("EnforcedPause"):
        platform.exchange.settle([order.as_tuple()], [sign(users[0], order)], {"from": relayer})

    unpaused = vote((platform.exchange, "unpause", ()))

    assert unpaused.events["Unpaused"]["account"] == platform.governance
    assert platform.exchange.swap(order.as_tuple(), {"from": users[0]}).return_value == 498


def test_pause_lets_merchants_deposit_but_not_withdraw(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], governor: Any, settler: Any
) -> None:
    # While paused holders cannot swap out, so the merchant may not take their cover.
    platform.exchange.pause({"from": governor})

    with reverts_with("EnforcedPause"):
        platform.exchange.withdraw(tokens["BEAN"], admins["BEAN"], 100, {"from": admins["BEAN"]})
    platform.settlement.mint(admins["BEAN"], 100, web3.keccak(text="top-up"), {"from": settler})
    platform.settlement.approve(platform.exchange, 100, {"from": admins["BEAN"]})
    platform.exchange.deposit(tokens["BEAN"], 100, {"from": admins["BEAN"]})


def test_pause_reverts_when_already_paused_and_unpause_when_not(
    platform: Any, governor: Any
) -> None:
    with reverts_with("ExpectedPause"):
        platform.exchange.unpause({"from": governor})

    platform.exchange.pause({"from": governor})

    with reverts_with("EnforcedPause"):
        platform.exchange.pause({"from": governor})
