"""VoucherBook.purchaseBatch, one step (no cash): paid with the voucher merchant's own points or
with another program's, whose value the exchange moves exactly as a swap of those points.

The demo consortium: SKYM is worth 10 fen a point, BEAN 100, FRESH 1; the fee is 30 bps. The
default product is BEAN's ¥30 coffee (3 000 fen): 302 SKYM (3 020 fen, fee 10 → 3 010 net)
pay it, leaving 10 fen of dust to the fee, as a swap of 302 SKYM into BEAN would.
"""

from __future__ import annotations

from typing import Any

from brownie import accounts, chain

from tests.contracts.voucher_helpers import now, sign_purchase
from tests.helpers import reverts_with, unauthorized


def _selector(name: str, types: str) -> str:
    from eth_utils import keccak

    return "0x" + keccak(text=f"{name}({types})")[:4].hex()


def _ledger(platform: Any, tokens: dict[str, Any], relayer: Any) -> dict[str, int]:
    exchange = platform.exchange
    payee = exchange.feeConfig()[5]
    out: dict[str, int] = {}
    for symbol in ("SKYM", "BEAN"):
        m = exchange.market(tokens[symbol])
        out[f"{symbol}.balance"] = m[5]
        out[f"{symbol}.feeCredit"] = m[6]
    out["platform"] = exchange.payeeCredit(payee)
    out["relayer"] = exchange.payeeCredit(relayer)
    out["accounted"] = exchange.settlementAccounted()
    return out


def _delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {key: after[key] - before[key] for key in before}


def test_a_voucher_paid_with_another_programs_points_is_issued(
    book: Any, users: list[Any], tokens: dict[str, Any], list_product: Any, buy: Any
) -> None:
    product_id = list_product()
    alice = users[0]
    skym_before = tokens["SKYM"].balanceOf(alice)
    tx = buy(alice, product_id, "SKYM", 302)
    assert tx.return_value == 1
    issued = tx.events["VoucherIssued"]
    assert (issued["voucherId"], issued["productId"], issued["owner"]) == (1, product_id, alice)
    assert issued["expiresAt"] == tx.timestamp + 30 * 86_400
    purchased = tx.events["Purchased"]
    assert purchased["purchaseId"] == issued["purchaseId"]
    assert (purchased["pointsIn"], purchased["cashAmount"], purchased["voucherId"]) == (302, 0, 1)
    assert tokens["SKYM"].balanceOf(alice) == skym_before - 302
    assert tuple(book.voucher(1)) == (product_id, alice.address, issued["expiresAt"], 1)
    terms, _, sold = book.product(product_id)
    assert (terms[3], sold) == (9, 1)
    assert book.voucherCount() == 1
    assert book.purchasedBy(product_id, alice) == 1


def test_the_purchase_id_is_the_eip712_digest_the_owner_signed(
    book: Any, users: list[Any], list_product: Any, make_purchase: Any, relayer: Any
) -> None:
    product_id = list_product()
    p = make_purchase(users[0], product_id)
    tx = book.purchaseBatch(
        [p.encode()], [sign_purchase(users[0].private_key, book, p)], {"from": relayer}
    )
    assert tx.events["Purchased"]["purchaseId"] == book.purchaseDigest(p.encode())


def test_a_voucher_paid_with_another_programs_points_moves_the_value_a_swap_of_them_would(
    platform: Any,
    book: Any,
    users: list[Any],
    tokens: dict[str, Any],
    list_product: Any,
    buy: Any,
    relayer: Any,
    make_order: Any,
    sign: Any,
) -> None:
    """Every settlement unit accounted for: SKYM's account pays the gross value, BEAN's gets the
    price, the fee (with the dust) is split as a swap's, and a swap of the same 305 SKYM into
    BEAN moves exactly the same amounts (the price is 30 BEAN points' worth)."""
    product_id = list_product()
    alice = users[0]
    before = _ledger(platform, tokens, relayer)
    tx = buy(alice, product_id, "SKYM", 305)
    voucher = _delta(before, _ledger(platform, tokens, relayer))
    paid = tx.events["VoucherPaid"]
    assert paid["purchaseId"] == tx.events["Purchased"]["purchaseId"]
    assert (paid["owner"], paid["fromToken"], paid["toToken"]) == (
        alice,
        tokens["SKYM"],
        tokens["BEAN"],
    )
    assert (paid["amountIn"], paid["grossValue"], paid["paidToTarget"]) == (305, 3_050, 3_000)
    assert (paid["fee"], paid["dust"], paid["relayer"]) == (50, 40, relayer)
    assert voucher["SKYM.balance"] == -3_050
    assert voucher["BEAN.balance"] == 3_000
    fee_parts = voucher["SKYM.feeCredit"] + voucher["BEAN.feeCredit"]
    assert fee_parts + voucher["platform"] + voucher["relayer"] == 50
    assert sum(voucher[key] for key in voucher if key != "accounted") == 0
    assert voucher["accounted"] == 0

    before = _ledger(platform, tokens, relayer)
    order = make_order(alice, "SKYM", "BEAN", 305)
    swap = platform.exchange.settle([order.as_tuple()], [sign(alice, order)], {"from": relayer})
    swapped = swap.events["Swapped"]
    assert _delta(before, _ledger(platform, tokens, relayer)) == voucher
    assert (swapped["grossValue"], swapped["fee"], swapped["dust"]) == (3_050, 50, 40)


def test_a_voucher_paid_with_the_merchants_own_points_burns_them_with_no_fee(
    platform: Any,
    book: Any,
    users: list[Any],
    tokens: dict[str, Any],
    list_product: Any,
    buy: Any,
    relayer: Any,
) -> None:
    product_id = list_product("BEAN")
    bob = users[1]  # holds 300 BEAN (100 fen each)
    before = _ledger(platform, tokens, relayer)
    supply = tokens["BEAN"].totalSupply()
    tx = buy(bob, product_id, "BEAN", 30)
    assert "VoucherPaid" not in tx.events
    assert tx.events["Purchased"]["voucherId"] == 1
    assert tokens["BEAN"].balanceOf(bob) == 270
    assert tokens["BEAN"].totalSupply() == supply - 30
    assert _delta(before, _ledger(platform, tokens, relayer)) == dict.fromkeys(before, 0)


def test_too_few_of_the_merchants_own_points_are_rejected(
    book: Any, users: list[Any], tokens: dict[str, Any], list_product: Any, buy: Any
) -> None:
    product_id = list_product("BEAN")
    tx = buy(users[1], product_id, "BEAN", 29)
    rejected = tx.events["PurchaseRejected"]
    assert rejected["reason"] == _selector("VoucherInsufficientPoints", "uint256,uint256")
    assert rejected["nonceConsumed"] is True
    assert tx.return_value == 0
    assert tokens["BEAN"].balanceOf(users[1]) == 300
    assert book.product(product_id)[2] == 0


def test_too_few_of_another_programs_points_are_rejected_with_the_exchanges_reason(
    users: list[Any], tokens: dict[str, Any], list_product: Any, buy: Any
) -> None:
    product_id = list_product("BEAN")
    # 301 × 10 = 3 010, fee ⌈9.03⌉ = 10, net 3 000: exactly the price, so it goes through.
    tx = buy(users[0], product_id, "SKYM", 301)
    assert tx.return_value == 1
    tx = buy(users[0], product_id, "SKYM", 300)  # net 2 991 < 3 000
    assert tx.events["PurchaseRejected"]["reason"] == _selector(
        "ExchangeInsufficientOutput", "uint256,uint256"
    )


def test_more_points_than_the_owner_holds_are_rejected(
    users: list[Any], tokens: dict[str, Any], list_product: Any, buy: Any
) -> None:
    product_id = list_product("BEAN")
    tx = buy(users[1], product_id, "BEAN", 301)  # bob holds 300
    assert tx.events["PurchaseRejected"]["reason"] == _selector(
        "ERC20InsufficientBalance", "address,uint256,uint256"
    )
    assert tokens["BEAN"].balanceOf(users[1]) == 300


def test_a_sold_out_product_is_rejected(users: list[Any], list_product: Any, buy: Any) -> None:
    product_id = list_product(stock=1)
    assert buy(users[0], product_id).return_value == 1
    tx = buy(users[0], product_id)
    assert tx.events["PurchaseRejected"]["reason"] == _selector("VoucherSoldOut", "uint256")
    assert tx.events["PurchaseRejected"]["nonceConsumed"] is True


def test_a_paused_product_is_rejected(
    book: Any, users: list[Any], list_product: Any, buy: Any, admins: dict[str, Any]
) -> None:
    product_id = list_product()
    book.setProductPaused(product_id, True, {"from": admins["BEAN"]})
    tx = buy(users[0], product_id)
    assert tx.events["PurchaseRejected"]["reason"] == _selector("VoucherProductPaused", "uint256")


def test_a_product_whose_sale_ended_is_rejected(
    users: list[Any], list_product: Any, buy: Any
) -> None:
    product_id = list_product(sale_ends_at=now() + 100)
    chain.sleep(200)
    tx = buy(users[0], product_id)
    assert tx.events["PurchaseRejected"]["reason"] == _selector(
        "VoucherSaleEnded", "uint256,uint256"
    )


def test_an_unknown_product_is_rejected(users: list[Any], buy: Any) -> None:
    tx = buy(users[0], 42)
    assert tx.events["PurchaseRejected"]["reason"] == _selector("VoucherUnknownProduct", "uint256")


def test_the_per_user_limit_rejects_the_purchase_past_it(
    book: Any, users: list[Any], list_product: Any, buy: Any
) -> None:
    product_id = list_product(per_user_limit=2)
    assert buy(users[0], product_id).return_value == 1
    assert buy(users[0], product_id).return_value == 1
    tx = buy(users[0], product_id)
    assert tx.events["PurchaseRejected"]["reason"] == _selector(
        "VoucherPerUserLimit", "uint256,address,uint256"
    )
    assert buy(users[2], product_id, "FRESH", 3_010).return_value == 1  # another owner may
    assert book.purchasedBy(product_id, users[0]) == 2


def test_a_cash_part_above_the_price_is_rejected(
    users: list[Any], list_product: Any, buy: Any
) -> None:
    product_id = list_product()
    tx = buy(users[0], product_id, "SKYM", 0, cash=3_001)
    assert tx.events["PurchaseRejected"]["reason"] == _selector(
        "VoucherCashAbovePrice", "uint256,uint256"
    )


def test_points_offered_when_cash_pays_the_whole_price_are_rejected(
    users: list[Any], list_product: Any, buy: Any
) -> None:
    product_id = list_product()
    tx = buy(users[0], product_id, "SKYM", 5, cash=3_000)
    assert tx.events["PurchaseRejected"]["reason"] == _selector("VoucherPointsNotNeeded", "uint256")


def test_the_exchanges_per_user_swap_limit_applies_to_voucher_payments(
    platform: Any, users: list[Any], list_product: Any, buy: Any, vote: Any
) -> None:
    vote((platform.exchange, "setUserLimit", (5_000, 86_400)), text="small limit")
    product_id = list_product()
    assert buy(users[0], product_id, "SKYM", 302).return_value == 1  # 3 020 of 5 000
    tx = buy(users[0], product_id, "SKYM", 302)
    assert tx.events["PurchaseRejected"]["reason"] == _selector(
        "ExchangeUserLimitExceeded", "address,uint256,uint256"
    )


def test_a_source_program_without_cover_is_rejected(
    platform: Any,
    users: list[Any],
    tokens: dict[str, Any],
    list_product: Any,
    buy: Any,
    admins: dict[str, Any],
) -> None:
    exchange = platform.exchange
    balance = exchange.market(tokens["SKYM"])[5]
    exchange.withdraw(tokens["SKYM"], admins["SKYM"], balance - 1_000, {"from": admins["SKYM"]})
    tx = buy(users[0], list_product(), "SKYM", 302)
    assert tx.events["PurchaseRejected"]["reason"] == _selector(
        "ExchangeInsufficientCover", "address,uint256,uint256"
    )


def test_an_expired_purchase_is_rejected_without_consuming_its_nonce(
    book: Any, users: list[Any], list_product: Any, buy: Any
) -> None:
    product_id = list_product()
    tx = buy(users[0], product_id, deadline=now() - 1, nonce=77)
    rejected = tx.events["PurchaseRejected"]
    assert rejected["reason"] == _selector("VoucherRequestExpired", "uint256")
    assert rejected["nonceConsumed"] is False
    assert book.isNonceUsed(users[0], 77) is False


def test_a_purchase_signed_by_someone_else_is_rejected(
    book: Any, users: list[Any], list_product: Any, make_purchase: Any, relayer: Any
) -> None:
    p = make_purchase(users[0], list_product())
    forged = sign_purchase(users[1].private_key, book, p)
    tx = book.purchaseBatch([p.encode()], [forged], {"from": relayer})
    rejected = tx.events["PurchaseRejected"]
    assert rejected["reason"] == _selector("VoucherInvalidSigner", "address,address")
    assert rejected["nonceConsumed"] is False
    assert book.isNonceUsed(users[0], p.nonce) is False


def test_a_malformed_signature_is_rejected(
    book: Any, users: list[Any], list_product: Any, make_purchase: Any, relayer: Any
) -> None:
    p = make_purchase(users[0], list_product())
    tx = book.purchaseBatch([p.encode()], [b"\x01" * 65], {"from": relayer})
    assert tx.events["PurchaseRejected"]["reason"] == _selector(
        "VoucherInvalidSigner", "address,address"
    )


def test_a_replayed_purchase_is_rejected_as_a_used_nonce(
    book: Any,
    users: list[Any],
    tokens: dict[str, Any],
    list_product: Any,
    make_purchase: Any,
    relayer: Any,
) -> None:
    p = make_purchase(users[0], list_product())
    signature = sign_purchase(users[0].private_key, book, p)
    assert book.purchaseBatch([p.encode()], [signature], {"from": relayer}).return_value == 1
    balance = tokens["SKYM"].balanceOf(users[0])
    tx = book.purchaseBatch([p.encode()], [signature], {"from": relayer})
    rejected = tx.events["PurchaseRejected"]
    assert rejected["reason"] == _selector("VoucherNonceUsed", "address,uint256")
    assert rejected["nonceConsumed"] is False
    assert tokens["SKYM"].balanceOf(users[0]) == balance
    assert book.voucherCount() == 1


def test_a_cancelled_nonce_is_rejected(
    book: Any, users: list[Any], list_product: Any, buy: Any
) -> None:
    owner = users[0]
    tx = book.cancelNonces(0, 1 << 5, {"from": owner})
    event = tx.events["VoucherNoncesCancelled"]
    assert (event["owner"], event["word"], event["mask"]) == (owner.address, 0, 1 << 5)
    assert book.isNonceUsed(owner, 5) and book.nonceBitmap(owner, 0) == 1 << 5
    assert buy(owner, list_product(), nonce=5).events["PurchaseRejected"]["reason"] == _selector(
        "VoucherNonceUsed", "address,uint256"
    )


def test_a_rejected_purchase_in_a_batch_leaves_the_others_to_go_through(
    book: Any, users: list[Any], list_product: Any, make_purchase: Any, relayer: Any
) -> None:
    product_id = list_product()
    good_a = make_purchase(users[0], product_id)
    bad = make_purchase(users[1], product_id, "BEAN", 1)
    good_b = make_purchase(users[2], product_id, "FRESH", 3_010)
    purchases = [good_a, bad, good_b]
    keys = [users[0].private_key, users[1].private_key, users[2].private_key]
    signatures = [sign_purchase(k, book, p) for k, p in zip(keys, purchases, strict=True)]
    tx = book.purchaseBatch([p.encode() for p in purchases], signatures, {"from": relayer})
    assert tx.return_value == 2
    assert [e["owner"] for e in tx.events["Purchased"]] == [users[0], users[2]]
    assert tx.events["PurchaseRejected"]["owner"] == users[1]


def test_a_batch_with_fewer_signatures_than_purchases_is_refused(
    book: Any, users: list[Any], list_product: Any, make_purchase: Any, relayer: Any
) -> None:
    p = make_purchase(users[0], list_product())
    with reverts_with("VoucherLengthMismatch", 1, 0):
        book.purchaseBatch([p.encode()], [], {"from": relayer})


def test_only_a_relayer_submits_a_batch(
    book: Any, users: list[Any], list_product: Any, make_purchase: Any
) -> None:
    p = make_purchase(users[0], list_product())
    signature = sign_purchase(users[0].private_key, book, p)
    with unauthorized(accounts[1], book.RELAYER_ROLE()):
        book.purchaseBatch([p.encode()], [signature], {"from": accounts[1]})


def test_execute_purchase_is_only_the_books_own_inner_call(
    book: Any, users: list[Any], list_product: Any, make_purchase: Any, relayer: Any
) -> None:
    p = make_purchase(users[0], list_product())
    with reverts_with("VoucherOnlySelf", relayer):
        book.executePurchase(p.encode(), b"\x00" * 32, relayer, {"from": relayer})


def test_a_voucher_valid_until_a_date_expires_then(
    book: Any, users: list[Any], list_product: Any, buy: Any
) -> None:
    until = now() + 5 * 86_400
    product_id = list_product(valid_days=0, valid_until=until)
    tx = buy(users[0], product_id)
    assert tx.events["VoucherIssued"]["expiresAt"] == until
