"""Vouchers against points that expire (w7-expiry's buckets): an escrow keeps the earliest key
it burned and a refund gives the points back under that key, not a fresh one; a breakage
refund mints under the key a mint gets now."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, chain

from tests.contracts.voucher_helpers import CashNotice, payment_id, sign_notice

DAY = 86_400


@pytest.fixture
def holder(tokens: dict[str, Any], admins: dict[str, Any]) -> Any:
    """A holder of 500 SKYM issued under SKYM's rule of 24 months rounded to the quarter."""
    user = accounts.add("0x" + "5a" * 32)
    skym = tokens["SKYM"]
    skym.setExpiryRule(24, 3, {"from": admins["SKYM"]})
    skym.issue(user, 500, {"from": admins["SKYM"]})
    return user


def test_an_escrow_refund_gives_the_points_back_under_their_earliest_key(
    book: Any,
    tokens: dict[str, Any],
    holder: Any,
    list_product: Any,
    buy: Any,
    provider: Any,
    relayer: Any,
) -> None:
    skym = tokens["SKYM"]
    key = skym.currentKey()
    assert key != 0xFFFF
    assert tuple(skym.bucketsOf(holder)[0]) == (key,)
    tx = buy(holder, list_product(), "SKYM", 102, cash=2_000)
    purchase_id = bytes(tx.events["PurchasePending"]["purchaseId"])
    assert book.purchase(purchase_id)[2] == key
    assert skym.balanceOf(holder) == 398

    # Months later (the rule now gives a later key) the cash is refused: the points come
    # back under the key they had, not the one a mint would get now.
    notice = CashNotice(purchase_id, payment_id(), 2_000, False)
    chain.sleep(100 * DAY)
    chain.mine()
    assert skym.currentKey() > key
    book.settleCash(
        notice.encode(), sign_notice(provider.private_key, book, notice), {"from": relayer}
    )
    keys, amounts = skym.bucketsOf(holder)
    assert (tuple(keys), tuple(amounts)) == ((key,), (500,))


def test_a_breakage_refund_mints_under_the_key_a_mint_gets_now(
    book: Any,
    users: list[Any],
    tokens: dict[str, Any],
    admins: dict[str, Any],
    list_product: Any,
    buy: Any,
) -> None:
    bean = tokens["BEAN"]
    bean.setExpiryRule(12, 1, {"from": admins["BEAN"]})
    product_id = list_product("BEAN", breakage=1)
    voucher_id = buy(users[0], product_id, "SKYM", 302).events["VoucherIssued"]["voucherId"]
    chain.sleep(31 * DAY)
    chain.mine()
    book.expire(voucher_id, {"from": accounts[2]})
    keys, amounts = bean.bucketsOf(users[0])
    assert (tuple(keys), tuple(amounts)) == ((bean.currentKey(),), (30,))
