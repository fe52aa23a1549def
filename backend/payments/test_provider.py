"""The test payment provider: a stand-in acquirer, run as its own HTTP service (``tongdui
payment-provider``, started by ``tongdui up --demo``). It is the only stand-in of points +
cash; it behaves as a real one does towards us:

- ``POST /v1/payments`` opens a payment for our order number (``merchantOrderId``, idempotent)
  and answers its ``payUrl``;
- the pay page at ``payUrl`` (plain HTML, zh-CN and English) has "Pay ¥20.00" and "Fail";
- paying (or failing) makes a signed notification: the EIP-712 ``CashNotice`` signed with the
  provider key (``PROVIDER_ROLE`` on the VoucherBook), the raw body signed too (EIP-191, header
  ``Tongdui-Provider-Signature``, covering ``notifyId`` and ``sentAt``); it is POSTed to our
  ``notifyUrl`` and retried with exponential backoff until we answer 200;
- ``POST /v1/refunds`` refunds a paid payment in full (idempotent);
- ``GET /v1/payments/{merchantOrderId}`` shows its state and how many notifications were sent.
State is in memory: a restarted stand-in forgets its payments (a real provider would not).
"""

from __future__ import annotations

import html
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
import uvicorn
from eth_account import Account
from eth_account.messages import encode_defunct
from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from ..core.dev_keys import DEMO_PAYMENT_PROVIDER_KEY
from .cash_notice import CashNotice, voucher_book_domain
from .notify import SIGNATURE_HEADER

log = logging.getLogger("tongdui.payment_provider")
PENDING, PAID, FAILED, REFUNDED = "pending", "paid", "failed", "refunded"


class CreatePayment(BaseModel):
    merchantOrderId: str = Field(pattern="^0x[0-9a-fA-F]{64}$")
    purchaseId: str = Field(pattern="^0x[0-9a-fA-F]{64}$")
    amount: int = Field(gt=0, lt=2**63)
    currency: str = "CNY"
    notifyUrl: str
    expiresAt: int = 0
    description: str = ""


class CreateRefund(BaseModel):
    merchantOrderId: str
    amount: int = Field(gt=0)
    reason: str = ""


@dataclass
class ProviderPayment:
    provider_id: str
    order: CreatePayment
    state: str = PENDING
    notify_attempts: int = 0
    acknowledged: bool = False
    notify_id: str | None = None
    refund_id: str | None = None
    refund_reason: str | None = None
    events: list[str] = field(default_factory=list)


def yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


class TestProvider:
    """The provider's state and its notifier threads; ``app`` is its HTTP face."""

    __test__ = False  # not a pytest class

    def __init__(
        self,
        chain_id: int,
        voucher_book: str,
        public_url: str,
        key: str = DEMO_PAYMENT_PROVIDER_KEY,
        retry_base: float = 1.0,
        retry_cap: float = 30.0,
    ) -> None:
        self.domain = voucher_book_domain(chain_id, voucher_book)
        self.public_url = public_url.rstrip("/")
        self.key = key
        self.address = Account.from_key(key).address
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.lock = threading.Lock()
        self.by_order: dict[str, ProviderPayment] = {}
        self.by_id: dict[str, ProviderPayment] = {}
        self.stop = threading.Event()
        self.app = self._build_app()

    # ── payments ────────────────────────────────────────────────────────────────────────────

    def create(self, body: CreatePayment) -> ProviderPayment:
        key = body.merchantOrderId.lower()
        with self.lock:
            found = self.by_order.get(key)
            if found is None:
                found = ProviderPayment("tp_" + secrets.token_hex(12), body)
                self.by_order[key] = found
                self.by_id[found.provider_id] = found
            return found

    def pay_url(self, payment: ProviderPayment) -> str:
        return f"{self.public_url}/pay/{payment.provider_id}"

    def finish(self, provider_id: str, paid: bool) -> ProviderPayment:
        """The payer paid (or the payment failed): notify the merchant until it acknowledges."""
        with self.lock:
            payment = self.by_id.get(provider_id)
            if payment is None:
                raise HTTPException(404, "no such payment")
            if payment.state != PENDING:
                return payment
            payment.state = PAID if paid else FAILED
            payment.notify_id = "ntf_" + secrets.token_hex(12)
        threading.Thread(
            target=self._notify_until_acknowledged, args=(payment,), daemon=True,
            name=f"notify-{provider_id}",
        ).start()  # fmt: skip
        return payment

    def refund(self, body: CreateRefund) -> ProviderPayment:
        with self.lock:
            payment = self.by_order.get(body.merchantOrderId.lower())
            if payment is None:
                raise HTTPException(404, "no such payment")
            if payment.state == REFUNDED:
                return payment
            if payment.state != PAID or body.amount != payment.order.amount:
                raise HTTPException(409, f"cannot refund a {payment.state} payment of that amount")
            payment.state = REFUNDED
            payment.refund_id = "rf_" + secrets.token_hex(12)
            payment.refund_reason = body.reason
            return payment

    # ── notifications ───────────────────────────────────────────────────────────────────────

    def notification(self, payment: ProviderPayment) -> tuple[bytes, str]:
        """(body, header signature) of one attempt: the notice is the same every time,
        ``sentAt`` is now."""
        order = payment.order
        notice = CashNotice(
            order.purchaseId.lower(),
            order.merchantOrderId.lower(),
            order.amount,
            payment.state in (PAID, REFUNDED),
        )
        body = json.dumps(
            {
                "paymentId": notice.payment_id,
                "purchaseId": notice.purchase_id,
                "amount": notice.amount,
                "paid": notice.paid,
                "signature": notice.sign(self.key, self.domain),
                "notifyId": payment.notify_id,
                "sentAt": time.time(),
            }
        ).encode()
        signed = Account.sign_message(encode_defunct(primitive=body), self.key)
        return body, "0x" + bytes(signed.signature).hex()

    def _notify_until_acknowledged(self, payment: ProviderPayment) -> None:
        delay = self.retry_base
        while not self.stop.is_set():
            body, signature = self.notification(payment)
            payment.notify_attempts += 1
            try:
                answer = httpx.post(
                    payment.order.notifyUrl,
                    content=body,
                    headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature},
                    timeout=10,
                )
                payment.events.append(f"notify {answer.status_code}")
                if answer.status_code == 200:
                    payment.acknowledged = True
                    return
            except httpx.HTTPError as error:
                payment.events.append(f"notify error {type(error).__name__}")
            self.stop.wait(delay)
            delay = min(delay * 2, self.retry_cap)

    # ── HTTP ────────────────────────────────────────────────────────────────────────────────

    def view(self, payment: ProviderPayment) -> dict[str, Any]:
        return {
            "paymentId": payment.provider_id,
            "merchantOrderId": payment.order.merchantOrderId.lower(),
            "amount": payment.order.amount,
            "currency": payment.order.currency,
            "payUrl": self.pay_url(payment),
            "state": payment.state,
            "notifyAttempts": payment.notify_attempts,
            "acknowledged": payment.acknowledged,
            "refundId": payment.refund_id,
            "refundReason": payment.refund_reason,
        }

    def _build_app(self) -> FastAPI:
        app = FastAPI(title="Tongdui test payment provider", docs_url=None, redoc_url=None)

        @app.get("/health")
        def health() -> dict[str, Any]:
            return {"status": "ok", "provider": self.address}

        @app.post("/v1/payments", status_code=201)
        def create(body: CreatePayment) -> dict[str, Any]:
            return self.view(self.create(body))

        @app.get("/v1/payments/{merchant_order_id}")
        def get(merchant_order_id: str) -> dict[str, Any]:
            with self.lock:
                payment = self.by_order.get(merchant_order_id.lower())
            if payment is None:
                raise HTTPException(404, "no such payment")
            return self.view(payment)

        @app.post("/v1/refunds")
        def refund(body: CreateRefund) -> dict[str, Any]:
            payment = self.refund(body)
            return {"refundId": payment.refund_id, "state": REFUNDED, **self.view(payment)}

        @app.get("/pay/{provider_id}", response_class=HTMLResponse)
        def page(provider_id: str) -> HTMLResponse:
            with self.lock:
                payment = self.by_id.get(provider_id)
            if payment is None:
                return HTMLResponse(
                    _page("未找到 · Not found", "<p>没有这笔支付。No such payment.</p>"), 404
                )
            return HTMLResponse(_pay_page(payment))

        @app.post("/pay/{provider_id}/{action}", response_class=HTMLResponse)
        def act(provider_id: str, action: Annotated[str, "pay | fail"]) -> HTMLResponse:
            if action not in ("pay", "fail"):
                raise HTTPException(404, "no such action")
            payment = self.finish(provider_id, action == "pay")
            return HTMLResponse(_done_page(payment))

        @app.exception_handler(HTTPException)
        async def _http(_: Any, error: HTTPException) -> JSONResponse:
            return JSONResponse({"error": error.detail}, status_code=error.status_code)

        return app


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{title}</title>'
        "<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}"
        "button{font-size:1.2rem;padding:.6rem 1.4rem;margin:.4rem}</style></head>"
        f"<body><h1>{title}</h1>{body}<p><small>测试支付服务 · Test payment provider"
        "</small></p></body></html>"
    )


def _pay_page(payment: ProviderPayment) -> str:
    amount = yuan(payment.order.amount)
    if payment.state != PENDING:
        return _done_page(payment)
    base = f"/pay/{html.escape(payment.provider_id)}"
    return _page(
        f"支付 {amount} · Pay {amount}",
        f"<p>积分通兑礼券 · Tongdui voucher</p><p>订单号 · Order "
        f"<code>{html.escape(payment.order.merchantOrderId[:18])}…</code></p>"
        f'<form method="post" action="{base}/pay"><button id="pay" type="submit">'
        f"支付 {amount} · Pay {amount}</button></form>"
        f'<form method="post" action="{base}/fail"><button id="fail" type="submit">'
        "支付失败 · Fail</button></form>",
    )


def _done_page(payment: ProviderPayment) -> str:
    words = {
        PAID: "已支付 · Paid",
        FAILED: "支付失败 · Failed",
        REFUNDED: "已退款 · Refunded",
        PENDING: "待支付 · Pending",
    }[payment.state]
    return _page(
        words,
        f'<p id="state" data-state="{payment.state}">{words}: {yuan(payment.order.amount)}</p>'
        "<p>您可以关闭本页，回到钱包。You may close this page and return to the wallet.</p>",
    )


def serve_provider(
    host: str,
    port: int,
    chain_id: int,
    voucher_book: str,
    key: str = DEMO_PAYMENT_PROVIDER_KEY,
    public_url: str | None = None,
    retry_base: float = 1.0,
) -> None:
    """Runs the provider until Ctrl-C / SIGTERM."""
    provider = TestProvider(
        chain_id, voucher_book, public_url or f"http://{host}:{port}", key, retry_base
    )
    config = uvicorn.Config(provider.app, host=host, port=port, log_level="warning")
    try:
        uvicorn.Server(config).run()
    finally:
        provider.stop.set()
