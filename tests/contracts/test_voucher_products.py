"""VoucherBook products: listed, paused and restocked by the voucher merchant's operator key.

The operator key is the exchange market admin of the product's points token; terms are checked
once, at listing (a price, exactly one validity, breakage 0 or 1, a future sale end).
"""

from __future__ import annotations

from typing import Any

from brownie import accounts, chain

from tests.contracts.voucher_helpers import Terms, now
from tests.helpers import reverts_with


def test_a_merchant_lists_a_product_and_the_view_returns_its_terms(
    book: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    terms = Terms(token=tokens["BEAN"].address, stock=7, per_user_limit=2)
    tx = book.listProduct(terms.encode(), {"from": admins["BEAN"]})
    event = tx.events["ProductListed"]
    assert event["productId"] == 1
    assert event["token"] == tokens["BEAN"].address
    assert (event["price"], event["faceValue"], event["stock"]) == (3_000, 3_500, 7)
    assert (event["perUserLimit"], event["validDays"], event["breakage"]) == (2, 30, 0)
    listed, paused, sold = book.product(1)
    assert tuple(listed)[:9] == terms.encode()[:9]
    assert bytes(listed[9]) == terms.terms_hash
    assert (paused, sold) == (False, 0)
    assert book.productCount() == 1


def test_product_ids_count_up_from_one(list_product: Any) -> None:
    assert [list_product("BEAN"), list_product("SKYM"), list_product("FRESH")] == [1, 2, 3]


def test_only_the_tokens_market_admin_may_list_a_product(
    book: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    terms = Terms(token=tokens["BEAN"].address)
    with reverts_with("VoucherNotMerchantAdmin", tokens["BEAN"], admins["SKYM"]):
        book.listProduct(terms.encode(), {"from": admins["SKYM"]})


def test_a_product_of_an_unlisted_token_is_refused(book: Any, admins: dict[str, Any]) -> None:
    stranger = accounts[3].address
    with reverts_with("VoucherNotMerchantAdmin", stranger, admins["BEAN"]):
        book.listProduct(Terms(token=stranger).encode(), {"from": admins["BEAN"]})


def test_a_product_with_no_token_is_refused(book: Any, admins: dict[str, Any]) -> None:
    with reverts_with("VoucherZeroAddress"):
        book.listProduct(Terms(token="0x" + "00" * 20).encode(), {"from": admins["BEAN"]})


def test_terms_without_a_price_are_refused(
    book: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("VoucherInvalidTerms", "price"):
        book.listProduct(
            Terms(token=tokens["BEAN"].address, price=0).encode(), {"from": admins["BEAN"]}
        )


def test_terms_need_exactly_one_validity(
    book: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    bean = tokens["BEAN"].address
    future = chain.time() + 10 * 86_400
    for terms in (
        Terms(token=bean, valid_days=0, valid_until=0),
        Terms(token=bean, valid_days=30, valid_until=future),
        Terms(token=bean, valid_days=0, valid_until=now()),
        Terms(token=bean, valid_days=36_501),
    ):
        with reverts_with("VoucherInvalidTerms", "validity"):
            book.listProduct(terms.encode(), {"from": admins["BEAN"]})


def test_terms_with_a_breakage_other_than_zero_or_one_are_refused(
    book: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("VoucherInvalidTerms", "breakage"):
        book.listProduct(
            Terms(token=tokens["BEAN"].address, breakage=2).encode(), {"from": admins["BEAN"]}
        )


def test_terms_whose_sale_already_ended_are_refused(
    book: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    terms = Terms(token=tokens["BEAN"].address, sale_ends_at=now())
    with reverts_with("VoucherInvalidTerms", "saleEndsAt"):
        book.listProduct(terms.encode(), {"from": admins["BEAN"]})


def test_the_merchant_pauses_and_resumes_a_product(
    book: Any, list_product: Any, admins: dict[str, Any]
) -> None:
    product_id = list_product()
    tx = book.setProductPaused(product_id, True, {"from": admins["BEAN"]})
    event = tx.events["ProductPaused"]
    assert (event["productId"], event["paused"]) == (product_id, True)
    assert book.product(product_id)[1] is True
    book.setProductPaused(product_id, False, {"from": admins["BEAN"]})
    assert book.product(product_id)[1] is False


def test_another_merchant_may_not_pause_or_restock_a_product(
    book: Any, list_product: Any, admins: dict[str, Any], tokens: dict[str, Any]
) -> None:
    product_id = list_product()
    with reverts_with("VoucherNotMerchantAdmin", tokens["BEAN"], admins["SKYM"]):
        book.setProductPaused(product_id, True, {"from": admins["SKYM"]})
    with reverts_with("VoucherNotMerchantAdmin", tokens["BEAN"], admins["SKYM"]):
        book.addStock(product_id, 5, {"from": admins["SKYM"]})


def test_pausing_or_restocking_an_unknown_product_is_refused(
    book: Any, admins: dict[str, Any]
) -> None:
    with reverts_with("VoucherUnknownProduct", 9):
        book.setProductPaused(9, True, {"from": admins["BEAN"]})
    with reverts_with("VoucherUnknownProduct", 9):
        book.addStock(9, 1, {"from": admins["BEAN"]})


def test_the_merchant_adds_stock(book: Any, list_product: Any, admins: dict[str, Any]) -> None:
    product_id = list_product(stock=10)
    tx = book.addStock(product_id, 5, {"from": admins["BEAN"]})
    event = tx.events["StockAdded"]
    assert (event["productId"], event["amount"], event["stockAfter"]) == (product_id, 5, 15)
    assert book.product(product_id)[0][3] == 15


def test_adding_no_stock_or_past_the_32_bit_stock_is_refused(
    book: Any, list_product: Any, admins: dict[str, Any]
) -> None:
    product_id = list_product(stock=10)
    with reverts_with("VoucherInvalidStock", 0):
        book.addStock(product_id, 0, {"from": admins["BEAN"]})
    with reverts_with("VoucherInvalidStock", 2**32 - 10):
        book.addStock(product_id, 2**32 - 10, {"from": admins["BEAN"]})
