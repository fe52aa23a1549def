"""Helpers of the points + cash tests: the real test payment provider as its own process on a
free port, a product and a pending (points escrowed) purchase on the real VoucherBook, and a
driver that runs the relayer and the payments loop until something is true."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from eth_account import Account
from web3.contract import Contract
from web3.logs import DISCARD

from tests.chains import free_port
from tongdui.chain.transactions import Signer, wait_for
from tongdui.chain.voucher_eip712 import Purchase, sign_voucher_request, voucher_domain
from tongdui.core.config import ANVIL_KEYS
from tongdui.payments.cli import wait_until_up
from tongdui.payments.service import Payments
from tongdui.payments.sweeper import PaymentsLoop
from tongdui.relayer.relayer import Relayer
from tongdui.services import Services

PURCHASE_RELAYER_KEY = ANVIL_KEYS[8]  # sends purchaseBatch here (intake's job, not ours)
RELAY_KEY = ANVIL_KEYS[9]  # the relayer under test: settleCash / refundExpired
SKYM_ADMIN_KEY = ANVIL_KEYS[4]
TONGDUI = Path(sys.executable).parent / "tongdui"


@dataclass
class Provider:
    url: str
    process: subprocess.Popen[bytes]

    def payment(self, payment_id: str) -> dict[str, Any]:
        answer = httpx.get(f"{self.url}/v1/payments/{payment_id}", timeout=5)
        answer.raise_for_status()
        data: dict[str, Any] = answer.json()
        return data


@contextmanager
def running_provider(services: Services, retry_base: float = 0.2) -> Iterator[Provider]:
    """``tongdui payment-provider`` on a free port, stopped after the block."""
    port = free_port()
    book = voucher_book_of(services)
    process = subprocess.Popen(
        [
            str(TONGDUI),
            "payment-provider",
            "--port",
            str(port),
            "--chain-id",
            str(services.chain_id),
            "--voucher-book",
            book.address,
            "--retry-base",
            str(retry_base),
        ],
        stdout=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "TONGDUI_PAYMENT_PROVIDER_KEY"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_up(url, process, timeout=90), "the test payment provider did not start"
        yield Provider(url, process)
    finally:
        process.terminate()
        process.wait(10)


def voucher_book_of(services: Services) -> Contract:
    from tongdui.payments.voucher_book import voucher_book

    return voucher_book(services)


def list_product(services: Services, token: str, price: int) -> int:
    """A coffee voucher of the SKYM merchant at ``price`` fen; its product id."""
    book = voucher_book_of(services)
    w3 = services.w3
    terms = (token, price, price, 100, 0, 0, 0, 30, 0, b"\x11" * 32)
    admin = Signer(w3, SKYM_ADMIN_KEY)
    (receipt,) = wait_for(w3, [admin.transact(book.functions.listProduct(terms))])
    assert receipt["status"] == 1
    (event,) = book.events.ProductListed().process_receipt(receipt, errors=DISCARD)
    return int(event.args.productId)


def pending_purchase(
    services: Services, user_key: str, product_id: int, pay_token: str, points_in: int, cash: int
) -> str:
    """Step 1 on chain (as intake's batch would send it): the points escrowed, Pending;
    the purchaseId."""
    book = voucher_book_of(services)
    w3 = services.w3
    owner = Account.from_key(user_key).address
    deadline = int(w3.eth.get_block("latest")["timestamp"]) + 3600
    purchase = Purchase(
        owner, product_id, pay_token, points_in, cash, secrets.randbits(64), deadline
    )
    domain = voucher_domain(services.chain_id, book.address)
    signature = sign_voucher_request(user_key, domain, purchase)
    relayer = Signer(w3, PURCHASE_RELAYER_KEY)
    call = book.functions.purchaseBatch([purchase.as_tuple()], [signature])
    (receipt,) = wait_for(w3, [relayer.transact(call, gas=3_000_000)])
    assert receipt["status"] == 1
    (event,) = book.events.PurchasePending().process_receipt(receipt, errors=DISCARD)
    return "0x" + bytes(event.args.purchaseId).hex()


class Driver:
    """The relayer (its own key) and the payments loop, run pass by pass."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.relayer = Relayer(services, [RELAY_KEY])
        # Until w7-voucherapi's vouchers/receipts.py decodes indexed purchase ids (it calls
        # bytes() on their hex text and raises on every settleCash receipt), the relayer here
        # leaves purchase rows to the index: payments reads the chain's events itself.
        self.relayer.reconciler.purchases = None
        self.loop = PaymentsLoop(Payments(services))

    def until(self, condition: Callable[[], Any], timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            self.loop.run_once()
            self.relayer.run_once()
            found = condition()
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError("condition not reached in time")
            time.sleep(0.1)


def advance_chain(services: Services, seconds: int) -> None:
    """Moves the chain's clock (anvil) past a deadline."""
    provider: Any = services.w3.provider
    provider.make_request("evm_increaseTime", [seconds])
    provider.make_request("evm_mine", [])
