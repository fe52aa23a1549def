"""Markets: listMarket, setMarketActive, setMarketAdmin (LISTER_ROLE: the merchant registry)
and setPointValue (the merchant, within governance's bounds)."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import ZERO_ADDRESS, accounts, chain, web3

from scripts.platform import admit_merchant
from tests.helpers import reverts_with, unauthorized

HOUR = 3_600


@pytest.fixture
def lister(platform: Any, vote: Any) -> Any:
    """A test account given LISTER_ROLE by a consortium vote (the registry holds it too)."""
    account = accounts[0]
    vote((platform.exchange, "grantRole", (platform.exchange.LISTER_ROLE(), account)))
    return account


@pytest.fixture
def new_token() -> Any:
    """Any address can stand for a points token the exchange has not seen."""
    return accounts[2]


def _market(platform: Any, token: Any) -> dict[str, Any]:
    return platform.exchange.market(token).dict()


# ─── listMarket ─────────────────────────────────────────────────────────────────────────────


def test_admission_by_the_registry_lists_an_active_market(
    platform: Any, users: list[Any], admins: dict[str, Any]
) -> None:
    token = admit_merchant(platform, "Tea House Leaves", "TEA", admins["BEAN"], 10**6, 25)
    market = _market(platform, token)

    assert market["pointValue"] == 25
    assert market["listed"] and market["active"]
    assert market["admin"] == admins["BEAN"]
    assert (market["settlementBalance"], market["feeCredit"]) == (0, 0)
    assert platform.exchange.hasRole(platform.exchange.LISTER_ROLE(), platform.registry)


def test_list_market_by_a_lister_records_the_market_and_emits(
    platform: Any, lister: Any, new_token: Any, admins: dict[str, Any]
) -> None:
    tx = platform.exchange.listMarket(new_token, admins["SKYM"], 42, {"from": lister})

    assert tx.events["MarketListed"] == {
        "token": new_token,
        "admin": admins["SKYM"],
        "pointValue": 42,
    }
    assert _market(platform, new_token) == {
        "pointValue": 42,
        "valueChangedAt": tx.timestamp,
        "listed": True,
        "active": True,
        "admin": admins["SKYM"],
        "settlementBalance": 0,
        "feeCredit": 0,
        "referenceValue": 42,  # the daily band's reference starts at the listed value
        "referenceAt": tx.timestamp,
    }


@pytest.mark.parametrize("caller", ["deployer", "governance_member", "merchant"])
def test_list_market_reverts_unless_the_caller_has_lister_role(
    caller: str, platform: Any, new_token: Any, admins: dict[str, Any]
) -> None:
    account = {
        "deployer": accounts[0],
        "governance_member": platform.members[0],
        "merchant": admins["SKYM"],
    }[caller]

    with unauthorized(account, platform.exchange.LISTER_ROLE()):
        platform.exchange.listMarket(new_token, account, 10, {"from": account})


@pytest.mark.parametrize("zero", ["token", "admin"])
def test_list_market_reverts_on_a_zero_address(
    zero: str, platform: Any, lister: Any, new_token: Any
) -> None:
    token, admin = (ZERO_ADDRESS, lister) if zero == "token" else (new_token, ZERO_ADDRESS)

    with reverts_with("ExchangeZeroAddress"):
        platform.exchange.listMarket(token, admin, 10, {"from": lister})


def test_list_market_reverts_if_already_listed(
    platform: Any, lister: Any, tokens: dict[str, Any]
) -> None:
    with reverts_with("ExchangeMarketAlreadyListed", tokens["SKYM"]):
        platform.exchange.listMarket(tokens["SKYM"], lister, 10, {"from": lister})


@pytest.mark.parametrize("value", [0, 2**64])
def test_list_market_reverts_on_a_zero_or_too_large_point_value(
    value: int, platform: Any, lister: Any, new_token: Any
) -> None:
    with reverts_with("ExchangeInvalidPointValue", value):
        platform.exchange.listMarket(new_token, lister, value, {"from": lister})


def test_list_market_accepts_the_largest_point_value(
    platform: Any, lister: Any, new_token: Any
) -> None:
    platform.exchange.listMarket(new_token, lister, 2**64 - 1, {"from": lister})

    assert _market(platform, new_token)["pointValue"] == 2**64 - 1


# ─── setMarketActive ────────────────────────────────────────────────────────────────────────


def test_set_market_active_suspends_and_reinstates_swaps(
    platform: Any, lister: Any, tokens: dict[str, Any], users: list[Any], make_order: Any
) -> None:
    fresh = tokens["FRESH"]

    tx = platform.exchange.setMarketActive(fresh, False, {"from": lister})

    assert tx.events["MarketStatusChanged"] == {"token": fresh, "active": False}
    assert not _market(platform, fresh)["active"]
    order = make_order(users[2], "FRESH", "SKYM", 1_000)
    with reverts_with("ExchangeMarketInactive", fresh):
        platform.exchange.swap(order.as_tuple(), {"from": users[2]})

    platform.exchange.setMarketActive(fresh, True, {"from": lister})

    assert platform.exchange.swap(order.as_tuple(), {"from": users[2]}).return_value == 99


def test_registry_suspension_and_reinstatement_switch_the_market(
    platform: Any, tokens: dict[str, Any], vote: Any
) -> None:
    fresh = tokens["FRESH"]
    merchant_id = platform.registry.merchantIdOf(fresh)

    suspended = vote((platform.registry, "suspendMerchant", (merchant_id,)))
    assert suspended.events["MarketStatusChanged"] == {"token": fresh, "active": False}
    assert not _market(platform, fresh)["active"]

    vote((platform.registry, "reinstateMerchant", (merchant_id,)))
    assert _market(platform, fresh)["active"]


def test_set_market_active_reverts_unless_the_caller_has_lister_role(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with unauthorized(admins["FRESH"], platform.exchange.LISTER_ROLE()):
        platform.exchange.setMarketActive(tokens["FRESH"], False, {"from": admins["FRESH"]})


def test_set_market_active_reverts_for_an_unknown_market(
    platform: Any, lister: Any, new_token: Any
) -> None:
    with reverts_with("ExchangeUnknownMarket", new_token):
        platform.exchange.setMarketActive(new_token, False, {"from": lister})


# ─── setMarketAdmin ─────────────────────────────────────────────────────────────────────────


def test_set_market_admin_hands_the_market_to_the_new_key(
    platform: Any, lister: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    sky, old_admin, new_admin = tokens["SKYM"], admins["SKYM"], accounts[3]

    tx = platform.exchange.setMarketAdmin(sky, new_admin, {"from": lister})

    assert tx.events["MarketAdminChanged"] == {"token": sky, "admin": new_admin}
    assert _market(platform, sky)["admin"] == new_admin
    with reverts_with("ExchangeNotMerchantAdmin", sky, old_admin):
        platform.exchange.withdraw(sky, old_admin, 1, {"from": old_admin})
    platform.exchange.withdraw(sky, new_admin, 1, {"from": new_admin})


def test_registry_admin_change_moves_the_market_admin(
    platform: Any, tokens: dict[str, Any], vote: Any
) -> None:
    sky, new_admin = tokens["SKYM"], accounts[3]

    vote((platform.registry, "setMerchantAdmin", (platform.registry.merchantIdOf(sky), new_admin)))

    assert _market(platform, sky)["admin"] == new_admin


def test_set_market_admin_reverts_unless_the_caller_has_lister_role(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with unauthorized(admins["SKYM"], platform.exchange.LISTER_ROLE()):
        platform.exchange.setMarketAdmin(tokens["SKYM"], accounts[3], {"from": admins["SKYM"]})


def test_set_market_admin_reverts_on_the_zero_address(
    platform: Any, lister: Any, tokens: dict[str, Any]
) -> None:
    with reverts_with("ExchangeZeroAddress"):
        platform.exchange.setMarketAdmin(tokens["SKYM"], ZERO_ADDRESS, {"from": lister})


def test_set_market_admin_reverts_for_an_unknown_market(
    platform: Any, lister: Any, new_token: Any
) -> None:
    with reverts_with("ExchangeUnknownMarket", new_token):
        platform.exchange.setMarketAdmin(new_token, lister, {"from": lister})


# ─── setPointValue ──────────────────────────────────────────────────────────────────────────


def _now() -> int:
    return int(web3.eth.get_block("latest").timestamp)


def _after_min_interval(platform: Any, token: Any) -> None:
    """Sleeps until the market's next value change is allowed."""
    market = _market(platform, token)
    next_allowed = market["valueChangedAt"] + platform.exchange.riskConfig()["minValueInterval"]
    now = web3.eth.get_block("latest").timestamp
    chain.sleep(max(0, next_allowed - now) + 1)


def test_set_point_value_changes_the_value_swaps_use(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    sky = tokens["SKYM"]
    _after_min_interval(platform, sky)

    tx = platform.exchange.setPointValue(sky, 12, {"from": admins["SKYM"]})

    assert tx.events["PointValueChanged"] == {"token": sky, "oldValue": 10, "newValue": 12}
    assert _market(platform, sky)["pointValue"] == 12
    assert _market(platform, sky)["valueChangedAt"] == tx.timestamp
    assert platform.exchange.quote(sky, tokens["FRESH"], 100)[2] == 1_200


@pytest.mark.parametrize(
    ("new_value", "allowed"), [(12, True), (8, True), (13, False), (7, False), (1, False)]
)
def test_set_point_value_allows_a_step_up_to_max_value_step_bps(
    new_value: int, allowed: bool, platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    # The default bound is 2 000 bps: SKYM's 10 fen may move to anything in 8..12.
    sky = tokens["SKYM"]
    _after_min_interval(platform, sky)

    if allowed:
        platform.exchange.setPointValue(sky, new_value, {"from": admins["SKYM"]})
        assert _market(platform, sky)["pointValue"] == new_value
    else:
        with reverts_with("ExchangeValueStepTooLarge", 10, new_value, 2_000):
            platform.exchange.setPointValue(sky, new_value, {"from": admins["SKYM"]})


def test_set_point_value_reverts_before_min_interval_since_the_last_change(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    sky, admin = tokens["SKYM"], admins["SKYM"]
    _after_min_interval(platform, sky)
    changed = platform.exchange.setPointValue(sky, 11, {"from": admin})

    with reverts_with("ExchangeValueChangeTooSoon", changed.timestamp + HOUR):
        platform.exchange.setPointValue(sky, 12, {"from": admin})

    chain.sleep(HOUR - 120)
    with reverts_with("ExchangeValueChangeTooSoon", changed.timestamp + HOUR):
        platform.exchange.setPointValue(sky, 12, {"from": admin})

    chain.sleep(240)
    platform.exchange.setPointValue(sky, 12, {"from": admin})
    assert _market(platform, sky)["pointValue"] == 12


def test_set_point_value_reverts_right_after_listing(
    platform: Any, lister: Any, new_token: Any
) -> None:
    listed = platform.exchange.listMarket(new_token, lister, 100, {"from": lister})

    with reverts_with("ExchangeValueChangeTooSoon", listed.timestamp + HOUR):
        platform.exchange.setPointValue(new_token, 101, {"from": lister})


def test_set_point_value_follows_the_bounds_governance_sets(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], vote: Any
) -> None:
    sky, admin = tokens["SKYM"], admins["SKYM"]
    vote((platform.exchange, "setValueBounds", (5_000, 600, 10_000)))
    _after_min_interval(platform, sky)

    platform.exchange.setPointValue(sky, 15, {"from": admin})
    chain.sleep(601)
    platform.exchange.setPointValue(sky, 20, {"from": admin})

    assert _market(platform, sky)["pointValue"] == 20


def test_daily_value_pump_beyond_the_band_is_refused(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    # The attack: steps of 20% once an hour compound to about ×79 a day. Within one
    # reference period (a day) the value stays within ±50% of the value it started with.
    sky, admin = tokens["SKYM"], admins["SKYM"]
    # Start where a reference period ends, so that the first change starts the next one.
    chain.sleep(max(0, _market(platform, sky)["referenceAt"] + 86_400 - _now()))
    _after_min_interval(platform, sky)
    started = platform.exchange.setPointValue(sky, 12, {"from": admin})
    assert (_market(platform, sky)["referenceValue"], _market(platform, sky)["referenceAt"]) == (
        10,
        started.timestamp,
    )
    chain.sleep(HOUR + 1)
    platform.exchange.setPointValue(sky, 14, {"from": admin})
    chain.sleep(HOUR + 1)

    with reverts_with("ExchangeValueOutsideDailyBand", 10, 16, 5_000):
        platform.exchange.setPointValue(sky, 16, {"from": admin})
    platform.exchange.setPointValue(sky, 15, {"from": admin})  # the band's edge

    # A day after the period started, the next change re-anchors at the value then in force.
    chain.sleep(started.timestamp + 86_400 - _now())
    platform.exchange.setPointValue(sky, 18, {"from": admin})
    assert (_market(platform, sky)["referenceValue"], _market(platform, sky)["pointValue"]) == (
        15,
        18,
    )


@pytest.mark.parametrize("value", [0, 2**64])
def test_set_point_value_reverts_on_a_zero_or_too_large_value(
    value: int, platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("ExchangeInvalidPointValue", value):
        platform.exchange.setPointValue(tokens["SKYM"], value, {"from": admins["SKYM"]})


@pytest.mark.parametrize("caller", ["other_merchant", "user", "governance"])
def test_set_point_value_reverts_unless_the_caller_is_the_merchant_admin(
    caller: str,
    platform: Any,
    tokens: dict[str, Any],
    admins: dict[str, Any],
    users: list[Any],
) -> None:
    account = {
        "other_merchant": admins["BEAN"],
        "user": users[0],
        "governance": platform.members[0],
    }[caller]

    with reverts_with("ExchangeNotMerchantAdmin", tokens["SKYM"], account):
        platform.exchange.setPointValue(tokens["SKYM"], 11, {"from": account})


def test_set_point_value_reverts_for_an_unknown_market(
    platform: Any, new_token: Any, admins: dict[str, Any]
) -> None:
    with reverts_with("ExchangeUnknownMarket", new_token):
        platform.exchange.setPointValue(new_token, 11, {"from": admins["SKYM"]})
