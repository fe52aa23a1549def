"""A voucher after its purchase: gifted by its holder's signature, redeemed once at the till on
the holder's short-lived signed consent (by a relayer or the merchant's operator key), never
after its expiry, and expired with its breakage: kept by the merchant (0) or refunded to the
holder as the merchant's points (1)."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, chain

from tests.contracts.voucher_helpers import (
    Gift,
    Redemption,
    next_nonce,
    now,
    sign_gift,
    sign_redemption,
)
from tests.helpers import reverts_with

DAY = 86_400


@pytest.fixture
def voucher(users: list[Any], list_product: Any, buy: Any) -> int:
    """Alice's coffee voucher (BEAN, ¥30, valid 30 days, breakage 0)."""
    tx = buy(users[0], list_product(), "SKYM", 302)
    return int(tx.events["VoucherIssued"]["voucherId"])


def _gift(book: Any, sender: Any, to: Any, voucher_id: int, **kw: Any) -> tuple[Gift, bytes]:
    gift = Gift(
        sender.address,
        to.address,
        voucher_id,
        kw.get("nonce", next_nonce()),
        kw.get("deadline", now() + 600),
    )
    return gift, sign_gift(kw.get("key", sender.private_key), book, gift)


def _redemption(book: Any, holder: Any, voucher_id: int, **kw: Any) -> tuple[Redemption, bytes]:
    r = Redemption(voucher_id, holder.address, kw.get("deadline", now() + 120))
    return r, sign_redemption(kw.get("key", holder.private_key), book, r)


def test_the_holder_gifts_a_voucher_by_signature(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    gift, signature = _gift(book, users[0], users[1], voucher)
    tx = book.giftWithSig(gift.encode(), signature, {"from": relayer})
    event = tx.events["VoucherGifted"]
    assert (event["voucherId"], event["from"], event["to"]) == (voucher, users[0], users[1])
    assert book.voucher(voucher)[1] == users[1]
    assert book.isNonceUsed(users[0], gift.nonce)


def test_a_gift_signed_by_someone_else_is_refused(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    gift, signature = _gift(book, users[0], users[1], voucher, key=users[1].private_key)
    with reverts_with("VoucherInvalidSigner", users[1], users[0]):
        book.giftWithSig(gift.encode(), signature, {"from": relayer})


def test_a_replayed_gift_is_refused(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    gift, signature = _gift(book, users[0], users[1], voucher)
    book.giftWithSig(gift.encode(), signature, {"from": relayer})
    with reverts_with("VoucherNonceUsed", users[0], gift.nonce):
        book.giftWithSig(gift.encode(), signature, {"from": relayer})


def test_gift_and_purchase_nonces_share_one_bitmap(
    book: Any, users: list[Any], list_product: Any, buy: Any, voucher: int, relayer: Any
) -> None:
    gift, signature = _gift(book, users[0], users[1], voucher, nonce=900)
    book.giftWithSig(gift.encode(), signature, {"from": relayer})
    tx = buy(users[0], list_product(), nonce=900)
    assert "PurchaseRejected" in tx.events


def test_a_gift_past_its_deadline_is_refused(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    deadline = now() - 1
    gift, signature = _gift(book, users[0], users[1], voucher, deadline=deadline)
    with reverts_with("VoucherRequestExpired", deadline):
        book.giftWithSig(gift.encode(), signature, {"from": relayer})


def test_a_gift_of_a_voucher_the_giver_does_not_hold_is_refused(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    gift, signature = _gift(book, users[1], users[2], voucher)
    with reverts_with("VoucherNotHolder", voucher, users[0]):
        book.giftWithSig(gift.encode(), signature, {"from": relayer})


def test_a_gift_to_the_zero_address_is_refused(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    zero = accounts.at("0x" + "00" * 20, force=True)
    gift, signature = _gift(book, users[0], zero, voucher)
    with reverts_with("VoucherZeroAddress"):
        book.giftWithSig(gift.encode(), signature, {"from": relayer})


def test_an_expired_voucher_cannot_be_gifted(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    expires_at = book.voucher(voucher)[2]
    chain.sleep(31 * DAY)
    chain.mine()
    gift, signature = _gift(book, users[0], users[1], voucher)
    with reverts_with("VoucherHasExpired", voucher, expires_at):
        book.giftWithSig(gift.encode(), signature, {"from": relayer})


def test_a_relayer_redeems_a_voucher_with_the_holders_consent(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    r, signature = _redemption(book, users[0], voucher)
    tx = book.redeem(r.encode(), signature, {"from": relayer})
    event = tx.events["VoucherRedeemed"]
    assert (event["voucherId"], event["holder"], event["by"]) == (voucher, users[0], relayer)
    assert book.voucher(voucher)[3] == 2


def test_the_merchants_operator_key_redeems_at_its_till(
    book: Any, users: list[Any], voucher: int, admins: dict[str, Any]
) -> None:
    r, signature = _redemption(book, users[0], voucher)
    tx = book.redeem(r.encode(), signature, {"from": admins["BEAN"]})
    assert tx.events["VoucherRedeemed"]["by"] == admins["BEAN"]


def test_another_merchant_or_a_stranger_may_not_redeem(
    book: Any, users: list[Any], voucher: int, admins: dict[str, Any]
) -> None:
    r, signature = _redemption(book, users[0], voucher)
    for caller in (admins["SKYM"], accounts[2]):
        with reverts_with("VoucherNotRedeemer", caller):
            book.redeem(r.encode(), signature, {"from": caller})


def test_a_voucher_is_redeemed_once_only(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    r, signature = _redemption(book, users[0], voucher)
    book.redeem(r.encode(), signature, {"from": relayer})
    with reverts_with("VoucherNotActive", voucher):
        book.redeem(r.encode(), signature, {"from": relayer})


def test_a_voucher_is_never_redeemed_after_its_expiry(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    expires_at = book.voucher(voucher)[2]
    chain.sleep(30 * DAY + 10)
    chain.mine()
    r, signature = _redemption(book, users[0], voucher)
    with reverts_with("VoucherHasExpired", voucher, expires_at):
        book.redeem(r.encode(), signature, {"from": relayer})


def test_a_stale_redemption_consent_is_refused(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    deadline = now() + 120
    r, signature = _redemption(book, users[0], voucher, deadline=deadline)
    chain.sleep(200)
    with reverts_with("VoucherRequestExpired", deadline):
        book.redeem(r.encode(), signature, {"from": relayer})


def test_a_redemption_signed_by_someone_but_the_holder_is_refused(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    r, signature = _redemption(book, users[0], voucher, key=users[1].private_key)
    with reverts_with("VoucherInvalidSigner", users[1], users[0]):
        book.redeem(r.encode(), signature, {"from": relayer})


def test_a_redemption_for_a_holder_who_gave_the_voucher_away_is_refused(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    gift, gift_signature = _gift(book, users[0], users[1], voucher)
    book.giftWithSig(gift.encode(), gift_signature, {"from": relayer})
    r, signature = _redemption(book, users[0], voucher)
    with reverts_with("VoucherNotHolder", voucher, users[1]):
        book.redeem(r.encode(), signature, {"from": relayer})
    r, signature = _redemption(book, users[1], voucher)
    assert book.redeem(r.encode(), signature, {"from": relayer}).events["VoucherRedeemed"]


def test_an_unissued_voucher_cannot_be_redeemed(book: Any, users: list[Any], relayer: Any) -> None:
    r, signature = _redemption(book, users[0], 99)
    with reverts_with("VoucherNotActive", 99):
        book.redeem(r.encode(), signature, {"from": relayer})


def test_expiring_before_the_expiry_is_refused(book: Any, voucher: int) -> None:
    expires_at = book.voucher(voucher)[2]
    with reverts_with("VoucherNotExpired", voucher, expires_at):
        book.expire(voucher, {"from": accounts[2]})


def test_with_breakage_zero_the_merchant_keeps_the_value_of_an_expired_voucher(
    book: Any, users: list[Any], tokens: dict[str, Any], voucher: int
) -> None:
    chain.sleep(30 * DAY + 10)
    bean = tokens["BEAN"].balanceOf(users[0])
    tx = book.expire(voucher, {"from": accounts[2]})
    event = tx.events["VoucherExpired"]
    assert (event["voucherId"], event["holder"]) == (voucher, users[0])
    assert (event["breakageValue"], event["refundedPoints"]) == (3_000, 0)
    assert tokens["BEAN"].balanceOf(users[0]) == bean
    assert book.voucher(voucher)[3] == 3
    with reverts_with("VoucherNotActive", voucher):
        book.expire(voucher, {"from": accounts[2]})


def test_with_breakage_one_the_holder_gets_the_price_back_in_the_merchants_points(
    book: Any, users: list[Any], tokens: dict[str, Any], list_product: Any, buy: Any
) -> None:
    """¥30.50 at 100 fen a BEAN point: 30 points back, the 50 fen that make no point stay."""
    product_id = list_product(price=3_050, breakage=1)
    voucher_id = buy(users[0], product_id, "SKYM", 307).events["VoucherIssued"]["voucherId"]
    chain.sleep(30 * DAY + 10)
    supply = tokens["BEAN"].totalSupply()
    tx = book.expire(voucher_id, {"from": accounts[2]})
    event = tx.events["VoucherExpired"]
    assert (event["breakageValue"], event["refundedPoints"]) == (50, 30)
    assert tokens["BEAN"].balanceOf(users[0]) == 30
    assert tokens["BEAN"].totalSupply() == supply + 30


def test_a_redeemed_voucher_never_expires(
    book: Any, users: list[Any], voucher: int, relayer: Any
) -> None:
    r, signature = _redemption(book, users[0], voucher)
    book.redeem(r.encode(), signature, {"from": relayer})
    chain.sleep(31 * DAY)
    with reverts_with("VoucherNotActive", voucher):
        book.expire(voucher, {"from": accounts[2]})


def test_the_gift_and_redemption_digests_are_the_ones_holders_sign(
    book: Any, users: list[Any], voucher: int
) -> None:
    from eth_account import Account
    from hexbytes import HexBytes

    gift, gift_signature = _gift(book, users[0], users[1], voucher)
    recovered = Account._recover_hash(
        HexBytes(book.giftDigest(gift.encode())), signature=gift_signature
    )
    assert recovered == users[0].address
    r, signature = _redemption(book, users[0], voucher)
    recovered = Account._recover_hash(
        HexBytes(book.redemptionDigest(r.encode())), signature=signature
    )
    assert recovered == users[0].address
