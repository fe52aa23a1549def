"""Helpers of the voucher tests: a merchant's API key, a product listed through the merchant
API, purchases, gifts and redemptions signed as a wallet would, the relayer and the indexer
run until the work is done."""

from __future__ import annotations

import secrets
import time
from typing import Any

from eth_account import Account
from fastapi.testclient import TestClient
from pydantic import SecretStr

from tests.chains import TestChain
from tongdui.api.app import create_app
from tongdui.chain.voucher_eip712 import (
    Purchase,
    VoucherGift,
    VoucherRedemption,
    sign_voucher_request,
    voucher_domain,
)
from tongdui.core.config import ANVIL_KEYS
from tongdui.core.db import transaction
from tongdui.indexer import Indexer
from tongdui.merchant.keys import create_api_key
from tongdui.relayer.models import REQ_RECEIVED, REQ_SUBMITTED, RelayerRequest
from tongdui.relayer.relayer import Relayer
from tongdui.services import Services
from tongdui.vouchers.models import P_QUEUED, VoucherPurchaseRequest

MERCHANT_ADMIN_KEYS = {"SKYM": ANVIL_KEYS[4], "BEAN": ANVIL_KEYS[5], "FRESH": ANVIL_KEYS[6]}
COFFEE = {
    "name": "Any coffee",
    "terms": "One coffee at any Blue Bean shop.",
    "price": 2_500,
    "faceValue": 2_800,
    "stock": 10,
    "perUserLimit": 0,
    "validDays": 30,
}


def address(key: str) -> str:
    return str(Account.from_key(key).address)


def voucher_api(services: Services) -> TestClient:
    """The API with the demo merchants' operator keys held by the backend."""
    services.settings.merchant_keys = [SecretStr(k) for k in MERCHANT_ADMIN_KEYS.values()]
    return TestClient(create_app(services))


def merchant_key(services: Services, token: str, scopes: str = "all") -> dict[str, str]:
    with transaction(services.sessions) as session:
        key = create_api_key(session, token, scopes)
    return {"Authorization": f"Bearer {key}"}


def list_product(
    client: TestClient, services: Services, chain: TestChain, symbol: str, **terms: Any
) -> int:
    token = chain.tokens[symbol]
    answer = client.post(
        f"/merchants/{token}/vouchers/products",
        json={**COFFEE, **terms},
        headers=merchant_key(services, token),
    )
    assert answer.status_code == 200, answer.text
    product_id = answer.json()["productId"]
    assert product_id, answer.json()
    return int(product_id)


def make_relayer(services: Services) -> Relayer:
    return Relayer(services, keys=[ANVIL_KEYS[8], ANVIL_KEYS[9]])


def drain(services: Services, relayer: Relayer | None = None, timeout: float = 30.0) -> None:
    """Runs relayer passes until no purchase or request is queued or in flight, then indexes."""
    relayer = relayer or make_relayer(services)
    deadline = time.monotonic() + timeout
    while True:
        with services.sessions() as session:
            busy = (
                session.query(VoucherPurchaseRequest)
                .filter(VoucherPurchaseRequest.state.in_(P_QUEUED))
                .count()
                + session.query(RelayerRequest)
                .filter(RelayerRequest.state.in_((REQ_RECEIVED, REQ_SUBMITTED)))
                .count()
            )
        if not busy:
            break
        if time.monotonic() > deadline:
            raise TimeoutError("vouchers still queued")
        relayer.run_once()
        time.sleep(0.02)
    index(services)


def index(services: Services) -> None:
    Indexer(services, progress=False).backfill()


def domain(chain: TestChain) -> Any:
    return voucher_domain(chain.deployment.chain_id, chain.platform.voucher_book.address)


def purchase_body(
    chain: TestChain,
    key: str,
    product_id: int,
    pay_symbol: str,
    points_in: int,
    cash: int = 0,
    deadline: int | None = None,
    nonce: int | None = None,
) -> dict[str, Any]:
    purchase = Purchase(
        owner=address(key),
        product_id=product_id,
        pay_token=chain.tokens[pay_symbol],
        points_in=points_in,
        cash_amount=cash,
        nonce=secrets.randbits(64) if nonce is None else nonce,
        deadline=deadline or int(time.time()) + 600,
    )
    signature = sign_voucher_request(key, domain(chain), purchase)
    message = {k: str(v) if isinstance(v, int) else v for k, v in purchase.as_message().items()}
    return {"purchase": message, "signature": "0x" + signature.hex()}


def gift_body(chain: TestChain, key: str, to: str, voucher_id: int) -> dict[str, Any]:
    gift = VoucherGift(address(key), to, voucher_id, secrets.randbits(64), int(time.time()) + 600)
    signature = sign_voucher_request(key, domain(chain), gift)
    return {"gift": gift.as_message(), "signature": "0x" + signature.hex()}


def redemption_body(
    chain: TestChain, key: str, voucher_id: int, deadline: int | None = None
) -> dict[str, Any]:
    redemption = VoucherRedemption(voucher_id, address(key), deadline or int(time.time()) + 120)
    signature = sign_voucher_request(key, domain(chain), redemption)
    return {"redemption": redemption.as_message(), "signature": "0x" + signature.hex()}


def advance(chain: TestChain, seconds: int) -> None:
    """Moves the test chain's clock (anvil only: tests)."""
    chain.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
    chain.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
