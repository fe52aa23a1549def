"""The vouchers the audit rebuilds (``replay_vouchers`` fills it from events), and its
comparisons: with VoucherBook's ``product()``/``voucher()`` at the audited block, and with the
index's voucher tables (``voucher_products``, ``voucher_vouchers``, ``voucher_purchases``,
``voucher_activity``, ``voucher_payments``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .abi_calls import function
from .findings import Finding

if TYPE_CHECKING:
    from ..chain.rpc import JsonRpc

BOOK = "VoucherBook"
CHECK = "vouchers"
STATUS_CODE = {"active": 1, "redeemed": 2, "expired": 3}


@dataclass
class VoucherReplay:
    """Products, purchases, vouchers and per-event rows, as the events leave them."""

    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    purchases: dict[str, dict[str, Any]] = field(default_factory=dict)
    vouchers: dict[int, dict[str, Any]] = field(default_factory=dict)
    bought: dict[tuple[int, str], int] = field(default_factory=dict)  # (product, owner) → n
    activity: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)


# ─── comparisons with the contract and with the index ─────────────────────────────────────


def chain_findings(
    rpc: JsonRpc, vouchers: VoucherReplay, book: str | None, block: int
) -> tuple[list[Finding], int]:
    """Each rebuilt product (stock, paused, sold) and voucher (product, owner, expiry, status)
    against ``product()``/``voucher()`` at ``block``. Returns findings and calls made."""
    if book is None:
        return [], 0
    product_fn, voucher_fn = function(BOOK, "product", 1), function(BOOK, "voucher", 1)
    calls = [(book, product_fn.calldata([pid])) for pid in vouchers.products]
    calls += [(book, voucher_fn.calldata([vid])) for vid in vouchers.vouchers]
    answers = rpc.eth_calls(calls, block)
    findings: list[Finding] = []

    def differ(where: str, key: Any, name: str, mine: Any, theirs: Any) -> None:
        if mine != theirs:
            findings.append(
                Finding(
                    "invariant-5",
                    where,
                    str(key),
                    name,
                    mine,
                    theirs,
                    "the contract's state differs from the replay",
                )
            )

    raw_products, raw_vouchers = (
        answers[: len(vouchers.products)],
        answers[len(vouchers.products) :],
    )
    for (pid, product), raw in zip(vouchers.products.items(), raw_products, strict=True):
        terms, paused, sold = product_fn.results(raw)
        differ("VoucherBook.product", pid, "stock", product["stock"], terms[3])
        differ("VoucherBook.product", pid, "price", product["price"], terms[1])
        differ("VoucherBook.product", pid, "paused", product["paused"], paused)
        differ("VoucherBook.product", pid, "sold", product["sold"], sold)
    for (vid, voucher), raw in zip(vouchers.vouchers.items(), raw_vouchers, strict=True):
        product_id, owner, expires_at, status = voucher_fn.results(raw)
        differ("VoucherBook.voucher", vid, "productId", voucher["product_id"], product_id)
        differ("VoucherBook.voucher", vid, "owner", voucher["owner"], str(owner).lower())
        differ("VoucherBook.voucher", vid, "expiresAt", voucher["expires_at"], expires_at)
        differ("VoucherBook.voucher", vid, "status", STATUS_CODE[voucher["status"]], status)
    return findings, len(calls)


def expected_voucher_rows(
    vouchers: VoucherReplay,
) -> dict[str, tuple[tuple[str, ...], dict[tuple[Any, ...], dict[str, Any]]]]:
    """The index's voucher tables as they must be, from the replay."""

    def by_event(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
        return {
            (r["block_number"], r["log_index"]): {
                k: v for k, v in r.items() if k not in ("block_number", "log_index")
            }
            for r in rows
        }

    return {
        "voucher_products": (
            ("product_id",),
            {
                (pid,): {k: v for k, v in p.items() if k != "product_id"}
                for pid, p in vouchers.products.items()
            },
        ),
        "voucher_vouchers": (("voucher_id",), {(v,): row for v, row in vouchers.vouchers.items()}),
        "voucher_purchases": (
            ("purchase_id",),
            {(p,): row for p, row in vouchers.purchases.items()},
        ),
        "voucher_activity": (("block_number", "log_index"), by_event(vouchers.activity)),
        "voucher_payments": (("block_number", "log_index"), by_event(vouchers.payments)),
    }
