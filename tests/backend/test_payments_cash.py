"""Points + cash (issue 16) end to end on a real anvil, the real VoucherBook and the real test
payment provider process: the user's points are escrowed on chain, the cash is paid on the
provider's page over HTTP, the provider's signed notification comes back to our API, the
relayer settles it on chain and the voucher is issued; every way it can go wrong ends with the
points back, the cash back, and nothing issued twice."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx
import pytest
from sqlalchemy import func, select

from tests.chains import TestChain, free_port
from tongdui.audit.fetch import Contracts
from tongdui.audit.run import run_audit
from tongdui.chain import expiry
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.dev_keys import ANVIL_KEYS
from tongdui.demo_data import DEMO_MERCHANTS
from tongdui.indexer import expiry_buckets
from tongdui.indexer.expiry_models import ExpiryBucket
from tongdui.indexer.follower import Indexer
from tongdui.payments.kinds import REFUND_EXPIRED, SETTLE_CASH
from tongdui.payments.models import PaymentNotice, PaymentOrder
from tongdui.payments.service import Payments
from tongdui.payments.sweeper import PaymentsLoop
from tongdui.relayer.models import RelayerRequest
from tongdui.services import Services

from .api_support import LiveApi, live_api
from .indexer_support import issue
from .payments_support import (
    Driver,
    Provider,
    advance_chain,
    list_product,
    pending_purchase,
    running_provider,
    signed_purchase,
    voucher_book_of,
)

PRICE, CASH, POINTS = 5_000, 2_000, 300  # ¥50 coffee: 300 SKYM (10 fen each) + ¥20


@dataclass
class Cash:
    services: Services
    chain: TestChain
    api: LiveApi
    provider: Provider
    driver: Driver
    product_id: int
    user_key: str
    skym: str

    def balance(self) -> int:
        token = self.services.platform.points_token(self.skym)
        return int(token.functions.balanceOf(self.owner).call())

    @property
    def owner(self) -> str:
        from eth_account import Account

        return str(Account.from_key(self.user_key).address)

    def buy(self) -> tuple[str, dict[str, Any]]:
        """A pending purchase and its payment order, opened at the provider."""
        purchase_id = pending_purchase(
            self.services, self.user_key, self.product_id, self.skym, POINTS, CASH
        )
        payment = self.driver.until(lambda: self.payment_of(purchase_id, with_url=True))
        return purchase_id, payment

    def payment_of(self, purchase_id: str, with_url: bool = False) -> dict[str, Any] | None:
        with self.services.sessions() as session:
            order = session.scalar(
                select(PaymentOrder).where(PaymentOrder.purchase_id == purchase_id)
            )
        if order is None or (with_url and order.pay_url is None):
            return None
        answer = self.api.client.get(f"/payments/{order.payment_id}")
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()
        return data

    def pay(self, payment: dict[str, Any], action: str = "pay") -> None:
        """The user on the provider's page: reads it, presses a button (plain HTTP)."""
        page = httpx.get(payment["payUrl"], timeout=5)
        assert page.status_code == 200
        assert "Pay ¥20.00" in page.text and "Fail" in page.text and "支付" in page.text
        provider_id = payment["payUrl"].rsplit("/", 1)[1]
        done = httpx.post(f"{self.provider.url}/pay/{provider_id}/{action}", timeout=5)
        assert done.status_code == 200

    def purchase_state(self, purchase_id: str) -> int:
        book = voucher_book_of(self.services)
        record = book.functions.purchase(bytes.fromhex(purchase_id[2:])).call()
        return int(record[-1] if isinstance(record, list | tuple) else record.state)

    def issued_vouchers(self) -> list[Any]:
        book = voucher_book_of(self.services)
        return list(book.events.VoucherIssued().get_logs(from_block=0))

    def requests(self, kind: str) -> int:
        with self.services.sessions() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(RelayerRequest)
                    .where(RelayerRequest.kind == kind)
                )
                or 0
            )


@pytest.fixture
def cash(
    services: Services, clean_chain: TestChain, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Cash]:
    with running_provider(services) as provider, live_api(services) as api:
        monkeypatch.setenv("TONGDUI_PAYMENT_PROVIDER_URL", provider.url)
        monkeypatch.setenv("TONGDUI_PAYMENT_NOTIFY_URL", f"{api.url}/payments/notify")
        skym = clean_chain.tokens["SKYM"]
        product_id = list_product(services, skym, PRICE)
        yield Cash(
            services, clean_chain, api, provider, Driver(services), product_id,
            clean_chain.user_keys[0], skym,
        )  # fmt: skip


def notice_body(cash: Cash, payment: dict[str, Any], paid: bool = True, **changes: Any) -> Any:
    """A notification as the provider makes it (its own signing code), for replays/forgeries."""
    from tongdui.payments.test_provider import CreatePayment, ProviderPayment, TestProvider

    provider = TestProvider(
        cash.services.chain_id, voucher_book_of(cash.services).address, cash.provider.url,
        key=changes.pop("key", None) or _provider_key(),
    )  # fmt: skip
    order = CreatePayment(
        merchantOrderId=payment["paymentId"],
        purchaseId=changes.pop("purchaseId", payment["purchaseId"]),
        amount=changes.pop("amount", payment["amount"]),
        notifyUrl=f"{cash.api.url}/payments/notify",
    )
    held = ProviderPayment("tp_test", order, state="paid" if paid else "failed", notify_id="n1")
    return provider.notification(held)


def _provider_key() -> str:
    from tongdui.core.dev_keys import DEMO_PAYMENT_PROVIDER_KEY

    return DEMO_PAYMENT_PROVIDER_KEY


def post_notice(cash: Cash, body: bytes, signature: str) -> httpx.Response:
    return cash.api.client.post(
        "/payments/notify",
        content=body,
        headers={"Content-Type": "application/json", "Tongdui-Provider-Signature": signature},
    )


def test_points_and_cash_are_paid_on_the_providers_page_and_the_voucher_is_issued(
    cash: Cash,
) -> None:
    before = cash.balance()
    body = signed_purchase(cash.services, cash.user_key, cash.product_id, cash.skym, POINTS, CASH)
    taken = cash.api.client.post("/vouchers/purchases", json=body)  # the wallet, signed
    assert taken.status_code == 202, taken.text
    purchase_id = taken.json()["purchaseId"]
    shown = cash.driver.until(
        lambda: (
            (p := cash.api.client.get(f"/vouchers/purchases/{purchase_id}").json())
            and p.get("payment")
            and p
        )
    )
    assert shown["state"] == "pending_cash" and shown["cashAmount"] == CASH
    payment = cash.payment_of(purchase_id)
    assert payment is not None and shown["payment"]["payUrl"] == payment["payUrl"]
    assert cash.balance() == before - POINTS  # escrowed on chain
    assert payment["amount"] == CASH and payment["currency"] == "CNY"
    assert payment["state"] == "created" and payment["payUrl"].startswith(cash.provider.url)
    cash.pay(payment)
    settled = cash.driver.until(
        lambda: (p := cash.payment_of(purchase_id)) and p["chain"] == "settled" and p
    )
    assert settled["state"] == "paid"
    (issued,) = cash.issued_vouchers()
    assert issued.args.owner == cash.owner
    assert cash.balance() == before - POINTS
    assert cash.provider.payment(payment["paymentId"])["acknowledged"] is True
    assert cash.requests(SETTLE_CASH) == 1 and cash.requests(REFUND_EXPIRED) == 0
    served = cash.driver.until(
        lambda: (
            (p := cash.api.client.get(f"/vouchers/purchases/{purchase_id}").json())
            and p["state"] == "settled"
            and p
        )
    )
    assert served["voucherId"] == issued.args.voucherId


def test_a_failed_payment_gives_the_points_back(cash: Cash) -> None:
    before = cash.balance()
    purchase_id, payment = cash.buy()
    cash.pay(payment, "fail")
    refunded = cash.driver.until(
        lambda: (p := cash.payment_of(purchase_id)) and p["chain"] == "refunded" and p
    )
    assert refunded["state"] == "failed"
    assert cash.balance() == before
    assert cash.issued_vouchers() == []


def test_after_the_cash_deadline_the_points_come_back_and_late_cash_is_refunded_by_the_provider(
    cash: Cash,
) -> None:
    before = cash.balance()
    purchase_id, payment = cash.buy()
    advance_chain(cash.services, 15 * 60 + 5)
    late = cash.driver.until(
        lambda: (p := cash.payment_of(purchase_id)) and p["chain"] == "refunded" and p
    )
    assert late["state"] == "late" and cash.balance() == before
    assert cash.requests(REFUND_EXPIRED) == 1
    cash.pay(payment)  # the payer pays on the page after all: the cash must go back
    refunded = cash.driver.until(
        lambda: (p := cash.payment_of(purchase_id)) and p["refund"] == "done" and p
    )
    assert refunded["state"] == "refunded"
    at_provider = cash.driver.until(
        lambda: (p := cash.provider.payment(payment["paymentId"]))["state"] == "refunded" and p
    )
    assert at_provider["refundReason"] == "late"
    assert cash.issued_vouchers() == [] and cash.requests(SETTLE_CASH) == 0


def test_a_replayed_cash_callback_is_refused_and_nothing_is_issued_twice(cash: Cash) -> None:
    purchase_id, payment = cash.buy()
    body, signature = notice_body(cash, payment)
    first = post_notice(cash, body, signature)
    assert first.status_code == 200 and first.json()["outcome"] == "accepted"
    for _ in range(3):  # the same notice again: the same answer, nothing new queued
        again = post_notice(cash, body, signature)
        assert again.status_code == 200
        assert again.json() == {**first.json(), "duplicate": True}
    cash.driver.until(lambda: (p := cash.payment_of(purchase_id)) and p["chain"] == "settled")
    assert cash.requests(SETTLE_CASH) == 1
    assert len(cash.issued_vouchers()) == 1
    stale = json.loads(body)
    stale["sentAt"] -= 3_600  # a copy played back an hour later: refused
    from eth_account import Account
    from eth_account.messages import encode_defunct

    raw = json.dumps(stale).encode()
    resigned = Account.sign_message(encode_defunct(primitive=raw), _provider_key())
    refused = post_notice(cash, raw, "0x" + bytes(resigned.signature).hex())
    assert refused.status_code == 400 and refused.json()["code"] == "PAYMENT_NOTICE_STALE"
    with cash.services.sessions() as session:
        notices = session.scalars(select(PaymentNotice)).all()
    assert [n.duplicate for n in notices] == [False, True, True, True]
    assert len(cash.issued_vouchers()) == 1


def test_a_forged_cash_callback_is_refused_and_nothing_is_issued(cash: Cash) -> None:
    before = cash.balance()
    purchase_id, payment = cash.buy()
    forger = ANVIL_KEYS[3]  # a consortium member's key, but no PROVIDER_ROLE
    body, signature = notice_body(cash, payment, key=forger)
    forged = post_notice(cash, body, signature)
    assert forged.status_code == 401 and forged.json()["code"] == "PAYMENT_SIGNATURE_INVALID"
    genuine, genuine_signature = notice_body(cash, payment)
    tampered = genuine.replace(b'"amount": 2000', b'"amount": 20')
    assert post_notice(cash, tampered, genuine_signature).status_code == 401
    cheap, cheap_signature = notice_body(cash, payment, amount=20)  # signed, wrong amount
    refused = post_notice(cash, cheap, cheap_signature)
    assert refused.status_code == 400 and refused.json()["code"] == "PAYMENT_NOTICE_MISMATCH"
    other, other_signature = notice_body(cash, payment, purchaseId="0x" + "ab" * 32)
    assert post_notice(cash, other, other_signature).json()["code"] == "PAYMENT_NOTICE_MISMATCH"
    garbage = post_notice(cash, b'{"paymentId": 1}', "0x00")
    assert garbage.status_code == 400 and garbage.json()["code"] == "PAYMENT_NOTICE_INVALID"
    cash.driver.relayer.run_once()
    assert cash.requests(SETTLE_CASH) == 0 and cash.issued_vouchers() == []
    assert cash.payment_of(purchase_id)["state"] == "created"  # type: ignore[index]
    assert cash.balance() == before - POINTS  # still escrowed, waiting for real cash


class _Flaky(http.server.BaseHTTPRequestHandler):
    """A front that answers 503 to the first ``failures`` notifications, then passes them on."""

    target = ""
    failures = 0
    seen: ClassVar[list[int]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(1)
        if len(self.seen) <= self.failures:
            self.send_response(503)
            self.end_headers()
            return
        answer = httpx.post(
            self.target,
            content=body,
            headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
        )
        self.send_response(answer.status_code)
        self.end_headers()
        self.wfile.write(answer.content)

    def log_message(self, *_: Any) -> None:
        pass


def test_the_provider_retries_until_acknowledged_and_duplicates_are_taken_once(
    cash: Cash, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    _Flaky.target, _Flaky.failures, _Flaky.seen = f"{cash.api.url}/payments/notify", 3, []
    front = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Flaky)
    threading.Thread(target=front.serve_forever, daemon=True).start()
    monkeypatch.setenv("TONGDUI_PAYMENT_NOTIFY_URL", f"http://127.0.0.1:{port}/notify")
    cash.driver.loop = PaymentsLoop(Payments(cash.services))  # opens payments with that URL
    try:
        purchase_id, payment = cash.buy()
        cash.pay(payment)
        at_provider = cash.driver.until(
            lambda: (p := cash.provider.payment(payment["paymentId"]))["acknowledged"] and p,
            timeout=60,
        )
        assert at_provider["notifyAttempts"] == 4  # three 503s, then our 200
        body, signature = notice_body(cash, payment)  # and a duplicate after the ack
        assert post_notice(cash, body, signature).json()["duplicate"] is True
        cash.driver.until(lambda: (p := cash.payment_of(purchase_id)) and p["chain"] == "settled")
        time.sleep(0.5)
        assert (
            at_provider["notifyAttempts"]
            == cash.provider.payment(payment["paymentId"])["notifyAttempts"]
        )
        assert cash.requests(SETTLE_CASH) == 1 and len(cash.issued_vouchers()) == 1
    finally:
        front.shutdown()


def test_a_refunded_points_and_cash_purchase_gives_the_points_back_under_their_old_expiry_key(
    cash: Cash,
) -> None:
    """The escrow burns the user's earliest points and the refund mints them back under the
    same key (exchangeMintWithKey): the index's buckets and the audit's must follow the key,
    not the refund's date (the refund's Transfer alone would put them in today's key)."""
    w3, platform = cash.services.w3, cash.services.platform
    admin_key = next(m.admin_key for m in DEMO_MERCHANTS if m.symbol == "SKYM")
    rule = platform.points_token(cash.skym).functions.setExpiryRule(24, 3)
    wait_for(w3, [Signer(w3, admin_key).transact(rule)])
    issue(w3, platform, "SKYM", cash.skym, cash.owner, 1_000)
    issued_key = expiry.key_for(int(w3.eth.get_block("latest")["timestamp"]), 24, 3)
    advance_chain(cash.services, 100 * 86_400)  # into another quarter: today's key differs
    refund_key = expiry.key_for(int(w3.eth.get_block("latest")["timestamp"]), 24, 3)
    assert refund_key != issued_key

    purchase_id, payment = cash.buy()
    cash.pay(payment, "fail")
    cash.driver.until(lambda: (p := cash.payment_of(purchase_id)) and p["chain"] == "refunded")
    Indexer(cash.services, progress=False).backfill()

    with cash.services.sessions() as session:
        rows = session.execute(
            select(ExpiryBucket.key, ExpiryBucket.amount).where(
                ExpiryBucket.token == cash.skym, ExpiryBucket.holder == cash.owner
            )
        )
        buckets = {int(key): int(amount) for key, amount in rows}
    assert buckets.get(issued_key) == 1_000 and refund_key not in buckets, buckets
    with cash.services.sessions() as session:  # a reorg's replay of the buckets agrees
        expiry_buckets.replay(session)
        rows = session.execute(
            select(ExpiryBucket.key, ExpiryBucket.amount).where(
                ExpiryBucket.token == cash.skym, ExpiryBucket.holder == cash.owner
            )
        )
        assert {int(key): int(amount) for key, amount in rows} == buckets
        session.rollback()
    report = run_audit(
        cash.chain.url,
        Contracts.from_names(cash.chain.deployment.addresses),
        cash.chain.deployment.deployment_block,
        db_url=cash.services.settings.database_url(),
    )
    assert report.ok, report.text()
