"""Relaying queued gifts and cancellations: one transaction each, signed, logged and sent.

A call that would revert (estimated first) fails at once with the contract's reason, so a user
hears it without a transaction being spent on it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from hexbytes import HexBytes
from sqlalchemy import select, update
from web3.exceptions import ContractCustomError, ContractLogicError

from ..chain.transactions import revert_error
from ..core.db import transaction
from ..payments.relay_calls import PAYMENT_KINDS, payment_call
from ..services import Services
from ..vouchers.requests import VOUCHER_GIFT, voucher_gift_call
from .keys import KeyPool
from .models import REQ_FAILED, REQ_RECEIVED, REQ_SUBMITTED, RelayerRequest
from .tx_log import log_tx


class RequestRelay:
    """Sends the queued signed requests (see the module docstring)."""

    def __init__(self, services: Services, pool: KeyPool, broadcast: Callable[[int], bool]) -> None:
        self.services = services
        self.pool = pool
        self.exchange = services.platform.exchange
        self.broadcast = broadcast

    def submit_requests(self, limit: int = 20) -> int:
        """Relays queued gifts and cancellations; a call that would revert fails at once."""
        with self.services.sessions() as session:
            queued = session.scalars(
                select(RelayerRequest)
                .where(RelayerRequest.state == REQ_RECEIVED)
                .order_by(RelayerRequest.id)
                .limit(limit)
            ).all()
        sent = 0
        for request in queued:
            call = self._request_call(request)
            key = self.pool.keys[0]
            try:
                gas = call.estimate_gas({"from": key.address})
            except (ContractCustomError, ContractLogicError) as error:
                decoded = revert_error(error)
                self._fail_request(request.id, decoded.code, decoded.message)
                continue
            signed = None
            try:
                with transaction(self.services.sessions) as session:
                    reserved = int(gas * 1.3) + 20_000
                    picked = self.pool.pick(session, gas=reserved)
                    if picked is None:
                        return sent
                    key = picked
                    signed = self.pool.sign(
                        key,
                        {
                            "to": call.address,
                            "data": call._encode_transaction_data(),
                            "gas": reserved,
                        },
                    )
                    row = log_tx(session, request.kind, signed)
                    claimed = session.execute(
                        update(RelayerRequest)
                        .where(
                            RelayerRequest.id == request.id, RelayerRequest.state == REQ_RECEIVED
                        )
                        .values(
                            state=REQ_SUBMITTED,
                            tx_id=row.id,
                            tx_hash=signed.tx_hash,
                            updated_at=time.time(),
                        )
                    ).rowcount  # type: ignore[attr-defined]
                    if not claimed:
                        raise _Skip
            except _Skip:
                key.next_nonce = signed.nonce if signed else key.next_nonce
                continue
            except BaseException:
                if signed is not None:
                    key.next_nonce = signed.nonce
                raise
            self.broadcast(row.id)
            sent += 1
        return sent

    def _request_call(self, request: RelayerRequest) -> Any:
        payload = json.loads(request.payload)
        if request.kind in PAYMENT_KINDS:  # issue 16, points + cash: payments/relay_calls.py
            return payment_call(self.services, request.kind, payload)
        if request.kind == "gift":
            token = self.services.platform.points_token(payload["token"])
            return token.functions.transferWithAuthorization(
                payload["from"],
                payload["to"],
                payload["value"],
                payload["validAfter"],
                payload["validBefore"],
                HexBytes(payload["nonce"]),
                HexBytes(payload["signature"]),
            )
        if request.kind == VOUCHER_GIFT:  # issue 16: a voucher given away
            return voucher_gift_call(self.services, payload)
        if request.kind == "cancel_all":
            return self.exchange.functions.incrementCounterWithSig(
                (payload["owner"], int(payload["counter"]), payload["deadline"]),
                HexBytes(payload["signature"]),
            )
        return self.exchange.functions.cancelNoncesWithSig(
            (payload["owner"], int(payload["word"]), int(payload["mask"]), payload["deadline"]),
            HexBytes(payload["signature"]),
        )

    def _fail_request(self, request_id: int, code: str, message: str) -> None:
        with transaction(self.services.sessions) as session:
            session.execute(
                update(RelayerRequest)
                .where(RelayerRequest.id == request_id)
                .values(
                    state=REQ_FAILED,
                    reason_code=code,
                    reason_message=message,
                    updated_at=time.time(),
                )
            )


class _Skip(Exception):
    """Another pass claimed the request first."""
