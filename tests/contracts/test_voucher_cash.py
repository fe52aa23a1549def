"""Points + cash purchases: the points are escrowed (burned, their earliest expiry key kept)
and the voucher reserved; a PROVIDER_ROLE holder's signed `CashNotice` then settles the cash
(minted into the voucher merchant's settlement account) and issues the voucher, or the
purchase is refunded: not paid, late, a wrong amount, or a points part unpayable by then.

The default: BEAN's ¥30 coffee bought with 102 SKYM (1 020 fen, fee 4 → 1 016 net) paying
1 000 fen and ¥20 (2 000 fen) in cash.
"""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, chain

from tests.contracts.voucher_helpers import CashNotice, payment_id, sign_notice
from tests.helpers import reverts_with

CASH = 2_000
POINTS = 102


@pytest.fixture
def pending(book: Any, users: list[Any], list_product: Any, buy: Any) -> tuple[bytes, int]:
    """Alice's pending purchase of the coffee: (purchaseId, productId)."""
    product_id = list_product()
    tx = buy(users[0], product_id, "SKYM", POINTS, cash=CASH)
    return bytes(tx.events["PurchasePending"]["purchaseId"]), product_id


def _notice(purchase_id: bytes, amount: int = CASH, paid: bool = True) -> CashNotice:
    return CashNotice(purchase_id, payment_id(), amount, paid)


def _settle(book: Any, signer: Any, notice: CashNotice, relayer: Any) -> Any:
    signature = sign_notice(signer.private_key, book, notice)
    return book.settleCash(notice.encode(), signature, {"from": relayer})


def _selector(name: str, types: str = "") -> str:
    from eth_utils import keccak

    return "0x" + keccak(text=f"{name}({types})")[:4].hex()


def test_a_points_and_cash_purchase_escrows_the_points_and_reserves_the_voucher(
    book: Any, users: list[Any], tokens: dict[str, Any], list_product: Any, buy: Any
) -> None:
    product_id = list_product()
    alice = users[0]
    skym = tokens["SKYM"].balanceOf(alice)
    tx = buy(alice, product_id, "SKYM", POINTS, cash=CASH)
    event = tx.events["PurchasePending"]
    assert (event["productId"], event["owner"], event["payToken"]) == (
        product_id,
        alice,
        tokens["SKYM"],
    )
    assert (event["pointsIn"], event["cashAmount"]) == (POINTS, CASH)
    assert event["cashDeadline"] == tx.timestamp + book.CASH_WINDOW()
    assert book.CASH_WINDOW() == 15 * 60
    assert "Purchased" not in tx.events and "VoucherPaid" not in tx.events
    assert tokens["SKYM"].balanceOf(alice) == skym - POINTS
    record = book.purchase(event["purchaseId"])
    assert record[0] == alice and record[3] == 1  # owner, state pending
    assert record[2] == 0xFFFF  # the earliest key of never-expiring points
    terms, _, sold = book.product(product_id)
    assert (terms[3], sold, book.purchasedBy(product_id, alice)) == (9, 1, 1)


def test_a_paid_cash_notice_mints_the_cash_to_the_merchant_and_issues_the_voucher(
    platform: Any,
    book: Any,
    users: list[Any],
    tokens: dict[str, Any],
    pending: tuple[bytes, int],
    provider: Any,
    relayer: Any,
) -> None:
    purchase_id, _ = pending
    exchange, settlement = platform.exchange, platform.settlement
    bean_before = exchange.market(tokens["BEAN"])[5]
    skym_before = exchange.market(tokens["SKYM"])[5]
    supply_before = settlement.totalSupply()
    accounted_before = exchange.settlementAccounted()
    notice = _notice(purchase_id)
    tx = _settle(book, provider, notice, relayer)
    cash = tx.events["CashSettled"]
    assert (bytes(cash["purchaseId"]), bytes(cash["paymentId"]), cash["amount"]) == (
        purchase_id,
        notice.payment_id,
        CASH,
    )
    assert tx.events["SettlementMinted"]["ref"] == "0x" + notice.payment_id.hex()
    paid = tx.events["VoucherPaid"]
    assert (paid["amountIn"], paid["grossValue"], paid["paidToTarget"]) == (POINTS, 1_020, 1_000)
    assert (paid["fee"], paid["dust"]) == (20, 16)
    purchased = tx.events["Purchased"]
    assert (purchased["pointsIn"], purchased["cashAmount"], purchased["voucherId"]) == (
        POINTS,
        CASH,
        1,
    )
    assert tx.events["VoucherIssued"]["owner"] == users[0]
    assert exchange.market(tokens["BEAN"])[5] == bean_before + CASH + 1_000
    assert exchange.market(tokens["SKYM"])[5] == skym_before - 1_020
    assert settlement.totalSupply() == supply_before + CASH
    assert exchange.settlementAccounted() == accounted_before + CASH
    assert settlement.balanceOf(book) == 0
    assert book.purchase(purchase_id)[3] == 2  # settled
    assert book.isPaymentUsed(notice.payment_id)
    assert book.voucher(1)[3] == 1


def test_a_purchase_paid_entirely_in_cash_needs_no_points(
    book: Any,
    users: list[Any],
    list_product: Any,
    buy: Any,
    provider: Any,
    relayer: Any,
    tokens: dict[str, Any],
) -> None:
    product_id = list_product()
    tx = buy(users[1], product_id, "BEAN", 0, cash=3_000)
    purchase_id = bytes(tx.events["PurchasePending"]["purchaseId"])
    tx = _settle(book, provider, _notice(purchase_id, 3_000), relayer)
    assert "VoucherPaid" not in tx.events
    assert tx.events["Purchased"]["voucherId"] == 1
    assert tokens["BEAN"].balanceOf(users[1]) == 300


def test_own_program_points_and_cash_burn_the_points_at_escrow(
    book: Any,
    users: list[Any],
    tokens: dict[str, Any],
    list_product: Any,
    buy: Any,
    provider: Any,
    relayer: Any,
) -> None:
    product_id = list_product("BEAN")
    tx = buy(users[1], product_id, "BEAN", 10, cash=2_000)
    assert tokens["BEAN"].balanceOf(users[1]) == 290
    purchase_id = bytes(tx.events["PurchasePending"]["purchaseId"])
    tx = _settle(book, provider, _notice(purchase_id), relayer)
    assert tx.events["Purchased"]["voucherId"] == 1
    assert tokens["BEAN"].balanceOf(users[1]) == 290


def test_own_program_points_short_of_the_points_part_are_rejected_before_escrow(
    users: list[Any], tokens: dict[str, Any], list_product: Any, buy: Any
) -> None:
    tx = buy(users[1], list_product("BEAN"), "BEAN", 9, cash=2_000)
    assert tx.events["PurchaseRejected"]["reason"] == _selector(
        "VoucherInsufficientPoints", "uint256,uint256"
    )
    assert tokens["BEAN"].balanceOf(users[1]) == 300


def test_another_programs_points_short_of_the_points_part_are_rejected_before_escrow(
    users: list[Any], tokens: dict[str, Any], list_product: Any, buy: Any
) -> None:
    """100 SKYM are 1 000 fen, 997 net of the fee: short of the 1 000 fen points part."""
    balance = tokens["SKYM"].balanceOf(users[0])
    tx = buy(users[0], list_product(), "SKYM", 100, cash=CASH)
    assert tx.events["PurchaseRejected"]["reason"] == _selector(
        "VoucherInsufficientPoints", "uint256,uint256"
    )
    assert "PurchasePending" not in tx.events
    assert tokens["SKYM"].balanceOf(users[0]) == balance


def test_a_not_paid_notice_refunds_the_points_and_releases_the_stock(
    book: Any,
    users: list[Any],
    tokens: dict[str, Any],
    pending: tuple[bytes, int],
    provider: Any,
    relayer: Any,
) -> None:
    purchase_id, product_id = pending
    balance = tokens["SKYM"].balanceOf(users[0])
    tx = _settle(book, provider, _notice(purchase_id, paid=False), relayer)
    refunded = tx.events["PurchaseRefunded"]
    assert bytes(refunded["purchaseId"]) == purchase_id
    assert refunded["reason"] == _selector("VoucherCashNotPaid")
    assert "Purchased" not in tx.events and "CashSettled" not in tx.events
    assert tokens["SKYM"].balanceOf(users[0]) == balance + POINTS
    terms, _, sold = book.product(product_id)
    assert (terms[3], sold, book.purchasedBy(product_id, users[0])) == (10, 0, 0)
    assert book.purchase(purchase_id)[3] == 3  # refunded
    assert book.voucherCount() == 0


def test_a_late_notice_refunds_even_when_paid(
    book: Any,
    users: list[Any],
    tokens: dict[str, Any],
    pending: tuple[bytes, int],
    provider: Any,
    relayer: Any,
) -> None:
    purchase_id, _ = pending
    balance = tokens["SKYM"].balanceOf(users[0])
    chain.sleep(15 * 60 + 5)
    tx = _settle(book, provider, _notice(purchase_id), relayer)
    assert tx.events["PurchaseRefunded"]["reason"] == _selector("VoucherCashLate", "uint256")
    assert "SettlementMinted" not in tx.events
    assert tokens["SKYM"].balanceOf(users[0]) == balance + POINTS


def test_a_notice_for_another_amount_refunds(
    book: Any, pending: tuple[bytes, int], provider: Any, relayer: Any
) -> None:
    purchase_id, _ = pending
    tx = _settle(book, provider, _notice(purchase_id, CASH - 1), relayer)
    assert tx.events["PurchaseRefunded"]["reason"] == _selector(
        "VoucherCashAmountMismatch", "uint256,uint256"
    )


def test_a_points_part_unpayable_at_settlement_refunds_the_points(
    platform: Any,
    book: Any,
    users: list[Any],
    tokens: dict[str, Any],
    pending: tuple[bytes, int],
    provider: Any,
    relayer: Any,
    vote: Any,
) -> None:
    """The source merchant was suspended between the escrow and the cash: nothing of the cash
    settlement happens (no sCNY minted), the points come back."""
    purchase_id, _ = pending
    skym_token = tokens["SKYM"]
    balance = skym_token.balanceOf(users[0])
    supply = platform.settlement.totalSupply()
    merchant_id = platform.registry.merchantIdOf(skym_token)
    vote((platform.registry, "suspendMerchant", (merchant_id,)), text="suspend SKYM")
    assert platform.exchange.market(skym_token)[3] is False
    tx = _settle(book, provider, _notice(purchase_id), relayer)
    assert tx.events["PurchaseRefunded"]["reason"] == _selector("ExchangeMarketInactive", "address")
    assert platform.settlement.totalSupply() == supply
    assert skym_token.balanceOf(users[0]) == balance + POINTS


def test_a_forged_cash_notice_is_refused_and_nothing_is_issued(
    platform: Any, book: Any, pending: tuple[bytes, int], relayer: Any
) -> None:
    purchase_id, _ = pending
    forger = accounts.add("0x" + "66" * 32)
    notice = _notice(purchase_id)
    supply = platform.settlement.totalSupply()
    with reverts_with("VoucherInvalidProvider", forger):
        _settle(book, forger, notice, relayer)
    assert book.purchase(purchase_id)[3] == 1  # still pending
    assert not book.isPaymentUsed(notice.payment_id)
    assert platform.settlement.totalSupply() == supply
    assert book.voucherCount() == 0


def test_a_notice_with_a_malformed_signature_is_refused(
    book: Any, pending: tuple[bytes, int], relayer: Any
) -> None:
    notice = _notice(pending[0])
    with reverts_with("VoucherInvalidProvider", "0x" + "00" * 20):
        book.settleCash(notice.encode(), b"\x02" * 65, {"from": relayer})


def test_a_replayed_cash_notice_is_refused_and_nothing_is_issued_twice(
    platform: Any, book: Any, pending: tuple[bytes, int], provider: Any, relayer: Any
) -> None:
    purchase_id, _ = pending
    notice = _notice(purchase_id)
    _settle(book, provider, notice, relayer)
    supply = platform.settlement.totalSupply()
    with reverts_with("VoucherPurchaseNotPending", purchase_id):
        _settle(book, provider, notice, relayer)
    assert platform.settlement.totalSupply() == supply
    assert book.voucherCount() == 1


def test_a_payment_id_settles_one_purchase_only(
    book: Any,
    users: list[Any],
    list_product: Any,
    buy: Any,
    pending: tuple[bytes, int],
    provider: Any,
    relayer: Any,
) -> None:
    first, product_id = pending
    other = bytes(
        buy(users[0], product_id, "SKYM", POINTS, cash=CASH).events["PurchasePending"]["purchaseId"]
    )
    notice = _notice(first)
    _settle(book, provider, notice, relayer)
    reused = CashNotice(other, notice.payment_id, CASH, True)
    with reverts_with("VoucherPaymentUsed", "0x" + notice.payment_id.hex()):
        _settle(book, provider, reused, relayer)
    assert book.purchase(other)[3] == 1


def test_a_notice_for_an_unknown_purchase_is_refused(
    book: Any, provider: Any, relayer: Any
) -> None:
    unknown = b"\x42" * 32
    with reverts_with("VoucherPurchaseNotPending", unknown):
        _settle(book, provider, _notice(unknown), relayer)


def test_anyone_may_submit_a_providers_notice(
    book: Any, pending: tuple[bytes, int], provider: Any
) -> None:
    tx = _settle(book, provider, _notice(pending[0]), accounts[2])
    assert tx.events["VoucherPaid"]["relayer"] == "0x" + "00" * 20
    assert tx.events["Purchased"]["voucherId"] == 1


def test_refund_expired_waits_for_the_cash_window_to_close(
    book: Any, pending: tuple[bytes, int]
) -> None:
    purchase_id, _ = pending
    deadline = book.purchase(purchase_id)[1]
    with reverts_with("VoucherCashWindowOpen", deadline):
        book.refundExpired(purchase_id, {"from": accounts[2]})


def test_refund_expired_after_the_deadline_refunds_the_points_under_their_key(
    book: Any,
    users: list[Any],
    tokens: dict[str, Any],
    pending: tuple[bytes, int],
    provider: Any,
    relayer: Any,
) -> None:
    purchase_id, product_id = pending
    balance = tokens["SKYM"].balanceOf(users[0])
    chain.sleep(15 * 60 + 5)
    tx = book.refundExpired(purchase_id, {"from": accounts[2]})
    assert tx.events["PurchaseRefunded"]["reason"] == _selector("VoucherCashLate", "uint256")
    assert tokens["SKYM"].balanceOf(users[0]) == balance + POINTS
    assert book.product(product_id)[2] == 0
    with reverts_with("VoucherPurchaseNotPending", purchase_id):
        book.refundExpired(purchase_id, {"from": accounts[2]})
    with reverts_with("VoucherPurchaseNotPending", purchase_id):
        _settle(book, provider, _notice(purchase_id), relayer)


def test_complete_cash_is_only_the_books_own_inner_call(
    book: Any, pending: tuple[bytes, int], relayer: Any
) -> None:
    with reverts_with("VoucherOnlySelf", relayer):
        book.completeCash(pending[0], b"\x01" * 32, CASH, relayer, {"from": relayer})


def test_the_cash_notice_digest_is_the_eip712_digest_the_provider_signs(
    book: Any, pending: tuple[bytes, int], provider: Any
) -> None:
    from eth_account import Account
    from hexbytes import HexBytes

    notice = _notice(pending[0])
    signature = sign_notice(provider.private_key, book, notice)
    digest = HexBytes(book.cashNoticeDigest(notice.encode()))
    assert Account._recover_hash(digest, signature=signature) == provider.address


def test_a_suspended_merchant_sells_no_voucher_even_for_cash_alone(
    platform: Any, users: list[Any], tokens: dict[str, Any], list_product: Any, buy: Any, vote: Any
) -> None:
    product_id = list_product("BEAN")
    merchant_id = platform.registry.merchantIdOf(tokens["BEAN"])
    vote((platform.registry, "suspendMerchant", (merchant_id,)), text="suspend BEAN")
    tx = buy(users[1], product_id, "BEAN", 0, cash=3_000)
    assert tx.events["PurchaseRejected"]["reason"] == _selector("ExchangeMarketInactive", "address")
