"""The audit replays vouchers: on an honest history (bought with another program's points and
with the merchant's own, given, redeemed) it finds nothing, against the chain and against the
index; a tampered voucher row in the index is found and named. And VoucherBook's EIP-712
digests are the Python twin's (``chain.voucher_eip712``), for each signed type."""

from __future__ import annotations

import sqlite3
import time

from tests.chains import TestChain
from tongdui.audit.fetch import Contracts
from tongdui.audit.run import run_audit
from tongdui.chain.voucher_eip712 import (
    CashNotice,
    Purchase,
    VoucherGift,
    VoucherRedemption,
    voucher_digest,
)
from tongdui.services import Services

from .voucher_support import (
    address,
    domain,
    drain,
    gift_body,
    list_product,
    merchant_key,
    purchase_body,
    redemption_body,
    voucher_api,
)


def _history(chain: TestChain, services: Services) -> None:
    client = voucher_api(services)
    coffee = list_product(client, services, chain, "BEAN")
    # a SKYM hotel night paid with its own SKYM: burned, no VoucherPaid
    night = list_product(client, services, chain, "SKYM", name="Hotel night", price=60_000,
                         faceValue=68_000, validDays=365, breakage=1)  # fmt: skip
    bodies = [
        purchase_body(chain, chain.user_keys[0], coffee, "SKYM", 251),
        purchase_body(chain, chain.user_keys[1], coffee, "BEAN", 25),
        purchase_body(chain, chain.user_keys[0], night, "SKYM", 6_000),
    ]
    for body in bodies:
        assert client.post("/vouchers/purchases", json=body).status_code == 202
    drain(services)
    friend = address(chain.user_keys[2])
    assert (
        client.post(
            "/vouchers/gifts", json=gift_body(chain, chain.user_keys[1], friend, 2)
        ).status_code
        == 202
    )
    drain(services)
    token = chain.tokens["BEAN"]
    redeemed = client.post(
        f"/merchants/{token}/vouchers/redeem",
        json=redemption_body(chain, chain.user_keys[0], 1),
        headers=merchant_key(services, token, "redeem"),
    )
    assert redeemed.json()["state"] == "redeemed", redeemed.text
    drain(services)


def test_the_audit_finds_nothing_on_an_honest_voucher_history(
    clean_chain: TestChain, services: Services
) -> None:
    _history(clean_chain, services)
    report = run_audit(
        clean_chain.url,
        Contracts.from_names(clean_chain.deployment.addresses),
        clean_chain.deployment.deployment_block,
        db_url=services.settings.database_url(),
    )
    assert report.ok, report.text()
    tables = report.database["tables"] if report.database else {}
    assert tables["voucher_vouchers"]["rows"] == 3 and tables["voucher_payments"]["rows"] == 1
    assert not [f for f in report.findings if f.check == "database"], report.text()


def test_the_audit_finds_a_tampered_voucher_row(clean_chain: TestChain, services: Services) -> None:
    _history(clean_chain, services)
    db = services.settings.data_dir / "tongdui.db"
    services.engine.dispose()
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE voucher_vouchers SET status = 'active' WHERE voucher_id = 1"
        )  # redeemed, shown as still usable
    report = run_audit(
        clean_chain.url,
        Contracts.from_names(clean_chain.deployment.addresses),
        clean_chain.deployment.deployment_block,
        db_url=f"sqlite:///{db}",
    )
    found = [f for f in report.findings if f.check == "database"]
    assert [(f.where, f.field) for f in found] == [("db:voucher_vouchers", "status")], report.text()


def test_the_python_digests_are_voucherbooks_for_every_signed_type(
    clean_chain: TestChain,
) -> None:
    book = clean_chain.platform.voucher_book.functions
    twin = domain(clean_chain)
    owner, other = address(clean_chain.user_keys[0]), address(clean_chain.user_keys[1])
    deadline = int(time.time()) + 600
    purchase = Purchase(owner, 7, clean_chain.tokens["SKYM"], 2**70, 3, 2**200 + 5, deadline)
    gift = VoucherGift(owner, other, 9, 2**64 + 1, deadline)
    redemption = VoucherRedemption(9, owner, deadline)
    notice = CashNotice(b"\x11" * 32, b"\x22" * 32, 2_000, True)
    for request, view in (
        (purchase, book.purchaseDigest),
        (gift, book.giftDigest),
        (redemption, book.redemptionDigest),
        (notice, book.cashNoticeDigest),
    ):
        assert bytes(view(request.as_tuple()).call()) == voucher_digest(twin, request), request
