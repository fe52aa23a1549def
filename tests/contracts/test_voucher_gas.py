"""The VoucherBook's gas, measured and bounded: a purchase alone in a batch and per purchase in
a batch of 20 (paid with another program's points, so through the exchange's `voucherPay`), a
gift, a redemption and a cash settlement. `pytest -s` prints the figures.

The bounds are loose ceilings against regressions by a multiple, not a snapshot (the gas
snapshot, snapshots/gas.json, is the swap's own).
"""

from __future__ import annotations

from typing import Any

from tests.contracts.voucher_helpers import (
    CashNotice,
    Gift,
    Redemption,
    next_nonce,
    now,
    payment_id,
    sign_gift,
    sign_notice,
    sign_purchase,
    sign_redemption,
)

BOUNDS = {
    "purchase, batch of 1": 260_000,
    "purchase, per order in a batch of 20": 160_000,
    "gift": 80_000,
    "redeem": 80_000,
    "settleCash": 260_000,
}


def test_voucher_gas_stays_under_its_bounds(
    book: Any,
    users: list[Any],
    list_product: Any,
    make_purchase: Any,
    relayer: Any,
    provider: Any,
    buy: Any,
) -> None:
    alice, bob = users[0], users[1]
    product_id = list_product(stock=100)
    buy(alice, product_id)  # warm: the owner, product and markets have been written once

    measured: dict[str, int] = {}
    one = make_purchase(alice, product_id)
    tx = book.purchaseBatch(
        [one.encode()], [sign_purchase(alice.private_key, book, one)], {"from": relayer}
    )
    assert tx.return_value == 1
    measured["purchase, batch of 1"] = tx.gas_used

    batch = [make_purchase(alice, product_id) for _ in range(20)]
    signatures = [sign_purchase(alice.private_key, book, p) for p in batch]
    tx = book.purchaseBatch([p.encode() for p in batch], signatures, {"from": relayer})
    assert tx.return_value == 20
    measured["purchase, per order in a batch of 20"] = tx.gas_used // 20

    voucher_id = int(tx.events["VoucherIssued"][0]["voucherId"])
    gift = Gift(alice.address, bob.address, voucher_id, next_nonce(), now() + 600)
    tx = book.giftWithSig(
        gift.encode(), sign_gift(alice.private_key, book, gift), {"from": relayer}
    )
    measured["gift"] = tx.gas_used

    r = Redemption(voucher_id, bob.address, now() + 120)
    tx = book.redeem(r.encode(), sign_redemption(bob.private_key, book, r), {"from": relayer})
    measured["redeem"] = tx.gas_used

    tx = buy(alice, product_id, "SKYM", 102, cash=2_000)
    purchase_id = bytes(tx.events["PurchasePending"]["purchaseId"])
    notice = CashNotice(purchase_id, payment_id(), 2_000, True)
    tx = book.settleCash(
        notice.encode(), sign_notice(provider.private_key, book, notice), {"from": relayer}
    )
    assert tx.events["Purchased"]
    measured["settleCash"] = tx.gas_used

    print("\n" + "\n".join(f"{name:<40} {gas:>9,}" for name, gas in measured.items()))
    over = {name: gas for name, gas in measured.items() if gas > BOUNDS[name]}
    assert not over, f"voucher gas over its bounds: {over}"
