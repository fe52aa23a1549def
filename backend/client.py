"""A small typed Python client of the Tongdui relayer API (httpx).

It signs locally (the private key never leaves the process) with the domain the server
publishes at ``GET /orders/domain``, so it works against any chain without configuration::

    client = TongduiClient("http://127.0.0.1:8000")
    answer = client.submit_order(key, sky, bean, 1_000)
    final = client.wait_settled(answer["orderHash"], timeout=30)

Used by the tests and the benchmarks.
"""

from __future__ import annotations

import secrets
import time
from types import TracebackType
from typing import Any

import httpx
from eth_account import Account
from eth_utils import to_checksum_address

from .chain.eip712 import (
    CancelNonces,
    Domain,
    SwapOrder,
    digest,
    gift_struct_hash,
    sign_digest,
    sign_order,
)
from .core.error_codes import ErrorCode

FINAL_STATES = frozenset({"settled", "rejected", "done", "failed"})


class TongduiApiError(Exception):
    """A non-2xx answer: ``code`` is the API's stable error code."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any]) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.details = status, code, message, details


class TongduiClient:
    """Signs and submits orders, gifts and cancellations; reads their state."""

    def __init__(
        self, base_url: str, timeout: float = 30.0, http: httpx.Client | None = None
    ) -> None:
        self.http = http or httpx.Client(base_url=base_url, timeout=timeout)
        self._domain: dict[str, Any] | None = None

    def __enter__(self) -> TongduiClient:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.http.request(method, path, **kwargs)
        if answer.status_code >= 400:
            try:
                body = answer.json()
            except ValueError:
                body = {"code": ErrorCode.HTTP_ERROR, "message": answer.text}
            raise TongduiApiError(
                answer.status_code,
                body.get("code", ErrorCode.HTTP_ERROR),
                body.get("message", ""),
                body.get("details") or {},
            )
        return answer.json()

    # ── reading ─────────────────────────────────────────────────────────────────────────────

    def domain(self) -> dict[str, Any]:
        """Chain id, exchange and EIP-712 types (cached: they never change for a server)."""
        if self._domain is None:
            self._domain = self._call("GET", "/orders/domain")
        return self._domain

    def exchange_domain(self) -> Domain:
        answer = self.domain()
        return Domain(int(answer["chainId"]), to_checksum_address(answer["exchange"]))

    def quote(self, from_token: str, to_token: str, amount_in: int) -> dict[str, Any]:
        """``GET /quote``: amountOut, fee, grossValue … of swapping ``amount_in`` points."""
        result: dict[str, Any] = self._call(
            "GET", "/quote", params={"from": from_token, "to": to_token, "amount": amount_in}
        )
        return result

    def order(self, order_hash: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/orders/{order_hash}")
        return result

    def orders(self, owner: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/orders", params={"owner": owner})[
            "orders"
        ]
        return result

    def gift_status(self, request_hash: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/gifts/{request_hash}")
        return result

    def cancellation(self, request_hash: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/cancellations/{request_hash}")
        return result

    def wait_settled(
        self, order_hash: str, timeout: float = 60.0, poll: float = 0.1
    ) -> dict[str, Any]:
        """Polls until the order is settled or rejected; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            answer = self.order(order_hash)
            if answer["state"] in FINAL_STATES:
                return answer
            if time.monotonic() > deadline:
                raise TimeoutError(f"order {order_hash} still {answer['state']} after {timeout}s")
            time.sleep(poll)

    # ── signing and submitting ──────────────────────────────────────────────────────────────

    def sign_order(
        self,
        private_key: str,
        from_token: str,
        to_token: str,
        amount_in: int,
        min_amount_out: int | None = None,
        nonce: int | None = None,
        deadline: int | None = None,
        counter: int = 0,
        slippage_bps: int = 50,
    ) -> dict[str, Any]:
        """The JSON body of a signed order (defaults: quote − slippage, random 64-bit nonce,
        ten minutes)."""
        if min_amount_out is None:
            quoted = int(self.quote(from_token, to_token, amount_in)["amountOut"])
            min_amount_out = quoted * (10_000 - slippage_bps) // 10_000
        order = SwapOrder(
            owner=Account.from_key(private_key).address,
            from_token=to_checksum_address(from_token),
            to_token=to_checksum_address(to_token),
            amount_in=amount_in,
            min_amount_out=min_amount_out,
            nonce=secrets.randbits(64) if nonce is None else nonce,
            deadline=int(time.time()) + 600 if deadline is None else deadline,
            counter=counter,
        )
        signature = sign_order(private_key, self.exchange_domain(), order)
        body = {k: (str(v) if isinstance(v, int) else v) for k, v in order.as_message().items()}
        return {**body, "signature": "0x" + signature.hex()}

    def submit_order(
        self,
        private_key: str,
        from_token: str,
        to_token: str,
        amount_in: int,
        min_amount_out: int | None = None,
        nonce: int | None = None,
        deadline: int | None = None,
        counter: int = 0,
    ) -> dict[str, Any]:
        """Signs and posts an order; returns the answer (``orderHash``, ``state`` …)."""
        body = self.sign_order(
            private_key, from_token, to_token, amount_in, min_amount_out, nonce, deadline, counter
        )
        return self.post_order(body)

    def post_order(self, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/orders", json=body)
        return result

    def gift(
        self,
        private_key: str,
        token: str,
        to: str,
        value: int,
        valid_before: int | None = None,
        nonce: bytes | None = None,
    ) -> dict[str, Any]:
        """Signs an EIP-3009 transfer of ``value`` points to ``to`` and has it relayed."""
        sender = Account.from_key(private_key).address
        domain_json = self._call("GET", "/gifts/domain", params={"token": token})
        domain = Domain(
            int(domain_json["chainId"]),
            domain_json["verifyingContract"],
            name=domain_json["name"],
            version=domain_json["version"],
        )
        nonce = secrets.token_bytes(32) if nonce is None else nonce
        valid_before = int(time.time()) + 600 if valid_before is None else valid_before
        to = to_checksum_address(to)
        signature = sign_digest(
            private_key, digest(domain, gift_struct_hash(sender, to, value, 0, valid_before, nonce))
        )
        result: dict[str, Any] = self._call(
            "POST",
            "/gifts",
            json={
                "token": to_checksum_address(token),
                "from": sender,
                "to": to,
                "value": value,
                "validAfter": 0,
                "validBefore": valid_before,
                "nonce": "0x" + nonce.hex(),
                "signature": "0x" + signature.hex(),
            },
        )
        return result

    def cancel(
        self, private_key: str, nonces: list[int], deadline: int | None = None
    ) -> list[dict[str, Any]]:
        """Voids ``nonces`` by signature: one signed CancelNonces per bitmap word."""
        owner = Account.from_key(private_key).address
        masks: dict[int, int] = {}
        for nonce in nonces:
            masks[nonce >> 8] = masks.get(nonce >> 8, 0) | 1 << (nonce & 0xFF)
        deadline = int(time.time()) + 600 if deadline is None else deadline
        answers = []
        for word, mask in sorted(masks.items()):
            request = CancelNonces(owner, word, mask, deadline)
            signature = sign_digest(
                private_key, digest(self.exchange_domain(), request.struct_hash())
            )
            answers.append(
                self._call(
                    "POST",
                    "/cancellations",
                    json={
                        "owner": owner,
                        "word": str(word),
                        "mask": str(mask),
                        "deadline": deadline,
                        "signature": "0x" + signature.hex(),
                    },
                )
            )
        return answers
