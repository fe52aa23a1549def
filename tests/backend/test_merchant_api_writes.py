"""Merchant writes over a live server: issue, redeem with consent, point value within bounds,
deposit and withdraw; each shows on chain, and each refusal comes with the contract's code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_account import Account

from tests.chains import TestChain
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS
from tongdui.demo import DEMO_MERCHANTS
from tongdui.merchant.consent import sign_typed_data
from tongdui.query import chain as live
from tongdui.services import Services

from .api_support import LiveApi, live_api, make_keys

HOUR = 3600


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(services) as live:
        live.keys = make_keys(services, clean_chain.tokens)
        yield live


def advance(chain: TestChain, seconds: int) -> None:
    """Moves the test chain's clock (anvil only: tests)."""
    chain.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
    chain.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def fresh_address() -> str:
    return str(Account.create().address)


def test_issue_mints_points_to_the_user(api: LiveApi, clean_chain: TestChain) -> None:
    token, user = clean_chain.tokens["SKYM"], fresh_address()
    answer = api.client.post(
        f"/merchants/{token}/issue",
        json={"to": user, "amount": 1234},
        headers=api.auth("SKYM:issue"),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "mined" and body["blockNumber"] >= 1
    assert body["holder"] == user and body["amount"] == 1234
    assert clean_chain.platform.points_token(token).functions.balanceOf(user).call() == 1234


def test_issue_beyond_the_cap_is_refused_with_cap_exceeded(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["BEAN"]  # cap 10 000 000
    answer = api.client.post(
        f"/merchants/{token}/issue",
        json={"to": fresh_address(), "amount": 10_000_000},
        headers=api.auth("BEAN"),
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "CAP_EXCEEDED"
    assert answer.json()["details"]["args"]["cap"] == 10_000_000


def test_redeem_burns_the_holders_points_with_their_signed_consent(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token, holder_key = clean_chain.tokens["SKYM"], clean_chain.user_keys[0]
    holder = Account.from_key(holder_key).address
    points = clean_chain.platform.points_token(token).functions
    before = points.balanceOf(holder).call()
    deadline = clean_chain.w3.eth.get_block("latest")["timestamp"] + HOUR
    request = api.client.get(
        f"/merchants/{token}/redemption-request",
        params={"holder": holder, "amount": 700, "deadline": deadline},
        headers=api.auth("SKYM:redeem"),
    )
    assert request.status_code == 200, request.text
    typed = request.json()["typedData"]
    assert typed["domain"]["name"] == "Skyway Airlines Miles" and typed["domain"]["version"] == "1"
    signature = sign_typed_data(holder_key, typed)
    consent = {"holder": holder, "amount": 700, "deadline": deadline, "signature": signature}

    answer = api.client.post(
        f"/merchants/{token}/redeem", json=consent, headers=api.auth("SKYM:redeem")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "mined"
    assert points.balanceOf(holder).call() == before - 700

    again = api.client.post(
        f"/merchants/{token}/redeem", json=consent, headers=api.auth("SKYM:redeem")
    )
    assert again.status_code == 422
    assert again.json()["code"] == "INVALID_SIGNER"  # the consent's nonce is used
    assert points.balanceOf(holder).call() == before - 700


def test_redeem_signed_by_someone_else_is_refused(api: LiveApi, clean_chain: TestChain) -> None:
    token, holder = clean_chain.tokens["SKYM"], Account.from_key(clean_chain.user_keys[0]).address
    deadline = clean_chain.w3.eth.get_block("latest")["timestamp"] + HOUR
    typed = api.client.get(
        f"/merchants/{token}/redemption-request",
        params={"holder": holder, "amount": 5, "deadline": deadline},
        headers=api.auth("SKYM"),
    ).json()["typedData"]
    answer = api.client.post(
        f"/merchants/{token}/redeem",
        json={
            "holder": holder,
            "amount": 5,
            "deadline": deadline,
            "signature": sign_typed_data(clean_chain.user_keys[1], typed),
        },
        headers=api.auth("SKYM"),
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "INVALID_SIGNER"
    # checksummed, as every address the API returns
    assert answer.json()["details"]["args"]["expected"] == holder


def test_point_value_bounds_are_shown_without_changing_anything(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    answer = api.client.get(f"/merchants/{token}/point-value", headers=api.auth("SKYM:read"))
    assert answer.status_code == 200, answer.text
    bounds = answer.json()
    assert bounds["pointValue"] == 10
    assert bounds["maxValueStepBps"] == 2_000 and bounds["minValueInterval"] == HOUR
    assert (bounds["minAllowedValue"], bounds["maxAllowedValue"]) == (8, 12)
    assert bounds["nextChangeAllowedAt"] == bounds["valueChangedAt"] + HOUR
    assert bounds["canChangeNow"] is False  # just listed


def test_point_value_changes_within_bounds_and_the_answer_shows_the_new_bounds(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    advance(clean_chain, HOUR + 1)
    answer = api.client.put(
        f"/merchants/{token}/point-value", json={"value": 12}, headers=api.auth("SKYM:value")
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["status"], body["oldValue"], body["newValue"]) == ("mined", 10, 12)
    assert live.market(clean_chain.platform, token)["pointValue"] == 12
    assert body["bounds"]["pointValue"] == 12
    assert body["bounds"]["canChangeNow"] is False
    assert (body["bounds"]["minAllowedValue"], body["bounds"]["maxAllowedValue"]) == (10, 14)


def test_point_value_step_beyond_bounds_is_refused_with_the_bounds(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    advance(clean_chain, HOUR + 1)
    answer = api.client.put(
        f"/merchants/{token}/point-value", json={"value": 13}, headers=api.auth("SKYM:value")
    )
    assert answer.status_code == 422
    error = answer.json()
    assert error["code"] == "VALUE_STEP_TOO_LARGE"
    assert error["details"]["args"] == {"oldValue": 10, "newValue": 13, "maxStepBps": 2_000}
    assert "allowed 8–12" in error["message"]
    assert error["details"]["bounds"]["maxAllowedValue"] == 12
    assert live.market(clean_chain.platform, token)["pointValue"] == 10


def test_point_value_change_too_soon_is_refused_with_the_next_allowed_time(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    answer = api.client.put(
        f"/merchants/{token}/point-value", json={"value": 11}, headers=api.auth("SKYM:value")
    )
    assert answer.status_code == 422
    error = answer.json()
    assert error["code"] == "VALUE_CHANGE_TOO_SOON"
    next_at = error["details"]["bounds"]["nextChangeAllowedAt"]
    assert error["details"]["args"]["nextAllowedAt"] == next_at
    assert f"next change allowed at unix {next_at}" in error["message"]


def test_deposit_needs_settlement_tokens_then_approves_and_deposits(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token, platform = clean_chain.tokens["FRESH"], clean_chain.platform
    admin = Account.from_key(ANVIL_KEYS[6]).address
    balance_before = live.market(platform, token)["settlementBalance"]
    held = platform.settlement.functions.balanceOf(admin).call()  # the demo's operator float
    wanted = held + 50_000

    short = api.client.post(
        f"/merchants/{token}/deposit", json={"amount": wanted}, headers=api.auth("FRESH")
    )
    assert short.status_code == 422
    assert short.json()["code"] == "INSUFFICIENT_SETTLEMENT_TOKENS"
    assert short.json()["details"] | {"balance": held, "needed": wanted} == short.json()["details"]
    assert (
        f"holds ¥{held // 100:,}.00 of sCNY, less than the ¥{wanted // 100:,}.00"
        in (short.json()["message"])
    )  # one unit, yuan, as the page shows amounts

    settler = Signer(clean_chain.w3, ANVIL_KEYS[7])
    wait_for(
        clean_chain.w3,
        [settler.transact(platform.settlement.functions.mint(admin, 50_000, b"\x01" * 32))],
    )
    answer = api.client.post(
        f"/merchants/{token}/deposit", json={"amount": wanted}, headers=api.auth("FRESH")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["settlementBalance"] == balance_before + wanted
    assert live.market(platform, token)["settlementBalance"] == balance_before + wanted
    assert platform.settlement.functions.balanceOf(admin).call() == 0


def test_the_demo_merchants_operators_hold_settlement_tokens_to_deposit(
    clean_chain: TestChain,
) -> None:
    settlement = clean_chain.platform.settlement.functions
    for merchant in DEMO_MERCHANTS:
        operator = Account.from_key(merchant.admin_key).address
        assert settlement.balanceOf(operator).call() == merchant.operator_yuan * 100 > 0


def test_withdraw_moves_settlement_funds_out_and_not_beyond_the_balance(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token, platform = clean_chain.tokens["BEAN"], clean_chain.platform
    balance = live.market(platform, token)["settlementBalance"]
    receiver = fresh_address()
    answer = api.client.post(
        f"/merchants/{token}/withdraw",
        json={"amount": 1_000, "to": receiver},
        headers=api.auth("BEAN"),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["settlementBalance"] == balance - 1_000
    assert platform.settlement.functions.balanceOf(receiver).call() == 1_000

    too_much = api.client.post(
        f"/merchants/{token}/withdraw", json={"amount": balance}, headers=api.auth("BEAN")
    )
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "INSUFFICIENT_SETTLEMENT_BALANCE"
    assert too_much.json()["details"]["args"]["needed"] == balance


def test_a_merchant_whose_operator_key_is_not_held_gets_a_clear_503(
    services: Services, clean_chain: TestChain
) -> None:
    with live_api(services) as bare:
        bare.keys = make_keys(services, clean_chain.tokens)
        services.settings.merchant_keys = []  # before the first write builds the key set
        answer = bare.client.post(
            f"/merchants/{clean_chain.tokens['SKYM']}/issue",
            json={"to": fresh_address(), "amount": 1},
            headers=bare.auth("SKYM"),
        )
    assert answer.status_code == 503
    assert answer.json()["code"] == "MERCHANT_KEY_MISSING"
    assert "TONGDUI_MERCHANT_KEYS" in answer.json()["message"]
    assert ANVIL_KEYS[4][2:] not in answer.text
